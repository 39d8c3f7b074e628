//! Creating and deleting buckets, and their website hosting.

use aws_sdk_s3::types::{
    BucketLocationConstraint, CreateBucketConfiguration, ErrorDocument, IndexDocument, WebsiteConfiguration,
};
use tokio_util::sync::CancellationToken;

use super::model::{StorageClass, Website};
use crate::objects::delete_selection;
use crate::provider::{Placement, StorageClassRules};
use crate::storage::{S3Client, StorageError};

/// The region most servers take without a location; others need it named.
const DEFAULT_REGION: &str = "us-east-1";

pub async fn create_bucket(
    client: &S3Client,
    name: &str,
    class: StorageClass,
    rules: &StorageClassRules,
) -> Result<(), StorageError> {
    ensure_name_free(client, name).await?;
    let region = client.params().region.clone();
    let location = match (class, rules.placement) {
        (StorageClass::Cold, Placement::LocationConstraint) => rules.cold_location.clone(),
        _ => (region != DEFAULT_REGION && !region.is_empty()).then_some(region),
    };
    let mut request = client.sdk().create_bucket().bucket(name);
    if let Some(location) = location {
        request = request.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(location.as_str()))
                .build(),
        );
    }
    let header = match (class, rules.placement) {
        (StorageClass::Cold, Placement::Header) => rules.cold_header.clone(),
        _ => None,
    };
    let sent = match header {
        Some(header) => {
            request
                .customize()
                .mutate_request(move |http| {
                    http.headers_mut().insert(header.name.clone(), header.value.clone());
                })
                .send()
                .await
        }
        None => request.send().await,
    };
    sent.map_err(|e| client.failure(e))?;
    tracing::info!(bucket = name, class = class.as_str(), "bucket created");
    Ok(())
}

/// Some servers (AWS in us-east-1, moto) answer a second CreateBucket of
/// one's own bucket with success: ask first, so an existing bucket is never
/// re-tagged or re-typed as if it were new.
async fn ensure_name_free(client: &S3Client, name: &str) -> Result<(), StorageError> {
    match client.sdk().head_bucket().bucket(name).send().await {
        Ok(_) => Err(StorageError::BucketOwned(name.to_owned())),
        Err(err) => match err.raw_response().map(|r| r.status().as_u16()) {
            Some(404) => Ok(()),
            Some(403) => Err(StorageError::BucketExists(name.to_owned())),
            _ => Err(client.failure(err)),
        },
    }
}

/// Deletes a bucket; with `with_contents`, its objects and unfinished
/// uploads first (the person confirmed by typing the name).
pub async fn delete_bucket(
    client: &S3Client,
    name: &str,
    with_contents: bool,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), StorageError> {
    if with_contents {
        abort_uploads(client, name).await?;
        delete_selection(client, name, &[String::new()], cancel, progress).await?;
    }
    client.sdk().delete_bucket().bucket(name).send().await.map_err(|e| client.failure(e))?;
    tracing::info!(bucket = name, "bucket deleted");
    Ok(())
}

async fn abort_uploads(client: &S3Client, bucket: &str) -> Result<(), StorageError> {
    let mut markers: (Option<String>, Option<String>) = (None, None);
    loop {
        let listed = client
            .sdk()
            .list_multipart_uploads()
            .bucket(bucket)
            .set_key_marker(markers.0.take())
            .set_upload_id_marker(markers.1.take())
            .send()
            .await;
        let out = match listed {
            Ok(out) => out,
            Err(err) => match client.failure(err) {
                StorageError::NotImplemented(_) => return Ok(()),
                other => return Err(other),
            },
        };
        for upload in out.uploads() {
            if let (Some(key), Some(id)) = (upload.key(), upload.upload_id()) {
                client
                    .sdk()
                    .abort_multipart_upload()
                    .bucket(bucket)
                    .key(key)
                    .upload_id(id)
                    .send()
                    .await
                    .map_err(|e| client.failure(e))?;
            }
        }
        if out.is_truncated() != Some(true) {
            return Ok(());
        }
        markers = (out.next_key_marker().map(str::to_owned), out.next_upload_id_marker().map(str::to_owned));
    }
}

/// The website configuration; `Err(NotImplemented)` where hosting is unsupported.
pub async fn read_website(client: &S3Client, bucket: &str) -> Result<Option<Website>, StorageError> {
    use aws_sdk_s3::error::ProvideErrorMetadata;
    match client.sdk().get_bucket_website().bucket(bucket).send().await {
        Ok(out) => Ok(out.index_document().map(|index| Website {
            index_document: index.suffix().to_owned(),
            error_document: out.error_document().map(|e| e.key().to_owned()),
        })),
        Err(err) if matches!(err.code(), Some("NoSuchWebsiteConfiguration")) => Ok(None),
        // Garage answers "no website" with an empty 204.
        Err(err) if err.raw_response().is_some_and(|r| r.status().as_u16() == 204) => Ok(None),
        Err(err) => Err(client.failure(err)),
    }
}

pub async fn write_website(client: &S3Client, bucket: &str, website: Option<&Website>) -> Result<(), StorageError> {
    let Some(website) = website else {
        client.sdk().delete_bucket_website().bucket(bucket).send().await.map_err(|e| client.failure(e))?;
        return Ok(());
    };
    let index = IndexDocument::builder()
        .suffix(website.index_document.trim())
        .build()
        .map_err(|e| StorageError::Other(e.to_string()))?;
    let error = website
        .error_document
        .as_deref()
        .map(str::trim)
        .filter(|key| !key.is_empty())
        .map(|key| ErrorDocument::builder().key(key).build())
        .transpose()
        .map_err(|e| StorageError::Other(e.to_string()))?;
    let config = WebsiteConfiguration::builder().index_document(index).set_error_document(error).build();
    client
        .sdk()
        .put_bucket_website()
        .bucket(bucket)
        .website_configuration(config)
        .send()
        .await
        .map_err(|e| client.failure(e))?;
    Ok(())
}
