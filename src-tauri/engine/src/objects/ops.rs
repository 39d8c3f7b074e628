//! Folders, copies, moves, renames and object headers.

use std::collections::BTreeMap;

use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use tokio_util::sync::CancellationToken;

use super::delete::{Deleter, ItemPages};
use super::model::ObjectProperties;
use super::multipart::{abort_multipart, start_multipart};
use super::name::{NameProblem, check_key, child_key, parent_prefix};
use super::plan::{PlanProblem, Planned, plan_transfer};
use super::write::{BucketWrites, ObjectHeaders, ObjectWrite};
use crate::storage::{S3Client, StorageError};
use crate::time::LocalTime;

/// CopyObject copies at most 5 GiB; larger objects are copied in parts.
pub const SINGLE_COPY_LIMIT: u64 = 5 * 1024 * 1024 * 1024;
const MIN_COPY_PART: u64 = 512 * 1024 * 1024;
const MAX_PARTS: u64 = 10_000;

/// `x-amz-copy-source` is `bucket/key`, URL-encoded except for the slashes.
const COPY_SOURCE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');

fn copy_source(bucket: &str, key: &str) -> String {
    utf8_percent_encode(&format!("{bucket}/{key}"), COPY_SOURCE).to_string()
}

fn invalid_name(problem: NameProblem) -> StorageError {
    StorageError::InvalidName(problem)
}

/// Parts large enough that any object up to 5 TiB fits in 10,000 of them.
pub fn copy_part_size(size: u64) -> u64 {
    size.div_ceil(MAX_PARTS).max(MIN_COPY_PART)
}

pub async fn create_folder(
    client: &S3Client,
    bucket: &str,
    prefix: &str,
    name: &str,
    writes: &BucketWrites,
) -> Result<String, StorageError> {
    let key = child_key(prefix, name, true).map_err(invalid_name)?;
    ensure_absent(client, bucket, &key).await?;
    let write = ObjectWrite { bucket: writes, headers: ObjectHeaders::default() };
    write.put(client.sdk().put_object().bucket(bucket).key(&key), b"").send().await.map_err(|e| client.failure(e))?;
    Ok(key)
}

pub async fn head(client: &S3Client, bucket: &str, key: &str) -> Result<Option<HeadObjectOutput>, StorageError> {
    match client.sdk().head_object().bucket(bucket).key(key).send().await {
        Ok(out) => Ok(Some(out)),
        Err(err) if err.raw_response().is_some_and(|r| r.status().as_u16() == 404) => Ok(None),
        Err(err) => Err(client.failure(err)),
    }
}

/// Refuses a name already used: an object, or a folder with anything in it.
async fn ensure_absent(client: &S3Client, bucket: &str, key: &str) -> Result<(), StorageError> {
    let taken = if key.ends_with('/') {
        let out = client
            .sdk()
            .list_objects_v2()
            .bucket(bucket)
            .prefix(key)
            .max_keys(1)
            .send()
            .await
            .map_err(|e| client.failure(e))?;
        out.key_count().unwrap_or(0) > 0 || !out.contents().is_empty()
    } else {
        head(client, bucket, key).await?.is_some()
    };
    if taken { Err(StorageError::AlreadyExists(key.to_owned())) } else { Ok(()) }
}

/// S3 returns metadata values that are not plain ASCII as RFC 2047
/// encoded words (`=?UTF-8?B?…?=`); the person typed the decoded text.
fn decoded(value: String) -> String {
    if !value.contains("=?") {
        return value;
    }
    rfc2047_decoder::decode(value.as_bytes()).unwrap_or(value)
}

fn headers_of(head: &HeadObjectOutput) -> ObjectHeaders {
    let text = |value: Option<&str>| value.map(str::to_owned);
    ObjectHeaders {
        content_type: text(head.content_type()),
        metadata: head
            .metadata()
            .map(|m| m.clone().into_iter().map(|(k, v)| (k, decoded(v))).collect())
            .unwrap_or_default(),
        cache_control: text(head.cache_control()),
        content_disposition: text(head.content_disposition()),
        content_encoding: text(head.content_encoding()),
        content_language: text(head.content_language()),
        website_redirect_location: text(head.website_redirect_location()),
    }
}

