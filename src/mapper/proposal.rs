//! A proposed mapping for one table: which row is the header, which of the four source shapes
//! the table is, which column is which field (a header's name weighed with its values), the
//! date formats, the decimal mark, the document types; and what could not be decided.

use super::column::{Column, Dates};
use super::synonyms::{Kind, Target, header_score, normalise};
use crate::ingest::mapping::LogKind;
use crate::ingest::parse::{DateFormat, NumberFormat, parse_amount};
use crate::ingest::table::{SampleCell, SampleTable};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a table's rows are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Invoices and credit notes (perhaps with their settled date).
    Invoices,
    /// Payments.
    Payments,
    /// A ledger with a document-type column.
    Ledger,
    /// Credit-bureau snapshots.
    Bureau,
    /// What was open on one date.
    OpenItems,
    /// The collector's log: promises, disputes, calls and notes.
    Log,
    /// Payment schedules: one row per instalment of an invoice.
    Schedule,
}

impl Shape {
    /// Its `rows =` value.
    pub fn rows(self) -> &'static str {
        match self {
            Shape::Invoices => "invoices",
            Shape::Payments => "payments",
            Shape::Ledger => "ledger",
            Shape::Bureau => "bureau",
            Shape::OpenItems => "open_items",
            Shape::Log => "log",
            Shape::Schedule => "schedule",
        }
    }
}

/// A field of a shape: its key, what its values look like, the names it goes by.
#[derive(Clone, Copy)]
struct Role {
    key: &'static str,
    kind: Kind,
    names: &'static [Target],
    required: bool,
}

const fn role(key: &'static str, kind: Kind, names: &'static [Target], required: bool) -> Role {
    Role { key, kind, names, required }
}

fn roles(shape: Shape) -> &'static [Role] {
    use Kind::*;
    use Target as T;
    const PARTY: [Role; 3] = [
        role("client_id", Id, &[T::ClientId], true),
        role("client_name", Text, &[T::ClientName], false),
        role("company_number", Id, &[T::CompanyNumber], false),
    ];
    const INVOICES: [Role; 13] = [
        PARTY[0],
        PARTY[1],
        PARTY[2],
        role("document_id", Id, &[T::DocumentId], true),
        role("issue_date", Date, &[T::IssueDate], true),
        role("due_date", Date, &[T::DueDate], false),
        role("terms_days", Number, &[T::TermsDays], false),
        role("amount", Money, &[T::Amount], true),
        role("currency", Id, &[T::Currency], false),
        role("reference", Id, &[T::Reference], false),
        role("settled_date", Date, &[T::PaymentDate], false),
        role("paid_amount", Money, &[T::PaidAmount], false),
        role("disputed", Id, &[T::Disputed], false),
    ];
    const PAYMENTS: [Role; 8] = [
        PARTY[0],
        PARTY[1],
        PARTY[2],
        role("payment_id", Id, &[T::PaymentId], false),
        role("payment_date", Date, &[T::PaymentDate, T::IssueDate], true),
        role("amount", Money, &[T::Amount], true),
        role("currency", Id, &[T::Currency], false),
        // A payment file's invoice number is the invoice the payment settles.
        role("reference", Id, &[T::Reference, T::DocumentId], false),
    ];
    const LEDGER: [Role; 12] = [
        PARTY[0],
        PARTY[1],
        PARTY[2],
        role("document_id", Id, &[T::DocumentId], true),
        role("doc_type", Id, &[T::DocType], true),
        role("issue_date", Date, &[T::IssueDate], true),
        role("due_date", Date, &[T::DueDate], false),
        role("terms_days", Number, &[T::TermsDays], false),
        role("amount", Money, &[T::Amount], true),
        role("currency", Id, &[T::Currency], false),
        role("reference", Id, &[T::Reference], false),
        role("disputed", Id, &[T::Disputed], false),
    ];
    const BUREAU: [Role; 15] = [
        role("company_number", Id, &[T::CompanyNumber], true),
        role("client_id", Id, &[T::ClientId], false),
        role("snapshot_date", Date, &[T::SnapshotDate, T::IssueDate], true),
        role("name", Text, &[T::ClientName], false),
        role("credit_limit", Money, &[T::CreditLimit], false),
        role("score", Number, &[T::Score], false),
        role("payment_score", Number, &[T::PaymentScore], false),
        role("growth_score", Number, &[T::GrowthScore], false),
        role("discontinuation_score", Number, &[T::DiscontinuationScore], false),
        role("credit_flag", Id, &[T::CreditFlag], false),
        role("rating", Id, &[T::Rating], false),
        role("status", Text, &[T::Status], false),
        role("address", Text, &[T::Address], false),
        role("board", Text, &[T::Board], false),
        role("legal_form", Text, &[T::LegalForm], false),
    ];
    const OPEN_ITEMS: [Role; 10] = [
        PARTY[0],
        PARTY[1],
        PARTY[2],
        role("document_id", Id, &[T::DocumentId], true),
        role("issue_date", Date, &[T::IssueDate], true),
        role("due_date", Date, &[T::DueDate], false),
        role("terms_days", Number, &[T::TermsDays], false),
        // The open amount, not the original one.
        role("amount", Money, &[T::OpenAmount], true),
        role("currency", Id, &[T::Currency], false),
        role("disputed", Id, &[T::Disputed], false),
    ];
    const LOG: [Role; 8] = [
        PARTY[0],
        PARTY[1],
        role("date", Date, &[T::IssueDate, T::SnapshotDate, T::PaymentDate], true),
        role("kind", Id, &[T::EventKind, T::DocType], true),
        role("document_id", Id, &[T::DocumentId, T::Reference], false),
        role("amount", Money, &[T::Amount], false),
        role("promised_date", Date, &[T::PromisedDate], false),
        role("text", Text, &[T::LogText], false),
    ];
    const SCHEDULE: [Role; 5] = [
        role("document_id", Id, &[T::DocumentId, T::Reference], true),
        role("due_date", Date, &[T::DueDate], true),
        role("amount", Money, &[T::Amount], true),
        role("client_id", Id, &[T::ClientId], false),
        role("currency", Id, &[T::Currency], false),
    ];
    match shape {
        Shape::Schedule => &SCHEDULE,
        Shape::Log => &LOG,
        Shape::OpenItems => &OPEN_ITEMS,
        Shape::Invoices => &INVOICES,
        Shape::Payments => &PAYMENTS,
        Shape::Ledger => &LEDGER,
        Shape::Bureau => &BUREAU,
    }
}

