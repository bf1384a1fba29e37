//! An open-items list as the only input: the sample's own open items at 31 October, read as a
//! snapshot, give the full ledger's aging, balances and days beyond terms client by client, and
//! the figures that need sales or settlements are blank with the reason, never zero.

mod common;

use common::{csv_rows, read, root, run};
use std::collections::BTreeMap;
use std::path::Path;
use tempfile::TempDir;

// arwatch's own open_items.csv lists an invoice's open instalments one row each.
const MAPPING: &str = "[inputs.mapping]\nrows = \"open_items\"\ninstalment_rows = true\n[inputs.mapping.columns]\nclient_id = \"client_id\"\n\
    document_id = \"document_id\"\nissue_date = \"issue_date\"\ndue_date = \"due_date\"\n\
    amount = \"document_open_amount\"\ncurrency = \"document_currency\"\ndisputed = \"disputed\"\n";

fn config(dir: &Path, extra_input: &str) -> std::path::PathBuf {
    let cfg = dir.join("arwatch.toml");
    std::fs::write(&cfg, format!("currency = \"EUR\"\n[[inputs]]\nfile = \"open_items.csv\"\n{extra_input}{MAPPING}"))
        .unwrap();
    cfg
}

/// Rows by client id.
fn by_client(p: &Path) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let (h, rows) = csv_rows(p);
    (h, rows.into_iter().map(|r| (r[0].clone(), r)).collect())
}

