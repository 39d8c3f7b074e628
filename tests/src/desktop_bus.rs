//! The desktop's side of a D-Bus session, for the end-to-end tests: a bus
//! of the test's own with a notification server that keeps what it was
//! asked to show, and, when the desktop is to have a tray, the part of a
//! panel that shows tray icons: a StatusNotifier watcher and host, which the
//! app's tray icon registers with (through libayatana-appindicator, as on a
//! KDE or XFCE panel), and a reader of the icon's menu (com.canonical.dbusmenu)
//! that can choose its items as a person's click does.
//!
//! The bus has no service files: nothing on it is started on demand, so the
//! app finds no keyring there and never reaches the user's own.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use zbus::message::Header;
use zbus::zvariant::{OwnedObjectPath, OwnedValue, Value};

use crate::eventually;

const WATCHER: &str = "org.kde.StatusNotifierWatcher";

const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// A dbusmenu node: its id, its properties, its children (each a `Layout` in a variant).
type Layout = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// Items as they registered: the sender's bus name and the path it gave.
type Items = Arc<Mutex<Vec<(String, String)>>>;

struct Watcher {
    items: Items,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(&self, service: &str, #[zbus(header)] header: Header<'_>) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        self.items.lock().unwrap().push((sender, service.to_owned()));
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().unwrap().iter().map(|(sender, path)| format!("{sender}{path}")).collect()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// Notifications as they were asked for: title and text.
type Shown = Arc<Mutex<Vec<(String, String)>>>;

struct Notifications {
    shown: Shown,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Notifications {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        _app_name: &str,
        _replaces_id: u32,
        _icon: &str,
        summary: &str,
        body: &str,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        shown.push((summary.to_owned(), body.to_owned()));
        shown.len() as u32
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".to_owned()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("qoima-tests".to_owned(), "Qoima".to_owned(), "1".to_owned(), "1.2".to_owned())
    }

    fn close_notification(&self, _id: u32) {}
}

/// A desktop session bus: notifications always, a panel with tray icons if asked.
pub struct DesktopBus {
    daemon: Child,
    address: String,
    conn: zbus::Connection,
    items: Items,
    shown: Shown,
}

/// One entry of a tray menu as the panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuEntry {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
}

impl DesktopBus {
    /// Starts the bus (config in `dir`), its notification server and, with
    /// `tray`, the StatusNotifier watcher.
    pub async fn start(dir: &Path, tray: bool) -> Self {
        let config = dir.join("bus.conf");
        std::fs::write(&config, BUS_CONFIG).unwrap();
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs (package dbus)");
        let mut address = String::new();
        BufReader::new(daemon.stdout.take().unwrap()).read_line(&mut address).unwrap();
        let address = address.trim().to_owned();
        let items = Items::default();
        let shown = Shown::default();
        let notifications = Notifications { shown: shown.clone() };
        let mut builder = zbus::connection::Builder::address(address.as_str())
            .unwrap()
            .name("org.freedesktop.Notifications")
            .unwrap()
            .serve_at("/org/freedesktop/Notifications", notifications)
            .unwrap();
        if tray {
            builder = builder
                .name(WATCHER)
                .unwrap()
                .serve_at("/StatusNotifierWatcher", Watcher { items: items.clone() })
                .unwrap();
        }
        let conn = builder.build().await.expect("the desktop's services on the test's bus");
        Self { daemon, address, conn, items, shown }
    }

    /// Waits for a notification titled `title`; its text.
    pub async fn notification(&self, title: &str) -> String {
        eventually(Duration::from_secs(60), &format!("the notification \"{title}\""), async || {
            let shown = self.shown.lock().unwrap();
            shown.iter().find(|(t, _)| t == title).map(|(_, body)| body.clone())
        })
        .await
    }

    /// For the app's `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Waits for a tray icon to register; the bus name and path of its menu.
    async fn menu(&self) -> (String, OwnedObjectPath) {
        let (sender, service) = eventually(Duration::from_secs(60), "a tray icon to register", async || {
            self.items.lock().unwrap().first().cloned()
        })
        .await;
        let (name, path) =
            if service.starts_with('/') { (sender, service) } else { (service, "/StatusNotifierItem".to_owned()) };
        let item = zbus::Proxy::new(&self.conn, name.clone(), path, "org.kde.StatusNotifierItem").await.unwrap();
        let menu: OwnedObjectPath = item.get_property("Menu").await.expect("the icon has a menu");
        (name, menu)
    }

    async fn menu_proxy(&self) -> zbus::Proxy<'static> {
        let (name, path) = self.menu().await;
        zbus::Proxy::new(&self.conn, name, path, "com.canonical.dbusmenu").await.unwrap()
    }

    /// The menu's entries, top to bottom, separators left out.
    pub async fn entries(&self) -> Vec<MenuEntry> {
        let proxy = self.menu_proxy().await;
        let (_revision, (_id, _props, children)): (u32, Layout) =
            proxy.call("GetLayout", &(0i32, 1i32, Vec::<String>::new())).await.expect("the menu's layout");
        children.iter().filter_map(entry).collect()
    }

    /// Waits until the menu shows `wanted` (compared by label and whether enabled).
    pub async fn wait_for_entries(&self, wanted: &[(&str, bool)]) -> Vec<MenuEntry> {
        let wanted: Vec<(String, bool)> = wanted.iter().map(|(l, e)| ((*l).to_owned(), *e)).collect();
        let mut seen = Vec::new();
        let found = tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                seen = self.entries().await;
                if seen.iter().map(|e| (e.label.clone(), e.enabled)).collect::<Vec<_>>() == wanted {
                    return seen.clone();
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        found.unwrap_or_else(|_| panic!("the tray menu never showed {wanted:?}; last seen {seen:?}"))
    }

    /// Chooses the entry labelled `label`, as a click in the panel's menu does.
    pub async fn choose(&self, label: &str) {
        let entries = self.entries().await;
        let entry = entries.iter().find(|e| e.label == label).unwrap_or_else(|| panic!("no {label} in {entries:?}"));
        let proxy = self.menu_proxy().await;
        let () = proxy.call("Event", &(entry.id, "clicked", Value::I32(0), 0u32)).await.expect("the click is taken");
    }
}

fn entry(value: &OwnedValue) -> Option<MenuEntry> {
    let Value::Structure(fields) = &**value else { return None };
    let [Value::I32(id), Value::Dict(props), ..] = fields.fields() else { return None };
    let props: HashMap<String, OwnedValue> = props.try_clone().ok()?.try_into().ok()?;
    let prop = |key: &str| props.get(key).map(|value| &**value);
    if matches!(prop("type"), Some(Value::Str(kind)) if kind.as_str() == "separator") {
        return None;
    }
    let label = match prop("label") {
        Some(Value::Str(label)) => label.as_str().to_owned(),
        _ => String::new(),
    };
    let enabled = !matches!(prop("enabled"), Some(Value::Bool(false)));
    Some(MenuEntry { id: *id, label, enabled })
}

impl Drop for DesktopBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
