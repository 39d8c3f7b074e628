//! Reading and writing a bucket's type on the storage, by the methods the
//! provider file lists, in order. Support is learnt from the answer to a
//! write: a storage may answer a read (Garage answers GetBucketAcl) and still
//! refuse the write.

use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::types::{BucketCannedAcl, ObjectCannedAcl, Permission, Type};
use tokio_util::sync::CancellationToken;

use super::model::BucketType;
use super::policy::{policy_for_type, type_of_policy};
use crate::provider::BucketTypeMethod;
use crate::storage::{S3Client, StorageError};

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";

/// The type the storage enforces now; None when it offers no way to say.
pub async fn read_type(
    client: &S3Client,
    bucket: &str,
    methods: &[BucketTypeMethod],
) -> Result<Option<BucketType>, StorageError> {
    let mut found: Option<BucketType> = None;
    for method in methods {
        let read = match method {
            BucketTypeMethod::Policy => read_policy_type(client, bucket).await?,
            BucketTypeMethod::Acl => read_acl_type(client, bucket).await?,
        };
        found = match (found, read) {
            (Some(a), Some(b)) => Some(most_open(a, b)),
            (a, b) => a.or(b),
        };
    }
    Ok(found)
}

fn most_open(a: BucketType, b: BucketType) -> BucketType {
    let rank = |t| match t {
        BucketType::Private => 0,
        BucketType::PublicRead => 1,
        BucketType::PublicReadWrite => 2,
    };
    if rank(a) >= rank(b) { a } else { b }
}

async fn read_policy(client: &S3Client, bucket: &str) -> Result<Option<serde_json::Value>, StorageError> {
    match client.sdk().get_bucket_policy().bucket(bucket).send().await {
        Ok(out) => {
            let text = out.policy().unwrap_or_default();
            serde_json::from_str(text)
                .map(Some)
                .map_err(|e| StorageError::Other(format!("the bucket policy is not JSON: {e}")))
        }
        Err(err) if err.code() == Some("NoSuchBucketPolicy") => Ok(None),
        Err(err) => Err(client.failure(err)),
    }
}

