//! The sync pairs of the connected storage, each run by a task of its own:
//! a pass at start, after changes in the folder, after "sync now", and
//! periodically as the backstop for anything a watcher missed.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use jiff::tz::TimeZone;
use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, RecommendedCache, new_debouncer, new_debouncer_opt};
use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

use super::model::{
    HeldDeletions, HeldSide, HeldWhy, NewSyncPair, PairActivity, PairStatus, SyncPairEdit, SyncPairView, TrashedObject,
};
use super::pass::{Pass, PassOutcome};
use super::plan::{Held, HoldReason, Side};
use super::rules::IgnoreRules;
use super::store::{StoredPair, SyncStore};
use super::trash;
use crate::error::{ErrorCode, UiError};
use crate::objects::StoredWrites;
use crate::storage::{S3Client, StorageError};
use crate::time::{SharedClock, timestamp, unix_millis};
use crate::transfer::Budget;

/// How often each part of the work comes round.
#[derive(Debug, Clone, Copy)]
pub struct SyncTimings {
    /// A file is synced once it has been quiet this long.
    pub stable: Duration,
    /// A full pass this often even when no change was seen.
    pub rescan: Duration,
    /// Two-way pairs look for changes in the storage this often.
    pub remote_poll: Duration,
    /// A watched folder's events are gathered this long into one pass.
    pub gather: Duration,
    /// The longest wait before trying again after a failure.
    pub max_backoff: Duration,
}

impl Default for SyncTimings {
    fn default() -> Self {
        Self {
            stable: Duration::from_secs(2),
            rescan: Duration::from_secs(10 * 60),
            remote_poll: Duration::from_secs(60),
            gather: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
        }
    }
}

#[derive(Clone)]
struct Target {
    storage: String,
    client: S3Client,
}

/// What the app knows of a running pair besides its row.
struct Running {
    status: PairStatus,
    /// A pass with a fresh listing of the storage: asked for by the person.
    wake: Arc<Notify>,
    approve: bool,
    approve_over_quota: bool,
    stop: CancellationToken,
    /// Stops the pass under way when the pair is paused.
    pass: CancellationToken,
}

#[derive(Clone)]
pub struct SyncService(Arc<Shared>);

struct Shared {
    db: Mutex<rusqlite::Connection>,
    clock: SharedClock,
    budget: Budget,
    timings: SyncTimings,
    target: Mutex<Option<Target>>,
    running: Mutex<HashMap<i64, Running>>,
    /// Pairs run by themselves only in the app: a CLI command that connects
    /// to list a bucket must not start syncing folders.
    background: AtomicBool,
    changed: watch::Sender<u64>,
}

fn db_error(err: rusqlite::Error) -> UiError {
    UiError::new(ErrorCode::Internal).with_detail(err.to_string())
}

/// `""` or a prefix ending in `/`: the form listings and keys are joined in.
pub fn folder_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim().trim_matches('/');
    if trimmed.is_empty() { String::new() } else { format!("{trimmed}/") }
}

impl SyncService {
    /// The service keeps its own connection to the app's database.
    pub fn open(db_path: &Path, clock: SharedClock, budget: Budget, timings: SyncTimings) -> rusqlite::Result<Self> {
        Ok(Self(Arc::new(Shared {
            db: Mutex::new(crate::db::open(db_path)?),
            clock,
            budget,
            timings,
            target: Mutex::default(),
            running: Mutex::default(),
            background: AtomicBool::new(false),
            changed: watch::channel(0).0,
        })))
    }

    fn db(&self) -> MutexGuard<'_, rusqlite::Connection> {
        self.0.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn touched(&self) {
        self.0.changed.send_modify(|version| *version = version.wrapping_add(1));
    }

