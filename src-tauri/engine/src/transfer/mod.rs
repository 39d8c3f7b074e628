//! Moving data between files and objects: part sizing, multipart uploads
//! from file offsets, ranged downloads into a temp file, and where a key may
//! land on this computer.

mod download;
mod local_path;
mod parts;
mod tree;
mod upload;

pub use download::{DownloadOptions, download_file};
pub use local_path::{LocalPathProblem, local_path_for};
pub use parts::{MAX_PARTS, MIN_PART, PartPlan, part_plan};
pub use tree::{TreeOptions, TreeResult, download_tree, upload_tree};
pub use upload::{UploadOptions, upload_file};

/// A local file's I/O failure, naming the file.
fn local(path: &std::path::Path) -> impl Fn(std::io::Error) -> crate::storage::StorageError + '_ {
    move |e| crate::storage::StorageError::LocalFile(format!("{}: {e}", path.display()))
}
