//! What the panel shows: the rows counted in SQLite, plus the bytes of the
//! files running now and the speed over the last seconds.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::TransferQueue;
use super::model::{BatchState, TransferBatch, TransferFailure, TransfersView};
use super::store::{BatchRow, QueueStore};
use crate::time::LocalTime;

/// Speed is measured over this window: long enough to smooth parts
/// finishing in bursts, short enough to follow a changing connection.
const SPEED_WINDOW: Duration = Duration::from_secs(5);
const SHOWN_FAILURES: usize = 5;

#[derive(Default)]
pub(super) struct Live {
    /// Bytes moved so far by each running file, by file id, with its batch.
    running: HashMap<i64, (i64, Arc<AtomicU64>)>,
    samples: HashMap<i64, VecDeque<(Instant, u64)>>,
}

impl Live {
    pub(super) fn start(&mut self, file_id: i64, batch_id: i64) -> Arc<AtomicU64> {
        let bytes = Arc::new(AtomicU64::new(0));
        self.running.insert(file_id, (batch_id, bytes.clone()));
        bytes
    }

    pub(super) fn end(&mut self, file_id: i64) {
        self.running.remove(&file_id);
    }

    pub(super) fn running_ids(&self) -> Vec<i64> {
        self.running.keys().copied().collect()
    }

    /// Bytes of a batch's unfinished files: as they run, or as journaled
    /// (whichever is further: a resumed file reports its stored parts only
    /// once it has checked them with the storage); and whether any runs.
    fn unfinished_bytes(&self, batch_id: i64, journaled: &[(i64, i64, u64)]) -> (u64, bool) {
        let mut any = false;
        let mut bytes = 0;
        for (file, (batch, live)) in &self.running {
            if *batch == batch_id {
                any = true;
                let stored = journaled.iter().find(|(_, id, _)| id == file).map_or(0, |(_, _, b)| *b);
                bytes += live.load(Ordering::Relaxed).max(stored);
            }
        }
        let waiting =
            journaled.iter().filter(|(batch, file, _)| *batch == batch_id && !self.running.contains_key(file));
        (bytes + waiting.map(|(_, _, b)| b).sum::<u64>(), any)
    }

    /// Bytes per second over the window, from the totals seen at each view.
    fn speed(&mut self, batch_id: i64, done: u64, now: Instant) -> u64 {
        let samples = self.samples.entry(batch_id).or_default();
        samples.push_back((now, done));
        while samples.len() > 2 && samples.front().is_some_and(|(at, _)| now.duration_since(*at) > SPEED_WINDOW) {
            samples.pop_front();
        }
        let (first_at, first_done) = *samples.front().expect("just pushed");
        let seconds = now.duration_since(first_at).as_secs_f64();
        if seconds < 0.5 { 0 } else { (done.saturating_sub(first_done) as f64 / seconds) as u64 }
    }
}

/// A batch's state from its counts and what the person did.
pub fn state_of(row: &BatchRow, running: bool) -> BatchState {
    if row.cancelled {
        BatchState::Cancelled
    } else if row.files_queued > 0 {
        if row.paused {
            BatchState::Paused
        } else if row.stopped_by.is_some() {
            BatchState::Failed
        } else if running {
            BatchState::Running
        } else {
            BatchState::Queued
        }
    } else if row.files_failed > 0 {
        BatchState::Failed
    } else {
        BatchState::Done
    }
}

