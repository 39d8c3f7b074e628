//! Folder sync against the real Garage with real folders: backup, mirror and
//! two-way passes, the safety stop, the sync trash, conflicts, a watcher
//! that waits for files to settle, a storage that goes away and comes back,
//! a sync process killed mid-way, and `qoima-cli sync --watch` keeping a
//! mirror in step.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use aws_sdk_s3::primitives::ByteStream;
use qoima_engine::Engine;
use qoima_engine::account::usage::Limits;
use qoima_engine::engine::QuotaSettingsRequest;
use qoima_engine::sync::model::{NewSyncPair, PairActivity, ProblemKind, SyncMode, SyncPairEdit, SyncPairView};
use qoima_engine::sync::service::SyncTimings;
use qoima_tests::proxy::FaultyProxy;
use qoima_tests::{Garage, eventually, workspace_binary};
use tokio::net::TcpListener;

/// Written a minute ago: past any stability window, so a pass takes it now.
fn write_settled(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(60)).unwrap();
}

fn quick() -> SyncTimings {
    SyncTimings {
        stable: Duration::from_secs(2),
        rescan: Duration::from_secs(600),
        remote_poll: Duration::from_secs(600),
        gather: Duration::from_millis(300),
        max_backoff: Duration::from_secs(2),
    }
}

struct Setup {
    garage: Garage,
    bucket: String,
    _data: tempfile::TempDir,
    folder: tempfile::TempDir,
    engine: Engine,
    /// Between the engine and Garage, counting what the engine sends.
    proxy: FaultyProxy,
}

impl Setup {
    async fn new(purpose: &str) -> Self {
        Self::on(Garage::from_env(), purpose).await
    }

    /// On a key of the test's own, which sees only this test's bucket.
    async fn own(purpose: &str) -> Self {
        Self::on(Garage::from_env().own_key(purpose).await, purpose).await
    }

    async fn on(garage: Garage, purpose: &str) -> Self {
        let bucket = garage.new_bucket(purpose).await;
        let data = tempfile::tempdir().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let proxy = FaultyProxy::plain(&garage.upstream()).await;
        let engine = garage.sync_engine(data.path(), &proxy.endpoint, quick());
        Self { garage, bucket, _data: data, folder, engine, proxy }
    }

    fn dir(&self) -> &Path {
        self.folder.path()
    }

    async fn pair(&self, prefix: &str, mode: SyncMode) -> i64 {
        let new = NewSyncPair {
            local_dir: self.dir().display().to_string(),
            bucket: self.bucket.clone(),
            prefix: prefix.into(),
            mode,
        };
        self.engine.sync_add(new).await.unwrap()
    }

    /// Every key in the bucket with its bytes.
    async fn objects(&self) -> BTreeMap<String, Vec<u8>> {
        let client = self.garage.client();
        let mut out = BTreeMap::new();
        for key in self.keys().await {
            let got = client.sdk().get_object().bucket(&self.bucket).key(&key).send().await.unwrap();
            out.insert(key, got.body.collect().await.unwrap().to_vec());
        }
        out
    }

    async fn keys(&self) -> Vec<String> {
        let client = self.garage.client();
        let mut keys = Vec::new();
        let mut token = None;
        loop {
            let page =
                client.sdk().list_objects_v2().bucket(&self.bucket).set_continuation_token(token).send().await.unwrap();
            // The probe for conditional writes comes and goes while a pair runs.
            let listed = page.contents().iter().filter_map(|o| o.key().map(str::to_owned));
            keys.extend(listed.filter(|key| !key.starts_with(".qoima-trash/.probe-")));
            token = page.next_continuation_token().map(str::to_owned);
            if token.is_none() {
                return keys;
            }
        }
    }

    async fn put(&self, key: &str, bytes: &[u8]) {
        let client = self.garage.client();
        client
            .sdk()
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(ByteStream::from(bytes.to_vec()))
            .send()
            .await
            .unwrap();
    }

    async fn delete(&self, key: &str) {
        self.garage.client().sdk().delete_object().bucket(&self.bucket).key(key).send().await.unwrap();
    }
}

