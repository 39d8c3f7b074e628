//! Conditional writes against moto, which honours `If-Match` and
//! `If-None-Match` on uploads, beside Garage, which ignores them: the probe
//! tells them apart, a stale upload is refused where the storage can, and a
//! sync pair on moto writes with conditions from its first pass on, and
//! two computers syncing one prefix keep each other's versions.

use std::path::Path;
use std::time::{Duration, SystemTime};

use aws_sdk_s3::primitives::ByteStream;
use qoima_engine::Engine;
use qoima_engine::account::Secret;
use qoima_engine::objects::BucketWrites;
use qoima_engine::provider::ChecksumKind;
use qoima_engine::storage::{ConnectionParams, RetryPolicy, S3Client, StorageError};
use qoima_engine::sync::conditional::honours_conditions;
use qoima_engine::sync::model::{NewSyncPair, ProblemKind, SyncMode};
use qoima_engine::sync::service::SyncTimings;
use qoima_engine::time::system_clock;
use qoima_engine::transfer::{NoJournal, Target, UploadOptions, WriteCondition};
use qoima_tests::{Garage, bucket_name};
use tokio_util::sync::CancellationToken;

fn moto_params() -> ConnectionParams {
    let endpoint = std::env::var("QOIMA_TEST_MOTO_ENDPOINT")
        .expect("QOIMA_TEST_MOTO_ENDPOINT is not set: these tests need the servers `cargo xtask test` starts");
    ConnectionParams { endpoint, region: "us-east-1".into(), access_key_id: "qoima-test".into(), path_style: true }
}

fn moto() -> S3Client {
    S3Client::new(&moto_params(), "qoima-test-secret", system_clock(), RetryPolicy::Standard).unwrap()
}

async fn moto_bucket(purpose: &str) -> String {
    let name = bucket_name(purpose);
    moto().sdk().create_bucket().bucket(&name).send().await.unwrap();
    name
}

async fn put(client: &S3Client, bucket: &str, key: &str, body: &'static [u8]) -> String {
    let out = client.sdk().put_object().bucket(bucket).key(key).body(ByteStream::from_static(body)).send().await;
    out.unwrap().e_tag().unwrap().to_owned()
}

/// Written a minute ago: past any stability window, so a pass takes it now.
fn write_settled(path: &Path, body: &[u8]) {
    std::fs::write(path, body).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(60)).unwrap();
}

/// An engine of its own on moto with a backup pair of `folder` and `bucket/p/`.
async fn backup_pair(data: &Path, folder: &Path, bucket: &str) -> (Engine, i64) {
    let engine = Engine::open_with(data, system_clock(), SyncTimings::default()).unwrap();
    engine.use_endpoint(&moto_params(), &Secret::new("qoima-test-secret"), "s3-compatible").unwrap();
    let new = NewSyncPair {
        local_dir: folder.display().to_string(),
        bucket: bucket.to_owned(),
        prefix: "p".into(),
        mode: SyncMode::Backup,
    };
    let id = engine.sync_add(new).await.unwrap();
    (engine, id)
}

async fn read(client: &S3Client, bucket: &str, key: &str) -> Vec<u8> {
    let got = client.sdk().get_object().bucket(bucket).key(key).send().await.unwrap();
    got.body.collect().await.unwrap().to_vec()
}

#[tokio::test]
async fn the_probe_tells_a_storage_that_honours_conditions_from_one_that_ignores_them() {
    let bucket = moto_bucket("cond-probe").await;
    assert!(honours_conditions(&moto(), &bucket).await.unwrap(), "moto answers 412");
    let garage = Garage::from_env();
    let garage_bucket = garage.new_bucket("cond-probe").await;
    assert!(!honours_conditions(&garage.client(), &garage_bucket).await.unwrap(), "Garage 2.5 overwrites");
    for (client, bucket) in [(moto(), bucket), (garage.client(), garage_bucket)] {
        let left = client.sdk().list_objects_v2().bucket(&bucket).send().await.unwrap();
        assert!(left.contents().is_empty(), "the probe leaves nothing behind");
    }
}

