//! A counting TCP proxy between a tool and Garage, for the number of S3
//! requests each sync tool makes. Garage can report this itself only when
//! built with its `metrics` feature, which the bench's build leaves out.
//!
//! Bytes pass through unchanged in both directions. What the client sends is
//! also read as HTTP/1.1: a request line and headers, then a body of
//! `Content-Length` bytes or a chunked one, so a body can never be mistaken
//! for a request and every request on a kept-alive connection is seen. A
//! request is counted before it is forwarded: once the tool has its answer
//! and exits, its count is complete.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

/// Requests by S3 operation, and how many connections could not be followed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Requests {
    pub by_op: BTreeMap<String, u64>,
    /// Connections whose framing made no sense: their later requests went
    /// uncounted, so the totals are a lower bound.
    pub lost: u64,
}

impl Requests {
    pub fn total(&self) -> u64 {
        self.by_op.values().sum()
    }

    /// Requests that change something in the bucket.
    pub fn writes(&self) -> u64 {
        self.by_op
            .iter()
            .filter(|(op, _)| !(op.starts_with("Get") || op.starts_with("Head") || op.starts_with("List")))
            .map(|(_, n)| n)
            .sum()
    }
}

pub struct Proxy {
    addr: SocketAddr,
    counts: Arc<Mutex<Requests>>,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards every connection to `upstream`.
    pub fn start(upstream: SocketAddr) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").context("binding the counting proxy")?;
        let addr = listener.local_addr()?;
        let counts = Arc::new(Mutex::new(Requests::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s) = (counts.clone(), stop.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let counts = c.clone();
                std::thread::spawn(move || {
                    if let Err(err) = relay(client, upstream, &counts) {
                        eprintln!("xtask: counting proxy: {err:#}");
                    }
                });
            }
        });
        Ok(Self { addr, counts, stop })
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests counted since the last call.
    pub fn take(&self) -> Requests {
        std::mem::take(&mut *self.counts.lock().unwrap())
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Carries one connection: the answers back on a thread of their own, the
/// requests counted and forwarded here.
fn relay(client: TcpStream, upstream: SocketAddr, counts: &Mutex<Requests>) -> Result<()> {
    let server = TcpStream::connect(upstream).context("connecting to the storage")?;
    // Without these, small requests wait for delayed ACKs on both hops.
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    let (mut answers_in, mut answers_out) = (server.try_clone()?, client.try_clone()?);
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut answers_in, &mut answers_out);
        let _ = answers_out.shutdown(Shutdown::Write);
    });
    let (mut from, mut to) = (client, server);
    let mut reader = RequestReader::default();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let was_lost = reader.is_lost();
        reader.feed(&buf[..n], |op| *counts.lock().unwrap().by_op.entry(op).or_default() += 1);
        if reader.is_lost() && !was_lost {
            counts.lock().unwrap().lost += 1;
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = back.join();
    Ok(())
}

#[derive(Debug, Default, PartialEq)]
enum State {
    /// Reading a request's head, line by line.
    #[default]
    Head,
    /// This many body bytes left.
    Body(u64),
    ChunkSize,
    ChunkData(u64),
    /// The CRLF after a chunk's data.
    ChunkEnd,
    /// Trailer lines after the last chunk, up to an empty line.
    Trailers,
    /// The framing made no sense; nothing more is counted on this connection.
    Lost,
}

/// Follows the requests in a client's byte stream, fed in pieces as they arrive.
#[derive(Default)]
struct RequestReader {
    state: State,
    /// The current line, not yet ended.
    line: Vec<u8>,
    /// The lines of the current request's head.
    head: Vec<String>,
}

/// Longer request heads are not HTTP from any of the tools.
const MAX_HEAD: usize = 64 << 10;

impl RequestReader {
    fn is_lost(&self) -> bool {
        self.state == State::Lost
    }

