//! The transfer queue against the real Garage: folders both ways with their
//! structure, taken names answered once per batch, pause and cancel, a full
//! quota, unreadable files, and processes killed mid-transfer that continue
//! from what was stored.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use qoima_engine::queue::{
    BandwidthLimits, BatchState, ConflictAnswers, DownloadRequest, EnqueueOutcome, Existing, TransfersView,
    UploadRequest,
};
use qoima_engine::{Engine, ErrorCode};
use qoima_tests::{Garage, eventually};

const MIB: usize = 1024 * 1024;

fn pattern(len: usize, seed: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 7 + i / 4096 + seed) % 251) as u8).collect()
}

fn started(dir: &Path) -> Engine {
    let engine = Garage::from_env().engine(dir, "garage");
    tokio::spawn(engine.transfer_runner());
    engine
}

fn upload(paths: &[&Path], bucket: &str, prefix: &str, answers: ConflictAnswers) -> UploadRequest {
    UploadRequest {
        paths: paths.iter().map(|p| p.display().to_string()).collect(),
        bucket: bucket.into(),
        prefix: prefix.into(),
        answers,
    }
}

fn download(bucket: &str, keys: &[&str], dir: &Path, answers: ConflictAnswers) -> DownloadRequest {
    DownloadRequest {
        bucket: bucket.into(),
        keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        dir: dir.display().to_string(),
        answers,
    }
}

fn all(answer: Existing) -> ConflictAnswers {
    ConflictAnswers { all: Some(answer), ..Default::default() }
}

fn queued(outcome: EnqueueOutcome) -> i64 {
    match outcome {
        EnqueueOutcome::Queued { batch_id } => batch_id,
        other => panic!("expected a queued batch, got {other:?}"),
    }
}

/// Waits until no batch is waiting or running.
async fn settled(engine: &Engine) -> TransfersView {
    eventually(Duration::from_secs(120), "every batch finishes", async || {
        let view = engine.transfers_view().unwrap();
        (view.active_batches == 0).then_some(view)
    })
    .await
}

async fn object(garage: &Garage, bucket: &str, key: &str) -> Vec<u8> {
    let out = garage.client().sdk().get_object().bucket(bucket).key(key).send().await.unwrap();
    out.body.collect().await.unwrap().into_bytes().to_vec()
}

async fn keys(garage: &Garage, bucket: &str) -> Vec<String> {
    let out = garage.client().sdk().list_objects_v2().bucket(bucket).send().await.unwrap();
    out.contents().iter().filter_map(|o| o.key().map(str::to_owned)).collect()
}

async fn unfinished_uploads(garage: &Garage, bucket: &str) -> Vec<(String, String)> {
    let out = garage.client().sdk().list_multipart_uploads().bucket(bucket).send().await.unwrap();
    out.uploads()
        .iter()
        .map(|u| (u.key().unwrap_or_default().to_owned(), u.upload_id().unwrap_or_default().to_owned()))
        .collect()
}

fn write(path: &Path, body: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, body).unwrap();
}

