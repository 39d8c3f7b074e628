//! Work that goes on with the window closed: what is under way, what the
//! tray says about it, and what closing the window does while it runs.
//!
//! Everything the app does in the background is summed up by [`summary`];
//! the tray, its "Pause all" and the close button all read that one
//! summary, so a new kind of background work is added there once.

use std::sync::Mutex;
use std::time::Duration;

use qoima_engine::queue::{BatchState, TransfersView};
use qoima_engine::sync::model::{PairActivity, SyncPairView};
use qoima_engine::{Engine, UiError};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, CloseRequestApi, Emitter, Manager, Runtime, Window};
use tauri_plugin_notification::NotificationExt;
use ts_rs::TS;

use crate::tray;

pub const BACKGROUND_EVENT: &str = "background";

/// As for the transfers view: often enough to follow a percentage.
const UPDATE_INTERVAL: Duration = Duration::from_millis(100);

/// What the app is doing that goes on without the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackgroundSummary {
    /// Transfer batches waiting for their turn or running.
    pub transfers: u32,
    /// Transfer batches the person paused.
    pub paused: u32,
    /// Share of the waiting and running batches' bytes already moved, as a
    /// whole percent rounded down (100 only when every byte is in).
    pub percent: u8,
    /// Sync pairs at work: watching their folder or moving files.
    pub folders: u32,
    /// Files those pairs are moving now.
    pub folder_files: u32,
    /// Sync pairs the person paused.
    pub folders_paused: u32,
    /// Sync pairs waiting for the person: deletions held back, or stopped
    /// by an error.
    pub folders_need_you: u32,
    /// Sync pairs waiting for the storage to answer again.
    pub folders_offline: u32,
}

impl BackgroundSummary {
    /// Whether closing the window would stop something the person started:
    /// then the app keeps running.
    pub fn has_background_work(&self) -> bool {
        self.transfers > 0 || self.folders > 0
    }

