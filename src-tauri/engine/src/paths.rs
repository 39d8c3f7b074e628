//! Where the app keeps its files.

use std::path::PathBuf;

/// `QOIMA_DATA_DIR` overrides the platform data dir (tests, portable runs).
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("QOIMA_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("kz", "Qoima", "Qoima")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("qoima"))
}
