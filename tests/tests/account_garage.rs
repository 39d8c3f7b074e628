//! The account's usage and trial against the real Garage: measured by
//! listing and by Garage's admin API, a bucket quota that stops an upload
//! before it starts, and a trial that counts down and never restarts.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use qoima_engine::ErrorCode;
use qoima_engine::account::Secret;
use qoima_engine::account::trial::Reminder;
use qoima_engine::account::usage::{Level, Limits, LimitsOrigin, QuotaKind, QuotaScope, Usage, UsageSource};
use qoima_engine::engine::{QuotaSettingsRequest, TrialRequest, TrialView};
use qoima_engine::queue::{BatchState, ConflictAnswers, EnqueueOutcome, UploadRequest};
use qoima_tests::garage_keys::{admin, set_bucket_quota};
use qoima_tests::{Garage, eventually, workspace_binary};

fn now_ms() -> i64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_millis() as i64
}

const HOUR_MS: i64 = 3600 * 1000;

/// What `put_objects` stores: each key as its own body.
fn bytes_of(keys: &[String]) -> u64 {
    keys.iter().map(|k| k.len() as u64).sum()
}

fn keys(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}/file-{i:03}.txt")).collect()
}

fn bucket_in<'a>(usage: &'a Usage, name: &str) -> &'a qoima_engine::account::usage::BucketUsage {
    usage.buckets.iter().find(|b| b.name == name).unwrap_or_else(|| panic!("{name} in {usage:?}"))
}

#[tokio::test]
async fn usage_measured_by_listing_matches_what_was_uploaded() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env().own_key("usage-listing").await;
    let (first, second) = (garage.new_bucket("usage-a").await, garage.new_bucket("usage-b").await);
    let (in_first, in_second) = (keys("photos", 12), keys("docs/2026", 5));
    garage.put_objects(&first, in_first.clone()).await;
    garage.put_objects(&second, in_second.clone()).await;
    // Under the rules of a storage that may be Ceph: Garage is asked for
    // RGW's summary first, does not give one, and is counted by listing.
    let engine = garage.engine(dir.path(), "s3-compatible");
    assert_eq!(engine.usage().unwrap().usage, None, "nothing measured yet");

    let usage = engine.measure_usage().await.unwrap();
    assert_eq!(usage.source, UsageSource::Listing);
    assert_eq!(usage.bucket_count, 2);
    assert_eq!((usage.bytes, usage.objects), (bytes_of(&in_first) + bytes_of(&in_second), 17));
    assert_eq!((bucket_in(&usage, &first).bytes, bucket_in(&usage, &first).objects), (bytes_of(&in_first), 12));
    assert_eq!((bucket_in(&usage, &second).bytes, bucket_in(&usage, &second).objects), (bytes_of(&in_second), 5));
    assert_eq!(usage.limits_origin, LimitsOrigin::Unknown);
    let kept = engine.usage().unwrap();
    assert_eq!(kept.usage.as_ref(), Some(&usage), "the panel shows the last measurement at once");
    assert_eq!(kept.measuring, None);
    let db = rusqlite::Connection::open(dir.path().join("qoima.db")).unwrap();
    let offered: String = db
        .query_row("SELECT value FROM storage_capabilities WHERE name = 'usage_summary'", [], |row| row.get(0))
        .unwrap();
    assert_eq!(offered, "no", "remembered, so the next measurement does not ask again");

    // Limits copied from the personal cabinet colour the bars.
    let limits = Limits { max_bytes: Some(usage.bytes + 10), max_objects: Some(100), max_buckets: Some(2) };
    engine
        .set_quota_settings(QuotaSettingsRequest { limits, garage_admin_endpoint: None, garage_admin_token: None })
        .unwrap();
    let usage = engine.measure_usage().await.unwrap();
    assert_eq!((usage.limits, usage.limits_origin), (limits, LimitsOrigin::Customer));
    assert_eq!(
        (usage.bytes_level, usage.objects_level, usage.buckets_level),
        (Level::Critical, Level::Normal, Level::Critical)
    );
}

fn write_files(dir: &Path, count: usize, size: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let path = dir.join(format!("part-{i}.bin"));
            std::fs::write(&path, vec![b'x'; size]).unwrap();
            path.display().to_string()
        })
        .collect()
}

