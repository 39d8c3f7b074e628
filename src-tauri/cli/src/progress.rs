//! A progress bar on a terminal's stderr; nothing at all when stderr is a
//! pipe or a file, so scripts read clean output.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Meter(ProgressBar);

impl Meter {
    /// A bar when the size is known, otherwise a running count of bytes.
    pub fn new(what: &str, total: Option<u64>) -> Self {
        let bar = match total {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template(
                    "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {eta} left",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {msg} {bytes} {binary_bytes_per_sec}")
                    .expect("a valid template"),
            ),
        };
        bar.set_message(what.to_owned());
        bar.enable_steady_tick(Duration::from_millis(200));
        Self(bar)
    }

    /// Called with the running total.
    pub fn update(&self) -> impl Fn(u64) + Sync + '_ {
        |done| self.0.set_position(done)
    }

    pub fn finish(self) {
        self.0.finish_and_clear();
    }
}
