//! `cargo xtask bench`: qoima-cli against rclone and the aws CLI on the same
//! single-node Garage, for one big file and a tree of small files, both ways,
//! and for syncing a folder (see `sync`).
//!
//! Every tool runs as its own process; its wall time and peak RSS come from
//! `wait4` (the rusage of the process and the children it waited for). Runs
//! of the tools are interleaved so that noise on the machine spreads over all
//! of them. A download counts only when its files match the source byte for
//! byte; an upload only when the listing shows every object at its size.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::proc::{self, TempDir};
use crate::report::{Counts, Report};
use crate::{garage, install};

mod proxy;
mod sigv4;
mod sync;

/// What `cargo xtask bench` needs from apt: the rclone peer, and venv for
/// the pip fallback of the aws CLI.
pub const BENCH_APT: &[&str] = &["rclone", "python3-venv"];

/// Bucket all runs write into (each run under a prefix of its own).
const BUCKET: &str = "qoima-bench";
/// Where the big object the download workload reads lives (`REF_BIG/big.bin`).
const REF_BIG: &str = "ref-big";
/// Where the tree the download workload reads lives.
const REF_TREE: &str = "ref-tree";
/// A single tool run taking longer than this is stopped and counted as failed.
const RUN_TIMEOUT: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, PartialEq)]
pub struct Args {
    pub runs: u32,
    pub quick: bool,
}

impl Default for Args {
    fn default() -> Self {
        Self { runs: 3, quick: false }
    }
}

/// The amounts of data the workloads move.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Sizes {
    big: u64,
    files: usize,
    /// Files in the folder the sync workloads sync.
    sync_files: usize,
    /// Files written one by one while `qoima-cli sync --watch` runs.
    latency_files: usize,
}

impl Sizes {
    fn for_args(args: &Args) -> Self {
        if args.quick {
            Self { big: 256 << 20, files: 500, sync_files: 1000, latency_files: 10 }
        } else {
            Self { big: 1 << 30, files: 2000, sync_files: 10_000, latency_files: 50 }
        }
    }
}

const MIN_SMALL: u64 = 1 << 10;
const MAX_SMALL: u64 = 64 << 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Workload {
    UploadBig,
    DownloadBig,
    UploadTree,
    DownloadTree,
}

const WORKLOADS: [Workload; 4] =
    [Workload::UploadBig, Workload::DownloadBig, Workload::UploadTree, Workload::DownloadTree];

impl Workload {
    fn label(self, sizes: Sizes) -> String {
        match self {
            Self::UploadBig => format!("upload 1 file of {}", fmt_size(sizes.big)),
            Self::DownloadBig => format!("download 1 file of {}", fmt_size(sizes.big)),
            Self::UploadTree => format!("upload {} files of 1–64 KiB", sizes.files),
            Self::DownloadTree => format!("download {} files of 1–64 KiB", sizes.files),
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Self::UploadBig => "up-big",
            Self::DownloadBig => "down-big",
            Self::UploadTree => "up-tree",
            Self::DownloadTree => "down-tree",
        }
    }

    fn is_tree(self) -> bool {
        matches!(self, Self::UploadTree | Self::DownloadTree)
    }

    fn is_upload(self) -> bool {
        matches!(self, Self::UploadBig | Self::UploadTree)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Tool {
    Qoima,
    Rclone,
    RcloneTuned,
    Aws,
}

const TOOLS: [Tool; 4] = [Tool::Qoima, Tool::Rclone, Tool::RcloneTuned, Tool::Aws];

/// The rclone variant with more in flight.
const RCLONE_TUNED_FLAGS: &[&str] = &["--transfers", "16", "--s3-upload-concurrency", "8", "--s3-chunk-size", "16M"];

impl Tool {
    fn label(self) -> String {
        match self {
            Self::Qoima => "qoima-cli".into(),
            Self::Rclone => "rclone (defaults)".into(),
            Self::RcloneTuned => format!("rclone {}", RCLONE_TUNED_FLAGS.join(" ")),
            Self::Aws => "aws s3 cp".into(),
        }
    }

    /// The name in the comparison table.
    fn short(self) -> &'static str {
        match self {
            Self::Qoima => "qoima-cli",
            Self::Rclone => "rclone (defaults)",
            Self::RcloneTuned => "rclone (tuned)",
            Self::Aws => "aws s3 cp",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Self::Qoima => "qoima",
            Self::Rclone => "rclone",
            Self::RcloneTuned => "rclone-tuned",
            Self::Aws => "aws",
        }
    }
}

/// Everything a tool run needs to know.
#[derive(Clone)]
struct Ctx {
    endpoint: String,
    key_id: String,
    secret: String,
    qoima: PathBuf,
    aws: PathBuf,
    rclone: PathBuf,
    /// Holds the qoima data dir and the rclone and aws config paths (empty).
    home: PathBuf,
    big: PathBuf,
    tree: PathBuf,
    /// The folder the sync workloads sync.
    sync_tree: PathBuf,
    sizes: Sizes,
    qoima_has_recursive: bool,
}

impl Ctx {
    fn qoima(&self) -> Command {
        let mut cmd = Command::new(&self.qoima);
        clean_env(&mut cmd);
        cmd.env("QOIMA_SECRET_KEY", &self.secret)
            .env("QOIMA_DATA_DIR", self.home.join("qoima-data"))
            .args(["--endpoint", &self.endpoint, "--region", garage::REGION, "--access-key", &self.key_id])
            .args(["--provider", "garage"]);
        cmd
    }

