//! The reconciliation of every input: rows and lines read, accepted and rejected, and the
//! money control totals, with the one accountant that moves a row to the rejected side.

use super::error::InputError;
use super::table::{self, Header, Layout};
use crate::model::Currency;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A row that did not make it into the ledger, and why.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Reject {
    /// The input file.
    pub source: String,
    /// `line 12` or `sheet 'X' row 12`, with the cell when one is to blame.
    pub location: String,
    /// The column's name in the file.
    pub column: String,
    /// The raw value.
    pub value: String,
    /// Why the row was rejected.
    pub reason: String,
    /// The whole row as read.
    pub raw: String,
    /// Line or sheet row, to keep the file in input order.
    #[serde(skip)]
    pub line: u32,
    /// Blank and deliberately ignored rows are reported but do not count against the
    /// rejected-share threshold.
    #[serde(skip)]
    pub benign: bool,
    /// The row's amount, when it could be read (for the control totals).
    #[serde(skip)]
    pub amount: Option<(Currency, i64)>,
    /// An exact repeat of an accepted row, counted once (the kind `duplicate_row`).
    #[serde(skip)]
    pub duplicate: bool,
    /// The rows it stands for: 1, or a run of blank sheet rows reported on one line.
    #[serde(skip)]
    pub rows: u32,
}

impl Reject {
    /// Its kind, as `[warnings] accept` names it: `duplicate_row` for an exact repeat counted
    /// once, else `rejected` (which no configuration accepts).
    pub fn kind(&self) -> &'static str {
        if self.duplicate { "duplicate_row" } else { "rejected" }
    }
}

/// A data-quality observation that does not stop a row: an invalid company number, a
/// duplicate document id kept under a new name.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Warning {
    /// What was observed, in words a program can match: `reused_document_id`,
    /// `invalid_company_number`, `possible_duplicate_payment`, `payment_id_reused`.
    pub kind: &'static str,
    /// The input file (or `analysis`).
    pub source: String,
    /// Where in it.
    pub location: String,
    /// What was observed, in words.
    pub message: String,
}

/// Money control totals of one input in one currency, in minor units. Wide integers: no
/// number of rows can make them overflow.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Totals {
    /// Σ of every row read.
    pub read: i128,
    /// Σ of the accepted rows.
    pub accepted: i128,
    /// Σ of the rejected rows whose amount could be read.
    pub rejected: i128,
    /// Σ |amount| of the accepted rows: what bounds every sum the analysis makes.
    #[serde(skip)]
    pub absolute: i128,
}

impl Totals {
    pub(super) fn accept(&mut self, v: i64) {
        self.read += v as i128;
        self.accepted += v as i128;
        self.absolute += v.unsigned_abs() as i128;
    }

    pub(super) fn reject(&mut self, v: i64) {
        self.read += v as i128;
        self.rejected += v as i128;
    }

    /// An accepted row found to be a duplicate after reading.
    pub(super) fn move_to_rejected(&mut self, v: i64) {
        self.accepted -= v as i128;
        self.rejected += v as i128;
        self.absolute -= v.unsigned_abs() as i128;
    }
}

/// The most a ledger's amounts may add up to in one currency (Σ |amount|), in major units:
/// every sum the analysis makes (net AR, sales, buckets, their conversions) then stays far
/// inside 64 bits. A thousand times the world's yearly trade is no accounts receivable.
pub const MAX_LEDGER_MAJOR: i128 = 1_000_000_000_000_000;

/// What one input contributed: the reconciliation that `summary.json` reports.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SourceStats {
    /// The input file.
    pub file: String,
    /// How it was read (`text, delimiter ';', windows-1252`).
    pub layout: String,
    /// Physical lines of the file (sheet rows for a workbook).
    pub lines: u64,
    /// Of those, the lines up to and including the header (banner rows, blank lines before it).
    pub lines_before_rows: u64,
    /// Lines inside rows beyond their first: quoted fields over several lines (`multiline`).
    pub lines_within_rows: u64,
    /// Data rows read (blank lines among them count as read and rejected).
    pub rows_read: u64,
    /// The date the export states above its header, if it does (`Export 31/07/2026`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated_date: Option<NaiveDate>,
    /// Rows in the ledger (or the bureau snapshots).
    pub accepted: u64,
    /// Rows in `rejected.csv`.
    pub rejected: u64,
    /// Of the rejected rows: blank lines, total rows and rows whose type the mapping ignores.
    pub rejected_benign: u64,
    /// Accepted invoices.
    pub invoices: u64,
    /// Accepted credit notes.
    pub credit_notes: u64,
    /// Accepted payments (made ones included: an invoice row's settlement).
    pub payments: u64,
    /// Sums of the amount column as written in the file (signs included), per currency.
    pub control_totals: BTreeMap<String, Totals>,
    /// The same while reading, keyed cheaply; folded into `control_totals` at the end.
    #[serde(skip)]
    pub(super) pending_totals: Vec<(Currency, Totals)>,
    /// Rejected rows whose amount could not be read, so are outside the control totals.
    pub rejected_without_amount: u64,
    /// Whether the input carries money (a ledger input; bureau inputs do not): only then is a
    /// rejected row without a readable amount counted as outside the control totals.
    #[serde(skip)]
    pub(super) money: bool,
}

