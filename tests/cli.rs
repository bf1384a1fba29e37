//! The binary end to end: the sample pipeline, determinism, and bad inputs that must give a
//! clear error or a rejected row, never a panic.

mod common;

use common::{Run, cents, csv_rows, pdftotext, read, root, run, sample_config};
use std::collections::BTreeSet;
use tempfile::TempDir;

#[test]
fn sample_pipeline_writes_the_data_files() {
    let out = TempDir::new().unwrap();
    let o = out.path().to_str().unwrap();
    let r = run(&["run", "--config", root().join("sample_data/arwatch.toml").to_str().unwrap(), "--out", o]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("reconciles"), "{}", r.stdout);
    let data = out.path().join("2026-10/data");
    let clients = read(&data.join("clients.csv"));
    let header = clients.lines().next().unwrap();
    assert!(header.starts_with("client_id,client_name,company_number,currency,net_ar,open_invoices,not_due,overdue_1_30,overdue_31_60,overdue_61_90,overdue_91_120,overdue_over_120,unapplied_credit,dbt,paid_12m,late_12m,late_ratio_12m,late_amount_ratio_12m,wadl_12m,adp_12m,wadl_slope_6m,late_ratio_trend,dso_standard,dso_countback,dso_countback_capped,bpdso,add,cei,credit_limit,utilisation,bureau_status,risk_score,risk_tier,risk_reasons"), "{header}");
    assert_eq!(clients.lines().count(), 151);
    // Accents survive the Windows-1252 input and come out as UTF-8.
    assert!(clients.contains('é') || clients.contains('ë') || clients.contains('ç'));
    let monthly = read(&data.join("monthly.csv"));
    assert_eq!(
        monthly.lines().next().unwrap(),
        "client_id,month,sales,net_ar,current_ar,dso_standard,dso_countback,cei,paid,late,wadl,adp"
    );
    assert_eq!(monthly.lines().count(), 1 + 151 * 24);
    assert!(monthly.lines().nth(1).unwrap().starts_with("*,2024-11,"));
    let open = read(&data.join("open_items.csv"));
    assert!(open.starts_with("client_id,document_id,issue_date,due_date,amount,open_amount,days_past_due,bucket"));
    let summary: serde_json::Value = serde_json::from_str(&read(&data.join("summary.json"))).unwrap();
    assert_eq!(summary["as_of"], "2026-10-31");
    assert_eq!(summary["inputs"][0]["reconciles"], true);
    assert_eq!(summary["portfolio"]["dso_countback"]["method"], "countback");
    // The portfolio's net AR is the sum of the clients' (names with commas are quoted: parse).
    let parsed: i64 = csv::Reader::from_reader(clients.as_bytes()).records().map(|r| cents(&r.unwrap()[4])).sum();
    assert_eq!(cents(summary["portfolio"]["net_ar"].as_str().unwrap()), parsed);
}

/// `arwatch sample --histories`: the files, a configuration that runs them, and the truth
/// beside them; the run's early-warning record finds failures among those the truth says fail.
#[test]
fn sample_histories_run_and_their_failures_are_in_the_truth() {
    let dir = TempDir::new().unwrap();
    let d = dir.path().to_str().unwrap();
    let r = run(&["sample", "--histories", "120", "--seed", "9", "--out", d]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("120 clients' histories written"), "{}", r.stdout);
    let cfg = dir.path().join("arwatch.toml");
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", dir.path().join("out").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let (header, truth) = csv_rows(&dir.path().join("failures.csv"));
    assert_eq!(header[..3], ["client_id", "kind", "fails_in"]);
    let failing: BTreeSet<&str> = truth.iter().filter(|t| !t[2].is_empty()).map(|t| t[0].as_str()).collect();
    let summary: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("out/2026-10/data/summary.json"))).unwrap();
    let failed = summary["early_warning"]["failed"].as_array().unwrap();
    assert!(!failed.is_empty());
    // Every failure the bureau reports is one the truth has.
    for f in failed.iter().filter(|f| f["cause"] != "stopped_paying") {
        assert!(failing.contains(f["client_id"].as_str().unwrap()), "{f}");
    }
}