fn upload(paths: Vec<String>, bucket: &str, over_quota: bool) -> UploadRequest {
    UploadRequest {
        paths,
        bucket: bucket.into(),
        prefix: String::new(),
        answers: ConflictAnswers { over_quota, ..Default::default() },
    }
}

#[tokio::test]
async fn garage_admin_numbers_match_and_a_bucket_quota_stops_an_upload_with_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env().own_key("usage-admin").await;
    let bucket = garage.new_bucket("usage-quota").await;
    let stored = keys("kept", 4);
    garage.put_objects(&bucket, stored.clone()).await;
    set_bucket_quota(&bucket, Some(1000), None).await;
    let engine = garage.engine(&dir.path().join("app"), "garage");
    tokio::spawn(engine.transfer_runner());
    let (endpoint, token) = admin();
    engine
        .set_quota_settings(QuotaSettingsRequest {
            limits: Limits::default(),
            garage_admin_endpoint: Some(endpoint),
            garage_admin_token: Some(Secret::new(token)),
        })
        .unwrap();
    assert!(engine.usage().unwrap().has_admin_token);

    // Garage counts a bucket's objects in the background after they are
    // written: a moment on a quiet machine, longer under a full test run.
    let usage = eventually(Duration::from_secs(180), "the admin API counts the objects", async || {
        let usage = engine.measure_usage().await.unwrap();
        (bucket_in(&usage, &bucket).objects == 4).then_some(usage)
    })
    .await;
    assert_eq!(usage.source, UsageSource::GarageAdmin);
    let measured = bucket_in(&usage, &bucket);
    assert_eq!((measured.bytes, measured.max_bytes, measured.max_objects), (bytes_of(&stored), Some(1000), None));
    let listed = garage.engine(&dir.path().join("listing"), "garage").measure_usage().await.unwrap();
    assert_eq!(listed.source, UsageSource::Listing);
    assert_eq!(
        (bucket_in(&listed, &bucket).bytes, bucket_in(&listed, &bucket).objects),
        (measured.bytes, measured.objects),
        "the admin API and a count by listing agree"
    );

    // Each file alone is over the quota, so Garage refuses the first one
    // sent even while its own count lags behind the writes.
    let files = write_files(dir.path(), 2, 1200);
    let outcome = engine.enqueue_upload(upload(files.clone(), &bucket, false)).await.unwrap();
    let EnqueueOutcome::OverQuota { shortfall } = outcome else { panic!("expected a quota warning, got {outcome:?}") };
    assert_eq!(
        (shortfall.kind, shortfall.scope, shortfall.bucket.as_deref()),
        (QuotaKind::Bytes, QuotaScope::Bucket, Some(bucket.as_str()))
    );
    assert_eq!((shortfall.used, shortfall.adding, shortfall.limit), (bytes_of(&stored), 2400, 1000));
    assert!(engine.transfers_view().unwrap().batches.is_empty(), "nothing was queued");

    // Sent anyway, the storage refuses it, and that reads as the quota.
    let outcome = engine.enqueue_upload(upload(files, &bucket, true)).await.unwrap();
    let EnqueueOutcome::Queued { batch_id } = outcome else { panic!("expected a queued batch, got {outcome:?}") };
    let batch = eventually(Duration::from_secs(60), "the batch stops", async || {
        let view = engine.transfers_view().unwrap();
        view.batches.into_iter().find(|b| b.id == batch_id && b.state == BatchState::Failed)
    })
    .await;
    assert_eq!(batch.stopped_by.map(|e| e.code), Some(ErrorCode::QuotaExceeded));
}

fn running_left(view: &TrialView) -> (u32, u32, u32, bool) {
    match view {
        TrialView::Running { days_left, hours_left, minutes_left, end_is_estimate, .. } => {
            (*days_left, *hours_left, *minutes_left, *end_is_estimate)
        }
        other => panic!("expected a running trial, got {other:?}"),
    }
}

/// Begun `hours_ago` hours and half a minute ago, so the minutes left read
/// the same however fast the engine answers.
fn started(hours_ago: i64) -> TrialRequest {
    TrialRequest { has_trial: true, start_utc_ms: Some(now_ms() - hours_ago * HOUR_MS - 30_000) }
}

