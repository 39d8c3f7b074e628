//! Bucket commands: each calls one engine method.

use qoima_engine::bucket::{
    AccessSupport, BucketInfo, BucketNameProblem, BucketSummary, BucketType, CreateBucketRequest, Website,
};
use qoima_engine::objects::SelectionSize;
use qoima_engine::{Engine, UiError};
use tauri::{AppHandle, Runtime, State};

use super::operation_progress;

type Result<T> = std::result::Result<T, UiError>;

#[tauri::command]
pub fn bucket_name_check(engine: State<'_, Engine>, name: String) -> Option<BucketNameProblem> {
    engine.check_bucket_name(&name)
}

#[tauri::command]
pub fn storage_access(engine: State<'_, Engine>) -> Result<AccessSupport> {
    engine.access_support()
}

#[tauri::command]
pub async fn bucket_summary(engine: State<'_, Engine>, bucket: String) -> Result<BucketSummary> {
    engine.bucket_summary(&bucket).await
}

#[tauri::command]
pub async fn bucket_info(engine: State<'_, Engine>, bucket: String) -> Result<BucketInfo> {
    engine.bucket_info(&bucket).await
}

#[tauri::command]
pub async fn bucket_create(engine: State<'_, Engine>, request: CreateBucketRequest) -> Result<BucketInfo> {
    engine.create_bucket(&request).await
}

#[tauri::command]
pub async fn bucket_set_type<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    bucket: String,
    bucket_type: BucketType,
    op_id: u32,
) -> Result<BucketInfo> {
    engine.set_bucket_type(&bucket, bucket_type, op_id, operation_progress(&app, op_id)).await
}

#[tauri::command]
pub async fn bucket_set_website(
    engine: State<'_, Engine>,
    bucket: String,
    website: Option<Website>,
) -> Result<BucketInfo> {
    engine.set_website(&bucket, website).await
}

#[tauri::command]
pub async fn bucket_measure(engine: State<'_, Engine>, bucket: String, op_id: u32) -> Result<SelectionSize> {
    engine.measure_bucket(&bucket, op_id).await
}

#[tauri::command]
pub async fn bucket_delete<R: Runtime>(
    app: AppHandle<R>,
    engine: State<'_, Engine>,
    bucket: String,
    with_contents: bool,
    op_id: u32,
) -> Result<()> {
    engine.delete_bucket(&bucket, with_contents, op_id, operation_progress(&app, op_id)).await
}
