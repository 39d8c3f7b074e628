//! `qoima-cli sync`: the app's sync engine without a window, for servers
//! and systemd. Plain log lines on standard error; the pair and its index
//! are kept in the app's database, so the next run only moves what changed.

use std::path::Path;
use std::time::Duration;

use qoima_engine::account::prober::ProbeSettings;
use qoima_engine::sync::model::{NewSyncPair, PairActivity, SyncMode, SyncPairEdit, SyncProblem};
use qoima_engine::{Engine, UiError};

use crate::args::S3Location;

/// A one-off run gives files still being written this many more passes
/// before it stops and says which files it left.
const SETTLING_PASSES: u32 = 15;
const SETTLE_WAIT: Duration = Duration::from_secs(2);

pub struct SyncArgs<'a> {
    pub dir: &'a str,
    pub location: &'a str,
    pub mode: SyncMode,
    pub watch: bool,
    pub approve_deletions: bool,
}

fn problem_line(problem: &SyncProblem) -> String {
    let reason = problem.error.as_ref().map(|e| format!(": {}", e.one_line())).unwrap_or_default();
    format!("qoima-cli: {:?} {}{reason}", problem.kind, crate::output::printable(&problem.path))
}

pub async fn run(engine: &Engine, args: SyncArgs<'_>) -> Result<(), UiError> {
    let location = S3Location::parse(args.location)?;
    let dir = std::fs::canonicalize(Path::new(args.dir))
        .map_err(|e| UiError::invalid("dir", format!("{}: {e}", args.dir)))?;
    let new = NewSyncPair {
        local_dir: dir.to_string_lossy().into_owned(),
        bucket: location.bucket,
        prefix: location.prefix,
        mode: args.mode,
    };
    let id = engine.sync_add(new).await?;
    let pair = engine.sync_pairs()?.into_iter().find(|view| view.pair.id == id).map(|view| view.pair);
    if let Some(pair) = pair.filter(|pair| pair.mode != args.mode) {
        let edit = SyncPairEdit {
            mode: args.mode,
            ignore: pair.ignore,
            max_delete_share: pair.max_delete_share,
            max_delete_count: pair.max_delete_count,
            trash_days: pair.trash_days,
        };
        engine.sync_edit(id, &edit)?;
    }
    if args.watch {
        return watch(engine, id, args.approve_deletions).await;
    }
    let mut passes = 0;
    loop {
        let outcome = engine.sync_pass(id, args.approve_deletions).await?;
        passes += 1;
        eprintln!("qoima-cli: sync pass {passes}: {} done", outcome.done);
        if outcome.again_soon && outcome.offline.is_none() && passes < SETTLING_PASSES {
            tokio::time::sleep(SETTLE_WAIT).await;
            continue;
        }
        for problem in &outcome.problems {
            eprintln!("{}", problem_line(problem));
        }
        for held in &outcome.held {
            eprintln!(
                "qoima-cli: {} deletions of {} held on the {:?} side ({:?}); run again with --approve-deletions to carry them out",
                held.count, held.of, held.side, held.reason
            );
        }
        if let Some(err) = outcome.offline {
            return Err(err.into());
        }
        engine.sync_expire_trash(id).await?;
        let failed = outcome.problems.iter().filter(|p| p.error.is_some()).count();
        if failed > 0 || !outcome.held.is_empty() {
            return Err(UiError::invalid(
                "sync",
                format!("{failed} files failed, {} deletions held", outcome.held.len()),
            ));
        }
        return Ok(());
    }
}

/// Runs until stopped, with a line whenever the pair's state changes, and
/// probes the storage's availability meanwhile, as the app does.
async fn watch(engine: &Engine, id: i64, approve_deletions: bool) -> Result<(), UiError> {
    let mut outages = engine.outage_updates();
    engine.run_availability_probe(ProbeSettings::default());
    let outage_lines = async {
        let mut shown = None;
        while outages.changed().await.is_ok() {
            let current = outages.borrow_and_update().clone();
            if current.as_ref().map(|o| o.id) == shown {
                continue;
            }
            match &current {
                Some(outage) => eprintln!(
                    "qoima-cli: the storage is not answering since {}; downtime counts from your report to support (qoima-cli availability shows the log)",
                    crate::output::time_text(Some(outage.start))
                ),
                None => eprintln!("qoima-cli: the storage answers again"),
            }
            shown = current.map(|o| o.id);
        }
    };
    let mut updates = engine.sync_updates();
    let report = async {
        let mut last = None;
        loop {
            if updates.changed().await.is_err() {
                return;
            }
            let Ok(views) = engine.sync_pairs() else { continue };
            let Some(view) = views.into_iter().find(|view| view.pair.id == id) else { continue };
            let status = view.status;
            let line = match status.activity {
                PairActivity::Syncing if status.pending > 0 => format!("syncing, {} left", status.pending),
                PairActivity::Syncing => continue,
                activity => format!("{activity:?}").to_lowercase(),
            };
            let line = if status.polling {
                format!("{line} (the system refuses to watch more folders: this one is looked at every 10 s)")
            } else {
                line
            };
            if last.as_ref() != Some(&line) {
                eprintln!("qoima-cli: {line}");
                for problem in &status.problems {
                    eprintln!("{}", problem_line(problem));
                }
                if approve_deletions && status.activity == PairActivity::Waiting {
                    engine.sync_approve_deletions(id);
                }
                last = Some(line);
            }
        }
    };
    tokio::join!(engine.sync_watch(id), report, outage_lines);
    Ok(())
}
