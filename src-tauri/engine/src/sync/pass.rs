//! One sync pass: both sides read, the plan made, its actions carried out,
//! and the index written as each one is confirmed, never before.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures::StreamExt;
use jiff::tz::TimeZone;
use tokio_util::sync::CancellationToken;

use super::etag::{local_etag, plain_etag};
use super::model::{ProblemKind, SyncProblem};
use super::plan::{
    Action, Held, Listings, LocalFile, PlanOptions, RelPath, RemoteFile, SafetyStop, Synced, paths_needing_etag, plan,
};
use super::rules::IgnoreRules;
use super::scan::{LocalScan, RemoteScan, is_blind, scan_local, scan_remote};
use super::store::{StoredPair, SyncStore};
use super::trash::{Trashed, move_to_trash};
use crate::account::quota_store;
use crate::account::usage::QuotaShortfall;
use crate::objects::{BucketWrites, copy_object, head};
use crate::storage::{S3Client, StorageError};
use crate::time::timestamp;
use crate::transfer::{
    Budget, DownloadOptions, FILES_IN_FLIGHT, KnownObject, NoDownloadJournal, NoJournal, Source, Target, UploadOptions,
    WriteCondition, local_path_for,
};

/// Copies up to this size go in one request.
const SINGLE_COPY: u64 = 5 * 1024 * 1024 * 1024;

pub struct Pass<'a> {
    pub client: &'a S3Client,
    pub pair: &'a StoredPair,
    pub db: &'a Mutex<rusqlite::Connection>,
    pub budget: &'a Budget,
    pub now: SystemTime,
    pub zone: &'a TimeZone,
    /// A file is synced once it has not changed for this long.
    pub stable: Duration,
    pub deletions_approved: bool,
    /// The person chose to sync though it goes over the quota.
    pub over_quota_approved: bool,
    /// The storage is taken to be as the index says, without a listing:
    /// for passes after a change in the folder.
    pub remote_from_index: bool,
    pub cancel: &'a CancellationToken,
    /// Told how many actions are left as they finish.
    pub pending: &'a (dyn Fn(u64) + Sync),
}

#[derive(Debug, Default)]
pub struct PassOutcome {
    pub held: Vec<Held>,
    pub problems: Vec<SyncProblem>,
    /// Something waits for a later pass: files still being written, a side
    /// that changed while the pass ran, a transfer that failed for now.
    pub again_soon: bool,
    /// When the files still being written will have settled.
    pub settled_in: Option<Duration>,
    /// A side changed while the pass ran, or a transfer failed: the next
    /// pass reads the storage afresh rather than trusting the index.
    pub relist: bool,
    /// A transfer failed because the storage did not answer.
    pub offline: Option<StorageError>,
    /// Actions carried out.
    pub done: u64,
    /// Uploads held back: by the last measurement they would go over a
    /// quota, and the person has not said to sync anyway.
    pub over_quota: Option<QuotaShortfall>,
}

enum Step {
    Done,
    /// Not done now; the next pass plans it again from what it finds.
    Later,
    Conflict,
}

fn mtime_ns(modified: Option<SystemTime>) -> i64 {
    let modified = modified.unwrap_or(SystemTime::UNIX_EPOCH);
    match modified.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => after.as_nanos().min(i64::MAX as u128) as i64,
        Err(before) => -(before.duration().as_nanos().min(i64::MAX as u128) as i64),
    }
}

async fn local_stamp(path: &Path) -> Option<(u64, i64)> {
    let meta = tokio::fs::symlink_metadata(path).await.ok()?;
    meta.is_file().then(|| (meta.len(), mtime_ns(meta.modified().ok())))
}

