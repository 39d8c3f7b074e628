//! The queue's worker: starts queued files of the target storage, up to a
//! number of files at once, each under the shared request budget; writes
//! every finished part down so a restart continues where it stopped.

use std::sync::atomic::Ordering;
use std::time::Duration;

use rand::Rng;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::model::Direction;
use super::store::{FileJob, FileState, QueueStore};
use super::{Target, TransferQueue};
use crate::error::{ErrorCode, UiError};
use crate::objects::{StoredWrites, abort_multipart, list_parts};
use crate::storage::StorageError;
use crate::transfer::{
    DonePart, DownloadJournal, DownloadOptions, FILES_IN_FLIGHT, KnownObject, ResumePoint, Source, UploadJournal,
    UploadOptions, ranges_of, stamp, temp_path,
};

/// A file changing under the upload is tried again this many times.
const CHANGED_RETRIES: u32 = 3;
/// The longest wait between tries after a network failure: a file on a bad
/// connection keeps trying, never fails for it.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

fn backoff(attempts: u32) -> Duration {
    let base = Duration::from_secs(1 << attempts.min(6)).min(MAX_BACKOFF);
    base.mul_f64(rand::rng().random_range(0.5..=1.0))
}

enum Outcome {
    Done,
    /// Left queued: paused, or waiting to be tried again.
    Later,
}

impl TransferQueue {
    /// Runs until the process ends. Spawn it once.
    pub async fn run(self) {
        let mut tasks: JoinSet<()> = JoinSet::new();
        let mut cleaned: Vec<String> = Vec::new();
        loop {
            let mut wake_at = None;
            if let Some(target) = self.target() {
                if !cleaned.contains(&target.storage) {
                    cleaned.push(target.storage.clone());
                    match self.abort_orphans().await {
                        Ok(0) => {}
                        Ok(count) => tracing::info!(count, "aborted unfinished uploads no transfer continues"),
                        Err(err) => tracing::warn!("could not look for unfinished uploads: {err}"),
                    }
                }
                match self.start_files(&target, &mut tasks) {
                    Ok(next) => wake_at = next,
                    Err(err) => tracing::error!("the transfer queue could not read its database: {err}"),
                }
            }
            let sleep = wake_at.map_or(Duration::from_secs(3600), |at: i64| {
                Duration::from_millis(at.saturating_sub(self.now_ms()).max(0) as u64 + 10)
            });
            tokio::select! {
                Some(_) = tasks.join_next() => {}
                () = self.0.wake.notified() => {}
                () = tokio::time::sleep(sleep) => {}
            }
        }
    }

    /// Starts queued files while there is room; when the next waiting file
    /// may be tried.
    fn start_files(&self, target: &Target, tasks: &mut JoinSet<()>) -> rusqlite::Result<Option<i64>> {
        let running = self.0.live.lock().unwrap().running_ids();
        let room = FILES_IN_FLIGHT.saturating_sub(running.len());
        let db = self.db();
        let store = QueueStore(&db);
        if room > 0 {
            for job in store.next_files(&target.storage, self.now_ms(), &running, room)? {
                let bytes = self.0.live.lock().unwrap().start(job.id, job.batch_id);
                let queue = self.clone();
                let target = target.clone();
                let cancel = self.batch_token(job.batch_id).child_token();
                tasks.spawn(async move {
                    let progress = |done: u64| {
                        bytes.store(done, Ordering::Relaxed);
                        queue.touched();
                    };
                    queue.run_file(&job, &target, &cancel, &progress).await;
                    queue.0.live.lock().unwrap().end(job.id);
                    queue.wake();
                });
            }
        }
        let now = self.now_ms();
        Ok(store.next_wake_ms(&target.storage)?.filter(|at| *at > now))
    }

    async fn run_file(
        &self,
        job: &FileJob,
        target: &Target,
        cancel: &CancellationToken,
        progress: &(dyn Fn(u64) + Sync),
    ) {
        let result = match job.direction {
            Direction::Upload => self.upload(job, target, cancel, progress).await,
            Direction::Download => self.download(job, target, cancel, progress).await,
        };
        if let Err(err) = self.settle(job, target, result).await {
            tracing::error!(file = job.id, "the transfer queue could not record a result: {err}");
        }
    }

