//! The engine's bucket actions: create, read and change type and website,
//! delete.

use super::{Engine, StorageProfile};
use crate::bucket::{
    AccessSupport, BucketInfo, BucketNameProblem, BucketSummary, BucketType, ClassSource, CreateBucketRequest,
    StorageClass, Website, check_bucket_name, create_bucket, delete_bucket, object_acl_for, object_class,
    read_class_tag, read_type, read_website, records, tag_class, write_type, write_website,
};
use crate::error::{ErrorCode, UiError};
use crate::objects::{BucketWrites, public_base_url};
use crate::provider::BucketTypeMethod;
use crate::storage::{S3Client, StorageError};

fn bucket_name(name: &str) -> Result<(), UiError> {
    check_bucket_name(name).map_err(|problem| UiError::broken_rule("name", problem))
}

impl Engine {
    pub fn check_bucket_name(&self, name: &str) -> Option<BucketNameProblem> {
        check_bucket_name(name).err()
    }

    /// How this storage takes bucket types, as far as is known.
    pub fn access_support(&self) -> Result<AccessSupport, UiError> {
        let (_, profile) = self.storage()?;
        self.access_of(&profile)
    }

    fn access_of(&self, profile: &StorageProfile) -> Result<AccessSupport, UiError> {
        if profile.access_methods.is_empty() {
            return Ok(AccessSupport::Unsupported);
        }
        Ok(records::access_support(&self.db(), &profile.storage_id)?)
    }

    pub(super) async fn class_of(
        &self,
        client: &S3Client,
        profile: &StorageProfile,
        bucket: &str,
    ) -> Result<(StorageClass, ClassSource), UiError> {
        if let Some(class) = read_class_tag(client, bucket).await? {
            return Ok((class, ClassSource::Storage));
        }
        Ok(match records::class_of(&self.db(), &profile.storage_id, bucket)? {
            Some(class) => (class, ClassSource::Local),
            None => (StorageClass::Standard, ClassSource::Default),
        })
    }

    pub(super) async fn type_of(
        &self,
        client: &S3Client,
        profile: &StorageProfile,
        bucket: &str,
    ) -> Result<Option<BucketType>, UiError> {
        if self.access_of(profile)? == AccessSupport::Unsupported {
            return Ok(None);
        }
        Ok(read_type(client, bucket, &profile.access_methods).await?)
    }

    /// How objects are written into `bucket`: its class, and object ACLs
    /// where its type is kept in ACLs.
    pub(super) async fn writes_for(
        &self,
        client: &S3Client,
        profile: &StorageProfile,
        bucket: &str,
    ) -> Result<BucketWrites, UiError> {
        let (class, _) = self.class_of(client, profile, bucket).await?;
        // Where the type may be kept in ACLs (learnt, or not yet known on this
        // computer), an ACL-public bucket gives each new object its own ACL.
        let acl_possible = matches!(self.access_of(profile)?, AccessSupport::Acl | AccessSupport::Unknown)
            && profile.access_methods.contains(&BucketTypeMethod::Acl);
        let acl = if acl_possible {
            read_type(client, bucket, &[BucketTypeMethod::Acl]).await?.and_then(object_acl_for)
        } else {
            None
        };
        Ok(BucketWrites { storage_class: object_class(class, &profile.class_rules), acl, checksum: profile.checksum })
    }

    pub async fn bucket_summary(&self, bucket: &str) -> Result<BucketSummary, UiError> {
        let (client, profile) = self.storage()?;
        let (class, _) = self.class_of(&client, &profile, bucket).await?;
        let bucket_type = self.type_of(&client, &profile, bucket).await?;
        Ok(BucketSummary { name: bucket.to_owned(), created: None, bucket_type, class })
    }

    /// Every bucket with its type and class (for the CLI's list).
    pub async fn bucket_summaries(&self) -> Result<Vec<BucketSummary>, UiError> {
        let mut summaries = Vec::new();
        for entry in self.buckets().await? {
            let summary = self.bucket_summary(&entry.name).await?;
            summaries.push(BucketSummary { created: entry.created, ..summary });
        }
        Ok(summaries)
    }