/// Copies one object on the server. `replace` gives the copy new headers;
/// otherwise it keeps the source's. The destination bucket's class and ACL
/// always apply.
pub async fn copy_object(
    client: &S3Client,
    from: (&str, &str),
    to: (&str, &str),
    writes: &BucketWrites,
    replace: Option<ObjectHeaders>,
    single_limit: u64,
    cancel: &CancellationToken,
) -> Result<(), StorageError> {
    let source = head(client, from.0, from.1).await?.ok_or_else(|| StorageError::NoSuchKey(from.1.to_owned()))?;
    let size = source.content_length().unwrap_or(0).max(0) as u64;
    // Pinned to the version just read: an object overwritten meanwhile fails
    // the copy instead of arriving half old, half new.
    let version = source.e_tag().map(str::to_owned);
    let replacing = replace.is_some();
    let write = ObjectWrite { bucket: writes, headers: replace.unwrap_or_else(|| headers_of(&source)) };
    if size <= single_limit {
        let request = client
            .sdk()
            .copy_object()
            .bucket(to.0)
            .key(to.1)
            .copy_source(copy_source(from.0, from.1))
            .set_copy_source_if_match(version);
        write.copy(request, replacing).send().await.map_err(|e| client.failure(e))?;
        return Ok(());
    }
    let source = CopySource { bucket: from.0, key: from.1, version: version.as_deref() };
    copy_in_parts(client, source, to, &write, (size, copy_part_size(size).min(single_limit)), cancel).await
}

struct CopySource<'a> {
    bucket: &'a str,
    key: &'a str,
    version: Option<&'a str>,
}

async fn copy_in_parts(
    client: &S3Client,
    from: CopySource<'_>,
    to: (&str, &str),
    write: &ObjectWrite<'_>,
    (size, part_size): (u64, u64),
    cancel: &CancellationToken,
) -> Result<(), StorageError> {
    let upload_id = start_multipart(client, write, to.0, to.1).await?;
    let copied = async {
        let mut parts = Vec::new();
        for (index, start) in (0..size).step_by(part_size as usize).enumerate() {
            if cancel.is_cancelled() {
                return Err(StorageError::Cancelled);
            }
            let end = (start + part_size).min(size) - 1;
            let number = index as i32 + 1;
            let out = client
                .sdk()
                .upload_part_copy()
                .bucket(to.0)
                .key(to.1)
                .upload_id(&upload_id)
                .part_number(number)
                .copy_source(copy_source(from.bucket, from.key))
                .set_copy_source_if_match(from.version.map(str::to_owned))
                .copy_source_range(format!("bytes={start}-{end}"))
                .send()
                .await
                .map_err(|e| client.failure(e))?;
            let etag = out.copy_part_result().and_then(|r| r.e_tag()).unwrap_or_default();
            parts.push(CompletedPart::builder().part_number(number).e_tag(etag).build());
        }
        client
            .sdk()
            .complete_multipart_upload()
            .bucket(to.0)
            .key(to.1)
            .upload_id(&upload_id)
            .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
            .send()
            .await
            .map_err(|e| client.failure(e))?;
        Ok(())
    }
    .await;
    if copied.is_err() {
        abort_multipart(client, to.0, to.1, &upload_id).await;
    }
    copied
}

/// Copies (or moves) the selected objects and folders into `dest_prefix`,
/// keeping the folder structure; the count of objects done.
#[allow(clippy::too_many_arguments)]
pub async fn transfer_selection(
    client: &S3Client,
    bucket: &str,
    selection: &[String],
    dest: (&str, &str),
    writes: &BucketWrites,
    delete_source: bool,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, StorageError> {
    let (dest_bucket, dest_prefix) = dest;
    let plan = plan_transfer(selection, dest_bucket == bucket, dest_prefix).map_err(|problem| match problem {
        PlanProblem::Name(name) => StorageError::InvalidName(name),
        PlanProblem::IntoItself(item) => StorageError::InvalidTransfer(format!("{item:?} cannot go into itself")),
        PlanProblem::SameTarget(target) => {
            StorageError::InvalidTransfer(format!("two selected items would both become {target:?}"))
        }
    })?;
    for planned in &plan {
        ensure_absent(client, dest_bucket, &planned.target).await?;
    }
    let run = PlanRun { client, bucket, dest_bucket, writes, delete_source, cancel };
    run.carry_out(&plan, progress).await
}

/// Renames an object or a folder in place; the new key.
pub async fn rename(
    client: &S3Client,
    bucket: &str,
    key: &str,
    new_name: &str,
    writes: &BucketWrites,
    cancel: &CancellationToken,
) -> Result<String, StorageError> {
    check_key(key).map_err(invalid_name)?;
    let new_key = child_key(parent_prefix(key), new_name, key.ends_with('/')).map_err(invalid_name)?;
    if new_key == key {
        return Ok(new_key);
    }
    ensure_absent(client, bucket, &new_key).await?;
    let plan = [Planned { source: key.to_owned(), target: new_key.clone() }];
    let run = PlanRun { client, bucket, dest_bucket: bucket, writes, delete_source: true, cancel };
    run.carry_out(&plan, &|_| {}).await?;
    Ok(new_key)
}

struct PlanRun<'a> {
    client: &'a S3Client,
    bucket: &'a str,
    dest_bucket: &'a str,
    writes: &'a BucketWrites,
    delete_source: bool,
    cancel: &'a CancellationToken,
}

