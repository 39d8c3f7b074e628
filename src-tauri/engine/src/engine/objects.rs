//! The engine's object actions: folders, rename, copy, move, delete,
//! properties, share links, search, preview, and uploads and downloads.

use std::time::Duration;

use super::{Engine, validate_location};
use crate::bucket::BucketType;
use crate::error::UiError;
use crate::objects::{
    HeadersEdit, NameProblem, ObjectProperties, PreviewBody, SearchBounds, SearchResult, SelectionSize, ShareLink,
    check_key, check_name, create_folder, delete_selection, measure_selection, properties, public_url, read_preview,
    rename, search, share_link, transfer_selection, update_headers,
};
use crate::storage::StorageError;
use crate::transfer::{self, DownloadOptions, TreeOptions, TreeResult, UploadOptions};

/// Images and text up to this size are previewed; larger ones are not
/// loaded into the window at all.
pub const PREVIEW_LIMIT: u64 = 20 * 1024 * 1024;

fn keys(bucket: &str, keys: &[String]) -> Result<(), UiError> {
    validate_location(bucket, "")?;
    if keys.is_empty() {
        return Err(UiError::invalid("keys", "nothing selected"));
    }
    for key in keys {
        check_key(key).map_err(|p| UiError::from(StorageError::InvalidName(p)))?;
    }
    Ok(())
}

impl Engine {
    pub fn check_object_name(&self, name: &str) -> Option<NameProblem> {
        check_name(name).err()
    }

    pub async fn create_folder(&self, bucket: &str, prefix: &str, name: &str) -> Result<String, UiError> {
        validate_location(bucket, prefix)?;
        let (client, profile) = self.storage()?;
        let writes = self.writes_for(&client, &profile, bucket).await?;
        Ok(create_folder(&client, bucket, prefix, name, &writes).await?)
    }

    pub async fn rename_object(&self, bucket: &str, key: &str, new_name: &str, op_id: u32) -> Result<String, UiError> {
        keys(bucket, &[key.to_owned()])?;
        let running = self.operations.start(op_id);
        let (client, profile) = self.storage()?;
        let writes = self.writes_for(&client, &profile, bucket).await?;
        Ok(rename(&client, bucket, key, new_name, &writes, &running.token).await?)
    }

    /// Copies, or with `delete_source` moves, objects and folders into
    /// `dest_prefix` of `dest_bucket`.
    #[allow(clippy::too_many_arguments)]
    pub async fn transfer_objects(
        &self,
        bucket: &str,
        selection: &[String],
        dest_bucket: &str,
        dest_prefix: &str,
        delete_source: bool,
        op_id: u32,
        progress: impl Fn(u64) + Sync,
    ) -> Result<u64, UiError> {
        keys(bucket, selection)?;
        validate_location(dest_bucket, dest_prefix)?;
        let running = self.operations.start(op_id);
        let (client, profile) = self.storage()?;
        let writes = self.writes_for(&client, &profile, dest_bucket).await?;
        if running.token.is_cancelled() {
            return Err(StorageError::Cancelled.into());
        }
        Ok(transfer_selection(
            &client,
            bucket,
            selection,
            (dest_bucket, dest_prefix),
            &writes,
            delete_source,
            &running.token,
            &progress,
        )
        .await?)
    }

    pub async fn measure_selection(
        &self,
        bucket: &str,
        selection: &[String],
        op_id: u32,
    ) -> Result<SelectionSize, UiError> {
        keys(bucket, selection)?;
        let (client, _) = self.storage()?;
        let running = self.operations.start(op_id);
        Ok(measure_selection(&client, bucket, selection, &running.token).await?)
    }

    /// Measures a whole bucket, for the confirmation before deleting it.
    pub async fn measure_bucket(&self, bucket: &str, op_id: u32) -> Result<SelectionSize, UiError> {
        validate_location(bucket, "")?;
        let (client, _) = self.storage()?;
        let running = self.operations.start(op_id);
        Ok(measure_selection(&client, bucket, &[String::new()], &running.token).await?)
    }

    pub async fn delete_objects(
        &self,
        bucket: &str,
        selection: &[String],
        op_id: u32,
        progress: impl Fn(u64) + Sync,
    ) -> Result<u64, UiError> {
        keys(bucket, selection)?;
        let (client, _) = self.storage()?;
        let running = self.operations.start(op_id);
        Ok(delete_selection(&client, bucket, selection, &running.token, &progress).await?)
    }

    /// Everything in a bucket, the bucket itself kept.
    pub async fn delete_bucket_contents(
        &self,
        bucket: &str,
        op_id: u32,
        progress: impl Fn(u64) + Sync,
    ) -> Result<u64, UiError> {
        validate_location(bucket, "")?;
        let (client, _) = self.storage()?;
        let running = self.operations.start(op_id);
        Ok(delete_selection(&client, bucket, &[String::new()], &running.token, &progress).await?)
    }

