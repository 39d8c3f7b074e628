//! What the integration tests share: the servers `cargo xtask test` started
//! (read from the environment), fresh buckets, and polling with a deadline.

pub mod desktop;
pub mod desktop_bus;
pub mod garage_keys;
pub mod messages;
pub mod own_garage;
pub mod proxy;
pub mod window;
pub mod x11;

use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::ByteStream;
use qoima_engine::account::{ConnectRequest, Secret};
use qoima_engine::storage::{ConnectionParams, RetryPolicy, S3Client};
use qoima_engine::time::system_clock;

fn required(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: these tests need the servers that `cargo xtask test` starts"))
}

/// The single-node Garage of this test run.
#[derive(Debug, Clone)]
pub struct Garage {
    pub endpoint: String,
    pub region: String,
    pub key_id: String,
    pub secret: String,
}

impl Garage {
    pub fn from_env() -> Self {
        Self {
            endpoint: required("QOIMA_TEST_GARAGE_ENDPOINT"),
            region: required("QOIMA_TEST_GARAGE_REGION"),
            key_id: required("QOIMA_TEST_GARAGE_KEY_ID"),
            secret: required("QOIMA_TEST_GARAGE_SECRET"),
        }
    }

    /// The same Garage as a second key that may not touch the first key's
    /// buckets (`cargo xtask test` makes it without any permission).
    pub fn limited(&self) -> Self {
        Self {
            key_id: required("QOIMA_TEST_GARAGE_LIMITED_KEY_ID"),
            secret: required("QOIMA_TEST_GARAGE_LIMITED_SECRET"),
            ..self.clone()
        }
    }

    pub fn params(&self) -> ConnectionParams {
        ConnectionParams {
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            access_key_id: self.key_id.clone(),
            path_style: true,
        }
    }

    pub fn client(&self) -> S3Client {
        S3Client::new(&self.params(), &self.secret, system_clock(), RetryPolicy::Standard)
            .expect("client for the test Garage")
    }

    pub fn connect_request(&self) -> ConnectRequest {
        ConnectRequest {
            provider_id: "garage".into(),
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            access_key_id: self.key_id.clone(),
            secret_key: Secret::new(&self.secret),
        }
    }

    /// An engine with its data in `dir`, connected here under `provider`'s rules.
    pub fn engine(&self, dir: &std::path::Path, provider: &str) -> qoima_engine::Engine {
        self.engine_at(dir, &self.endpoint, provider)
    }

    /// As `engine`, with this Garage's keys but reaching it at `endpoint`
    /// (a proxy in front of it, or a port where nothing answers).
    pub fn engine_at(&self, dir: &std::path::Path, endpoint: &str, provider: &str) -> qoima_engine::Engine {
        let engine = qoima_engine::Engine::open(dir, system_clock()).unwrap();
        let params = ConnectionParams { endpoint: endpoint.to_owned(), ..self.params() };
        engine.use_endpoint(&params, &Secret::new(&self.secret), provider).unwrap();
        engine
    }

    /// An engine connected here whose sync runs on `timings`.
    pub fn sync_engine(
        &self,
        dir: &std::path::Path,
        endpoint: &str,
        timings: qoima_engine::sync::service::SyncTimings,
    ) -> qoima_engine::Engine {
        let engine = qoima_engine::Engine::open_with(dir, system_clock(), timings).unwrap();
        let params = ConnectionParams { endpoint: endpoint.to_owned(), ..self.params() };
        engine.use_endpoint(&params, &Secret::new(&self.secret), "garage").unwrap();
        engine
    }

    /// `host:port`, for a proxy to forward to.
    pub fn upstream(&self) -> String {
        self.endpoint.trim_start_matches("http://").trim_end_matches('/').to_owned()
    }

    /// A bucket of its own for one test, so tests run in parallel.
    pub async fn new_bucket(&self, purpose: &str) -> String {
        let name = bucket_name(purpose);
        let client = self.client();
        client.sdk().create_bucket().bucket(&name).send().await.expect("create test bucket");
        name
    }

    /// Writes small objects, many at a time.
    pub async fn put_objects(&self, bucket: &str, keys: impl IntoIterator<Item = String>) {
        let client = self.client();
        let limit = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
        let mut tasks = tokio::task::JoinSet::new();
        for key in keys {
            let sdk = client.sdk().clone();
            let bucket = bucket.to_owned();
            let permit = limit.clone().acquire_owned().await.unwrap();
            tasks.spawn(async move {
                let body = ByteStream::from(key.as_bytes().to_vec());
                sdk.put_object()
                    .bucket(bucket)
                    .key(&key)
                    .body(body)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("put {key}: {e:?}"));
                drop(permit);
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("put task");
        }
    }
}

/// A bucket name no other test uses, for tests run in parallel on one
/// server. S3 naming: lowercase, 3–63 characters.
pub fn bucket_name(purpose: &str) -> String {
    use rand::Rng;
    format!("qt-{purpose}-{:08x}", rand::rng().random::<u32>())
}

/// Polls `check` until it returns `Some`, or panics after `deadline`.
pub async fn eventually<T>(deadline: Duration, what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(start.elapsed() < deadline, "timed out after {deadline:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A loopback port nothing listens on.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A binary of this workspace, built beside the test executable.
pub fn workspace_binary(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>/deps");
    let path = dir.join(name);
    assert!(path.exists(), "{} is not built: run `cargo build -p {name}` (cargo xtask test does)", path.display());
    path
}

/// No file under `dir` (database, logs, anything the app wrote) may contain
/// the secret key.
pub fn assert_secret_not_on_disk(dir: &std::path::Path, secret: &str) {
    for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} contains the secret key",
                path.display()
            );
        } else if path.is_dir() {
            assert_secret_not_on_disk(&path, secret);
        }
    }
}
