//! Where an object key lands under a chosen folder.
//!
//! A key is any UTF-8 up to 1,024 bytes, so it can say `../../.bashrc`, `C:\x`
//! or `con.txt`. Downloading must never write outside the folder the person
//! chose, and must never quietly rename: a key that cannot be a local file is
//! reported so the person sees which object was skipped and why.
//!
//! The Windows rules apply on every platform: a folder downloaded on Linux or
//! macOS should still copy onto a Windows machine, and the app ships for
//! Windows too, so one set of rules keeps behaviour identical everywhere.
//! The check is pure (no file system calls), so it is the same in tests.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum LocalPathProblem {
    #[error("the key is not inside the folder being downloaded")]
    NotUnderPrefix,
    #[error("the key has an empty name (nothing after the folder, or `//`)")]
    Empty,
    #[error("the key has a `.` or `..` part")]
    DotSegment,
    #[error("the key is an absolute path or names a drive")]
    Absolute,
    #[error("the key has a `\\`, which Windows reads as a folder separator")]
    Backslash,
    #[error("the key has a control character")]
    ControlCharacter,
    #[error("the key uses a name Windows reserves for devices (CON, NUL, COM1…)")]
    ReservedName,
    #[error("a name in the key ends with a dot or a space, which Windows drops")]
    TrailingDotOrSpace,
    #[error("the key has a character Windows forbids in file names (< > : \" | ? *)")]
    ForbiddenCharacter,
    #[error("a name in the key is longer than 255 bytes")]
    SegmentTooLong,
    #[error("the key is longer than 4096 bytes")]
    PathTooLong,
}

/// Longest file name: Linux NAME_MAX is 255 bytes; Windows allows 255 UTF-16
/// units, and a UTF-8 name never has fewer bytes than UTF-16 units.
const MAX_SEGMENT_BYTES: usize = 255;
/// Linux PATH_MAX; the target folder adds to it, so this only catches the absurd.
const MAX_PATH_BYTES: usize = 4096;

/// The relative path of `key` under the folder being downloaded.
///
/// `strip_prefix` is that folder's prefix (`""` or ending in `/`, as listings
/// give it); the key must start with it. A trailing `/` marks a folder and maps
/// to a directory path. The result holds only `Component::Normal` parts, so
/// joining it to the target folder cannot leave that folder.
pub fn local_path_for(key: &str, strip_prefix: &str) -> Result<PathBuf, LocalPathProblem> {
    use LocalPathProblem::*;

    let rest = key.strip_prefix(strip_prefix).ok_or(NotUnderPrefix)?;
    // A prefix given without its `/` must still end where a name ends:
    // folder "photos" does not hold "photos2/x".
    let rest = if strip_prefix.is_empty() || strip_prefix.ends_with('/') {
        rest
    } else {
        rest.strip_prefix('/').ok_or(NotUnderPrefix)?
    };
    if rest.starts_with('/') {
        return Err(Absolute);
    }
    // One trailing `/` is a folder marker ("docs/sub/"); more is an empty name.
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Err(Empty);
    }
    if rest.len() > MAX_PATH_BYTES {
        return Err(PathTooLong);
    }
    rest.split('/').try_fold(PathBuf::new(), |mut path, segment| {
        check_segment(segment)?;
        path.push(segment);
        Ok(path)
    })
}

fn check_segment(segment: &str) -> Result<(), LocalPathProblem> {
    use LocalPathProblem::*;

    if segment.is_empty() {
        return Err(Empty);
    }
    if segment == "." || segment == ".." {
        return Err(DotSegment);
    }
    if segment.chars().any(char::is_control) {
        return Err(ControlCharacter);
    }
    // "C:", "c:x" (relative to drive C's current folder) and "\x" (root of the
    // current drive) would replace the whole path when pushed on Windows.
    let bytes = segment.as_bytes();
    if segment.starts_with('\\') || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':') {
        return Err(Absolute);
    }
    if segment.contains('\\') {
        return Err(Backslash);
    }
    if segment.contains(['<', '>', ':', '"', '|', '?', '*']) {
        return Err(ForbiddenCharacter);
    }
    if is_reserved(segment) {
        return Err(ReservedName);
    }
    // Windows drops these on create, so "x." would silently become "x".
    if segment.ends_with(['.', ' ']) {
        return Err(TrailingDotOrSpace);
    }
    if segment.len() > MAX_SEGMENT_BYTES {
        return Err(SegmentTooLong);
    }
    Ok(())
}

