//! One raw row to typed fields: pure, so it runs in parallel; every error names the column
//! and the raw value.

use super::mapping::{Field, RowKind, TypeOfRow};
use super::parse::{self};
use super::plan::Plan;
use super::stats::Reject;
use super::table::{CellRef, Header, RawRow};
use crate::model::{ClientIx, Currency, DocKind};
use chrono::{Duration, NaiveDate};
use std::borrow::Cow;

pub(super) struct ClientFields<'r> {
    /// The client's index, when it was already known before this batch.
    pub(super) known: Option<ClientIx>,
    pub(super) id: Cow<'r, str>,
    pub(super) name: Option<Cow<'r, str>>,
    pub(super) company: Option<Cow<'r, str>>,
}

pub(super) struct DocFields<'r> {
    pub(super) id: Cow<'r, str>,
    pub(super) kind: DocKind,
    pub(super) issue: NaiveDate,
    pub(super) due: NaiveDate,
    pub(super) amount: i64,
    pub(super) currency: Currency,
    pub(super) reference: Option<Cow<'r, str>>,
    pub(super) disputed: bool,
    pub(super) settled: Option<(NaiveDate, i64)>,
    /// The amount as written in the file, for the control totals.
    pub(super) written: i64,
    /// The named payment term of an invoice with a schedule (its place in `[payment_terms]`).
    pub(super) term: Option<u16>,
    /// On an export written one row per instalment: the invoice's whole amount, when mapped.
    pub(super) total: Option<i64>,
}

pub(super) struct PayFields<'r> {
    pub(super) id: Option<Cow<'r, str>>,
    pub(super) date: NaiveDate,
    pub(super) amount: i64,
    pub(super) currency: Currency,
    pub(super) reference: Option<Cow<'r, str>>,
    pub(super) written: i64,
}

pub(super) enum Row<'r> {
    Doc(ClientFields<'r>, DocFields<'r>),
    Pay(ClientFields<'r>, PayFields<'r>),
    Ignored(String),
    Blank,
}

pub(super) struct RowError {
    /// A total row: reported, but not an error in the data.
    pub(super) benign: bool,
    pub(super) column: Option<usize>,
    pub(super) value: String,
    pub(super) reason: String,
    pub(super) amount: Option<(Currency, i64)>,
}

/// One row seen through its plan: typed access to the mapped fields, with errors that name
/// the column and the raw value.
pub(super) struct RowView<'r, R: RawRow> {
    pub(super) plan: &'r Plan,
    pub(super) row: &'r R,
}

