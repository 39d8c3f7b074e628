//! `qoima-cli` from a terminal, against the real Garage.

use std::process::{Command, Output};

use qoima_tests::{Garage, workspace_binary};
use serde_json::Value;

fn cli(garage: &Garage, args: &[&str]) -> Output {
    cli_in(tempfile::tempdir().unwrap().path(), garage, args)
}

/// With a data folder that lasts across calls, as a person's does.
fn cli_in(data_dir: &std::path::Path, garage: &Garage, args: &[&str]) -> Output {
    Command::new(workspace_binary("qoima-cli"))
        .args(["--endpoint", &garage.endpoint, "--region", &garage.region, "--access-key", &garage.key_id])
        .args(["--provider", "garage"])
        .args(args)
        .env("QOIMA_SECRET_KEY", &garage.secret)
        .env("QOIMA_DATA_DIR", data_dir)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_lines(output: &Output) -> Vec<Value> {
    assert!(output.status.success(), "qoima-cli failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[tokio::test]
async fn buckets_list_and_ls_print_json() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("cli").await;
    garage.put_objects(&bucket, ["top.txt", "docs/a.txt", "docs/deep/b.txt", "Қазақша.txt"].map(String::from)).await;

    let buckets = json_lines(&cli(&garage, &["buckets", "list", "--json"]));
    let ours = buckets.iter().find(|b| b["name"] == bucket.as_str()).expect("the bucket is listed");
    assert!(ours["created"].as_str().is_some_and(|c| c.starts_with("20")));

    let location = format!("s3://{bucket}/");
    let shallow = json_lines(&cli(&garage, &["ls", &location, "--json"]));
    let keys: Vec<&str> = shallow.iter().map(|e| e["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["docs/", "top.txt", "Қазақша.txt"]);

    let deep = json_lines(&cli(&garage, &["--json", "ls", &format!("s3://{bucket}/docs/"), "--recursive"]));
    let keys: Vec<&str> = deep.iter().map(|e| e["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["docs/a.txt", "docs/deep/b.txt"]);
    assert!(deep.iter().all(|e| e["size"].as_u64().is_some()));
}

#[tokio::test]
async fn buckets_are_created_typed_listed_and_deleted() {
    let garage = Garage::from_env();
    let data = tempfile::tempdir().unwrap();
    let bucket = qoima_tests::bucket_name("clib");

    let created =
        json_lines(&cli_in(data.path(), &garage, &["--json", "buckets", "create", &bucket, "--class", "cold"]));
    assert_eq!(created[0]["class"], "cold");
    let listed = json_lines(&cli_in(data.path(), &garage, &["buckets", "list", "--json"]));
    let ours = listed.iter().find(|b| b["name"] == bucket.as_str()).unwrap();
    assert_eq!(ours["class"], "cold", "Garage keeps no tags: the class comes from this computer's records");
    assert_eq!(ours["type"], Value::Null, "Garage supports no bucket types");
    assert!(ours["created"].is_string());

    let set = cli_in(data.path(), &garage, &["buckets", "set-type", &bucket, "--type", "public-read"]);
    assert!(!set.status.success());
    assert!(stderr(&set).contains("does not support bucket types"), "{}", stderr(&set));

    let bad = cli_in(data.path(), &garage, &["buckets", "create", "Bad_Name"]);
    assert!(!bad.status.success() && stderr(&bad).lines().count() == 1, "{}", stderr(&bad));

    let file = data.path().join("note.txt");
    std::fs::write(&file, "hello").unwrap();
    let uploaded = json_lines(&cli_in(
        data.path(),
        &garage,
        &["--json", "cp", file.to_str().unwrap(), &format!("s3://{bucket}/docs/")],
    ));
    let to = format!("s3://{bucket}/docs/note.txt");
    assert_eq!((uploaded[0]["to"].as_str(), uploaded[0]["size"].as_u64()), (Some(to.as_str()), Some(5)));
    let back = data.path().join("back");
    std::fs::create_dir(&back).unwrap();
    let downloaded = cli_in(data.path(), &garage, &["cp", &to, back.to_str().unwrap()]);
    assert!(downloaded.status.success(), "{}", stderr(&downloaded));
    assert_eq!(std::fs::read_to_string(back.join("note.txt")).unwrap(), "hello");
    let tree = data.path().join("tree");
    std::fs::create_dir_all(tree.join("a/b")).unwrap();
    std::fs::write(tree.join("a/b/deep.txt"), "deep").unwrap();
    std::fs::write(tree.join("top.txt"), "top").unwrap();
    let sent = json_lines(&cli_in(
        data.path(),
        &garage,
        &["--json", "cp", tree.to_str().unwrap(), &format!("s3://{bucket}/tree"), "--recursive"],
    ));
    assert_eq!(sent[0]["files"], 2);
    let copy = data.path().join("copy");
    let fetched =
        cli_in(data.path(), &garage, &["cp", &format!("s3://{bucket}/tree/"), copy.to_str().unwrap(), "--recursive"]);
    assert!(fetched.status.success(), "{}", stderr(&fetched));
    assert_eq!(std::fs::read_to_string(copy.join("a/b/deep.txt")).unwrap(), "deep");
    assert_eq!(std::fs::read_to_string(copy.join("top.txt")).unwrap(), "top");

    let refused = cli_in(data.path(), &garage, &["buckets", "delete", &bucket]);
    assert!(!refused.status.success() && stderr(&refused).contains("still holds objects"), "{}", stderr(&refused));
    let folder = cli_in(data.path(), &garage, &["rm", &format!("s3://{bucket}/docs/")]);
    assert!(!folder.status.success() && stderr(&folder).contains("--recursive"));
    let removed =
        json_lines(&cli_in(data.path(), &garage, &["--json", "rm", &format!("s3://{bucket}/docs"), "--recursive"]));
    assert_eq!(removed[0]["deleted"], 1);
    let removed =
        json_lines(&cli_in(data.path(), &garage, &["--json", "rm", &format!("s3://{bucket}/tree/"), "--recursive"]));
    assert_eq!(removed[0]["deleted"], 2);
    assert!(cli_in(data.path(), &garage, &["buckets", "delete", &bucket]).status.success());
    let listed = json_lines(&cli_in(data.path(), &garage, &["buckets", "list", "--json"]));
    assert!(!listed.iter().any(|b| b["name"] == bucket.as_str()));
}

#[test]
fn failures_are_one_plain_line_and_a_non_zero_status() {
    let garage = Garage::from_env();
    let mut wrong = garage.clone();
    wrong.secret = "0".repeat(64);
    let output = cli(&wrong, &["buckets", "list"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("secret key does not match"), "{stderr}");

    let output = cli(&garage, &["ls", "not-an-s3-address"]);
    assert!(!output.status.success());
    assert!(String::from_utf8(output.stderr).unwrap().contains("s3://"));
}

#[tokio::test]
async fn a_saved_account_is_used_by_name_with_its_secret_from_the_keyring() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("cli-account").await;
    garage.put_objects(&bucket, ["saved.txt".to_string()]).await;
    let data_dir = tempfile::tempdir().unwrap();
    let engine = qoima_engine::Engine::open(data_dir.path(), qoima_engine::time::system_clock()).unwrap();
    engine
        .save_account(&qoima_engine::account::SaveAccountRequest {
            id: None,
            name: "office".into(),
            provider_id: "garage".into(),
            endpoint: garage.endpoint.clone(),
            region: garage.region.clone(),
            access_key_id: garage.key_id.clone(),
            secret_key: Some(qoima_engine::account::Secret::new(&garage.secret)),
            remember: true,
        })
        .unwrap();
    let run = |account: &str| {
        Command::new(workspace_binary("qoima-cli"))
            .args(["--account", account, "ls", &format!("s3://{bucket}/"), "--json"])
            .env("QOIMA_DATA_DIR", data_dir.path())
            .env_remove("QOIMA_SECRET_KEY")
            .output()
            .unwrap()
    };
    let listed = json_lines(&run("office"));
    assert_eq!(listed.iter().map(|e| e["key"].as_str().unwrap()).collect::<Vec<_>>(), ["saved.txt"]);
    let unknown = run("home");
    assert!(!unknown.status.success());
    assert!(String::from_utf8(unknown.stderr).unwrap().contains("home"));
}

/// A progress bar on a terminal, and not a byte of it when stderr is piped.
#[tokio::test]
async fn cp_shows_progress_on_a_terminal_and_nothing_when_piped() {
    let garage = Garage::from_env();
    let bucket = garage.new_bucket("cli-progress").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("large.bin");
    std::fs::write(&file, vec![7u8; 40 * 1024 * 1024]).unwrap();
    let to = format!("s3://{bucket}/");

    let piped = cli(&garage, &["cp", file.to_str().unwrap(), &to]);
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert_eq!(stderr(&piped), "", "no progress when stderr is not a terminal");

    let command = [
        workspace_binary("qoima-cli").display().to_string(),
        "--endpoint".into(),
        garage.endpoint.clone(),
        "--region".into(),
        garage.region.clone(),
        "--access-key".into(),
        garage.key_id.clone(),
        "--provider".into(),
        "garage".into(),
        "cp".into(),
        file.display().to_string(),
        to,
    ]
    .join(" ");
    // `script` runs the command on a pseudo-terminal, as a person's shell does.
    let on_terminal = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("QOIMA_SECRET_KEY", &garage.secret)
        .env("QOIMA_DATA_DIR", dir.path().join("data"))
        .env("COLUMNS", "120")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&on_terminal.stdout);
    assert!(on_terminal.status.success(), "{shown}");
    assert!(shown.contains("large.bin [") && shown.contains("/40.00 MiB"), "a bar with the size: {shown:?}");
}

#[tokio::test]
async fn availability_prints_the_outage_log_and_the_credit() {
    use qoima_engine::account::connectivity::SwitchedConnectivity;
    use qoima_engine::account::prober::ProbeSettings;

    let garage = Garage::from_env();
    let data = tempfile::tempdir().unwrap();
    let nothing_there = Garage { endpoint: format!("http://127.0.0.1:{}", qoima_tests::closed_port()), ..garage };
    let outage = {
        let engine = nothing_there.engine_at(data.path(), &nothing_there.endpoint, "garage");
        let settings = ProbeSettings {
            interval: std::time::Duration::from_millis(200),
            connectivity: std::sync::Arc::new(SwitchedConnectivity::new(true)),
            ..Default::default()
        };
        engine.run_availability_probe(settings);
        let outage = qoima_tests::eventually(std::time::Duration::from_secs(10), "an outage", async || {
            engine.current_outage().unwrap()
        })
        .await;
        engine.record_outage_report(outage.id).unwrap()
    };

    let printed = json_lines(&cli_in(data.path(), &nothing_there, &["availability", "--json", "--payment", "4990.50"]));
    let [report] = printed.as_slice() else { panic!("one line: {printed:?}") };
    let month = report["month"].as_str().unwrap();
    assert!(month.len() == 7 && month.as_bytes()[4] == b'-', "{month}");
    assert_eq!(report["zone"], "Asia/Almaty");
    assert_eq!(report["isEstimate"], true);
    assert_eq!(report["availabilityBasisPoints"], 9_999, "an outage of seconds, still on");
    assert_eq!((report["tierPercent"].as_u64(), report["paymentTiyn"].as_u64()), (Some(0), Some(499_050)));
    assert_eq!(report["creditTiyn"], 0);
    let outages = report["outages"].as_array().unwrap();
    assert_eq!(outages.len(), 1, "{outages:?}");
    let start = qoima_engine::time::Timestamp::from_millisecond(outage.start.utc_ms).unwrap();
    assert_eq!(outages[0]["id"], outage.id);
    assert_eq!(outages[0]["start"], start.to_string());
    assert_eq!(outages[0]["end"], Value::Null, "still on");
    assert!(outages[0]["reported"].is_string());
    assert_eq!(outages[0]["errorKinds"], serde_json::json!(["refused"]));

    let text = cli_in(data.path(), &nothing_there, &["availability", "--payment", "4990.50"]);
    assert!(text.status.success(), "{}", stderr(&text));
    let text = String::from_utf8(text.stdout).unwrap();
    for line in ["Availability in ", "Outage 1: from ", "still not answering", "seen: refused"] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    assert!(text.contains("Credit for a payment of 4990.50 tenge: 0.00 tenge"), "{text}");

    let bad = cli_in(data.path(), &nothing_there, &["availability", "--month", "2026-13"]);
    assert!(!bad.status.success());
}
