//! The engine's transfer queue actions: upload and download batches, their
//! control, the panel's view, and the speed limits.

use std::future::Future;
use std::path::PathBuf;

use tokio::sync::watch;

use super::{Engine, queue_key, validate_location};
use crate::error::UiError;
use crate::objects::check_key;
use crate::queue::{
    BandwidthLimits, BatchState, DownloadPlan, DownloadRequest, EnqueueOutcome, TransfersView, UploadPlan,
    UploadRequest,
};
use crate::settings;
use crate::storage::StorageError;

/// A path the UI passes must be a whole path on this computer, never one
/// read relative to wherever the app happens to run.
fn absolute(field: &str, path: &str) -> Result<PathBuf, UiError> {
    let path = PathBuf::from(path);
    if path.is_absolute() {
        Ok(path)
    } else {
        Err(UiError::invalid(field, format!("{} is not a full path", path.display())))
    }
}

impl Engine {
    /// The queue's worker; the shell spawns it once. Batches left from an
    /// earlier run continue as soon as their storage is connected.
    pub fn transfer_runner(&self) -> impl Future<Output = ()> + Send + 'static {
        self.queue.clone().run()
    }

    /// Changes whenever the transfers view may have changed.
    pub fn transfer_updates(&self) -> watch::Receiver<u64> {
        self.queue.subscribe()
    }

    pub(super) fn active_queue_key(&self) -> Result<String, UiError> {
        self.active
            .lock()
            .unwrap()
            .as_ref()
            .map(|a| queue_key(&a.connection))
            .ok_or(UiError::new(crate::error::ErrorCode::NotConnected))
    }

    pub async fn enqueue_upload(&self, request: UploadRequest) -> Result<EnqueueOutcome, UiError> {
        validate_location(&request.bucket, &request.prefix)?;
        if request.paths.is_empty() {
            return Err(UiError::invalid("paths", "nothing to send"));
        }
        let paths = request.paths.iter().map(|p| absolute("paths", p)).collect::<Result<Vec<_>, _>>()?;
        let (client, profile) = self.storage()?;
        let storage = self.active_queue_key()?;
        let writes = self.writes_for(&client, &profile, &request.bucket).await?;
        let plan = UploadPlan {
            storage,
            writes,
            bucket: request.bucket,
            prefix: request.prefix,
            paths,
            answers: request.answers,
            usage: self.last_usage()?,
        };
        self.queue.enqueue_upload(&client, plan).await
    }

    pub async fn enqueue_download(&self, request: DownloadRequest) -> Result<EnqueueOutcome, UiError> {
        validate_location(&request.bucket, "")?;
        if request.keys.is_empty() {
            return Err(UiError::invalid("keys", "nothing selected"));
        }
        for key in &request.keys {
            check_key(key).map_err(|p| UiError::from(StorageError::InvalidName(p)))?;
        }
        let dir = absolute("dir", &request.dir)?;
        let (client, _) = self.storage()?;
        let storage = self.active_queue_key()?;
        let plan = DownloadPlan { storage, bucket: request.bucket, keys: request.keys, dir, answers: request.answers };
        self.queue.enqueue_download(&client, plan).await
    }

    pub fn transfers_view(&self) -> Result<TransfersView, UiError> {
        Ok(self.queue.view()?)
    }

    pub fn pause_transfer(&self, batch_id: i64) -> Result<(), UiError> {
        Ok(self.queue.pause(batch_id)?)
    }

    pub fn resume_transfer(&self, batch_id: i64) -> Result<(), UiError> {
        Ok(self.queue.resume(batch_id)?)
    }

    /// Pauses every batch of the connected storage that waits or runs (the
    /// tray's "Pause all"); batches of other storages do not run anyway.
    pub fn pause_all_transfers(&self) -> Result<(), UiError> {
        for batch in self.queue.view()?.batches {
            if matches!(batch.state, BatchState::Queued | BatchState::Running) {
                self.queue.pause(batch.id)?;
            }
        }
        Ok(())
    }

    /// Resumes every paused batch of the connected storage.
    pub fn resume_all_transfers(&self) -> Result<(), UiError> {
        for batch in self.queue.view()?.batches {
            if batch.state == BatchState::Paused {
                self.queue.resume(batch.id)?;
            }
        }
        Ok(())
    }

    pub fn retry_transfer(&self, batch_id: i64) -> Result<(), UiError> {
        Ok(self.queue.retry(batch_id)?)
    }

    pub async fn cancel_transfer(&self, batch_id: i64) -> Result<(), UiError> {
        Ok(self.queue.cancel(batch_id).await?)
    }

    pub fn clear_finished_transfers(&self) -> Result<(), UiError> {
        Ok(self.queue.clear_finished()?)
    }

    pub fn bandwidth_limits(&self) -> Result<BandwidthLimits, UiError> {
        Ok(settings::bandwidth_limits(&self.db())?)
    }

    pub fn set_bandwidth_limits(&self, limits: BandwidthLimits) -> Result<(), UiError> {
        let positive = |limit: Option<u64>| limit.filter(|l| *l > 0);
        let limits = BandwidthLimits { upload: positive(limits.upload), download: positive(limits.download) };
        settings::set_bandwidth_limits(&self.db(), limits)?;
        self.queue.set_limits(limits);
        Ok(())
    }
}