impl TransferQueue {
    pub fn view(&self) -> rusqlite::Result<TransfersView> {
        let Some(target) = self.target() else { return Ok(TransfersView::default()) };
        let db = self.db();
        let store = QueueStore(&db);
        let rows = store.batches(&target.storage)?;
        let journaled = store.journaled_bytes(&target.storage)?;
        let now = Instant::now();
        let mut live = self.0.live.lock().unwrap();
        let mut view = TransfersView::default();
        for row in rows {
            let (running_bytes, running) = live.unfinished_bytes(row.id, &journaled);
            let state = state_of(&row, running);
            let bytes_done = (row.bytes_done + running_bytes).min(row.bytes_total);
            let bytes_per_second = if state == BatchState::Running { live.speed(row.id, bytes_done, now) } else { 0 };
            let seconds_left =
                (bytes_per_second > 0).then(|| (row.bytes_total - bytes_done).div_ceil(bytes_per_second));
            let failures =
                if row.files_failed > 0 { store.first_failures(row.id, SHOWN_FAILURES)? } else { Vec::new() };
            if !state.is_finished() {
                view.active_batches += 1;
                view.active_bytes_total += row.bytes_total;
                view.active_bytes_done += bytes_done;
            }
            view.batches.push(TransferBatch {
                id: row.id,
                direction: row.direction,
                title: row.title,
                items: row.items,
                bucket: row.bucket,
                prefix: row.prefix,
                local_dir: row.local_dir,
                state,
                files_total: row.files_total,
                files_done: row.files_done,
                files_failed: row.files_failed,
                files_skipped: row.files_skipped,
                bytes_total: row.bytes_total,
                bytes_done,
                bytes_per_second,
                seconds_left,
                failures: failures.into_iter().map(|(name, error)| TransferFailure { name, error }).collect(),
                stopped_by: row.stopped_by.or(row.waiting_for),
                created: LocalTime::from_millis(row.created_ms)
                    .unwrap_or_else(|| LocalTime::system(jiff::Timestamp::UNIX_EPOCH)),
                finished: row.finished_ms.and_then(LocalTime::from_millis),
            });
        }
        Ok(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorCode, UiError};
    use crate::queue::model::Direction;

    fn row(queued: u32, failed: u32) -> BatchRow {
        BatchRow {
            id: 1,
            direction: Direction::Upload,
            title: "a".into(),
            items: 1,
            bucket: "b".into(),
            prefix: String::new(),
            local_dir: String::new(),
            paused: false,
            cancelled: false,
            stopped_by: None,
            waiting_for: None,
            created_ms: 0,
            finished_ms: None,
            files_total: queued + failed + 1,
            files_queued: queued,
            files_done: 1,
            files_failed: failed,
            files_skipped: 0,
            bytes_total: 10,
            bytes_done: 1,
        }
    }

    #[test]
    fn the_state_follows_the_files_and_what_the_person_did() {
        assert_eq!(state_of(&row(2, 0), false), BatchState::Queued);
        assert_eq!(state_of(&row(2, 0), true), BatchState::Running);
        assert_eq!(state_of(&row(0, 0), false), BatchState::Done);
        assert_eq!(state_of(&row(0, 1), false), BatchState::Failed, "done with some files failed");
        assert_eq!(state_of(&row(2, 1), true), BatchState::Running, "failures wait for the rest");
        let paused = BatchRow { paused: true, ..row(2, 0) };
        assert_eq!(state_of(&paused, true), BatchState::Paused, "paused while its last parts wind down");
        let stopped = BatchRow { stopped_by: Some(UiError::new(ErrorCode::QuotaExceeded)), ..row(2, 1) };
        assert_eq!(state_of(&stopped, false), BatchState::Failed, "a full quota stops the batch");
        let cancelled = BatchRow { cancelled: true, paused: true, ..row(2, 0) };
        assert_eq!(state_of(&cancelled, false), BatchState::Cancelled);
    }

    #[test]
    fn speed_is_measured_over_the_last_seconds() {
        let mut live = Live::default();
        let start = Instant::now();
        assert_eq!(live.speed(1, 0, start), 0, "no speed from a single look");
        assert_eq!(live.speed(1, 1_000_000, start + Duration::from_secs(1)), 1_000_000);
        for second in 2..=10 {
            live.speed(1, 1_000_000 + (second - 1) * 100_000, start + Duration::from_secs(second));
        }
        let now = live.speed(1, 2_000_000, start + Duration::from_secs(11));
        assert!((90_000..=200_000).contains(&now), "the old burst has left the window: {now}");
    }
}
