//! The engine's availability actions: the probe, the outage under way and
//! the customer's report of it, and a month's availability with the credit
//! the terms would give.

use jiff::tz::TimeZone;
use jiff::{Timestamp, tz};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use ts_rs::TS;

use super::Engine;
use crate::account::outage_store::{AvailabilityError, OutageStore, OutageView};
use crate::account::prober::ProbeSettings;
use crate::account::sla::{Month, MonthReport, Outage, basis_points};
use crate::error::UiError;
use crate::time::{timestamp, unix_millis};

/// The provider bills calendar months of its own zone, so a month's bounds
/// are Almaty's wherever the customer's computer is.
const PROVIDER_ZONE: &str = "Asia/Almaty";

fn provider_zone() -> TimeZone {
    // Without a time-zone database, Almaty's offset: UTC+5 since 2024.
    TimeZone::get(PROVIDER_ZONE).unwrap_or_else(|_| TimeZone::fixed(tz::offset(5)))
}

/// The largest amount a JavaScript number holds exactly.
const MAX_PAYMENT_TIYN: u64 = (1 << 53) - 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct YearMonth {
    pub year: i16,
    /// 1 to 12.
    pub month: i8,
}

impl YearMonth {
    /// The provider's month `at` falls in.
    pub fn of(at: Timestamp) -> Self {
        let date = at.to_zoned(provider_zone()).date();
        Self { year: date.year(), month: date.month() }
    }
}

/// A month's availability as this computer saw it: an estimate, since the
/// provider's records decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityReport {
    pub month: YearMonth,
    /// The zone the month's bounds are in: the provider's.
    pub zone: String,
    /// Outages that touch the month, oldest first.
    pub outages: Vec<OutageView>,
    /// Outage time inside the month so far.
    #[ts(type = "number")]
    pub down_ms: i64,
    /// 1 − outage time ÷ the month's whole length, in hundredths of a
    /// percent, rounded down: 9990 is 99.90 %.
    pub availability_basis_points: u32,
    /// How long the probe watched the storage in this month.
    #[ts(type = "number")]
    pub observed_ms: i64,
    /// The same as a share of the month's whole length.
    pub observed_basis_points: u32,
    /// The share of the month's payment the terms would give back: 0, 5, 10
    /// or 15.
    pub tier_percent: u8,
    /// Always true: the provider's records decide, and the terms leave the
    /// bands' exact edges open.
    pub is_estimate: bool,
    #[ts(type = "number | null")]
    pub payment_tiyn: Option<u64>,
    /// The credit for that payment, never more than it.
    #[ts(type = "number | null")]
    pub credit_tiyn: Option<u64>,
}

impl Engine {
    /// Probes the connected storage from now on, and each storage connected
    /// later: the app calls it once, `qoima-cli sync --watch` too. The probe
    /// runs in the tokio runtime this is called in.
    pub fn run_availability_probe(&self, settings: ProbeSettings) {
        self.prober.run(settings);
    }

    /// The outage under way at the connected storage: becomes `Some` the
    /// moment one begins (the shell's cue to notify), changes while it goes
    /// on or when it is reported, `None` once the storage answers again.
    pub fn outage_updates(&self) -> watch::Receiver<Option<OutageView>> {
        self.prober.subscribe()
    }

    /// For the "report it now" prompt: the connected storage's outage under way.
    pub fn current_outage(&self) -> Result<Option<OutageView>, UiError> {
        let storage = self.active_queue_key()?;
        Ok(OutageStore(&self.db()).open(&storage)?.as_ref().map(|o| o.view()))
    }

    /// The customer reported outage `outage_id` to support: now is recorded
    /// as the report time. Pressing it again keeps the first time, since
    /// downtime counts from the first report.
    pub fn record_outage_report(&self, outage_id: i64) -> Result<OutageView, UiError> {
        let now = unix_millis(self.clock.now());
        let view = {
            let db = self.db();
            let store = OutageStore(&db);
            let found = store.reported(outage_id, now)?;
            let stored = store.get(outage_id)?;
            match stored.filter(|_| found) {
                Some(outage) => outage.view(),
                None => return Err(AvailabilityError::NoSuchOutage(outage_id).into()),
            }
        };
        self.prober.refresh();
        tracing::info!(outage = outage_id, "outage reported to support");
        Ok(view)
    }

    /// The connected storage's availability in `month` (the provider's
    /// current month when `None`), with the credit for `payment_tiyn` if
    /// the customer entered the month's payment.
    pub fn availability(
        &self,
        month: Option<YearMonth>,
        payment_tiyn: Option<u64>,
    ) -> Result<AvailabilityReport, UiError> {
        if payment_tiyn.is_some_and(|p| p > MAX_PAYMENT_TIYN) {
            return Err(UiError::invalid("payment", "more than any month's payment"));
        }
        let storage = self.active_queue_key()?;
        let now = timestamp(self.clock.now());
        let month = month.unwrap_or_else(|| YearMonth::of(now));
        let bounds = Month::of(month.year, month.month, &provider_zone())
            .map_err(|e| AvailabilityError::InvalidMonth(format!("{}-{:02}: {e}", month.year, month.month)))?;
        let (from_ms, to_ms) = (bounds.start.as_millisecond(), bounds.end.as_millisecond());
        let (stored, stretches) = {
            let db = self.db();
            let store = OutageStore(&db);
            let outages = store.overlapping(&storage, from_ms, to_ms)?;
            (outages, store.stretches(&storage, from_ms, to_ms)?)
        };
        let instant = |ms: i64| Timestamp::from_millisecond(ms).ok();
        let outages: Vec<Outage> = stored
            .iter()
            .filter_map(|o| Some(Outage { start: instant(o.start_ms)?, end: o.end_ms.and_then(instant) }))
            .collect();
        let stretches: Vec<(Timestamp, Timestamp)> =
            stretches.into_iter().filter_map(|(start, end)| Some((instant(start)?, instant(end)?))).collect();
        let report = MonthReport::new(&bounds, &outages, now);
        let observed = bounds.watched(&stretches, now);
        Ok(AvailabilityReport {
            month,
            zone: PROVIDER_ZONE.into(),
            outages: stored.iter().map(|o| o.view()).collect(),
            down_ms: report.down.as_millis() as i64,
            availability_basis_points: report.availability_basis_points() as u32,
            observed_ms: observed.as_millis() as i64,
            observed_basis_points: basis_points(observed, report.length) as u32,
            tier_percent: report.tier.percent() as u8,
            is_estimate: true,
            payment_tiyn,
            credit_tiyn: payment_tiyn.map(|payment| report.tier.credit(payment)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_is_the_providers() {
        let at = |text: &str| text.parse::<Timestamp>().unwrap();
        assert_eq!(YearMonth::of(at("2026-11-30T18:59:59Z")), YearMonth { year: 2026, month: 11 });
        assert_eq!(
            YearMonth::of(at("2026-11-30T19:00:00Z")),
            YearMonth { year: 2026, month: 12 },
            "midnight in Almaty"
        );
        assert_eq!(YearMonth::of(at("2026-12-31T19:00:00Z")), YearMonth { year: 2027, month: 1 });
    }
}