    /// Writes down how a file's run ended.
    async fn settle(
        &self,
        job: &FileJob,
        target: &Target,
        result: Result<Outcome, StorageError>,
    ) -> rusqlite::Result<()> {
        let now = self.now_ms();
        let err = match result {
            Ok(Outcome::Done) => {
                QueueStore(&self.db()).finish_file(job.id, FileState::Done, None)?;
                QueueStore(&self.db()).finish_batch_if_done(job.batch_id, now)?;
                return Ok(());
            }
            Ok(Outcome::Later) => return Ok(()),
            Err(err) => err,
        };
        match err {
            // Paused: the file stays queued with what it stored; cancelled: it goes.
            StorageError::Cancelled => {
                if QueueStore(&self.db()).is_cancelled(job.batch_id)? {
                    self.discard(job, target).await?;
                }
            }
            StorageError::FileChanged(_) if job.attempts < CHANGED_RETRIES => {
                self.discard(job, target).await?;
                let why = UiError::from(err);
                QueueStore(&self.db()).retry_later(job.id, now + backoff(job.attempts).as_millis() as i64, &why)?;
            }
            err if err.is_transient() => {
                let why = UiError::from(err);
                tracing::info!(file = job.id, attempts = job.attempts, "transfer will be tried again: {why:?}");
                QueueStore(&self.db()).retry_later(job.id, now + backoff(job.attempts).as_millis() as i64, &why)?;
            }
            err => {
                let quota = matches!(err, StorageError::Quota(_));
                let why = match err {
                    StorageError::TooLarge { size, limit } => {
                        UiError::new(ErrorCode::FileTooLarge).with_detail(format!("{size} bytes; at most {limit}"))
                    }
                    err => UiError::from(err),
                };
                self.discard(job, target).await?;
                let db = self.db();
                let store = QueueStore(&db);
                store.finish_file(job.id, FileState::Failed, Some(&why))?;
                if quota {
                    store.set_stopped(job.batch_id, Some(&why))?;
                }
                store.finish_batch_if_done(job.batch_id, now)?;
            }
        }
        Ok(())
    }

    /// Throws away what a file's run left: its multipart upload or temp file.
    async fn discard(&self, job: &FileJob, target: &Target) -> rusqlite::Result<()> {
        let upload_id = QueueStore(&self.db()).upload_of(job.id)?;
        match job.direction {
            Direction::Upload => {
                if let Some(upload_id) = upload_id
                    && abort_multipart(&target.client, &job.bucket, &job.key, &upload_id).await
                {
                    QueueStore(&self.db()).forget_upload(&upload_id)?;
                }
            }
            Direction::Download => {
                let _ = tokio::fs::remove_file(temp_path(&job.local_path)).await;
            }
        }
        QueueStore(&self.db()).reset_file(job.id)
    }