impl Pass<'_> {
    fn root(&self) -> PathBuf {
        PathBuf::from(&self.pair.pair.local_dir)
    }

    /// The file of `path` in the folder, by the name it has on disk.
    fn file(&self, spelled: &BTreeMap<RelPath, String>, path: &str) -> PathBuf {
        self.root().join(spelled.get(path).map_or(path, String::as_str))
    }

    fn key(&self, path: &str) -> String {
        format!("{}{path}", self.pair.pair.prefix)
    }

    /// Whether the uploads planned would go over a quota by the account's
    /// last measurement; what they add is each file's growth over the
    /// object it replaces, and each new object.
    fn over_quota(
        &self,
        actions: &[Action],
        local: &BTreeMap<RelPath, LocalFile>,
        remote: &BTreeMap<RelPath, RemoteFile>,
    ) -> Result<Option<QuotaShortfall>, StorageError> {
        let usage = {
            let conn = self.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            quota_store::load_usage(&conn, &self.pair.storage).map_err(|e| StorageError::Other(e.to_string()))?
        };
        let Some(usage) = usage else { return Ok(None) };
        let (mut bytes, mut objects) = (0u64, 0u64);
        for action in actions {
            let (path, replaced) = match action {
                Action::Upload { path, replaces } => (path, replaces.as_ref().and_then(|_| remote.get(path))),
                Action::KeepBoth { path, .. } => (path, None),
                _ => continue,
            };
            let size = local.get(path).map_or(0, |f| f.size);
            bytes = bytes.saturating_add(size.saturating_sub(replaced.map_or(0, |r| r.size)));
            objects += u64::from(replaced.is_none());
        }
        Ok(usage.shortfall(&self.pair.pair.bucket, bytes, objects))
    }

    fn store<T>(&self, write: impl FnOnce(&SyncStore) -> rusqlite::Result<T>) -> Result<T, StorageError> {
        let conn = self.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        write(&SyncStore(&conn)).map_err(|e| StorageError::Other(format!("the sync index: {e}")))
    }

    pub async fn run(&self) -> Result<PassOutcome, StorageError> {
        let pair = &self.pair.pair;
        let root = self.root();
        // A folder that is not there (an unplugged disk) is not an empty
        // folder: nothing is planned from it.
        if !tokio::fs::metadata(&root).await.is_ok_and(|m| m.is_dir()) {
            return Err(StorageError::FolderMissing(root.display().to_string()));
        }
        let rules = Arc::new(
            IgnoreRules::new(&pair.ignore).map_err(|line| StorageError::Other(format!("ignore rule {line:?}")))?,
        );
        let scan = {
            let (root, prefix, rules, now, stable) =
                (root.clone(), pair.prefix.clone(), rules.clone(), self.now, self.stable);
            tokio::task::spawn_blocking(move || scan_local(&root, &prefix, &rules, now, stable))
                .await
                .map_err(|e| StorageError::Other(e.to_string()))?
        };
        let index = self.store(|s| s.index(pair.id))?;
        let remote = if self.remote_from_index {
            let files = index.iter().map(|(path, s)| (path.clone(), RemoteFile { size: s.size, etag: s.etag.clone() }));
            RemoteScan { files: files.collect(), ..RemoteScan::default() }
        } else {
            scan_remote(self.client, &pair.bucket, &pair.prefix, &rules).await?
        };

        let mut outcome = PassOutcome {
            again_soon: !scan.settling.is_empty(),
            settled_in: scan.settled_in,
            ..PassOutcome::default()
        };
        let LocalScan { files: mut local, settling, mut blind, problems, spelled, .. } = scan;
        outcome.problems.extend(problems);
        outcome.problems.extend(remote.problems);
        blind.extend(remote.blind);
        blind.extend(settling);
        let mut remote = remote.files;
        let mut index = index;
        let seen = |path: &RelPath| !is_blind(path, &blind);
        local.retain(|path, _| seen(path));
        remote.retain(|path, _| seen(path));
        index.retain(|path, _| seen(path));

        self.add_etags(&mut local, &remote, &index, &spelled, &mut outcome).await;
        let listings = Listings { local: &local, remote: &remote, index: &index };
        let at = timestamp(self.now).to_zoned(self.zone.clone());
        let options = PlanOptions {
            mode: pair.mode.planned(),
            safety: SafetyStop { max_share: pair.max_delete_share, max_count: pair.max_delete_count },
            deletions_approved: self.deletions_approved,
            now_label: at.strftime("%Y-%m-%d %H%M").to_string(),
        };
        let planned = plan(&listings, &options);
        outcome.held = planned.held;

        // Deletions go last, so a rename's copy reads its source first.
        let (deletions, mut others): (Vec<Action>, Vec<Action>) = planned
            .actions
            .into_iter()
            .partition(|a| matches!(a, Action::TrashRemote { .. } | Action::TrashLocal { .. }));
        if !self.over_quota_approved
            && let Some(shortfall) = self.over_quota(&others, &local, &remote)?
        {
            others.retain(|a| !matches!(a, Action::Upload { .. } | Action::KeepBoth { .. }));
            outcome.over_quota = Some(shortfall);
        }
        let total = (deletions.len() + others.len()) as u64;
        (self.pending)(total);
        let writes_planned = others.iter().any(|a| matches!(a, Action::Upload { .. } | Action::KeepBoth { .. }));
        let conditional = writes_planned && self.conditional_writes().await?;
        let context =
            Context { local: &local, remote: &remote, index: &index, spelled: &spelled, day: at.date(), conditional };
        let mut left = total;
        for group in [others, deletions] {
            let mut steps = futures::stream::iter(group)
                .map(|action| async {
                    let path = action_path(&action).to_owned();
                    (path, self.carry_out(action, &context).await)
                })
                .buffer_unordered(FILES_IN_FLIGHT);
            while let Some((path, step)) = steps.next().await {
                left -= 1;
                (self.pending)(left);
                match step {
                    Ok(Step::Done) => outcome.done += 1,
                    Ok(Step::Conflict) => {
                        outcome.done += 1;
                        outcome.problems.push(SyncProblem { path, kind: ProblemKind::Conflict, error: None });
                    }
                    Ok(Step::Later) => {
                        outcome.again_soon = true;
                        outcome.relist = true;
                    }
                    Err(StorageError::Cancelled) => return Err(StorageError::Cancelled),
                    Err(err) => {
                        outcome.again_soon = true;
                        outcome.relist = true;
                        if err.is_transient() && outcome.offline.is_none() {
                            outcome.offline = Some(err.clone());
                        }
                        outcome.problems.push(SyncProblem { path, kind: ProblemKind::Failed, error: Some(err.into()) });
                    }
                }
            }
        }
        Ok(outcome)
    }

    /// Reads the files whose content must be compared: a planner that only
    /// had sizes and times would upload what the storage already holds.
    async fn add_etags(
        &self,
        local: &mut BTreeMap<RelPath, LocalFile>,
        remote: &BTreeMap<RelPath, RemoteFile>,
        index: &BTreeMap<RelPath, Synced>,
        spelled: &BTreeMap<RelPath, String>,
        outcome: &mut PassOutcome,
    ) {
        let needing = paths_needing_etag(&Listings { local, remote, index });
        let computed: Vec<(RelPath, std::io::Result<String>)> = futures::stream::iter(needing)
            .map(|path| {
                let file = self.file(spelled, &path);
                async move {
                    let etag =
                        tokio::task::spawn_blocking(move || local_etag(&file, UploadOptions::default().threshold))
                            .await
                            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
                    (path, etag)
                }
            })
            .buffer_unordered(2)
            .collect()
            .await;
        for (path, etag) in computed {
            match etag {
                Ok(etag) => {
                    if let Some(file) = local.get_mut(&path) {
                        file.etag = Some(etag);
                    }
                }
                // Gone or unreadable since the walk: left for the next pass.
                Err(_) => {
                    local.remove(&path);
                    outcome.again_soon = true;
                }
            }
        }
    }

    async fn carry_out(&self, action: Action, context: &Context<'_>) -> Result<Step, StorageError> {
        if self.cancel.is_cancelled() {
            return Err(StorageError::Cancelled);
        }
        let pair = &self.pair.pair;
        match action {
            Action::Upload { path, replaces } => self.upload(&path, replaces.as_deref(), context).await,
            Action::Download { path, replaces } => {
                let Some(object) = context.remote.get(&path) else { return Ok(Step::Later) };
                self.download(&path, &path, object, replaces, context).await
            }
            Action::Copy { from, to, etag } => {
                let Some(file) = context.local.get(&to) else { return Ok(Step::Later) };
                match head(self.client, &pair.bucket, &self.key(&from)).await? {
                    Some(now) if now.e_tag().map(plain_etag).as_deref() == Some(etag.as_str()) => {}
                    // The source changed or went: sent as a new file next time.
                    _ => return Ok(Step::Later),
                }
                let writes = self.writes();
                copy_object(
                    self.client,
                    (&pair.bucket, &self.key(&from)),
                    (&pair.bucket, &self.key(&to)),
                    &writes,
                    None,
                    SINGLE_COPY,
                    self.cancel,
                )
                .await?;
                let Some(copied) = self.remote_etag(&to).await? else { return Ok(Step::Later) };
                let synced = Synced { size: file.size, mtime_ns: file.mtime_ns, etag: copied };
                self.store(|s| s.record(pair.id, &to, &synced))?;
                Ok(Step::Done)
            }
            Action::TrashRemote { path, etag } => {
                match move_to_trash(self.client, &pair.bucket, &self.key(&path), &etag, &self.writes(), context.day)
                    .await?
                {
                    Trashed::Moved => {
                        self.store(|s| s.forget(pair.id, &path))?;
                        Ok(Step::Done)
                    }
                    Trashed::Changed => Ok(Step::Later),
                }
            }
            Action::TrashLocal { path } => {
                let file = self.file(context.spelled, &path);
                let Some(synced) = context.index.get(&path) else { return Ok(Step::Later) };
                // Changed since the walk: it is no longer what the storage lost.
                if local_stamp(&file).await != Some((synced.size, synced.mtime_ns)) {
                    return Ok(Step::Later);
                }
                tokio::task::spawn_blocking(move || trash::delete(&file))
                    .await
                    .map_err(|e| StorageError::Other(e.to_string()))?
                    .map_err(|e| StorageError::LocalWrite(format!("{path}: {e}")))?;
                self.store(|s| s.forget(pair.id, &path))?;
                Ok(Step::Done)
            }
            Action::KeepBoth { path, conflict, remote_etag } => {
                let Some(object) = context.remote.get(&path) else { return Ok(Step::Later) };
                match head(self.client, &pair.bucket, &self.key(&path)).await? {
                    Some(now) if now.e_tag().map(plain_etag).as_deref() == Some(remote_etag.as_str()) => {}
                    _ => return Ok(Step::Later),
                }
                copy_object(
                    self.client,
                    (&pair.bucket, &self.key(&path)),
                    (&pair.bucket, &self.key(&conflict)),
                    &self.writes(),
                    None,
                    SINGLE_COPY,
                    self.cancel,
                )
                .await?;
                if pair.mode == super::model::SyncMode::TwoWay {
                    let Some(copied) = self.remote_etag(&conflict).await? else { return Ok(Step::Later) };
                    let kept = RemoteFile { size: object.size, etag: copied };
                    if let Step::Later = self.download(&conflict, &conflict, &kept, None, context).await? {
                        return Ok(Step::Later);
                    }
                }
                match self.upload(&path, Some(&remote_etag), context).await? {
                    Step::Done => Ok(Step::Conflict),
                    other => Ok(other),
                }
            }
            Action::Record { path, synced } => {
                self.store(|s| s.record(pair.id, &path, &synced))?;
                Ok(Step::Done)
            }
            Action::Forget { path } => {
                self.store(|s| s.forget(pair.id, &path))?;
                Ok(Step::Done)
            }
        }
    }

    fn writes(&self) -> BucketWrites {
        self.pair.writes.writes()
    }

    async fn remote_etag(&self, path: &str) -> Result<Option<String>, StorageError> {
        Ok(head(self.client, &self.pair.pair.bucket, &self.key(path)).await?.and_then(|h| h.e_tag().map(plain_etag)))
    }

    /// Whether the storage honours conditional writes: learnt once per
    /// storage with a probe, then remembered.
    async fn conditional_writes(&self) -> Result<bool, StorageError> {
        if let Some(known) = self.store(|s| s.conditional_writes(&self.pair.storage))? {
            return Ok(known);
        }
        let honoured = super::conditional::honours_conditions(self.client, &self.pair.pair.bucket).await?;
        self.store(|s| s.remember_conditional_writes(&self.pair.storage, honoured))?;
        Ok(honoured)
    }

    /// Sends the file if the object is still `replaces` (`None`: absent):
    /// another computer's write in between is never overwritten unseen. The
    /// storage checks that itself where it can; elsewhere the object is
    /// looked at just before the write.
    async fn upload(&self, path: &str, replaces: Option<&str>, context: &Context<'_>) -> Result<Step, StorageError> {
        let pair = &self.pair.pair;
        let conditional = context.conditional;
        if !conditional && self.remote_etag(path).await?.as_deref() != replaces {
            return Ok(Step::Later);
        }
        let file = self.file(context.spelled, path);
        let key = self.key(path);
        let writes = self.writes();
        let target = Target { client: self.client, bucket: &pair.bucket, key: &key, path: &file, writes: &writes };
        let condition = conditional.then(|| match replaces {
            Some(etag) => WriteCondition::Is(etag.to_owned()),
            None => WriteCondition::Absent,
        });
        let options = UploadOptions { budget: self.budget.clone(), condition, ..UploadOptions::default() };
        let sent = match target.upload(&options, None, &NoJournal, self.cancel, &|_| {}).await {
            Ok(sent) => sent,
            // Changed on one side or the other since the plan: planned anew.
            Err(StorageError::FileChanged(_) | StorageError::Service { status: 412, .. }) => return Ok(Step::Later),
            Err(StorageError::LocalFile(_)) if tokio::fs::metadata(&file).await.is_err() => return Ok(Step::Later),
            Err(err) => return Err(err),
        };
        let etag = match sent.etag {
            Some(etag) => plain_etag(&etag),
            None => match self.remote_etag(path).await? {
                Some(etag) => etag,
                None => return Ok(Step::Later),
            },
        };
        let synced = Synced { size: sent.size, mtime_ns: mtime_ns(sent.modified), etag };
        self.store(|s| s.record(pair.id, path, &synced))?;
        Ok(Step::Done)
    }

    /// Fetches the object at `from` into the file at `to` if that file is
    /// still as the plan saw it (`None`: absent).
    async fn download(
        &self,
        from: &str,
        to: &str,
        object: &RemoteFile,
        replaces: Option<(u64, i64)>,
        context: &Context<'_>,
    ) -> Result<Step, StorageError> {
        let pair = &self.pair.pair;
        let key = self.key(from);
        let relative = local_path_for(&self.key(to), &pair.prefix)
            .map_err(|problem| StorageError::Other(format!("{to}: {problem}")))?;
        // A file already here under another spelling of the name is that file.
        let file = match context.spelled.get(to) {
            Some(spelled) => self.root().join(spelled),
            None => self.root().join(relative),
        };
        if local_stamp(&file).await != replaces {
            return Ok(Step::Later);
        }
        // The version being replaced goes to the OS trash first, so even an
        // edit the other side overwrote can be found again.
        if replaces.is_some() {
            let old = file.clone();
            tokio::task::spawn_blocking(move || trash::delete(&old))
                .await
                .map_err(|e| StorageError::Other(e.to_string()))?
                .map_err(|e| StorageError::LocalWrite(format!("{to}: {e}")))?;
        }
        let known = KnownObject { size: object.size, etag: Some(format!("\"{}\"", object.etag)) };
        let source = Source { client: self.client, bucket: &pair.bucket, key: &key, known: &known };
        let options = DownloadOptions { budget: self.budget.clone(), ..DownloadOptions::default() };
        match source.download(&file, &options, &[], &NoDownloadJournal, self.cancel, &|_| {}).await {
            Ok(_) => {}
            // Changed in the storage since the listing: the next pass sees the new one.
            Err(StorageError::Service { status: 412, .. }) => return Ok(Step::Later),
            Err(err) => return Err(err),
        }
        let Some((size, mtime_ns)) = local_stamp(&file).await else { return Ok(Step::Later) };
        let synced = Synced { size, mtime_ns, etag: object.etag.clone() };
        self.store(|s| s.record(pair.id, to, &synced))?;
        Ok(Step::Done)
    }
}

struct Context<'a> {
    local: &'a BTreeMap<RelPath, LocalFile>,
    remote: &'a BTreeMap<RelPath, RemoteFile>,
    index: &'a BTreeMap<RelPath, Synced>,
    spelled: &'a BTreeMap<RelPath, String>,
    day: jiff::civil::Date,
    /// The storage refuses a write whose condition fails.
    conditional: bool,
}

fn action_path(action: &Action) -> &str {
    match action {
        Action::Upload { path, .. }
        | Action::Download { path, .. }
        | Action::TrashRemote { path, .. }
        | Action::TrashLocal { path }
        | Action::KeepBoth { path, .. }
        | Action::Record { path, .. }
        | Action::Forget { path } => path,
        Action::Copy { to, .. } => to,
    }
}
