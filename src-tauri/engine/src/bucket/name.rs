//! S3 bucket naming rules, checked before any request is sent.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The first rule a name breaks; the UI explains each in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BucketNameProblem {
    TooShort,
    TooLong,
    Uppercase,
    InvalidCharacter,
    BadEdge,
    ConsecutiveDots,
    DotNextToHyphen,
    IpAddress,
    ReservedPrefix,
    ReservedSuffix,
}

pub const MIN_LEN: usize = 3;
pub const MAX_LEN: usize = 63;

pub fn check_bucket_name(name: &str) -> Result<(), BucketNameProblem> {
    use BucketNameProblem::*;
    let len = name.chars().count();
    if len < MIN_LEN {
        return Err(TooShort);
    }
    if len > MAX_LEN {
        return Err(TooLong);
    }
    if name.chars().any(|c| c.is_uppercase()) {
        return Err(Uppercase);
    }
    if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-') {
        return Err(InvalidCharacter);
    }
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !alnum(name.chars().next()) || !alnum(name.chars().last()) {
        return Err(BadEdge);
    }
    if name.contains("..") {
        return Err(ConsecutiveDots);
    }
    if name.contains(".-") || name.contains("-.") {
        return Err(DotNextToHyphen);
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err(IpAddress);
    }
    if ["xn--", "sthree-", "amzn-s3-demo-"].iter().any(|p| name.starts_with(p)) {
        return Err(ReservedPrefix);
    }
    if ["-s3alias", "--ol-s3", "--x-s3", "--table-s3"].iter().any(|s| name.ends_with(s)) {
        return Err(ReservedSuffix);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::BucketNameProblem::*;
    use super::*;

    #[test]
    fn bad_names_say_which_rule_they_break() {
        let table = [
            ("", TooShort),
            ("ab", TooShort),
            (&"a".repeat(64), TooLong),
            ("MyBucket", Uppercase),
            ("Қойма", Uppercase),
            ("қойма", InvalidCharacter),
            ("my_bucket", InvalidCharacter),
            ("my bucket", InvalidCharacter),
            ("my/bucket", InvalidCharacter),
            ("-bucket", BadEdge),
            ("bucket-", BadEdge),
            (".bucket", BadEdge),
            ("bucket.", BadEdge),
            ("my..bucket", ConsecutiveDots),
            ("my.-bucket", DotNextToHyphen),
            ("my-.bucket", DotNextToHyphen),
            ("192.168.5.4", IpAddress),
            ("xn--bucket", ReservedPrefix),
            ("sthree-bucket", ReservedPrefix),
            ("bucket-s3alias", ReservedSuffix),
            ("bucket--ol-s3", ReservedSuffix),
        ];
        for (name, problem) in table {
            assert_eq!(check_bucket_name(name), Err(problem), "{name:?}");
        }
    }

    #[test]
    fn good_names_pass() {
        for name in ["abc", "my-bucket", "photos.2026", "a1b2c3", &"a".repeat(63), "backup-kz-01", "1.2.3"] {
            assert_eq!(check_bucket_name(name), Ok(()), "{name:?}");
        }
    }
}
