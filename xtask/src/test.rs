//! `cargo xtask test`: install what is missing, build, start the servers, run
//! every test, stop the servers, print a summary.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::proc::{self, TempDir};
use crate::report::{Counts, Report};
use crate::{garage, install, moto, run, ui, xvfb};

#[derive(Debug, Default, PartialEq)]
pub struct Args {
    /// Passed to `cargo test` after `--workspace`.
    pub cargo_args: Vec<String>,
    pub skip_cargo: bool,
    pub skip_ui: bool,
}

/// Unlocks a throwaway GNOME keyring (its files in `$QOIMA_KEYRING_DIR`, not
/// the user's) on the private bus of `dbus-run-session`, then runs "$@".
const KEYRING_SCRIPT: &str = r#"
k="$QOIMA_KEYRING_DIR"
unset QOIMA_KEYRING_DIR
mkdir -p "$k/data" "$k/run" && chmod 700 "$k/run"
if ! printf %s qoima | XDG_DATA_HOME="$k/data" XDG_RUNTIME_DIR="$k/run" \
    gnome-keyring-daemon --unlock --components=secrets >/dev/null; then
  echo "xtask: warning: gnome-keyring-daemon did not start; keyring tests will fail" >&2
elif command -v dbus-send >/dev/null; then
  # Wait until the daemon owns the Secret Service name; asking the service
  # itself earlier would make the bus start a second daemon with the
  # user's own keyring files.
  i=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
    i=$((i + 1))
    if [ "$i" -ge 100 ]; then
      echo "xtask: warning: the Secret Service did not appear on the session bus" >&2
      break
    fi
    sleep 0.1
  done
fi
exec "$@"
"#;

pub fn main(args: Args) -> Result<i32> {
    let start = Instant::now();
    let mut report = Report::default();

    let installed = report
        .step("apt packages", |note| {
            let all: Vec<&str> = install::RUN_APT.iter().chain(install::TEST_APT).copied().collect();
            install::apt(&all, note)
        })
        .is_some()
        && [
            report.step("npm packages (ui)", ui::install).is_some(),
            report.step("moto (venv)", moto::install).is_some(),
            report.step("tauri-driver", install::tauri_driver).is_some(),
            report.step(&format!("garage {}", install::GARAGE_VERSION), install::garage).is_some(),
        ]
        .iter()
        .all(|ok| *ok);

    let built = installed
        && report.step("build ui (npm run build)", ui::build).is_some()
        && report.step("build app (cargo build -p qoima)", |_| run::build_app()).is_some()
        && report.step("build cli (cargo build -p qoima-cli)", |_| run::build_cli()).is_some();

    if built {
        run_with_servers(&args, &mut report);
    } else {
        report.fail("tests", "not run: an install or build step failed");
    }

    report.print_summary(start.elapsed());
    Ok(if report.all_ok() { 0 } else { 1 })
}

/// Starts the servers, runs the test steps, and stops the servers (also when
/// a step fails: every server stops when its handle drops).
fn run_with_servers(args: &Args, report: &mut Report) {
    let output = crate::target_dir().join("test-output");
    let tmp = match report.step("temp dir", |note| {
        let _ = std::fs::remove_dir_all(&output);
        std::fs::create_dir_all(&output).with_context(|| format!("creating {}", output.display()))?;
        let tmp = TempDir::new("qoima-test")?;
        *note = tmp.path().display().to_string();
        Ok(tmp)
    }) {
        Some(tmp) => tmp,
        None => return,
    };
    let garage = report.step("start garage", |note| {
        let g = garage::start(&tmp.subdir("garage")?)?;
        *note = format!("S3 {} admin {}", g.endpoint(), g.admin_endpoint());
        Ok(g)
    });
    let moto = report.step("start moto", |note| {
        let m = moto::start(tmp.path())?;
        *note = m.endpoint();
        Ok(m)
    });
    let x = report.step("start Xvfb", |note| {
        let x = xvfb::start(tmp.path())?;
        *note = x.display_env();
        Ok(x)
    });

    match (&garage, &moto, &x) {
        (Some(garage), Some(moto), Some(x)) => {
            let envs = test_env(garage, moto, x, &output);
            if !args.skip_cargo {
                report.test_step("cargo test --workspace", || cargo_test(&envs, &args.cargo_args, &tmp));
            }
            if !args.skip_ui {
                report.test_step("npm test (ui)", || ui::test(&envs));
            }
        }
        _ => report.fail("tests", "not run: a server did not start"),
    }

    // Keep the server logs next to the test output, for a look after a failure.
    let logs = output.join("server-logs");
    let _ = std::fs::create_dir_all(&logs);
    for name in ["garage/garage.log", "moto.log"] {
        let from = tmp.path().join(name);
        if from.exists() {
            let _ = std::fs::copy(&from, logs.join(Path::new(name).file_name().unwrap()));
        }
    }

    report.step("stop servers", |_| {
        drop(x);
        drop(moto);
        drop(garage);
        drop(tmp);
        Ok(())
    });
}