    fn rclone(&self, tuned: bool) -> Command {
        let mut cmd = Command::new(&self.rclone);
        clean_env(&mut cmd);
        cmd.env("RCLONE_CONFIG", self.home.join("rclone.conf"))
            .env("RCLONE_CONFIG_GARAGE_TYPE", "s3")
            .env("RCLONE_CONFIG_GARAGE_PROVIDER", "Other")
            .env("RCLONE_CONFIG_GARAGE_ENDPOINT", &self.endpoint)
            .env("RCLONE_CONFIG_GARAGE_ACCESS_KEY_ID", &self.key_id)
            .env("RCLONE_CONFIG_GARAGE_SECRET_ACCESS_KEY", &self.secret)
            .env("RCLONE_CONFIG_GARAGE_REGION", garage::REGION)
            .env("RCLONE_CONFIG_GARAGE_FORCE_PATH_STYLE", "true");
        if tuned {
            cmd.args(RCLONE_TUNED_FLAGS);
        }
        cmd
    }

    fn aws(&self) -> Command {
        let mut cmd = Command::new(&self.aws);
        clean_env(&mut cmd);
        cmd.env("AWS_ACCESS_KEY_ID", &self.key_id)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret)
            .env("AWS_DEFAULT_REGION", garage::REGION)
            // Garage refuses aws-chunked bodies with trailing checksums.
            .env("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")
            .env("AWS_CONFIG_FILE", self.home.join("aws-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.home.join("aws-credentials"))
            .args(["--endpoint-url", &self.endpoint]);
        cmd
    }

    /// The command that does `workload` with `tool`; uploads go to `prefix`,
    /// downloads to `dest` (a file for the big object, a folder for the tree).
    fn command(&self, tool: Tool, workload: Workload, prefix: &str, dest: &Path) -> Command {
        let s3 = |key: &str| format!("s3://{BUCKET}/{key}");
        let remote = |key: &str| format!("garage:{BUCKET}/{key}");
        let big_key = format!("{prefix}/big.bin");
        let ref_big = format!("{REF_BIG}/big.bin");
        let ref_tree = REF_TREE;
        match tool {
            // qoima-cli's `cp` takes the aws CLI's arguments.
            Tool::Qoima | Tool::Aws => {
                let mut cmd = if tool == Tool::Qoima {
                    let mut cmd = self.qoima();
                    cmd.arg("cp");
                    cmd
                } else {
                    let mut cmd = self.aws();
                    cmd.args(["s3", "cp", "--only-show-errors"]);
                    cmd
                };
                match workload {
                    Workload::UploadBig => cmd.arg(&self.big).arg(s3(&big_key)),
                    Workload::DownloadBig => cmd.arg(s3(&ref_big)).arg(dest),
                    Workload::UploadTree => cmd.arg(&self.tree).arg(s3(&format!("{prefix}/"))).arg("--recursive"),
                    Workload::DownloadTree => cmd.arg(s3(&format!("{ref_tree}/"))).arg(dest).arg("--recursive"),
                };
                cmd
            }
            Tool::Rclone | Tool::RcloneTuned => {
                let mut cmd = self.rclone(tool == Tool::RcloneTuned);
                match workload {
                    Workload::UploadBig => cmd.arg("copyto").arg(&self.big).arg(remote(&big_key)),
                    Workload::DownloadBig => cmd.arg("copyto").arg(remote(&ref_big)).arg(dest),
                    Workload::UploadTree => cmd.arg("copy").arg(&self.tree).arg(remote(prefix)),
                    Workload::DownloadTree => cmd.arg("copy").arg(remote(ref_tree)).arg(dest),
                };
                cmd
            }
        }
    }

    /// The objects under `prefix/` with their sizes, from `aws s3 ls --recursive`.
    fn listing(&self, prefix: &str) -> Result<Vec<(String, u64)>> {
        let out = proc::output(self.aws().args(["s3", "ls", "--recursive", &format!("s3://{BUCKET}/{prefix}/")]))?;
        Ok(parse_aws_ls(&out))
    }

    /// Checks that an upload put every source file under `prefix` at its size.
    fn check_upload(&self, workload: Workload, prefix: &str) -> Result<()> {
        let expected: BTreeMap<String, u64> = if workload.is_tree() {
            tree_files(&self.tree)?.into_iter().map(|(rel, size)| (format!("{prefix}/{rel}"), size)).collect()
        } else {
            [(format!("{prefix}/big.bin"), self.sizes.big)].into_iter().collect()
        };
        self.check_listing(prefix, &expected)
    }

    /// Checks that the objects under `prefix/` are exactly `expected` (key → size).
    fn check_listing(&self, prefix: &str, expected: &BTreeMap<String, u64>) -> Result<()> {
        let listed: BTreeMap<String, u64> =
            self.listing(prefix)?.into_iter().filter(|(key, _)| !key.ends_with('/')).collect();
        if listed != *expected {
            let missing = expected.iter().filter(|(k, v)| listed.get(*k) != Some(v)).count();
            let extra = listed.keys().filter(|k| !expected.contains_key(*k)).count();
            bail!(
                "the bucket does not hold what was uploaded: {} objects listed, {} expected, {missing} missing or of another size, {extra} unexpected",
                listed.len(),
                expected.len()
            );
        }
        Ok(())
    }
}

/// The machine's AWS settings stay out of every tool.
fn clean_env(cmd: &mut Command) {
    for var in crate::AWS_VARS {
        cmd.env_remove(var);
    }
    for var in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL", "AWS_DEFAULT_PROFILE"] {
        cmd.env_remove(var);
    }
}

/// `aws s3 ls --recursive` lines: "2025-01-01 10:00:00      12345 some/key".
fn parse_aws_ls(out: &str) -> Vec<(String, u64)> {
    out.lines()
        .filter_map(|line| {
            let mut rest = line.trim_start();
            for _ in 0..2 {
                let (_, tail) = rest.split_once(char::is_whitespace)?;
                rest = tail.trim_start();
            }
            let (size, key) = rest.split_once(char::is_whitespace)?;
            Some((key.trim_start().to_owned(), size.parse().ok()?))
        })
        .collect()
}

/// What one tool run measured.
#[derive(Clone, Copy, Debug, Default)]
struct Sample {
    wall: Duration,
    max_rss_kib: u64,
    /// How long the disk then took to take what the run left in the page
    /// cache: a tool that syncs its files itself has paid that in `wall`.
    flush: Duration,
}

/// Writes everything waiting in the page cache to the disk; how long it took.
fn flush_to_disk() -> Duration {
    let start = Instant::now();
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc::sync() };
    start.elapsed()
}

