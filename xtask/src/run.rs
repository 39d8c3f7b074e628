//! `cargo xtask run [--screenshot FILE] [--fresh]`: install, build, open the app.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::proc::{self, Daemon, TempDir};
use crate::report::Report;
use crate::{install, ui, xvfb};

/// How long the app may take to render its first screen.
const READY_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug, Default, PartialEq)]
pub struct Args {
    pub screenshot: Option<PathBuf>,
    pub fresh: bool,
}

pub fn main(args: Args) -> Result<i32> {
    let start = Instant::now();
    let has_display = has_display();
    if args.screenshot.is_none() && !has_display {
        println!("note: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set); building anyway.");
        println!("      To see the app here, use `cargo xtask run --screenshot shot.png`.");
    }
    // Resolve the file against the caller's directory before anything runs elsewhere.
    let screenshot = match &args.screenshot {
        Some(file) => Some(std::path::absolute(file).context("resolving the screenshot path")?),
        None => None,
    };

    let mut report = Report::default();
    let steps_ok = report.step("apt packages", |note| install::apt(install::RUN_APT, note)).is_some()
        && report.step("npm packages (ui)", ui::install).is_some()
        && report.step("build ui (npm run build)", ui::build).is_some()
        && report.step("build app (cargo build -p qoima)", |_| build_app()).is_some();
    if !steps_ok {
        bail!("could not build the app (see above)");
    }
    println!("(ready after {})", proc::fmt_duration(start.elapsed()));

    match screenshot {
        Some(file) => {
            screenshot_run(&file, args.fresh)?;
            println!("screenshot written to {}", file.display());
            Ok(0)
        }
        None if !has_display => {
            bail!(
                "there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset).\n\
                 Run `cargo xtask run --screenshot shot.png` to render the app on a virtual display and save a picture of it."
            )
        }
        None => {
            let fresh_dir = if args.fresh { Some(TempDir::new("qoima-fresh")?) } else { None };
            let mut cmd = Command::new(app_bin());
            if let Some(dir) = &fresh_dir {
                cmd.env("QOIMA_DATA_DIR", dir.path());
            }
            let status = proc::status(&mut cmd)?;
            Ok(status.code().unwrap_or(1))
        }
    }
}

fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// `cargo build -p qoima`: the desktop binary, with ui/dist embedded.
pub fn build_app() -> Result<()> {
    proc::run(crate::cargo().args(["build", "-p", "qoima"]))?;
    let bin = app_bin();
    if !bin.exists() {
        bail!("the build finished but {} is missing", bin.display());
    }
    Ok(())
}

/// `cargo build -p qoima-cli`: `cargo test` builds only the test harness of
/// a package without integration tests, while the CLI tests run the binary.
pub fn build_cli() -> Result<()> {
    proc::run(crate::cargo().args(["build", "-p", "qoima-cli"]))
}

pub fn app_bin() -> PathBuf {
    crate::target_dir().join("debug/qoima")
}

/// Settings for a WebKitGTK window on Xvfb.
pub fn virtual_display_env(cmd: &mut Command, display: &str) {
    cmd.env("DISPLAY", display).env("GDK_BACKEND", "x11").env_remove("WAYLAND_DISPLAY");
    // Xvfb has no GPU: WebKit's DMA-BUF renderer would show a blank page.
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        cmd.env("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

/// A private `XDG_RUNTIME_DIR` (mode 0700) in `tmp`, so the sockets of the
/// services a private D-Bus session starts stay out of the user's home.
pub fn private_runtime_dir(tmp: &TempDir) -> Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp.subdir("xdg-runtime")?;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    Ok(dir)
}

/// Runs the app on a fresh Xvfb until its first screen is drawn, then
/// captures the whole screen into `file`.
fn screenshot_run(file: &Path, fresh: bool) -> Result<()> {
    if proc::find_in_path("import").is_none() {
        bail!("`import` (imagemagick) is not installed");
    }
    let tmp = TempDir::new("qoima-run")?;
    let x = xvfb::start(tmp.path())?;
    let ready = tmp.path().join("ready");

    let mut cmd = match proc::find_in_path("dbus-run-session") {
        // A private session bus so the keyring code finds one.
        Some(dbus) => {
            let mut c = Command::new(dbus);
            c.arg("--").arg(app_bin());
            c
        }
        None => Command::new(app_bin()),
    };
    virtual_display_env(&mut cmd, &x.display_env());
    cmd.env("QOIMA_READY_FILE", &ready).env("XDG_RUNTIME_DIR", private_runtime_dir(&tmp)?);
    if fresh {
        cmd.env("QOIMA_DATA_DIR", tmp.subdir("data")?);
    }
    println!(
        "starting the app on display {} (waiting up to {} s for its first screen)",
        x.display_env(),
        READY_TIMEOUT.as_secs()
    );
    let started = Instant::now();
    let mut app = Daemon::spawn("the app", &mut cmd, None)?;
    proc::wait_for("the app's first screen (QOIMA_READY_FILE)", READY_TIMEOUT, || {
        if let Some(status) = app.exited() {
            bail!("the app exited before its first screen was drawn ({status})");
        }
        Ok(ready.exists().then_some(()))
    })?;
    println!("first screen after {}", proc::fmt_duration(started.elapsed()));
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    proc::run(Command::new("import").args(["-window", "root"]).arg(file).env("DISPLAY", x.display_env()))?;
    app.stop();
    if std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) == 0 {
        bail!("import wrote no picture to {}", file.display());
    }
    Ok(())
}
