//! One invoice's course, kept compactly beside a client's figures so that the forecast can
//! ask, for any earlier date, what was known then: whether the invoice was issued, what was
//! open on it, whether it had been paid and when (the allocation replays events in date order,
//! so what it applied on or before a date is what was known at that date).

use super::allocation::InvoiceState;
use chrono::{Datelike, NaiveDate};

/// A date as a day number (days from the common era), as the records store it.
pub fn day(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// Invoices due in this many days up to a date are a client's recent ones (`later_than_usual`).
pub const LATER_RECENT_DAYS: i32 = 91;
/// … and those due in this many days before them its usual ones.
pub const LATER_USUAL_DAYS: i32 = 365;

/// How a client has paid lately, at the end of a day `at` ([`History::lately`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Lately {
    /// How many days later than usual it pays: the median days late of its invoices due in
    /// the 91 days up to `at` less that of those due in the 365 days before them, drawn
    /// towards zero when the recent invoices are few (times n / (n + 2)). An invoice still
    /// open at `at` counts the days it has been past due so far, so a client that stops paying
    /// is seen at once (and a recent invoice counts no more than it could have been late yet,
    /// which makes a steadily late payer look, if anything, earlier than usual). Medians, not
    /// means: one invoice left unpaid for months moves a mean of a few invoices a lot, and a
    /// client in decline pays all its invoices later. Invoices credited away are left out.
    /// `None` without invoices in both windows. (docs/monitoring.md, the risk score.)
    pub later_than_usual: Option<f64>,
    /// The share (by amount) of its invoices due in the 91 days up to `at` and paid anything
    /// by then that were paid in parts: part-paid and still open at `at`, or settled in more
    /// than one step. `None` when none of them was paid anything yet.
    pub paid_in_parts: Option<f64>,
}

/// The days late of the recent and the usual invoices, kept between calls of
/// [`History::lately`].
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    recent: Vec<i32>,
    usual: Vec<i32>,
}

/// How many recent invoices' worth of "as usual" `later_than_usual` is drawn towards.
const LATER_PRIOR_INVOICES: f64 = 2.0;

/// The median of some days (reorders them); at least one.
fn median(v: &mut [i32]) -> f64 {
    let m = v.len();
    let (below, &mut upper, _) = v.select_nth_unstable(m / 2);
    if m % 2 == 1 {
        f64::from(upper)
    } else {
        // The lower middle is the largest of the half below the upper one.
        (f64::from(*below.iter().max().expect("an even count of at least two")) + f64::from(upper)) / 2.0
    }
}

/// One invoice: its dates, its amount in the reporting currency, and how it was settled.
/// Aligned to four bytes: 28 bytes instead of 32, which at 10 million invoices is 40 MB of the
/// run's peak (every client's history is kept until the forecast).
// Rust's own field order is what packs it; nothing outside arwatch reads this layout.
#[allow(clippy::repr_packed_without_abi)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(packed(4))]
pub struct Past {
    /// Issue date (a day number).
    pub issue: i32,
    /// Due date (a day number).
    pub due: i32,
    /// The date it was settled in full by the as-of date; `i32::MAX` when open.
    pub end: i32,
    /// Its amount in minor units of the reporting currency (at the issue date's rate).
    pub amount: i64,
    /// Where its open amounts after each allocation start in [`History::steps`];
    /// `u32::MAX` when it went from its amount to zero in one step (or never moved).
    steps: u32,
    /// How many steps.
    step_count: u16,
    /// Settled by payments (not credited away).
    pub paid: bool,
    /// Its instalment number (0: an invoice without a schedule); an invoice's instalments
    /// are consecutive records.
    pub instalment: u8,
}

impl Past {
    /// An invoice of `amount` issued, due and settled (`None`: open) on those days, in one
    /// step: the tests' invoices.
    #[cfg(test)]
    pub fn of(issue: NaiveDate, due: NaiveDate, settled: Option<NaiveDate>, paid: bool, amount: i64) -> Past {
        let end = settled.map_or(i32::MAX, day);
        Past { issue: day(issue), due: day(due), end, amount, steps: u32::MAX, step_count: 0, paid, instalment: 0 }
    }
}

/// A client's invoices as the forecast learns from them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// Every invoice issued on or before the as-of date, in issue order.
    pub invoices: Vec<Past>,
    /// The open amount after each allocation of the invoices paid in several steps: (day,
    /// open amount in the reporting currency).
    steps: Vec<(i32, i64)>,
    /// The longest terms (due − issue, days) of its invoices: how far back from a due date a
    /// search in issue order must look.
    max_terms: i32,
}

