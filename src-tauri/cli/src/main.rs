//! `qoima-cli`: the engine from a terminal, for servers, scripts and benchmarks.

mod account;
mod args;
mod connect;
mod output;
mod progress;
mod sync;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use qoima_engine::UiError;
use qoima_engine::bucket::CreateBucketRequest;
use qoima_engine::objects::parent_prefix;
use qoima_engine::transfer::local_path_for;

use args::{BucketsCommand, Cli, Command};
use progress::Meter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("qoima-cli: {}", err.one_line());
            ExitCode::FAILURE
        }
    }
}

/// Where a downloaded object goes: into `destination` when it is a folder
/// (under the object's own name, mapped safely), otherwise to it.
fn download_target(key: &str, destination: &Path) -> Result<PathBuf, UiError> {
    if !(destination.is_dir() || destination.to_string_lossy().ends_with('/')) {
        return Ok(destination.to_path_buf());
    }
    let name =
        local_path_for(key, parent_prefix(key)).map_err(|problem| UiError::broken_rule("destination", problem))?;
    Ok(destination.join(name))
}

async fn run(cli: Cli) -> Result<(), UiError> {
    let (engine, client) = connect::connect(&cli.connection)?;
    let mut out = output::Out::new();
    match cli.command {
        Command::Buckets { command: BucketsCommand::List } => {
            let buckets = engine.bucket_summaries().await?;
            output::buckets(&mut out, &buckets, cli.json);
        }
        Command::Buckets { command: BucketsCommand::Create { name, bucket_type, class } } => {
            let request = CreateBucketRequest { name, bucket_type: bucket_type.into(), class: class.into() };
            let info = engine.create_bucket(&request).await?;
            output::bucket(&mut out, &info.name, info.bucket_type, info.class, cli.json);
        }
        Command::Buckets { command: BucketsCommand::SetType { name, bucket_type } } => {
            let info = engine.set_bucket_type(&name, bucket_type.into(), 0, |_| {}).await?;
            output::bucket(&mut out, &info.name, info.bucket_type, info.class, cli.json);
        }
        Command::Buckets { command: BucketsCommand::Delete { name, force } } => {
            engine.delete_bucket(&name, force, 0, |_| {}).await?;
        }
        Command::Cp { source, destination, recursive: true } => {
            let folder =
                |prefix: String| if prefix.is_empty() || prefix.ends_with('/') { prefix } else { prefix + "/" };
            let meter = Meter::new(&source, None);
            let result = if source.starts_with("s3://") {
                let from = args::S3Location::parse(&source)?;
                let dir = Path::new(&destination);
                engine.download_folder(&from.bucket, &folder(from.prefix), dir, 0, meter.update()).await?
            } else {
                let to = args::S3Location::parse(&destination)?;
                engine.upload_folder(Path::new(&source), &to.bucket, &folder(to.prefix), 0, meter.update()).await?
            };
            meter.finish();
            output::copied_tree(&mut out, &source, &destination, result.files, result.bytes, cli.json);
            if !result.skipped.is_empty() {
                for (key, problem) in &result.skipped {
                    eprintln!(
                        "qoima-cli: not downloaded, it cannot be a file here: {} ({problem})",
                        output::printable(key)
                    );
                }
                return Err(UiError::invalid(
                    "destination",
                    format!("{} objects not downloaded", result.skipped.len()),
                ));
            }
        }
        Command::Cp { source, destination, recursive: false } => {
            if source.starts_with("s3://") {
                let from = args::S3Location::parse(&source)?;
                let target = download_target(&from.prefix, Path::new(&destination))?;
                let meter = Meter::new(&source, None);
                let bytes = engine.download_file(&from.bucket, &from.prefix, &target, 0, meter.update()).await?;
                meter.finish();
                output::copied(&mut out, &source, &target.display().to_string(), bytes, cli.json);
            } else {
                let location = args::S3Location::parse(&destination)?;
                let source = Path::new(&source);
                let key = if location.prefix.is_empty() || location.prefix.ends_with('/') {
                    let name = source
                        .file_name()
                        .and_then(|n| n.to_str())
                        .ok_or_else(|| UiError::invalid("source", format!("{} has no file name", source.display())))?;
                    format!("{}{name}", location.prefix)
                } else {
                    location.prefix
                };
                let meter = Meter::new(&key, std::fs::metadata(source).ok().map(|m| m.len()));
                let bytes = engine.upload_file(source, &location.bucket, &key, 0, meter.update()).await?;
                meter.finish();
                let to = format!("s3://{}/{key}", location.bucket);
                output::copied(&mut out, &source.display().to_string(), &to, bytes, cli.json);
            }
        }
        Command::Rm { location, recursive } => {
            let location = args::S3Location::parse(&location)?;
            let key = match (recursive, location.prefix.is_empty() || location.prefix.ends_with('/')) {
                (true, true) => location.prefix,
                (true, false) => format!("{}/", location.prefix),
                (false, false) => location.prefix,
                (false, true) => {
                    return Err(UiError::invalid(
                        "location",
                        "that is a folder: add --recursive to delete what is in it",
                    ));
                }
            };
            let deleted = if key.is_empty() {
                engine.delete_bucket_contents(&location.bucket, 0, |_| {}).await?
            } else {
                engine.delete_objects(&location.bucket, &[key], 0, |_| {}).await?
            };
            output::deleted(&mut out, deleted, cli.json);
        }
        Command::Sync { dir, location, mode, watch, approve_deletions } => {
            let args = sync::SyncArgs { dir: &dir, location: &location, mode: mode.into(), watch, approve_deletions };
            sync::run(&engine, args).await?;
        }
        Command::Usage { max_bytes, max_objects, max_buckets, garage_admin } => {
            let limits = account::Limits { max_bytes, max_objects, max_buckets };
            account::usage(&mut out, &engine, limits, garage_admin, cli.json).await?;
        }
        Command::Trial { started, none } => {
            account::trial(&mut out, &engine, started.as_deref(), none, cli.json).await?;
        }
        Command::Availability { month, payment } => {
            output::availability(&mut out, &engine.availability(month, payment)?, cli.json);
        }
        Command::Ls { location, recursive } => {
            let location = args::S3Location::parse(&location)?;
            output::listing(&mut out, &client, &location, recursive, cli.json).await?;
        }
    }
    Ok(())
}
