//! `arwatch batch` with real runs: portfolios that succeed, warn and fail side by side, the
//! summaries, skipping what has not changed, retrying what failed, and shards that merge into
//! the same summary as one run.

mod common;

use common::{csv_rows, root, run};
use std::path::Path;
use tempfile::TempDir;

/// Two copies of the mixed fixture (they warn: a rejected row) and one of a clean ledger, and
/// a portfolio whose configuration is missing.
fn portfolios(dir: &Path) {
    for name in ["atelier", "atelier-feb"] {
        let to = dir.join(name);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(root().join("tests/fixtures/mixed")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    let clean = dir.join("clean");
    std::fs::create_dir_all(&clean).unwrap();
    std::fs::write(
        clean.join("f.csv"),
        "Klant;Factuur;Datum;Bedrag\nK1;F1;05/01/2026;100,00\nK2;F2;10/01/2026;50,00\n",
    )
    .unwrap();
    std::fs::write(
        clean.join("arwatch.toml"),
        "currency = \"EUR\"\n[handover]\nenabled = false\n[[inputs]]\nfile = \"f.csv\"\n[inputs.mapping]\ndecimal = \",\"\n\
         date_formats = [\"%d/%m/%Y\"]\n[inputs.mapping.columns]\nclient_id = \"Klant\"\ndocument_id = \"Factuur\"\n\
         issue_date = \"Datum\"\namount = \"Bedrag\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("portfolios.toml"),
        "out = \"all\"\n\
         [[portfolio]]\nname = \"atelier\"\nconfig = \"atelier/arwatch.toml\"\nas_of = \"2026-03-31\"\n\
         [[portfolio]]\nname = \"clean\"\nconfig = \"clean/arwatch.toml\"\nas_of = \"2026-01-31\"\nlang = \"nl\"\n\
         [[portfolio]]\nname = \"missing\"\nconfig = \"nowhere/arwatch.toml\"\n\
         [[portfolio]]\nname = \"atelier-feb\"\nconfig = \"atelier-feb/arwatch.toml\"\nas_of = \"2026-02-28\"\n",
    )
    .unwrap();
}

fn batch(dir: &Path, args: &[&str]) -> common::Run {
    let m = dir.join("portfolios.toml");
    let mut a = vec!["batch", m.to_str().unwrap()];
    a.extend(args);
    run(&a)
}

/// The summary as (portfolio, status, exit code, clients, net AR) rows.
fn summary(p: &Path) -> Vec<[String; 5]> {
    let (h, rows) = csv_rows(p);
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    rows.iter()
        .map(|r| {
            [
                r[c("portfolio")].clone(),
                r[c("status")].clone(),
                r[c("exit_code")].clone(),
                r[c("clients")].clone(),
                r[c("net_ar")].clone(),
            ]
        })
        .collect()
}

#[test]
fn portfolios_run_side_by_side_and_failures_stay_their_own() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    portfolios(d);
    let r = batch(d, &[]);
    // The most serious outcome: a configuration that cannot be read.
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("batch: 1 ok, 2 with warnings, 1 failed, 0 skipped"), "{}", r.stdout);
    let rows = summary(&d.join("all/batch-summary.csv"));
    let status: Vec<(&str, &str)> = rows.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(status, [("atelier", "warnings"), ("clean", "ok"), ("missing", "failed"), ("atelier-feb", "warnings")]);
    assert_eq!(rows[1][3..], ["2".to_string(), "150.00".to_string()]);
    assert!(d.join("all/clean/2026-01/data/clients.csv").exists(), "each portfolio under the batch root");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("all/batch-summary.json")).unwrap()).unwrap();
    assert_eq!((json["ok"].as_u64(), json["warnings"].as_u64(), json["failed"].as_u64()), (Some(1), Some(2), Some(1)));
    assert!(json["portfolios"][2]["message"].as_str().unwrap().contains("nowhere"), "{json}");
    let (h, full) = csv_rows(&d.join("all/batch-summary.csv"));
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    assert!(full[0][col("month_folder")].ends_with("2026-03"), "{:?}", full[0]);
    assert!(full[0][col("alerts_critical")].parse::<u32>().is_ok());

    // Nothing changed: the runs that did not fail are skipped, the failed one is tried again.
    let r = batch(d, &[]);
    assert!(r.stdout.contains("batch: 0 ok, 0 with warnings, 1 failed, 3 skipped"), "{}", r.stdout);
    assert_eq!(
        summary(&d.join("all/batch-summary.csv"))[1][3..],
        ["2".to_string(), "150.00".to_string()],
        "a skipped row keeps its figures"
    );
    // A changed input runs again; --only-failed runs only what failed; --force runs all.
    std::fs::write(
        d.join("clean/f.csv"),
        "Klant;Factuur;Datum;Bedrag\nK1;F1;05/01/2026;100,00\nK2;F2;10/01/2026;60,00\n",
    )
    .unwrap();
    let r = batch(d, &[]);
    assert!(r.stdout.contains("clean: ok"), "{}", r.stdout);
    assert!(r.stdout.contains("atelier: skipped"), "{}", r.stdout);
    let r = batch(d, &["--only-failed"]);
    assert!(r.stdout.contains("batch: 0 ok, 0 with warnings, 1 failed, 3 skipped"), "{}", r.stdout);
    let r = batch(d, &["--force", "--jobs", "1"]);
    assert!(r.stdout.contains("batch: 1 ok, 2 with warnings, 1 failed, 0 skipped"), "{}", r.stdout);
}

