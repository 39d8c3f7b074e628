//! The app as a background program, in the real window: "Start Qoima when I
//! sign in" in Settings writes and removes the desktop's autostart entry;
//! a second launch on the same data folder hands over to the running app
//! (which takes the keyboard) and exits, while one on another folder runs
//! beside it. On a desktop with notifications and no tray (like plain GNOME;
//! a D-Bus session of the test's own), closing the window while a transfer
//! runs keeps the app running, minimized, and says so; closing it with
//! nothing under way ends the app. On a desktop whose panel shows tray icons,
//! the closed window goes to the tray, whose menu opens it again, pauses and
//! resumes everything and quits; a folder kept in sync keeps the app running
//! there too, the tray says so, and its menu pauses and resumes the folder.
//! Screenshots go to
//! `$QOIMA_TEST_OUTPUT/e2e_background/`, a folder for each test.

use std::ffi::OsStr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use qoima_tests::desktop_bus::DesktopBus;
use qoima_tests::eventually;
use qoima_tests::messages::message;
use qoima_tests::window::{AppWindow, output_dir};
use qoima_tests::x11::{self, Display};
use serde_json::{Value, json};

const DEADLINE: Duration = Duration::from_secs(60);

fn app_binary() -> PathBuf {
    PathBuf::from(std::env::var("QOIMA_TEST_APP").expect("QOIMA_TEST_APP: run under `cargo xtask test`"))
}

/// Calls one of the app's commands from its window, as the UI does.
async fn invoke(window: &AppWindow, command: &str, args: Value) -> Value {
    let script = "const [command, args, done] = arguments;
        window.__TAURI_INTERNALS__.invoke(command, args).then((ok) => done({ ok: ok ?? null }), (err) => done({ err }));";
    let answer = window.client.execute_async(script, vec![json!(command), args]).await.unwrap();
    match answer.get("ok") {
        Some(ok) => ok.clone(),
        None => panic!("{command} failed: {answer}"),
    }
}

/// Queues an upload of a file of `size` bytes into the demo storage at 1 MB/s
/// (the demo must be open), and waits until it runs; the batch id.
async fn slow_upload(window: &AppWindow, dir: &Path, size: usize) -> Value {
    let file = dir.join("holiday-video.mov");
    std::fs::write(&file, vec![7u8; size]).unwrap();
    invoke(window, "bandwidth_limits_set", json!({ "limits": { "upload": 1_000_000, "download": null } })).await;
    let request =
        json!({ "paths": [file], "bucket": "documents", "prefix": "", "answers": { "all": null, "each": {} } });
    let queued = invoke(window, "transfers_upload", json!({ "request": request })).await;
    eventually(DEADLINE, "the upload to run", async || {
        let summary = invoke(window, "background_summary", json!({})).await;
        (summary["transfers"] == 1).then_some(())
    })
    .await;
    queued["batchId"].clone()
}

async fn open_demo(window: &AppWindow) {
    window.wait_for_text("//button", &message("en", "demo_button")).await.click().await.unwrap();
    window.wait_for_text("//*[@data-testid='bucket-list']//*[@role='row']", "documents").await;
}

async fn open_settings(window: &AppWindow, lang: &str) {
    window.wait_for_text("//button", &message(lang, "nav_settings")).await.click().await.unwrap();
    window.wait_for_text("//h1", &message(lang, "settings_title")).await;
}

