//! Bucket types and storage classes against moto, which keeps policies, ACLs,
//! tags and storage classes and enforces anonymous access like S3.

use aws_sdk_s3::primitives::ByteStream;
use qoima_engine::account::Secret;
use qoima_engine::bucket::{
    AccessSupport, BucketType, CLASS_TAG, ClassSource, CreateBucketRequest, StorageClass, read_type, write_type,
};
use qoima_engine::objects::{BucketWrites, ObjectHeaders, ObjectWrite};
use qoima_engine::provider::{BucketTypeMethod, ChecksumKind};
use qoima_engine::storage::{ConnectionParams, EntryKind, RetryPolicy, S3Client};
use qoima_engine::time::system_clock;
use qoima_engine::{Engine, ErrorCode};
use qoima_tests::bucket_name;
use tokio_util::sync::CancellationToken;

fn params() -> ConnectionParams {
    let endpoint = std::env::var("QOIMA_TEST_MOTO_ENDPOINT")
        .expect("QOIMA_TEST_MOTO_ENDPOINT is not set: these tests need the servers `cargo xtask test` starts");
    ConnectionParams { endpoint, region: "us-east-1".into(), access_key_id: "qoima-test".into(), path_style: true }
}

fn engine(dir: &tempfile::TempDir) -> Engine {
    let engine = Engine::open(dir.path(), system_clock()).unwrap();
    engine.use_endpoint(&params(), &Secret::new("qoima-test-secret"), "s3-compatible").unwrap();
    engine
}

fn client() -> S3Client {
    S3Client::new(&params(), "qoima-test-secret", system_clock(), RetryPolicy::Standard).unwrap()
}

fn file(dir: &tempfile::TempDir, name: &str, body: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, body).unwrap();
    path
}

/// What anyone on the internet gets for this address, without keys.
async fn anonymous_get(url: &str) -> (u16, Vec<u8>) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn every_object_written_into_a_cold_bucket_carries_the_cold_class() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let cold = bucket_name("cold");
    let standard = bucket_name("std");
    for (bucket, class) in [(&cold, StorageClass::Cold), (&standard, StorageClass::Standard)] {
        let request = CreateBucketRequest { name: bucket.clone(), bucket_type: BucketType::Private, class };
        let info = engine.create_bucket(&request).await.unwrap();
        assert_eq!(
            (info.class, info.class_source),
            (class, ClassSource::Storage),
            "the class is read back from the tag"
        );

        let upload = file(&dir, "report.txt", b"quarterly numbers");
        engine.upload_file(&upload, bucket, "report.txt", 1, |_| {}).await.unwrap();
        engine.create_folder(bucket, "", "archive").await.unwrap();
        engine.rename_object(bucket, "report.txt", "report-2026.txt", 1).await.unwrap();
        engine
            .transfer_objects(bucket, &["report-2026.txt".into()], bucket, "archive/", false, 2, |_| {})
            .await
            .unwrap();
    }

    let tags = client().sdk().get_bucket_tagging().bucket(&cold).send().await.unwrap();
    let tag = tags.tag_set().iter().find(|t| t.key() == CLASS_TAG).expect("the class tag is on the bucket");
    assert_eq!(tag.value(), "cold");

    for (bucket, expected) in [(&cold, "STANDARD_IA"), (&standard, "STANDARD")] {
        let listed = client().list_page_recursive(bucket, "", None).await.unwrap();
        let mut keys: Vec<&str> = listed.entries.iter().map(|e| e.key.as_str()).collect();
        keys.sort();
        assert_eq!(keys, ["archive/", "archive/report-2026.txt", "report-2026.txt"], "in {bucket}");
        for entry in &listed.entries {
            assert_eq!(entry.storage_class.as_deref(), Some(expected), "{} in {bucket}", entry.key);
        }
    }
}

