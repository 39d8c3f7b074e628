//! Buckets and the everyday object operations against the real Garage.

use aws_sdk_s3::primitives::ByteStream;
use qoima_engine::account::Secret;
use qoima_engine::bucket::{AccessSupport, BucketType, ClassSource, CreateBucketRequest, StorageClass, Website};
use qoima_engine::objects::{BucketWrites, HeadersEdit, SelectionSize, copy_object};
use qoima_engine::provider::ChecksumKind;
use qoima_engine::storage::ConnectionParams;
use qoima_engine::time::system_clock;
use qoima_engine::{Engine, ErrorCode};
use qoima_tests::{Garage, bucket_name, closed_port};

fn engine_as(dir: &tempfile::TempDir, provider: &str) -> Engine {
    Garage::from_env().engine(dir.path(), provider)
}

fn create(name: &str, bucket_type: BucketType, class: StorageClass) -> CreateBucketRequest {
    CreateBucketRequest { name: name.into(), bucket_type, class }
}

#[tokio::test]
async fn invalid_bucket_names_are_refused_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens here: a request that went out would fail as unreachable.
    let offline = Engine::open(dir.path(), system_clock()).unwrap();
    let params = ConnectionParams {
        endpoint: format!("http://127.0.0.1:{}", closed_port()),
        region: "garage".into(),
        access_key_id: "GK-nobody".into(),
        path_style: true,
    };
    offline.use_endpoint(&params, &Secret::new("s"), "garage").unwrap();
    let bad = [
        "",
        "ab",
        &"a".repeat(64),
        "MyBucket",
        "my_bucket",
        "my bucket",
        "қойма",
        "-leading",
        "trailing-",
        ".dot-first",
        "dot-last.",
        "two..dots",
        "dot.-hyphen",
        "hyphen-.dot",
        "10.0.0.1",
        "xn--punycode",
        "name-s3alias",
        "slash/inside",
    ];
    for name in bad {
        let err = offline.create_bucket(&create(name, BucketType::Private, StorageClass::Standard)).await.unwrap_err();
        assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, Some("name")), "{name:?}: {err:?}");
        assert!(offline.check_bucket_name(name).is_some(), "{name:?}");
    }

    let engine = engine_as(&dir, "garage");
    use rand::Rng;
    let tag = format!("{:06x}", rand::rng().random::<u32>() & 0xff_ffff);
    let good = [
        format!("abc{tag}"),
        format!("my-bucket-{tag}"),
        format!("photos.2026.{tag}"),
        format!("{tag}-backup-kz-01"),
        format!("{}{tag}", "a".repeat(57)),
    ];
    for name in &good {
        assert_eq!(engine.check_bucket_name(name), None, "{name:?}");
        let info = engine.create_bucket(&create(name, BucketType::Private, StorageClass::Standard)).await.unwrap();
        assert_eq!(&info.name, name);
    }
}

#[tokio::test]
async fn a_type_change_on_garage_says_plainly_it_is_not_supported() {
    let dir = tempfile::tempdir().unwrap();
    // Garage's own rules: the provider file lists no way of setting a type.
    let engine = engine_as(&dir, "garage");
    let bucket = bucket_name("notype");
    let info = engine.create_bucket(&create(&bucket, BucketType::Private, StorageClass::Standard)).await.unwrap();
    assert_eq!((info.access, info.bucket_type), (AccessSupport::Unsupported, None));
    let err = engine.set_bucket_type(&bucket, BucketType::PublicRead, 1, |_| {}).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessTypesUnsupported);

    // Generic rules try policy then ACL; Garage answers NotImplemented to both
    // writes, and that is what is learnt, not a failure.
    let dir = tempfile::tempdir().unwrap();
    let probing = engine_as(&dir, "s3-compatible");
    assert_eq!(probing.access_support().unwrap(), AccessSupport::Unknown);
    let err = probing.set_bucket_type(&bucket, BucketType::PublicRead, 2, |_| {}).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessTypesUnsupported, "{err:?}");
    assert_eq!(probing.access_support().unwrap(), AccessSupport::Unsupported);
    let info = probing.bucket_info(&bucket).await.unwrap();
    assert_eq!((info.access, info.bucket_type), (AccessSupport::Unsupported, None));
    let err = probing
        .create_bucket(&create(&bucket_name("pubtry"), BucketType::PublicRead, StorageClass::Standard))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessTypesUnsupported);
}

