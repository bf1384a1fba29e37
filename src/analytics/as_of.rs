//! The as-of date a run looks from, chosen from what the data cover when none is given, with
//! the reason in words, and a warning when its month looks incomplete (docs/metrics.md, "The
//! as-of date").

use super::calendar::{self, Month};
use crate::locale::Lang;
use crate::model::{DocKind, Ledger};
use chrono::NaiveDate;

/// How near its month's end the data must reach for that month to be the one reported: an
/// export made on the 31st often holds nothing after the 28th or 29th (a weekend, a last day
/// without invoices).
pub const GRACE_DAYS: i64 = 3;
/// The latest an export's stated date may be after its last row to be taken as its own date.
const STATED_DAYS: i64 = 31;
/// How many months before the as-of month set its usual number of invoices.
const USUAL_MONTHS: i32 = 6;
/// The fewest months with invoices before the as-of month that make a usual number.
const USUAL_MONTHS_MIN: usize = 3;
/// The smallest usual number of invoices a month that can be called incomplete (fewer and a
/// quiet month is ordinary).
const USUAL_MIN: usize = 8;
/// A month with fewer invoices than this share of the usual (for the days it covers) looks
/// incomplete.
const INCOMPLETE_SHARE: f64 = 0.5;

/// Why the as-of date is what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Given: `--as-of`, `as_of`, or the date of an open-items list.
    Given,
    /// The export states its date above its header (`Export 31/07/2026`): the month end on or
    /// before it.
    Stated {
        /// The date the export states.
        stated: NaiveDate,
        /// The latest document or payment date.
        latest: NaiveDate,
    },
    /// The data reach `latest`, on or within `GRACE_DAYS` of the month's end: that month.
    MonthReached {
        /// The latest document or payment date.
        latest: NaiveDate,
    },
    /// The data end on `latest`, early in a month: the month end before it.
    MonthBefore {
        /// The latest document or payment date.
        latest: NaiveDate,
    },
    /// The month the data reach looks incomplete (`skipped`), the one before does not: that one.
    IncompleteSkipped {
        /// The latest document or payment date.
        latest: NaiveDate,
        /// The month left out and its invoices against the usual.
        skipped: Incomplete,
    },
}

impl Rule {
    /// The rule's name in `summary.json`.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::Given => "given",
            Rule::Stated { .. } => "stated_by_the_export",
            Rule::MonthReached { .. } => "month_reached",
            Rule::MonthBefore { .. } => "month_before",
            Rule::IncompleteSkipped { .. } => "incomplete_month_skipped",
        }
    }
}

/// A month with far fewer invoices than usual.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Incomplete {
    /// The month.
    pub month: Month,
    /// Its invoices issued up to the as-of date.
    pub invoices: usize,
    /// The usual number for the days it covers (the median of the months before).
    pub usual: usize,
}

/// The as-of date, why, and whether its month looks incomplete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsOf {
    /// The date.
    pub date: NaiveDate,
    /// Why this date.
    pub rule: Rule,
    /// Set when the month ending at the date holds far fewer invoices than usual: its figures
    /// (sales, DSO, the changes against last month) are then to be read with care.
    pub incomplete: Option<Incomplete>,
}

impl AsOf {
    /// The date given by the user (or an open-items list), checked for completeness.
    pub fn given(date: NaiveDate, ledger: &Ledger) -> AsOf {
        let invoices = Invoices::of(ledger, calendar::month_of(date));
        AsOf { date, rule: Rule::Given, incomplete: incomplete(&invoices, date) }
    }

