//! Mapping files: how one source's columns, numbers and dates become ledger fields.
//!
//! A mapping is data, one TOML file per export layout (see `docs/mapping.md`). Column references
//! are resolved against the header once, so every row conversion is a plain index lookup.

use super::parse::{DateFormat, DateFormatError, NumberFormat};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Why a mapping cannot be used: a key it holds, or a column its header lacks.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MappingError {
    /// A field name arwatch does not know.
    #[error("unknown field '{name}'; known fields: {known}")]
    UnknownField {
        /// The name written.
        name: String,
        /// The names known, comma-separated.
        known: String,
    },
    /// A setting that cannot be used: which one, and what is wrong with it.
    #[error("{problem}")]
    Setting {
        /// The key (`decimal`, `doc_types`, `zero_pad`…).
        key: &'static str,
        /// What is wrong, with what would do.
        problem: String,
    },
    /// A date format that cannot be used.
    #[error("{0}")]
    DateFormat(#[from] DateFormatError),
    /// The preset named, or merging over it.
    #[error("{0}")]
    Preset(String),
    /// The TOML does not make a mapping (an unknown key, a value of the wrong type).
    #[error("{0}")]
    Toml(String),
    /// A column the header lacks.
    #[error("no column named {0}")]
    NoColumn(String),
    /// `#x` that is no number.
    #[error("'{0}' is not a column number")]
    NotANumber(String),
    /// `@x` that is no column letter.
    #[error("'{0}' is not a column letter")]
    NotALetter(String),
    /// A column number beyond the header.
    #[error("column {index} does not exist (the header has {width} columns)")]
    OutOfRange {
        /// The 1-based number written.
        index: usize,
        /// The header's columns.
        width: usize,
    },
}

impl MappingError {
    fn setting(key: &'static str, problem: impl Into<String>) -> MappingError {
        MappingError::Setting { key, problem: problem.into() }
    }
}

/// What a row of the source is when there is no document-type column.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// Invoices (a negative amount is a credit note); may carry a settled date.
    #[default]
    Invoices,
    /// Payments received (a negative amount is a reversal).
    Payments,
    /// Mixed documents: the `doc_type` column says which, through `[doc_types]`.
    Ledger,
    /// Credit-bureau snapshots: one company on one date.
    Bureau,
    /// What was open on one date: one row per open invoice or credit, its amount the open
    /// amount (the input's `snapshot_date` in the configuration says which date).
    OpenItems,
    /// The collector's log: one event (a promise to pay, a dispute opened or resolved, a call,
    /// a note) on one date; the `kind` column says which, through `[log_kinds]`.
    Log,
    /// Payment schedules: one row per instalment of an invoice of the ledger (document, due
    /// date, amount).
    Schedule,
}

/// The fields arwatch reads from document and payment sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The client's id in the ledger.
    ClientId,
    /// The client's name.
    ClientName,
    /// The client's (or the bureau row's) company number.
    CompanyNumber,
    /// The document or payment id.
    DocumentId,
    /// The document type (invoice, credit note, payment) of a ledger export.
    DocType,
    /// The issue, payment or snapshot date.
    Date,
    /// The due date.
    DueDate,
    /// Payment terms in days, when there is no due date.
    TermsDays,
    /// The amount.
    Amount,
    /// The currency code.
    Currency,
    /// The invoice a payment or credit note refers to.
    Reference,
    /// The date an invoice was settled (invoice lists with a paid date).
    SettledDate,
    /// The amount paid on it.
    PaidAmount,
    /// Whether the invoice is disputed.
    Disputed,
    /// The bureau's credit limit.
    CreditLimit,
    /// The bureau's score.
    Score,
    /// The bureau's payment score.
    PaymentScore,
    /// The bureau's rating.
    Rating,
    /// The legal status.
    Status,
    /// The registered address.
    Address,
    /// The board.
    Board,
    /// The legal form.
    LegalForm,
    /// The bureau's growth score.
    GrowthScore,
    /// The bureau's discontinuation score (opheffingsscore).
    DiscontinuationScore,
    /// The bureau's credit flag (green, orange, red).
    CreditFlag,
    /// What a collector's log row is (promise, dispute opened…), in the user's words.
    EventKind,
    /// The date a client promised to pay by.
    PromisedDate,
    /// Free text (what was said).
    Text,
    /// The name of the invoice's payment term, expanded through the configuration's
    /// `[payment_terms]` into instalments.
    PaymentTerm,
    /// The invoice's whole amount, on the rows of an export written one row per instalment.
    InvoiceAmount,
}

