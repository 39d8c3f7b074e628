//! Fetching one object into a file: written to a temp file beside the target
//! and renamed into place only when complete, large objects in ranged parts
//! fetched at once under the shared budget, every request pinned to the
//! version first seen. A journal keeps the finished ranges so the queue can
//! continue into the same temp file after a restart.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use aws_sdk_s3::config::StalledStreamProtectionConfig;
use aws_sdk_s3::types::ChecksumMode;
use futures::{StreamExt, TryStreamExt};
use tokio_util::sync::CancellationToken;

use super::budget::Budget;
use super::local_write as local;
use super::parts::{PREFERRED_PART, PartPlan, part_plan};
use crate::storage::{S3Client, StorageError};

#[derive(Debug, Clone)]
pub struct DownloadOptions {
    /// Objects from this size on are fetched in ranges.
    pub threshold: u64,
    pub budget: Budget,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        Self { threshold: PREFERRED_PART, budget: Budget::default() }
    }
}

/// Ranges of one object in flight at once: as for upload parts, enough for
/// one large object's full speed without taking the whole shared budget.
const RANGES_IN_FLIGHT: usize = 8;

/// Where a download's finished ranges are written down as they finish.
pub trait DownloadJournal: Sync {
    fn range_done(&self, index: u64) -> Result<(), StorageError>;
    /// Whether a failed download keeps its temp file to be continued.
    fn continues_later(&self) -> bool;
}

/// For downloads nobody continues: a failure removes the temp file.
pub struct NoDownloadJournal;

impl DownloadJournal for NoDownloadJournal {
    fn range_done(&self, _: u64) -> Result<(), StorageError> {
        Ok(())
    }
    fn continues_later(&self) -> bool {
        false
    }
}

/// A hidden name beside the target: never mistaken for the finished file.
pub fn temp_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.qoima-download"))
}

/// What is known of an object before fetching it: from a HEAD, or from the
/// listing that found it (which saves a request per file in a folder).
#[derive(Debug, Clone)]
pub struct KnownObject {
    pub size: u64,
    pub etag: Option<String>,
}

/// Fetches `key` into `target`; the bytes written.
#[allow(clippy::too_many_arguments)]
pub async fn download_file(
    client: &S3Client,
    bucket: &str,
    key: &str,
    target: &Path,
    options: &DownloadOptions,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, StorageError> {
    let head = client.sdk().head_object().bucket(bucket).key(key).send().await.map_err(|e| client.failure(e))?;
    let known =
        KnownObject { size: head.content_length().unwrap_or(0).max(0) as u64, etag: head.e_tag().map(str::to_owned) };
    let source = Source { client, bucket, key, known: &known };
    source.download(target, options, &[], &NoDownloadJournal, cancel, progress).await
}

/// One object to fetch, its size and ETag already known.
pub struct Source<'a> {
    pub client: &'a S3Client,
    pub bucket: &'a str,
    pub key: &'a str,
    pub known: &'a KnownObject,
}

/// The ranges an object of `size` bytes is fetched in.
pub fn ranges_of(size: u64, threshold: u64) -> Vec<(u64, u64)> {
    match part_plan(size, threshold) {
        Some(PartPlan::Multipart { part_size, parts }) => {
            (0..parts).map(|index| PartPlan::range(part_size, size, index)).collect()
        }
        _ => vec![(0, size)],
    }
}

impl Source<'_> {
    /// Fetches the object into `target`, skipping the ranges in `done`
    /// (already in the temp file from an earlier run); the bytes written.
    pub async fn download(
        &self,
        target: &Path,
        options: &DownloadOptions,
        done: &[u64],
        journal: &dyn DownloadJournal,
        cancel: &CancellationToken,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<u64, StorageError> {
        let Source { client, bucket, key, known } = *self;
        let size = known.size;
        let temp = temp_path(target);
        let ranges = ranges_of(size, options.threshold);
        let (file, continuing) = open_temp(target, size, !done.is_empty()).await?;
        if continuing {
            tracing::info!(key, ranges = done.len(), of = ranges.len(), "continuing a download");
        }
        let already: u64 = if continuing {
            done.iter().filter_map(|index| ranges.get(*index as usize)).map(|(_, len)| len).sum()
        } else {
            0
        };
        let missing: Vec<(u64, (u64, u64))> = ranges
            .iter()
            .copied()
            .enumerate()
            .map(|(index, range)| (index as u64, range))
            .filter(|(index, _)| !continuing || !done.contains(index))
            .collect();
        let job = Ranges {
            client,
            bucket,
            key,
            version: known.etag.as_deref(),
            temp: &temp,
            file: &file,
            whole: ranges.len() == 1,
            budget: &options.budget,
        };
        let written = AtomicU64::new(already);
        if already > 0 {
            progress(already);
        }
        let writeback = Writeback::new(&file);
        let (job, written, writeback) = (&job, &written, &writeback);
        let fetched: Result<(), StorageError> = futures::stream::iter(missing)
            .map(|(index, range)| async move {
                job.fetch(range, cancel, written, progress).await?;
                writeback.start();
                journal.range_done(index)
            })
            .buffer_unordered(if options.budget.download.rate().is_some() { 2 } else { RANGES_IN_FLIGHT })
            .try_collect()
            .await;
        if let Err(err) = fetched {
            if !journal.continues_later() {
                let _ = tokio::fs::remove_file(&temp).await;
            }
            return Err(err);
        }
        let (from, to) = (temp.clone(), target.to_path_buf());
        tokio::task::spawn_blocking(move || {
            file.sync_all()?;
            drop(file);
            std::fs::rename(&from, &to)
        })
        .await
        .map_err(|e| StorageError::Other(e.to_string()))?
        .map_err(local(target))?;
        Ok(size)
    }
}

