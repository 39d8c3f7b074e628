use qoima_engine::account::{Secret, validate_connect};
use qoima_engine::storage::{RetryPolicy, S3Client};
use qoima_engine::{Engine, UiError, paths, time};

use crate::args::ConnectionArgs;

pub const SECRET_ENV: &str = "QOIMA_SECRET_KEY";

pub fn client(args: &ConnectionArgs) -> Result<S3Client, UiError> {
    if let Some(name) = &args.account {
        let engine = Engine::open(&paths::data_dir(), time::system_clock())?;
        return engine.account_client_by_name(name);
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
    Ok(S3Client::new(&params, secret.expose(), time::system_clock(), RetryPolicy::Standard)?)
}