/// A column chosen for a field, with the evidence.
#[derive(Clone, Debug)]
pub struct Pick {
    /// The field's key under `[columns]`.
    pub key: &'static str,
    /// The column.
    pub column: Column,
    /// How sure: the header's name times the values' fit, 0 to 1.
    pub score: f64,
}

impl Pick {
    /// `high`, `medium` or `low`.
    pub fn confidence(&self) -> &'static str {
        if self.score >= 0.95 {
            "high"
        } else if self.score >= 0.75 {
            "medium"
        } else {
            "low"
        }
    }
}

/// The proposal for one table.
#[derive(Clone, Debug)]
pub struct Proposal {
    /// The file.
    pub file: PathBuf,
    /// Its sheet, for a workbook.
    pub sheet: Option<String>,
    /// The encoding and delimiter, for a text file.
    pub encoding: Option<&'static str>,
    /// The delimiter.
    pub delimiter: Option<u8>,
    /// Rows (non-empty lines) above the header.
    pub skip_rows: usize,
    /// What the rows are, and why.
    pub shape: Shape,
    /// Why that shape.
    pub why: String,
    /// The columns chosen, in the order of the shape's fields.
    pub picks: Vec<Pick>,
    /// Date formats per date field (text dates only).
    pub date_formats: Vec<(&'static str, DateFormat)>,
    /// The decimal mark, when the values show it.
    pub decimal: Option<char>,
    /// Document types per kind (`invoice`, `credit_note`, `payment`, `ignore`), ledgers only.
    pub doc_types: BTreeMap<&'static str, Vec<String>>,
    /// A ledger that writes payments negative.
    pub payments_negative: bool,
    /// The currency of every amount, when no column says it.
    pub fixed_currency: Option<String>,
    /// What could not be decided, each with its reason; required fields among them make the
    /// mapping unusable until edited.
    pub undecided: Vec<String>,
    /// Choices made from the table as a whole, said so the reader can check them.
    pub notes: Vec<String>,
    /// Whether a required field is among the undecided.
    pub incomplete: bool,
    /// Data rows looked at.
    pub rows: usize,
    /// The shipped preset whose columns the header has, when one does: the mapping then
    /// names it instead of listing the columns.
    pub preset: Option<&'static str>,
}

/// The header row: the one of the first 30 whose cells name the most fields (at least two).
fn header_row(table: &SampleTable) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, cells)) in table.rows.iter().enumerate().take(30) {
        let named = cells
            .iter()
            .filter(|c| {
                let t = c.text();
                Target::ALL.iter().any(|&target| header_score(target, &t) >= 0.8)
            })
            .count();
        if named >= 2 && best.is_none_or(|(_, n)| named > n) {
            best = Some((i, named));
        }
    }
    best.map(|(i, _)| i)
}

