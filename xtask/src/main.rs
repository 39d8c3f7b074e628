//! Project tasks for Qoima.
//!
//! - `cargo xtask run [--screenshot FILE] [--fresh]`
//! - `cargo xtask test [--no-cargo] [--no-ui] [-- CARGO_TEST_ARGS…]`
//! - `cargo xtask bench [--runs N] [--quick]`
//! - `cargo xtask bundle`

mod bench;
mod bundle;
mod garage;
mod install;
mod moto;
mod proc;
mod report;
mod run;
mod test;
mod ui;
mod xvfb;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use anyhow::{Result, bail};

/// AWS settings of the machine that must not reach tools pointed at
/// plain-HTTP loopback servers.
pub const AWS_VARS: &[&str] = &[
    "AWS_CA_BUNDLE",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
];

const USAGE: &str = "\
usage:
  cargo xtask run [--screenshot FILE] [--fresh]
      Install what is missing, build the UI and the app, and open the window.
      --screenshot FILE  run on a virtual display (Xvfb), wait for the first
                         screen, save a PNG of it to FILE and exit
      --fresh            start with an empty data dir (no saved accounts)

  cargo xtask test [--no-cargo] [--no-ui] [-- ARGS…]
      Install what is missing (apt, npm, Garage, moto, tauri-driver), build,
      start Garage, moto and Xvfb, run `cargo test --workspace` and the UI's
      tests, stop the servers and print a summary.
      ARGS after `--` go to `cargo test` (e.g. a test name filter).
      --no-cargo / --no-ui  skip that test runner

  cargo xtask bench [--runs N] [--quick]
      Install what is missing (rclone, the aws CLI, Garage), build qoima-cli
      in release mode, start Garage, and time qoima-cli, rclone and
      `aws s3 cp` moving one big file and a tree of small files both ways,
      then folder sync (initial and idle, with request counts, against
      `rclone copy|sync` and `aws s3 sync`) and the latency of
      `qoima-cli sync --watch` from a file written to the object visible.
      Prints tables and writes them to bench/RESULTS.md.
      --runs N   runs per workload and tool (default 3)
      --quick    256 MiB, 500 files, a sync folder of 1,000 files and 10
                 latency samples instead of 1 GiB, 2,000, 10,000 and 50;
                 the tables go to target/bench/RESULTS-quick.md

  cargo xtask bundle
      Build the release .deb with the Tauri bundler (target/release/bundle/deb/),
      then check it in a clean Debian 12 made with debootstrap under
      target/bundle/ (run as root; the base is cached in ~/.cache/qoima/):
      `apt-get install ./Qoima_….deb` pulls only what its Depends lead to,
      ldd finds every library, and the app draws its first screen under Xvfb
      (saved to target/bundle/first-screen.png). Not part of `test`.
";

#[derive(Debug, PartialEq)]
enum Task {
    Run(run::Args),
    Test(test::Args),
    Bench(bench::Args),
    Bundle,
    Help,
}

fn parse_args(args: &[String]) -> Result<Task> {
    let Some((task, rest)) = args.split_first() else {
        return Ok(Task::Help);
    };
    match task.as_str() {
        "run" => {
            let mut out = run::Args::default();
            let mut it = rest.iter();
            while let Some(arg) = it.next() {
                match arg.as_str() {
                    "--screenshot" => match it.next() {
                        Some(file) if !file.starts_with("--") => out.screenshot = Some(file.into()),
                        _ => bail!("--screenshot needs a file name"),
                    },
                    s if s.starts_with("--screenshot=") => {
                        out.screenshot = Some(s["--screenshot=".len()..].into());
                    }
                    "--fresh" => out.fresh = true,
                    "-h" | "--help" => return Ok(Task::Help),
                    other => bail!("unknown argument to run: {other}"),
                }
            }
            Ok(Task::Run(out))
        }
        "test" => {
            let mut out = test::Args::default();
            let mut it = rest.iter();
            while let Some(arg) = it.next() {
                match arg.as_str() {
                    "--" => {
                        out.cargo_args.extend(it.by_ref().cloned());
                    }
                    "--no-cargo" => out.skip_cargo = true,
                    "--no-ui" => out.skip_ui = true,
                    "-h" | "--help" => return Ok(Task::Help),
                    other => bail!("unknown argument to test: {other} (arguments for cargo test go after `--`)"),
                }
            }
            Ok(Task::Test(out))
        }
        "bench" => {
            let mut out = bench::Args::default();
            let mut it = rest.iter();
            while let Some(arg) = it.next() {
                let runs = match arg.as_str() {
                    "--runs" => it.next().map(String::as_str),
                    s if s.starts_with("--runs=") => Some(&s["--runs=".len()..]),
                    "--quick" => {
                        out.quick = true;
                        continue;
                    }
                    "-h" | "--help" => return Ok(Task::Help),
                    other => bail!("unknown argument to bench: {other}"),
                };
                match runs.and_then(|n| n.parse::<u32>().ok()) {
                    Some(n) if n > 0 => out.runs = n,
                    _ => bail!("--runs needs a number of at least 1"),
                }
            }
            Ok(Task::Bench(out))
        }
        "bundle" => match rest.first().map(String::as_str) {
            None => Ok(Task::Bundle),
            Some("-h" | "--help") => Ok(Task::Help),
            Some(other) => bail!("unknown argument to bundle: {other}"),
        },
        "-h" | "--help" | "help" => Ok(Task::Help),
        other => bail!("unknown task: {other}"),
    }
}

