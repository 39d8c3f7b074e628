//! Sync pairs and their index in SQLite: what each pair is, and each path
//! as it was when both sides last agreed.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::model::{NewSyncPair, SyncMode, SyncPair, SyncPairEdit};
use super::plan::Synced;
use crate::objects::StoredWrites;

pub struct SyncStore<'a>(pub &'a Connection);

/// A pair with what only the engine needs of it.
#[derive(Debug, Clone)]
pub struct StoredPair {
    pub pair: SyncPair,
    pub storage: String,
    pub writes: StoredWrites,
}

const PAIR_COLUMNS: &str = "id, storage, local_dir, bucket, prefix, mode, writes, ignore, paused, max_delete_share, \
                            max_delete_count, trash_days, last_synced_ms";

fn stored_pair(row: &rusqlite::Row) -> rusqlite::Result<StoredPair> {
    let mode: String = row.get(5)?;
    let writes: String = row.get(6)?;
    Ok(StoredPair {
        storage: row.get(1)?,
        writes: serde_json::from_str(&writes)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, Box::new(e)))?,
        pair: SyncPair {
            id: row.get(0)?,
            local_dir: row.get(2)?,
            bucket: row.get(3)?,
            prefix: row.get(4)?,
            mode: SyncMode::parse(&mode).unwrap_or(SyncMode::Backup),
            ignore: row.get(7)?,
            paused: row.get(8)?,
            max_delete_share: row.get(9)?,
            max_delete_count: row.get::<_, i64>(10)?.max(0) as u64,
            trash_days: row.get::<_, i64>(11)?.clamp(1, 3650) as u32,
            last_synced_ms: row.get(12)?,
        },
    })
}