    /// Reads `data`, calling `on_request` with the S3 operation of every
    /// request whose head is complete.
    fn feed(&mut self, mut data: &[u8], mut on_request: impl FnMut(String)) {
        while !data.is_empty() {
            match self.state {
                State::Lost => return,
                State::Body(left) => {
                    let n = left.min(data.len() as u64);
                    data = &data[n as usize..];
                    self.state = if n == left { State::Head } else { State::Body(left - n) };
                }
                State::ChunkData(left) => {
                    let n = left.min(data.len() as u64);
                    data = &data[n as usize..];
                    self.state = if n == left { State::ChunkEnd } else { State::ChunkData(left - n) };
                }
                _ => {
                    let Some(line) = self.take_line(&mut data) else { return };
                    self.on_line(line, &mut on_request);
                }
            }
        }
    }

    /// The next whole line without its CRLF, or `None` when `data` ends first.
    fn take_line(&mut self, data: &mut &[u8]) -> Option<String> {
        match data.iter().position(|&b| b == b'\n') {
            Some(end) => {
                self.line.extend_from_slice(&data[..=end]);
                *data = &data[end + 1..];
                let line = String::from_utf8_lossy(&self.line).trim_end_matches(['\r', '\n']).to_owned();
                self.line.clear();
                Some(line)
            }
            None => {
                self.line.extend_from_slice(data);
                *data = &[];
                if self.line.len() > MAX_HEAD {
                    self.state = State::Lost;
                }
                None
            }
        }
    }

    fn on_line(&mut self, line: String, on_request: &mut impl FnMut(String)) {
        self.state = match self.state {
            // Empty lines before a request line are allowed (RFC 9112 2.2).
            State::Head if line.is_empty() && self.head.is_empty() => State::Head,
            State::Head if line.is_empty() => {
                let head = std::mem::take(&mut self.head);
                match request_of(&head) {
                    Some((op, next)) => {
                        on_request(op);
                        next
                    }
                    None => State::Lost,
                }
            }
            State::Head if self.head.iter().map(String::len).sum::<usize>() > MAX_HEAD => State::Lost,
            State::Head => {
                self.head.push(line);
                State::Head
            }
            State::ChunkSize => {
                let size = line.split(';').next().unwrap_or("").trim();
                match u64::from_str_radix(size, 16) {
                    Ok(0) => State::Trailers,
                    Ok(n) => State::ChunkData(n),
                    Err(_) => State::Lost,
                }
            }
            State::ChunkEnd if line.is_empty() => State::ChunkSize,
            State::Trailers if line.is_empty() => State::Head,
            State::Trailers => State::Trailers,
            _ => State::Lost,
        };
    }
}

/// The S3 operation of a request head and what follows it on the wire.
fn request_of(head: &[String]) -> Option<(String, State)> {
    let mut words = head.first()?.split_whitespace();
    let (method, target, version) = (words.next()?, words.next()?, words.next()?);
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    let header = |name: &str| {
        head[1..].iter().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    };
    let chunked = header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let next = if chunked {
        State::ChunkSize
    } else {
        match header("content-length").map(str::parse::<u64>) {
            Some(Ok(0)) | None => State::Head,
            Some(Ok(n)) => State::Body(n),
            Some(Err(_)) => return None,
        }
    };
    Some((s3_operation(method, target, header("x-amz-copy-source").is_some()), next))
}

