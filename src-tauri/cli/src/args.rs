use clap::{Args, Parser, Subcommand, ValueEnum};
use qoima_engine::UiError;
use qoima_engine::bucket::{BucketType, StorageClass};
use qoima_engine::engine::YearMonth;
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
    /// Measures the account's usage against its quota. The limits given
    /// here (from the personal cabinet) are kept for the next time.
    Usage {
        #[arg(long)]
        max_bytes: Option<u64>,
        #[arg(long)]
        max_objects: Option<u64>,
        #[arg(long)]
        max_buckets: Option<u64>,
        /// Garage's admin API, with its token in QOIMA_GARAGE_ADMIN_TOKEN.
        #[arg(long)]
        garage_admin: Option<String>,
    },
    /// The trial: its end and what is left. --started records its start as
    /// the personal cabinet shows it (e.g. 2026-12-01T09:30:00+05:00), or
    /// "earliest" for the earliest the app can prove; --none records that
    /// there is no trial.
    Trial {
        #[arg(long, conflicts_with = "none")]
        started: Option<String>,
        #[arg(long)]
        none: bool,
    },
    /// The month's availability as this computer saw it, and the credit the
    /// terms would give: an estimate, since the provider's records decide.
    Availability {
        /// The provider's month, YYYY-MM; this month when not given.
        #[arg(long, value_parser = parse_month)]
        month: Option<YearMonth>,
        /// The month's payment in tenge (e.g. 4990 or 4990.50), to see the
        /// credit as an amount.
        #[arg(long, value_parser = parse_tenge)]
        payment: Option<u64>,
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

/// `2026-11`.
fn parse_month(text: &str) -> Result<YearMonth, String> {
    let invalid = || format!("{text:?} is not a month: expected YYYY-MM, e.g. 2026-11");
    let (year, month) = text.split_once('-').ok_or_else(invalid)?;
    let year: i16 = year.parse().map_err(|_| invalid())?;
    match month.parse::<i8>() {
        Ok(number @ 1..=12) if month.len() == 2 => Ok(YearMonth { year, month: number }),
        _ => Err(invalid()),
    }
}

/// Tenge with up to two decimals, as tiyn: `4990.5` is 499050.
fn parse_tenge(text: &str) -> Result<u64, String> {
    let invalid = || format!("{text:?} is not an amount in tenge, e.g. 4990 or 4990.50");
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if whole.is_empty() || fraction.len() > 2 || !(whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())) {
        return Err(invalid());
    }
    let whole: u64 = whole.parse().map_err(|_| invalid())?;
    let fraction: u64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    whole.checked_mul(100).and_then(|t| t.checked_add(fraction)).ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_amounts_read_as_typed() {
        assert_eq!(parse_month("2026-11"), Ok(YearMonth { year: 2026, month: 11 }));
        assert_eq!(parse_month("2027-01"), Ok(YearMonth { year: 2027, month: 1 }));
        for bad in ["2026-13", "2026-00", "2026-1", "2026", "November", "2026-11-01"] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_tenge("4990"), Ok(499_000));
        assert_eq!(parse_tenge("4990.5"), Ok(499_050));
        assert_eq!(parse_tenge("4990.05"), Ok(499_005));
        for bad in ["", ".5", "4990.555", "-1", "4 990", "1e3", "99999999999999999999"] {
            assert!(parse_tenge(bad).is_err(), "{bad}");
        }
    }

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