    /// What the tray's "Pause all" / "Resume all" item does now, if anything.
    pub fn pause_or_resume(&self) -> Option<PauseOrResume> {
        if self.has_background_work() {
            Some(PauseOrResume::PauseAll)
        } else if self.paused > 0 || self.folders_paused > 0 {
            Some(PauseOrResume::ResumeAll)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseOrResume {
    PauseAll,
    ResumeAll,
}

/// The transfers part of the summary.
pub fn summarize_transfers(view: &TransfersView) -> BackgroundSummary {
    let mut summary = BackgroundSummary::default();
    let (mut done, mut total) = (0u128, 0u128);
    for batch in &view.batches {
        match batch.state {
            BatchState::Queued | BatchState::Running => {
                summary.transfers += 1;
                done += u128::from(batch.bytes_done.min(batch.bytes_total));
                total += u128::from(batch.bytes_total);
            }
            BatchState::Paused => summary.paused += 1,
            BatchState::Done | BatchState::Failed | BatchState::Cancelled => {}
        }
    }
    summary.percent = (done * 100).checked_div(total).map_or(0, |percent| percent as u8);
    summary
}

/// Adds the sync pairs to a summary.
pub fn add_sync_pairs(summary: &mut BackgroundSummary, pairs: &[SyncPairView]) {
    for view in pairs {
        if view.pair.paused {
            summary.folders_paused += 1;
            continue;
        }
        summary.folders += 1;
        summary.folder_files = summary.folder_files.saturating_add(view.status.pending.min(u64::from(u32::MAX)) as u32);
        match view.status.activity {
            PairActivity::Waiting | PairActivity::Error => summary.folders_need_you += 1,
            PairActivity::Offline => summary.folders_offline += 1,
            PairActivity::Starting | PairActivity::Watching | PairActivity::Syncing | PairActivity::Paused => {}
        }
    }
}

/// Everything under way now, from the engine's state.
pub fn summary(engine: &Engine) -> BackgroundSummary {
    let mut summary = match engine.transfers_view() {
        Ok(view) => summarize_transfers(&view),
        Err(err) => {
            tracing::warn!("transfers view unavailable for the background summary: {err:?}");
            BackgroundSummary::default()
        }
    };
    match engine.sync_pairs() {
        Ok(pairs) => add_sync_pairs(&mut summary, &pairs),
        Err(err) => tracing::warn!("sync pairs unavailable for the background summary: {err:?}"),
    }
    summary
}

pub fn pause_or_resume_all(engine: &Engine, action: PauseOrResume) {
    let result = match action {
        PauseOrResume::PauseAll => engine.pause_all_transfers().and(engine.sync_set_all_paused(true)),
        PauseOrResume::ResumeAll => engine.resume_all_transfers().and(engine.sync_set_all_paused(false)),
    };
    if let Err(err) = result {
        tracing::warn!("{action:?} from the tray failed: {err:?}");
    }
}

/// What the tray and the "still working" notification say, in the window's
/// language. The window words them (it holds the translations) and sends
/// them again whenever the summary or the language changes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackgroundTexts {
    pub open: String,
    pub pause_all: String,
    pub resume_all: String,
    pub quit: String,
    /// The summary in words, "Qoima — 2 transfers, 42 %": the tray's
    /// tooltip, and the top line of its menu where the desktop shows no
    /// tooltips (Linux).
    pub status: String,
    pub still_working_title: String,
    /// The notification's text when the window went to the tray.
    pub still_working_in_tray: String,
    /// Its text when the window was only minimized (no tray on this desktop).
    pub still_working_minimized: String,
}

impl BackgroundTexts {
    /// A menu item or notification without words would be a blank line.
    pub fn check(&self) -> Result<(), UiError> {
        let fields = [
            ("open", &self.open),
            ("pauseAll", &self.pause_all),
            ("resumeAll", &self.resume_all),
            ("quit", &self.quit),
            ("status", &self.status),
            ("stillWorkingTitle", &self.still_working_title),
            ("stillWorkingInTray", &self.still_working_in_tray),
            ("stillWorkingMinimized", &self.still_working_minimized),
        ];
        match fields.into_iter().find(|(_, text)| text.trim().is_empty()) {
            Some((field, _)) => Err(UiError::invalid(field, "no words")),
            None => Ok(()),
        }
    }
}

/// The shell's background state: the last summary and the window's words.
#[derive(Default)]
pub struct Background {
    summary: Mutex<BackgroundSummary>,
    texts: Mutex<Option<BackgroundTexts>>,
}

impl Background {
    pub fn summary(&self) -> BackgroundSummary {
        *self.summary.lock().unwrap()
    }

    pub(crate) fn texts(&self) -> Option<BackgroundTexts> {
        self.texts.lock().unwrap().clone()
    }
}

/// Recomputes the summary whenever the engine's state changes; a new one
/// goes to the tray and to the window.
pub async fn follow<R: Runtime>(app: AppHandle<R>) {
    let mut transfers = app.state::<Engine>().transfer_updates();
    let mut pairs = app.state::<Engine>().sync_updates();
    loop {
        let summary = summary(&app.state::<Engine>());
        let changed = {
            let background = app.state::<Background>();
            let mut last = background.summary.lock().unwrap();
            std::mem::replace(&mut *last, summary) != summary
        };
        if changed {
            tray::show_summary(&app, summary);
            if let Err(err) = app.emit(BACKGROUND_EVENT, summary) {
                tracing::warn!("background summary not delivered: {err}");
            }
        }
        let changed = tokio::select! {
            changed = transfers.changed() => changed,
            changed = pairs.changed() => changed,
        };
        if changed.is_err() {
            return;
        }
        tokio::time::sleep(UPDATE_INTERVAL).await;
    }
}

/// Takes the window's words: the tray appears with the first of them.
pub fn set_texts<R: Runtime>(app: &AppHandle<R>, texts: BackgroundTexts) -> tauri::Result<()> {
    let background = app.state::<Background>();
    *background.texts.lock().unwrap() = Some(texts.clone());
    tray::show(app, &texts, background.summary())
}

/// With work under way, closing the window leaves the app running: the
/// window goes to the tray, or where the desktop shows no tray, to the
/// taskbar (minimized), so the person can always find it again. Without
/// work, the window closes and the app quits.
pub fn on_close_requested<R: Runtime>(window: &Window<R>, api: &CloseRequestApi) {
    let app = window.app_handle();
    let engine = app.state::<Engine>();
    if !summary(&engine).has_background_work() {
        return;
    }
    api.prevent_close();
    let window = window.clone();
    // Asking the desktop about its tray is a D-Bus round trip: off the main thread.
    tauri::async_runtime::spawn_blocking(move || {
        let app = window.app_handle();
        let in_tray = tray::is_shown(app);
        let result = if in_tray { window.hide() } else { window.minimize() };
        if let Err(err) = result {
            tracing::warn!("the window could not step aside: {err}");
            return;
        }
        tracing::info!(in_tray, "window closed with work under way: the app keeps running");
        if let Some(texts) = app.state::<Background>().texts() {
            let body = if in_tray { texts.still_working_in_tray } else { texts.still_working_minimized };
            if let Err(err) = app.notification().builder().title(texts.still_working_title).body(body).show() {
                tracing::info!("no desktop notification: {err}");
            }
        }
    });
}

/// Brings the window back from the tray or the taskbar, in front.
pub fn bring_back<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else { return };
    let steps = [window.show(), window.unminimize(), window.set_focus()];
    if let Some(Err(err)) = steps.into_iter().find(Result::is_err) {
        tracing::warn!("the window could not be brought back: {err}");
    }
}

#[cfg(test)]
mod tests {
    use qoima_engine::queue::{Direction, TransferBatch};
    use qoima_engine::sync::model::{PairStatus, SyncMode, SyncPair};
    use qoima_engine::time::LocalTime;

    use super::*;

    fn batch(state: BatchState, bytes_done: u64, bytes_total: u64) -> TransferBatch {
        TransferBatch {
            id: 1,
            direction: Direction::Upload,
            title: "film.mp4".into(),
            items: 1,
            bucket: "photos".into(),
            prefix: String::new(),
            local_dir: "/home/aigerim".into(),
            state,
            files_total: 1,
            files_done: 0,
            files_failed: 0,
            files_skipped: 0,
            bytes_total,
            bytes_done,
            bytes_per_second: 0,
            seconds_left: None,
            failures: Vec::new(),
            stopped_by: None,
            created: LocalTime { utc_ms: 0, offset_s: 18_000 },
            finished: None,
        }
    }

