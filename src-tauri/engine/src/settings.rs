//! The person's choices that are not about an account.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    Kk,
    Ru,
    En,
}

impl Language {
    fn as_str(self) -> &'static str {
        match self {
            Self::Kk => "kk",
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "kk" => Some(Self::Kk),
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// `None` follows the OS.
    pub language: Option<Language>,
}

const LANGUAGE: &str = "language";

pub fn load(conn: &Connection) -> rusqlite::Result<Settings> {
    let language: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [LANGUAGE], |r| r.get(0)).optional()?;
    Ok(Settings { language: language.as_deref().and_then(Language::parse) })
}

pub fn set_language(conn: &Connection, language: Option<Language>) -> rusqlite::Result<()> {
    match language {
        Some(lang) => conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [LANGUAGE, lang.as_str()],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = ?1", [LANGUAGE])?,
    };
    Ok(())
}

const UPLOAD_LIMIT: &str = "upload_limit";
const DOWNLOAD_LIMIT: &str = "download_limit";

fn number(conn: &Connection, key: &str) -> rusqlite::Result<Option<u64>> {
    let value: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}

fn set_number(conn: &Connection, key: &str, value: Option<u64>) -> rusqlite::Result<()> {
    match value {
        Some(value) => conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, &value.to_string()],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

pub fn bandwidth_limits(conn: &Connection) -> rusqlite::Result<crate::queue::BandwidthLimits> {
    Ok(crate::queue::BandwidthLimits { upload: number(conn, UPLOAD_LIMIT)?, download: number(conn, DOWNLOAD_LIMIT)? })
}

pub fn set_bandwidth_limits(conn: &Connection, limits: crate::queue::BandwidthLimits) -> rusqlite::Result<()> {
    set_number(conn, UPLOAD_LIMIT, limits.upload)?;
    set_number(conn, DOWNLOAD_LIMIT, limits.download)
}

/// The last account used, remembered so the next start reconnects to it.
const LAST_ACCOUNT: &str = "last_account";

pub fn last_account(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    let value: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [LAST_ACCOUNT], |r| r.get(0)).optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}

pub fn set_last_account(conn: &Connection, id: Option<i64>) -> rusqlite::Result<()> {
    match id {
        Some(id) => conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [LAST_ACCOUNT, &id.to_string()],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = ?1", [LAST_ACCOUNT])?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_round_trips_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join("t.db")).unwrap();
        assert_eq!(load(&conn).unwrap().language, None);
        set_language(&conn, Some(Language::Kk)).unwrap();
        set_language(&conn, Some(Language::Ru)).unwrap();
        assert_eq!(load(&conn).unwrap().language, Some(Language::Ru));
        set_language(&conn, None).unwrap();
        assert_eq!(load(&conn).unwrap().language, None);
    }
}
