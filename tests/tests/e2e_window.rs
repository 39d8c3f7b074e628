//! The real window: connect to the test Garage through the connect screen,
//! open a bucket and a folder, see a known object; restart and find the
//! account remembered. A screenshot of each step goes to
//! `$QOIMA_TEST_OUTPUT/e2e_connect_browse_restart/`.

use fantoccini::Locator;
use qoima_tests::window::{AppWindow, output_dir};
use qoima_tests::{Garage, assert_secret_not_on_disk};

const BUCKET: &str = "//*[@data-testid='bucket-list']//*[@role='row']";
const ROW: &str = "//*[@role='grid']//*[@role='row']";
const CRUMB_LINK: &str = "//nav[contains(@class, 'crumbs')]//button";
const CRUMB_HERE: &str = "//nav[contains(@class, 'crumbs')]//*[@aria-current='page']";
const FORM_BUTTON: &str = "//*[@data-testid='connect-form']//button";
const ACCOUNTS: &str = "//*[@data-testid='account-list']";

#[tokio::test]
async fn connect_browse_and_find_the_account_remembered() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("e2e").await;
    garage
        .put_objects(&bucket, ["reports/2026/Жылдық есеп.txt", "reports/summary.csv", "readme.txt"].map(String::from))
        .await;
    let data_dir = tempfile::tempdir().unwrap();
    let shots = output_dir("e2e_connect_browse_restart");

    let mut window = AppWindow::launch(data_dir.path(), &shots).await;
    window.wait_for("[data-testid=connect-form]").await;
    window.shot("welcome").await;

    window
        .wait_for("select[name=provider]")
        .await
        .select_by_value("garage")
        .await
        .expect("Garage is a shipped provider");
    window.fill("input[name=endpoint]", &garage.endpoint).await;
    window.fill("input[name=region]", &garage.region).await;
    window.fill("input[name=accessKeyId]", &garage.key_id).await;
    window.fill("input[name=secretKey]", &"0".repeat(garage.secret.len())).await;
    window.fill("input[name=accountName]", "Test Garage").await;
    window.wait_for_text(FORM_BUTTON, "Test connection").await.click().await.unwrap();
    window.wait_for("[role=alert][data-code=wrong_secret]").await;
    window.wait_for_text("//*[@role='alert']", "secret key does not match").await;
    window.shot("wrong-secret-explained").await;

    window.fill("input[name=secretKey]", &garage.secret).await;
    window.shot("connect-form-filled").await;
    window.click("[data-testid=connect-form] button[type=submit]").await;

    let bucket_row = window.wait_for_text(BUCKET, &bucket).await;
    window.shot("bucket-list").await;
    bucket_row.click().await.unwrap();

    let folder = window.wait_for_text(ROW, "reports").await;
    window.wait_for_text(ROW, "readme.txt").await;
    window.shot("bucket-opened").await;
    folder.click().await.unwrap();

    window.wait_for_text(ROW, "summary.csv").await;
    let year = window.wait_for_text(ROW, "2026").await;
    window.shot("folder-opened").await;
    year.click().await.unwrap();
    window.wait_for_text(ROW, "Жылдық есеп.txt").await;
    window.wait_for_text(CRUMB_LINK, &bucket).await;
    window.wait_for_text(CRUMB_LINK, "reports").await;
    window.wait_for_text(CRUMB_HERE, "2026").await;
    window.shot("known-object").await;
    window.close().await;

    // A new start on the same data dir: no connect form, straight to the
    // buckets of the remembered account (its secret read from the keyring).
    let mut window = AppWindow::launch(data_dir.path(), &shots).await;
    window.wait_for_text(BUCKET, &bucket).await;
    window.wait_for_text(ACCOUNTS, "Test Garage").await;
    assert!(
        window.client.find(Locator::Css("[data-testid=connect-form]")).await.is_err(),
        "the remembered account needs no connect form"
    );
    window.shot("restarted-remembered").await;
    window.close().await;

    let logs = data_dir.path().join("logs");
    assert!(std::fs::read_dir(&logs).is_ok_and(|mut d| d.next().is_some()), "the app keeps a log file");
    assert_secret_not_on_disk(data_dir.path(), &garage.secret);
}
