//! The collector's ledger end to end: the sample's story of promises kept, broken and live,
//! disputes with their days and an invoice paid on its instalment schedule, and what they change
//! (clients.csv, open_items.csv, the ladder's actions, the alerts, summary.json, rejected.csv);
//! schedules from payment terms and from an export's instalment rows.

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
    // The instalment invoice of K0003, paid on its schedule: only its third instalment is
    // open, not due; without the schedule it would be 62 days past due with a reminder due.
    let items = rows_where(&data.join("open_items.csv"), "document_id", "F2026T00001");
    assert_eq!(items.len(), 1, "{items:?}");
    let i = &items[0];
    let row = [&i["instalment"], &i["due_date"], &i["amount"], &i["open_amount"], &i["bucket"]].map(|v| v.as_str());
    assert_eq!(row, ["3", "2026-11-28", "4800.00", "4800.00", "not_due"]);
    assert!(rows_where(&data.join("actions.csv"), "document_id", "F2026T00001").is_empty());
    // Paid on time: the two paid instalments count in K0003's behaviour as on time.
    let september = rows_where(&out.join("2026-09/data/open_items.csv"), "document_id", "F2026T00001");
    assert_eq!(september.iter().map(|r| r["instalment"].as_str()).collect::<Vec<_>>(), ["3"]);
    assert_eq!(
        summary["instalments"],
        serde_json::json!({"invoices_open": 1, "instalments_open": 1, "open_amount": "4800.00",
                           "past_due_amount": "0.00"})
    );
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

/// Runs a configuration written in `dir` and returns its month's data folder.
fn run_in(dir: &Path, config: &str, as_of: &str) -> std::path::PathBuf {
    let cfg = dir.join("arwatch.toml");
    std::fs::write(&cfg, config).unwrap();
    let out = dir.join("out");
    let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", as_of]);
    assert!(r.code == 0 || r.code == 3, "{}", r.stderr);
    out.join(&as_of[..7]).join("data")
}

#[test]
fn a_named_payment_term_makes_instalments_and_an_unknown_one_is_rejected() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("invoices.csv"),
        "client,invoice,date,amount,terms\n\
         C1,I1,2026-01-01,1000.00,30/70\n\
         C1,I2,2026-01-05,200.00,\n\
         C2,I3,2026-01-10,100.01,30/70\n\
         C2,I4,2026-01-10,50.00,60/40\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("payments.csv"), "client,date,amount,invoice\nC1,2026-01-30,300.00,I1\n").unwrap();
    let data = run_in(
        dir.path(),
        "max_rejected_share = 0.5\n[payment_terms]\n\"30/70\" = [{share = 0.3, days = 30}, {share = 0.7, days = 60}]\n\
         [handover]\nenabled = false\n\
         [[inputs]]\nfile = \"invoices.csv\"\n[inputs.mapping]\ndate_formats = [\"%Y-%m-%d\"]\n\
         [inputs.mapping.columns]\nclient_id = \"client\"\ndocument_id = \"invoice\"\nissue_date = \"date\"\n\
         amount = \"amount\"\npayment_term = \"terms\"\n\
         [[inputs]]\nfile = \"payments.csv\"\n[inputs.mapping]\nrows = \"payments\"\ndate_formats = [\"%Y-%m-%d\"]\n\
         [inputs.mapping.columns]\nclient_id = \"client\"\npayment_date = \"date\"\namount = \"amount\"\n\
         reference = \"invoice\"\n",
        "2026-03-31",
    );
    let items = |id: &str| {
        rows_where(&data.join("open_items.csv"), "document_id", id)
            .into_iter()
            .map(|r| [r["instalment"].clone(), r["due_date"].clone(), r["open_amount"].clone(), r["bucket"].clone()])
            .collect::<Vec<_>>()
    };
    // I1: the first 300.00 paid on time, the second instalment 700.00 due 2026-03-02.
    assert_eq!(items("I1"), [["2", "2026-03-02", "700.00", "overdue_1_30"].map(String::from)]);
    // I2 names no term: one item, the default 30 days.
    assert_eq!(items("I2"), [["", "2026-02-04", "200.00", "overdue_31_60"].map(String::from)]);
    // 100.01 at 30/70: 30.00 and 70.01, the rounding on the last line.
    let i3: Vec<String> = items("I3").into_iter().map(|r| r[2].clone()).collect();
    assert_eq!(i3, ["30.00", "70.01"]);
    // I4's term is not in the configuration: rejected, with the names it has.
    let rejected = rows_where(&data.join("rejected.csv"), "value", "60/40");
    assert!(rejected[0]["reason"].contains("unknown payment term") && rejected[0]["reason"].contains("30/70"));
    // The invoice counts once among the open invoices; its sales once.
    let c2 = rows_where(&data.join("clients.csv"), "client_id", "C2").remove(0);
    assert_eq!(c2["open_invoices"], "1");
    let jan = rows_where(&data.join("monthly.csv"), "month", "2026-01");
    let c2_jan = jan.iter().find(|r| r["client_id"] == "C2").unwrap();
    assert_eq!(c2_jan["sales"], "100.01");
    // The report's forecast lists name each instalment.
    let report = common::pdftotext(&data.parent().unwrap().join("arwatch-2026-03.pdf"));
    // (One payment, on time, and every item past due: nothing is expected, all are least likely.)
    let lists = report.split("Least likely to be collected").nth(1).expect("the forecast page's lists");
    assert!(lists.contains("I1, instalment 2") && lists.contains("I3, instalment 1"), "{lists}");
}

