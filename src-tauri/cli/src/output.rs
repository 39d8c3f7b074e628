use std::io::{self, Write};

use qoima_engine::UiError;
use qoima_engine::bucket::{BucketSummary, BucketType, StorageClass};
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
    fn line(&mut self, text: std::fmt::Arguments<'_>) -> bool {
        match writeln!(self.0, "{text}") {
            Ok(()) => true,
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => false,
            Err(err) => panic!("cannot write to standard output: {err}"),
        }
    }
}

fn time_text(at: Option<LocalTime>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_letters_kept() {
        assert_eq!(printable("Есеп\u{1b}[31m.txt"), "Есеп\\u{1b}[31m.txt");
        assert_eq!(printable("a\nb"), "a\\nb");
        assert_eq!(printable("Қазақ 😀"), "Қазақ 😀");
    }
}
