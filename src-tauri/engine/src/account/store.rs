//! Accounts in SQLite; secrets are referred to, never stored here.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::AccountError;
use super::model::{Account, SecretPlace};
use super::secrets::SecretStore;
use crate::storage::ConnectionParams;
use crate::time::LocalTime;

/// A row as stored, before the secret's place is known.
#[derive(Debug, Clone)]
pub struct StoredAccount {
    pub id: i64,
    pub name: String,
    pub provider_id: String,
    pub params: ConnectionParams,
    pub secret_ref: String,
    pub secret_in_keyring: bool,
    pub last_used_ms: Option<i64>,
}

impl StoredAccount {
    pub fn view(&self, secrets: &SecretStore) -> Account {
        Account {
            id: self.id,
            name: self.name.clone(),
            provider_id: self.provider_id.clone(),
            endpoint: self.params.endpoint.clone(),
            region: self.params.region.clone(),
            access_key_id: self.params.access_key_id.clone(),
            secret: secrets.place(&self.secret_ref, self.secret_in_keyring),
            last_used: self.last_used_ms.and_then(LocalTime::from_millis),
        }
    }
}

pub struct AccountStore<'a> {
    conn: &'a Connection,
}

const COLUMNS: &str =
    "id, name, provider_id, endpoint, region, access_key_id, secret_ref, secret_in_keyring, last_used_ms";

fn from_row(row: &Row<'_>, path_style: impl Fn(&str) -> bool) -> rusqlite::Result<StoredAccount> {
    let provider_id: String = row.get(2)?;
    Ok(StoredAccount {
        id: row.get(0)?,
        name: row.get(1)?,
        params: ConnectionParams {
            endpoint: row.get(3)?,
            region: row.get(4)?,
            access_key_id: row.get(5)?,
            path_style: path_style(&provider_id),
        },
        provider_id,
        secret_ref: row.get(6)?,
        secret_in_keyring: row.get(7)?,
        last_used_ms: row.get(8)?,
    })
}

pub struct NewAccount<'a> {
    pub name: &'a str,
    pub provider_id: &'a str,
    pub params: &'a ConnectionParams,
    pub secret_ref: &'a str,
    pub secret_place: SecretPlace,
    pub now_ms: i64,
}

impl<'a> AccountStore<'a> {
    pub fn new(conn: &'a Connection) -> Self {
        Self { conn }
    }

    pub fn list(&self, path_style: impl Fn(&str) -> bool) -> Result<Vec<StoredAccount>, AccountError> {
        let mut stmt =
            self.conn.prepare(&format!("SELECT {COLUMNS} FROM accounts ORDER BY name COLLATE NOCASE, id"))?;
        let rows = stmt.query_map([], |row| from_row(row, &path_style))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn get(&self, id: i64, path_style: impl Fn(&str) -> bool) -> Result<StoredAccount, AccountError> {
        self.conn
            .query_row(&format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"), [id], |row| from_row(row, &path_style))
            .optional()?
            .ok_or(AccountError::NotFound(id))
    }

    /// The account with this name; several with the same name are refused
    /// rather than one picked silently.
    pub fn find_by_name(
        &self,
        name: &str,
        path_style: impl Fn(&str) -> bool,
    ) -> Result<Option<StoredAccount>, AccountError> {
        let mut stmt = self.conn.prepare(&format!("SELECT {COLUMNS} FROM accounts WHERE name = ?1 ORDER BY id"))?;
        let mut found: Vec<StoredAccount> =
            stmt.query_map([name], |row| from_row(row, &path_style))?.collect::<Result<_, _>>()?;
        if found.len() > 1 {
            return Err(AccountError::Invalid {
                field: "account",
                reason: format!("{} saved accounts are named {name:?}; rename one of them", found.len()),
            });
        }
        Ok(found.pop())
    }

    pub fn insert(&self, new: NewAccount<'_>) -> Result<i64, AccountError> {
        self.conn.execute(
            "INSERT INTO accounts (name, provider_id, endpoint, region, access_key_id, secret_ref, secret_in_keyring, created_ms, last_used_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)",
            params![
                new.name,
                new.provider_id,
                new.params.endpoint,
                new.params.region,
                new.params.access_key_id,
                new.secret_ref,
                new.secret_place == SecretPlace::Keyring,
                new.now_ms
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn update(
        &self,
        id: i64,
        name: &str,
        provider_id: &str,
        params: &ConnectionParams,
    ) -> Result<(), AccountError> {
        let changed = self.conn.execute(
            "UPDATE accounts SET name = ?2, provider_id = ?3, endpoint = ?4, region = ?5, access_key_id = ?6 WHERE id = ?1",
            params![id, name, provider_id, params.endpoint, params.region, params.access_key_id],
        )?;
        if changed == 0 {
            return Err(AccountError::NotFound(id));
        }
        Ok(())
    }

    pub fn set_secret_place(&self, id: i64, place: SecretPlace) -> Result<(), AccountError> {
        self.conn.execute(
            "UPDATE accounts SET secret_in_keyring = ?2 WHERE id = ?1",
            params![id, place == SecretPlace::Keyring],
        )?;
        Ok(())
    }

    /// When the account was saved, after its first successful connection.
    pub fn created_ms(&self, id: i64) -> Result<Option<i64>, AccountError> {
        Ok(self.conn.query_row("SELECT created_ms FROM accounts WHERE id = ?1", [id], |row| row.get(0)).optional()?)
    }

    pub fn touch(&self, id: i64, now_ms: i64) -> Result<(), AccountError> {
        self.conn.execute("UPDATE accounts SET last_used_ms = ?2 WHERE id = ?1", params![id, now_ms])?;
        Ok(())
    }

    pub fn delete(&self, id: i64) -> Result<(), AccountError> {
        self.conn.execute("DELETE FROM accounts WHERE id = ?1", [id])?;
        Ok(())
    }
}
