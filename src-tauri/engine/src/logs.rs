//! Logs go to a daily rolling file in the data dir. Secrets never reach them:
//! the secret key is only ever held in `account::Secret`, whose `Debug` is redacted.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Keep the guard alive for as long as logs should be written.
pub fn init(data_dir: &Path) -> Option<WorkerGuard> {
    // The appender prunes old files at start and complains if the folder is missing.
    std::fs::create_dir_all(data_dir.join("logs")).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("qoima")
        .filename_suffix("log")
        .max_log_files(14)
        .build(data_dir.join("logs"))
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("QOIMA_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,aws_smithy_runtime=warn,aws_sdk_s3=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(false).try_init().ok()?;
    Some(guard)
}