#[derive(Debug)]
enum Outcome {
    Samples(Vec<Sample>),
    Failed(String),
    Unsupported,
}

pub fn main(args: Args) -> Result<i32> {
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let start = Instant::now();
    let sizes = Sizes::for_args(&args);
    let mut report = Report::default();

    let ready = report.step("apt packages", |note| install::apt(BENCH_APT, note)).is_some()
        && report.step("aws CLI", install_aws).is_some()
        && report.step(&format!("garage {}", install::GARAGE_VERSION), install::garage).is_some()
        && report.step("build cli (cargo build --release -p qoima-cli)", |_| build_release_cli()).is_some();
    if !ready {
        report.print_summary(start.elapsed());
        return Ok(1);
    }

    let tmp = TempDir::new("qoima-bench")?;
    let result = with_garage(&args, sizes, &tmp, &mut report);
    report.step("stop garage, remove temp dirs", |_| {
        drop(tmp);
        Ok(())
    });
    report.print_summary(start.elapsed());
    match result {
        Some(all_ok) => Ok(if all_ok && report.all_ok() { 0 } else { 1 }),
        None => Ok(1),
    }
}

/// Generates the data, starts Garage, runs every workload and writes the
/// results. `Some(true)` when every row was measured (or is not supported
/// yet); Garage stops when its handle drops here, also after a failure.
fn with_garage(args: &Args, sizes: Sizes, tmp: &TempDir, report: &mut Report) -> Option<bool> {
    let (big, tree, sync_tree, sync_total) = report.step("generate data", |note| {
        let big = tmp.path().join("big.bin");
        write_random_file(&big, sizes.big, 0x5eed_0001)?;
        let tree = tmp.subdir("tree")?;
        let total = write_tree(&tree, sizes.files, 0x5eed_0002)?;
        let sync_tree = tmp.subdir("sync-tree")?;
        let sync_total = write_tree(&sync_tree, sizes.sync_files, 0x5eed_0003)?;
        *note = format!(
            "{} file, {} files ({}), {} files to sync ({})",
            fmt_size(sizes.big),
            sizes.files,
            fmt_size(total),
            sizes.sync_files,
            fmt_size(sync_total)
        );
        Ok((big, tree, sync_tree, sync_total))
    })?;
    let garage = report.step("start garage", |note| {
        let g = garage::start(&tmp.subdir("garage")?)?;
        *note = g.endpoint();
        Ok(g)
    })?;
    let ctx = report.step("find the tools", |note| {
        let qoima = crate::target_dir().join("release/qoima-cli");
        let qoima_has_recursive = proc::output(Command::new(&qoima).args(["cp", "--help"]))
            .map(|help| help.contains("--recursive"))
            .unwrap_or(false);
        if !qoima_has_recursive {
            *note = "qoima-cli cp has no --recursive yet".into();
        }
        Ok(Ctx {
            endpoint: garage.endpoint(),
            key_id: garage.key_id.clone(),
            secret: garage.secret.clone(),
            qoima,
            aws: aws_bin().context("no aws CLI")?,
            rclone: proc::find_in_path("rclone").context("no rclone on PATH")?,
            home: tmp.subdir("home")?,
            big,
            tree,
            sync_tree,
            sizes,
            qoima_has_recursive,
        })
    })?;
    report.step("bucket and reference objects (aws s3 cp)", |_| {
        garage.create_bucket(BUCKET)?;
        proc::output(
            ctx.aws()
                .args(["s3", "cp", "--only-show-errors"])
                .arg(&ctx.big)
                .arg(format!("s3://{BUCKET}/{REF_BIG}/big.bin")),
        )?;
        proc::output(
            ctx.aws()
                .args(["s3", "cp", "--only-show-errors", "--recursive"])
                .arg(&ctx.tree)
                .arg(format!("s3://{BUCKET}/{REF_TREE}/")),
        )?;
        ctx.check_upload(Workload::UploadBig, REF_BIG).context("reference big file")?;
        ctx.check_upload(Workload::UploadTree, REF_TREE).context("reference tree")
    })?;

    let load_before = load_average();
    let results = report.step(&format!("workloads ({} runs each)", args.runs), |_| run_all(&ctx, args.runs, tmp))?;
    let proxy = report.step("start the counting proxy", |note| {
        let proxy = proxy::Proxy::start(garage_addr(&garage))?;
        *note = proxy.endpoint();
        Ok(proxy)
    })?;
    let sync_results = report
        .step(&format!("sync workloads ({} runs each)", args.runs), |_| sync::run_all(&ctx, &proxy, args.runs, tmp))?;
    let mut latency_error = String::new();
    let latency = report
        .step(&format!("latency while watching ({} files)", sizes.latency_files), |_| {
            sync::latency(&ctx, &proxy, tmp, sizes.latency_files).inspect_err(|err| latency_error = format!("{err:#}"))
        })
        .ok_or_else(|| first_line(&latency_error));
    let load = (load_before, load_average());
    let versions = tool_versions(&ctx);
    let huge = if args.quick { 1 << 30 } else { 5 << 30 };
    let memory = report.step(&format!("peak memory of a {} upload", fmt_size(huge)), |note| {
        let sample = huge_upload(&ctx, tmp, huge)?;
        *note = format!("{:.1} MiB", sample.max_rss_kib as f64 / 1024.0);
        Ok(sample)
    });
    let mut table = results_table(&results, sizes);
    if let Some(sample) = memory {
        table.push_str(&format!(
            "\nMemory: qoima-cli sending one {} file (sparse, so it needs no disk) peaked at {:.1} MiB RSS \
             and took {:.1} s.\n",
            fmt_size(huge),
            sample.max_rss_kib as f64 / 1024.0,
            sample.wall.as_secs_f64()
        ));
    }
    let sync_table = sync::tables(&sync_results, &latency, sizes.sync_files, sync_total, sizes.latency_files);
    println!("\n{table}\n{sync_table}");
    let sync_failed = sync_results.values().filter(|o| matches!(o, sync::SyncOutcome::Failed(_))).count() as u64
        + u64::from(latency.is_err());
    let sync_measured =
        sync_results.values().filter(|o| matches!(o, sync::SyncOutcome::Runs(r) if !r.is_empty())).count() as u64
            + u64::from(latency.is_ok());
    let failed = results.values().filter(|o| matches!(o, Outcome::Failed(_))).count() as u64 + sync_failed;
    let measured =
        results.values().filter(|o| matches!(o, Outcome::Samples(s) if !s.is_empty())).count() as u64 + sync_measured;
    // The closing line counts rows: measured ones pass, failed ones fail.
    report.add_counts(Counts { passed: measured, failed });
    let all_ok = failed == 0;
    report.step("write results", |note| {
        let file = if args.quick {
            crate::target_dir().join("bench/RESULTS-quick.md")
        } else {
            crate::root().join("bench/RESULTS.md")
        };
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let sync_section = format!("{}\n{sync_table}", sync::method_note(sizes.latency_files));
        std::fs::write(&file, results_file(args, sizes, &table, &sync_section, &versions, &load))
            .with_context(|| format!("writing {}", file.display()))?;
        *note = file.display().to_string();
        Ok(())
    });
    drop(proxy);
    drop(garage);
    let _ = std::fs::copy(tmp.path().join("garage/garage.log"), logs_dir().join("garage.log"));
    Some(all_ok)
}