#[test]
fn a_portfolio_that_stops_its_worker_fails_alone_and_the_next_runs_in_a_fresh_one() {
    // One slot: atelier, then clean in the same worker, which dies on it (an internal error
    // made on purpose); atelier-feb after it needs a fresh worker.
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    portfolios(d);
    let m = d.join("portfolios.toml");
    let o = common::arwatch()
        .args(["batch", m.to_str().unwrap(), "--force", "--jobs", "1"])
        .env("ARWATCH_TEST_PANIC_PORTFOLIO", "clean")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "an internal error is the most serious outcome: {stdout}");
    let (h, rows) = csv_rows(&d.join("all/batch-summary.csv"));
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[c("portfolio")].as_str(), r[c("status")].as_str(), r[c("exit_code")].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("atelier", "warnings", "3"),
            ("clean", "failed", "1"),
            ("missing", "failed", "2"),
            ("atelier-feb", "warnings", "3")
        ]
    );
    let message = &rows[1][c("message")];
    assert!(message.starts_with("internal error") && message.contains("ARWATCH_TEST_PANIC_PORTFOLIO"), "{message}");
    assert!(!d.join("all/clean/2026-01").exists(), "no month folder for the portfolio that stopped");
    assert!(d.join("all/atelier-feb/2026-02/data/clients.csv").exists());
    // Run alone, the same portfolio ends the same way.
    let alone = common::arwatch()
        .args([
            "run",
            "--config",
            d.join("clean/arwatch.toml").to_str().unwrap(),
            "--out",
            d.join("alone").to_str().unwrap(),
        ])
        .env("ARWATCH_TEST_PANIC", "1")
        .output()
        .unwrap();
    assert_eq!(alone.status.code(), Some(1));
}

/// A batch root that is not Unicode (Linux allows it): its jobs cannot be written as a worker's
/// job lines, so each portfolio runs in a process of its own, with the same outcome.
#[cfg(unix)]
#[test]
fn portfolios_whose_paths_are_not_unicode_run_in_their_own_process() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    portfolios(d);
    let root = d.join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    let o = common::arwatch().arg("batch").arg(d.join("portfolios.toml")).arg("--out").arg(&root).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let got: Vec<[String; 5]> = summary(&root.join("batch-summary.csv"));
    let status: Vec<(&str, &str)> = got.iter().map(|r| (r[0].as_str(), r[1].as_str())).collect();
    assert_eq!(status, [("atelier", "warnings"), ("clean", "ok"), ("missing", "failed"), ("atelier-feb", "warnings")]);
    assert_eq!(got[1][3..], ["2".to_string(), "150.00".to_string()]);
}

