use qoima_engine::UiError;
use qoima_engine::storage::{BucketEntry, EntryKind, ObjectEntry, S3Client};
use qoima_engine::time::LocalTime;
use serde_json::json;

use crate::args::S3Location;

fn time_text(at: Option<LocalTime>) -> String {
    at.and_then(|t| jiff_text(t.utc_ms)).unwrap_or_else(|| "-".into())
}

fn jiff_text(utc_ms: i64) -> Option<String> {
    let at = qoima_engine::time::Timestamp::from_millisecond(utc_ms).ok()?;
    Some(at.to_zoned(qoima_engine::time::TimeZone::system()).strftime("%Y-%m-%d %H:%M").to_string())
}

fn iso(at: Option<LocalTime>) -> serde_json::Value {
    at.and_then(|t| qoima_engine::time::Timestamp::from_millisecond(t.utc_ms).ok())
        .map(|t| json!(t.to_string()))
        .unwrap_or(serde_json::Value::Null)
}

pub fn buckets(buckets: &[BucketEntry], as_json: bool) {
    for bucket in buckets {
        if as_json {
            println!("{}", json!({ "name": bucket.name, "created": iso(bucket.created), "type": null, "class": null }));
        } else {
            println!("{}  {}", time_text(bucket.created), bucket.name);
        }
    }
}

fn entry(entry: &ObjectEntry, bucket: &str, as_json: bool) {
    if as_json {
        println!(
            "{}",
            json!({
                "bucket": bucket,
                "key": entry.key,
                "kind": entry.kind,
                "size": entry.size,
                "modified": iso(entry.modified),
            })
        );
    } else {
        match entry.kind {
            EntryKind::Folder => println!("{:>16}  {:>12}  {}", "", "PRE", entry.key),
            EntryKind::Object => {
                println!("{:>16}  {:>12}  {}", time_text(entry.modified), entry.size.unwrap_or(0), entry.key)
            }
        }
    }
}

/// Streams page by page: a bucket of millions of keys never sits in memory.
pub async fn listing(client: &S3Client, location: &S3Location, recursive: bool, as_json: bool) -> Result<(), UiError> {
    let mut token = None;
    loop {
        let page = if recursive {
            client.list_page_recursive(&location.bucket, &location.prefix, token).await?
        } else {
            client.list_page(&location.bucket, &location.prefix, token).await?
        };
        for e in &page.entries {
            entry(e, &location.bucket, as_json);
        }
        token = page.next_token;
        if token.is_none() {
            return Ok(());
        }
    }
}
