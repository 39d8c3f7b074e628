//! The account's usage, quota settings, trial and diagnostics: each calls
//! one engine method. Those that may read the keyring wait off the async
//! workers, as the account commands do.

use qoima_engine::account::outage_store::OutageView;
use qoima_engine::account::quota_store::QuotaSettings;
use qoima_engine::account::trial::Reminder;
use qoima_engine::account::usage::Usage;
use qoima_engine::engine::{AvailabilityReport, QuotaSettingsRequest, TrialRequest, TrialView, UsageView, YearMonth};
use qoima_engine::{Engine, UiError};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};
use tokio::task::block_in_place;

type Result<T> = std::result::Result<T, UiError>;

/// The storage's open outage (or none) reaches the window as `outage`
/// events, so it can ask the customer to report it at once.
pub const OUTAGE_EVENT: &str = "outage";

pub async fn forward_outages<R: Runtime>(app: AppHandle<R>) {
    let mut updates = app.state::<Engine>().outage_updates();
    while updates.changed().await.is_ok() {
        let current = updates.borrow_and_update().clone();
        if let Err(err) = app.emit(OUTAGE_EVENT, current) {
            tracing::warn!("outage not delivered: {err}");
        }
    }
}

#[tauri::command]
pub fn outage_current(engine: State<'_, Engine>) -> Result<Option<OutageView>> {
    engine.current_outage()
}

#[tauri::command]
pub fn outage_report(engine: State<'_, Engine>, id: i64) -> Result<OutageView> {
    engine.record_outage_report(id)
}

#[tauri::command]
pub fn availability_report(
    engine: State<'_, Engine>,
    month: Option<YearMonth>,
    payment_tiyn: Option<u64>,
) -> Result<AvailabilityReport> {
    engine.availability(month, payment_tiyn)
}

#[tauri::command]
pub async fn usage_view(engine: State<'_, Engine>) -> Result<UsageView> {
    block_in_place(|| engine.usage())
}

#[tauri::command]
pub async fn usage_measure(engine: State<'_, Engine>) -> Result<Usage> {
    engine.measure_usage().await
}

#[tauri::command]
pub fn usage_cancel(engine: State<'_, Engine>) {
    engine.cancel_usage_measure();
}

#[tauri::command]
pub async fn quota_settings_set(engine: State<'_, Engine>, request: QuotaSettingsRequest) -> Result<QuotaSettings> {
    block_in_place(|| engine.set_quota_settings(request))
}

#[tauri::command]
pub async fn trial_get(engine: State<'_, Engine>) -> Result<TrialView> {
    engine.trial().await
}

#[tauri::command]
pub async fn trial_set(engine: State<'_, Engine>, request: TrialRequest) -> Result<TrialView> {
    engine.set_trial(request).await
}

#[tauri::command]
pub fn trial_take_reminder(engine: State<'_, Engine>) -> Result<Option<Reminder>> {
    engine.take_trial_reminder()
}

#[tauri::command]
pub fn diagnostics_text(engine: State<'_, Engine>) -> String {
    engine.diagnostics()
}
