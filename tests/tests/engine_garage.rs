//! The engine against the real Garage of this test run.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use qoima_engine::account::Secret;
use qoima_engine::storage::{EntryKind, ObjectEntry, SortKey, SortSpec};
use qoima_engine::time::{ShiftedClock, system_clock};
use qoima_engine::{Engine, ErrorCode};
use qoima_tests::{Garage, closed_port};

fn engine(dir: &tempfile::TempDir) -> Engine {
    Engine::open(dir.path(), system_clock()).unwrap()
}

#[tokio::test]
async fn lists_buckets_with_their_creation_dates() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("list").await;
    let buckets = garage.client().list_buckets().await.unwrap();
    let found = buckets.iter().find(|b| b.name == bucket).expect("the new bucket is listed");
    let created = found.created.expect("Garage reports a creation date");
    let age_ms = qoima_engine::time::unix_millis(std::time::SystemTime::now()) - created.utc_ms;
    assert!((0..600_000).contains(&age_ms), "created just now, got {age_ms} ms ago");
}

#[tokio::test]
async fn pages_a_prefix_of_2500_objects_and_separates_folders() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("pages").await;
    let files: Vec<String> = (0..2500).map(|i| format!("big/file-{i:05}.txt")).collect();
    let folders: Vec<String> = (0..30).map(|i| format!("big/folder-{i:02}/inner.txt")).collect();
    garage.put_objects(&bucket, files.iter().cloned().chain(folders.iter().cloned())).await;

    let client = garage.client();
    let mut pages = 0;
    let mut token = None;
    let mut seen: Vec<ObjectEntry> = Vec::new();
    loop {
        let page = client.list_page(&bucket, "big/", token).await.unwrap();
        assert!(page.entries.len() <= 1000, "a page holds at most 1,000 entries");
        pages += 1;
        seen.extend(page.entries);
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3, "2,530 entries arrive in three pages of at most 1,000");
    let objects: Vec<&ObjectEntry> = seen.iter().filter(|e| e.kind == EntryKind::Object).collect();
    let folder_entries: Vec<&ObjectEntry> = seen.iter().filter(|e| e.kind == EntryKind::Folder).collect();
    assert_eq!(objects.len(), 2500);
    assert_eq!(folder_entries.len(), 30);
    assert!(folder_entries.iter().all(|f| f.key.ends_with('/') && f.name.starts_with("folder-") && f.size.is_none()));
    assert!(objects.iter().all(|o| o.size.is_some() && o.modified.is_some() && !o.name.contains('/')));
    let keys: Vec<&str> = seen.iter().map(|e| e.key.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "pages interleave folders and objects in key order");
    assert_eq!(keys.iter().collect::<BTreeSet<_>>().len(), keys.len(), "no entry twice across pages");
}

#[tokio::test]
async fn unicode_keys_round_trip() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("unicode").await;
    let keys: Vec<String> = [
        "Қазақ әліпбиі/Өңірлер.txt",
        "Қазақ әліпбиі/ғ ү ұ і ң һ.txt",
        "with space/and more spaces.txt",
        "plus+sign.txt",
        "percent%20literal%.txt",
        "emoji 😀 🚀.txt",
        "Отчёт за 2026 год.pdf",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    garage.put_objects(&bucket, keys.iter().cloned()).await;
    let client = garage.client();

    let root = client.list_page(&bucket, "", None).await.unwrap();
    let root_keys: BTreeSet<&str> = root.entries.iter().map(|e| e.key.as_str()).collect();
    let expected: BTreeSet<&str> = [
        "Қазақ әліпбиі/",
        "with space/",
        "plus+sign.txt",
        "percent%20literal%.txt",
        "emoji 😀 🚀.txt",
        "Отчёт за 2026 год.pdf",
    ]
    .into_iter()
    .collect();
    assert_eq!(root_keys, expected);

    let inner = client.list_page(&bucket, "Қазақ әліпбиі/", None).await.unwrap();
    let names: Vec<&str> = inner.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["ғ ү ұ і ң һ.txt", "Өңірлер.txt"], "byte order of the UTF-8 keys");

    let all = client.list_page_recursive(&bucket, "", None).await.unwrap();
    let mut listed: Vec<String> = all.entries.into_iter().map(|e| e.key).collect();
    let mut sent = keys.clone();
    listed.sort();
    sent.sort();
    assert_eq!(listed, sent, "every key comes back byte for byte");
}

