//! What the object operations hand to the UI.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::time::LocalTime;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ObjectProperties {
    pub key: String,
    #[ts(type = "number")]
    pub size: u64,
    pub modified: Option<LocalTime>,
    pub etag: Option<String>,
    /// As the storage reports it; None means Standard on most storages.
    pub storage_class: Option<String>,
    pub content_type: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// Where anyone can read it, while its bucket is public.
    pub public_url: Option<String>,
}

/// New content type and user metadata for an object, replacing the old.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeadersEdit {
    pub content_type: Option<String>,
    pub metadata: BTreeMap<String, String>,
}

/// What a selection holds, for a confirmation before deleting it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SelectionSize {
    #[ts(type = "number")]
    pub objects: u64,
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareLink {
    pub url: String,
    pub expires: Option<LocalTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub entries: Vec<crate::storage::ObjectEntry>,
    /// The search stopped at its bound before looking at every key.
    pub truncated: bool,
    #[ts(type = "number")]
    pub scanned: u64,
}

/// Progress of a long operation (delete, copy, move, a type change that
/// rewrites object ACLs), sent as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OperationProgress {
    pub op_id: u32,
    #[ts(type = "number")]
    pub done: u64,
}