impl<'r, R: RawRow> RowView<'r, R> {
    fn cell(&self, f: Field) -> CellRef<'r> {
        match self.plan.by_field[f as usize] {
            Some(c) => self.row.cell(c),
            None => match &self.plan.fixed[f as usize] {
                Some(v) => CellRef::Text(v.as_str()),
                None => CellRef::Empty,
            },
        }
    }

    pub(super) fn err(&self, f: Field, reason: String) -> RowError {
        RowError {
            benign: false,
            column: self.plan.by_field[f as usize],
            value: self.cell(f).display(),
            reason,
            amount: None,
        }
    }

    pub(super) fn text(&self, f: Field) -> Option<Cow<'r, str>> {
        let c = self.cell(f);
        if c.is_empty() {
            return None;
        }
        let mut t: Cow<'r, str> = match c {
            CellRef::Text(s) => Cow::Borrowed(parse::trim(s)),
            // Identifiers from spreadsheets arrive as numbers: 611365.0 is "611365".
            CellRef::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => Cow::Owned(format!("{}", v as i64)),
            other => Cow::Owned(other.display().trim().to_string()),
        };
        if let Some(&width) = self.plan.map.zero_pad.get(&f)
            && t.len() < width
            && t.bytes().all(|b| b.is_ascii_digit())
        {
            t = Cow::Owned(format!("{t:0>width$}"));
        }
        Some(t)
    }

    pub(super) fn required(&self, f: Field) -> Result<Cow<'r, str>, RowError> {
        self.text(f).ok_or_else(|| self.missing(f))
    }

    /// A required field is empty: an error, or a total row (benign) when a cell says "total".
    pub(super) fn missing(&self, f: Field) -> RowError {
        let row = self.row;
        let looks_total = (0..row.width()).any(|i| {
            let v = row.cell(i).display().to_lowercase();
            let v = v.trim();
            v.starts_with("total") || v.starts_with("totaal") || v.starts_with("grand total") || v.starts_with("somme")
        });
        if looks_total {
            RowError { benign: true, ..self.err(f, format!("a total row, not a document ({} is empty)", f.name())) }
        } else {
            self.err(f, format!("{} is empty", f.name()))
        }
    }

    pub(super) fn date(&self, f: Field) -> Result<Option<NaiveDate>, RowError> {
        let c = self.cell(f);
        if c.is_empty() {
            return Ok(None);
        }
        let plan = self.plan;
        let formats = plan.dates.as_ref().and_then(|d| d.get(&f)).map(Vec::as_slice).unwrap_or(&[]);
        let parsed = match c {
            CellRef::Date(d) => Some(d),
            CellRef::Number(v) => {
                formats.iter().find_map(|fmt| fmt.parse_number(v)).or_else(|| plan.map.excel_epoch.parse_number(v))
            }
            CellRef::Text(s) => formats.iter().find_map(|fmt| fmt.parse_text(s)),
            _ => None,
        };
        match parsed {
            Some(d) if parse::plausible(d) => Ok(Some(d)),
            Some(d) => Err(self.err(f, format!("date {d} is outside 1950–2100"))),
            None if let CellRef::Text(s) = c
                && let Some(why) = formats.iter().find_map(|fmt| fmt.impossible(s)) =>
            {
                Err(self.err(f, why))
            }
            None => Err(self.err(
                f,
                format!(
                    "not a date in the expected format ({})",
                    formats.iter().map(|f| f.describe()).collect::<Vec<_>>().join(" or ")
                ),
            )),
        }
    }

    pub(super) fn amount(&self, f: Field, currency: Currency) -> Result<Option<i64>, RowError> {
        match self.cell(f) {
            CellRef::Number(v) => {
                parse::amount_from_f64(v, currency.minor_digits()).map(Some).map_err(|e| self.err(f, e.to_string()))
            }
            CellRef::Text(s) if !parse::trim(s).is_empty() => {
                parse::parse_amount(s, self.plan.map.number, currency.minor_digits())
                    .and_then(|v| parse::check_magnitude(v, currency.minor_digits()))
                    .map(Some)
                    .map_err(|e| self.err(f, e.to_string()))
            }
            _ => Ok(None),
        }
    }

    /// A plain number (a score): a decimal in the source's notation.
    pub(super) fn number(&self, f: Field) -> Result<Option<f64>, RowError> {
        match self.cell(f) {
            CellRef::Number(v) => Ok(Some(v)),
            CellRef::Text(s) if !parse::trim(s).is_empty() => parse::parse_amount(s, self.plan.map.number, 6)
                .map(|v| Some(v as f64 / 1e6))
                .map_err(|e| self.err(f, e.to_string())),
            _ => Ok(None),
        }
    }

    pub(super) fn currency(&self) -> Result<Currency, RowError> {
        match self.text(Field::Currency) {
            Some(c) => Currency::parse(&c)
                .ok_or_else(|| self.err(Field::Currency, "not a currency code (expected e.g. EUR)".into())),
            None => Ok(self.plan.opts.default_currency),
        }
    }
}

impl RowError {
    /// A row that is no data and no error: blank, or of a type the mapping ignores.
    pub(super) fn benign(column: Option<usize>, value: String, reason: String) -> RowError {
        RowError { benign: true, column, value, reason, amount: None }
    }

    /// The rejected row as reported: its file, place, column name, raw values and reason.
    pub(super) fn into_reject(self, file: &str, h: &Header, names: &[String], line: u32, raw: String) -> Reject {
        Reject {
            source: file.to_string(),
            location: h.layout.location(line, self.column),
            column: self.column.and_then(|c| names.get(c).cloned()).unwrap_or_default(),
            value: self.value,
            reason: self.reason,
            raw,
            line,
            benign: self.benign,
            amount: self.amount,
            duplicate: false,
            rows: 1,
        }
    }
}

/// A row with more fields than the header, whose values would be shifted.
pub(super) fn shifted<R: RawRow>(plan: &Plan, row: &R) -> Option<RowError> {
    let n = row.fields_beyond(plan.header.len())?;
    Some(RowError {
        benign: false,
        column: None,
        value: String::new(),
        reason: format!(
            "{n} fields, the header has {}: an unquoted delimiter in a text field? The values would be shifted",
            plan.header.len()
        ),
        amount: None,
    })
}