/// What a document-type value means, when it is one of the usual codes or words.
fn doc_kind(value: &str) -> Option<&'static str> {
    let v = normalise(value);
    let is = |list: &[&str]| list.contains(&v.as_str());
    if is(&[
        "rv",
        "dr",
        "factuur",
        "verkoopfactuur",
        "invoice",
        "customer invoice",
        "facture",
        "fac",
        "inv",
        "rechnung",
        "ausgangsrechnung",
        "out invoice",
        "fa",
        "vf",
    ]) {
        Some("invoice")
    } else if is(&[
        "dg",
        "cn",
        "crn",
        "g2",
        "creditnota",
        "credit nota",
        "creditnote",
        "credit note",
        "credit memo",
        "creditmemo",
        "avoir",
        "av",
        "avo",
        "note de credit",
        "gutschrift",
        "out refund",
        "vc",
    ]) {
        Some("credit_note")
    } else if is(&[
        "dz",
        "betaling",
        "bet",
        "payment",
        "paiement",
        "reglement",
        "reg",
        "rgl",
        "encaissement",
        "zahlung",
        "ontvangst",
        "receipt",
        "pmt",
        "bank",
        "zahlungseingang",
        "customer payment",
    ]) {
        Some("payment")
    } else if is(&["ab"]) {
        // SAP's clearing documents move nothing between the company and its client.
        Some("ignore")
    } else {
        None
    }
}

/// Whether the file or sheet is named with one of `words` (normalised).
fn named_as(path: &Path, sheet: Option<&str>, words: &[&str]) -> bool {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let name = normalise(&format!("{stem} {}", sheet.unwrap_or("")));
    words.iter().any(|w| name.contains(w))
}

/// Whether the file or sheet is named as payments.
fn is_payments_file(path: &Path, sheet: Option<&str>) -> bool {
    let words = ["betaling", "payment", "paiement", "zahlung", "receipt", "ontvangst", "reglement", "encaissement"];
    named_as(path, sheet, &words)
}

/// Whether the file or sheet is named as payment schedules.
fn is_schedule_file(path: &Path, sheet: Option<&str>) -> bool {
    let words = ["termijnen", "schedule", "instalment", "installment", "echeancier", "betalingsschema", "ratenplan"];
    named_as(path, sheet, &words)
}

/// A data row of the sample.
type Row<'a> = &'a Vec<SampleCell>;

