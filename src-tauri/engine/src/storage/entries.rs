//! What a listing holds, and how a whole prefix is sorted.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::time::LocalTime;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BucketEntry {
    pub name: String,
    pub created: Option<LocalTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Folder,
    Object,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ObjectEntry {
    /// The full key; a folder's ends with `/`.
    pub key: String,
    /// The last segment, without the folder's `/`.
    pub name: String,
    pub kind: EntryKind,
    #[ts(type = "number | null")]
    pub size: Option<u64>,
    pub modified: Option<LocalTime>,
    /// As listed: `STANDARD`, the Cold class, or None where the storage omits it.
    pub storage_class: Option<String>,
}

impl ObjectEntry {
    pub fn folder(key: String, prefix: &str) -> Self {
        let name = key.strip_prefix(prefix).unwrap_or(&key).trim_end_matches('/').to_owned();
        Self { key, name, kind: EntryKind::Folder, size: None, modified: None, storage_class: None }
    }

    pub fn object(
        key: String,
        prefix: &str,
        size: u64,
        modified: Option<LocalTime>,
        storage_class: Option<String>,
    ) -> Self {
        let name = key.strip_prefix(prefix).unwrap_or(&key).to_owned();
        Self { key, name, kind: EntryKind::Object, size: Some(size), modified, storage_class }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ObjectPage {
    pub entries: Vec<ObjectEntry>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Name,
    Size,
    Modified,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SortSpec {
    pub by: SortKey,
    pub descending: bool,
    pub folders_first: bool,
}

/// Sorts a whole prefix. Ties (and folders, which have no size or date) fall
/// back to the key, so the order is total and stable between loads.
pub fn sort_entries(entries: &mut [ObjectEntry], spec: SortSpec) {
    entries.sort_by(|a, b| {
        if spec.folders_first {
            let kind = (a.kind == EntryKind::Object).cmp(&(b.kind == EntryKind::Object));
            if kind != Ordering::Equal {
                return kind;
            }
        }
        let primary = match spec.by {
            SortKey::Name => Ordering::Equal,
            SortKey::Size => a.size.cmp(&b.size),
            SortKey::Modified => a.modified.map(|m| m.utc_ms).cmp(&b.modified.map(|m| m.utc_ms)),
        };
        let order = primary.then_with(|| a.key.cmp(&b.key));
        if spec.descending { order.reverse() } else { order }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(key: &str, size: u64, ms: i64) -> ObjectEntry {
        ObjectEntry::object(key.into(), "", size, Some(LocalTime { utc_ms: ms, offset_s: 0 }), None)
    }

    fn keys(entries: &[ObjectEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.key.as_str()).collect()
    }

    fn spec(by: SortKey, descending: bool, folders_first: bool) -> SortSpec {
        SortSpec { by, descending, folders_first }
    }

    fn sample() -> Vec<ObjectEntry> {
        vec![
            object("b.txt", 10, 3),
            ObjectEntry::folder("z/".into(), ""),
            object("a.txt", 30, 1),
            object("c.txt", 10, 2),
            ObjectEntry::folder("m/".into(), ""),
        ]
    }

    #[test]
    fn by_size_ties_fall_back_to_key() {
        let mut e = sample();
        sort_entries(&mut e, spec(SortKey::Size, false, false));
        assert_eq!(keys(&e), ["m/", "z/", "b.txt", "c.txt", "a.txt"]);
    }

    #[test]
    fn folders_first_keeps_folders_on_top_even_descending() {
        let mut e = sample();
        sort_entries(&mut e, spec(SortKey::Modified, true, true));
        assert_eq!(keys(&e)[..2], ["z/", "m/"][..]);
        assert_eq!(keys(&e)[2..], ["b.txt", "c.txt", "a.txt"][..]);
    }

    #[test]
    fn by_name() {
        let mut e = sample();
        sort_entries(&mut e, spec(SortKey::Name, false, true));
        assert_eq!(keys(&e), ["m/", "z/", "a.txt", "b.txt", "c.txt"]);
        sort_entries(&mut e, spec(SortKey::Name, true, false));
        assert_eq!(keys(&e), ["z/", "m/", "c.txt", "b.txt", "a.txt"]);
    }

    #[test]
    fn names_drop_the_prefix_and_the_folder_slash() {
        assert_eq!(ObjectEntry::folder("photos/2026/".into(), "photos/").name, "2026");
        assert_eq!(ObjectEntry::object("photos/a b.jpg".into(), "photos/", 1, None, None).name, "a b.jpg");
    }
}