impl Field {
    /// Every field, in the order of the enum.
    pub const ALL: [Field; 30] = [
        Field::ClientId,
        Field::ClientName,
        Field::CompanyNumber,
        Field::DocumentId,
        Field::DocType,
        Field::Date,
        Field::DueDate,
        Field::TermsDays,
        Field::Amount,
        Field::Currency,
        Field::Reference,
        Field::SettledDate,
        Field::PaidAmount,
        Field::Disputed,
        Field::CreditLimit,
        Field::Score,
        Field::PaymentScore,
        Field::Rating,
        Field::Status,
        Field::Address,
        Field::Board,
        Field::LegalForm,
        Field::GrowthScore,
        Field::DiscontinuationScore,
        Field::CreditFlag,
        Field::EventKind,
        Field::PromisedDate,
        Field::Text,
        Field::PaymentTerm,
        Field::InvoiceAmount,
    ];

    /// The field's name in a mapping's `[columns]`.
    pub fn name(self) -> &'static str {
        match self {
            Field::ClientId => "client_id",
            Field::ClientName => "client_name",
            Field::CompanyNumber => "company_number",
            Field::DocumentId => "document_id",
            Field::DocType => "doc_type",
            Field::Date => "date",
            Field::DueDate => "due_date",
            Field::TermsDays => "terms_days",
            Field::Amount => "amount",
            Field::Currency => "currency",
            Field::Reference => "reference",
            Field::SettledDate => "settled_date",
            Field::PaidAmount => "paid_amount",
            Field::Disputed => "disputed",
            Field::CreditLimit => "credit_limit",
            Field::Score => "score",
            Field::PaymentScore => "payment_score",
            Field::Rating => "rating",
            Field::Status => "status",
            Field::Address => "address",
            Field::Board => "board",
            Field::LegalForm => "legal_form",
            Field::GrowthScore => "growth_score",
            Field::DiscontinuationScore => "discontinuation_score",
            Field::CreditFlag => "credit_flag",
            Field::EventKind => "kind",
            Field::PromisedDate => "promised_date",
            Field::Text => "text",
            Field::PaymentTerm => "payment_term",
            Field::InvoiceAmount => "invoice_amount",
        }
    }

    /// Reads a field name from a mapping file; `issue_date` and `payment_date` name the date.
    pub fn from_name(s: &str) -> Option<Field> {
        match s {
            "issue_date" | "payment_date" | "document_date" | "snapshot_date" => Some(Field::Date),
            "name" => Some(Field::ClientName),
            "payment_id" => Some(Field::DocumentId),
            "ref_document_id" => Some(Field::Reference),
            _ => Field::ALL.iter().copied().find(|f| f.name() == s),
        }
    }

    /// Whether the field holds a date.
    pub fn is_date(self) -> bool {
        matches!(self, Field::Date | Field::DueDate | Field::SettledDate | Field::PromisedDate)
    }
}

/// A column reference: a header name, a 1-based index (`3` or `"#3"`) or a letter (`"@C"`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum ColumnRef {
    /// A 1-based column number.
    Index(usize),
    /// A header name, `#3` or `@C`.
    Name(String),
    /// The first of these that the header has: one field's name in several languages or
    /// versions of an export (presets use it).
    Any(Vec<String>),
}