/// qoima-cli sending one very large file: its memory must not grow with the
/// file's size (a 50 GB upload from a laptop).
fn huge_upload(ctx: &Ctx, tmp: &TempDir, size: u64) -> Result<Sample> {
    let huge = tmp.path().join("huge.bin");
    File::create(&huge)?.set_len(size)?;
    let mut cmd = ctx.qoima();
    cmd.arg("cp").arg(&huge).arg(format!("s3://{BUCKET}/memory/huge.bin"));
    let sample = timed(&mut cmd, &logs_dir().join("huge-upload.log"), RUN_TIMEOUT);
    let _ = std::fs::remove_file(&huge);
    sample
}

/// Runs every workload `runs` times for every tool, the tools interleaved.
fn run_all(ctx: &Ctx, runs: u32, tmp: &TempDir) -> Result<BTreeMap<(Workload, Tool), Outcome>> {
    let mut results: BTreeMap<(Workload, Tool), Outcome> = BTreeMap::new();
    let logs = logs_dir();
    let _ = std::fs::remove_dir_all(&logs);
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    for workload in WORKLOADS {
        for run in 1..=runs {
            for tool in TOOLS {
                proc::bail_if_interrupted()?;
                let entry = results.entry((workload, tool)).or_insert_with(|| Outcome::Samples(Vec::new()));
                let Outcome::Samples(samples) = entry else {
                    continue; // failed earlier: not timed again
                };
                let name = format!("{}-{}-{run}", workload.slug(), tool.slug());
                let prefix = format!("runs/{name}");
                let scratch = tmp.subdir(&format!("dl-{name}"))?;
                let dest = if workload.is_tree() { scratch.clone() } else { scratch.join("big.bin") };
                let mut cmd = ctx.command(tool, workload, &prefix, &dest);
                let log = logs.join(format!("{name}.log"));
                let measured = timed(&mut cmd, &log, RUN_TIMEOUT).and_then(|sample| {
                    if workload.is_upload() {
                        ctx.check_upload(workload, &prefix)?;
                    } else if workload.is_tree() {
                        same_tree(&ctx.tree, &dest)?;
                    } else {
                        same_file(&ctx.big, &dest)?;
                    }
                    Ok(sample)
                });
                let _ = std::fs::remove_dir_all(&scratch);
                match measured {
                    Ok(sample) => {
                        println!(
                            "  {:<31} {:<13} run {run}: {:>7.2} s  {:>6.1} MiB",
                            workload.label(ctx.sizes),
                            tool.slug(),
                            sample.wall.as_secs_f64(),
                            sample.max_rss_kib as f64 / 1024.0
                        );
                        samples.push(sample);
                    }
                    Err(err) => {
                        let why = format!("{err:#}");
                        println!("  {:<31} {:<13} run {run}: FAILED: {why}", workload.label(ctx.sizes), tool.slug());
                        *entry = if tool == Tool::Qoima && workload.is_tree() && !ctx.qoima_has_recursive {
                            Outcome::Unsupported
                        } else {
                            Outcome::Failed(first_line(&why))
                        };
                    }
                }
            }
        }
    }
    Ok(results)
}

