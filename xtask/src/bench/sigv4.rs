//! A signed S3 `HEAD` over a plain TCP socket, so the watch-latency probe can
//! ask Garage directly whether an object is there, every 50 ms, without
//! starting a process per question (the aws CLI takes about a second to
//! start). aws-sigv4 signs, set up as the S3 SDK sets it up; a test pins that
//! set-up to AWS's own signing example.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings, UriPathNormalizationMode,
    sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_http::label::{EncodingStrategy, fmt_string};

/// Who signs, and for which region.
pub struct Credentials<'a> {
    pub key_id: &'a str,
    pub secret: &'a str,
    pub region: &'a str,
}

/// The status and `Content-Length` of `HEAD /bucket/key` (path style) on
/// `addr`, one connection per question so no state lingers between polls.
pub fn head(addr: SocketAddr, creds: &Credentials, bucket: &str, key: &str) -> Result<(u16, Option<u64>)> {
    let host = addr.to_string();
    let path = object_path(bucket, key);
    let headers = signed_headers(creds, "HEAD", &host, &path, &[], SystemTime::now())?;

    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).context("connecting to the storage")?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut request = format!("HEAD {path} HTTP/1.1\r\n");
    for (name, value) in &headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("connection: close\r\n\r\n");
    stream.write_all(request.as_bytes())?;
    // A HEAD answer has no body: the head is all there is, and the server
    // closes the connection after it.
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).context("reading the storage's answer")?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    parse_head_answer(&answer)
}

/// The path-style path of an object, encoded as the S3 SDK encodes its
/// `{Key+}` label: `/` stays, so a key with folders keeps them.
fn object_path(bucket: &str, key: &str) -> String {
    format!("/{}/{}", fmt_string(bucket, EncodingStrategy::Default), fmt_string(key, EncodingStrategy::Greedy))
}

/// Every header of a body-less request without a query string, signed with
/// AWS Signature Version 4 for S3: `host`, `extra`, then those the signature
/// adds. `path` is already URI-encoded, and signed as it is sent.
fn signed_headers(
    creds: &Credentials,
    method: &str,
    host: &str,
    path: &str,
    extra: &[(&str, &str)],
    time: SystemTime,
) -> Result<Vec<(String, String)>> {
    let identity = aws_credential_types::Credentials::new(creds.key_id, creds.secret, None, None, "xtask bench").into();
    // S3 differs from the signing defaults: it signs the path encoded once,
    // without resolving `.` or `//` (both can be part of a key), and wants
    // the payload hash sent as `x-amz-content-sha256`.
    let mut settings = SigningSettings::default();
    settings.percent_encoding_mode = PercentEncodingMode::Single;
    settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(creds.region)
        .name("s3")
        .time(time)
        .settings(settings)
        .build()?
        .into();
    // `host` is passed rather than left to the signer to take from the URI,
    // so the value signed is the one sent.
    let mut headers = vec![("host", host)];
    headers.extend_from_slice(extra);
    let request =
        SignableRequest::new(method, format!("http://{host}{path}"), headers.iter().copied(), SignableBody::empty())?;
    let (instructions, _) = sign(request, &params)?.into_parts();
    Ok(headers
        .into_iter()
        .chain(instructions.headers())
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect())
}

fn parse_head_answer(answer: &[u8]) -> Result<(u16, Option<u64>)> {
    let text = String::from_utf8_lossy(answer);
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("no HTTP status in the storage's answer: {text:?}"))?;
    let length = lines.find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
    });
    Ok((status, length))
}

/// Whether a HEAD answer shows the object at `size` bytes: 404 is "not
/// yet", any other answer an error.
pub fn is_present(answer: (u16, Option<u64>), size: u64) -> Result<bool> {
    match answer {
        (200, Some(len)) if len == size => Ok(true),
        (200, other) => bail!("the object is there with Content-Length {other:?}, not {size}"),
        (404, _) => Ok(false),
        (status, _) => bail!("HEAD answered {status}"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    #[test]
    fn aws_signing_example() {
        // AWS's documented example: GET /test.txt with a Range header.
        let creds = Credentials {
            key_id: "AKIAIOSFODNN7EXAMPLE",
            secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
        };
        let may_24_2013 = UNIX_EPOCH + Duration::from_secs(1_369_353_600);
        let mut headers = signed_headers(
            &creds,
            "GET",
            "examplebucket.s3.amazonaws.com",
            "/test.txt",
            &[("range", "bytes=0-9")],
            may_24_2013,
        )
        .unwrap();
        headers.sort();
        let expected = [
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
                 SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
                 Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            ),
            ("host", "examplebucket.s3.amazonaws.com"),
            ("range", "bytes=0-9"),
            ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("x-amz-date", "20130524T000000Z"),
        ]
        .map(|(name, value)| (name.to_owned(), value.to_owned()));
        assert_eq!(headers, expected);
    }

    #[test]
    fn object_paths() {
        assert_eq!(object_path("qoima-bench", "watch/f 01+é.bin"), "/qoima-bench/watch/f%2001%2B%C3%A9.bin");
        assert_eq!(object_path("b", "a//./b~_-"), "/b/a//./b~_-");
    }

    #[test]
    fn head_answers() {
        let ok = b"HTTP/1.1 200 OK\r\ncontent-type: x\r\nContent-Length: 4096\r\n\r\n";
        assert_eq!(parse_head_answer(ok).unwrap(), (200, Some(4096)));
        assert_eq!(parse_head_answer(b"HTTP/1.1 404 Not Found\r\n\r\n").unwrap(), (404, None));
        assert!(parse_head_answer(b"").is_err());
        assert!(is_present((200, Some(4096)), 4096).unwrap());
        assert!(!is_present((404, None), 4096).unwrap());
        assert!(is_present((200, Some(12)), 4096).is_err());
        assert!(is_present((403, None), 4096).is_err());
    }
}
