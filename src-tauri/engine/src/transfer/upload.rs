//! Sending one file: a single request below the threshold, otherwise a
//! multipart upload whose parts are read straight from the file by offset,
//! several at once under the shared budget, so memory stays small whatever
//! the file's size. A journal keeps the upload id and finished parts so the
//! queue can continue the upload after a restart.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use aws_smithy_types::body::SdkBody;
use futures::{StreamExt, TryStreamExt};
use tokio_util::sync::CancellationToken;

use super::budget::{Budget, Throttle};
use super::local;
use super::parts::{PREFERRED_PART, PartPlan, part_plan};
use crate::objects::{
    BucketWrites, Checksummer, ObjectHeaders, ObjectWrite, PartChecksum, abort_multipart, check_key, start_multipart,
};
use crate::provider::ChecksumKind;
use crate::storage::{S3Client, StorageError};

#[derive(Debug, Clone)]
pub struct UploadOptions {
    /// Files from this size on go in parts.
    pub threshold: u64,
    pub budget: Budget,
    /// Stored only if the object is still as expected, where the storage
    /// honours conditional writes (it answers 412 otherwise).
    pub condition: Option<WriteCondition>,
}

impl Default for UploadOptions {
    fn default() -> Self {
        Self { threshold: PREFERRED_PART, budget: Budget::default(), condition: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteCondition {
    /// No object may have the key yet (`If-None-Match: *`).
    Absent,
    /// The object must still have this ETag (`If-Match`).
    Is(String),
}

impl WriteCondition {
    fn if_match(condition: Option<&Self>) -> Option<String> {
        match condition {
            Some(Self::Is(etag)) => Some(format!("\"{}\"", etag.trim_matches('"'))),
            _ => None,
        }
    }

    fn if_none_match(condition: Option<&Self>) -> Option<String> {
        matches!(condition, Some(Self::Absent)).then(|| "*".to_owned())
    }
}

/// A part the storage holds, as CompleteMultipartUpload will list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonePart {
    pub number: i32,
    pub etag: String,
    pub checksum: String,
}

/// A multipart upload to continue instead of starting anew.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumePoint {
    pub upload_id: String,
    pub part_size: u64,
    /// Parts both the journal and the storage know.
    pub parts: Vec<DonePart>,
}

/// Where a multipart upload's progress is written down as it happens.
pub trait UploadJournal: Sync {
    fn started(&self, upload_id: &str, part_size: u64) -> Result<(), StorageError>;
    fn part_done(&self, part: &DonePart) -> Result<(), StorageError>;
    /// Whether a failed upload is kept on the storage to be continued (the
    /// queue's) or aborted at once (a one-off copy's).
    fn continues_later(&self) -> bool;
}

/// For uploads nobody continues: a failure aborts the multipart upload.
pub struct NoJournal;

impl UploadJournal for NoJournal {
    fn started(&self, _: &str, _: u64) -> Result<(), StorageError> {
        Ok(())
    }
    fn part_done(&self, _: &DonePart) -> Result<(), StorageError> {
        Ok(())
    }
    fn continues_later(&self) -> bool {
        false
    }
}

/// What an upload stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub size: u64,
    /// The ETag the storage gave the new object.
    pub etag: Option<String>,
    /// The file's modification time when it was read, unchanged until the
    /// storage confirmed the object.
    pub modified: Option<SystemTime>,
}

/// Size and modification time: a file that changes while it is sent is
/// noticed, never stored half old, half new.
pub async fn stamp(path: &Path) -> Result<(u64, Option<SystemTime>), StorageError> {
    let meta = tokio::fs::metadata(path).await.map_err(local(path))?;
    Ok((meta.len(), meta.modified().ok()))
}

