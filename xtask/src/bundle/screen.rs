//! The installed app started in the chroot on a virtual display, and the
//! picture of its first screen.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::chroot::Chroot;
use crate::proc::{self, Daemon};

/// How long the app may take to draw its first screen.
const READY_TIMEOUT: Duration = Duration::from_secs(120);

/// Fewer colours than this is an empty screen: black (1), or a window whose
/// page is still blank (a handful). Text and icons bring hundreds.
const MIN_COLOURS: u64 = 64;

/// The run's scratch space inside the chroot.
const RUN_DIR: &str = "tmp/qoima-run";

/// What the check saw.
pub struct FirstScreen {
    pub after: Duration,
    pub colours: u64,
}

/// Starts Xvfb and then `/usr/bin/qoima` (in a private D-Bus session, on an
/// empty data dir, so it opens on the demo storage) inside the chroot, waits
/// until the app says its first screen is drawn, saves the whole screen to
/// `picture` and checks that it is not blank.
pub fn first_screen(chroot: &Chroot, logs: &Path, picture: &Path) -> Result<FirstScreen> {
    let run = chroot.root().join(RUN_DIR);
    let _ = std::fs::remove_dir_all(&run);
    for dir in ["xdg-runtime", "data"] {
        std::fs::create_dir_all(run.join(dir)).with_context(|| format!("creating {}", run.join(dir).display()))?;
    }
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(run.join("xdg-runtime"), std::fs::Permissions::from_mode(0o700))?;
    }
    let (display, _xvfb) = start_xvfb(chroot, logs)?;
    let inside = |name: &str| format!("/{RUN_DIR}/{name}");
    let ready = run.join("ready");

    let envs = [
        ("DISPLAY", display.as_str()),
        ("GDK_BACKEND", "x11"),
        // Xvfb has no GPU: WebKit's DMA-BUF renderer would show a blank page.
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        ("XDG_RUNTIME_DIR", &inside("xdg-runtime")),
        ("QOIMA_DATA_DIR", &inside("data")),
        ("QOIMA_READY_FILE", &inside("ready")),
    ];
    let mut cmd = chroot.command(&envs, "dbus-run-session");
    cmd.args(["--", "/usr/bin/qoima"]);
    let started = Instant::now();
    let mut app = Daemon::spawn("the installed app", &mut cmd, Some(&logs.join("app.log")))?;
    proc::wait_for("the app's first screen (QOIMA_READY_FILE)", READY_TIMEOUT, || {
        if let Some(status) = app.exited() {
            bail!("the app exited before its first screen was drawn ({status})\n{}", app.log_tail());
        }
        Ok(ready.exists().then_some(()))
    })?;
    let after = started.elapsed();

    let shot = inside("first-screen.png");
    proc::output(chroot.command(&[("DISPLAY", &display)], "import").args(["-window", "root", &shot]))?;
    app.check_alive()?;
    app.stop();
    if let Some(parent) = picture.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(chroot.root().join(shot.trim_start_matches('/')), picture)
        .with_context(|| format!("copying the screenshot to {}", picture.display()))?;
    let counted = proc::output(chroot.command(&[], "identify").args(["-format", "%k", &shot]))?;
    let colours =
        parse_colour_count(&counted).with_context(|| format!("reading identify's colour count {counted:?}"))?;
    if colours < MIN_COLOURS {
        bail!("the first screen has only {colours} colours: blank (see {})", picture.display());
    }
    Ok(FirstScreen { after, colours })
}

/// The number `identify -format %k` prints.
fn parse_colour_count(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// Xvfb inside the chroot on the first display number that is free both
/// there and on the host: X clients also try the abstract socket of that
/// number, which the chroot shares with the host.
fn start_xvfb(chroot: &Chroot, logs: &Path) -> Result<(String, Daemon)> {
    let taken = |n: u32| {
        let paths = |base: &Path| [base.join(format!("tmp/.X{n}-lock")), base.join(format!("tmp/.X11-unix/X{n}"))];
        paths(Path::new("/")).iter().chain(paths(chroot.root()).iter()).any(|p| p.exists())
    };
    for n in (99..200).filter(|n| !taken(*n)).take(5) {
        let mut cmd = chroot.command(&[], "Xvfb");
        cmd.args([&format!(":{n}"), "-screen", "0", "1280x800x24", "-nolisten", "tcp"]);
        let mut xvfb = Daemon::spawn("Xvfb (in the chroot)", &mut cmd, Some(&logs.join("xvfb.log")))?;
        let socket: PathBuf = chroot.root().join(format!("tmp/.X11-unix/X{n}"));
        let up = proc::wait_for(&format!("Xvfb on :{n}"), Duration::from_secs(20), || {
            if xvfb.exited().is_some() {
                // Another server took the number first: try the next one.
                return Ok(Some(false));
            }
            Ok(socket.exists().then_some(true))
        })?;
        if up {
            return Ok((format!(":{n}"), xvfb));
        }
    }
    bail!("Xvfb would not start in the chroot (see {})", logs.join("xvfb.log").display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_counts() {
        assert_eq!(parse_colour_count("1843\n"), Some(1843));
        assert_eq!(parse_colour_count("1"), Some(1));
        assert_eq!(parse_colour_count("identify: unable to open image"), None);
    }
}
