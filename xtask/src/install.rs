//! Installs what the tasks need, skipping what is already there.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::proc;

/// What `cargo xtask run` needs: WebKitGTK and the rest of Tauri's build
/// dependencies, Xvfb and imagemagick for screenshots, a D-Bus session and a
/// keyring, fonts for Kazakh and Russian text.
pub const RUN_APT: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libxdo-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "xvfb",
    "imagemagick",
    "xauth",
    "dbus-x11",
    "gnome-keyring",
    "libsecret-1-dev",
    "fonts-noto-core",
    "fonts-dejavu-core",
];

/// What `cargo xtask test` needs on top: the WebDriver for the real window,
/// xdotool to answer the native file pickers it opens (and xprop from
/// x11-utils to read their titles in any language), Chromium for the UI's
/// browser-mode tests, venv for moto.
pub const TEST_APT: &[&str] =
    &["webkit2gtk-driver", "xdotool", "x11-utils", "chromium", "chromium-driver", "python3-venv"];

/// The Garage release the tests run against.
pub const GARAGE_VERSION: &str = "2.5.0";
/// The tauri-driver release the end-to-end tests are known to work with.
pub const TAURI_DRIVER_VERSION: &str = "2.1.0";

/// Installs the missing apt packages (one `apt-get update`, one install).
pub fn apt(packages: &[&str], note: &mut String) -> Result<()> {
    let missing = missing_apt(packages)?;
    if missing.is_empty() {
        *note = format!("all {} packages present", packages.len());
        return Ok(());
    }
    println!("missing: {}", missing.join(" "));
    let sudo = if proc::is_root() {
        None
    } else if proc::find_in_path("sudo").is_some() {
        Some("sudo")
    } else {
        bail!("not root and no sudo: install these packages first: {}", missing.join(" "));
    };
    let apt_get = |args: &[&str]| {
        let mut cmd = match sudo {
            Some(sudo) => {
                let mut c = Command::new(sudo);
                // Never prompt for a password in CI.
                if is_ci() {
                    c.arg("-n");
                }
                c.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
                c
            }
            None => Command::new("apt-get"),
        };
        cmd.env("DEBIAN_FRONTEND", "noninteractive")
            // Wait for another apt run to finish rather than fail at once.
            .args(["-o", "DPkg::Lock::Timeout=900", "-o", "Dpkg::Use-Pty=0"])
            .args(args);
        cmd
    };
    proc::run(&mut apt_get(&["update", "-q"]))?;
    let mut install = apt_get(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(&missing);
    proc::run(&mut install)?;
    let still = missing_apt(&missing.iter().map(String::as_str).collect::<Vec<_>>())?;
    if !still.is_empty() {
        bail!("apt-get did not install: {}", still.join(" "));
    }
    *note = format!("installed {}", missing.join(" "));
    Ok(())
}

/// The packages of `packages` that dpkg does not report as installed.
fn missing_apt(packages: &[&str]) -> Result<Vec<String>> {
    // dpkg-query exits 1 when it knows none of some names; its stdout still
    // lists the ones it knows.
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${Package} ${Status}\n"])
        .args(packages)
        .output()
        .context("running dpkg-query (is this a Debian system?)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(packages.iter().filter(|p| !text.lines().any(|l| is_installed_line(l, p))).map(|p| p.to_string()).collect())
}

fn is_installed_line(line: &str, package: &str) -> bool {
    // "libssl-dev install ok installed"; the name may carry an arch suffix.
    let mut words = line.split_whitespace();
    let name = words.next().unwrap_or("");
    let name = name.split(':').next().unwrap_or("");
    name == package && line.trim_end().ends_with(" installed") && !line.contains("not-installed")
}

pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// `$CARGO_HOME/bin`, or `~/.cargo/bin`.
pub fn cargo_bin_dir() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => home_dir().join(".cargo/bin"),
    }
}

pub fn home_dir() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root"))
}

pub fn garage_bin() -> PathBuf {
    cargo_bin_dir().join("garage")
}

pub fn tauri_driver_bin() -> PathBuf {
    cargo_bin_dir().join("tauri-driver")
}

/// Builds Garage from source when the installed one is missing or another version.
pub fn garage(note: &mut String) -> Result<()> {
    let bin = garage_bin();
    if let Some(version) = installed_garage_version(&bin)
        && version.contains(GARAGE_VERSION)
    {
        *note = format!("{} already installed", version.trim());
        return Ok(());
    }
    println!("building Garage {GARAGE_VERSION} (several minutes on 2 cores)");
    proc::run(crate::cargo().args([
        "install",
        "garage",
        "--locked",
        "--version",
        GARAGE_VERSION,
        "--no-default-features",
        "--features",
        "bundled-libs,sqlite",
    ]))?;
    match installed_garage_version(&bin) {
        Some(v) if v.contains(GARAGE_VERSION) => {
            *note = format!("installed {}", v.trim());
            Ok(())
        }
        other => bail!("after cargo install, {} reports {:?}", bin.display(), other),
    }
}

fn installed_garage_version(bin: &std::path::Path) -> Option<String> {
    if !proc::is_executable(bin) {
        return None;
    }
    let out = Command::new(bin).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    Some(text.lines().next().unwrap_or("").to_owned())
}

/// Installs tauri-driver (the WebDriver front for the app) when missing.
pub fn tauri_driver(note: &mut String) -> Result<()> {
    let bin = tauri_driver_bin();
    if proc::is_executable(&bin) {
        *note = "already installed".into();
        return Ok(());
    }
    proc::run(crate::cargo().args(["install", "tauri-driver", "--locked", "--version", TAURI_DRIVER_VERSION]))?;
    if !proc::is_executable(&bin) {
        bail!("cargo install tauri-driver did not produce {}", bin.display());
    }
    *note = format!("installed {TAURI_DRIVER_VERSION}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_status_lines() {
        assert!(is_installed_line("libssl-dev install ok installed", "libssl-dev"));
        assert!(is_installed_line("libssl-dev:amd64 install ok installed", "libssl-dev"));
        assert!(!is_installed_line("xvfb deinstall ok config-files", "xvfb"));
        assert!(!is_installed_line("xvfb unknown ok not-installed", "xvfb"));
        assert!(!is_installed_line("xvfb-run install ok installed", "xvfb"));
    }

    #[test]
    fn package_lists_have_no_duplicates() {
        let mut all: Vec<&str> = RUN_APT.iter().chain(TEST_APT).copied().collect();
        all.sort();
        let len = all.len();
        all.dedup();
        assert_eq!(len, all.len());
    }
}