/// Garage's S3 API as a socket address, for the proxy and the signed HEADs.
fn garage_addr(garage: &garage::Garage) -> std::net::SocketAddr {
    std::net::SocketAddr::from(([127, 0, 0, 1], garage.s3_port))
}

/// Where the tools' stderr of every run, and Garage's log, are kept for a
/// look afterwards.
fn logs_dir() -> PathBuf {
    crate::target_dir().join("bench/logs")
}

/// Runs `cmd` in a process group of its own, stdout discarded and stderr in
/// `log`, and returns its wall time and peak RSS (from `wait4`). Fails with
/// the end of the log when it exits non-zero, and stops it after `timeout`
/// or on Ctrl-C.
fn timed(cmd: &mut Command, log: &Path, timeout: Duration) -> Result<Sample> {
    proc::bail_if_interrupted()?;
    let err = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(err).process_group(0);
    // No run pays for the pages an earlier one left to write.
    flush_to_disk();
    let start = Instant::now();
    let child = cmd.spawn().with_context(|| format!("could not start `{}`", proc::describe(cmd)))?;
    let pid = child.id() as libc::pid_t;
    // The child is reaped below with wait4, never through `child`.
    drop(child);
    let mut stopped = None;
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: rusage is plain data; zeroed is a valid value.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if stopped.is_some() { 0 } else { libc::WNOHANG };
        // SAFETY: plain system call on our own child with valid out pointers.
        let r = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        let wall = start.elapsed();
        if r == pid {
            if let Some(why) = stopped {
                bail!("{why}");
            }
            if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
                let how = if libc::WIFEXITED(status) {
                    format!("exit status {}", libc::WEXITSTATUS(status))
                } else {
                    format!("signal {}", libc::WTERMSIG(status))
                };
                bail!("`{}` failed ({how}): {}", proc::describe(cmd), log_tail(log));
            }
            // ru_maxrss is in KiB on Linux.
            return Ok(Sample { wall, max_rss_kib: usage.ru_maxrss.max(0) as u64, flush: flush_to_disk() });
        }
        if r < 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err).context("wait4");
        }
        if stopped.is_none() && (proc::interrupted() || wall > timeout) {
            stopped = Some(if proc::interrupted() {
                "interrupted".to_owned()
            } else {
                format!("timed out after {}", proc::fmt_duration(timeout))
            });
            // SAFETY: plain system call; the child leads its own process group.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
            continue;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("");
    match line.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_owned(),
    }
}

/// `cargo build --release -p qoima-cli`.
fn build_release_cli() -> Result<()> {
    proc::run(crate::cargo().args(["build", "--release", "-p", "qoima-cli"]))?;
    let bin = crate::target_dir().join("release/qoima-cli");
    if !bin.exists() {
        bail!("the build finished but {} is missing", bin.display());
    }
    Ok(())
}

/// The venv the aws CLI goes into when neither PATH nor apt has it.
fn aws_venv() -> PathBuf {
    let cache =
        std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).unwrap_or_else(|| install::home_dir().join(".cache"));
    cache.join("qoima/awscli-venv")
}

/// The aws CLI: the one on PATH, else Debian's `awscli`, else pip's `awscli`
/// in a venv.
fn install_aws(note: &mut String) -> Result<()> {
    if let Some(aws) = aws_bin() {
        *note = format!("found {}", aws.display());
        return Ok(());
    }
    let mut apt_note = String::new();
    match install::apt(&["awscli"], &mut apt_note) {
        Ok(()) if aws_bin().is_some() => {
            *note = apt_note;
            return Ok(());
        }
        Ok(()) => println!("apt installed awscli but no `aws` is on PATH; trying pip"),
        Err(err) => println!("apt could not install awscli ({err:#}); trying pip"),
    }
    let venv = aws_venv();
    if !proc::is_executable(&venv.join("bin/pip")) {
        proc::run(Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv))?;
    }
    proc::run(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "awscli"])
            .env("PIP_NO_INPUT", "1"),
    )?;
    match aws_bin() {
        Some(aws) => {
            *note = format!("installed into {}", aws.display());
            Ok(())
        }
        None => bail!("pip installed awscli but {} is missing", venv.join("bin/aws").display()),
    }
}

/// The aws CLI to run: from PATH (a pyenv shim resolved to the program
/// behind it, so the shim's own start-up is not timed), or from the venv.
fn aws_bin() -> Option<PathBuf> {
    let Some(found) = proc::find_in_path("aws") else {
        let venv = aws_venv().join("bin/aws");
        return proc::is_executable(&venv).then_some(venv);
    };
    if found.components().any(|c| c.as_os_str() == "shims")
        && let Ok(real) = proc::output(Command::new("pyenv").args(["which", "aws"]))
    {
        let real = PathBuf::from(real.trim());
        if proc::is_executable(&real) {
            return Some(real);
        }
    }
    Some(found)
}

/// A deterministic byte stream (splitmix64), so every run moves the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let word = self.next().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn write_random_file(path: &Path, size: u64, seed: u64) -> Result<()> {
    let mut rng = Rng(seed);
    let mut out = BufWriter::new(File::create(path).with_context(|| format!("creating {}", path.display()))?);
    let mut buf = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        rng.fill(&mut buf[..n]);
        out.write_all(&buf[..n])?;
        left -= n as u64;
    }
    out.flush()?;
    Ok(())
}

