//! Steps with their durations, and the summary printed at the end.

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::proc::fmt_duration;

struct Step {
    name: String,
    took: Duration,
    ok: bool,
    note: String,
}

/// Test counts read from a runner's own summary lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

#[derive(Default)]
pub struct Report {
    steps: Vec<Step>,
    counts: Counts,
    /// Failed steps whose failure shows in no test count (a build error, a crash).
    uncounted_failures: u64,
}

impl Report {
    /// Runs one step, printing its name first and one line with the outcome
    /// and duration after. The closure may leave a short note ("already
    /// installed"). Returns `None` when the step failed.
    pub fn step<T>(&mut self, name: &str, f: impl FnOnce(&mut String) -> Result<T>) -> Option<T> {
        println!("\n==> {name}");
        let start = Instant::now();
        let mut note = String::new();
        let result = f(&mut note);
        let took = start.elapsed();
        let ok = result.is_ok();
        match &result {
            Ok(_) => {
                let note = if note.is_empty() { String::new() } else { format!(" — {note}") };
                println!("==> {name}: ok{note} ({})", fmt_duration(took));
            }
            Err(err) => {
                note = format!("{err:#}");
                println!("==> {name}: FAILED ({}): {note}", fmt_duration(took));
            }
        }
        self.steps.push(Step { name: name.to_owned(), took, ok, note });
        result.ok()
    }

    /// Runs a test step: its result carries the counts read from the runner,
    /// and the step fails when the runner did.
    pub fn test_step(&mut self, name: &str, f: impl FnOnce() -> Result<(bool, Counts)>) {
        let outcome = self.step(name, |note| {
            let (ok, counts) = f()?;
            *note = format!("{} passed, {} failed", counts.passed, counts.failed);
            if !ok {
                anyhow::bail!("the runner reported failure ({note})");
            }
            Ok(counts)
        });
        match outcome {
            Some(counts) => self.counts += counts,
            None => {
                // The note of a failed test step holds its counts when the runner printed any.
                let note = &self.steps.last().expect("just pushed").note;
                let counts = parse_counts_note(note);
                self.counts += counts.unwrap_or_default();
                if counts.is_none_or(|c| c.failed == 0) {
                    self.uncounted_failures += 1;
                }
            }
        }
    }

    /// Adds counts that no runner printed (e.g. the bench's measured and failed rows).
    pub fn add_counts(&mut self, counts: Counts) {
        self.counts += counts;
    }

    /// Marks a step as failed without running it (e.g. skipped after an earlier failure).
    pub fn fail(&mut self, name: &str, why: &str) {
        println!("==> {name}: FAILED: {why}");
        self.steps.push(Step { name: name.to_owned(), took: Duration::ZERO, ok: false, note: why.to_owned() });
        self.uncounted_failures += 1;
    }

    pub fn all_ok(&self) -> bool {
        self.steps.iter().all(|s| s.ok)
    }

    /// Prints every step with its outcome and duration, then one closing line
    /// with the test counts.
    pub fn print_summary(&self, total: Duration) {
        println!("\n==> summary ({} in all)", fmt_duration(total));
        let width = self.steps.iter().map(|s| s.name.len()).max().unwrap_or(0);
        for step in &self.steps {
            let mark = if step.ok { "ok    " } else { "FAILED" };
            let note = first_line(&step.note);
            println!("  {mark}  {:<width$}  {:>8}  {note}", step.name, fmt_duration(step.took));
        }
        let failed_steps = self.steps.iter().filter(|s| !s.ok).count();
        if failed_steps > 0 {
            println!("  {failed_steps} step(s) failed");
        }
        let failed = self.counts.failed + self.uncounted_failures;
        println!("xtask: {} passed, {failed} failed", self.counts.passed);
    }
}

fn first_line(s: &str) -> &str {
    let line = s.lines().next().unwrap_or("");
    match line.char_indices().nth(100) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}

fn parse_counts_note(note: &str) -> Option<Counts> {
    // "the runner reported failure (N passed, M failed)"
    let inner = note.split('(').nth(1)?.split(')').next()?;
    let mut words = inner.split_whitespace();
    let passed = words.next()?.parse().ok()?;
    words.next()?;
    let failed = words.next()?.parse().ok()?;
    Some(Counts { passed, failed })
}

/// Reads the counts from one line of `cargo test` output
/// ("test result: FAILED. 3 passed; 1 failed; 0 ignored; …").
pub fn parse_libtest_line(line: &str) -> Option<Counts> {
    let rest = line.trim().strip_prefix("test result:")?;
    Some(Counts { passed: number_before(rest, "passed")?, failed: number_before(rest, "failed")? })
}

/// Reads the counts from one line of vitest output
/// (" Tests  2 failed | 10 passed (12)"), colours stripped.
pub fn parse_vitest_line(line: &str) -> Option<Counts> {
    let line = strip_ansi(line);
    let rest = line.trim().strip_prefix("Tests ")?;
    let passed = number_before(rest, "passed");
    let failed = number_before(rest, "failed");
    if passed.is_none() && failed.is_none() {
        return None;
    }
    Some(Counts { passed: passed.unwrap_or(0), failed: failed.unwrap_or(0) })
}

/// The number written just before `word` ("3 passed" → 3).
fn number_before(text: &str, word: &str) -> Option<u64> {
    let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ';' || c == '|').collect();
    let words: Vec<&str> = words.into_iter().filter(|w| !w.is_empty()).collect();
    let at = words.iter().position(|w| w.trim_end_matches([',', '.']) == word)?;
    words.get(at.checked_sub(1)?)?.parse().ok()
}

pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ params final-byte
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_lines() {
        assert_eq!(
            parse_libtest_line(
                "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s"
            ),
            Some(Counts { passed: 12, failed: 0 })
        );
        assert_eq!(
            parse_libtest_line("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out"),
            Some(Counts { passed: 3, failed: 2 })
        );
        assert_eq!(parse_libtest_line("running 3 tests"), None);
    }

    #[test]
    fn vitest_lines() {
        assert_eq!(parse_vitest_line("      Tests  10 passed (10)"), Some(Counts { passed: 10, failed: 0 }));
        assert_eq!(
            parse_vitest_line(
                "\u{1b}[2m      Tests \u{1b}[22m \u{1b}[1m\u{1b}[31m2 failed\u{1b}[39m\u{1b}[22m\u{1b}[2m | \u{1b}[22m\u{1b}[1m\u{1b}[32m8 passed\u{1b}[39m\u{1b}[22m\u{1b}[90m (10)\u{1b}[39m"
            ),
            Some(Counts { passed: 8, failed: 2 })
        );
        assert_eq!(parse_vitest_line(" Test Files  2 passed (2)"), None);
    }

    #[test]
    fn failed_note_round_trip() {
        assert_eq!(
            parse_counts_note("the runner reported failure (4 passed, 1 failed)"),
            Some(Counts { passed: 4, failed: 1 })
        );
        assert_eq!(parse_counts_note("could not start `cargo`"), None);
    }
}