    /// Bumped whenever what `view` shows may have changed.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.0.changed.subscribe()
    }

    fn target(&self) -> Option<Target> {
        self.0.target.lock().unwrap().clone()
    }

    /// From now on the connected storage's pairs run by themselves, in
    /// background tasks.
    pub fn run_in_background(&self) -> Result<(), UiError> {
        self.0.background.store(true, Ordering::SeqCst);
        self.start_all()
    }

    fn in_background(&self) -> bool {
        self.0.background.load(Ordering::SeqCst)
    }

    /// The pairs of `storage` run with `client` from now on.
    pub fn set_target(&self, storage: String, client: S3Client) -> Result<(), UiError> {
        self.stop_all();
        *self.0.target.lock().unwrap() = Some(Target { storage, client });
        self.start_all()
    }

    fn start_all(&self) -> Result<(), UiError> {
        if let Some(target) = self.target().filter(|_| self.in_background()) {
            let pairs = SyncStore(&self.db()).pairs(&target.storage).map_err(db_error)?;
            for pair in pairs {
                self.start(pair.pair.id);
            }
        }
        self.touched();
        Ok(())
    }

    pub fn clear_target(&self) {
        self.stop_all();
        *self.0.target.lock().unwrap() = None;
        self.touched();
    }

    fn stop_all(&self) {
        for (_, running) in self.0.running.lock().unwrap().drain() {
            running.stop.cancel();
        }
    }

    pub fn add(&self, new: &NewSyncPair, writes: &StoredWrites) -> Result<i64, UiError> {
        let target = self.target().ok_or_else(|| UiError::new(ErrorCode::NotConnected))?;
        let dir = Path::new(&new.local_dir);
        if !dir.is_absolute() || !dir.is_dir() {
            return Err(UiError::new(ErrorCode::SyncFolderMissing).with_detail(new.local_dir.clone()));
        }
        let new = NewSyncPair { prefix: folder_prefix(&new.prefix), ..new.clone() };
        let now = unix_millis(self.0.clock.now());
        let id = SyncStore(&self.db()).add(&target.storage, &new, writes, now).map_err(db_error)?;
        if self.in_background() {
            self.start(id);
        }
        self.touched();
        Ok(id)
    }

    pub fn edit(&self, id: i64, edit: &SyncPairEdit) -> Result<(), UiError> {
        IgnoreRules::new(&edit.ignore).map_err(|line| UiError {
            field: Some("ignore".into()),
            ..UiError::new(ErrorCode::SyncIgnoreRule).with_detail(line)
        })?;
        if !(edit.max_delete_share > 0.0 && edit.max_delete_share <= 1.0) || edit.trash_days == 0 {
            return Err(UiError::invalid("limits", "a share above 0 and at most 1, and at least one day"));
        }
        SyncStore(&self.db()).edit(id, edit).map_err(db_error)?;
        self.wake(id);
        Ok(())
    }

    /// Forgets the pair: nothing is deleted on either side.
    pub fn remove(&self, id: i64) -> Result<(), UiError> {
        if let Some(running) = self.0.running.lock().unwrap().remove(&id) {
            running.stop.cancel();
        }
        SyncStore(&self.db()).remove(id).map_err(db_error)?;
        self.touched();
        Ok(())
    }

    pub fn set_paused(&self, id: i64, paused: bool) -> Result<(), UiError> {
        SyncStore(&self.db()).set_paused(id, paused).map_err(db_error)?;
        if paused && let Some(running) = self.0.running.lock().unwrap().get(&id) {
            running.pass.cancel();
        }
        self.wake(id);
        Ok(())
    }

    /// Pauses or resumes every pair of the connected storage.
    pub fn set_all_paused(&self, paused: bool) -> Result<(), UiError> {
        let Some(target) = self.target() else { return Ok(()) };
        let pairs = SyncStore(&self.db()).pairs(&target.storage).map_err(db_error)?;
        for pair in pairs {
            self.set_paused(pair.pair.id, paused)?;
        }
        Ok(())
    }

    pub fn sync_now(&self, id: i64) {
        self.wake(id);
    }

    /// The person agreed to the deletions the last pass held back.
    pub fn approve_deletions(&self, id: i64) {
        if let Some(running) = self.0.running.lock().unwrap().get_mut(&id) {
            running.approve = true;
        }
        self.wake(id);
    }

    /// The person chose to sync the uploads the last pass held back for the quota.
    pub fn approve_over_quota(&self, id: i64) {
        if let Some(running) = self.0.running.lock().unwrap().get_mut(&id) {
            running.approve_over_quota = true;
        }
        self.wake(id);
    }

    fn wake(&self, id: i64) {
        if let Some(running) = self.0.running.lock().unwrap().get(&id) {
            running.wake.notify_one();
        }
        self.touched();
    }

    pub fn view(&self) -> Result<Vec<SyncPairView>, UiError> {
        let Some(target) = self.target() else { return Ok(Vec::new()) };
        let pairs = SyncStore(&self.db()).pairs(&target.storage).map_err(db_error)?;
        let running = self.0.running.lock().unwrap();
        Ok(pairs
            .into_iter()
            .map(|stored| {
                let mut status = running.get(&stored.pair.id).map(|r| r.status.clone()).unwrap_or_default();
                if stored.pair.paused {
                    status.activity = PairActivity::Paused;
                }
                SyncPairView { pair: stored.pair, status }
            })
            .collect())
    }

    pub async fn trashed(&self, id: i64) -> Result<Vec<TrashedObject>, UiError> {
        let (target, stored) = self.pair_of_target(id)?;
        Ok(trash::trashed(&target.client, &stored.pair.bucket, &stored.pair.prefix).await?)
    }

    pub async fn restore(&self, id: i64, trash_key: &str) -> Result<(), UiError> {
        let (target, stored) = self.pair_of_target(id)?;
        let prefix = &stored.pair.prefix;
        if !trash::parse_trash_key(trash_key).is_some_and(|(_, original)| original.starts_with(prefix.as_str())) {
            return Err(UiError::new(ErrorCode::InvalidInput).with_detail(trash_key.to_owned()));
        }
        trash::restore(&target.client, &stored.pair.bucket, trash_key, &stored.writes.writes()).await?;
        self.wake(id);
        Ok(())
    }

    fn pair_of_target(&self, id: i64) -> Result<(Target, StoredPair), UiError> {
        let target = self.target().ok_or_else(|| UiError::new(ErrorCode::NotConnected))?;
        match SyncStore(&self.db()).pair(id).map_err(db_error)? {
            Some(stored) if stored.storage == target.storage => Ok((target, stored)),
            _ => Err(UiError::new(ErrorCode::InvalidInput).with_detail(format!("no sync pair {id}"))),
        }
    }

    fn start(&self, id: i64) {
        let service = self.clone();
        tokio::spawn(async move { service.watch(id).await });
    }

    /// Runs pair `id` here until it is removed or the storage changes: the
    /// background task's body, and the CLI's `sync --watch`.
    pub async fn watch(&self, id: i64) {
        let Some(target) = self.target() else { return };
        let running = Running {
            status: PairStatus::default(),
            wake: Arc::new(Notify::new()),
            approve: false,
            approve_over_quota: false,
            stop: CancellationToken::new(),
            pass: CancellationToken::new(),
        };
        let (wake, stop) = (running.wake.clone(), running.stop.clone());
        if let Some(old) = self.0.running.lock().unwrap().insert(id, running) {
            old.stop.cancel();
        }
        tokio::select! {
            () = self.run_pair(id, target, wake) => {}
            () = stop.cancelled() => {}
        }
    }

    fn set_status(&self, id: i64, update: impl FnOnce(&mut PairStatus)) {
        if let Some(running) = self.0.running.lock().unwrap().get_mut(&id) {
            update(&mut running.status);
        }
        self.touched();
    }

    /// What the person agreed to since the last pass: (deletions, over the quota).
    fn take_approvals(&self, id: i64) -> (bool, bool) {
        let mut running = self.0.running.lock().unwrap();
        running
            .get_mut(&id)
            .map_or((false, false), |r| (std::mem::take(&mut r.approve), std::mem::take(&mut r.approve_over_quota)))
    }

    /// One pass of pair `id` now; for the CLI and tests, which run passes
    /// themselves instead of a background task.
    pub async fn pass(&self, id: i64, deletions_approved: bool) -> Result<PassOutcome, UiError> {
        let (target, stored) = self.pair_of_target(id)?;
        let cancel = CancellationToken::new();
        let approvals = (deletions_approved, false);
        Ok(self.run_pass(&target, &stored, approvals, false, &cancel, &|_| {}).await?)
    }

    /// Empties the pair's days in the sync trash that are older than it
    /// keeps, and asks the storage to do the same by a lifecycle rule where
    /// it can; the objects removed now.
    pub async fn expire_trash(&self, id: i64) -> Result<u64, UiError> {
        let (target, stored) = self.pair_of_target(id)?;
        Ok(self.tend_trash(&target, &stored).await?)
    }

    async fn tend_trash(&self, target: &Target, stored: &StoredPair) -> Result<u64, StorageError> {
        let pair = &stored.pair;
        // A backup moves nothing to the trash: nothing to tend, no request.
        if pair.mode == super::model::SyncMode::Backup {
            return Ok(0);
        }
        let kept = SyncStore(&self.db())
            .trash_days_kept(&target.storage, &pair.bucket)
            .map_err(|e| StorageError::Other(e.to_string()))?
            .map_or(pair.trash_days, |kept| kept.max(pair.trash_days));
        match trash::keep_in_lifecycle(&target.client, &pair.bucket, kept).await {
            Ok(true) => {}
            Ok(false) => tracing::info!(pair = pair.id, "no lifecycle rules here: the app empties the sync trash"),
            // Keys may lack the right to change lifecycle rules; the app's
            // own expiry below still empties the trash.
            Err(err) => tracing::warn!(pair = pair.id, "the sync trash rule was not set: {err}"),
        }
        let now = timestamp(self.0.clock.now());
        let today = now.to_zoned(TimeZone::system()).date();
        trash::expire(&target.client, &pair.bucket, today, kept).await
    }

    async fn run_pass(
        &self,
        target: &Target,
        stored: &StoredPair,
        (deletions_approved, over_quota_approved): (bool, bool),
        remote_from_index: bool,
        cancel: &CancellationToken,
        pending: &(dyn Fn(u64) + Sync),
    ) -> Result<PassOutcome, StorageError> {
        let zone = TimeZone::system();
        let pass = Pass {
            client: &target.client,
            pair: stored,
            db: &self.0.db,
            budget: &self.0.budget,
            now: self.0.clock.now(),
            zone: &zone,
            stable: self.0.timings.stable,
            deletions_approved,
            over_quota_approved,
            remote_from_index,
            cancel,
            pending,
        };
        let outcome = pass.run().await?;
        if outcome.problems.iter().all(|p| p.error.is_none()) && outcome.offline.is_none() {
            let now = unix_millis(self.0.clock.now());
            SyncStore(&self.db())
                .set_last_synced(stored.pair.id, now)
                .map_err(|e| StorageError::Other(e.to_string()))?;
        }
        Ok(outcome)
    }

    async fn run_pair(&self, id: i64, target: Target, wake: Arc<Notify>) {
        let timings = self.0.timings;
        let local_change = Arc::new(Notify::new());
        let mut watcher: Option<FolderWatch> = None;
        let mut failures = 0u32;
        // A change seen in the folder is planned against the index instead
        // of a new listing (no request at all for a pass that finds nothing
        // to send); the storage is listed at start, when the person asks,
        // after a pass that found a side changed under it or failed, and on
        // a timer whose deadline no amount of folder events can push back.
        let mut listing_due = true;
        let mut next_listing = std::time::Instant::now();
        let mut trash_tended: Option<(std::time::Instant, u32, super::model::SyncMode)> = None;
        loop {
            let stored = match SyncStore(&self.db()).pair(id) {
                Ok(Some(stored)) => stored,
                _ => return,
            };
            let out_of_watches = watcher.as_ref().is_some_and(FolderWatch::ran_out_of_watches);
            if out_of_watches {
                tracing::warn!(pair = id, "the system refused more watches: the folder is polled from now on");
            }
            if out_of_watches || watcher.as_ref().is_none_or(|w| w.dir != stored.pair.local_dir) {
                let dir = &stored.pair.local_dir;
                watcher = FolderWatch::start(dir, timings.gather, local_change.clone(), out_of_watches);
                let polling = watcher.as_ref().is_some_and(|w| w.polling);
                self.set_status(id, |s| s.polling = polling);
            }
            if stored.pair.paused {
                self.set_status(id, |s| s.activity = PairActivity::Paused);
                wake.notified().await;
                listing_due = true;
                continue;
            }
            self.set_status(id, |s| s.activity = PairActivity::Syncing);
            let approvals = self.take_approvals(id);
            let cancel = CancellationToken::new();
            if let Some(running) = self.0.running.lock().unwrap().get_mut(&id) {
                running.pass = cancel.clone();
            }
            let pending = |left: u64| self.set_status(id, |s| s.pending = left);
            let listing = listing_due || std::time::Instant::now() >= next_listing;
            let result = self.run_pass(&target, &stored, approvals, !listing, &cancel, &pending).await;
            let wait = match result {
                Ok(outcome) => {
                    tracing::info!(
                        pair = id,
                        listing,
                        done = outcome.done,
                        again_soon = outcome.again_soon,
                        "sync pass"
                    );
                    if listing && outcome.offline.is_none() {
                        let every = match stored.pair.mode {
                            super::model::SyncMode::TwoWay => timings.remote_poll,
                            _ => timings.rescan,
                        };
                        next_listing = std::time::Instant::now() + every;
                    }
                    listing_due = outcome.relist || outcome.offline.is_some();
                    let wait = if outcome.offline.is_some() {
                        failures += 1;
                        backoff(failures, timings.max_backoff)
                    } else if outcome.again_soon {
                        failures = 0;
                        // The next pass comes when the first file still being
                        // written has been quiet long enough, not a whole
                        // window later.
                        outcome.settled_in.map_or(timings.stable, |left| left + SETTLE_MARGIN)
                    } else {
                        failures = 0;
                        next_listing.saturating_duration_since(std::time::Instant::now())
                    };
                    self.set_status(id, |s| settle(s, outcome));
                    wait
                }
                Err(StorageError::Cancelled) => Duration::ZERO,
                Err(err) => {
                    tracing::warn!(pair = id, "sync pass failed: {err}");
                    listing_due = true;
                    failures += 1;
                    let offline = err.is_transient();
                    self.set_status(id, |s| {
                        s.activity = if offline { PairActivity::Offline } else { PairActivity::Error };
                        s.error = Some(err.into());
                        s.pending = 0;
                    });
                    backoff(failures, timings.max_backoff)
                }
            };
            let settings = (stored.pair.trash_days, stored.pair.mode);
            let trash_due = trash_tended
                .is_none_or(|(at, days, mode)| at.elapsed() > TRASH_EXPIRY_EVERY || (days, mode) != settings);
            if failures == 0 && trash_due {
                match self.tend_trash(&target, &stored).await {
                    Ok(_) => trash_tended = Some((std::time::Instant::now(), settings.0, settings.1)),
                    Err(err) => tracing::warn!(pair = id, "the sync trash was not emptied of old days: {err}"),
                }
            }
            tokio::select! {
                () = wake.notified() => listing_due = true,
                () = local_change.notified() => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }
}

/// Past the stability window, so the file counts as settled when looked at.
const SETTLE_MARGIN: Duration = Duration::from_millis(50);

/// Old days leave the sync trash this often while a pair runs.
const TRASH_EXPIRY_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

fn backoff(failures: u32, max: Duration) -> Duration {
    Duration::from_secs(1 << failures.min(6)).min(max)
}

/// The pair's status after a pass.
fn settle(status: &mut PairStatus, outcome: PassOutcome) {
    status.pending = 0;
    status.held = outcome.held.iter().map(held_view).collect();
    status.over_quota = outcome.over_quota;
    status.problems = outcome.problems;
    status.error = outcome.offline.clone().map(Into::into);
    status.activity = if outcome.offline.is_some() {
        PairActivity::Offline
    } else if !status.held.is_empty() || status.over_quota.is_some() {
        PairActivity::Waiting
    } else {
        PairActivity::Watching
    };
}

fn held_view(held: &Held) -> HeldDeletions {
    HeldDeletions {
        side: match held.side {
            Side::Local => HeldSide::Local,
            Side::Remote => HeldSide::Remote,
        },
        count: held.count,
        of: held.of,
        why: match held.reason {
            HoldReason::TooMany => HeldWhy::TooMany,
            HoldReason::OtherSideEmpty => HeldWhy::OtherSideEmpty,
        },
    }
}

/// A folder watched for changes, which wake its pair. Where the system
/// refuses more watches (the inotify limit), the folder is polled instead,
/// whether that happens at the start or later, for a folder made since.
struct FolderWatch {
    dir: String,
    polling: bool,
    /// The system refused a watch after the start: events of some folders
    /// would be missed from now on.
    refused: Arc<AtomicBool>,
    /// Watching stops when this is dropped.
    _watch: Box<dyn std::any::Any + Send>,
}

/// How often a polled folder is walked.
const POLL_EVERY: Duration = Duration::from_secs(10);

impl FolderWatch {
    /// Watches `dir`, natively unless `poll`.
    fn start(dir: &str, gather: Duration, wake: Arc<Notify>, poll: bool) -> Option<Self> {
        let refused = Arc::new(AtomicBool::new(false));
        // A pass opens and reads files itself: those accesses must not wake
        // the next pass. Errors do wake it, since they may mean lost events.
        let on_event = {
            let refused = refused.clone();
            move |result: DebounceEventResult| {
                let changed = match result {
                    Ok(events) => events.iter().any(|e| !matches!(e.event.kind, notify::EventKind::Access(_))),
                    Err(errors) => {
                        if errors.iter().any(|e| matches!(e.kind, notify::ErrorKind::MaxFilesWatch)) {
                            refused.store(true, Ordering::Release);
                        }
                        true
                    }
                };
                if changed {
                    wake.notify_one();
                }
            }
        };
        if !poll {
            let native = new_debouncer(gather, None, on_event.clone()).and_then(|mut debouncer| {
                debouncer.watch(Path::new(dir), RecursiveMode::Recursive)?;
                Ok(debouncer)
            });
            match native {
                Ok(debouncer) => {
                    return Some(Self { dir: dir.to_owned(), polling: false, refused, _watch: Box::new(debouncer) });
                }
                Err(err) => tracing::warn!(dir, "the folder cannot be watched, it is polled instead: {err}"),
            }
        }
        let config = notify::Config::default().with_poll_interval(POLL_EVERY);
        let mut polled = new_debouncer_opt::<_, notify::PollWatcher, RecommendedCache>(
            gather,
            None,
            on_event,
            RecommendedCache::new(),
            config,
        )
        .ok()?;
        polled.watch(Path::new(dir), RecursiveMode::Recursive).ok()?;
        Some(Self { dir: dir.to_owned(), polling: true, refused, _watch: Box::new(polled) })
    }

    /// Whether this watch should give way to polling.
    fn ran_out_of_watches(&self) -> bool {
        !self.polling && self.refused.load(Ordering::Acquire)
    }
}
