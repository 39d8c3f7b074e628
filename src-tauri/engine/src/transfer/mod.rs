//! Moving data between files and objects: part sizing, multipart uploads
//! from file offsets, ranged downloads into a temp file, and where a key may
//! land on this computer.

mod budget;
mod download;
mod local_path;
mod parts;
mod tree;
mod upload;

pub use budget::{Budget, REQUESTS_IN_FLIGHT, Throttle};
pub use download::{
    DownloadJournal, DownloadOptions, KnownObject, NoDownloadJournal, Source, download_file, ranges_of, temp_path,
};
pub use local_path::{LocalPathProblem, local_path_for};
pub use parts::{MAX_PARTS, MIN_PART, PartPlan, part_plan};
pub use tree::{FILES_IN_FLIGHT, Listed, TreeOptions, TreeResult, download_tree, listed, upload_tree};
pub use upload::{
    DonePart, NoJournal, ResumePoint, Sent, Target, UploadJournal, UploadOptions, WriteCondition, stamp, upload_file,
};

/// A local file's write failure (a full disk, a folder one may not write
/// into), naming the file.
pub(crate) fn local_write(path: &std::path::Path) -> impl Fn(std::io::Error) -> crate::storage::StorageError + '_ {
    move |e| crate::storage::StorageError::LocalWrite(format!("{}: {e}", path.display()))
}

/// A local file's read failure, naming the file.
pub(crate) fn local(path: &std::path::Path) -> impl Fn(std::io::Error) -> crate::storage::StorageError + '_ {
    move |e| crate::storage::StorageError::LocalFile(format!("{}: {e}", path.display()))
}
