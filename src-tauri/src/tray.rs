//! The tray icon and its menu: Open Qoima, the summary, Pause all / Resume
//! all, Quit. Linux reports menu choices, never clicks on the icon itself,
//! so everything is in the menu.

use std::sync::Mutex;

use qoima_engine::Engine;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Runtime};

use crate::background::{self, Background, BackgroundSummary, BackgroundTexts, PauseOrResume};

const OPEN: &str = "open";
const PAUSE_OR_RESUME: &str = "pause-or-resume";
const QUIT: &str = "quit";

struct Tray<R: Runtime> {
    icon: TrayIcon<R>,
    status: MenuItem<R>,
    open: MenuItem<R>,
    pause_or_resume: MenuItem<R>,
    quit: MenuItem<R>,
}

/// The tray, once the window has sent the words for it.
pub struct TrayState<R: Runtime>(Mutex<Option<Tray<R>>>);

impl<R: Runtime> Default for TrayState<R> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

/// Puts the tray up with `texts`, or changes its words.
pub fn show<R: Runtime>(app: &AppHandle<R>, texts: &BackgroundTexts, summary: BackgroundSummary) -> tauri::Result<()> {
    let state = app.state::<TrayState<R>>();
    let mut tray = state.0.lock().unwrap();
    if tray.is_none() {
        *tray = Some(build(app, texts)?);
    }
    let tray = tray.as_ref().expect("built above");
    tray.open.set_text(&texts.open)?;
    tray.quit.set_text(&texts.quit)?;
    tray.status.set_text(&texts.status)?;
    tray.icon.set_tooltip(Some(&texts.status))?;
    set_pause_or_resume(tray, texts, summary)
}

/// Makes the Pause all / Resume all item follow a new summary (the status
/// line follows when the window sends its new words).
pub fn show_summary<R: Runtime>(app: &AppHandle<R>, summary: BackgroundSummary) {
    let Some(texts) = app.state::<Background>().texts() else { return };
    let state = app.state::<TrayState<R>>();
    if let Some(tray) = state.0.lock().unwrap().as_ref()
        && let Err(err) = set_pause_or_resume(tray, &texts, summary)
    {
        tracing::warn!("tray menu not updated: {err}");
    }
}

fn set_pause_or_resume<R: Runtime>(
    tray: &Tray<R>,
    texts: &BackgroundTexts,
    summary: BackgroundSummary,
) -> tauri::Result<()> {
    let action = summary.pause_or_resume();
    let label = if action == Some(PauseOrResume::ResumeAll) { &texts.resume_all } else { &texts.pause_all };
    tray.pause_or_resume.set_text(label)?;
    tray.pause_or_resume.set_enabled(action.is_some())
}

fn build<R: Runtime>(app: &AppHandle<R>, texts: &BackgroundTexts) -> tauri::Result<Tray<R>> {
    let status = MenuItem::new(app, &texts.status, false, None::<&str>)?;
    let open = MenuItem::with_id(app, OPEN, &texts.open, true, None::<&str>)?;
    let pause_or_resume = MenuItem::with_id(app, PAUSE_OR_RESUME, &texts.pause_all, false, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, &texts.quit, true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &open,
            &PredefinedMenuItem::separator(app)?,
            &status,
            &pause_or_resume,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    let icon = TrayIconBuilder::with_id("qoima")
        .icon(tauri::include_image!("../icons/128x128.png"))
        .tooltip(&texts.status)
        .menu(&menu)
        .on_menu_event(on_menu_event)
        .build(app)?;
    Ok(Tray { icon, status, open, pause_or_resume, quit })
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => background::bring_back(app),
        PAUSE_OR_RESUME => {
            // The item's label may be a moment behind: act on the state now.
            let engine = app.state::<Engine>();
            if let Some(action) = background::summary(&engine).pause_or_resume() {
                background::pause_or_resume_all(&engine, action);
            }
        }
        QUIT => app.exit(0),
        _ => {}
    }
}

/// Whether the person can see the tray icon: it is up, and the desktop
/// shows trays.
pub fn is_shown<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.state::<TrayState<R>>().0.lock().unwrap().is_some() && desktop_shows_trays()
}

/// Linux desktops show tray icons through a StatusNotifier host; plain
/// GNOME has none, and there an icon would be put up and never seen.
/// (A desktop with only an old XEmbed tray is taken as having none: the
/// window is then minimized rather than hidden, which never loses it.)
#[cfg(target_os = "linux")]
fn desktop_shows_trays() -> bool {
    const WATCHER: &str = "org.kde.StatusNotifierWatcher";
    let ask = || -> zbus::Result<bool> {
        let bus = zbus::blocking::Connection::session()?;
        let names = zbus::blocking::fdo::DBusProxy::new(&bus)?;
        if !names.name_has_owner(WATCHER.try_into()?)? {
            return Ok(false);
        }
        let watcher = zbus::blocking::Proxy::new(&bus, WATCHER, "/StatusNotifierWatcher", WATCHER)?;
        watcher.get_property("IsStatusNotifierHostRegistered")
    };
    ask().unwrap_or_else(|err| {
        tracing::info!("no StatusNotifier host found: {err}");
        false
    })
}

/// Windows' notification area and macOS's menu bar are always there.
#[cfg(not(target_os = "linux"))]
fn desktop_shows_trays() -> bool {
    true
}