/// The longest payment terms a row may give: ten years. Longer terms are a typo or another
/// column, and would push due dates off the calendar.
pub const MAX_TERMS_DAYS: u32 = 3660;

/// Converts one row. Pure: runs in parallel.
// Long on purpose: a row is checked field by field in the order the errors should be met;
// the steps share the row view and the amount that rejected rows carry.
pub(super) fn convert<'r, R: RawRow>(plan: &'r Plan, row: &'r R) -> Result<Row<'r>, RowError> {
    if row.is_blank() {
        return Ok(Row::Blank);
    }
    if let Some(e) = shifted(plan, row) {
        return Err(e);
    }
    for (col, values) in &plan.keep {
        let v = row.cell(*col).display();
        if !values.iter().any(|x| x.eq_ignore_ascii_case(v.trim())) {
            let name = plan.header.get(*col).map_or("?", String::as_str);
            let reason = format!("left out by the mapping: {name} is not {}", values.join(" or "));
            return Err(RowError::benign(Some(*col), v.trim().to_string(), reason));
        }
    }
    let v = RowView { plan, row };
    let currency = v.currency()?;

    // What kind of row this is.
    let kind = if plan.by_field[Field::DocType as usize].is_some() {
        let t = v.required(Field::DocType)?;
        match plan.map.type_of(&t) {
            Some(TypeOfRow::Ignore) => return Ok(Row::Ignored(t.into_owned())),
            Some(k) => k,
            None => {
                let known: Vec<&str> = plan.map.doc_types.iter().map(|(k, _)| k.as_str()).collect();
                return Err(
                    v.err(Field::DocType, format!("unknown document type; the mapping knows {}", known.join(", ")))
                );
            }
        }
    } else {
        match plan.map.rows {
            RowKind::Payments => TypeOfRow::Payment,
            _ => TypeOfRow::Invoice,
        }
    };
    // A grouped report's client comes from its block's title, filled in after conversion.
    let client_id = if plan.map.client_from_titles { Cow::Borrowed("") } else { v.required(Field::ClientId)? };
    let mut amount = v.amount(Field::Amount, currency)?.ok_or_else(|| v.missing(Field::Amount))?;
    let written = amount;
    let with_amount = move |mut e: RowError| {
        e.amount = Some((currency, written));
        e
    };
    let client = ClientFields {
        known: None,
        id: client_id,
        name: v.text(Field::ClientName),
        // Validated once per client when merged, not on every row.
        company: v.text(Field::CompanyNumber),
    };
    let date_value = v.date(Field::Date).map_err(with_amount)?.ok_or_else(|| with_amount(v.missing(Field::Date)))?;
    let reference = v.text(Field::Reference);

    if kind == TypeOfRow::Payment {
        if plan.map.payments_negative && plan.map.rows == RowKind::Ledger {
            amount = -amount;
        }
        if amount == 0 {
            return Err(with_amount(v.err(Field::Amount, "a payment of zero".into())));
        }
        return Ok(Row::Pay(
            client,
            PayFields { id: v.text(Field::DocumentId), date: date_value, amount, currency, reference, written },
        ));
    }

    let id = v.required(Field::DocumentId).map_err(with_amount)?;
    let doc_kind = match (kind, amount.signum()) {
        // An open-items list may list settled documents with nothing open: not an error.
        (_, 0) if plan.map.rows == RowKind::OpenItems => {
            return Err(with_amount(RowError {
                benign: true,
                ..v.err(Field::Amount, "nothing open (settled)".into())
            }));
        }
        (_, 0) => return Err(with_amount(v.err(Field::Amount, "amount is zero; a document needs an amount".into()))),
        (TypeOfRow::CreditNote, _) | (TypeOfRow::Invoice, -1) => DocKind::CreditNote,
        _ => DocKind::Invoice,
    };
    let amount = amount.abs();
    let due = match v.date(Field::DueDate).map_err(with_amount)? {
        Some(d) => d,
        None => {
            let terms = match v.text(Field::TermsDays) {
                Some(t) => t.parse::<u32>().ok().filter(|&t| t <= MAX_TERMS_DAYS).ok_or_else(|| {
                    with_amount(v.err(
                        Field::TermsDays,
                        format!("terms must be a whole number of days from 0 to {MAX_TERMS_DAYS}"),
                    ))
                })?,
                None => plan.opts.default_terms_days,
            };
            date_value + Duration::days(terms as i64)
        }
    };
    if due < date_value && doc_kind == DocKind::Invoice {
        return Err(with_amount(
            v.err(Field::DueDate, format!("due date {due} is before the issue date {date_value}")),
        ));
    }
    let settled = match (doc_kind, v.date(Field::SettledDate).map_err(with_amount)?) {
        (DocKind::Invoice, Some(s)) => {
            let paid = v.amount(Field::PaidAmount, currency).map_err(with_amount)?.unwrap_or(amount);
            (paid != 0).then_some((s, paid))
        }
        _ => None,
    };
    let disputed = v.text(Field::Disputed).is_some_and(|v| plan.map.is_disputed(&v));
    let term = match v.text(Field::PaymentTerm).filter(|t| !t.trim().is_empty() && doc_kind == DocKind::Invoice) {
        None => None,
        Some(name) => Some(plan.opts.payment_terms.find(&name).ok_or_else(|| {
            let known = plan.opts.payment_terms.names();
            let fix = if known.is_empty() {
                "the configuration has no [payment_terms]; add this one there, or leave payment_term out of the mapping"
                    .to_string()
            } else {
                format!("the configuration's [payment_terms] has {}; add this one there", known.join(", "))
            };
            with_amount(v.err(Field::PaymentTerm, format!("unknown payment term: {fix}")))
        })?),
    };
    let total = match v.amount(Field::InvoiceAmount, currency).map_err(with_amount)? {
        Some(t) if plan.map.instalment_rows => Some(t.abs()),
        _ => None,
    };
    Ok(Row::Doc(
        client,
        DocFields {
            id,
            kind: doc_kind,
            issue: date_value,
            due,
            amount,
            currency,
            reference,
            disputed,
            settled,
            written,
            term,
            total,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mapping::Mapping;
    use crate::ingest::plan::detect_dates;
    use crate::ingest::table::{Header, Layout, SheetRow};
    use crate::ingest::{IngestOptions, InputSpec};
    use calamine::Data;

    const HEADER: [&str; 7] = ["Klant", "Nr", "Datum", "Verval", "Termijn", "Bedrag", "Munt"];

    /// A plan for a Belgian-style invoice list (decimal comma, day-first dates).
    fn plan(extra: &str) -> Plan {
        let mapping: Mapping = toml::from_str(&format!(
            "decimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n{extra}[columns]\nclient_id = \"Klant\"\ndocument_id = \"Nr\"\nissue_date = \"Datum\"\ndue_date = \"Verval\"\nterms_days = \"Termijn\"\namount = \"Bedrag\"\ncurrency = \"Munt\"\n"
        ))
        .unwrap();
        let resolved = mapping.resolve().unwrap();
        let input = InputSpec { path: "f.csv".into(), mapping, snapshot: None };
        let header = Header {
            names: HEADER.iter().map(|s| s.to_string()).collect(),
            line: 1,
            layout: Layout::Text { delimiter: b';', encoding: "utf-8" },
            above: Vec::new(),
            banner: Vec::new(),
        };
        let mut plan = Plan::new(&input, &resolved, &IngestOptions::default(), &header).unwrap();
        plan.dates = Some(detect_dates(&plan, &[] as &[SheetRow], &header, std::path::Path::new("f.csv")).unwrap());
        plan
    }

    fn row(cells: [&str; 7]) -> SheetRow {
        SheetRow { row: 2, cells: cells.iter().map(|c| Data::String(c.to_string())).collect() }
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_invoice_row_becomes_a_document_in_minor_units() {
        let (p, r) = (plan(""), row(["K1", "F1", "01/02/2025", "03/03/2025", "", "1.234,56", "EUR"]));
        let Ok(Row::Doc(c, d)) = convert(&p, &r) else { panic!("not a document") };
        assert_eq!((c.id.as_ref(), d.id.as_ref()), ("K1", "F1"));
        assert_eq!((d.kind, d.amount, d.written, d.currency), (DocKind::Invoice, 123_456, 123_456, Currency::EUR));
        assert_eq!((d.issue, d.due), (date("2025-02-01"), date("2025-03-03")));
    }

    #[test]
    fn a_negative_amount_is_a_credit_note_with_its_written_sign_kept() {
        let (p, r) = (plan(""), row(["K1", "C1", "01/02/2025", "01/02/2025", "", "-10,00", "EUR"]));
        let Ok(Row::Doc(_, d)) = convert(&p, &r) else { panic!("not a document") };
        assert_eq!((d.kind, d.amount, d.written), (DocKind::CreditNote, 1000, -1000));
    }

    #[test]
    fn terms_give_the_due_date_within_bounds() {
        let p = plan("");
        let r = row(["K1", "F1", "01/02/2025", "", "30", "5,00", ""]);
        let Ok(Row::Doc(_, d)) = convert(&p, &r) else { panic!("not a document") };
        assert_eq!(d.due, date("2025-03-03"));
        let Err(e) = convert(&p, &row(["K1", "F1", "01/02/2025", "", "3661", "5,00", ""])) else {
            panic!("terms over ten years were accepted")
        };
        assert_eq!((e.column, e.value.as_str()), (Some(4), "3661"));
        assert_eq!(e.amount, Some((Currency::EUR, 500)), "a rejected row keeps its amount for the control totals");
    }

    #[test]
    fn a_total_row_is_known_whichever_required_field_it_lacks() {
        // "Total" in the client column and no date: it was an error ("date is empty").
        let Err(e) = convert(&plan(""), &row(["Total", "", "", "", "", "3.914,95", ""])) else {
            panic!("a total row was read as a document")
        };
        assert!(e.benign && e.reason == "a total row, not a document (date is empty)", "{}", e.reason);
        let Err(e) = convert(&plan(""), &row(["Totaal", "", "01/02/2025", "", "", "", ""])) else {
            panic!("a total row was read as a document")
        };
        assert!(e.benign, "{}", e.reason);
        let Err(e) = convert(&plan(""), &row(["K1", "F1", "", "", "", "5,00", "EUR"])) else {
            panic!("a row without a date was accepted")
        };
        assert!(!e.benign && e.reason == "date is empty", "{}", e.reason);
    }

    #[test]
    fn a_bad_date_names_its_column_and_raw_value() {
        let Err(e) = convert(&plan(""), &row(["K1", "F1", "31/02/2025", "", "", "5,00", "EUR"])) else {
            panic!("31 February was accepted")
        };
        assert_eq!((e.column, e.value.as_str(), e.benign), (Some(2), "31/02/2025", false));
        assert_eq!(e.reason, "not a real date (February has 28 days in 2025)");
        // Another shape names the expected format.
        let Err(e) = convert(&plan(""), &row(["K1", "F1", "2025-02-03", "", "", "5,00", "EUR"])) else {
            panic!("an ISO date was read as %d/%m/%Y")
        };
        assert!(e.reason.contains("%d/%m/%Y"), "{}", e.reason);
    }

    #[test]
    fn due_before_issue_and_zero_amounts_are_rejected() {
        let p = plan("");
        let Err(e) = convert(&p, &row(["K1", "F1", "01/02/2025", "01/01/2025", "", "5,00", ""])) else {
            panic!("due before issue was accepted")
        };
        assert_eq!(e.column, Some(3));
        let Err(e) = convert(&p, &row(["K1", "F1", "01/02/2025", "", "", "0,00", ""])) else {
            panic!("a zero amount was accepted")
        };
        assert_eq!(e.column, Some(5));
    }

    #[test]
    fn blank_rows_unknown_currencies_and_missing_clients() {
        let p = plan("");
        assert!(matches!(convert(&p, &row(["", "", "", "", "", "", ""])), Ok(Row::Blank)));
        let Err(e) = convert(&p, &row(["K1", "F1", "01/02/2025", "", "", "5,00", "EURO"])) else {
            panic!("an unknown currency was accepted")
        };
        assert_eq!((e.column, e.value.as_str()), (Some(6), "EURO"));
        let Err(e) = convert(&p, &row(["", "F1", "01/02/2025", "", "", "5,00", ""])) else {
            panic!("a row without client was accepted")
        };
        assert_eq!(e.column, Some(0));
    }

    #[test]
    fn payment_rows_become_payments_and_a_zero_payment_is_rejected() {
        let p = plan("rows = \"payments\"\n");
        let r = row(["K1", "P1", "05/02/2025", "", "", "100,00", "EUR"]);
        let Ok(Row::Pay(_, pay)) = convert(&p, &r) else { panic!("not a payment") };
        assert_eq!((pay.amount, pay.written, pay.date), (10_000, 10_000, date("2025-02-05")));
        let Err(e) = convert(&p, &row(["K1", "P1", "05/02/2025", "", "", "0", "EUR"])) else {
            panic!("a payment of zero was accepted")
        };
        assert!(e.reason.contains("zero"), "{}", e.reason);
    }
}