impl ColumnRef {
    /// Finds the 0-based column in a header row, or explains what the header has instead.
    // Long on purpose: every mapping setting is checked in one place, in the order of
    // docs/mapping.md, each with its own message.
    pub fn resolve(&self, header: &[String]) -> Result<usize, MappingError> {
        let index = match self {
            ColumnRef::Any(names) => {
                return names.iter().find_map(|n| ColumnRef::Name(n.clone()).resolve(header).ok()).ok_or_else(|| {
                    MappingError::NoColumn(names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(" or "))
                });
            }
            ColumnRef::Index(i) => Some(*i),
            ColumnRef::Name(n) => {
                if let Some(num) = n.strip_prefix('#') {
                    Some(num.trim().parse::<usize>().map_err(|_| MappingError::NotANumber(n.clone()))?)
                } else if let Some(letters) = n.strip_prefix('@') {
                    Some(column_from_letters(letters).ok_or_else(|| MappingError::NotALetter(n.clone()))?)
                } else {
                    let want = normalise_header(n);
                    return header
                        .iter()
                        .position(|h| normalise_header(h) == want)
                        .ok_or_else(|| MappingError::NoColumn(format!("'{n}'")));
                }
            }
        };
        match index {
            Some(i) if i >= 1 && i <= header.len() => Ok(i - 1),
            Some(i) => Err(MappingError::OutOfRange { index: i, width: header.len() }),
            None => unreachable!("index always set above"),
        }
    }
}

/// Header names compare without case, surrounding blanks or a byte-order mark.
pub(super) fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}').trim().to_lowercase()
}

/// `A` is column 1, `Z` 26, `AA` 27.
pub fn column_from_letters(s: &str) -> Option<usize> {
    let s = s.trim();
    if s.is_empty() || s.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for c in s.chars() {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
    }
    Some(n)
}

/// Excel-style letters for a 0-based column, for messages about sheet cells.
pub fn column_letters(mut i: usize) -> String {
    let mut out = Vec::new();
    i += 1;
    while i > 0 {
        let r = (i - 1) % 26;
        out.push((b'A' + r as u8) as char);
        i = (i - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A mapping file as written by the user.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// `csv` or `xlsx` (also xls, ods); default from the file name.
    pub format: Option<String>,
    /// What a row is: `invoices`, `payments` or `ledger`.
    #[serde(default)]
    pub rows: RowKind,
    /// Field delimiter for CSV; detected from the header line when absent.
    pub delimiter: Option<String>,
    /// `utf-8`, `windows-1252` or `iso-8859-1`; detected when absent.
    pub encoding: Option<String>,
    /// Worksheet name for spreadsheets; the first sheet when absent.
    pub sheet: Option<String>,
    /// Rows before the header row (report banners).
    #[serde(default)]
    pub skip_rows: usize,
    /// Quoted CSV fields may span several lines (an address or a note with line breaks). Off by
    /// default: a record over several lines then stops the run, because it is nearly always a
    /// quote left open that would swallow the rows after it.
    #[serde(default)]
    pub multiline: bool,
    /// Decimal mark: `.` (default) or `,`.
    pub decimal: Option<String>,
    /// Date formats for every date column, tried in order; detected when absent.
    #[serde(default)]
    pub date_formats: Vec<String>,
    /// Spreadsheet epoch for numeric date cells: 1900 (default) or 1904.
    pub excel_epoch: Option<u32>,
    /// For payments in a ledger export: payments written as negative amounts (credit side).
    #[serde(default)]
    pub payments_negative: bool,
    /// Field name -> column.
    #[serde(default)]
    pub columns: BTreeMap<String, ColumnRef>,
    /// Per-column date formats, overriding `date_formats`.
    #[serde(default)]
    pub column_date_formats: BTreeMap<String, Vec<String>>,
    /// Values for fields that have no column (`currency = "EUR"`, `terms_days = 30`).
    #[serde(default)]
    pub fixed: BTreeMap<String, toml::Value>,
    /// Document-type values, for `rows = "ledger"`: `invoice`, `credit_note`, `payment`, `ignore`.
    #[serde(default)]
    pub doc_types: BTreeMap<String, Vec<String>>,
    /// Values of the disputed column that mean "disputed" (default: yes, y, true, 1, ja, oui, x).
    pub disputed_values: Option<Vec<String>>,
    /// For `rows = "log"`: the `kind` column's values that mean `promise`, `dispute_opened`,
    /// `dispute_resolved`, `call`, `note`, `handover` or `ignore`, beside the English, Dutch and French
    /// words arwatch knows ([`LogKind::WORDS`]).
    #[serde(default)]
    pub log_kinds: BTreeMap<String, Vec<String>>,
    /// Identifier fields whose all-digit values are left-padded with zeros to this width, to
    /// undo a spreadsheet re-save that dropped them (`document_id = 10`).
    #[serde(default)]
    pub zero_pad: BTreeMap<String, usize>,
    /// A report grouped by client: a title row (one cell) opens each client's block, the
    /// header may repeat under it, subtotal rows close it. Title and repeated header rows are
    /// listed as such in rejected.csv; without a client_id column the title is the client.
    #[serde(default)]
    pub grouped: bool,
    /// One row per invoice line (Xero): a document's rows repeat it, so its repeats are
    /// counted once and listed as its lines, not as duplicates in error.
    #[serde(default)]
    pub repeated_lines: bool,
    /// One row per instalment (ERPNext's receivable report by payment terms, Odoo's receivable
    /// journal items): the invoice rows of one client sharing a document id are the lines of
    /// its payment schedule, each with its own due date and amount.
    #[serde(default)]
    pub instalment_rows: bool,
    /// Rows to read: column -> the values kept (`"Account" = ["400000"]`); other rows are
    /// listed in rejected.csv as left out by the mapping, not as errors.
    #[serde(default)]
    pub keep: BTreeMap<String, Vec<String>>,
    /// Whether the first row (after `skip_rows`) holds the column names; without one, columns
    /// are named by number (`"#3"`). Text files only.
    #[serde(default = "yes")]
    pub header: bool,
}

fn yes() -> bool {
    true
}

/// A document type from a ledger export's type column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeOfRow {
    /// An invoice.
    Invoice,
    /// A credit note.
    CreditNote,
    /// A payment.
    Payment,
    /// A row the mapping leaves out (a type it does not report on).
    Ignore,
}

/// What a row of the collector's log is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogKind {
    /// The client promised to pay (an amount, or the documents named) by a date.
    Promise,
    /// The client disputes a document.
    DisputeOpened,
    /// The dispute about a document is settled.
    DisputeResolved,
    /// A call: kept in the log, counts for nothing.
    Call,
    /// A note: kept in the log, counts for nothing.
    Note,
    /// The client's debt was handed to a collection agency or a lawyer: a failure in the
    /// early-warning record (docs/monitoring.md).
    Handover,
    /// A row the mapping leaves out.
    Ignore,
}

