//! The engine's front door: one method per thing the app does. The Tauri
//! commands and the CLI each call exactly one of these.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::account::prober::Prober;
use crate::account::{
    Account, AccountError, AccountStore, ConnectRequest, KeyringStatus, NewAccount, SaveAccountRequest, Secret,
    SecretStore, StoredAccount, validate_connect,
};
use crate::demo::{DemoServer, demo_root};
use crate::error::{ErrorCode, UiError};
use crate::operations::Operations;
use crate::provider::{ProviderInfo, Providers};
use crate::queue::TransferQueue;
use crate::settings::{self, Language, Settings};
use crate::storage::{
    BucketEntry, ConnectionParams, ListingProgress, ListingSummary, Listings, ObjectEntry, ObjectPage, RetryPolicy,
    S3Client, SortSpec,
};
use crate::sync::service::{SyncService, SyncTimings};
use crate::time::{SharedClock, unix_millis};

mod account;
mod availability;
mod buckets;
mod objects;
mod profile;
mod sync;
mod transfers;

pub use account::{QuotaSettingsRequest, TrialRequest, TrialView, UsageView};
pub use availability::{AvailabilityReport, YearMonth};
pub use profile::StorageProfile;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub os_locale: Option<String>,
    pub keyring: KeyringStatus,
    pub demo_available: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionKind {
    Account,
    Demo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub kind: ConnectionKind,
    #[ts(type = "number | null")]
    pub account_id: Option<i64>,
    pub label: String,
    pub endpoint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    pub bucket_count: u32,
}

/// What the first screen should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Startup {
    /// Reconnected to the last account used.
    pub connection: Option<Connection>,
    pub accounts: Vec<Account>,
    /// The last account used, whose secret has to be typed again.
    pub needs_secret: Option<Account>,
}

struct Active {
    connection: Connection,
    client: S3Client,
    profile: StorageProfile,
}

pub struct Engine {
    data_dir: PathBuf,
    db: Mutex<rusqlite::Connection>,
    secrets: SecretStore,
    providers: Providers,
    clock: SharedClock,
    active: Mutex<Option<Active>>,
    demo: tokio::sync::Mutex<Option<DemoServer>>,
    listings: Listings,
    operations: Operations,
    queue: TransferQueue,
    sync: SyncService,
    prober: Prober,
    usage_run: account::UsageRun,
}

impl Engine {
    pub fn open(data_dir: &Path, clock: SharedClock) -> Result<Self, UiError> {
        Self::open_with(data_dir, clock, SyncTimings::default())
    }

