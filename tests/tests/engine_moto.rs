//! The engine against moto, a second S3 implementation with AWS's own error
//! codes and listing behaviour, so nothing only works because Garage is lenient.

use aws_sdk_s3::primitives::ByteStream;
use qoima_engine::storage::{ConnectionParams, EntryKind, RetryPolicy, S3Client};
use qoima_engine::time::system_clock;

fn moto() -> S3Client {
    let endpoint = std::env::var("QOIMA_TEST_MOTO_ENDPOINT")
        .expect("QOIMA_TEST_MOTO_ENDPOINT is not set: these tests need the servers `cargo xtask test` starts");
    let params =
        ConnectionParams { endpoint, region: "us-east-1".into(), access_key_id: "qoima-test".into(), path_style: true };
    S3Client::new(&params, "qoima-test-secret", system_clock(), RetryPolicy::Standard).unwrap()
}

#[tokio::test]
async fn lists_buckets_and_pages_folders_on_moto() {
    let client = moto();
    let bucket = qoima_tests::bucket_name("moto");
    client.sdk().create_bucket().bucket(&bucket).send().await.unwrap();
    let keys: Vec<String> = (0..1005)
        .map(|i| format!("many/item-{i:04}"))
        .chain(["many/sub/inner.txt".into(), "many/".into(), "Қойма 😀.txt".into()])
        .collect();
    for key in &keys {
        client.sdk().put_object().bucket(&bucket).key(key).body(ByteStream::from_static(b"x")).send().await.unwrap();
    }

    assert!(client.list_buckets().await.unwrap().iter().any(|b| b.name == bucket && b.created.is_some()));

    let root = client.list_page(&bucket, "", None).await.unwrap();
    let root_keys: Vec<&str> = root.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(root_keys, ["many/", "Қойма 😀.txt"]);

    let first = client.list_page(&bucket, "many/", None).await.unwrap();
    assert!(first.entries.len() <= 1000 && first.next_token.is_some(), "a page of at most 1,000, with more to come");
    let second = client.list_page(&bucket, "many/", first.next_token).await.unwrap();
    assert!(second.next_token.is_none());
    let all: Vec<_> = first.entries.iter().chain(&second.entries).collect();
    assert_eq!(
        all.iter().filter(|e| e.kind == EntryKind::Object).count(),
        1005,
        "the folder marker `many/` is not a file"
    );
    assert_eq!(
        all.iter().filter(|e| e.kind == EntryKind::Folder).map(|e| e.name.as_str()).collect::<Vec<_>>(),
        ["sub"]
    );
}
