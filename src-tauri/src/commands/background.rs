//! What the tray and the close button need from the window: the summary of
//! background work, and the words to show it with.

use qoima_engine::{Engine, UiError};
use tauri::{AppHandle, Runtime, State};

use crate::background::{self, BackgroundSummary, BackgroundTexts};

#[tauri::command]
pub fn background_summary(engine: State<'_, Engine>) -> BackgroundSummary {
    background::summary(&engine)
}

/// Async so the tray is built off the main thread, which builds it.
#[tauri::command]
pub async fn background_texts_set<R: Runtime>(app: AppHandle<R>, texts: BackgroundTexts) -> Result<(), UiError> {
    texts.check()?;
    background::set_texts(&app, texts).map_err(UiError::internal)
}
