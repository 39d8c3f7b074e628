use std::io::{self, Write};

use qoima_engine::UiError;
use qoima_engine::bucket::{BucketSummary, BucketType, StorageClass};
use qoima_engine::engine::AvailabilityReport;
use qoima_engine::storage::{EntryKind, ObjectEntry, S3Client};
use qoima_engine::time::{LocalTime, TimeZone, Timestamp};
use serde_json::json;

use crate::args::S3Location;

/// Lines to standard output. A reader that stops early (`| head`) ends the
/// listing quietly instead of with a panic.
pub struct Out(io::StdoutLock<'static>);

impl Out {
    pub fn new() -> Self {
        Self(io::stdout().lock())
    }

    /// `false` once the reader has gone away.
    pub fn line(&mut self, text: std::fmt::Arguments<'_>) -> bool {
        match writeln!(self.0, "{text}") {
            Ok(()) => true,
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => false,
            Err(err) => panic!("cannot write to standard output: {err}"),
        }
    }
}

pub fn time_text(at: Option<LocalTime>) -> String {
    at.and_then(|t| Timestamp::from_millisecond(t.utc_ms).ok())
        .map(|t| t.to_zoned(TimeZone::system()).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "-".into())
}

fn iso(at: Option<LocalTime>) -> serde_json::Value {
    at.and_then(|t| Timestamp::from_millisecond(t.utc_ms).ok())
        .map(|t| json!(t.to_string()))
        .unwrap_or(serde_json::Value::Null)
}

/// A key as a terminal may show it: control characters (which could move
/// the cursor or recolour the screen) are escaped, everything else is kept.
pub fn printable(text: &str) -> String {
    text.chars().flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] }).collect()
}

pub fn buckets(out: &mut Out, buckets: &[BucketSummary], as_json: bool) {
    for bucket in buckets {
        // "unknown" where the storage supports no types: its buckets are private to it.
        let bucket_type = bucket.bucket_type.map(|t| t.as_str());
        let written = if as_json {
            out.line(format_args!(
                "{}",
                json!({
                    "name": bucket.name,
                    "created": iso(bucket.created),
                    "type": bucket_type,
                    "class": bucket.class.as_str(),
                })
            ))
        } else {
            out.line(format_args!(
                "{}  {:<17}  {:<8}  {}",
                time_text(bucket.created),
                bucket_type.unwrap_or("-"),
                bucket.class.as_str(),
                printable(&bucket.name)
            ))
        };
        if !written {
            return;
        }
    }
}

pub fn bucket(out: &mut Out, name: &str, bucket_type: Option<BucketType>, class: StorageClass, as_json: bool) {
    let bucket_type = bucket_type.map(|t| t.as_str());
    if as_json {
        out.line(format_args!("{}", json!({ "name": name, "type": bucket_type, "class": class.as_str() })));
    } else {
        out.line(format_args!("{}  {}  {}", printable(name), bucket_type.unwrap_or("-"), class.as_str()));
    }
}

pub fn copied_tree(out: &mut Out, from: &str, to: &str, files: u64, bytes: u64, as_json: bool) {
    if as_json {
        out.line(format_args!("{}", json!({ "from": from, "to": to, "files": files, "size": bytes })));
    } else {
        out.line(format_args!("copied: {} -> {} ({files} files, {bytes} bytes)", printable(from), printable(to)));
    }
}

pub fn copied(out: &mut Out, from: &str, to: &str, bytes: u64, as_json: bool) {
    if as_json {
        out.line(format_args!("{}", json!({ "from": from, "to": to, "size": bytes })));
    } else {
        out.line(format_args!("copied: {} -> {} ({bytes} bytes)", printable(from), printable(to)));
    }
}

pub fn deleted(out: &mut Out, count: u64, as_json: bool) {
    if as_json {
        out.line(format_args!("{}", json!({ "deleted": count })));
    } else {
        out.line(format_args!("deleted {count}"));
    }
}

fn entry(out: &mut Out, entry: &ObjectEntry, bucket: &str, as_json: bool) -> bool {
    if as_json {
        let value = json!({
            "bucket": bucket,
            "key": entry.key,
            "kind": entry.kind,
            "size": entry.size,
            "modified": iso(entry.modified),
            "storageClass": entry.storage_class,
        });
        return out.line(format_args!("{value}"));
    }
    let key = printable(&entry.key);
    match entry.kind {
        EntryKind::Folder => out.line(format_args!("{:>16}  {:>12}  {key}", "", "PRE")),
        EntryKind::Object => {
            out.line(format_args!("{:>16}  {:>12}  {key}", time_text(entry.modified), entry.size.unwrap_or(0)))
        }
    }
}

