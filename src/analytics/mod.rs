//! The analytics engine: a pure function of (ledger, as-of date, settings).
//!
//! Clients are independent, so each is computed on its own (in parallel with rayon) into exact
//! sums; portfolio figures are merges of those sums, never averages of client ratios.

pub mod allocation;
pub mod as_of;
pub mod calendar;
pub mod dispute;
mod figures;
pub mod forecast;
pub mod metrics;
pub mod outlook;
pub mod past;
pub mod position;
pub mod promise;
pub mod risk;
pub mod settings;

use figures::merge_sums;
pub use figures::{Analysis, ClientResult, Figures, MonthRow, OpenItem, Sums};
pub use position::Position;
pub use settings::Settings;

use crate::fx::{Fx, FxError};
use crate::model::{ClientIx, DocKind, Document, Ledger, Money, Payment, Texts};
use allocation::{Outcome, allocate};
use calendar::Month;
use chrono::NaiveDate;
use metrics::Behaviour;
use past::History;
use rayon::prelude::*;

/// The month range everything is computed over, fixed by the as-of date and the settings.
#[derive(Clone, Debug)]
struct Frame {
    as_of: NaiveDate,
    a_month: Month,
    /// First month of the sales vector.
    sales_from: Month,
    /// First month of the snapshot vectors (one before the first month that needs a begin AR).
    snap_from: Month,
    snap_ends: Vec<NaiveDate>,
    series_from: Month,
}

impl Frame {
    fn new(as_of: NaiveDate, s: &Settings) -> Frame {
        let a_month = calendar::month_of(as_of);
        let series_from = a_month - s.series_months as i32 + 1;
        let period_from = a_month - s.dso_months as i32 + 1;
        let snap_from = series_from.min(period_from) - 1;
        // Countback for the first series month looks back `lookback` months from it; standard
        // DSO needs `dso_months`.
        let sales_from = (series_from - s.countback_lookback_months as i32 + 1)
            .min(series_from - s.dso_months as i32 + 1)
            .min(period_from);
        let snap_ends = (snap_from..=a_month).map(|m| calendar::end_at(m, as_of)).collect();
        Frame { as_of, a_month, sales_from, snap_from, snap_ends, series_from }
    }

    fn sales_ix(&self, m: Month) -> Option<usize> {
        (m >= self.sales_from && m <= self.a_month).then(|| (m - self.sales_from) as usize)
    }
}

/// Computes every figure at `as_of`, in the reporting currency of `fx`. No clock, no I/O: the
/// same inputs give the same result. Fails only on a missing exchange rate.
pub fn analyse(ledger: &Ledger, as_of: NaiveDate, settings: &Settings, fx: &Fx) -> Result<Analysis, FxError> {
    let frame = Frame::new(as_of, settings);
    let n = ledger.clients.len();
    let (docs_by, pays_by) = by_client(ledger, as_of);
    let mut order: Vec<ClientIx> =
        (0..n).filter(|&c| !docs_by.is_empty(c) || !pays_by.is_empty(c)).map(|c| c as ClientIx).collect();
    order.sort_by(|a, b| ledger.clients[*a as usize].id.cmp(&ledger.clients[*b as usize].id));

    // Each worker merges its clients into its own portfolio sums as it goes and then drops the
    // client's month vectors, so their memory is reused by the next client instead of adding
    // up over 50,000 clients. Parts come back in client order; the sums are integers, so the
    // merge order does not change them.
    let parts: Vec<(Vec<ClientResult>, Sums)> = order
        .par_iter()
        .try_fold(
            || (Vec::new(), Sums::default()),
            |(mut done, mut total), &c| {
                let mut r = client_figures(
                    c,
                    &docs_by.of(c as usize),
                    &pays_by.of(c as usize),
                    &ledger.texts,
                    fx,
                    &frame,
                    settings,
                )?;
                merge_sums(&mut total, &r.figures.sums);
                r.figures.sums.shed_series();
                done.push(r);
                Ok::<_, FxError>((done, total))
            },
        )
        .collect::<Result<_, FxError>>()?;
    let mut clients = Vec::with_capacity(order.len());
    let mut total = Sums::default();
    for (done, part) in parts {
        // A part without clients has no vectors to merge.
        if !done.is_empty() {
            merge_sums(&mut total, &part);
            clients.extend(done);
        }
    }
    let portfolio = finish(total, &frame, settings);
    let warnings = clients
        .iter()
        .flat_map(|c| c.warnings.iter().map(move |w| format!("client {}: {w}", ledger.clients[c.client as usize].id)))
        .collect();
    Ok(Analysis { as_of, settings: settings.clone(), clients, portfolio, warnings })
}

