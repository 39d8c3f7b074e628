//! A signed S3 client built from an account, and the calls of the browser.

use std::time::{Duration, SystemTime};

use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
    StalledStreamProtectionConfig,
};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_async::time::TimeSource;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::date_time::Format;

use super::classify::{FailureFacts, StorageError, Transport, classify_failure};
use super::entries::{BucketEntry, ObjectEntry, ObjectPage};
use crate::time::{LocalTime, SharedClock};

/// Where and as whom to connect; the secret travels separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionParams {
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub path_style: bool,
}

/// How hard to try before giving up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryPolicy {
    /// A connection test answers at once: one attempt, short timeouts.
    Probe,
    /// Everyday calls ride out a hiccup.
    Standard,
}

/// A body that moves no byte for this long is a stalled connection.
const STALL_GRACE: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct S3Client {
    inner: aws_sdk_s3::Client,
    bulk: aws_sdk_s3::Client,
    params: ConnectionParams,
    /// Kept for the requests signed outside the SDK; its `Debug` hides it.
    secret: crate::account::Secret,
    clock: SharedClock,
}

#[derive(Debug)]
struct ClockTimeSource(SharedClock);

impl TimeSource for ClockTimeSource {
    fn now(&self) -> SystemTime {
        self.0.now()
    }
}

/// A page of 1,000 keys is what S3 servers return at most.
pub const PAGE_SIZE: i32 = 1000;

pub fn validate_endpoint(endpoint: &str) -> Result<url::Url, StorageError> {
    let url =
        url::Url::parse(endpoint.trim()).map_err(|e| StorageError::InvalidEndpoint(format!("not an address: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(StorageError::InvalidEndpoint("expected http(s)://host[:port]".into()));
    }
    // Keys belong in their own fields (and the keyring), never in an address
    // that is stored and shown in plain text.
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
        return Err(StorageError::InvalidEndpoint("the address must not carry a user, password or query".into()));
    }
    Ok(url)
}

impl S3Client {
    pub fn new(
        params: &ConnectionParams,
        secret: &str,
        clock: SharedClock,
        retry: RetryPolicy,
    ) -> Result<Self, StorageError> {
        let endpoint = validate_endpoint(&params.endpoint)?;
        let (attempts, timeouts) = match retry {
            RetryPolicy::Probe => (
                1,
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(8))
                    .read_timeout(Duration::from_secs(20))
                    .operation_timeout(Duration::from_secs(25))
                    .build(),
            ),
            RetryPolicy::Standard => (
                4,
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(10))
                    .read_timeout(Duration::from_secs(60))
                    .operation_attempt_timeout(Duration::from_secs(90))
                    .build(),
            ),
        };
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(params.region.clone()))
            .endpoint_url(endpoint.as_str().trim_end_matches('/'))
            .force_path_style(params.path_style)
            .credentials_provider(Credentials::new(&params.access_key_id, secret, None, None, "qoima-account"))
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .retry_config(RetryConfig::standard().with_max_attempts(attempts))
            .time_source(ClockTimeSource(clock.clone()));
        // A read timeout runs while a request's body is still being sent, so
        // it would kill a large part on a slow line. Bodies are watched for
        // stalling instead: a connection that stops moving is retried, one
        // that moves slowly is left alone.
        let bulk = config
            .clone()
            .timeout_config(TimeoutConfig::builder().connect_timeout(Duration::from_secs(10)).build())
            .stalled_stream_protection(StalledStreamProtectionConfig::enabled().grace_period(STALL_GRACE).build())
            .build();
        Ok(Self {
            inner: aws_sdk_s3::Client::from_conf(config.timeout_config(timeouts).build()),
            bulk: aws_sdk_s3::Client::from_conf(bulk),
            params: params.clone(),
            secret: crate::account::Secret::new(secret),
            clock,
        })
    }

    /// The instant requests are signed at.
    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }

    pub(super) fn secret(&self) -> &crate::account::Secret {
        &self.secret
    }

    pub fn params(&self) -> &ConnectionParams {
        &self.params
    }

    pub fn sdk(&self) -> &aws_sdk_s3::Client {
        &self.inner
    }

    /// For requests that carry an object's bytes (parts, ranges, whole
    /// files): no time limit, only a limit on standing still.
    pub fn bulk(&self) -> &aws_sdk_s3::Client {
        &self.bulk
    }

    pub async fn list_buckets(&self) -> Result<Vec<BucketEntry>, StorageError> {
        let mut buckets = Vec::new();
        let mut token = None;
        loop {
            let out =
                self.inner.list_buckets().set_continuation_token(token).send().await.map_err(|e| self.failure(e))?;
            buckets.extend(out.buckets().iter().map(|b| BucketEntry {
                name: b.name().unwrap_or_default().to_owned(),
                created: b.creation_date().and_then(to_local),
            }));
            token = out.continuation_token().filter(|t| !t.is_empty()).map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        buckets.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(buckets)
    }

    /// One ListBuckets with `deadline` and no retry: whether the storage
    /// answers at all. A failure comes back as its raw facts, for the
    /// availability probe to weigh (a 403 is an answer there, not an error).
    pub async fn probe(&self, deadline: Duration) -> Result<(), FailureFacts> {
        let once = aws_sdk_s3::config::Builder::default().retry_config(RetryConfig::disabled()).timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(deadline)
                .read_timeout(deadline)
                .operation_timeout(deadline)
                .build(),
        );
        match self.inner.list_buckets().customize().config_override(once).send().await {
            Ok(_) => Ok(()),
            Err(err) => Err(facts_of(&err, self.clock.now())),
        }
    }

    /// One page of the folder view: the folders and objects directly under
    /// `prefix`, interleaved in key order as the server lists them.
    pub async fn list_page(
        &self,
        bucket: &str,
        prefix: &str,
        token: Option<String>,
    ) -> Result<ObjectPage, StorageError> {
        self.list(bucket, prefix, token, Some("/")).await
    }

    /// One page of every key under `prefix`, at any depth.
    pub async fn list_page_recursive(
        &self,
        bucket: &str,
        prefix: &str,
        token: Option<String>,
    ) -> Result<ObjectPage, StorageError> {
        self.list(bucket, prefix, token, None).await
    }

    async fn list(
        &self,
        bucket: &str,
        prefix: &str,
        token: Option<String>,
        delimiter: Option<&str>,
    ) -> Result<ObjectPage, StorageError> {
        let out = self
            .inner
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .set_delimiter(delimiter.map(str::to_owned))
            .max_keys(PAGE_SIZE)
            .set_continuation_token(token)
            .send()
            .await
            .map_err(|e| self.failure(e))?;
        let folders = out
            .common_prefixes()
            .iter()
            .filter_map(|p| p.prefix())
            .map(|key| ObjectEntry::folder(key.to_owned(), prefix));
        // A zero-byte object named like the folder itself is how other tools
        // mark an empty folder; it is the folder, not a file inside it.
        let objects =
            out.contents().iter().filter(|o| o.key().is_some_and(|k| !(prefix.ends_with('/') && k == prefix))).map(
                |o| {
                    ObjectEntry::object(
                        o.key().unwrap_or_default().to_owned(),
                        prefix,
                        o.size().unwrap_or(0).max(0) as u64,
                        o.last_modified().and_then(to_local),
                        o.storage_class().map(|c| c.as_str().to_owned()),
                    )
                },
            );
        let mut entries: Vec<ObjectEntry> = folders.chain(objects).collect();
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        let next_token =
            if out.is_truncated() == Some(true) { out.next_continuation_token().map(str::to_owned) } else { None };
        Ok(ObjectPage { entries, next_token })
    }

    /// Turns any SDK failure into the one thing the person has to fix.
    pub fn failure<E, R>(&self, err: SdkError<E, R>) -> StorageError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + AsHttpResponse,
    {
        let now = self.clock.now();
        classify_failure(facts_of(&err, now))
    }
}