#[tokio::test]
async fn a_dropped_folder_and_a_file_go_up_and_come_back_with_their_folders() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("queue").await;
    let engine = started(&dir.path().join("app"));
    let photos = dir.path().join("picked/Фото 2026");
    write(&photos.join("лето/море.jpg"), &pattern(3 * MIB, 1));
    write(&photos.join("a.txt"), b"a");
    write(&photos.join("big.bin"), &pattern(20 * MIB, 2));
    let notes = dir.path().join("picked/notes.txt");
    write(&notes, b"notes");

    let id =
        queued(engine.enqueue_upload(upload(&[&photos, &notes], &bucket, "in/", Default::default())).await.unwrap());
    let view = settled(&engine).await;
    let batch = view.batches.iter().find(|b| b.id == id).unwrap();
    assert_eq!(batch.state, BatchState::Done, "{batch:?}");
    assert_eq!((batch.files_total, batch.files_done, batch.items), (4, 4, 2));
    assert_eq!(batch.bytes_done, batch.bytes_total);
    assert_eq!(batch.bytes_total, (23 * MIB + 6) as u64);
    let mut stored = keys(&garage, &bucket).await;
    stored.sort();
    assert_eq!(stored, ["in/notes.txt", "in/Фото 2026/a.txt", "in/Фото 2026/big.bin", "in/Фото 2026/лето/море.jpg"]);
    assert_eq!(object(&garage, &bucket, "in/Фото 2026/big.bin").await, pattern(20 * MIB, 2));

    let back = dir.path().join("back");
    std::fs::create_dir_all(&back).unwrap();
    let request = download(&bucket, &["in/Фото 2026/", "in/notes.txt"], &back, Default::default());
    let id = queued(engine.enqueue_download(request).await.unwrap());
    let view = settled(&engine).await;
    let batch = view.batches.iter().find(|b| b.id == id).unwrap();
    assert_eq!((batch.state, batch.files_done), (BatchState::Done, 4), "{batch:?}");
    assert_eq!(std::fs::read(back.join("Фото 2026/лето/море.jpg")).unwrap(), pattern(3 * MIB, 1));
    assert_eq!(std::fs::read(back.join("Фото 2026/big.bin")).unwrap(), pattern(20 * MIB, 2));
    assert_eq!(std::fs::read(back.join("notes.txt")).unwrap(), b"notes");

    engine.clear_finished_transfers().unwrap();
    assert!(engine.transfers_view().unwrap().batches.is_empty(), "finished batches are cleared");
}

#[tokio::test]
async fn taken_names_are_asked_once_per_batch_and_answered() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("conflicts").await;
    let engine = started(&dir.path().join("app"));
    let report = dir.path().join("report.pdf");
    let other = dir.path().join("other.txt");
    write(&report, b"first");
    write(&other, b"other");
    queued(engine.enqueue_upload(upload(&[&report], &bucket, "", Default::default())).await.unwrap());
    settled(&engine).await;

    write(&report, b"second");
    let outcome = engine.enqueue_upload(upload(&[&report, &other], &bucket, "", Default::default())).await.unwrap();
    assert_eq!(outcome, EnqueueOutcome::Conflicts { names: vec!["report.pdf".into()], count: 1 });
    assert_eq!(engine.transfers_view().unwrap().batches.len(), 1, "nothing is queued before the answer");

    queued(engine.enqueue_upload(upload(&[&report, &other], &bucket, "", all(Existing::KeepBoth))).await.unwrap());
    settled(&engine).await;
    assert_eq!(object(&garage, &bucket, "report.pdf").await, b"first");
    assert_eq!(object(&garage, &bucket, "report (1).pdf").await, b"second");

    let mut answers = all(Existing::Replace);
    answers.each.insert("other.txt".into(), Existing::Skip);
    write(&other, b"changed");
    let id = queued(engine.enqueue_upload(upload(&[&report, &other], &bucket, "", answers)).await.unwrap());
    let view = settled(&engine).await;
    let batch = view.batches.iter().find(|b| b.id == id).unwrap();
    assert_eq!((batch.files_done, batch.files_skipped, batch.state), (1, 1, BatchState::Done));
    assert_eq!(object(&garage, &bucket, "report.pdf").await, b"second", "replaced");
    assert_eq!(object(&garage, &bucket, "other.txt").await, b"other", "skipped");

    let local = dir.path().join("down");
    write(&local.join("report.pdf"), b"mine");
    let outcome =
        engine.enqueue_download(download(&bucket, &["report.pdf"], &local, Default::default())).await.unwrap();
    assert_eq!(outcome, EnqueueOutcome::Conflicts { names: vec!["report.pdf".into()], count: 1 });
    queued(engine.enqueue_download(download(&bucket, &["report.pdf"], &local, all(Existing::KeepBoth))).await.unwrap());
    settled(&engine).await;
    assert_eq!(std::fs::read(local.join("report.pdf")).unwrap(), b"mine", "the local file is kept");
    assert_eq!(std::fs::read(local.join("report (1).pdf")).unwrap(), b"second");
}

