//! What the customer told the app about quotas, and the last measurement,
//! kept per storage in SQLite. The admin token lives in the keyring.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::usage::{Limits, Usage};

/// Limits copied from the personal cabinet, and Garage's admin endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuotaSettings {
    pub limits: Limits,
    pub garage_admin_endpoint: Option<String>,
}

fn to_sql(value: Option<u64>) -> Option<i64> {
    value.map(|v| i64::try_from(v).unwrap_or(i64::MAX))
}

fn from_sql(value: Option<i64>) -> Option<u64> {
    value.and_then(|v| u64::try_from(v).ok())
}

pub fn load_settings(db: &Connection, storage: &str) -> rusqlite::Result<QuotaSettings> {
    let found = db
        .query_row(
            "SELECT max_bytes, max_objects, max_buckets, garage_admin_endpoint FROM quota_settings WHERE storage = ?1",
            [storage],
            |row| {
                Ok(QuotaSettings {
                    limits: Limits {
                        max_bytes: from_sql(row.get(0)?),
                        max_objects: from_sql(row.get(1)?),
                        max_buckets: from_sql(row.get(2)?),
                    },
                    garage_admin_endpoint: row.get(3)?,
                })
            },
        )
        .optional()?;
    Ok(found.unwrap_or_default())
}

pub fn save_settings(db: &Connection, storage: &str, settings: &QuotaSettings, now_ms: i64) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO quota_settings (storage, max_bytes, max_objects, max_buckets, garage_admin_endpoint, updated_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (storage) DO UPDATE SET max_bytes = ?2, max_objects = ?3, max_buckets = ?4,
             garage_admin_endpoint = ?5, updated_ms = ?6",
        params![
            storage,
            to_sql(settings.limits.max_bytes),
            to_sql(settings.limits.max_objects),
            to_sql(settings.limits.max_buckets),
            settings.garage_admin_endpoint,
            now_ms
        ],
    )?;
    Ok(())
}

/// The last measurement; one that no longer reads (an older app's) is none.
pub fn load_usage(db: &Connection, storage: &str) -> rusqlite::Result<Option<Usage>> {
    let text: Option<String> =
        db.query_row("SELECT usage FROM usage_snapshots WHERE storage = ?1", [storage], |row| row.get(0)).optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

pub fn save_usage(db: &Connection, storage: &str, usage: &Usage) -> rusqlite::Result<()> {
    let text = serde_json::to_string(usage).expect("usage serialises");
    db.execute(
        "INSERT INTO usage_snapshots (storage, measured_ms, usage) VALUES (?1, ?2, ?3)
         ON CONFLICT (storage) DO UPDATE SET measured_ms = ?2, usage = ?3",
        params![storage, usage.measured.utc_ms, text],
    )?;
    Ok(())
}

/// Whether the storage answered Ceph's `GET /?usage`, once it was asked.
pub fn usage_summary_offered(db: &Connection, storage_id: &str) -> rusqlite::Result<Option<bool>> {
    let value: Option<String> = db
        .query_row(
            "SELECT value FROM storage_capabilities WHERE storage = ?1 AND name = 'usage_summary'",
            [storage_id],
            |row| row.get(0),
        )
        .optional()?;
    Ok(value.map(|v| v == "yes"))
}

pub fn remember_usage_summary(db: &Connection, storage_id: &str, offered: bool) -> rusqlite::Result<()> {
    db.execute(
        "INSERT INTO storage_capabilities (storage, name, value) VALUES (?1, 'usage_summary', ?2)
         ON CONFLICT (storage, name) DO UPDATE SET value = ?2",
        params![storage_id, if offered { "yes" } else { "no" }],
    )?;
    Ok(())
}
