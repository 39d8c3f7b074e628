//! How much of the account's quota is used, and whether a batch still fits.
//! Pure: the numbers come in from a [`super::quota_source::QuotaSource`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::bucket::StorageClass;
use crate::time::LocalTime;

/// Where the numbers were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UsageSource {
    /// Ceph RGW's own account summary (`GET /?usage`).
    CephRgw,
    /// Garage's admin API, bucket by bucket.
    GarageAdmin,
    /// Counted by listing every object.
    Listing,
}

/// Limits; `None` is no limit, or none known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    #[ts(type = "number | null")]
    pub max_bytes: Option<u64>,
    #[ts(type = "number | null")]
    pub max_objects: Option<u64>,
    #[ts(type = "number | null")]
    pub max_buckets: Option<u64>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        self.max_bytes.is_none() && self.max_objects.is_none() && self.max_buckets.is_none()
    }
}

/// Who set the account's limits shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LimitsOrigin {
    /// The storage reported them.
    Storage,
    /// The customer copied them from the personal cabinet.
    Customer,
    /// Nobody: the bars show usage alone.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BucketUsage {
    pub name: String,
    pub class: StorageClass,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub objects: u64,
    /// The bucket's own quota, where the storage keeps quotas per bucket.
    #[ts(type = "number | null")]
    pub max_bytes: Option<u64>,
    #[ts(type = "number | null")]
    pub max_objects: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClassUsage {
    pub class: StorageClass,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub objects: u64,
}

/// How close to a limit: the bars turn amber at 80 % and red at 95 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Normal,
    Warning,
    Critical,
}

impl Level {
    pub fn of(used: u64, limit: Option<u64>) -> Self {
        let Some(limit) = limit else { return Self::Normal };
        // used / limit ≥ p / 100  ⇔  used × 100 ≥ p × limit, in integers.
        let (used, limit) = (u128::from(used) * 100, u128::from(limit));
        if used >= 95 * limit {
            Self::Critical
        } else if used >= 80 * limit {
            Self::Warning
        } else {
            Self::Normal
        }
    }
}

/// A measurement of the whole account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub source: UsageSource,
    pub measured: LocalTime,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub objects: u64,
    pub bucket_count: u32,
    pub buckets: Vec<BucketUsage>,
    pub by_class: Vec<ClassUsage>,
    pub limits: Limits,
    pub limits_origin: LimitsOrigin,
    pub bytes_level: Level,
    pub objects_level: Level,
    pub buckets_level: Level,
}

impl Usage {
    /// Totals, the split by class and the levels, from the buckets. Totals
    /// the storage reported itself (Ceph counts what a listing cannot see,
    /// such as unfinished uploads) win over the buckets' sum.
    pub fn new(
        source: UsageSource,
        measured: LocalTime,
        buckets: Vec<BucketUsage>,
        reported_totals: Option<(u64, u64)>,
        limits: Limits,
        limits_origin: LimitsOrigin,
    ) -> Self {
        let (bytes, objects) =
            reported_totals.unwrap_or_else(|| buckets.iter().fold((0, 0), |(b, o), u| (b + u.bytes, o + u.objects)));
        let by_class = [StorageClass::Standard, StorageClass::Cold]
            .into_iter()
            .filter_map(|class| {
                let of_class = buckets.iter().filter(|b| b.class == class);
                let (bytes, objects, count) =
                    of_class.fold((0, 0, 0), |(b, o, n), u| (b + u.bytes, o + u.objects, n + 1));
                (count > 0).then_some(ClassUsage { class, bytes, objects })
            })
            .collect();
        let bucket_count = buckets.len() as u32;
        Self {
            source,
            measured,
            bytes,
            objects,
            bucket_count,
            by_class,
            bytes_level: Level::of(bytes, limits.max_bytes),
            objects_level: Level::of(objects, limits.max_objects),
            buckets_level: Level::of(u64::from(bucket_count), limits.max_buckets),
            buckets,
            limits,
            limits_origin,
        }
    }

