//! The command layer on Tauri's mock runtime: real engine, real ACL from
//! `capabilities/`, no window.

use qoima::ReadySignal;
use qoima_engine::Engine;
use qoima_engine::time::system_clock;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::{InvokeRequest, WebviewWindow, WebviewWindowBuilder};

struct TestApp {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

fn app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path(), system_clock()).unwrap();
    let app = qoima::app(mock_builder(), engine, ReadySignal::from_env())
        .build(tauri::generate_context!())
        .expect("the app builds on the mock runtime");
    // Config windows open when the event loop starts, which the mock app
    // never runs: open the main window from the same config by hand.
    let config = app.config().app.windows[0].clone();
    let window = WebviewWindowBuilder::from_config(app.handle(), &config).unwrap().build().unwrap();
    TestApp { _app: app, window, _dir: dir }
}

fn invoke(app: &TestApp, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &app.window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn app_info_and_providers() {
    let app = app();
    let info = invoke(&app, "app_info", json!({})).unwrap();
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert!(matches!(info["keyring"].as_str(), Some("available" | "unavailable")));
    let providers = invoke(&app, "providers_list", json!({})).unwrap();
    let ids: Vec<&str> = providers.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["prodata", "s3-compatible", "aws", "ceph-rgw", "minio", "garage"]);
}

#[test]
fn invalid_input_is_refused_with_the_field_named() {
    let app = app();
    let request = json!({
        "id": null, "name": "", "providerId": "prodata", "endpoint": "not a url", "region": "kz",
        "accessKeyId": "AK", "secretKey": "s", "remember": true
    });
    let err = invoke(&app, "account_save", json!({ "request": request })).unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err["field"], "endpoint");

    let err = invoke(&app, "objects_page", json!({ "bucket": "b/../c", "prefix": "", "token": null })).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_input"), Some("bucket")));

    let err =
        invoke(&app, "objects_page", json!({ "bucket": "docs", "prefix": "no-slash", "token": null })).unwrap_err();
    assert_eq!(err["field"], "prefix");

    let err = invoke(&app, "listing_window", json!({ "id": 1, "offset": 0, "limit": 1_000_000 })).unwrap_err();
    assert_eq!(err["field"], "limit");
}

#[test]
fn browsing_needs_a_connection() {
    let app = app();
    let err = invoke(&app, "buckets_list", json!({})).unwrap_err();
    assert_eq!(err["code"], "not_connected");
    let startup = invoke(&app, "startup", json!({})).unwrap();
    assert_eq!(startup, json!({ "connection": null, "accounts": [], "needsSecret": null }));
}

#[test]
fn an_unreachable_endpoint_is_reported_as_such() {
    let app = app();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let request = json!({
        "providerId": "s3-compatible", "endpoint": format!("http://127.0.0.1:{port}"), "region": "us-east-1",
        "accessKeyId": "AK", "secretKey": "secret"
    });
    let err = invoke(&app, "account_test", json!({ "request": request })).unwrap_err();
    assert_eq!(err["code"], "endpoint_unreachable");
    assert!(err["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

#[test]
fn the_demo_storage_serves_its_samples() {
    let app = app();
    let connection = invoke(&app, "demo_connect", json!({})).unwrap();
    assert_eq!(connection["kind"], "demo");
    let buckets = invoke(&app, "buckets_list", json!({})).unwrap();
    let names: Vec<&str> = buckets.as_array().unwrap().iter().map(|b| b["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["backup-2026", "documents", "photos"]);

    let page = invoke(&app, "objects_page", json!({ "bucket": "documents", "prefix": "", "token": null })).unwrap();
    let entries: Vec<(&str, &str)> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(entries, [("README.txt", "object"), ("contracts", "folder"), ("reports", "folder")]);
    assert_eq!(page["nextToken"], Value::Null);

    let sort = json!({ "by": "size", "descending": true, "foldersFirst": false });
    let summary =
        invoke(&app, "listing_load", json!({ "bucket": "documents", "prefix": "reports/", "sort": sort })).unwrap();
    assert_eq!(summary["total"], 3);
    let window = invoke(&app, "listing_window", json!({ "id": summary["id"], "offset": 0, "limit": 10 })).unwrap();
    let sizes: Vec<u64> = window.as_array().unwrap().iter().map(|e| e["size"].as_u64().unwrap()).collect();
    assert_eq!(sizes.len(), 3);
    assert!(sizes.windows(2).all(|pair| pair[0] >= pair[1]), "largest first: {sizes:?}");
}

#[test]
fn commands_outside_the_capabilities_are_refused() {
    let app = app();
    for forbidden in ["plugin:shell|execute", "plugin:fs|read_file", "plugin:http|fetch", "no_such_command"] {
        assert!(invoke(&app, forbidden, json!({})).is_err(), "{forbidden} must be refused");
    }
    // The opener plugin is there, but the UI may only open https and tel
    // links with it: not local files, not other schemes.
    let refusal = |cmd: &str, args: Value| {
        let err = invoke(&app, cmd, args).expect_err("refused");
        err.as_str().unwrap_or_default().to_owned()
    };
    assert!(refusal("plugin:opener|open_path", json!({ "path": "/etc/passwd" })).contains("not allowed"));
    assert!(refusal("plugin:opener|reveal_item_in_dir", json!({ "paths": ["/etc/passwd"] })).contains("not allowed"));
    assert!(!refusal("plugin:opener|open_url", json!({ "url": "file:///etc/passwd" })).is_empty());
}

#[test]
fn the_background_starts_idle_and_the_tray_needs_words() {
    let app = app();
    let summary = invoke(&app, "background_summary", json!({})).unwrap();
    let idle = json!({
        "transfers": 0, "paused": 0, "percent": 0,
        "folders": 0, "folderFiles": 0, "foldersPaused": 0, "foldersNeedYou": 0, "foldersOffline": 0
    });
    assert_eq!(summary, idle);
    let texts = json!({
        "open": "Open Qoima", "pauseAll": "Pause all", "resumeAll": "Resume all", "quit": " ",
        "status": "Qoima — everything is up to date", "stillWorkingTitle": "Qoima is still working",
        "stillWorkingInTray": "Transfers go on.", "stillWorkingMinimized": "Transfers go on."
    });
    let err = invoke(&app, "background_texts_set", json!({ "texts": texts })).unwrap_err();
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_input"), Some("quit")));
}
