//! Qoima's desktop shell: windows and commands over the engine.

mod background;
#[cfg(test)]
mod bindings;
mod commands;
mod instance;
mod navigation;
mod preview;
mod ready;
mod tray;

use std::path::Path;
use std::time::Duration;

use qoima_engine::Engine;
use qoima_engine::account::prober::ProbeSettings;
use tauri::{Manager, Runtime, WindowEvent};

pub use background::BACKGROUND_EVENT;
pub use commands::transfers::TRANSFERS_EVENT;
pub use commands::{LISTING_PROGRESS_EVENT, OPERATION_PROGRESS_EVENT};
pub use ready::ReadySignal;

/// If the UI never reports that it rendered, the window is shown anyway so
/// the person is never left with nothing.
const SHOW_WINDOW_ANYWAY_AFTER: Duration = Duration::from_secs(8);

/// The app with its state and commands, on any runtime (the real one, or the
/// mock runtime in tests).
pub fn app<R: Runtime>(builder: tauri::Builder<R>, engine: Engine, ready: ReadySignal) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::Builder::new().build())
        .register_asynchronous_uri_scheme_protocol(preview::SCHEME, preview::handle)
        .plugin(navigation::guard())
        .manage(engine)
        .manage(ready)
        .manage(background::Background::default())
        .manage(tray::TrayState::<R>::default())
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                background::on_close_requested(window, api);
            }
        })
        .setup(|app| {
            tauri::async_runtime::spawn(app.state::<Engine>().transfer_runner());
            tauri::async_runtime::spawn(commands::transfers::forward_updates(app.handle().clone()));
            tauri::async_runtime::spawn(commands::sync::forward_updates(app.handle().clone()));
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(err) = handle.state::<Engine>().run_sync_in_background() {
                    tracing::warn!("sync pairs could not start: {err:?}");
                }
                handle.state::<Engine>().run_availability_probe(ProbeSettings::default());
            });
            tauri::async_runtime::spawn(commands::account::forward_outages(app.handle().clone()));
            tauri::async_runtime::spawn(background::follow(app.handle().clone()));
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(SHOW_WINDOW_ANYWAY_AFTER).await;
                if let Some(window) = handle.get_webview_window("main") {
                    let _ = window.show();
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::ui_ready,
            commands::settings_get,
            commands::settings_set_language,
            commands::providers_list,
            commands::startup,
            commands::accounts_list,
            commands::account_test,
            commands::account_save,
            commands::account_connect,
            commands::account_remove,
            commands::demo_connect,
            commands::disconnect,
            commands::buckets_list,
            commands::objects_page,
            commands::listing_load,
            commands::listing_cancel,
            commands::listing_window,
            commands::listing_close,
            commands::operation_cancel,
            commands::account::usage_view,
            commands::account::usage_measure,
            commands::account::usage_cancel,
            commands::account::quota_settings_set,
            commands::account::trial_get,
            commands::account::trial_set,
            commands::account::trial_take_reminder,
            commands::account::diagnostics_text,
            commands::account::outage_current,
            commands::account::outage_report,
            commands::account::availability_report,
            commands::buckets::bucket_name_check,
            commands::buckets::storage_access,
            commands::buckets::bucket_summary,
            commands::buckets::bucket_info,
            commands::buckets::bucket_create,
            commands::buckets::bucket_set_type,
            commands::buckets::bucket_set_website,
            commands::buckets::bucket_measure,
            commands::buckets::bucket_delete,
            commands::objects::object_name_check,
            commands::objects::folder_create,
            commands::objects::object_rename,
            commands::objects::objects_transfer,
            commands::objects::objects_measure,
            commands::objects::objects_delete,
            commands::objects::object_properties,
            commands::objects::object_update_headers,
            commands::objects::object_share_link,
            commands::objects::objects_search,
            commands::transfers::transfers_upload,
            commands::transfers::transfers_download,
            commands::transfers::transfers_view,
            commands::transfers::transfer_pause,
            commands::transfers::transfer_resume,
            commands::transfers::transfer_cancel,
            commands::transfers::transfer_retry,
            commands::transfers::transfers_clear_finished,
            commands::transfers::bandwidth_limits,
            commands::transfers::bandwidth_limits_set,
            commands::sync::sync_pairs,
            commands::sync::sync_add,
            commands::sync::sync_edit,
            commands::sync::sync_set_paused,
            commands::sync::sync_now,
            commands::sync::sync_approve_deletions,
            commands::sync::sync_approve_over_quota,
            commands::sync::sync_remove,
            commands::sync::sync_trash,
            commands::sync::sync_restore,
            commands::background::background_summary,
            commands::background::background_texts_set,
        ])
}

/// The real app on `data_dir`; a second launch on the same folder hands
/// over to the running one and exits.
pub fn run(engine: Engine, data_dir: &Path) {
    // The single-instance check comes first, before any other plugin starts.
    let builder = tauri::Builder::default().plugin(instance::single(data_dir));
    app(builder, engine, ReadySignal::from_env())
        .run(tauri::generate_context!())
        .expect("the Qoima window could not start");
}