#[tokio::test]
async fn a_bucket_is_readable_by_anyone_exactly_while_it_is_public() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let bucket = bucket_name("type");
    let request =
        CreateBucketRequest { name: bucket.clone(), bucket_type: BucketType::Private, class: StorageClass::Standard };
    let info = engine.create_bucket(&request).await.unwrap();
    assert_eq!(info.bucket_type, Some(BucketType::Private));
    engine.upload_file(&file(&dir, "hello.txt", b"hello, world"), &bucket, "docs/hello.txt", 1, |_| {}).await.unwrap();
    let url = format!("{}/{bucket}/docs/hello.txt", params().endpoint);

    assert_eq!(anonymous_get(&url).await.0, 403, "private: refused without keys");
    assert_eq!(engine.object_properties(&bucket, "docs/hello.txt").await.unwrap().public_url, None);

    let info = engine.set_bucket_type(&bucket, BucketType::PublicRead, 3, |_| {}).await.unwrap();
    assert_eq!(info.bucket_type, Some(BucketType::PublicRead), "read back from the storage");
    assert_eq!(info.access, AccessSupport::Policy, "moto takes bucket policies");
    assert_eq!(anonymous_get(&url).await, (200, b"hello, world".to_vec()));
    let props = engine.object_properties(&bucket, "docs/hello.txt").await.unwrap();
    assert_eq!(props.public_url.as_deref(), Some(url.as_str()), "the public address shown is the one that works");
    // moto answers anonymous listings of any bucket, so the listing staying
    // private is checked in the policy itself: it grants reading objects only.
    let policy = client().sdk().get_bucket_policy().bucket(&bucket).send().await.unwrap();
    let policy: serde_json::Value = serde_json::from_str(policy.policy().unwrap()).unwrap();
    let text = policy.to_string();
    assert!(text.contains("s3:GetObject") && !text.contains("ListBucket"), "{text}");
    assert!(
        text.contains(&format!("arn:aws:s3:::{bucket}/*")) && !text.contains(&format!("\"arn:aws:s3:::{bucket}\""))
    );

    let info = engine.set_bucket_type(&bucket, BucketType::PublicReadWrite, 4, |_| {}).await.unwrap();
    assert_eq!(info.bucket_type, Some(BucketType::PublicReadWrite));

    let info = engine.set_bucket_type(&bucket, BucketType::Private, 5, |_| {}).await.unwrap();
    assert_eq!(info.bucket_type, Some(BucketType::Private));
    assert_eq!(anonymous_get(&url).await.0, 403, "private again: refused without keys");

    let fresh = Engine::open(dir.path(), system_clock()).unwrap();
    fresh.use_endpoint(&params(), &Secret::new("qoima-test-secret"), "s3-compatible").unwrap();
    assert_eq!(fresh.access_support().unwrap(), AccessSupport::Policy, "what the storage accepted is remembered");
}

#[tokio::test]
async fn where_only_acls_are_taken_objects_get_their_own_acl() {
    let client = client();
    let bucket = bucket_name("acl");
    client.sdk().create_bucket().bucket(&bucket).send().await.unwrap();
    client
        .sdk()
        .put_object()
        .bucket(&bucket)
        .key("old.txt")
        .body(ByteStream::from_static(b"old"))
        .send()
        .await
        .unwrap();
    let acl_only = [BucketTypeMethod::Acl];
    let cancel = CancellationToken::new();

    let method = write_type(&client, &bucket, BucketType::PublicRead, &acl_only, &cancel, &|_| {}).await.unwrap();
    assert_eq!(method, BucketTypeMethod::Acl);
    assert_eq!(read_type(&client, &bucket, &acl_only).await.unwrap(), Some(BucketType::PublicRead));
    let base = format!("{}/{bucket}", params().endpoint);
    assert_eq!(anonymous_get(&format!("{base}/old.txt")).await, (200, b"old".to_vec()), "existing objects opened");

    let writes = BucketWrites {
        storage_class: None,
        acl: qoima_engine::bucket::object_acl_for(BucketType::PublicRead),
        checksum: ChecksumKind::Crc32c,
    };
    let write = ObjectWrite { bucket: &writes, headers: ObjectHeaders::default() };
    write
        .put(client.sdk().put_object().bucket(&bucket).key("new.txt"), b"new")
        .body(ByteStream::from_static(b"new"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous_get(&format!("{base}/new.txt")).await, (200, b"new".to_vec()), "new objects carry the ACL");

    write_type(&client, &bucket, BucketType::Private, &acl_only, &cancel, &|_| {}).await.unwrap();
    assert_eq!(read_type(&client, &bucket, &acl_only).await.unwrap(), Some(BucketType::Private));
    assert_eq!(anonymous_get(&format!("{base}/old.txt")).await.0, 403);
    assert_eq!(anonymous_get(&format!("{base}/new.txt")).await.0, 403);
}

#[tokio::test]
async fn a_public_type_chosen_at_creation_is_in_place_before_the_first_object() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let bucket = bucket_name("pub");
    let request =
        CreateBucketRequest { name: bucket.clone(), bucket_type: BucketType::PublicRead, class: StorageClass::Cold };
    let info = engine.create_bucket(&request).await.unwrap();
    assert_eq!((info.bucket_type, info.class), (Some(BucketType::PublicRead), StorageClass::Cold));
    let summaries = engine.bucket_summaries().await.unwrap();
    let listed = summaries.iter().find(|b| b.name == bucket).unwrap();
    assert_eq!((listed.bucket_type, listed.class), (Some(BucketType::PublicRead), StorageClass::Cold));
    assert!(listed.created.is_some());

    let again = engine.create_bucket(&request).await.unwrap_err();
    assert!(
        matches!(again.code, ErrorCode::BucketAlreadyYours | ErrorCode::BucketNameTaken),
        "a second create says the name is in use, got {again:?}"
    );
    let entries = client().list_page(&bucket, "", None).await.unwrap().entries;
    assert!(entries.iter().all(|e| e.kind == EntryKind::Object));
}

