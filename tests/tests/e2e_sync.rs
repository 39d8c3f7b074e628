//! Folder sync in the real window against the test Garage, the way a person
//! sets it up: connect, "Sync a folder" with the folder picked in the
//! system's chooser (GTK's, answered with xdotool), a bucket and a folder in
//! it; a file written into the folder appears in Garage and in the object
//! browser. A mirror pair whose folder loses most of its files holds the
//! deletions and asks; after "Yes, carry on" the objects are in the sync
//! trash, and one is put back from the Trash dialog. The Sync screen, the add
//! dialog and the held-deletions question are shot in all three languages.
//! Screenshots go to `$QOIMA_TEST_OUTPUT/e2e_sync/`.
//!
//! One test, not several: the chooser is found by its title on a display
//! shared by everything the test opens.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::Locator;
use qoima_engine::storage::S3Client;
use qoima_tests::desktop::FileChooser;
use qoima_tests::messages::{message, messages};
use qoima_tests::window::{AppWindow, output_dir};
use qoima_tests::{Garage, eventually};

const BUCKET: &str = "//*[@data-testid='bucket-list']//*[@role='row']";
const ROW: &str = "//*[@role='grid']//*[@role='row']";
const DIALOG: &str = "//*[@role='dialog' or @role='alertdialog']";
const ESCAPE: &str = "\u{E00C}";

/// A pass waits for files to be quiet for two seconds; a loaded machine runs slower.
const SYNC_DEADLINE: Duration = Duration::from_secs(90);

const PHOTOS: [&str; 5] = ["IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg", "IMG_0004.jpg", "IMG_0005.jpg"];
const NOTE: &str = "Жоспар 2026.txt";
const NOTE_TEXT: &str = "Алматы: бюджет, сапар, кездесулер.\n";

