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

/// Gives up an unfinished multipart write; whether it is gone now. A
/// failure is only logged, since the write has already failed for its own
/// reason.
pub async fn abort_multipart(client: &S3Client, bucket: &str, key: &str, upload_id: &str) -> bool {
    let aborted = client.sdk().abort_multipart_upload().bucket(bucket).key(key).upload_id(upload_id).send().await;
    match aborted.map_err(|e| client.failure(e)) {
        Ok(_) | Err(StorageError::Service { status: 404, .. } | StorageError::NoSuchKey(_)) => true,
        Err(err) => {
            tracing::warn!(upload_id, "an unfinished multipart write could not be aborted: {err}");
            false
        }
    }
}

/// A part the storage holds of an unfinished multipart write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldPart {
    pub number: i32,
    pub etag: String,
    pub size: u64,
}

/// The parts the storage holds of `upload_id`; None when the upload is gone
/// (finished, aborted, or expired by the storage).
pub async fn list_parts(
    client: &S3Client,
    bucket: &str,
    key: &str,
    upload_id: &str,
) -> Result<Option<Vec<HeldPart>>, StorageError> {
    let mut parts = Vec::new();
    let mut marker = None;
    loop {
        let page = match client
            .sdk()
            .list_parts()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .set_part_number_marker(marker)
            .send()
            .await
            .map_err(|e| client.failure(e))
        {
            Ok(page) => page,
            Err(StorageError::Service { status: 404, .. } | StorageError::NoSuchKey(_)) => return Ok(None),
            Err(err) => return Err(err),
        };
        parts.extend(page.parts().iter().map(|part| HeldPart {
            number: part.part_number().unwrap_or(0),
            etag: part.e_tag().unwrap_or_default().to_owned(),
            size: part.size().unwrap_or(0).max(0) as u64,
        }));
        marker = page.next_part_number_marker().filter(|_| page.is_truncated() == Some(true)).map(str::to_owned);
        if marker.is_none() {
            return Ok(Some(parts));
        }
    }
}
