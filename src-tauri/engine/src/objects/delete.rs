//! Deleting a selection of objects and folders: listed page by page and
//! removed 1,000 keys a request, or one by one where batches are refused.

use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use tokio_util::sync::CancellationToken;

use super::model::SelectionSize;
use crate::storage::{S3Client, StorageError};

/// DeleteObjects takes at most this many keys.
const BATCH: usize = 1000;

fn is_prefix(item: &str) -> bool {
    item.is_empty() || item.ends_with('/')
}

/// Every key of a selection item, a page at a time: an object is itself; a
/// folder (or "" for the whole bucket) is everything under it, and with
/// `with_marker` the zero-byte marker that keeps an empty folder visible.
pub(super) struct ItemPages<'a> {
    client: &'a S3Client,
    bucket: &'a str,
    item: &'a str,
    with_marker: bool,
    next: Next,
}

enum Next {
    Listing(Option<String>),
    Marker,
    Done,
}

impl<'a> ItemPages<'a> {
    pub(super) fn new(client: &'a S3Client, bucket: &'a str, item: &'a str, with_marker: bool) -> Self {
        Self { client, bucket, item, with_marker, next: Next::Listing(None) }
    }

    pub(super) async fn next(
        &mut self,
        cancel: &CancellationToken,
    ) -> Result<Option<Vec<(String, u64)>>, StorageError> {
        if cancel.is_cancelled() {
            return Err(StorageError::Cancelled);
        }
        if !is_prefix(self.item) {
            return Ok(match std::mem::replace(&mut self.next, Next::Done) {
                Next::Done => None,
                _ => Some(vec![(self.item.to_owned(), 0)]),
            });
        }
        match std::mem::replace(&mut self.next, Next::Done) {
            Next::Listing(token) => {
                let page = self.client.list_page_recursive(self.bucket, self.item, token).await?;
                self.next = match page.next_token {
                    Some(token) => Next::Listing(Some(token)),
                    None if self.with_marker && !self.item.is_empty() => Next::Marker,
                    None => Next::Done,
                };
                Ok(Some(page.entries.into_iter().map(|e| (e.key, e.size.unwrap_or(0))).collect()))
            }
            Next::Marker => Ok(Some(vec![(self.item.to_owned(), 0)])),
            Next::Done => Ok(None),
        }
    }
}

pub async fn measure_selection(
    client: &S3Client,
    bucket: &str,
    selection: &[String],
    cancel: &CancellationToken,
) -> Result<SelectionSize, StorageError> {
    let mut size = SelectionSize::default();
    for item in selection {
        if is_prefix(item) {
            let mut pages = ItemPages::new(client, bucket, item, false);
            while let Some(page) = pages.next(cancel).await? {
                // Markers of empty subfolders are not what a person counts as objects.
                let objects = page.iter().filter(|(key, _)| !key.ends_with('/'));
                for (_, bytes) in objects {
                    size.objects += 1;
                    size.bytes += bytes;
                }
            }
        } else {
            let head =
                client.sdk().head_object().bucket(bucket).key(item).send().await.map_err(|e| client.failure(e))?;
            size.objects += 1;
            size.bytes += head.content_length().unwrap_or(0).max(0) as u64;
        }
    }
    Ok(size)
}

/// Deletes everything selected; the count of objects removed (folder
/// markers go too, but are not counted, as `measure_selection` does not).
pub async fn delete_selection(
    client: &S3Client,
    bucket: &str,
    selection: &[String],
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, StorageError> {
    let mut deleter = Deleter::new(client, bucket);
    for item in selection {
        let mut pages = ItemPages::new(client, bucket, item, true);
        while let Some(page) = pages.next(cancel).await? {
            for (key, _) in page {
                deleter.push(key, cancel, progress).await?;
            }
        }
    }
    deleter.flush(cancel, progress).await?;
    Ok(deleter.done)
}

/// Deletes exactly the keys it is given, 1,000 a request.
pub(super) struct Deleter<'a> {
    client: &'a S3Client,
    bucket: &'a str,
    batches_refused: bool,
    done: u64,
    pending: Vec<String>,
}

impl<'a> Deleter<'a> {
    pub(super) fn new(client: &'a S3Client, bucket: &'a str) -> Self {
        Self { client, bucket, batches_refused: false, done: 0, pending: Vec::new() }
    }

