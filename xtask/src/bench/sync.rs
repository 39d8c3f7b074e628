//! The sync workloads of `cargo xtask bench`: an initial sync of a folder of
//! small files, an idle re-sync of that folder with nothing changed (time and
//! S3 requests), and the latency from a file written to its object visible
//! while `qoima-cli sync --watch` runs.
//!
//! The sync tools reach Garage through the counting proxy in both
//! workloads: qoima-cli keys its sync index by the endpoint, so its re-sync
//! must use the address of its initial sync to find the index, and every
//! tool takes the same path so the comparison stays fair.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::proxy::{Proxy, Requests};
use super::sigv4::{self, Credentials};
use super::{BUCKET, Ctx, RUN_TIMEOUT, Rng, Sample, TOOLS, Tool, first_line, fmt_size, logs_dir, median, timed};
use crate::garage;
use crate::proc::{self, TempDir};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum SyncWorkload {
    Initial,
    Idle,
}

const SYNC_WORKLOADS: [SyncWorkload; 2] = [SyncWorkload::Initial, SyncWorkload::Idle];

impl SyncWorkload {
    fn label(self, files: usize, bytes: u64) -> String {
        match self {
            Self::Initial => {
                format!("initial sync of {} files of 1–64 KiB ({})", thousands(files as u64), fmt_size(bytes))
            }
            Self::Idle => format!("idle re-sync of those {} files, nothing changed", thousands(files as u64)),
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Self::Initial => "sync-initial",
            Self::Idle => "sync-idle",
        }
    }
}

/// The command line of `tool` for `workload`, as the table shows it.
fn tool_label(tool: Tool, workload: SyncWorkload) -> String {
    let rclone = if workload == SyncWorkload::Initial { "rclone copy" } else { "rclone sync" };
    match tool {
        Tool::Qoima => "qoima-cli sync".into(),
        Tool::Rclone => format!("{rclone} (defaults)"),
        Tool::RcloneTuned => format!("{rclone} {}", super::RCLONE_TUNED_FLAGS.join(" ")),
        Tool::Aws => "aws s3 sync".into(),
    }
}

fn tool_short(tool: Tool, workload: SyncWorkload) -> String {
    match tool {
        Tool::RcloneTuned => tool_label(Tool::Rclone, workload).replace("defaults", "tuned"),
        _ => tool_label(tool, workload),
    }
}

/// What one sync run measured.
#[derive(Debug)]
pub(super) struct SyncRun {
    sample: Sample,
    requests: Requests,
}

#[derive(Debug)]
pub(super) enum SyncOutcome {
    Runs(Vec<SyncRun>),
    Failed(String),
}

pub(super) type SyncResults = BTreeMap<(SyncWorkload, Tool), SyncOutcome>;

/// The latency from a file written to its object visible, while watching.
#[derive(Debug)]
pub(super) struct Latency {
    samples: Vec<Duration>,
    /// The watcher's peak RSS (`VmHWM`) when the last file was visible.
    watcher_rss_kib: u64,
    /// What the watcher asked of the storage while the files were written.
    requests: Requests,
}

/// The command that does `workload` with `tool` over the sync folder into
/// `prefix`; qoima-cli keeps its pair and index in `data_dir`.
fn command(ctx: &Ctx, tool: Tool, workload: SyncWorkload, prefix: &str, data_dir: &Path) -> Command {
    let s3 = format!("s3://{BUCKET}/{prefix}");
    match tool {
        Tool::Qoima => {
            let mut cmd = ctx.qoima();
            cmd.env("QOIMA_DATA_DIR", data_dir).arg("sync").arg(&ctx.sync_tree).arg(s3).args(["--mode", "backup"]);
            cmd
        }
        Tool::Rclone | Tool::RcloneTuned => {
            // `copy` never deletes, like a backup; the re-sync is the issue's `rclone sync`.
            let verb = if workload == SyncWorkload::Initial { "copy" } else { "sync" };
            let mut cmd = ctx.rclone(tool == Tool::RcloneTuned);
            cmd.arg(verb).arg(&ctx.sync_tree).arg(format!("garage:{BUCKET}/{prefix}"));
            cmd
        }
        Tool::Aws => {
            let mut cmd = ctx.aws();
            cmd.args(["s3", "sync", "--only-show-errors"]).arg(&ctx.sync_tree).arg(s3);
            cmd
        }
    }
}