impl History {
    /// Room for `n` invoices: a client's history is made once and kept until the forecast,
    /// so it is sized exactly (at 10M invoices a vector grown by doubling holds a third more).
    pub fn with_capacity(n: usize) -> History {
        History { invoices: Vec::with_capacity(n), steps: Vec::new(), max_terms: 0 }
    }

    /// Records one invoice after the replay; `amount` is its amount in the reporting currency.
    pub fn record(&mut self, inv: &InvoiceState<'_>, amount: i64) {
        let doc_amount = inv.doc.amount;
        let single = match inv.allocations.as_slice() {
            [] => true,
            [a] => inv.settled == Some(a.date),
            _ => false,
        };
        let (steps, step_count) = if single || doc_amount == 0 {
            (u32::MAX, 0)
        } else {
            let start = self.steps.len() as u32;
            let mut left = i128::from(doc_amount);
            for a in &inv.allocations {
                left -= i128::from(a.amount);
                // The open share in the reporting currency; exact when the currencies agree.
                let open = (i128::from(amount) * left / i128::from(doc_amount)).clamp(0, i128::from(i64::MAX)) as i64;
                self.steps.push((day(a.date), open));
            }
            (start, inv.allocations.len().min(u16::MAX as usize) as u16)
        };
        self.max_terms = self.max_terms.max(day(inv.doc.due) - day(inv.doc.issue));
        self.invoices.push(Past {
            issue: day(inv.doc.issue),
            due: day(inv.doc.due),
            end: inv.settled.map_or(i32::MAX, day),
            amount,
            steps,
            step_count,
            paid: inv.is_paid(),
            instalment: inv.doc.instalment,
        });
    }

    /// The days `p` moved on before it was settled in full, each with what was left open
    /// after it (empty for an invoice settled in one step or never moved).
    pub fn steps_of(&self, p: &Past) -> &[(i32, i64)] {
        if p.steps == u32::MAX {
            return &[];
        }
        &self.steps[p.steps as usize..p.steps as usize + p.step_count as usize]
    }

    /// How the client has paid lately, at the end of day `at` ([`Lately`]), in one pass over the
    /// invoices that fall due in its windows, with buffers kept between calls (the
    /// early-warning record asks at 24 month ends a client).
    pub fn lately(&self, at: i32, scratch: &mut Scratch) -> Lately {
        let upto = self.invoices.partition_point(|p| p.issue <= at);
        let Scratch { recent, usual } = scratch;
        recent.clear();
        usual.clear();
        let (mut parts, mut paid) = (0i128, 0i128);
        for p in self.invoices[..upto].iter().rev() {
            // Invoices are in issue order: older ones cannot fall due in the windows.
            if p.issue <= at - LATER_RECENT_DAYS - LATER_USUAL_DAYS - self.max_terms {
                break;
            }
            if p.due > at || p.due <= at - LATER_RECENT_DAYS - LATER_USUAL_DAYS {
                continue;
            }
            let settled = p.end <= at;
            if p.due > at - LATER_RECENT_DAYS {
                let moved = self.steps_of(p).iter().take_while(|(d, _)| *d <= at).count();
                if moved > 0 || settled {
                    let w = i128::from(p.amount.max(0));
                    paid += w;
                    if moved >= 2 || (moved == 1 && !settled) {
                        parts += w;
                    }
                }
            }
            if settled && !p.paid {
                continue; // credited away
            }
            let late = (p.end.min(at) - p.due).max(0);
            if p.due > at - LATER_RECENT_DAYS { recent.push(late) } else { usual.push(late) }
        }
        let later_than_usual = (!recent.is_empty() && !usual.is_empty()).then(|| {
            let n = recent.len() as f64;
            (median(recent) - median(usual)) * n / (n + LATER_PRIOR_INVOICES)
        });
        Lately { later_than_usual, paid_in_parts: (paid > 0).then(|| parts as f64 / paid as f64) }
    }

