//! What this computer remembers about buckets the storage cannot tell:
//! the class of buckets on storages without tagging, and which way of
//! writing a bucket type a storage accepted. Keyed by a storage id (the
//! endpoint), since bucket names are unique per storage.

use rusqlite::{Connection, OptionalExtension, params};

use super::model::{AccessSupport, StorageClass};

const ACCESS: &str = "access";

pub fn class_of(db: &Connection, storage: &str, bucket: &str) -> rusqlite::Result<Option<StorageClass>> {
    let text: Option<String> = db
        .query_row(
            "SELECT class FROM bucket_classes WHERE storage = ?1 AND bucket = ?2",
            params![storage, bucket],
            |row| row.get(0),
        )
        .optional()?;
    Ok(text.as_deref().and_then(StorageClass::parse))
}

pub fn remember_class(db: &Connection, storage: &str, bucket: &str, class: StorageClass) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO bucket_classes (storage, bucket, class) VALUES (?1, ?2, ?3)
         ON CONFLICT (storage, bucket) DO UPDATE SET class = excluded.class",
        params![storage, bucket, class.as_str()],
    )?;
    Ok(())
}

pub fn forget_bucket(db: &Connection, storage: &str, bucket: &str) -> rusqlite::Result<()> {
    db.execute("DELETE FROM bucket_classes WHERE storage = ?1 AND bucket = ?2", params![storage, bucket])?;
    Ok(())
}

pub fn access_support(db: &Connection, storage: &str) -> rusqlite::Result<AccessSupport> {
    let text: Option<String> = db
        .query_row(
            "SELECT value FROM storage_capabilities WHERE storage = ?1 AND name = ?2",
            params![storage, ACCESS],
            |row| row.get(0),
        )
        .optional()?;
    Ok(text.as_deref().map_or(AccessSupport::Unknown, AccessSupport::parse))
}

pub fn remember_access_support(db: &Connection, storage: &str, support: AccessSupport) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO storage_capabilities (storage, name, value) VALUES (?1, ?2, ?3)
         ON CONFLICT (storage, name) DO UPDATE SET value = excluded.value",
        params![storage, ACCESS, support.as_str()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_support_are_kept_per_storage() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::open(&dir.path().join("q.db")).unwrap();
        assert_eq!(class_of(&db, "https://a", "b").unwrap(), None);
        remember_class(&db, "https://a", "b", StorageClass::Cold).unwrap();
        assert_eq!(class_of(&db, "https://a", "b").unwrap(), Some(StorageClass::Cold));
        assert_eq!(class_of(&db, "https://other", "b").unwrap(), None);
        forget_bucket(&db, "https://a", "b").unwrap();
        assert_eq!(class_of(&db, "https://a", "b").unwrap(), None);

        assert_eq!(access_support(&db, "https://a").unwrap(), AccessSupport::Unknown);
        remember_access_support(&db, "https://a", AccessSupport::Unsupported).unwrap();
        remember_access_support(&db, "https://a", AccessSupport::Policy).unwrap();
        assert_eq!(access_support(&db, "https://a").unwrap(), AccessSupport::Policy);
    }
}