impl LogKind {
    /// The kinds by their names in `[log_kinds]`.
    pub const NAMES: [(&'static str, LogKind); 7] = [
        ("promise", LogKind::Promise),
        ("dispute_opened", LogKind::DisputeOpened),
        ("dispute_resolved", LogKind::DisputeResolved),
        ("call", LogKind::Call),
        ("note", LogKind::Note),
        ("handover", LogKind::Handover),
        ("ignore", LogKind::Ignore),
    ];

    /// The words a log's kind column is understood in without a `[log_kinds]` table, compared
    /// without case: English, Dutch and French as collectors write them.
    pub const WORDS: [(&'static str, LogKind); 29] = [
        ("promise", LogKind::Promise),
        ("promise to pay", LogKind::Promise),
        ("betalingsbelofte", LogKind::Promise),
        ("belofte", LogKind::Promise),
        ("promesse", LogKind::Promise),
        ("promesse de paiement", LogKind::Promise),
        ("dispute", LogKind::DisputeOpened),
        ("dispute opened", LogKind::DisputeOpened),
        ("betwisting", LogKind::DisputeOpened),
        ("geschil", LogKind::DisputeOpened),
        ("litige", LogKind::DisputeOpened),
        ("contestation", LogKind::DisputeOpened),
        ("dispute resolved", LogKind::DisputeResolved),
        ("betwisting opgelost", LogKind::DisputeResolved),
        ("geschil opgelost", LogKind::DisputeResolved),
        ("litige résolu", LogKind::DisputeResolved),
        ("call", LogKind::Call),
        ("telefoon", LogKind::Call),
        ("gesprek", LogKind::Call),
        ("appel", LogKind::Call),
        ("note", LogKind::Note),
        ("notitie", LogKind::Note),
        ("e-mail", LogKind::Note),
        ("email", LogKind::Note),
        ("handover", LogKind::Handover),
        ("handed over", LogKind::Handover),
        ("overdracht", LogKind::Handover),
        ("incasso", LogKind::Handover),
        ("recouvrement", LogKind::Handover),
    ];

    /// Its name in `[log_kinds]`.
    pub fn name(self) -> &'static str {
        LogKind::NAMES.iter().find(|(_, k)| *k == self).map_or("", |(n, _)| n)
    }
}

/// A mapping checked and ready to apply: formats parsed, doc types indexed.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// What the rows are.
    pub rows: RowKind,
    /// How numbers are written.
    pub number: NumberFormat,
    /// Date formats per date field.
    pub date_formats: BTreeMap<Field, Vec<DateFormat>>,
    /// Date formats of date fields without their own.
    pub default_date_formats: Vec<DateFormat>,
    /// How a sheet's numeric dates are counted (1900 or 1904 epoch).
    pub excel_epoch: DateFormat,
    /// Payments are written negative in the ledger export (turned on reading).
    pub payments_negative: bool,
    /// Values that hold for every row (`[fixed]`).
    pub fixed: BTreeMap<Field, String>,
    /// Document-type codes and what they mean.
    pub doc_types: Vec<(String, TypeOfRow)>,
    /// Values of the disputed column that mean disputed.
    pub disputed_values: Vec<String>,
    /// The log's kind words (lower case) and what they mean: the mapping's first, then
    /// [`LogKind::WORDS`].
    pub log_kinds: Vec<(String, LogKind)>,
    /// Fields padded with leading zeros to this width.
    pub zero_pad: BTreeMap<Field, usize>,
    /// A report grouped by client (see [`Mapping::grouped`]).
    pub grouped: bool,
    /// The client comes from each block's title row (grouped, no client_id column).
    pub client_from_titles: bool,
    /// One row per instalment: see [`Mapping::instalment_rows`].
    pub instalment_rows: bool,
}