    /// The default from the data whose latest trusted date is `latest`: the month end on or
    /// before the date the export states, when it states one on or after its rows (within
    /// `STATED_DAYS`); else the month end the data reach (on or within `GRACE_DAYS` days of
    /// it), else the month end before; one month earlier when that month looks incomplete and
    /// the one before does not.
    pub fn from_data(latest: NaiveDate, stated: Option<NaiveDate>, ledger: &Ledger) -> AsOf {
        let m = calendar::month_of(latest);
        let reached = (calendar::last_day(m) - latest).num_days() <= GRACE_DAYS;
        let stated = stated.filter(|s| *s >= latest && (*s - latest).num_days() <= STATED_DAYS);
        let (date, rule) = if let Some(s) = stated {
            (calendar::month_end_on_or_before(s), Rule::Stated { stated: s, latest })
        } else if reached {
            (calendar::last_day(m), Rule::MonthReached { latest })
        } else {
            (calendar::last_day(m - 1), Rule::MonthBefore { latest })
        };
        let counts = Invoices::of(ledger, calendar::month_of(date));
        match incomplete(&counts, date) {
            None => AsOf { date, rule, incomplete: None },
            Some(skipped) => {
                let before = calendar::last_day(calendar::month_of(date) - 1);
                if incomplete(&counts, before).is_none() {
                    AsOf { date: before, rule: Rule::IncompleteSkipped { latest, skipped }, incomplete: None }
                } else {
                    // Two quiet months in a row are a trend, not a gap in the export.
                    AsOf { date, rule, incomplete: Some(skipped) }
                }
            }
        }
    }

    /// Why this date, in words, in `lang` ("the data reach 29/07/2026, within 3 days of the
    /// month's end").
    pub fn why(&self, lang: Lang) -> String {
        let d = |x: NaiveDate| x.format("%d/%m/%Y").to_string();
        match (&self.rule, lang) {
            (Rule::Given, Lang::En) => "as set (--as-of, as_of or the open-items list's date)".into(),
            (Rule::Given, Lang::Nl) => "zoals ingesteld (--as-of, as_of of de datum van de openpostenlijst)".into(),
            (Rule::Given, Lang::Fr) => "tel que fixé (--as-of, as_of ou la date de la liste des postes ouverts)".into(),
            (Rule::Stated { stated, latest }, _) => match lang {
                Lang::En => format!(
                    "the export states its date, {} (its rows reach {}): the month end on or before it",
                    d(*stated),
                    d(*latest)
                ),
                Lang::Nl => format!(
                    "de export vermeldt zijn datum, {} (de rijen lopen tot {}): het einde van de maand op of voor die datum",
                    d(*stated),
                    d(*latest)
                ),
                Lang::Fr => format!(
                    "l'export indique sa date, le {} (ses lignes vont jusqu'au {}) : la fin de mois à cette date ou avant",
                    d(*stated),
                    d(*latest)
                ),
            },
            (Rule::MonthReached { latest }, _) if calendar::month_end_on_or_before(*latest) == *latest => match lang {
                Lang::En => format!("the data reach the month's end, {}", d(*latest)),
                Lang::Nl => format!("de gegevens lopen tot het einde van de maand, {}", d(*latest)),
                Lang::Fr => format!("les données vont jusqu'à la fin du mois, le {}", d(*latest)),
            },
            (Rule::MonthReached { latest }, Lang::En) => {
                format!("the data reach {}, within {GRACE_DAYS} days of the month's end", d(*latest))
            }
            (Rule::MonthReached { latest }, Lang::Nl) => {
                format!("de gegevens lopen tot {}, binnen {GRACE_DAYS} dagen van het einde van de maand", d(*latest))
            }
            (Rule::MonthReached { latest }, Lang::Fr) => {
                format!("les données vont jusqu'au {}, à {GRACE_DAYS} jours au plus de la fin du mois", d(*latest))
            }
            (Rule::MonthBefore { latest }, _) => {
                let n = (calendar::last_day(calendar::month_of(*latest)) - *latest).num_days();
                match lang {
                    Lang::En => {
                        format!(
                            "the data end on {}, {n} days before their month's end: the month end before",
                            d(*latest)
                        )
                    }
                    Lang::Nl => format!(
                        "de gegevens eindigen op {}, {n} dagen voor het einde van de maand: het einde van de maand ervoor",
                        d(*latest)
                    ),
                    Lang::Fr => format!(
                        "les données s'arrêtent au {}, {n} jours avant la fin du mois : la fin du mois précédent",
                        d(*latest)
                    ),
                }
            }
            (Rule::IncompleteSkipped { latest, skipped }, _) => {
                let month = calendar::label(skipped.month);
                let (i, u) = (skipped.invoices, skipped.usual);
                match lang {
                    Lang::En => format!(
                        "the data reach {}, but {month} holds {i} invoices against a usual {u}: it looks incomplete, so the month before",
                        d(*latest)
                    ),
                    Lang::Nl => format!(
                        "de gegevens lopen tot {}, maar {month} telt {i} facturen tegen gewoonlijk {u}: die maand lijkt onvolledig, dus de maand ervoor",
                        d(*latest)
                    ),
                    Lang::Fr => format!(
                        "les données vont jusqu'au {}, mais {month} compte {i} factures contre {u} d'habitude : ce mois semble incomplet, d'où le mois précédent",
                        d(*latest)
                    ),
                }
            }
        }
    }

