use qoima_engine::account::{Secret, validate_connect};
use qoima_engine::storage::S3Client;
use qoima_engine::{Engine, UiError, paths, time};

use crate::args::ConnectionArgs;

pub const SECRET_ENV: &str = "QOIMA_SECRET_KEY";

/// The engine, connected as the flags say. It keeps its records (the class of
/// buckets on storages without tags) where the app keeps them.
pub fn connect(args: &ConnectionArgs) -> Result<(Engine, S3Client), UiError> {
    let engine = Engine::open(&paths::data_dir(), time::system_clock())?;
    if let Some(name) = &args.account {
        let client = engine.use_account_named(name)?;
        return Ok((engine, client));
    }
    let (Some(endpoint), Some(access_key)) = (&args.endpoint, &args.access_key) else {
        return Err(UiError::invalid(
            "account",
            "give --account NAME, or --endpoint URL --access-key ID with the secret in QOIMA_SECRET_KEY",
        ));
    };
    let secret = std::env::var(SECRET_ENV)
        .map(Secret::new)
        .map_err(|_| UiError::invalid("secretKey", format!("set {SECRET_ENV} to the secret key")))?;
    let params = validate_connect(endpoint, &args.region, access_key, Some(&secret), !args.virtual_host)?;
    let client = engine.use_endpoint(&params, &secret, &args.provider)?;
    Ok((engine, client))
}
