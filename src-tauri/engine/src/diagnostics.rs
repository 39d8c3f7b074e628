//! "Copy diagnostics": what support needs to see, as text a customer can
//! paste into a chat: the app's version, the system, recent errors and the
//! last lines of the log, with anything secret blanked out.

use std::path::Path;

/// Log lines kept at the end of the text.
const LAST_LINES: usize = 60;
/// Warnings and errors kept from the log.
const RECENT_ERRORS: usize = 15;

/// Blanks what must never leave the computer, should it ever reach a log:
/// signatures and credentials in URLs and headers, and bearer tokens.
pub fn redact(line: &str) -> String {
    const MARKERS: [&str; 6] =
        ["X-Amz-Signature=", "X-Amz-Credential=", "X-Amz-Security-Token=", "Signature=", "Credential=", "Bearer "];
    let mut text = line.to_owned();
    for marker in MARKERS {
        let mut from = 0;
        while let Some(found) = text[from..].find(marker) {
            let start = from + found + marker.len();
            let end = text[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, '&' | ',' | '"' | '\'' | ')'))
                .map_or(text.len(), |n| start + n);
            text.replace_range(start..end, "[hidden]");
            from = start + "[hidden]".len();
        }
    }
    let lower = text.to_ascii_lowercase();
    if let Some(at) = lower.find("secret").filter(|&at| lower[at..].contains('=') || lower[at..].contains(':')) {
        text.truncate(at);
        text.push_str("secret [hidden]");
    }
    text
}

/// The newest log file's last lines, oldest first.
fn last_log_lines(log_dir: &Path, count: usize) -> Vec<String> {
    let newest = std::fs::read_dir(log_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("qoima"))
        .max_by_key(|e| e.file_name());
    let Some(text) = newest.and_then(|e| std::fs::read(e.path()).ok()) else { return Vec::new() };
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].iter().map(|l| (*l).to_owned()).collect()
}

fn os_name() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release").ok().and_then(|text| {
        text.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")).map(|v| v.trim_matches('"').to_owned())
    });
    format!(
        "{} ({}, {})",
        pretty.unwrap_or_else(|| std::env::consts::OS.to_owned()),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

pub struct DiagnosticsInput<'a> {
    pub version: &'a str,
    pub log_dir: &'a Path,
    /// The connected storage's address, if any.
    pub endpoint: Option<&'a str>,
    pub now: String,
}

pub fn text(input: &DiagnosticsInput<'_>) -> String {
    let lines = last_log_lines(input.log_dir, 2000);
    let errors: Vec<&String> = lines.iter().filter(|l| l.contains(" WARN ") || l.contains(" ERROR ")).collect();
    let errors = &errors[errors.len().saturating_sub(RECENT_ERRORS)..];
    let mut out = format!(
        "Qoima {}\nSystem: {}\nStorage: {}\nTime: {}\n",
        input.version,
        os_name(),
        input.endpoint.unwrap_or("not connected"),
        input.now
    );
    out.push_str("\nRecent errors:\n");
    if errors.is_empty() {
        out.push_str("(none)\n");
    }
    for line in errors {
        out.push_str(&redact(line));
        out.push('\n');
    }
    out.push_str("\nLast log lines:\n");
    for line in &lines[lines.len().saturating_sub(LAST_LINES)..] {
        out.push_str(&redact(line));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_tokens_and_secrets_are_blanked() {
        let url = "GET https://s3.kz/b/k?X-Amz-Credential=AK%2F20261202&X-Amz-Signature=abc123def&x-id=GetObject";
        assert_eq!(
            redact(url),
            "GET https://s3.kz/b/k?X-Amz-Credential=[hidden]&X-Amz-Signature=[hidden]&x-id=GetObject"
        );
        assert_eq!(
            redact("authorization: AWS4-HMAC-SHA256 Credential=AK/2026, SignedHeaders=host, Signature=ff00"),
            "authorization: AWS4-HMAC-SHA256 Credential=[hidden], SignedHeaders=host, Signature=[hidden]"
        );
        assert_eq!(redact("admin call with Bearer tok3n-value done"), "admin call with Bearer [hidden] done");
        assert_eq!(redact("secret_key=wJalrXUtnFEMI rest"), "secret [hidden]");
        assert_eq!(redact("the SecretKey: very"), "the secret [hidden]");
        assert_eq!(redact("sync pair 3 paused"), "sync pair 3 paused", "an ordinary line stays");
    }

    #[test]
    fn the_text_carries_version_errors_and_the_last_lines_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = String::new();
        for i in 0..100 {
            log.push_str(&format!("2026-12-02T10:00:{:02}Z  INFO qoima: line {i}\n", i % 60));
        }
        log.push_str("2026-12-02T10:01:00Z  WARN qoima: upload failed Signature=deadbeef\n");
        std::fs::write(dir.path().join("qoima.2026-12-02.log"), log).unwrap();
        std::fs::write(dir.path().join("qoima.2026-12-01.log"), "older file, not read\n").unwrap();
        let text = text(&DiagnosticsInput {
            version: "1.2.3",
            log_dir: dir.path(),
            endpoint: Some("https://s3.kz"),
            now: "2026-12-02 15:01 +05:00".into(),
        });
        assert!(text.starts_with("Qoima 1.2.3\nSystem: "), "{text}");
        assert!(text.contains("Storage: https://s3.kz\n"));
        assert!(text.contains("Recent errors:\n2026-12-02T10:01:00Z  WARN qoima: upload failed Signature=[hidden]\n"));
        assert!(text.contains("line 99\n") && !text.contains("line 10\n"), "only the last lines");
        assert!(!text.contains("deadbeef") && !text.contains("older file"));
    }
}
