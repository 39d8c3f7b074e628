//! A process that runs Qoima's transfer queue against the test Garage until
//! every batch has finished, so tests can kill it mid-transfer and start it
//! again on the same database.
//!
//! `queue_worker DATA_DIR LIMIT [upload BUCKET PATH | download BUCKET KEY DIR]`
//! LIMIT is bytes per second each way, 0 for none.

use std::path::PathBuf;
use std::time::Duration;

use qoima_engine::queue::{BandwidthLimits, ConflictAnswers, DownloadRequest, EnqueueOutcome, UploadRequest};
use qoima_tests::Garage;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(false).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(&args[0]);
    let limit: u64 = args[1].parse().expect("a limit in bytes per second");
    let engine = Garage::from_env().engine(&dir, "garage");
    let limit = (limit > 0).then_some(limit);
    engine.set_bandwidth_limits(BandwidthLimits { upload: limit, download: limit }).unwrap();
    let answers = ConflictAnswers::default();
    let queued = match args.get(2).map(String::as_str) {
        Some("upload") => Some(
            engine
                .enqueue_upload(UploadRequest {
                    paths: vec![args[4].clone()],
                    bucket: args[3].clone(),
                    prefix: String::new(),
                    answers,
                })
                .await,
        ),
        Some("download") => Some(
            engine
                .enqueue_download(DownloadRequest {
                    bucket: args[3].clone(),
                    keys: vec![args[4].clone()],
                    dir: args[5].clone(),
                    answers,
                })
                .await,
        ),
        _ => None,
    };
    if let Some(queued) = queued {
        let outcome = queued.expect("queued");
        assert!(matches!(outcome, EnqueueOutcome::Queued { .. }), "{outcome:?}");
        println!("queued");
    }
    tokio::spawn(engine.transfer_runner());
    loop {
        let view = engine.transfers_view().unwrap();
        if !view.batches.is_empty() && view.active_batches == 0 {
            println!("{}", serde_json::to_string(&view).unwrap());
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