/// The repository root (the parent of xtask/).
pub fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// Cargo's target dir: `$CARGO_TARGET_DIR` or `target/` in the root.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// A `cargo` command (the same cargo that runs this task), run from the root.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    strip_cargo_run_env(&mut cmd);
    cmd
}

/// Removes what `cargo run` set for this package, so it cannot leak into
/// the builds and tests of other packages.
pub fn strip_cargo_run_env(cmd: &mut Command) {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_MANIFEST_")
            || matches!(key.as_ref(), "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE")
        {
            cmd.env_remove(key.as_ref());
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = match parse_args(&args) {
        Ok(task) => task,
        Err(err) => {
            eprintln!("xtask: {err}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    proc::catch_interrupts();
    let result = match task {
        Task::Help => {
            print!("{USAGE}");
            Ok(0)
        }
        Task::Run(args) => run::main(args),
        Task::Test(args) => test::main(args),
        Task::Bench(args) => bench::main(args),
        Task::Bundle => bundle::main(),
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Task> {
        parse_args(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn run_args() {
        assert_eq!(parse(&["run"]).unwrap(), Task::Run(run::Args::default()));
        assert_eq!(
            parse(&["run", "--screenshot", "shot.png", "--fresh"]).unwrap(),
            Task::Run(run::Args { screenshot: Some("shot.png".into()), fresh: true })
        );
        assert_eq!(
            parse(&["run", "--screenshot=a.png"]).unwrap(),
            Task::Run(run::Args { screenshot: Some("a.png".into()), fresh: false })
        );
        assert!(parse(&["run", "--screenshot"]).is_err());
        assert!(parse(&["run", "--bogus"]).is_err());
    }

    #[test]
    fn test_args() {
        assert_eq!(parse(&["test"]).unwrap(), Task::Test(test::Args::default()));
        assert_eq!(
            parse(&["test", "--no-ui", "--", "engine", "--", "--nocapture"]).unwrap(),
            Task::Test(test::Args {
                cargo_args: vec!["engine".into(), "--".into(), "--nocapture".into()],
                skip_cargo: false,
                skip_ui: true,
            })
        );
        assert!(parse(&["test", "filter"]).is_err());
    }

    #[test]
    fn bench_args() {
        assert_eq!(parse(&["bench"]).unwrap(), Task::Bench(bench::Args { runs: 3, quick: false }));
        assert_eq!(
            parse(&["bench", "--quick", "--runs", "5"]).unwrap(),
            Task::Bench(bench::Args { runs: 5, quick: true })
        );
        assert_eq!(parse(&["bench", "--runs=1"]).unwrap(), Task::Bench(bench::Args { runs: 1, quick: false }));
        assert!(parse(&["bench", "--runs"]).is_err());
        assert!(parse(&["bench", "--runs", "0"]).is_err());
        assert!(parse(&["bench", "--bogus"]).is_err());
    }

    #[test]
    fn bundle_args() {
        assert_eq!(parse(&["bundle"]).unwrap(), Task::Bundle);
        assert_eq!(parse(&["bundle", "--help"]).unwrap(), Task::Help);
        assert!(parse(&["bundle", "--bogus"]).is_err());
        assert!(USAGE.contains("cargo xtask bundle"));
    }

    #[test]
    fn no_args_is_help() {
        assert_eq!(parse(&[]).unwrap(), Task::Help);
        assert!(parse(&["bogus"]).is_err());
    }
}