#[test]
fn runs_are_byte_identical_and_csv_equals_xlsx() {
    let (a, b, x) = (TempDir::new().unwrap(), TempDir::new().unwrap(), TempDir::new().unwrap());
    let cfg = root().join("sample_data/arwatch.toml");
    for d in [&a, &b] {
        assert_eq!(run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", d.path().to_str().unwrap()]).code, 0);
    }
    let xcfg = root().join("sample_data/arwatch-xlsx.toml");
    let r = run(&["run", "-q", "--config", xcfg.to_str().unwrap(), "--out", x.path().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in ["clients.csv", "monthly.csv", "open_items.csv", "summary.json", "rejected.csv"] {
        let p = |d: &TempDir| d.path().join("2026-10/data").join(f);
        assert_eq!(std::fs::read(p(&a)).unwrap(), std::fs::read(p(&b)).unwrap(), "{f} differs between runs");
    }
    for f in ["clients.csv", "monthly.csv", "open_items.csv"] {
        let p = |d: &TempDir| d.path().join("2026-10/data").join(f);
        assert_eq!(read(&p(&a)), read(&p(&x)), "{f}: CSV and XLSX sample differ");
    }
}

#[test]
fn check_writes_nothing() {
    let out = TempDir::new().unwrap();
    let target = out.path().join("reports");
    let r = run(&[
        "check",
        "--config",
        root().join("sample_data/arwatch.toml").to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("11690 rows read = 11690 accepted + 0 rejected"), "{}", r.stdout);
    assert!(!target.exists());
}

#[test]
fn check_and_run_agree_on_the_exit_code_and_say_why_it_is_3() {
    let out = TempDir::new().unwrap();
    let o = out.path().to_str().unwrap();
    let cfg = root().join("tests/fixtures/mixed/arwatch.toml");
    let cfg = cfg.to_str().unwrap();
    let check = run(&["check", "--config", cfg, "--out", o, "--as-of", "2026-03-31"]);
    let full = run(&["run", "--config", cfg, "--out", o, "--as-of", "2026-03-31"]);
    assert_eq!((check.code, full.code), (3, 3), "{}\n{}", check.stderr, full.stderr);
    let why = "exit code 3, done with data warnings: 1 row rejected (";
    assert!(check.stdout.contains(why) && check.stdout.contains("Factuurdatum: 1"), "{}", check.stdout);
    assert!(check.stdout.contains("`arwatch run` writes them to data/rejected.csv"), "{}", check.stdout);
    assert!(full.stdout.contains(why) && full.stdout.contains("possible_duplicate_payment: 1"), "{}", full.stdout);
    assert!(full.stdout.contains("2026-03/data/rejected.csv and warnings.csv"), "{}", full.stdout);
    // An input that stops a run stops the check as well, with the same code.
    let dir = TempDir::new().unwrap();
    let bad = sample_config(dir.path(), |t| t.replace("herinneringen.csv", "none.csv"), "");
    let bad = bad.to_str().unwrap();
    let (c, r) = (run(&["check", "--config", bad, "--out", o]), run(&["run", "--config", bad, "--out", o]));
    assert_eq!((c.code, r.code), (4, 4), "{}\n{}", c.stderr, r.stderr);
    assert!(c.stderr.contains("none.csv"), "{}", c.stderr);
}

#[test]
fn back_dated_run_shows_what_was_open_then() {
    let out = TempDir::new().unwrap();
    let o = out.path().to_str().unwrap();
    let cfg = root().join("sample_data/arwatch.toml");
    assert_eq!(run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", o, "--as-of", "2026-09-30"]).code, 0);
    assert_eq!(run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", o]).code, 0);
    let sep = read(&out.path().join("2026-09/data/monthly.csv"));
    let oct = read(&out.path().join("2026-10/data/monthly.csv"));
    // The September portfolio row is the same whether computed in September or in October.
    let row = |t: &str| {
        t.lines().find(|l| l.starts_with("*,2026-09,")).unwrap().split(',').take(5).collect::<Vec<_>>().join(",")
    };
    assert_eq!(row(&sep), row(&oct));
}

/// A throw-away input: one invoice file with the given text, its mapping and a config.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new(data_name: &str, data: &[u8], mapping: &str) -> Fixture {
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join(data_name), data).unwrap();
        std::fs::write(dir.path().join("map.toml"), mapping).unwrap();
        std::fs::write(
            dir.path().join("arwatch.toml"),
            format!("currency = \"EUR\"\nout = \"out\"\nas_of = \"2025-03-31\"\n[[inputs]]\nfile = \"{data_name}\"\nmapping = \"map.toml\"\n"),
        )
        .unwrap();
        Fixture { dir }
    }
    fn run(&self, cmd: &str) -> Run {
        run(&[cmd, "--config", self.dir.path().join("arwatch.toml").to_str().unwrap()])
    }
    fn rejected(&self) -> String {
        read(&self.dir.path().join("out/2025-03/data/rejected.csv"))
    }
}

const MAP: &str = "delimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\n";
const HEAD: &str = "Klant;Nr;Datum;Verval;Bedrag\n";

fn good_rows(n: usize) -> String {
    (0..n).map(|i| format!("K{};F{i};01/02/2025;03/03/2025;1.234,56\n", i % 7)).collect()
}

#[test]
fn wrong_delimiter_is_a_clear_error() {
    let data = format!("{}{}", HEAD.replace(';', ","), good_rows(3).replace(';', ","));
    let f = Fixture::new("f.csv", data.as_bytes(), MAP);
    let r = f.run("run");
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("f.csv") && r.stderr.contains("delimiter"), "{}", r.stderr);
}

#[test]
fn missing_column_names_the_field_and_the_header() {
    let data = format!("Klant;Nr;Datum;Verval\n{}", "K1;F1;01/02/2025;03/03/2025\n");
    let f = Fixture::new("f.csv", data.as_bytes(), MAP);
    let r = f.run("check");
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("'Bedrag'") && r.stderr.contains("Klant, Nr, Datum, Verval") && r.stderr.contains("line 1"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_date_and_bad_amount_become_rejected_rows() {
    let data = format!(
        "{HEAD}{}K1;BAD1;31/13/2025;03/03/2025;10,00\nK1;BAD2;01/02/2025;03/03/2025;12,34,5\nK1;BAD3;01/02/2025;03/03/2025;1,234.56\n",
        good_rows(300)
    );
    let f = Fixture::new("f.csv", data.as_bytes(), MAP);
    let r = f.run("run");
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("303 rows read = 300 accepted + 3 rejected"), "{}", r.stdout);
    let rej = f.rejected();
    assert!(rej.contains("line 302,Datum,31/13/2025,not a real date (there is no month 13)"), "{rej}");
    assert!(
        rej.contains(
            "line 303,Bedrag,\"12,34,5\",\"the decimal mark ',' appears twice; expected an amount like 1.234,56"
        ),
        "{rej}"
    );
    // An amount in the other decimal mark says which setting reads it.
    assert!(rej.contains("\"1,234.56\"\" reads with the decimal mark '.': if the file writes amounts so, set decimal = \"\".\"\" in the mapping"), "{rej}");
    // Control totals: the rejected row whose amount could be read is in the rejected total.
    let summary: serde_json::Value =
        serde_json::from_str(&read(&f.dir.path().join("out/2025-03/data/summary.json"))).unwrap();
    assert_eq!(summary["inputs"][0]["control_totals"]["EUR"]["rejected"], "10.00");
    assert_eq!(summary["inputs"][0]["rejected_without_amount"], 2);
    assert_eq!(summary["inputs"][0]["reconciles"], true);
    // The console says so too, beside the totals.
    assert!(r.stdout.contains("(2 rejected rows without a readable amount are outside these totals)"), "{}", r.stdout);
}

#[test]
fn too_many_rejected_rows_stop_the_run_and_still_write_them() {
    let data = format!("{HEAD}{}K1;X;01/02/2025;03/03/2025;abc\nK1;Y;01/02/2025;03/03/2025;abc\n", good_rows(10));
    let f = Fixture::new("f.csv", data.as_bytes(), MAP);
    let r = f.run("run");
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("2 of 12 rows rejected") && r.stderr.contains("max_rejected_share"), "{}", r.stderr);
    // Written beside the month folders, never into one: a failed run changes no month.
    let rej = read(&f.dir.path().join("out/failed-runs/2025-03/rejected.csv"));
    assert!(rej.contains("line 12,Bedrag,abc"), "{rej}");
    assert!(r.stderr.contains("failed-runs"), "{}", r.stderr);
    // Only the file it wrote is named: no month folder's data/rejected.csv exists.
    assert!(!r.stderr.contains("data/rejected.csv"), "{}", r.stderr);
    assert!(!f.dir.path().join("out/2025-03").exists());
    // `check` writes nothing: it says how to see every row, and -v shows them.
    let r = f.run("check");
    assert!(r.stderr.contains("with -v") && !r.stderr.contains("rejected.csv"), "{}", r.stderr);
    let v = run(&["check", "-v", "--config", f.dir.path().join("arwatch.toml").to_str().unwrap()]);
    assert!(format!("{}{}", v.stdout, v.stderr).contains("line 12"), "{}{}", v.stdout, v.stderr);
}

#[test]
fn empty_file_is_a_clear_error() {
    let f = Fixture::new("f.csv", b"", MAP);
    let r = f.run("check");
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("f.csv") && r.stderr.contains("empty"), "{}", r.stderr);
}

#[test]
fn truncated_xlsx_is_a_clear_error() {
    let bytes = std::fs::read(root().join("sample_data/xlsx/arwatch-sample.xlsx")).unwrap();
    let f = Fixture::new(
        "f.xlsx",
        &bytes[..bytes.len() / 3],
        "[columns]\nclient_id = \"Klantnr\"\ndocument_id = \"Factuurnr\"\nissue_date = \"Factuurdatum\"\namount = \"Bedrag\"\n",
    );
    let r = f.run("check");
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("cannot read the workbook") && r.stderr.contains("complete"), "{}", r.stderr);
}

