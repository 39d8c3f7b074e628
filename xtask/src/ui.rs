//! The Svelte front end in ui/: npm packages, the build Tauri embeds, its tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Result, bail};

use crate::proc;

pub fn dir() -> PathBuf {
    crate::root().join("ui")
}

fn npm(ui: &Path) -> Command {
    let mut cmd = Command::new("npm");
    cmd.current_dir(ui)
        .env("npm_config_fund", "false")
        .env("npm_config_audit", "false")
        .env("npm_config_update_notifier", "false");
    cmd
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
pub fn install(note: &mut String) -> Result<()> {
    let ui = dir();
    let lock = ui.join("package-lock.json");
    if !lock.exists() {
        bail!("{} is missing", lock.display());
    }
    if !needs_ci(&ui) {
        *note = "node_modules up to date".into();
        return Ok(());
    }
    proc::run(npm(&ui).arg("ci"))?;
    *note = "npm ci".into();
    Ok(())
}

/// True when node_modules is missing or older than package-lock.json (npm
/// writes node_modules/.package-lock.json at the end of every install).
fn needs_ci(ui: &Path) -> bool {
    let lock = modified(&ui.join("package-lock.json"));
    let installed = modified(&ui.join("node_modules/.package-lock.json"));
    match (lock, installed) {
        (Some(lock), Some(installed)) => installed < lock,
        _ => true,
    }
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// `npm run build`: writes ui/dist, which the Tauri crate embeds when it compiles.
pub fn build(_note: &mut String) -> Result<()> {
    proc::run(npm(&dir()).args(["run", "build"]))
}

/// `npm test`, with the counts read from vitest's summary.
pub fn test(envs: &[(String, String)]) -> Result<(bool, crate::report::Counts)> {
    let mut cmd = npm(&dir());
    cmd.arg("test");
    crate::test::apply_env(&mut cmd, envs);
    crate::test::run_counting(
        &mut cmd,
        crate::report::parse_vitest_line,
        crate::test::runner_timeout("QOIMA_UI_TEST_TIMEOUT_MINUTES", 15),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn touch(path: &Path, at: SystemTime) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let file = std::fs::File::create(path).unwrap();
        file.set_modified(at).unwrap();
    }

    #[test]
    fn npm_ci_runs_when_node_modules_is_missing_or_stale() {
        let dir = crate::proc::TempDir::new("xtask-ui-selftest").unwrap();
        let ui = dir.path();
        let now = SystemTime::now();
        touch(&ui.join("package-lock.json"), now);
        assert!(needs_ci(ui), "no node_modules");
        touch(&ui.join("node_modules/.package-lock.json"), now - Duration::from_secs(60));
        assert!(needs_ci(ui), "node_modules older than the lock file");
        touch(&ui.join("node_modules/.package-lock.json"), now + Duration::from_secs(1));
        assert!(!needs_ci(ui), "node_modules up to date");
    }
}
