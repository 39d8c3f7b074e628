//! Uploads and downloads of single files against the real Garage: sizes
//! around the multipart threshold, a large file in parts, awkward names,
//! and a cancelled upload that leaves nothing behind.

use qoima_engine::{Engine, ErrorCode};
use qoima_tests::Garage;

const MIB: usize = 1024 * 1024;

fn engine(dir: &tempfile::TempDir) -> Engine {
    Garage::from_env().engine(dir.path(), "garage")
}

/// Bytes that differ at every offset, so a part in the wrong place shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 7 + i / 4096) % 251) as u8).collect()
}

#[tokio::test]
async fn files_around_the_threshold_and_a_large_one_arrive_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("xfer").await;
    let sizes = [0, 1, 16 * MIB - 1, 16 * MIB, 16 * MIB + 1, 200 * MIB + 12345];
    for (i, size) in sizes.into_iter().enumerate() {
        let body = pattern(size);
        let source = dir.path().join(format!("source-{i}.bin"));
        std::fs::write(&source, &body).unwrap();
        let key = format!("sizes/file {i} — {size}.bin");
        let progress = std::sync::Mutex::new(0u64);
        let sent = engine
            .upload_file(&source, &bucket, &key, 1, |n| *progress.lock().unwrap() = n)
            .await
            .unwrap_or_else(|e| panic!("upload of {size} bytes: {e:?}"));
        assert_eq!(sent, size as u64);
        assert_eq!(*progress.lock().unwrap(), size as u64, "progress reaches the whole size");

        let head = garage.client().sdk().head_object().bucket(&bucket).key(&key).send().await.unwrap();
        let etag = head.e_tag().unwrap_or_default().trim_matches('"').to_owned();
        assert_eq!(etag.contains('-'), size >= 16 * MIB, "{size} bytes: multipart exactly from the threshold ({etag})");

        let target = dir.path().join("down").join(format!("copy-{i}.bin"));
        let got = engine.download_file(&bucket, &key, &target, 2, |_| {}).await.unwrap();
        assert_eq!(got, size as u64);
        assert!(std::fs::read(&target).unwrap() == body, "{size} bytes come back identical");
        let leftovers: Vec<_> = std::fs::read_dir(target.parent().unwrap())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".qoima-download"))
            .collect();
        assert!(leftovers.is_empty(), "no temp file stays after a download");
    }
}

#[tokio::test]
async fn unicode_and_spaced_names_go_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("names").await;
    for name in ["Қойма есеп 2026.txt", "  spaced  name .txt", "emoji 😀 файл.csv", "a+b=c&d.txt"] {
        let source = dir.path().join(name);
        std::fs::write(&source, name.as_bytes()).unwrap();
        let key = format!("docs/{name}");
        engine.upload_file(&source, &bucket, &key, 1, |_| {}).await.unwrap();
        let target = dir.path().join("back").join(name);
        engine.download_file(&bucket, &key, &target, 2, |_| {}).await.unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), name.as_bytes(), "{name:?}");
    }
}

#[tokio::test]
async fn a_cancelled_upload_leaves_no_object_and_no_unfinished_upload() {
    let dir = tempfile::tempdir().unwrap();
    let engine = std::sync::Arc::new(engine(&dir));
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("cancel").await;
    let source = dir.path().join("big.bin");
    std::fs::write(&source, pattern(64 * MIB)).unwrap();

    let canceller = engine.clone();
    let result = engine
        .upload_file(&source, &bucket, "big.bin", 77, move |sent| {
            if sent > 0 {
                canceller.cancel_operation(77);
            }
        })
        .await;
    assert_eq!(result.unwrap_err().code, ErrorCode::Cancelled);
    let client = garage.client();
    let uploads = client.sdk().list_multipart_uploads().bucket(&bucket).send().await.unwrap();
    assert!(uploads.uploads().is_empty(), "the multipart upload was aborted");
    assert!(client.sdk().head_object().bucket(&bucket).key("big.bin").send().await.is_err());

    let missing = engine.upload_file(&dir.path().join("nope.bin"), &bucket, "nope.bin", 78, |_| {}).await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::LocalFileUnreadable);
}