#[tokio::test]
async fn start_at_login_writes_and_removes_the_autostart_entry() {
    let shots = output_dir("e2e_background/start-at-login");
    let data_dir = tempfile::tempdir().unwrap();
    // The desktop's autostart folder is under HOME: the test's own, never the user's.
    let home = tempfile::tempdir().unwrap();
    let entry = home.path().join(".config/autostart/Qoima.desktop");
    let env = [("HOME", home.path().as_os_str())];
    let mut window = AppWindow::launch_with(data_dir.path(), &shots, "en_US.UTF-8", &env).await;
    open_settings(&window, "en").await;

    let checkbox = window.wait_for("input[name=autostart]:not([disabled])").await;
    assert!(!checkbox.is_selected().await.unwrap(), "off until the person turns it on");
    assert!(!entry.exists());
    window.wait_for_text("//*[@data-testid='start-at-login']", &message("en", "autostart_help")).await;
    window.shot("settings-start-at-login-en").await;

    window.click("input[name=autostart]").await;
    let written = eventually(DEADLINE, "the autostart entry", async || std::fs::read_to_string(&entry).ok()).await;
    let exec = format!("Exec={} ", app_binary().display());
    assert!(written.contains(&exec) && written.contains("Name=Qoima"), "{written}");
    window.wait_for("input[name=autostart]:checked:not([disabled])").await;

    for lang in ["kk", "ru"] {
        window.wait_for("select[name=language]").await.select_by_value(lang).await.unwrap();
        window.wait_for_text("//*[@data-testid='start-at-login']", &message(lang, "autostart_label")).await;
        window.shot(&format!("settings-start-at-login-{lang}")).await;
    }

    window.click("input[name=autostart]").await;
    eventually(DEADLINE, "the autostart entry to go", async || (!entry.exists()).then_some(())).await;
    window.wait_for("input[name=autostart]:not(:checked):not([disabled])").await;
    window.close().await;
}