/// The S3 operation a path-style request names, e.g. `ListObjectsV2`.
fn s3_operation(method: &str, target: &str, copy: bool) -> String {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = path.trim_start_matches('/');
    let on_object = path.split_once('/').is_some_and(|(_, key)| !key.is_empty());
    let pairs: Vec<(&str, &str)> =
        query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))).collect();
    // The AWS SDKs name the operation themselves (`?x-id=PutObject`).
    if let Some((_, op)) = pairs.iter().find(|(name, value)| *name == "x-id" && !value.is_empty()) {
        return (*op).to_owned();
    }
    let params: Vec<&str> = pairs.iter().map(|(name, _)| *name).collect();
    let has = |name: &str| params.contains(&name);
    let op = match (method, on_object) {
        ("GET", false) if path.is_empty() => "ListBuckets",
        ("GET", false) if has("list-type") => "ListObjectsV2",
        ("GET", false) if has("location") => "GetBucketLocation",
        ("GET", false) if has("uploads") => "ListMultipartUploads",
        ("GET", false)
            if params
                .iter()
                .all(|p| matches!(*p, "prefix" | "delimiter" | "marker" | "max-keys" | "encoding-type")) =>
        {
            "ListObjects"
        }
        ("HEAD", false) => "HeadBucket",
        ("PUT", false) if params.is_empty() => "CreateBucket",
        ("POST", false) if has("delete") => "DeleteObjects",
        ("GET", true) => "GetObject",
        ("HEAD", true) => "HeadObject",
        ("PUT", true) if has("partNumber") && copy => "UploadPartCopy",
        ("PUT", true) if has("partNumber") => "UploadPart",
        ("PUT", true) if copy => "CopyObject",
        ("PUT", true) if params.is_empty() => "PutObject",
        ("POST", true) if has("uploads") => "CreateMultipartUpload",
        ("POST", true) if has("uploadId") => "CompleteMultipartUpload",
        ("DELETE", true) if has("uploadId") => "AbortMultipartUpload",
        ("DELETE", true) => "DeleteObject",
        // A bucket's settings (`GET /b?tagging` is GetBucketTagging).
        ("GET" | "PUT" | "DELETE", false) if params.len() == 1 && params[0].chars().all(|c| c.is_ascii_lowercase()) => {
            let verb = match method {
                "GET" => "Get",
                "PUT" => "Put",
                _ => "Delete",
            };
            let mut sub = params[0].chars();
            let first = sub.next().map(|c| c.to_ascii_uppercase()).unwrap_or_default();
            return format!("{verb}Bucket{first}{}", sub.as_str());
        }
        _ => {
            let sub = params.first().map(|p| format!("?{p}")).unwrap_or_default();
            let on = if on_object { "object" } else { "bucket" };
            return format!("{method} {on}{sub}");
        }
    };
    op.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(stream: &[u8], piece: usize) -> (Vec<String>, bool) {
        let mut reader = RequestReader::default();
        let mut seen = Vec::new();
        for chunk in stream.chunks(piece) {
            reader.feed(chunk, |op| seen.push(op));
        }
        (seen, reader.is_lost())
    }

    #[test]
    fn requests_are_counted_across_bodies_and_pieces() {
        // A PUT whose body looks like a request, a chunked PUT, then two reads
        // on the same kept-alive connection.
        let body = b"GET /b/not-a-request HTTP/1.1\r\n\r\n";
        let mut stream =
            format!("PUT /b/k1 HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
        stream.extend_from_slice(body);
        stream.extend_from_slice(
            b"\r\nPUT /b/k2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nGET /\r\n3\r\nabc\r\n0\r\nx-trailer: 1\r\n\r\n",
        );
        stream.extend_from_slice(b"GET /b?list-type=2&prefix=p%2F HTTP/1.1\r\nHost: x\r\n\r\n");
        stream.extend_from_slice(b"HEAD /b/p/k%20x HTTP/1.1\r\nHost: x\r\ncontent-length: 0\r\n\r\n");
        let want = ["PutObject", "PutObject", "ListObjectsV2", "HeadObject"];
        for piece in [1, 2, 7, 64, stream.len()] {
            assert_eq!(ops(&stream, piece), (want.iter().map(|s| s.to_string()).collect(), false), "piece {piece}");
        }
    }

    #[test]
    fn nonsense_is_lost_not_counted() {
        assert_eq!(ops(b"\x16\x03\x01 binary\r\n\r\nGET /b/k HTTP/1.1\r\n\r\n", 5), (vec![], true));
        assert_eq!(ops(b"PUT /b/k HTTP/1.1\r\nContent-Length: x\r\n\r\n", 5), (vec![], true));
        assert_eq!(
            ops(b"PUT /b/k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 5),
            (vec!["PutObject".into()], true)
        );
    }

    #[test]
    fn operations() {
        let op = |m, t, copy| s3_operation(m, t, copy);
        assert_eq!(op("GET", "/", false), "ListBuckets");
        assert_eq!(op("GET", "/b?list-type=2&continuation-token=x", false), "ListObjectsV2");
        assert_eq!(op("GET", "/b/?prefix=a&delimiter=%2F", false), "ListObjects");
        assert_eq!(op("GET", "/b?location", false), "GetBucketLocation");
        assert_eq!(op("GET", "/b?versioning", false), "GetBucketVersioning");
        assert_eq!(op("GET", "/b?tagging", false), "GetBucketTagging");
        assert_eq!(op("PUT", "/b?acl", false), "PutBucketAcl");
        assert_eq!(op("PUT", "/b/k?x-id=PutObject", false), "PutObject");
        assert_eq!(op("GET", "/b/k?x-id=GetObject&partNumber=1", false), "GetObject");
        assert_eq!(op("POST", "/b?x-id", false), "POST bucket?x-id");
        assert_eq!(op("HEAD", "/b", false), "HeadBucket");
        assert_eq!(op("HEAD", "/b/a/c.bin", false), "HeadObject");
        assert_eq!(op("PUT", "/b/a/c.bin", false), "PutObject");
        assert_eq!(op("PUT", "/b/a/c.bin", true), "CopyObject");
        assert_eq!(op("PUT", "/b/k?partNumber=2&uploadId=u", false), "UploadPart");
        assert_eq!(op("POST", "/b/k?uploads", false), "CreateMultipartUpload");
        assert_eq!(op("POST", "/b/k?uploadId=u", false), "CompleteMultipartUpload");
        assert_eq!(op("POST", "/b?delete", false), "DeleteObjects");
        assert_eq!(op("DELETE", "/b/k", false), "DeleteObject");
        assert_eq!(op("PUT", "/b/k?tagging", false), "PUT object?tagging");
    }

    #[test]
    fn writes_and_totals() {
        let mut r = Requests::default();
        for (op, n) in [("ListObjectsV2", 3), ("HeadObject", 5), ("PutObject", 2), ("GetBucketLocation", 1)] {
            r.by_op.insert(op.into(), n);
        }
        assert_eq!(r.total(), 11);
        assert_eq!(r.writes(), 2);
    }

    #[test]
    fn proxy_passes_and_counts() {
        // An upstream that answers every request line with a fixed response.
        let upstream = TcpListener::bind("127.0.0.1:0").unwrap();
        let up_addr = upstream.local_addr().unwrap();
        std::thread::spawn(move || {
            for conn in upstream.incoming() {
                let mut conn = conn.unwrap();
                let mut got = Vec::new();
                let mut buf = [0u8; 1024];
                while let Ok(n) = conn.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                    while let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
                        got.drain(..end + 4);
                        conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").unwrap();
                    }
                }
            }
        });
        let proxy = Proxy::start(up_addr).unwrap();
        let mut client = TcpStream::connect(proxy.endpoint().trim_start_matches("http://")).unwrap();
        for _ in 0..3 {
            client.write_all(b"HEAD /b/k HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut answer = [0u8; 40];
            client.read_exact(&mut answer).unwrap();
            assert!(answer.starts_with(b"HTTP/1.1 200 OK"));
        }
        drop(client);
        assert_eq!(proxy.take().by_op, BTreeMap::from([("HeadObject".to_owned(), 3)]));
        assert_eq!(proxy.take(), Requests::default());
    }
}