/// Reads one region of the file to checksum it before it is sent.
async fn region_checksum(path: &Path, kind: ChecksumKind, offset: u64, len: u64) -> Result<PartChecksum, StorageError> {
    let owned = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = std::fs::File::open(&owned)?;
        file.seek(SeekFrom::Start(offset))?;
        let mut checksum = Checksummer::new(kind);
        let mut buffer = vec![0u8; 1024 * 1024];
        let mut left = len;
        while left > 0 {
            let want = left.min(buffer.len() as u64) as usize;
            file.read_exact(&mut buffer[..want])?;
            checksum.update(&buffer[..want]);
            left -= want as u64;
        }
        Ok(checksum.finish())
    })
    .await
    .map_err(|e| StorageError::Other(e.to_string()))?
    .map_err(local(path))
}

const READ_CHUNK: usize = 256 * 1024;
/// Progress of a multipart upload is reported this often while parts are
/// on their way, not only when a part finishes.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);
/// Parts of one file in flight at once: measured here, 8 keep a single
/// large file at full speed; more would only take the shared budget from
/// the other files.
const PARTS_IN_FLIGHT: usize = 8;

/// Once the storage has a part's last byte, it answers within this long,
/// or the connection is taken for dead and the part sent again.
const ANSWER_DEADLINE: Duration = Duration::from_secs(120);

/// Bytes per second: the slowest line a single small upload is waited for.
const SLOWEST_LINE: u64 = 8 * 1024;

/// Ends when the whole body has been sent and no answer came within the
/// deadline; never while bytes are still going out, however slowly.
async fn answer_overdue(attempt: &AtomicU64, len: u64) {
    let mut sent_all_since = None;
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if attempt.load(Ordering::Relaxed) < len {
            sent_all_since = None;
        } else if sent_all_since.get_or_insert_with(std::time::Instant::now).elapsed() > ANSWER_DEADLINE {
            return;
        }
    }
}

/// A region of a file as a request body that can be read again for a retry,
/// each chunk let through by the upload throttle and counted into `sent`
/// (a retry takes back what its attempt counted).
fn region_body(
    path: &Path,
    (offset, len): (u64, u64),
    throttle: &Throttle,
    sent: &Arc<AtomicU64>,
    attempt: &Arc<AtomicU64>,
) -> ByteStream {
    let path = path.to_path_buf();
    let throttle = throttle.clone();
    let sent = sent.clone();
    let attempt = attempt.clone();
    ByteStream::new(SdkBody::retryable(move || {
        sent.fetch_sub(attempt.swap(0, Ordering::Relaxed), Ordering::Relaxed);
        let counters = (sent.clone(), attempt.clone());
        let stream = region_stream(path.clone(), offset, len, throttle.clone(), counters);
        SdkBody::from_body_1_x(http_body_util::StreamBody::new(stream.map_ok(http_body::Frame::data)))
    }))
}

fn region_stream(
    path: PathBuf,
    offset: u64,
    len: u64,
    throttle: Throttle,
    (sent, attempt): (Arc<AtomicU64>, Arc<AtomicU64>),
) -> impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + Sync + 'static {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    // Under a limit, small chunks keep the bytes flowing evenly (about eight
    // a second) instead of in bursts with long silences.
    let chunk = throttle.rate().map_or(READ_CHUNK, |rate| (rate as usize / 8).clamp(8 * 1024, READ_CHUNK));
    let opened = async move {
        let mut file = tokio::fs::File::open(&path).await?;
        file.seek(std::io::SeekFrom::Start(offset)).await?;
        Ok::<_, std::io::Error>(tokio_util::io::ReaderStream::with_capacity(file.take(len), chunk))
    };
    futures::stream::once(opened).try_flatten().and_then(move |chunk| {
        let (throttle, sent, attempt) = (throttle.clone(), sent.clone(), attempt.clone());
        async move {
            throttle.take(chunk.len() as u64).await;
            attempt.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            Ok(chunk)
        }
    })
}