/// Writes `count` files of 1–64 KiB into ten subfolders of `dir`; returns their total size.
fn write_tree(dir: &Path, count: usize, seed: u64) -> Result<u64> {
    let mut rng = Rng(seed);
    let mut total = 0;
    let mut buf = vec![0u8; MAX_SMALL as usize];
    for i in 0..count {
        let sub = dir.join(format!("d{:02}", i % 10));
        std::fs::create_dir_all(&sub)?;
        let size = rng.between(MIN_SMALL, MAX_SMALL) as usize;
        rng.fill(&mut buf[..size]);
        std::fs::write(sub.join(format!("f{i:05}.bin")), &buf[..size])?;
        total += size as u64;
    }
    Ok(total)
}

/// Every file under `dir` by its path relative to it ('/'-separated), with its size.
fn tree_files(dir: &Path) -> Result<BTreeMap<String, u64>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, u64>) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                walk(base, &path, out)?;
            } else {
                let rel = path.strip_prefix(base)?.to_string_lossy().into_owned();
                out.insert(rel, entry.metadata()?.len());
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// Fails unless `copy` has exactly the files of `source`, byte for byte.
fn same_tree(source: &Path, copy: &Path) -> Result<()> {
    let want = tree_files(source)?;
    let got = tree_files(copy)?;
    if want.keys().ne(got.keys()) {
        let missing = want.keys().filter(|k| !got.contains_key(*k)).count();
        let extra = got.keys().filter(|k| !want.contains_key(*k)).count();
        bail!("the downloaded tree has {} files: {missing} missing, {extra} unexpected", got.len());
    }
    for rel in want.keys() {
        same_file(&source.join(rel), &copy.join(rel))?;
    }
    Ok(())
}

/// Fails unless the two files are equal byte for byte.
fn same_file(a: &Path, b: &Path) -> Result<()> {
    let open = |p: &Path| File::open(p).with_context(|| format!("opening {}", p.display()));
    let (mut fa, mut fb) = (open(a)?, open(b)?);
    let (la, lb) = (fa.metadata()?.len(), fb.metadata()?.len());
    if la != lb {
        bail!("{} has {lb} bytes, the source {la}", b.display());
    }
    let mut ba = vec![0u8; 1 << 20];
    let mut bb = vec![0u8; 1 << 20];
    let mut offset = 0u64;
    loop {
        let n = read_full(&mut fa, &mut ba)?;
        let m = read_full(&mut fb, &mut bb)?;
        if n != m || ba[..n] != bb[..m] {
            bail!("{} differs from the source near byte {offset}", b.display());
        }
        if n == 0 {
            return Ok(());
        }
        offset += n as u64;
    }
}

fn read_full(f: &mut File, buf: &mut [u8]) -> Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match f.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn median(samples: &[Sample]) -> Duration {
    median_of(samples.iter().map(|s| s.wall).collect())
}

/// The median time until the run's files were on the disk.
fn median_on_disk(samples: &[Sample]) -> Duration {
    median_of(samples.iter().map(|s| s.wall + s.flush).collect())
}

fn median_of(mut walls: Vec<Duration>) -> Duration {
    walls.sort();
    let n = walls.len();
    if n % 2 == 1 { walls[n / 2] } else { (walls[n / 2 - 1] + walls[n / 2]) / 2 }
}

fn workload_bytes(workload: Workload, sizes: Sizes, tree_total: u64) -> u64 {
    if workload.is_tree() { tree_total } else { sizes.big }
}

/// The markdown tables: one row per workload and tool, then qoima against
/// the fastest peer for each workload.
fn results_table(results: &BTreeMap<(Workload, Tool), Outcome>, sizes: Sizes) -> String {
    // The tree's total size, recomputed from the same seed as `write_tree`.
    let tree_total = {
        let mut rng = Rng(0x5eed_0002);
        let mut total = 0;
        let mut buf = vec![0u8; MAX_SMALL as usize];
        for _ in 0..sizes.files {
            let size = rng.between(MIN_SMALL, MAX_SMALL);
            rng.fill(&mut buf[..size as usize]);
            total += size;
        }
        total
    };
    let mut out = String::from(
        "| workload | tool | median time | fastest–slowest | throughput | peak RSS | runs | median time until on disk |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut ratios = String::from(
        "| workload | qoima-cli | fastest peer | peer time / qoima time | the same until on disk |\n| --- | ---: | --- | ---: | ---: |\n",
    );
    for workload in WORKLOADS {
        let bytes = workload_bytes(workload, sizes, tree_total);
        for tool in TOOLS {
            let row = match results.get(&(workload, tool)) {
                Some(Outcome::Samples(samples)) if !samples.is_empty() => {
                    let med = median(samples);
                    let rss = samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0);
                    let fastest = samples.iter().map(|s| s.wall).min().unwrap_or_default();
                    let slowest = samples.iter().map(|s| s.wall).max().unwrap_or_default();
                    format!(
                        "{:.2} s | {:.2}–{:.2} s | {:.0} MB/s | {:.0} MiB | {} | {:.2} s",
                        med.as_secs_f64(),
                        fastest.as_secs_f64(),
                        slowest.as_secs_f64(),
                        bytes as f64 / 1e6 / med.as_secs_f64(),
                        rss as f64 / 1024.0,
                        samples.len(),
                        median_on_disk(samples).as_secs_f64()
                    )
                }
                Some(Outcome::Unsupported) => "not supported yet | | | | | ".into(),
                Some(Outcome::Failed(why)) => format!("failed: {} | | | | | ", why.replace('|', "\\|")),
                _ => "not run | | | | | ".into(),
            };
            out.push_str(&format!("| {} | {} | {row} |\n", workload.label(sizes), tool.label()));
        }
        let measured = |tool, of: fn(&[Sample]) -> Duration| match results.get(&(workload, tool)) {
            Some(Outcome::Samples(s)) if !s.is_empty() => Some(of(s)),
            _ => None,
        };
        let best_peer = |of| TOOLS[1..].iter().filter_map(|&t| measured(t, of).map(|d| (d, t))).min();
        let on_disk = match (measured(Tool::Qoima, median_on_disk), best_peer(median_on_disk)) {
            (Some(q), Some((p, tool))) => {
                format!(
                    "{:.2} ({} {:.2} s / {:.2} s)",
                    p.as_secs_f64() / q.as_secs_f64(),
                    tool.short(),
                    p.as_secs_f64(),
                    q.as_secs_f64()
                )
            }
            _ => "—".into(),
        };
        let ratio = match (measured(Tool::Qoima, median), best_peer(median)) {
            (Some(q), Some((p, tool))) => format!(
                "{:.2} s | {} ({:.2} s) | **{:.2}** | {on_disk}",
                q.as_secs_f64(),
                tool.short(),
                p.as_secs_f64(),
                p.as_secs_f64() / q.as_secs_f64()
            ),
            (None, Some((p, tool))) => format!("— | {} ({:.2} s) | — | —", tool.short(), p.as_secs_f64()),
            _ => "— | — | — | —".into(),
        };
        ratios.push_str(&format!("| {} | {ratio} |\n", workload.label(sizes)));
    }
    format!("{out}\n{ratios}")
}

