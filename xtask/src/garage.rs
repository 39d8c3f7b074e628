//! A single-node Garage on loopback: config, start, layout, an access key.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::install::garage_bin;
use crate::proc::{self, Daemon};

/// The region Garage is configured with (`[s3_api] s3_region`).
pub const REGION: &str = "garage";
/// The name of the access key the tests use.
pub const KEY_NAME: &str = "qoima-test";
/// A second key, allowed only to write into [`WRITE_ONLY_BUCKET`], for
/// "access denied" tests.
pub const LIMITED_KEY_NAME: &str = "qoima-test-limited";
/// The bucket the limited key may write to but not read or list.
pub const WRITE_ONLY_BUCKET: &str = "qoima-write-only";

pub struct Garage {
    pub s3_port: u16,
    pub admin_port: u16,
    pub admin_token: String,
    pub key_id: String,
    pub secret: String,
    pub limited_key_id: String,
    pub limited_secret: String,
    config: PathBuf,
    // Declared last so the fields above stay readable while it stops.
    _daemon: Daemon,
}

impl Garage {
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.s3_port)
    }

    pub fn admin_endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.admin_port)
    }

    /// Creates `bucket` with Garage's CLI and lets the test key ([`KEY_NAME`])
    /// read, write and own it.
    pub fn create_bucket(&self, bucket: &str) -> Result<()> {
        cli(&self.config, &["bucket", "create", bucket])?;
        cli(&self.config, &["bucket", "allow", "--read", "--write", "--owner", bucket, "--key", KEY_NAME])?;
        Ok(())
    }
}

struct Ports {
    rpc: u16,
    s3: u16,
    admin: u16,
}

fn config_text(dir: &Path, ports: &Ports, rpc_secret: &str, admin_token: &str, metrics_token: &str) -> String {
    let meta = dir.join("meta");
    let data = dir.join("data");
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
        meta = meta.display(),
        data = data.display(),
        rpc = ports.rpc,
        s3 = ports.s3,
        admin = ports.admin,
    )
}

/// Runs `garage -c CONFIG ARGS…` and returns its stdout.
fn cli(config: &Path, args: &[&str]) -> Result<String> {
    proc::output(Command::new(garage_bin()).arg("-c").arg(config).args(args).env("RUST_LOG", "warn"))
}

/// Starts Garage in `dir`, lays out its single node, and makes the test key.
pub fn start(dir: &Path) -> Result<Garage> {
    let ports = Ports { rpc: proc::free_port()?, s3: proc::free_port()?, admin: proc::free_port()? };
    let admin_token = proc::random_hex(24)?;
    let config = dir.join("garage.toml");
    std::fs::write(&config, config_text(dir, &ports, &proc::random_hex(32)?, &admin_token, &proc::random_hex(24)?))
        .with_context(|| format!("writing {}", config.display()))?;

    let mut cmd = Command::new(garage_bin());
    cmd.arg("-c").arg(&config).arg("server").env("RUST_LOG", "garage=info");
    let mut daemon = Daemon::spawn("garage", &mut cmd, Some(&dir.join("garage.log")))?;

    // The CLI talks to the node over RPC; it answers once the node is up.
    proc::wait_for("garage status to answer", Duration::from_secs(60), || {
        daemon.check_alive()?;
        Ok(cli(&config, &["status"]).ok())
    })?;
    let node_id = parse_node_id(&cli(&config, &["node", "id", "-q"]).or_else(|_| cli(&config, &["node", "id"]))?)?;
    cli(&config, &["layout", "assign", "-z", "dc1", "-c", "1G", &node_id])?;
    cli(&config, &["layout", "apply", "--version", "1"])?;

    // The key tables take writes once the new layout is live: retry until then.
    let mut last_err = String::new();
    let created = proc::wait_for("garage to accept a new key", Duration::from_secs(60), || {
        daemon.check_alive()?;
        match cli(&config, &["key", "create", KEY_NAME]) {
            Ok(out) => Ok(Some(out)),
            Err(err) => {
                last_err = format!("{err:#}");
                Ok(None)
            }
        }
    })
    .with_context(|| format!("last error: {last_err}"))?;
    let (key_id, secret) = parse_key(&created)?;
    cli(&config, &["key", "allow", "--create-bucket", KEY_NAME])?;
    let (limited_key_id, limited_secret) = parse_key(&cli(&config, &["key", "create", LIMITED_KEY_NAME])?)?;
    cli(&config, &["bucket", "create", WRITE_ONLY_BUCKET])?;
    cli(&config, &["bucket", "allow", "--write", WRITE_ONLY_BUCKET, "--key", LIMITED_KEY_NAME])?;

    proc::wait_for("the Garage S3 API to answer", Duration::from_secs(30), || {
        daemon.check_alive()?;
        Ok(proc::http_status(ports.s3))
    })?;
    Ok(Garage {
        s3_port: ports.s3,
        admin_port: ports.admin,
        admin_token,
        key_id,
        secret,
        limited_key_id,
        limited_secret,
        config,
        _daemon: daemon,
    })
}

/// `garage node id` prints `ID@ADDR`; the id is the part before `@`.
fn parse_node_id(out: &str) -> Result<String> {
    out.lines()
        .map(str::trim)
        .find_map(|l| l.split_once('@').map(|(id, _)| id.to_owned()))
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_hexdigit()))
        .with_context(|| format!("no node id in `garage node id` output: {out}"))
}

/// Reads "Key ID: …" and "Secret key: …" from `garage key create`.
fn parse_key(out: &str) -> Result<(String, String)> {
    let field = |name: &str| {
        out.lines().find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_owned())).filter(|v| !v.is_empty())
    };
    match (field("Key ID:"), field("Secret key:")) {
        (Some(id), Some(secret)) => Ok((id, secret)),
        _ => bail!("no key id and secret in `garage key create` output:\n{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_id() {
        let out = "5b0c0f3c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5@127.0.0.1:3901\n";
        assert_eq!(parse_node_id(out).unwrap(), &out[..64]);
        assert!(parse_node_id("nothing here").is_err());
    }

    #[test]
    fn key() {
        let out = "==== ACCESS KEY INFORMATION ====\nKey ID:              GK31c2f218a2e44f485b94239e\nKey name:            qoima-test\nSecret key:          b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835\nCreated:             2025-01-01\n";
        let (id, secret) = parse_key(out).unwrap();
        assert_eq!(id, "GK31c2f218a2e44f485b94239e");
        assert_eq!(secret, "b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835");
        assert!(parse_key("Key name: x").is_err());
    }

    #[test]
    fn config_has_every_section() {
        let ports = Ports { rpc: 1, s3: 2, admin: 3 };
        let text = config_text(Path::new("/tmp/x"), &ports, "ab", "cd", "ef");
        for needle in [
            "db_engine = \"sqlite\"",
            "replication_factor = 1",
            "rpc_bind_addr = \"127.0.0.1:1\"",
            "[s3_api]",
            "s3_region = \"garage\"",
            "api_bind_addr = \"127.0.0.1:2\"",
            "[admin]",
            "api_bind_addr = \"127.0.0.1:3\"",
            "admin_token = \"cd\"",
        ] {
            assert!(text.contains(needle), "{needle}");
        }
    }
}