/// Sends `path` as `key`; the bytes sent. `progress` gets the running total.
#[allow(clippy::too_many_arguments)]
pub async fn upload_file(
    client: &S3Client,
    bucket: &str,
    key: &str,
    path: &Path,
    writes: &BucketWrites,
    options: &UploadOptions,
    cancel: &CancellationToken,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<u64, StorageError> {
    let target = Target { client, bucket, key, path, writes };
    Ok(target.upload(options, None, &NoJournal, cancel, progress).await?.size)
}

/// Where one upload goes and what it sends.
pub struct Target<'a> {
    pub client: &'a S3Client,
    pub bucket: &'a str,
    pub key: &'a str,
    pub path: &'a Path,
    pub writes: &'a BucketWrites,
}

impl Target<'_> {
    /// Sends the file, continuing `resume` when given.
    pub async fn upload(
        &self,
        options: &UploadOptions,
        resume: Option<ResumePoint>,
        journal: &dyn UploadJournal,
        cancel: &CancellationToken,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Sent, StorageError> {
        let (client, path) = (self.client, self.path);
        check_key(self.key).map_err(StorageError::InvalidName)?;
        let before = stamp(path).await?;
        let size = before.0;
        let content_type = mime_guess::from_path(path).first().map(|m| m.essence_str().to_owned());
        let write = ObjectWrite { bucket: self.writes, headers: ObjectHeaders { content_type, ..Default::default() } };
        match part_plan(size, options.threshold) {
            None => Err(StorageError::TooLarge { size, limit: super::parts::MAX_OBJECT }),
            Some(PartPlan::Single) => {
                let _permit = options.budget.request().await;
                let body = tokio::fs::read(path).await.map_err(local(path))?;
                if stamp(path).await? != before || body.len() as u64 != size {
                    return Err(StorageError::FileChanged(path.display().to_string()));
                }
                let condition = options.condition.as_ref();
                let request = write
                    .put(client.bulk().put_object().bucket(self.bucket).key(self.key), &body)
                    .set_if_match(WriteCondition::if_match(condition))
                    .set_if_none_match(WriteCondition::if_none_match(condition));
                options.budget.upload.take(size).await;
                // Bytes in memory cannot be watched as they go, so the wait
                // is bounded by what even a very slow line manages.
                let deadline = ANSWER_DEADLINE + Duration::from_secs(size / SLOWEST_LINE);
                let out = tokio::select! {
                    sent = tokio::time::timeout(deadline, request.body(body.into()).send()) => match sent {
                        Ok(sent) => sent.map_err(|e| client.failure(e))?,
                        Err(_) => return Err(StorageError::Timeout("the storage did not take a small file".into())),
                    },
                    () = cancel.cancelled() => return Err(StorageError::Cancelled),
                };
                progress(size);
                Ok(Sent { size, etag: out.e_tag().map(str::to_owned), modified: before.1 })
            }
            Some(PartPlan::Multipart { part_size, parts }) => {
                let resume = resume.filter(|r| r.part_size == part_size);
                let job = Multipart { target: self, write: &write, part_size, size, options, journal };
                job.run(parts, resume, before, cancel, progress).await
            }
        }
    }
}

struct Multipart<'a> {
    target: &'a Target<'a>,
    write: &'a ObjectWrite<'a>,
    part_size: u64,
    size: u64,
    options: &'a UploadOptions,
    journal: &'a dyn UploadJournal,
}