/// Every tool, `runs` times each, interleaved: an initial sync into a fresh
/// prefix (checked in the listing), then right away the idle re-sync of it.
pub(super) fn run_all(ctx: &Ctx, proxy: &Proxy, runs: u32, tmp: &TempDir) -> Result<SyncResults> {
    let via_proxy = Ctx { endpoint: proxy.endpoint(), ..ctx.clone() };
    let files = super::tree_files(&ctx.sync_tree)?;
    let mut results = SyncResults::new();
    for run in 1..=runs {
        for tool in TOOLS {
            let name = format!("{}-{run}", tool.slug());
            let prefix = format!("runs/sync-{name}");
            let expected: BTreeMap<String, u64> =
                files.iter().map(|(rel, size)| (format!("{prefix}/{rel}"), *size)).collect();
            // A fresh data dir per run, like a first start of the app; the
            // re-sync shares it with its initial sync.
            let data_dir = tmp.subdir(&format!("qoima-data-sync-{name}"))?;
            let mut initial_ok = false;
            for workload in SYNC_WORKLOADS {
                proc::bail_if_interrupted()?;
                if workload == SyncWorkload::Idle && !initial_ok {
                    continue;
                }
                let entry = results.entry((workload, tool)).or_insert_with(|| SyncOutcome::Runs(Vec::new()));
                let SyncOutcome::Runs(done) = entry else {
                    continue; // failed earlier: not timed again
                };
                let log = logs_dir().join(format!("{}-{name}.log", workload.slug()));
                let mut cmd = command(&via_proxy, tool, workload, &prefix, &data_dir);
                match measure(ctx, proxy, &mut cmd, workload, &prefix, &expected, &log) {
                    Ok(measured) => {
                        println!(
                            "  {:<13} {:<13} run {run}: {:>7.2} s  {:>6.1} MiB  {:>7} requests",
                            workload.slug(),
                            tool.slug(),
                            measured.sample.wall.as_secs_f64(),
                            measured.sample.max_rss_kib as f64 / 1024.0,
                            measured.requests.total()
                        );
                        initial_ok = true;
                        done.push(measured);
                    }
                    Err(err) => {
                        let why = format!("{err:#}");
                        println!("  {:<13} {:<13} run {run}: FAILED: {why}", workload.slug(), tool.slug());
                        *entry = SyncOutcome::Failed(first_line(&why));
                    }
                }
            }
        }
    }
    // A re-sync never measured because every initial sync before it failed.
    for tool in TOOLS {
        if let Some(SyncOutcome::Runs(done)) = results.get(&(SyncWorkload::Idle, tool))
            && !done.is_empty()
        {
            continue;
        }
        results.insert((SyncWorkload::Idle, tool), SyncOutcome::Failed("its initial sync failed".into()));
    }
    Ok(results)
}

/// Times one sync and counts its requests; an initial sync must leave every
/// file in the listing at its size, and a re-sync that wrote anything is
/// checked again.
fn measure(
    ctx: &Ctx,
    proxy: &Proxy,
    cmd: &mut Command,
    workload: SyncWorkload,
    prefix: &str,
    expected: &BTreeMap<String, u64>,
    log: &Path,
) -> Result<SyncRun> {
    proxy.take(); // whatever came before is not this run's
    let sample = timed(cmd, log, RUN_TIMEOUT)?;
    let requests = proxy.take();
    if workload == SyncWorkload::Initial || requests.writes() > 0 {
        // Listed directly from Garage, so the check is not counted.
        ctx.check_listing(prefix, expected)?;
    }
    Ok(SyncRun { sample, requests })
}

/// Garage's S3 address, for the HEADs that bypass the proxy.
fn socket_addr(endpoint: &str) -> Result<SocketAddr> {
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    host.parse().with_context(|| format!("{endpoint} is not http://IP:PORT"))
}

/// `qoima-cli sync --watch` in the background; stopped (SIGTERM, then
/// SIGKILL) when dropped.
struct Watcher(Child);

impl Watcher {
    fn start(cmd: &mut Command, log: &Path) -> Result<Self> {
        let err = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(err).process_group(0);
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                // The watcher must not outlive xtask if xtask is killed.
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        Ok(Self(cmd.spawn().with_context(|| format!("could not start `{}`", proc::describe(cmd)))?))
    }

    fn check_alive(&mut self, log: &Path) -> Result<()> {
        if let Some(status) = self.0.try_wait()? {
            bail!("qoima-cli sync --watch exited ({status}): {}", super::log_tail(log));
        }
        Ok(())
    }

