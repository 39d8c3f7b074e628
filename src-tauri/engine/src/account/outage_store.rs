//! The outage log and the stretches the probe watched, per storage, in SQLite.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::probe::{OpenOutage, OutageErrorKind};
use crate::time::LocalTime;

#[derive(Debug, thiserror::Error)]
pub enum AvailabilityError {
    #[error("no outage with id {0}")]
    NoSuchOutage(i64),
    #[error("not a month: {0}")]
    InvalidMonth(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOutage {
    pub id: i64,
    pub start_ms: i64,
    /// None while it lasts.
    pub end_ms: Option<i64>,
    /// When the customer said they had reported it to support.
    pub reported_ms: Option<i64>,
    pub kinds: Vec<OutageErrorKind>,
    pub last_checked_ms: i64,
}

/// An outage as the availability page and the "report it now" prompt show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutageView {
    #[ts(type = "number")]
    pub id: i64,
    /// The first probe that failed.
    pub start: LocalTime,
    /// The first answer after it; `null` while it lasts.
    pub end: Option<LocalTime>,
    /// When the customer reported it to support, as they told the app.
    pub reported: Option<LocalTime>,
    /// What the probes saw, each kind once.
    pub error_kinds: Vec<OutageErrorKind>,
    /// The latest failed probe of it.
    pub last_checked: LocalTime,
}

fn local(ms: i64) -> LocalTime {
    LocalTime::from_millis(ms).unwrap_or(LocalTime { utc_ms: ms, offset_s: 0 })
}

impl StoredOutage {
    pub fn view(&self) -> OutageView {
        OutageView {
            id: self.id,
            start: local(self.start_ms),
            end: self.end_ms.map(local),
            reported: self.reported_ms.map(local),
            error_kinds: self.kinds.clone(),
            last_checked: local(self.last_checked_ms),
        }
    }

    pub fn open(&self) -> Option<OpenOutage> {
        let at = |ms| jiff::Timestamp::from_millisecond(ms).ok();
        match self.end_ms {
            None => Some(OpenOutage { start: at(self.start_ms)?, last_failed: at(self.last_checked_ms)? }),
            Some(_) => None,
        }
    }
}

const COLUMNS: &str = "id, start_ms, end_ms, reported_ms, error_kinds, last_checked_ms";

fn from_row(row: &Row<'_>) -> rusqlite::Result<StoredOutage> {
    let kinds: String = row.get(4)?;
    Ok(StoredOutage {
        id: row.get(0)?,
        start_ms: row.get(1)?,
        end_ms: row.get(2)?,
        reported_ms: row.get(3)?,
        kinds: kinds.split(',').filter_map(OutageErrorKind::parse).collect(),
        last_checked_ms: row.get(5)?,
    })
}

fn kinds_text(kinds: &[OutageErrorKind]) -> String {
    let mut kinds = kinds.to_vec();
    kinds.sort();
    kinds.dedup();
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
}

pub struct OutageStore<'a>(pub &'a Connection);

