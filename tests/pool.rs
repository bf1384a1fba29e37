//! The pool step end to end: portfolios contribute, `arwatch pool` pools them, and each
//! contributor's experience elsewhere is the other creditors' figures, worked out here again
//! from the contribution files.
#![cfg(feature = "parquet")]

mod common;

use common::{csv_rows, run};
use std::collections::BTreeMap;
use std::path::Path;
use tempfile::TempDir;

/// A multi-portfolio sample (its creditors contribute to a pool), run as a batch.
fn contributed(dir: &Path, n: usize) -> std::path::PathBuf {
    let p = dir.join("p");
    assert_eq!(run(&["sample", "--portfolios", &n.to_string(), "--out", p.to_str().unwrap()]).code, 0);
    for i in 1..=n {
        let cfg = std::fs::read_to_string(p.join(format!("creditor-{i:02}/arwatch.toml"))).unwrap();
        assert!(cfg.contains(&format!("[pool]\ncontribute = true\ncontributor = \"creditor-{i:02}\"")), "{cfg}");
    }
    let r = run(&["batch", "-q", p.join("manifest.toml").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    p
}

/// From a contribution file: per debtor, (paid, late, amount, amount × days late) over the
/// 12 months to 2026-10, amounts in cents.
fn window(file: &Path) -> BTreeMap<String, [i64; 4]> {
    let (h, rows) = csv_rows(file);
    let at = |n: &str| h.iter().position(|c| c == n).unwrap();
    let cents = |s: &str| (s.parse::<f64>().unwrap() * 100.0).round() as i64;
    let mut out: BTreeMap<String, [i64; 4]> = BTreeMap::new();
    for r in rows.iter().filter(|r| r[at("month")].as_str() >= "2025-11" && r[at("month")].as_str() <= "2026-10") {
        let s = out.entry(r[at("company_number")].clone()).or_default();
        s[0] += r[at("paid")].parse::<i64>().unwrap();
        s[1] += r[at("late")].parse::<i64>().unwrap();
        s[2] += cents(&r[at("paid_amount")]);
        s[3] += r[at("amount_days_late")].parse::<i64>().unwrap();
    }
    out
}

#[test]
fn each_contributor_sees_the_other_creditors_figures_and_nothing_of_its_own() {
    let dir = TempDir::new().unwrap();
    let p = contributed(dir.path(), 5);
    let out = dir.path().join("pool");
    let r = run(&["pool", p.join("batch").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("5 contributions"), "{}", r.stdout);
    let month = out.join("2026-10");
    let windows: Vec<BTreeMap<String, [i64; 4]>> =
        (1..=5).map(|i| window(&p.join(format!("batch/creditor-{i:02}/2026-10/pool/contribution.csv")))).collect();
    let mut published = 0;
    for i in 0..5 {
        let (h, rows) = csv_rows(&month.join(format!("elsewhere/creditor-{:02}.csv", i + 1)));
        assert!(month.join(format!("elsewhere/creditor-{:02}.parquet", i + 1)).exists());
        assert!(!h.contains(&"contributor".to_string()), "no creditor is named: {h:?}");
        let at = |n: &str| h.iter().position(|c| c == n).unwrap();
        for r in &rows {
            let number = &r[at("company_number")];
            assert!(windows[i].contains_key(number) || r[at("creditors_elsewhere")] != "0", "only its own debtors");
            // The other creditors' sums, from their own files.
            let mut s = [0i64; 4];
            let mut creditors = 0;
            for (j, w) in windows.iter().enumerate() {
                if let Some(o) = w.get(number).filter(|_| j != i) {
                    creditors += 1;
                    for k in 0..4 {
                        s[k] += o[k];
                    }
                }
            }
            if r[at("wadl_12m")].is_empty() {
                assert!(r[at("note")].contains("payments:"), "a suppressed figure says why: {r:?}");
                continue;
            }
            published += 1;
            assert!(creditors >= 3, "published with {creditors} other creditors: {r:?}");
            assert_eq!(r[at("late_ratio_12m")], format!("{:.4}", s[1] as f64 / s[0] as f64), "{number}");
            assert_eq!(r[at("wadl_12m")], format!("{:.2}", s[3] as f64 / s[2] as f64), "{number}");
        }
    }
    assert!(published >= 5 * 8, "the shared debtors are published for every creditor: {published}");
    // The keeper's table: every debtor once, the shared ones with five creditors.
    let (h, rows) = csv_rows(&month.join("debtors.csv"));
    let at = |n: &str| h.iter().position(|c| c == n).unwrap();
    assert!(rows.iter().filter(|r| r[at("creditors")] == "5").count() >= 8);
    assert!(rows.iter().all(|r| r[at("creditors")] != "1" || !r[at("note")].is_empty()), "one creditor: suppressed");
}

#[test]
fn the_pool_refuses_weak_rules_clashing_names_and_empty_folders() {
    let dir = TempDir::new().unwrap();
    let p = contributed(dir.path(), 3);
    let out = dir.path().join("pool");
    let (batch, o) = (p.join("batch"), out.to_str().unwrap());
    let weak = run(&["pool", batch.to_str().unwrap(), "--out", o, "--min-creditors", "2"]);
    assert_eq!(weak.code, 2, "{}", weak.stderr);
    assert!(weak.stderr.contains("at least 3 creditors"), "{}", weak.stderr);
    let share = run(&["pool", batch.to_str().unwrap(), "--out", o, "--max-share", "0.95"]);
    assert_eq!(share.code, 2, "{}", share.stderr);
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let none = run(&["pool", empty.to_str().unwrap(), "--out", o]);
    assert_eq!(none.code, 4, "{}", none.stderr);
    assert!(none.stderr.contains("contribute = true"), "{}", none.stderr);
    // A copy of one portfolio's month under another folder: the same contributor twice.
    let copy = dir.path().join("copy/pool");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(batch.join("creditor-01/2026-10/pool/contribution.parquet"), copy.join("contribution.parquet"))
        .unwrap();
    let twice = run(&["pool", batch.to_str().unwrap(), dir.path().join("copy").to_str().unwrap(), "--out", o]);
    assert_eq!(twice.code, 2, "{}", twice.stderr);
    assert!(twice.stderr.contains("same contributor \"creditor-01\""), "{}", twice.stderr);
    assert!(!out.join("2026-10").exists(), "nothing written by a refused pool");
}

/// The SQL in examples/pool gives what `arwatch pool` gives, run by DuckDB (when Python has
/// it: `.ci/run` installs it).
#[test]
fn duckdb_running_the_shipped_sql_agrees_with_the_pool_step() {
    let has_duckdb =
        std::process::Command::new("python3").args(["-c", "import duckdb"]).status().is_ok_and(|s| s.success());
    if !has_duckdb {
        eprintln!("skipped: python3 with duckdb is not installed (pip install duckdb)");
        return;
    }
    let dir = TempDir::new().unwrap();
    let p = contributed(dir.path(), 4);
    let out = dir.path().join("pool");
    let r = run(&["pool", p.join("batch").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let glob = p.join("batch/*/2026-10/pool/contribution.parquet");
    let check = std::process::Command::new("python3")
        .arg(common::root().join("examples/pool/check_with_duckdb.py"))
        .args([glob.to_str().unwrap(), out.join("2026-10").to_str().unwrap(), "2026-10-31"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{said}{}", String::from_utf8_lossy(&check.stderr));
    assert!(said.contains("; 0 differ") && !said.starts_with("0 figures"), "{said}");
}

/// The sample's story: a debtor pays creditor-01 on time and the other creditors later every
/// month. Two monthly batches with the pool between them raise `pays_others_late` for it at
/// creditor-01, with the other creditors' figures in its clients file and its risk reasons.
#[test]
fn two_monthly_batches_with_a_pool_tell_creditor_01_that_its_client_pays_others_late() {
    let dir = TempDir::new().unwrap();
    let p = dir.path().join("p");
    assert_eq!(run(&["sample", "--portfolios", "5", "--out", p.to_str().unwrap()]).code, 0);
    // September: every portfolio as of the month's end (`--as-of` for all of the manifest).
    let sep = run(&["batch", "-q", p.join("manifest.toml").to_str().unwrap(), "--as-of", "2026-09-30"]);
    assert_eq!(sep.code, 0, "{}", sep.stderr);
    assert!(p.join("batch/creditor-03/2026-09/data/clients.csv").exists());
    let pool = run(&["pool", p.join("batch").to_str().unwrap(), "--out", p.join("pool").to_str().unwrap()]);
    assert_eq!(pool.code, 0, "{}", pool.stderr);
    let oct = run(&["batch", "-q", p.join("manifest.toml").to_str().unwrap()]);
    assert_eq!(oct.code, 0, "{}", oct.stderr);
    let data = p.join("batch/creditor-01/2026-10/data");
    let (h, alerts) = csv_rows(&data.join("alerts.csv"));
    let at = |n: &str| h.iter().position(|c| c == n).unwrap();
    let ours: Vec<&Vec<String>> =
        alerts.iter().filter(|a| a[at("kind")] == "pays_others_late" && a[at("client_id")] == "K0010").collect();
    assert_eq!(ours.len(), 1, "{alerts:?}");
    assert!(ours[0][at("message")].contains("(4 creditors; you: 0.0)"), "{:?}", ours[0]);
    let (h, clients) = csv_rows(&data.join("clients.csv"));
    let at = |n: &str| h.iter().position(|c| c == n).unwrap();
    let k = clients.iter().find(|c| c[at("client_id")] == "K0010").unwrap();
    assert_eq!(k[at("wadl_12m")], "0.00", "creditor-01 is paid on time");
    assert_eq!(k[at("elsewhere_creditors")], "4");
    assert!(k[at("elsewhere_wadl_12m")].parse::<f64>().unwrap() > 30.0, "{k:?}");
    assert!(k[at("risk_reasons")].contains("pays other suppliers"), "{k:?}");
    // The forecast leans on the clients that pay the pool's creditors alike where there are
    // enough of them (docs/forecast.md, rule 11); K0010 is alone in paying them late, so its
    // own record goes with the whole portfolio's.
    let (h, forecast) = csv_rows(&data.join("forecast.csv"));
    let at = |n: &str| h.iter().position(|c| c == n).unwrap();
    let pooled: std::collections::BTreeSet<&str> = forecast
        .iter()
        .filter(|r| r[at("basis")].contains("(clients paying alike elsewhere (pool) "))
        .map(|r| r[at("client_id")].as_str())
        .collect();
    assert!(pooled.len() >= 3 && !pooled.contains("K0010"), "{pooled:?}");
    let k10 = forecast.iter().find(|r| r[at("client_id")] == "K0010").expect("K0010 has open invoices");
    assert!(k10[at("basis")].contains("(portfolio "), "{k10:?}");
    // The riskiest clients' table shows how late each pays elsewhere (creditor-01 reports in Dutch).
    let pdf = common::pdftotext(&p.join("batch/creditor-01/2026-10/arwatch-2026-10.pdf"));
    assert!(pdf.contains("Elders te laat"), "{pdf}");
    // The September runs had no pool yet: no figures, no alert, no error.
    let (h, sept) = csv_rows(&p.join("batch/creditor-01/2026-09/data/clients.csv"));
    assert!(sept.iter().all(|c| c[h.iter().position(|x| x == "elsewhere_creditors").unwrap()].is_empty()));
}