    /// With its own sync timings: tests that cannot wait ten minutes.
    pub fn open_with(data_dir: &Path, clock: SharedClock, timings: SyncTimings) -> Result<Self, UiError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| UiError::new(ErrorCode::Database).with_detail(format!("{}: {e}", data_dir.display())))?;
        let db_path = data_dir.join("qoima.db");
        let db = crate::db::open(&db_path)?;
        let queue = TransferQueue::open(&db_path, clock.clone())?;
        queue.set_limits(settings::bandwidth_limits(&db)?);
        let sync = SyncService::open(&db_path, clock.clone(), queue.budget().clone(), timings)?;
        let prober = Prober::open(&db_path, clock.clone())?;
        Ok(Self {
            data_dir: data_dir.to_path_buf(),
            db: Mutex::new(db),
            secrets: SecretStore::probe(),
            providers: Providers::shipped(),
            clock,
            active: Mutex::default(),
            demo: tokio::sync::Mutex::default(),
            listings: Listings::default(),
            operations: Operations::default(),
            queue,
            sync,
            prober,
            usage_run: account::UsageRun::default(),
        })
    }

    fn db(&self) -> MutexGuard<'_, rusqlite::Connection> {
        self.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn path_style_of(&self) -> impl Fn(&str) -> bool + '_ {
        |provider_id| self.providers.get(provider_id).is_none_or(|p| p.path_style())
    }

    pub fn app_info(&self, os_locale: Option<String>) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").into(),
            os_locale,
            keyring: self.secrets.status(),
            demo_available: true,
        }
    }

    pub fn settings(&self) -> Result<Settings, UiError> {
        Ok(settings::load(&self.db())?)
    }

    pub fn set_language(&self, language: Option<Language>) -> Result<(), UiError> {
        Ok(settings::set_language(&self.db(), language)?)
    }

    pub fn providers(&self) -> Vec<ProviderInfo> {
        self.providers.all().iter().map(|p| p.info()).collect()
    }

    pub fn accounts(&self) -> Result<Vec<Account>, UiError> {
        let stored = AccountStore::new(&self.db()).list(self.path_style_of())?;
        Ok(stored.iter().map(|a| a.view(&self.secrets)).collect())
    }

    fn stored(&self, id: i64) -> Result<StoredAccount, UiError> {
        Ok(AccountStore::new(&self.db()).get(id, self.path_style_of())?)
    }

    pub fn account_by_name(&self, name: &str) -> Result<Option<Account>, UiError> {
        let found = AccountStore::new(&self.db()).find_by_name(name, self.path_style_of())?;
        Ok(found.map(|a| a.view(&self.secrets)))
    }

    fn provider_path_style(&self, provider_id: &str) -> Result<bool, UiError> {
        self.providers
            .get(provider_id)
            .map(|p| p.path_style())
            .ok_or_else(|| UiError::invalid("providerId", format!("unknown provider {provider_id:?}")))
    }

    /// Tries the typed-in details without saving anything.
    pub async fn test_connection(&self, request: &ConnectRequest) -> Result<ConnectionCheck, UiError> {
        let path_style = self.provider_path_style(&request.provider_id)?;
        let params = validate_connect(
            &request.endpoint,
            &request.region,
            &request.access_key_id,
            Some(&request.secret_key),
            path_style,
        )?;
        let client = S3Client::new(&params, request.secret_key.expose(), self.clock.clone(), RetryPolicy::Probe)?;
        let buckets = client.list_buckets().await?;
        Ok(ConnectionCheck { bucket_count: buckets.len() as u32 })
    }

    pub fn save_account(&self, request: &SaveAccountRequest) -> Result<Account, UiError> {
        let path_style = self.provider_path_style(&request.provider_id)?;
        let params = validate_connect(
            &request.endpoint,
            &request.region,
            &request.access_key_id,
            request.secret_key.as_ref(),
            path_style,
        )?;
        let name = match request.name.trim() {
            "" => {
                url::Url::parse(&params.endpoint).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default()
            }
            typed => typed.to_owned(),
        };
        let id = match request.id {
            Some(id) => {
                let existing = self.stored(id)?;
                AccountStore::new(&self.db()).update(id, &name, &request.provider_id, &params)?;
                // A new secret, or the stored one moved where "remember" now says.
                let secret = request.secret_key.clone().or_else(|| self.secrets.get(&existing.secret_ref));
                if let Some(secret) = secret {
                    let place = self.secrets.save(&existing.secret_ref, &secret, request.remember);
                    AccountStore::new(&self.db()).set_secret_place(id, place)?;
                }
                self.refresh_if_active(id);
                id
            }
            None => {
                let secret = request.secret_key.as_ref().ok_or(AccountError::SecretMissing)?;
                let secret_ref = new_secret_ref();
                let place = self.secrets.save(&secret_ref, secret, request.remember);
                let inserted = AccountStore::new(&self.db()).insert(NewAccount {
                    name: &name,
                    provider_id: &request.provider_id,
                    params: &params,
                    secret_ref: &secret_ref,
                    secret_place: place,
                    now_ms: unix_millis(self.clock.now()),
                });
                match inserted {
                    Ok(id) => id,
                    Err(err) => {
                        self.secrets.delete(&secret_ref);
                        return Err(err.into());
                    }
                }
            }
        };
        tracing::info!(account = id, provider = %request.provider_id, endpoint = %params.endpoint, "account saved");
        Ok(self.stored(id)?.view(&self.secrets))
    }

    /// Browsing goes on with the edited details, not the old ones.
    fn refresh_if_active(&self, id: i64) {
        if !self.is_active_account(id) {
            return;
        }
        match self.account_client(id) {
            Ok((connection, client)) => {
                self.activate(connection, client, Some(id));
            }
            Err(_) => self.deactivate(),
        }
    }

    fn is_active_account(&self, id: i64) -> bool {
        self.active.lock().unwrap().as_ref().is_some_and(|a| a.connection.account_id == Some(id))
    }

    /// No storage connected any more; its listings go with it.
    fn deactivate(&self) {
        *self.active.lock().unwrap() = None;
        self.queue.clear_target();
        self.sync.clear_target();
        self.prober.clear_target();
        self.listings.close_all();
    }

    pub fn remove_account(&self, id: i64) -> Result<(), UiError> {
        let account = self.stored(id)?;
        AccountStore::new(&self.db()).delete(id)?;
        self.secrets.delete(&account.secret_ref);
        if settings::last_account(&self.db())? == Some(id) {
            settings::set_last_account(&self.db(), None)?;
        }
        if self.is_active_account(id) {
            self.deactivate();
        }
        tracing::info!(account = id, "account removed");
        Ok(())
    }

    /// Connects to a saved account, checking the storage answers. A typed
    /// secret (when none is stored) is checked against the storage first and
    /// only then kept: in the keyring if the account was saved that way,
    /// otherwise for this session.
    pub async fn connect_account(&self, id: i64, typed_secret: Option<Secret>) -> Result<Connection, UiError> {
        let Some(secret) = typed_secret else {
            let (connection, client) = self.account_client(id)?;
            client.list_buckets().await?;
            return Ok(self.activate(connection, client, Some(id)));
        };
        let account = self.stored(id)?;
        validate_connect(
            &account.params.endpoint,
            &account.params.region,
            &account.params.access_key_id,
            Some(&secret),
            account.params.path_style,
        )?;
        let client = S3Client::new(&account.params, secret.expose(), self.clock.clone(), RetryPolicy::Standard)?;
        client.list_buckets().await?;
        let place = self.secrets.save(&account.secret_ref, &secret, account.secret_in_keyring);
        AccountStore::new(&self.db()).set_secret_place(id, place)?;
        Ok(self.activate(connection_of(&account), client, Some(id)))
    }

    fn account_client(&self, id: i64) -> Result<(Connection, S3Client), UiError> {
        let account = self.stored(id)?;
        let secret = self.secrets.get(&account.secret_ref).ok_or(AccountError::SecretMissing)?;
        let client = S3Client::new(&account.params, secret.expose(), self.clock.clone(), RetryPolicy::Standard)?;
        Ok((connection_of(&account), client))
    }

    /// Makes this storage the one every action goes to; `account` is
    /// remembered as the one to reconnect to on the next start.
    fn activate(&self, connection: Connection, client: S3Client, account: Option<i64>) -> Connection {
        let profile = match connection.account_id {
            Some(id) => self.stored(id).map(|a| self.profile_of(&a.provider_id, &a.params.endpoint)),
            None => Ok(StorageProfile::demo()),
        }
        .unwrap_or_else(|err| {
            tracing::warn!("provider rules unavailable, using the generic ones: {err}");
            StorageProfile::generic(&connection.endpoint)
        });
        self.listings.close_all();
        self.queue.set_target(queue_key(&connection), client.clone());
        if let Err(err) = self.sync.set_target(queue_key(&connection), client.clone()) {
            tracing::warn!("sync pairs could not start: {err:?}");
        }
        self.prober.set_target(queue_key(&connection), client.clone());
        *self.active.lock().unwrap() = Some(Active { connection: connection.clone(), client, profile });
        if let Some(id) = account {
            let db = self.db();
            let store = AccountStore::new(&db);
            let remembered = store
                .touch(id, unix_millis(self.clock.now()))
                .and_then(|()| settings::set_last_account(&db, Some(id)).map_err(AccountError::from));
            if let Err(err) = remembered {
                tracing::warn!("could not remember the last account: {err}");
            }
        }
        tracing::info!(endpoint = %connection.endpoint, kind = ?connection.kind, "connected");
        connection
    }

    /// What to show first: the last account, reconnected without waiting for
    /// the network (an offline start shows the account with a retry, not the
    /// connect form).
    pub fn startup(&self) -> Result<Startup, UiError> {
        let accounts = self.accounts()?;
        let last = settings::last_account(&self.db())?;
        let Some(last) = last.and_then(|id| accounts.iter().find(|a| a.id == id)).cloned() else {
            return Ok(Startup { connection: None, accounts, needs_secret: None });
        };
        match self.account_client(last.id) {
            Ok((connection, client)) => {
                let connection = self.activate(connection, client, Some(last.id));
                Ok(Startup { connection: Some(connection), accounts, needs_secret: None })
            }
            Err(err) if err.field.as_deref() == Some("secretKey") => {
                Ok(Startup { connection: None, accounts, needs_secret: Some(last) })
            }
            Err(err) => Err(err),
        }
    }

    pub async fn connect_demo(&self) -> Result<Connection, UiError> {
        let mut demo = self.demo.lock().await;
        if demo.is_none() {
            *demo = Some(DemoServer::start(&demo_root(&self.data_dir), self.clock.clone()).await?);
        }
        let server = demo.as_ref().expect("started above");
        let client = S3Client::new(&server.params, &server.secret, self.clock.clone(), RetryPolicy::Standard)?;
        let connection = Connection {
            kind: ConnectionKind::Demo,
            account_id: None,
            label: "demo".into(),
            endpoint: server.params.endpoint.clone(),
        };
        Ok(self.activate(connection, client, None))
    }

    pub fn disconnect(&self) -> Result<(), UiError> {
        self.deactivate();
        settings::set_last_account(&self.db(), None)?;
        Ok(())
    }

    fn client(&self) -> Result<S3Client, UiError> {
        self.active.lock().unwrap().as_ref().map(|a| a.client.clone()).ok_or(UiError::new(ErrorCode::NotConnected))
    }

    /// The CLI's connection: a saved account by name, its secret from the
    /// keyring, without making it the app's account for the next start.
    pub fn use_account_named(&self, name: &str) -> Result<S3Client, UiError> {
        let account = self
            .account_by_name(name)?
            .ok_or_else(|| UiError::invalid("account", format!("no saved account named {name:?}")))?;
        let (connection, client) = self.account_client(account.id)?;
        self.activate(connection, client.clone(), None);
        Ok(client)
    }

    /// The CLI's connection from flags, with the rules of `provider_id`.
    pub fn use_endpoint(
        &self,
        params: &ConnectionParams,
        secret: &Secret,
        provider_id: &str,
    ) -> Result<S3Client, UiError> {
        let client = S3Client::new(params, secret.expose(), self.clock.clone(), RetryPolicy::Standard)?;
        let profile = self.profile_of(provider_id, &params.endpoint);
        let connection = Connection {
            kind: ConnectionKind::Account,
            account_id: None,
            label: params.endpoint.clone(),
            endpoint: params.endpoint.clone(),
        };
        self.listings.close_all();
        self.queue.set_target(queue_key(&connection), client.clone());
        if let Err(err) = self.sync.set_target(queue_key(&connection), client.clone()) {
            tracing::warn!("sync pairs could not start: {err:?}");
        }
        self.prober.set_target(queue_key(&connection), client.clone());
        *self.active.lock().unwrap() = Some(Active { connection, client: client.clone(), profile });
        Ok(client)
    }

    fn profile_of(&self, provider_id: &str, endpoint: &str) -> StorageProfile {
        match self.providers.get(provider_id) {
            Some(provider) => StorageProfile::of(provider, endpoint),
            None => StorageProfile::generic(endpoint),
        }
    }

    /// The active storage's client and rules.
    fn storage(&self) -> Result<(S3Client, StorageProfile), UiError> {
        self.active
            .lock()
            .unwrap()
            .as_ref()
            .map(|a| (a.client.clone(), a.profile.clone()))
            .ok_or(UiError::new(ErrorCode::NotConnected))
    }

    pub async fn buckets(&self) -> Result<Vec<BucketEntry>, UiError> {
        Ok(self.client()?.list_buckets().await?)
    }

    pub async fn objects_page(&self, bucket: &str, prefix: &str, token: Option<String>) -> Result<ObjectPage, UiError> {
        validate_location(bucket, prefix)?;
        Ok(self.client()?.list_page(bucket, prefix, token).await?)
    }

    pub async fn load_listing(
        &self,
        bucket: &str,
        prefix: &str,
        sort: SortSpec,
        progress: impl Fn(ListingProgress),
    ) -> Result<ListingSummary, UiError> {
        validate_location(bucket, prefix)?;
        let client = self.client()?;
        Ok(self.listings.load(&client, bucket, prefix, sort, progress).await?)
    }

    pub fn cancel_listing(&self, id: u32) {
        self.listings.cancel(id);
    }

    pub fn listing_window(&self, id: u32, offset: u32, limit: u32) -> Result<Vec<ObjectEntry>, UiError> {
        if limit > 5_000 {
            return Err(UiError::invalid("limit", "at most 5000 entries a window"));
        }
        Ok(self.listings.window(id, offset, limit))
    }

    pub fn close_listing(&self, id: u32) {
        self.listings.close(id);
    }
}

