//! The .deb: built by the Tauri bundler, and what its control file declares.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::proc;

/// `tauri build --bundles deb` from the npm package in ui/, run in
/// src-tauri/ so that it finds tauri.conf.json there. It compiles the app in
/// release mode (ui/dist must be built already: there is no
/// beforeBuildCommand, the UI is built the same way for every task) and
/// returns the .deb it wrote.
pub fn build() -> Result<PathBuf> {
    let tauri = crate::ui::dir().join("node_modules/.bin/tauri");
    if !tauri.exists() {
        bail!("{} is missing (npm ci in ui/ installs it)", tauri.display());
    }
    let started = SystemTime::now();
    let mut cmd = Command::new(&tauri);
    cmd.current_dir(crate::root().join("src-tauri")).args(["build", "--bundles", "deb", "--ci"]);
    crate::strip_cargo_run_env(&mut cmd);
    proc::run(&mut cmd)?;
    let dir = deb_dir();
    newest_deb(&dir, started)?
        .with_context(|| format!("the bundler finished but wrote no new .deb in {}", dir.display()))
}

/// Where the bundler puts .deb files.
pub fn deb_dir() -> PathBuf {
    crate::target_dir().join("release/bundle/deb")
}

/// The newest `.deb` in `dir` written at or after `since`.
fn newest_deb(dir: &Path, since: SystemTime) -> Result<Option<PathBuf>> {
    let mut best: Option<(SystemTime, PathBuf)> = None;
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "deb") {
            continue;
        }
        let modified = std::fs::metadata(&path)?.modified()?;
        if modified >= since && best.as_ref().is_none_or(|(t, _)| modified > *t) {
            best = Some((modified, path));
        }
    }
    Ok(best.map(|(_, path)| path))
}

/// One field of the package's control file (`dpkg-deb -f`).
pub fn control_field(deb: &Path, field: &str) -> Result<String> {
    Ok(proc::output(Command::new("dpkg-deb").arg("-f").arg(deb).arg(field))?.trim().to_owned())
}

/// One entry of a `Depends` line: the package names that satisfy it (more
/// than one for `a | b`), without versions or architecture qualifiers.
pub type Alternatives = Vec<String>;

/// Parses a `Depends` (or `Pre-Depends`) value such as
/// `libc6 (>= 2.34), libgtk-3-0, default-dbus-session-bus | dbus-session-bus`.
pub fn parse_depends(value: &str) -> Vec<Alternatives> {
    value
        .split(',')
        .map(|entry| {
            entry
                .split('|')
                .filter_map(|alt| {
                    let name = alt.split(['(', '[', '<']).next().unwrap_or("").trim();
                    let name = name.split(':').next().unwrap_or("");
                    (!name.is_empty()).then(|| name.to_owned())
                })
                .collect::<Alternatives>()
        })
        .filter(|alts| !alts.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(alts: &[&str]) -> Alternatives {
        alts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn depends_lines() {
        assert_eq!(
            parse_depends("libwebkit2gtk-4.1-0, libgtk-3-0, libayatana-appindicator3-1"),
            vec![names(&["libwebkit2gtk-4.1-0"]), names(&["libgtk-3-0"]), names(&["libayatana-appindicator3-1"])]
        );
        assert_eq!(
            parse_depends(
                "libc6 (>= 2.34), python3:any, default-dbus-session-bus | dbus-session-bus, libfoo [amd64] <!nocheck>"
            ),
            vec![
                names(&["libc6"]),
                names(&["python3"]),
                names(&["default-dbus-session-bus", "dbus-session-bus"]),
                names(&["libfoo"]),
            ]
        );
        assert!(parse_depends("").is_empty());
        assert!(parse_depends(" , ").is_empty());
    }

    #[test]
    fn newest_deb_since_the_build_started() {
        let dir = crate::proc::TempDir::new("xtask-deb-selftest").unwrap();
        let now = SystemTime::now();
        let old = dir.path().join("Qoima_0.0.9_amd64.deb");
        let new = dir.path().join("Qoima_0.1.0_amd64.deb");
        std::fs::write(&old, "").unwrap();
        std::fs::write(&new, "").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(now - std::time::Duration::from_secs(60))
            .unwrap();
        let since = now - std::time::Duration::from_secs(10);
        assert_eq!(newest_deb(dir.path(), since).unwrap(), Some(new));
        assert_eq!(newest_deb(dir.path(), now + std::time::Duration::from_secs(60)).unwrap(), None);
    }
}
