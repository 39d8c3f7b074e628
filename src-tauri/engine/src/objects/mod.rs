//! Everyday object operations: folders, copy and move, delete, properties,
//! share links, search and preview.

mod delete;
mod model;
mod name;
mod ops;
mod preview;
mod search;
mod share;
mod upload;
mod write;

pub use delete::{delete_selection, measure_selection};
pub use model::{HeadersEdit, ObjectProperties, OperationProgress, SearchResult, SelectionSize, ShareLink};
pub use name::{MAX_KEY_BYTES, NameProblem, check_key, check_name, child_key, parent_prefix};
pub use ops::{
    SINGLE_COPY_LIMIT, copy_object, copy_part_size, create_folder, properties, rename, transfer_selection,
    update_headers,
};
pub use preview::{PreviewBody, read_preview};
pub use search::{SearchBounds, search};
pub use share::{MAX_SHARE, MIN_SHARE, public_base_url, public_url, share_link};
pub use upload::{SIMPLE_UPLOAD_LIMIT, upload_file};
pub use write::{BucketWrites, ObjectHeaders, ObjectWrite};
