//! Everything that talks S3.

mod classify;
mod client;
mod entries;
mod listing;
mod raw;

pub use classify::{FailureFacts, StorageError, Transport, classify_failure};
pub use client::{AsHttpResponse, ConnectionParams, PAGE_SIZE, RetryPolicy, S3Client, validate_endpoint};
pub use entries::{BucketEntry, EntryKind, ObjectEntry, ObjectPage, SortKey, SortSpec, sort_entries};
pub use listing::{ListingProgress, ListingSummary, Listings};
pub use raw::{RawAnswer, path_segment};
