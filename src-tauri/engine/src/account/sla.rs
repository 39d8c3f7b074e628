//! The availability a month had and the credit the terms would give for it.
//! Pure: the probes' findings and the month come in as parameters.
//!
//! The terms promise 99.9 % a month and give back 5 % of the month's payment
//! below it, 10 % below 99.0 % and 15 % below 95.0 %, never more than the
//! payment. They leave the exact edges open; here each band includes its
//! lower bound, so exactly 99.9 % earns nothing. Shares are compared as
//! whole milliseconds, never as floating point, so an edge is exact.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

/// A stretch in which the storage did not answer, as the probes saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outage {
    pub start: Timestamp,
    /// None while it lasts.
    pub end: Option<Timestamp>,
}

/// A calendar month in a time zone (the provider's: its months are the ones
/// billed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Month {
    pub fn of(year: i16, month: i8, zone: &TimeZone) -> Result<Self, jiff::Error> {
        let first = Date::new(year, month, 1)?;
        let start = first.to_zoned(zone.clone())?.timestamp();
        let end = first.checked_add(1.month())?.to_zoned(zone.clone())?.timestamp();
        Ok(Self { start, end })
    }

    pub fn length(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }

    /// How much of this month lies in the watched `stretches` (start, end),
    /// up to `now`. Stretches may overlap, when the app and a `sync --watch`
    /// probe at once: time is counted once.
    pub fn watched(&self, stretches: &[(Timestamp, Timestamp)], now: Timestamp) -> SignedDuration {
        let until = self.end.min(now);
        let mut inside: Vec<(Timestamp, Timestamp)> = stretches
            .iter()
            .map(|&(start, end)| (start.max(self.start), end.min(until)))
            .filter(|(start, end)| end > start)
            .collect();
        inside.sort();
        let mut total = SignedDuration::ZERO;
        let mut current: Option<(Timestamp, Timestamp)> = None;
        for (start, end) in inside {
            current = match current {
                Some((from, to)) if start <= to => Some((from, to.max(end))),
                Some((from, to)) => {
                    total += to.duration_since(from);
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
        if let Some((from, to)) = current {
            total += to.duration_since(from);
        }
        total
    }

    /// How much of `outage` falls in this month, counting one still under
    /// way up to `now`.
    fn overlap(&self, outage: &Outage, now: Timestamp) -> SignedDuration {
        let start = outage.start.max(self.start);
        let end = outage.end.unwrap_or(now).min(self.end).min(now);
        if end > start { end.duration_since(start) } else { SignedDuration::ZERO }
    }
}

/// What the terms would give back, as a share of the month's payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CreditTier {
    None,
    FivePercent,
    TenPercent,
    FifteenPercent,
}

impl CreditTier {
    pub fn percent(self) -> u64 {
        match self {
            Self::None => 0,
            Self::FivePercent => 5,
            Self::TenPercent => 10,
            Self::FifteenPercent => 15,
        }
    }

    /// The band `down` out of `length` falls in; availability is
    /// 1 − down ÷ length.
    pub fn of(down: SignedDuration, length: SignedDuration) -> Self {
        let (down, length) = (down.as_millis().max(0), length.as_millis().max(1));
        // availability ≥ 1 − p/1000  ⇔  down × 1000 ≤ p × length
        let at_least = |per_mille_down: i128| down * 1000 <= per_mille_down * length;
        if at_least(1) {
            Self::None
        } else if at_least(10) {
            Self::FivePercent
        } else if at_least(50) {
            Self::TenPercent
        } else {
            Self::FifteenPercent
        }
    }

    /// The credit in the payment's own minor units (tiyn), rounded down: at
    /// most 15 % of it, so never more than the payment, as the terms cap it.
    pub fn credit(self, payment: u64) -> u64 {
        (u128::from(payment) * u128::from(self.percent()) / 100) as u64
    }
}

/// A month's availability as far as this computer saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthReport {
    /// Outage time inside the month.
    pub down: SignedDuration,
    /// The month's length: the whole of it, including what is still to come.
    pub length: SignedDuration,
    pub tier: CreditTier,
}

