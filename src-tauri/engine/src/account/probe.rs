//! What one probe of the storage says about the service, and what it does to
//! the outage log. Pure: the raw result, the answer of `Connectivity` and the
//! instant come in as parameters; `prober` does the asking and the writing.
//!
//! The terms count as downtime what is the service's fault: connections
//! refused or reset by the endpoint, 5xx answers, timeouts. Any other answer,
//! a 403 included, shows the service is up. Failures while this computer is
//! offline are nobody's finding and are not counted.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::storage::{FailureFacts, Transport};

/// Why a probe counted against the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutageErrorKind {
    /// Nothing accepted the connection at the endpoint.
    Refused,
    /// A connection was made, then dropped by the other side.
    Reset,
    Timeout,
    /// The storage answered with a 5xx status.
    ServerError,
    /// No connection, for a reason not told apart above.
    Unreachable,
}

impl OutageErrorKind {
    pub const ALL: [Self; 5] = [Self::Refused, Self::Reset, Self::Timeout, Self::ServerError, Self::Unreachable];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refused => "refused",
            Self::Reset => "reset",
            Self::Timeout => "timeout",
            Self::ServerError => "server_error",
            Self::Unreachable => "unreachable",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The service is up.
    Answered,
    ServiceFailure(OutageErrorKind),
    /// This side could not tell: offline, or a failure that is as likely
    /// this computer's own.
    NotCounted,
}

/// Weighs one probe: `result` is the light request's outcome, `online` what
/// `Connectivity` said (asked only after a failure).
pub fn verdict(result: &Result<(), FailureFacts>, online: bool) -> Verdict {
    let Err(facts) = result else { return Verdict::Answered };
    let kind = match (&facts.transport, facts.status) {
        (None, Some(status)) if status < 500 => return Verdict::Answered,
        (None, Some(_)) => OutageErrorKind::ServerError,
        (Some(Transport::Timeout(_)), _) => OutageErrorKind::Timeout,
        (Some(Transport::Io(chain)), _) => io_kind(chain),
        // A refused certificate comes from a captive portal or an inspecting
        // proxy on this side as often as from the provider; a request that
        // was never sent says nothing about the service.
        (Some(Transport::Tls(_)), _) | (None, None) => return Verdict::NotCounted,
    };
    if online { Verdict::ServiceFailure(kind) } else { Verdict::NotCounted }
}

fn io_kind(chain: &str) -> OutageErrorKind {
    let lower = chain.to_ascii_lowercase();
    if lower.contains("refused") {
        OutageErrorKind::Refused
    } else if lower.contains("reset") || lower.contains("closed") || lower.contains("broken pipe") {
        OutageErrorKind::Reset
    } else if lower.contains("timed out") || lower.contains("timeout") {
        OutageErrorKind::Timeout
    } else {
        OutageErrorKind::Unreachable
    }
}

/// An outage not yet over, as the log holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenOutage {
    pub start: Timestamp,
    /// The latest failed probe that belongs to it.
    pub last_failed: Timestamp,
}

/// What one probe changes in the outage log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Nothing,
    /// The first failure after answers: an outage starts here.
    Begin {
        at: Timestamp,
        kind: OutageErrorKind,
    },
    /// Another failure of the outage under way.
    Continue {
        at: Timestamp,
        kind: OutageErrorKind,
    },
    /// The first answer after failures: the outage ends here.
    End {
        at: Timestamp,
    },
    /// A failure after a stretch nobody watched: the old outage ends at its
    /// last failure, a new one begins now.
    Restart {
        end: Timestamp,
        at: Timestamp,
        kind: OutageErrorKind,
    },
}

/// Whether a probe at `at` follows one at `last` closely enough that the
/// time between them counts as watched. Beyond `unwatched` the app was
/// closed or the computer asleep: what happened then is not known.
pub fn continues(last: Timestamp, at: Timestamp, unwatched: SignedDuration) -> bool {
    at.duration_since(last) <= unwatched
}