/// One plural form of a message, its placeholders filled in.
fn plural(lang: &str, key: &str, category: &str, fill: &[(&str, &str)]) -> String {
    let all = messages(lang);
    let mut text = all[key][0]["match"][format!("countPlural={category}")]
        .as_str()
        .unwrap_or_else(|| panic!("{lang}.{key} has no {category} form"))
        .to_owned();
    for (name, value) in fill {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// The question a mirror pair asks when 4 of its 5 files are gone here.
fn held_question(lang: &str) -> String {
    // 5 takes the "many" form in Russian, "other" in Kazakh and English.
    let category = if lang == "ru" { "many" } else { "other" };
    plural(lang, "sync_held_remote", category, &[("deleted", "4"), ("n", "5")])
}

/// The keys under `prefix`, sorted.
async fn keys(client: &S3Client, bucket: &str, prefix: &str) -> Vec<String> {
    let listed = client.list_page_recursive(bucket, prefix, None).await.unwrap().entries.into_iter().map(|e| e.key);
    // The probe for conditional writes comes and goes while a pair runs.
    let mut keys: Vec<String> = listed.filter(|key| !key.starts_with(".qoima-trash/.probe-")).collect();
    keys.sort();
    keys
}

async fn object(client: &S3Client, bucket: &str, key: &str) -> Option<Vec<u8>> {
    let got = client.sdk().get_object().bucket(bucket).key(key).send().await.ok()?;
    Some(got.body.collect().await.ok()?.into_bytes().to_vec())
}

/// The card of the pair syncing the folder named `name`.
fn pair(name: &str) -> String {
    format!("//li[@data-pair][.//h2[normalize-space(.)='{name}']]")
}

async fn wait_state(window: &AppWindow, name: &str, state: &str) {
    window.wait_for_text(&format!("{}//*[@data-testid='pair-state']", pair(name)), state).await;
}

/// Presses one of the pair's buttons (`pause`, `settings`, `trash`, `remove`, …).
async fn pair_action(window: &AppWindow, name: &str, action: &str) {
    let button = format!("{}//button[@data-action='{action}']", pair(name));
    match window.client.wait().at_most(SYNC_DEADLINE).for_element(Locator::XPath(&button)).await {
        Ok(button) => button.click().await.unwrap(),
        Err(err) => panic!("no {action} button on {name}: {err}"),
    }
}

/// Escape closes the open dialog.
async fn escape(window: &AppWindow) {
    window.client.active_element().await.unwrap().send_keys(ESCAPE).await.unwrap();
    eventually(SYNC_DEADLINE, "the dialog closed by Escape", async || {
        window.client.find(Locator::XPath(DIALOG)).await.is_err().then_some(())
    })
    .await;
}

async fn open_sync(window: &AppWindow, lang: &str) {
    window.wait_for_text("//aside//button", &message(lang, "sync_title")).await.click().await.unwrap();
    window.wait_for("[data-testid=sync-screen]").await;
}

/// Opens "Sync a folder", picks `folder` in the system's chooser and chooses the bucket.
async fn start_adding(window: &AppWindow, lang: &str, folder: &Path, bucket: &str) {
    window.click("[data-testid=sync-add]").await;
    window.click("[data-testid=sync-pick-folder]").await;
    FileChooser::wait(&message(lang, "picker_sync_folder")).await.choose(folder).await;
    let want = folder.to_str().unwrap().to_owned();
    eventually(SYNC_DEADLINE, "the picked folder in the dialog", async || {
        let field = window.client.find(Locator::Css("input[name=localDir]")).await.ok()?;
        (field.prop("value").await.ok()?? == want).then_some(())
    })
    .await;
    window.wait_for("select[name=bucket]").await.select_by_value(bucket).await.unwrap();
}

/// The folders a person has: Documents empty, Photos with five pictures.
struct Local {
    _dir: tempfile::TempDir,
    documents: PathBuf,
    photos: PathBuf,
}

impl Local {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let documents = dir.path().join("Documents");
        let photos = dir.path().join("Photos");
        std::fs::create_dir_all(&documents).unwrap();
        std::fs::create_dir_all(&photos).unwrap();
        for (i, name) in PHOTOS.iter().enumerate() {
            std::fs::write(photos.join(name), vec![i as u8; 20_000 + i]).unwrap();
        }
        Self { _dir: dir, documents, photos }
    }
}

#[tokio::test]
async fn a_folder_synced_from_the_window() {
    let garage = Garage::from_env();
    let client = garage.client();
    let bucket = garage.new_bucket("e2e-sync").await;
    let shots = output_dir("e2e_sync");
    let local = Local::new();
    let data_dir = tempfile::tempdir().unwrap();
    let data = data_dir.path();

    let mut window = AppWindow::launch(data, &shots).await;
    window.wait_for("select[name=provider]").await.select_by_value("garage").await.unwrap();
    window.fill("input[name=endpoint]", &garage.endpoint).await;
    window.fill("input[name=region]", &garage.region).await;
    window.fill("input[name=accessKeyId]", &garage.key_id).await;
    window.fill("input[name=secretKey]", &garage.secret).await;
    window.fill("input[name=accountName]", "Garage").await;
    window.click("[data-testid=connect-form] button[type=submit]").await;
    window.wait_for_text(BUCKET, &bucket).await;

    open_sync(&window, "en").await;
    window.wait_for_text("//*[@data-testid='sync-screen']", &message("en", "sync_empty_title")).await;
    window.shot("empty-en").await;

    // Documents, backed up into the bucket's folder "laptop".
    start_adding(&window, "en", &local.documents, &bucket).await;
    window.fill("input[name=prefix]", "laptop").await;
    let backup = window.wait_for("input[name=syncMode][value=backup]").await;
    assert!(backup.is_selected().await.unwrap(), "Backup is the mode a new pair starts with");
    window.shot("add-dialog-en").await;
    window.click("button[type=submit][form]").await;
    wait_state(&window, "Documents", &message("en", "sync_state_watching")).await;
    window
        .wait_for_text(&format!("{}//*[@data-testid='pair-remote']", pair("Documents")), &format!("{bucket} / laptop"))
        .await;

    // A file dropped into the folder reaches the storage by itself.
    std::fs::write(local.documents.join(NOTE), NOTE_TEXT).unwrap();
    let key = format!("laptop/{NOTE}");
    eventually(SYNC_DEADLINE, "the note in Garage", async || {
        (object(&client, &bucket, &key).await? == NOTE_TEXT.as_bytes()).then_some(())
    })
    .await;
    wait_state(&window, "Documents", &message("en", "sync_state_watching")).await;
    window
        .wait_for_text(
            &format!("{}//*[@data-testid='pair-last-synced']", pair("Documents")),
            &message("en", "time_ago_now"),
        )
        .await;
    window.shot("file-synced-en").await;

    // … and shows in the object browser.
    window.wait_for_text("//aside//button", &message("en", "buckets_title")).await.click().await.unwrap();
    window.wait_for_text(BUCKET, &bucket).await.click().await.unwrap();
    window.wait_for_text(ROW, "laptop").await.click().await.unwrap();
    window.wait_for_text(ROW, NOTE).await;
    window.shot("file-in-browser-en").await;

    // Photos, mirrored into "photos".
    open_sync(&window, "en").await;
    start_adding(&window, "en", &local.photos, &bucket).await;
    window.fill("input[name=prefix]", "photos").await;
    window.click("input[name=syncMode][value=mirror]").await;
    window.shot("add-mirror-en").await;
    window.click("button[type=submit][form]").await;
    let all: Vec<String> = PHOTOS.iter().map(|name| format!("photos/{name}")).collect();
    eventually(SYNC_DEADLINE, "the photos in Garage", async || {
        (keys(&client, &bucket, "photos/").await == all).then_some(())
    })
    .await;
    wait_state(&window, "Photos", &message("en", "sync_state_watching")).await;
    window.shot("sync-screen-en").await;

    pair_action(&window, "Photos", "settings").await;
    window.wait_for("[data-testid=sync-settings-form] textarea[name=ignore]").await;
    window.shot("settings-en").await;
    escape(&window).await;
    pair_action(&window, "Documents", "remove").await;
    window.wait_for("[data-testid=sync-remove-text]").await;
    window.shot("remove-confirm-en").await;
    escape(&window).await;

    // Four of the five photos deleted here: the pass holds the deletions and asks.
    for name in &PHOTOS[1..] {
        std::fs::remove_file(local.photos.join(name)).unwrap();
    }
    window.wait_for_text(&format!("{}//*[@data-testid='held']", pair("Photos")), &held_question("en")).await;
    wait_state(&window, "Photos", &message("en", "sync_state_waiting")).await;
    assert_eq!(keys(&client, &bucket, "photos/").await, all, "nothing is deleted in the storage while the pair asks");
    window.shot("held-en").await;
    window.close().await;

    // A new start in Kazakh, then in Russian: the account is remembered, the
    // pairs run again, and the mirror asks again.
    for (lang, locale) in [("kk", "kk_KZ.UTF-8"), ("ru", "ru_RU.UTF-8")] {
        let mut window = AppWindow::launch_in(data, &shots, locale).await;
        window.wait_for_text(BUCKET, &bucket).await;
        open_sync(&window, lang).await;
        wait_state(&window, "Documents", &message(lang, "sync_state_watching")).await;
        window.wait_for_text(&format!("{}//*[@data-testid='held']", pair("Photos")), &held_question(lang)).await;
        window.shot(&format!("held-{lang}")).await;

        window.click("[data-testid=sync-add]").await;
        window.wait_for("select[name=bucket]").await;
        window.click("input[name=syncMode][value=two_way]").await;
        window.shot(&format!("add-dialog-{lang}")).await;
        escape(&window).await;
        pair_action(&window, "Photos", "settings").await;
        window.wait_for("[data-testid=sync-settings-form] textarea[name=ignore]").await;
        window.shot(&format!("settings-{lang}")).await;
        escape(&window).await;
        if lang == "kk" {
            window.close().await;
            continue;
        }

        // "Yes, carry on": the four objects move to the sync trash, and one comes back from there.
        window.click("li[data-pair] [data-testid=held-approve]").await;
        eventually(SYNC_DEADLINE, "the deletions carried out", async || {
            (keys(&client, &bucket, "photos/").await == ["photos/IMG_0001.jpg"]).then_some(())
        })
        .await;
        let trashed = keys(&client, &bucket, ".qoima-trash/").await;
        assert_eq!(trashed.len(), 4, "the deleted photos wait in the sync trash: {trashed:?}");
        assert!(trashed.iter().all(|k| k.contains("/photos/IMG_000")), "{trashed:?}");
        wait_state(&window, "Photos", &message(lang, "sync_state_watching")).await;
        assert_eq!(std::fs::read_dir(&local.photos).unwrap().count(), 1, "the folder here is left as it was");

        pair_action(&window, "Photos", "trash").await;
        window.wait_for_text(&format!("{DIALOG}//li"), "IMG_0003.jpg").await;
        window.shot(&format!("trash-{lang}")).await;
        let restore = format!("{}: IMG_0003.jpg", message(lang, "sync_restore"));
        window.click(&format!("[data-testid=sync-trash] button[aria-label='{restore}']")).await;
        eventually(SYNC_DEADLINE, "IMG_0003.jpg back in the storage", async || {
            (object(&client, &bucket, "photos/IMG_0003.jpg").await? == vec![2u8; 20_002]).then_some(())
        })
        .await;
        assert_eq!(keys(&client, &bucket, ".qoima-trash/").await.len(), 3);
        window.shot(&format!("restored-{lang}")).await;
        window.close().await;
    }
}
