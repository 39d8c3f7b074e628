//! The rules of the connected storage, from its provider file.

use crate::provider::{BucketTypeMethod, ChecksumKind, Provider, StorageClassRules};

#[derive(Debug, Clone)]
pub struct StorageProfile {
    /// What this computer's records about the storage are keyed by.
    pub storage_id: String,
    pub access_methods: Vec<BucketTypeMethod>,
    pub class_rules: StorageClassRules,
    pub checksum: ChecksumKind,
    pub usage_summary: bool,
    pub trial_days: u32,
}

/// The terms' trial length when a provider file does not say.
const DEFAULT_TRIAL_DAYS: u32 = 3;

fn storage_id_of(endpoint: &str) -> String {
    endpoint.trim().trim_end_matches('/').to_ascii_lowercase()
}

impl StorageProfile {
    pub fn of(provider: &Provider, endpoint: &str) -> Self {
        Self {
            storage_id: storage_id_of(endpoint),
            access_methods: provider.bucket_type.methods.clone(),
            class_rules: provider.storage_class.clone(),
            checksum: provider.checksums.first().copied().unwrap_or(ChecksumKind::Md5),
            usage_summary: provider.usage_summary,
            trial_days: provider.trial_days.unwrap_or(DEFAULT_TRIAL_DAYS),
        }
    }

    /// For a storage with no provider file: every method is tried.
    pub fn generic(endpoint: &str) -> Self {
        Self {
            storage_id: storage_id_of(endpoint),
            access_methods: vec![BucketTypeMethod::Policy, BucketTypeMethod::Acl],
            class_rules: StorageClassRules::default(),
            checksum: ChecksumKind::Crc32c,
            usage_summary: true,
            trial_days: DEFAULT_TRIAL_DAYS,
        }
    }

    /// The demo storage moves to a new port each start; its records stay.
    /// It refuses `x-amz-storage-class`, so its classes live in the records.
    pub fn demo() -> Self {
        let class_rules = StorageClassRules { cold_object_class: None, ..StorageClassRules::default() };
        Self { storage_id: "demo".into(), class_rules, usage_summary: false, ..Self::generic("demo") }
    }
}