/// Consecutive failures make one outage, from the first failed probe to the
/// first answer after it. Probes not counted leave it as it is. Time nobody
/// watched is not counted as down: after such a gap an outage ends at the
/// last failure seen.
pub fn step(open: Option<OpenOutage>, at: Timestamp, verdict: Verdict, unwatched: SignedDuration) -> Step {
    match (open, verdict) {
        (_, Verdict::NotCounted) | (None, Verdict::Answered) => Step::Nothing,
        (None, Verdict::ServiceFailure(kind)) => Step::Begin { at, kind },
        (Some(open), Verdict::Answered) if continues(open.last_failed, at, unwatched) => Step::End { at },
        (Some(open), Verdict::Answered) => Step::End { at: open.last_failed },
        (Some(open), Verdict::ServiceFailure(kind)) if continues(open.last_failed, at, unwatched) => {
            Step::Continue { at, kind }
        }
        (Some(open), Verdict::ServiceFailure(kind)) => Step::Restart { end: open.last_failed, at, kind },
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::account::sla::{Outage, outages_from};
    use crate::time::{Clock, SharedClock};

    fn status(code: u16) -> Result<(), FailureFacts> {
        Err(FailureFacts { status: Some(code), code: Some("X".into()), ..Default::default() })
    }

    fn transport(t: Transport) -> Result<(), FailureFacts> {
        Err(FailureFacts { transport: Some(t), ..Default::default() })
    }

    #[test]
    fn any_answer_below_500_shows_the_service_is_up() {
        assert_eq!(verdict(&Ok(()), true), Verdict::Answered);
        for code in [400, 403, 404, 409, 499] {
            assert_eq!(verdict(&status(code), true), Verdict::Answered, "{code}");
            assert_eq!(verdict(&status(code), false), Verdict::Answered, "an answer is an answer: {code}");
        }
    }

    #[test]
    fn refusals_resets_timeouts_and_5xx_are_the_services() {
        let io = |text: &str| transport(Transport::Io(text.into()));
        let cases = [
            (status(500), OutageErrorKind::ServerError),
            (status(503), OutageErrorKind::ServerError),
            (io("dispatch failure: io error: Connection refused (os error 111)"), OutageErrorKind::Refused),
            (io("connection reset by peer (os error 104)"), OutageErrorKind::Reset),
            (io("connection closed before message completed"), OutageErrorKind::Reset),
            (io("connect timed out"), OutageErrorKind::Timeout),
            (transport(Transport::Timeout("operation timeout".into())), OutageErrorKind::Timeout),
            (io("No route to host (os error 113)"), OutageErrorKind::Unreachable),
        ];
        for (result, kind) in cases {
            assert_eq!(verdict(&result, true), Verdict::ServiceFailure(kind), "{result:?}");
        }
    }

    #[test]
    fn nothing_counts_while_this_computer_is_offline() {
        for result in [
            status(503),
            transport(Transport::Io("Connection refused".into())),
            transport(Transport::Timeout("slow".into())),
        ] {
            assert_eq!(verdict(&result, false), Verdict::NotCounted, "{result:?}");
        }
    }

    #[test]
    fn failures_that_may_be_this_sides_are_not_counted() {
        assert_eq!(verdict(&transport(Transport::Tls("UnknownIssuer".into())), true), Verdict::NotCounted);
        let never_sent = Err(FailureFacts { message: Some("no credentials".into()), ..Default::default() });
        assert_eq!(verdict(&never_sent, true), Verdict::NotCounted);
    }

    #[test]
    fn kinds_read_back_as_written() {
        for kind in OutageErrorKind::ALL {
            assert_eq!(OutageErrorKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        assert_eq!(OutageErrorKind::parse("nonsense"), None);
    }

    /// A clock the test moves by hand, read the way the probe loop reads it.
    #[derive(Debug)]
    struct ManualClock(std::sync::Mutex<SystemTime>);

    impl Clock for ManualClock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
    }

    impl ManualClock {
        fn advance(&self, by: Duration) {
            *self.0.lock().unwrap() += by;
        }
    }

    /// Runs `verdicts` one a minute through `step`, keeping the log as the
    /// prober does, and returns the outages with the instants probed.
    fn run(verdicts: &[Verdict], gaps: &[(usize, Duration)]) -> (Vec<Outage>, Vec<Timestamp>) {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let clock = Arc::new(ManualClock(std::sync::Mutex::new(start)));
        let shared: SharedClock = clock.clone();
        let unwatched = SignedDuration::from_mins(5);
        let mut log: Vec<Outage> = Vec::new();
        let mut open: Option<OpenOutage> = None;
        let mut instants = Vec::new();
        for (i, &verdict) in verdicts.iter().enumerate() {
            let gap = gaps.iter().find(|(at, _)| *at == i).map_or(Duration::from_secs(60), |(_, d)| *d);
            clock.advance(gap);
            let at = Timestamp::try_from(shared.now()).unwrap();
            instants.push(at);
            match step(open, at, verdict, unwatched) {
                Step::Nothing => {}
                Step::Begin { at, .. } => {
                    log.push(Outage { start: at, end: None });
                    open = Some(OpenOutage { start: at, last_failed: at });
                }
                Step::Continue { at, .. } => open.as_mut().unwrap().last_failed = at,
                Step::End { at } => {
                    log.last_mut().unwrap().end = Some(at);
                    open = None;
                }
                Step::Restart { end, at, .. } => {
                    log.last_mut().unwrap().end = Some(end);
                    log.push(Outage { start: at, end: None });
                    open = Some(OpenOutage { start: at, last_failed: at });
                }
            }
        }
        (log, instants)
    }

    const UP: Verdict = Verdict::Answered;
    const DOWN: Verdict = Verdict::ServiceFailure(OutageErrorKind::Refused);
    const OFF: Verdict = Verdict::NotCounted;

    #[test]
    fn consecutive_failures_make_one_outage_from_the_first_failure_to_the_first_answer() {
        let verdicts = [UP, DOWN, DOWN, DOWN, UP, UP, DOWN, UP];
        let (log, at) = run(&verdicts, &[]);
        assert_eq!(log, [Outage { start: at[1], end: Some(at[4]) }, Outage { start: at[6], end: Some(at[7]) }]);
        assert_eq!(log[0].end.unwrap().duration_since(log[0].start), SignedDuration::from_mins(3));
        let as_sla_sees_it: Vec<_> = verdicts.iter().zip(&at).map(|(v, t)| (*t, *v == UP)).collect();
        assert_eq!(log, outages_from(&as_sla_sees_it), "the same outages as the month's arithmetic finds");
    }

    #[test]
    fn an_outage_lasts_until_an_answer_comes() {
        let (log, at) = run(&[UP, DOWN, DOWN], &[]);
        assert_eq!(log, [Outage { start: at[1], end: None }]);
    }

    #[test]
    fn probes_while_offline_neither_start_nor_end_an_outage() {
        let (log, _) = run(&[UP, OFF, OFF, OFF, UP], &[]);
        assert!(log.is_empty());
        let (log, at) = run(&[UP, DOWN, OFF, OFF, DOWN, UP], &[]);
        assert_eq!(log, [Outage { start: at[1], end: Some(at[5]) }], "offline probes in the middle change nothing");
    }

    #[test]
    fn time_nobody_watched_is_not_counted_as_down() {
        let asleep = Duration::from_secs(3 * 3600);
        let (log, at) = run(&[DOWN, DOWN, UP], &[(2, asleep)]);
        assert_eq!(log, [Outage { start: at[0], end: Some(at[1]) }], "ends at the last failure seen");
        let (log, at) = run(&[DOWN, DOWN, DOWN, UP], &[(2, asleep)]);
        assert_eq!(
            log,
            [Outage { start: at[0], end: Some(at[1]) }, Outage { start: at[2], end: Some(at[3]) }],
            "failing again after the gap is a new outage"
        );
    }

    #[test]
    fn a_slow_tick_is_not_a_gap() {
        let (log, at) = run(&[DOWN, DOWN, UP], &[(1, Duration::from_secs(5 * 60))]);
        assert_eq!(log, [Outage { start: at[0], end: Some(at[2]) }]);
        assert!(continues(at[0], at[1], SignedDuration::from_mins(5)));
        assert!(!continues(at[0], at[1], SignedDuration::from_mins(5) - SignedDuration::from_millis(1)));
    }
}