/// Streams page by page: a bucket of millions of keys never sits in memory.
pub async fn listing(
    out: &mut Out,
    client: &S3Client,
    location: &S3Location,
    recursive: bool,
    as_json: bool,
) -> Result<(), UiError> {
    let mut token = None;
    loop {
        let page = if recursive {
            client.list_page_recursive(&location.bucket, &location.prefix, token).await?
        } else {
            client.list_page(&location.bucket, &location.prefix, token).await?
        };
        for e in &page.entries {
            if !entry(out, e, &location.bucket, as_json) {
                return Ok(());
            }
        }
        token = page.next_token;
        if token.is_none() {
            return Ok(());
        }
    }
}

/// `9995` as `99.95 %`.
fn percent(basis_points: u32) -> String {
    format!("{}.{:02} %", basis_points / 100, basis_points % 100)
}

/// Tiyn as tenge with two decimals.
fn tenge(tiyn: u64) -> String {
    format!("{}.{:02} tenge", tiyn / 100, tiyn % 100)
}

fn duration_text(ms: i64) -> String {
    let seconds = ms.max(0) / 1000;
    match (seconds / 3600, seconds / 60 % 60, seconds % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// To the second: outages are often short, and support asks for exact times.
fn instant_text(at: LocalTime) -> String {
    Timestamp::from_millisecond(at.utc_ms)
        .map(|t| t.to_zoned(TimeZone::system()).strftime("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|_| "-".into())
}

pub fn availability(out: &mut Out, report: &AvailabilityReport, as_json: bool) {
    let month = format!("{}-{:02}", report.month.year, report.month.month);
    if as_json {
        let outages: Vec<serde_json::Value> = report
            .outages
            .iter()
            .map(|o| {
                json!({
                    "id": o.id,
                    "start": iso(Some(o.start)),
                    "end": iso(o.end),
                    "reported": iso(o.reported),
                    "errorKinds": o.error_kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect();
        out.line(format_args!(
            "{}",
            json!({
                "month": month,
                "zone": report.zone,
                "availabilityBasisPoints": report.availability_basis_points,
                "downMs": report.down_ms,
                "observedBasisPoints": report.observed_basis_points,
                "observedMs": report.observed_ms,
                "tierPercent": report.tier_percent,
                "isEstimate": report.is_estimate,
                "paymentTiyn": report.payment_tiyn,
                "creditTiyn": report.credit_tiyn,
                "outages": outages,
            })
        ));
        return;
    }
    let mut lines = vec![
        format!("Availability in {month} (months in {}): {}", report.zone, percent(report.availability_basis_points)),
        format!(
            "Outage time: {}; this computer watched the storage for {} of the month",
            duration_text(report.down_ms),
            percent(report.observed_basis_points)
        ),
    ];
    if report.outages.is_empty() {
        lines.push("No outage seen".into());
    }
    for (number, outage) in report.outages.iter().enumerate() {
        let end = outage.end.map_or("still not answering".into(), |end| format!("to {}", instant_text(end)));
        let reported = outage.reported.map_or("not reported yet".into(), |at| format!("reported {}", instant_text(at)));
        let kinds: Vec<&str> = outage.error_kinds.iter().map(|k| k.as_str()).collect();
        lines.push(format!(
            "Outage {}: from {} {end}, {reported}; seen: {}",
            number + 1,
            instant_text(outage.start),
            kinds.join(", ")
        ));
    }
    lines.push(format!(
        "Credit the terms would give: {} % of the month's payment (an estimate: the provider's records decide)",
        report.tier_percent
    ));
    if let (Some(payment), Some(credit)) = (report.payment_tiyn, report.credit_tiyn) {
        lines.push(format!("Credit for a payment of {}: {}", tenge(payment), tenge(credit)));
    }
    for line in lines {
        if !out.line(format_args!("{line}")) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_amounts_and_durations_read_plainly() {
        assert_eq!(percent(9990), "99.90 %");
        assert_eq!(percent(10_000), "100.00 %");
        assert_eq!(tenge(499_050), "4990.50 tenge");
        assert_eq!(duration_text(43 * 60_000 + 12_000), "43 min 12 s");
        assert_eq!(duration_text(3 * 3_600_000 + 60_000), "3 h 1 min");
        assert_eq!(duration_text(900), "0 s");
    }

    #[test]
    fn control_characters_are_escaped_and_letters_kept() {
        assert_eq!(printable("Есеп\u{1b}[31m.txt"), "Есеп\\u{1b}[31m.txt");
        assert_eq!(printable("a\nb"), "a\\nb");
        assert_eq!(printable("Қазақ 😀"), "Қазақ 😀");
    }
}
