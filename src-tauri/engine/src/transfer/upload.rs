//! Sending one file: a single request below the threshold, otherwise a
//! multipart upload whose parts are read straight from the file by offset,
//! several at once, so memory stays small whatever the file's size.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use aws_sdk_s3::primitives::{ByteStream, Length};
use aws_sdk_s3::types::CompletedMultipartUpload;
use futures::{StreamExt, TryStreamExt};
use tokio_util::sync::CancellationToken;

use super::local;
use super::parts::{PREFERRED_PART, PartPlan, part_plan};
use crate::objects::{
    BucketWrites, Checksummer, ObjectHeaders, ObjectWrite, PartChecksum, abort_multipart, check_key, start_multipart,
};
use crate::provider::ChecksumKind;
use crate::storage::{S3Client, StorageError};

#[derive(Debug, Clone, Copy)]
pub struct UploadOptions {
    /// Files from this size on go in parts.
    pub threshold: u64,
    /// Parts in flight at once.
    pub concurrency: usize,
}

impl Default for UploadOptions {
    fn default() -> Self {
        Self { threshold: PREFERRED_PART, concurrency: 8 }
    }
}

/// Size and modification time: a file that changes while it is sent is
/// noticed, never stored half old, half new.
async fn stamp(path: &Path) -> Result<(u64, Option<SystemTime>), StorageError> {
    let meta = tokio::fs::metadata(path).await.map_err(local(path))?;
    Ok((meta.len(), meta.modified().ok()))
}

/// Reads one region of the file to checksum it before it is sent.
async fn region_checksum(path: &Path, kind: ChecksumKind, offset: u64, len: u64) -> Result<PartChecksum, StorageError> {
    let owned = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = std::fs::File::open(&owned)?;
        file.seek(SeekFrom::Start(offset))?;
        let mut checksum = Checksummer::new(kind);
        let mut buffer = vec![0u8; 1024 * 1024];
        let mut left = len;
        while left > 0 {
            let want = left.min(buffer.len() as u64) as usize;
            file.read_exact(&mut buffer[..want])?;
            checksum.update(&buffer[..want]);
            left -= want as u64;
        }
        Ok(checksum.finish())
    })
    .await
    .map_err(|e| StorageError::Other(e.to_string()))?
    .map_err(local(path))
}

/// Sends `path` as `key`; the bytes sent. `progress` gets the running total.
#[allow(clippy::too_many_arguments)]
pub async fn upload_file(
    client: &S3Client,
    bucket: &str,
    key: &str,
    path: &Path,
    writes: &BucketWrites,
    options: UploadOptions,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, StorageError> {
    check_key(key).map_err(StorageError::InvalidName)?;
    let before = stamp(path).await?;
    let size = before.0;
    let content_type = mime_guess::from_path(path).first().map(|m| m.essence_str().to_owned());
    let write = ObjectWrite { bucket: writes, headers: ObjectHeaders { content_type, ..Default::default() } };
    match part_plan(size, options.threshold) {
        None => Err(StorageError::TooLarge { size, limit: super::parts::MAX_OBJECT }),
        Some(PartPlan::Single) => {
            let body = tokio::fs::read(path).await.map_err(local(path))?;
            if stamp(path).await? != before || body.len() as u64 != size {
                return Err(StorageError::FileChanged(path.display().to_string()));
            }
            let request = write.put(client.sdk().put_object().bucket(bucket).key(key), &body);
            request.body(body.into()).send().await.map_err(|e| client.failure(e))?;
            progress(size);
            Ok(size)
        }
        Some(PartPlan::Multipart { part_size, parts }) => {
            let job = Multipart { client, bucket, key, path, write: &write, part_size, size };
            job.run(parts, options.concurrency, before, cancel, progress).await
        }
    }
}

struct Multipart<'a> {
    client: &'a S3Client,
    bucket: &'a str,
    key: &'a str,
    path: &'a Path,
    write: &'a ObjectWrite<'a>,
    part_size: u64,
    size: u64,
}

impl Multipart<'_> {
    async fn run(
        &self,
        parts: u64,
        concurrency: usize,
        before: (u64, Option<SystemTime>),
        cancel: &CancellationToken,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<u64, StorageError> {
        let client = self.client;
        let upload_id = start_multipart(client, self.write, self.bucket, self.key).await?;
        let sent = AtomicU64::new(0);
        let uploaded = async {
            let mut completed: Vec<_> = futures::stream::iter(0..parts)
                .map(|index| self.part(&upload_id, index, cancel, &sent, progress))
                .buffer_unordered(concurrency.max(1))
                .try_collect()
                .await?;
            completed.sort_by_key(|part: &aws_sdk_s3::types::CompletedPart| part.part_number());
            if cancel.is_cancelled() {
                return Err(StorageError::Cancelled);
            }
            if stamp(self.path).await? != before {
                return Err(StorageError::FileChanged(self.path.display().to_string()));
            }
            client
                .sdk()
                .complete_multipart_upload()
                .bucket(self.bucket)
                .key(self.key)
                .upload_id(&upload_id)
                .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(completed)).build())
                .send()
                .await
                .map_err(|e| client.failure(e))?;
            Ok(self.size)
        }
        .await;
        if uploaded.is_err() {
            abort_multipart(client, self.bucket, self.key, &upload_id).await;
        }
        uploaded
    }

    async fn part(
        &self,
        upload_id: &str,
        index: u64,
        cancel: &CancellationToken,
        sent: &AtomicU64,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<aws_sdk_s3::types::CompletedPart, StorageError> {
        if cancel.is_cancelled() {
            return Err(StorageError::Cancelled);
        }
        let (offset, len) = PartPlan::range(self.part_size, self.size, index);
        let checksum = region_checksum(self.path, self.write.bucket.checksum, offset, len).await?;
        // A body read from the file by offset can be read again for a retry.
        let body = ByteStream::read_from()
            .path(self.path)
            .offset(offset)
            .length(Length::Exact(len))
            .build()
            .await
            .map_err(|e| StorageError::LocalFile(format!("{}: {e}", self.path.display())))?;
        let number = index as i32 + 1;
        let request = self
            .client
            .sdk()
            .upload_part()
            .bucket(self.bucket)
            .key(self.key)
            .upload_id(upload_id)
            .part_number(number)
            .content_length(len as i64)
            .body(body);
        let out = tokio::select! {
            sent = self.write.part(request, &checksum).send() => sent.map_err(|e| self.client.failure(e))?,
            () = cancel.cancelled() => return Err(StorageError::Cancelled),
        };
        progress(sent.fetch_add(len, Ordering::Relaxed) + len);
        Ok(ObjectWrite::completed_part(number, out.e_tag(), &checksum))
    }
}
