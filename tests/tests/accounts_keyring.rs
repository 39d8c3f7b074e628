//! Accounts with their secret in the real OS keyring (gnome-keyring inside
//! the D-Bus session `cargo xtask test` runs), and without any keyring.

use qoima_engine::account::{KeyringStatus, SaveAccountRequest, Secret, SecretPlace, SecretStore};
use qoima_engine::time::system_clock;
use qoima_engine::{Engine, ErrorCode};
use qoima_tests::{Garage, assert_secret_not_on_disk};

fn save_request(garage: &Garage, name: &str, remember: bool) -> SaveAccountRequest {
    SaveAccountRequest {
        id: None,
        name: name.into(),
        provider_id: "garage".into(),
        endpoint: garage.endpoint.clone(),
        region: garage.region.clone(),
        access_key_id: garage.key_id.clone(),
        secret_key: Some(Secret::new(&garage.secret)),
        remember,
    }
}

fn secret_ref(dir: &std::path::Path, id: i64) -> String {
    let db = rusqlite::Connection::open(dir.join("qoima.db")).unwrap();
    db.query_row("SELECT secret_ref FROM accounts WHERE id = ?1", [id], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_remembered_account_survives_a_restart_and_removal_clears_the_keyring() {
    let garage = Garage::from_env();
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let engine = Engine::open(dir.path(), system_clock()).unwrap();
        assert_eq!(
            engine.app_info(None).keyring,
            KeyringStatus::Available,
            "this test needs the unlocked Secret Service that `cargo xtask test` starts"
        );
        let account = engine.save_account(&save_request(&garage, "garage main", true)).unwrap();
        assert_eq!(account.secret, SecretPlace::Keyring);
        engine.connect_account(account.id, None).await.unwrap();
        account.id
    };
    let reference = secret_ref(dir.path(), id);
    assert_eq!(SecretStore::keyring_holds(&reference).as_deref(), Some(garage.secret.as_str()));
    assert_secret_not_on_disk(dir.path(), &garage.secret);

    // A new engine on the same data dir: the account is there, the secret
    // comes from the keyring, and the last account reconnects by itself.
    let engine = Engine::open(dir.path(), system_clock()).unwrap();
    let accounts = engine.accounts().unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!((accounts[0].name.as_str(), accounts[0].secret), ("garage main", SecretPlace::Keyring));
    let startup = engine.startup().unwrap();
    assert_eq!(startup.connection.and_then(|c| c.account_id), Some(id));
    engine.buckets().await.expect("the secret read back from the keyring signs requests");

    engine.remove_account(id).unwrap();
    assert!(engine.accounts().unwrap().is_empty());
    assert_eq!(SecretStore::keyring_holds(&reference), None, "removing the account removes its keyring entry");
    assert_eq!(engine.buckets().await.unwrap_err().code, ErrorCode::NotConnected);
}

#[tokio::test]
async fn editing_keeps_the_stored_secret_unless_a_new_one_is_typed() {
    let garage = Garage::from_env();
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path(), system_clock()).unwrap();
    let account = engine.save_account(&save_request(&garage, "before", true)).unwrap();
    let reference = secret_ref(dir.path(), account.id);
    let mut edit = save_request(&garage, "after", true);
    edit.id = Some(account.id);
    edit.secret_key = None;
    let edited = engine.save_account(&edit).unwrap();
    assert_eq!((edited.id, edited.name.as_str(), edited.secret), (account.id, "after", SecretPlace::Keyring));
    assert_eq!(SecretStore::keyring_holds(&reference).as_deref(), Some(garage.secret.as_str()));
    Engine::open(dir.path(), system_clock())
        .unwrap()
        .connect_account(account.id, None)
        .await
        .expect("a fresh engine signs with the secret still in the keyring");

    // No longer remembered: the secret leaves the keyring, stays for the session.
    edit.remember = false;
    let forgotten = engine.save_account(&edit).unwrap();
    assert_eq!(forgotten.secret, SecretPlace::Session);
    assert_eq!(SecretStore::keyring_holds(&reference), None);
    engine.connect_account(account.id, None).await.expect("still usable in this session");
    engine.remove_account(account.id).unwrap();
}

