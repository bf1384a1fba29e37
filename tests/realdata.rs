//! Real exports made by others (`../shared/realdata`), ingested through the shipped mappings.
//! Their own columns (DaysLate, DaysToSettle, Pmt delay) are the ground truth.

use arwatch::analytics::{Settings, analyse, invoice_outcomes};
use arwatch::config::{Config, Overrides};
use arwatch::fx::Fx;
use arwatch::ingest::Ingested;
use arwatch::pipeline;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether the real exports are there (`../shared/realdata`, beside the clone). Without them
/// each test says it is skipped, except under CI (`CI` set), where their absence is a failure.
fn realdata() -> bool {
    if root().join("../shared/realdata").is_dir() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "../shared/realdata is absent, and CI needs the real-data tests");
    eprintln!("skipped: ../shared/realdata is absent (the real-data tests need it beside the clone)");
    false
}

fn load(name: &str) -> (Config, Ingested) {
    let config = Config::load(&root().join("examples/realdata").join(name), &Overrides::default()).expect("config");
    let ing = pipeline::read_ledger(&config, &|_| {}).expect("ingest");
    (config, ing)
}

/// The ledger as comparable rows, independent of file order and client numbering.
fn ledger_rows(ing: &Ingested) -> (Vec<String>, Vec<String>) {
    let l = &ing.ledger;
    let mut docs: Vec<String> = l
        .documents
        .iter()
        .map(|d| {
            format!(
                "{}|{}|{:?}|{}|{}|{}|{}",
                l.clients[d.client as usize].id,
                l.text(d.id),
                d.kind,
                d.issue,
                d.due,
                d.amount,
                d.disputed
            )
        })
        .collect();
    let mut pays: Vec<String> = l
        .payments
        .iter()
        .map(|p| {
            let c = &l.clients[p.client as usize].id;
            format!("{c}|{}|{}|{}|{:?}", l.text(p.id), p.date, { p.amount }, p.reference.map(|r| l.text(r)))
        })
        .collect();
    docs.sort();
    pays.sort();
    (docs, pays)
}

fn read_csv(path: &str, skip: usize) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(root().join(path)).expect("read");
    let body: String = text.lines().skip(skip).collect::<Vec<_>>().join("\n");
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(body.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(|h| h.trim().to_lowercase()).collect();
    r.records()
        .map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(|s| s.to_string())).collect::<BTreeMap<_, _>>())
        .filter(|m| m.values().any(|v| !v.trim().is_empty()))
        .collect()
}

fn cents(s: &str) -> i64 {
    (s.replace(',', "").parse::<f64>().unwrap() * 100.0).round() as i64
}

const IBM: &str = "../shared/realdata/ibm-accounts-receivable/WA_Fn-UseC_-Accounts-Receivable.csv";
const SPAIN: &str = "../shared/realdata/abc-spain-b2b-einvoicing/Spain Raw data.csv";

#[test]
fn ibm_counts_and_control_totals() {
    if !realdata() {
        return;
    }
    let (_, ing) = load("ibm.toml");
    let s = &ing.stats[0];
    assert_eq!((s.rows_read, s.accepted, s.rejected), (2466, 2466, 0));
    assert_eq!((s.invoices, s.payments), (2466, 2466));
    // 147,703.18 US$: the sum of InvoiceAmount, computed independently below.
    let file_total: i64 = read_csv(IBM, 0).iter().map(|r| cents(&r["invoiceamount"])).sum();
    assert_eq!(file_total, 14_770_318);
    assert_eq!(s.control_totals["USD"].read, file_total as i128);
    assert_eq!(s.control_totals["USD"].accepted, file_total as i128);
    // Leading zeros of invoice numbers are kept.
    assert!(ing.ledger.documents.iter().any(|d| ing.ledger.text(d.id) == "0000611365"));
}

#[test]
fn ibm_day_first_reexport_gives_the_same_ledger() {
    if !realdata() {
        return;
    }
    let (_, a) = load("ibm.toml");
    let (_, b) = load("ibm-ddmmyyyy.toml");
    assert_eq!(ledger_rows(&a), ledger_rows(&b));
}

#[test]
fn ibm_days_late_and_days_to_settle_match_the_file() {
    if !realdata() {
        return;
    }
    let (config, ing) = load("ibm.toml");
    let as_of = config.as_of.unwrap();
    let outcomes: BTreeMap<String, _> = invoice_outcomes(&ing.ledger, as_of, &Fx::none(config.currency))
        .unwrap()
        .into_iter()
        .map(|o| (o.invoice.document_id.clone(), o))
        .collect();
    let rows = read_csv(IBM, 0);
    assert_eq!(rows.len(), 2466);
    for r in &rows {
        let o = &outcomes[&r["invoicenumber"]];
        assert!(o.paid);
        assert_eq!(o.days_late, Some(r["dayslate"].parse().unwrap()), "invoice {}", r["invoicenumber"]);
        assert_eq!(o.days_to_pay, Some(r["daystosettle"].parse().unwrap()), "invoice {}", r["invoicenumber"]);
    }
}