/// Records grouped by client, in input order within a client: one flat list of their places
/// in the ledger and where each client's part starts.
struct Grouped<'a, T> {
    all: &'a [T],
    /// Places in `all`: four bytes a record where a reference takes eight, which at 10 million
    /// invoices is 77 MB less at the run's peak (the grouping lives as long as the analysis).
    items: Vec<u32>,
    start: Vec<usize>,
}

impl<'a, T> Grouped<'a, T> {
    /// A counting sort: clients are dense indices, so 10 million records are grouped in two
    /// passes, with no hash map and no list that grows.
    fn new(n: usize, all: &'a [T], client: impl Fn(&T) -> Option<ClientIx>) -> Grouped<'a, T> {
        let mut start = vec![0usize; n + 1];
        for t in all {
            if let Some(c) = client(t) {
                start[c as usize + 1] += 1;
            }
        }
        for c in 0..n {
            start[c + 1] += start[c];
        }
        let mut next = start.clone();
        let mut items = vec![0u32; start[n]];
        for (i, t) in all.iter().enumerate() {
            if let Some(c) = client(t) {
                // Every record has an id of at least a byte in the ledger's texts, which hold
                // at most 4 GiB: the records' places fit in 32 bits.
                items[next[c as usize]] = u32::try_from(i).expect("fewer records than texts' bytes");
                next[c as usize] += 1;
            }
        }
        Grouped { all, items, start }
    }

    /// Whether client `c` has no record.
    fn is_empty(&self, c: usize) -> bool {
        self.start[c] == self.start[c + 1]
    }

    /// Client `c`'s records, in input order.
    fn of(&self, c: usize) -> Vec<&'a T> {
        self.items[self.start[c]..self.start[c + 1]].iter().map(|&i| &self.all[i as usize]).collect()
    }
}

/// Each client's documents and payments dated on or before `as_of`.
fn by_client(ledger: &Ledger, as_of: NaiveDate) -> (Grouped<'_, Document>, Grouped<'_, Payment>) {
    let n = ledger.clients.len();
    rayon::join(
        || Grouped::new(n, &ledger.documents, |d| (d.issue <= as_of).then_some(d.client)),
        || Grouped::new(n, &ledger.payments, |p| (p.date <= as_of).then_some(p.client)),
    )
}

// Long on purpose: one client's open items, buckets, behaviour and series in one pass over

// the replay's outcome, which is read once and dropped.

