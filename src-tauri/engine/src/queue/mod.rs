//! The transfer queue: every upload and download the person asks for, kept
//! in SQLite so it survives closing the app, a crash or a reboot, and run
//! under one budget of requests and bandwidth.

mod enqueue;
mod model;
mod plan;
mod runner;
mod store;
mod view;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

pub use enqueue::{DownloadPlan, UploadPlan};
pub use model::{
    BandwidthLimits, BatchState, ConflictAnswers, Direction, DownloadRequest, EnqueueOutcome, Existing, TransferBatch,
    TransferFailure, TransfersView, UploadRequest,
};
pub use plan::free_name;
pub use store::FileState;

use crate::objects::abort_multipart;
use crate::storage::S3Client;
use crate::time::{SharedClock, unix_millis};
use crate::transfer::{Budget, temp_path};
use store::QueueStore;

/// The storage the queue works for now, and the key its batches are kept under.
#[derive(Clone)]
struct Target {
    storage: String,
    client: S3Client,
}

#[derive(Clone)]
pub struct TransferQueue(Arc<Shared>);

struct Shared {
    db: Mutex<rusqlite::Connection>,
    clock: SharedClock,
    budget: Budget,
    target: Mutex<Option<Target>>,
    wake: Notify,
    changed: watch::Sender<u64>,
    live: Mutex<view::Live>,
    /// Stops a batch's running files when it is paused or cancelled.
    batch_tokens: Mutex<HashMap<i64, CancellationToken>>,
}

impl TransferQueue {
    /// The queue keeps its own connection to the app's database, so the
    /// runner never waits behind the UI's queries.
    pub fn open(db_path: &Path, clock: SharedClock) -> rusqlite::Result<Self> {
        let db = crate::db::open(db_path)?;
        Ok(Self(Arc::new(Shared {
            db: Mutex::new(db),
            clock,
            budget: Budget::default(),
            target: Mutex::default(),
            wake: Notify::new(),
            changed: watch::channel(0).0,
            live: Mutex::default(),
            batch_tokens: Mutex::default(),
        })))
    }

    fn db(&self) -> MutexGuard<'_, rusqlite::Connection> {
        self.0.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn now_ms(&self) -> i64 {
        unix_millis(self.0.clock.now())
    }

    fn touched(&self) {
        self.0.changed.send_modify(|version| *version = version.wrapping_add(1));
    }

    fn wake(&self) {
        self.0.wake.notify_one();
        self.touched();
    }

    pub fn budget(&self) -> &Budget {
        &self.0.budget
    }

    pub fn set_limits(&self, limits: BandwidthLimits) {
        self.0.budget.upload.set_rate(limits.upload);
        self.0.budget.download.set_rate(limits.download);
    }

    /// Batches of `storage` run with `client` from now on; their unfinished
    /// files continue where they stopped.
    pub fn set_target(&self, storage: String, client: S3Client) {
        *self.0.target.lock().unwrap() = Some(Target { storage, client });
        self.wake();
    }

    pub fn clear_target(&self) {
        *self.0.target.lock().unwrap() = None;
        self.wake();
    }

    fn target(&self) -> Option<Target> {
        self.0.target.lock().unwrap().clone()
    }

    /// Bumped whenever what `view` shows may have changed.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.0.changed.subscribe()
    }

    fn batch_token(&self, batch_id: i64) -> CancellationToken {
        self.0.batch_tokens.lock().unwrap().entry(batch_id).or_default().clone()
    }

    fn stop_batch_files(&self, batch_id: i64) {
        if let Some(token) = self.0.batch_tokens.lock().unwrap().remove(&batch_id) {
            token.cancel();
        }
    }

    /// Pausing keeps what was sent: a multipart upload's parts and a
    /// download's temp file stay for the resume.
    pub fn pause(&self, batch_id: i64) -> rusqlite::Result<()> {
        QueueStore(&self.db()).set_paused(batch_id, true)?;
        self.stop_batch_files(batch_id);
        self.wake();
        Ok(())
    }

    pub fn resume(&self, batch_id: i64) -> rusqlite::Result<()> {
        QueueStore(&self.db()).set_paused(batch_id, false)?;
        self.wake();
        Ok(())
    }

    pub fn retry(&self, batch_id: i64) -> rusqlite::Result<()> {
        QueueStore(&self.db()).retry_batch(batch_id)?;
        self.wake();
        Ok(())
    }

    /// Gives up a batch: its unfinished multipart uploads are aborted and
    /// its downloads' temp files removed; finished files stay.
    pub async fn cancel(&self, batch_id: i64) -> rusqlite::Result<()> {
        let (storage, left) = {
            let db = self.db();
            let store = QueueStore(&db);
            (store.batch_storage(batch_id)?, store.cancel_batch(batch_id, self.now_ms())?)
        };
        self.stop_batch_files(batch_id);
        // Another storage's uploads are aborted when that storage is next
        // connected, by the sweep for uploads no file continues.
        let target = self.target().filter(|t| Some(&t.storage) == storage.as_ref());
        for file in left {
            match (file.direction, &file.upload_id, &target) {
                (Direction::Upload, Some(upload_id), Some(target))
                    if abort_multipart(&target.client, &file.bucket, &file.key, upload_id).await =>
                {
                    QueueStore(&self.db()).forget_upload(upload_id)?;
                }
                (Direction::Download, _, _) => {
                    let _ = tokio::fs::remove_file(temp_path(&file.local_path)).await;
                }
                _ => {}
            }
        }
        self.wake();
        Ok(())
    }

    pub fn clear_finished(&self) -> rusqlite::Result<()> {
        if let Some(target) = self.target() {
            QueueStore(&self.db()).clear_finished(&target.storage)?;
        }
        self.touched();
        Ok(())
    }

    /// Aborts the multipart uploads this app started on the target storage
    /// that no queued file continues. Uploads of other programs (or other
    /// computers with the same keys) are never touched: only ids this
    /// database recorded are.
    pub async fn abort_orphans(&self) -> rusqlite::Result<usize> {
        let Some(target) = self.target() else { return Ok(0) };
        let orphans = QueueStore(&self.db()).orphan_uploads(&target.storage)?;
        let mut aborted = 0;
        for (upload_id, bucket, key) in orphans {
            if abort_multipart(&target.client, &bucket, &key, &upload_id).await {
                QueueStore(&self.db()).forget_upload(&upload_id)?;
                aborted += 1;
            }
        }
        Ok(aborted)
    }
}
