//! Names a person types for objects and folders, checked before any request:
//! one path segment, never `.` or `..`, no control characters.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NameProblem {
    Empty,
    Slash,
    DotSegment,
    ControlCharacter,
    TooLong,
}

/// S3 keys are at most 1,024 bytes of UTF-8.
pub const MAX_KEY_BYTES: usize = 1024;

pub fn check_name(name: &str) -> Result<(), NameProblem> {
    if name.trim().is_empty() {
        return Err(NameProblem::Empty);
    }
    if name.contains('/') || name.contains('\\') {
        return Err(NameProblem::Slash);
    }
    if name == "." || name == ".." {
        return Err(NameProblem::DotSegment);
    }
    if name.chars().any(char::is_control) {
        return Err(NameProblem::ControlCharacter);
    }
    if name.len() > MAX_KEY_BYTES {
        return Err(NameProblem::TooLong);
    }
    Ok(())
}

/// A whole key as the browser passes it: segments that could climb out of a
/// folder on a file system (`..`) are refused, so a download can never write
/// outside the folder chosen for it.
pub fn check_key(key: &str) -> Result<(), NameProblem> {
    if key.is_empty() {
        return Err(NameProblem::Empty);
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(NameProblem::TooLong);
    }
    if key.chars().any(char::is_control) {
        return Err(NameProblem::ControlCharacter);
    }
    if key.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(NameProblem::DotSegment);
    }
    Ok(())
}

/// The key of `name` inside the folder `prefix` (empty or ending in `/`).
pub fn child_key(prefix: &str, name: &str, folder: bool) -> Result<String, NameProblem> {
    check_name(name)?;
    let key = format!("{prefix}{}{}", name.trim(), if folder { "/" } else { "" });
    check_key(&key)?;
    Ok(key)
}

/// The folder a key sits in, with its trailing `/` (empty at the top).
pub fn parent_prefix(key: &str) -> &str {
    let trimmed = key.strip_suffix('/').unwrap_or(key);
    trimmed.rfind('/').map_or("", |i| &key[..=i])
}

#[cfg(test)]
mod tests {
    use super::NameProblem::*;
    use super::*;

    #[test]
    fn names_are_single_safe_segments() {
        for (name, problem) in [
            ("", Empty),
            ("  ", Empty),
            ("a/b", Slash),
            ("a\\b", Slash),
            (".", DotSegment),
            ("..", DotSegment),
            ("tab\there", ControlCharacter),
            ("line\nbreak", ControlCharacter),
        ] {
            assert_eq!(check_name(name), Err(problem), "{name:?}");
        }
        assert_eq!(check_name(&"я".repeat(600)), Err(TooLong), "1,200 bytes");
        for name in ["report.pdf", "Қойма 😀", "..hidden", "a..b", ".env"] {
            assert_eq!(check_name(name), Ok(()), "{name:?}");
        }
    }

    #[test]
    fn keys_never_climb_out_of_a_folder() {
        assert_eq!(check_key("a/../b"), Err(DotSegment));
        assert_eq!(check_key("../b"), Err(DotSegment));
        assert_eq!(check_key("a/./b"), Err(DotSegment));
        assert_eq!(check_key("a/..b/c"), Ok(()));
        assert_eq!(check_key("folder/"), Ok(()));
    }

    #[test]
    fn child_keys_and_parents() {
        assert_eq!(child_key("docs/", "new", true).unwrap(), "docs/new/");
        assert_eq!(child_key("", "a.txt", false).unwrap(), "a.txt");
        assert_eq!(child_key("docs/", "..", true), Err(DotSegment));
        assert_eq!(parent_prefix("docs/a/b.txt"), "docs/a/");
        assert_eq!(parent_prefix("docs/a/"), "docs/");
        assert_eq!(parent_prefix("top.txt"), "");
    }
}