#[tokio::test]
async fn pause_keeps_the_sent_parts_resume_finishes_and_cancel_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("pause").await;
    let engine = started(&dir.path().join("app"));
    engine.set_bandwidth_limits(BandwidthLimits { upload: Some(16 * MIB as u64), download: None }).unwrap();
    let file = dir.path().join("large.bin");
    write(&file, &pattern(64 * MIB, 3));

    let id = queued(engine.enqueue_upload(upload(&[&file], &bucket, "", Default::default())).await.unwrap());
    eventually(Duration::from_secs(30), "a part is stored", async || {
        let batch = engine.transfers_view().unwrap().batches.into_iter().find(|b| b.id == id)?;
        (batch.bytes_done >= 16 * MIB as u64 && batch.bytes_per_second > 0).then_some(())
    })
    .await;
    engine.pause_transfer(id).unwrap();
    let paused = eventually(Duration::from_secs(10), "the pause takes hold", async || {
        let batch = engine.transfers_view().unwrap().batches.into_iter().find(|b| b.id == id)?;
        (batch.state == BatchState::Paused && batch.bytes_per_second == 0).then_some(batch)
    })
    .await;
    assert!(paused.bytes_done >= 16 * MIB as u64, "a paused batch still shows the parts it stored: {paused:?}");
    let uploads = unfinished_uploads(&garage, &bucket).await;
    assert_eq!(uploads.len(), 1, "the unfinished upload stays for the resume: {uploads:?}");

    engine.set_bandwidth_limits(BandwidthLimits::default()).unwrap();
    engine.resume_transfer(id).unwrap();
    let view = settled(&engine).await;
    assert_eq!(view.batches.iter().find(|b| b.id == id).unwrap().state, BatchState::Done);
    assert_eq!(object(&garage, &bucket, "large.bin").await, pattern(64 * MIB, 3));
    assert!(unfinished_uploads(&garage, &bucket).await.is_empty());

    engine.set_bandwidth_limits(BandwidthLimits { upload: Some(8 * MIB as u64), download: None }).unwrap();
    let second = dir.path().join("second.bin");
    write(&second, &pattern(64 * MIB, 4));
    let id = queued(engine.enqueue_upload(upload(&[&second], &bucket, "", Default::default())).await.unwrap());
    eventually(Duration::from_secs(30), "the multipart upload starts", async || {
        (!unfinished_uploads(&garage, &bucket).await.is_empty()).then_some(())
    })
    .await;
    engine.cancel_transfer(id).await.unwrap();
    let view = settled(&engine).await;
    assert_eq!(view.batches.iter().find(|b| b.id == id).unwrap().state, BatchState::Cancelled);
    eventually(Duration::from_secs(10), "the cancelled upload is aborted", async || {
        unfinished_uploads(&garage, &bucket).await.is_empty().then_some(())
    })
    .await;
    assert!(!keys(&garage, &bucket).await.contains(&"second.bin".to_owned()));
}

#[tokio::test]
async fn pause_all_stops_every_waiting_or_running_batch_and_resume_all_finishes_them() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("pause-all").await;
    let engine = started(&dir.path().join("app"));
    let small = dir.path().join("small.txt");
    write(&small, b"done before the pause");
    let done = queued(engine.enqueue_upload(upload(&[&small], &bucket, "", Default::default())).await.unwrap());
    settled(&engine).await;

    engine.set_bandwidth_limits(BandwidthLimits { upload: Some(4 * MIB as u64), download: None }).unwrap();
    let files = [dir.path().join("one.bin"), dir.path().join("two.bin")];
    let mut ids = Vec::new();
    for (seed, file) in files.iter().enumerate() {
        write(file, &pattern(32 * MIB, seed));
        ids.push(queued(engine.enqueue_upload(upload(&[file], &bucket, "", Default::default())).await.unwrap()));
    }
    eventually(Duration::from_secs(30), "the first upload runs", async || {
        let view = engine.transfers_view().unwrap();
        view.batches.iter().any(|b| b.state == BatchState::Running).then_some(())
    })
    .await;

    engine.pause_all_transfers().unwrap();
    let view = eventually(Duration::from_secs(10), "every unfinished batch pauses", async || {
        let view = engine.transfers_view().unwrap();
        let states: Vec<_> = ids.iter().map(|id| view.batches.iter().find(|b| b.id == *id).unwrap().state).collect();
        states.iter().all(|s| *s == BatchState::Paused).then_some(view)
    })
    .await;
    assert_eq!(view.batches.iter().find(|b| b.id == done).unwrap().state, BatchState::Done, "a finished batch stays");

    engine.set_bandwidth_limits(BandwidthLimits::default()).unwrap();
    engine.resume_all_transfers().unwrap();
    let view = settled(&engine).await;
    for id in &ids {
        assert_eq!(view.batches.iter().find(|b| b.id == *id).unwrap().state, BatchState::Done);
    }
    for (seed, name) in ["one.bin", "two.bin"].iter().enumerate() {
        assert_eq!(object(&garage, &bucket, name).await, pattern(32 * MIB, seed));
    }
}

