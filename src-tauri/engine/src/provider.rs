//! Providers: data files describing an S3 service, shipped inside the app.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

const SHIPPED: [&str; 6] = [
    include_str!("../providers/prodata.toml"),
    include_str!("../providers/s3-compatible.toml"),
    include_str!("../providers/aws.toml"),
    include_str!("../providers/ceph-rgw.toml"),
    include_str!("../providers/minio.toml"),
    include_str!("../providers/garage.toml"),
];

pub const DEFAULT_PROVIDER: &str = "prodata";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Addressing {
    Path,
    Virtual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChecksumKind {
    Crc32c,
    Crc32,
    Md5,
}

/// How a bucket's type (access level) can be written, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BucketTypeMethod {
    Policy,
    Acl,
}

/// How the storage itself is told a bucket's class at creation. Whatever
/// this says, the class is also written as the bucket tag
/// `qoima-storage-class` where tagging is supported, so it can be read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Placement {
    None,
    LocationConstraint,
    Header,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HeaderValue {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BucketTypeRules {
    pub methods: Vec<BucketTypeMethod>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageClassRules {
    pub placement: Placement,
    /// The `LocationConstraint` of a Cold bucket, for `location-constraint`.
    pub cold_location: Option<String>,
    /// The header that makes a bucket Cold, for `header`.
    pub cold_header: Option<HeaderValue>,
    /// `x-amz-storage-class` of every object written into a Cold bucket;
    /// None where the storage takes no object classes at all.
    pub cold_object_class: Option<String>,
}

impl Default for StorageClassRules {
    fn default() -> Self {
        Self {
            placement: Placement::None,
            cold_location: None,
            cold_header: None,
            cold_object_class: Some("STANDARD_IA".into()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Support {
    pub telegram: Option<String>,
    pub phone: Option<String>,
    pub web: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub endpoint: Option<String>,
    /// An example address, shown where the customer types theirs.
    pub endpoint_hint: Option<String>,
    pub region: Option<String>,
    pub addressing: Addressing,
    pub checksums: Vec<ChecksumKind>,
    pub trial_days: Option<u32>,
    /// Whether to ask for Ceph RGW's account summary (`GET /?usage`) before
    /// counting by listing; a storage that does not answer it is remembered.
    #[serde(default)]
    pub usage_summary: bool,
    pub bucket_type: BucketTypeRules,
    pub storage_class: StorageClassRules,
    pub support: Support,
}

/// What the UI needs of a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInfo {
    pub id: String,
    pub name: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub endpoint_hint: Option<String>,
    pub path_style: bool,
    pub support: Support,
    pub trial_days: Option<u32>,
}

impl Provider {
    pub fn path_style(&self) -> bool {
        self.addressing == Addressing::Path
    }

    pub fn info(&self) -> ProviderInfo {
        ProviderInfo {
            id: self.id.clone(),
            name: self.name.clone(),
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            endpoint_hint: self.endpoint_hint.clone(),
            path_style: self.path_style(),
            support: self.support.clone(),
            trial_days: self.trial_days,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Providers(Vec<Provider>);

impl Providers {
    pub fn shipped() -> Self {
        Self(
            SHIPPED
                .iter()
                .map(|text| toml::from_str(text).expect("shipped provider files are valid (tested)"))
                .collect(),
        )
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.0.iter().find(|p| p.id == id)
    }

    pub fn all(&self) -> &[Provider] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_provider_parses_with_a_unique_id() {
        let providers = Providers::shipped();
        let mut ids: Vec<&str> = providers.all().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), 6);
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 6);
        assert!(providers.get(DEFAULT_PROVIDER).is_some());
    }

    #[test]
    fn the_service_provider_carries_the_support_contacts_of_its_terms() {
        let own = Providers::shipped().get("prodata").unwrap().clone();
        assert_eq!(own.support.telegram.as_deref(), Some("@PRO_DATA_Support_Bot"));
        assert_eq!(own.support.phone.as_deref(), Some("+7 (747) 507 3022"));
        assert_eq!(own.trial_days, Some(3));
        assert!(own.endpoint.is_none(), "the customer enters the endpoint");
    }

    #[test]
    fn placements_name_what_they_need() {
        for provider in Providers::shipped().all() {
            let rules = &provider.storage_class;
            match rules.placement {
                Placement::LocationConstraint => assert!(rules.cold_location.is_some(), "{}", provider.id),
                Placement::Header => assert!(rules.cold_header.is_some(), "{}", provider.id),
                Placement::None => {}
            }
            assert!(rules.cold_object_class.as_ref().is_some_and(|c| !c.is_empty()), "{}", provider.id);
        }
    }

    #[test]
    fn garage_is_path_style_and_offers_no_access_types() {
        let garage = Providers::shipped().get("garage").unwrap().clone();
        assert!(garage.path_style());
        assert!(garage.bucket_type.methods.is_empty());
        assert_eq!(garage.region.as_deref(), Some("garage"));
    }
}