impl Mapping {
    /// Checks everything that does not depend on the file's header.
    pub fn resolve(&self) -> Result<Resolved, MappingError> {
        for name in self
            .columns
            .keys()
            .chain(self.fixed.keys())
            .chain(self.column_date_formats.keys())
            .chain(self.zero_pad.keys())
        {
            if Field::from_name(name).is_none() {
                let known: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                return Err(MappingError::UnknownField { name: name.clone(), known: known.join(", ") });
            }
        }
        let decimal = match self.decimal.as_deref() {
            None | Some(".") => '.',
            Some(",") => ',',
            Some(other) => {
                return Err(MappingError::setting("decimal", format!("decimal must be \".\" or \",\", not {other:?}")));
            }
        };
        let parse_formats = |list: &[String]| -> Result<Vec<DateFormat>, MappingError> {
            Ok(list.iter().map(|s| DateFormat::from_config(s)).collect::<Result<_, _>>()?)
        };
        let mut date_formats = BTreeMap::new();
        for (name, list) in &self.column_date_formats {
            let f = Field::from_name(name).expect("checked above");
            if !f.is_date() {
                return Err(MappingError::setting("column_date_formats", format!("'{name}' is not a date field")));
            }
            date_formats.insert(f, parse_formats(list)?);
        }
        let excel_epoch = match self.excel_epoch {
            None | Some(1900) => DateFormat::Excel1900,
            Some(1904) => DateFormat::Excel1904,
            Some(e) => {
                return Err(MappingError::setting("excel_epoch", format!("excel_epoch must be 1900 or 1904, not {e}")));
            }
        };
        let mut fixed = BTreeMap::new();
        for (name, v) in &self.fixed {
            let text = match v {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                other => {
                    return Err(MappingError::setting(
                        "fixed",
                        format!("fixed value for '{name}' must be text or a number, not {other}"),
                    ));
                }
            };
            fixed.insert(Field::from_name(name).expect("checked above"), text);
        }
        let mut doc_types = Vec::new();
        for (kind, values) in &self.doc_types {
            let t = match kind.as_str() {
                "invoice" => TypeOfRow::Invoice,
                "credit_note" => TypeOfRow::CreditNote,
                "payment" => TypeOfRow::Payment,
                "ignore" => TypeOfRow::Ignore,
                other => {
                    return Err(MappingError::setting(
                        "doc_types",
                        format!("doc_types: '{other}' must be invoice, credit_note, payment or ignore"),
                    ));
                }
            };
            for v in values {
                doc_types.push((v.trim().to_lowercase(), t));
            }
        }
        if self.rows == RowKind::Ledger && (doc_types.is_empty() || !self.columns.contains_key("doc_type")) {
            return Err(MappingError::setting(
                "rows",
                "rows = \"ledger\" needs a doc_type column and a [doc_types] table",
            ));
        }
        if self.columns.contains_key("doc_type") && doc_types.is_empty() {
            return Err(MappingError::setting(
                "doc_types",
                "a doc_type column needs [doc_types]: which of its values are invoice, credit_note, payment or ignore",
            ));
        }
        if self.rows == RowKind::OpenItems {
            for f in ["settled_date", "paid_amount", "doc_type"] {
                if self.columns.contains_key(f) {
                    return Err(MappingError::setting(
                        "rows",
                        format!(
                            "rows = \"open_items\" reads what is open, not how it was settled: remove {f} (its amount \
                             is the open amount; a negative one is an open credit)"
                        ),
                    ));
                }
            }
        }
        let mut log_kinds = Vec::new();
        for (kind, values) in &self.log_kinds {
            let Some(&(_, k)) = LogKind::NAMES.iter().find(|(n, _)| n == kind) else {
                return Err(MappingError::setting(
                    "log_kinds",
                    format!(
                        "log_kinds: '{kind}' must be promise, dispute_opened, dispute_resolved, call, note or ignore"
                    ),
                ));
            };
            log_kinds.extend(values.iter().map(|v| (v.trim().to_lowercase(), k)));
        }
        if !log_kinds.is_empty() && self.rows != RowKind::Log {
            return Err(MappingError::setting("log_kinds", "[log_kinds] is for rows = \"log\" only"));
        }
        log_kinds.extend(LogKind::WORDS.iter().map(|(w, k)| (w.to_string(), *k)));
        let mut zero_pad = BTreeMap::new();
        for (name, width) in &self.zero_pad {
            let f = Field::from_name(name).expect("checked above");
            if !matches!(f, Field::ClientId | Field::DocumentId | Field::Reference | Field::CompanyNumber) {
                return Err(MappingError::setting(
                    "zero_pad",
                    format!("zero_pad: '{name}' is not an identifier field"),
                ));
            }
            zero_pad.insert(f, *width);
        }
        let client_from_titles = self.grouped && !self.columns.contains_key("client_id");
        if self.instalment_rows && !matches!(self.rows, RowKind::Invoices | RowKind::Ledger | RowKind::OpenItems) {
            return Err(MappingError::setting(
                "instalment_rows",
                "instalment_rows is for invoices, ledger and open_items exports only",
            ));
        }
        if self.instalment_rows && self.repeated_lines {
            return Err(MappingError::setting(
                "instalment_rows",
                "instalment_rows and repeated_lines both say what a repeated document id is; keep one",
            ));
        }
        Ok(Resolved {
            grouped: self.grouped,
            client_from_titles,
            instalment_rows: self.instalment_rows,
            zero_pad,
            rows: self.rows,
            number: NumberFormat { decimal },
            date_formats,
            default_date_formats: parse_formats(&self.date_formats)?,
            excel_epoch,
            payments_negative: self.payments_negative,
            fixed,
            doc_types,
            log_kinds,
            disputed_values: self
                .disputed_values
                .clone()
                .unwrap_or_else(|| ["yes", "y", "true", "1", "ja", "oui", "x", "disputed"].map(String::from).to_vec())
                .iter()
                .map(|s| s.trim().to_lowercase())
                .collect(),
        })
    }

