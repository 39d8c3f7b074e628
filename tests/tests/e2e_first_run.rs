//! A person's first minutes, in the real window: from the first launch on a
//! fresh computer to their first file in their own storage, with every
//! click and every field counted (the aim is twelve at most) and every step
//! shot to `$QOIMA_TEST_OUTPUT/e2e_first_run/`.
//!
//! The window opens in Russian, as the computer's language says; the person
//! picks Kazakh, connects a Garage key of their own that holds no bucket
//! yet, tests the connection, creates their first bucket from the empty
//! list and uploads a file through the system's file chooser.

use std::path::Path;

use qoima_tests::Garage;
use qoima_tests::desktop::FileChooser;
use qoima_tests::messages::{message, plural_lead};
use qoima_tests::window::{AppWindow, output_dir};

const LANG: &str = "kk";
const MOST_ACTIONS: u32 = 12;
const ROW: &str = "//*[@role='grid']//*[@role='row']";
const FILE: &str = "алғашқы-файл.txt";

/// The window, and how many times the person had to act on it.
struct Journey {
    window: AppWindow,
    actions: u32,
}

impl Journey {
    async fn click(&mut self, css: &str, step: &str) {
        self.window.click(css).await;
        self.acted(step).await;
    }

    async fn fill(&mut self, css: &str, text: &str, step: &str) {
        self.window.fill(css, text).await;
        self.acted(step).await;
    }

    async fn select(&mut self, css: &str, value: &str, step: &str) {
        self.window.wait_for(css).await.select_by_value(value).await.unwrap();
        self.acted(step).await;
    }

    /// Typing where the file is and pressing Enter: one field.
    async fn choose_file(&mut self, chooser: FileChooser, path: &Path, step: &str) {
        chooser.choose(path).await;
        self.acted(step).await;
    }

    async fn acted(&mut self, step: &str) {
        self.actions += 1;
        self.window.shot(&format!("action-{:02}-{step}", self.actions)).await;
    }
}

#[tokio::test]
async fn from_the_first_launch_to_the_first_uploaded_file_in_twelve_actions() {
    let garage = Garage::from_env().own_key("first-run").await;
    let bucket = qoima_tests::bucket_name("first");
    let data_dir = tempfile::tempdir().unwrap();
    let shots = output_dir("e2e_first_run");
    let local = tempfile::tempdir().unwrap();
    let file = local.path().join(FILE);
    std::fs::write(&file, "Сәлем, Qoima!\n").unwrap();

    let mut window = AppWindow::launch_in(data_dir.path(), &shots, "ru_RU.UTF-8").await;
    window.wait_for_text("//h1", &message("ru", "welcome_title")).await;
    window.shot("first-launch").await;
    let mut person = Journey { window, actions: 0 };

    person.click("[data-testid=language-choice] [data-language=kk]", "language").await;
    person.window.wait_for_text("//h1", &message(LANG, "welcome_title")).await;

    person.select("select[name=provider]", "garage", "provider").await;
    person.fill("input[name=endpoint]", &garage.endpoint, "address").await;
    assert_eq!(
        person.window.wait_for("input[name=region]").await.prop("value").await.unwrap().as_deref(),
        Some(garage.region.as_str()),
        "the region comes with the provider"
    );
    person.fill("input[name=accessKeyId]", &garage.key_id, "access-key").await;
    person.fill("input[name=secretKey]", &garage.secret, "secret-key").await;
    person.click("[data-testid=test-connection]", "test").await;
    person.window.wait_for_text("//*[@data-testid='test-success']", &plural_lead(LANG, "test_success", "other")).await;
    person.window.shot("test-result").await;

    person.click("[data-testid=connect-form] button[type=submit]", "connect").await;
    person.window.wait_for_text("//h2", &message(LANG, "buckets_empty_title")).await;
    person.window.wait_for_text("//p", &message(LANG, "buckets_empty_text")).await;
    person.window.shot("empty-list").await;

    person.click("[data-testid=create-first-bucket]", "create-first-bucket").await;
    person.fill("input[name=bucketName]", &bucket, "bucket-name").await;
    person.click("button[type=submit][form]", "create").await;
    person.window.wait_for_text("//h2", &message(LANG, "empty_folder_title")).await;
    person.window.shot("first-bucket-open").await;

    person.click("[data-testid=empty-upload-files]", "upload").await;
    let chooser = FileChooser::wait(&message(LANG, "picker_upload_files")).await;
    person.window.shot("file-chooser").await;
    person.choose_file(chooser, &file, "file").await;
    person.window.wait_for_text(ROW, FILE).await;
    person.window.shot("first-file-listed").await;

    let stored = garage.client().sdk().head_object().bucket(&bucket).key(FILE).send().await.unwrap();
    assert_eq!(stored.content_length(), Some(std::fs::metadata(&file).unwrap().len() as i64));
    println!("first-run journey: {} actions from the first launch to the first file", person.actions);
    assert!(person.actions <= MOST_ACTIONS, "the first file took {} actions, more than {MOST_ACTIONS}", person.actions);
    person.window.close().await;
}
