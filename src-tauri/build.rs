use tauri_build::{AppManifest, Attributes};

/// Every command the UI may call; each gets an `allow-…` permission that
/// `capabilities/main.json` grants explicitly.
const COMMANDS: &[&str] = &[
    "app_info",
    "ui_ready",
    "settings_get",
    "settings_set_language",
    "providers_list",
    "startup",
    "accounts_list",
    "account_test",
    "account_save",
    "account_connect",
    "account_remove",
    "demo_connect",
    "disconnect",
    "buckets_list",
    "objects_page",
    "listing_load",
    "listing_cancel",
    "listing_window",
    "listing_close",
];

fn main() {
    tauri_build::try_build(Attributes::new().app_manifest(AppManifest::new().commands(COMMANDS)))
        .expect("tauri build step");
}