/// Windows device names open the device whatever the extension ("con.txt",
/// "aux.tar.gz") and ignore spaces before it ("nul .txt").
fn is_reserved(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or(segment).trim_end_matches(' ');
    let upper = stem.to_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => ["COM", "LPT"].iter().any(|device| {
            upper.strip_prefix(device).is_some_and(|n| {
                let mut chars = n.chars();
                // COM0–COM9 and the superscript digits Windows also treats as ports.
                matches!((chars.next(), chars.next()), (Some('0'..='9' | '¹' | '²' | '³'), None))
            })
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Component, Path};

    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::LocalPathProblem::*;
    use super::*;

    #[test]
    fn hostile_keys_are_reported() {
        let long = "a".repeat(300);
        let long_key = format!("dir/{long}");
        let huge_key = ["abcdefgh"; 600].join("/");
        for (key, prefix, problem) in [
            ("../x", "", DotSegment),
            ("..", "", DotSegment),
            ("/etc/x", "", Absolute),
            ("a/../../b", "", DotSegment),
            ("a/./b", "", DotSegment),
            ("C:\\x", "", Absolute),
            ("c:x", "", Absolute),
            ("C:", "", Absolute),
            ("a:b", "", Absolute),
            ("dir/D:/x", "", Absolute),
            ("\\\\server\\share", "", Absolute),
            ("con.txt", "", ReservedName),
            ("Con", "", ReservedName),
            ("aux.tar.gz", "", ReservedName),
            ("dir/nul .txt", "", ReservedName),
            ("COM1", "", ReservedName),
            ("lpt9.log", "", ReservedName),
            ("com²", "", ReservedName),
            ("a\\b", "", Backslash),
            ("nul\u{0}x", "", ControlCharacter),
            ("line\nbreak", "", ControlCharacter),
            ("a//b", "", Empty),
            ("a//", "", Empty),
            ("", "", Empty),
            ("photos/", "photos/", Empty),
            ("x.", "", TrailingDotOrSpace),
            ("x ", "", TrailingDotOrSpace),
            ("dir./x", "", TrailingDotOrSpace),
            ("notes:v2", "", ForbiddenCharacter),
            ("what?", "", ForbiddenCharacter),
            ("a<b>", "", ForbiddenCharacter),
            ("say \"hi\"", "", ForbiddenCharacter),
            ("pipe|star*", "", ForbiddenCharacter),
            (long.as_str(), "", SegmentTooLong),
            (long_key.as_str(), "", SegmentTooLong),
            (huge_key.as_str(), "", PathTooLong),
            ("music/a.mp3", "photos/", NotUnderPrefix),
            ("photos2/x", "photos", NotUnderPrefix),
            ("photos//x", "photos/", Absolute),
        ] {
            assert_eq!(local_path_for(key, prefix), Err(problem), "key {key:?} under {prefix:?}");
        }
    }

    #[test]
    fn ordinary_keys_map_segment_by_segment() {
        for (key, prefix, path) in [
            ("photos/2026/ok.jpg", "photos/", "2026/ok.jpg"),
            ("photos/2026/ok.jpg", "photos", "2026/ok.jpg"),
            ("photos/2026/ok.jpg", "", "photos/2026/ok.jpg"),
            ("Қойма/есеп 1.txt", "", "Қойма/есеп 1.txt"),
            ("docs/sub/", "docs/", "sub"),
            (".hidden/.env", "", ".hidden/.env"),
            ("...x/a..b", "", "...x/a..b"),
            ("console.log", "", "console.log"),
            ("com10", "", "com10"),
            ("lpt", "", "lpt"),
        ] {
            let expected: PathBuf = path.split('/').collect();
            assert_eq!(local_path_for(key, prefix), Ok(expected), "key {key:?} under {prefix:?}");
        }
    }

    #[test]
    fn long_names_at_the_limit_are_allowed() {
        // 85 three-byte characters = 255 bytes: the limit counts bytes, not characters.
        let name = "倉".repeat(85);
        assert_eq!(local_path_for(&name, ""), Ok(PathBuf::from(&name)));
        assert_eq!(local_path_for(&format!("{name}倉"), ""), Err(SegmentTooLong));
    }

    #[test]
    fn problems_serialize_in_snake_case() {
        assert_eq!(serde_json::to_string(&NotUnderPrefix).unwrap(), "\"not_under_prefix\"");
        assert_eq!(serde_json::to_string(&TrailingDotOrSpace).unwrap(), "\"trailing_dot_or_space\"");
    }

    /// Random keys from pieces that attack paths: whatever is accepted stays
    /// inside the folder on any platform and keeps the key's names unchanged.
    #[test]
    fn random_hostile_keys_never_escape() {
        const PIECES: &[&str] = &[
            "a", "b", "Қ", "é", "x.txt", "/", "/", "//", ".", "..", "\\", ":", "C:", "c", "con", "nul", "com1", " ",
            "\0", "\n", "?", "*", "<", "\"", "-", "_", "~",
        ];
        let mut rng = StdRng::seed_from_u64(0x0071_6f69_6d61);
        let base = Path::new("/target");
        let mut accepted = 0;
        for _ in 0..20_000 {
            let len = rng.random_range(1..9);
            let key: String = (0..len).map(|_| PIECES[rng.random_range(0..PIECES.len())]).collect();
            let prefix = if rng.random_bool(0.2) { "a/" } else { "" };
            let Ok(path) = local_path_for(&key, prefix) else { continue };
            accepted += 1;
            for component in path.components() {
                let Component::Normal(name) = component else { panic!("{key:?} gave {path:?}") };
                // Normal on this platform; these would not be Normal on Windows.
                let name = name.to_str().unwrap();
                assert!(!name.contains(['\\', ':']) && name != "." && name != "..", "{key:?} gave {path:?}");
            }
            assert!(base.join(&path).starts_with(base) && path.is_relative());
            // Never renamed: the path spells the key's remainder exactly.
            let rest = key.strip_prefix(prefix).unwrap();
            let rest = rest.strip_suffix('/').unwrap_or(rest);
            assert_eq!(path.to_str().unwrap().replace(std::path::MAIN_SEPARATOR, "/"), rest);
        }
        // The alphabet is hostile, but the test must still exercise accepted keys.
        assert!(accepted > 1_000, "only {accepted} keys accepted");
    }
}
