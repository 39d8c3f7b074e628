//! The availability probe's loop: a light request to the connected storage
//! every minute (by default), weighed by `probe` and written to the outage
//! log, while the app or a `qoima-cli sync --watch` runs.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use rusqlite::TransactionBehavior;
use tokio::runtime::Handle;
use tokio::sync::watch;
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::connectivity::{Connectivity, SystemConnectivity};
use super::outage_store::{OutageStore, OutageView, StoredOutage};
use super::probe::{self, Step, Verdict};
use crate::storage::S3Client;
use crate::time::{SharedClock, timestamp};

#[derive(Clone)]
pub struct ProbeSettings {
    /// Time between two probes.
    pub interval: Duration,
    /// A probe not answered within this is a timeout.
    pub timeout: Duration,
    pub connectivity: Arc<dyn Connectivity>,
}

impl Default for ProbeSettings {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
            connectivity: Arc::new(SystemConnectivity),
        }
    }
}

/// Gaps between probes shorter than this are a busy computer's late ticks,
/// not time nobody watched.
const MIN_UNWATCHED: Duration = Duration::from_secs(5 * 60);

impl ProbeSettings {
    /// The longest gap between two probes that still counts as watched.
    fn unwatched(&self) -> SignedDuration {
        let missed_ticks = self.interval.saturating_mul(3).saturating_add(self.timeout);
        SignedDuration::try_from(missed_ticks.max(MIN_UNWATCHED)).unwrap_or(SignedDuration::MAX)
    }
}

#[derive(Clone)]
struct Target {
    storage: String,
    client: S3Client,
}

#[derive(Clone)]
struct Enabled {
    settings: ProbeSettings,
    runtime: Handle,
}

/// Probes the connected storage once `run` was called. Dropping it stops
/// the loop.
pub struct Prober(Arc<Shared>);

struct Shared {
    db: Mutex<rusqlite::Connection>,
    clock: SharedClock,
    enabled: Mutex<Option<Enabled>>,
    target: Mutex<Option<Target>>,
    /// Stops the loop of the storage probed now.
    stop: Mutex<Option<CancellationToken>>,
    current: watch::Sender<Option<OutageView>>,
}

impl Prober {
    /// The prober keeps its own connection to the app's database.
    pub fn open(db_path: &Path, clock: SharedClock) -> rusqlite::Result<Self> {
        Ok(Self(Arc::new(Shared {
            db: Mutex::new(crate::db::open(db_path)?),
            clock,
            enabled: Mutex::default(),
            target: Mutex::default(),
            stop: Mutex::default(),
            current: watch::channel(None).0,
        })))
    }

    /// From now on the connected storage is probed, and each one connected
    /// later, in tasks of the tokio runtime this is called in.
    pub fn run(&self, settings: ProbeSettings) {
        let Ok(runtime) = Handle::try_current() else {
            tracing::error!("the availability probe needs a tokio runtime to run in; it does not run");
            return;
        };
        *self.0.enabled.lock().unwrap() = Some(Enabled { settings, runtime });
        self.0.restart();
    }

    pub fn set_target(&self, storage: String, client: S3Client) {
        *self.0.target.lock().unwrap() = Some(Target { storage, client });
        self.0.restart();
    }

    pub fn clear_target(&self) {
        *self.0.target.lock().unwrap() = None;
        self.0.restart();
    }

    /// The outage under way at the connected storage: set when one begins,
    /// changed as it goes on or is reported, `None` once it ends.
    pub fn subscribe(&self) -> watch::Receiver<Option<OutageView>> {
        self.0.current.subscribe()
    }

    /// Tells subscribers again, after a change made elsewhere (a report).
    pub fn refresh(&self) {
        self.0.publish();
    }
}

impl Drop for Prober {
    fn drop(&mut self) {
        if let Some(stop) = self.0.stop.lock().unwrap().take() {
            stop.cancel();
        }
    }
}

impl Shared {
    fn db(&self) -> MutexGuard<'_, rusqlite::Connection> {
        self.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn restart(self: &Arc<Self>) {
        {
            let mut stop = self.stop.lock().unwrap();
            if let Some(old) = stop.take() {
                old.cancel();
            }
            let target = self.target.lock().unwrap().clone();
            let enabled = self.enabled.lock().unwrap().clone();
            if let (Some(target), Some(enabled)) = (target, enabled) {
                let token = CancellationToken::new();
                *stop = Some(token.clone());
                enabled.runtime.spawn(self.clone().probe_loop(target, enabled.settings, token));
            }
        }
        self.publish();
    }

