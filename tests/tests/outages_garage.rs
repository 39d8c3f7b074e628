//! Outages as the availability probe sees them, against real servers: a
//! Garage of the test's own is stopped for a measured interval, and a closed
//! address is probed while the network is switched off.

use std::sync::Arc;
use std::time::Duration;

use qoima_engine::Engine;
use qoima_engine::account::Secret;
use qoima_engine::account::connectivity::SwitchedConnectivity;
use qoima_engine::account::probe::OutageErrorKind;
use qoima_engine::account::prober::ProbeSettings;
use qoima_engine::engine::YearMonth;
use qoima_engine::storage::{RetryPolicy, S3Client};
use qoima_engine::time::{LocalTime, Timestamp, system_clock};
use qoima_tests::own_garage::OwnGarage;
use qoima_tests::{Garage, closed_port, eventually};

/// The probe's interval here, instead of a minute.
const INTERVAL: Duration = Duration::from_millis(250);
/// What one probe and its bookkeeping may take on a busy machine, beyond the
/// interval of slack an instant found by probing has anyway.
const PROBE_TIME: Duration = Duration::from_millis(750);

fn settings(connectivity: Option<Arc<SwitchedConnectivity>>) -> ProbeSettings {
    let mut settings = ProbeSettings { interval: INTERVAL, timeout: Duration::from_secs(2), ..Default::default() };
    if let Some(connectivity) = connectivity {
        settings.connectivity = connectivity;
    }
    settings
}

fn instant(at: LocalTime) -> Timestamp {
    Timestamp::from_millisecond(at.utc_ms).unwrap()
}