async fn read_policy_type(client: &S3Client, bucket: &str) -> Result<Option<BucketType>, StorageError> {
    match read_policy(client, bucket).await {
        Ok(policy) => Ok(Some(policy.map_or(BucketType::Private, |p| type_of_policy(&p, bucket)))),
        Err(StorageError::NotImplemented(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

async fn read_acl_type(client: &S3Client, bucket: &str) -> Result<Option<BucketType>, StorageError> {
    let out = match client.sdk().get_bucket_acl().bucket(bucket).send().await {
        Ok(out) => out,
        Err(err) => match client.failure(err) {
            StorageError::NotImplemented(_) => return Ok(None),
            other => return Err(other),
        },
    };
    let public: Vec<&Permission> = out
        .grants()
        .iter()
        .filter(|g| g.grantee().is_some_and(|e| e.r#type() == &Type::Group && e.uri() == Some(ALL_USERS)))
        .filter_map(|g| g.permission())
        .collect();
    let has = |p: &Permission| public.iter().any(|q| *q == p || **q == Permission::FullControl);
    Ok(Some(if has(&Permission::Write) {
        BucketType::PublicReadWrite
    } else if has(&Permission::Read) {
        BucketType::PublicRead
    } else {
        BucketType::Private
    }))
}

/// Gives the bucket the type with the first method the storage accepts, and
/// says which one that was. `NotImplemented` when none is accepted.
pub async fn write_type(
    client: &S3Client,
    bucket: &str,
    wanted: BucketType,
    methods: &[BucketTypeMethod],
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<BucketTypeMethod, StorageError> {
    for method in methods {
        let written = match method {
            BucketTypeMethod::Policy => write_policy(client, bucket, wanted).await,
            BucketTypeMethod::Acl => write_acl(client, bucket, wanted, cancel, progress).await,
        };
        match written {
            Ok(()) => {
                if *method == BucketTypeMethod::Policy {
                    close_acls(client, bucket, cancel, progress).await?;
                }
                tracing::info!(bucket, r#type = wanted.as_str(), ?method, "bucket type written");
                return Ok(*method);
            }
            Err(StorageError::NotImplemented(detail)) => {
                tracing::info!(bucket, ?method, "the storage does not take this way of setting a type: {detail}");
            }
            Err(err) => return Err(err),
        }
    }
    Err(StorageError::NotImplemented("no way of setting a bucket type is accepted here".into()))
}

async fn write_policy(client: &S3Client, bucket: &str, wanted: BucketType) -> Result<(), StorageError> {
    let existing = match read_policy(client, bucket).await {
        Ok(existing) => existing,
        // The write below decides whether policies are supported.
        Err(StorageError::NotImplemented(_)) => None,
        Err(err) => return Err(err),
    };
    match policy_for_type(existing.as_ref(), bucket, wanted) {
        Some(policy) => {
            client
                .sdk()
                .put_bucket_policy()
                .bucket(bucket)
                .policy(policy.to_string())
                .send()
                .await
                .map_err(|e| client.failure(e))?;
        }
        // Sent even with no policy to remove: the answer shows whether the
        // storage takes policies at all.
        None => {
            client.sdk().delete_bucket_policy().bucket(bucket).send().await.map_err(|e| client.failure(e))?;
        }
    }
    Ok(())
}

/// Where the type is kept in the policy, ACLs left open (by another tool,
/// or from when ACLs kept the type) would still let anyone list, write or
/// read: they are closed, objects first, where the storage takes ACLs.
async fn close_acls(
    client: &S3Client,
    bucket: &str,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), StorageError> {
    if !read_acl_type(client, bucket).await?.is_some_and(BucketType::is_public) {
        return Ok(());
    }
    match write_acl(client, bucket, BucketType::Private, cancel, progress).await {
        Err(StorageError::NotImplemented(_)) => Ok(()),
        other => other,
    }
}

/// A bucket ACL opens the listing, not the objects: public read also needs
/// every object's own ACL, and new objects get theirs when written. Going
/// private, the objects close first and the bucket last, so a stop half-way
/// never shows a bucket as private while objects in it are still open.
async fn write_acl(
    client: &S3Client,
    bucket: &str,
    wanted: BucketType,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), StorageError> {
    let bucket_acl = match wanted {
        BucketType::Private => BucketCannedAcl::Private,
        BucketType::PublicRead => BucketCannedAcl::PublicRead,
        BucketType::PublicReadWrite => BucketCannedAcl::PublicReadWrite,
    };
    let put_bucket_acl = async || -> Result<(), StorageError> {
        client
            .sdk()
            .put_bucket_acl()
            .bucket(bucket)
            .acl(bucket_acl.clone())
            .send()
            .await
            .map_err(|e| client.failure(e))?;
        Ok(())
    };
    if wanted.is_public() {
        put_bucket_acl().await?;
    }
    let object_acl = object_acl_for(wanted).unwrap_or(ObjectCannedAcl::Private);
    let mut done = 0u64;
    let mut token = None;
    loop {
        let page = client.list_page_recursive(bucket, "", token).await?;
        for entry in &page.entries {
            if cancel.is_cancelled() {
                return Err(StorageError::Cancelled);
            }
            client
                .sdk()
                .put_object_acl()
                .bucket(bucket)
                .key(&entry.key)
                .acl(object_acl.clone())
                .send()
                .await
                .map_err(|e| client.failure(e))?;
            done += 1;
            progress(done);
        }
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    if !wanted.is_public() {
        put_bucket_acl().await?;
    }
    Ok(())
}

/// The ACL a new object needs so that the bucket's type applies to it.
pub fn object_acl_for(bucket_type: BucketType) -> Option<ObjectCannedAcl> {
    bucket_type.is_public().then_some(ObjectCannedAcl::PublicRead)
}