fn client_figures(
    client: ClientIx,
    docs: &[&Document],
    pays: &[&Payment],
    texts: &Texts,
    fx: &Fx,
    frame: &Frame,
    s: &Settings,
) -> Result<ClientResult, FxError> {
    let outcome: Outcome<'_> = allocate(docs, pays, texts, fx, &frame.snap_ends)?;
    let as_of = frame.as_of;
    // Money in the reporting currency: open amounts at the as-of date's rate, sales and
    // behaviour weights at the issue date's (spec section 9).
    let at_issue = |d: &Document| fx.to_reporting(d.amount, d.currency, d.issue);
    let reporting = fx.reporting();
    // Months of settlement the series and both trend windows (6 and 3 + 6 months) read.
    let settle_from =
        frame.series_from.min(frame.a_month - s.behaviour_window_months as i32 + 1).min(frame.a_month - 8);
    let mut sums = Sums {
        buckets: vec![0; s.aging_boundaries.len() + 2],
        sales: vec![0; (frame.a_month - frame.sales_from + 1) as usize],
        by_settlement_month: (settle_from..=frame.a_month).map(|m| (m, Behaviour::default())).collect(),
        ..Default::default()
    };
    let window_from = frame.a_month - s.behaviour_window_months as i32 + 1;
    let mut open_items = Vec::new();
    let mut history = History::with_capacity(outcome.invoices.len());
    for (k, d) in docs.iter().enumerate() {
        let m = calendar::month_of(d.issue);
        if let Some(i) = frame.sales_ix(m) {
            // An invoice's instalments add up to it: its sales are counted once.
            let v = at_issue(d)?;
            sums.sales[i] += match d.kind {
                DocKind::Invoice => v,
                DocKind::CreditNote => -v,
            };
        }
        // An invoice with a schedule counts once, with the terms of its last instalment.
        let last = docs.get(k + 1).is_none_or(|n| !n.continues(d));
        if d.kind == DocKind::Invoice && m >= window_from && last {
            sums.terms_days += (d.due - d.issue).num_days();
            sums.terms_count += 1;
        }
    }
    // The last open item counted, so that an invoice's open instalments count as one invoice.
    let mut counted: Option<&str> = None;
    for inv in &outcome.invoices {
        let d = inv.doc;
        history.record(inv, at_issue(d)?);
        if inv.open > 0 {
            if d.instalment <= 1 || counted != Some(inv.id) {
                sums.open_invoices += 1;
            }
            counted = Some(inv.id);
            let basis = if s.aging_by_issue_date { d.issue } else { d.due };
            let dpd = (as_of - basis).num_days();
            let bucket = s.bucket_of(dpd);
            let open = fx.to_reporting(inv.open, d.currency, as_of)?;
            sums.buckets[bucket] += open;
            sums.open_total += open;
            sums.open_days_overdue += open as i128 * (as_of - d.due).num_days().max(0) as i128;
            open_items.push(OpenItem {
                invoice: Position {
                    client,
                    document_id: inv.id.to_string(),
                    instalment: d.instalment,
                    issue: d.issue,
                    due: d.due,
                    amount: Money::new(at_issue(d)?, reporting),
                    open: Money::new(open, reporting),
                },
                days_past_due: dpd,
                bucket,
                disputed: d.disputed,
                open_in_currency: Money::new(inv.open, d.currency),
            });
        }
        if let (true, Some(settled)) = (inv.is_paid(), inv.settled) {
            let late = (settled - d.due).num_days().max(0);
            let to_pay = (settled - d.issue).num_days();
            let m = calendar::month_of(settled);
            let weight = at_issue(d)?;
            if m >= window_from {
                sums.window.add(weight, late, to_pay);
            }
            if let Some(slot) =
                sums.by_settlement_month.get_mut((m - settle_from) as usize).filter(|_| m >= settle_from)
            {
                slot.1.add(weight, late, to_pay);
            }
        }
    }
    open_items.sort_by(|a, b| {
        let (a, b) = (&a.invoice, &b.invoice);
        (a.due, a.issue, &a.document_id).cmp(&(b.due, b.issue, &b.document_id))
    });
    for &(cur, v) in &outcome.unapplied {
        sums.unapplied_credit += fx.to_reporting(v, cur, as_of)?;
    }
    sums.net_ar = sums.open_total - sums.unapplied_credit;
    sums.ar = outcome.snapshots.iter().map(|x| x.ar).collect();
    sums.current = outcome.snapshots.iter().map(|x| x.current).collect();
    let mut warnings = Vec::new();
    for p in &outcome.ref_problems {
        warnings.push(if p.not_yet_issued {
            format!(
                "{} on {} references invoice {}, which is not issued yet then; applied oldest-first",
                p.from, p.date, p.reference
            )
        } else {
            format!(
                "{} on {} references unknown invoice {} of this client; applied oldest-first",
                p.from, p.date, p.reference
            )
        });
    }
    for (id, left, date) in &outcome.unmatched_reversals {
        warnings.push(format!(
            "reversal {id} on {date}: {left} {} found no payment to undo; kept as a debit balance",
            left.currency()
        ));
    }
    let figures = finish(sums, frame, s);
    Ok(ClientResult { client, figures, open_items, history, warnings })
}