fn tool_versions(ctx: &Ctx) -> Vec<(String, String)> {
    let first_line_of = |cmd: &mut Command| {
        cmd.stdin(Stdio::null())
            .output()
            .map(|o| {
                let text = if o.stdout.is_empty() { o.stderr } else { o.stdout };
                String::from_utf8_lossy(&text).lines().next().unwrap_or("?").trim().to_owned()
            })
            .unwrap_or_else(|e| format!("? ({e})"))
    };
    vec![
        ("qoima-cli".into(), first_line_of(Command::new(&ctx.qoima).arg("--version"))),
        ("rclone".into(), first_line_of(Command::new(&ctx.rclone).arg("version"))),
        ("aws".into(), first_line_of(ctx.aws().arg("--version"))),
        ("garage".into(), first_line_of(Command::new(install::garage_bin()).arg("--version"))),
    ]
}

/// CPU model, cores, memory and kernel, from /proc.
fn machine() -> Vec<(String, String)> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim().to_owned()))
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism().map(|n| n.get().to_string()).unwrap_or_else(|_| "?".into());
    let ram = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map(|kib| format!("{:.1} GiB", kib as f64 / (1 << 20) as f64))
        .unwrap_or_else(|| "?".into());
    let kernel = read("/proc/sys/kernel/osrelease").trim().to_owned();
    vec![("CPU".into(), cpu), ("cores".into(), cores), ("RAM".into(), ram), ("kernel".into(), kernel)]
}

/// The first three fields of /proc/loadavg.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

/// The checked-out commit, marked when the work tree has changes.
fn commit() -> String {
    let git = |args: &[&str]| proc::output(Command::new("git").current_dir(crate::root()).args(args));
    let head = git(&["rev-parse", "--short", "HEAD"]).map(|s| s.trim().to_owned()).unwrap_or_else(|_| "?".into());
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_ok_and(|s| !s.trim().is_empty());
    if dirty { format!("{head} (with uncommitted changes)") } else { head }
}

fn now_utc() -> String {
    proc::output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "?".into())
}

fn results_file(
    args: &Args,
    sizes: Sizes,
    table: &str,
    sync_section: &str,
    versions: &[(String, String)],
    load: &(String, String),
) -> String {
    let mut s = String::from("# `cargo xtask bench` results\n\n");
    s.push_str(&format!(
        "Written by `cargo xtask bench{}{}` on {}.\n\n",
        if args.quick { " --quick" } else { "" },
        if args.runs != 3 { format!(" --runs {}", args.runs) } else { String::new() },
        now_utc()
    ));
    s.push_str(&format!(
        "Each tool ran as its own process against the same single-node Garage on loopback, \
         {} runs per workload, the tools taking turns run by run. Times are medians of wall time; \
         throughput is the data moved ({} file, {} files of 1–64 KiB) over that median, in MB (10^6 bytes) per second; \
         peak RSS is the highest of the runs (from `wait4`). Every download was compared byte for byte with its \
         source and every upload checked in the bucket listing (key and size); a run that failed either is not timed \
         and marks its row failed. Downloads read objects put there once by `aws s3 cp`.\n\n\
         Each run starts with the page cache written out (`sync`), so no run pays for what an earlier one left, \
         and the `sync` right after it is timed as well: \"until on disk\" adds it to the run's time. qoima-cli \
         writes a downloaded file to the disk itself before renaming it into place, so that a power cut never \
         leaves a file that looks complete and is not; rclone and the aws CLI leave that to the kernel after \
         they exit, so for downloads their plain time leaves out the writing that qoima-cli's includes.\n\n",
        args.runs,
        fmt_size(sizes.big),
        sizes.files
    ));
    s.push_str(table);
    s.push_str(&format!(
        "\nIn the second table a ratio above 1 means qoima-cli was faster than the fastest peer; \
         \"rclone (tuned)\" is `{}`.\n\n## Sync\n\n{sync_section}\n## Machine\n\n",
        Tool::RcloneTuned.label()
    ));
    let extra = [
        ("commit".to_owned(), commit()),
        ("load average (1, 5, 15 min) before the workloads".to_owned(), load.0.clone()),
        ("load average after them".to_owned(), load.1.clone()),
    ];
    for (k, v) in machine().into_iter().chain(versions.iter().cloned()).chain(extra) {
        s.push_str(&format!("- {k}: {v}\n"));
    }
    s.push_str(
        "\nGarage (SQLite metadata, one node), the tools and the data all share this one machine and its disk, so the \
         numbers are for comparing the tools with each other here, not absolute speeds of any of them. \
         Other work may have run on the machine at the same time (see the load averages: the bench itself keeps \
         one to two of the 2 cores busy, so a load well above 2 means builds or tests were competing for the \
         CPU): treat differences of a few percent as noise and look at the fastest–slowest spread of a row.\n",
    );
    s
}