    /// What was open on `p` at the end of day `at` (0 once settled); `None` when it was not
    /// issued yet.
    pub fn open_at(&self, p: &Past, at: i32) -> Option<i64> {
        if p.issue > at {
            return None;
        }
        if p.end <= at {
            return Some(0);
        }
        if p.steps == u32::MAX {
            return Some(p.amount);
        }
        Some(self.steps_of(p).iter().take_while(|(d, _)| *d <= at).last().map_or(p.amount, |s| s.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_invoice_s_history_stays_small() {
        // One per invoice, kept from the analysis to the forecast: ten million at 10M.
        assert_eq!(std::mem::size_of::<Past>(), 28);
    }

    impl History {
        fn later_than_usual(&self, at: i32) -> Option<f64> {
            self.lately(at, &mut Scratch::default()).later_than_usual
        }

        fn paid_in_parts(&self, at: i32) -> Option<f64> {
            self.lately(at, &mut Scratch::default()).paid_in_parts
        }

        /// Adds an invoice and the days its open amount moved to (none: one step).
        fn push(&mut self, mut p: Past, steps: &[(&str, i64)]) {
            self.max_terms = self.max_terms.max(p.due - p.issue);
            if !steps.is_empty() {
                p.steps = self.steps.len() as u32;
                p.step_count = steps.len() as u16;
                self.steps.extend(steps.iter().map(|(s, v)| (day(d(s)), *v)));
            }
            self.invoices.push(p);
        }
    }

    /// A client invoicing on the 1st and the 15th of each month from January 2025 (invoice k
    /// is the k-th), 30 days' terms, each paid `late(k)` days after its due date (`None`: open).
    fn twice_monthly(late: impl Fn(u32) -> Option<i64>) -> History {
        let mut h = History::default();
        for k in 0..44u32 {
            let issue = d("2025-01-01") + chrono::Months::new(k / 2) + chrono::Duration::days(14 * i64::from(k % 2));
            let due = issue + chrono::Duration::days(30);
            let paid = late(k).map(|l| due + chrono::Duration::days(l));
            h.push(Past::of(issue, due, paid, paid.is_some(), 1000), &[]);
        }
        h
    }

    #[test]
    fn later_than_usual_reads_recent_invoices_against_the_year_before() {
        let at = day(d("2026-09-30"));
        let close = |x: Option<f64>, y: f64| x.is_some_and(|x| (x - y).abs() < 1e-9);
        // The recent invoices are the five due in the 91 days to 30 September (15 July to 14
        // September; the one due on 1 July is among the usual ones). On time, then 20 days
        // late from invoice 34 (due 1 July): the recent ones were 20 days late (the last, due
        // 14 September, 16 days so far), drawn by 5 / (5 + 2).
        let h = twice_monthly(|k| Some(if k >= 34 { 20 } else { 0 }));
        assert!(close(h.later_than_usual(at), 20.0 * 5.0 / 7.0), "{:?}", h.later_than_usual(at));
        // A steady payer is as usual.
        assert!(close(twice_monthly(|_| Some(25)).later_than_usual(at), 0.0));
        // One invoice left open for months does not move a median; a client that stops paying
        // does, by the days its invoices have been open so far (77, 61, 47, 30, 16).
        assert!(close(twice_monthly(|k| if k == 36 { None } else { Some(0) }).later_than_usual(at), 0.0));
        let stopped = twice_monthly(|k| if k >= 34 { None } else { Some(0) });
        assert!(close(stopped.later_than_usual(at), 47.0 * 5.0 / 7.0), "{:?}", stopped.later_than_usual(at));
        // Nothing due a year before: no usual to compare with.
        assert_eq!(twice_monthly(|_| Some(0)).later_than_usual(day(d("2025-02-28"))), None);
    }

    #[test]
    fn paid_in_parts_counts_the_recent_invoices_paid_in_more_than_one_step() {
        let mut h = History::default();
        let inv = |issue: &str, settled: Option<&str>| {
            let issue = d(issue);
            Past::of(issue, issue + chrono::Duration::days(30), settled.map(d), settled.is_some(), 1000)
        };
        // Settled in two steps; part-paid and open; paid at once; not paid at all.
        h.push(inv("2026-07-10", Some("2026-09-10")), &[("2026-08-20", 500), ("2026-09-10", 0)]);
        h.push(Past { end: i32::MAX, paid: false, ..inv("2026-07-20", None) }, &[("2026-09-01", 400)]);
        h.push(inv("2026-08-01", Some("2026-08-30")), &[]);
        h.push(inv("2026-08-10", None), &[]);
        assert_eq!(h.paid_in_parts(day(d("2026-09-30"))), Some(2.0 / 3.0));
        // Part-paid and still open counts too; before any was paid anything there is no share.
        assert_eq!(h.paid_in_parts(day(d("2026-08-25"))), Some(1.0));
        assert_eq!(h.paid_in_parts(day(d("2026-08-15"))), None);
    }
}
