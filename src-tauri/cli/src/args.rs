use clap::{Args, Parser, Subcommand, ValueEnum};
use qoima_engine::UiError;
use qoima_engine::bucket::{BucketType, StorageClass};
use qoima_engine::sync::model::SyncMode;

#[derive(Debug, Parser)]
#[command(name = "qoima-cli", version, about = "Qoima's storage engine from a terminal")]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// A saved account, or an endpoint given here with the secret in
/// `QOIMA_SECRET_KEY` (never a flag, so it stays out of shell history).
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// A saved account's name.
    #[arg(long, conflicts_with_all = ["endpoint", "access_key"])]
    pub account: Option<String>,
    /// The storage's address, e.g. https://s3.example.kz
    #[arg(long, requires = "access_key")]
    pub endpoint: Option<String>,
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    /// The access key id; the secret comes from QOIMA_SECRET_KEY.
    #[arg(long)]
    pub access_key: Option<String>,
    /// Use virtual-host addressing (bucket.host) instead of path style.
    #[arg(long)]
    pub virtual_host: bool,
    /// Whose rules apply (bucket types, classes): prodata, s3-compatible,
    /// aws, ceph-rgw, minio or garage.
    #[arg(long, default_value = "s3-compatible", conflicts_with = "account")]
    pub provider: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Buckets of the account.
    Buckets {
        #[command(subcommand)]
        command: BucketsCommand,
    },
    /// Lists a bucket or a folder: ls s3://BUCKET/PREFIX
    Ls {
        location: String,
        /// Every key under the prefix, at any depth.
        #[arg(long)]
        recursive: bool,
    },
    /// Copies one file: cp FILE s3://BUCKET/KEY uploads, cp s3://BUCKET/KEY
    /// FILE downloads. A KEY ending in / (or a FILE that is a folder) keeps
    /// the name of what is copied. With --recursive the contents of a folder
    /// or prefix go under the destination.
    Cp {
        source: String,
        destination: String,
        #[arg(long)]
        recursive: bool,
    },
    /// Keeps a folder and a prefix in step: sync DIR s3://BUCKET/PREFIX.
    /// Backup sends new and changed files; mirror also carries deletions to
    /// the storage's sync trash; two-way brings the storage's changes back.
    Sync {
        dir: String,
        location: String,
        #[arg(long, value_enum, default_value = "backup")]
        mode: ModeArg,
        /// Keep running, syncing every change as it happens.
        #[arg(long)]
        watch: bool,
        /// Carry out deletions the safety stop would hold back.
        #[arg(long)]
        approve_deletions: bool,
    },
    /// Deletes an object, or with --recursive everything under a prefix.
    Rm {
        location: String,
        #[arg(long)]
        recursive: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BucketsCommand {
    /// The buckets with their type and class.
    List,
    /// Creates a bucket; its class can never be changed afterwards.
    Create {
        name: String,
        #[arg(long = "type", value_enum, default_value = "private")]
        bucket_type: TypeArg,
        #[arg(long, value_enum, default_value = "standard")]
        class: ClassArg,
    },
    /// Changes who may reach a bucket's data.
    SetType {
        name: String,
        #[arg(long = "type", value_enum)]
        bucket_type: TypeArg,
    },
    /// Deletes an empty bucket; with --force, its contents first.
    Delete {
        name: String,
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TypeArg {
    Private,
    PublicRead,
    PublicReadWrite,
}

impl From<TypeArg> for BucketType {
    fn from(arg: TypeArg) -> Self {
        match arg {
            TypeArg::Private => Self::Private,
            TypeArg::PublicRead => Self::PublicRead,
            TypeArg::PublicReadWrite => Self::PublicReadWrite,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    Backup,
    Mirror,
    TwoWay,
}

impl From<ModeArg> for SyncMode {
    fn from(arg: ModeArg) -> Self {
        match arg {
            ModeArg::Backup => Self::Backup,
            ModeArg::Mirror => Self::Mirror,
            ModeArg::TwoWay => Self::TwoWay,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ClassArg {
    Standard,
    Cold,
}

impl From<ClassArg> for StorageClass {
    fn from(arg: ClassArg) -> Self {
        match arg {
            ClassArg::Standard => Self::Standard,
            ClassArg::Cold => Self::Cold,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    pub prefix: String,
}

impl S3Location {
    pub fn parse(text: &str) -> Result<Self, UiError> {
        let rest = text
            .strip_prefix("s3://")
            .ok_or_else(|| UiError::invalid("location", format!("{text:?} is not an s3://BUCKET/PREFIX address")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(UiError::invalid("location", format!("{text:?} names no bucket")));
        }
        Ok(Self { bucket: bucket.to_owned(), prefix: prefix.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_s3_addresses() {
        assert_eq!(S3Location::parse("s3://b").unwrap(), S3Location { bucket: "b".into(), prefix: "".into() });
        assert_eq!(S3Location::parse("s3://b/a/c/").unwrap(), S3Location { bucket: "b".into(), prefix: "a/c/".into() });
        assert!(S3Location::parse("b/a").is_err());
        assert!(S3Location::parse("s3:///a").is_err());
    }

    #[test]
    fn the_command_line_shape_holds() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