#[test]
fn ambiguous_dates_are_never_guessed() {
    let map = MAP.replace("date_formats = [\"%d/%m/%Y\"]\n", "");
    let data = format!("{HEAD}K1;F1;03/01/2025;04/02/2025;1,00\nK1;F2;05/01/2025;06/02/2025;1,00\n");
    let f = Fixture::new("f.csv", data.as_bytes(), &map);
    let r = f.run("check");
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("ambiguous") && r.stderr.contains("03/01/2025") && r.stderr.contains("date_formats"),
        "{}",
        r.stderr
    );
}

#[test]
fn windows_1252_is_detected_and_blank_and_total_rows_are_reported() {
    let mut data = encoding_rs::WINDOWS_1252.encode("Klant;Naam;Nr;Datum;Verval;Bedrag\r\nK1;Brasserie Zoë & Françoise;F1;01/02/2025;03/03/2025;10,00\r\n\r\nK1;Café;F2;01/02/2025;03/03/2025;5,00\r\n;Totaal;;;;15,00\r\n").0.into_owned();
    data.extend_from_slice(b"");
    let map = MAP.replace("client_id = \"Klant\"\n", "client_id = \"Klant\"\nclient_name = \"Naam\"\n");
    let f = Fixture::new("f.csv", &data, &map);
    let r = f.run("run");
    // Blank and total rows are reported but are no data error: exit 0.
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("4 rows read = 2 accepted + 2 rejected (of which 2 blank, total or ignored)"),
        "{}",
        r.stdout
    );
    let rej = f.rejected();
    assert!(rej.contains("line 3,,,blank line"), "{rej}");
    assert!(rej.contains("line 5,Klant,,\"a total row, not a document"), "{rej}");
    // Rejected rows are listed in file order.
    assert!(rej.find("line 3,").unwrap() < rej.find("line 5,").unwrap());
    let clients = read(&f.dir.path().join("out/2025-03/data/clients.csv"));
    assert!(clients.contains("Brasserie Zoë & Françoise"), "{clients}");
}

#[test]
fn missing_input_file_and_bad_config() {
    let f = Fixture::new("f.csv", b"x", MAP);
    std::fs::remove_file(f.dir.path().join("f.csv")).unwrap();
    let r = f.run("check");
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("cannot open the file"), "{}", r.stderr);
    std::fs::write(
        f.dir.path().join("arwatch.toml"),
        "currency = \"EURO\"\n[[inputs]]\nfile = \"f.csv\"\nmapping = \"map.toml\"\n",
    )
    .unwrap();
    let r = f.run("check");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("currency") && r.stderr.contains("fix:"), "{}", r.stderr);
    let r = run(&["check", "--config", "/nonexistent/arwatch.toml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn a_typed_date_that_does_not_exist_says_which_month_is_shorter() {
    let cfg = root().join("sample_data/arwatch.toml");
    let r = run(&["check", "--config", cfg.to_str().unwrap(), "--as-of", "2013-11-31"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("November has 30 days") && !r.stderr.contains("write it as"), "{}", r.stderr);
    let r = run(&["check", "--config", cfg.to_str().unwrap(), "--as-of", "31-10-2026"]);
    assert!(r.stderr.contains("write it as YYYY-MM-DD"), "{}", r.stderr);
    // The same in the configuration.
    let f = Fixture::new("f.csv", format!("{HEAD}{}", good_rows(3)).as_bytes(), MAP);
    let toml = std::fs::read_to_string(f.dir.path().join("arwatch.toml")).unwrap();
    std::fs::write(f.dir.path().join("arwatch.toml"), toml.replace("2025-03-31", "2025-02-29")).unwrap();
    let r = f.run("check");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("February has 28 days in 2025") && r.stderr.contains("fix:"), "{}", r.stderr);
}

#[test]
fn a_re_run_of_the_month_does_not_say_that_no_run_was_saved() {
    let f = Fixture::new("f.csv", format!("{HEAD}{}", good_rows(3)).as_bytes(), MAP);
    for _ in 0..2 {
        let r = f.run("run");
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        // The second run finds this month's own run saved: not an earlier one, but a run.
        assert!(!r.stdout.contains("no earlier run"), "{}", r.stdout);
        assert!(r.stdout.contains("no month-end run before 2025-03-31 is saved"), "{}", r.stdout);
    }
}

#[test]
fn without_a_company_the_headings_have_no_dangling_separators() {
    use calamine::{Reader, open_workbook_auto};
    let f = Fixture::new("f.csv", format!("{HEAD}{}", good_rows(3)).as_bytes(), MAP);
    let r = f.run("run");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let month = f.dir.path().join("out/2025-03");
    let text = pdftotext(&month.join("arwatch-2025-03.pdf"));
    for line in text.lines().map(str::trim) {
        assert!(!line.starts_with('—') && !line.starts_with('·'), "{line:?}");
    }
    assert!(text.contains("Accounts receivable report — As of 31/03/2025"), "{text}");
    let mut book = open_workbook_auto(month.join("arwatch-2025-03.xlsx")).unwrap();
    let first = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&first).unwrap();
    assert_eq!(sheet.get_value((1, 0)).map(|c| c.to_string()), Some("As of 31/03/2025".to_string()));
}

#[test]
fn completions_and_the_man_page_come_from_the_same_definitions() {
    let bash = run(&["completions", "bash"]);
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    assert!(bash.stdout.contains("--as-of") && bash.stdout.contains("completions"), "{}", bash.stdout);
    // The script is valid bash.
    let dir = TempDir::new().unwrap();
    let script = dir.path().join("arwatch.bash");
    std::fs::write(&script, &bash.stdout).unwrap();
    let syntax = std::process::Command::new("bash").arg("-n").arg(&script).output().unwrap();
    assert!(syntax.status.success(), "{}", String::from_utf8_lossy(&syntax.stderr));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let r = run(&["completions", shell]);
        assert!(r.code == 0 && r.stdout.contains("arwatch"), "{shell}: {}", r.stderr);
    }
    let man = run(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(man.stdout.contains(".TH arwatch 1"), "{}", &man.stdout[..200]);
    assert!(man.stdout.contains("6 done, but the alerts"), "the exit codes are in the man page");
    assert_eq!(run(&["completions", "tcsh"]).code, 2);
}