    pub(super) async fn push(
        &mut self,
        key: String,
        cancel: &CancellationToken,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(), StorageError> {
        self.pending.push(key);
        if self.pending.len() == BATCH {
            self.flush(cancel, progress).await?;
        }
        Ok(())
    }

    pub(super) async fn flush(
        &mut self,
        cancel: &CancellationToken,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(), StorageError> {
        let keys = std::mem::take(&mut self.pending);
        if keys.is_empty() {
            return Ok(());
        }
        if !self.batches_refused {
            match self.delete_batch(&keys).await {
                Ok(()) => {
                    self.done += keys.iter().filter(|k| !k.ends_with('/')).count() as u64;
                    progress(self.done);
                    return Ok(());
                }
                Err(StorageError::NotImplemented(detail)) => {
                    tracing::info!("batch delete refused, deleting one by one: {detail}");
                    self.batches_refused = true;
                }
                Err(err) => return Err(err),
            }
        }
        for key in keys {
            if cancel.is_cancelled() {
                return Err(StorageError::Cancelled);
            }
            self.client
                .sdk()
                .delete_object()
                .bucket(self.bucket)
                .key(&key)
                .send()
                .await
                .map_err(|e| self.client.failure(e))?;
            if !key.ends_with('/') {
                self.done += 1;
                progress(self.done);
            }
        }
        Ok(())
    }

    async fn delete_batch(&self, keys: &[String]) -> Result<(), StorageError> {
        let objects = keys
            .iter()
            .map(|key| ObjectIdentifier::builder().key(key).build())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StorageError::Other(e.to_string()))?;
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(|e| StorageError::Other(e.to_string()))?;
        let out = self
            .client
            .sdk()
            .delete_objects()
            .bucket(self.bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|e| self.client.failure(e))?;
        if let Some(failed) = out.errors().first() {
            return Err(crate::storage::classify_failure(crate::storage::FailureFacts {
                status: None,
                code: failed.code().map(str::to_owned),
                message: Some(format!(
                    "{} of {} keys not deleted, first {:?}: {}",
                    out.errors().len(),
                    keys.len(),
                    failed.key().unwrap_or_default(),
                    failed.message().unwrap_or_default()
                )),
                ..Default::default()
            }));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use s3s::dto::*;
    use s3s::{S3, S3Request, S3Response, S3Result};

    use super::*;
    use crate::demo::{DemoServer, delegate};
    use crate::storage::RetryPolicy;
    use crate::time::system_clock;

    /// A storage that answers DeleteObjects with NotImplemented (the default
    /// of every operation not delegated here), as some servers do.
    struct NoBatchDelete {
        fs: s3s_fs::FileSystem,
    }

    #[async_trait::async_trait]
    impl S3 for NoBatchDelete {
        delegate! {
            create_bucket: CreateBucketInput => CreateBucketOutput,
            put_object: PutObjectInput => PutObjectOutput,
            delete_object: DeleteObjectInput => DeleteObjectOutput,
            list_objects_v2: ListObjectsV2Input => ListObjectsV2Output,
        }
    }

    #[tokio::test]
    async fn where_batches_are_refused_keys_go_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let fs = s3s_fs::FileSystem::new(dir.path()).unwrap();
        let server = DemoServer::serve(NoBatchDelete { fs }).await.unwrap();
        let client = S3Client::new(&server.params, &server.secret, system_clock(), RetryPolicy::Standard).unwrap();
        client.sdk().create_bucket().bucket("bucket").send().await.unwrap();
        for key in ["f/1.txt", "f/2.txt", "f/3.txt", "keep.txt"] {
            client.sdk().put_object().bucket("bucket").key(key).body(b"x".to_vec().into()).send().await.unwrap();
        }
        let batch = client.sdk().delete_objects().bucket("bucket");
        assert!(batch.send().await.is_err(), "the storage refuses batches");

        let seen = std::sync::Mutex::new(Vec::new());
        let cancel = CancellationToken::new();
        let deleted = delete_selection(&client, "bucket", &["f/".into()], &cancel, &|n| seen.lock().unwrap().push(n))
            .await
            .unwrap();
        assert_eq!(deleted, 3);
        assert_eq!(*seen.lock().unwrap(), [1, 2, 3]);
        let left = client.list_page_recursive("bucket", "", None).await.unwrap().entries;
        assert_eq!(left.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["keep.txt"]);
    }
}