    /// The peak resident set so far, from /proc.
    fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.0.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        proc::stop_group(&mut self.0);
    }
}

/// The files the latency workload writes, and the pace.
const LATENCY_FILE_SIZE: usize = 4 << 10;
const LATENCY_PACE: Duration = Duration::from_millis(500);
/// How often the storage is asked whether a file has arrived.
const POLL: Duration = Duration::from_millis(50);
/// A file not visible this long after it was written counts as lost.
const LATENCY_TIMEOUT: Duration = Duration::from_secs(60);

/// Starts the watcher on an empty folder, writes `count` files into it one
/// by one, and times each until a signed HEAD straight to Garage finds it
/// at its size.
pub(super) fn latency(ctx: &Ctx, proxy: &Proxy, tmp: &TempDir, count: usize) -> Result<Latency> {
    let garage_addr = socket_addr(&ctx.endpoint)?;
    let dir = tmp.subdir("watch-dir")?;
    let prefix = "runs/sync-watch";
    let log = logs_dir().join("sync-watch.log");
    let mut cmd = Ctx { endpoint: proxy.endpoint(), ..ctx.clone() }.qoima();
    cmd.env("QOIMA_DATA_DIR", tmp.subdir("qoima-data-watch")?)
        .arg("sync")
        .arg(&dir)
        .arg(format!("s3://{BUCKET}/{prefix}"))
        .args(["--mode", "backup", "--watch"]);
    let mut watcher = Watcher::start(&mut cmd, &log)?;
    proc::wait_for("qoima-cli sync --watch to report watching", Duration::from_secs(60), || {
        watcher.check_alive(&log)?;
        Ok(std::fs::read_to_string(&log).unwrap_or_default().contains("qoima-cli: watching").then_some(()))
    })?;
    proxy.take(); // from here on, what watching the writes costs

    let creds = Credentials { key_id: &ctx.key_id, secret: &ctx.secret, region: garage::REGION };
    let pending: Mutex<Vec<(String, Instant)>> = Mutex::default();
    let writing = AtomicBool::new(true);
    let samples = std::thread::scope(|scope| {
        let poller = scope.spawn(|| poll_until_visible(garage_addr, &creds, &pending, &writing));
        let written = write_paced(&dir, prefix, count, &pending);
        writing.store(false, Ordering::SeqCst);
        let samples = poller.join().expect("the poller does not panic");
        written.and(samples)
    });
    // A watcher that died explains missing files better than a timeout does.
    watcher.check_alive(&log)?;
    let samples = samples?;
    let watcher_rss_kib = watcher.peak_rss_kib();
    let requests = proxy.take();
    drop(watcher);
    Ok(Latency { samples, watcher_rss_kib, requests })
}

/// Writes `count` files of 4 KiB into `dir`, one every [`LATENCY_PACE`],
/// each handed to the poller with the instant it was closed.
fn write_paced(dir: &Path, prefix: &str, count: usize, pending: &Mutex<Vec<(String, Instant)>>) -> Result<()> {
    let mut rng = Rng(0x5eed_0004);
    let mut buf = vec![0u8; LATENCY_FILE_SIZE];
    let start = Instant::now();
    for i in 0..count {
        proc::bail_if_interrupted()?;
        let due = start + LATENCY_PACE * i as u32;
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
        rng.fill(&mut buf);
        let name = format!("f{i:03}.bin");
        // `fs::write` creates, writes and closes: the clock starts after the close.
        std::fs::write(dir.join(&name), &buf).with_context(|| format!("writing {name}"))?;
        let written = Instant::now();
        pending.lock().unwrap().push((format!("{prefix}/{name}"), written));
    }
    Ok(())
}

