//! What a bucket is to the person: its type (who may reach its data) and its
//! storage class (fixed at creation).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::time::LocalTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum BucketType {
    Private,
    PublicRead,
    PublicReadWrite,
}

impl BucketType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::PublicRead => "public-read",
            Self::PublicReadWrite => "public-read-write",
        }
    }

    pub fn is_public(self) -> bool {
        self != Self::Private
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum StorageClass {
    Standard,
    Cold,
}

impl StorageClass {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Cold => "cold",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "standard" => Some(Self::Standard),
            "cold" => Some(Self::Cold),
            _ => None,
        }
    }
}

/// Where the shown class comes from: the storage itself (a bucket tag), this
/// computer's records (the storage keeps no tags), or neither (a bucket made
/// elsewhere, which is Standard unless its maker said otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClassSource {
    Storage,
    Local,
    Default,
}

/// How this storage takes a bucket type, as learnt from its answers to writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AccessSupport {
    /// No type has been written here yet: the first change finds out.
    Unknown,
    Policy,
    Acl,
    Unsupported,
}

impl AccessSupport {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Policy => "policy",
            Self::Acl => "acl",
            Self::Unsupported => "unsupported",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "policy" => Self::Policy,
            "acl" => Self::Acl,
            "unsupported" => Self::Unsupported,
            _ => Self::Unknown,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Website {
    pub index_document: String,
    pub error_document: Option<String>,
}

/// Everything the bucket settings show, read from the storage where it can be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BucketInfo {
    pub name: String,
    /// None when the storage does not say (it supports no access types).
    #[serde(rename = "type")]
    pub bucket_type: Option<BucketType>,
    pub access: AccessSupport,
    pub class: StorageClass,
    pub class_source: ClassSource,
    /// Where anyone can read an object when the bucket is public: this plus the key.
    pub public_base_url: String,
    /// None when off; website hosting unsupported shows as `website_supported`.
    pub website: Option<Website>,
    pub website_supported: bool,
    /// The host a customer's own domain points to with a CNAME record.
    pub domain_target: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreateBucketRequest {
    pub name: String,
    #[serde(rename = "type")]
    pub bucket_type: BucketType,
    pub class: StorageClass,
}

/// A bucket in the list with what could be read about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BucketSummary {
    pub name: String,
    pub created: Option<LocalTime>,
    #[serde(rename = "type")]
    pub bucket_type: Option<BucketType>,
    pub class: StorageClass,
}
