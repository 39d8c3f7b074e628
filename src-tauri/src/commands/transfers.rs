//! Transfer queue commands: each calls one engine method. The view reaches
//! the window as `transfers` events, at most ten a second.

use std::time::Duration;

use qoima_engine::queue::{BandwidthLimits, DownloadRequest, EnqueueOutcome, TransfersView, UploadRequest};
use qoima_engine::{Engine, UiError};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

type Result<T> = std::result::Result<T, UiError>;

pub const TRANSFERS_EVENT: &str = "transfers";

/// Ten updates a second follow a progress bar smoothly; more would only
/// load the IPC (10,000 small files finish far faster than that).
const EVENT_INTERVAL: Duration = Duration::from_millis(100);

/// Sends the transfers view to the window whenever it changed, throttled.
pub async fn forward_updates<R: Runtime>(app: AppHandle<R>) {
    let mut updates = app.state::<Engine>().transfer_updates();
    while updates.changed().await.is_ok() {
        match app.state::<Engine>().transfers_view() {
            Ok(view) => {
                if let Err(err) = app.emit(TRANSFERS_EVENT, view) {
                    tracing::warn!("transfers view not delivered: {err}");
                }
            }
            Err(err) => tracing::warn!("transfers view unavailable: {err:?}"),
        }
        tokio::time::sleep(EVENT_INTERVAL).await;
    }
}

#[tauri::command]
pub async fn transfers_upload(engine: State<'_, Engine>, request: UploadRequest) -> Result<EnqueueOutcome> {
    engine.enqueue_upload(request).await
}

#[tauri::command]
pub async fn transfers_download(engine: State<'_, Engine>, request: DownloadRequest) -> Result<EnqueueOutcome> {
    engine.enqueue_download(request).await
}

#[tauri::command]
pub fn transfers_view(engine: State<'_, Engine>) -> Result<TransfersView> {
    engine.transfers_view()
}

#[tauri::command]
pub fn transfer_pause(engine: State<'_, Engine>, id: i64) -> Result<()> {
    engine.pause_transfer(id)
}

#[tauri::command]
pub fn transfer_resume(engine: State<'_, Engine>, id: i64) -> Result<()> {
    engine.resume_transfer(id)
}

#[tauri::command]
pub async fn transfer_cancel(engine: State<'_, Engine>, id: i64) -> Result<()> {
    engine.cancel_transfer(id).await
}

#[tauri::command]
pub fn transfer_retry(engine: State<'_, Engine>, id: i64) -> Result<()> {
    engine.retry_transfer(id)
}

#[tauri::command]
pub fn transfers_clear_finished(engine: State<'_, Engine>) -> Result<()> {
    engine.clear_finished_transfers()
}

#[tauri::command]
pub fn bandwidth_limits(engine: State<'_, Engine>) -> Result<BandwidthLimits> {
    engine.bandwidth_limits()
}

#[tauri::command]
pub fn bandwidth_limits_set(engine: State<'_, Engine>, limits: BandwidthLimits) -> Result<()> {
    engine.set_bandwidth_limits(limits)
}
