//! The queue's rows in SQLite: batches, their files, the parts of unfinished
//! multipart uploads and ranges of unfinished downloads, and every upload id
//! this app started (so it aborts only its own leftovers).

use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension, params};

use super::model::Direction;
use crate::error::UiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    Queued,
    Done,
    Failed,
    Skipped,
}

impl FileState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }
}

fn direction_str(direction: Direction) -> &'static str {
    match direction {
        Direction::Upload => "upload",
        Direction::Download => "download",
    }
}

fn direction_of(text: &str) -> Direction {
    if text == "download" { Direction::Download } else { Direction::Upload }
}

#[derive(Debug, Clone)]
pub struct NewBatch {
    pub storage: String,
    pub direction: Direction,
    pub title: String,
    pub items: u32,
    pub bucket: String,
    pub prefix: String,
    pub local_dir: String,
    /// How objects are written into the bucket (uploads), as JSON.
    pub writes: Option<String>,
    pub created_ms: i64,
}

#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub local_path: PathBuf,
    pub key: String,
    pub size: u64,
    pub mtime_ms: Option<i64>,
    pub etag: Option<String>,
    pub state: FileState,
    /// Why a file failed before it was even tried (unreadable, a key that
    /// cannot be a local name).
    pub error: Option<UiError>,
}

/// One file the runner can start.
#[derive(Debug, Clone)]
pub struct FileJob {
    pub id: i64,
    pub batch_id: i64,
    pub direction: Direction,
    pub bucket: String,
    pub key: String,
    pub local_path: PathBuf,
    pub size: u64,
    pub mtime_ms: Option<i64>,
    pub etag: Option<String>,
    pub upload_id: Option<String>,
    pub part_size: Option<u64>,
    pub writes: Option<String>,
    pub attempts: u32,
}

/// A finished upload part (number from 1, with ETag and checksum) or
/// download range (index from 0, neither).
#[derive(Debug, Clone)]
pub struct JournaledPart {
    pub number: i64,
    pub etag: Option<String>,
    pub checksum: Option<String>,
}

/// A batch with its files counted, as the panel shows it.
#[derive(Debug, Clone)]
pub struct BatchRow {
    pub id: i64,
    pub direction: Direction,
    pub title: String,
    pub items: u32,
    pub bucket: String,
    pub prefix: String,
    pub local_dir: String,
    pub paused: bool,
    pub cancelled: bool,
    /// Stops the batch until the person retries (a full quota).
    pub stopped_by: Option<UiError>,
    /// Why a queued file is waiting to be tried again (a lost connection).
    pub waiting_for: Option<UiError>,
    pub created_ms: i64,
    pub finished_ms: Option<i64>,
    pub files_total: u32,
    pub files_queued: u32,
    pub files_done: u32,
    pub files_failed: u32,
    pub files_skipped: u32,
    pub bytes_total: u64,
    pub bytes_done: u64,
}

fn to_json(error: &UiError) -> String {
    serde_json::to_string(error).unwrap_or_default()
}

fn from_json(text: Option<String>) -> Option<UiError> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

pub struct QueueStore<'c>(pub &'c Connection);

