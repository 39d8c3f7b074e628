//! The account in the real window, on a Garage key of the test's own
//! reached through a proxy: the header counts down a trial with two days
//! left, the account page shows the usage Garage holds, and once the proxy
//! is gone the storage stops answering: the banner asks at once for the
//! report, "I reported it" records the time, and the availability page
//! lists the outage. Shot in all three languages; screenshots go to
//! `$QOIMA_TEST_OUTPUT/e2e_account/`.

use std::path::Path;
use std::time::SystemTime;

use aws_sdk_s3::primitives::ByteStream;
use qoima_engine::Engine;
use qoima_engine::account::Secret;
use qoima_engine::engine::TrialRequest;
use qoima_engine::storage::ConnectionParams;
use qoima_engine::time::system_clock;
use qoima_tests::Garage;
use qoima_tests::messages::{lead, message};
use qoima_tests::proxy::FaultyProxy;
use qoima_tests::window::{AppWindow, output_dir};

const DIALOG: &str = "//*[@role='dialog' or @role='alertdialog']";

fn now_ms() -> i64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_millis() as i64
}

/// A trial begun 23 h 50 min ago: two days and some minutes left.
async fn record_trial(data_dir: &Path, garage: &Garage, endpoint: &str) {
    let engine = Engine::open(data_dir, system_clock()).unwrap();
    let params = ConnectionParams { endpoint: endpoint.to_owned(), ..garage.params() };
    engine.use_endpoint(&params, &Secret::new(&garage.secret), "prodata").unwrap();
    let start = now_ms() - (23 * 60 + 50) * 60_000;
    engine.set_trial(TrialRequest { has_trial: true, start_utc_ms: Some(start) }).await.unwrap();
}

#[tokio::test]
async fn usage_a_trial_and_an_outage_reported_in_three_languages() {
    let garage = Garage::from_env().own_key("e2e-account").await;
    let bucket = garage.new_bucket("e2e-usage").await;
    for i in 0..3 {
        let body = ByteStream::from(vec![b'q'; 500_000]);
        garage
            .client()
            .sdk()
            .put_object()
            .bucket(&bucket)
            .key(format!("scan-{i}.pdf"))
            .body(body)
            .send()
            .await
            .unwrap();
    }
    let proxy = FaultyProxy::plain(&garage.upstream()).await;
    let data_dir = tempfile::tempdir().unwrap();
    let data = data_dir.path();
    let shots = output_dir("e2e_account");
    record_trial(data, &garage, &proxy.endpoint).await;

    let mut window = AppWindow::launch(data, &shots).await;
    window.wait_for("select[name=provider]").await.select_by_value("prodata").await.unwrap();
    window.fill("input[name=endpoint]", &proxy.endpoint).await;
    window.fill("input[name=region]", &garage.region).await;
    window.fill("input[name=accessKeyId]", &garage.key_id).await;
    window.fill("input[name=secretKey]", &garage.secret).await;
    window.fill("input[name=accountName]", "Work").await;
    window.click("[data-testid=connect-form] button[type=submit]").await;
    window.wait_for(&format!("li[data-bucket='{bucket}']")).await;

    let countdown = window.wait_for_text("//*[@data-testid='trial-countdown']", "Trial: 2 d 0 h").await;
    let title = countdown.attr("title").await.unwrap().unwrap_or_default();
    assert!(title.starts_with("Ends "), "the exact end on hover: {title}");

    // The first measurement runs by itself: by listing, as Garage has no
    // summary for its keys and this account has no admin API.
    window.click("[data-testid=usage-nav]").await;
    window.wait_for_text("//*[@data-testid='usage-measured']", "by counting every object").await;
    window.wait_for_text("//*[@data-testid='meter-bytes']", "1.5\u{a0}MB used").await;
    window.wait_for_text("//*[@data-testid='meter-objects']", "3 used").await;
    window.wait_for_text("//*[@data-testid='usage-panel']//td", &bucket).await;
    window.wait_for_text("//*[@data-testid='trial-state']", "Trial: 2 d 0 h").await;
    window.wait_for_text("//*[@data-testid='availability-panel']", &message("en", "availability_no_outages")).await;
    window.shot("account-en").await;
    window.close().await;

    // The storage stops answering: nothing listens where the app connects.
    let endpoint = proxy.endpoint.clone();
    drop(proxy);
    for (i, (lang, locale)) in
        [("en", "en_US.UTF-8"), ("kk", "kk_KZ.UTF-8"), ("ru", "ru_RU.UTF-8")].into_iter().enumerate()
    {
        let mut window = AppWindow::launch_in(data, &shots, locale).await;
        window.wait_for_text("//*[@data-testid='outage-banner']", &lead(lang, "outage_banner_title")).await;
        if i == 0 {
            window.wait_for_text("//*[@data-testid='outage-banner']", &message(lang, "outage_banner_text")).await;
            window.shot("outage-banner-en").await;
            window.click("[data-testid=outage-banner] button").await;
            let report = window.wait_for("[data-testid=outage-report-text]").await;
            let text = report.prop("value").await.unwrap().unwrap_or_default();
            assert!(text.contains("Account: Work\n"), "{text}");
            assert!(text.contains(&format!("Storage address: {endpoint}\n")), "{text}");
            assert!(text.contains("What the app saw: connection refused"), "{text}");
            window.wait_for_text(DIALOG, "@PRO_DATA_Support_Bot").await;
            window.shot("outage-report-en").await;
            window.click("[data-testid=outage-reported]").await;
            window.wait_for_text("//*[@data-testid='outage-banner']", &lead(lang, "outage_banner_reported")).await;
        }
        window.click("[data-testid=usage-nav]").await;
        window.wait_for("[data-testid=outage-row]").await;
        window.wait_for_text("//*[@data-testid='outage-row']", &message(lang, "availability_ongoing")).await;
        window.wait_for_text("//*[@data-testid='account-overview']", &lead(lang, "trial_left")).await;
        window.shot(&format!("account-outage-{lang}")).await;
        window
            .client
            .execute("document.querySelector('[data-testid=availability-panel]').scrollIntoView()", vec![])
            .await
            .unwrap();
        window.shot(&format!("availability-outage-{lang}")).await;
        window.close().await;
    }

    // What the app recorded: one outage, still on, with the report's time.
    let engine = Engine::open(data, system_clock()).unwrap();
    engine.startup().unwrap().connection.expect("the account reconnects without the network");
    let report = engine.availability(None, None).unwrap();
    assert_eq!(report.outages.len(), 1, "{report:?}");
    assert!(report.outages[0].end.is_none() && report.outages[0].reported.is_some(), "{report:?}");
}
