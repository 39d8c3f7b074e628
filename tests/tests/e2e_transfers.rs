//! Uploads and downloads in the real window on the demo storage, the way a
//! person does them: the Upload menu and Ctrl+D open the system's file
//! chooser (GTK's, answered with xdotool), a taken name is answered in the
//! conflict dialog, a slow upload is paused and resumed from the transfers
//! panel while the window title shows how far it is. What lands in the demo
//! storage is read from its folder on disk. The panel and the conflict dialog
//! are shot in all three languages. Screenshots go to
//! `$QOIMA_TEST_OUTPUT/e2e_transfers/`.
//!
//! One test, not several: the chooser is found by its title and given the
//! keyboard on a display shared by everything the test opens, so two app
//! windows at once could answer each other's choosers.

use std::path::{Path, PathBuf};
use std::time::Duration;

use qoima_tests::desktop::{FileChooser, window_title, windows_titled};
use qoima_tests::eventually;
use qoima_tests::messages::message;
use qoima_tests::window::{AppWindow, output_dir};
use rand::RngCore;

const BUCKET: &str = "//*[@data-testid='bucket-list']//*[@role='row']";
const ROW: &str = "//*[@role='grid']//*[@role='row']";
const DIALOG: &str = "//*[@role='dialog' or @role='alertdialog']";
const PANEL: &str = "//*[@id='transfers-panel']";
const CONTROL: &str = "\u{E009}";

/// Long enough for a slowed 64 MiB upload on a loaded machine.
const TRANSFER_DEADLINE: Duration = Duration::from_secs(120);

const FILE: &str = "budget-2026.csv";
const FILE_KEPT: &str = "budget-2026 (1).csv";
const BIG: &str = "archive-2025.bin";
const BIG_SIZE: usize = 64 << 20;
/// MB/s: the big file takes about eight seconds, time to see it move and pause it.
const UPLOAD_LIMIT: &str = "8";

fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// What a person has on their computer: a file, a folder with a nested
/// folder, and a big file; a folder to download into.
struct Local {
    _dir: tempfile::TempDir,
    file: PathBuf,
    folder: PathBuf,
    big: PathBuf,
    downloads: PathBuf,
}

impl Local {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE);
        std::fs::write(&file, random_bytes(300 << 10)).unwrap();
        let folder = dir.path().join("trip");
        std::fs::create_dir_all(folder.join("photos")).unwrap();
        std::fs::create_dir_all(folder.join("notes")).unwrap();
        std::fs::write(folder.join("notes").join("day1.txt"), b"Almaty, Medeu, then the Big Almaty Lake.\n").unwrap();
        std::fs::write(folder.join("photos").join("medeu.jpg"), random_bytes(40 << 10)).unwrap();
        let big = dir.path().join(BIG);
        std::fs::write(&big, random_bytes(BIG_SIZE)).unwrap();
        let downloads = dir.path().join("Downloads");
        std::fs::create_dir(&downloads).unwrap();
        Self { _dir: dir, file, folder, big, downloads }
    }
}

/// An object of the demo storage as a file on disk.
fn stored(data_dir: &Path, bucket: &str, key: &str) -> PathBuf {
    data_dir.join("demo-storage").join(bucket).join(key)
}

/// Waits until `path` holds exactly the bytes of `source`.
async fn same_bytes(path: &Path, source: &Path) {
    let want = std::fs::read(source).unwrap();
    eventually(TRANSFER_DEADLINE, &format!("{} to equal {}", path.display(), source.display()), async || {
        (std::fs::read(path).ok()? == want).then_some(())
    })
    .await;
}