fn fmt_size(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else if bytes >= 1 << 20 {
        format!("{:.0} MiB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_ls_lines() {
        let out = "2025-01-01 10:00:00      12345 runs/a/d00/f00000.bin\n2025-01-01 10:00:01 1073741824 runs/a/big file.bin\n                           PRE junk/\n";
        assert_eq!(
            parse_aws_ls(out),
            vec![("runs/a/d00/f00000.bin".into(), 12345), ("runs/a/big file.bin".into(), 1 << 30)]
        );
    }

    #[test]
    fn median_of_odd_and_even() {
        let s = |secs: &[u64]| -> Vec<Sample> {
            secs.iter().map(|&x| Sample { wall: Duration::from_secs(x), ..Sample::default() }).collect()
        };
        assert_eq!(median(&s(&[3, 1, 2])), Duration::from_secs(2));
        assert_eq!(median(&s(&[4, 1, 2, 3])), Duration::from_millis(2500));
    }

    #[test]
    fn data_is_deterministic_and_checked() {
        let dir = TempDir::new("xtask-bench-selftest").unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        write_random_file(&a, 3 << 20 | 5, 7).unwrap();
        write_random_file(&b, 3 << 20 | 5, 7).unwrap();
        same_file(&a, &b).unwrap();
        write_random_file(&b, 3 << 20 | 5, 8).unwrap();
        assert!(same_file(&a, &b).is_err());

        let (t1, t2) = (dir.subdir("t1").unwrap(), dir.subdir("t2").unwrap());
        let total = write_tree(&t1, 25, 9).unwrap();
        write_tree(&t2, 25, 9).unwrap();
        same_tree(&t1, &t2).unwrap();
        let files = tree_files(&t1).unwrap();
        assert_eq!(files.len(), 25);
        assert_eq!(files.values().sum::<u64>(), total);
        assert!(files.values().all(|&n| (MIN_SMALL..=MAX_SMALL).contains(&n)));
        std::fs::remove_file(t2.join("d03/f00013.bin")).unwrap();
        assert!(same_tree(&t1, &t2).is_err());
    }

    #[test]
    fn timed_reports_rss_and_failures() {
        let dir = TempDir::new("xtask-bench-selftest").unwrap();
        let log = dir.path().join("log");
        let sample = timed(Command::new("sh").args(["-c", "sleep 0.1"]), &log, Duration::from_secs(10)).unwrap();
        assert!(sample.wall >= Duration::from_millis(100));
        assert!(sample.max_rss_kib > 0);
        let err = timed(Command::new("sh").args(["-c", "echo nope >&2; exit 3"]), &log, Duration::from_secs(10))
            .unwrap_err()
            .to_string();
        assert!(err.contains("exit status 3") && err.contains("nope"), "{err}");
        let err = timed(Command::new("sleep").arg("5"), &log, Duration::from_millis(200)).unwrap_err().to_string();
        assert!(err.contains("timed out"), "{err}");
    }

    #[test]
    fn table_has_ratio_and_failures() {
        let sizes = Sizes { big: 1 << 30, files: 10, sync_files: 10, latency_files: 10 };
        let sample = |secs, flush| {
            let flush = Duration::from_millis(flush);
            Outcome::Samples(vec![Sample { wall: Duration::from_secs(secs), max_rss_kib: 20480, flush }])
        };
        let mut results = BTreeMap::new();
        results.insert((Workload::UploadBig, Tool::Qoima), sample(2, 0));
        results.insert((Workload::UploadBig, Tool::Rclone), sample(8, 0));
        results.insert((Workload::UploadBig, Tool::Aws), sample(4, 0));
        results.insert((Workload::DownloadBig, Tool::Qoima), sample(2, 0));
        results.insert((Workload::DownloadBig, Tool::Rclone), sample(1, 1000));
        results.insert((Workload::UploadBig, Tool::RcloneTuned), Outcome::Failed("boom | bang".into()));
        results.insert((Workload::UploadTree, Tool::Qoima), Outcome::Unsupported);
        let table = results_table(&results, sizes);
        assert!(
            table.contains(
                "| upload 1 file of 1 GiB | qoima-cli | 2.00 s | 2.00–2.00 s | 537 MB/s | 20 MiB | 1 | 2.00 s |"
            ),
            "{table}"
        );
        assert!(table.contains("failed: boom \\| bang"), "{table}");
        assert!(
            table.contains(
                "| upload 1 file of 1 GiB | 2.00 s | aws s3 cp (4.00 s) | **2.00** | 2.00 (aws s3 cp 4.00 s / 2.00 s) |"
            ),
            "{table}"
        );
        let download = "| download 1 file of 1 GiB | 2.00 s | rclone (defaults) (1.00 s) | **0.50** | 1.00 (rclone (defaults) 2.00 s / 2.00 s) |";
        assert!(table.contains(download), "{table}");
        assert!(table.contains("| upload 10 files of 1–64 KiB | qoima-cli | not supported yet |"), "{table}");
    }
}