    /// Sends one file as `key`: in parts above the threshold.
    pub async fn upload_file(
        &self,
        path: &std::path::Path,
        bucket: &str,
        key: &str,
        op_id: u32,
        progress: impl Fn(u64) + Sync,
    ) -> Result<u64, UiError> {
        validate_location(bucket, "")?;
        let running = self.operations.start(op_id);
        let (client, profile) = self.storage()?;
        let writes = self.writes_for(&client, &profile, bucket).await?;
        let options = UploadOptions { budget: self.queue.budget().clone(), ..UploadOptions::default() };
        match transfer::upload_file(&client, bucket, key, path, &writes, &options, &running.token, &progress).await {
            Err(StorageError::TooLarge { size, limit }) => Err(UiError::new(crate::error::ErrorCode::FileTooLarge)
                .with_detail(format!("{size} bytes; an object holds at most {limit}"))),
            other => Ok(other?),
        }
    }

    /// Fetches `key` into `target`, which appears only once complete.
    pub async fn download_file(
        &self,
        bucket: &str,
        key: &str,
        target: &std::path::Path,
        op_id: u32,
        progress: impl Fn(u64) + Sync,
    ) -> Result<u64, UiError> {
        keys(bucket, &[key.to_owned()])?;
        let running = self.operations.start(op_id);
        let (client, _) = self.storage()?;
        let options = DownloadOptions { budget: self.queue.budget().clone(), ..DownloadOptions::default() };
        Ok(transfer::download_file(&client, bucket, key, target, &options, &running.token, &progress).await?)
    }

    /// Sends every file below `dir` under `prefix`, folders kept.
    pub async fn upload_folder(
        &self,
        dir: &std::path::Path,
        bucket: &str,
        prefix: &str,
        op_id: u32,
        progress: impl Fn(u64) + Sync,
    ) -> Result<TreeResult, UiError> {
        validate_location(bucket, prefix)?;
        let running = self.operations.start(op_id);
        let (client, profile) = self.storage()?;
        let writes = self.writes_for(&client, &profile, bucket).await?;
        let options = TreeOptions::with_budget(self.queue.budget());
        Ok(transfer::upload_tree(&client, dir, bucket, prefix, &writes, &options, &running.token, &progress).await?)
    }

    /// Fetches everything under `prefix` into `dir`; keys that cannot be
    /// local files are listed in the result, not written.
    pub async fn download_folder(
        &self,
        bucket: &str,
        prefix: &str,
        dir: &std::path::Path,
        op_id: u32,
        progress: impl Fn(u64) + Sync,
    ) -> Result<TreeResult, UiError> {
        validate_location(bucket, prefix)?;
        let running = self.operations.start(op_id);
        let (client, _) = self.storage()?;
        let options = TreeOptions::with_budget(self.queue.budget());
        Ok(transfer::download_tree(&client, bucket, prefix, dir, &options, &running.token, &progress).await?)
    }

    pub async fn object_properties(&self, bucket: &str, key: &str) -> Result<ObjectProperties, UiError> {
        keys(bucket, &[key.to_owned()])?;
        let (client, profile) = self.storage()?;
        let mut props = properties(&client, bucket, key).await?;
        if self.type_of(&client, &profile, bucket).await?.is_some_and(BucketType::is_public) {
            props.public_url = Some(public_url(client.params(), bucket, key));
        }
        Ok(props)
    }

    pub async fn update_headers(
        &self,
        bucket: &str,
        key: &str,
        edit: HeadersEdit,
    ) -> Result<ObjectProperties, UiError> {
        keys(bucket, &[key.to_owned()])?;
        for (name, value) in &edit.metadata {
            let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !valid {
                return Err(UiError::invalid("metadata", format!("{name:?} is not a metadata name")));
            }
            if value.chars().any(char::is_control) {
                return Err(UiError::invalid("metadata", format!("the value of {name:?} holds a control character")));
            }
        }
        let (client, profile) = self.storage()?;
        let writes = self.writes_for(&client, &profile, bucket).await?;
        let content_type = edit.content_type.filter(|t| !t.trim().is_empty());
        let metadata = edit.metadata.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
        update_headers(&client, bucket, key, content_type, metadata, &writes).await?;
        self.object_properties(bucket, key).await
    }

    pub async fn share_link(&self, bucket: &str, key: &str, expires_in: Duration) -> Result<ShareLink, UiError> {
        keys(bucket, &[key.to_owned()])?;
        let (client, _) = self.storage()?;
        Ok(share_link(&client, bucket, key, expires_in, self.clock.now()).await?)
    }

    pub async fn search(&self, bucket: &str, prefix: &str, query: &str, op_id: u32) -> Result<SearchResult, UiError> {
        validate_location(bucket, prefix)?;
        let (client, _) = self.storage()?;
        let running = self.operations.start(op_id);
        Ok(search(&client, bucket, prefix, query, SearchBounds::default(), &running.token).await?)
    }

    pub async fn preview(&self, bucket: &str, key: &str) -> Result<PreviewBody, UiError> {
        keys(bucket, &[key.to_owned()])?;
        let (client, _) = self.storage()?;
        Ok(read_preview(&client, bucket, key, PREVIEW_LIMIT).await?)
    }
}
