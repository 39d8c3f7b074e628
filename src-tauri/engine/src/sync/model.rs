//! What the sync screen shows and what it asks for.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::UiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncMode {
    Backup,
    Mirror,
    TwoWay,
}

impl SyncMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Backup => "backup",
            Self::Mirror => "mirror",
            Self::TwoWay => "two_way",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Backup, Self::Mirror, Self::TwoWay].into_iter().find(|mode| mode.as_str() == text)
    }

    pub(super) fn planned(self) -> super::plan::Mode {
        match self {
            Self::Backup => super::plan::Mode::Backup,
            Self::Mirror => super::plan::Mode::Mirror,
            Self::TwoWay => super::plan::Mode::TwoWay,
        }
    }
}

/// A folder kept in step with a prefix, as the person set it up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncPair {
    #[ts(type = "number")]
    pub id: i64,
    pub local_dir: String,
    pub bucket: String,
    pub prefix: String,
    pub mode: SyncMode,
    /// The person's ignore rules, one gitignore pattern a line.
    pub ignore: String,
    pub paused: bool,
    /// Share of the synced files one pass may delete before it asks.
    pub max_delete_share: f64,
    #[ts(type = "number")]
    pub max_delete_count: u64,
    /// Days objects stay in the sync trash.
    pub trash_days: u32,
    #[ts(type = "number | null")]
    pub last_synced_ms: Option<i64>,
}

/// What the person fills in to add a pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewSyncPair {
    pub local_dir: String,
    pub bucket: String,
    pub prefix: String,
    pub mode: SyncMode,
}

/// What the person may change on a pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncPairEdit {
    pub mode: SyncMode,
    pub ignore: String,
    pub max_delete_share: f64,
    #[ts(type = "number")]
    pub max_delete_count: u64,
    pub trash_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PairActivity {
    /// Before the first pass.
    Starting,
    /// Up to date, waiting for changes.
    Watching,
    /// A pass is moving files.
    Syncing,
    Paused,
    /// Deletions are held until the person agrees (see `held`).
    Waiting,
    /// The storage does not answer; the pair tries again by itself.
    Offline,
    /// The pair cannot run (see `error`).
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HeldSide {
    /// Files in the folder would go to the OS trash.
    Local,
    /// Objects would go to the sync trash.
    Remote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HeldWhy {
    TooMany,
    OtherSideEmpty,
}

/// Deletions a pass held back, waiting for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeldDeletions {
    pub side: HeldSide,
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub of: u64,
    pub why: HeldWhy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The file or folder could not be read (permissions): skipped.
    Unreadable,
    /// A symbolic link: not followed.
    Link,
    /// Two names that differ only by Unicode normalisation: not merged.
    SameNameTwice,
    /// Two names that differ only by case: both kept, but a computer that
    /// ignores case would see one.
    CaseOnly,
    /// An object whose key cannot be a file here.
    NotLocal,
    /// A name the storage cannot take as a key.
    NotAKey,
    /// Both sides changed: the storage's version was kept beside it.
    Conflict,
    /// A transfer of this path failed this pass; it is tried again.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncProblem {
    pub path: String,
    pub kind: ProblemKind,
    pub error: Option<UiError>,
}

/// How a pair is doing right now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PairStatus {
    pub activity: PairActivity,
    /// Files this pass still has to move.
    #[ts(type = "number")]
    pub pending: u64,
    pub held: Vec<HeldDeletions>,
    /// Uploads held back because they would go over a quota.
    pub over_quota: Option<crate::account::usage::QuotaShortfall>,
    pub error: Option<UiError>,
    /// The folder is polled, because the system refused to watch it.
    pub polling: bool,
    pub problems: Vec<SyncProblem>,
}

impl Default for PairStatus {
    fn default() -> Self {
        Self {
            activity: PairActivity::Starting,
            pending: 0,
            held: Vec::new(),
            over_quota: None,
            error: None,
            polling: false,
            problems: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncPairView {
    pub pair: SyncPair,
    pub status: PairStatus,
}

/// An object in the sync trash, to put back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrashedObject {
    /// Its key in the trash.
    pub trash_key: String,
    /// Where it was.
    pub original_key: String,
    /// The day it was moved: `2026-11-25`.
    pub day: String,
    #[ts(type = "number")]
    pub size: u64,
}
