use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::AccountError;
use crate::storage::{ConnectionParams, StorageError};
use crate::time::LocalTime;

/// The secret key. Its `Debug` never shows it, so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretPlace {
    /// In the OS keyring: survives restarts.
    Keyring,
    /// In memory only, until the app closes.
    Session,
    /// Nowhere: it has to be typed again.
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub provider_id: String,
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret: SecretPlace,
    pub last_used: Option<LocalTime>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectRequest {
    pub provider_id: String,
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    #[ts(type = "string")]
    pub secret_key: Secret,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveAccountRequest {
    /// Set when editing an existing account.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    pub provider_id: String,
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    /// `None` keeps the stored secret (editing without retyping it).
    #[ts(type = "string | null")]
    pub secret_key: Option<Secret>,
    /// `false` keeps the secret for this session only.
    pub remember: bool,
}

/// Checks what a person typed before anything goes over the network, and
/// returns it tidied (trimmed, no trailing slash).
pub fn validate_connect(
    endpoint: &str,
    region: &str,
    access_key_id: &str,
    secret: Option<&Secret>,
    path_style: bool,
) -> Result<ConnectionParams, AccountError> {
    let endpoint = crate::storage::validate_endpoint(endpoint)
        .map_err(|e| match e {
            StorageError::InvalidEndpoint(reason) => AccountError::Invalid { field: "endpoint", reason },
            other => AccountError::Invalid { field: "endpoint", reason: other.to_string() },
        })?
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let region = region.trim();
    if region.is_empty() || region.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':')) {
        return Err(AccountError::Invalid { field: "region", reason: format!("{region:?} is not a region name") });
    }
    let access_key_id = access_key_id.trim();
    if access_key_id.is_empty() || access_key_id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AccountError::Invalid {
            field: "accessKeyId",
            reason: "the access key is empty or has spaces".into(),
        });
    }
    if let Some(secret) = secret
        && (secret.expose().trim().is_empty() || secret.expose().chars().any(char::is_control))
    {
        return Err(AccountError::Invalid { field: "secretKey", reason: "the secret key is empty".into() });
    }
    Ok(ConnectionParams { endpoint, region: region.to_owned(), access_key_id: access_key_id.to_owned(), path_style })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidies_what_was_typed() {
        let p = validate_connect(" https://s3.example.kz/ ", " kz-1 ", " AK1 ", Some(&Secret::new("s")), true).unwrap();
        assert_eq!(p.endpoint, "https://s3.example.kz");
        assert_eq!(p.region, "kz-1");
        assert_eq!(p.access_key_id, "AK1");
    }

    #[test]
    fn names_the_wrong_field() {
        let secret = Secret::new("s");
        let field = |r: Result<ConnectionParams, AccountError>| match r {
            Err(AccountError::Invalid { field, .. }) => field,
            other => panic!("expected invalid input, got {other:?}"),
        };
        assert_eq!(field(validate_connect("s3.example.kz", "r", "a", Some(&secret), true)), "endpoint");
        assert_eq!(field(validate_connect("https://x", "", "a", Some(&secret), true)), "region");
        assert_eq!(field(validate_connect("https://x", "a b", "a", Some(&secret), true)), "region");
        assert_eq!(field(validate_connect("https://x", "r", "a b", Some(&secret), true)), "accessKeyId");
        assert_eq!(field(validate_connect("https://x", "r", "a", Some(&Secret::new("  ")), true)), "secretKey");
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let text = format!("{:?}", Secret::new("very-secret-value"));
        assert!(!text.contains("very-secret-value"));
    }
}
