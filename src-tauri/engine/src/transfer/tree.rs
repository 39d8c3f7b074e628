//! Folders both ways: every file under a local folder to a prefix, and every
//! object under a prefix into a local folder, several files at once. A key
//! that cannot be a local file is reported, never renamed or written
//! elsewhere.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use futures::{StreamExt, TryStreamExt};
use tokio_util::sync::CancellationToken;

use super::budget::Budget;
use super::download::{DownloadOptions, KnownObject, NoDownloadJournal, Source};
use super::local_path::{LocalPathProblem, local_path_for};
use super::local_write;
use super::upload::{UploadOptions, upload_file};
use crate::objects::{BucketWrites, check_key};
use crate::storage::{S3Client, StorageError};

#[derive(Debug, Clone)]
pub struct TreeOptions {
    /// Files moving at once; their parts share the budget's requests.
    pub files_in_flight: usize,
    pub upload: UploadOptions,
    pub download: DownloadOptions,
}

impl TreeOptions {
    pub fn with_budget(budget: &Budget) -> Self {
        Self {
            files_in_flight: FILES_IN_FLIGHT,
            upload: UploadOptions { budget: budget.clone(), ..UploadOptions::default() },
            download: DownloadOptions { budget: budget.clone(), ..DownloadOptions::default() },
        }
    }
}

/// Files open at once: enough to keep the request budget busy with small
/// files, few enough to stay far below the open-files limit.
pub const FILES_IN_FLIGHT: usize = 32;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TreeResult {
    pub files: u64,
    pub bytes: u64,
    /// Keys left where they are, with why they cannot be local files.
    pub skipped: Vec<(String, LocalPathProblem)>,
}

/// The key of a file below `dir`, under `prefix` (empty or ending in `/`).
fn key_for(prefix: &str, dir: &Path, file: &Path) -> Result<String, StorageError> {
    let relative = file.strip_prefix(dir).map_err(|e| StorageError::LocalFile(e.to_string()))?;
    let parts: Option<Vec<&str>> = relative.iter().map(|p| p.to_str()).collect();
    let parts = parts.ok_or_else(|| StorageError::LocalFile(format!("{} is not valid UTF-8", file.display())))?;
    let key = format!("{prefix}{}", parts.join("/"));
    check_key(&key).map_err(StorageError::InvalidName)?;
    Ok(key)
}

/// Sends every regular file below `dir`; links are not followed.
#[allow(clippy::too_many_arguments)]
pub async fn upload_tree(
    client: &S3Client,
    dir: &Path,
    bucket: &str,
    prefix: &str,
    writes: &BucketWrites,
    options: &TreeOptions,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<TreeResult, StorageError> {
    let owned = dir.to_path_buf();
    let files: Vec<PathBuf> = tokio::task::spawn_blocking(move || {
        walkdir::WalkDir::new(&owned)
            .follow_links(false)
            .into_iter()
            .map(|entry| entry.map(|e| (e.file_type().is_file(), e.into_path())))
            .filter_map(|entry| match entry {
                Ok((true, path)) => Some(Ok(path)),
                Ok((false, _)) => None,
                Err(err) => Some(Err(err)),
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| StorageError::Other(e.to_string()))?
    .map_err(|e| StorageError::LocalFile(e.to_string()))?;
    let jobs: Vec<(PathBuf, String)> =
        files.into_iter().map(|file| key_for(prefix, dir, &file).map(|key| (file, key))).collect::<Result<_, _>>()?;
    let bytes = AtomicU64::new(0);
    let count = jobs.len() as u64;
    futures::stream::iter(jobs)
        .map(|(file, key)| {
            let bytes = &bytes;
            async move {
                let size = upload_file(client, bucket, &key, &file, writes, &options.upload, cancel, &|_| {}).await?;
                progress(bytes.fetch_add(size, Ordering::Relaxed) + size);
                Ok::<_, StorageError>(())
            }
        })
        .buffer_unordered(options.files_in_flight.max(1))
        .try_collect::<()>()
        .await?;
    Ok(TreeResult { files: count, bytes: bytes.into_inner(), skipped: Vec::new() })
}

/// Fetches every object under `prefix` into `dir`, keeping the folders.
pub async fn download_tree(
    client: &S3Client,
    bucket: &str,
    prefix: &str,
    dir: &Path,
    options: &TreeOptions,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<TreeResult, StorageError> {
    let mut result = TreeResult::default();
    let mut jobs: Vec<(String, KnownObject, PathBuf)> = Vec::new();
    for object in listed(client, bucket, prefix, true).await? {
        match local_path_for(&object.key, prefix) {
            Ok(relative) if object.key.ends_with('/') => {
                let folder = dir.join(&relative);
                tokio::fs::create_dir_all(&folder).await.map_err(local_write(&folder))?;
            }
            Ok(relative) => jobs.push((object.key, object.known, dir.join(relative))),
            // The marker of the prefix itself is the folder chosen.
            Err(LocalPathProblem::Empty) if object.key == prefix => {}
            Err(problem) => result.skipped.push((object.key, problem)),
        }
    }
    let bytes = AtomicU64::new(0);
    result.files = jobs.len() as u64;
    futures::stream::iter(jobs)
        .map(|(key, known, target)| {
            let bytes = &bytes;
            async move {
                let source = Source { client, bucket, key: &key, known: &known };
                let size =
                    source.download(&target, &options.download, &[], &NoDownloadJournal, cancel, &|_| {}).await?;
                progress(bytes.fetch_add(size, Ordering::Relaxed) + size);
                Ok::<_, StorageError>(())
            }
        })
        .buffer_unordered(options.files_in_flight.max(1))
        .try_collect::<()>()
        .await?;
    result.bytes = bytes.into_inner();
    Ok(result)
}

/// An object as a listing gives it: enough to fetch it without a HEAD.
#[derive(Debug, Clone)]
pub struct Listed {
    pub key: String,
    pub known: KnownObject,
}

/// Every object under `prefix` (at any depth when `recursive`, else only
/// its own files), folder markers included.
pub async fn listed(
    client: &S3Client,
    bucket: &str,
    prefix: &str,
    recursive: bool,
) -> Result<Vec<Listed>, StorageError> {
    let mut objects = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .sdk()
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .set_delimiter((!recursive).then(|| "/".to_owned()))
            .set_continuation_token(token)
            .send()
            .await
            .map_err(|e| client.failure(e))?;
        objects.extend(page.contents().iter().map(|object| Listed {
            key: object.key().unwrap_or_default().to_owned(),
            known: KnownObject {
                size: object.size().unwrap_or(0).max(0) as u64,
                etag: object.e_tag().map(str::to_owned),
            },
        }));
        token = page.next_continuation_token().filter(|_| page.is_truncated() == Some(true)).map(str::to_owned);
        if token.is_none() {
            return Ok(objects);
        }
    }
}