/// Asks Garage about every file still pending, every [`POLL`], until the
/// writer is done and nothing is pending. A file's latency runs from its
/// close to the sending of the HEAD that found it.
fn poll_until_visible(
    addr: SocketAddr,
    creds: &Credentials,
    pending: &Mutex<Vec<(String, Instant)>>,
    writing: &AtomicBool,
) -> Result<Vec<Duration>> {
    let mut samples = Vec::new();
    loop {
        let tick = Instant::now();
        let still_writing = writing.load(Ordering::SeqCst);
        let waiting: Vec<(String, Instant)> = pending.lock().unwrap().clone();
        if waiting.is_empty() && !still_writing {
            return Ok(samples);
        }
        for (key, written) in waiting {
            let asked = Instant::now();
            let answer = sigv4::head(addr, creds, BUCKET, &key)?;
            if sigv4::is_present(answer, LATENCY_FILE_SIZE as u64).with_context(|| format!("HEAD {key}"))? {
                samples.push(asked.duration_since(written));
                pending.lock().unwrap().retain(|(k, _)| *k != key);
            } else if written.elapsed() > LATENCY_TIMEOUT {
                bail!("{key} was not in the storage {} s after it was written", LATENCY_TIMEOUT.as_secs());
            }
        }
        if proc::interrupted() {
            bail!("interrupted");
        }
        std::thread::sleep(POLL.saturating_sub(tick.elapsed()));
    }
}