/// A launch of the binary itself, the way a person starts it a second time.
fn launch_again(data_dir: &Path, extra: &[(&str, &OsStr)]) -> std::process::Child {
    Command::new(app_binary())
        .process_group(0)
        .env("QOIMA_DATA_DIR", data_dir)
        .env("QOIMA_LOG", "info")
        .envs(extra.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the app starts")
}

#[tokio::test]
async fn a_second_launch_brings_the_running_app_forward_and_exits() {
    let shots = output_dir("e2e_background/second-launch");
    let data_dir = tempfile::tempdir().unwrap();
    let mut window = AppWindow::launch(data_dir.path(), &shots).await;
    window.wait_for_text("//button", &message("en", "demo_button")).await;
    let pid = eventually(DEADLINE, "the app's process", async || x11::app_pid(data_dir.path())).await;
    let display = Display::open();
    let main = display.main_window(pid).await;

    display.focus_nothing();
    assert!(!display.has_focus(main));
    let mut second = launch_again(data_dir.path(), &[]);
    let status = eventually(DEADLINE, "the second launch to exit", async || second.try_wait().unwrap()).await;
    assert!(status.success(), "the second launch exits cleanly: {status}");
    eventually(DEADLINE, "the running window to take the keyboard", async || display.has_focus(main).then_some(()))
        .await;
    assert!(x11::is_running(pid), "the first app still runs");
    window.wait_for_text("//button", &message("en", "demo_button")).await.click().await.unwrap();
    window.wait_for_text("//*[@data-testid='bucket-list']//*[@role='row']", "documents").await;
    window.shot("first-app-after-second-launch").await;

    // Another data folder is another app: it runs beside this one.
    let other = tempfile::tempdir().unwrap();
    let ready = other.path().join("ready");
    let mut beside = launch_again(&other.path().join("data"), &[("QOIMA_READY_FILE", ready.as_os_str())]);
    eventually(DEADLINE, "the app on another folder to show its window", async || {
        assert!(beside.try_wait().unwrap().is_none(), "the app on another folder exited");
        ready.exists().then_some(())
    })
    .await;
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", beside.id())]).status();
    let _ = beside.wait();
    window.close().await;
}

#[tokio::test]
async fn closing_the_window_keeps_a_transfer_going_and_without_one_ends_the_app() {
    let shots = output_dir("e2e_background/close");
    let dir = tempfile::tempdir().unwrap();
    // A desktop like plain GNOME: notifications, no tray.
    let desktop = DesktopBus::start(dir.path(), false).await;
    let data_dir = tempfile::tempdir().unwrap();
    let local = tempfile::tempdir().unwrap();
    let env = [("DBUS_SESSION_BUS_ADDRESS", OsStr::new(desktop.address()))];
    let window = AppWindow::launch_with(data_dir.path(), &shots, "en_US.UTF-8", &env).await;
    open_demo(&window).await;
    let pid = eventually(DEADLINE, "the app's process", async || x11::app_pid(data_dir.path())).await;
    let display = Display::open();
    let main = display.main_window(pid).await;
    // A transfer slow enough to still run when the window is closed.
    let batch = slow_upload(&window, local.path(), 32 << 20).await;

    display.watch_requests();
    display.ask_to_close(main);
    display.minimize_requested(main, DEADLINE).await;
    assert!(x11::is_running(pid), "the app keeps running with the transfer");
    let said = desktop.notification(&message("en", "still_working_title")).await;
    assert_eq!(said, message("en", "still_working_minimized"));
    assert!(
        display.is_shown(main),
        "minimized, not hidden: with no tray to bring it back from, it must stay reachable"
    );
    let summary = invoke(&window, "background_summary", json!({})).await;
    assert_eq!(summary["transfers"], 1, "the upload goes on: {summary}");
    // The window still works; nothing to see on the screen, which a desktop
    // would have taken the window from.
    window.click("[data-testid=transfers-button]").await;
    window.wait_for("#transfers-panel li[data-state=running]").await;

    invoke(&window, "transfer_cancel", json!({ "id": batch })).await;
    eventually(DEADLINE, "nothing under way", async || {
        let summary = invoke(&window, "background_summary", json!({})).await;
        (summary["transfers"] == 0).then_some(())
    })
    .await;
    display.ask_to_close(main);
    eventually(DEADLINE, "the app to end", async || (!x11::is_running(pid)).then_some(())).await;
    window.close().await;
}

/// The app in English on a desktop whose panel shows tray icons (a D-Bus
/// session of the test's own), and the words of the tray's menu.
struct WithTray {
    _bus_dir: tempfile::TempDir,
    host: DesktopBus,
    data_dir: tempfile::TempDir,
    window: AppWindow,
    open: String,
    pause: String,
    resume: String,
    quit: String,
}

impl WithTray {
    async fn launch(shots: &str) -> Self {
        let shots = output_dir(shots);
        let bus_dir = tempfile::tempdir().unwrap();
        let host = DesktopBus::start(bus_dir.path(), true).await;
        let data_dir = tempfile::tempdir().unwrap();
        let env = [("DBUS_SESSION_BUS_ADDRESS", OsStr::new(host.address()))];
        let window = AppWindow::launch_with(data_dir.path(), &shots, "en_US.UTF-8", &env).await;
        let word = |key: &str| message("en", key);
        Self {
            _bus_dir: bus_dir,
            host,
            data_dir,
            window,
            open: word("tray_open"),
            pause: word("tray_pause_all"),
            resume: word("tray_resume_all"),
            quit: word("tray_quit"),
        }
    }
}

#[tokio::test]
async fn with_a_tray_the_window_goes_there_and_the_menu_opens_pauses_resumes_and_quits() {
    let WithTray { _bus_dir, host, data_dir, mut window, open, pause, resume, quit } =
        WithTray::launch("e2e_background/tray").await;
    // The icon appears once the window knows its language; nothing to pause yet.
    let idle = message("en", "tray_status_idle");
    host.wait_for_entries(&[(&open, true), (&idle, false), (&pause, false), (&quit, true)]).await;

    open_demo(&window).await;
    let pid = eventually(DEADLINE, "the app's process", async || x11::app_pid(data_dir.path())).await;
    let display = Display::open();
    let main = display.main_window(pid).await;
    let local = tempfile::tempdir().unwrap();
    slow_upload(&window, local.path(), 32 << 20).await;
    // The words follow the summary a moment later, through the window.
    let entries = eventually(DEADLINE, "the tray to show the upload", async || {
        let entries = host.entries().await;
        let status = &entries[1].label;
        let running = status.starts_with("Qoima — 1 transfer, ") && status.ends_with('%');
        (running && entries[2].label == pause && entries[2].enabled).then_some(entries)
    })
    .await;
    assert_eq!((entries[0].label.as_str(), entries[3].label.as_str()), (open.as_str(), quit.as_str()));

    // Closed with the upload running: the window leaves the screen for the tray.
    display.ask_to_close(main);
    eventually(DEADLINE, "the window to go to the tray", async || (!display.is_shown(main)).then_some(())).await;
    assert!(x11::is_running(pid));
    assert_eq!(host.notification(&message("en", "still_working_title")).await, message("en", "still_working_in_tray"));

    host.choose(&pause).await;
    host.wait_for_entries(&[(&open, true), ("Qoima — 1 transfer paused", false), (&resume, true), (&quit, true)]).await;
    let summary = invoke(&window, "background_summary", json!({})).await;
    assert_eq!((summary["transfers"].as_u64(), summary["paused"].as_u64()), (Some(0), Some(1)), "{summary}");

    host.choose(&open).await;
    eventually(DEADLINE, "the window to come back", async || display.is_shown(main).then_some(())).await;
    window.click("[data-testid=transfers-button]").await;
    window.wait_for("#transfers-panel li[data-state=paused]").await;
    window.shot("opened-from-the-tray-paused").await;

    host.choose(&resume).await;
    eventually(DEADLINE, "the upload to run again", async || {
        let summary = invoke(&window, "background_summary", json!({})).await;
        (summary["transfers"] == 1).then_some(())
    })
    .await;
    host.choose(&quit).await;
    eventually(DEADLINE, "the app to quit", async || (!x11::is_running(pid)).then_some(())).await;
    window.close().await;
}

#[tokio::test]
async fn a_synced_folder_goes_on_from_the_tray_which_pauses_and_resumes_it() {
    let WithTray { _bus_dir, host, data_dir, mut window, open, pause, resume, quit } =
        WithTray::launch("e2e_background/tray-sync").await;
    let word = |key: &str| message("en", key);
    open_demo(&window).await;
    let pid = eventually(DEADLINE, "the app's process", async || x11::app_pid(data_dir.path())).await;
    let display = Display::open();
    let main = display.main_window(pid).await;

    let folder = tempfile::tempdir().unwrap();
    let pair = json!({ "localDir": folder.path(), "bucket": "documents", "prefix": "laptop", "mode": "backup" });
    invoke(&window, "sync_add", json!({ "pair": pair })).await;
    let watching = "Qoima — 1 folder kept in sync, up to date";
    host.wait_for_entries(&[(&open, true), (watching, false), (&pause, true), (&quit, true)]).await;

    // Closed with only the folder at work: it goes on from the tray.
    display.ask_to_close(main);
    eventually(DEADLINE, "the window to go to the tray", async || (!display.is_shown(main)).then_some(())).await;
    assert!(x11::is_running(pid), "closing the window must not stop the sync");
    assert_eq!(host.notification(&word("still_working_title")).await, word("still_syncing_in_tray"));
    std::fs::write(folder.path().join("notes.txt"), "written with the window closed").unwrap();
    let stored = data_dir.path().join("demo-storage/documents/laptop/notes.txt");
    let synced = eventually(DEADLINE, "notes.txt in the demo storage", async || std::fs::read(&stored).ok()).await;
    assert_eq!(synced, b"written with the window closed");

    host.choose(&pause).await;
    host.wait_for_entries(&[(&open, true), ("Qoima — sync of 1 folder paused", false), (&resume, true), (&quit, true)])
        .await;
    let pairs = invoke(&window, "sync_pairs", json!({})).await;
    assert_eq!(pairs[0]["pair"]["paused"], true, "{pairs}");

    host.choose(&resume).await;
    host.wait_for_entries(&[(&open, true), (watching, false), (&pause, true), (&quit, true)]).await;
    host.choose(&open).await;
    eventually(DEADLINE, "the window to come back", async || display.is_shown(main).then_some(())).await;
    window.shot("opened-from-the-tray-syncing").await;
    host.choose(&quit).await;
    eventually(DEADLINE, "the app to quit", async || (!x11::is_running(pid)).then_some(())).await;
    window.close().await;
}