#[tokio::test]
async fn unreadable_and_vanished_files_are_reported_and_the_rest_goes() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("unreadable").await;
    let engine = started(&dir.path().join("app"));
    engine.set_bandwidth_limits(BandwidthLimits { upload: Some(4 * MIB as u64), download: None }).unwrap();
    let good = dir.path().join("good.txt");
    let missing = dir.path().join("missing.txt");
    let vanishing = dir.path().join("vanishing.bin");
    write(&good, b"good");
    write(&vanishing, &pattern(2 * MIB, 5));
    let slow = dir.path().join("slow.bin");
    write(&slow, &pattern(8 * MIB, 6));
    let request = upload(&[&slow, &good, &missing, &vanishing], &bucket, "", Default::default());
    std::fs::remove_file(&vanishing).unwrap_or(());
    let id = queued(engine.enqueue_upload(request).await.unwrap());
    let view = settled(&engine).await;
    let batch = view.batches.iter().find(|b| b.id == id).unwrap();
    assert_eq!(batch.state, BatchState::Failed, "{batch:?}");
    assert_eq!((batch.files_done, batch.files_failed), (2, 2));
    let mut failed: Vec<_> = batch.failures.iter().map(|f| (f.name.as_str(), f.error.code)).collect();
    failed.sort_by_key(|(name, _)| *name);
    assert_eq!(
        failed,
        [("missing.txt", ErrorCode::LocalFileUnreadable), ("vanishing.bin", ErrorCode::LocalFileUnreadable)]
    );
    assert_eq!(object(&garage, &bucket, "good.txt").await, b"good");
}

/// Sets a bucket's object quota with Garage's admin API.
async fn limit_objects(bucket: &str, max_objects: u64) {
    let admin = std::env::var("QOIMA_TEST_GARAGE_ADMIN").unwrap();
    let token = std::env::var("QOIMA_TEST_GARAGE_ADMIN_TOKEN").unwrap();
    let http = reqwest::Client::new();
    let buckets = http.get(format!("{admin}/v2/ListBuckets")).bearer_auth(&token).send().await.unwrap();
    let buckets: serde_json::Value = serde_json::from_str(&buckets.text().await.unwrap()).unwrap();
    // A bucket made through S3 may carry its name as a global or as the key's local alias.
    let named = |b: &&serde_json::Value| b.to_string().contains(&format!("\"{bucket}\""));
    let found = buckets.as_array().unwrap().iter().find(named).unwrap_or_else(|| panic!("{bucket} in {buckets}"));
    let id = found["id"].as_str().unwrap();
    let body = serde_json::json!({ "quotas": { "maxSize": null, "maxObjects": max_objects } });
    let response = http
        .post(format!("{admin}/v2/UpdateBucket?id={id}"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "quota set: {}", response.text().await.unwrap());
}

#[tokio::test]
async fn a_full_quota_stops_the_batch_with_the_quota_message() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("quota").await;
    garage.put_objects(&bucket, ["already.txt".to_owned()]).await;
    limit_objects(&bucket, 1).await;
    let engine = started(&dir.path().join("app"));
    let files: Vec<PathBuf> = (0..5).map(|i| dir.path().join(format!("f{i}.txt"))).collect();
    for file in &files {
        write(file, b"data");
    }
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let id = queued(engine.enqueue_upload(upload(&paths, &bucket, "", Default::default())).await.unwrap());
    let view = settled(&engine).await;
    let batch = view.batches.iter().find(|b| b.id == id).unwrap();
    assert_eq!(batch.state, BatchState::Failed, "{batch:?}");
    assert_eq!(batch.stopped_by.as_ref().map(|e| e.code), Some(ErrorCode::QuotaExceeded));
    assert_eq!(batch.files_done, 0);
    assert!(batch.failures.iter().all(|f| f.error.code == ErrorCode::QuotaExceeded), "{:?}", batch.failures);

    limit_objects(&bucket, 100).await;
    engine.retry_transfer(id).unwrap();
    let view = settled(&engine).await;
    let batch = view.batches.iter().find(|b| b.id == id).unwrap();
    assert_eq!((batch.state, batch.files_done), (BatchState::Done, 5), "{batch:?}");
}