#[tokio::test]
async fn a_folder_of_500_files_goes_up_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("tree").await;
    let source = dir.path().join("source");
    let mut expected = Vec::new();
    for folder in 0..10 {
        for file in 0..50 {
            let relative = format!("папка {folder}/sub/file {file}.bin");
            let body = pattern((folder * 50 + file) * 37 % 4096);
            let path = source.join(&relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &body).unwrap();
            expected.push((relative, body));
        }
    }
    let sent = engine.upload_folder(&source, &bucket, "backup/", 1, |_| {}).await.unwrap();
    assert_eq!(sent.files, 500);

    let target = dir.path().join("target");
    let got = engine.download_folder(&bucket, "backup/", &target, 2, |_| {}).await.unwrap();
    assert_eq!((got.files, got.bytes, got.skipped.len()), (500, sent.bytes, 0));
    for (relative, body) in &expected {
        assert!(std::fs::read(target.join(relative)).unwrap() == *body, "{relative}");
    }
}

#[tokio::test]
async fn keys_that_cannot_be_files_here_are_reported_and_nothing_lands_outside() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("hostile").await;
    let long = format!("in/{}.txt", "я".repeat(150));
    let hostile = ["in/con.txt", "in/C:\\x.txt", "in/what?.txt", "in/trailing. ", "in/a\\..\\..\\b.txt", long.as_str()];
    garage.put_objects(&bucket, hostile.iter().map(|k| k.to_string()).chain(["in/ok/fine.txt".to_string()])).await;

    let outer = dir.path().join("outer");
    let target = outer.join("target");
    std::fs::create_dir_all(&target).unwrap();
    let got = engine.download_folder(&bucket, "in/", &target, 1, |_| {}).await.unwrap();
    assert_eq!(got.files, 1, "only the one representable key is written");
    assert_eq!(std::fs::read_to_string(target.join("ok/fine.txt")).unwrap(), "in/ok/fine.txt");
    let mut skipped: Vec<&str> = got.skipped.iter().map(|(k, _)| k.as_str()).collect();
    skipped.sort();
    let mut expected = hostile.to_vec();
    expected.sort();
    assert_eq!(skipped, expected, "every other key is reported");
    let outside: Vec<_> = std::fs::read_dir(&outer).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(outside, ["target"], "nothing is written beside the chosen folder");
}

/// An engine that reaches Garage only through a proxy cutting its first
/// four connections after 3 MiB: inside parts, inside ranged reads.
async fn behind_faults(dir: &tempfile::TempDir) -> (Engine, qoima_tests::proxy::FaultyProxy) {
    let garage = Garage::from_env();
    let proxy = qoima_tests::proxy::FaultyProxy::start(&garage.upstream(), 4, 3 * MIB).await;
    (garage.engine_at(dir.path(), &proxy.endpoint, "garage"), proxy)
}

#[tokio::test]
async fn transfers_finish_through_connections_cut_mid_body() {
    use std::sync::atomic::Ordering;
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("faults").await;
    let dir = tempfile::tempdir().unwrap();
    let body = pattern(40 * MIB + 7);
    let source = dir.path().join("through-faults.bin");
    std::fs::write(&source, &body).unwrap();

    let (uploader, up_proxy) = behind_faults(&dir).await;
    uploader.upload_file(&source, &bucket, "through-faults.bin", 1, |_| {}).await.unwrap();
    assert!(up_proxy.cuts.load(Ordering::SeqCst) >= 1, "uploads were really cut");

    let (downloader, down_proxy) = behind_faults(&dir).await;
    let target = dir.path().join("back.bin");
    downloader.download_file(&bucket, "through-faults.bin", &target, 2, |_| {}).await.unwrap();
    assert!(down_proxy.cuts.load(Ordering::SeqCst) >= 1, "downloads were really cut");
    assert!(std::fs::read(&target).unwrap() == body, "the bytes survive the cuts");
}