impl PlanRun<'_> {
    /// Copies every key under each planned item and, for a move, deletes
    /// exactly the keys copied, page by page: an object added under a folder
    /// meanwhile is neither copied nor deleted.
    async fn carry_out(&self, plan: &[Planned], progress: &(dyn Fn(u64) + Sync)) -> Result<u64, StorageError> {
        let Self { client, bucket, dest_bucket, writes, delete_source, cancel } = *self;
        let mut deleter = Deleter::new(client, bucket);
        let mut done = 0u64;
        for planned in plan {
            let mut pages = ItemPages::new(client, bucket, &planned.source, true);
            while let Some(page) = pages.next(cancel).await? {
                for (key, _) in page {
                    if cancel.is_cancelled() {
                        return Err(StorageError::Cancelled);
                    }
                    let to = format!("{}{}", planned.target, &key[planned.source.len()..]);
                    match copy_object(
                        client,
                        (bucket, &key),
                        (dest_bucket, &to),
                        writes,
                        None,
                        SINGLE_COPY_LIMIT,
                        cancel,
                    )
                    .await
                    {
                        // A folder made by listing alone has no marker to copy.
                        Err(StorageError::NoSuchKey(_)) if key == planned.source && key.ends_with('/') => continue,
                        other => other?,
                    }
                    if !key.ends_with('/') {
                        done += 1;
                        progress(done);
                    }
                    if delete_source {
                        deleter.push(key, cancel, &|_| {}).await?;
                    }
                }
            }
        }
        deleter.flush(cancel, &|_| {}).await?;
        Ok(done)
    }
}

pub async fn properties(client: &S3Client, bucket: &str, key: &str) -> Result<ObjectProperties, StorageError> {
    let head = head(client, bucket, key).await?.ok_or_else(|| StorageError::NoSuchKey(key.to_owned()))?;
    let headers = headers_of(&head);
    Ok(ObjectProperties {
        key: key.to_owned(),
        size: head.content_length().unwrap_or(0).max(0) as u64,
        modified: head.last_modified().and_then(|t| t.to_millis().ok()).and_then(LocalTime::from_millis),
        etag: head.e_tag().map(|e| e.trim_matches('"').to_owned()),
        storage_class: head.storage_class().map(|c| c.as_str().to_owned()),
        content_type: headers.content_type,
        metadata: headers.metadata,
        public_url: None,
    })
}

/// New content type and metadata, by copying the object onto itself; every
/// other header stays as it was.
pub async fn update_headers(
    client: &S3Client,
    bucket: &str,
    key: &str,
    content_type: Option<String>,
    metadata: BTreeMap<String, String>,
    writes: &BucketWrites,
) -> Result<(), StorageError> {
    let current = head(client, bucket, key).await?.ok_or_else(|| StorageError::NoSuchKey(key.to_owned()))?;
    let headers = ObjectHeaders { content_type, metadata, ..headers_of(&current) };
    let uncancellable = CancellationToken::new();
    copy_object(client, (bucket, key), (bucket, key), writes, Some(headers), SINGLE_COPY_LIMIT, &uncancellable).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_parts_fit_five_tebibytes_in_ten_thousand() {
        let five_tib = 5u64 << 40;
        assert!(five_tib.div_ceil(copy_part_size(five_tib)) <= MAX_PARTS);
        assert_eq!(copy_part_size(6 << 30), MIN_COPY_PART);
    }

    #[test]
    fn encoded_metadata_reads_as_typed() {
        assert_eq!(decoded("=?UTF-8?B?0JDQudCz0LXRgNGW0Lw=?=".into()), "Айгерім");
        assert_eq!(decoded("plain value".into()), "plain value");
        assert_eq!(decoded("=?broken".into()), "=?broken");
    }

    #[test]
    fn copy_sources_are_encoded_but_keep_slashes() {
        assert_eq!(copy_source("b", "a dir/файл+1.txt"), "b/a%20dir/%D1%84%D0%B0%D0%B9%D0%BB%2B1.txt");
    }
}
