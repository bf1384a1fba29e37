//! The collector's log end to end on the sample's story: promises kept, broken and live,
//! disputes with their days, and what they change (clients.csv, open_items.csv, the ladder's
//! actions, the alerts, summary.json, rejected.csv).

mod common;

use common::{csv_rows, read, run, sample_config};
use std::path::Path;
use tempfile::TempDir;

/// One data file's rows as (header → value) for the rows whose `key` column is `value`.
fn rows_where(file: &Path, key: &str, value: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let (header, rows) = csv_rows(file);
    let k = header.iter().position(|h| h == key).unwrap_or_else(|| panic!("{key} in {}", file.display()));
    rows.into_iter().filter(|r| r[k] == value).map(|r| header.iter().cloned().zip(r).collect()).collect()
}

#[test]
fn the_sample_story_of_promises_and_disputes() {
    let dir = TempDir::new().unwrap();
    let cfg = sample_config(dir.path(), |t| t, "");
    let out = dir.path().join("out");
    for as_of in ["2026-09-30", "2026-10-31"] {
        let r =
            run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", as_of]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let data = out.join("2026-10/data");
    // K0046 broke both its promises, K0147 kept its one, K0068's is still live.
    let client = |id: &str| rows_where(&data.join("clients.csv"), "client_id", id).remove(0);
    let k46 = client("K0046");
    let made_kept_broken = |c: &std::collections::BTreeMap<String, String>| {
        ["promises_made_12m", "promises_kept_12m", "promises_broken_12m"].map(|k| c[k].clone())
    };
    assert_eq!(made_kept_broken(&k46), ["2", "0", "2"]);
    assert_eq!(k46["promises_kept_ratio_12m"], "0.0000");
    assert!(k46["risk_reasons"].contains("broke 2 of 2 promises to pay (12 months)"), "{}", k46["risk_reasons"]);
    assert_eq!(made_kept_broken(&client("K0147")), ["1", "1", "0"]);
    assert_eq!(made_kept_broken(&client("K0068")), ["1", "0", "0"]);
    // A client without any promise: zero, known from the log.
    assert_eq!(made_kept_broken(&client("K0001")), ["0", "0", "0"]);
    // K0067's invoice has been in dispute for 70 days: in open_items.csv and clients.csv.
    let items = rows_where(&data.join("open_items.csv"), "document_id", "F2026008465");
    assert_eq!((items[0]["disputed"].as_str(), items[0]["days_in_dispute"].as_str()), ("true", "70"));
    let k67 = client("K0067");
    assert_eq!(k67["longest_dispute_days"], "70");
    assert!(common::cents(&k67["disputed_open"]) >= common::cents(&items[0]["open_amount"]));
    // K0033's dispute was settled in May: its invoice is not disputed.
    assert_eq!(client("K0033")["longest_dispute_days"], "");
    // The ladder waits for K0068's live promise on the invoice it names.
    let live = rows_where(&data.join("actions.csv"), "document_id", "F2026009977");
    assert!(live[0]["reason"].starts_with("promised to pay by 2026-11-10:"), "{:?}", live[0]);
    assert_eq!(live[0]["overdue_days"], "0");
    // October's alerts: the second promise broke (by 01/10) and the dispute passed 60 days.
    let alerts = read(&data.join("alerts.csv"));
    let line =
        |kind: &str, id: &str| alerts.lines().find(|l| l.starts_with(&format!("{id},{kind},"))).map(String::from);
    let broken = line("promise_broken", "K0046").expect("promise_broken");
    assert!(broken.contains("broke its promise to pay by 2026-10-01"), "{broken}");
    assert!(line("long_dispute", "K0067").is_some(), "{alerts}");
    // Said in October, not again: September had the first broken promise already.
    let september = read(&out.join("2026-09/data/alerts.csv"));
    assert!(!september.contains("long_dispute"), "39 days in September");
    // summary.json accounts for the log.
    let summary: serde_json::Value = serde_json::from_str(&read(&data.join("summary.json"))).unwrap();
    let log = &summary["log"];
    assert_eq!(log["events"], 9);
    assert_eq!(log["inputs"][0]["rows_read"], 9);
    assert_eq!(log["promises_12m"], serde_json::json!({"made": 4, "kept": 1, "broken": 2, "live": 1}));
    assert_eq!(log["disputes_open"], 1);
}

#[test]
fn a_bad_log_row_is_rejected_with_its_reason_and_the_run_goes_on() {
    let dir = TempDir::new().unwrap();
    let log = dir.path().join("log.csv");
    std::fs::write(
        &log,
        "Datum;Klantnr;Factuurnr;Soort;Bedrag;Beloofd tegen;Omschrijving\n\
         01/10/2026;K0046;;Belofte;100,00;10/10/2026;ok\n\
         02/10/2026;K9999;;Belofte;100,00;10/10/2026;unknown client\n\
         03/10/2026;K0046;;Belofte;;10/10/2026;no amount, no invoice\n\
         04/10/2026;K0046;;Bezoek;;;unknown kind\n",
    )
    .unwrap();
    // The sample's configuration with this log instead of its own, and room for its rejects
    // (three of four rows would stop a run under the sample's 1 %).
    let theirs = format!("{:?}", common::root().join("sample_data/csv/logboek.csv").to_string_lossy());
    let cfg = sample_config(
        dir.path(),
        |t| {
            t.replace(&theirs, &format!("{:?}", log.to_string_lossy()))
                .replace("max_rejected_share = 0.01", "max_rejected_share = 0.9")
        },
        "",
    );
    assert!(read(&cfg).contains("log.csv"), "{}", read(&cfg));
    let out = dir.path().join("out");
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 3, "rejected rows make exit code 3: {}", r.stderr);
    let data = out.join("2026-10/data");
    let rejected = rows_where(&data.join("rejected.csv"), "source", &log.to_string_lossy().replace('\\', "/"));
    let reasons: Vec<&str> = rejected.iter().map(|r| r["reason"].as_str()).collect();
    assert_eq!(rejected.len(), 3, "{reasons:?}");
    assert!(reasons[0].contains("no client with this id"), "{reasons:?}");
    assert!(reasons[1].contains("the amount promised or the document"));
    assert!(reasons[2].contains("unknown kind of log entry"));
    let summary: serde_json::Value = serde_json::from_str(&read(&data.join("summary.json"))).unwrap();
    let input = &summary["log"]["inputs"][0];
    assert_eq!(
        (input["rows_read"].as_u64(), input["accepted"].as_u64(), input["rejected"].as_u64()),
        (Some(4), Some(1), Some(3))
    );
}