fn test_env(garage: &garage::Garage, moto: &moto::Moto, x: &xvfb::Xvfb, output: &Path) -> Vec<(String, String)> {
    let driver: PathBuf = install::tauri_driver_bin();
    [
        ("QOIMA_TEST_GARAGE_ENDPOINT", garage.endpoint()),
        ("QOIMA_TEST_GARAGE_REGION", garage::REGION.to_owned()),
        ("QOIMA_TEST_GARAGE_KEY_ID", garage.key_id.clone()),
        ("QOIMA_TEST_GARAGE_SECRET", garage.secret.clone()),
        ("QOIMA_TEST_GARAGE_LIMITED_KEY_ID", garage.limited_key_id.clone()),
        ("QOIMA_TEST_GARAGE_LIMITED_SECRET", garage.limited_secret.clone()),
        ("QOIMA_TEST_GARAGE_WRITE_ONLY_BUCKET", garage::WRITE_ONLY_BUCKET.to_owned()),
        ("QOIMA_TEST_GARAGE_ADMIN", garage.admin_endpoint()),
        ("QOIMA_TEST_GARAGE_ADMIN_TOKEN", garage.admin_token.clone()),
        ("QOIMA_TEST_GARAGE_BIN", install::garage_bin().display().to_string()),
        ("QOIMA_TEST_MOTO_ENDPOINT", moto.endpoint()),
        ("QOIMA_TEST_APP", run::app_bin().display().to_string()),
        ("QOIMA_TEST_TAURI_DRIVER", driver.display().to_string()),
        ("QOIMA_TEST_OUTPUT", output.display().to_string()),
        ("DISPLAY", x.display_env()),
        ("GDK_BACKEND", "x11".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Applies the test environment: the variables above, without the machine's
/// AWS settings or a Wayland display.
pub fn apply_env(cmd: &mut Command, envs: &[(String, String)]) {
    for var in crate::AWS_VARS {
        cmd.env_remove(var);
    }
    cmd.env_remove("WAYLAND_DISPLAY");
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        cmd.env("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    cmd.envs(envs.iter().map(|(k, v)| (k, v)));
}

/// `cargo test --workspace` inside a D-Bus session with an unlocked Secret Service.
fn cargo_test(envs: &[(String, String)], extra: &[String], tmp: &TempDir) -> Result<(bool, Counts)> {
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", KEYRING_SCRIPT, "sh"])
        .arg(crate::cargo().get_program())
        .args(["test", "--workspace", "--no-fail-fast"])
        .args(extra)
        .env("QOIMA_KEYRING_DIR", tmp.path().join("keyring"))
        .env("XDG_RUNTIME_DIR", run::private_runtime_dir(tmp)?);
    crate::strip_cargo_run_env(&mut cmd);
    apply_env(&mut cmd, envs);
    run_counting(&mut cmd, crate::report::parse_libtest_line, runner_timeout("QOIMA_CARGO_TEST_TIMEOUT_MINUTES", 40))
}

/// Runs a test runner, echoing its stdout line by line and adding up the
/// counts `parse` finds in it. Returns whether it exited 0. The runner gets a
/// process group of its own, stopped as a whole after `timeout` or when the
/// user presses Ctrl-C, so that a hung test cannot keep the servers up.
pub fn run_counting(cmd: &mut Command, parse: fn(&str) -> Option<Counts>, timeout: Duration) -> Result<(bool, Counts)> {
    proc::bail_if_interrupted()?;
    println!("$ {}", shown(cmd));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .process_group(0)
        .spawn()
        .with_context(|| format!("could not start `{}`", proc::describe(cmd)))?;
    let stdout = child.stdout.take().expect("piped");
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut counts = Counts::default();
        let mut reader = BufReader::new(stdout);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(&line);
            let _ = out.flush();
            if let Some(c) = parse(&String::from_utf8_lossy(&line)) {
                counts += c;
            }
            line.clear();
        }
        let _ = done_tx.send(counts);
    });

    let start = Instant::now();
    let mut stopped_why = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if stopped_why.is_none() && (proc::interrupted() || start.elapsed() > timeout) {
            let why = if proc::interrupted() {
                "interrupted".to_owned()
            } else {
                format!("timed out after {}", proc::fmt_duration(timeout))
            };
            eprintln!("xtask: {why}: stopping `{}`", shown(cmd));
            stopped_why = Some(why);
            break proc::stop_group(&mut child);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    // The reader ends when the last writer closes the pipe; a stray daemon
    // that inherited it must not hold up the summary.
    let counts = done_rx.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
    if let Some(why) = stopped_why {
        bail!("{why} ({} passed, {} failed)", counts.passed, counts.failed);
    }
    Ok((status.success(), counts))
}

/// The command as shown to the user: the keyring wrapper script is long, so
/// it stands as `<unlock keyring>`.
fn shown(cmd: &Command) -> String {
    proc::describe(cmd).replace(KEYRING_SCRIPT, "'<unlock a throwaway keyring>'")
}

/// The time a runner may take, from `env` in minutes or `default`.
pub fn runner_timeout(env: &str, default_minutes: u64) -> Duration {
    let minutes = std::env::var(env).ok().and_then(|v| v.parse().ok()).unwrap_or(default_minutes);
    Duration::from_secs(minutes * 60)
}