fn connection_of(account: &StoredAccount) -> Connection {
    Connection {
        kind: ConnectionKind::Account,
        account_id: Some(account.id),
        label: account.name.clone(),
        endpoint: account.params.endpoint.clone(),
    }
}

/// What the transfer queue keeps a storage's batches under: the account
/// (two accounts on one endpoint have different keys), the demo storage,
/// or an endpoint the CLI was pointed at.
fn queue_key(connection: &Connection) -> String {
    match (connection.kind, connection.account_id) {
        (ConnectionKind::Account, Some(id)) => format!("account-{id}"),
        (ConnectionKind::Demo, _) => "demo".into(),
        (ConnectionKind::Account, None) => format!("endpoint-{}", connection.endpoint),
    }
}

fn new_secret_ref() -> String {
    use rand::Rng;
    format!("account-{:032x}", rand::rng().random::<u128>())
}

/// A bucket name and a folder prefix as the browser passes them.
pub fn validate_location(bucket: &str, prefix: &str) -> Result<(), UiError> {
    if bucket.is_empty() || bucket.len() > 255 || bucket.contains('/') {
        return Err(UiError::invalid("bucket", format!("{bucket:?} is not a bucket name")));
    }
    if !(prefix.is_empty() || prefix.ends_with('/')) || prefix.len() > 1024 {
        return Err(UiError::invalid("prefix", format!("{prefix:?} is not a folder")));
    }
    Ok(())
}
