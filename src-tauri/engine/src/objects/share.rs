//! Addresses for an object: a time-limited signed link anyone can open, and
//! the plain public address while its bucket is public.

use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;

use super::model::ShareLink;
use crate::storage::{ConnectionParams, S3Client, StorageError, path_segment};
use crate::time::LocalTime;

pub const MIN_SHARE: Duration = Duration::from_secs(3600);
/// Signature version 4 allows at most seven days.
pub const MAX_SHARE: Duration = Duration::from_secs(7 * 24 * 3600);

pub async fn share_link(
    client: &S3Client,
    bucket: &str,
    key: &str,
    expires_in: Duration,
    now: std::time::SystemTime,
) -> Result<ShareLink, StorageError> {
    let expires_in = expires_in.clamp(MIN_SHARE, MAX_SHARE);
    let config = PresigningConfig::builder()
        .start_time(now)
        .expires_in(expires_in)
        .build()
        .map_err(|e| StorageError::Other(e.to_string()))?;
    let request =
        client.sdk().get_object().bucket(bucket).key(key).presigned(config).await.map_err(|e| client.failure(e))?;
    let expires = LocalTime::from_millis(crate::time::unix_millis(now + expires_in));
    Ok(ShareLink { url: request.uri().to_owned(), expires })
}

/// The base every public object address starts with: the key follows.
pub fn public_base_url(params: &ConnectionParams, bucket: &str) -> String {
    let endpoint = params.endpoint.trim().trim_end_matches('/');
    match url::Url::parse(endpoint) {
        Ok(url) if !params.path_style && url.host_str().is_some() => {
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}://{bucket}.{}{port}/", url.scheme(), url.host_str().unwrap_or_default())
        }
        _ => format!("{endpoint}/{bucket}/"),
    }
}

pub fn public_url(params: &ConnectionParams, bucket: &str, key: &str) -> String {
    let path: Vec<String> = key.split('/').map(path_segment).collect();
    format!("{}{}", public_base_url(params, bucket), path.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(endpoint: &str, path_style: bool) -> ConnectionParams {
        ConnectionParams { endpoint: endpoint.into(), region: "r".into(), access_key_id: "k".into(), path_style }
    }

    #[test]
    fn public_addresses_follow_the_addressing_style() {
        assert_eq!(
            public_url(&params("https://s3.example.kz/", true), "photos", "2026/қыс 1.jpg"),
            "https://s3.example.kz/photos/2026/%D2%9B%D1%8B%D1%81%201.jpg"
        );
        assert_eq!(
            public_url(&params("https://s3.example.kz:8443", false), "photos", "a+b.txt"),
            "https://photos.s3.example.kz:8443/a%2Bb.txt"
        );
    }
}