/// The figures of a single open-items snapshot: what was sold and how it was paid are
/// unknown, so every figure that needs them is not available, never zero.
fn snapshot_figures(sums: Sums, dbt: f64, monthly: Vec<MonthRow>) -> Figures {
    Figures {
        dbt,
        wadl_slope_6m: None,
        late_ratio_trend: None,
        dso_standard: None,
        dso_countback: None,
        dso_countback_capped: false,
        bpdso: None,
        add: None,
        cei: None,
        avg_terms_days: None,
        monthly: monthly
            .into_iter()
            .map(|m| MonthRow { dso_standard: None, cei: None, behaviour: Behaviour::default(), ..m })
            .collect(),
        sums,
    }
}

/// Turns sums into figures: the same code for a client and for the portfolio.
// Long on purpose: the DSO family and the behaviour trends come from the same few closures
// (sales of a month, AR at a month end, the months known), for every month and for the as-of.
fn finish(sums: Sums, frame: &Frame, s: &Settings) -> Figures {
    let sales_of = |m: Month| frame.sales_ix(m).map(|i| sums.sales.get(i).copied().unwrap_or(0)).unwrap_or(0);
    let snap = |m: Month| -> (i64, i64) {
        let i = (m - frame.snap_from) as usize;
        (sums.ar.get(i).copied().unwrap_or(0), sums.current.get(i).copied().unwrap_or(0))
    };
    let period = |m: Month, n: u32| -> (i64, i64) {
        let months = (m - n as i32 + 1)..=m;
        (months.clone().map(sales_of).sum(), months.map(|x| calendar::days_at(x, frame.as_of)).sum())
    };
    // A series of snapshots knows sales and settlements after its first month only: a
    // figure whose period reaches back to it is not available.
    let known = s.known_from.map(calendar::month_of);
    let after_known = |m: Month| known.is_none_or(|k| m > k);
    // The countback's days and whether it is capped, or none when the known months ran out
    // before the balance was explained.
    let countback = |m: Month| -> Option<(f64, bool)> {
        let months: Vec<(i64, i64)> = (0..s.countback_lookback_months as i32)
            .map(|k| m - k)
            .take_while(|&mm| after_known(mm))
            .map(|mm| (sales_of(mm), calendar::days_at(mm, frame.as_of)))
            .collect();
        let (d, capped) = metrics::dso_countback(snap(m).0, &months);
        let short = capped && months.len() < s.countback_lookback_months as usize;
        (!short).then_some((d, capped))
    };
    let window_known = |m: Month, n: u32| after_known(m - n as i32 + 1);
    // A snapshot knows only its own month; a series, the months after its first.
    let series_from = if s.snapshot {
        frame.a_month
    } else {
        known.map_or(frame.series_from, |k| frame.series_from.max(k + 1).min(frame.a_month))
    };
    let monthly: Vec<MonthRow> = (series_from..=frame.a_month)
        .map(|m| {
            let (ar, current) = snap(m);
            let (ps, pd) = period(m, s.dso_months);
            MonthRow {
                month: m,
                sales: sales_of(m),
                net_ar: ar,
                current_ar: current,
                dso_standard: metrics::dso_standard(ar, ps, pd).filter(|_| window_known(m, s.dso_months)),
                dso_countback: if s.snapshot { None } else { countback(m).map(|c| c.0) },
                cei: metrics::cei(snap(m - 1).0, sales_of(m), 1, ar, current).filter(|_| after_known(m)),
                behaviour: sums.by_settlement_month.iter().find(|(mm, _)| *mm == m).map(|x| x.1).unwrap_or_default(),
            }
        })
        .collect();
    let a = frame.a_month;
    let (ps, pd) = period(a, s.dso_months);
    let (ar, current) = snap(a);
    let in_window = window_known(a, s.dso_months);
    let dso_standard = metrics::dso_standard(ar, ps, pd).filter(|_| in_window);
    let bpdso = metrics::bpdso(current, ps, pd).filter(|_| in_window);
    let (dso_countback, capped) = match countback(a) {
        Some((d, c)) => (Some(d), c),
        None => (None, false),
    };
    let cei = metrics::cei(snap(a - s.dso_months as i32).0, ps, s.dso_months, ar, current).filter(|_| in_window);
    let month_behaviour =
        |m: Month| sums.by_settlement_month.iter().find(|(mm, _)| *mm == m).map(|x| x.1).unwrap_or_default();
    let points: Vec<(f64, f64)> =
        (a - 5..=a).filter_map(|m| month_behaviour(m).wadl().map(|w| ((m - a) as f64, w))).collect();
    let sum_over = |from: Month, to: Month| {
        let mut b = Behaviour::default();
        for m in from..=to {
            b.merge(&month_behaviour(m));
        }
        b
    };
    let late_ratio_trend = match (sum_over(a - 2, a).late_ratio(), sum_over(a - 8, a - 3).late_ratio()) {
        (Some(recent), Some(before)) => Some(recent - before),
        _ => None,
    };
    let dbt = if sums.open_total > 0 { sums.open_days_overdue as f64 / sums.open_total as f64 } else { 0.0 };
    if s.snapshot {
        return snapshot_figures(sums, dbt, monthly);
    }
    Figures {
        dbt,
        wadl_slope_6m: metrics::slope(&points),
        late_ratio_trend,
        dso_standard,
        dso_countback,
        dso_countback_capped: capped,
        bpdso,
        add: dso_standard.zip(bpdso).map(|(d, b)| d - b),
        cei,
        avg_terms_days: (sums.terms_count > 0).then(|| sums.terms_days as f64 / sums.terms_count as f64),
        monthly,
        sums,
    }
}

