//! Which paths a pair leaves alone: the files programs keep while they
//! write (office lock files, partial downloads) and the person's own
//! patterns in gitignore syntax.

use ignore::Match;
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

pub struct IgnoreRules {
    /// Matched whatever the case: Windows and macOS write `THUMBS.DB` and
    /// `Report.TMP` as readily as the lower-case names.
    temporary: Gitignore,
    person: Gitignore,
}

impl IgnoreRules {
    /// The built-in patterns and the person's; the error names the first
    /// line that is not a pattern.
    pub fn new(user: &str) -> Result<Self, String> {
        let mut temporary = GitignoreBuilder::new("");
        temporary.case_insensitive(true).map_err(|e| e.to_string())?;
        for pattern in TEMPORARY {
            temporary.add_line(None, pattern).map_err(|e| e.to_string())?;
        }
        let mut person = GitignoreBuilder::new("");
        for line in user.lines() {
            person.add_line(None, line).map_err(|_| line.trim().to_owned())?;
        }
        let built = |builder: GitignoreBuilder| builder.build().map_err(|e| e.to_string());
        Ok(Self { temporary: built(temporary)?, person: built(person)? })
    }

    /// `path` is relative to the pair's folder, `/`-separated. The person's
    /// patterns come after the built-in ones, as later gitignore lines do:
    /// `!keep.tmp` syncs a file the built-in patterns would leave out.
    pub fn ignores(&self, path: &str, is_dir: bool) -> bool {
        match self.person.matched_path_or_any_parents(path, is_dir) {
            Match::Ignore(_) => true,
            Match::Whitelist(_) => false,
            Match::None => self.temporary.matched_path_or_any_parents(path, is_dir).is_ignore(),
        }
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
            "THUMBS.DB",
            "Report.TMP",
            "a/~$REPORT.DOCX",
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
    fn the_persons_patterns_can_take_back_a_built_in_one() {
        let rules = IgnoreRules::new("!keep.tmp").unwrap();
        assert!(!rules.ignores("keep.tmp", false));
        assert!(rules.ignores("other.tmp", false));
    }

    #[test]
    fn a_broken_pattern_is_named() {
        assert_eq!(IgnoreRules::new("ok.txt\n[z-a]").err().as_deref(), Some("[z-a]"));
    }
}
