//! The rules of the connected storage, from its provider file.

use crate::provider::{BucketTypeMethod, ChecksumKind, Provider, StorageClassRules};

#[derive(Debug, Clone)]
pub struct StorageProfile {
    /// What this computer's records about the storage are keyed by.
    pub storage_id: String,
    pub access_methods: Vec<BucketTypeMethod>,
    pub class_rules: StorageClassRules,
    pub checksum: ChecksumKind,
}

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
        }
    }

    /// For a storage with no provider file: every method is tried.
    pub fn generic(endpoint: &str) -> Self {
        Self {
            storage_id: storage_id_of(endpoint),
            access_methods: vec![BucketTypeMethod::Policy, BucketTypeMethod::Acl],
            class_rules: StorageClassRules::default(),
            checksum: ChecksumKind::Crc32c,
        }
    }

    /// The demo storage moves to a new port each start; its records stay.
    /// It refuses `x-amz-storage-class`, so its classes live in the records.
    pub fn demo() -> Self {
        let class_rules = StorageClassRules { cold_object_class: None, ..StorageClassRules::default() };
        Self { storage_id: "demo".into(), class_rules, ..Self::generic("demo") }
    }
}
