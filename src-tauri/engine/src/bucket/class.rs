//! A bucket's storage class on the storage: placed at creation as the
//! provider file says, tagged so it can be read back, and carried by every
//! object written into a Cold bucket.

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::types::{Tag, Tagging};

use super::model::StorageClass;
use crate::provider::StorageClassRules;
use crate::storage::{S3Client, StorageError};

pub const CLASS_TAG: &str = "qoima-storage-class";

/// Writes the class as a bucket tag. False when the storage keeps no tags.
pub async fn tag_class(client: &S3Client, bucket: &str, class: StorageClass) -> Result<bool, StorageError> {
    let tag =
        Tag::builder().key(CLASS_TAG).value(class.as_str()).build().map_err(|e| StorageError::Other(e.to_string()))?;
    let tagging = Tagging::builder().tag_set(tag).build().map_err(|e| StorageError::Other(e.to_string()))?;
    match client.sdk().put_bucket_tagging().bucket(bucket).tagging(tagging).send().await {
        Ok(_) => Ok(true),
        Err(err) => match client.failure(err) {
            StorageError::NotImplemented(_) => Ok(false),
            other => Err(other),
        },
    }
}

/// The class tag, if the storage keeps tags and the bucket has one.
pub async fn read_class_tag(client: &S3Client, bucket: &str) -> Result<Option<StorageClass>, StorageError> {
    match client.sdk().get_bucket_tagging().bucket(bucket).send().await {
        Ok(out) => Ok(out.tag_set().iter().find(|t| t.key() == CLASS_TAG).and_then(|t| StorageClass::parse(t.value()))),
        Err(err) if matches!(err.code(), Some("NoSuchTagSet" | "NoSuchTagSetError")) => Ok(None),
        Err(err) if err.raw_response().is_some_and(|r| r.status().as_u16() == 204) => Ok(None),
        Err(err) => match client.failure(err) {
            StorageError::NotImplemented(_) => Ok(None),
            other => Err(other),
        },
    }
}

/// The `x-amz-storage-class` an object written into a bucket of `class` carries.
pub fn object_class(class: StorageClass, rules: &StorageClassRules) -> Option<aws_sdk_s3::types::StorageClass> {
    match class {
        StorageClass::Standard => None,
        StorageClass::Cold => rules.cold_object_class.as_deref().map(aws_sdk_s3::types::StorageClass::from),
    }
}