async fn batch_ids(window: &AppWindow) -> Vec<String> {
    let ids = window
        .client
        .execute(
            "return [...document.querySelectorAll('#transfers-panel li[data-batch]')].map(e => e.dataset.batch)",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(ids).unwrap()
}

/// Waits for a batch the panel did not show `before`; its id.
async fn new_batch(window: &AppWindow, before: &[String]) -> String {
    eventually(TRANSFER_DEADLINE, "a new batch in the transfers panel", async || {
        batch_ids(window).await.into_iter().find(|id| !before.contains(id))
    })
    .await
}

fn batch(id: &str) -> String {
    format!("{PANEL}//li[@data-batch='{id}']")
}

async fn wait_done(window: &AppWindow, id: &str) {
    let state = format!("{}[@data-state='done']", batch(id));
    eventually(TRANSFER_DEADLINE, &format!("batch {id} done"), async || {
        window.client.find(fantoccini::Locator::XPath(&state)).await.ok()
    })
    .await;
}

/// Opens the demo storage (connecting if this start did not) and `bucket` in it.
async fn open_demo_bucket(window: &AppWindow, lang: &str, bucket: &str) {
    let demo = format!("//button[contains(normalize-space(.), '{}')]", message(lang, "demo_button"));
    let either = format!("{demo} | {BUCKET}");
    window
        .client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(fantoccini::Locator::XPath(&either))
        .await
        .unwrap();
    if let Ok(button) = window.client.find(fantoccini::Locator::XPath(&demo)).await {
        button.click().await.unwrap();
    }
    window.wait_for_text(BUCKET, bucket).await.click().await.unwrap();
    window.wait_for_text(ROW, "README.txt").await;
}

/// Chooses `answer` (replace, skip or keep_both) in the open conflict dialog
/// and continues.
async fn answer_conflict(window: &AppWindow, lang: &str, answer: &str) {
    window.click(&format!("input[name=existing][value={answer}]")).await;
    window
        .wait_for_text(&format!("{DIALOG}//button"), &message(lang, "conflict_continue"))
        .await
        .click()
        .await
        .unwrap();
}

async fn pick_upload(window: &AppWindow, what: &str) {
    window.click("[data-testid=upload-button]").await;
    window.click(&format!("[role=menu] [data-action={what}]")).await;
}

/// The app's main window on the X display.
async fn main_window_id() -> String {
    let mut ids = windows_titled(|title| title.starts_with("Qoima")).await;
    assert_eq!(ids.len(), 1, "one app window on the screen");
    ids.pop().unwrap()
}

async fn progress(window: &AppWindow, id: &str) -> Option<u64> {
    let bar =
        window.client.find(fantoccini::Locator::XPath(&format!("{}//*[@role='progressbar']", batch(id)))).await.ok()?;
    bar.attr("aria-valuenow").await.ok()??.parse().ok()
}

#[tokio::test]
async fn uploads_and_downloads_through_the_system_file_chooser() {
    let shots = output_dir("e2e_transfers");
    let local = Local::new();
    let data_dir = tempfile::tempdir().unwrap();
    let data = data_dir.path();

    let mut window = AppWindow::launch(data, &shots).await;
    open_demo_bucket(&window, "en", "documents").await;
    assert!(
        window.client.find(fantoccini::Locator::XPath(PANEL)).await.is_err(),
        "the transfers panel is closed before anything is transferred"
    );

    // A file through the chooser: the panel opens by itself and shows it done.
    pick_upload(&window, "upload-files").await;
    let chooser = FileChooser::wait(&message("en", "picker_upload_files")).await;
    window.shot("file-chooser").await;
    chooser.choose(&local.file).await;
    let first = new_batch(&window, &[]).await;
    wait_done(&window, &first).await;
    window.wait_for_text(&batch(&first), FILE).await;
    window.wait_for_text(ROW, FILE).await;
    same_bytes(&stored(data, "documents", FILE), &local.file).await;
    window.shot("file-uploaded").await;

    // The same file again: its name is taken, and both are kept.
    let before = batch_ids(&window).await;
    pick_upload(&window, "upload-files").await;
    FileChooser::wait(&message("en", "picker_upload_files")).await.choose(&local.file).await;
    window.wait_for_text("//*[@data-testid='conflict-name']", FILE).await;
    window.shot("conflict-en").await;
    answer_conflict(&window, "en", "keep_both").await;
    let kept = new_batch(&window, &before).await;
    wait_done(&window, &kept).await;
    window.wait_for_text(ROW, FILE_KEPT).await;
    same_bytes(&stored(data, "documents", FILE_KEPT), &local.file).await;
    same_bytes(&stored(data, "documents", FILE), &local.file).await;
    window.shot("kept-both").await;

    // A folder with a folder inside.
    let before = batch_ids(&window).await;
    pick_upload(&window, "upload-folder").await;
    let chooser = FileChooser::wait(&message("en", "picker_upload_folders")).await;
    window.shot("folder-chooser").await;
    chooser.choose(&local.folder).await;
    let folder = new_batch(&window, &before).await;
    wait_done(&window, &folder).await;
    window.wait_for_text(ROW, "trip").await;
    same_bytes(&stored(data, "documents", "trip/notes/day1.txt"), &local.folder.join("notes/day1.txt")).await;
    same_bytes(&stored(data, "documents", "trip/photos/medeu.jpg"), &local.folder.join("photos/medeu.jpg")).await;
    window.shot("folder-uploaded").await;

    // The folder again: two names taken, one answer for both.
    let before = batch_ids(&window).await;
    pick_upload(&window, "upload-folder").await;
    FileChooser::wait(&message("en", "picker_upload_folders")).await.choose(&local.folder).await;
    window.wait_for_text("//*[@data-testid='conflict-name']", "trip/notes/day1.txt").await;
    let apply_all = window.wait_for("input[name=apply-all]").await;
    assert!(apply_all.is_selected().await.unwrap(), "one answer for all taken names is the default");
    window.shot("conflict-folder").await;
    answer_conflict(&window, "en", "keep_both").await;
    let again = new_batch(&window, &before).await;
    wait_done(&window, &again).await;
    same_bytes(&stored(data, "documents", "trip/notes/day1 (1).txt"), &local.folder.join("notes/day1.txt")).await;
    same_bytes(&stored(data, "documents", "trip/photos/medeu (1).jpg"), &local.folder.join("photos/medeu.jpg")).await;

    // Ctrl+D on a selected file, into a folder picked in the chooser.
    let before = batch_ids(&window).await;
    window.wait_for_text(ROW, FILE).await.click().await.unwrap();
    window.client.active_element().await.unwrap().send_keys(&format!("{CONTROL}d")).await.unwrap();
    FileChooser::wait(&message("en", "picker_download_to")).await.choose(&local.downloads).await;
    let download = new_batch(&window, &before).await;
    wait_done(&window, &download).await;
    same_bytes(&local.downloads.join(FILE), &local.file).await;
    window.shot("downloaded").await;

    // A slowed upload: progress moves, the title follows, pause and resume.
    window.wait_for_text("//aside//button", &message("en", "nav_settings")).await.click().await.unwrap();
    window.click("input[name=upload-limited]").await;
    window.fill("input[name=upload-limit]", UPLOAD_LIMIT).await;
    window.click("[data-testid=speed-limits] button[type=submit]").await;
    window.wait_for_text("//*", &message("en", "speed_limit_saved")).await;
    window.shot("speed-limit").await;
    window.wait_for_text("//aside//button", &message("en", "buckets_title")).await.click().await.unwrap();
    window.wait_for_text(BUCKET, "documents").await.click().await.unwrap();
    window.wait_for_text(ROW, "README.txt").await;

    let app = main_window_id().await;
    assert_eq!(window_title(&app).await, message("en", "app_name"), "the title is plain while nothing moves");
    let before = batch_ids(&window).await;
    pick_upload(&window, "upload-files").await;
    FileChooser::wait(&message("en", "picker_upload_files")).await.choose(&local.big).await;
    let big = new_batch(&window, &before).await;
    let started = eventually(TRANSFER_DEADLINE, "the big upload under way", async || {
        progress(&window, &big).await.filter(|p| *p > 0)
    })
    .await;
    let first_title = eventually(TRANSFER_DEADLINE, "the window title showing progress", async || {
        let title = window_title(&app).await;
        title.ends_with("· 1 transfer").then_some(title)
    })
    .await;
    window.shot("big-running").await;
    eventually(TRANSFER_DEADLINE, "the progress bar moving", async || {
        progress(&window, &big).await.filter(|p| *p > started)
    })
    .await;
    eventually(TRANSFER_DEADLINE, "the window title changing with progress", async || {
        let title = window_title(&app).await;
        (title != first_title && title.ends_with("· 1 transfer")).then_some(())
    })
    .await;

    let pause = format!("{}//button[@aria-label='{}: {BIG}']", batch(&big), message("en", "transfer_pause"));
    window.wait_for_text(&pause, &message("en", "transfer_pause")).await.click().await.unwrap();
    window
        .wait_for_text(
            &format!("{}[@data-state='paused']//*[@data-testid='batch-state']", batch(&big)),
            &message("en", "transfer_state_paused"),
        )
        .await;
    window.shot("big-paused").await;
    let resume = format!("{}//button[@aria-label='{}: {BIG}']", batch(&big), message("en", "transfer_resume"));
    window.wait_for_text(&resume, &message("en", "transfer_resume")).await.click().await.unwrap();
    wait_done(&window, &big).await;
    same_bytes(&stored(data, "documents", BIG), &local.big).await;
    eventually(TRANSFER_DEADLINE, "the plain title once all is done", async || {
        (window_title(&app).await == message("en", "app_name")).then_some(())
    })
    .await;
    window.shot("panel-en").await;

    window
        .wait_for_text(&format!("{PANEL}//button"), &message("en", "transfers_clear_finished"))
        .await
        .click()
        .await
        .unwrap();
    window.wait_for_text(PANEL, &message("en", "transfers_empty")).await;
    assert!(batch_ids(&window).await.is_empty(), "no batch is left after Clear finished");
    window.shot("cleared").await;
    window.close().await;

    // The conflict dialog and a finished batch in Kazakh and Russian: the
    // file is there already; Kazakh replaces it, Russian leaves it.
    for (lang, locale, answer) in [("kk", "kk_KZ.UTF-8", "replace"), ("ru", "ru_RU.UTF-8", "skip")] {
        let mut window = AppWindow::launch_in(data, &shots, locale).await;
        open_demo_bucket(&window, lang, "documents").await;
        let target = stored(data, "documents", FILE);
        let written = std::fs::metadata(&target).unwrap().modified().unwrap();
        let before = batch_ids(&window).await;
        pick_upload(&window, "upload-files").await;
        FileChooser::wait(&message(lang, "picker_upload_files")).await.choose(&local.file).await;
        window.wait_for_text("//*[@data-testid='conflict-name']", FILE).await;
        window.shot(&format!("conflict-{lang}")).await;
        answer_conflict(&window, lang, answer).await;
        let id = new_batch(&window, &before).await;
        wait_done(&window, &id).await;
        window
            .wait_for_text(
                &format!("{}//*[@data-testid='batch-state']", batch(&id)),
                &message(lang, "transfer_state_done"),
            )
            .await;
        same_bytes(&target, &local.file).await;
        let rewritten = std::fs::metadata(&target).unwrap().modified().unwrap() != written;
        assert_eq!(rewritten, answer == "replace", "{answer}: the stored file written again or left alone");
        window.shot(&format!("panel-{lang}")).await;
        window.wait_for_text("//aside//button", &message(lang, "nav_settings")).await.click().await.unwrap();
        window.wait_for_text("//*[@data-testid='speed-limits']", &message(lang, "speed_limit_title")).await;
        window.shot(&format!("speed-limit-{lang}")).await;
        window.close().await;
    }
}