    /// The fields a source of this kind cannot do without.
    pub fn required_fields(&self) -> Vec<Field> {
        let mut fields = self.kind_fields();
        if self.grouped && !self.columns.contains_key("client_id") {
            // Each block's title row names the client.
            fields.retain(|f| *f != Field::ClientId);
        }
        fields
    }

    fn kind_fields(&self) -> Vec<Field> {
        match self.rows {
            RowKind::Invoices => vec![Field::ClientId, Field::DocumentId, Field::Date, Field::Amount],
            RowKind::Payments => vec![Field::ClientId, Field::Date, Field::Amount],
            RowKind::Ledger => vec![Field::ClientId, Field::DocType, Field::Date, Field::Amount],
            RowKind::Bureau => vec![Field::CompanyNumber, Field::Date],
            RowKind::OpenItems => vec![Field::ClientId, Field::DocumentId, Field::Date, Field::Amount],
            RowKind::Log => vec![Field::ClientId, Field::Date, Field::EventKind],
            RowKind::Schedule => vec![Field::DocumentId, Field::DueDate, Field::Amount],
        }
    }
}

impl Resolved {
    /// What a document-type code means, if the mapping knows it.
    pub fn type_of(&self, raw: &str) -> Option<TypeOfRow> {
        let v = raw.trim().to_lowercase();
        self.doc_types.iter().find(|(k, _)| *k == v).map(|(_, t)| *t)
    }