#[tokio::test]
async fn the_class_of_a_garage_bucket_is_kept_on_this_computer() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_as(&dir, "garage");
    let bucket = bucket_name("coldlocal");
    let info = engine.create_bucket(&create(&bucket, BucketType::Private, StorageClass::Cold)).await.unwrap();
    assert_eq!((info.class, info.class_source), (StorageClass::Cold, ClassSource::Local), "Garage keeps no tags");
    let reopened = engine_as(&dir, "garage");
    let info = reopened.bucket_info(&bucket).await.unwrap();
    assert_eq!((info.class, info.class_source), (StorageClass::Cold, ClassSource::Local));
    let elsewhere = engine_as(&tempfile::tempdir().unwrap(), "garage");
    let info = elsewhere.bucket_info(&bucket).await.unwrap();
    assert_eq!((info.class, info.class_source), (StorageClass::Standard, ClassSource::Default));
}

#[tokio::test]
async fn folders_rename_copy_move_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_as(&dir, "garage");
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("ops").await;
    let other = garage.new_bucket("ops-dest").await;
    garage.put_objects(&bucket, ["docs/a.txt", "docs/sub/b.txt", "top.txt"].map(String::from)).await;

    assert_eq!(engine.create_folder(&bucket, "docs/", "empty").await.unwrap(), "docs/empty/");
    let exists = engine.create_folder(&bucket, "docs/", "empty").await.unwrap_err();
    assert_eq!(exists.code, ErrorCode::ObjectExists);
    for bad in ["..", "a/b", ""] {
        let err = engine.create_folder(&bucket, "docs/", bad).await.unwrap_err();
        assert_eq!((err.code, err.field.as_deref()), (ErrorCode::InvalidInput, Some("name")), "{bad:?}");
    }
    let climbing = engine.delete_objects(&bucket, &["docs/../top.txt".into()], 1, |_| {}).await.unwrap_err();
    assert_eq!(climbing.field.as_deref(), Some("name"), "a key with `..` is refused");

    assert_eq!(engine.rename_object(&bucket, "top.txt", "top-renamed.txt", 2).await.unwrap(), "top-renamed.txt");
    assert_eq!(engine.rename_object(&bucket, "docs/", "papers", 3).await.unwrap(), "papers/");
    let keys = |listed: Vec<qoima_engine::storage::ObjectEntry>| {
        let mut keys: Vec<String> = listed.into_iter().map(|e| e.key).collect();
        keys.sort();
        keys
    };
    let all = garage.client().list_page_recursive(&bucket, "", None).await.unwrap().entries;
    assert_eq!(
        keys(all),
        ["papers/a.txt", "papers/empty/", "papers/sub/b.txt", "top-renamed.txt"],
        "the folder moved with its contents and its empty subfolder"
    );

    let copied = engine
        .transfer_objects(&bucket, &["papers/".into(), "top-renamed.txt".into()], &other, "in/", false, 4, |_| {})
        .await
        .unwrap();
    assert_eq!(copied, 3, "objects, not the empty folder's marker that goes with them");
    let moved = engine.transfer_objects(&bucket, &["papers/sub/".into()], &other, "", true, 5, |_| {}).await.unwrap();
    assert_eq!(moved, 1);
    let dest = garage.client().list_page_recursive(&other, "", None).await.unwrap().entries;
    assert_eq!(
        keys(dest),
        ["in/papers/a.txt", "in/papers/empty/", "in/papers/sub/b.txt", "in/top-renamed.txt", "sub/b.txt"]
    );
    let source = garage.client().list_page_recursive(&bucket, "", None).await.unwrap().entries;
    assert_eq!(keys(source), ["papers/a.txt", "papers/empty/", "top-renamed.txt"], "moving removed the source");

    let size = engine.measure_selection(&other, &["in/".into()], 6).await.unwrap();
    assert_eq!(size.objects, 3, "the empty folder's marker is not an object");
    let deleted = engine.delete_objects(&other, &["in/".into(), "sub/b.txt".into()], 7, |_| {}).await.unwrap();
    assert_eq!(deleted, 4, "objects, not the folder markers that go with them");
    assert!(garage.client().list_page_recursive(&other, "", None).await.unwrap().entries.is_empty());
}

#[tokio::test]
async fn deleting_a_bucket_states_what_goes_and_takes_it_in_batches() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_as(&dir, "garage");
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("del").await;
    garage.put_objects(&bucket, (0..1050).map(|i| format!("many/{i:04}"))).await;

    let size = engine.measure_bucket(&bucket, 1).await.unwrap();
    let bytes: u64 = (0..1050).map(|i| format!("many/{i:04}").len() as u64).sum();
    assert_eq!(size, SelectionSize { objects: 1050, bytes });
    let refused = engine.delete_bucket(&bucket, false, 2, |_| {}).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::BucketNotEmpty);

    let progress = std::sync::Mutex::new(Vec::new());
    engine.delete_bucket(&bucket, true, 3, |done| progress.lock().unwrap().push(done)).await.unwrap();
    assert_eq!(*progress.lock().unwrap(), [1000, 1050], "two batched requests");
    assert!(!engine.buckets().await.unwrap().iter().any(|b| b.name == bucket));
}

