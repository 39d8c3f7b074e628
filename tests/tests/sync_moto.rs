//! Conditional writes against moto, which honours `If-Match` and
//! `If-None-Match` on uploads, beside Garage, which ignores them: the probe
//! tells them apart, a stale upload is refused where the storage can, and a
//! sync pair on moto writes with conditions from its first pass on.

use std::time::{Duration, SystemTime};

use aws_sdk_s3::primitives::ByteStream;
use qoima_engine::account::Secret;
use qoima_engine::objects::BucketWrites;
use qoima_engine::provider::ChecksumKind;
use qoima_engine::storage::{ConnectionParams, RetryPolicy, S3Client, StorageError};
use qoima_engine::sync::conditional::honours_conditions;
use qoima_engine::sync::model::{NewSyncPair, SyncMode};
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
    let engine = qoima_engine::Engine::open_with(data.path(), system_clock(), SyncTimings::default()).unwrap();
    engine.use_endpoint(&moto_params(), &Secret::new("qoima-test-secret"), "s3-compatible").unwrap();
    let write = |name: &str, body: &[u8]| {
        let path = folder.path().join(name);
        std::fs::write(&path, body).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(60)).unwrap();
    };
    write("a.txt", b"first");
    let new = NewSyncPair {
        local_dir: folder.path().display().to_string(),
        bucket: bucket.clone(),
        prefix: "p".into(),
        mode: SyncMode::Backup,
    };
    let id = engine.sync_add(new).await.unwrap();
    assert_eq!(engine.sync_pass(id, false).await.unwrap().done, 1);
    write("a.txt", b"second, longer");
    let pass = engine.sync_pass(id, false).await.unwrap();
    assert_eq!(pass.done, 1, "{:?}", pass.problems);
    assert_eq!(read(&moto(), &bucket, "p/a.txt").await, b"second, longer");
    let db = rusqlite::Connection::open(data.path().join("qoima.db")).unwrap();
    let learnt: String = db
        .query_row("SELECT value FROM storage_capabilities WHERE name = 'conditional_writes'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(learnt, "yes", "the pair wrote with conditions");
}