    /// `summary.json`'s account of the choice.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "rule": self.rule.code(),
            "why": self.why(Lang::En),
            "incomplete": self.incomplete.map(|x| serde_json::json!({
                "month": calendar::label(x.month),
                "invoices": x.invoices,
                "usual": x.usual,
            })),
        })
    }

    /// The warning a report carries when the month looks incomplete, in `lang`.
    pub fn warning(&self, lang: Lang) -> Option<String> {
        let x = self.incomplete?;
        let month = calendar::label(x.month);
        let (i, u) = (x.invoices, x.usual);
        Some(match lang {
            Lang::En => format!(
                "{month} looks incomplete: {i} invoices issued against a usual {u}. Its sales, DSO and changes against last month may mislead; choose another date with --as-of."
            ),
            Lang::Nl => format!(
                "{month} lijkt onvolledig: {i} facturen uitgeschreven tegen gewoonlijk {u}. Omzet, DSO en de verschillen met vorige maand kunnen misleiden; kies een andere datum met --as-of."
            ),
            Lang::Fr => format!(
                "{month} semble incomplet : {i} factures émises contre {u} d'habitude. Ventes, DSO et écarts avec le mois précédent peuvent tromper ; choisissez une autre date avec --as-of."
            ),
        })
    }
}

/// Invoices issued per month (credit notes are no sales) in the months that can matter: the
/// `USUAL_MONTHS + 1` months up to `last` and the one before; and the first month with one.
struct Invoices {
    first: Month,
    from: Month,
    counts: Vec<usize>,
}

impl Invoices {
    /// One pass of date comparisons over the documents (10 million at the largest): no month
    /// arithmetic per row.
    fn of(ledger: &Ledger, last: Month) -> Invoices {
        let from = last - USUAL_MONTHS - 1;
        let starts: Vec<NaiveDate> = (from..=last + 1).map(calendar::first_day).collect();
        let (lo, hi) = (starts[0], starts[starts.len() - 1]);
        let mut counts = vec![0; starts.len() - 1];
        let mut earliest: Option<NaiveDate> = None;
        for d in ledger.documents.iter().filter(|d| d.kind == DocKind::Invoice) {
            earliest = Some(earliest.map_or(d.issue, |e| e.min(d.issue)));
            if d.issue >= lo && d.issue < hi {
                counts[starts.partition_point(|s| *s <= d.issue) - 1] += 1;
            }
        }
        Invoices { first: earliest.map_or(last + 1, calendar::month_of), from, counts }
    }

    fn count(&self, m: Month) -> usize {
        usize::try_from(m - self.from).ok().and_then(|i| self.counts.get(i)).copied().unwrap_or(0)
    }
}