#[test]
fn a_snapshot_gives_the_full_ledgers_aging_and_no_invented_figures() {
    let dir = TempDir::new().unwrap();
    let full = dir.path().join("full");
    let r = run(&[
        "run",
        "-q",
        "--config",
        root().join("sample_data/arwatch.toml").to_str().unwrap(),
        "--out",
        full.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::copy(full.join("2026-10/data/open_items.csv"), dir.path().join("open_items.csv")).unwrap();
    let cfg = config(dir.path(), "snapshot_date = \"2026-10-31\"\n");
    let out = dir.path().join("snap");
    let r = run(&["run", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("as of 2026-10-31"), "the snapshot is the as-of date: {}", r.stdout);
    assert!(r.stdout.contains("countback DSO not available (an open-items snapshot)"), "{}", r.stdout);

    let (header, snap) = by_client(&out.join("2026-10/data/clients.csv"));
    let (_, ledger) = by_client(&full.join("2026-10/data/clients.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let same = [
        "net_ar",
        "open_invoices",
        "not_due",
        "overdue_1_30",
        "overdue_31_60",
        "overdue_61_90",
        "overdue_91_120",
        "overdue_over_120",
        "dbt",
    ];
    assert!(snap.len() > 100);
    for (id, row) in &snap {
        for c in same {
            assert_eq!(row[col(c)], ledger[id][col(c)], "{id} {c}");
        }
        for c in [
            "paid_12m",
            "late_12m",
            "wadl_12m",
            "dso_standard",
            "dso_countback",
            "bpdso",
            "add",
            "cei",
            "avg_terms_days",
        ] {
            assert_eq!(row[col(c)], "", "{id} {c} must be blank in a snapshot");
        }
        assert!(!row[col("risk_reasons")].contains("pays on time"), "{id}: {}", row[col("risk_reasons")]);
    }
    // No payment is known: the forecast is unknown (blank), never zero; the due dates stay.
    for id in snap.keys() {
        assert_eq!(snap[id][col("forecast_13w")], "", "{id}");
    }
    let (fh, forecast) = csv_rows(&out.join("2026-10/data/forecast.csv"));
    let p = fh.iter().position(|h| h == "p_collected_13w").unwrap();
    assert!(
        !forecast.is_empty() && forecast.iter().all(|r| r[p].is_empty() && r[p + 1].starts_with("No payment is known"))
    );
    let (_, weeks) = csv_rows(&out.join("2026-10/data/forecast_weeks.csv"));
    assert!(weeks.iter().all(|w| w[4].is_empty() && !w[7].is_empty()), "{weeks:?}");
    let (_, monthly) = csv_rows(&out.join("2026-10/data/monthly.csv"));
    assert!(monthly.iter().all(|m| m[1] == "2026-10" && m[2].is_empty() && m[5].is_empty()), "{:?}", &monthly[..2]);
    let summary: serde_json::Value = serde_json::from_str(&read(&out.join("2026-10/data/summary.json"))).unwrap();
    assert_eq!(summary["portfolio"]["dso_countback"]["days"], serde_json::Value::Null);
    assert_eq!(summary["portfolio"]["behaviour"]["paid"], serde_json::Value::Null);
    assert_eq!(summary["forecast"]["expected_13w"], serde_json::Value::Null);
    assert!(summary["portfolio"]["not_available"].as_str().unwrap().contains("open-items snapshot"));
    // The reports are drawn too, and say why the trends are missing.
    let mut wb = calamine::open_workbook_auto(out.join("2026-10/arwatch-2026-10.xlsx")).unwrap();
    let summary = calamine::Reader::worksheet_range(&mut wb, "Summary").unwrap();
    assert!(summary.used_cells().any(|(_, _, v)| v.to_string().starts_with("An open-items list shows one date")));
    let pdf = common::pdftotext(&out.join("2026-10/arwatch-2026-10.pdf"));
    // The tiles' note wraps to a second line ("list"), whole.
    assert!(pdf.contains("not known from an open-items") && !pdf.contains('…'), "{pdf}");
    assert!(pdf.contains("No payment is known in this ledger"), "{pdf}");

    // `arwatch map` sees an open-items list by its open-amount column; it needs the date.
    let list = dir.path().join("open_items.csv");
    let m = run(&["map", list.to_str().unwrap(), "--out", dir.path().join("m1").to_str().unwrap()]);
    assert_eq!(m.code, 3, "{}", m.stderr);
    assert!(m.stdout.contains("open_items (an open-amount column"), "{}", m.stdout);
    assert!(m.stdout.contains("not decided: snapshot_date (required)"), "{}", m.stdout);
    let mapped = dir.path().join("m2");
    let m = run(&["map", list.to_str().unwrap(), "--out", mapped.to_str().unwrap(), "--snapshot-date", "2026-10-31"]);
    assert_eq!(m.code, 0, "{}\n{}", m.stdout, m.stderr);
    let again = dir.path().join("again");
    let cfg = mapped.join("arwatch.toml");
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", again.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The same figures; `arwatch map` also found open_items.csv's client_name column (the hand
    // mapping above leaves it out), so the clients now have their names.
    let (header, first) = csv_rows(&out.join("2026-10/data/clients.csv"));
    let (_, second) = csv_rows(&again.join("2026-10/data/clients.csv"));
    let name = header.iter().position(|h| h == "client_name").unwrap();
    let without_name = |rows: &[Vec<String>]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().enumerate().filter(|(i, _)| *i != name).map(|(_, v)| v.clone()).collect())
            .collect()
    };
    assert_eq!(without_name(&second), without_name(&first));
    assert!(second.iter().all(|r| !r[name].is_empty()), "names read back from open_items.csv");
}

#[test]
fn a_snapshot_is_read_only_as_of_its_date_and_alone() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("open_items.csv"), "client_id,document_id,issue_date,due_date,document_open_amount,document_currency,disputed\nK1,F1,2026-09-01,2026-10-01,100.00,EUR,false\n").unwrap();
    let out = dir.path().join("out");
    let go = |cfg: &Path, extra: &[&str]| {
        let mut a = vec!["check", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()];
        a.extend(extra);
        run(&a)
    };
    let cases = [("", "without its snapshot_date"), ("snapshot_date = \"31/10/2026\"\n", "is not a date")];
    for (extra, says) in cases {
        let r = go(&config(dir.path(), extra), &[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(says), "{says}: {}", r.stderr);
    }
    let cfg = config(dir.path(), "snapshot_date = \"2026-10-31\"\n");
    let r = go(&cfg, &["--as-of", "2026-11-30"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("shows what was open on 2026-10-31"), "{}", r.stderr);
    let r = go(&cfg, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("as-of date would be 2026-10-31"), "{}", r.stdout);
    // Combined with a full ledger, or with settled dates in its mapping: refused.
    let mixed = dir.path().join("mixed.toml");
    let text = read(&cfg).replace(
        "currency = \"EUR\"\n",
        &format!(
            "currency = \"EUR\"\n[[inputs]]\nfile = {:?}\nmapping = {:?}\n",
            root().join("sample_data/csv/facturen.csv"),
            root().join("sample_data/mappings/facturen-csv.toml")
        ),
    );
    std::fs::write(&mixed, text).unwrap();
    let r = go(&mixed, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("cannot be combined"), "{}", r.stderr);
    let settled = dir.path().join("settled.toml");
    std::fs::write(&settled, read(&cfg).replace("disputed = \"disputed\"", "settled_date = \"due_date\"")).unwrap();
    // A mapping that cannot be used is an input error, as for every mapping.
    let r = go(&settled, &[]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("reads what is open, not how it was settled"), "{}", r.stderr);
}

#[test]
fn a_series_of_snapshots_gives_exact_balances_and_close_behaviour() {
    let dir = TempDir::new().unwrap();
    let months = ["2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"];
    let sample = root().join("sample_data/arwatch.toml");
    let mut inputs = String::new();
    for m in months {
        let full = dir.path().join(format!("full-{m}"));
        let r =
            run(&["run", "-q", "--config", sample.to_str().unwrap(), "--out", full.to_str().unwrap(), "--as-of", m]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        std::fs::copy(full.join(&m[..7]).join("data/open_items.csv"), dir.path().join(format!("oi-{m}.csv"))).unwrap();
        inputs
            .push_str(&format!("[[inputs]]\nfile = \"oi-{m}.csv\"\nmapping = \"oi.toml\"\nsnapshot_date = \"{m}\"\n"));
    }
    std::fs::write(
        dir.path().join("oi.toml"),
        MAPPING.replace("[inputs.mapping.columns]", "[columns]").replace("[inputs.mapping]\n", ""),
    )
    .unwrap();
    let cfg = dir.path().join("series.toml");
    std::fs::write(&cfg, format!("currency = \"EUR\"\n{inputs}")).unwrap();
    let out = dir.path().join("series");
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // The balance of every client at every snapshot month is exact.
    let (_, derived) = csv_rows(&out.join("2026-10/data/monthly.csv"));
    let (_, ledger) = csv_rows(&dir.path().join("full-2026-10-31/2026-10/data/monthly.csv"));
    let ledger: BTreeMap<(String, String), &Vec<String>> =
        ledger.iter().map(|r| ((r[0].clone(), r[1].clone()), r)).collect();
    assert!(derived.iter().all(|r| r[1].as_str() > "2026-04"), "months after the first snapshot only");
    for r in &derived {
        assert_eq!(r[3], ledger[&(r[0].clone(), r[1].clone())][3], "net AR of {} in {}", r[0], r[1]);
    }
    // A period that reaches back to the first snapshot is not available; later ones are.
    let portfolio: Vec<&Vec<String>> = derived.iter().filter(|r| r[0] == "*").collect();
    assert_eq!(portfolio[0][1], "2026-05");
    assert!(portfolio[0][5].is_empty() && portfolio[1][5].is_empty(), "standard DSO of May and June");
    assert!(!portfolio[2][5].is_empty(), "standard DSO of July");
    // Behaviour and DSO come close, within the bounds docs/metrics.md states.
    let s =
        |p: &Path| -> serde_json::Value { serde_json::from_str(&read(&p.join("2026-10/data/summary.json"))).unwrap() };
    let (a, b) = (s(&dir.path().join("full-2026-10-31")), s(&out));
    let num = |v: &serde_json::Value| v.as_f64().unwrap();
    let (pa, pb) = (&a["portfolio"], &b["portfolio"]);
    assert_eq!(pa["net_ar"], pb["net_ar"]);
    assert_eq!(pa["dbt"], pb["dbt"]);
    let dso = num(&pb["dso_standard"]["days"]) - num(&pa["dso_standard"]["days"]);
    assert!((0.0..=15.0).contains(&dso), "standard DSO {dso:+.1} days off");
    let wadl = num(&pb["behaviour"]["wadl"]) - num(&pa["behaviour"]["wadl"]);
    assert!((-2.0..=5.0).contains(&wadl), "WADL {wadl:+.1} days off");
}
