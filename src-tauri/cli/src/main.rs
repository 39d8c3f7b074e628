//! `qoima-cli`: the engine from a terminal, for servers, scripts and benchmarks.

mod args;
mod connect;
mod output;

use std::process::ExitCode;

use clap::Parser;
use qoima_engine::UiError;

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
    let client = connect::client(&cli.connection)?;
    let mut out = output::Out::new();
    match cli.command {
        Command::Buckets { command: BucketsCommand::List } => {
            let buckets = client.list_buckets().await?;
            output::buckets(&mut out, &buckets, cli.json);
        }
        Command::Ls { location, recursive } => {
            let location = args::S3Location::parse(&location)?;
            output::listing(&mut out, &client, &location, recursive, cli.json).await?;
        }
    }
    Ok(())
}