#[test]
fn a_portfolio_s_unknown_language_fails_that_portfolio_only() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    portfolios(d);
    let m = d.join("portfolios.toml");
    let text = std::fs::read_to_string(&m).unwrap().replace("lang = \"nl\"", "lang = \"de\"");
    std::fs::write(&m, text).unwrap();
    let r = batch(d, &["--force"]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    let (h, rows) = csv_rows(&d.join("all/batch-summary.csv"));
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    assert_eq!((rows[1][c("status")].as_str(), rows[1][c("exit_code")].as_str()), ("failed", "2"));
    assert!(rows[1][c("message")].contains("lang \"de\" is not one of en, nl, fr"), "{:?}", rows[1]);
    assert_eq!(rows[0][c("status")], "warnings", "the others run");
}

#[test]
fn shards_cover_every_portfolio_once_and_merge_into_one_summary() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    portfolios(d);
    let whole = batch(d, &["--out", d.join("whole").to_str().unwrap()]);
    assert_eq!(whole.code, 2, "{}", whole.stderr);
    let sharded = d.join("sharded");
    let mut seen = Vec::new();
    for i in 1..=3 {
        let r = batch(d, &["--out", sharded.to_str().unwrap(), "--shard", &format!("{i}/3")]);
        assert!(r.code == 0 || r.code == 2 || r.code == 3, "{}", r.stderr);
        seen.extend(
            summary(&sharded.join(format!("batch-summary-shard-{i}-of-3.csv"))).into_iter().map(|r| r[0].clone()),
        );
    }
    seen.sort();
    assert_eq!(seen, ["atelier", "atelier-feb", "clean", "missing"], "every portfolio in exactly one shard");
    // Before every shard has run the merge says which portfolio is missing.
    std::fs::remove_file(sharded.join("batch-summary-shard-3-of-3.json")).unwrap();
    let r = batch(d, &["--out", sharded.to_str().unwrap(), "--merge-summaries"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("did every shard run?"), "{}", r.stderr);
    // (Its portfolios are unchanged since: --force runs them again, as the first time.)
    let r = batch(d, &["--out", sharded.to_str().unwrap(), "--shard", "3/3", "--force"]);
    assert!(r.code == 0 || r.code == 2 || r.code == 3, "{}", r.stderr);
    let r = batch(d, &["--out", sharded.to_str().unwrap(), "--merge-summaries"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(summary(&sharded.join("batch-summary.csv")), summary(&d.join("whole/batch-summary.csv")));
    // A Slurm array task finds its shard in the environment.
    let m = d.join("portfolios.toml");
    let o = common::arwatch()
        .args(["batch", m.to_str().unwrap(), "--out", d.join("slurm").to_str().unwrap(), "--shard", "auto"])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_MIN", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .output()
        .unwrap();
    assert!(d.join("slurm/batch-summary-shard-1-of-3.csv").exists(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn the_multi_portfolio_sample_runs_as_a_batch() {
    let dir = TempDir::new().unwrap();
    let d = dir.path().join("portfolios");
    let r = run(&["sample", "--portfolios", "3", "--out", d.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["batch", d.join("manifest.toml").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let rows = summary(&d.join("batch/batch-summary.csv"));
    assert_eq!(rows.iter().map(|r| r[1].as_str()).collect::<Vec<_>>(), ["ok", "ok", "ok"]);
    let sizes: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    assert!(sizes[0] != sizes[1] && sizes[1] != sizes[2], "creditors of different sizes: {sizes:?}");
    // The first debtors are the same companies at every creditor.
    let numbers = |p: &str| -> Vec<String> {
        let (h, rows) = csv_rows(&d.join("batch").join(p).join("2026-10/data/clients.csv"));
        let c = h.iter().position(|x| x == "company_number").unwrap();
        rows.iter().take(10).map(|r| r[c].clone()).collect()
    };
    assert_eq!(numbers("creditor-01"), numbers("creditor-03"));
    // In their own languages: the second creditor's workbook is French.
    let wb = calamine::open_workbook_auto(d.join("batch/creditor-02/2026-10/arwatch-2026-10.xlsx")).unwrap();
    assert_eq!(calamine::Reader::sheet_names(&wb)[0], "Synthèse");
}