    /// What a log's kind word means, if the mapping (or arwatch) knows it.
    pub fn log_kind_of(&self, raw: &str) -> Option<LogKind> {
        let v = raw.trim().to_lowercase();
        self.log_kinds.iter().find(|(k, _)| *k == v).map(|(_, t)| *t)
    }

    /// Whether a disputed column's value means disputed.
    pub fn is_disputed(&self, raw: &str) -> bool {
        let v = raw.trim().to_lowercase();
        self.disputed_values.contains(&v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Vec<String> {
        ["Klant", " Factuurnr ", "Datum"].map(String::from).to_vec()
    }

    #[test]
    fn field_list_is_in_declaration_order() {
        // Plans index arrays by `field as usize`.
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i, "{f:?}");
        }
    }

    #[test]
    fn column_references() {
        let h = header();
        assert_eq!(ColumnRef::Name("factuurnr".into()).resolve(&h), Ok(1));
        assert_eq!(ColumnRef::Index(3).resolve(&h), Ok(2));
        assert_eq!(ColumnRef::Name("#1".into()).resolve(&h), Ok(0));
        assert_eq!(ColumnRef::Name("@C".into()).resolve(&h), Ok(2));
        assert_eq!(ColumnRef::Name("Bedrag".into()).resolve(&h), Err(MappingError::NoColumn("'Bedrag'".into())));
        assert!(ColumnRef::Index(4).resolve(&h).is_err());
        assert!(ColumnRef::Index(0).resolve(&h).is_err());
    }

    #[test]
    fn letters_round_trip() {
        for i in [0usize, 25, 26, 51, 701, 702] {
            assert_eq!(column_from_letters(&column_letters(i)), Some(i + 1));
        }
        assert_eq!(column_letters(22), "W");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let m: Mapping = toml::from_str("[columns]\nclient = \"Klant\"").unwrap();
        assert!(m.resolve().unwrap_err().to_string().contains("unknown field 'client'"));
    }

    #[test]
    fn ledger_needs_doc_types() {
        let m: Mapping = toml::from_str("rows = \"ledger\"\n[columns]\nclient_id = 1").unwrap();
        assert!(m.resolve().is_err());
        let m: Mapping = toml::from_str(
            "rows = \"ledger\"\n[columns]\ndoc_type = 2\n[doc_types]\ninvoice = [\"RV\"]\npayment = [\"DZ\"]",
        )
        .unwrap();
        let r = m.resolve().unwrap();
        assert_eq!(r.type_of(" rv "), Some(TypeOfRow::Invoice));
        assert_eq!(r.type_of("XX"), None);
    }
}
