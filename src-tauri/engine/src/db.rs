//! The app's SQLite file: WAL mode, schema versions by `user_version`.

use std::path::Path;

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    "CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        region TEXT NOT NULL,
        access_key_id TEXT NOT NULL,
        secret_ref TEXT NOT NULL UNIQUE,
        secret_in_keyring INTEGER NOT NULL,
        created_ms INTEGER NOT NULL,
        last_used_ms INTEGER
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    "CREATE TABLE bucket_classes (
        storage TEXT NOT NULL,
        bucket TEXT NOT NULL,
        class TEXT NOT NULL,
        PRIMARY KEY (storage, bucket)
    );
    CREATE TABLE storage_capabilities (
        storage TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (storage, name)
    );",
    "CREATE TABLE transfer_batches (
        id INTEGER PRIMARY KEY,
        storage TEXT NOT NULL,
        direction TEXT NOT NULL,
        title TEXT NOT NULL,
        items INTEGER NOT NULL,
        bucket TEXT NOT NULL,
        prefix TEXT NOT NULL,
        local_dir TEXT NOT NULL,
        writes TEXT,
        paused INTEGER NOT NULL DEFAULT 0,
        cancelled INTEGER NOT NULL DEFAULT 0,
        stopped_by TEXT,
        created_ms INTEGER NOT NULL,
        finished_ms INTEGER
    );
    CREATE TABLE transfer_files (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES transfer_batches(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        local_path TEXT NOT NULL,
        key TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER,
        etag TEXT,
        state TEXT NOT NULL,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before_ms INTEGER NOT NULL DEFAULT 0,
        upload_id TEXT,
        part_size INTEGER
    );
    CREATE INDEX transfer_files_by_state ON transfer_files (state, batch_id);
    CREATE INDEX transfer_files_by_batch ON transfer_files (batch_id);
    CREATE TABLE transfer_parts (
        file_id INTEGER NOT NULL REFERENCES transfer_files(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        etag TEXT,
        checksum TEXT,
        PRIMARY KEY (file_id, number)
    );
    CREATE TABLE owned_uploads (
        upload_id TEXT PRIMARY KEY,
        storage TEXT NOT NULL,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );",
    "CREATE TABLE sync_pairs (
        id INTEGER PRIMARY KEY,
        storage TEXT NOT NULL,
        local_dir TEXT NOT NULL,
        bucket TEXT NOT NULL,
        prefix TEXT NOT NULL,
        mode TEXT NOT NULL,
        writes TEXT NOT NULL,
        ignore TEXT NOT NULL DEFAULT '',
        paused INTEGER NOT NULL DEFAULT 0,
        max_delete_share REAL NOT NULL DEFAULT 0.5,
        max_delete_count INTEGER NOT NULL DEFAULT 1000,
        trash_days INTEGER NOT NULL DEFAULT 30,
        last_synced_ms INTEGER,
        created_ms INTEGER NOT NULL,
        UNIQUE (storage, local_dir, bucket, prefix)
    );
    CREATE TABLE sync_index (
        pair_id INTEGER NOT NULL REFERENCES sync_pairs(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        etag TEXT NOT NULL,
        PRIMARY KEY (pair_id, path)
    ) WITHOUT ROWID;",
    // A trial belongs to the customer, whose key on an endpoint outlives a
    // saved account: removing and adding it again must not restart it.
    "CREATE TABLE trials (
        endpoint TEXT NOT NULL,
        access_key_id TEXT NOT NULL,
        has_trial INTEGER NOT NULL,
        start_ms INTEGER,
        start_known INTEGER NOT NULL DEFAULT 0,
        days INTEGER NOT NULL,
        recorded_ms INTEGER NOT NULL,
        reminders_shown TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (endpoint, access_key_id)
    );
    CREATE TABLE quota_settings (
        storage TEXT PRIMARY KEY,
        max_bytes INTEGER,
        max_objects INTEGER,
        max_buckets INTEGER,
        garage_admin_endpoint TEXT,
        updated_ms INTEGER NOT NULL
    );
    CREATE TABLE usage_snapshots (
        storage TEXT PRIMARY KEY,
        measured_ms INTEGER NOT NULL,
        usage TEXT NOT NULL
    );",
    // What the availability probe saw: outages, and the stretches it was
    // watching at all, so a month's report can say how much of it was seen.
    "CREATE TABLE outages (
        id INTEGER PRIMARY KEY,
        storage TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER,
        reported_ms INTEGER,
        error_kinds TEXT NOT NULL DEFAULT '',
        last_checked_ms INTEGER NOT NULL
    );
    CREATE INDEX outages_by_storage ON outages (storage, start_ms);
    CREATE TABLE probe_stretches (
        id INTEGER PRIMARY KEY,
        storage TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL
    );
    CREATE INDEX probe_stretches_by_storage ON probe_stretches (storage, start_ms);",
];

pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // In WAL mode this still never corrupts the file; a power cut may lose
    // the last moments, which the transfer queue redoes (a part sent again),
    // while each finished part or file no longer waits for the disk.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let version: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_in_wal_mode_and_migrates_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qoima.db");
        {
            let conn = open(&path).unwrap();
            let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
            assert_eq!(mode, "wal");
            conn.execute("INSERT INTO settings VALUES ('k', 'v')", []).unwrap();
        }
        let conn = open(&path).unwrap();
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, MIGRATIONS.len());
        let value: String = conn.query_row("SELECT value FROM settings WHERE key = 'k'", [], |r| r.get(0)).unwrap();
        assert_eq!(value, "v");
    }
}