/// Lets `failure` read status and `Date` from the raw response whatever its type.
pub trait AsHttpResponse {
    fn http(&self) -> Option<&HttpResponse>;
}

impl AsHttpResponse for HttpResponse {
    fn http(&self) -> Option<&HttpResponse> {
        Some(self)
    }
}

fn facts_of<E, R>(err: &SdkError<E, R>, now: SystemTime) -> FailureFacts
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + AsHttpResponse,
{
    let chain = error_chain(err);
    let transport = match err {
        SdkError::TimeoutError(_) => Some(Transport::Timeout(chain.clone())),
        // A connection that is never accepted means the address is wrong or
        // out of reach; a slow answer on an open connection is a timeout.
        SdkError::DispatchFailure(failure) => Some(if failure.is_timeout() && !is_connect_failure(&chain) {
            Transport::Timeout(chain.clone())
        } else if looks_like_tls(&chain) {
            Transport::Tls(chain.clone())
        } else {
            Transport::Io(chain.clone())
        }),
        SdkError::ConstructionFailure(_) => return FailureFacts { message: Some(chain), ..Default::default() },
        _ => None,
    };
    let response = err.raw_response().and_then(AsHttpResponse::http);
    let server_ahead_s = response
        .and_then(|r| r.headers().get("date"))
        .and_then(|d| aws_smithy_types::DateTime::from_str(d, Format::HttpDate).ok())
        .map(|server| server.secs() - crate::time::unix_millis(now) / 1000);
    FailureFacts {
        status: response.map(|r| r.status().as_u16()),
        code: err.code().map(str::to_owned),
        message: err.message().map(str::to_owned).or_else(|| transport.is_none().then(|| chain.clone())),
        server_ahead_s,
        transport,
    }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

fn is_connect_failure(chain: &str) -> bool {
    chain.to_ascii_lowercase().contains("connect")
}

fn looks_like_tls(chain: &str) -> bool {
    let lower = chain.to_ascii_lowercase();
    ["certificate", "tls", "ssl", "handshake", "invalidcontenttype", "corrupt message", "unknownissuer"]
        .iter()
        .any(|needle| lower.contains(needle))
}

fn to_local(at: &aws_smithy_types::DateTime) -> Option<LocalTime> {
    let millis = at.to_millis().ok()?;
    LocalTime::from_millis(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_http_urls() {
        assert!(validate_endpoint("https://s3.example.kz").is_ok());
        assert!(validate_endpoint("http://127.0.0.1:3900").is_ok());
        assert!(validate_endpoint("s3.example.kz").is_err());
        assert!(validate_endpoint("ftp://s3.example.kz").is_err());
        assert!(validate_endpoint("").is_err());
        let err = validate_endpoint("https://AKID:topsecret@s3.example.kz").unwrap_err();
        assert!(!err.to_string().contains("topsecret"), "the detail never repeats a password");
        assert!(validate_endpoint("https://s3.example.kz/?x=1").is_err());
    }

    #[test]
    fn tls_failures_are_recognised_by_their_words() {
        assert!(looks_like_tls("io error: invalid peer certificate: UnknownIssuer"));
        assert!(looks_like_tls("received corrupt message of type InvalidContentType"));
        assert!(!looks_like_tls("Connection refused (os error 111)"));
    }
}