/// A pair of `folder` with the whole of `bucket`.
fn whole_bucket(folder: &Path, bucket: &str, mode: SyncMode) -> NewSyncPair {
    NewSyncPair { local_dir: folder.display().to_string(), bucket: bucket.to_owned(), prefix: String::new(), mode }
}

fn local_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn today() -> String {
    use qoima_engine::time::{TimeZone, Timestamp};
    Timestamp::now().to_zoned(TimeZone::system()).date().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_sends_new_changed_and_renamed_files_and_keeps_what_was_deleted() {
    let s = Setup::new("sync-backup").await;
    write_settled(&s.dir().join("top.txt"), b"top");
    write_settled(&s.dir().join("a/b/deep.txt"), b"deep");
    write_settled(&s.dir().join("a/report.pdf"), &vec![7u8; 300_000]);
    let id = s.pair("docs", SyncMode::Backup).await;

    let first = s.engine.sync_pass(id, false).await.unwrap();
    assert_eq!(first.done, 3, "{first:?}");
    let stored = s.objects().await;
    assert_eq!(stored.keys().collect::<Vec<_>>(), ["docs/a/b/deep.txt", "docs/a/report.pdf", "docs/top.txt"]);
    assert_eq!(stored["docs/a/b/deep.txt"], b"deep");

    let idle = s.engine.sync_pass(id, false).await.unwrap();
    assert_eq!(idle.done, 0, "nothing changed, nothing moves: {idle:?}");

    write_settled(&s.dir().join("top.txt"), b"top, edited");
    std::fs::rename(s.dir().join("a/report.pdf"), s.dir().join("a/b/report-2026.pdf")).unwrap();
    std::fs::remove_file(s.dir().join("a/b/deep.txt")).unwrap();
    let sent_before = s.proxy.sent();
    let second = s.engine.sync_pass(id, false).await.unwrap();
    assert!(second.problems.is_empty(), "{:?}", second.problems);
    let sent = s.proxy.sent() - sent_before;
    assert!(sent < 100_000, "the renamed 300 kB file was copied in the storage, not sent again: {sent} bytes went up");
    let stored = s.objects().await;
    assert_eq!(stored["docs/top.txt"], b"top, edited");
    assert_eq!(stored["docs/a/b/report-2026.pdf"], vec![7u8; 300_000], "the renamed file is there");
    assert!(stored.contains_key("docs/a/report.pdf"), "backup keeps the old name");
    assert_eq!(stored["docs/a/b/deep.txt"], b"deep", "backup deletes nothing in the storage");
    assert!(!stored.keys().any(|k| k.starts_with(".qoima-trash/")), "backup moves nothing to the trash");
    assert_eq!(s.engine.sync_pass(id, false).await.unwrap().done, 0, "a second pass changes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_name_decomposed_on_disk_syncs_under_its_composed_key_both_ways() {
    let s = Setup::new("sync-nfd").await;
    // "café" as some programs write it: "e" and a combining accent.
    let on_disk = "cafe\u{301}.txt";
    let key = "caf\u{e9}.txt";
    write_settled(&s.dir().join(on_disk), b"first");
    let id = s.pair("", SyncMode::TwoWay).await;

    let first = s.engine.sync_pass(id, false).await.unwrap();
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    assert_eq!(s.objects().await, BTreeMap::from([(key.to_owned(), b"first".to_vec())]));
    let idle = s.engine.sync_pass(id, false).await.unwrap();
    assert_eq!(idle.done, 0, "sent once: {idle:?}");

    s.put(key, b"second").await;
    let back = s.engine.sync_pass(id, false).await.unwrap();
    assert_eq!(back.done, 1, "{back:?}");
    assert_eq!(
        local_files(s.dir()),
        BTreeMap::from([(on_disk.to_owned(), b"second".to_vec())]),
        "the file is updated under the name it has, not doubled under another spelling"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mirror_moves_deletions_to_the_trash_stops_when_too_many_go_and_restores() {
    let s = Setup::new("sync-mirror").await;
    for i in 0..10 {
        write_settled(&s.dir().join(format!("f{i}.txt")), format!("file {i}").as_bytes());
    }
    let id = s.pair("m", SyncMode::Mirror).await;
    assert_eq!(s.engine.sync_pass(id, false).await.unwrap().done, 10);

    std::fs::remove_file(s.dir().join("f0.txt")).unwrap();
    let one = s.engine.sync_pass(id, false).await.unwrap();
    assert!(one.held.is_empty(), "one deletion never asks: {:?}", one.held);
    let trashed = format!(".qoima-trash/{}/m/f0.txt", today());
    let stored = s.objects().await;
    assert!(!stored.contains_key("m/f0.txt"));
    assert_eq!(stored[&trashed], b"file 0", "the object waits in the sync trash");

    let trash = s.engine.sync_trash(id).await.unwrap();
    assert_eq!(trash.len(), 1);
    assert_eq!((trash[0].original_key.as_str(), trash[0].size), ("m/f0.txt", 6));
    s.engine.sync_restore(id, &trash[0].trash_key).await.unwrap();
    let stored = s.objects().await;
    assert_eq!(stored["m/f0.txt"], b"file 0", "restored where it was");
    assert!(!stored.contains_key(&trashed));

    for i in 1..9 {
        std::fs::remove_file(s.dir().join(format!("f{i}.txt"))).unwrap();
    }
    let held = s.engine.sync_pass(id, false).await.unwrap();
    assert_eq!(held.held.len(), 1, "{held:?}");
    assert_eq!((held.held[0].count, held.held[0].of), (8, 9));
    assert_eq!(s.keys().await.iter().filter(|k| k.starts_with("m/")).count(), 10, "nothing deleted while asking");

    let approved = s.engine.sync_pass(id, true).await.unwrap();
    assert!(approved.held.is_empty());
    let left: Vec<String> = s.keys().await.into_iter().filter(|k| k.starts_with("m/")).collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert_eq!(s.engine.sync_trash(id).await.unwrap().len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_way_brings_changes_back_keeps_both_versions_and_never_follows_an_emptied_prefix() {
    let s = Setup::new("sync-twoway").await;
    for name in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"] {
        write_settled(&s.dir().join(name), name.as_bytes());
    }
    let id = s.pair("", SyncMode::TwoWay).await;
    assert_eq!(s.engine.sync_pass(id, false).await.unwrap().done, 5);

    s.put("new/from-elsewhere.txt", b"remote new").await;
    s.put("b.txt", b"b changed elsewhere").await;
    s.delete("c.txt").await;
    write_settled(&s.dir().join("a.txt"), b"a changed here");
    s.put("a.txt", b"a changed there").await;
    let pass = s.engine.sync_pass(id, false).await.unwrap();
    assert!(pass.problems.iter().all(|p| p.kind == ProblemKind::Conflict), "{:?}", pass.problems);

    let local = local_files(s.dir());
    assert_eq!(local["new/from-elsewhere.txt"], b"remote new");
    assert_eq!(local["b.txt"], b"b changed elsewhere");
    assert!(!local.contains_key("c.txt"), "deleted in the storage, so moved to the OS trash here");
    let in_trash = trash::os_limited::list().unwrap();
    assert!(
        in_trash.iter().any(|item| item.name == "c.txt" && item.original_parent == s.dir()),
        "c.txt is in the OS trash"
    );
    assert_eq!(local["a.txt"], b"a changed here", "the local edit keeps the name");
    let conflict: Vec<_> = local.iter().filter(|(name, _)| name.starts_with("a (conflict ")).collect();
    assert_eq!(conflict.len(), 1, "{:?}", local.keys());
    assert_eq!(conflict[0].1, b"a changed there", "the storage's version is kept beside it");
    let stored = s.objects().await;
    assert_eq!(stored["a.txt"], b"a changed here");
    assert_eq!(stored[conflict[0].0], b"a changed there");
    assert_eq!(s.engine.sync_pass(id, false).await.unwrap().done, 0, "both sides agree now");

    for key in s.keys().await {
        s.delete(&key).await;
    }
    let emptied = s.engine.sync_pass(id, false).await.unwrap();
    assert_eq!(emptied.held.len(), 1, "{emptied:?}");
    assert_eq!(emptied.held[0].side, qoima_engine::sync::plan::Side::Local);
    assert_eq!(emptied.held[0].reason, qoima_engine::sync::plan::HoldReason::OtherSideEmpty);
    assert_eq!(local_files(s.dir()), local, "an emptied prefix empties nothing here");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_two_thousand_files_goes_up_once() {
    let s = Setup::new("sync-burst").await;
    let id = s.pair("burst", SyncMode::Backup).await;
    s.engine.run_sync_in_background().unwrap();
    pair_state(&s.engine, id, "the first pass", |v| v.status.activity == PairActivity::Watching).await;
    // Written all at once into a watched folder, as an unpacked archive is.
    for i in 0..2000 {
        let file = s.dir().join(format!("d{}/f{i}.txt", i % 20));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, format!("{i}")).unwrap();
    }
    eventually(Duration::from_secs(120), "2,000 objects", async || (s.keys().await.len() == 2000).then_some(())).await;
    pair_state(&s.engine, id, "the burst synced", |v| {
        v.status.activity == PairActivity::Watching && v.status.pending == 0
    })
    .await;
    assert_eq!(stored(&s.garage, &s.bucket, "burst/d7/f1187.txt").await.as_deref(), Some(&b"1187"[..]));
    let again = s.engine.sync_pass(id, false).await.unwrap();
    assert_eq!(again.done, 0, "every file was recorded as sent: {again:?}");
}

/// Waits until the pair's view satisfies `check`; a timeout shows the last view.
async fn pair_state(engine: &Engine, id: i64, what: &str, check: impl Fn(&SyncPairView) -> bool) {
    let start = std::time::Instant::now();
    loop {
        let view = engine.sync_pairs().unwrap().into_iter().find(|v| v.pair.id == id).expect("the pair");
        if check(&view) {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "timed out waiting for {what}; the pair is {view:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_watcher_waits_for_files_to_settle_and_skips_temporary_ones() {
    let s = Setup::new("sync-watch").await;
    let id = s.pair("w", SyncMode::Backup).await;
    s.engine.run_sync_in_background().unwrap();
    pair_state(&s.engine, id, "the first pass", |v| v.status.activity == PairActivity::Watching).await;

    std::fs::write(s.dir().join("note.txt"), b"hello").unwrap();
    let stored =
        eventually(Duration::from_secs(30), "note.txt in the storage", async || s.objects().await.remove("w/note.txt"))
            .await;
    assert_eq!(stored, b"hello");

    // Appended to for five seconds: never stored half-written.
    let log = s.dir().join("growing.log");
    let writing = Arc::new(AtomicBool::new(true));
    let seen_partial = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (writing, seen_partial, s_keys) = (writing.clone(), seen_partial.clone(), s.garage.clone());
        let bucket = s.bucket.clone();
        tokio::spawn(async move {
            while writing.load(Ordering::SeqCst) {
                let listed = s_keys.client().sdk().list_objects_v2().bucket(&bucket).prefix("w/growing").send().await;
                if listed.is_ok_and(|l| !l.contents().is_empty()) {
                    seen_partial.store(true, Ordering::SeqCst);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let mut expected = Vec::new();
    for i in 0..25 {
        let line = format!("line {i}\n");
        expected.extend_from_slice(line.as_bytes());
        use std::io::Write;
        std::fs::OpenOptions::new().create(true).append(true).open(&log).unwrap().write_all(line.as_bytes()).unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    writing.store(false, Ordering::SeqCst);
    watcher.await.unwrap();
    assert!(!seen_partial.load(Ordering::SeqCst), "the file was stored while it was still being written");
    let stored = eventually(Duration::from_secs(30), "growing.log in the storage", async || {
        s.objects().await.remove("w/growing.log")
    })
    .await;
    assert_eq!(stored, expected, "stored once, complete");

    // An office-style save: a lock file, a temp file renamed into place.
    std::fs::write(s.dir().join("~$budget.xlsx"), b"lock").unwrap();
    std::fs::write(s.dir().join("budget.xlsx.tmp"), b"spreadsheet").unwrap();
    std::fs::rename(s.dir().join("budget.xlsx.tmp"), s.dir().join("budget.xlsx")).unwrap();
    let stored = eventually(Duration::from_secs(30), "budget.xlsx in the storage", async || {
        s.objects().await.remove("w/budget.xlsx")
    })
    .await;
    assert_eq!(stored, b"spreadsheet");
    // Saved again over the synced file the same way: the new version goes up.
    std::fs::write(s.dir().join("budget.xlsx.tmp"), b"spreadsheet, second version").unwrap();
    std::fs::rename(s.dir().join("budget.xlsx.tmp"), s.dir().join("budget.xlsx")).unwrap();
    eventually(Duration::from_secs(30), "the second version of budget.xlsx in the storage", async || {
        s.objects().await.remove("w/budget.xlsx").filter(|stored| stored == b"spreadsheet, second version")
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let keys = s.keys().await;
    assert!(!keys.iter().any(|k| k.contains("~$") || k.ends_with(".tmp")), "{keys:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_busy_folder_never_puts_off_the_look_at_the_storage() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("sync-busy").await;
    let (data, folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let timings = SyncTimings { remote_poll: Duration::from_secs(2), ..quick() };
    let engine = garage.sync_engine(data.path(), &garage.endpoint, timings);
    let id = engine.sync_add(whole_bucket(folder.path(), &bucket, SyncMode::TwoWay)).await.unwrap();
    let edit = SyncPairEdit {
        mode: SyncMode::TwoWay,
        ignore: "*.log".into(),
        max_delete_share: 0.5,
        max_delete_count: 1000,
        trash_days: 30,
    };
    engine.sync_edit(id, &edit).unwrap();
    engine.run_sync_in_background().unwrap();
    pair_state(&engine, id, "the first pass", |v| v.status.activity == PairActivity::Watching).await;

    // A program that writes its log all the time: every write wakes the
    // watcher, none of them is anything to sync.
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let (writing, log) = (writing.clone(), folder.path().join("app.log"));
        std::thread::spawn(move || {
            use std::io::Write;
            let mut file = std::fs::File::create(log).unwrap();
            while writing.load(Ordering::SeqCst) {
                file.write_all(b"still busy\n").unwrap();
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let client = garage.client();
    let body = ByteStream::from_static(b"from another computer");
    client.sdk().put_object().bucket(&bucket).key("elsewhere.txt").body(body).send().await.unwrap();
    let arrived = eventually(Duration::from_secs(20), "the storage's new file in the folder", async || {
        std::fs::read(folder.path().join("elsewhere.txt")).ok()
    })
    .await;
    writing.store(false, Ordering::SeqCst);
    writer.join().unwrap();
    assert_eq!(arrived, b"from another computer");
}

/// A TCP forwarder that can be switched off (every connection dropped,
/// nothing listening) and on again on the same port.
struct Switch {
    port: u16,
    task: Option<tokio::task::JoinHandle<()>>,
    upstream: String,
}

impl Switch {
    async fn on(upstream: &str, port: u16) -> Self {
        let mut switch = Self { port, task: None, upstream: upstream.to_owned() };
        switch.turn_on().await;
        switch
    }

    async fn turn_on(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        let upstream = self.upstream.clone();
        self.task = Some(tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                connections.spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        }));
    }

    fn turn_off(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_storage_that_goes_away_is_waited_for_and_nothing_is_lost() {
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("qoima_engine=debug").try_init();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("sync-outage").await;
    let port = qoima_tests::closed_port();
    let mut switch = Switch::on(&garage.upstream(), port).await;
    let (data, folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let engine = garage.sync_engine(data.path(), &format!("http://127.0.0.1:{port}"), quick());
    let id = engine.sync_add(whole_bucket(folder.path(), &bucket, SyncMode::Backup)).await.unwrap();
    write_settled(&folder.path().join("before.txt"), b"before");
    engine.run_sync_in_background().unwrap();
    let client = garage.client();
    let has = async |key: &str| client.sdk().head_object().bucket(&bucket).key(key).send().await.is_ok();
    eventually(Duration::from_secs(30), "before.txt stored", async || has("before.txt").await.then_some(())).await;

    switch.turn_off();
    std::fs::write(folder.path().join("during.txt"), b"written while the storage was away").unwrap();
    pair_state(&engine, id, "the pair to say the storage does not answer", |v| {
        v.status.activity == PairActivity::Offline
    })
    .await;
    assert!(!has("during.txt").await);

    switch.turn_on().await;
    eventually(Duration::from_secs(60), "during.txt stored once the storage is back", async || {
        has("during.txt").await.then_some(())
    })
    .await;
    pair_state(&engine, id, "the pair back to watching", |v| v.status.activity == PairActivity::Watching).await;
}

fn indexed(data: &Path) -> i64 {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let Ok(db) = rusqlite::Connection::open_with_flags(data.join("qoima.db"), flags) else { return 0 };
    db.query_row("SELECT COUNT(*) FROM sync_index", [], |r| r.get(0)).unwrap_or(0)
}

fn cli_sync(garage: &Garage, data: &Path, folder: &Path, bucket: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(workspace_binary("qoima-cli"));
    cmd.env("QOIMA_DATA_DIR", data)
        .env("QOIMA_SECRET_KEY", &garage.secret)
        .args(["--endpoint", &garage.endpoint, "--region", &garage.region, "--access-key", &garage.key_id])
        .args(["--provider", "garage", "sync"])
        .arg(folder)
        .arg(format!("s3://{bucket}/k"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    cmd
}

async fn stored(garage: &Garage, bucket: &str, key: &str) -> Option<Vec<u8>> {
    let got = garage.client().sdk().get_object().bucket(bucket).key(key).send().await.ok()?;
    Some(got.body.collect().await.ok()?.to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_cli_keeps_a_mirror_in_step_while_it_watches() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("sync-cli-watch").await;
    let (data, folder, logs) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_settled(&folder.path().join("kept.txt"), b"kept");
    write_settled(&folder.path().join("gone.txt"), b"gone");
    let log = logs.path().join("stderr.log");
    let mut child = cli_sync(&garage, data.path(), folder.path(), &bucket)
        .args(["--watch", "--mode", "mirror"])
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    eventually(Duration::from_secs(60), "the first pass", async || stored(&garage, &bucket, "k/gone.txt").await).await;

    std::fs::write(folder.path().join("new.txt"), b"written while watching").unwrap();
    std::fs::remove_file(folder.path().join("gone.txt")).unwrap();
    let new = eventually(Duration::from_secs(60), "new.txt in the storage", async || {
        stored(&garage, &bucket, "k/new.txt").await
    })
    .await;
    assert_eq!(new, b"written while watching");
    let trashed = format!(".qoima-trash/{}/k/gone.txt", today());
    eventually(Duration::from_secs(60), "gone.txt moved to the sync trash", async || {
        let moved = stored(&garage, &bucket, &trashed).await.is_some();
        (moved && stored(&garage, &bucket, "k/gone.txt").await.is_none()).then_some(())
    })
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(stored(&garage, &bucket, "k/kept.txt").await.as_deref(), Some(&b"kept"[..]));
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(said.lines().any(|line| line == "qoima-cli: watching"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sync_killed_midway_goes_on_and_sends_nothing_twice_that_was_confirmed() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("sync-killed").await;
    let (data, folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let files: Vec<PathBuf> = (0..24).map(|i| folder.path().join(format!("part{i:02}.bin"))).collect();
    for (i, file) in files.iter().enumerate() {
        write_settled(file, &vec![i as u8; 256 * 1024]);
    }
    {
        // Slow enough to be killed half-way: 24 files of 256 KiB at 1 MiB/s.
        let engine = garage.engine(data.path(), "garage");
        let limits = qoima_engine::queue::BandwidthLimits { upload: Some(1024 * 1024), download: None };
        engine.set_bandwidth_limits(limits).unwrap();
    }
    let mut child = cli_sync(&garage, data.path(), folder.path(), &bucket).spawn().unwrap();
    eventually(Duration::from_secs(60), "some files confirmed", async || (indexed(data.path()) >= 6).then_some(()))
        .await;
    child.kill().unwrap();
    child.wait().unwrap();
    let confirmed: Vec<String> = {
        let db = rusqlite::Connection::open(data.path().join("qoima.db")).unwrap();
        let mut query = db.prepare("SELECT path FROM sync_index").unwrap();
        query.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert!(confirmed.len() < files.len(), "killed before the end: {} confirmed", confirmed.len());
    let client = garage.client();
    let stamp = async |key: String| {
        let head = client.sdk().head_object().bucket(&bucket).key(&key).send().await.unwrap();
        (key, head.last_modified().copied(), head.e_tag().map(str::to_owned))
    };
    let mut before = Vec::new();
    for path in &confirmed {
        before.push(stamp(format!("k/{path}")).await);
    }

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let engine = garage.engine(data.path(), "garage");
    engine.set_bandwidth_limits(qoima_engine::queue::BandwidthLimits::default()).unwrap();
    drop(engine);
    let out = cli_sync(&garage, data.path(), folder.path(), &bucket).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (key, modified, etag) in before {
        let (_, now_modified, now_etag) = stamp(key.clone()).await;
        assert_eq!((now_modified, now_etag), (modified, etag), "{key} was sent again");
    }
    for (i, _) in files.iter().enumerate() {
        let got = client.sdk().get_object().bucket(&bucket).key(format!("k/part{i:02}.bin")).send().await.unwrap();
        assert_eq!(got.body.collect().await.unwrap().to_vec(), vec![i as u8; 256 * 1024]);
    }
    assert_eq!(indexed(data.path()), files.len() as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_ignore_rule_that_is_no_pattern_is_refused_and_a_missing_folder_is_never_empty() {
    let s = Setup::new("sync-rules").await;
    write_settled(&s.dir().join("keep.txt"), b"keep");
    write_settled(&s.dir().join("debug.log"), b"noise");
    let id = s.pair("", SyncMode::Mirror).await;
    let edit = |ignore: &str| SyncPairEdit {
        mode: SyncMode::Mirror,
        ignore: ignore.into(),
        max_delete_share: 0.5,
        max_delete_count: 1000,
        trash_days: 30,
    };
    let refused = s.engine.sync_edit(id, &edit("[z-a]")).unwrap_err();
    assert_eq!(refused.code, qoima_engine::ErrorCode::SyncIgnoreRule);
    s.engine.sync_edit(id, &edit("*.log")).unwrap();
    s.engine.sync_pass(id, false).await.unwrap();
    assert_eq!(s.keys().await, ["keep.txt"]);

    let moved = s.dir().with_extension("away");
    std::fs::rename(s.dir(), &moved).unwrap();
    let missing = s.engine.sync_pass(id, false).await.unwrap_err();
    std::fs::rename(&moved, s.dir()).unwrap();
    assert_eq!(missing.code, qoima_engine::ErrorCode::SyncFolderMissing);
    assert_eq!(s.keys().await, ["keep.txt"], "a folder that is not there deletes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn days_older_than_the_pair_keeps_leave_the_sync_trash() {
    let s = Setup::new("sync-expiry").await;
    let id = s.pair("x", SyncMode::Mirror).await;
    // The trash is the bucket's: a pair beside it that keeps ten years
    // keeps the old day for both.
    let other = s.pair("y", SyncMode::Mirror).await;
    let keeps_long = SyncPairEdit {
        mode: SyncMode::Mirror,
        ignore: String::new(),
        max_delete_share: 0.5,
        max_delete_count: 1000,
        trash_days: 3650,
    };
    s.engine.sync_edit(other, &keeps_long).unwrap();
    let today = format!(".qoima-trash/{}/x/recent.txt", today());
    s.put(".qoima-trash/2020-01-01/x/old.txt", b"old").await;
    s.put(&today, b"recent").await;
    s.put("x/kept.txt", b"not in the trash").await;
    assert_eq!(s.engine.sync_expire_trash(id).await.unwrap(), 0, "another pair still keeps 2020");
    s.engine.sync_edit(other, &SyncPairEdit { trash_days: 30, ..keeps_long }).unwrap();
    assert_eq!(s.engine.sync_expire_trash(id).await.unwrap(), 1);
    let mut keys = s.keys().await;
    keys.sort();
    assert_eq!(keys, [today, "x/kept.txt".to_owned()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_storage_is_asked_to_empty_the_sync_trash_beside_the_buckets_own_rules() {
    use aws_sdk_s3::types::{
        BucketLifecycleConfiguration, ExpirationStatus, LifecycleExpiration, LifecycleRule, LifecycleRuleFilter,
    };
    let s = Setup::new("sync-lifecycle").await;
    let client = s.garage.client();
    let theirs = LifecycleRule::builder()
        .id("logs-after-a-week")
        .filter(LifecycleRuleFilter::builder().prefix("logs/").build())
        .expiration(LifecycleExpiration::builder().days(7).build())
        .status(ExpirationStatus::Enabled)
        .build()
        .unwrap();
    let config = BucketLifecycleConfiguration::builder().rules(theirs).build().unwrap();
    client
        .sdk()
        .put_bucket_lifecycle_configuration()
        .bucket(&s.bucket)
        .lifecycle_configuration(config)
        .send()
        .await
        .unwrap();

    let id = s.pair("m", SyncMode::Mirror).await;
    s.engine.sync_expire_trash(id).await.unwrap();
    let rules = client.sdk().get_bucket_lifecycle_configuration().bucket(&s.bucket).send().await.unwrap();
    let summary: Vec<(Option<&str>, Option<&str>, Option<i32>)> = rules
        .rules()
        .iter()
        .map(|r| (r.id(), r.filter().and_then(|f| f.prefix()), r.expiration().and_then(|e| e.days())))
        .collect();
    assert!(summary.contains(&(Some("logs-after-a-week"), Some("logs/"), Some(7))), "{summary:?}");
    assert!(summary.contains(&(Some("qoima-sync-trash"), Some(".qoima-trash/"), Some(30))), "{summary:?}");
    assert_eq!(summary.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_all_pauses_every_pair_of_the_storage_and_resume_all_starts_them_again() {
    let s = Setup::new("sync-pause-all").await;
    let first = s.pair("one", SyncMode::Backup).await;
    let second = s.pair("two", SyncMode::Mirror).await;
    s.engine.run_sync_in_background().unwrap();
    s.engine.sync_set_all_paused(true).unwrap();
    for id in [first, second] {
        pair_state(&s.engine, id, "the pair paused", |v| v.pair.paused && v.status.activity == PairActivity::Paused)
            .await;
    }
    write_settled(&s.dir().join("later.txt"), b"sent once resumed");
    s.engine.sync_set_all_paused(false).unwrap();
    eventually(Duration::from_secs(30), "later.txt under both prefixes", async || {
        let keys = s.keys().await;
        (keys.contains(&"one/later.txt".to_owned()) && keys.contains(&"two/later.txt".to_owned())).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn uploads_over_the_quota_wait_for_the_person_and_go_when_told() {
    let s = Setup::own("sync-quota").await;
    let id = s.pair("q", SyncMode::Mirror).await;
    write_settled(&s.dir().join("small.txt"), b"fits");
    assert_eq!(
        s.engine.sync_pass(id, false).await.unwrap().over_quota,
        None,
        "nothing measured: nothing to warn about"
    );
    let limits = Limits { max_bytes: Some(1000), ..Limits::default() };
    let request = QuotaSettingsRequest { limits, garage_admin_endpoint: None, garage_admin_token: None };
    s.engine.set_quota_settings(request).unwrap();
    assert_eq!(s.engine.measure_usage().await.unwrap().bytes, 4);

    write_settled(&s.dir().join("scan-1.pdf"), &[b'a'; 600]);
    write_settled(&s.dir().join("scan-2.pdf"), &[b'b'; 600]);
    std::fs::remove_file(s.dir().join("small.txt")).unwrap();
    let held = s.engine.sync_pass(id, false).await.unwrap();
    let shortfall = held.over_quota.expect("the uploads held back");
    assert_eq!((shortfall.used, shortfall.adding, shortfall.limit), (4, 1200, 1000));
    let keys = s.keys().await;
    assert!(keys.iter().all(|k| k.starts_with(".qoima-trash/")), "nothing sent: {keys:?}");
    assert!(keys.iter().any(|k| k.ends_with("/q/small.txt")), "the deletion went on to the trash: {keys:?}");

    s.engine.run_sync_in_background().unwrap();
    pair_state(&s.engine, id, "the question", |v| {
        v.status.activity == PairActivity::Waiting && v.status.over_quota.as_ref().is_some_and(|q| q.adding == 1200)
    })
    .await;
    s.engine.sync_approve_over_quota(id);
    eventually(Duration::from_secs(60), "both scans sent", async || {
        let keys = s.keys().await;
        (keys.iter().filter(|k| k.starts_with("q/scan-")).count() == 2).then_some(())
    })
    .await;
    pair_state(&s.engine, id, "no question left", |v| v.status.over_quota.is_none()).await;
}
