//! The real window against moto (which keeps bucket types and classes):
//! create a Cold bucket with the dialog, find its class read-only in its
//! settings, make it public after the confirmation, then create a folder,
//! rename an object and delete it. The create dialog is shot in all three
//! languages. Screenshots go to `$QOIMA_TEST_OUTPUT/e2e_buckets/`.

use aws_sdk_s3::primitives::ByteStream;
use qoima_engine::bucket::{BucketType, read_type};
use qoima_engine::provider::BucketTypeMethod;
use qoima_engine::storage::{ConnectionParams, RetryPolicy, S3Client};
use qoima_engine::time::system_clock;
use qoima_tests::window::{AppWindow, output_dir};

const ROW: &str = "//*[@role='grid']//*[@role='row']";
const DIALOG: &str = "//*[@role='dialog' or @role='alertdialog']";
const F2: &str = "\u{E032}";
const DELETE: &str = "\u{E017}";

fn moto_endpoint() -> String {
    std::env::var("QOIMA_TEST_MOTO_ENDPOINT").expect("QOIMA_TEST_MOTO_ENDPOINT: run under `cargo xtask test`")
}

fn moto() -> S3Client {
    let params = ConnectionParams {
        endpoint: moto_endpoint(),
        region: "us-east-1".into(),
        access_key_id: "qoima-test".into(),
        path_style: true,
    };
    S3Client::new(&params, "qoima-test-secret", system_clock(), RetryPolicy::Standard).unwrap()
}

async fn keys(client: &S3Client, bucket: &str) -> Vec<String> {
    let mut keys: Vec<String> =
        client.list_page_recursive(bucket, "", None).await.unwrap().entries.into_iter().map(|e| e.key).collect();
    keys.sort();
    keys
}

async fn press(window: &AppWindow, key: &str) {
    window.client.active_element().await.unwrap().send_keys(key).await.unwrap();
}

#[tokio::test]
async fn a_cold_bucket_made_public_and_its_objects_managed() {
    let bucket = qoima_tests::bucket_name("e2e-cold");
    let data_dir = tempfile::tempdir().unwrap();
    let shots = output_dir("e2e_buckets");

    let mut window = AppWindow::launch(data_dir.path(), &shots).await;
    window.wait_for("select[name=provider]").await.select_by_value("s3-compatible").await.unwrap();
    window.fill("input[name=endpoint]", &moto_endpoint()).await;
    window.fill("input[name=region]", "us-east-1").await;
    window.fill("input[name=accessKeyId]", "qoima-test").await;
    window.fill("input[name=secretKey]", "qoima-test-secret").await;
    window.fill("input[name=accountName]", "Moto").await;
    window.click("[data-testid=connect-form] button[type=submit]").await;

    window.click("[data-testid=create-bucket]").await;
    window.fill("input[name=bucketName]", "Bad_Name").await;
    window.wait_for_text(DIALOG, "lowercase").await;
    let submit = window.wait_for("button[type=submit][form]").await;
    assert!(!submit.is_enabled().await.unwrap(), "a bad name cannot be sent");
    window.shot("create-dialog-bad-name").await;
    window.fill("input[name=bucketName]", &bucket).await;
    window.click("input[name=storageClass][value=cold]").await;
    window.shot("create-dialog-en").await;
    window.click("button[type=submit][form]").await;

    let row = format!("li[data-bucket='{bucket}']");
    window.wait_for_text(&format!("//li[@data-bucket='{bucket}']//*[@data-testid='bucket-class']"), "Cold").await;
    window.shot("bucket-listed-cold").await;

    window.wait_for(&format!("{row} button")).await.click().await.unwrap();
    window.wait_for_text("//*[@data-testid='bucket-settings']//*[@data-testid='bucket-class']", "Cold").await;
    let settings = window.wait_for("[data-testid=bucket-settings]").await;
    assert!(
        settings.find(fantoccini::Locator::Css("input[name=storageClass]")).await.is_err(),
        "the class is shown, never offered for change"
    );
    window.click("[data-testid=bucket-settings] input[name=bucketType][value=public-read]").await;
    window.click("[data-testid=apply-type]").await;
    window.wait_for_text("//*[@data-testid='public-confirm']", &bucket).await;
    window.shot("make-public-confirmation").await;
    window.wait_for_text(&format!("{DIALOG}//button"), "Make public").await.click().await.unwrap();
    window.wait_for("[data-testid=public-address]").await;
    window.shot("bucket-public").await;
    let client = moto();
    let methods = [BucketTypeMethod::Policy];
    assert_eq!(read_type(&client, &bucket, &methods).await.unwrap(), Some(BucketType::PublicRead));
    window.wait_for_text(&format!("{DIALOG}//button"), "Close").await.click().await.unwrap();

    client
        .sdk()
        .put_object()
        .bucket(&bucket)
        .key("notes.txt")
        .body(ByteStream::from_static(b"notes"))
        .send()
        .await
        .unwrap();
    window.wait_for(&row).await.click().await.unwrap();
    window.wait_for_text(ROW, "notes.txt").await;

    window.wait_for_text("//*[@role='group']//button", "New folder").await.click().await.unwrap();
    window.fill("input[name=name]", "..").await;
    window.wait_for_text(DIALOG, "cannot be used as a name").await;
    let create = window.wait_for("button[type=submit][form]").await;
    assert!(!create.is_enabled().await.unwrap(), "`..` is never sent as a folder name");
    window.shot("new-folder-dotdot-refused").await;
    window.fill("input[name=name]", "reports").await;
    window.click("button[type=submit][form]").await;
    window.wait_for_text(ROW, "reports").await;

    window.wait_for_text(ROW, "notes.txt").await.click().await.unwrap();
    press(&window, F2).await;
    window.fill("input[name=name]", "notes-2026.txt").await;
    window.click("button[type=submit][form]").await;
    window.wait_for_text(ROW, "notes-2026.txt").await;
    window.shot("renamed").await;
    assert_eq!(keys(&client, &bucket).await, ["notes-2026.txt", "reports/"]);

    window.wait_for_text(ROW, "notes-2026.txt").await.click().await.unwrap();
    press(&window, DELETE).await;
    window.wait_for("[data-testid=delete-summary]").await;
    window.shot("delete-confirmation").await;
    window.wait_for_text(&format!("{DIALOG}//button"), "Delete permanently").await.click().await.unwrap();
    qoima_tests::eventually(std::time::Duration::from_secs(30), "the object deleted", async || {
        (keys(&client, &bucket).await == ["reports/"]).then_some(())
    })
    .await;
    window.shot("deleted").await;
    window.close().await;

    for locale in ["kk_KZ.UTF-8", "ru_RU.UTF-8"] {
        let mut window = AppWindow::launch_in(data_dir.path(), &shots, locale).await;
        window.click("[data-testid=create-bucket]").await;
        window.fill("input[name=bucketName]", "Bad..name").await;
        window.click("input[name=storageClass][value=cold]").await;
        window.shot(&format!("create-dialog-{}", &locale[..2])).await;
        window.close().await;
    }
}