impl MonthReport {
    pub fn new(month: &Month, outages: &[Outage], now: Timestamp) -> Self {
        let down = outages.iter().map(|outage| month.overlap(outage, now)).fold(SignedDuration::ZERO, |a, b| a + b);
        let length = month.length();
        Self { down, length, tier: CreditTier::of(down, length) }
    }

    /// Availability in hundredths of a percent, rounded down: 9990 is 99.90 %.
    pub fn availability_basis_points(&self) -> i64 {
        basis_points(self.length - self.down, self.length)
    }
}

/// `part` of `whole` in hundredths of a percent, rounded down: a share is
/// never shown larger than it is.
pub fn basis_points(part: SignedDuration, whole: SignedDuration) -> i64 {
    let part = part.as_millis().max(0);
    let whole = whole.as_millis().max(1);
    (part.min(whole) * 10_000 / whole) as i64
}

/// Consecutive failed probes make one outage: from the first failure to the
/// first answer after it. `probes` are in time order, `true` for an answer.
/// The probe's own log keeps outages step by step; its tests hold it to this.
#[cfg(test)]
pub(crate) fn outages_from(probes: &[(Timestamp, bool)]) -> Vec<Outage> {
    let mut outages: Vec<Outage> = Vec::new();
    for &(at, answered) in probes {
        match (outages.last_mut(), answered) {
            (Some(open @ Outage { end: None, .. }), true) => open.end = Some(at),
            (Some(Outage { end: None, .. }), false) => {}
            (_, false) => outages.push(Outage { start: at, end: None }),
            (_, true) => {}
        }
    }
    outages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn almaty() -> TimeZone {
        TimeZone::get("Asia/Almaty").unwrap()
    }

    /// A 30-day month with one outage of `down` at its middle.
    fn november_with(down: SignedDuration) -> MonthReport {
        let month = Month::of(2026, 11, &almaty()).unwrap();
        let start = at("2026-11-15T10:00:00Z");
        let outage = Outage { start, end: Some(start.saturating_add(down).unwrap()) };
        MonthReport::new(&month, &[outage], at("2026-12-02T00:00:00Z"))
    }

    #[test]
    fn a_month_runs_from_midnight_to_midnight_in_its_zone() {
        let month = Month::of(2026, 11, &almaty()).unwrap();
        assert_eq!(month.start, at("2026-10-31T19:00:00Z"));
        assert_eq!(month.end, at("2026-11-30T19:00:00Z"));
        assert_eq!(month.length(), SignedDuration::from_hours(30 * 24));
        assert_eq!(Month::of(2026, 12, &TimeZone::UTC).unwrap().end, at("2027-01-01T00:00:00Z"));
    }

    #[test]
    fn forty_three_minutes_twelve_seconds_in_thirty_days_is_exactly_the_promise() {
        let exact = november_with(SignedDuration::from_secs(43 * 60 + 12));
        assert_eq!(exact.availability_basis_points(), 9990);
        assert_eq!(exact.tier, CreditTier::None);
        let one_second_more = november_with(SignedDuration::from_secs(43 * 60 + 13));
        assert_eq!(one_second_more.tier, CreditTier::FivePercent);
        assert_eq!(one_second_more.availability_basis_points(), 9989);
    }

    #[test]
    fn each_band_includes_its_lower_bound() {
        let month = SignedDuration::from_hours(30 * 24);
        let share = |per_mille: i64| SignedDuration::from_millis(month.as_millis() as i64 * per_mille / 1000);
        let just_over = |d: SignedDuration| d + SignedDuration::from_millis(1);
        assert_eq!(CreditTier::of(SignedDuration::ZERO, month), CreditTier::None);
        assert_eq!(CreditTier::of(share(1), month), CreditTier::None, "99.9 %");
        assert_eq!(CreditTier::of(just_over(share(1)), month), CreditTier::FivePercent);
        assert_eq!(CreditTier::of(share(10), month), CreditTier::FivePercent, "99.0 %");
        assert_eq!(CreditTier::of(just_over(share(10)), month), CreditTier::TenPercent);
        assert_eq!(CreditTier::of(share(50), month), CreditTier::TenPercent, "95.0 %");
        assert_eq!(CreditTier::of(just_over(share(50)), month), CreditTier::FifteenPercent);
        assert_eq!(CreditTier::of(month, month), CreditTier::FifteenPercent, "down all month");
    }

    #[test]
    fn the_credit_is_a_share_of_the_payment_and_never_more() {
        assert_eq!(CreditTier::FivePercent.credit(1_000_000), 50_000);
        assert_eq!(CreditTier::FifteenPercent.credit(1_000_001), 150_000, "rounded down");
        assert_eq!(CreditTier::None.credit(1_000_000), 0);
        assert_eq!(CreditTier::FifteenPercent.credit(u64::MAX), 2_767_011_611_056_432_742, "no overflow");
        for tier in [CreditTier::None, CreditTier::FivePercent, CreditTier::TenPercent, CreditTier::FifteenPercent] {
            for payment in [0, 1, 99, 4_990_000, u64::MAX] {
                assert!(tier.credit(payment) <= payment, "{tier:?} of {payment}");
            }
        }
    }

    #[test]
    fn outages_are_cut_at_the_month_and_at_now() {
        let month = Month::of(2026, 11, &TimeZone::UTC).unwrap();
        let across_the_start = Outage { start: at("2026-10-31T23:00:00Z"), end: Some(at("2026-11-01T01:00:00Z")) };
        let still_on = Outage { start: at("2026-11-30T23:00:00Z"), end: None };
        let now = at("2026-11-30T23:30:00Z");
        let report = MonthReport::new(&month, &[across_the_start, still_on], now);
        assert_eq!(report.down, SignedDuration::from_mins(90));
        assert_eq!(report.length, SignedDuration::from_hours(30 * 24));
    }

    #[test]
    fn watched_time_counts_overlaps_once_and_stays_inside_the_month_and_the_past() {
        let month = Month::of(2026, 11, &TimeZone::UTC).unwrap();
        let stretch = |from: &str, to: &str| (at(from), at(to));
        let stretches = [
            stretch("2026-10-31T23:00:00Z", "2026-11-01T01:00:00Z"),
            stretch("2026-11-10T10:00:00Z", "2026-11-10T12:00:00Z"),
            stretch("2026-11-10T11:00:00Z", "2026-11-10T13:00:00Z"),
            stretch("2026-11-10T13:00:00Z", "2026-11-10T14:00:00Z"),
            stretch("2026-11-20T10:00:00Z", "2026-11-20T10:00:00Z"),
            stretch("2026-11-30T22:00:00Z", "2026-12-01T02:00:00Z"),
        ];
        let later = at("2026-12-05T00:00:00Z");
        assert_eq!(month.watched(&stretches, later), SignedDuration::from_hours(1 + 4 + 2));
        let now = at("2026-11-30T23:00:00Z");
        assert_eq!(month.watched(&stretches, now), SignedDuration::from_hours(1 + 4 + 1));
        assert_eq!(month.watched(&[], now), SignedDuration::ZERO);
    }

    #[test]
    fn shares_round_down_and_never_pass_the_whole() {
        let day = SignedDuration::from_hours(24);
        assert_eq!(basis_points(day, day * 30), 333);
        assert_eq!(basis_points(day * 30, day * 30), 10_000);
        assert_eq!(basis_points(day * 31, day * 30), 10_000);
        assert_eq!(basis_points(SignedDuration::ZERO, day), 0);
        assert_eq!(basis_points(day * 30 - SignedDuration::from_millis(1), day * 30), 9_999);
    }

    #[test]
    fn consecutive_failures_make_one_outage_until_an_answer() {
        let probe = |min: i64, answered| (at("2026-11-15T10:00:00Z") + SignedDuration::from_mins(min), answered);
        let probes =
            [probe(0, true), probe(1, false), probe(2, false), probe(3, true), probe(4, true), probe(5, false)];
        assert_eq!(
            outages_from(&probes),
            [
                Outage { start: probe(1, false).0, end: Some(probe(3, true).0) },
                Outage { start: probe(5, false).0, end: None },
            ]
        );
    }
}
