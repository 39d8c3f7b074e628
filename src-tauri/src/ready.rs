//! "The first screen has rendered": `cargo xtask run --screenshot` and the
//! end-to-end tests wait for this file instead of sleeping.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

pub struct ReadySignal {
    file: Option<PathBuf>,
    sent: AtomicBool,
}

impl ReadySignal {
    /// Reads `QOIMA_READY_FILE`, the path to create once rendered.
    pub fn from_env() -> Self {
        Self { file: std::env::var_os("QOIMA_READY_FILE").map(PathBuf::from), sent: AtomicBool::new(false) }
    }

    pub fn signal(&self) -> std::io::Result<()> {
        match &self.file {
            Some(file) if !self.sent.swap(true, Ordering::SeqCst) => std::fs::write(file, b"ready\n"),
            _ => Ok(()),
        }
    }
}