#[tokio::test]
async fn sorted_listing_loads_the_whole_prefix_with_progress() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("sorted").await;
    let keys: Vec<String> = (0..1200).map(|i| format!("f-{i:04}.bin")).collect();
    garage.put_objects(&bucket, keys.iter().cloned()).await;
    garage.put_objects(&bucket, ["a-folder/x".to_string()]).await;

    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let account = engine
        .save_account(&qoima_engine::account::SaveAccountRequest {
            id: None,
            name: "sorted".into(),
            provider_id: "garage".into(),
            endpoint: garage.endpoint.clone(),
            region: garage.region.clone(),
            access_key_id: garage.key_id.clone(),
            secret_key: Some(Secret::new(&garage.secret)),
            remember: false,
        })
        .unwrap();
    engine.connect_account(account.id, None).await.unwrap();
    let progress = std::sync::Mutex::new(Vec::new());
    let spec = SortSpec { by: SortKey::Name, descending: true, folders_first: true };
    let summary = engine.load_listing(&bucket, "", spec, |p| progress.lock().unwrap().push(p.loaded)).await.unwrap();
    assert_eq!(summary.total, 1201);
    let progress = progress.into_inner().unwrap();
    assert_eq!(progress.first(), Some(&0));
    assert_eq!(progress.last(), Some(&1201));
    assert!(progress.len() >= 3, "progress after every page: {progress:?}");
    let first = engine.listing_window(summary.id, 0, 3).unwrap();
    assert_eq!(first.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["a-folder/", "f-1199.bin", "f-1198.bin"]);
    let last = engine.listing_window(summary.id, 1200, 10).unwrap();
    assert_eq!(last.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["f-0000.bin"]);
}

async fn test_error(engine: &Engine, request: qoima_engine::account::ConnectRequest) -> ErrorCode {
    let err = engine.test_connection(&request).await.expect_err("the connection test must fail");
    assert!(err.detail.is_some(), "technical detail kept for the Details disclosure");
    err.code
}

#[tokio::test]
async fn connection_test_succeeds_with_the_right_details() {
    let garage = Garage::from_env();
    garage.new_bucket("count").await;
    let dir = tempfile::tempdir().unwrap();
    let check = engine(&dir).test_connection(&garage.connect_request()).await.unwrap();
    assert!(check.bucket_count >= 1);
}

#[tokio::test]
async fn connection_test_tells_failures_apart() {
    let garage = Garage::from_env();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);

    let mut wrong_port = garage.connect_request();
    wrong_port.endpoint = format!("http://127.0.0.1:{}", closed_port());
    assert_eq!(test_error(&engine, wrong_port).await, ErrorCode::EndpointUnreachable);

    let mut tls_to_plain = garage.connect_request();
    tls_to_plain.endpoint = garage.endpoint.replace("http://", "https://");
    assert_eq!(test_error(&engine, tls_to_plain).await, ErrorCode::Tls);

    let mut wrong_region = garage.connect_request();
    wrong_region.region = "eu-central-1".into();
    assert_eq!(test_error(&engine, wrong_region).await, ErrorCode::WrongRegion);

    let mut wrong_secret = garage.connect_request();
    wrong_secret.secret_key = Secret::new("0".repeat(64));
    assert_eq!(test_error(&engine, wrong_secret).await, ErrorCode::WrongSecret);

    let mut unknown_key = garage.connect_request();
    unknown_key.access_key_id = "GK000000000000000000000000".into();
    assert_eq!(test_error(&engine, unknown_key).await, ErrorCode::UnknownAccessKey);

    let mut not_a_url = garage.connect_request();
    not_a_url.endpoint = "127.0.0.1:3900".into();
    let err = engine.test_connection(&not_a_url).await.unwrap_err();
    assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, Some("endpoint")));
}

#[tokio::test]
async fn connection_test_detects_clock_skew() {
    // Garage refuses a signature dated more than 24 hours in the past (and
    // accepts any future date), so the client's clock runs behind.
    let garage = Garage::from_env();
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path(), Arc::new(ShiftedClock::behind(Duration::from_secs(3 * 86_400)))).unwrap();
    assert_eq!(test_error(&engine, garage.connect_request()).await, ErrorCode::ClockSkew);
}

#[tokio::test]
async fn a_missing_bucket_is_named_as_such() {
    let garage = Garage::from_env();
    let err = garage.client().list_page("qt-never-created-bucket", "", None).await.unwrap_err();
    let ui: qoima_engine::UiError = err.into();
    assert_eq!(ui.code, ErrorCode::BucketNotFound);
}

#[tokio::test]
async fn reading_a_write_only_bucket_is_permission_denied() {
    // `cargo xtask test` gives the limited key write access, and only that,
    // to one bucket: the key is valid, the listing is refused.
    let garage = Garage::from_env();
    let limited = garage.limited();
    let bucket = std::env::var("QOIMA_TEST_GARAGE_WRITE_ONLY_BUCKET").expect("set by cargo xtask test");
    let dir = tempfile::tempdir().unwrap();
    engine(&dir).test_connection(&limited.connect_request()).await.expect("the limited key itself is valid");
    let err = limited.client().list_page(&bucket, "", None).await.unwrap_err();
    assert_eq!(qoima_engine::UiError::from(err).code, ErrorCode::PermissionDenied);
}
