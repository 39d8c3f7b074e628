//! A bounded read of an object for the quick preview: refused before any
//! byte is read when the object is larger than the bound.

use super::ops::properties;
use crate::storage::{S3Client, StorageError};

pub struct PreviewBody {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub async fn read_preview(client: &S3Client, bucket: &str, key: &str, limit: u64) -> Result<PreviewBody, StorageError> {
    let props = properties(client, bucket, key).await?;
    if props.size > limit {
        return Err(StorageError::TooLarge { size: props.size, limit });
    }
    let out = client.sdk().get_object().bucket(bucket).key(key).send().await.map_err(|e| client.failure(e))?;
    let mut body = out.body;
    let mut bytes = Vec::with_capacity(props.size as usize);
    while let Some(chunk) = body.try_next().await.map_err(|e| StorageError::Unreachable(e.to_string()))? {
        if (bytes.len() + chunk.len()) as u64 > limit {
            return Err(StorageError::TooLarge { size: (bytes.len() + chunk.len()) as u64, limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    let content_type = props.content_type.unwrap_or_else(|| "application/octet-stream".into());
    Ok(PreviewBody { content_type, bytes })
}
