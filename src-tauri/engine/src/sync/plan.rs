//! What one sync pass does: a pure function of the two listings and the
//! index of what was last in agreement. No I/O here, so every rule is tested
//! exhaustively.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A path inside the pair's folder: `/`-separated, NFC, never empty, no `..`.
pub type RelPath = String;

/// A file in the local folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    pub size: u64,
    pub mtime_ns: i64,
    /// The ETag the storage would give these bytes (see `sync::etag`),
    /// computed only for the paths [`paths_needing_etag`] names.
    pub etag: Option<String>,
}

/// An object under the pair's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub size: u64,
    pub etag: String,
}

/// The index: a path as it was when both sides last agreed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    pub size: u64,
    pub mtime_ns: i64,
    pub etag: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Local → storage; nothing is ever deleted in the storage.
    Backup,
    /// Like backup, and local deletions are carried to the storage's trash.
    Mirror,
    /// Changes on either side reach the other.
    TwoWay,
}

/// When a pass would delete too much, it holds its deletions and asks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SafetyStop {
    /// Share of the index one pass may delete on one side (0.5 = 50 %).
    pub max_share: f64,
    /// Deletions one pass may make on one side.
    pub max_count: u64,
}

pub struct Listings<'a> {
    pub local: &'a BTreeMap<RelPath, LocalFile>,
    pub remote: &'a BTreeMap<RelPath, RemoteFile>,
    pub index: &'a BTreeMap<RelPath, Synced>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Local,
    Remote,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Sends the local file to its key. `replaces` is the ETag the object is
    /// expected to have now (`None`: it must not exist); the executor checks
    /// it just before writing, so another computer's write is never lost.
    Upload { path: RelPath, replaces: Option<String> },
    /// Two-way only: fetches the object over the local file (or where there
    /// is none). `replaces` is the local file as the plan saw it (`None`: no
    /// file there); the executor checks it just before replacing.
    Download { path: RelPath, replaces: Option<(u64, i64)> },
    /// A rename seen locally: the storage copies `from` to `to` itself
    /// instead of receiving the bytes again.
    Copy { from: RelPath, to: RelPath, etag: String },
    /// Moves the object under the bucket's sync trash (mirror, two-way).
    TrashRemote { path: RelPath, etag: String },
    /// Two-way only: moves the local file to the OS trash, never unlinks it.
    TrashLocal { path: RelPath },
    /// Both sides changed differently: the storage's version is kept as
    /// `conflict` (copied in the storage; in two-way also fetched to the
    /// folder), then the local file is sent to `path`.
    KeepBoth { path: RelPath, conflict: RelPath, remote_etag: String },
    /// Both sides already agree: only the index is written.
    Record { path: RelPath, synced: Synced },
    /// The index entry describes nothing synced any more.
    Forget { path: RelPath },
}

/// Why deletions were held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldReason {
    /// More than the safety stop allows.
    TooMany,
    /// The other side's listing is empty while the index is not: a missing
    /// disk or an emptied prefix must never empty this side too.
    OtherSideEmpty,
}

/// Deletions on one side that the plan left out until the person agrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub side: Side,
    pub count: u64,
    pub of: u64,
    pub reason: HoldReason,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub actions: Vec<Action>,
    pub held: Vec<Held>,
}

/// Everything a pass needs besides the listings.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub mode: Mode,
    pub safety: SafetyStop,
    /// The person agreed to this pass's deletions.
    pub deletions_approved: bool,
    /// Local time for conflict names: `2026-11-25 0412`.
    pub now_label: String,
}

/// Decides one pass. Actions come in path order, except that every deletion
/// comes after all other actions: a rename's copy must read its source before
/// the source goes to the trash, whichever of the two paths sorts first.
/// Each path gets at most one action, so the order has no ties.
pub fn plan(listings: &Listings<'_>, options: &PlanOptions) -> Plan {
    let mut pass = Pass {
        listings,
        mode: options.mode,
        now_label: &options.now_label,
        renames: pair_renames(listings),
        conflict_names: BTreeSet::new(),
    };
    let paths: BTreeSet<&RelPath> =
        listings.local.keys().chain(listings.remote.keys()).chain(listings.index.keys()).collect();
    let mut actions: Vec<Action> = paths.into_iter().filter_map(|path| pass.decide(path)).collect();
    let held =
        if options.deletions_approved { Vec::new() } else { hold_deletions(&mut actions, listings, &options.safety) };
    actions.sort_by_key(|action| action.deletion_side().is_some());
    Plan { actions, held }
}

