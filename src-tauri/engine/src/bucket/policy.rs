//! Bucket policies as bucket types: which anonymous object actions a policy
//! allows, and the policy that grants exactly a type. Pure JSON logic.

use serde_json::{Value, json};

use super::model::BucketType;

const QOIMA_SID: &str = "QoimaBucketType";

const READ: &str = "s3:GetObject";
const WRITE: [&str; 2] = ["s3:PutObject", "s3:DeleteObject"];

fn as_list(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_anonymous(statement: &Value) -> bool {
    match statement.get("Principal") {
        Some(Value::String(p)) => p == "*",
        Some(principal @ Value::Object(_)) => as_list(principal.get("AWS")).contains(&"*"),
        _ => false,
    }
}

fn covers_objects_of(statement: &Value, bucket: &str) -> bool {
    let objects = format!("arn:aws:s3:::{bucket}/*");
    as_list(statement.get("Resource")).iter().any(|r| *r == "*" || *r == objects || *r == "arn:aws:s3:::*")
}

fn allows(statement: &Value, action: &str) -> bool {
    as_list(statement.get("Action")).iter().any(|a| {
        let a = a.to_ascii_lowercase();
        a == "*" || a == "s3:*" || a == action.to_ascii_lowercase()
    })
}

/// An anonymous allow on this bucket's objects: what makes a bucket public.
fn is_public_grant(statement: &Value, bucket: &str) -> bool {
    statement.get("Effect").and_then(Value::as_str) == Some("Allow")
        && is_anonymous(statement)
        && statement.get("Condition").is_none()
        && covers_objects_of(statement, bucket)
}

fn statements(policy: &Value) -> Vec<Value> {
    match policy.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(single @ Value::Object(_)) => vec![single.clone()],
        _ => Vec::new(),
    }
}

pub fn type_of_policy(policy: &Value, bucket: &str) -> BucketType {
    let grants: Vec<Value> = statements(policy).into_iter().filter(|s| is_public_grant(s, bucket)).collect();
    let allowed = |action: &str| grants.iter().any(|s| allows(s, action));
    if !allowed(READ) {
        BucketType::Private
    } else if WRITE.iter().all(|a| allowed(a)) {
        BucketType::PublicReadWrite
    } else {
        BucketType::PublicRead
    }
}

/// The policy that gives `bucket` the type `wanted`, keeping every statement
/// that is not an anonymous grant on its objects. None: no policy at all.
pub fn policy_for_type(existing: Option<&Value>, bucket: &str, wanted: BucketType) -> Option<Value> {
    let mut kept: Vec<Value> =
        existing.map(statements).unwrap_or_default().into_iter().filter(|s| !is_public_grant(s, bucket)).collect();
    let actions: Vec<&str> = match wanted {
        BucketType::Private => Vec::new(),
        BucketType::PublicRead => vec![READ],
        BucketType::PublicReadWrite => [READ].into_iter().chain(WRITE).collect(),
    };
    if !actions.is_empty() {
        kept.push(json!({
            "Sid": QOIMA_SID,
            "Effect": "Allow",
            "Principal": "*",
            "Action": actions,
            "Resource": [format!("arn:aws:s3:::{bucket}/*")],
        }));
    }
    if kept.is_empty() {
        return None;
    }
    let version = existing.and_then(|p| p.get("Version")).cloned().unwrap_or_else(|| json!("2012-10-17"));
    Some(json!({ "Version": version, "Statement": kept }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_type_round_trips_through_its_policy() {
        for wanted in [BucketType::PublicRead, BucketType::PublicReadWrite] {
            let policy = policy_for_type(None, "photos", wanted).unwrap();
            assert_eq!(type_of_policy(&policy, "photos"), wanted);
            assert_eq!(type_of_policy(&policy, "other"), BucketType::Private, "a grant on another bucket is not ours");
        }
        assert_eq!(policy_for_type(None, "photos", BucketType::Private), None);
    }

    #[test]
    fn making_private_removes_every_anonymous_object_grant_and_keeps_the_rest() {
        let foreign = json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:*", "Resource": "arn:aws:s3:::photos/*"},
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:user/bob"}, "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::photos/*"}
            ]
        });
        assert_eq!(type_of_policy(&foreign, "photos"), BucketType::PublicReadWrite);
        let private = policy_for_type(Some(&foreign), "photos", BucketType::Private).unwrap();
        assert_eq!(type_of_policy(&private, "photos"), BucketType::Private);
        assert_eq!(statements(&private).len(), 1, "bob's grant stays");
        let read = policy_for_type(Some(&foreign), "photos", BucketType::PublicRead).unwrap();
        assert_eq!(type_of_policy(&read, "photos"), BucketType::PublicRead);
        assert_eq!(statements(&read).len(), 2);
    }

    #[test]
    fn conditional_or_denying_statements_do_not_make_a_bucket_public() {
        let policy = json!({"Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
             "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}
        ]});
        assert_eq!(type_of_policy(&policy, "b"), BucketType::Private);
    }
}
