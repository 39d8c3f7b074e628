//! Whether the storage honours conditional writes. Where it does, a sync
//! upload carries `If-Match` / `If-None-Match` and another computer's write
//! in between is refused by the storage itself; where it does not (Garage
//! 2.5 ignores both headers and overwrites), the sync compares the ETag just
//! before writing, which leaves only a moment's window.

use aws_sdk_s3::primitives::ByteStream;

use super::trash::TRASH_PREFIX;
use crate::storage::{S3Client, StorageError};

/// Writes a probe object twice with `If-None-Match: *`: a storage that
/// honours the header refuses the second write with 412.
pub async fn honours_conditions(client: &S3Client, bucket: &str) -> Result<bool, StorageError> {
    let key = format!("{TRASH_PREFIX}.probe-{:016x}", rand::random::<u64>());
    let put = || {
        client.sdk().put_object().bucket(bucket).key(&key).if_none_match("*").body(ByteStream::from_static(b"probe"))
    };
    put().send().await.map_err(|e| client.failure(e))?;
    let second = put().send().await;
    let _ = client.sdk().delete_object().bucket(bucket).key(&key).send().await;
    match second {
        Ok(_) => Ok(false),
        Err(err) => match client.failure(err) {
            StorageError::Service { status: 412, .. } => Ok(true),
            StorageError::Service { status, .. } if (400..500).contains(&status) => Ok(false),
            other => Err(other),
        },
    }
}
