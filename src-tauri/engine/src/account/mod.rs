//! Accounts: a provider + endpoint + region + access key id, with the secret
//! key in the OS keyring (or, without one, in memory for this session).

mod ceph_usage;
pub mod connectivity;
pub mod garage_admin;
mod model;
pub mod outage_store;
pub mod probe;
pub mod prober;
pub mod quota_source;
pub mod quota_store;
mod secrets;
pub mod sla;
mod store;
pub mod trial;
pub mod trial_store;
pub mod usage;

pub use model::{Account, ConnectRequest, SaveAccountRequest, Secret, SecretPlace, validate_connect};
pub use secrets::{KeyringStatus, SecretStore};
pub use store::{AccountStore, NewAccount, StoredAccount};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("no account with id {0}")]
    NotFound(i64),
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("keyring: {0}")]
    Keyring(String),
    #[error("the secret key is not stored; enter it again")]
    SecretMissing,
}
