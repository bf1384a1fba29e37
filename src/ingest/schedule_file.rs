//! Reading payment-schedule files (`rows = "schedule"`): one row per instalment of an invoice
//! of the ledger (document, due date, amount), each row accepted or rejected with its reason,
//! and the schedules that hold applied to the ledger's invoices.

use super::convert::{RowError, RowView};
use super::error::InputError;
use super::mapping::{Field, RowKind};
use super::schedule::{Line, MAX_INSTALMENTS, expand};
use super::side::{Note, SideIngested, SideRows, ingest_side};
use super::spec::{IngestOptions, InputSpec};
use super::stats::Reject;
use super::table::RawRow;
use crate::model::{Currency, DocKind, Ledger, Origin, format_minor};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// One instalment as a schedule file gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleRow {
    /// The client's id, when the file has that column.
    pub client_id: Option<String>,
    /// The invoice's id.
    pub document_id: String,
    /// The instalment's due date.
    pub due: NaiveDate,
    /// Its amount, in minor units of `currency`.
    pub amount: i64,
    /// The currency it is read in: the file's column, else the reporting currency.
    pub currency: Currency,
    /// Where it was read.
    pub origin: Origin,
    /// The row as read, should the schedule be rejected as a whole.
    raw: String,
}

/// What reading the schedule files gave: the rows of the schedules applied, the rows rejected.
pub type ScheduleIngested = SideIngested<ScheduleRow>;

/// Reads every schedule input and applies the schedules to the ledger's invoices: each
/// invoice named becomes its instalments. A schedule is rejected whole (each of its rows, with
/// the reason) when its invoice is not in the ledger (or is in it for several clients and the
/// file does not say which), already has a schedule, is in another currency, or when its lines
/// do not add up to the invoice amount to the cent or one is due before the issue date.
/// `source_base` numbers the sources after the ledger's.
pub fn ingest_schedules(
    inputs: &[InputSpec],
    opts: &IngestOptions,
    source_base: u16,
    ledger: &mut Ledger,
) -> Result<ScheduleIngested, InputError> {
    let mut read = ingest_side(inputs, &ScheduleRows, opts, source_base)?;
    let rows = std::mem::take(&mut read.rows);
    // The rows of one invoice (and client, when given), in file order.
    let mut groups: BTreeMap<(Option<&str>, &str), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        groups.entry((r.client_id.as_deref(), r.document_id.as_str())).or_default().push(i);
    }
    let wanted: rustc_hash::FxHashSet<&str> = rows.iter().map(|r| r.document_id.as_str()).collect();
    let mut invoices: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, d) in ledger.documents.iter().enumerate() {
        let id = ledger.texts.get(d.id);
        if d.kind == DocKind::Invoice && wanted.contains(id) {
            invoices.entry(id).or_default().push(i);
        }
    }
    let mut plans: FxHashMap<usize, Vec<Line>> = FxHashMap::default();
    let mut rejected: Vec<(usize, String)> = Vec::new();
    for ((client, id), members) in &groups {
        let found: Vec<usize> = invoices
            .get(id)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| client.is_none_or(|c| ledger.clients[ledger.documents[i].client as usize].id == c))
                    .collect()
            })
            .unwrap_or_default();
        let lines: Vec<&ScheduleRow> = members.iter().map(|&i| &rows[i]).collect();
        match check(ledger, &found, &lines, id, &plans) {
            Ok(doc) => {
                plans.insert(doc, lines.iter().map(|r| Line { due: r.due, amount: r.amount }).collect());
            }
            Err(reason) => rejected.extend(members.iter().map(|&i| (i, reason.clone()))),
        }
    }
    let mut bad = vec![None; rows.len()];
    for (i, reason) in rejected {
        bad[i] = Some(reason);
    }
    for (r, reason) in rows.into_iter().zip(bad) {
        let Some(reason) = reason else {
            read.rows.push(r);
            continue;
        };
        let k = (r.origin.source - source_base) as usize;
        let stats = &mut read.stats[k];
        stats.accepted -= 1;
        let text =
            inputs[k].path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
        let line = r.origin.line;
        stats.reject(
            &mut read.rejects,
            Reject {
                source: stats.file.clone(),
                location: if text { format!("line {line}") } else { format!("row {line}") },
                column: String::new(),
                value: r.document_id,
                reason,
                raw: r.raw,
                line,
                benign: false,
                amount: None,
                duplicate: false,
                rows: 1,
            },
        );
    }
    read.rejects.sort_by_key(|r| (r.source.clone(), r.line));
    expand(&mut ledger.documents, plans);
    Ok(read)
}