#[tokio::test]
async fn an_upload_whose_object_changed_meanwhile_is_refused_and_the_other_write_kept() {
    let client = moto();
    let bucket = moto_bucket("cond-stale").await;
    let seen = put(&client, &bucket, "report.txt", b"as the plan saw it").await;
    put(&client, &bucket, "report.txt", b"written by another computer").await;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    std::fs::write(&path, b"this computer's edit").unwrap();
    let writes = BucketWrites { storage_class: None, acl: None, checksum: ChecksumKind::Md5 };
    let target = Target { client: &client, bucket: &bucket, key: "report.txt", path: &path, writes: &writes };
    let stale = UploadOptions { condition: Some(WriteCondition::Is(seen)), ..UploadOptions::default() };
    let refused = target.upload(&stale, None, &NoJournal, &CancellationToken::new(), &|_| {}).await.unwrap_err();
    assert!(matches!(refused, StorageError::Service { status: 412, .. }), "{refused:?}");
    assert_eq!(read(&client, &bucket, "report.txt").await, b"written by another computer");

    let absent = UploadOptions { condition: Some(WriteCondition::Absent), ..UploadOptions::default() };
    let refused = target.upload(&absent, None, &NoJournal, &CancellationToken::new(), &|_| {}).await.unwrap_err();
    assert!(matches!(refused, StorageError::Service { status: 412, .. }), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pair_on_a_storage_with_conditions_sends_new_and_changed_files() {
    let bucket = moto_bucket("cond-pair").await;
    let (data, folder) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_settled(&folder.path().join("a.txt"), b"first");
    let (engine, id) = backup_pair(data.path(), folder.path(), &bucket).await;
    assert_eq!(engine.sync_pass(id, false).await.unwrap().done, 1);
    write_settled(&folder.path().join("a.txt"), b"second, longer");
    let pass = engine.sync_pass(id, false).await.unwrap();
    assert_eq!(pass.done, 1, "{:?}", pass.problems);
    assert_eq!(read(&moto(), &bucket, "p/a.txt").await, b"second, longer");
    let db = rusqlite::Connection::open(data.path().join("qoima.db")).unwrap();
    let learnt: String = db
        .query_row("SELECT value FROM storage_capabilities WHERE name = 'conditional_writes'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(learnt, "yes", "the pair wrote with conditions");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_computers_on_one_prefix_keep_each_others_versions() {
    let bucket = moto_bucket("cond-two").await;
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let (a_folder, b_folder) = (dirs[0].path(), dirs[1].path());
    let (a, a_pair) = backup_pair(dirs[2].path(), a_folder, &bucket).await;
    let (b, b_pair) = backup_pair(dirs[3].path(), b_folder, &bucket).await;
    let stored = async || {
        let listed = moto().list_page_recursive(&bucket, "p/", None).await.unwrap().entries;
        let mut bodies = Vec::new();
        for entry in listed {
            bodies.push(String::from_utf8(read(&moto(), &bucket, &entry.key).await).unwrap());
        }
        bodies.sort();
        bodies
    };

    write_settled(&a_folder.join("plan.txt"), b"from A");
    assert_eq!(a.sync_pass(a_pair, false).await.unwrap().done, 1);
    // B has its own plan.txt: the storage's is kept beside it under a conflict name.
    write_settled(&b_folder.join("plan.txt"), b"from B");
    let b_pass = b.sync_pass(b_pair, false).await.unwrap();
    assert!(b_pass.problems.iter().any(|p| p.kind == ProblemKind::Conflict), "{b_pass:?}");
    assert_eq!(stored().await, ["from A", "from B"]);
    assert_eq!(read(&moto(), &bucket, "p/plan.txt").await, b"from B");

    // A edits the version it last synced, which is no longer the storage's.
    write_settled(&a_folder.join("plan.txt"), b"from A, edited");
    let a_pass = a.sync_pass(a_pair, false).await.unwrap();
    assert!(a_pass.problems.iter().any(|p| p.kind == ProblemKind::Conflict), "{a_pass:?}");
    assert_eq!(stored().await, ["from A", "from A, edited", "from B"], "nothing was overwritten unseen");
    assert_eq!(read(&moto(), &bucket, "p/plan.txt").await, b"from A, edited");
}