#[tokio::test]
async fn a_trial_counts_down_reminds_once_and_is_never_given_again() {
    let dir = tempfile::tempdir().unwrap();
    let before = now_ms();
    let garage = Garage::from_env().own_key("trial").await;
    garage.new_bucket("trial").await;
    let engine = garage.engine(dir.path(), "prodata");

    let TrialView::NotSaid { suggested_start: Some(suggested), days: 3 } = engine.trial().await.unwrap() else {
        panic!("expected no trial said yet, with the bucket's date offered");
    };
    assert!((before - 60_000..=now_ms()).contains(&suggested.utc_ms), "the new bucket's creation: {suggested:?}");
    let estimated = engine.set_trial(TrialRequest { has_trial: true, start_utc_ms: None }).await.unwrap();
    let (days, _, _, estimate) = running_left(&estimated);
    assert_eq!((days, estimate), (2, true), "ends no later than three days after the bucket was made");

    let request = started(25);
    let view = engine.set_trial(request.clone()).await.unwrap();
    let TrialView::Running { end, .. } = &view else { panic!("expected a running trial, got {view:?}") };
    assert_eq!(end.utc_ms - request.start_utc_ms.unwrap(), 72 * HOUR_MS, "three days of 24 hours");
    assert_eq!(running_left(&view), (1, 22, 59, false), "47 hours less the half minute of `started`, rounded down");
    assert_eq!(engine.take_trial_reminder().unwrap(), None, "47 hours left");
    assert_eq!(running_left(&engine.set_trial(started(49)).await.unwrap()).0, 0);
    assert_eq!(engine.take_trial_reminder().unwrap(), Some(Reminder::DayLeft));
    assert_eq!(engine.take_trial_reminder().unwrap(), None, "each reminder once");

    let refused = engine.set_trial(TrialRequest { has_trial: false, start_utc_ms: None }).await.unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("hasTrial"));
    let TrialView::Ended { .. } = engine.set_trial(started(80)).await.unwrap() else { panic!("80 hours in, it ended") };
    let refused = engine.set_trial(started(1)).await.unwrap_err();
    assert_eq!(refused.field.as_deref(), Some("startUtcMs"), "an ended trial does not start again");
    let future = engine.set_trial(TrialRequest { has_trial: true, start_utc_ms: Some(now_ms() + HOUR_MS) }).await;
    assert_eq!(future.unwrap_err().field.as_deref(), Some("startUtcMs"));

    drop(engine);
    let reopened = garage.engine(dir.path(), "prodata");
    assert!(matches!(reopened.trial().await.unwrap(), TrialView::Ended { .. }), "kept for the customer");
}

fn cli(dir: &Path, garage: &Garage, args: &[&str]) -> serde_json::Value {
    let output = Command::new(workspace_binary("qoima-cli"))
        .args(["--endpoint", &garage.endpoint, "--region", &garage.region, "--access-key", &garage.key_id])
        .args(["--provider", "prodata", "--json"])
        .args(args)
        .env("QOIMA_SECRET_KEY", &garage.secret)
        .env("QOIMA_DATA_DIR", dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "qoima-cli {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test]
async fn the_cli_prints_usage_and_the_trial_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let garage = Garage::from_env().own_key("usage-cli").await;
    let bucket = garage.new_bucket("usage-cli").await;
    let stored = keys("a", 3);
    garage.put_objects(&bucket, stored.clone()).await;

    let usage = cli(dir.path(), &garage, &["usage", "--max-bytes", "1000000"]);
    assert_eq!(usage["source"], "listing");
    assert_eq!((usage["bytes"].as_u64(), usage["objects"].as_u64()), (Some(bytes_of(&stored)), Some(3)));
    assert_eq!(usage["limits"]["maxBytes"], 1_000_000);
    assert_eq!(usage["limitsOrigin"], "customer");
    let again = cli(dir.path(), &garage, &["usage"]);
    assert_eq!(again["limits"]["maxBytes"], 1_000_000, "the limit typed once is kept");

    assert_eq!(cli(dir.path(), &garage, &["trial"])["state"], "not_said");
    let trial = cli(dir.path(), &garage, &["trial", "--started", "earliest"]);
    assert_eq!((trial["state"].as_str(), trial["endIsEstimate"].as_bool()), (Some("running"), Some(true)));
    assert_eq!(cli(dir.path(), &garage, &["trial"])["state"], "running", "recorded");
}