/// The temp file beside `target`, sized to the object and shared by every
/// range (each writes at its own offsets), with its folder made first: one
/// trip to the blocking pool, which counts when thousands of small files
/// come down. An earlier run's temp file of the right size is continued
/// when `resuming`; whether it was.
async fn open_temp(target: &Path, size: u64, resuming: bool) -> Result<(Arc<std::fs::File>, bool), StorageError> {
    let (owned, temp) = (target.to_path_buf(), temp_path(target));
    let opened = tokio::task::spawn_blocking(move || {
        let target = owned;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let continuing = resuming && std::fs::metadata(&temp).is_ok_and(|meta| meta.is_file() && meta.len() == size);
        let file = std::fs::OpenOptions::new().write(true).create(true).truncate(!continuing).open(&temp)?;
        file.set_len(size)?;
        Ok::<_, std::io::Error>((Arc::new(file), continuing))
    })
    .await
    .map_err(|e| StorageError::Other(e.to_string()))?;
    opened.map_err(local(&temp_path(target)))
}

/// Puts finished ranges on the disk while later ones still arrive, so the
/// final sync before the rename (which makes a finished download survive a
/// power cut) has little left to wait for. One sync at a time: a range that
/// finishes during one is carried by the next.
struct Writeback {
    file: Arc<std::fs::File>,
    busy: Arc<AtomicBool>,
}

impl Writeback {
    fn new(file: &Arc<std::fs::File>) -> Self {
        Self { file: file.clone(), busy: Arc::default() }
    }

    fn start(&self) {
        if self.busy.swap(true, Ordering::AcqRel) {
            return;
        }
        let (file, busy) = (self.file.clone(), self.busy.clone());
        tokio::task::spawn_blocking(move || {
            // A failure here is met again by the final sync, which reports it.
            let _ = file.sync_data();
            busy.store(false, Ordering::Release);
        });
    }
}

/// Bytes of a range gathered before they go to the file in one trip to the
/// blocking pool: few trips, little memory per range.
const WRITE_BUFFER: usize = 1024 * 1024;

#[cfg(unix)]
fn write_at(file: &std::fs::File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_at(file: &std::fs::File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, offset)?;
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

/// Chunks as they arrived, waiting to be written at `at`, not copied again.
struct Pending {
    chunks: Vec<bytes::Bytes>,
    len: usize,
    at: u64,
}

impl Pending {
    fn new(at: u64) -> Self {
        Self { chunks: Vec::new(), len: 0, at }
    }

    fn push(&mut self, chunk: bytes::Bytes) {
        self.len += chunk.len();
        self.chunks.push(chunk);
    }

    /// Writes what is gathered, each chunk at its own offset.
    async fn flush(&mut self, file: &Arc<std::fs::File>) -> std::io::Result<()> {
        if self.chunks.is_empty() {
            return Ok(());
        }
        let chunks = std::mem::take(&mut self.chunks);
        let (file, mut offset) = (file.clone(), self.at);
        self.at += self.len as u64;
        self.len = 0;
        tokio::task::spawn_blocking(move || {
            for chunk in chunks {
                write_at(&file, &chunk, offset)?;
                offset += chunk.len() as u64;
            }
            Ok(())
        })
        .await
        .map_err(std::io::Error::other)?
    }
}

struct Ranges<'a> {
    client: &'a S3Client,
    bucket: &'a str,
    key: &'a str,
    version: Option<&'a str>,
    temp: &'a Path,
    file: &'a Arc<std::fs::File>,
    /// The whole object in one request (no Range header: a 0-byte object has no range).
    whole: bool,
    budget: &'a Budget,
}

