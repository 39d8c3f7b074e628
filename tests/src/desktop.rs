//! What the app shows outside its webview, seen and answered on the test's X
//! display with `xdotool`: the system's file chooser (GTK's, opened through
//! tauri-plugin-dialog) and the window title.
//!
//! Xvfb runs without a window manager, so a new window does not get the
//! keyboard by itself: the chooser is given it with `windowfocus` before any
//! key goes to it.

use std::path::Path;
use std::time::Duration;

use crate::eventually;

/// How long the chooser may take to appear or to close.
const DEADLINE: Duration = Duration::from_secs(60);

async fn xdotool(args: &[&str]) -> (bool, String) {
    let run = tokio::process::Command::new("xdotool").args(args).output();
    match tokio::time::timeout(Duration::from_secs(30), run).await {
        Ok(Ok(out)) => (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(Err(err)) => panic!("xdotool does not run ({err}): `cargo xtask test` installs it"),
        Err(_) => panic!("xdotool {args:?} did not return in 30 s"),
    }
}

/// The visible windows whose title satisfies `wanted`.
pub async fn windows_titled(wanted: impl Fn(&str) -> bool) -> Vec<String> {
    // xdotool exits 1 when nothing matches: that is an empty answer, not a failure.
    let (_, out) = xdotool(&["search", "--onlyvisible", "--class", ""]).await;
    let mut found = Vec::new();
    for id in out.split_whitespace() {
        if wanted(&window_title(id).await) {
            found.push(id.to_owned());
        }
    }
    found
}

/// The title of the X window `id` as the desktop shows it, read from its
/// UTF-8 name (xdotool's own reading loses titles outside Latin-1 under
/// some locales); empty for a window without one.
pub async fn window_title(id: &str) -> String {
    let read = tokio::process::Command::new("xprop").args(["-id", id, "-notype", "_NET_WM_NAME"]).output();
    let out = match tokio::time::timeout(Duration::from_secs(30), read).await {
        Ok(Ok(out)) => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(Err(err)) => panic!("xprop does not run ({err}): `cargo xtask test` installs x11-utils"),
        Err(_) => panic!("xprop -id {id} did not return in 30 s"),
    };
    // `_NET_WM_NAME = "title"`, with `\` and `"` escaped.
    out.split_once(" = \"")
        .map(|(_, quoted)| quoted.trim_end().trim_end_matches('"').replace("\\\"", "\"").replace("\\\\", "\\"))
        .unwrap_or_default()
}

/// A file chooser window of the app, open on the screen.
pub struct FileChooser {
    id: String,
}

impl FileChooser {
    /// Waits for the chooser titled `title` to be shown.
    pub async fn wait(title: &str) -> Self {
        let id = eventually(DEADLINE, &format!("the file chooser \"{title}\""), async || {
            let mut ids = windows_titled(|shown| shown == title).await;
            assert!(ids.len() <= 1, "more than one chooser \"{title}\" is open: {ids:?}");
            ids.pop()
        })
        .await;
        Self { id }
    }

    /// Types `path` into the chooser's location field and confirms it, as a
    /// person who knows where the file is would; waits for the chooser to close.
    ///
    /// Keys sent while GTK is still building the chooser, or a Return pressed
    /// while it is still reading the typed folder, are dropped without a
    /// trace; so Return is pressed until the chooser closes, and the whole
    /// path typed again if that does not do it.
    pub async fn choose(self, path: &Path) {
        let mut typed = path.to_str().expect("a UTF-8 path").to_owned();
        // "folder/" is the folder itself; "folder" would be completed to "folder/"
        // and a Return then accepts the completion instead of the folder.
        if path.is_dir() && !typed.ends_with('/') {
            typed.push('/');
        }
        for _ in 0..5 {
            let (ok, _) = xdotool(&["windowfocus", "--sync", &self.id]).await;
            assert!(ok, "the chooser would not take the keyboard");
            // A real folder first: in "Recent", GTK's chooser will not take a folder.
            // Ctrl+L opens the location field, Ctrl+A selects what an earlier try left.
            xdotool(&["key", "--clearmodifiers", "alt+Home", "ctrl+l", "ctrl+a"]).await;
            xdotool(&["type", "--clearmodifiers", "--delay", "20", &typed]).await;
            for _ in 0..6 {
                // To the chooser's window only, so nothing reaches the app once it
                // is gone. Delete drops a completion GTK may have added meanwhile.
                xdotool(&["key", "--window", &self.id, "Delete", "Return"]).await;
                if self.closed_within(Duration::from_millis(500)).await {
                    return;
                }
            }
        }
        panic!("the file chooser did not take {typed}");
    }

    async fn closed_within(&self, wait: Duration) -> bool {
        let start = std::time::Instant::now();
        loop {
            if !self.is_shown().await {
                return true;
            }
            if start.elapsed() >= wait {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn is_shown(&self) -> bool {
        let (any, out) = xdotool(&["search", "--onlyvisible", "--class", ""]).await;
        any && out.split_whitespace().any(|id| id == self.id)
    }
}
