//! Secret keys: in the OS keyring when there is one, otherwise in memory for
//! this session only — never in a plain file.

use std::collections::HashMap;
use std::sync::Mutex;

use keyring::Entry;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::{Secret, SecretPlace};

const SERVICE: &str = "qoima";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyringStatus {
    Available,
    Unavailable,
}

pub struct SecretStore {
    status: KeyringStatus,
    session: Mutex<HashMap<String, Secret>>,
}

impl SecretStore {
    /// Asks the OS keyring once whether it answers; a missing entry is an
    /// answer, a missing D-Bus or Secret Service is not.
    pub fn probe() -> Self {
        let status = match Entry::new(SERVICE, "availability-probe").and_then(|e| e.get_password()) {
            Ok(_) | Err(keyring::Error::NoEntry) => KeyringStatus::Available,
            Err(err) => {
                tracing::warn!("keyring unavailable, secrets are kept for this session only: {err}");
                KeyringStatus::Unavailable
            }
        };
        Self { status, session: Mutex::default() }
    }

    pub fn status(&self) -> KeyringStatus {
        self.status
    }

    /// Stores a secret and says where it went. `remember = false`, or no
    /// keyring, keeps it in memory only.
    pub fn save(&self, secret_ref: &str, secret: &Secret, remember: bool) -> SecretPlace {
        self.session.lock().unwrap().insert(secret_ref.to_owned(), secret.clone());
        if !remember || self.status == KeyringStatus::Unavailable {
            self.delete_from_keyring(secret_ref);
            return SecretPlace::Session;
        }
        match Entry::new(SERVICE, secret_ref).and_then(|e| e.set_password(secret.expose())) {
            Ok(()) => SecretPlace::Keyring,
            Err(err) => {
                tracing::warn!("could not store a secret in the keyring, keeping it for this session: {err}");
                SecretPlace::Session
            }
        }
    }

    pub fn get(&self, secret_ref: &str) -> Option<Secret> {
        if let Some(secret) = self.session.lock().unwrap().get(secret_ref) {
            return Some(secret.clone());
        }
        if self.status == KeyringStatus::Unavailable {
            return None;
        }
        let secret = Entry::new(SERVICE, secret_ref).and_then(|e| e.get_password()).ok().map(Secret::new)?;
        self.session.lock().unwrap().insert(secret_ref.to_owned(), secret.clone());
        Some(secret)
    }

    /// Where the secret is now, given what the database says was stored.
    pub fn place(&self, secret_ref: &str, stored_in_keyring: bool) -> SecretPlace {
        if stored_in_keyring && self.status == KeyringStatus::Available {
            SecretPlace::Keyring
        } else if self.session.lock().unwrap().contains_key(secret_ref) {
            SecretPlace::Session
        } else {
            SecretPlace::Missing
        }
    }

    pub fn delete(&self, secret_ref: &str) {
        self.session.lock().unwrap().remove(secret_ref);
        self.delete_from_keyring(secret_ref);
    }

    fn delete_from_keyring(&self, secret_ref: &str) {
        if self.status == KeyringStatus::Unavailable {
            return;
        }
        match Entry::new(SERVICE, secret_ref).and_then(|e| e.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(err) => tracing::warn!("could not delete a secret from the keyring: {err}"),
        }
    }

    /// Reads the keyring directly, bypassing the session cache: for tests
    /// that prove what the OS keyring itself holds.
    pub fn keyring_holds(secret_ref: &str) -> Option<String> {
        Entry::new(SERVICE, secret_ref).and_then(|e| e.get_password()).ok()
    }
}