/// Whether the month of `date` (up to `date`) holds far fewer invoices than the usual: the
/// median of the `USUAL_MONTHS` months before it, scaled to the days the month covers, with
/// at least `USUAL_MONTHS_MIN` of those months in the data and a usual of `USUAL_MIN` or more.
fn incomplete(invoices: &Invoices, date: NaiveDate) -> Option<Incomplete> {
    let m = calendar::month_of(date);
    // Months before the data began are no evidence; months inside it without invoices are.
    let mut before: Vec<usize> = ((m - USUAL_MONTHS).max(invoices.first)..m).map(|mo| invoices.count(mo)).collect();
    if before.len() < USUAL_MONTHS_MIN {
        return None;
    }
    before.sort_unstable();
    let median = before[before.len() / 2];
    if median < USUAL_MIN {
        return None;
    }
    let covered = calendar::days_at(m, date) as f64 / calendar::days_in(m) as f64;
    let usual = (median as f64 * covered).round() as usize;
    let invoices = invoices.count(m);
    ((invoices as f64) < usual as f64 * INCOMPLETE_SHARE).then_some(Incomplete { month: m, invoices, usual })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Origin};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A ledger with `per_month` invoices on each of the days given, from January 2026.
    fn ledger(dates: &[(&str, usize)]) -> Ledger {
        let mut l = Ledger::default();
        let id = l.texts.push("F").unwrap();
        for &(date, n) in dates {
            for _ in 0..n {
                l.documents.push(Document {
                    client: 0,
                    id,
                    kind: DocKind::Invoice,
                    issue: d(date),
                    due: d(date),
                    amount: 100,
                    currency: crate::model::Currency::EUR,
                    reference: None,
                    disputed: false,
                    instalment: 0,
                    origin: Origin::default(),
                });
            }
        }
        l
    }

    /// Twenty invoices on the 10th and 25th of each month from January to June 2026.
    fn half_year() -> Vec<(String, usize)> {
        (1..=6).flat_map(|m| [(format!("2026-{m:02}-10"), 10), (format!("2026-{m:02}-25"), 10)]).collect()
    }

    fn with(extra: &[(&str, usize)]) -> Ledger {
        let base = half_year();
        let mut all: Vec<(&str, usize)> = base.iter().map(|(s, n)| (s.as_str(), *n)).collect();
        all.extend_from_slice(extra);
        ledger(&all)
    }

    /// Issue 21: an export run on 31 July whose last rows are dated 29 July is July's.
    #[test]
    fn data_within_a_few_days_of_the_month_end_give_that_month() {
        let l = with(&[("2026-07-10", 10), ("2026-07-29", 10)]);
        let a = AsOf::from_data(d("2026-07-29"), None, &l);
        assert_eq!(
            (a.date, &a.rule, a.incomplete),
            (d("2026-07-31"), &Rule::MonthReached { latest: d("2026-07-29") }, None)
        );
        assert_eq!(a.why(Lang::En), "the data reach 29/07/2026, within 3 days of the month's end");
        // Four days short is early: the month before.
        let a = AsOf::from_data(d("2026-07-27"), None, &with(&[("2026-07-10", 10), ("2026-07-27", 10)]));
        assert_eq!(a.date, d("2026-06-30"));
    }

    /// Issue 21: an export ending on 2 December is November's, whole, never a December with a
    /// fifteenth of its sales.
    #[test]
    fn data_early_in_a_month_give_the_month_before() {
        let l = with(&[("2026-07-02", 2)]);
        let a = AsOf::from_data(d("2026-07-02"), None, &l);
        assert_eq!((a.date, a.incomplete), (d("2026-06-30"), None));
        assert_eq!(
            a.why(Lang::Nl),
            "de gegevens eindigen op 02/07/2026, 29 dagen voor het einde van de maand: het einde van de maand ervoor"
        );
    }

    /// The data reach July's end but July holds a tenth of the usual invoices: June, saying why.
    #[test]
    fn a_month_that_looks_incomplete_is_left_out_and_said() {
        let l = with(&[("2026-07-30", 2)]);
        let a = AsOf::from_data(d("2026-07-30"), None, &l);
        assert_eq!(a.date, d("2026-06-30"));
        let skipped = Incomplete { month: calendar::month_of(d("2026-07-01")), invoices: 2, usual: 20 };
        assert_eq!(a.rule, Rule::IncompleteSkipped { latest: d("2026-07-30"), skipped });
        assert!(a.why(Lang::En).contains("2026-07 holds 2 invoices against a usual 20"), "{}", a.why(Lang::En));
        assert_eq!(a.incomplete, None);
    }

    /// A date given for a month the data barely cover is kept, with the warning for the report.
    #[test]
    fn a_given_date_in_an_incomplete_month_is_kept_and_warned() {
        let l = with(&[("2026-07-02", 2)]);
        let a = AsOf::given(d("2026-07-31"), &l);
        assert_eq!((a.date, &a.rule), (d("2026-07-31"), &Rule::Given));
        let w = a.warning(Lang::En).unwrap();
        assert!(w.starts_with("2026-07 looks incomplete: 2 invoices issued against a usual 20."), "{w}");
        assert!(a.warning(Lang::Fr).unwrap().contains("semble incomplet"));
        // Mid-month, the usual is scaled to the days covered: 15 days of July expect 10.
        let a = AsOf::given(d("2026-07-15"), &with(&[("2026-07-10", 10)]));
        assert_eq!(a.incomplete, None);
        // A complete month says nothing.
        assert_eq!(AsOf::given(d("2026-06-30"), &l).warning(Lang::En), None);
    }

    /// Small ledgers and short histories are no evidence: a quiet month of a small business is
    /// not called incomplete, nor is the first months' count.
    #[test]
    fn small_or_short_ledgers_are_never_called_incomplete() {
        let small = ledger(&[("2026-01-10", 3), ("2026-02-10", 3), ("2026-03-10", 3), ("2026-04-30", 1)]);
        assert_eq!(AsOf::from_data(d("2026-04-30"), None, &small).date, d("2026-04-30"));
        assert_eq!(AsOf::from_data(d("2026-04-30"), None, &small).incomplete, None);
        let short = ledger(&[("2026-01-10", 40), ("2026-02-10", 40), ("2026-03-30", 2)]);
        assert_eq!(AsOf::from_data(d("2026-03-30"), None, &short).date, d("2026-03-31"));
    }

    /// Issue 21: the export's own date, stated above its header, says which month it holds
    /// whole: rows up to 25 July in an export of 31 July are July's; a date stated before the
    /// rows, or long after them, is no export date.
    #[test]
    fn the_date_an_export_states_sets_the_month() {
        let l = with(&[("2026-07-10", 10), ("2026-07-25", 10)]);
        let a = AsOf::from_data(d("2026-07-25"), Some(d("2026-07-31")), &l);
        assert_eq!(
            (a.date, &a.rule),
            (d("2026-07-31"), &Rule::Stated { stated: d("2026-07-31"), latest: d("2026-07-25") })
        );
        assert_eq!(
            a.why(Lang::En),
            "the export states its date, 31/07/2026 (its rows reach 25/07/2026): the month end on or before it"
        );
        // Made on 5 August: July's end; the rows alone (four days short) would give June.
        assert_eq!(AsOf::from_data(d("2026-07-25"), Some(d("2026-08-05")), &l).date, d("2026-07-31"));
        assert_eq!(AsOf::from_data(d("2026-07-25"), None, &l).date, d("2026-06-30"));
        // Before the last row, or months after it: not the export's date.
        assert_eq!(
            AsOf::from_data(d("2026-07-25"), Some(d("2026-07-01")), &l).rule,
            Rule::MonthBefore { latest: d("2026-07-25") }
        );
        assert_eq!(AsOf::from_data(d("2026-07-25"), Some(d("2026-12-31")), &l).date, d("2026-06-30"));
    }

    /// Two quiet months in a row are a trend, not a gap: the month reached stays, with the
    /// warning.
    #[test]
    fn two_quiet_months_keep_the_month_reached_with_a_warning() {
        let l = with(&[("2026-07-10", 3), ("2026-08-30", 3)]);
        let a = AsOf::from_data(d("2026-08-30"), None, &l);
        assert_eq!(a.date, d("2026-08-31"));
        assert!(a.incomplete.is_some());
    }
}
