//! A virtual X display for machines without one.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Result, bail};

use crate::proc::{self, Daemon};

pub struct Xvfb {
    pub display: u32,
    _daemon: Daemon,
}

impl Xvfb {
    /// The value for `DISPLAY`.
    pub fn display_env(&self) -> String {
        format!(":{}", self.display)
    }
}

fn socket(n: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X11-unix/X{n}"))
}

fn lock(n: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X{n}-lock"))
}

fn is_free(n: u32) -> bool {
    !socket(n).exists() && !lock(n).exists()
}

const SCREEN: &str = "1440x900x24";

/// Starts `Xvfb :N -screen 0 1440x900x24 -nolisten tcp` on the first free
/// display from :99 up, and waits for its socket. The screen is as large as
/// the largest window the layout test lays out.
pub fn start(log_dir: &Path) -> Result<Xvfb> {
    let mut tries = 0;
    for n in 99..200 {
        if !is_free(n) {
            continue;
        }
        tries += 1;
        let log = log_dir.join(format!("xvfb-{n}.log"));
        let mut cmd = Command::new("Xvfb");
        cmd.args([&format!(":{n}"), "-screen", "0", SCREEN, "-nolisten", "tcp"]);
        let mut daemon = Daemon::spawn("Xvfb", &mut cmd, Some(&log))?;
        let up = proc::wait_for(&format!("Xvfb on :{n}"), Duration::from_secs(20), || {
            if daemon.exited().is_some() {
                // Another server took the number first: try the next one.
                return Ok(Some(false));
            }
            Ok(socket(n).exists().then_some(true))
        })?;
        if up {
            return Ok(Xvfb { display: n, _daemon: daemon });
        }
        if tries >= 5 {
            bail!("Xvfb would not start\n{}", daemon.log_tail());
        }
    }
    bail!("no free X display number between :99 and :199")
}