#[tokio::test]
async fn editing_metadata_keeps_other_headers_and_any_language() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let bucket = bucket_name("meta");
    let request =
        CreateBucketRequest { name: bucket.clone(), bucket_type: BucketType::Private, class: StorageClass::Standard };
    engine.create_bucket(&request).await.unwrap();
    client()
        .sdk()
        .put_object()
        .bucket(&bucket)
        .key("page.html")
        .body(ByteStream::from_static(b"<p>hi</p>"))
        .content_type("text/html")
        .cache_control("max-age=60")
        .content_disposition("inline")
        .send()
        .await
        .unwrap();

    let edit = qoima_engine::objects::HeadersEdit {
        content_type: Some("text/html; charset=utf-8".into()),
        metadata: [("owner".to_owned(), "Айгерім Қасымова".to_owned())].into(),
    };
    let props = engine.update_headers(&bucket, "page.html", edit).await.unwrap();
    assert_eq!(props.metadata.get("owner").map(String::as_str), Some("Айгерім Қасымова"));
    assert_eq!(props.content_type.as_deref(), Some("text/html; charset=utf-8"));
    let head = client().sdk().head_object().bucket(&bucket).key("page.html").send().await.unwrap();
    assert_eq!(head.cache_control(), Some("max-age=60"), "headers not edited stay");
    assert_eq!(head.content_disposition(), Some("inline"));
}

#[tokio::test]
async fn a_bucket_opened_by_acls_elsewhere_is_handled_truthfully() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(&dir);
    let client = client();
    let bucket = bucket_name("foreign");
    // Opened by another tool: a public-read-write bucket ACL and an object ACL.
    client.sdk().create_bucket().bucket(&bucket).send().await.unwrap();
    client
        .sdk()
        .put_bucket_acl()
        .bucket(&bucket)
        .acl(aws_sdk_s3::types::BucketCannedAcl::PublicReadWrite)
        .send()
        .await
        .unwrap();
    client
        .sdk()
        .put_object()
        .bucket(&bucket)
        .key("old.txt")
        .acl(aws_sdk_s3::types::ObjectCannedAcl::PublicRead)
        .body(ByteStream::from_static(b"old"))
        .send()
        .await
        .unwrap();
    assert_eq!(engine.bucket_info(&bucket).await.unwrap().bucket_type, Some(BucketType::PublicRead));

    // Nothing learnt yet on this computer: a new object still follows the bucket's ACL.
    assert_eq!(engine.access_support().unwrap(), AccessSupport::Unknown);
    engine.upload_file(&file(&dir, "new.txt", b"new"), &bucket, "new.txt", 1, |_| {}).await.unwrap();
    let base = format!("{}/{bucket}", params().endpoint);
    assert_eq!(anonymous_get(&format!("{base}/new.txt")).await, (200, b"new".to_vec()));

    let info = engine.set_bucket_type(&bucket, BucketType::Private, 1, |_| {}).await.unwrap();
    assert_eq!(info.bucket_type, Some(BucketType::Private));
    for key in ["old.txt", "new.txt"] {
        assert_eq!(anonymous_get(&format!("{base}/{key}")).await.0, 403, "{key} is closed with the bucket");
    }
}