fn is_checksum_mismatch(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(err);
    while let Some(err) = cause {
        if err.downcast_ref::<aws_smithy_checksums::body::validate::Error>().is_some() {
            return true;
        }
        cause = err.source();
    }
    false
}

/// A body that brings no byte for this long has a stalled connection under
/// it: given up and resumed over a new one.
const STALL: std::time::Duration = std::time::Duration::from_secs(30);

/// A connection that breaks mid-body is picked up where it stopped, this
/// many times per range, before the download fails.
const RESUMES_PER_RANGE: u32 = 4;

impl Ranges<'_> {
    async fn fetch(
        &self,
        (offset, len): (u64, u64),
        cancel: &CancellationToken,
        written: &AtomicU64,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(), StorageError> {
        let _permit = tokio::select! {
            permit = self.budget.request() => permit,
            () = cancel.cancelled() => return Err(StorageError::Cancelled),
        };
        let mut got = 0u64;
        let mut resumes = 0;
        loop {
            match self.fetch_from(offset + got, len - got, cancel, written, progress).await {
                Ok(read) if read == len - got => break,
                Ok(read) => {
                    return Err(StorageError::Other(format!(
                        "expected {} bytes at {}, the storage sent {read}",
                        len - got,
                        offset + got
                    )));
                }
                // The whole object came, but not as the storage's checksum
                // says: nothing of it is kept, it is fetched once more.
                Err((read, StorageError::BadChecksum(detail))) if resumes < RESUMES_PER_RANGE => {
                    tracing::warn!(key = self.key, "download does not match its checksum, fetching again: {detail}");
                    written.fetch_sub(got + read, Ordering::Relaxed);
                    got = 0;
                    resumes += 1;
                }
                Err((read, StorageError::Unreachable(detail))) if resumes < RESUMES_PER_RANGE => {
                    tracing::info!(key = self.key, at = offset + got + read, "download cut, resuming: {detail}");
                    got += read;
                    resumes += 1;
                }
                Err((_, err)) => return Err(err),
            }
        }
        Ok(())
    }

    /// Writes what arrives for `[start, start + len)`; on failure, how much
    /// was written before it.
    async fn fetch_from(
        &self,
        start: u64,
        len: u64,
        cancel: &CancellationToken,
        written: &AtomicU64,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<u64, (u64, StorageError)> {
        let range = (!self.whole || start > 0).then(|| format!("bytes={start}-{}", start + len - 1));
        let out = self
            .client
            .bulk()
            .get_object()
            .bucket(self.bucket)
            .key(self.key)
            // A whole object comes with the checksum the storage keeps (where
            // it keeps one), and the SDK compares it as the bytes arrive.
            .set_checksum_mode(range.is_none().then_some(ChecksumMode::Enabled))
            .set_range(range)
            .set_if_match(self.version.map(str::to_owned))
            // The body is watched for standing still below, chunk by chunk,
            // more cheaply than the SDK's throughput accounting does it.
            .customize()
            .config_override(
                aws_sdk_s3::Config::builder().stalled_stream_protection(StalledStreamProtectionConfig::disabled()),
            )
            .send()
            .await
            .map_err(|e| (0, self.client.failure(e)))?;
        let mut body = out.body;
        let mut pending = Pending::new(start);
        let mut got = 0u64;
        let ended = loop {
            let next = match tokio::time::timeout(STALL, body.try_next()).await {
                Ok(next) => next,
                Err(_) => break Err(StorageError::Unreachable(format!("no byte came for {} s", STALL.as_secs()))),
            };
            let chunk = match next {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break Ok(()),
                Err(e) if is_checksum_mismatch(&e) => break Err(StorageError::BadChecksum(e.to_string())),
                Err(e) => break Err(StorageError::Unreachable(e.to_string())),
            };
            if cancel.is_cancelled() {
                break Err(StorageError::Cancelled);
            }
            self.budget.download.take(chunk.len() as u64).await;
            let arrived = chunk.len() as u64;
            pending.push(chunk);
            got += arrived;
            progress(written.fetch_add(arrived, Ordering::Relaxed) + arrived);
            if pending.len >= WRITE_BUFFER {
                pending.flush(self.file).await.map_err(|e| (0, local(self.temp)(e)))?;
            }
        };
        // What arrived before a failure is written too, so a resume starts after it.
        pending.flush(self.file).await.map_err(|e| (0, local(self.temp)(e)))?;
        ended.map(|()| got).map_err(|err| (got, err))
    }
}