fn ms(duration: Duration) -> i64 {
    duration.as_millis() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_garage_is_one_outage_of_its_length_prompted_and_reported() {
    let mut garage = OwnGarage::start();
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path(), system_clock()).unwrap();
    engine.use_endpoint(&garage.params(), &Secret::new(&garage.secret), "garage").unwrap();
    let mut prompt = engine.outage_updates();
    // The real connectivity check: a loopback endpoint is always reachable.
    engine.run_availability_probe(settings(None));

    eventually(Duration::from_secs(20), "the probe to watch the storage answering", async || {
        (engine.availability(None, None).unwrap().observed_ms > 0).then_some(())
    })
    .await;
    assert_eq!(engine.current_outage().unwrap(), None, "a running Garage is no outage");

    let stopped = Timestamp::now();
    garage.kill();

    // The shell's cue to notify: the outage the moment it begins.
    let began = tokio::time::timeout(Duration::from_secs(10), prompt.wait_for(Option::is_some))
        .await
        .expect("the outage is announced")
        .unwrap()
        .clone()
        .unwrap();
    let start = instant(began.start);
    assert!(start.as_millisecond() >= stopped.as_millisecond() - ms(PROBE_TIME), "{start} began before {stopped}");
    assert!(
        start.as_millisecond() <= stopped.as_millisecond() + ms(INTERVAL + PROBE_TIME),
        "{start} is over an interval after the stop at {stopped}"
    );
    assert_eq!(began.end, None);
    assert_eq!(began.reported, None);

    // The "report it now" prompt shows it while it lasts.
    let current = eventually(Duration::from_secs(10), "a refused connection in the outage", async || {
        engine.current_outage().unwrap().filter(|o| o.error_kinds.contains(&OutageErrorKind::Refused))
    })
    .await;
    assert_eq!((current.id, current.start, current.end), (began.id, began.start, None));

    let before_report = Timestamp::now();
    let reported = engine.record_outage_report(began.id).unwrap();
    let after_report = Timestamp::now();
    let report_time = reported.reported.expect("the report time is recorded");
    assert!((before_report.as_millisecond()..=after_report.as_millisecond()).contains(&report_time.utc_ms));
    let pressed_again = engine.record_outage_report(began.id).unwrap();
    assert_eq!(pressed_again.reported, Some(report_time), "a second press keeps the first time");
    assert_eq!(engine.current_outage().unwrap().unwrap().reported, Some(report_time));
    assert!(engine.record_outage_report(began.id + 1000).is_err(), "an outage that does not exist");

    // Down long enough that an interval of slack is a small part of it.
    eventually(Duration::from_secs(20), "three seconds of failed probes", async || {
        engine.current_outage().unwrap().filter(|o| o.last_checked.utc_ms - o.start.utc_ms >= 3_000)
    })
    .await;
    let restarted = Timestamp::now();
    garage.restart();
    let probe = S3Client::new(&garage.params(), &garage.secret, system_clock(), RetryPolicy::Probe).unwrap();
    let ready = eventually(Duration::from_secs(60), "the restarted Garage to answer", async || {
        garage.assert_running();
        probe.list_buckets().await.ok().map(|_| Timestamp::now())
    })
    .await;
    eventually(Duration::from_secs(10), "the outage to end", async || {
        engine.current_outage().unwrap().is_none().then_some(())
    })
    .await;
    tokio::time::timeout(Duration::from_secs(10), prompt.wait_for(Option::is_none))
        .await
        .expect("the end is announced")
        .unwrap();

    let report = engine.availability(Some(YearMonth::of(start)), Some(1_000_000)).unwrap();
    assert_eq!(report.outages.len(), 1, "exactly one outage: {:?}", report.outages);
    let outage = &report.outages[0];
    assert_eq!((outage.id, outage.start, outage.reported), (began.id, began.start, Some(report_time)));
    let end = instant(outage.end.expect("it ended"));
    assert!(end >= restarted, "{end} ended before Garage was started again at {restarted}");
    assert!(
        end.as_millisecond() <= ready.as_millisecond() + ms(INTERVAL + PROBE_TIME),
        "{end} is over an interval after Garage answered again at {ready}"
    );
    let seen = end.duration_since(start).as_millis() as i64;
    let measured = ready.duration_since(stopped).as_millis() as i64;
    assert!(measured >= 3_000, "Garage was down for {measured} ms");
    assert!(
        (seen - measured).abs() <= ms(INTERVAL + PROBE_TIME),
        "outage of {seen} ms, Garage down for about {measured} ms"
    );
    assert!(outage.error_kinds.contains(&OutageErrorKind::Refused), "{:?}", outage.error_kinds);
    assert_eq!(report.down_ms, seen);
    assert!(report.availability_basis_points < 10_000);
    assert!(report.observed_ms >= seen, "the outage was watched: {} ms of {seen}", report.observed_ms);
    assert!(report.is_estimate);
    assert_eq!((report.tier_percent, report.credit_tiyn), (0, Some(0)), "seconds in a month earn no credit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_while_this_computer_is_offline_are_not_counted() {
    let garage = Garage::from_env();
    let dir = tempfile::tempdir().unwrap();
    let nothing_there = format!("http://127.0.0.1:{}", closed_port());
    let engine = garage.engine_at(dir.path(), &nothing_there, "garage");
    let network = Arc::new(SwitchedConnectivity::new(false));
    engine.run_availability_probe(settings(Some(network.clone())));

    // The probe asks only after a failure: three questions, three failures weighed.
    eventually(Duration::from_secs(20), "three failed probes", async || (network.asked() >= 3).then_some(())).await;
    assert_eq!(engine.current_outage().unwrap(), None, "failures while offline are no outage");
    let report = engine.availability(None, None).unwrap();
    assert!(report.outages.is_empty(), "{:?}", report.outages);
    assert_eq!(report.availability_basis_points, 10_000);
    assert_eq!(report.observed_ms, 0, "time offline is not time watched either");

    // The same failures, online, are the service's.
    let online_at = Timestamp::now();
    network.set_online(true);
    let outage =
        eventually(Duration::from_secs(10), "the outage once online", async || engine.current_outage().unwrap()).await;
    assert!(
        instant(outage.start).as_millisecond() >= online_at.as_millisecond() - ms(PROBE_TIME),
        "it began at {}, before the network came back at {online_at}",
        instant(outage.start)
    );
    assert_eq!(outage.error_kinds, [OutageErrorKind::Refused]);
}
