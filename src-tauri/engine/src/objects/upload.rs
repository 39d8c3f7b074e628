//! A simple upload: one PutObject of a file read whole, for files small
//! enough to hold in memory. Larger files belong to multipart transfers.

use std::path::Path;

use super::name::{NameProblem, check_key};
use super::write::{BucketWrites, ObjectHeaders, ObjectWrite};
use crate::storage::{S3Client, StorageError};

/// Above this a single request is the wrong tool: a dropped connection
/// would send everything again.
pub const SIMPLE_UPLOAD_LIMIT: u64 = 64 * 1024 * 1024;

pub async fn upload_file(
    client: &S3Client,
    bucket: &str,
    key: &str,
    path: &Path,
    writes: &BucketWrites,
) -> Result<u64, StorageError> {
    check_key(key).map_err(StorageError::InvalidName)?;
    if key.ends_with('/') {
        return Err(StorageError::InvalidName(NameProblem::Slash));
    }
    let local = |e: std::io::Error| StorageError::LocalFile(format!("{}: {e}", path.display()));
    let size = tokio::fs::metadata(path).await.map_err(local)?.len();
    if size > SIMPLE_UPLOAD_LIMIT {
        return Err(StorageError::TooLarge { size, limit: SIMPLE_UPLOAD_LIMIT });
    }
    let body = tokio::fs::read(path).await.map_err(local)?;
    let content_type = mime_guess::from_path(path).first().map(|m| m.essence_str().to_owned());
    let write = ObjectWrite { bucket: writes, headers: ObjectHeaders { content_type, ..Default::default() } };
    let request = write.put(client.sdk().put_object().bucket(bucket).key(key), &body);
    let size = body.len() as u64;
    request.body(body.into()).send().await.map_err(|e| client.failure(e))?;
    Ok(size)
}
