//! moto: an S3 server with the semantics Garage lacks (ACLs, policies,
//! tagging, storage classes, conditional writes), from a virtual environment.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Result, bail};

use crate::install::home_dir;
use crate::proc::{self, Daemon};

/// Major version the tests are written against.
const MOTO_REQUIREMENT: &str = "moto[server]>=5,<6";

pub fn venv_dir() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).unwrap_or_else(|| home_dir().join(".cache"));
    cache.join("qoima/moto-venv")
}

fn server_bin(venv: &Path) -> PathBuf {
    venv.join("bin/moto_server")
}

/// Creates the venv and installs `moto[server]` into it, unless `moto_server` is there.
pub fn install(note: &mut String) -> Result<()> {
    let venv = venv_dir();
    if proc::is_executable(&server_bin(&venv)) {
        *note = format!("already in {}", venv.display());
        return Ok(());
    }
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| proc::find_in_path(p).is_some())
        .ok_or_else(|| anyhow::anyhow!("no python3 on PATH"))?;
    if !proc::is_executable(&venv.join("bin/pip")) {
        // --clear repairs a venv left half-made by an interrupted run.
        proc::run(Command::new(python).args(["-m", "venv", "--clear"]).arg(&venv))?;
    }
    proc::run(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", MOTO_REQUIREMENT])
            .env("PIP_NO_INPUT", "1"),
    )?;
    if !proc::is_executable(&server_bin(&venv)) {
        bail!("pip installed moto but {} is missing", server_bin(&venv).display());
    }
    *note = format!("installed into {}", venv.display());
    Ok(())
}

pub struct Moto {
    pub port: u16,
    _daemon: Daemon,
}

impl Moto {
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Starts `moto_server` on a free loopback port and waits until it answers HTTP.
pub fn start(log_dir: &Path) -> Result<Moto> {
    let port = proc::free_port()?;
    let mut cmd = Command::new(server_bin(&venv_dir()));
    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
    // Loopback plain HTTP: keep the machine's AWS settings out of it.
    for var in crate::AWS_VARS {
        cmd.env_remove(var);
    }
    let mut daemon = Daemon::spawn("moto_server", &mut cmd, Some(&log_dir.join("moto.log")))?;
    proc::wait_for("moto to answer HTTP", Duration::from_secs(60), || {
        daemon.check_alive()?;
        Ok(proc::http_status(port))
    })?;
    Ok(Moto { port, _daemon: daemon })
}