    fn summary_of(batches: Vec<TransferBatch>) -> BackgroundSummary {
        summarize_transfers(&TransfersView { batches, ..Default::default() })
    }

    #[test]
    fn nothing_under_way_lets_the_app_quit() {
        let finished = vec![
            batch(BatchState::Done, 10, 10),
            batch(BatchState::Failed, 3, 10),
            batch(BatchState::Cancelled, 0, 10),
        ];
        let summary = summary_of(finished);
        assert_eq!(summary, BackgroundSummary::default());
        assert!(!summary.has_background_work());
        assert_eq!(summary.pause_or_resume(), None);
    }

    #[test]
    fn waiting_and_running_batches_keep_the_app_running_and_count_towards_the_percent() {
        let summary = summary_of(vec![
            batch(BatchState::Running, 50, 100),
            batch(BatchState::Queued, 0, 100),
            batch(BatchState::Paused, 90, 100),
            batch(BatchState::Done, 100, 100),
        ]);
        assert_eq!(summary, BackgroundSummary { transfers: 2, paused: 1, percent: 25, ..Default::default() });
        assert!(summary.has_background_work());
        assert_eq!(summary.pause_or_resume(), Some(PauseOrResume::PauseAll));
    }

    #[test]
    fn paused_batches_alone_offer_resume_and_let_the_app_quit() {
        let summary = summary_of(vec![batch(BatchState::Paused, 5, 10)]);
        assert_eq!(summary, BackgroundSummary { paused: 1, ..Default::default() });
        assert!(!summary.has_background_work(), "a paused batch continues at the next start");
        assert_eq!(summary.pause_or_resume(), Some(PauseOrResume::ResumeAll));
    }

    #[test]
    fn the_percent_rounds_down_and_survives_huge_and_empty_batches() {
        let almost = summary_of(vec![batch(BatchState::Running, 999, 1000)]);
        assert_eq!(almost.percent, 99, "100 % only when every byte is in");
        let huge = summary_of(vec![batch(BatchState::Running, u64::MAX / 2, u64::MAX / 2)]);
        assert_eq!(huge.percent, 100);
        let empty = summary_of(vec![batch(BatchState::Queued, 0, 0)]);
        assert_eq!((empty.transfers, empty.percent), (1, 0));
    }

    fn pair(paused: bool, activity: PairActivity, pending: u64) -> SyncPairView {
        SyncPairView {
            pair: SyncPair {
                id: 1,
                local_dir: "/home/aigerim/Documents".into(),
                bucket: "photos".into(),
                prefix: String::new(),
                mode: SyncMode::Backup,
                ignore: String::new(),
                paused,
                max_delete_share: 0.5,
                max_delete_count: 1000,
                trash_days: 30,
                last_synced_ms: None,
            },
            status: PairStatus { activity, pending, ..PairStatus::default() },
        }
    }

    #[test]
    fn a_watched_folder_keeps_the_app_running_and_can_be_paused_from_the_tray() {
        let mut summary = BackgroundSummary::default();
        add_sync_pairs(&mut summary, &[pair(false, PairActivity::Watching, 0)]);
        assert_eq!(summary, BackgroundSummary { folders: 1, ..Default::default() });
        assert!(summary.has_background_work(), "closing the window must not stop the watching");
        assert_eq!(summary.pause_or_resume(), Some(PauseOrResume::PauseAll));
    }

    #[test]
    fn paused_folders_alone_offer_resume_and_let_the_app_quit() {
        let mut summary = BackgroundSummary::default();
        add_sync_pairs(&mut summary, &[pair(true, PairActivity::Paused, 0), pair(true, PairActivity::Paused, 0)]);
        assert_eq!(summary, BackgroundSummary { folders_paused: 2, ..Default::default() });
        assert!(!summary.has_background_work());
        assert_eq!(summary.pause_or_resume(), Some(PauseOrResume::ResumeAll));
    }

    #[test]
    fn folders_that_need_the_person_or_the_storage_are_counted_apart() {
        let mut summary = summary_of(vec![batch(BatchState::Paused, 1, 2)]);
        add_sync_pairs(
            &mut summary,
            &[
                pair(false, PairActivity::Syncing, 12),
                pair(false, PairActivity::Waiting, 0),
                pair(false, PairActivity::Error, 0),
                pair(false, PairActivity::Offline, 3),
                pair(true, PairActivity::Paused, 0),
            ],
        );
        let expected = BackgroundSummary {
            paused: 1,
            folders: 4,
            folder_files: 15,
            folders_paused: 1,
            folders_need_you: 2,
            folders_offline: 1,
            ..Default::default()
        };
        assert_eq!(summary, expected);
        assert_eq!(summary.pause_or_resume(), Some(PauseOrResume::PauseAll), "work under way comes before resuming");
    }
}
