//! One running app per data folder: a second launch brings the running
//! window to the front and exits.
//!
//! The instance is keyed to the data folder, not to the app alone: two
//! apps on one folder would run one transfer queue twice, while apps on
//! different folders (`QOIMA_DATA_DIR`: the end-to-end tests start many at
//! once, each with its own) share nothing and may run side by side. On
//! Linux the key is a D-Bus name, so it is a digest of the folder's path.

use std::path::Path;

use tauri::Runtime;
use tauri::plugin::TauriPlugin;

use crate::background;

const APP_ID: &str = "kz.qoima.desktop";

pub fn single<R: Runtime>(data_dir: &Path) -> TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance_id(data_dir))
        .callback(|app, _args, _cwd| background::bring_back(app))
        .build()
}

/// A D-Bus name element per folder: the same folder however it is spelled.
fn instance_id(data_dir: &Path) -> String {
    let folder = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    format!("{APP_ID}.data_{:016x}", fnv1a(folder.as_os_str().as_encoded_bytes()))
}

/// FNV-1a: stable across builds and Rust versions, unlike std's hasher, so
/// an updated app still finds one started before the update.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_folder_one_id_however_it_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let plain = instance_id(&dir.path().join("data"));
        assert_eq!(instance_id(&dir.path().join("data/../data/.")), plain);
        assert_ne!(instance_id(dir.path()), plain);
    }

    #[test]
    fn the_id_is_a_valid_dbus_name() {
        let id = instance_id(Path::new("/home/айгерім/.local/share/Qoima"));
        assert!(id.starts_with("kz.qoima.desktop.data_"));
        assert!(id.len() < 255);
        for element in id.split('.') {
            assert!(!element.is_empty() && !element.starts_with(|c: char| c.is_ascii_digit()), "{id}");
            assert!(element.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{id}");
        }
    }

    #[test]
    fn the_digest_is_fnv1a() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
