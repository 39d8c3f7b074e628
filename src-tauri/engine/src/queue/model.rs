//! What the transfers panel shows and what it asks the queue to do.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::UiError;
use crate::time::LocalTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Upload,
    Download,
}

/// A batch's state, derived from its files and from what the person did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BatchState {
    /// Waiting for its turn, or for the storage it belongs to.
    Queued,
    Running,
    Paused,
    Done,
    /// Finished with some files failed; `failures` says why.
    Failed,
    Cancelled,
}

impl BatchState {
    pub fn is_finished(self) -> bool {
        matches!(self, Self::Done | Self::Failed | Self::Cancelled)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransferFailure {
    /// The file's name relative to the batch, as the person chose it.
    pub name: String,
    pub error: UiError,
}

/// One thing the person asked for: a file, a folder, or a selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransferBatch {
    #[ts(type = "number")]
    pub id: i64,
    pub direction: Direction,
    /// The one file or folder's name, or the first of several.
    pub title: String,
    /// How many items the person picked (the title names the first).
    pub items: u32,
    pub bucket: String,
    /// Where uploads go, or the folder downloads come from.
    pub prefix: String,
    /// The folder downloads go to; for uploads, the folder they come from.
    pub local_dir: String,
    pub state: BatchState,
    pub files_total: u32,
    pub files_done: u32,
    pub files_failed: u32,
    /// Left where they were, as the person chose for existing names.
    pub files_skipped: u32,
    #[ts(type = "number")]
    pub bytes_total: u64,
    #[ts(type = "number")]
    pub bytes_done: u64,
    /// Over the last few seconds; 0 while not running.
    #[ts(type = "number")]
    pub bytes_per_second: u64,
    #[ts(type = "number | null")]
    pub seconds_left: Option<u64>,
    /// The first few failed files with their reasons.
    pub failures: Vec<TransferFailure>,
    /// Why the whole batch stopped, when it did (a full quota, a lost connection).
    pub stopped_by: Option<UiError>,
    pub created: LocalTime,
    pub finished: Option<LocalTime>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransfersView {
    /// Newest first.
    pub batches: Vec<TransferBatch>,
    /// Over batches not yet finished, for the window title.
    #[ts(type = "number")]
    pub active_bytes_total: u64,
    #[ts(type = "number")]
    pub active_bytes_done: u64,
    pub active_batches: u32,
}

/// What to do with a file whose name is already taken at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Existing {
    Replace,
    Skip,
    /// Under a free name: `report (1).pdf`.
    KeepBoth,
}

/// The person's answers for taken names: one for all, or one per name
/// (names as `Conflicts` gave them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConflictAnswers {
    pub all: Option<Existing>,
    pub each: BTreeMap<String, Existing>,
    /// The person chose to send though the batch goes over the quota.
    #[serde(default)]
    pub over_quota: bool,
}

impl ConflictAnswers {
    pub fn for_name(&self, name: &str) -> Option<Existing> {
        self.each.get(name).copied().or(self.all)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UploadRequest {
    /// Files and folders on this computer; folders go with everything in them.
    pub paths: Vec<String>,
    pub bucket: String,
    pub prefix: String,
    pub answers: ConflictAnswers,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DownloadRequest {
    pub bucket: String,
    /// Objects, and folders as keys ending in `/`.
    pub keys: Vec<String>,
    /// The folder on this computer they are written into.
    pub dir: String,
    pub answers: ConflictAnswers,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum EnqueueOutcome {
    #[serde(rename_all = "camelCase")]
    Queued {
        #[ts(type = "number")]
        batch_id: i64,
    },
    /// Nothing was queued: these names are taken and have no answer yet.
    #[serde(rename_all = "camelCase")]
    Conflicts { names: Vec<String>, count: u32 },
    /// Nothing was queued: by the last measurement the batch would go over
    /// a quota, and the person has not said to send it anyway.
    #[serde(rename_all = "camelCase")]
    OverQuota { shortfall: crate::account::usage::QuotaShortfall },
}

/// Bytes per second; `None` is no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BandwidthLimits {
    #[ts(type = "number | null")]
    pub upload: Option<u64>,
    #[ts(type = "number | null")]
    pub download: Option<u64>,
}