#[tokio::test]
async fn a_file_that_changes_while_it_is_sent_is_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("changing").await;
    let source = dir.path().join("growing.log");
    std::fs::write(&source, pattern(48 * MIB)).unwrap();

    let appended = std::sync::atomic::AtomicBool::new(false);
    let err = engine
        .upload_file(&source, &bucket, "growing.log", 1, |_| {
            // Another program keeps writing once the first part is out.
            if !appended.swap(true, std::sync::atomic::Ordering::SeqCst) {
                use std::io::Write;
                let mut file = std::fs::OpenOptions::new().append(true).open(&source).unwrap();
                file.write_all(b"one more line\n").unwrap();
            }
        })
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::FileChanged);
    let client = garage.client();
    assert!(client.sdk().head_object().bucket(&bucket).key("growing.log").send().await.is_err(), "nothing stored");
    let uploads = client.sdk().list_multipart_uploads().bucket(&bucket).send().await.unwrap();
    assert!(uploads.uploads().is_empty(), "the upload was aborted");
}

/// A byte flipped on the way: the download notices it against the checksum
/// the storage keeps, fetches the object again, and never keeps bad bytes.
#[tokio::test]
async fn a_download_altered_on_the_way_is_fetched_again() {
    use std::sync::atomic::Ordering;
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("altered").await;
    let dir = tempfile::tempdir().unwrap();
    let body = pattern(3 * MIB);
    let source = dir.path().join("altered.bin");
    std::fs::write(&source, &body).unwrap();
    engine(&dir).upload_file(&source, &bucket, "altered.bin", 1, |_| {}).await.unwrap();

    let engine_dir = tempfile::tempdir().unwrap();
    let mut attempts = Vec::new();
    for flips in [1, 100] {
        let proxy = qoima_tests::proxy::FaultyProxy::corrupting(&garage.upstream(), flips, MIB).await;
        let downloader = garage.engine_at(engine_dir.path(), &proxy.endpoint, "garage");
        let target = dir.path().join(format!("back-{flips}.bin"));
        let result = downloader.download_file(&bucket, "altered.bin", &target, 2, |_| {}).await;
        attempts.push((flips, proxy.cuts.load(Ordering::SeqCst), result.map_err(|e| e.code), target));
    }
    let (_, flipped, ok, target) = &attempts[0];
    assert!(*flipped >= 1, "a byte was really flipped");
    assert_eq!(ok, &Ok(3 * MIB as u64), "fetched again after the bad copy");
    assert!(std::fs::read(target).unwrap() == body);
    let (_, flipped, failed, target) = &attempts[1];
    assert!(*flipped >= 2);
    assert_eq!(failed, &Err(ErrorCode::ChecksumMismatch), "every copy altered: refused, not saved");
    assert!(!target.exists());
}

/// A connection that stands still mid-body is given up and the transfer
/// goes on over a new one, both ways.
#[tokio::test]
async fn a_stalled_connection_is_dropped_and_the_transfer_goes_on() {
    use std::sync::atomic::Ordering;
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("stalled").await;
    let dir = tempfile::tempdir().unwrap();
    let body = pattern(24 * MIB + 5);
    let source = dir.path().join("stalled.bin");
    std::fs::write(&source, &body).unwrap();

    let up_proxy = qoima_tests::proxy::FaultyProxy::stalling(&garage.upstream(), 2, 2 * MIB).await;
    let uploader = garage.engine_at(&dir.path().join("up"), &up_proxy.endpoint, "garage");
    uploader.upload_file(&source, &bucket, "stalled.bin", 1, |_| {}).await.unwrap();
    assert!(up_proxy.cuts.load(Ordering::SeqCst) >= 1, "an upload really stalled");

    let down_proxy = qoima_tests::proxy::FaultyProxy::stalling(&garage.upstream(), 2, 2 * MIB).await;
    let downloader = garage.engine_at(&dir.path().join("down"), &down_proxy.endpoint, "garage");
    let target = dir.path().join("back.bin");
    downloader.download_file(&bucket, "stalled.bin", &target, 2, |_| {}).await.unwrap();
    assert!(down_proxy.cuts.load(Ordering::SeqCst) >= 1, "a download really stalled");
    assert!(std::fs::read(&target).unwrap() == body);
}
