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
    "operation_cancel",
    "bucket_name_check",
    "storage_access",
    "bucket_summary",
    "bucket_info",
    "bucket_create",
    "bucket_set_type",
    "bucket_set_website",
    "bucket_measure",
    "bucket_delete",
    "object_name_check",
    "folder_create",
    "object_rename",
    "objects_transfer",
    "objects_measure",
    "objects_delete",
    "object_properties",
    "object_update_headers",
    "object_share_link",
    "objects_search",
];

fn main() {
    tauri_build::try_build(Attributes::new().app_manifest(AppManifest::new().commands(COMMANDS)))
        .expect("tauri build step");
}