    pub async fn bucket_info(&self, bucket: &str) -> Result<BucketInfo, UiError> {
        let (client, profile) = self.storage()?;
        let (class, class_source) = self.class_of(&client, &profile, bucket).await?;
        let bucket_type = self.type_of(&client, &profile, bucket).await?;
        let (website, website_supported) = match read_website(&client, bucket).await {
            Ok(website) => (website, true),
            Err(StorageError::NotImplemented(_)) => (None, false),
            Err(err) => return Err(err.into()),
        };
        let public_base_url = public_base_url(client.params(), bucket);
        let domain_target =
            url::Url::parse(&public_base_url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
        Ok(BucketInfo {
            name: bucket.to_owned(),
            bucket_type,
            access: self.access_of(&profile)?,
            class,
            class_source,
            public_base_url,
            website,
            website_supported,
            domain_target,
        })
    }

    /// Creates a bucket with its class (fixed from now on) and its type.
    pub async fn create_bucket(&self, request: &CreateBucketRequest) -> Result<BucketInfo, UiError> {
        bucket_name(&request.name)?;
        let (client, profile) = self.storage()?;
        create_bucket(&client, &request.name, request.class, &profile.class_rules).await?;
        // Kept here too: tags can be refused, or replaced later by another tool.
        records::remember_class(&self.db(), &profile.storage_id, &request.name, request.class)?;
        match tag_class(&client, &request.name, request.class).await {
            Ok(true) => {}
            Ok(false) => tracing::info!(bucket = %request.name, "no bucket tags here: the class is kept locally"),
            Err(err) => tracing::warn!(bucket = %request.name, "the class tag could not be written: {err}"),
        }
        if request.bucket_type.is_public() {
            self.write_type(&client, &profile, &request.name, request.bucket_type, 0, &|_| {}).await?;
        }
        self.bucket_info(&request.name).await
    }

    async fn write_type(
        &self,
        client: &S3Client,
        profile: &StorageProfile,
        bucket: &str,
        wanted: BucketType,
        op_id: u32,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(), UiError> {
        if self.access_of(profile)? == AccessSupport::Unsupported {
            return Err(UiError::new(ErrorCode::AccessTypesUnsupported));
        }
        let running = self.operations.start(op_id);
        match write_type(client, bucket, wanted, &profile.access_methods, &running.token, progress).await {
            Ok(method) => {
                let support = match method {
                    BucketTypeMethod::Policy => AccessSupport::Policy,
                    BucketTypeMethod::Acl => AccessSupport::Acl,
                };
                records::remember_access_support(&self.db(), &profile.storage_id, support)?;
                Ok(())
            }
            Err(StorageError::NotImplemented(detail)) => {
                records::remember_access_support(&self.db(), &profile.storage_id, AccessSupport::Unsupported)?;
                Err(UiError::new(ErrorCode::AccessTypesUnsupported).with_detail(detail))
            }
            Err(err) => Err(err.into()),
        }
    }

    pub async fn set_bucket_type(
        &self,
        bucket: &str,
        wanted: BucketType,
        op_id: u32,
        progress: impl Fn(u64) + Sync,
    ) -> Result<BucketInfo, UiError> {
        let (client, profile) = self.storage()?;
        self.write_type(&client, &profile, bucket, wanted, op_id, &progress).await?;
        self.bucket_info(bucket).await
    }

    pub async fn set_website(&self, bucket: &str, website: Option<Website>) -> Result<BucketInfo, UiError> {
        if let Some(site) = &website
            && site.index_document.trim().is_empty()
        {
            return Err(UiError::invalid("indexDocument", "the index document is required"));
        }
        let (client, _) = self.storage()?;
        write_website(&client, bucket, website.as_ref()).await?;
        self.bucket_info(bucket).await
    }

    pub async fn delete_bucket(
        &self,
        bucket: &str,
        with_contents: bool,
        op_id: u32,
        progress: impl Fn(u64) + Sync,
    ) -> Result<(), UiError> {
        let (client, profile) = self.storage()?;
        let running = self.operations.start(op_id);
        delete_bucket(&client, bucket, with_contents, &running.token, &progress).await?;
        records::forget_bucket(&self.db(), &profile.storage_id, bucket)?;
        Ok(())
    }

    pub fn cancel_operation(&self, op_id: u32) {
        self.operations.cancel(op_id);
    }
}
