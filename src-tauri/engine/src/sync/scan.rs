//! Both sides of a pair as the planner sees them: the folder walked, the
//! prefix listed, with what cannot take part set apart and reported.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::time::{Duration, SystemTime};

use unicode_normalization::{UnicodeNormalization, is_nfc};

use super::etag::plain_etag;
use super::model::{ProblemKind, SyncProblem};
use super::plan::{LocalFile, RelPath, RemoteFile};
use super::rules::IgnoreRules;
use super::trash::TRASH_PREFIX;
use crate::objects::check_key;
use crate::storage::{S3Client, StorageError};
use crate::transfer::{listed, local_path_for};

/// The folder as one walk found it.
#[derive(Debug, Default)]
pub struct LocalScan {
    pub files: BTreeMap<RelPath, LocalFile>,
    /// Files written to within the stability window: left for a later pass.
    pub settling: BTreeSet<RelPath>,
    /// When the first of them will have been quiet long enough.
    pub settled_in: Option<Duration>,
    /// Folders (or files) that could not be read: what the index knows under
    /// them is not taken for deleted.
    pub blind: Vec<RelPath>,
    pub problems: Vec<SyncProblem>,
    /// Files whose name on disk is not in NFC, as their key is: the name
    /// they are opened by.
    pub spelled: BTreeMap<RelPath, String>,
}

fn problem(path: impl Into<String>, kind: ProblemKind) -> SyncProblem {
    SyncProblem { path: path.into(), kind, error: None }
}

fn mtime_ns(modified: SystemTime) -> i64 {
    match modified.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => after.as_nanos().min(i64::MAX as u128) as i64,
        Err(before) => -(before.duration().as_nanos().min(i64::MAX as u128) as i64),
    }
}