    /// Whether adding `bytes` in `objects` new objects to `bucket` would go
    /// over the account's quota or the bucket's own; the first limit it
    /// would break, with the numbers.
    pub fn shortfall(&self, bucket: &str, bytes: u64, objects: u64) -> Option<QuotaShortfall> {
        let own = self.buckets.iter().find(|b| b.name == bucket);
        let checks = [
            (QuotaKind::Bytes, QuotaScope::Account, self.bytes, bytes, self.limits.max_bytes),
            (QuotaKind::Objects, QuotaScope::Account, self.objects, objects, self.limits.max_objects),
            (QuotaKind::Bytes, QuotaScope::Bucket, own.map_or(0, |b| b.bytes), bytes, own.and_then(|b| b.max_bytes)),
            (
                QuotaKind::Objects,
                QuotaScope::Bucket,
                own.map_or(0, |b| b.objects),
                objects,
                own.and_then(|b| b.max_objects),
            ),
        ];
        checks.into_iter().find_map(|(kind, scope, used, adding, limit)| {
            let limit = limit?;
            (used.saturating_add(adding) > limit).then(|| QuotaShortfall {
                kind,
                scope,
                bucket: (scope == QuotaScope::Bucket).then(|| bucket.to_owned()),
                used,
                adding,
                limit,
                measured: self.measured,
            })
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QuotaKind {
    Bytes,
    Objects,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QuotaScope {
    Account,
    Bucket,
}

/// A batch that would not fit, with the numbers the warning shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuotaShortfall {
    pub kind: QuotaKind,
    pub scope: QuotaScope,
    pub bucket: Option<String>,
    #[ts(type = "number")]
    pub used: u64,
    #[ts(type = "number")]
    pub adding: u64,
    #[ts(type = "number")]
    pub limit: u64,
    /// When `used` was measured.
    pub measured: LocalTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(name: &str, class: StorageClass, bytes: u64, objects: u64) -> BucketUsage {
        BucketUsage { name: name.into(), class, bytes, objects, max_bytes: None, max_objects: None }
    }

    fn at() -> LocalTime {
        LocalTime { utc_ms: 1_764_000_000_000, offset_s: 5 * 3600 }
    }

    fn usage(buckets: Vec<BucketUsage>, limits: Limits) -> Usage {
        Usage::new(UsageSource::Listing, at(), buckets, None, limits, LimitsOrigin::Customer)
    }

    #[test]
    fn the_bars_turn_amber_at_eighty_and_red_at_ninety_five_percent() {
        assert_eq!(Level::of(79, Some(100)), Level::Normal);
        assert_eq!(Level::of(80, Some(100)), Level::Warning);
        assert_eq!(Level::of(94_999, Some(100_000)), Level::Warning);
        assert_eq!(Level::of(95_000, Some(100_000)), Level::Critical);
        assert_eq!(Level::of(200, Some(100)), Level::Critical);
        assert_eq!(Level::of(u64::MAX, None), Level::Normal, "no limit, no colour");
        assert_eq!(Level::of(u64::MAX, Some(u64::MAX)), Level::Critical, "no overflow");
        assert_eq!(Level::of(0, Some(0)), Level::Critical, "a limit of nothing is reached");
    }

    #[test]
    fn totals_and_the_split_by_class_come_from_the_buckets() {
        let limits = Limits { max_bytes: Some(1000), max_objects: Some(10), max_buckets: Some(2) };
        let u = usage(
            vec![
                bucket("a", StorageClass::Standard, 500, 2),
                bucket("b", StorageClass::Cold, 300, 6),
                bucket("c", StorageClass::Standard, 50, 1),
            ],
            limits,
        );
        assert_eq!((u.bytes, u.objects, u.bucket_count), (850, 9, 3));
        assert_eq!(
            u.by_class,
            [
                ClassUsage { class: StorageClass::Standard, bytes: 550, objects: 3 },
                ClassUsage { class: StorageClass::Cold, bytes: 300, objects: 6 },
            ]
        );
        assert_eq!(
            (u.bytes_level, u.objects_level, u.buckets_level),
            (Level::Warning, Level::Warning, Level::Critical)
        );
    }

    #[test]
    fn totals_the_storage_reports_win_over_the_sum() {
        let u = Usage::new(
            UsageSource::CephRgw,
            at(),
            vec![bucket("a", StorageClass::Standard, 10, 1)],
            Some((4096, 3)),
            Limits::default(),
            LimitsOrigin::Storage,
        );
        assert_eq!((u.bytes, u.objects), (4096, 3));
    }

    #[test]
    fn a_batch_over_the_account_quota_is_caught_with_its_numbers() {
        let u = usage(
            vec![bucket("a", StorageClass::Standard, 900, 2)],
            Limits { max_bytes: Some(1000), ..Default::default() },
        );
        assert_eq!(u.shortfall("a", 100, 1), None, "exactly full still fits");
        let short = u.shortfall("a", 101, 1).unwrap();
        assert_eq!(
            (short.kind, short.scope, short.used, short.adding, short.limit),
            (QuotaKind::Bytes, QuotaScope::Account, 900, 101, 1000)
        );
        assert_eq!(short.bucket, None);
    }

    #[test]
    fn a_bucket_quota_is_checked_for_its_own_bucket_only() {
        let mut limited = bucket("small", StorageClass::Standard, 0, 4);
        limited.max_objects = Some(5);
        let u = usage(vec![limited, bucket("big", StorageClass::Standard, 0, 0)], Limits::default());
        let short = u.shortfall("small", 10, 2).unwrap();
        assert_eq!((short.kind, short.scope, short.used, short.limit), (QuotaKind::Objects, QuotaScope::Bucket, 4, 5));
        assert_eq!(short.bucket.as_deref(), Some("small"));
        assert_eq!(u.shortfall("big", 10, 2), None);
        assert_eq!(u.shortfall("new-bucket", u64::MAX, u64::MAX), None, "no limit known, no warning");
    }
}