/// What the rows of a table are, and why: bureau snapshots, a ledger, payments or invoices.
fn shape_of(path: &Path, sheet: Option<&str>, columns: &[Column]) -> (Shape, String) {
    let best = |t: Target| columns.iter().map(|c| header_score(t, &c.header)).fold(0.0, f64::max);
    let bureau_fields = [
        Target::Score,
        Target::PaymentScore,
        Target::Rating,
        Target::CreditLimit,
        Target::GrowthScore,
        Target::DiscontinuationScore,
        Target::CreditFlag,
        Target::Status,
    ];
    let bureau_named = bureau_fields.iter().filter(|&&t| best(t) >= 0.8).count();
    let type_column = columns.iter().find(|c| header_score(Target::DocType, &c.header) >= 0.8 && c.distinct.len() >= 2);
    // A collector's log: a promised-date column, or a column whose values are the words of a
    // log's kinds (Belofte, Betwisting, Telefoon…).
    let log_words = columns.iter().find(|c| {
        c.distinct.iter().filter(|v| LogKind::WORDS.iter().any(|(w, _)| w.eq_ignore_ascii_case(v.trim()))).count() >= 2
    });
    if best(Target::PromisedDate) >= 0.8 || log_words.is_some() && best(Target::DueDate) < 0.8 {
        let why = match log_words {
            Some(c) => format!(
                "a column '{}' of log entries ({})",
                c.header,
                c.distinct.iter().take(6).cloned().collect::<Vec<_>>().join(", ")
            ),
            None => "a promised-date column".to_string(),
        };
        (Shape::Log, format!("the collector's log: {why}"))
    } else if best(Target::DueDate) >= 0.8
        && best(Target::IssueDate) < 0.8
        && (best(Target::Instalment) >= 0.8 || is_schedule_file(path, sheet))
    {
        // Invoices always carry their issue date; rows with a due date, an instalment number
        // (or a file named so) and no issue date are the instalments of the ledger's invoices.
        let why = match columns.iter().find(|c| header_score(Target::Instalment, &c.header) >= 0.8) {
            Some(c) => format!("an instalment column '{}'", c.header),
            None => "named as such".to_string(),
        };
        (Shape::Schedule, format!("payment schedules: due dates and amounts without an issue date, {why}"))
    } else if best(Target::CompanyNumber) >= 0.8 && bureau_named >= 2 && best(Target::Amount) < 0.8 {
        (Shape::Bureau, format!("a company number and {bureau_named} bureau fields (score, rating, limit…), no amount"))
    } else if let Some(c) = type_column {
        let values = c.distinct.iter().take(6).cloned().collect::<Vec<_>>().join(", ");
        (Shape::Ledger, format!("a document-type column '{}' ({values})", c.header))
    } else if best(Target::OpenAmount) >= 0.8 && best(Target::PaymentDate) < 0.8 {
        (Shape::OpenItems, "an open-amount column and no settled date: what was open on one date".to_string())
    } else if (is_payments_file(path, sheet) || best(Target::PaymentId) >= 1.0)
        && best(Target::DueDate) < 0.8
        && best(Target::TermsDays) < 0.8
    {
        (Shape::Payments, "named as payments (file or column), with no due date or terms".to_string())
    } else if best(Target::PaymentDate) >= 0.8 {
        (Shape::Invoices, "invoices with the date they were settled".to_string())
    } else {
        (Shape::Invoices, "documents with an issue date and no document-type column".to_string())
    }
}

/// What was chosen and what was not.
#[derive(Default)]
struct Findings {
    picks: Vec<Pick>,
    undecided: Vec<String>,
    notes: Vec<String>,
    incomplete: bool,
}