/// The local paths whose ETag the executor computes before [`plan`]: only
/// where the ETag can change the decision, because reading a file costs.
pub fn paths_needing_etag(listings: &Listings<'_>) -> Vec<RelPath> {
    let rename_source_sizes: BTreeSet<u64> = rename_sources(listings).map(|(_, synced)| synced.size).collect();
    listings
        .local
        .iter()
        .filter(|(path, file)| {
            let remote = listings.remote.get(*path);
            match listings.index.get(*path) {
                None => match remote {
                    Some(remote) => remote.size == file.size,
                    None => rename_source_sizes.contains(&file.size),
                },
                // Same size and mtime as when both agreed counts as
                // unchanged whatever the bytes say, so they are not read.
                Some(synced) if same_stat(file, synced) => false,
                Some(synced) => {
                    let maybe_touched = file.size == synced.size;
                    let maybe_same_edit_as_remote =
                        remote.is_some_and(|remote| remote.etag != synced.etag && remote.size == file.size);
                    maybe_touched || maybe_same_edit_as_remote
                }
            }
        })
        .map(|(path, _)| path.clone())
        .collect()
}

/// Where the storage's version of `path` is kept when both sides changed:
/// `docs/notes (conflict 2026-11-25 0412).txt`, then ` 2`, ` 3`… inside the
/// parentheses while `taken` says the name is in use.
pub fn conflict_name(path: &str, now_label: &str, taken: impl Fn(&str) -> bool) -> RelPath {
    let (folder, file_name) = match path.rfind('/') {
        Some(slash) => path.split_at(slash + 1),
        None => ("", path),
    };
    // A leading dot marks a hidden file (`.bashrc`), not an extension.
    let (stem, extension) = match file_name.rfind('.') {
        Some(dot) if dot > 0 => file_name.split_at(dot),
        _ => (file_name, ""),
    };
    let opening = format!("{folder}{stem} (conflict {now_label}");
    let mut name = format!("{opening}){extension}");
    let mut number = 1_u64;
    while taken(&name) {
        number += 1;
        name = format!("{opening} {number}){extension}");
    }
    name
}

impl Action {
    /// The side whose file this action moves to a trash, if it deletes.
    pub fn deletion_side(&self) -> Option<Side> {
        match self {
            Action::TrashRemote { .. } => Some(Side::Remote),
            Action::TrashLocal { .. } => Some(Side::Local),
            _ => None,
        }
    }
}

/// How a local file stands against the index entry of its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LocalState {
    Unchanged,
    /// Only the size or mtime moved; the ETag shows the same bytes.
    Touched,
    Changed,
}

fn local_state(file: &LocalFile, synced: &Synced) -> LocalState {
    if same_stat(file, synced) {
        LocalState::Unchanged
    } else if file.etag.as_ref() == Some(&synced.etag) {
        LocalState::Touched
    } else {
        LocalState::Changed
    }
}

fn same_stat(file: &LocalFile, synced: &Synced) -> bool {
    file.size == synced.size && file.mtime_ns == synced.mtime_ns
}

/// The decisions of one pass, with what they share across paths.
struct Pass<'l> {
    listings: &'l Listings<'l>,
    mode: Mode,
    now_label: &'l str,
    /// The renames found by [`pair_renames`], by their new path.
    renames: BTreeMap<&'l str, Rename<'l>>,
    /// Conflict names already given in this pass, so no two collide.
    conflict_names: BTreeSet<RelPath>,
}

