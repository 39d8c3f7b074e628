//! Starting a multipart write and giving it up: shared by large copies and
//! uploads, so an upload id is never missing and never left behind.

use super::write::ObjectWrite;
use crate::storage::{S3Client, StorageError};

/// Starts a multipart write of `key`; its upload id.
pub async fn start_multipart(
    client: &S3Client,
    write: &ObjectWrite<'_>,
    bucket: &str,
    key: &str,
) -> Result<String, StorageError> {
    let created = write
        .create_multipart(client.sdk().create_multipart_upload().bucket(bucket).key(key))
        .send()
        .await
        .map_err(|e| client.failure(e))?;
    created
        .upload_id()
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| StorageError::Other("the storage started a multipart write without an upload id".into()))
}

/// Gives up an unfinished multipart write; a failure is only logged, since
/// the write has already failed for its own reason.
pub async fn abort_multipart(client: &S3Client, bucket: &str, key: &str, upload_id: &str) {
    let aborted = client.sdk().abort_multipart_upload().bucket(bucket).key(key).upload_id(upload_id).send().await;
    if let Err(err) = aborted {
        tracing::warn!(upload_id, "an unfinished multipart write could not be aborted: {err}");
    }
}