/// The columns of the shape's fields: every (field, column) whose header names the field,
/// best first, each column once; a column's values must fit (dates read as dates, amounts as
/// money) or it is said why not.
fn assign(shape: Shape, columns: &[Column]) -> Findings {
    let mut f = Findings::default();
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    // A column named like a field whose values do not fit it: said only when nothing else was
    // made of either (a column mapped to another field is decided, as is a field mapped to
    // another column).
    let mut misfits: Vec<(usize, usize, String)> = Vec::new();
    for (ri, r) in roles(shape).iter().enumerate() {
        for (ci, c) in columns.iter().enumerate() {
            let named = r.names.iter().map(|&t| header_score(t, &c.header)).fold(0.0, f64::max);
            if named == 0.0 {
                continue;
            }
            let fit = c.fit(r.kind);
            let enough = match r.kind {
                Kind::Date | Kind::Money => fit >= 0.9,
                Kind::Number => fit >= 0.5,
                Kind::Id | Kind::Text => c.filled > 0,
            };
            if enough {
                candidates.push((named * (0.5 + 0.5 * fit), ri, ci));
            } else {
                let why = format!(
                    "'{}' is named like {} but {:.0} % of its {} values read as one",
                    c.header,
                    r.key,
                    fit * 100.0,
                    c.filled
                );
                misfits.push((ri, ci, why));
            }
        }
    }
    // Required fields choose first: a lone "Partner" column is the client, not only its name.
    let required = |ri: usize| roles(shape)[ri].required;
    candidates.sort_by(|a, b| {
        required(b.1).cmp(&required(a.1)).then(b.0.total_cmp(&a.0)).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    });
    let mut chosen: Vec<Option<(usize, f64)>> = vec![None; roles(shape).len()];
    let mut used = vec![false; columns.len()];
    for (score, ri, ci) in candidates {
        if chosen[ri].is_none() && !used[ci] {
            chosen[ri] = Some((ci, score));
            used[ci] = true;
        }
    }
    for (ri, ci, why) in misfits {
        if chosen[ri].is_none() && !used[ci] {
            f.undecided.push(why);
        }
    }
    for (r, c) in roles(shape).iter().zip(&chosen) {
        match c {
            Some((ci, score)) => f.picks.push(Pick { key: r.key, column: columns[*ci].clone(), score: *score }),
            None if r.required => {
                f.incomplete = true;
                let unused: Vec<String> =
                    columns.iter().zip(&used).filter(|(_, u)| !**u).map(|(c, _)| format!("'{}'", c.header)).collect();
                f.undecided.push(format!(
                    "{} (required): no column is named like it; columns not used: {}",
                    r.key,
                    if unused.is_empty() { "none".to_string() } else { unused.join(", ") }
                ));
            }
            None => {}
        }
    }
    f
}

/// The date format of each date field. A column whose own values fit day-first and
/// month-first alike reads as the table's other date columns do, when they agree and its
/// values fit, with a note; else it is an ambiguity, as the run would find.
fn date_formats(shape: Shape, f: &mut Findings, data: &[Row]) -> Vec<(&'static str, DateFormat)> {
    let settled: Vec<&DateFormat> =
        f.picks.iter().filter_map(|p| if let Dates::Format(d, _) = &p.column.dates { Some(d) } else { None }).collect();
    let table_format = settled.first().filter(|d| settled.iter().all(|g| g == *d)).map(|d| (*d).clone());
    for p in f.picks.iter_mut() {
        if let (Dates::Ambiguous(_), Some(d)) = (&p.column.dates, &table_format) {
            let texts: Vec<String> = data.iter().filter_map(|r| r.get(p.column.index)).map(|c| c.text()).collect();
            if texts.iter().filter(|t| !t.is_empty()).all(|t| d.parse_text(t).is_some()) {
                f.notes.push(format!(
                    "{}: its values fit day-first and month-first alike; read as {} like the other date columns",
                    p.key,
                    d.describe()
                ));
                p.column.dates = Dates::Format(d.clone(), 1.0);
            }
        }
    }
    let is_date = |key: &str| roles(shape).iter().any(|r| r.key == key && r.kind == Kind::Date);
    let mut out = Vec::new();
    for p in &f.picks {
        match &p.column.dates {
            Dates::Format(d, _) if is_date(p.key) => out.push((p.key, d.clone())),
            Dates::Ambiguous(why) if is_date(p.key) => {
                f.incomplete = true;
                f.undecided.push(format!("{}: {why}; set its format under [column_date_formats]", p.key));
            }
            _ => {}
        }
    }
    out
}

/// The decimal mark the money columns show most.
fn decimal_of(picks: &[Pick]) -> Option<char> {
    let mut marks: BTreeMap<char, usize> = BTreeMap::new();
    for p in picks.iter().filter(|p| matches!(p.key, "amount" | "paid_amount" | "credit_limit")) {
        if let Some(m) = p.column.money.1 {
            *marks.entry(m).or_default() += 1;
        }
    }
    marks.into_iter().max_by_key(|(_, n)| *n).map(|(m, _)| m)
}

