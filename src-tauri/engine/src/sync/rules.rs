//! Which paths a pair leaves alone: the files programs keep while they
//! write (office lock files, partial downloads) and the person's own
//! patterns in gitignore syntax.

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Files that are never the person's finished work.
pub const TEMPORARY: &[&str] = &[
    "~$*",
    "*.tmp",
    ".~lock.*",
    ".DS_Store",
    "Thumbs.db",
    "*.part",
    "*.crdownload",
    // This app's own downloads in progress.
    ".*.qoima-download",
];

pub struct IgnoreRules(Gitignore);

impl IgnoreRules {
    /// The built-in patterns and the person's; the error names the first
    /// line that is not a pattern.
    pub fn new(user: &str) -> Result<Self, String> {
        let mut builder = GitignoreBuilder::new("");
        for pattern in TEMPORARY {
            builder.add_line(None, pattern).map_err(|e| e.to_string())?;
        }
        for line in user.lines() {
            builder.add_line(None, line).map_err(|_| line.trim().to_owned())?;
        }
        builder.build().map(Self).map_err(|e| e.to_string())
    }

    /// `path` is relative to the pair's folder, `/`-separated.
    pub fn ignores(&self, path: &str, is_dir: bool) -> bool {
        self.0.matched_path_or_any_parents(path, is_dir).is_ignore()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_left_alone_wherever_they_are() {
        let rules = IgnoreRules::new("").unwrap();
        for path in [
            "~$report.docx",
            "a/b/~$report.docx",
            "x.tmp",
            ".~lock.budget.ods#",
            "photos/.DS_Store",
            "Thumbs.db",
            "film.mkv.part",
            "setup.exe.crdownload",
            "a/.big.iso.qoima-download",
        ] {
            assert!(rules.ignores(path, false), "{path}");
        }
        for path in ["report.docx", "a/tmp/file.txt", "partial.txt", "notes.md"] {
            assert!(!rules.ignores(path, false), "{path}");
        }
    }

    #[test]
    fn the_persons_patterns_apply_to_files_and_folders() {
        let rules = IgnoreRules::new("*.log\nbuild/\n# a comment\n\n!keep.log").unwrap();
        assert!(rules.ignores("a/debug.log", false));
        assert!(!rules.ignores("keep.log", false));
        assert!(rules.ignores("build", true));
        assert!(rules.ignores("build/out.bin", false));
        assert!(!rules.ignores("src/main.rs", false));
    }

    #[test]
    fn a_broken_pattern_is_named() {
        assert_eq!(IgnoreRules::new("ok.txt\n[z-a]").err().as_deref(), Some("[z-a]"));
    }
}