    async fn upload(
        &self,
        job: &FileJob,
        target: &Target,
        cancel: &CancellationToken,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Outcome, StorageError> {
        let writes: StoredWrites = job
            .writes
            .as_deref()
            .and_then(|w| serde_json::from_str(w).ok())
            .ok_or_else(|| StorageError::Other("the batch has no write rules".into()))?;
        let writes = writes.writes();
        let (size, modified) = stamp(&job.local_path).await?;
        let mtime_ms = modified.map(crate::time::unix_millis);
        let resume = if (size, mtime_ms) == (job.size, job.mtime_ms) {
            self.resume_point(job, target).await?
        } else {
            // Changed since it was queued or since the last run: whatever
            // was sent of it is of another version.
            self.discard(job, target).await.map_err(recorded)?;
            QueueStore(&self.db()).set_stamp(job.id, size, mtime_ms).map_err(recorded)?;
            None
        };
        let journal = QueueJournal { queue: self, job, storage: &target.storage };
        let options = UploadOptions { budget: self.0.budget.clone(), ..UploadOptions::default() };
        let upload = crate::transfer::Target {
            client: &target.client,
            bucket: &job.bucket,
            key: &job.key,
            path: &job.local_path,
            writes: &writes,
        };
        match upload.upload(&options, resume, &journal, cancel, progress).await {
            Ok(_) => Ok(Outcome::Done),
            Err(err) => Err(err),
        }
    }

    /// Where an interrupted multipart upload stands: the parts both this
    /// database and the storage know. None starts the file afresh (after
    /// aborting the old upload when the file changed meanwhile).
    async fn resume_point(&self, job: &FileJob, target: &Target) -> Result<Option<ResumePoint>, StorageError> {
        let (Some(upload_id), Some(part_size)) = (job.upload_id.clone(), job.part_size) else {
            return Ok(None);
        };
        let Some(held) = list_parts(&target.client, &job.bucket, &job.key, &upload_id).await? else {
            self.discard(job, target).await.map_err(recorded)?;
            return Ok(None);
        };
        let journal = QueueStore(&self.db()).parts(job.id).map_err(recorded)?;
        let parts = journal
            .into_iter()
            .filter_map(|part| {
                let (number, etag, checksum) = (part.number, part.etag?, part.checksum?);
                held.iter().any(|h| i64::from(h.number) == number && h.etag == etag).then_some(DonePart {
                    number: number as i32,
                    etag,
                    checksum,
                })
            })
            .collect::<Vec<_>>();
        tracing::info!(upload_id, parts = parts.len(), key = job.key, "continuing an upload");
        Ok(Some(ResumePoint { upload_id, part_size, parts }))
    }

    async fn download(
        &self,
        job: &FileJob,
        target: &Target,
        cancel: &CancellationToken,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Outcome, StorageError> {
        let known = KnownObject { size: job.size, etag: job.etag.clone() };
        let ranges = ranges_of(job.size, DownloadOptions::default().threshold);
        if job.part_size.is_none() && ranges.len() > 1 {
            // Lets the panel count the ranges written while the file waits.
            QueueStore(&self.db()).set_part_size(job.id, ranges[0].1).map_err(recorded)?;
        }
        let done: Vec<u64> = QueueStore(&self.db())
            .parts(job.id)
            .map_err(recorded)?
            .into_iter()
            .map(|part| part.number as u64)
            .collect();
        let journal = QueueJournal { queue: self, job, storage: &target.storage };
        let options = DownloadOptions { budget: self.0.budget.clone(), ..DownloadOptions::default() };
        let source = Source { client: &target.client, bucket: &job.bucket, key: &job.key, known: &known };
        match source.download(&job.local_path, &options, &done, &journal, cancel, progress).await {
            Ok(_) => Ok(Outcome::Done),
            // The object changed since it was listed: fetched afresh, never spliced.
            Err(StorageError::Service { status: 412, .. }) => {
                self.discard(job, target).await.map_err(recorded)?;
                let head = target
                    .client
                    .sdk()
                    .head_object()
                    .bucket(&job.bucket)
                    .key(&job.key)
                    .send()
                    .await
                    .map_err(|e| target.client.failure(e))?;
                let size = head.content_length().unwrap_or(0).max(0) as u64;
                QueueStore(&self.db()).set_etag(job.id, head.e_tag(), size).map_err(recorded)?;
                self.wake();
                Ok(Outcome::Later)
            }
            Err(err) => Err(err),
        }
    }
}

/// Writes a file's progress into the queue's database as it happens.
struct QueueJournal<'a> {
    queue: &'a TransferQueue,
    job: &'a FileJob,
    storage: &'a str,
}

fn recorded(err: rusqlite::Error) -> StorageError {
    StorageError::Other(format!("the transfer queue's database: {err}"))
}

impl UploadJournal for QueueJournal<'_> {
    fn started(&self, upload_id: &str, part_size: u64) -> Result<(), StorageError> {
        QueueStore(&self.queue.db())
            .upload_started(self.job, self.storage, upload_id, part_size, self.queue.now_ms())
            .map_err(recorded)
    }

    fn part_done(&self, part: &DonePart) -> Result<(), StorageError> {
        QueueStore(&self.queue.db())
            .part_done(self.job.id, i64::from(part.number), Some(&part.etag), Some(&part.checksum))
            .map_err(recorded)
    }

    fn continues_later(&self) -> bool {
        true
    }
}

impl DownloadJournal for QueueJournal<'_> {
    fn range_done(&self, index: u64) -> Result<(), StorageError> {
        QueueStore(&self.queue.db()).part_done(self.job.id, index as i64, None, None).map_err(recorded)
    }

    fn continues_later(&self) -> bool {
        true
    }
}