impl Multipart<'_> {
    async fn run(
        &self,
        parts: u64,
        resume: Option<ResumePoint>,
        before: (u64, Option<SystemTime>),
        cancel: &CancellationToken,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Sent, StorageError> {
        let Target { client, bucket, key, path, .. } = *self.target;
        let (upload_id, held) = match resume {
            Some(resume) => (resume.upload_id, resume.parts),
            None => {
                let upload_id = start_multipart(client, self.write, bucket, key).await?;
                if let Err(err) = self.journal.started(&upload_id, self.part_size) {
                    abort_multipart(client, bucket, key, &upload_id).await;
                    return Err(err);
                }
                (upload_id, Vec::new())
            }
        };
        let kind = self.write.bucket.checksum;
        let mut completed: Vec<CompletedPart> = Vec::with_capacity(parts as usize);
        let mut missing = Vec::new();
        let mut already = 0;
        for index in 0..parts {
            let number = index as i32 + 1;
            match held.iter().find(|p| p.number == number) {
                Some(part) => {
                    let checksum = PartChecksum::new(kind, part.checksum.clone());
                    completed.push(ObjectWrite::completed_part(number, Some(&part.etag), &checksum));
                    already += PartPlan::range(self.part_size, self.size, index).1;
                }
                None => missing.push(index),
            }
        }
        let sent = Arc::new(AtomicU64::new(already));
        if already > 0 {
            progress(already);
        }
        let uploaded = async {
            // Under a speed limit more parts at once only split the same
            // bandwidth: two keep the line busy and finish parts early, so a
            // pause or a crash loses little.
            let in_flight = if self.options.budget.upload.rate().is_some() { 2 } else { PARTS_IN_FLIGHT };
            let parts = futures::stream::iter(missing)
                .map(|index| self.part(&upload_id, index, cancel, &sent, progress))
                .buffer_unordered(in_flight)
                .try_collect::<Vec<_>>();
            tokio::pin!(parts);
            let mut ticks = tokio::time::interval(PROGRESS_EVERY);
            let sent_now = loop {
                tokio::select! {
                    done = &mut parts => break done?,
                    _ = ticks.tick() => progress(sent.load(Ordering::Relaxed)),
                }
            };
            completed.extend(sent_now);
            completed.sort_by_key(|part| part.part_number());
            if cancel.is_cancelled() {
                return Err(StorageError::Cancelled);
            }
            if stamp(path).await? != before {
                return Err(StorageError::FileChanged(path.display().to_string()));
            }
            let out = client
                .sdk()
                .complete_multipart_upload()
                .bucket(bucket)
                .key(key)
                .upload_id(&upload_id)
                .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(completed)).build())
                .set_if_match(WriteCondition::if_match(self.options.condition.as_ref()))
                .set_if_none_match(WriteCondition::if_none_match(self.options.condition.as_ref()))
                .send()
                .await
                .map_err(|e| client.failure(e))?;
            Ok(Sent { size: self.size, etag: out.e_tag().map(str::to_owned), modified: before.1 })
        }
        .await;
        if uploaded.is_err() && !self.journal.continues_later() {
            abort_multipart(client, bucket, key, &upload_id).await;
        }
        uploaded
    }

    async fn part(
        &self,
        upload_id: &str,
        index: u64,
        cancel: &CancellationToken,
        sent: &Arc<AtomicU64>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<CompletedPart, StorageError> {
        let Target { client, bucket, key, path, .. } = *self.target;
        let _permit = tokio::select! {
            permit = self.options.budget.request() => permit,
            () = cancel.cancelled() => return Err(StorageError::Cancelled),
        };
        let (offset, len) = PartPlan::range(self.part_size, self.size, index);
        let checksum = region_checksum(path, self.write.bucket.checksum, offset, len).await?;
        let attempt = Arc::new(AtomicU64::new(0));
        let body = region_body(path, (offset, len), &self.options.budget.upload, sent, &attempt);
        let number = index as i32 + 1;
        let request = client
            .bulk()
            .upload_part()
            .bucket(bucket)
            .key(key)
            .upload_id(upload_id)
            .part_number(number)
            .content_length(len as i64)
            .body(body);
        let out = tokio::select! {
            sent = self.write.part(request, &checksum).send() => sent.map_err(|e| client.failure(e))?,
            () = cancel.cancelled() => return Err(StorageError::Cancelled),
            () = answer_overdue(&attempt, len) => {
                return Err(StorageError::Timeout("the storage took a whole part and never answered".into()));
            }
        };
        let etag = out.e_tag().unwrap_or_default().to_owned();
        self.journal.part_done(&DonePart { number, etag: etag.clone(), checksum: checksum.value().to_owned() })?;
        progress(sent.load(Ordering::Relaxed));
        Ok(ObjectWrite::completed_part(number, Some(&etag), &checksum))
    }
}