impl SourceStats {
    /// A ledger input's reconciliation, empty.
    pub(super) fn ledger(file: String) -> SourceStats {
        SourceStats { file, money: true, ..Default::default() }
    }

    /// A side input's reconciliation (bureau snapshots, the collector's log), empty: it has
    /// rows but no money.
    pub(super) fn side(file: String) -> SourceStats {
        SourceStats { file, ..Default::default() }
    }

    /// The rejection accountant, one for every loader: counts a rejected row on its input's
    /// side of the reconciliation (its amount, when it has one, into the rejected control
    /// total) and records it with its raw values.
    pub(super) fn reject(&mut self, rejects: &mut Vec<Reject>, r: Reject) {
        self.rejected += u64::from(r.rows);
        if r.benign {
            self.rejected_benign += u64::from(r.rows);
        }
        match r.amount {
            Some((cur, a)) => totals_mut(self, cur).reject(a),
            None if !r.benign && self.money => self.rejected_without_amount += 1,
            None => {}
        }
        rejects.push(r);
    }

    /// Errors (not blank or ignored rows, nor `accepted` rows the configuration calls harmless)
    /// as a share of the rows read.
    pub fn rejected_share(&self, accepted: u64) -> f64 {
        let errors = (self.rejected - self.rejected_benign).saturating_sub(accepted);
        if self.rows_read == 0 { 0.0 } else { errors as f64 / self.rows_read as f64 }
    }

    /// Every line is before the rows or in one; rows read = accepted + rejected; and the same
    /// for the money of every currency.
    pub fn reconciles(&self) -> bool {
        self.lines == self.lines_before_rows + self.rows_read + self.lines_within_rows
            && self.rows_read == self.accepted + self.rejected
            && self.control_totals.values().all(|t| t.read == t.accepted + t.rejected)
    }
}

/// How a source is described in summaries: `text, delimiter ';', windows-1252`.
pub(super) fn layout_label(l: &Layout) -> String {
    match l {
        Layout::Text { delimiter, encoding } => format!("text, delimiter {:?}, {}", *delimiter as char, encoding),
        Layout::Sheet { name } => format!("sheet '{name}'"),
    }
}

/// The lines of a table that are no data rows: its physical lines, those before the rows
/// (banner and header), blank lines the CSV parser skipped and runs of sheet rows without a
/// cell (rows read and rejected, not errors).
pub(super) fn account_extent(stats: &mut SourceStats, rejects: &mut Vec<Reject>, extent: &table::Extent, h: &Header) {
    stats.lines = extent.physical_lines;
    stats.lines_before_rows = h.line as u64;
    stats.lines_within_rows = extent.lines_within_rows;
    let layout = &h.layout;
    // A run of one sheet row reads as the row would have through the mapping: its empty
    // cells as a sheet row shows them.
    let empty = table::SheetRow { row: 0, cells: vec![calamine::Data::Empty; h.names.len().max(1)] };
    let one_row = table::RawRow::raw_values(&empty);
    let lines = extent.blank_lines.iter().map(|&l| (l, 1, "blank line".to_string(), String::new()));
    let runs = extent.blank_runs.iter().map(|&(l, n)| match n {
        1 => (l, 1, "blank row".to_string(), one_row.clone()),
        n => (l, n, format!("blank rows ({n})"), String::new()),
    });
    for (line, rows, reason, raw) in lines.chain(runs) {
        stats.rows_read += u64::from(rows);
        let source = stats.file.clone();
        let location = layout.span(line, rows);
        stats.reject(
            rejects,
            Reject {
                source,
                location,
                column: String::new(),
                value: String::new(),
                reason,
                raw,
                line,
                benign: true,
                amount: None,
                duplicate: false,
                rows,
            },
        );
    }
}

/// The control totals of one currency, without allocating a key for every row.
pub(super) fn totals_mut(stats: &mut SourceStats, cur: Currency) -> &mut Totals {
    let i = match stats.pending_totals.iter().position(|(c, _)| *c == cur) {
        Some(i) => i,
        None => {
            stats.pending_totals.push((cur, Totals::default()));
            stats.pending_totals.len() - 1
        }
    };
    &mut stats.pending_totals[i].1
}

/// Refuses a ledger whose amounts add up to more than [`MAX_LEDGER_MAJOR`] in a currency.
pub(super) fn check_ledger_size(stats: &[SourceStats]) -> Result<(), InputError> {
    let mut by_currency: BTreeMap<&str, i128> = BTreeMap::new();
    for s in stats {
        for (code, t) in &s.control_totals {
            let sum = by_currency.entry(code).or_default();
            *sum += t.absolute;
            let digits = Currency::parse(code).map_or(2, |c| c.minor_digits());
            if *sum > MAX_LEDGER_MAJOR * 10i128.pow(digits) {
                return Err(InputError::file(
                    Path::new(&s.file),
                    format!(
                        "the amounts in {code} add up to more than {MAX_LEDGER_MAJOR} (10^15) with this input: no ledger is that large"
                    ),
                    "check the amount column of the mapping (an id or account number read as money?) and the decimal mark",
                ));
            }
        }
    }
    Ok(())
}