/// One invoice as it stands at the as-of date (amounts in its own currency): for audits and
/// for checking arwatch against the days late and days to pay that exports carry.
#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceOutcome {
    /// The invoice, its amount and what is open at the as-of date in its own currency.
    pub invoice: Position,
    /// The date it was settled, if it was.
    pub settled: Option<NaiveDate>,
    /// Settled with payments (not credited away).
    pub paid: bool,
    /// Settlement − issue date, for a paid invoice.
    pub days_to_pay: Option<i64>,
    /// max(0, settlement − due date), for a paid invoice.
    pub days_late: Option<i64>,
}

/// Every invoice issued on or before `as_of`, with its allocation outcome (amounts in the
/// document currency), in client order.
pub fn invoice_outcomes(ledger: &Ledger, as_of: NaiveDate, fx: &Fx) -> Result<Vec<InvoiceOutcome>, FxError> {
    let (docs_by, pays_by) = by_client(ledger, as_of);
    (0..ledger.clients.len())
        .into_par_iter()
        .flat_map_iter(|c| {
            let outcome = match allocate(&docs_by.of(c), &pays_by.of(c), &ledger.texts, fx, &[]) {
                Ok(o) => o,
                Err(e) => return vec![Err(e)],
            };
            outcome
                .invoices
                .into_iter()
                .map(|s| {
                    let paid = s.is_paid();
                    let d = s.doc;
                    Ok(InvoiceOutcome {
                        invoice: Position {
                            client: d.client,
                            document_id: s.id.to_string(),
                            instalment: d.instalment,
                            issue: d.issue,
                            due: d.due,
                            amount: Money::new(d.amount, d.currency),
                            open: Money::new(s.open, d.currency),
                        },
                        settled: s.settled,
                        paid,
                        days_to_pay: s.settled.filter(|_| paid).map(|t| (t - d.issue).num_days()),
                        days_late: s.settled.filter(|_| paid).map(|t| (t - d.due).num_days().max(0)),
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The boundary table of docs/metrics.md: A = 2025-03-31 and the default buckets.
    #[test]
    fn spec_bucket_boundaries() {
        let s = Settings::default();
        let a = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        let names = s.bucket_labels();
        for (due, d, label) in [
            ("2025-03-31", 0, "not due"),
            ("2025-03-30", 1, "1-30"),
            ("2025-01-30", 60, "31-60"),
            ("2024-12-31", 90, "61-90"),
            ("2024-12-01", 120, "91-120"),
            ("2024-11-30", 121, ">120"),
        ] {
            let dpd = (a - due.parse::<NaiveDate>().unwrap()).num_days();
            assert_eq!(dpd, d, "{due}");
            let bucket = s.bucket_of(dpd);
            assert_eq!(names[bucket], label, "{due}: {d} days");
        }
    }
}
