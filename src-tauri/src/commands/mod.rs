//! Tauri commands: each validates its input, calls one engine method and
//! hands back the result or a `UiError`. No logic lives here.
//!
//! Commands that may wait on the OS keyring are `async` (Tauri runs those off
//! the main thread, so a keyring asking to be unlocked never freezes the
//! window) and wait in `block_in_place`, so the wait never holds up the
//! async workers that serve every other command.

use qoima_engine::account::{Account, ConnectRequest, SaveAccountRequest, Secret};
use qoima_engine::engine::{AppInfo, Connection, ConnectionCheck, Startup};
use qoima_engine::provider::ProviderInfo;
use qoima_engine::settings::{Language, Settings};
use qoima_engine::storage::{BucketEntry, ListingProgress, ListingSummary, ObjectEntry, ObjectPage, SortSpec};
use qoima_engine::{Engine, UiError};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tokio::task::block_in_place;

use crate::ready::ReadySignal;

pub mod account;
pub mod background;
pub mod buckets;
pub mod objects;
pub mod sync;
pub mod transfers;

type Result<T> = std::result::Result<T, UiError>;

pub const LISTING_PROGRESS_EVENT: &str = "listing-progress";
pub const OPERATION_PROGRESS_EVENT: &str = "operation-progress";

/// Reports a long operation's progress to the window, tagged with its id.
fn operation_progress<R: Runtime>(app: &AppHandle<R>, op_id: u32) -> impl Fn(u64) + Sync + use<'_, R> {
    move |done| {
        let progress = qoima_engine::objects::OperationProgress { op_id, done };
        if let Err(err) = app.emit(OPERATION_PROGRESS_EVENT, progress) {
            tracing::warn!("operation progress not delivered: {err}");
        }
    }
}

#[tauri::command]
pub fn operation_cancel(engine: State<'_, Engine>, op_id: u32) {
    engine.cancel_operation(op_id);
}

#[tauri::command]
pub fn app_info(engine: State<'_, Engine>) -> AppInfo {
    engine.app_info(sys_locale::get_locale())
}

/// The UI calls this once its first screen has rendered: only then is the
/// window shown (no blank flash), and a waiting screenshot may be taken.
#[tauri::command]
pub fn ui_ready<R: Runtime>(app: AppHandle<R>, ready: State<'_, ReadySignal>) -> Result<()> {
    if let Some(window) = app.get_webview_window("main") {
        window.show().map_err(UiError::internal)?;
    }
    ready.signal().map_err(UiError::internal)
}

#[tauri::command]
pub fn settings_get(engine: State<'_, Engine>) -> Result<Settings> {
    engine.settings()
}

#[tauri::command]
pub fn settings_set_language(engine: State<'_, Engine>, language: Option<Language>) -> Result<()> {
    engine.set_language(language)
}

#[tauri::command]
pub fn providers_list(engine: State<'_, Engine>) -> Vec<ProviderInfo> {
    engine.providers()
}

#[tauri::command]
pub async fn startup(engine: State<'_, Engine>) -> Result<Startup> {
    block_in_place(|| engine.startup())
}

#[tauri::command]
pub fn accounts_list(engine: State<'_, Engine>) -> Result<Vec<Account>> {
    engine.accounts()
}

#[tauri::command]
pub async fn account_test(engine: State<'_, Engine>, request: ConnectRequest) -> Result<ConnectionCheck> {
    engine.test_connection(&request).await
}

#[tauri::command]
pub async fn account_save(engine: State<'_, Engine>, request: SaveAccountRequest) -> Result<Account> {
    block_in_place(|| engine.save_account(&request))
}

#[tauri::command]
pub async fn account_connect(engine: State<'_, Engine>, id: i64, secret_key: Option<Secret>) -> Result<Connection> {
    engine.connect_account(id, secret_key).await
}

#[tauri::command]
pub async fn account_remove(engine: State<'_, Engine>, id: i64) -> Result<()> {
    block_in_place(|| engine.remove_account(id))
}

#[tauri::command]
pub async fn demo_connect(engine: State<'_, Engine>) -> Result<Connection> {
    engine.connect_demo().await
}

#[tauri::command]
pub fn disconnect(engine: State<'_, Engine>) -> Result<()> {
    engine.disconnect()
}

#[tauri::command]
pub async fn buckets_list(engine: State<'_, Engine>) -> Result<Vec<BucketEntry>> {
    engine.buckets().await
}

#[tauri::command]
pub async fn objects_page(
    engine: State<'_, Engine>,
    bucket: String,
    prefix: String,
    token: Option<String>,
) -> Result<ObjectPage> {
    engine.objects_page(&bucket, &prefix, token).await
}

#[tauri::command]
pub async fn listing_load<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    bucket: String,
    prefix: String,
    sort: SortSpec,
) -> Result<ListingSummary> {
    let report = |progress: ListingProgress| {
        if let Err(err) = app.emit(LISTING_PROGRESS_EVENT, progress) {
            tracing::warn!("listing progress not delivered: {err}");
        }
    };
    engine.load_listing(&bucket, &prefix, sort, report).await
}

#[tauri::command]
pub fn listing_cancel(engine: State<'_, Engine>, id: u32) {
    engine.cancel_listing(id);
}

#[tauri::command]
pub fn listing_window(engine: State<'_, Engine>, id: u32, offset: u32, limit: u32) -> Result<Vec<ObjectEntry>> {
    engine.listing_window(id, offset, limit)
}

#[tauri::command]
pub fn listing_close(engine: State<'_, Engine>, id: u32) {
    engine.close_listing(id);
}