fn worker(data: &Path, limit: usize, job: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_queue_worker"))
        .arg(data)
        .arg(limit.to_string())
        .args(job)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn journaled_parts(data: &Path) -> i64 {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let Ok(db) = rusqlite::Connection::open_with_flags(data.join("qoima.db"), flags) else { return 0 };
    db.query_row("SELECT COUNT(*) FROM transfer_parts", [], |r| r.get(0)).unwrap_or(0)
}

fn finish(child: Child) -> (String, String) {
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(out.status.success(), "worker failed: {stdout}\n{stderr}");
    (stdout, stderr)
}

async fn killed_after_parts(mut child: Child, data: &Path, parts: i64) {
    eventually(Duration::from_secs(60), "parts are journaled", async || (journaled_parts(data) >= parts).then_some(()))
        .await;
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn a_killed_upload_continues_from_the_parts_the_storage_holds() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("killed-up").await;
    let data = dir.path().join("app");
    let file = dir.path().join("film.bin");
    write(&file, &pattern(192 * MIB, 7));

    let first = worker(&data, 64 * MIB, &["upload", &bucket, &file.display().to_string()]);
    killed_after_parts(first, &data, 2).await;
    let held = unfinished_uploads(&garage, &bucket).await;
    assert_eq!(held.len(), 1, "the killed upload is still on the storage: {held:?}");

    let (stdout, stderr) = finish(worker(&data, 0, &[]));
    let continued = stderr.lines().find(|l| l.contains("continuing an upload")).unwrap_or_else(|| panic!("{stderr}"));
    assert!(continued.contains(&held[0].1), "the same upload continues: {continued}");
    let parts: usize =
        continued.split("parts=").nth(1).and_then(|r| r.split_whitespace().next()).unwrap().parse().unwrap();
    assert!(parts >= 2, "parts sent before the kill are not sent again: {continued}");
    let view: TransfersView = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(view.batches[0].state, BatchState::Done);
    assert!(object(&garage, &bucket, "film.bin").await == pattern(192 * MIB, 7));
    assert!(unfinished_uploads(&garage, &bucket).await.is_empty());
}

#[tokio::test]
async fn a_killed_download_continues_and_an_object_changed_meanwhile_comes_whole() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("killed-down").await;
    let data = dir.path().join("app");
    let source = dir.path().join("film.bin");
    write(&source, &pattern(192 * MIB, 8));
    let engine = Garage::from_env().engine(&dir.path().join("uploader"), "garage");
    engine.upload_file(&source, &bucket, "film.bin", 1, |_| {}).await.unwrap();
    let target = dir.path().join("down");
    std::fs::create_dir_all(&target).unwrap();
    let job = ["download", bucket.as_str(), "film.bin", target.to_str().unwrap()];

    killed_after_parts(worker(&data, 64 * MIB, &job), &data, 2).await;
    assert!(target.join(".film.bin.qoima-download").exists(), "the temp file stays for the resume");
    assert!(!target.join("film.bin").exists(), "nothing half-written carries the name");
    let (_, stderr) = finish(worker(&data, 0, &[]));
    assert!(stderr.contains("continuing a download"), "{stderr}");
    assert!(std::fs::read(target.join("film.bin")).unwrap() == pattern(192 * MIB, 8));

    std::fs::remove_file(target.join("film.bin")).unwrap();
    let data = dir.path().join("app2");
    killed_after_parts(worker(&data, 64 * MIB, &job), &data, 2).await;
    write(&source, &pattern(40 * MIB, 9));
    engine.upload_file(&source, &bucket, "film.bin", 2, |_| {}).await.unwrap();
    finish(worker(&data, 0, &[]));
    assert!(
        std::fs::read(target.join("film.bin")).unwrap() == pattern(40 * MIB, 9),
        "the new version whole, never the old one's ranges spliced in"
    );
}

