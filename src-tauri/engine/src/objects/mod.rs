//! Everyday object operations: folders, copy and move, delete, properties,
//! share links, search and preview.

mod delete;
mod model;
mod multipart;
mod name;
mod ops;
mod plan;
mod preview;
mod search;
mod share;
mod write;

pub use delete::{delete_selection, measure_selection};
pub use model::{HeadersEdit, ObjectProperties, OperationProgress, SearchResult, SelectionSize, ShareLink};
pub use multipart::{HeldPart, abort_multipart, list_parts, start_multipart};
pub use name::{NameProblem, check_key, check_name, parent_prefix};
pub use ops::{copy_object, create_folder, head, properties, rename, transfer_selection, update_headers};
pub use preview::{PreviewBody, read_preview};
pub use search::{SearchBounds, search};
pub use share::{public_base_url, public_url, share_link};
pub use write::{BucketWrites, Checksummer, ObjectHeaders, ObjectWrite, PartChecksum, StoredWrites};
