//! The window never leaves the app: a link or a script cannot navigate the
//! webview to another page. Outside links (support chat, phone, provider
//! site) open in the system's own handler through the opener plugin.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

/// The app's own pages: `tauri://localhost` on Linux and macOS,
/// `http://tauri.localhost` on Windows.
pub fn is_app_page(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        "about" => url.as_str() == "about:blank",
        _ => false,
    }
}

pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|_, url| {
            let allowed = is_app_page(url);
            if !allowed {
                tracing::warn!(%url, "blocked navigation away from the app");
            }
            allowed
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_pages_may_load() {
        let page = |u: &str| is_app_page(&u.parse().unwrap());
        assert!(page("tauri://localhost/index.html"));
        assert!(page("http://tauri.localhost/"));
        assert!(!page("https://t.me/PRO_DATA_Support_Bot"));
        assert!(!page("tel:+77475073022"));
        assert!(!page("http://localhost:5173/"));
        assert!(!page("file:///etc/passwd"));
    }
}
