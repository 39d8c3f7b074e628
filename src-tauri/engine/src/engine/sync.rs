//! The engine's sync actions: pairs added, changed, paused and removed,
//! their view, and the sync trash.

use tokio::sync::watch;

use super::{Engine, validate_location};
use crate::error::UiError;
use crate::objects::StoredWrites;
use crate::sync::model::{NewSyncPair, SyncPairEdit, SyncPairView, TrashedObject};
use crate::sync::pass::PassOutcome;
use crate::sync::service::folder_prefix;

impl Engine {
    /// Starts the connected storage's pairs in the background, now and after
    /// every later connection; the app calls it once, the CLI never.
    pub fn run_sync_in_background(&self) -> Result<(), UiError> {
        self.sync.run_in_background()
    }

    /// Changes whenever the sync view may have changed.
    pub fn sync_updates(&self) -> watch::Receiver<u64> {
        self.sync.subscribe()
    }

    pub fn sync_pairs(&self) -> Result<Vec<SyncPairView>, UiError> {
        self.sync.view()
    }

    pub async fn sync_add(&self, new: NewSyncPair) -> Result<i64, UiError> {
        validate_location(&new.bucket, &folder_prefix(&new.prefix))?;
        let (client, profile) = self.storage()?;
        let writes = self.writes_for(&client, &profile, &new.bucket).await?;
        self.sync.add(&new, &StoredWrites::of(&writes))
    }

    pub fn sync_edit(&self, id: i64, edit: &SyncPairEdit) -> Result<(), UiError> {
        self.sync.edit(id, edit)
    }

    pub fn sync_set_paused(&self, id: i64, paused: bool) -> Result<(), UiError> {
        self.sync.set_paused(id, paused)
    }

    pub fn sync_set_all_paused(&self, paused: bool) -> Result<(), UiError> {
        self.sync.set_all_paused(paused)
    }

    pub fn sync_now(&self, id: i64) {
        self.sync.sync_now(id);
    }

    pub fn sync_approve_deletions(&self, id: i64) {
        self.sync.approve_deletions(id);
    }

    pub fn sync_approve_over_quota(&self, id: i64) {
        self.sync.approve_over_quota(id);
    }

    /// Forgets the pair; nothing is deleted on either side.
    pub fn sync_remove(&self, id: i64) -> Result<(), UiError> {
        self.sync.remove(id)
    }

    pub async fn sync_trash(&self, id: i64) -> Result<Vec<TrashedObject>, UiError> {
        self.sync.trashed(id).await
    }

    pub async fn sync_restore(&self, id: i64, trash_key: &str) -> Result<(), UiError> {
        self.sync.restore(id, trash_key).await
    }

    /// Empties the days of pair `id`'s sync trash older than it keeps; the
    /// objects removed. The background does it daily; the CLI after a run.
    pub async fn sync_expire_trash(&self, id: i64) -> Result<u64, UiError> {
        self.sync.expire_trash(id).await
    }

    /// One pass of pair `id`, here and now (the CLI, tests).
    pub async fn sync_pass(&self, id: i64, deletions_approved: bool) -> Result<PassOutcome, UiError> {
        self.sync.pass(id, deletions_approved).await
    }

    /// Runs pair `id` in the caller's task until the storage changes (`sync --watch`).
    pub async fn sync_watch(&self, id: i64) {
        self.sync.watch(id).await;
    }
}
