//! Garage's admin API (v2) for a bucket's size, object count and quotas.
//! The token opens the whole cluster, so only the buckets the account's S3
//! key lists are asked about.

use serde::Deserialize;

use crate::storage::StorageError;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListedBucket {
    id: String,
    #[serde(default)]
    global_aliases: Vec<String>,
    #[serde(default)]
    local_aliases: Vec<LocalAlias>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocalAlias {
    access_key_id: String,
    alias: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Quotas {
    max_size: Option<u64>,
    max_objects: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BucketInfo {
    objects: u64,
    bytes: u64,
    #[serde(default)]
    quotas: Quotas,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GarageBucket {
    pub bytes: u64,
    pub objects: u64,
    pub max_bytes: Option<u64>,
    pub max_objects: Option<u64>,
}

pub struct GarageAdmin {
    endpoint: String,
    token: String,
    http: reqwest::Client,
}

impl GarageAdmin {
    pub fn new(endpoint: &str, token: &str) -> Result<Self, StorageError> {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(10))
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| StorageError::Other(format!("http client: {e}")))?;
        Ok(Self { endpoint: endpoint.trim_end_matches('/').to_owned(), token: token.to_owned(), http })
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, StorageError> {
        let response =
            self.http.get(format!("{}{path}", self.endpoint)).bearer_auth(&self.token).send().await.map_err(|e| {
                if e.is_timeout() {
                    StorageError::Timeout(e.to_string())
                } else {
                    StorageError::Unreachable(e.to_string())
                }
            })?;
        let status = response.status();
        let body = response.text().await.map_err(|e| StorageError::Unreachable(e.to_string()))?;
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(StorageError::PermissionDenied(format!("the admin token was refused: {body}")));
        }
        if !status.is_success() {
            return Err(StorageError::Service { status: status.as_u16(), code: "AdminApi".into(), message: body });
        }
        serde_json::from_str(&body).map_err(|e| StorageError::Other(format!("admin API answer: {e}")))
    }

    /// The buckets named in `names` as `access_key_id` sees them (a bucket
    /// made through S3 may be known by a global alias or by the key's local
    /// one), in the order of `names`; a name the API does not know is left out.
    pub async fn buckets(
        &self,
        names: &[String],
        access_key_id: &str,
    ) -> Result<Vec<(String, GarageBucket)>, StorageError> {
        let listed: Vec<ListedBucket> = self.get("/v2/ListBuckets").await?;
        let mut found = Vec::new();
        for name in names {
            let known = listed.iter().find(|b| {
                b.global_aliases.iter().any(|a| a == name)
                    || b.local_aliases.iter().any(|a| a.alias == *name && a.access_key_id == access_key_id)
            });
            let Some(bucket) = known else { continue };
            let info: BucketInfo = self.get(&format!("/v2/GetBucketInfo?id={}", bucket.id)).await?;
            found.push((
                name.clone(),
                GarageBucket {
                    bytes: info.bytes,
                    objects: info.objects,
                    max_bytes: info.quotas.max_size,
                    max_objects: info.quotas.max_objects,
                },
            ));
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_garage_bucket_info_with_and_without_quotas() {
        let with: BucketInfo = serde_json::from_str(
            r#"{"id":"b1","created":"2026-12-01T00:00:00Z","globalAliases":["photos"],"websiteAccess":false,
                "keys":[],"objects":3,"bytes":1200,"unfinishedUploads":0,"unfinishedMultipartUploads":0,
                "unfinishedMultipartUploadParts":0,"unfinishedMultipartUploadBytes":0,
                "quotas":{"maxSize":10000,"maxObjects":null}}"#,
        )
        .unwrap();
        assert_eq!(
            (with.objects, with.bytes, with.quotas.max_size, with.quotas.max_objects),
            (3, 1200, Some(10_000), None)
        );
        let without: BucketInfo = serde_json::from_str(r#"{"objects":0,"bytes":0}"#).unwrap();
        assert_eq!((without.quotas.max_size, without.quotas.max_objects), (None, None));
    }
}
