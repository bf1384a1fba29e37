//! Whether a valid mapping reads the right columns: dates that contradict each other on most
//! rows of an input, or amounts that all look like ids, are warned about with counts and
//! examples (`implausible_mapping`), so that a wrong column never passes silently.

use super::ingested::Ingested;
use super::merge::Merger;
use super::spec::InputSpec;
use super::stats::Warning;
use crate::model::{DocKind, Document};

/// Fewer rows than this in an input are no evidence either way.
const MIN_ROWS: usize = 20;
/// The due date equal to the settlement date on this share of settled invoices or more: the
/// settlement date is probably mapped as the due date.
const DUE_IS_SETTLED: f64 = 0.9;
/// Settled before issued on more than this share: the date columns are probably swapped.
const SETTLED_BEFORE_ISSUE: f64 = 0.5;
/// Amounts that equal their document's number, or follow each other one by one, on this
/// share of the rows or more (every one a whole number): the amount column is an id.
const LIKE_IDS: f64 = 0.8;
/// How many rows a warning names as examples.
const EXAMPLES: usize = 3;

/// Rows that meet a test: how many, and the first few as examples.
#[derive(Default)]
struct Found<'a> {
    count: usize,
    first: Vec<&'a Document>,
}

impl<'a> Found<'a> {
    fn add(&mut self, d: &'a Document) {
        self.count += 1;
        if self.first.len() < EXAMPLES {
            self.first.push(d);
        }
    }
}

/// What one input's settled invoices and amounts show, gathered in one pass over each.
#[derive(Default)]
struct Evidence<'a> {
    /// Settled invoices; those due the day they were settled; those settled before issue.
    settled: usize,
    same: Found<'a>,
    before: Found<'a>,
    /// Documents, the minor units of a whole amount in their currency, and whether any amount
    /// is not whole.
    documents: usize,
    unit: i64,
    fraction: bool,
}

/// Adds a warning for each input whose mapped dates or amounts look wrong. One pass over the
/// settled invoices and one over the documents for all inputs; an input's amounts are looked
/// at further only when every one is whole.
pub(super) fn check(out: &mut Ingested, m: &Merger, inputs: &[InputSpec]) {
    let mut seen: Vec<Evidence> = inputs.iter().map(|_| Evidence::default()).collect();
    for &(doc, date, _, _) in &m.settled {
        let Some(d) = out.ledger.documents.get(doc as usize).filter(|d| d.kind == DocKind::Invoice) else { continue };
        let Some(e) = seen.get_mut(d.origin.source as usize) else { continue };
        e.settled += 1;
        if d.due == date && d.due != d.issue {
            e.same.add(d);
        }
        if date < d.issue {
            e.before.add(d);
        }
    }
    for d in &out.ledger.documents {
        let Some(e) = seen.get_mut(d.origin.source as usize) else { continue };
        if e.documents == 0 {
            e.unit = 10i64.pow(d.currency.minor_digits());
        }
        e.documents += 1;
        e.fraction |= d.amount % e.unit != 0;
    }
    let mut warnings = Vec::new();
    for (source, (input, e)) in inputs.iter().zip(&seen).enumerate() {
        let file = out.ledger.sources.get(source).cloned().unwrap_or_default();
        let mut say = |what: String| {
            warnings.push(Warning {
                kind: "implausible_mapping",
                source: file.clone(),
                location: String::new(),
                message: what,
            })
        };
        let settled = e.settled;
        let due_mapped = input.mapping.columns.contains_key("due_date");
        if let Some(share) = most(e.same.count, settled, DUE_IS_SETTLED).filter(|_| due_mapped) {
            say(format!(
                "the due date equals the settlement date on {} of {settled} settled invoices ({share}; {}): is the column mapped as due_date ({}) the payment date? Every invoice would then be paid on time",
                e.same.count,
                examples(m, &e.same.first),
                column(input, "due_date"),
            ));
        }
        if let Some(share) = most(e.before.count, settled, SETTLED_BEFORE_ISSUE) {
            say(format!(
                "the settlement date is before the issue date on {} of {settled} settled invoices ({share}; {}): are the columns mapped as issue_date ({}) and settled_date ({}) the right ones, or swapped?",
                e.before.count,
                examples(m, &e.before.first),
                column(input, "issue_date"),
                column(input, "settled_date"),
            ));
        }
        // A currency without decimals writes every amount whole: no evidence there.
        if e.documents >= MIN_ROWS
            && e.unit > 1
            && !e.fraction
            && let Some(message) = amounts_like_ids(source as u16, e, out, m, input)
        {
            say(message);
        }
    }
    out.warnings.extend(warnings);
}

/// `Some("92 %")` when `n` of `of` reaches `share` and `of` is evidence enough.
fn most(n: usize, of: usize, share: f64) -> Option<String> {
    (of >= MIN_ROWS && n as f64 >= share * of as f64).then(|| format!("{:.0} %", 100.0 * n as f64 / of as f64))
}

/// The first rows, named: `line 2, line 3, line 5`.
fn examples(m: &Merger, docs: &[&Document]) -> String {
    docs.iter().take(EXAMPLES).map(|d| m.place(d.origin)).collect::<Vec<_>>().join(", ")
}

/// How the mapping names a field's column: `"Betaald op"`, `column 4`.
fn column(input: &InputSpec, field: &str) -> String {
    use super::mapping::ColumnRef;
    match input.mapping.columns.get(field) {
        Some(ColumnRef::Name(n)) => format!("{n:?}"),
        Some(ColumnRef::Index(i)) => format!("column {i}"),
        Some(ColumnRef::Any(names)) => names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(" or "),
        None => "not mapped".into(),
    }
}

/// The warning when every amount of an input is a whole number (its evidence `e` says so) and
/// most equal their document's number or follow each other one by one, as ids do.
fn amounts_like_ids(source: u16, e: &Evidence, out: &Ingested, m: &Merger, input: &InputSpec) -> Option<String> {
    let (rows, unit) = (e.documents, e.unit);
    let docs = || out.ledger.documents.iter().filter(move |d| d.origin.source == source);
    let number = |d: &Document| -> Option<i64> {
        let digits: String = out.ledger.text(d.id).chars().filter(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    let mut equal = Found::default();
    for d in docs().filter(|d| number(d) == Some(d.amount / unit)) {
        equal.add(d);
    }
    let why = if let Some(share) = most(equal.count, rows, LIKE_IDS) {
        format!("{} of {rows} equal their document's number ({share}; {})", equal.count, examples(m, &equal.first))
    } else {
        let mut amounts: Vec<i64> = docs().map(|d| d.amount / unit).collect();
        amounts.sort_unstable();
        let steps = amounts.windows(2).filter(|w| w[1] - w[0] == 1).count();
        most(steps, rows - 1, LIKE_IDS)?;
        format!("{} of {rows} follow each other one by one, as numbers in a sequence do", steps + 1)
    };
    Some(format!(
        "every amount is a whole number and {why}: is the column mapped as amount ({}) an id or a number column?",
        column(input, "amount")
    ))
}