#[test]
fn help_has_examples() {
    let r = run(&["run", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Example") && r.stdout.contains("--as-of"));
}

#[test]
fn two_monthly_runs_raise_the_story_alerts() {
    let out = TempDir::new().unwrap();
    let o = out.path().to_str().unwrap();
    let cfg = root().join("sample_data/arwatch.toml");
    let first = run(&["run", "--config", cfg.to_str().unwrap(), "--out", o, "--as-of", "2026-09-30"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.contains("nothing to compare with yet"), "{}", first.stdout);
    let sep: serde_json::Value = serde_json::from_str(&read(&out.path().join("2026-09/data/summary.json"))).unwrap();
    assert_eq!(sep["monitoring"]["compared_with"], serde_json::Value::Null);
    assert!(out.path().join("history/2026-09-30.csv").exists());

    let second = run(&["run", "--config", cfg.to_str().unwrap(), "--out", o]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(second.stdout.contains("compared with the run of 2026-09-30"), "{}", second.stdout);
    let text = read(&out.path().join("2026-10/data/alerts.csv"));
    assert!(text.starts_with("client_id,kind,direction,severity,previous,current,message"));
    let alerts: Vec<csv::StringRecord> =
        csv::Reader::from_reader(text.as_bytes()).records().map(Result::unwrap).collect();
    let has = |client: &str, kind: &str, direction: &str, current: &str| {
        alerts.iter().any(|a| {
            (client.is_empty() || &a[0] == client)
                && &a[1] == kind
                && &a[2] == direction
                && (current.is_empty() || &a[5] == current)
        })
    };
    // The story of the sample set (src/sample/mod.rs): K0008 goes bankrupt, K0019 enters WCO,
    // K0030 has its limit cut and is downgraded, K0042 improves, K0053 pays later and later.
    assert!(has("K0008", "bureau_status", "risk", "bankrupt"));
    assert!(has("K0019", "bureau_status", "risk", "judicial reorganisation"));
    assert!(has("K0030", "credit_limit", "risk", ""));
    assert!(has("K0030", "rating", "risk", "BBB"));
    assert!(has("K0042", "rating", "opportunity", "A"));
    assert!(has("K0042", "credit_limit", "opportunity", ""));
    assert!(has("K0053", "paying_later", "risk", ""));
    // Issue 12's signals: the clients in trouble grow likelier to stop, and some grow.
    assert!(has("K0019", "discontinuation_score", "risk", "85"));
    assert!(has("K0030", "discontinuation_score", "risk", ""));
    assert!(has("K0008", "credit_flag", "risk", "red"));
    assert!(has("K0042", "growth_score", "opportunity", ""));
    assert!(has("K0013", "growth_score", "opportunity", ""));
    // The watchlist: a supplier enters judicial reorganisation, a prospect improves; their
    // alerts come after the clients', with their role.
    let supplier = alerts.iter().find(|a| &a[0] == "BE0455123406" && &a[1] == "bureau_status").expect("supplier alert");
    assert_eq!((&supplier[2], &supplier[5], &supplier[8]), ("risk", "judicial reorganisation", "supplier"));
    assert!(
        alerts.iter().any(|a| &a[0] == "BE0777345627"
            && &a[1] == "growth_score"
            && &a[2] == "opportunity"
            && &a[8] == "prospect")
    );
    let first_watched = alerts.iter().position(|a| &a[8] != "client").unwrap();
    assert!(alerts[first_watched..].iter().all(|a| &a[8] != "client"), "clients first, then the watchlist");
    assert!(!alerts.iter().any(|a| &a[8] != "client" && ["wadl", "dso", "overdue_91", "risk_tier"].contains(&&a[1])));
    assert!(second.stdout.contains("3 watched companies matched"), "{}", second.stdout);
    // Opportunities for sales: the improvers and the prospect with their reasons, healthy
    // clients with room under their limit, the largest room first.
    let (header, rows) = csv_rows(&out.path().join("2026-10/data/opportunities.csv"));
    assert_eq!(header, ["client_id", "client_name", "role", "credit_limit", "exposure", "credit_room", "reasons"]);
    let find = |id: &str| rows.iter().find(|r| r[0] == id).unwrap_or_else(|| panic!("{id} is no opportunity"));
    assert!(find("K0042")[6].contains("growth score improved"), "{:?}", find("K0042"));
    assert!(find("K0042")[6].contains("rating upgraded"), "{:?}", find("K0042"));
    assert_eq!(find("BE0777345627")[2], "prospect");
    assert!(
        !rows.iter().any(|r| ["K0008", "K0019", "BE0455123406"].contains(&r[0].as_str())),
        "troubled companies are no sales call"
    );
    // The news first (the prospect and the improvers lead), then room only, largest first.
    assert!(rows[..5].iter().any(|r| r[0] == "BE0777345627" || r[0] == "K0042"), "{:?}", &rows[..5]);
    // The collection ladder: the client in judicial reorganisation is a claim to file, the
    // others take their next step; the most urgent first.
    let (header, actions) = csv_rows(&out.path().join("2026-10/data/actions.csv"));
    assert_eq!(&header[..3], ["client_id", "client_name", "document_id"]);
    assert!(actions.iter().filter(|r| r[0] == "K0019").all(|r| r[7] == "file_claim" && !r[11].is_empty()));
    assert!(actions.iter().any(|r| r[7] == "step" && r[8] == "formal notice"), "a formal notice is due");
    assert_eq!(actions[0][7], "file_claim");
    let room_only: Vec<i64> = rows.iter().filter(|r| r[6].starts_with("room of")).map(|r| cents(&r[5])).collect();
    assert!(room_only.len() > 10 && room_only.windows(2).all(|w| w[0] >= w[1]), "{room_only:?}");
    let bureau_kinds = [
        "bureau_status",
        "credit_limit",
        "score",
        "payment_score",
        "growth_score",
        "discontinuation_score",
        "credit_flag",
        "rating",
        "address",
        "board",
        "name",
    ];
    assert!(!alerts.iter().any(|a| &a[0] == "K0053" && bureau_kinds.contains(&&a[1])), "K0053 has a bureau signal");
    // Critical alerts come first, and bankrupt clients are critical in clients.csv.
    assert_eq!(&alerts[0][3], "critical");
    let clients = read(&out.path().join("2026-10/data/clients.csv"));
    let k8 = clients.lines().find(|l| l.starts_with("K0008,")).unwrap();
    assert!(k8.contains(",bankrupt,100.0,critical,bureau status: bankrupt"), "{k8}");
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("2026-10/data/summary.json"))).unwrap();
    assert_eq!(summary["monitoring"]["compared_with"], "2026-09-30");
    assert_eq!(summary["bureau"]["unmatched_clients"], serde_json::json!(["K0101", "K0121"]));
    assert_eq!(summary["bureau"]["unmatched_companies"], serde_json::json!(["BE 0417.497.106"]));

    // --compare-with names another saved run; a missing one is a clear error.
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", o, "--compare-with", "2026-08-31"]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("2026-08-31.csv"), "{}", r.stderr);
}

#[test]
fn the_handover_can_follow_the_ladder() {
    // The sample's configuration with `follow_ladder = true`, its paths made absolute.
    let dir = TempDir::new().unwrap();
    let cfg = sample_config(dir.path(), |t| t.replace("[handover]\n", "[handover]\nfollow_ladder = true\n"), "");
    assert!(read(&cfg).contains("follow_ladder"));
    let out = dir.path().join("out");
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let data = out.join("2026-10/data");
    let (_, actions) = csv_rows(&data.join("actions.csv"));
    let (_, handover) = csv_rows(&data.join("handover.csv"));
    let (_, open) = csv_rows(&data.join("open_items.csv"));
    let disputed: BTreeSet<(&str, &str)> =
        open.iter().filter(|r| r[8] == "true").map(|r| (r[0].as_str(), r[1].as_str())).collect();
    let due: BTreeSet<(&str, &str)> = actions
        .iter()
        .filter(|r| r[7] == "handover")
        .map(|r| (r[0].as_str(), r[2].as_str()))
        .filter(|k| !disputed.contains(k))
        .collect();
    let handed: BTreeSet<(&str, &str)> = handover.iter().map(|r| (r[0].as_str(), r[3].as_str())).collect();
    assert!(!due.is_empty());
    assert_eq!(handed, due, "the pack holds what the ladder sends to handover");
    // The insolvent clients file a claim instead; the default selection hands them over.
    assert!(!handed.iter().any(|(c, _)| ["K0008", "K0019"].contains(c)));
    let default = TempDir::new().unwrap();
    let cfg = root().join("sample_data/arwatch.toml");
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", default.path().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, by_days) = csv_rows(&default.path().join("2026-10/data/handover.csv"));
    assert!(by_days.iter().any(|r| r[0] == "K0008"));
}

#[test]
fn bad_bureau_rows_are_rejected_and_invalid_numbers_warned() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    std::fs::write(d.join("inv.csv"), format!("{HEAD}K1;F1;01/02/2025;03/03/2025;100,00\n")).unwrap();
    std::fs::write(d.join("map.toml"), MAP).unwrap();
    std::fs::write(
        d.join("bureau.csv"),
        "Nr;Datum;Limiet;Status;Rating\n0403019261;28/02/2025;1.000,00;Actief;A\n0403019261;31/03/2025;500,00;Sleeping;A\n0403019261;31/03/2025;500,00;Actief;ZZ\n0431150351;31/03/2025;500,00;Actief;A\n",
    )
    .unwrap();
    std::fs::write(
        d.join("bmap.toml"),
        "rows = \"bureau\"\ndelimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\ncompany_number = \"Nr\"\nsnapshot_date = \"Datum\"\ncredit_limit = \"Limiet\"\nstatus = \"Status\"\nrating = \"Rating\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("arwatch.toml"),
        "out = \"out\"\nas_of = \"2025-03-31\"\nmax_rejected_share = 1.0\n[[inputs]]\nfile = \"inv.csv\"\nmapping = \"map.toml\"\n[[bureau_inputs]]\nfile = \"bureau.csv\"\nmapping = \"bmap.toml\"\n",
    )
    .unwrap();
    let r = run(&["run", "--config", d.join("arwatch.toml").to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    let rej = read(&d.join("out/2025-03/data/rejected.csv"));
    assert!(rej.contains("line 3,Status,Sleeping,\"unknown status"), "{rej}");
    assert!(rej.contains("line 4,Rating,ZZ,\"unknown rating; the configured ladder is AAA"), "{rej}");
    let warn = read(&d.join("out/2025-03/data/warnings.csv"));
    assert!(warn.contains("0431150351") && warn.contains("check digits"), "{warn}");
    let summary: serde_json::Value = serde_json::from_str(&read(&d.join("out/2025-03/data/summary.json"))).unwrap();
    assert_eq!(summary["bureau"]["unmatched_clients"], serde_json::json!(["K1"]));
}

/// Issue 12: every bureau score on its configured scale, the credit flag through its
/// vocabulary. A payment score of 55 on a 0–10 scale is another bureau's scale, never clamped.
#[test]
fn bureau_scores_outside_their_scale_are_rejected_naming_the_scale() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    std::fs::write(d.join("inv.csv"), format!("{HEAD}K1;F1;01/02/2025;03/03/2025;100,00\n")).unwrap();
    std::fs::write(d.join("map.toml"), MAP).unwrap();
    std::fs::write(
        d.join("bureau.csv"),
        "Nr;Datum;Betalingsscore;Groei;Opheffing;Vlag\n\
         0403019261;28/02/2025;7;50;10;Groen\n\
         0403019261;31/03/2025;55;50;10;Groen\n\
         0403019261;31/03/2025;7;50;120;Groen\n\
         0403019261;31/03/2025;7;50;10;Paars\n\
         0403019261;31/03/2025;7;64;30;Rouge\n",
    )
    .unwrap();
    std::fs::write(
        d.join("bmap.toml"),
        "rows = \"bureau\"\ndelimiter = \";\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\ncompany_number = \"Nr\"\nsnapshot_date = \"Datum\"\npayment_score = \"Betalingsscore\"\ngrowth_score = \"Groei\"\ndiscontinuation_score = \"Opheffing\"\ncredit_flag = \"Vlag\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("arwatch.toml"),
        "out = \"out\"\nas_of = \"2025-03-31\"\nmax_rejected_share = 1.0\n[[inputs]]\nfile = \"inv.csv\"\nmapping = \"map.toml\"\n[[bureau_inputs]]\nfile = \"bureau.csv\"\nmapping = \"bmap.toml\"\n",
    )
    .unwrap();
    let r = run(&["run", "--config", d.join("arwatch.toml").to_str().unwrap()]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    let rej = read(&d.join("out/2025-03/data/rejected.csv"));
    assert!(
        rej.contains("line 3,Betalingsscore,55,bureau payment score 55 is outside the configured scale 0–10 ([bureau] payment_score_scale)"),
        "{rej}"
    );
    assert!(
        rej.contains("line 4,Opheffing,120,discontinuation score 120 is outside the configured scale 0–100"),
        "{rej}"
    );
    assert!(rej.contains("line 5,Vlag,Paars,\"unknown credit flag"), "{rej}");
    assert_eq!(rej.lines().count(), 4, "{rej}");
    // The last row is kept: a red flag (in French) and a higher discontinuation score.
    let summary: serde_json::Value = serde_json::from_str(&read(&d.join("out/2025-03/data/summary.json"))).unwrap();
    assert_eq!(summary["bureau"]["snapshots"], 2);
}

#[test]
fn several_currencies_with_an_fx_table() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("inv.csv"),
        "Klant;Nr;Datum;Verval;Bedrag;Munt\nK1;F1;01/02/2025;03/03/2025;100,00;EUR\nK2;F2;01/02/2025;03/03/2025;100,00;USD\nK2;F3;01/03/2025;31/03/2025;50,00;USD\n",
    )
    .unwrap();
    std::fs::write(d.join("map.toml"), format!("{MAP}currency = \"Munt\"\n")).unwrap();
    std::fs::write(d.join("pay.csv"), "Klant;Datum;Bedrag;Munt;Ref\nK2;10/03/2025;90,00;EUR;F2\n").unwrap();
    std::fs::write(
        d.join("pmap.toml"),
        "rows = \"payments\"\ndelimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\npayment_date = \"Datum\"\namount = \"Bedrag\"\ncurrency = \"Munt\"\nreference = \"Ref\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("fx.csv"),
        "date,currency,rate\n2025-01-01,USD,0.80\n2025-03-01,USD,0.90\n2025-03-31,USD,0.95\n",
    )
    .unwrap();
    let config = "currency = \"EUR\"\nout = \"out\"\nas_of = \"2025-03-31\"\nfx_rates = \"fx.csv\"\n[[inputs]]\nfile = \"inv.csv\"\nmapping = \"map.toml\"\n[[inputs]]\nfile = \"pay.csv\"\nmapping = \"pmap.toml\"\n";
    std::fs::write(d.join("arwatch.toml"), config).unwrap();
    let r = run(&["run", "-q", "--config", d.join("arwatch.toml").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // K2: 90 EUR on 10 March is 100 USD at 0.90: F2 is paid; F3 (50 USD) is open, worth
    // 47.50 EUR at the as-of date's rate of 0.95.
    let clients = read(&d.join("out/2025-03/data/clients.csv"));
    let k2 = clients.lines().find(|l| l.starts_with("K2,")).unwrap();
    assert!(k2.starts_with("K2,,,EUR,47.50,1,"), "{k2}");
    let open = read(&d.join("out/2025-03/data/open_items.csv"));
    assert!(open.contains("K2,F3,2025-03-01,2025-03-31,45.00,47.50,0,not_due,false,USD,50.00"), "{open}");
    // Without a rate for the date, the run stops naming the currency and the date.
    std::fs::write(d.join("fx.csv"), "date,currency,rate\n2025-03-15,USD,0.90\n").unwrap();
    let r = run(&["run", "-q", "--config", d.join("arwatch.toml").to_str().unwrap()]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(r.stderr.contains("USD") && r.stderr.contains("2025-0"), "{}", r.stderr);
    // Without a table at all, the first foreign amount is named.
    std::fs::write(d.join("arwatch.toml"), config.replace("fx_rates = \"fx.csv\"\n", "")).unwrap();
    let r = run(&["run", "-q", "--config", d.join("arwatch.toml").to_str().unwrap()]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("an amount in USD") && r.stderr.contains("fx_rates"), "{}", r.stderr);
}

#[test]
fn one_ledger_export_with_document_types() {
    // An SAP-style open-items export: RV invoices, G2 credit notes, DZ payments written
    // negative (credit side), and AB clearing lines the mapping ignores.
    let data = "Klant;Doc;Soort;Datum;Verval;Bedrag;Ref\n\
        K1;1800001;RV;01/02/2025;03/03/2025;1.000,00;\n\
        K1;1800002;RV;05/02/2025;07/03/2025;500,00;\n\
        K1;1700001;G2;10/02/2025;10/02/2025;-100,00;1800001\n\
        K1;1400001;DZ;20/02/2025;20/02/2025;-900,00;1800001\n\
        K1;1500001;AB;21/02/2025;21/02/2025;0,00;\n\
        K1;1800003;XX;22/02/2025;22/02/2025;5,00;\n";
    let map = "rows = \"ledger\"\ndelimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\npayments_negative = true\n\
        [columns]\nclient_id = \"Klant\"\ndocument_id = \"Doc\"\ndoc_type = \"Soort\"\ndocument_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\nreference = \"Ref\"\n\
        [doc_types]\ninvoice = [\"RV\"]\ncredit_note = [\"G2\"]\npayment = [\"DZ\"]\nignore = [\"AB\"]\n";
    let f = Fixture::new("sap.csv", data.as_bytes(), map);
    std::fs::write(
        f.dir.path().join("arwatch.toml"),
        "currency = \"EUR\"\nout = \"out\"\nas_of = \"2025-03-31\"\nmax_rejected_share = 0.5\n[[inputs]]\nfile = \"sap.csv\"\nmapping = \"map.toml\"\n",
    )
    .unwrap();
    let r = f.run("run");
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("6 rows read = 4 accepted + 2 rejected (of which 1 blank, total or ignored) (2 invoices, 1 credit notes, 1 payments)"), "{}", r.stdout);
    let rej = f.rejected();
    assert!(rej.contains("line 6,Soort,AB,document type 'AB' is ignored by the mapping"), "{rej}");
    assert!(rej.contains("line 7,Soort,XX,\"unknown document type; the mapping knows"), "{rej}");
    // 1,000 - 100 (credit note) - 900 (payment) settles the first invoice; 500 stays open.
    let open = read(&f.dir.path().join("out/2025-03/data/open_items.csv"));
    assert!(open.contains("K1,1800002,2025-02-05,2025-03-07,500.00,500.00,24,overdue_1_30"), "{open}");
    assert!(!open.contains("1800001"), "{open}");
}

#[test]
fn inputs_larger_than_a_batch_use_the_reserved_storage_correctly() {
    // More than two batches of 50,000 rows: the size estimate, the id text reserved in
    // blocks and the memory mapped ahead are all used, and every figure must still add up.
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let n = 120_000;
    let paid = 80_000;
    let mut inv = String::from(HEAD);
    for i in 0..n {
        inv.push_str(&format!("K{};INV-{i:09};01/02/2025;03/03/2025;10,00\n", i % 50));
    }
    std::fs::write(d.join("inv.csv"), inv).unwrap();
    std::fs::write(d.join("map.toml"), MAP).unwrap();
    let mut pay = String::from("Klant;Nr;Datum;Bedrag;Ref\n");
    for i in 0..paid {
        pay.push_str(&format!("K{};PAY-{i:09};10/03/2025;10,00;INV-{i:09}\n", i % 50));
    }
    std::fs::write(d.join("pay.csv"), pay).unwrap();
    std::fs::write(
        d.join("pmap.toml"),
        "rows = \"payments\"\ndelimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\npayment_id = \"Nr\"\npayment_date = \"Datum\"\namount = \"Bedrag\"\nreference = \"Ref\"\n",
    )
    .unwrap();
    let config = "currency = \"EUR\"\nout = \"out\"\nas_of = \"2025-03-31\"\n[reports]\nworkbook = false\npdf = false\ndossiers = false\n[[inputs]]\nfile = \"inv.csv\"\nmapping = \"map.toml\"\n[[inputs]]\nfile = \"pay.csv\"\nmapping = \"pmap.toml\"\n";
    std::fs::write(d.join("arwatch.toml"), config).unwrap();
    let r = run(&["run", "--config", d.join("arwatch.toml").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("120000 rows read = 120000 accepted + 0 rejected"), "{}", r.stdout);
    assert!(r.stdout.contains("EUR read 1200000.00 = accepted 1200000.00"), "{}", r.stdout);
    assert!(r.stdout.contains("80000 rows read = 80000 accepted + 0 rejected"), "{}", r.stdout);
    // Each client: 2,400 invoices of 10.00, 1,600 paid by reference 7 days late, 800 open.
    let clients = read(&d.join("out/2025-03/data/clients.csv"));
    assert_eq!(clients.lines().count(), 51);
    for line in clients.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!((f[4], f[5]), ("8000.00", "800"), "net AR and open invoices: {line}");
        assert_eq!((f[14], f[15], f[18]), ("1600", "1600", "7.00"), "paid, late, WADL: {line}");
    }
    let open = read(&d.join("out/2025-03/data/open_items.csv"));
    assert_eq!(open.lines().count(), 1 + (n - paid));
    assert!(open.contains(&format!(",INV-{:09},2025-02-01,2025-03-03,10.00,10.00,28,", n - 1)), "last invoice open");
    assert!(!open.contains(&format!(",INV-{:09},", paid - 1)), "a paid invoice is not open");
}

/// A ledger of 20 invoices a month from January to June 2026, then `last` (date, invoices),
/// run with no as-of date: the run chooses it from the data.
fn default_as_of_run(last: &[(&str, usize)]) -> (TempDir, Run) {
    default_as_of_run_under(None, last)
}

/// The same, with a `banner` line above the header (the mapping skips it).
fn default_as_of_run_under(banner: Option<&str>, last: &[(&str, usize)]) -> (TempDir, Run) {
    let dir = TempDir::new().unwrap();
    let mut rows = banner.map(|b| format!("{b}\n")).unwrap_or_default();
    rows.push_str(HEAD);
    let mut n = 0;
    let mut add = |date: &str, count: usize| {
        for _ in 0..count {
            n += 1;
            rows.push_str(&format!("K{};F{n};{date};{date};100,00\n", n % 5));
        }
    };
    for m in 1..=6 {
        add(&format!("10/{m:02}/2026"), 10);
        add(&format!("25/{m:02}/2026"), 10);
    }
    for (date, count) in last {
        add(date, *count);
    }
    std::fs::write(dir.path().join("f.csv"), rows).unwrap();
    let skip = if banner.is_some() { "skip_rows = 1\n" } else { "" };
    std::fs::write(dir.path().join("map.toml"), format!("{skip}{MAP}")).unwrap();
    std::fs::write(
        dir.path().join("arwatch.toml"),
        "currency = \"EUR\"\nout = \"out\"\n[[inputs]]\nfile = \"f.csv\"\nmapping = \"map.toml\"\n",
    )
    .unwrap();
    let r = run(&["run", "--config", dir.path().join("arwatch.toml").to_str().unwrap()]);
    (dir, r)
}

/// Issue 21: an export run on 31 July whose last rows are dated 29 July is July's report (it
/// was June's), and the console says why.
#[test]
fn the_default_as_of_is_the_month_the_data_reach() {
    let (dir, r) = default_as_of_run(&[("10/07/2026", 10), ("29/07/2026", 10)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("out/2026-07").is_dir(), "{}", r.stdout);
    assert!(
        r.stdout.contains("as-of date 2026-07-31: the data reach 29/07/2026, within 3 days of the month's end"),
        "{}",
        r.stdout
    );
    let summary = read(&dir.path().join("out/2026-07/data/summary.json"));
    assert!(summary.contains("\"rule\": \"month_reached\""), "{summary}");
}

/// Issue 21: an export ending on 2 December gives November, whole; a month the data reach but
/// hold a tenth of the usual invoices is left out, and the console and summary say so.
#[test]
fn the_default_as_of_leaves_out_a_month_the_data_barely_cover() {
    let (dir, r) = default_as_of_run(&[("02/07/2026", 2)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("out/2026-06").is_dir() && !dir.path().join("out/2026-07").exists());
    assert!(r.stdout.contains("the data end on 02/07/2026, 29 days before their month's end"), "{}", r.stdout);
    let (dir, r) = default_as_of_run(&[("30/07/2026", 2)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("out/2026-06").is_dir(), "{}", r.stdout);
    assert!(r.stdout.contains("2026-07 holds 2 invoices against a usual 20: it looks incomplete"), "{}", r.stdout);
}

/// Issue 21: a month given by hand that the data barely cover is kept, and warned about in the
/// report itself, in warnings.csv, and with exit code 3.
#[test]
fn a_given_month_the_data_barely_cover_is_warned_about() {
    let (dir, _) = default_as_of_run(&[("02/07/2026", 2)]);
    let cfg = dir.path().join("arwatch.toml");
    let r = run(&["run", "--config", cfg.to_str().unwrap(), "--as-of", "2026-07-31"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: 2026-07 looks incomplete: 2 invoices issued against a usual 20."),
        "{}",
        r.stderr
    );
    let month = dir.path().join("out/2026-07");
    let warnings = read(&month.join("data/warnings.csv"));
    assert!(warnings.contains(",incomplete_month"), "{warnings}");
    let pdf = pdftotext(&month.join("arwatch-2026-07.pdf"));
    let first_page = pdf.split('\u{c}').next().unwrap();
    assert!(first_page.contains("2026-07 looks incomplete"), "{first_page}");
}

/// Issue 21: an export that always repeats some rows exactly made every scheduled run exit 3.
/// `[warnings] accept` names the kinds a run accepts: those rows are still rejected and said,
/// the run exits 0; a kind not named (here a reused document id) still exits 3.
#[test]
fn accepted_warning_kinds_do_not_make_exit_code_3_and_new_ones_do() {
    let repeated =
        format!("{HEAD}{}K1;F900;01/02/2025;03/03/2025;50,00\nK1;F900;01/02/2025;03/03/2025;50,00\n", good_rows(200));
    let f = Fixture::new("f.csv", repeated.as_bytes(), MAP);
    let cfg = f.dir.path().join("arwatch.toml");
    assert_eq!(f.run("run").code, 3);
    let text = read(&cfg);
    std::fs::write(&cfg, format!("{text}[warnings]\naccept = [\"duplicate_row\"]\n")).unwrap();
    let r = f.run("run");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("accepted as configured ([warnings] accept), no exit code 3 for them: duplicate_row: 1"),
        "{}",
        r.stdout
    );
    assert!(f.rejected().contains("exact duplicate"), "the row is still rejected and listed");
    // A new kind of warning still exits 3, and is the one the console names.
    let reused = format!("{repeated}K1;F900;05/02/2025;07/03/2025;75,00\n");
    std::fs::write(f.dir.path().join("f.csv"), reused).unwrap();
    let r = f.run("run");
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("1 warning (reused_document_id: 1)"), "{}", r.stdout);
    // A kind that does not exist is a configuration error naming the kinds.
    std::fs::write(&cfg, format!("{text}[warnings]\naccept = [\"duplicates\"]\n")).unwrap();
    let r = f.run("check");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("\"duplicates\" is not a kind of warning")
            && r.stderr.contains("duplicate_row, reused_document_id"),
        "{}",
        r.stderr
    );
    // Accepted repeats are harmless: they do not count against max_rejected_share either.
    let few =
        format!("{HEAD}{}K1;F900;01/02/2025;03/03/2025;50,00\nK1;F900;01/02/2025;03/03/2025;50,00\n", good_rows(20));
    std::fs::write(f.dir.path().join("f.csv"), few).unwrap();
    std::fs::write(&cfg, &text).unwrap();
    assert_eq!(f.run("run").code, 4, "1 of 22 rows is above the 1 % limit");
    std::fs::write(&cfg, format!("{text}[warnings]\naccept = [\"duplicate_row\"]\n")).unwrap();
    let r = f.run("run");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

/// Thirty invoices of one export with a settlement column (`Betaald`), paid 10 days after
/// their due date, and `Nr` a plain number; `columns` maps them.
fn settled_export(columns: &str) -> (TempDir, Run) {
    let dir = TempDir::new().unwrap();
    let mut rows = String::from("Klant;Nr;Datum;Verval;Bedrag;Betaald\n");
    for i in 0..30 {
        let day = 1 + i % 20;
        rows.push_str(&format!(
            "K{};{};{day:02}/01/2025;{:02}/02/2025;{},{:02};{:02}/02/2025\n",
            i % 4,
            1001 + i,
            day,
            100 + i,
            i,
            day + 5
        ));
    }
    std::fs::write(dir.path().join("f.csv"), rows).unwrap();
    std::fs::write(
        dir.path().join("map.toml"),
        format!("delimiter = \";\"\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\n{columns}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("arwatch.toml"),
        "currency = \"EUR\"\nout = \"out\"\nas_of = \"2025-03-31\"\n[[inputs]]\nfile = \"f.csv\"\nmapping = \"map.toml\"\n",
    )
    .unwrap();
    let r = run(&["check", "--config", dir.path().join("arwatch.toml").to_str().unwrap()]);
    (dir, r)
}

/// Issue 21: a valid but wrong column passed silently (the paid-on date mapped as the due
/// date gave 0 % late and no word). Dates that contradict each other on most rows, and
/// amounts that are all ids, are warned about with counts and examples; the right mapping
/// says nothing.
#[test]
fn implausible_mappings_are_warned_about_with_counts_and_examples() {
    let right = "issue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Bedrag\"\nsettled_date = \"Betaald\"\n";
    let (_, r) = settled_export(right);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("implausible_mapping"), "{}", r.stderr);

    let paid_as_due =
        "issue_date = \"Datum\"\ndue_date = \"Betaald\"\namount = \"Bedrag\"\nsettled_date = \"Betaald\"\n";
    let (_, r) = settled_export(paid_as_due);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("the due date equals the settlement date on 30 of 30 settled invoices (100 %; line 2, line 3, line 4): is the column mapped as due_date (\"Betaald\") the payment date?"),
        "{}",
        r.stderr
    );

    // (With the due date mapped too, each row would be rejected for its due date before its
    // issue date: loud already.)
    let swapped = "issue_date = \"Betaald\"\namount = \"Bedrag\"\nsettled_date = \"Datum\"\n";
    let (_, r) = settled_export(swapped);
    assert!(
        r.stderr.contains("the settlement date is before the issue date on 30 of 30 settled invoices"),
        "{}",
        r.stderr
    );

    let id_as_amount = "issue_date = \"Datum\"\ndue_date = \"Verval\"\namount = \"Nr\"\n";
    let (_, r) = settled_export(id_as_amount);
    assert!(
        r.stderr.contains("every amount is a whole number and 30 of 30 equal their document's number")
            && r.stderr.contains("is the column mapped as amount (\"Nr\") an id"),
        "{}",
        r.stderr
    );
}

/// Issue 21: with the handover off, the ladder still said "handover to collection" while the
/// Handover sheet was empty. The step now says it is off, its reason says why nothing was
/// handed over, and the PDF's handover section says the same.
#[test]
fn with_the_handover_off_the_ladder_says_so_and_why() {
    // K9 owes one invoice 120 days past due: critical, so handed over at once.
    let rows = format!("{HEAD}{}K9;F900;01/11/2024;01/12/2024;500,00\n", good_rows(200));
    let f = Fixture::new("f.csv", rows.as_bytes(), MAP);
    let cfg = f.dir.path().join("arwatch.toml");
    std::fs::write(&cfg, format!("{}[handover]\nenabled = false\n", read(&cfg))).unwrap();
    let r = f.run("run");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let month = f.dir.path().join("out/2025-03");
    let (header, actions) = csv_rows(&month.join("data/actions.csv"));
    let col = |k: &str| header.iter().position(|h| h == k).unwrap();
    let f900 = actions.iter().find(|a| a[col("document_id")] == "F900").expect("F900 is past the ladder");
    assert_eq!(f900[col("kind")], "handover");
    assert_eq!(f900[col("next_action")], "handover to collection (off in the configuration)");
    assert!(
        f900[col("reason")].ends_with("not handed over: the handover is off ([handover] enabled = false)"),
        "{:?}",
        f900
    );
    let (_, handover) = csv_rows(&month.join("data/handover.csv"));
    assert!(handover.is_empty());
    let pdf = pdftotext(&month.join("arwatch-2025-03.pdf")).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(pdf.contains("The handover is off in the configuration ([handover] enabled = false)"), "{pdf}");
}

/// Issue 21: an export that states its own date above its header is as of the month end on or
/// before that date: rows to 25 July in an export of 31 July are July's (the rows alone would
/// give June), and summary.json keeps the date stated.
#[test]
fn the_date_an_export_states_sets_the_default_as_of() {
    let (dir, r) = default_as_of_run_under(
        Some("Openstaande posten;Export 31/07/2026"),
        &[("10/07/2026", 10), ("25/07/2026", 10)],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("as-of date 2026-07-31: the export states its date, 31/07/2026 (its rows reach 25/07/2026)"),
        "{}",
        r.stdout
    );
    let summary = read(&dir.path().join("out/2026-07/data/summary.json"));
    assert!(
        summary.contains("\"stated_date\": \"2026-07-31\"") && summary.contains("\"rule\": \"stated_by_the_export\""),
        "{summary}"
    );
}

/// Issue 21 (found on the way): the rejected-rows stop grouped its "most common" reasons by
/// their whole text, so ten rows with one cause and ten sets of dates read as ten causes of
/// one row each. Reasons that differ only in their numbers now count as one.
#[test]
fn the_most_common_rejection_reasons_count_one_cause_once() {
    let bad: String = (1..=10).map(|d| format!("K1;B{d};{:02}/02/2025;{d:02}/01/2025;10,00\n", d + 10)).collect();
    let f = Fixture::new("f.csv", format!("{HEAD}{}{bad}", good_rows(300)).as_bytes(), MAP);
    let r = f.run("check");
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("most common: 10 × column 'Verval': due date 2025-01-01 is before the issue date 2025-02-11 (the others alike)"),
        "{}",
        r.stderr
    );
}
