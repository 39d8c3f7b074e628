//! A customer's trial period: when it ends, how much is left, and which
//! reminder is due. Pure: the instant comes in as a parameter.
//!
//! The terms grant a trial once per customer, on request, for a number of
//! calendar days from its first activation (3 unless the provider says
//! otherwise), and after it the service is paid automatically. A day here is
//! 24 hours: end = start + days × 24 h, whatever the clocks do meanwhile.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where the start of a trial comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialStart {
    /// The customer read it from the personal cabinet.
    Known(Timestamp),
    /// The earliest moment the app can prove (the oldest bucket, the first
    /// connection): the real start can only be earlier, so the trial ends
    /// no later than this plus its length.
    NoLaterThan(Timestamp),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trial {
    pub start: TrialStart,
    pub days: u32,
}

/// A reminder before the end, each shown at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "TrialReminder")]
pub enum Reminder {
    DayLeft,
    ThreeHoursLeft,
    HourLeft,
}

impl Reminder {
    pub const ALL: [Reminder; 3] = [Reminder::DayLeft, Reminder::ThreeHoursLeft, Reminder::HourLeft];

    /// How long before the end it is due.
    pub fn before_end(self) -> SignedDuration {
        match self {
            Self::DayLeft => SignedDuration::from_hours(24),
            Self::ThreeHoursLeft => SignedDuration::from_hours(3),
            Self::HourLeft => SignedDuration::from_hours(1),
        }
    }
}

/// Days, hours and minutes left, as the header shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Left {
    pub days: i64,
    pub hours: i64,
    pub minutes: i64,
}

impl Left {
    /// Rounded down to the minute: the countdown never promises a minute
    /// that is not there.
    fn of(duration: SignedDuration) -> Self {
        let minutes = duration.as_secs().max(0) / 60;
        Self { days: minutes / (24 * 60), hours: minutes / 60 % 24, minutes: minutes % 60 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrialState {
    Running {
        left: Left,
    },
    /// The trial is over: from its end on, the service is paid.
    Ended,
}

impl Trial {
    /// The end; for an estimated start, the latest it can be.
    pub fn end(&self) -> Timestamp {
        let start = match self.start {
            TrialStart::Known(at) | TrialStart::NoLaterThan(at) => at,
        };
        // Saturating arithmetic fails only for calendar units, never for hours.
        start.saturating_add(SignedDuration::from_hours(i64::from(self.days) * 24)).expect("hours add up")
    }

    /// Whether the end shown is only the latest it can be.
    pub fn end_is_estimate(&self) -> bool {
        matches!(self.start, TrialStart::NoLaterThan(_))
    }

    pub fn state(&self, now: Timestamp) -> TrialState {
        let left = self.end().duration_since(now);
        if left.is_positive() { TrialState::Running { left: Left::of(left) } } else { TrialState::Ended }
    }

    /// The reminder to show at `now`, if one is due and not shown yet. Only
    /// the latest of those due is offered: a computer asleep through the day
    /// before the end wakes to "an hour left", not to three notices at once.
    pub fn reminder_due(&self, now: Timestamp, shown: &[Reminder]) -> Option<Reminder> {
        let end = self.end();
        if now >= end {
            return None;
        }
        let due_at = |r: &Reminder| end.saturating_sub(r.before_end()).expect("hours add up");
        let latest_due = Reminder::ALL.into_iter().rev().find(|r| now >= due_at(r));
        latest_due.filter(|r| !shown.contains(r))
    }
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn trial_from(start: &str) -> Trial {
        Trial { start: TrialStart::Known(at(start)), days: 3 }
    }

    #[test]
    fn the_end_is_exactly_seventy_two_hours_after_the_start() {
        let trial = trial_from("2026-12-01T09:30:00Z");
        assert_eq!(trial.end(), at("2026-12-04T09:30:00Z"));
        assert_eq!(trial.end().duration_since(at("2026-12-01T09:30:00Z")), SignedDuration::from_hours(72));
        assert!(!trial.end_is_estimate());
    }

    #[test]
    fn the_end_reads_in_almaty_and_in_utc() {
        let end = trial_from("2026-12-01T09:30:00Z").end();
        let almaty = TimeZone::get("Asia/Almaty").unwrap();
        assert_eq!(end.to_zoned(almaty).strftime("%Y-%m-%d %H:%M %:z").to_string(), "2026-12-04 14:30 +05:00");
        assert_eq!(end.to_zoned(TimeZone::UTC).strftime("%Y-%m-%d %H:%M %:z").to_string(), "2026-12-04 09:30 +00:00");
    }

    #[test]
    fn an_estimated_start_gives_the_latest_end() {
        let trial = Trial { start: TrialStart::NoLaterThan(at("2026-12-01T00:00:00Z")), days: 3 };
        assert_eq!(trial.end(), at("2026-12-04T00:00:00Z"));
        assert!(trial.end_is_estimate());
    }

    #[test]
    fn the_countdown_rounds_down_to_the_minute_and_ends_at_the_end() {
        let trial = trial_from("2026-12-01T09:30:00Z");
        let left = |now| match trial.state(at(now)) {
            TrialState::Running { left } => Some(left),
            TrialState::Ended => None,
        };
        assert_eq!(left("2026-12-01T09:30:00Z"), Some(Left { days: 3, hours: 0, minutes: 0 }));
        assert_eq!(left("2026-12-02T10:00:30Z"), Some(Left { days: 1, hours: 23, minutes: 29 }));
        assert_eq!(left("2026-12-04T09:29:59Z"), Some(Left { days: 0, hours: 0, minutes: 0 }));
        assert_eq!(left("2026-12-04T09:30:00Z"), None, "ended at the very instant");
        assert_eq!(trial.state(at("2027-01-01T00:00:00Z")), TrialState::Ended);
    }

    #[test]
    fn each_reminder_comes_once_and_a_late_wake_gets_only_the_latest() {
        let trial = trial_from("2026-12-01T09:30:00Z");
        assert_eq!(trial.reminder_due(at("2026-12-03T09:29:59Z"), &[]), None);
        assert_eq!(trial.reminder_due(at("2026-12-03T09:30:00Z"), &[]), Some(Reminder::DayLeft));
        assert_eq!(trial.reminder_due(at("2026-12-03T12:00:00Z"), &[Reminder::DayLeft]), None);
        assert_eq!(
            trial.reminder_due(at("2026-12-04T06:30:00Z"), &[Reminder::DayLeft]),
            Some(Reminder::ThreeHoursLeft)
        );
        let both = [Reminder::DayLeft, Reminder::ThreeHoursLeft];
        assert_eq!(trial.reminder_due(at("2026-12-04T08:30:00Z"), &both), Some(Reminder::HourLeft));
        assert_eq!(trial.reminder_due(at("2026-12-04T09:00:00Z"), &[]), Some(Reminder::HourLeft), "asleep until then");
        assert_eq!(trial.reminder_due(at("2026-12-04T09:30:00Z"), &[]), None, "over: the ended state says it");
    }
}