impl Pass<'_> {
    fn decide(&mut self, path: &RelPath) -> Option<Action> {
        let local = self.listings.local.get(path);
        let remote = self.listings.remote.get(path);
        match (local, remote, self.listings.index.get(path)) {
            (Some(local), Some(remote), Some(synced)) => self.both_present_since_agreement(path, local, remote, synced),
            (Some(local), None, Some(synced)) => Some(self.deleted_in_storage(path, local, synced)),
            (None, Some(remote), Some(synced)) => Some(self.deleted_locally(path, remote, synced)),
            (None, None, synced) => synced.map(|_| Action::Forget { path: path.clone() }),
            (Some(local), Some(remote), None) => Some(self.agree_or_keep_both(path, local, remote)),
            (Some(_), None, None) => Some(match self.renames.get(path.as_str()) {
                Some(rename) => {
                    Action::Copy { from: rename.from.clone(), to: path.clone(), etag: rename.etag.to_owned() }
                }
                None => Action::Upload { path: path.clone(), replaces: None },
            }),
            (None, Some(_), None) => {
                (self.mode == Mode::TwoWay).then(|| Action::Download { path: path.clone(), replaces: None })
            }
        }
    }

    fn both_present_since_agreement(
        &mut self,
        path: &RelPath,
        local: &LocalFile,
        remote: &RemoteFile,
        synced: &Synced,
    ) -> Option<Action> {
        let remote_changed = remote.etag != synced.etag;
        match (local_state(local, synced), remote_changed) {
            (LocalState::Unchanged, false) => None,
            (LocalState::Touched, false) => Some(Action::Record {
                path: path.clone(),
                synced: Synced { size: local.size, mtime_ns: local.mtime_ns, etag: synced.etag.clone() },
            }),
            (LocalState::Changed, false) => {
                Some(Action::Upload { path: path.clone(), replaces: Some(remote.etag.clone()) })
            }
            (LocalState::Unchanged | LocalState::Touched, true) => (self.mode == Mode::TwoWay)
                .then(|| Action::Download { path: path.clone(), replaces: Some((local.size, local.mtime_ns)) }),
            (LocalState::Changed, true) => Some(self.agree_or_keep_both(path, local, remote)),
        }
    }

    fn deleted_in_storage(&self, path: &RelPath, local: &LocalFile, synced: &Synced) -> Action {
        let local_changed = local_state(local, synced) == LocalState::Changed;
        if self.mode == Mode::TwoWay && !local_changed {
            Action::TrashLocal { path: path.clone() }
        } else {
            Action::Upload { path: path.clone(), replaces: None }
        }
    }

    fn deleted_locally(&self, path: &RelPath, remote: &RemoteFile, synced: &Synced) -> Action {
        let remote_changed = remote.etag != synced.etag;
        match (self.mode, remote_changed) {
            // A mirror leaves an object someone changed after the local
            // deletion: another's work is never deleted.
            (Mode::Backup, _) | (Mode::Mirror, true) => Action::Forget { path: path.clone() },
            (Mode::Mirror | Mode::TwoWay, false) => {
                Action::TrashRemote { path: path.clone(), etag: remote.etag.clone() }
            }
            (Mode::TwoWay, true) => Action::Download { path: path.clone(), replaces: None },
        }
    }

    /// Both sides hold a file that the index cannot vouch for: the same bytes
    /// are only recorded, different ones are both kept.
    fn agree_or_keep_both(&mut self, path: &RelPath, local: &LocalFile, remote: &RemoteFile) -> Action {
        if local.etag.as_ref() == Some(&remote.etag) {
            return Action::Record {
                path: path.clone(),
                synced: Synced { size: local.size, mtime_ns: local.mtime_ns, etag: remote.etag.clone() },
            };
        }
        let listings = self.listings;
        let given = &self.conflict_names;
        let conflict = conflict_name(path, self.now_label, |name| {
            listings.local.contains_key(name)
                || listings.remote.contains_key(name)
                || listings.index.contains_key(name)
                || given.contains(name)
        });
        self.conflict_names.insert(conflict.clone());
        Action::KeepBoth { path: path.clone(), conflict, remote_etag: remote.etag.clone() }
    }
}

/// Index entries whose local file vanished while the storage still holds
/// the agreed bytes: the sources a local rename can copy from.
fn rename_sources<'l>(listings: &Listings<'l>) -> impl Iterator<Item = (&'l RelPath, &'l Synced)> {
    let (local, remote) = (listings.local, listings.remote);
    listings.index.iter().filter(move |(path, synced)| {
        !local.contains_key(*path) && remote.get(*path).is_some_and(|object| object.etag == synced.etag)
    })
}

/// A new local file whose bytes are those of a rename source.
struct Rename<'l> {
    from: &'l RelPath,
    etag: &'l str,
}

/// Pairs each new local file with a rename source of the same bytes, both in
/// path order, so the storage copies instead of receiving the bytes again.
fn pair_renames<'l>(listings: &Listings<'l>) -> BTreeMap<&'l str, Rename<'l>> {
    let mut sources: BTreeMap<(&str, u64), VecDeque<&RelPath>> = BTreeMap::new();
    for (path, synced) in rename_sources(listings) {
        sources.entry((synced.etag.as_str(), synced.size)).or_default().push_back(path);
    }
    listings
        .local
        .iter()
        .filter(|(path, _)| !listings.index.contains_key(*path) && !listings.remote.contains_key(*path))
        .filter_map(|(path, file)| {
            let etag = file.etag.as_deref()?;
            let from = sources.get_mut(&(etag, file.size))?.pop_front()?;
            Some((path.as_str(), Rename { from, etag }))
        })
        .collect()
}

/// Takes out of `actions` the deletions of each side the safety stop holds,
/// and says why.
fn hold_deletions(actions: &mut Vec<Action>, listings: &Listings<'_>, safety: &SafetyStop) -> Vec<Held> {
    let of = listings.index.len() as u64;
    let held: Vec<Held> = [Side::Local, Side::Remote]
        .into_iter()
        .filter_map(|side| {
            let count = actions.iter().filter(|action| action.deletion_side() == Some(side)).count() as u64;
            // "While the index is not empty" needs no test: every planned
            // deletion has an index entry.
            let other_side_empty = match side {
                Side::Local => listings.remote.is_empty(),
                Side::Remote => listings.local.is_empty(),
            };
            let reason = if count == 0 {
                None
            } else if other_side_empty {
                Some(HoldReason::OtherSideEmpty)
            } else if count > safety.max_count || (count >= 3 && count as f64 > safety.max_share * of as f64) {
                Some(HoldReason::TooMany)
            } else {
                None
            };
            reason.map(|reason| Held { side, count, of, reason })
        })
        .collect();
    actions.retain(|action| action.deletion_side().is_none_or(|side| held.iter().all(|hold| hold.side != side)));
    held
}

#[cfg(test)]
mod tests;