/// Walks `root`. Blocking. `now` and `stable` decide which files are still
/// being written; `prefix` is where the files will be keys, to check them.
pub fn scan_local(root: &Path, prefix: &str, rules: &IgnoreRules, now: SystemTime, stable: Duration) -> LocalScan {
    let mut scan = LocalScan::default();
    // NFC of the lower case name → the first name seen, to find names that
    // differ only by case or normalisation.
    let mut folded: HashMap<String, RelPath> = HashMap::new();
    let mut merged: BTreeSet<RelPath> = BTreeSet::new();
    let mut walk = walkdir::WalkDir::new(root).follow_links(false).min_depth(1).sort_by_file_name().into_iter();
    while let Some(next) = walk.next() {
        let entry = match next {
            Ok(entry) => entry,
            Err(err) => {
                let rel = err.path().and_then(|p| relative(root, p)).unwrap_or_default();
                scan.blind.push(rel.clone());
                scan.problems.push(SyncProblem {
                    error: Some(StorageError::LocalFile(err.to_string()).into()),
                    ..problem(rel, ProblemKind::Unreadable)
                });
                continue;
            }
        };
        let Some(raw) = relative(root, entry.path()) else {
            scan.problems.push(problem(entry.path().to_string_lossy(), ProblemKind::NotAKey));
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        };
        let is_dir = entry.file_type().is_dir();
        if rules.ignores(&raw, is_dir) {
            if is_dir {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_symlink() {
            scan.problems.push(problem(raw, ProblemKind::Link));
            continue;
        }
        if is_dir {
            continue;
        }
        let rel: RelPath = raw.nfc().collect();
        match folded.get(&rel.to_lowercase()) {
            Some(first) if first.nfc().collect::<String>() == rel => {
                merged.insert(first.clone());
                merged.insert(raw.clone());
                scan.problems.push(problem(raw, ProblemKind::SameNameTwice));
                continue;
            }
            Some(first) => scan.problems.push(problem(format!("{first} · {rel}"), ProblemKind::CaseOnly)),
            None => {
                folded.insert(rel.to_lowercase(), raw.clone());
            }
        }
        if check_key(&format!("{prefix}{rel}")).is_err() {
            scan.problems.push(problem(rel, ProblemKind::NotAKey));
            continue;
        }
        let meta = match entry.metadata() {
            Ok(meta) => meta,
            Err(err) => {
                scan.blind.push(rel.clone());
                scan.problems.push(SyncProblem {
                    error: Some(StorageError::LocalFile(err.to_string()).into()),
                    ..problem(rel, ProblemKind::Unreadable)
                });
                continue;
            }
        };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        // A time in the future (a clock set back since) counts as just now.
        let age = now.duration_since(modified).unwrap_or_default();
        if age < stable {
            scan.settling.insert(rel);
            let left = stable - age;
            scan.settled_in = Some(scan.settled_in.map_or(left, |first| first.min(left)));
            continue;
        }
        if std::fs::File::open(entry.path()).is_err() {
            scan.blind.push(rel.clone());
            scan.problems.push(problem(rel, ProblemKind::Unreadable));
            continue;
        }
        if rel != raw {
            scan.spelled.insert(rel.clone(), raw);
        }
        scan.files.insert(rel, LocalFile { size: meta.len(), mtime_ns: mtime_ns(modified), etag: None });
    }
    // Two spellings of one name would become one key: neither is synced,
    // and what the index knows of the name is not taken for deleted.
    for name in merged {
        let rel: RelPath = name.nfc().collect();
        scan.files.remove(&rel);
        scan.spelled.remove(&rel);
        scan.blind.push(rel);
    }
    scan
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rest.components().map(|c| c.as_os_str().to_str()).collect();
    let joined = parts?.join("/");
    (!joined.is_empty()).then_some(joined)
}

/// The prefix as one listing found it.
#[derive(Debug, Default)]
pub struct RemoteScan {
    pub files: BTreeMap<RelPath, RemoteFile>,
    /// Objects that take no part: what the index knows of them stays.
    pub blind: Vec<RelPath>,
    pub problems: Vec<SyncProblem>,
}

pub async fn scan_remote(
    client: &S3Client,
    bucket: &str,
    prefix: &str,
    rules: &IgnoreRules,
) -> Result<RemoteScan, StorageError> {
    let mut scan = RemoteScan::default();
    for object in listed(client, bucket, prefix, true).await? {
        let Some(rel) = object.key.strip_prefix(prefix) else { continue };
        if rel.is_empty() || rel.ends_with('/') || object.key.starts_with(TRASH_PREFIX) {
            continue;
        }
        if rules.ignores(rel, false) {
            continue;
        }
        if local_path_for(&object.key, prefix).is_err() || !is_nfc(rel) {
            scan.problems.push(problem(rel, ProblemKind::NotLocal));
            scan.blind.push(rel.to_owned());
            continue;
        }
        let etag = object.known.etag.as_deref().map(plain_etag).unwrap_or_default();
        scan.files.insert(rel.to_owned(), RemoteFile { size: object.known.size, etag });
    }
    Ok(scan)
}

/// Whether `path` is one of `blind` or inside one of them.
pub fn is_blind(path: &str, blind: &[RelPath]) -> bool {
    blind.iter().any(|b| b.is_empty() || path == b || path.strip_prefix(b.as_str()).is_some_and(|r| r.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(root: &Path) -> LocalScan {
        let later = SystemTime::now() + Duration::from_secs(60);
        scan_local(root, "p/", &IgnoreRules::new("").unwrap(), later, Duration::from_secs(2))
    }

    #[test]
    fn the_folder_is_walked_with_temporary_files_and_links_left_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("a/b/c.txt"), b"abc").unwrap();
        std::fs::write(dir.path().join("top.txt"), b"t").unwrap();
        std::fs::write(dir.path().join("~$top.docx"), b"lock").unwrap();
        std::os::unix::fs::symlink("/etc", dir.path().join("etc")).unwrap();
        let found = scan(dir.path());
        assert_eq!(found.files.keys().collect::<Vec<_>>(), ["a/b/c.txt", "top.txt"]);
        assert_eq!(found.files["a/b/c.txt"].size, 3);
        assert_eq!(found.problems.iter().map(|p| p.kind).collect::<Vec<_>>(), [ProblemKind::Link]);
    }

    #[test]
    fn a_file_written_just_now_waits() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("new.txt"), b"n").unwrap();
        let found =
            scan_local(dir.path(), "", &IgnoreRules::new("").unwrap(), SystemTime::now(), Duration::from_secs(2));
        assert!(found.files.is_empty());
        assert!(found.settling.contains("new.txt"));
        assert!(found.settled_in.is_some_and(|left| left <= Duration::from_secs(2)), "{:?}", found.settled_in);
    }

    #[test]
    fn names_that_differ_only_by_normalisation_are_reported_not_merged() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("caf\u{e9}.txt"), b"nfc").unwrap();
        std::fs::write(dir.path().join("cafe\u{301}.txt"), b"nfd").unwrap();
        std::fs::write(dir.path().join("Notes.txt"), b"1").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"2").unwrap();
        let found = scan(dir.path());
        assert!(!found.files.contains_key("caf\u{e9}.txt"));
        assert!(is_blind("caf\u{e9}.txt", &found.blind));
        assert!(found.files.contains_key("Notes.txt") && found.files.contains_key("notes.txt"));
        let kinds: Vec<_> = found.problems.iter().map(|p| p.kind).collect();
        assert!(kinds.contains(&ProblemKind::SameNameTwice) && kinds.contains(&ProblemKind::CaseOnly), "{kinds:?}");
    }

    /// Root may read anything whatever its permissions. Linux keeps
    /// capabilities per thread, so `work` runs on a thread of its own without
    /// the ones that allow that, and meets permissions as any user does.
    #[cfg(target_os = "linux")]
    fn without_read_override<T: Send>(work: impl FnOnce() -> T + Send) -> T {
        std::thread::scope(|scope| {
            let thread = scope.spawn(|| {
                for cap in [caps::Capability::CAP_DAC_OVERRIDE, caps::Capability::CAP_DAC_READ_SEARCH] {
                    caps::drop(None, caps::CapSet::Effective, cap).unwrap();
                }
                work()
            });
            thread.join().unwrap()
        })
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn unreadable_folders_and_files_are_reported_skipped_and_blind() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("secret")).unwrap();
        std::fs::write(dir.path().join("secret/x.txt"), b"x").unwrap();
        std::fs::write(dir.path().join("locked.txt"), b"l").unwrap();
        std::fs::write(dir.path().join("open.txt"), b"o").unwrap();
        let set_mode = |mode: u32| {
            for name in ["secret", "locked.txt"] {
                std::fs::set_permissions(dir.path().join(name), std::fs::Permissions::from_mode(mode)).unwrap();
            }
        };
        set_mode(0o000);
        let (found, secret_readable) =
            without_read_override(|| (scan(dir.path()), std::fs::read_dir(dir.path().join("secret")).is_ok()));
        set_mode(0o755);
        assert!(!secret_readable, "permissions must hold for this test to mean anything");
        assert_eq!(found.files.keys().collect::<Vec<_>>(), ["open.txt"]);
        assert!(is_blind("secret/x.txt", &found.blind) && is_blind("locked.txt", &found.blind), "{:?}", found.blind);
        let unreadable: Vec<&str> =
            found.problems.iter().filter(|p| p.kind == ProblemKind::Unreadable).map(|p| p.path.as_str()).collect();
        assert_eq!(unreadable, ["locked.txt", "secret"]);
    }

    #[test]
    fn blind_covers_a_folder_and_what_is_in_it_only() {
        let blind = vec!["a/b".to_owned()];
        assert!(is_blind("a/b", &blind) && is_blind("a/b/c", &blind));
        assert!(!is_blind("a/bc", &blind) && !is_blind("a", &blind));
    }
}
