//! Instants as the UI needs them, and the clock everything reads.
//!
//! Local offsets come from the system time-zone database here, because the
//! WebView's own copy is out of date (it still puts Asia/Almaty at UTC+6).

use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub use jiff::Timestamp;
pub use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An instant plus the UTC offset the system zone has at that instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LocalTime {
    #[ts(type = "number")]
    pub utc_ms: i64,
    pub offset_s: i32,
}

impl LocalTime {
    pub fn in_zone(at: Timestamp, zone: &TimeZone) -> Self {
        Self { utc_ms: at.as_millisecond(), offset_s: zone.to_offset(at).seconds() }
    }

    pub fn system(at: Timestamp) -> Self {
        Self::in_zone(at, &TimeZone::system())
    }

    pub fn from_millis(utc_ms: i64) -> Option<Self> {
        Timestamp::from_millisecond(utc_ms).ok().map(Self::system)
    }
}

/// Where "now" comes from, so that signing, skew detection and (later) trial
/// and SLA arithmetic can be tested at any instant.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> SystemTime;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock running ahead of (or behind) the system clock by a fixed amount.
#[derive(Debug)]
pub struct ShiftedClock {
    pub ahead: Duration,
    pub behind: Duration,
}

impl ShiftedClock {
    pub fn ahead(by: Duration) -> Self {
        Self { ahead: by, behind: Duration::ZERO }
    }

    pub fn behind(by: Duration) -> Self {
        Self { ahead: Duration::ZERO, behind: by }
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> SystemTime {
        SystemTime::now() + self.ahead - self.behind
    }
}

pub type SharedClock = Arc<dyn Clock>;

pub fn system_clock() -> SharedClock {
    Arc::new(SystemClock)
}

/// An instant as jiff counts it. A clock before 1970, or past jiff's range,
/// reads as the epoch: no date arithmetic means anything on it.
pub fn timestamp(at: SystemTime) -> Timestamp {
    Timestamp::try_from(at).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn unix_millis(at: SystemTime) -> i64 {
    at.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn almaty_is_utc_plus_five_since_2024() {
        let zone = TimeZone::get("Asia/Almaty").expect("system tz database has Asia/Almaty");
        let at: Timestamp = "2026-11-24T12:00:00Z".parse().unwrap();
        assert_eq!(LocalTime::in_zone(at, &zone).offset_s, 5 * 3600);
    }

    #[test]
    fn offset_follows_daylight_saving() {
        let zone = TimeZone::get("Europe/Berlin").unwrap();
        let winter: Timestamp = "2026-01-15T12:00:00Z".parse().unwrap();
        let summer: Timestamp = "2026-07-15T12:00:00Z".parse().unwrap();
        assert_eq!(LocalTime::in_zone(winter, &zone).offset_s, 3600);
        assert_eq!(LocalTime::in_zone(summer, &zone).offset_s, 7200);
    }

    #[test]
    fn shifted_clock_moves_by_the_shift() {
        let hour = Duration::from_secs(3600);
        let ahead = ShiftedClock::ahead(hour).now();
        let diff = ahead.duration_since(SystemTime::now()).unwrap();
        assert!(diff > Duration::from_secs(3590) && diff <= hour);
    }
}