/// A ledger's document types by kind, and whether most payment lines are negative; a value
/// that is no usual code is left undecided.
fn ledger_types(f: &mut Findings, data: &[Row], decimal: Option<char>) -> (BTreeMap<&'static str, Vec<String>>, bool) {
    let mut doc_types: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let Some(t) = f.picks.iter().find(|p| p.key == "doc_type") else { return (doc_types, false) };
    let mut unknown = Vec::new();
    for v in &t.column.distinct {
        match doc_kind(v) {
            Some(k) => doc_types.entry(k).or_default().push(v.clone()),
            None => unknown.push(format!("'{v}'")),
        }
    }
    if !unknown.is_empty() {
        f.undecided.push(format!(
            "document types {}: not a usual code; add each under [doc_types] (invoice, credit_note, payment or ignore), \
             or its rows are rejected as of an unknown type",
            unknown.join(", ")
        ));
    }
    let Some(a) = f.picks.iter().find(|p| p.key == "amount") else { return (doc_types, false) };
    let fmt = NumberFormat { decimal: decimal.unwrap_or('.') };
    let (mut neg, mut all) = (0, 0);
    for row in data {
        let (Some(ty), Some(am)) = (row.get(t.column.index), row.get(a.column.index)) else { continue };
        if doc_types.get("payment").is_some_and(|p| p.contains(&ty.text())) {
            all += 1;
            if parse_amount(&am.text(), fmt, 2).is_ok_and(|v| v < 0) {
                neg += 1;
            }
        }
    }
    (doc_types, all > 0 && neg * 2 > all)
}

/// The proposal for `table` of `path`; none when no row looks like a header. The steps read
/// in the order a person takes them: header, shape, fields, formats, document types.
pub fn propose(path: &Path, table: &SampleTable, currency: &str) -> Option<Proposal> {
    let h = header_row(table)?;
    let (skip_rows, header) = &table.rows[h];
    let data: Vec<Row> =
        table.rows[h + 1..].iter().map(|(_, r)| r).filter(|r| r.iter().any(|c| !c.is_empty())).collect();
    let empty = SampleCell::Empty;
    let columns: Vec<Column> = header
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.is_empty())
        .map(|(i, c)| {
            let values: Vec<&SampleCell> = data.iter().map(|r| r.get(i).unwrap_or(&empty)).collect();
            Column::new(i, &c.text(), &values)
        })
        .collect();
    let (shape, why) = shape_of(path, table.sheet.as_deref(), &columns);
    let mut f = assign(shape, &columns);
    let date_formats = date_formats(shape, &mut f, &data);
    let decimal = decimal_of(&f.picks);
    let (doc_types, payments_negative) =
        if shape == Shape::Ledger { ledger_types(&mut f, &data, decimal) } else { (BTreeMap::new(), false) };
    let fixed_currency = (!f.picks.iter().any(|p| p.key == "currency")).then(|| currency.to_string());
    Some(Proposal {
        file: path.to_path_buf(),
        sheet: table.sheet.clone(),
        encoding: table.encoding,
        delimiter: table.delimiter,
        skip_rows: *skip_rows,
        shape,
        why,
        picks: f.picks,
        date_formats,
        decimal,
        doc_types,
        payments_negative,
        fixed_currency,
        undecided: f.undecided,
        notes: f.notes,
        incomplete: f.incomplete,
        rows: data.len(),
        preset: preset_of(&header.iter().map(|c| c.text()).collect::<Vec<_>>()),
    })
}

/// The preset every one of whose columns the header has, four of them at least by name (a
/// column number fits any wide enough header, so it proves nothing).
fn preset_of(header: &[String]) -> Option<&'static str> {
    use crate::ingest::mapping::ColumnRef;
    crate::ingest::preset::PRESETS.iter().find_map(|(name, _, text)| {
        let m: crate::ingest::mapping::Mapping = toml::from_str(text).ok()?;
        let by_name = |c: &ColumnRef| match c {
            ColumnRef::Index(_) => false,
            ColumnRef::Name(n) => !n.starts_with('#') && !n.starts_with('@'),
            ColumnRef::Any(_) => true,
        };
        let named = m.columns.values().filter(|c| by_name(c)).count();
        (m.header && named >= 4 && m.columns.values().all(|c| c.resolve(header).is_ok())).then_some(*name)
    })
}

#[cfg(test)]
mod tests;
