//! Sync pair commands: each calls one engine method. The pairs reach the
//! window as `sync` events whenever their state changes, at most ten a second.

use std::time::Duration;

use qoima_engine::sync::model::{NewSyncPair, SyncPairEdit, SyncPairView, TrashedObject};
use qoima_engine::{Engine, UiError};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

type Result<T> = std::result::Result<T, UiError>;

pub const SYNC_EVENT: &str = "sync";

const EVENT_INTERVAL: Duration = Duration::from_millis(100);

/// Sends the pairs to the window whenever they changed, throttled.
pub async fn forward_updates<R: Runtime>(app: AppHandle<R>) {
    let mut updates = app.state::<Engine>().sync_updates();
    while updates.changed().await.is_ok() {
        match app.state::<Engine>().sync_pairs() {
            Ok(pairs) => {
                if let Err(err) = app.emit(SYNC_EVENT, pairs) {
                    tracing::warn!("sync pairs not delivered: {err}");
                }
            }
            Err(err) => tracing::warn!("sync pairs unavailable: {err:?}"),
        }
        tokio::time::sleep(EVENT_INTERVAL).await;
    }
}

#[tauri::command]
pub fn sync_pairs(engine: State<'_, Engine>) -> Result<Vec<SyncPairView>> {
    engine.sync_pairs()
}

#[tauri::command]
pub async fn sync_add(engine: State<'_, Engine>, pair: NewSyncPair) -> Result<i64> {
    engine.sync_add(pair).await
}

#[tauri::command]
pub fn sync_edit(engine: State<'_, Engine>, id: i64, edit: SyncPairEdit) -> Result<()> {
    engine.sync_edit(id, &edit)
}

#[tauri::command]
pub fn sync_set_paused(engine: State<'_, Engine>, id: i64, paused: bool) -> Result<()> {
    engine.sync_set_paused(id, paused)
}

#[tauri::command]
pub fn sync_now(engine: State<'_, Engine>, id: i64) {
    engine.sync_now(id);
}

#[tauri::command]
pub fn sync_approve_deletions(engine: State<'_, Engine>, id: i64) {
    engine.sync_approve_deletions(id);
}

#[tauri::command]
pub fn sync_approve_over_quota(engine: State<'_, Engine>, id: i64) {
    engine.sync_approve_over_quota(id);
}

#[tauri::command]
pub fn sync_remove(engine: State<'_, Engine>, id: i64) -> Result<()> {
    engine.sync_remove(id)
}

#[tauri::command]
pub async fn sync_trash(engine: State<'_, Engine>, id: i64) -> Result<Vec<TrashedObject>> {
    engine.sync_trash(id).await
}

#[tauri::command]
pub async fn sync_restore(engine: State<'_, Engine>, id: i64, trash_key: String) -> Result<()> {
    engine.sync_restore(id, &trash_key).await
}
