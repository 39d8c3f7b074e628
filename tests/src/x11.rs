//! The app's main window seen from outside, on the test's X display: found
//! through the app's process, closed the way a window manager's close
//! button closes it, its requests to be minimized, and the keyboard focus.
//!
//! Xvfb runs without a window manager, so a window asking to be minimized
//! stays on the screen; what can be seen is the request itself, the
//! `WM_CHANGE_STATE` message to the root window that a window manager acts
//! on (ICCCM 4.1.4).

use std::path::Path;
use std::time::Duration;

use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{
    AtomEnum, ChangeWindowAttributesAux, ClientMessageEvent, ConnectionExt as _, EventMask, InputFocus, MapState,
    Window,
};
use x11rb::rust_connection::RustConnection;

use crate::eventually;

/// `IconicState` in `WM_CHANGE_STATE`: "minimize me".
const ICONIC_STATE: u32 = 3;

pub struct Display {
    conn: RustConnection,
    root: Window,
}

impl Display {
    /// The display of `$DISPLAY` (the Xvfb `cargo xtask test` starts).
    pub fn open() -> Self {
        let (conn, screen) = x11rb::connect(None).expect("an X display: `cargo xtask test` starts Xvfb");
        let root = conn.setup().roots[screen].root;
        Self { conn, root }
    }

    fn atom(&self, name: &str) -> u32 {
        self.conn.intern_atom(false, name.as_bytes()).unwrap().reply().unwrap().atom
    }

    /// The shown top-level windows of process `pid`, as it set them in `_NET_WM_PID`.
    pub fn windows_of(&self, pid: u32) -> Vec<Window> {
        let pid_atom = self.atom("_NET_WM_PID");
        let children = self.conn.query_tree(self.root).unwrap().reply().unwrap().children;
        children
            .into_iter()
            .filter(|&window| {
                let Ok(cookie) = self.conn.get_property(false, window, pid_atom, AtomEnum::CARDINAL, 0, 1) else {
                    return false;
                };
                let owner = cookie.reply().ok().and_then(|p| p.value32().and_then(|mut v| v.next()));
                let shown = self
                    .conn
                    .get_window_attributes(window)
                    .ok()
                    .and_then(|c| c.reply().ok())
                    .is_some_and(|a| a.map_state == MapState::VIEWABLE);
                owner == Some(pid) && shown
            })
            .collect()
    }

    /// Waits for the one shown window of process `pid`.
    pub async fn main_window(&self, pid: u32) -> Window {
        eventually(Duration::from_secs(60), &format!("the window of process {pid}"), async || {
            let windows = self.windows_of(pid);
            assert!(windows.len() <= 1, "process {pid} shows several windows: {windows:?}");
            windows.first().copied()
        })
        .await
    }

    /// Asks `window` to close, as the close button of a window manager does
    /// (`WM_DELETE_WINDOW`): the app may refuse, unlike when the window is destroyed.
    pub fn ask_to_close(&self, window: Window) {
        let protocols = self.atom("WM_PROTOCOLS");
        let delete = self.atom("WM_DELETE_WINDOW");
        let event = ClientMessageEvent::new(32, window, protocols, [delete, x11rb::CURRENT_TIME, 0, 0, 0]);
        self.conn.send_event(false, window, EventMask::NO_EVENT, event).unwrap();
        self.conn.flush().unwrap();
    }

    /// From now on, sees what windows ask of the window manager.
    pub fn watch_requests(&self) {
        let listen = ChangeWindowAttributesAux::new().event_mask(EventMask::SUBSTRUCTURE_NOTIFY);
        self.conn.change_window_attributes(self.root, &listen).unwrap().check().unwrap();
    }

    /// Waits until `window` asks to be minimized (after `watch_requests`).
    pub async fn minimize_requested(&self, window: Window, deadline: Duration) {
        let change_state = self.atom("WM_CHANGE_STATE");
        eventually(deadline, "the window to ask to be minimized", async || {
            while let Some(event) = self.conn.poll_for_event().unwrap() {
                if let Event::ClientMessage(message) = event
                    && message.window == window
                    && message.type_ == change_state
                    && message.data.as_data32()[0] == ICONIC_STATE
                {
                    return Some(());
                }
            }
            None
        })
        .await
    }

    pub fn is_shown(&self, window: Window) -> bool {
        self.conn
            .get_window_attributes(window)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|a| a.map_state == MapState::VIEWABLE)
    }

    /// Takes the keyboard away from every window.
    pub fn focus_nothing(&self) {
        self.conn.set_input_focus(InputFocus::NONE, x11rb::NONE, x11rb::CURRENT_TIME).unwrap().check().unwrap();
    }

    /// Whether the keyboard goes to `window` or to a window inside it.
    pub fn has_focus(&self, window: Window) -> bool {
        let mut focused = self.conn.get_input_focus().unwrap().reply().unwrap().focus;
        while focused != x11rb::NONE && focused != self.root && focused != u32::from(u8::from(InputFocus::POINTER_ROOT))
        {
            if focused == window {
                return true;
            }
            match self.conn.query_tree(focused).ok().and_then(|c| c.reply().ok()) {
                Some(tree) => focused = tree.parent,
                None => return false,
            }
        }
        false
    }
}

/// The process running the app on `data_dir` (the app itself, not the
/// driver that started it), read from each process's environment.
pub fn app_pid(data_dir: &Path) -> Option<u32> {
    let app = std::fs::canonicalize(std::env::var("QOIMA_TEST_APP").ok()?).ok()?;
    let wanted = format!("QOIMA_DATA_DIR={}", data_dir.display());
    std::fs::read_dir("/proc").ok()?.filter_map(Result::ok).find_map(|entry| {
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        // A binary rebuilt while it runs reads as "… (deleted)".
        let exe = std::fs::read_link(entry.path().join("exe")).ok()?;
        let exe = exe.to_str()?.trim_end_matches(" (deleted)");
        let environ = std::fs::read(entry.path().join("environ")).ok()?;
        let ours = Path::new(exe) == app && environ.split(|b| *b == 0).any(|var| var == wanted.as_bytes());
        (ours && is_running(pid)).then_some(pid)
    })
}

/// Whether process `pid` still runs (an exited child its parent has not
/// yet waited for does not).
pub fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next()))
        .is_some_and(|state| state != 'Z' && state != 'X')
}
