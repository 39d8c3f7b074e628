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

fn socket(root: &Path, n: u32) -> PathBuf {
    root.join(format!("tmp/.X11-unix/X{n}"))
}

fn lock(root: &Path, n: u32) -> PathBuf {
    root.join(format!("tmp/.X{n}-lock"))
}

const SCREEN: &str = "1440x900x24";

/// Starts `Xvfb :N -screen 0 1440x900x24 -nolisten tcp` on the first free
/// display from :99 up, and waits for its socket. The screen is as large as
/// the largest window the layout test lays out.
pub fn start(log_dir: &Path) -> Result<Xvfb> {
    start_under(log_dir, &[Path::new("/")], || Command::new("Xvfb"))
}

/// As `start`, with Xvfb run by `xvfb` (a command that starts it, possibly
/// in another root) on a number free under every one of `roots`; its socket
/// appears under the first. X clients also try an abstract socket of the
/// same number, which every root on the machine shares.
pub fn start_under(log_dir: &Path, roots: &[&Path], xvfb: impl Fn() -> Command) -> Result<Xvfb> {
    let is_free = |n: u32| roots.iter().all(|root| !socket(root, n).exists() && !lock(root, n).exists());
    let mut tries = 0;
    for n in 99..200 {
        if !is_free(n) {
            continue;
        }
        tries += 1;
        let log = log_dir.join(format!("xvfb-{n}.log"));
        let mut cmd = xvfb();
        cmd.args([&format!(":{n}"), "-screen", "0", SCREEN, "-nolisten", "tcp"]);
        let mut daemon = Daemon::spawn("Xvfb", &mut cmd, Some(&log))?;
        let up = proc::wait_for(&format!("Xvfb on :{n}"), Duration::from_secs(20), || {
            if daemon.exited().is_some() {
                // Another server took the number first: try the next one.
                return Ok(Some(false));
            }
            Ok(socket(roots[0], n).exists().then_some(true))
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
