//! Keys of a test's own on the shared Garage, made with its admin API: a
//! key sees only the buckets it made, so a test can measure "the whole
//! account" while other tests fill theirs.

use crate::Garage;

pub fn admin() -> (String, String) {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"));
    (var("QOIMA_TEST_GARAGE_ADMIN"), var("QOIMA_TEST_GARAGE_ADMIN_TOKEN"))
}

async fn call(method: reqwest::Method, path: &str, body: serde_json::Value) -> serde_json::Value {
    let (endpoint, token) = admin();
    let response = reqwest::Client::new()
        .request(method, format!("{endpoint}{path}"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("admin API {path}: {e}"));
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "admin API {path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

impl Garage {
    /// This Garage as a new key allowed to create buckets, and nothing else.
    pub async fn own_key(&self, purpose: &str) -> Garage {
        let created = call(reqwest::Method::POST, "/v2/CreateKey", serde_json::json!({ "name": purpose })).await;
        let key_id = created["accessKeyId"].as_str().expect("accessKeyId").to_owned();
        let secret = created["secretAccessKey"].as_str().expect("secretAccessKey").to_owned();
        call(
            reqwest::Method::POST,
            &format!("/v2/UpdateKey?id={key_id}"),
            serde_json::json!({ "allow": { "createBucket": true } }),
        )
        .await;
        Garage { key_id, secret, ..self.clone() }
    }
}

/// Sets a bucket's quotas (`None` for none) with the admin API.
pub async fn set_bucket_quota(bucket: &str, max_size: Option<u64>, max_objects: Option<u64>) {
    let buckets = call(reqwest::Method::GET, "/v2/ListBuckets", serde_json::Value::Null).await;
    let named = |b: &&serde_json::Value| b.to_string().contains(&format!("\"{bucket}\""));
    let found = buckets.as_array().unwrap().iter().find(named).unwrap_or_else(|| panic!("{bucket} in {buckets}"));
    let id = found["id"].as_str().unwrap();
    let body = serde_json::json!({ "quotas": { "maxSize": max_size, "maxObjects": max_objects } });
    call(reqwest::Method::POST, &format!("/v2/UpdateBucket?id={id}"), body).await;
}
