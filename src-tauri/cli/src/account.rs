//! `qoima-cli usage` and `qoima-cli trial`.

use qoima_engine::engine::{QuotaSettingsRequest, TrialRequest, TrialView};
use qoima_engine::time::{LocalTime, Timestamp};
use qoima_engine::{Engine, UiError};

pub use qoima_engine::account::usage::Limits;

use crate::output::{Out, printable, time_text};

fn of_limit(used: u64, limit: Option<u64>) -> String {
    match limit {
        Some(limit) if limit > 0 => format!("{used} of {limit} ({:.1} %)", used as f64 * 100.0 / limit as f64),
        Some(limit) => format!("{used} of {limit}"),
        None => format!("{used} (no limit known)"),
    }
}

pub async fn usage(
    out: &mut Out,
    engine: &Engine,
    limits: Limits,
    garage_admin: Option<String>,
    as_json: bool,
) -> Result<(), UiError> {
    if !limits.is_empty() || garage_admin.is_some() {
        let saved = engine.usage()?.settings;
        let merged = Limits {
            max_bytes: limits.max_bytes.or(saved.limits.max_bytes),
            max_objects: limits.max_objects.or(saved.limits.max_objects),
            max_buckets: limits.max_buckets.or(saved.limits.max_buckets),
        };
        let token = std::env::var("QOIMA_GARAGE_ADMIN_TOKEN").ok().map(qoima_engine::account::Secret::new);
        engine.set_quota_settings(QuotaSettingsRequest {
            limits: merged,
            garage_admin_endpoint: garage_admin.or(saved.garage_admin_endpoint),
            garage_admin_token: token,
        })?;
    }
    let usage = engine.measure_usage().await?;
    if as_json {
        out.line(format_args!("{}", serde_json::to_string(&usage).expect("usage serialises")));
        return Ok(());
    }
    let source = serde_json::to_value(usage.source).expect("serialises");
    out.line(format_args!("measured {} by {}", time_text(Some(usage.measured)), source.as_str().unwrap_or("-")));
    out.line(format_args!("bytes    {}", of_limit(usage.bytes, usage.limits.max_bytes)));
    out.line(format_args!("objects  {}", of_limit(usage.objects, usage.limits.max_objects)));
    out.line(format_args!("buckets  {}", of_limit(u64::from(usage.bucket_count), usage.limits.max_buckets)));
    for bucket in &usage.buckets {
        out.line(format_args!(
            "  {}  {}  {} bytes, {} objects",
            printable(&bucket.name),
            bucket.class.as_str(),
            bucket.bytes,
            bucket.objects
        ));
    }
    Ok(())
}

fn start_from(text: &str) -> Result<Option<i64>, UiError> {
    if text == "earliest" {
        return Ok(None);
    }
    let at: Timestamp = text.parse().map_err(|e| {
        UiError::invalid(
            "started",
            format!("{text:?} is not a time with its offset, like 2026-12-01T09:30:00+05:00: {e}"),
        )
    })?;
    Ok(Some(at.as_millisecond()))
}

pub async fn trial(
    out: &mut Out,
    engine: &Engine,
    started: Option<&str>,
    none: bool,
    as_json: bool,
) -> Result<(), UiError> {
    let view = match (started, none) {
        (_, true) => engine.set_trial(TrialRequest { has_trial: false, start_utc_ms: None }).await?,
        (Some(text), false) => {
            engine.set_trial(TrialRequest { has_trial: true, start_utc_ms: start_from(text)? }).await?
        }
        (None, false) => engine.trial().await?,
    };
    if as_json {
        out.line(format_args!("{}", serde_json::to_string(&view).expect("trial serialises")));
        return Ok(());
    }
    let when = |at: LocalTime| time_text(Some(at));
    let estimate = "no later than; check the exact time in your personal cabinet";
    match view {
        TrialView::NotApplicable => out.line(format_args!("the demo storage has no trial")),
        TrialView::NotSaid { suggested_start, days } => out.line(format_args!(
            "no trial recorded; with a trial of {days} days, record its start: qoima-cli trial --started TIME{}",
            suggested_start.map(|s| format!(" (it began no later than {})", when(s))).unwrap_or_default()
        )),
        TrialView::NoTrial => out.line(format_args!("no trial")),
        TrialView::Running { end, end_is_estimate, days_left, hours_left, minutes_left, .. } => out.line(format_args!(
            "trial ends {}{}: {days_left} d {hours_left} h {minutes_left} min left",
            when(end),
            if end_is_estimate { format!(" ({estimate})") } else { String::new() }
        )),
        TrialView::Ended { end, .. } => out.line(format_args!(
            "trial ended {}: the service is now paid according to the price list; to stop, switch it off in your personal cabinet",
            when(end)
        )),
    };
    Ok(())
}
