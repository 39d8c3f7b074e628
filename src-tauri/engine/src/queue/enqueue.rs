//! Turning what the person picked into a batch: walking local folders or
//! listing prefixes, finding taken names with one listing (or one look at
//! the local folder), and applying their answers.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::TransferQueue;
use super::model::{ConflictAnswers, Direction, EnqueueOutcome};
use super::plan::{Decision, Planned, decide};
use super::store::{FileState, NewBatch, NewFile, QueueStore};
use crate::account::usage::Usage;
use crate::error::{ErrorCode, UiError};
use crate::objects::{BucketWrites, StoredWrites, check_key, parent_prefix};
use crate::storage::{S3Client, StorageError};
use crate::transfer::{KnownObject, Listed, listed, local_path_for};

pub struct UploadPlan {
    pub storage: String,
    pub writes: BucketWrites,
    pub bucket: String,
    pub prefix: String,
    pub paths: Vec<PathBuf>,
    pub answers: ConflictAnswers,
    /// The last measurement of the account, to warn before going over a quota.
    pub usage: Option<Usage>,
}

pub struct DownloadPlan {
    pub storage: String,
    pub bucket: String,
    pub keys: Vec<String>,
    pub dir: PathBuf,
    pub answers: ConflictAnswers,
}

/// A file on this computer to send.
#[derive(Debug, Clone)]
struct LocalFile {
    path: PathBuf,
    size: u64,
    mtime_ms: Option<i64>,
}

/// A file that fails before it is tried: unreadable, missing, or a name
/// that cannot be a file here.
fn failed_before_start(name: String, path: PathBuf, error: UiError) -> NewFile {
    NewFile {
        name,
        local_path: path,
        key: String::new(),
        size: 0,
        mtime_ms: None,
        etag: None,
        state: FileState::Failed,
        error: Some(error),
    }
}

