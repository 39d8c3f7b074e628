//! Requests the S3 SDK has no operation for (Ceph RGW's `GET /?usage` and
//! `HEAD /bucket?read-stats=true`), signed with the client's own
//! credentials, clock and region, the way the SDK signs.

use std::time::Duration;

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings, UriPathNormalizationMode,
    sign,
};
use aws_sigv4::sign::v4;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::classify::StorageError;
use super::client::S3Client;

/// What S3 leaves unencoded in a path segment (RFC 3986's unreserved
/// characters); the server signs the path encoded this way, so a request
/// signed over anything else is refused.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// One segment of a URL path (a bucket name, a part of a key) as S3 signs it.
pub fn path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// What came back: the status, the headers and the body as text.
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl S3Client {
    /// A signed request without a body. `path_and_query` is already
    /// encoded, e.g. `/?usage` or `/bucket?read-stats=true`; it is addressed
    /// path-style, which RGW takes whatever the account's addressing.
    pub async fn raw(&self, method: reqwest::Method, path_and_query: &str) -> Result<RawAnswer, StorageError> {
        let url = format!("{}{path_and_query}", self.params().endpoint);
        let credentials = aws_credential_types::Credentials::new(
            &self.params().access_key_id,
            self.secret().expose(),
            None,
            None,
            "qoima-account",
        );
        let identity = credentials.into();
        // S3 signs the path encoded once, unnormalised, with the payload hash
        // in `x-amz-content-sha256`.
        let mut settings = SigningSettings::default();
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.params().region)
            .name("s3")
            .time(self.now())
            .settings(settings)
            .build()
            .map_err(|e| StorageError::Other(format!("signing: {e}")))?
            .into();
        let host = reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| u.host_str().map(|h| u.port().map_or_else(|| h.to_owned(), |p| format!("{h}:{p}"))))
            .ok_or_else(|| StorageError::InvalidEndpoint(url.clone()))?;
        let headers = [("host", host.as_str())];
        let signable = SignableRequest::new(method.as_str(), &url, headers.into_iter(), SignableBody::empty())
            .map_err(|e| StorageError::Other(format!("signing: {e}")))?;
        let (instructions, _) =
            sign(signable, &params).map_err(|e| StorageError::Other(format!("signing: {e}")))?.into_parts();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| StorageError::Other(format!("http client: {e}")))?;
        let mut request = http.request(method, &url);
        for (name, value) in instructions.headers() {
            request = request.header(name, value);
        }
        let response = request.send().await.map_err(failed)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.map_err(failed)?;
        Ok(RawAnswer { status, headers, body })
    }
}

fn failed(err: reqwest::Error) -> StorageError {
    if err.is_timeout() { StorageError::Timeout(err.to_string()) } else { StorageError::Unreachable(err.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_keeps_the_unreserved_characters_and_encodes_the_rest() {
        assert_eq!(path_segment("photos-2026.v2_x~"), "photos-2026.v2_x~", "a bucket name as it is");
        assert_eq!(path_segment("a b/ü+"), "a%20b%2F%C3%BC%2B");
    }
}
