//! `qoima-cli`: the engine from a terminal, for servers, scripts and benchmarks.

mod args;
mod connect;
mod output;

use std::process::ExitCode;

use clap::Parser;
use qoima_engine::UiError;
use qoima_engine::bucket::CreateBucketRequest;

use args::{BucketsCommand, Cli, Command};

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
        Command::Cp { source, destination } => {
            let location = args::S3Location::parse(&destination)?;
            let key = if location.prefix.is_empty() || location.prefix.ends_with('/') {
                let name = source
                    .file_name()
                    .and_then(|n| n.to_str())
                    .ok_or_else(|| UiError::invalid("source", format!("{} has no file name", source.display())))?;
                format!("{}{name}", location.prefix)
            } else {
                location.prefix
            };
            let bytes = engine.upload_file(&source, &location.bucket, &key).await?;
            output::uploaded(&mut out, &location.bucket, &key, bytes, cli.json);
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
        Command::Ls { location, recursive } => {
            let location = args::S3Location::parse(&location)?;
            output::listing(&mut out, &client, &location, recursive, cli.json).await?;
        }
    }
    Ok(())
}