    fn publish(&self) {
        let storage = self.target.lock().unwrap().as_ref().map(|t| t.storage.clone());
        let current = match storage {
            Some(storage) => match OutageStore(&self.db()).open(&storage) {
                Ok(open) => open.as_ref().map(StoredOutage::view),
                Err(err) => {
                    tracing::warn!("the outage log could not be read: {err}");
                    return;
                }
            },
            None => None,
        };
        self.current.send_if_modified(|shown| {
            let changed = *shown != current;
            *shown = current;
            changed
        });
    }

    async fn probe_loop(self: Arc<Self>, target: Target, settings: ProbeSettings, stop: CancellationToken) {
        // The client was built from a checked address, so this parses.
        let endpoint = Url::parse(&target.client.params().endpoint).ok();
        let unwatched = settings.unwatched();
        let mut ticks = tokio::time::interval(settings.interval);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut stretch = None;
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                _ = ticks.tick() => {}
            }
            let at = self.now();
            let verdict = tokio::select! {
                () = stop.cancelled() => return,
                verdict = weigh(&target.client, &settings, endpoint.as_ref()) => verdict,
            };
            // Connected elsewhere meanwhile: this finding is about the old storage.
            if stop.is_cancelled() {
                return;
            }
            match self.record(&target.storage, at, verdict, stretch, unwatched) {
                Ok(watched) => stretch = watched,
                Err(err) => tracing::warn!("the outage log could not be written: {err}"),
            }
            self.publish();
        }
    }

    fn now(&self) -> Timestamp {
        timestamp(self.clock.now())
    }

    /// Writes one probe's finding: the outage log, and the stretch watched
    /// (`stretch` is the one the previous probe grew, with its instant).
    fn record(
        &self,
        storage: &str,
        at: Timestamp,
        verdict: Verdict,
        stretch: Option<(i64, Timestamp)>,
        unwatched: SignedDuration,
    ) -> rusqlite::Result<Option<(i64, Timestamp)>> {
        let mut db = self.db();
        // Immediate: the app and a `sync --watch` may probe the same storage,
        // and must not both open an outage.
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let store = OutageStore(&tx);
        let open = store.open(storage)?;
        let at_ms = at.as_millisecond();
        match (probe::step(open.as_ref().and_then(StoredOutage::open), at, verdict, unwatched), &open) {
            (Step::Begin { kind, .. }, _) => {
                store.begin(storage, at_ms, kind)?;
                tracing::warn!(storage, ?kind, "the storage stopped answering");
            }
            (Step::Continue { kind, .. }, Some(open)) => store.failed_again(open, at_ms, kind)?,
            (Step::End { at: end }, Some(open)) => {
                store.end(open.id, end.as_millisecond())?;
                tracing::info!(storage, "the storage answers again");
            }
            (Step::Restart { end, kind, .. }, Some(open)) => {
                store.end(open.id, end.as_millisecond())?;
                store.begin(storage, at_ms, kind)?;
                tracing::warn!(storage, ?kind, "the storage is still not answering after a stretch not watched");
            }
            _ => {}
        }
        let watched = match verdict {
            Verdict::NotCounted => None,
            Verdict::Answered | Verdict::ServiceFailure(_) => {
                let going_on = stretch.filter(|(_, last)| probe::continues(*last, at, unwatched)).map(|(id, _)| id);
                Some((store.watched(storage, going_on, at_ms)?, at))
            }
        };
        tx.commit()?;
        Ok(watched)
    }
}

/// One probe, weighed; `Connectivity` is asked only when the service seems
/// to have failed.
async fn weigh(client: &S3Client, settings: &ProbeSettings, endpoint: Option<&Url>) -> Verdict {
    let result = client.probe(settings.timeout).await;
    match probe::verdict(&result, true) {
        Verdict::ServiceFailure(_) => {
            let online = match endpoint {
                Some(endpoint) => settings.connectivity.online(endpoint).await,
                None => false,
            };
            probe::verdict(&result, online)
        }
        verdict => verdict,
    }
}
