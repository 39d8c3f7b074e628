//! Where an account's usage and limits are read: Ceph RGW's own summary,
//! Garage's admin API, or, where neither is there, a count by listing.

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::ceph_usage::{parse_summary, read_stats};
use super::garage_admin::GarageAdmin;
use super::usage::{Limits, UsageSource};
use crate::storage::{S3Client, StorageError, path_segment};

/// One bucket as measured, before its class is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasuredBucket {
    pub name: String,
    pub bytes: u64,
    pub objects: u64,
    pub max_bytes: Option<u64>,
    pub max_objects: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measurement {
    pub buckets: Vec<MeasuredBucket>,
    /// Totals the storage reports for the whole account.
    pub totals: Option<(u64, u64)>,
    /// Limits the storage reports for the whole account.
    pub limits: Option<Limits>,
}

/// How far a measurement has got, for the panel while it runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MeasureProgress {
    pub buckets_done: u32,
    pub buckets_total: u32,
    #[ts(type = "number")]
    pub objects_counted: u64,
    #[ts(type = "number")]
    pub bytes_counted: u64,
}

/// What a measurement is told while it runs.
pub struct Watch<'a> {
    pub cancel: &'a CancellationToken,
    pub progress: &'a (dyn Fn(MeasureProgress) + Send + Sync),
}

#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    /// This storage does not offer the source: try the next.
    #[error("not offered by this storage")]
    NotOffered,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

#[async_trait::async_trait]
pub trait QuotaSource: Send + Sync {
    fn kind(&self) -> UsageSource;
    async fn measure(&self, buckets: &[String], watch: &Watch<'_>) -> Result<Measurement, MeasureError>;
}

pub struct CephRgwSource {
    pub client: S3Client,
}

#[async_trait::async_trait]
impl QuotaSource for CephRgwSource {
    fn kind(&self) -> UsageSource {
        UsageSource::CephRgw
    }

    async fn measure(&self, buckets: &[String], watch: &Watch<'_>) -> Result<Measurement, MeasureError> {
        let answer = self.client.raw(reqwest::Method::GET, "/?usage").await?;
        let summary =
            (answer.status == 200).then(|| parse_summary(&answer.body)).flatten().ok_or(MeasureError::NotOffered)?;
        let mut measured = Vec::new();
        for (done, name) in buckets.iter().enumerate() {
            if watch.cancel.is_cancelled() {
                return Err(StorageError::Cancelled.into());
            }
            let path = format!("/{}?read-stats=true", path_segment(name));
            let stats = self.client.raw(reqwest::Method::HEAD, &path).await.ok().and_then(|a| read_stats(&a.headers));
            let listed_bytes = summary.bucket_bytes.iter().find(|(n, _)| n == name).map(|(_, b)| *b);
            let (bytes, objects) = stats.unwrap_or((listed_bytes.unwrap_or(0), 0));
            measured.push(MeasuredBucket { name: name.clone(), bytes, objects, max_bytes: None, max_objects: None });
            (watch.progress)(MeasureProgress {
                buckets_done: done as u32 + 1,
                buckets_total: buckets.len() as u32,
                ..Default::default()
            });
        }
        Ok(Measurement {
            buckets: measured,
            totals: Some((summary.total_bytes, summary.total_entries)),
            limits: Some(summary.limits),
        })
    }
}

pub struct GarageAdminSource {
    pub admin: GarageAdmin,
    pub access_key_id: String,
}

#[async_trait::async_trait]
impl QuotaSource for GarageAdminSource {
    fn kind(&self) -> UsageSource {
        UsageSource::GarageAdmin
    }

    async fn measure(&self, buckets: &[String], _watch: &Watch<'_>) -> Result<Measurement, MeasureError> {
        let found = self.admin.buckets(buckets, &self.access_key_id).await?;
        let buckets = found
            .into_iter()
            .map(|(name, b)| MeasuredBucket {
                name,
                bytes: b.bytes,
                objects: b.objects,
                max_bytes: b.max_bytes,
                max_objects: b.max_objects,
            })
            .collect();
        // Garage keeps quotas per bucket only.
        Ok(Measurement { buckets, totals: None, limits: None })
    }
}

/// Counts every object's size, page by page: slow on a large account, so
/// it reports as it goes and stops when told.
pub struct ListingSource {
    pub client: S3Client,
}

#[async_trait::async_trait]
impl QuotaSource for ListingSource {
    fn kind(&self) -> UsageSource {
        UsageSource::Listing
    }

    async fn measure(&self, buckets: &[String], watch: &Watch<'_>) -> Result<Measurement, MeasureError> {
        let mut progress = MeasureProgress { buckets_total: buckets.len() as u32, ..Default::default() };
        let mut measured = Vec::new();
        for name in buckets {
            let (mut bytes, mut objects) = (0u64, 0u64);
            let mut token = None;
            loop {
                let page = tokio::select! {
                    page = self.client.list_page_recursive(name, "", token) => page,
                    () = watch.cancel.cancelled() => return Err(StorageError::Cancelled.into()),
                };
                // A bucket deleted since the bucket list holds nothing.
                let page = match page {
                    Err(StorageError::NoSuchBucket(_)) => break,
                    page => page?,
                };
                for size in page.entries.iter().filter_map(|e| e.size) {
                    bytes += size;
                    objects += 1;
                }
                progress.objects_counted += page.entries.len() as u64;
                progress.bytes_counted += page.entries.iter().filter_map(|e| e.size).sum::<u64>();
                (watch.progress)(progress);
                token = page.next_token;
                if token.is_none() {
                    break;
                }
            }
            measured.push(MeasuredBucket { name: name.clone(), bytes, objects, max_bytes: None, max_objects: None });
            progress.buckets_done += 1;
            (watch.progress)(progress);
        }
        Ok(Measurement { buckets: measured, totals: None, limits: None })
    }
}