fn local_error(path: &Path, err: impl std::fmt::Display) -> UiError {
    UiError::new(ErrorCode::LocalFileUnreadable).with_detail(format!("{}: {err}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn local_file(path: PathBuf, meta: &std::fs::Metadata) -> LocalFile {
    LocalFile { path, size: meta.len(), mtime_ms: meta.modified().ok().map(crate::time::unix_millis) }
}

/// Every regular file under the picked paths, named relative to the
/// picked folder's parent (so a dropped folder keeps its own name). Links
/// are not followed; what cannot be read is reported, not skipped silently.
fn walk(paths: &[PathBuf]) -> (Vec<(String, LocalFile)>, Vec<NewFile>) {
    let mut found = Vec::new();
    let mut failed = Vec::new();
    for path in paths {
        let base = path.parent().unwrap_or(Path::new(""));
        for entry in walkdir::WalkDir::new(path).follow_links(false) {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let at = err.path().unwrap_or(path).to_path_buf();
                    let name = at.strip_prefix(base).map_or_else(|_| file_name(&at), |r| r.to_string_lossy().into());
                    failed.push(failed_before_start(name, at.clone(), local_error(&at, err)));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry.path().strip_prefix(base).unwrap_or(entry.path());
            let parts: Option<Vec<&str>> = relative.iter().map(|p| p.to_str()).collect();
            let Some(parts) = parts else {
                let name = relative.to_string_lossy().into_owned();
                failed.push(failed_before_start(
                    name,
                    entry.path().into(),
                    local_error(entry.path(), "the name is not valid UTF-8"),
                ));
                continue;
            };
            match entry.metadata() {
                Ok(meta) => found.push((parts.join("/"), local_file(entry.into_path(), &meta))),
                Err(err) => failed.push(failed_before_start(
                    parts.join("/"),
                    entry.path().into(),
                    local_error(entry.path(), err),
                )),
            }
        }
    }
    (found, failed)
}

fn blocking_failed(err: tokio::task::JoinError) -> UiError {
    UiError::new(ErrorCode::Internal).with_detail(err.to_string())
}

impl TransferQueue {
    /// Queues `plan.paths` for upload into `plan.prefix`, or says which
    /// names are taken and have no answer yet.
    pub async fn enqueue_upload(&self, client: &S3Client, plan: UploadPlan) -> Result<EnqueueOutcome, UiError> {
        let paths = plan.paths.clone();
        let (found, mut files) = tokio::task::spawn_blocking(move || walk(&paths)).await.map_err(blocking_failed)?;
        let mut planned = Vec::new();
        for (name, file) in found {
            let key = format!("{}{name}", plan.prefix);
            match check_key(&key) {
                Ok(()) => planned.push(Planned { name, destination: key, item: file }),
                Err(problem) => {
                    let mut failed = failed_before_start(name, file.path, UiError::broken_rule("name", problem));
                    failed.key = key;
                    files.push(failed);
                }
            }
        }
        let taken = if planned.is_empty() {
            HashSet::new()
        } else {
            // Files alone need only the folder's own names; folders need every name below.
            let recursive = planned.iter().any(|p| p.name.contains('/'));
            listed(client, &plan.bucket, &plan.prefix, recursive).await?.into_iter().map(|o| o.key).collect()
        };
        let decisions = match decide(planned, &taken, &plan.answers) {
            Ok(decisions) => decisions,
            Err(unanswered) => {
                return Ok(EnqueueOutcome::Conflicts { names: unanswered.names, count: unanswered.count });
            }
        };
        if let Some(usage) = plan.usage.as_ref().filter(|_| !plan.answers.over_quota) {
            let sent = decisions.iter().filter_map(|d| match d {
                Decision::Send { item, .. } => Some(item.size),
                Decision::Skip { .. } => None,
            });
            let (bytes, objects) = sent.fold((0u64, 0u64), |(b, n), size| (b.saturating_add(size), n + 1));
            if let Some(shortfall) = usage.shortfall(&plan.bucket, bytes, objects) {
                return Ok(EnqueueOutcome::OverQuota { shortfall });
            }
        }
        for decision in decisions {
            let (key, file, state) = match decision {
                Decision::Send { destination, item } => (destination, item, FileState::Queued),
                Decision::Skip { item } => (String::new(), item, FileState::Skipped),
            };
            let name = key.strip_prefix(&plan.prefix).map_or_else(|| file_name(&file.path), str::to_owned);
            files.push(NewFile {
                name,
                local_path: file.path,
                key,
                size: file.size,
                mtime_ms: file.mtime_ms,
                etag: None,
                state,
                error: None,
            });
        }
        let first = plan.paths.first().ok_or_else(|| UiError::invalid("paths", "nothing to send"))?;
        let batch = NewBatch {
            storage: plan.storage,
            direction: Direction::Upload,
            title: file_name(first),
            items: plan.paths.len() as u32,
            bucket: plan.bucket,
            prefix: plan.prefix,
            local_dir: first.parent().map(|p| p.display().to_string()).unwrap_or_default(),
            writes: serde_json::to_string(&StoredWrites::of(&plan.writes)).ok(),
            created_ms: self.now_ms(),
        };
        self.insert(&batch, &files)
    }

    /// Queues objects and folders for download into `plan.dir`, keeping
    /// their folders, or says which local names are taken and unanswered.
    pub async fn enqueue_download(&self, client: &S3Client, plan: DownloadPlan) -> Result<EnqueueOutcome, UiError> {
        let mut files = Vec::new();
        let mut planned: Vec<Planned<(String, KnownObject)>> = Vec::new();
        let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
        let mut parents: HashMap<String, HashMap<String, KnownObject>> = HashMap::new();
        for key in &plan.keys {
            let parent = parent_prefix(key).to_owned();
            let objects: Vec<Listed> = if key.ends_with('/') {
                listed(client, &plan.bucket, key, true).await?
            } else {
                if !parents.contains_key(&parent) {
                    let found = listed(client, &plan.bucket, &parent, false).await?;
                    parents.insert(parent.clone(), found.into_iter().map(|o| (o.key, o.known)).collect());
                }
                match parents[&parent].get(key) {
                    Some(known) => vec![Listed { key: key.clone(), known: known.clone() }],
                    None => {
                        let error = UiError::from(StorageError::NoSuchKey(key.clone()));
                        let mut missing = failed_before_start(key[parent.len()..].to_owned(), plan.dir.clone(), error);
                        missing.key = key.clone();
                        files.push(missing);
                        continue;
                    }
                }
            };
            for object in objects {
                let shown = object.key[parent.len()..].to_owned();
                match local_path_for(&object.key, &parent) {
                    Ok(relative) if object.key.ends_with('/') => {
                        folders.insert(plan.dir.join(relative));
                    }
                    Ok(relative) => {
                        let destination = relative.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/");
                        planned.push(Planned { name: shown, destination, item: (object.key, object.known) });
                    }
                    Err(problem) => {
                        let error = UiError::new(ErrorCode::KeyNotLocal).with_detail(problem.to_string());
                        let mut refused = failed_before_start(shown, plan.dir.clone(), error);
                        refused.key = object.key;
                        files.push(refused);
                    }
                }
            }
        }
        let dir = plan.dir.clone();
        let destinations: Vec<String> = planned.iter().map(|p| p.destination.clone()).collect();
        let taken: HashSet<String> = tokio::task::spawn_blocking(move || {
            destinations.into_iter().filter(|d| std::fs::symlink_metadata(dir.join(d)).is_ok()).collect()
        })
        .await
        .map_err(blocking_failed)?;
        let decisions = match decide(planned, &taken, &plan.answers) {
            Ok(decisions) => decisions,
            Err(unanswered) => {
                return Ok(EnqueueOutcome::Conflicts { names: unanswered.names, count: unanswered.count });
            }
        };
        for folder in &folders {
            std::fs::create_dir_all(folder).map_err(|e| {
                UiError::new(ErrorCode::LocalFileUnwritable).with_detail(format!("{}: {e}", folder.display()))
            })?;
        }
        for decision in decisions {
            let (destination, (key, known), state) = match decision {
                Decision::Send { destination, item } => (destination, item, FileState::Queued),
                Decision::Skip { item } => (String::new(), item, FileState::Skipped),
            };
            files.push(NewFile {
                name: if destination.is_empty() { key.clone() } else { destination.clone() },
                local_path: plan.dir.join(&destination),
                key,
                size: known.size,
                mtime_ms: None,
                etag: known.etag,
                state,
                error: None,
            });
        }
        let first = plan.keys.first().ok_or_else(|| UiError::invalid("keys", "nothing selected"))?;
        let batch = NewBatch {
            storage: plan.storage,
            direction: Direction::Download,
            title: first.trim_end_matches('/').rsplit('/').next().unwrap_or(first).to_owned(),
            items: plan.keys.len() as u32,
            bucket: plan.bucket,
            prefix: parent_prefix(first).to_owned(),
            local_dir: plan.dir.display().to_string(),
            writes: None,
            created_ms: self.now_ms(),
        };
        self.insert(&batch, &files)
    }

    fn insert(&self, batch: &NewBatch, files: &[NewFile]) -> Result<EnqueueOutcome, UiError> {
        let batch_id = QueueStore::insert_batch(&mut self.db(), batch, files)?;
        self.wake();
        Ok(EnqueueOutcome::Queued { batch_id })
    }
}
