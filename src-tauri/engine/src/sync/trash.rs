//! The sync trash: objects a sync deletes are first moved under
//! `.qoima-trash/DAY/` in the same bucket, kept there for the pair's number
//! of days, and can be put back.

use jiff::civil::Date;
use tokio_util::sync::CancellationToken;

use super::etag::plain_etag;
use super::model::TrashedObject;
use crate::objects::{BucketWrites, copy_object, delete_selection, head};
use crate::storage::{S3Client, StorageError};
use crate::transfer::listed;

pub const TRASH_PREFIX: &str = ".qoima-trash/";
/// Copies up to this size go in one request; larger ones in parts.
const SINGLE_COPY: u64 = 5 * 1024 * 1024 * 1024;

pub fn trash_key(day: Date, key: &str) -> String {
    format!("{TRASH_PREFIX}{day}/{key}")
}

/// The day and original key of a key in the trash.
pub fn parse_trash_key(trash_key: &str) -> Option<(Date, &str)> {
    let rest = trash_key.strip_prefix(TRASH_PREFIX)?;
    let (day, key) = rest.split_once('/')?;
    let day = day.parse().ok()?;
    (!key.is_empty()).then_some((day, key))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Trashed {
    Moved,
    /// The object is not the one the plan saw (changed or gone): left alone.
    Changed,
}

/// Moves `key` to the trash if it still has `etag`.
pub async fn move_to_trash(
    client: &S3Client,
    bucket: &str,
    key: &str,
    etag: &str,
    writes: &BucketWrites,
    day: Date,
) -> Result<Trashed, StorageError> {
    match head(client, bucket, key).await? {
        Some(now) if now.e_tag().map(plain_etag).as_deref() == Some(etag) => {}
        _ => return Ok(Trashed::Changed),
    }
    let never = CancellationToken::new();
    copy_object(client, (bucket, key), (bucket, &trash_key(day, key)), writes, None, SINGLE_COPY, &never).await?;
    client.sdk().delete_object().bucket(bucket).key(key).send().await.map_err(|e| client.failure(e))?;
    Ok(Trashed::Moved)
}

/// What the trash holds from under `prefix`.
pub async fn trashed(client: &S3Client, bucket: &str, prefix: &str) -> Result<Vec<TrashedObject>, StorageError> {
    let mut found: Vec<TrashedObject> = listed(client, bucket, TRASH_PREFIX, true)
        .await?
        .into_iter()
        .filter_map(|object| {
            let (day, original) = parse_trash_key(&object.key)?;
            original.starts_with(prefix).then(|| TrashedObject {
                original_key: original.to_owned(),
                day: day.to_string(),
                size: object.known.size,
                trash_key: object.key.clone(),
            })
        })
        .collect();
    found.sort_by(|a, b| b.day.cmp(&a.day).then_with(|| a.original_key.cmp(&b.original_key)));
    Ok(found)
}

/// Puts a trashed object back where it was (replacing what is there now)
/// and takes it out of the trash.
pub async fn restore(
    client: &S3Client,
    bucket: &str,
    trash_key: &str,
    writes: &BucketWrites,
) -> Result<(), StorageError> {
    let (_, original) = parse_trash_key(trash_key).ok_or_else(|| StorageError::NoSuchKey(trash_key.to_owned()))?;
    let never = CancellationToken::new();
    copy_object(client, (bucket, trash_key), (bucket, original), writes, None, SINGLE_COPY, &never).await?;
    client.sdk().delete_object().bucket(bucket).key(trash_key).send().await.map_err(|e| client.failure(e))?;
    Ok(())
}

/// The id of the lifecycle rule that empties the sync trash.
pub const LIFECYCLE_RULE: &str = "qoima-sync-trash";

/// Asks the storage to expire the trash by itself after `days` (a trashed
/// object is a new copy, so its age is the time since it was deleted).
/// The bucket's other lifecycle rules stay as they are. False where the
/// storage has no lifecycle rules: the app's own expiry is then all there is.
pub async fn keep_in_lifecycle(client: &S3Client, bucket: &str, days: u32) -> Result<bool, StorageError> {
    use aws_sdk_s3::types::{
        BucketLifecycleConfiguration, ExpirationStatus, LifecycleExpiration, LifecycleRule, LifecycleRuleFilter,
    };
    let current = client.sdk().get_bucket_lifecycle_configuration().bucket(bucket).send().await;
    let mut rules = match current {
        Ok(out) => out.rules().to_vec(),
        Err(err) => match client.failure(err) {
            StorageError::Service { code, .. } if code == "NoSuchLifecycleConfiguration" => Vec::new(),
            StorageError::NotImplemented(_) => return Ok(false),
            StorageError::Service { status: 501, .. } => return Ok(false),
            other => return Err(other),
        },
    };
    let ours = |rule: &LifecycleRule| rule.id() == Some(LIFECYCLE_RULE);
    let wanted = LifecycleRule::builder()
        .id(LIFECYCLE_RULE)
        .filter(LifecycleRuleFilter::builder().prefix(TRASH_PREFIX).build())
        .expiration(LifecycleExpiration::builder().days(days.try_into().unwrap_or(i32::MAX)).build())
        .status(ExpirationStatus::Enabled)
        .build()
        .map_err(|e| StorageError::Other(e.to_string()))?;
    if rules.iter().any(|rule| ours(rule) && rule == &wanted) {
        return Ok(true);
    }
    rules.retain(|rule| !ours(rule));
    rules.push(wanted);
    let config = BucketLifecycleConfiguration::builder()
        .set_rules(Some(rules))
        .build()
        .map_err(|e| StorageError::Other(e.to_string()))?;
    match client.sdk().put_bucket_lifecycle_configuration().bucket(bucket).lifecycle_configuration(config).send().await
    {
        Ok(_) => Ok(true),
        Err(err) => match client.failure(err) {
            StorageError::NotImplemented(_) | StorageError::Service { status: 501, .. } => Ok(false),
            other => Err(other),
        },
    }
}

/// Deletes the days older than `keep_days` before `today`; the objects removed.
pub async fn expire(client: &S3Client, bucket: &str, today: Date, keep_days: u32) -> Result<u64, StorageError> {
    let days: Vec<String> = listed(client, bucket, TRASH_PREFIX, true)
        .await?
        .into_iter()
        .filter_map(|object| parse_trash_key(&object.key).map(|(day, _)| day))
        .filter(|day| day.until(today).is_ok_and(|span| i64::from(span.get_days()) > i64::from(keep_days)))
        .map(|day| format!("{TRASH_PREFIX}{day}/"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if days.is_empty() {
        return Ok(0);
    }
    let never = CancellationToken::new();
    delete_selection(client, bucket, &days, &never, &|_| {}).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trash_keys_keep_the_day_and_the_whole_original_key() {
        let day: Date = "2026-11-25".parse().unwrap();
        let key = trash_key(day, "docs/a/b.txt");
        assert_eq!(key, ".qoima-trash/2026-11-25/docs/a/b.txt");
        assert_eq!(parse_trash_key(&key), Some((day, "docs/a/b.txt")));
        assert_eq!(parse_trash_key(".qoima-trash/notaday/x"), None);
        assert_eq!(parse_trash_key(".qoima-trash/2026-11-25/"), None);
        assert_eq!(parse_trash_key("docs/x"), None);
    }
}
