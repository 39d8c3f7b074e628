//! Object commands: each calls one engine method.

use std::time::Duration;

use qoima_engine::objects::{HeadersEdit, NameProblem, ObjectProperties, SearchResult, SelectionSize, ShareLink};
use qoima_engine::{Engine, UiError};
use tauri::{AppHandle, Runtime, State};

use super::operation_progress;

type Result<T> = std::result::Result<T, UiError>;

#[tauri::command]
pub fn object_name_check(engine: State<'_, Engine>, name: String) -> Option<NameProblem> {
    engine.check_object_name(&name)
}

#[tauri::command]
pub async fn folder_create(engine: State<'_, Engine>, bucket: String, prefix: String, name: String) -> Result<String> {
    engine.create_folder(&bucket, &prefix, &name).await
}

#[tauri::command]
pub async fn object_rename(
    engine: State<'_, Engine>,
    bucket: String,
    key: String,
    new_name: String,
    op_id: u32,
) -> Result<String> {
    engine.rename_object(&bucket, &key, &new_name, op_id).await
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn objects_transfer<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    bucket: String,
    keys: Vec<String>,
    dest_bucket: String,
    dest_prefix: String,
    delete_source: bool,
    op_id: u32,
) -> Result<u64> {
    let progress = operation_progress(&app, op_id);
    engine.transfer_objects(&bucket, &keys, &dest_bucket, &dest_prefix, delete_source, op_id, progress).await
}

#[tauri::command]
pub async fn objects_measure(
    engine: State<'_, Engine>,
    bucket: String,
    keys: Vec<String>,
    op_id: u32,
) -> Result<SelectionSize> {
    engine.measure_selection(&bucket, &keys, op_id).await
}

#[tauri::command]
pub async fn objects_delete<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    bucket: String,
    keys: Vec<String>,
    op_id: u32,
) -> Result<u64> {
    engine.delete_objects(&bucket, &keys, op_id, operation_progress(&app, op_id)).await
}

#[tauri::command]
pub async fn object_properties(engine: State<'_, Engine>, bucket: String, key: String) -> Result<ObjectProperties> {
    engine.object_properties(&bucket, &key).await
}

#[tauri::command]
pub async fn object_update_headers(
    engine: State<'_, Engine>,
    bucket: String,
    key: String,
    edit: HeadersEdit,
) -> Result<ObjectProperties> {
    engine.update_headers(&bucket, &key, edit).await
}

#[tauri::command]
pub async fn object_share_link(
    engine: State<'_, Engine>,
    bucket: String,
    key: String,
    expires_secs: u64,
) -> Result<ShareLink> {
    engine.share_link(&bucket, &key, Duration::from_secs(expires_secs)).await
}

#[tauri::command]
pub async fn objects_search(
    engine: State<'_, Engine>,
    bucket: String,
    prefix: String,
    query: String,
    op_id: u32,
) -> Result<SearchResult> {
    engine.search(&bucket, &prefix, &query, op_id).await
}