#[tokio::test]
async fn uploads_this_app_left_behind_are_aborted_and_other_programs_uploads_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("orphans").await;
    let data = dir.path().join("app");
    let file = dir.path().join("film.bin");
    write(&file, &pattern(192 * MIB, 10));
    killed_after_parts(worker(&data, 64 * MIB, &["upload", &bucket, &file.display().to_string()]), &data, 1).await;
    let ours = unfinished_uploads(&garage, &bucket).await;
    assert_eq!(ours.len(), 1);
    let foreign =
        garage.client().sdk().create_multipart_upload().bucket(&bucket).key("foreign.bin").send().await.unwrap();
    let foreign = foreign.upload_id().unwrap().to_owned();

    // Cancelled while connected elsewhere: the upload cannot be aborted
    // then, and no file continues it any more.
    let nowhere = format!("http://127.0.0.1:{}", qoima_tests::closed_port());
    let elsewhere = garage.engine_at(&data, &nowhere, "garage");
    let batch = {
        let db = rusqlite::Connection::open(data.join("qoima.db")).unwrap();
        db.query_row("SELECT id FROM transfer_batches", [], |r| r.get::<_, i64>(0)).unwrap()
    };
    elsewhere.cancel_transfer(batch).await.unwrap();
    drop(elsewhere);
    assert_eq!(unfinished_uploads(&garage, &bucket).await.len(), 2);

    let _engine = started(&data);
    eventually(Duration::from_secs(20), "the app's own leftover is aborted", async || {
        let left = unfinished_uploads(&garage, &bucket).await;
        (left.len() == 1).then_some(left)
    })
    .await;
    assert_eq!(unfinished_uploads(&garage, &bucket).await, [("foreign.bin".to_owned(), foreign)]);
}

/// A part that takes longer than any request timeout (16 MiB at 256 KiB/s
/// is over a minute) still arrives: a slow line is never taken for a dead one.
#[tokio::test]
async fn a_slow_line_is_not_taken_for_a_dead_one() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("slow").await;
    let engine = started(&dir.path().join("app"));
    engine.set_bandwidth_limits(BandwidthLimits { upload: Some(256 * 1024), download: None }).unwrap();
    let file = dir.path().join("slow.bin");
    write(&file, &pattern(16 * MIB, 11));
    let id = queued(engine.enqueue_upload(upload(&[&file], &bucket, "", Default::default())).await.unwrap());
    let view = eventually(Duration::from_secs(150), "the slow upload finishes", async || {
        let view = engine.transfers_view().unwrap();
        (view.active_batches == 0).then_some(view)
    })
    .await;
    let batch = view.batches.iter().find(|b| b.id == id).unwrap();
    assert_eq!(batch.state, BatchState::Done, "{batch:?}");
    let took = batch.finished.as_ref().unwrap().utc_ms - batch.created.utc_ms;
    assert!(took > 60_000, "the limit held the part over a minute: {took} ms");
    assert!(object(&garage, &bucket, "slow.bin").await == pattern(16 * MIB, 11));
}