impl QueueStore<'_> {
    pub fn insert_batch(conn: &mut Connection, batch: &NewBatch, files: &[NewFile]) -> rusqlite::Result<i64> {
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO transfer_batches (storage, direction, title, items, bucket, prefix, local_dir, writes, created_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                batch.storage,
                direction_str(batch.direction),
                batch.title,
                batch.items,
                batch.bucket,
                batch.prefix,
                batch.local_dir,
                batch.writes,
                batch.created_ms
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO transfer_files (batch_id, name, local_path, key, size, mtime_ms, etag, state, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for file in files {
                insert.execute(params![
                    id,
                    file.name,
                    file.local_path.to_string_lossy(),
                    file.key,
                    file.size as i64,
                    file.mtime_ms,
                    file.etag,
                    file.state.as_str(),
                    file.error.as_ref().map(to_json)
                ])?;
            }
        }
        if files.iter().all(|f| f.state != FileState::Queued) {
            tx.execute("UPDATE transfer_batches SET finished_ms = created_ms WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Queued files of batches that may run, oldest batch first.
    pub fn next_files(
        &self,
        storage: &str,
        now_ms: i64,
        running: &[i64],
        limit: usize,
    ) -> rusqlite::Result<Vec<FileJob>> {
        let mut statement = self.0.prepare_cached(
            "SELECT f.id, f.batch_id, b.direction, b.bucket, f.key, f.local_path, f.size, f.mtime_ms, f.etag,
                    f.upload_id, f.part_size, b.writes, f.attempts
             FROM transfer_files f JOIN transfer_batches b ON b.id = f.batch_id
             WHERE f.state = 'queued' AND b.storage = ?1 AND b.paused = 0 AND b.cancelled = 0
               AND b.stopped_by IS NULL AND f.not_before_ms <= ?2
             ORDER BY b.id, f.id LIMIT ?3",
        )?;
        let rows = statement.query_map(params![storage, now_ms, (limit + running.len()) as i64], |row| {
            Ok(FileJob {
                id: row.get(0)?,
                batch_id: row.get(1)?,
                direction: direction_of(&row.get::<_, String>(2)?),
                bucket: row.get(3)?,
                key: row.get(4)?,
                local_path: PathBuf::from(row.get::<_, String>(5)?),
                size: row.get::<_, i64>(6)? as u64,
                mtime_ms: row.get(7)?,
                etag: row.get(8)?,
                upload_id: row.get(9)?,
                part_size: row.get::<_, Option<i64>>(10)?.map(|p| p as u64),
                writes: row.get(11)?,
                attempts: row.get(12)?,
            })
        })?;
        let mut jobs = Vec::new();
        for job in rows {
            let job = job?;
            if !running.contains(&job.id) && jobs.len() < limit {
                jobs.push(job);
            }
        }
        Ok(jobs)
    }

    /// When the earliest waiting file may be tried again.
    pub fn next_wake_ms(&self, storage: &str) -> rusqlite::Result<Option<i64>> {
        self.0.query_row(
            "SELECT MIN(f.not_before_ms) FROM transfer_files f JOIN transfer_batches b ON b.id = f.batch_id
             WHERE f.state = 'queued' AND b.storage = ?1 AND b.paused = 0 AND b.cancelled = 0 AND b.stopped_by IS NULL",
            [storage],
            |row| row.get(0),
        )
    }

    pub fn parts(&self, file_id: i64) -> rusqlite::Result<Vec<JournaledPart>> {
        let mut statement = self
            .0
            .prepare_cached("SELECT number, etag, checksum FROM transfer_parts WHERE file_id = ?1 ORDER BY number")?;
        let rows = statement.query_map([file_id], |row| {
            Ok(JournaledPart { number: row.get(0)?, etag: row.get(1)?, checksum: row.get(2)? })
        })?;
        rows.collect()
    }

    pub fn upload_started(
        &self,
        file: &FileJob,
        storage: &str,
        upload_id: &str,
        part_size: u64,
        now_ms: i64,
    ) -> rusqlite::Result<()> {
        self.0.execute(
            "INSERT OR REPLACE INTO owned_uploads (upload_id, storage, bucket, key, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![upload_id, storage, file.bucket, file.key, now_ms],
        )?;
        self.0.execute("DELETE FROM transfer_parts WHERE file_id = ?1", [file.id])?;
        self.0.execute(
            "UPDATE transfer_files SET upload_id = ?2, part_size = ?3 WHERE id = ?1",
            params![file.id, upload_id, part_size as i64],
        )?;
        Ok(())
    }

    pub fn part_done(
        &self,
        file_id: i64,
        number: i64,
        etag: Option<&str>,
        checksum: Option<&str>,
    ) -> rusqlite::Result<()> {
        self.0.execute(
            "INSERT OR REPLACE INTO transfer_parts (file_id, number, etag, checksum) VALUES (?1, ?2, ?3, ?4)",
            params![file_id, number, etag, checksum],
        )?;
        Ok(())
    }

    /// Forgets an unfinished upload or download, to start the file afresh.
    pub fn reset_file(&self, file_id: i64) -> rusqlite::Result<()> {
        self.0.execute("DELETE FROM transfer_parts WHERE file_id = ?1", [file_id])?;
        self.0.execute("UPDATE transfer_files SET upload_id = NULL, part_size = NULL WHERE id = ?1", [file_id])?;
        Ok(())
    }

    pub fn upload_of(&self, file_id: i64) -> rusqlite::Result<Option<String>> {
        self.0.query_row("SELECT upload_id FROM transfer_files WHERE id = ?1", [file_id], |r| r.get(0))
    }

    pub fn set_stamp(&self, file_id: i64, size: u64, mtime_ms: Option<i64>) -> rusqlite::Result<()> {
        self.0.execute(
            "UPDATE transfer_files SET size = ?2, mtime_ms = ?3 WHERE id = ?1",
            params![file_id, size as i64, mtime_ms],
        )?;
        Ok(())
    }

    pub fn set_etag(&self, file_id: i64, etag: Option<&str>, size: u64) -> rusqlite::Result<()> {
        self.0.execute(
            "UPDATE transfer_files SET etag = ?2, size = ?3 WHERE id = ?1",
            params![file_id, etag, size as i64],
        )?;
        Ok(())
    }

    pub fn finish_file(&self, file_id: i64, state: FileState, error: Option<&UiError>) -> rusqlite::Result<()> {
        self.0.execute(
            "DELETE FROM owned_uploads WHERE upload_id = (SELECT upload_id FROM transfer_files WHERE id = ?1)",
            [file_id],
        )?;
        self.0.execute("DELETE FROM transfer_parts WHERE file_id = ?1", [file_id])?;
        self.0.execute(
            "UPDATE transfer_files SET state = ?2, error = ?3, upload_id = NULL, part_size = NULL WHERE id = ?1",
            params![file_id, state.as_str(), error.map(to_json)],
        )?;
        Ok(())
    }

    pub fn retry_later(&self, file_id: i64, not_before_ms: i64, why: &UiError) -> rusqlite::Result<()> {
        self.0.execute(
            "UPDATE transfer_files SET attempts = attempts + 1, not_before_ms = ?2, error = ?3 WHERE id = ?1",
            params![file_id, not_before_ms, to_json(why)],
        )?;
        Ok(())
    }

    /// Marks the batch finished once no file of it is queued.
    pub fn finish_batch_if_done(&self, batch_id: i64, now_ms: i64) -> rusqlite::Result<bool> {
        let changed = self.0.execute(
            "UPDATE transfer_batches SET finished_ms = ?2
             WHERE id = ?1 AND finished_ms IS NULL
               AND NOT EXISTS (SELECT 1 FROM transfer_files WHERE batch_id = ?1 AND state = 'queued')",
            params![batch_id, now_ms],
        )?;
        Ok(changed > 0)
    }

    pub fn set_paused(&self, batch_id: i64, paused: bool) -> rusqlite::Result<()> {
        self.0.execute("UPDATE transfer_batches SET paused = ?2 WHERE id = ?1", params![batch_id, paused])?;
        Ok(())
    }

    pub fn set_stopped(&self, batch_id: i64, stopped_by: Option<&UiError>) -> rusqlite::Result<()> {
        self.0.execute(
            "UPDATE transfer_batches SET stopped_by = ?2 WHERE id = ?1",
            params![batch_id, stopped_by.map(to_json)],
        )?;
        Ok(())
    }

    /// Cancels a batch: its queued files are given up. Returns what they
    /// left behind: unfinished upload ids (with bucket and key) and local
    /// paths whose temp files go.
    pub fn cancel_batch(&self, batch_id: i64, now_ms: i64) -> rusqlite::Result<Vec<FileJob>> {
        let left = self.queued_of(batch_id)?;
        self.0.execute(
            "UPDATE transfer_batches SET cancelled = 1, finished_ms = COALESCE(finished_ms, ?2) WHERE id = ?1",
            params![batch_id, now_ms],
        )?;
        Ok(left)
    }

    fn queued_of(&self, batch_id: i64) -> rusqlite::Result<Vec<FileJob>> {
        let mut statement = self.0.prepare(
            "SELECT f.id, b.bucket, f.key, f.local_path, f.size, f.upload_id, b.direction
             FROM transfer_files f JOIN transfer_batches b ON b.id = f.batch_id
             WHERE f.batch_id = ?1 AND f.state = 'queued'",
        )?;
        let rows = statement.query_map([batch_id], |row| {
            Ok(FileJob {
                id: row.get(0)?,
                batch_id,
                direction: direction_of(&row.get::<_, String>(6)?),
                bucket: row.get(1)?,
                key: row.get(2)?,
                local_path: PathBuf::from(row.get::<_, String>(3)?),
                size: row.get::<_, i64>(4)? as u64,
                mtime_ms: None,
                etag: None,
                upload_id: row.get(5)?,
                part_size: None,
                writes: None,
                attempts: 0,
            })
        })?;
        rows.collect()
    }

    /// Puts a batch's failed files back in the queue and lifts its stop.
    pub fn retry_batch(&self, batch_id: i64) -> rusqlite::Result<()> {
        self.0.execute(
            "UPDATE transfer_files SET state = 'queued', error = NULL, attempts = 0, not_before_ms = 0
             WHERE batch_id = ?1 AND state = 'failed'",
            [batch_id],
        )?;
        self.0.execute(
            "UPDATE transfer_batches SET stopped_by = NULL, paused = 0, finished_ms = NULL
             WHERE id = ?1 AND cancelled = 0 AND EXISTS (SELECT 1 FROM transfer_files WHERE batch_id = ?1 AND state = 'queued')",
            [batch_id],
        )?;
        Ok(())
    }

    pub fn clear_finished(&self, storage: &str) -> rusqlite::Result<usize> {
        self.0.execute("DELETE FROM transfer_batches WHERE storage = ?1 AND finished_ms IS NOT NULL", [storage])
    }

    /// Multipart uploads this app started on `storage` that no queued file
    /// continues any more.
    pub fn orphan_uploads(&self, storage: &str) -> rusqlite::Result<Vec<(String, String, String)>> {
        let mut statement = self.0.prepare(
            "SELECT upload_id, bucket, key FROM owned_uploads WHERE storage = ?1 AND upload_id NOT IN
               (SELECT f.upload_id FROM transfer_files f JOIN transfer_batches b ON b.id = f.batch_id
                WHERE f.state = 'queued' AND b.cancelled = 0 AND f.upload_id IS NOT NULL)",
        )?;
        let rows = statement.query_map([storage], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        rows.collect()
    }

    pub fn forget_upload(&self, upload_id: &str) -> rusqlite::Result<()> {
        self.0.execute("DELETE FROM owned_uploads WHERE upload_id = ?1", [upload_id])?;
        Ok(())
    }

    pub fn first_failures(&self, batch_id: i64, limit: usize) -> rusqlite::Result<Vec<(String, UiError)>> {
        let mut statement = self.0.prepare_cached(
            "SELECT name, error FROM transfer_files WHERE batch_id = ?1 AND state = 'failed' ORDER BY id LIMIT ?2",
        )?;
        let rows = statement
            .query_map(params![batch_id, limit as i64], |row| Ok((row.get::<_, String>(0)?, from_json(row.get(1)?))))?;
        let mut failures = Vec::new();
        for row in rows {
            let (name, error) = row?;
            failures.push((name, error.unwrap_or_else(|| UiError::new(crate::error::ErrorCode::StorageError))));
        }
        Ok(failures)
    }

    pub fn batches(&self, storage: &str) -> rusqlite::Result<Vec<BatchRow>> {
        let mut statement = self.0.prepare_cached(
            "SELECT b.id, b.direction, b.title, b.items, b.bucket, b.prefix, b.local_dir, b.paused, b.cancelled,
                    b.stopped_by, b.created_ms, b.finished_ms,
                    COUNT(f.id),
                    COALESCE(SUM(f.state = 'queued'), 0),
                    COALESCE(SUM(f.state = 'done'), 0),
                    COALESCE(SUM(f.state = 'failed'), 0),
                    COALESCE(SUM(f.state = 'skipped'), 0),
                    COALESCE(SUM(CASE WHEN f.state = 'skipped' THEN 0 ELSE f.size END), 0),
                    COALESCE(SUM(CASE WHEN f.state = 'done' THEN f.size ELSE 0 END), 0),
                    (SELECT error FROM transfer_files w WHERE w.batch_id = b.id AND w.state = 'queued'
                       AND w.error IS NOT NULL LIMIT 1)
             FROM transfer_batches b LEFT JOIN transfer_files f ON f.batch_id = b.id
             WHERE b.storage = ?1 GROUP BY b.id ORDER BY b.id DESC",
        )?;
        let rows = statement.query_map([storage], |row| {
            Ok(BatchRow {
                id: row.get(0)?,
                direction: direction_of(&row.get::<_, String>(1)?),
                title: row.get(2)?,
                items: row.get(3)?,
                bucket: row.get(4)?,
                prefix: row.get(5)?,
                local_dir: row.get(6)?,
                paused: row.get(7)?,
                cancelled: row.get(8)?,
                stopped_by: from_json(row.get(9)?),
                created_ms: row.get(10)?,
                finished_ms: row.get(11)?,
                files_total: row.get(12)?,
                files_queued: row.get(13)?,
                files_done: row.get(14)?,
                files_failed: row.get(15)?,
                files_skipped: row.get(16)?,
                bytes_total: row.get::<_, i64>(17)? as u64,
                bytes_done: row.get::<_, i64>(18)? as u64,
                waiting_for: from_json(row.get(19)?),
            })
        })?;
        rows.collect()
    }

    pub fn is_cancelled(&self, batch_id: i64) -> rusqlite::Result<bool> {
        let cancelled = self
            .0
            .query_row("SELECT cancelled FROM transfer_batches WHERE id = ?1", [batch_id], |r| r.get(0))
            .optional()?;
        Ok(cancelled.unwrap_or(false))
    }

    pub fn batch_storage(&self, batch_id: i64) -> rusqlite::Result<Option<String>> {
        self.0.query_row("SELECT storage FROM transfer_batches WHERE id = ?1", [batch_id], |r| r.get(0)).optional()
    }

    /// Bytes already at their destination of files not finished yet (parts
    /// stored, ranges written), by file: what a paused or interrupted file
    /// has to show for itself.
    pub fn journaled_bytes(&self, storage: &str) -> rusqlite::Result<Vec<(i64, i64, u64)>> {
        let mut statement = self.0.prepare_cached(
            "SELECT f.batch_id, f.id, SUM(MAX(0, MIN(f.part_size,
                        f.size - (CASE WHEN b.direction = 'upload' THEN p.number - 1 ELSE p.number END) * f.part_size)))
             FROM transfer_parts p JOIN transfer_files f ON f.id = p.file_id
             JOIN transfer_batches b ON b.id = f.batch_id
             WHERE b.storage = ?1 AND f.state = 'queued' AND f.part_size IS NOT NULL
             GROUP BY f.id",
        )?;
        let rows =
            statement.query_map([storage], |row| Ok((row.get(0)?, row.get(1)?, row.get::<_, i64>(2)? as u64)))?;
        rows.collect()
    }

    pub fn set_part_size(&self, file_id: i64, part_size: u64) -> rusqlite::Result<()> {
        self.0.execute("UPDATE transfer_files SET part_size = ?2 WHERE id = ?1", params![file_id, part_size as i64])?;
        Ok(())
    }
}