impl SyncStore<'_> {
    /// The new pair's id; the same folder, bucket and prefix of one storage
    /// make one pair, so adding it twice gives the existing one.
    pub fn add(&self, storage: &str, new: &NewSyncPair, writes: &StoredWrites, now_ms: i64) -> rusqlite::Result<i64> {
        let writes = serde_json::to_string(writes).unwrap_or_default();
        self.0.execute(
            "INSERT INTO sync_pairs (storage, local_dir, bucket, prefix, mode, writes, created_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (storage, local_dir, bucket, prefix) DO NOTHING",
            params![storage, new.local_dir, new.bucket, new.prefix, new.mode.as_str(), writes, now_ms],
        )?;
        self.0.query_row(
            "SELECT id FROM sync_pairs WHERE storage = ?1 AND local_dir = ?2 AND bucket = ?3 AND prefix = ?4",
            params![storage, new.local_dir, new.bucket, new.prefix],
            |row| row.get(0),
        )
    }

    pub fn pairs(&self, storage: &str) -> rusqlite::Result<Vec<StoredPair>> {
        let mut query =
            self.0.prepare(&format!("SELECT {PAIR_COLUMNS} FROM sync_pairs WHERE storage = ?1 ORDER BY id"))?;
        query.query_map([storage], stored_pair)?.collect()
    }

    /// The longest any pair of this computer keeps what sync moved to the
    /// bucket's trash: the trash is one for the whole bucket, so no pair
    /// may empty days another one still keeps.
    pub fn trash_days_kept(&self, storage: &str, bucket: &str) -> rusqlite::Result<Option<u32>> {
        self.0.query_row(
            "SELECT MAX(trash_days) FROM sync_pairs WHERE storage = ?1 AND bucket = ?2 AND mode != 'backup'",
            params![storage, bucket],
            |row| row.get(0),
        )
    }

    pub fn pair(&self, id: i64) -> rusqlite::Result<Option<StoredPair>> {
        self.0.query_row(&format!("SELECT {PAIR_COLUMNS} FROM sync_pairs WHERE id = ?1"), [id], stored_pair).optional()
    }

    pub fn edit(&self, id: i64, edit: &SyncPairEdit) -> rusqlite::Result<()> {
        self.0.execute(
            "UPDATE sync_pairs SET mode = ?2, ignore = ?3, max_delete_share = ?4, max_delete_count = ?5, trash_days = ?6
             WHERE id = ?1",
            params![
                id,
                edit.mode.as_str(),
                edit.ignore,
                edit.max_delete_share,
                edit.max_delete_count as i64,
                edit.trash_days
            ],
        )?;
        Ok(())
    }

    pub fn set_paused(&self, id: i64, paused: bool) -> rusqlite::Result<()> {
        self.0.execute("UPDATE sync_pairs SET paused = ?2 WHERE id = ?1", params![id, paused])?;
        Ok(())
    }

    pub fn set_last_synced(&self, id: i64, at_ms: i64) -> rusqlite::Result<()> {
        self.0.execute("UPDATE sync_pairs SET last_synced_ms = ?2 WHERE id = ?1", params![id, at_ms])?;
        Ok(())
    }

    /// Forgets the pair and its index; nothing on either side is touched.
    pub fn remove(&self, id: i64) -> rusqlite::Result<()> {
        self.0.execute("DELETE FROM sync_pairs WHERE id = ?1", [id])?;
        Ok(())
    }

    pub fn index(&self, pair_id: i64) -> rusqlite::Result<BTreeMap<String, Synced>> {
        let mut query = self.0.prepare("SELECT path, size, mtime_ns, etag FROM sync_index WHERE pair_id = ?1")?;
        query
            .query_map([pair_id], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    Synced { size: row.get::<_, i64>(1)?.max(0) as u64, mtime_ns: row.get(2)?, etag: row.get(3)? },
                ))
            })?
            .collect()
    }

    pub fn record(&self, pair_id: i64, path: &str, synced: &Synced) -> rusqlite::Result<()> {
        self.0.execute(
            "INSERT INTO sync_index (pair_id, path, size, mtime_ns, etag) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (pair_id, path) DO UPDATE SET size = ?3, mtime_ns = ?4, etag = ?5",
            params![pair_id, path, synced.size as i64, synced.mtime_ns, synced.etag],
        )?;
        Ok(())
    }

    /// What was learnt of the storage's conditional writes, if anything.
    pub fn conditional_writes(&self, storage: &str) -> rusqlite::Result<Option<bool>> {
        self.0
            .query_row(
                "SELECT value FROM storage_capabilities WHERE storage = ?1 AND name = 'conditional_writes'",
                [storage],
                |row| row.get::<_, String>(0),
            )
            .optional()
            .map(|value| value.map(|v| v == "yes"))
    }

    pub fn remember_conditional_writes(&self, storage: &str, honoured: bool) -> rusqlite::Result<()> {
        self.0.execute(
            "INSERT INTO storage_capabilities (storage, name, value) VALUES (?1, 'conditional_writes', ?2)
             ON CONFLICT (storage, name) DO UPDATE SET value = excluded.value",
            params![storage, if honoured { "yes" } else { "no" }],
        )?;
        Ok(())
    }

    pub fn forget(&self, pair_id: i64, path: &str) -> rusqlite::Result<()> {
        self.0.execute("DELETE FROM sync_index WHERE pair_id = ?1 AND path = ?2", params![pair_id, path])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::ChecksumKind;

    fn writes() -> StoredWrites {
        StoredWrites::of(&crate::objects::BucketWrites {
            storage_class: None,
            acl: None,
            checksum: ChecksumKind::Crc32c,
        })
    }

    #[test]
    fn a_pair_and_its_index_round_trip_and_go_together() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join("q.db")).unwrap();
        let store = SyncStore(&conn);
        let new = NewSyncPair {
            local_dir: "/home/a/Documents".into(),
            bucket: "photos".into(),
            prefix: "docs/".into(),
            mode: SyncMode::Mirror,
        };
        let id = store.add("demo", &new, &writes(), 5).unwrap();
        assert_eq!(store.add("demo", &new, &writes(), 6).unwrap(), id, "the same pair twice is one pair");
        let synced = Synced { size: 3, mtime_ns: 7, etag: "abc".into() };
        store.record(id, "a/b.txt", &synced).unwrap();
        store.record(id, "a/b.txt", &Synced { size: 4, ..synced.clone() }).unwrap();
        assert_eq!(store.index(id).unwrap()["a/b.txt"].size, 4);
        let pairs = store.pairs("demo").unwrap();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].pair.mode, SyncMode::Mirror);
        assert!(store.pairs("account-1").unwrap().is_empty());
        store.remove(id).unwrap();
        assert!(store.index(id).unwrap().is_empty());
    }
}
