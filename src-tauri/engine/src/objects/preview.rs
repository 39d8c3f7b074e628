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
    Ok(PreviewBody { content_type: preview_type(props.content_type, key), bytes })
}

/// The stored type, or where it says nothing useful (none, or the generic
/// binary type many tools send), the type the key's extension implies.
fn preview_type(stored: Option<String>, key: &str) -> String {
    let generic = |t: &str| t.is_empty() || t.starts_with("application/octet-stream") || t.starts_with("binary/");
    match stored {
        Some(t) if !generic(&t) => t,
        _ => mime_guess::from_path(key).first_or_octet_stream().essence_str().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generic_type_gives_way_to_the_extension() {
        assert_eq!(preview_type(Some("binary/octet-stream".into()), "logo.svg"), "image/svg+xml");
        assert_eq!(preview_type(None, "photos/cat.JPG"), "image/jpeg");
        assert_eq!(preview_type(Some("image/png".into()), "misnamed.txt"), "image/png");
        assert_eq!(preview_type(None, "README"), "application/octet-stream");
    }
}
