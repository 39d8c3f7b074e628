//! The installed app started in the chroot on a virtual display, and the
//! picture of its first screen.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::chroot::Chroot;
use crate::proc::{self, Daemon};
use crate::xvfb;

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
    // Free inside the chroot and on the host: the two share X's abstract sockets.
    let screen = xvfb::start_under(logs, &[chroot.root(), Path::new("/")], || chroot.command(&[], "Xvfb"))?;
    let display = screen.display_env();
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