#[test]
fn ibm_wadl_is_the_amount_weighted_mean_of_days_late() {
    if !realdata() {
        return;
    }
    let (config, ing) = load("ibm.toml");
    let as_of = config.as_of.unwrap();
    let a = analyse(&ing.ledger, as_of, &Settings::default(), &Fx::none(config.currency)).unwrap();
    // Window: settled in the 12 months ending with January 2014.
    let from = NaiveDate::from_ymd_opt(2013, 2, 1).unwrap();
    let mut expected: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for r in read_csv(IBM, 0) {
        let settled = NaiveDate::parse_from_str(&r["settleddate"], "%m/%d/%Y").unwrap();
        if settled >= from && settled <= as_of {
            let e = expected.entry(r["customerid"].clone()).or_default();
            e.0 += cents(&r["invoiceamount"]) * r["dayslate"].parse::<i64>().unwrap();
            e.1 += cents(&r["invoiceamount"]);
        }
    }
    let mut checked = 0;
    for c in &a.clients {
        let id = &ing.ledger.clients[c.client as usize].id;
        match expected.get(id) {
            Some(&(weighted, total)) => {
                let w = c.figures.sums.window.wadl().unwrap();
                assert!((w - weighted as f64 / total as f64).abs() < 1e-9, "client {id}: {w}");
                checked += 1;
            }
            None => assert_eq!(c.figures.sums.window.wadl(), None),
        }
    }
    assert_eq!(checked, expected.len());
    assert!(checked > 90);
}

/// The Spain extract, independently: unique invoices (one row per dispute record repeats an
/// invoice: 15 such repeats), with their Pmt delay.
fn spain_unique() -> Vec<BTreeMap<String, String>> {
    let mut seen = std::collections::BTreeSet::new();
    read_csv(SPAIN, 6)
        .into_iter()
        .filter(|r| {
            seen.insert((
                r["cust nbr"].clone(),
                r["inv nbr"].trim().to_string(),
                r["inv date"].clone(),
                r["due date"].clone(),
                cents(&r["inv tot amt"]),
                r["settled date"].clone(),
            ))
        })
        .collect()
}

#[test]
fn spain_counts_and_control_totals_csv_and_xlsx() {
    if !realdata() {
        return;
    }
    let rows = read_csv(SPAIN, 6);
    assert_eq!(rows.len(), 4675);
    assert_eq!(rows.iter().filter(|r| r["status"] == "Open").count(), 225);
    let total: i64 = rows.iter().map(|r| cents(&r["inv tot amt"])).sum();
    assert_eq!(total, 19_659_787_194);
    let unique = spain_unique();
    assert_eq!(unique.len(), 4660);
    let unique_total: i64 = unique.iter().map(|r| cents(&r["inv tot amt"])).sum();

    let (_, csv) = load("abc-spain-csv.toml");
    let s = &csv.stats[0];
    // Two trailing all-empty rows are reported as blank; 15 repeats are rejected, counted once.
    assert_eq!((s.rows_read, s.accepted, s.rejected, s.rejected_benign), (4677, 4660, 17, 2));
    assert_eq!(s.control_totals["EUR"].read, total as i128);
    assert_eq!(s.control_totals["EUR"].accepted, unique_total as i128);
    assert_eq!(s.control_totals["EUR"].rejected, (total - unique_total) as i128);
    assert_eq!(s.payments, 4440);

    let (_, xlsx) = load("abc-spain-xlsx.toml");
    let s = &xlsx.stats[0];
    assert_eq!((s.rows_read, s.accepted, s.rejected), (4675, 4660, 15));
    assert_eq!(s.control_totals["EUR"].read, total as i128);
    assert_eq!(ledger_rows(&csv), ledger_rows(&xlsx));
    // Zero-padded customer numbers stay text.
    assert!(csv.ledger.clients.iter().any(|c| c.id == "00004827"));
}

#[test]
fn spain_days_past_due_and_days_late_match_pmt_delay() {
    if !realdata() {
        return;
    }
    let (config, ing) = load("abc-spain-csv.toml");
    let as_of = config.as_of.unwrap();
    assert_eq!(as_of, NaiveDate::from_ymd_opt(2014, 7, 31).unwrap());
    let a = analyse(&ing.ledger, as_of, &Settings::default(), &Fx::none(config.currency)).unwrap();
    let key = |client: &str, id: &str, issue: NaiveDate| format!("{client}|{}|{issue}", id.split('#').next().unwrap());
    let mut open = BTreeMap::new();
    for c in &a.clients {
        let id = &ing.ledger.clients[c.client as usize].id;
        for o in &c.open_items {
            open.insert(key(id, &o.invoice.document_id, o.invoice.issue), o.days_past_due);
        }
    }
    // Two invoices may share client, number and date (settled on different days): the
    // settlement date is part of the key of settled ones.
    let outcomes: BTreeMap<String, _> = invoice_outcomes(&ing.ledger, as_of, &Fx::none(config.currency))
        .unwrap()
        .into_iter()
        .map(|o| {
            (
                format!(
                    "{}|{:?}",
                    key(&ing.ledger.clients[o.invoice.client as usize].id, &o.invoice.document_id, o.invoice.issue),
                    o.settled
                ),
                o,
            )
        })
        .collect();
    let (mut n_open, mut n_settled) = (0, 0);
    for r in spain_unique() {
        let issue = NaiveDate::parse_from_str(&r["inv date"], "%d-%m-%Y").unwrap();
        let k = key(&r["cust nbr"], r["inv nbr"].trim(), issue);
        let delay: i64 = r["pmt delay"].parse().unwrap();
        if r["status"] == "Open" {
            assert_eq!(open.get(&k), Some(&delay), "open invoice {k}");
            n_open += 1;
        } else {
            let settled = NaiveDate::parse_from_str(&r["settled date"], "%d-%m-%Y").unwrap();
            let o = &outcomes[&format!("{k}|{:?}", Some(settled))];
            assert_eq!(o.days_late, Some(delay.max(0)), "settled invoice {k}");
            n_settled += 1;
        }
    }
    // 225 open rows, of which 5 repeat an invoice for another dispute record.
    assert_eq!((n_open, n_settled), (220, 4440));
    assert_eq!(open.len(), 220);
}
