//! The shell stays locked down: a strict CSP and only the capabilities the
//! UI uses. Changing either should be a deliberate act that updates this test.

use std::collections::BTreeSet;

use serde_json::Value;

fn read_json(path: &str) -> Value {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap()
}

#[test]
fn content_security_policy_is_strict() {
    let config = read_json("tauri.conf.json");
    let csp = config["app"]["security"]["csp"].as_str().expect("a CSP is set");
    let directives: Vec<(&str, Vec<&str>)> = csp
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut parts = d.split_whitespace();
            (parts.next().unwrap(), parts.collect())
        })
        .collect();
    let get = |name: &str| directives.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or_default();
    assert_eq!(get("default-src"), ["'self'"]);
    assert_eq!(get("script-src"), ["'self'"], "no eval, no inline or remote scripts");
    assert_eq!(get("object-src"), ["'none'"]);
    assert_eq!(
        get("connect-src"),
        ["ipc:", "http://ipc.localhost", "qoima-preview:", "http://qoima-preview.localhost"],
        "the web side talks only to the app"
    );
    assert_eq!(
        get("img-src"),
        ["'self'", "data:", "qoima-preview:", "http://qoima-preview.localhost"],
        "previews come through the app, never the web"
    );
    for (name, sources) in &directives {
        for source in sources {
            assert!(
                !source.contains("unsafe-eval") && !source.starts_with("https:") && *source != "*",
                "{name} allows {source}"
            );
            let app_own = ["http://ipc.localhost", "http://qoima-preview.localhost"];
            assert!(!source.starts_with("http") || app_own.contains(source), "{name} allows remote {source}");
        }
    }
    assert_eq!(config["app"]["withGlobalTauri"], false);
    assert_eq!(config["app"]["security"]["freezePrototype"], true);
}

#[test]
fn capabilities_are_exactly_what_the_ui_uses() {
    let capabilities_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let files: Vec<_> = std::fs::read_dir(&capabilities_dir).unwrap().filter_map(Result::ok).collect();
    assert_eq!(files.len(), 1, "one capability file, for the main window");
    let capability = read_json("capabilities/main.json");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let permissions = capability["permissions"].as_array().unwrap();
    let granted: BTreeSet<&str> =
        permissions.iter().map(|p| p.as_str().or_else(|| p["identifier"].as_str()).unwrap()).collect();
    let opener = permissions.iter().find(|p| p["identifier"] == "opener:allow-open-url").expect("links open outside");
    assert_eq!(
        opener["allow"],
        serde_json::json!([{ "url": "https://*" }, { "url": "tel:*" }]),
        "only web pages over https and phone numbers open outside the app"
    );
    let commands = [
        "app-info",
        "ui-ready",
        "settings-get",
        "settings-set-language",
        "providers-list",
        "startup",
        "accounts-list",
        "account-test",
        "account-save",
        "account-connect",
        "account-remove",
        "demo-connect",
        "disconnect",
        "buckets-list",
        "objects-page",
        "listing-load",
        "listing-cancel",
        "listing-window",
        "listing-close",
        "operation-cancel",
        "bucket-name-check",
        "storage-access",
        "bucket-summary",
        "bucket-info",
        "bucket-create",
        "bucket-set-type",
        "bucket-set-website",
        "bucket-measure",
        "bucket-delete",
        "object-name-check",
        "folder-create",
        "object-rename",
        "objects-transfer",
        "objects-measure",
        "objects-delete",
        "object-properties",
        "object-update-headers",
        "object-share-link",
        "objects-search",
        "transfers-upload",
        "transfers-download",
        "transfers-view",
        "transfer-pause",
        "transfer-resume",
        "transfer-cancel",
        "transfer-retry",
        "transfers-clear-finished",
        "bandwidth-limits",
        "bandwidth-limits-set",
        "sync-pairs",
        "sync-add",
        "sync-edit",
        "sync-set-paused",
        "sync-now",
        "sync-approve-deletions",
        "sync-approve-over-quota",
        "sync-remove",
        "sync-trash",
        "sync-restore",
        "background-summary",
        "background-texts-set",
        "usage-view",
        "usage-measure",
        "usage-cancel",
        "quota-settings-set",
        "trial-get",
        "trial-set",
        "trial-take-reminder",
        "diagnostics-text",
        "outage-current",
        "outage-report",
        "availability-report",
    ];
    let mut expected: BTreeSet<String> = commands.iter().map(|c| format!("allow-{c}")).collect();
    expected.insert("core:event:allow-listen".into());
    expected.insert("core:event:allow-unlisten".into());
    expected.insert("opener:allow-open-url".into());
    expected.insert("clipboard-manager:allow-write-text".into());
    expected.insert("core:window:allow-set-title".into());
    expected.insert("dialog:allow-open".into());
    expected.insert("notification:default".into());
    for autostart in ["autostart:allow-enable", "autostart:allow-disable", "autostart:allow-is-enabled"] {
        expected.insert(autostart.into());
    }
    assert_eq!(granted, expected.iter().map(String::as_str).collect::<BTreeSet<_>>());
    assert!(granted.iter().all(|p| !p.contains("shell") && !p.contains("fs:") && !p.contains("http:")));
}
