//! Telling failures apart, so the person is told the one thing to fix.
//!
//! S3 servers disagree on codes: AWS, MinIO and Ceph say
//! `SignatureDoesNotMatch` / `InvalidAccessKeyId`, Garage says `AccessDenied`
//! with "Invalid signature" / "No such key". The decision is pure and works on
//! the facts pulled out of an SDK error, so it is tested without a network.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("endpoint unreachable: {0}")]
    Unreachable(String),
    #[error("TLS failure: {0}")]
    Tls(String),
    #[error("wrong region: {0}")]
    WrongRegion(String),
    #[error("unknown access key: {0}")]
    UnknownAccessKey(String),
    #[error("signature mismatch: {0}")]
    WrongSecret(String),
    #[error("clock differs from the server's by {skew_s} s: {message}")]
    ClockSkew { skew_s: i64, message: String },
    #[error("access denied: {0}")]
    PermissionDenied(String),
    #[error("timed out: {0}")]
    Timeout(String),
    #[error("no such bucket: {0}")]
    NoSuchBucket(String),
    #[error("no such object: {0}")]
    NoSuchKey(String),
    #[error("bucket name taken: {0}")]
    BucketExists(String),
    #[error("bucket already yours: {0}")]
    BucketOwned(String),
    #[error("bucket not empty: {0}")]
    BucketNotEmpty(String),
    #[error("quota reached: {0}")]
    Quota(String),
    #[error("not supported by this storage: {0}")]
    NotImplemented(String),
    #[error("local file: {0}")]
    LocalFile(String),
    #[error("the folder to sync is not there: {0}")]
    FolderMissing(String),
    #[error("local file not written: {0}")]
    LocalWrite(String),
    #[error("what arrived does not match the storage's checksum: {0}")]
    BadChecksum(String),
    #[error("changed while it was sent: {0}")]
    FileChanged(String),
    #[error("{size} bytes, more than the {limit} allowed")]
    TooLarge { size: u64, limit: u64 },
    #[error("{0:?} already exists")]
    AlreadyExists(String),
    #[error("not a possible copy or move: {0}")]
    InvalidTransfer(String),
    #[error("not a valid name: {0:?}")]
    InvalidName(crate::objects::NameProblem),
    #[error("invalid endpoint: {0}")]
    InvalidEndpoint(String),
    #[error("cancelled")]
    Cancelled,
    #[error("{code} (HTTP {status}): {message}")]
    Service { status: u16, code: String, message: String },
    #[error("{0}")]
    Other(String),
}

impl StorageError {
    /// Failures that pass: the network, an overloaded or failing server.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable(_) | Self::Timeout(_) => true,
            Self::Service { status, code, .. } => *status >= 500 || code == "SlowDown",
            _ => false,
        }
    }
}

/// What is known about one failed request.
#[derive(Debug, Default, Clone)]
pub struct FailureFacts {
    /// HTTP status, when a response came back.
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: Option<String>,
    /// Server time minus client time, from the response's `Date` header.
    pub server_ahead_s: Option<i64>,
    /// The request never got a response: connection, DNS, TLS or timeout.
    pub transport: Option<Transport>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    Timeout(String),
    Tls(String),
    Io(String),
}

/// Signing tolerates 15 minutes on AWS; past five, a refused request is far
/// more likely the clock than the key.
const SKEW_TOLERANCE: Duration = Duration::from_secs(5 * 60);