impl OutageStore<'_> {
    /// The outage of `storage` under way, if any.
    pub fn open(&self, storage: &str) -> rusqlite::Result<Option<StoredOutage>> {
        self.0
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM outages WHERE storage = ?1 AND end_ms IS NULL ORDER BY start_ms DESC LIMIT 1"
                ),
                params![storage],
                from_row,
            )
            .optional()
    }

    pub fn get(&self, id: i64) -> rusqlite::Result<Option<StoredOutage>> {
        self.0.query_row(&format!("SELECT {COLUMNS} FROM outages WHERE id = ?1"), params![id], from_row).optional()
    }

    pub fn begin(&self, storage: &str, at_ms: i64, kind: OutageErrorKind) -> rusqlite::Result<i64> {
        self.0.execute(
            "INSERT INTO outages (storage, start_ms, error_kinds, last_checked_ms) VALUES (?1, ?2, ?3, ?2)",
            params![storage, at_ms, kind.as_str()],
        )?;
        Ok(self.0.last_insert_rowid())
    }

    /// Another failure of `outage`, this time of `kind`.
    pub fn failed_again(&self, outage: &StoredOutage, at_ms: i64, kind: OutageErrorKind) -> rusqlite::Result<()> {
        let mut kinds = outage.kinds.clone();
        kinds.push(kind);
        self.0.execute(
            "UPDATE outages SET last_checked_ms = max(last_checked_ms, ?2), error_kinds = ?3 WHERE id = ?1",
            params![outage.id, at_ms, kinds_text(&kinds)],
        )?;
        Ok(())
    }

    pub fn end(&self, id: i64, at_ms: i64) -> rusqlite::Result<()> {
        self.0.execute("UPDATE outages SET end_ms = ?2 WHERE id = ?1 AND end_ms IS NULL", params![id, at_ms])?;
        Ok(())
    }

    /// Records when the customer reported outage `id`; a second report keeps
    /// the first time, since downtime counts from the first. False when there
    /// is no such outage.
    pub fn reported(&self, id: i64, at_ms: i64) -> rusqlite::Result<bool> {
        let changed = self
            .0
            .execute("UPDATE outages SET reported_ms = coalesce(reported_ms, ?2) WHERE id = ?1", params![id, at_ms])?;
        Ok(changed > 0)
    }

    /// The outages of `storage` that overlap `[from_ms, to_ms)`, oldest first.
    pub fn overlapping(&self, storage: &str, from_ms: i64, to_ms: i64) -> rusqlite::Result<Vec<StoredOutage>> {
        let mut stmt = self.0.prepare(&format!(
            "SELECT {COLUMNS} FROM outages
             WHERE storage = ?1 AND start_ms < ?3 AND (end_ms IS NULL OR end_ms > ?2)
             ORDER BY start_ms, id"
        ))?;
        stmt.query_map(params![storage, from_ms, to_ms], from_row)?.collect()
    }

    /// The probe watched `storage` up to `at_ms`: stretch `stretch` grows to
    /// it, or a new one starts there. Returns the stretch's id.
    pub fn watched(&self, storage: &str, stretch: Option<i64>, at_ms: i64) -> rusqlite::Result<i64> {
        if let Some(id) = stretch {
            let grown = self
                .0
                .execute("UPDATE probe_stretches SET end_ms = max(end_ms, ?2) WHERE id = ?1", params![id, at_ms])?;
            if grown > 0 {
                return Ok(id);
            }
        }
        self.0.execute(
            "INSERT INTO probe_stretches (storage, start_ms, end_ms) VALUES (?1, ?2, ?2)",
            params![storage, at_ms],
        )?;
        Ok(self.0.last_insert_rowid())
    }

    /// The watched stretches of `storage` that overlap `[from_ms, to_ms)`.
    pub fn stretches(&self, storage: &str, from_ms: i64, to_ms: i64) -> rusqlite::Result<Vec<(i64, i64)>> {
        let mut stmt = self.0.prepare(
            "SELECT start_ms, end_ms FROM probe_stretches
             WHERE storage = ?1 AND start_ms < ?3 AND end_ms > ?2 ORDER BY start_ms",
        )?;
        stmt.query_map(params![storage, from_ms, to_ms], |row| Ok((row.get(0)?, row.get(1)?)))?.collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_in(dir: &tempfile::TempDir) -> Connection {
        crate::db::open(&dir.path().join("qoima.db")).unwrap()
    }

    #[test]
    fn an_outage_begins_gathers_kinds_and_ends_once() {
        let dir = tempfile::tempdir().unwrap();
        let conn = store_in(&dir);
        let store = OutageStore(&conn);
        assert_eq!(store.open("account-1").unwrap(), None);
        let id = store.begin("account-1", 1_000, OutageErrorKind::Timeout).unwrap();
        let open = store.open("account-1").unwrap().unwrap();
        store.failed_again(&open, 2_000, OutageErrorKind::Refused).unwrap();
        let open = store.open("account-1").unwrap().unwrap();
        store.failed_again(&open, 3_000, OutageErrorKind::Timeout).unwrap();
        assert_eq!(store.open("account-2").unwrap(), None, "other storages have their own log");
        store.end(id, 4_000).unwrap();
        store.end(id, 9_000).unwrap();
        let done = store.get(id).unwrap().unwrap();
        assert_eq!(done.start_ms, 1_000);
        assert_eq!(done.end_ms, Some(4_000), "the first end stays");
        assert_eq!(done.last_checked_ms, 3_000);
        assert_eq!(done.kinds, [OutageErrorKind::Refused, OutageErrorKind::Timeout]);
        assert_eq!(store.open("account-1").unwrap(), None);
    }

    #[test]
    fn a_second_report_keeps_the_first_time() {
        let dir = tempfile::tempdir().unwrap();
        let conn = store_in(&dir);
        let store = OutageStore(&conn);
        let id = store.begin("demo", 1_000, OutageErrorKind::ServerError).unwrap();
        assert!(store.reported(id, 5_000).unwrap());
        assert!(store.reported(id, 8_000).unwrap());
        assert_eq!(store.get(id).unwrap().unwrap().reported_ms, Some(5_000));
        assert!(!store.reported(id + 1, 8_000).unwrap());
    }

    #[test]
    fn outages_and_stretches_are_found_by_overlap() {
        let dir = tempfile::tempdir().unwrap();
        let conn = store_in(&dir);
        let store = OutageStore(&conn);
        let before = store.begin("s", 100, OutageErrorKind::Refused).unwrap();
        store.end(before, 200).unwrap();
        let across = store.begin("s", 900, OutageErrorKind::Refused).unwrap();
        store.end(across, 1_100).unwrap();
        let still_on = store.begin("s", 1_500, OutageErrorKind::Refused).unwrap();
        let found: Vec<i64> = store.overlapping("s", 1_000, 2_000).unwrap().iter().map(|o| o.id).collect();
        assert_eq!(found, [across, still_on]);

        let first = store.watched("s", None, 500).unwrap();
        assert_eq!(store.watched("s", Some(first), 1_200).unwrap(), first);
        let second = store.watched("s", None, 1_800).unwrap();
        assert_ne!(first, second);
        store.watched("s", Some(second), 1_900).unwrap();
        assert_eq!(store.stretches("s", 1_000, 2_000).unwrap(), [(500, 1_200), (1_800, 1_900)]);
        assert_eq!(store.stretches("s", 0, 400).unwrap(), []);
        assert_eq!(store.stretches("t", 0, 4_000).unwrap(), []);
    }
}
