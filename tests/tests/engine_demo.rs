//! The built-in demo storage (s3s-fs in-process) is the first storage a
//! person meets: the everyday bucket and object actions work on it too, and
//! what it cannot do (types) is said plainly.

use qoima_engine::bucket::{AccessSupport, BucketType, ClassSource, CreateBucketRequest, StorageClass};
use qoima_engine::storage::EntryKind;
use qoima_engine::time::system_clock;
use qoima_engine::{Engine, ErrorCode};

#[tokio::test]
async fn the_demo_storage_takes_the_everyday_actions() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path(), system_clock()).unwrap();
    engine.connect_demo().await.unwrap();

    let request = CreateBucketRequest {
        name: "my-cold-bucket".into(),
        bucket_type: BucketType::Private,
        class: StorageClass::Cold,
    };
    let info = engine.create_bucket(&request).await.unwrap();
    assert_eq!(info.class, StorageClass::Cold);
    assert_ne!(info.class_source, ClassSource::Default, "the class chosen is remembered somewhere");

    let err = engine.set_bucket_type("my-cold-bucket", BucketType::PublicRead, 1, |_| {}).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessTypesUnsupported);
    assert_eq!(engine.access_support().unwrap(), AccessSupport::Unsupported);

    let file = dir.path().join("note.txt");
    std::fs::write(&file, "demo").unwrap();
    engine.upload_file(&file, "my-cold-bucket", "docs/note.txt", 1, |_| {}).await.unwrap();
    engine.create_folder("my-cold-bucket", "docs/", "inner").await.unwrap();
    let folders = |page: qoima_engine::storage::ObjectPage| -> Vec<String> {
        page.entries.into_iter().filter(|e| e.kind == EntryKind::Folder).map(|e| e.key).collect()
    };
    let listed = engine.objects_page("my-cold-bucket", "docs/", None).await.unwrap();
    assert_eq!(folders(listed), ["docs/inner/"], "a new empty folder shows at once");
    engine.create_folder("my-cold-bucket", "", "empty").await.unwrap();
    assert_eq!(engine.rename_object("my-cold-bucket", "empty/", "still-empty", 6).await.unwrap(), "still-empty/");
    let listed = engine.objects_page("my-cold-bucket", "", None).await.unwrap();
    assert_eq!(folders(listed), ["docs/", "still-empty/"]);
    engine.delete_objects("my-cold-bucket", &["still-empty/".into()], 7, |_| {}).await.unwrap();
    assert_eq!(
        engine.rename_object("my-cold-bucket", "docs/note.txt", "renamed.txt", 2).await.unwrap(),
        "docs/renamed.txt"
    );
    let props = engine.object_properties("my-cold-bucket", "docs/renamed.txt").await.unwrap();
    assert_eq!(props.size, 4);
    assert_eq!(engine.preview("my-cold-bucket", "docs/renamed.txt").await.unwrap().bytes, b"demo");
    let found = engine.search("my-cold-bucket", "", "renamed", 3).await.unwrap();
    assert_eq!(found.entries.len(), 1);
    assert_eq!(engine.delete_objects("my-cold-bucket", &["docs/".into()], 4, |_| {}).await.unwrap(), 1);
    let listed = engine.objects_page("my-cold-bucket", "", None).await.unwrap();
    assert!(listed.entries.is_empty(), "deleted folders leave nothing behind: {:?}", listed.entries);
    engine.delete_bucket("my-cold-bucket", false, 5, |_| {}).await.unwrap();
    assert!(!engine.buckets().await.unwrap().iter().any(|b| b.name == "my-cold-bucket"));
}