/// The `q`-quantile by nearest rank (p95 of 50 samples is the 48th fastest).
fn quantile(samples: &[Duration], q: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// 12345 → "12,345".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "10,012 (PutObject 10,000, ListObjectsV2 12)": the total per run (a
/// range when the runs differ) and the first run's operations, most first.
fn fmt_requests(runs: &[&Requests]) -> String {
    let Some(first) = runs.first() else { return "—".into() };
    let totals: Vec<u64> = runs.iter().map(|r| r.total()).collect();
    let (lo, hi) = (*totals.iter().min().unwrap(), *totals.iter().max().unwrap());
    let lower_bound = if runs.iter().any(|r| r.lost > 0) { "≥ " } else { "" };
    let total = if lo == hi { thousands(lo) } else { format!("{}–{}", thousands(lo), thousands(hi)) };
    let mut ops: Vec<(&String, &u64)> = first.by_op.iter().collect();
    ops.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let ops: Vec<String> = ops.iter().map(|(op, n)| format!("{op} {}", thousands(**n))).collect();
    let of = if lo == hi { "" } else { "run 1: " };
    format!("{lower_bound}{total} ({of}{})", ops.join(", "))
}

/// The sync tables: one row per workload and tool, qoima-cli against the
/// fastest peer, and the latency while watching.
pub(super) fn tables(
    results: &SyncResults,
    latency: &Result<Latency, String>,
    files: usize,
    bytes: u64,
    latency_files: usize,
) -> String {
    let mut out = String::from(
        "| workload | tool | median time | fastest–slowest | S3 requests per run | peak RSS | runs |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut ratios = String::from(
        "| workload | qoima-cli | fastest peer | peer time / qoima time | requests: qoima-cli / fewest of a peer |\n| --- | ---: | --- | ---: | ---: |\n",
    );
    for workload in SYNC_WORKLOADS {
        let runs_of = |tool| match results.get(&(workload, tool)) {
            Some(SyncOutcome::Runs(runs)) if !runs.is_empty() => Some(runs),
            _ => None,
        };
        for tool in TOOLS {
            let row = match (runs_of(tool), results.get(&(workload, tool))) {
                (Some(runs), _) => {
                    let samples: Vec<Sample> = runs.iter().map(|r| r.sample).collect();
                    let walls = samples.iter().map(|s| s.wall);
                    let (fastest, slowest) = (walls.clone().min().unwrap(), walls.max().unwrap());
                    let rss = samples.iter().map(|s| s.max_rss_kib).max().unwrap_or(0);
                    format!(
                        "{:.2} s | {:.2}–{:.2} s | {} | {:.0} MiB | {}",
                        median(&samples).as_secs_f64(),
                        fastest.as_secs_f64(),
                        slowest.as_secs_f64(),
                        fmt_requests(&runs.iter().map(|r| &r.requests).collect::<Vec<_>>()),
                        rss as f64 / 1024.0,
                        runs.len()
                    )
                }
                (None, Some(SyncOutcome::Failed(why))) => format!("failed: {} | | | | ", why.replace('|', "\\|")),
                _ => "not run | | | | ".into(),
            };
            out.push_str(&format!("| {} | {} | {row} |\n", workload.label(files, bytes), tool_label(tool, workload)));
        }
        let time = |tool| runs_of(tool).map(|runs| median(&runs.iter().map(|r| r.sample).collect::<Vec<_>>()));
        let requests = |tool| runs_of(tool).map(|runs| median_u64(runs.iter().map(|r| r.requests.total())));
        let best_peer = TOOLS[1..].iter().filter_map(|&t| time(t).map(|d| (d, t))).min();
        let fewest_peer = TOOLS[1..].iter().filter_map(|&t| requests(t).map(|n| (n, t))).min();
        let ratio = match (time(Tool::Qoima), best_peer) {
            (Some(q), Some((p, tool))) => format!(
                "{:.2} s | {} ({:.2} s) | **{:.2}**",
                q.as_secs_f64(),
                tool_short(tool, workload),
                p.as_secs_f64(),
                p.as_secs_f64() / q.as_secs_f64()
            ),
            (None, Some((p, tool))) => format!("— | {} ({:.2} s) | —", tool_short(tool, workload), p.as_secs_f64()),
            _ => "— | — | —".into(),
        };
        let request_ratio = match (requests(Tool::Qoima), fewest_peer) {
            (Some(q), Some((p, tool))) => {
                format!("{} / {} ({})", thousands(q), thousands(p), tool_short(tool, workload))
            }
            _ => "—".into(),
        };
        ratios.push_str(&format!("| {} | {ratio} | {request_ratio} |\n", workload.label(files, bytes)));
    }
    let watch = format!(
        "file written → object visible, `qoima-cli sync --watch` ({latency_files} files of {}, one every {:.1} s)",
        fmt_size(LATENCY_FILE_SIZE as u64),
        LATENCY_PACE.as_secs_f64()
    );
    let latency_row = match latency {
        Ok(l) if !l.samples.is_empty() => format!(
            "{:.2} s | {:.2} s | {:.2}–{:.2} s | {} | {:.0} MiB | {}",
            quantile(&l.samples, 0.5).as_secs_f64(),
            quantile(&l.samples, 0.95).as_secs_f64(),
            l.samples.iter().min().unwrap().as_secs_f64(),
            l.samples.iter().max().unwrap().as_secs_f64(),
            l.samples.len(),
            l.watcher_rss_kib as f64 / 1024.0,
            fmt_requests(&[&l.requests])
        ),
        Ok(_) => "no samples | | | | | ".into(),
        Err(why) => format!("failed: {} | | | | | ", why.replace('|', "\\|")),
    };
    format!(
        "{out}\n{ratios}\n| workload | median | p95 | fastest–slowest | samples | watcher peak RSS | S3 requests of the watcher meanwhile |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n| {watch} | {latency_row} |\n"
    )
}

fn median_u64(values: impl Iterator<Item = u64>) -> u64 {
    let mut v: Vec<u64> = values.collect();
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

/// How the sync numbers were taken, for the results file.
pub(super) fn method_note(latency_files: usize) -> String {
    format!(
        "Each sync tool synced the same folder into a fresh prefix (`qoima-cli sync DIR s3://… --mode backup` with \
         a fresh data dir of its own, `rclone copy`, `aws s3 sync`), and the listing was checked for every key at its \
         size. Right after, the same tool ran again over that folder and prefix with nothing changed — the idle \
         re-sync (`qoima-cli sync` with the same data dir, so its sync index is used; `rclone sync`; `aws s3 sync`); \
         its listing was checked again only when a tool wrote something. Requests were counted by a proxy in xtask \
         that every sync tool reached Garage through, in both workloads: it passes the bytes on unchanged and reads \
         the HTTP/1.1 framing of what the tool sends (request line, headers, then a body by Content-Length or \
         chunks), so each request is counted once, by its S3 operation, failed and retried ones included. (Garage \
         counts requests itself only when built with its `metrics` feature, which this build leaves out.) The proxy \
         is one more loopback hop for every request of every tool, so a tool that makes more requests pays a little \
         more time for them, as it would on a real network. In the second table, as above, a ratio above 1 means \
         qoima-cli was faster than the fastest peer; its last column sets qoima-cli's requests per run (median) \
         against the fewest any peer made.\n\n\
         Latency: `qoima-cli sync DIR s3://… --watch` ran in the background on an empty folder; once it reported \
         watching, xtask wrote {latency_files} files of {}, one every {:.1} s, and asked Garage directly (not through \
         the proxy) every {} ms with a signed HEAD for each file not yet seen, until it answered 200 with the file's \
         size. A latency runs from the file being written and closed to the sending of the HEAD that found it, so it \
         overstates by up to one poll interval. The sync engine sends a file only after it has been quiet for 2 s (so \
         a half-written file is never uploaded): 2 s is the floor by design. p95 is by nearest rank.\n",
        fmt_size(LATENCY_FILE_SIZE as u64),
        LATENCY_PACE.as_secs_f64(),
        POLL.as_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requests(ops: &[(&str, u64)]) -> Requests {
        Requests { by_op: ops.iter().map(|(op, n)| (op.to_string(), *n)).collect(), lost: 0 }
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let ms = |v: &[u64]| v.iter().map(|&x| Duration::from_millis(x)).collect::<Vec<_>>();
        let fifty: Vec<Duration> = (1..=50).rev().map(|x| Duration::from_millis(x * 10)).collect();
        assert_eq!(quantile(&fifty, 0.95), Duration::from_millis(480));
        assert_eq!(quantile(&fifty, 0.5), Duration::from_millis(250));
        assert_eq!(quantile(&ms(&[7]), 0.95), Duration::from_millis(7));
        assert_eq!(quantile(&ms(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.95), Duration::from_millis(10));
    }

    #[test]
    fn request_cells() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_012), "10,012");
        assert_eq!(thousands(1_234_567), "1,234,567");
        let a = requests(&[("ListObjectsV2", 12), ("PutObject", 10_000)]);
        assert_eq!(fmt_requests(&[&a, &a]), "10,012 (PutObject 10,000, ListObjectsV2 12)");
        let b = requests(&[("ListObjectsV2", 13), ("PutObject", 10_000)]);
        assert_eq!(fmt_requests(&[&a, &b]), "10,012–10,013 (run 1: PutObject 10,000, ListObjectsV2 12)");
        let lost = Requests { lost: 1, ..requests(&[("HeadObject", 2)]) };
        assert_eq!(fmt_requests(&[&lost]), "≥ 2 (HeadObject 2)");
    }

    #[test]
    fn tables_have_requests_ratios_and_latency() {
        let run = |secs, ops: &[(&str, u64)]| SyncRun {
            sample: Sample { wall: Duration::from_secs(secs), max_rss_kib: 10240, ..Sample::default() },
            requests: requests(ops),
        };
        let mut results = SyncResults::new();
        results.insert((SyncWorkload::Initial, Tool::Qoima), SyncOutcome::Runs(vec![run(4, &[("PutObject", 10)])]));
        results.insert((SyncWorkload::Initial, Tool::Aws), SyncOutcome::Runs(vec![run(8, &[("PutObject", 11)])]));
        results.insert((SyncWorkload::Initial, Tool::Rclone), SyncOutcome::Failed("boom | bang".into()));
        results.insert((SyncWorkload::Idle, Tool::Qoima), SyncOutcome::Runs(vec![run(1, &[("ListObjectsV2", 1)])]));
        results.insert((SyncWorkload::Idle, Tool::Rclone), SyncOutcome::Runs(vec![run(3, &[("HeadObject", 10)])]));
        let latency = Ok(Latency {
            samples: (1..=10).map(|x| Duration::from_millis(2000 + x * 100)).collect(),
            watcher_rss_kib: 20480,
            requests: requests(&[("PutObject", 10)]),
        });
        let t = tables(&results, &latency, 10, 1 << 20, 10);
        assert!(
            t.contains("| initial sync of 10 files of 1–64 KiB (1 MiB) | qoima-cli sync | 4.00 s | 4.00–4.00 s | 10 (PutObject 10) | 10 MiB | 1 |"),
            "{t}"
        );
        assert!(t.contains("| rclone copy (defaults) | failed: boom \\| bang |"), "{t}");
        assert!(t.contains("| 4.00 s | aws s3 sync (8.00 s) | **2.00** | 10 / 11 (aws s3 sync) |"), "{t}");
        assert!(
            t.contains("| 1.00 s | rclone sync (defaults) (3.00 s) | **3.00** | 1 / 10 (rclone sync (defaults)) |"),
            "{t}"
        );
        assert!(t.contains("| 2.50 s | 3.00 s | 2.10–3.00 s | 10 | 20 MiB | 10 (PutObject 10) |"), "{t}");
        let failed = tables(&SyncResults::new(), &Err("no watcher".into()), 10, 1 << 20, 10);
        assert!(failed.contains("| failed: no watcher |"), "{failed}");
    }

    #[test]
    fn endpoint_address() {
        assert_eq!(socket_addr("http://127.0.0.1:3900").unwrap(), "127.0.0.1:3900".parse().unwrap());
        assert!(socket_addr("http://localhost:3900").is_err());
    }
}