#[test]
fn an_export_with_one_row_per_instalment_is_read_as_schedules() {
    let dir = TempDir::new().unwrap();
    // ERPNext's receivable report by payment terms: one row per term with the invoice's total.
    std::fs::write(
        dir.path().join("erpnext.csv"),
        "Customer,Voucher No,Posting Date,Due Date,Invoiced Amount,Invoice Grand Total\n\
         C1,SI-1,2026-01-01,2026-01-31,30.00,100.00\n\
         C1,SI-1,2026-01-01,2026-03-02,50.00,100.00\n\
         C1,SI-1,2026-01-01,2026-04-01,20.00,100.00\n\
         C1,SI-2,2026-01-01,2026-01-31,60.00,200.00\n\
         C1,SI-2,2026-01-01,2026-03-02,100.00,200.00\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("payments.csv"), "client,date,amount,invoice\nC1,2026-01-02,40.00,SI-1\n").unwrap();
    let data = run_in(
        dir.path(),
        "max_rejected_share = 0.5\n[handover]\nenabled = false\n\
         [[inputs]]\nfile = \"erpnext.csv\"\n[inputs.mapping]\ninstalment_rows = true\ndate_formats = [\"%Y-%m-%d\"]\n\
         [inputs.mapping.columns]\nclient_id = \"Customer\"\ndocument_id = \"Voucher No\"\nissue_date = \"Posting Date\"\n\
         due_date = \"Due Date\"\namount = \"Invoiced Amount\"\ninvoice_amount = \"Invoice Grand Total\"\n\
         [[inputs]]\nfile = \"payments.csv\"\n[inputs.mapping]\nrows = \"payments\"\ndate_formats = [\"%Y-%m-%d\"]\n\
         [inputs.mapping.columns]\nclient_id = \"client\"\npayment_date = \"date\"\namount = \"amount\"\n\
         reference = \"invoice\"\n",
        "2026-01-31",
    );
    // ERPNext's own figures after a payment of 40: (50, 10 paid, 40 open) and (20, 0, 20).
    let items: Vec<[String; 3]> = rows_where(&data.join("open_items.csv"), "document_id", "SI-1")
        .into_iter()
        .map(|r| [r["instalment"].clone(), r["amount"].clone(), r["open_amount"].clone()])
        .collect();
    assert_eq!(items, [["2", "50.00", "40.00"].map(String::from), ["3", "20.00", "20.00"].map(String::from)]);
    // SI-2's rows add up to 160.00 of its 200.00: both rejected, with the two sums.
    let rejected = rows_where(&data.join("rejected.csv"), "value", "SI-2");
    assert_eq!(rejected.len(), 2);
    assert!(
        rejected[0]["reason"].contains(
            "add up to 160.00, but its invoice amount is 200.00; every instalment of the invoice must be in the file"
        ),
        "{rejected:?}"
    );
    let summary: serde_json::Value = serde_json::from_str(&read(&data.join("summary.json"))).unwrap();
    let input = &summary["inputs"][0];
    assert_eq!(
        (
            input["rows_read"].as_u64(),
            input["accepted"].as_u64(),
            input["rejected"].as_u64(),
            input["invoices"].as_u64()
        ),
        (Some(5), Some(3), Some(2), Some(1))
    );
    assert_eq!(input["reconciles"], true);
}

#[test]
fn a_live_promise_moves_its_invoice_s_forecast_as_far_as_promises_are_kept() {
    let dir = TempDir::new().unwrap();
    let p13 = |with_log: bool| -> (f64, String) {
        let sub = dir.path().join(if with_log { "with" } else { "without" });
        std::fs::create_dir_all(&sub).unwrap();
        let cfg = sample_config(&sub, |t| if with_log { t } else { t.replace("[[log_inputs]]", "[[unused]]") }, "");
        let text = read(&cfg);
        let text = if with_log {
            text
        } else {
            // No log at all: the [[unused]] table and the two keys under it go.
            let at = text.find("[[unused]]").unwrap();
            let rest = &text[at..];
            let end = rest.find("\n\n").unwrap();
            format!("{}{}", &text[..at], &rest[end..])
        };
        std::fs::write(&cfg, text).unwrap();
        let out = sub.join("out");
        let r = run(&["run", "-q", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let row = rows_where(&out.join("2026-10/data/forecast.csv"), "document_id", "F2026009977").remove(0);
        (row["p_collected_13w"].parse().unwrap(), row["expected_date"].clone())
    };
    let (with, expected_with) = p13(true);
    let (without, expected_without) = p13(false);
    // K0068 has no promise judged yet: it is believed as the portfolio keeps its promises, one
    // of three (K0147 kept one, K0046 broke two). Its promise (10/11/2026) is within 13 weeks.
    let belief = 1.0 / 3.0;
    assert!((with - (belief + (1.0 - belief) * without)).abs() < 1e-3, "{with} vs {without}");
    assert!(expected_with < expected_without, "{expected_with} vs {expected_without}");
}

#[test]
fn each_instalment_is_handed_over_with_interest_from_its_own_due_date_and_one_compensation() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("invoices.csv"),
        "client,invoice,date,amount,terms\nC1,I1,2026-01-01,1000.00,30/70\n",
    )
    .unwrap();
    let data = run_in(
        dir.path(),
        "[payment_terms]\n\"30/70\" = [{share = 0.3, days = 30}, {share = 0.7, days = 60}]\n\
         [handover]\nmin_days_past_due = 60\njurisdiction = \"BE\"\n[handover.creditor]\nname = \"Crediteur NV\"\n\
         [[inputs]]\nfile = \"invoices.csv\"\n[inputs.mapping]\ndate_formats = [\"%Y-%m-%d\"]\n\
         [inputs.mapping.columns]\nclient_id = \"client\"\ndocument_id = \"invoice\"\nissue_date = \"date\"\n\
         amount = \"amount\"\npayment_term = \"terms\"\n",
        "2026-06-30",
    );
    let rows = rows_where(&data.join("handover.csv"), "document_id", "I1");
    let got: Vec<[&str; 5]> = rows
        .iter()
        .map(|r| {
            [&r["instalment"], &r["due_date"], &r["open_amount"], &r["days_past_due"], &r["compensation"]]
                .map(|v| v.as_str())
        })
        .collect();
    assert_eq!(
        got,
        [["1", "2026-01-31", "300.00", "150", "40.00"], ["2", "2026-03-02", "700.00", "120", "0.00"]],
        "the 40 EUR is claimed once for the invoice"
    );
    // Interest runs from each instalment's own due date: per euro and day the same rate.
    let per = |r: &std::collections::BTreeMap<String, String>, days: f64| {
        common::cents(&r["interest"]) as f64 / common::cents(&r["open_amount"]) as f64 / days
    };
    let (a, b) = (per(&rows[0], 150.0), per(&rows[1], 120.0));
    assert!(a > 0.0 && (a - b).abs() / a < 0.02, "{a} vs {b}");
    // The dossier names the instalments.
    let dossiers: Vec<_> = std::fs::read_dir(data.parent().unwrap().join("handover"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    let text = common::pdftotext(&dossiers[0]);
    assert!(text.contains("I1, instalment 1") && text.contains("I1, instalment 2"), "{text}");
    // The report's handover table counts the invoice once.
    let report = common::pdftotext(&data.parent().unwrap().join("arwatch-2026-06.pdf"));
    let line = report.lines().find(|l| l.trim_start().starts_with("C1 ") && l.contains("€ 40.00")).expect("C1");
    assert_eq!(line.split_whitespace().nth(1), Some("1"), "{line}");
}