#[tokio::test]
async fn a_wrong_typed_secret_changes_nothing_stored() {
    let garage = Garage::from_env();
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path(), system_clock()).unwrap();
    let account = engine.save_account(&save_request(&garage, "kept", true)).unwrap();
    let reference = secret_ref(dir.path(), account.id);
    let err = engine.connect_account(account.id, Some(Secret::new("0".repeat(64)))).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongSecret);
    assert_eq!(SecretStore::keyring_holds(&reference).as_deref(), Some(garage.secret.as_str()));
    engine.connect_account(account.id, None).await.expect("the stored secret still works");
    engine.remove_account(account.id).unwrap();
}

#[tokio::test]
async fn not_remembering_keeps_the_secret_for_the_session_only() {
    let garage = Garage::from_env();
    let dir = tempfile::tempdir().unwrap();
    let account = {
        let engine = Engine::open(dir.path(), system_clock()).unwrap();
        let account = engine.save_account(&save_request(&garage, "temporary", false)).unwrap();
        assert_eq!(account.secret, SecretPlace::Session);
        engine.connect_account(account.id, None).await.unwrap();
        account
    };
    assert_eq!(SecretStore::keyring_holds(&secret_ref(dir.path(), account.id)), None);
    let engine = Engine::open(dir.path(), system_clock()).unwrap();
    assert_eq!(engine.accounts().unwrap()[0].secret, SecretPlace::Missing);
    let startup = engine.startup().unwrap();
    assert_eq!(startup.needs_secret.map(|a| a.id), Some(account.id));
    let err = engine.connect_account(account.id, None).await.unwrap_err();
    assert_eq!(err.field.as_deref(), Some("secretKey"));
    engine.connect_account(account.id, Some(Secret::new(&garage.secret))).await.unwrap();
    assert_eq!(
        SecretStore::keyring_holds(&secret_ref(dir.path(), account.id)),
        None,
        "typing the secret of a not-remembered account keeps it out of the keyring"
    );
    engine.remove_account(account.id).unwrap();
}

/// Runs in a child process whose D-Bus address leads nowhere, so the real
/// keyring of this session is out of reach.
#[test]
fn without_dbus_the_secret_is_kept_for_this_session_only() {
    const CHILD: &str = "QOIMA_TEST_NO_DBUS_CHILD";
    if std::env::var_os(CHILD).is_some() {
        return no_dbus_child();
    }
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "without_dbus_the_secret_is_kept_for_this_session_only"])
        .env(CHILD, "1")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/qoima-test-bus")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success() && stdout.contains("1 passed"),
        "the no-D-Bus child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&child.stderr)
    );
}

fn no_dbus_child() {
    let garage = Garage::from_env();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let id = {
        let engine = Engine::open(dir.path(), system_clock()).unwrap();
        assert_eq!(engine.app_info(None).keyring, KeyringStatus::Unavailable);
        let account = engine.save_account(&save_request(&garage, "no keyring", true)).unwrap();
        assert_eq!(account.secret, SecretPlace::Session, "asked to remember, but there is nowhere safe to");
        runtime.block_on(engine.connect_account(account.id, None)).unwrap();
        runtime.block_on(engine.buckets()).unwrap();
        account.id
    };
    assert_secret_not_on_disk(dir.path(), &garage.secret);
    let engine = Engine::open(dir.path(), system_clock()).unwrap();
    assert_eq!(engine.accounts().unwrap()[0].secret, SecretPlace::Missing);
    assert_eq!(engine.startup().unwrap().needs_secret.map(|a| a.id), Some(id));
}