#[tokio::test]
async fn properties_metadata_share_links_search_and_website() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_as(&dir, "garage");
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("props").await;
    let path = dir.path().join("Есеп қараша.csv");
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    engine.upload_file(&path, &bucket, "reports/Есеп қараша.csv", 1, |_| {}).await.unwrap();
    garage.put_objects(&bucket, ["reports/old/esep-2025.csv", "photos/cat.jpg"].map(String::from)).await;

    let props = engine.object_properties(&bucket, "reports/Есеп қараша.csv").await.unwrap();
    assert_eq!((props.size, props.content_type.as_deref()), (8, Some("text/csv")));
    assert!(props.etag.is_some() && props.modified.is_some());

    let edit = HeadersEdit {
        content_type: Some("text/plain".into()),
        metadata: [("Department".to_owned(), "Бухгалтерия".to_owned())].into(),
    };
    let edited = engine.update_headers(&bucket, "reports/Есеп қараша.csv", edit).await.unwrap();
    assert_eq!(edited.content_type.as_deref(), Some("text/plain"));
    assert_eq!(edited.metadata.get("department").map(String::as_str), Some("Бухгалтерия"));
    assert_eq!(edited.size, 8, "the bytes stay");

    let link =
        engine.share_link(&bucket, "reports/Есеп қараша.csv", std::time::Duration::from_secs(3600)).await.unwrap();
    let response = reqwest::get(&link.url).await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "the signed link works without keys");
    assert_eq!(response.text().await.unwrap(), "a,b\n1,2\n");
    assert!(link.expires.is_some());

    let found = engine.search(&bucket, "reports/", "ЕСЕП", 1).await.unwrap();
    assert_eq!(found.entries.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["reports/Есеп қараша.csv"]);
    let found = engine.search(&bucket, "", "esep", 2).await.unwrap();
    assert_eq!(found.entries.len(), 1);
    assert!(!found.truncated);

    let preview = engine.preview(&bucket, "reports/Есеп қараша.csv").await.unwrap();
    assert_eq!(preview.bytes, b"a,b\n1,2\n");

    let info = engine.bucket_info(&bucket).await.unwrap();
    assert!(info.website_supported, "Garage hosts websites");
    assert_eq!(info.website, None);
    let site = Website { index_document: "index.html".into(), error_document: Some("404.html".into()) };
    let info = engine.set_website(&bucket, Some(site.clone())).await.unwrap();
    assert_eq!(info.website, Some(site));
    let info = engine.set_website(&bucket, None).await.unwrap();
    assert_eq!(info.website, None);
}

#[tokio::test]
async fn objects_above_the_single_copy_limit_are_copied_in_parts() {
    let garage = Garage::from_env();
    let client = garage.client();
    let bucket = garage.new_bucket("bigcopy").await;
    let body: Vec<u8> = (0..12 * 1024 * 1024).map(|i: u32| (i % 251) as u8).collect();
    client.sdk().put_object().bucket(&bucket).key("big.bin").body(ByteStream::from(body.clone())).send().await.unwrap();
    let writes = BucketWrites { storage_class: None, acl: None, checksum: ChecksumKind::Crc32c };
    let limit = 5 * 1024 * 1024;
    let cancel = tokio_util::sync::CancellationToken::new();
    copy_object(&client, (&bucket, "big.bin"), (&bucket, "copy.bin"), &writes, None, limit, &cancel).await.unwrap();
    let copy = client.sdk().get_object().bucket(&bucket).key("copy.bin").send().await.unwrap();
    let etag = copy.e_tag().unwrap_or_default().to_owned();
    assert!(etag.trim_matches('"').ends_with("-3"), "12 MiB in parts of 5 MiB: three parts, got {etag}");
    assert_eq!(copy.body.collect().await.unwrap().into_bytes().as_ref(), body.as_slice());

    cancel.cancel();
    let stopped =
        copy_object(&client, (&bucket, "big.bin"), (&bucket, "stopped.bin"), &writes, None, limit, &cancel).await;
    assert!(matches!(stopped, Err(qoima_engine::storage::StorageError::Cancelled)), "{stopped:?}");
    let uploads = client.sdk().list_multipart_uploads().bucket(&bucket).send().await.unwrap();
    assert!(uploads.uploads().is_empty(), "a stopped copy leaves no unfinished upload behind");
    assert!(client.sdk().head_object().bucket(&bucket).key("stopped.bin").send().await.is_err());
}
