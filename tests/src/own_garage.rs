//! A Garage of a test's own, for tests that stop and restart it while the
//! shared one keeps serving the tests running beside them. It is laid out
//! the way `cargo xtask test` lays out the shared one: a single node on
//! loopback with free ports, its data in a temp dir, a key made with its CLI.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use qoima_engine::storage::ConnectionParams;
use rand::Rng;

/// The region its config names.
pub const REGION: &str = "garage";

pub struct OwnGarage {
    dir: tempfile::TempDir,
    config: PathBuf,
    bin: PathBuf,
    pub s3_port: u16,
    pub key_id: String,
    pub secret: String,
    server: Option<Child>,
}

fn free_port() -> u16 {
    crate::closed_port()
}

fn random_hex() -> String {
    format!("{:032x}{:032x}", rand::rng().random::<u128>(), rand::rng().random::<u128>())
}

fn config_text(dir: &Path, rpc: u16, s3: u16, admin: u16) -> String {
    format!(
        r#"metadata_dir = "{meta}"
data_dir = "{data}"
db_engine = "sqlite"
replication_factor = 1

rpc_bind_addr = "127.0.0.1:{rpc}"
rpc_public_addr = "127.0.0.1:{rpc}"
rpc_secret = "{rpc_secret}"

[s3_api]
s3_region = "{REGION}"
api_bind_addr = "127.0.0.1:{s3}"
root_domain = ".s3.garage.localhost"

[admin]
api_bind_addr = "127.0.0.1:{admin}"
admin_token = "{admin_token}"
metrics_token = "{metrics_token}"
"#,
        meta = dir.join("meta").display(),
        data = dir.join("data").display(),
        rpc_secret = random_hex(),
        admin_token = random_hex(),
        metrics_token = random_hex(),
    )
}

impl OwnGarage {
    /// Starts it and makes its key. Blocks for the few seconds that takes,
    /// so call it before anything else of the test runs.
    pub fn start() -> Self {
        let bin = PathBuf::from(crate::required("QOIMA_TEST_GARAGE_BIN"));
        let dir = tempfile::tempdir().expect("temp dir for Garage");
        let (rpc, s3_port, admin) = (free_port(), free_port(), free_port());
        let config = dir.path().join("garage.toml");
        std::fs::write(&config, config_text(dir.path(), rpc, s3_port, admin)).expect("Garage config");
        let mut garage = Self { dir, config, bin, s3_port, key_id: String::new(), secret: String::new(), server: None };
        garage.restart();

        // The CLI talks to the node over RPC: it answers once the node is up.
        garage.poll("garage status to answer", |g| g.cli(&["status"]).ok());
        let id_line = garage.cli(&["node", "id", "-q"]).expect("garage node id");
        let node = id_line.trim().split('@').next().unwrap_or_default().to_owned();
        garage.cli(&["layout", "assign", "-z", "dc1", "-c", "1G", &node]).expect("garage layout assign");
        garage.cli(&["layout", "apply", "--version", "1"]).expect("garage layout apply");
        // The key table takes writes once the layout is live.
        let created = garage.poll("Garage to make a key", |g| g.cli(&["key", "create", "qoima-own"]).ok());
        let field = |name: &str| {
            created.lines().find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_owned())).unwrap_or_default()
        };
        garage.key_id = field("Key ID:");
        garage.secret = field("Secret key:");
        assert!(!garage.key_id.is_empty() && !garage.secret.is_empty(), "no key in:\n{created}");
        garage
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.s3_port)
    }

    pub fn params(&self) -> ConnectionParams {
        ConnectionParams {
            endpoint: self.endpoint(),
            region: REGION.into(),
            access_key_id: self.key_id.clone(),
            path_style: true,
        }
    }

    /// Kills the server at once, as a crash would; its data stays.
    pub fn kill(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.kill();
            let _ = server.wait();
        }
    }

    /// Starts the server on its config: the same ports and data as before.
    pub fn restart(&mut self) {
        self.kill();
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("garage.log"))
            .expect("Garage log file");
        let server = Command::new(&self.bin)
            .arg("-c")
            .arg(&self.config)
            .arg("server")
            .env("RUST_LOG", "garage=info")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("Garage log file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", self.bin.display()));
        self.server = Some(server);
    }

    /// Fails the test with its log when the server has stopped by itself.
    pub fn assert_running(&mut self) {
        let exited = self.server.as_mut().and_then(|s| s.try_wait().ok().flatten());
        if let Some(status) = exited {
            let log = std::fs::read_to_string(self.dir.path().join("garage.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            panic!("Garage exited ({status}); its log ends:\n{}", tail.join("\n"));
        }
    }

    fn cli(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new(&self.bin)
            .arg("-c")
            .arg(&self.config)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// Polls `check` until it gives a value, for at most a minute.
    fn poll<T>(&mut self, what: &str, mut check: impl FnMut(&Self) -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            self.assert_running();
            if let Some(value) = check(self) {
                return value;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for OwnGarage {
    fn drop(&mut self) {
        self.kill();
    }
}