/// The invoice a schedule's lines are for, or why they cannot be its schedule.
fn check(
    ledger: &Ledger,
    found: &[usize],
    lines: &[&ScheduleRow],
    id: &str,
    planned: &FxHashMap<usize, Vec<Line>>,
) -> Result<usize, String> {
    let doc = match found {
        [] => return Err(format!("no invoice {id} in the ledger; check the id as the ledger writes it")),
        [one] => *one,
        _ => {
            let clients: std::collections::BTreeSet<u32> = found.iter().map(|&i| ledger.documents[i].client).collect();
            if clients.len() > 1 {
                return Err(format!(
                    "invoice {id} is in the ledger for {} clients; map the schedule's client_id column",
                    clients.len()
                ));
            }
            return Err(format!("invoice {id} is in the ledger more than once (renamed ID#2)"));
        }
    };
    let d = &ledger.documents[doc];
    if d.instalment > 0 || planned.contains_key(&doc) {
        return Err(format!("invoice {id} already has a payment schedule (its payment term, or instalment rows)"));
    }
    if let Some(r) = lines.iter().find(|r| r.currency != d.currency) {
        return Err(format!(
            "the schedule is read in {}, invoice {id} is in {}; map the schedule's currency column",
            r.currency, d.currency
        ));
    }
    if let Some(r) = lines.iter().find(|r| r.due < d.issue) {
        return Err(format!("an instalment due on {}, before invoice {id} was issued ({})", r.due, d.issue));
    }
    if lines.len() > MAX_INSTALMENTS {
        return Err(format!("{} instalments; at most {MAX_INSTALMENTS}", lines.len()));
    }
    let sum = lines.iter().try_fold(0i64, |acc, r| acc.checked_add(r.amount));
    if sum != Some(d.amount) {
        let digits = d.currency.minor_digits();
        let sum = sum.map_or_else(|| "more than arwatch can hold".into(), |s| format_minor(s, digits));
        return Err(format!(
            "the schedule's lines add up to {sum}, invoice {id} is {}; they must add up to the cent (put the \
             rounding on the last line)",
            format_minor(d.amount, digits)
        ));
    }
    Ok(doc)
}

struct ScheduleRows;

impl SideRows for ScheduleRows {
    type Row = ScheduleRow;
    const KIND: RowKind = RowKind::Schedule;
    const NAMES: (&'static str, &'static str) = ("schedule", "[[schedule_inputs]]");

    fn convert<R: RawRow>(&self, v: RowView<'_, R>, origin: Origin) -> Result<(ScheduleRow, Option<Note>), RowError> {
        let document_id = v.required(Field::DocumentId)?.to_string();
        let due = v.date(Field::DueDate)?.ok_or_else(|| v.missing(Field::DueDate))?;
        let currency = v.currency()?;
        let amount = v.amount(Field::Amount, currency)?.ok_or_else(|| v.missing(Field::Amount))?;
        if amount <= 0 {
            return Err(v.err(Field::Amount, "an instalment must be above zero".into()));
        }
        let client_id = v.text(Field::ClientId).map(|t| t.to_string());
        let row = ScheduleRow { client_id, document_id, due, amount, currency, origin, raw: v.row.raw_values() };
        Ok((row, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mapping::Mapping;
    use crate::model::{Client, Document, Texts};
    use std::io::Write;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ledger() -> Ledger {
        let mut texts = Texts::default();
        let mut doc = |client: u32, id: &str, amount: i64| {
            Document::invoice(client, texts.push(id).unwrap(), d("2026-01-01"), d("2026-01-31"), amount)
        };
        let documents = vec![doc(0, "F1", 100_00), doc(0, "F2", 200_00), doc(1, "F3", 50_00), doc(0, "F3", 50_00)];
        let clients = ["K1", "K2"].map(|id| Client { id: id.into(), ..Default::default() }).to_vec();
        Ledger { sources: vec!["ledger.csv".into()], clients, documents, payments: Vec::new(), texts }
    }

    fn read(csv: &str, l: &mut Ledger) -> ScheduleIngested {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("schedule.csv");
        std::fs::File::create(&path).unwrap().write_all(csv.as_bytes()).unwrap();
        let m: Mapping = toml::from_str(
            "rows = \"schedule\"\ndate_formats = [\"%Y-%m-%d\"]\n[columns]\ndocument_id = \"invoice\"\ndue_date = \
             \"due\"\namount = \"amount\"\n",
        )
        .unwrap();
        let input = InputSpec { path, mapping: m, snapshot: None };
        ingest_schedules(&[input], &IngestOptions::default(), 1, l).unwrap()
    }

    #[test]
    fn a_schedule_that_adds_up_replaces_its_invoice_and_one_that_does_not_is_rejected_whole() {
        let mut l = ledger();
        let csv = "invoice,due,amount\nF1,2026-01-31,30.00\nF1,2026-03-02,50.00\nF1,2026-04-01,20.00\n\
                   F2,2026-01-31,60.00\nF2,2026-03-02,100.00\nF9,2026-02-01,1.00\nF3,2026-02-01,50.00\n\
                   F1,2026-05-01,0\n";
        let got = read(csv, &mut l);
        let s = &got.stats[0];
        assert_eq!((s.rows_read, s.accepted, s.rejected), (8, 3, 5));
        assert!(s.reconciles());
        let reasons: Vec<(u32, &str)> = got.rejects.iter().map(|r| (r.line, r.reason.as_str())).collect();
        assert!(reasons[0].0 == 5 && reasons[0].1.contains("add up to 160.00, invoice F2 is 200.00"), "{reasons:?}");
        assert_eq!(reasons[1].0, 6);
        assert!(reasons[2].1.contains("no invoice F9"), "{reasons:?}");
        assert!(reasons[3].1.contains("for 2 clients; map the schedule's client_id"), "{reasons:?}");
        assert!(reasons[4].1.contains("above zero"), "{reasons:?}");
        let f1: Vec<(u8, i64, NaiveDate)> =
            l.documents.iter().filter(|x| l.texts.get(x.id) == "F1").map(|x| (x.instalment, x.amount, x.due)).collect();
        assert_eq!(f1, [(1, 30_00, d("2026-01-31")), (2, 50_00, d("2026-03-02")), (3, 20_00, d("2026-04-01"))]);
        assert_eq!(l.documents.len(), 6);
    }
}