pub fn classify_failure(facts: FailureFacts) -> StorageError {
    if let Some(transport) = facts.transport {
        return match transport {
            Transport::Timeout(m) => StorageError::Timeout(m),
            Transport::Tls(m) => StorageError::Tls(m),
            Transport::Io(m) => StorageError::Unreachable(m),
        };
    }
    let code = facts.code.clone().unwrap_or_default();
    let message = facts.message.clone().unwrap_or_default();
    let detail = if message.is_empty() { code.clone() } else { format!("{code}: {message}") };
    let lower = message.to_ascii_lowercase();
    let refused = matches!(facts.status, Some(400 | 401 | 403));

    if code == "RequestTimeTooSkewed" {
        return StorageError::ClockSkew { skew_s: facts.server_ahead_s.unwrap_or(0), message: detail };
    }
    if let Some(skew) = facts.server_ahead_s
        && refused
        && skew.unsigned_abs() > SKEW_TOLERANCE.as_secs()
    {
        return StorageError::ClockSkew { skew_s: skew, message: detail };
    }
    if code == "AuthorizationHeaderMalformed"
        || code == "IllegalLocationConstraintException"
        || lower.contains("region") && code != "AccessDenied" && refused
    {
        return StorageError::WrongRegion(detail);
    }
    match code.as_str() {
        "InvalidAccessKeyId" => return StorageError::UnknownAccessKey(detail),
        "SignatureDoesNotMatch" => return StorageError::WrongSecret(detail),
        "NoSuchBucket" => return StorageError::NoSuchBucket(detail),
        "NoSuchKey" => return StorageError::NoSuchKey(detail),
        "BucketAlreadyExists" => return StorageError::BucketExists(detail),
        "BucketAlreadyOwnedByYou" => return StorageError::BucketOwned(detail),
        "BucketNotEmpty" => return StorageError::BucketNotEmpty(detail),
        "NotImplemented" | "NotSupported" | "MethodNotAllowed" => return StorageError::NotImplemented(detail),
        "QuotaExceeded" | "TooManyBuckets" | "TooManyObjects" => return StorageError::Quota(detail),
        _ => {}
    }
    // Garage refuses writes over a bucket quota as access denied, by message.
    if lower.contains("quota") && (lower.contains("reached") || lower.contains("exceeded")) {
        return StorageError::Quota(detail);
    }
    if code == "AccessDenied" || code == "Forbidden" || facts.status == Some(403) {
        if lower.contains("no such key") || lower.contains("access key") && lower.contains("not") {
            return StorageError::UnknownAccessKey(detail);
        }
        if lower.contains("signature") {
            return StorageError::WrongSecret(detail);
        }
        if lower.contains("date") && (lower.contains("too far") || lower.contains("skew")) {
            return StorageError::ClockSkew { skew_s: facts.server_ahead_s.unwrap_or(0), message: detail };
        }
        return StorageError::PermissionDenied(detail);
    }
    if facts.status == Some(404) && code.is_empty() {
        return StorageError::NoSuchBucket(detail);
    }
    StorageError::Service { status: facts.status.unwrap_or(0), code, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, code: &str, message: &str) -> FailureFacts {
        FailureFacts {
            status: Some(status),
            code: Some(code.into()),
            message: Some(message.into()),
            server_ahead_s: Some(1),
            transport: None,
        }
    }

    #[test]
    fn aws_style_codes() {
        assert!(matches!(classify_failure(refused(403, "InvalidAccessKeyId", "x")), StorageError::UnknownAccessKey(_)));
        assert!(matches!(classify_failure(refused(403, "SignatureDoesNotMatch", "x")), StorageError::WrongSecret(_)));
        assert!(matches!(
            classify_failure(refused(400, "AuthorizationHeaderMalformed", "the region 'x' is wrong")),
            StorageError::WrongRegion(_)
        ));
        assert!(matches!(classify_failure(refused(403, "RequestTimeTooSkewed", "x")), StorageError::ClockSkew { .. }));
    }

    #[test]
    fn garage_style_messages() {
        assert!(matches!(
            classify_failure(refused(403, "AccessDenied", "Forbidden: No such key: GK123")),
            StorageError::UnknownAccessKey(_)
        ));
        assert!(matches!(
            classify_failure(refused(403, "AccessDenied", "Forbidden: Invalid signature")),
            StorageError::WrongSecret(_)
        ));
        assert!(matches!(
            classify_failure(refused(403, "AccessDenied", "Forbidden: Operation is not allowed for this key.")),
            StorageError::PermissionDenied(_)
        ));
    }

    #[test]
    fn a_refusal_with_a_far_clock_is_skew() {
        let mut facts = refused(403, "AccessDenied", "Forbidden: Invalid signature");
        facts.server_ahead_s = Some(-3 * 3600);
        assert_eq!(
            classify_failure(facts),
            StorageError::ClockSkew { skew_s: -3 * 3600, message: "AccessDenied: Forbidden: Invalid signature".into() }
        );
    }

    #[test]
    fn a_small_skew_does_not_hide_the_real_cause() {
        let mut facts = refused(403, "SignatureDoesNotMatch", "x");
        facts.server_ahead_s = Some(60);
        assert!(matches!(classify_failure(facts), StorageError::WrongSecret(_)));
    }

    #[test]
    fn bucket_and_quota_refusals_get_their_own_kinds() {
        assert!(matches!(classify_failure(refused(409, "BucketAlreadyExists", "x")), StorageError::BucketExists(_)));
        assert!(matches!(classify_failure(refused(409, "BucketAlreadyOwnedByYou", "x")), StorageError::BucketOwned(_)));
        assert!(matches!(classify_failure(refused(409, "BucketNotEmpty", "x")), StorageError::BucketNotEmpty(_)));
        assert!(matches!(classify_failure(refused(501, "NotImplemented", "x")), StorageError::NotImplemented(_)));
        assert!(matches!(
            classify_failure(refused(
                403,
                "AccessDenied",
                "Forbidden: Bucket size quota is reached, maximum size is 10 bytes"
            )),
            StorageError::Quota(_)
        ));
        assert!(matches!(classify_failure(refused(400, "TooManyBuckets", "x")), StorageError::Quota(_)));
    }

    #[test]
    fn transport_failures() {
        let facts = |t| FailureFacts { transport: Some(t), ..Default::default() };
        assert!(matches!(classify_failure(facts(Transport::Io("refused".into()))), StorageError::Unreachable(_)));
        assert!(matches!(classify_failure(facts(Transport::Tls("bad cert".into()))), StorageError::Tls(_)));
        assert!(matches!(classify_failure(facts(Transport::Timeout("slow".into()))), StorageError::Timeout(_)));
    }

    #[test]
    fn unknown_codes_stay_service_errors() {
        assert_eq!(
            classify_failure(refused(500, "InternalError", "boom")),
            StorageError::Service { status: 500, code: "InternalError".into(), message: "boom".into() }
        );
    }
}
