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

/// How many recent invoices' worth of "as usual" `later_than_usual` is drawn towards.
const LATER_PRIOR_INVOICES: f64 = 2.0;

/// The median of some days (sorts them).
fn median(v: &mut [i32]) -> f64 {
    v.sort_unstable();
    let m = v.len();
    if m % 2 == 1 { f64::from(v[m / 2]) } else { (f64::from(v[m / 2 - 1]) + f64::from(v[m / 2])) / 2.0 }
}

/// One invoice: its dates, its amount in the reporting currency, and how it was settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

impl History {
    /// Room for `n` invoices: a client's history is made once and kept until the forecast,
    /// so it is sized exactly (at 10M invoices a vector grown by doubling holds a third more).
    pub fn with_capacity(n: usize) -> History {
        History { invoices: Vec::with_capacity(n), steps: Vec::new() }
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

    /// How many days later than usual the client pays at the end of day `at`: the median days
    /// late of its invoices due in the 91 days up to `at` less that of those due in the 365
    /// days before them, drawn towards zero when the recent invoices are few (times n / (n +
    /// 2)). An invoice still open at `at` counts the days it has been past due so far, so a
    /// client that stops paying is seen at once (and a recent invoice counts no more than it
    /// could have been late yet, which makes a steadily late payer look, if anything, earlier
    /// than usual). Medians, not means: one invoice left unpaid for months moves a mean of a
    /// few invoices a lot, and a client in decline pays all its invoices later. Invoices
    /// credited away are left out. `None` without invoices in both windows.
    /// (docs/monitoring.md, the risk score.)
    pub fn later_than_usual(&self, at: i32) -> Option<f64> {
        let upto = self.invoices.partition_point(|p| p.issue <= at);
        let (mut recent, mut usual) = (Vec::new(), Vec::new());
        for p in self.invoices[..upto].iter().rev() {
            // Terms of up to two years: older invoices cannot fall due in the windows.
            if p.issue < at - LATER_RECENT_DAYS - LATER_USUAL_DAYS - 730 {
                break;
            }
            if p.due > at || p.due <= at - LATER_RECENT_DAYS - LATER_USUAL_DAYS || (p.end <= at && !p.paid) {
                continue;
            }
            let late = (p.end.min(at) - p.due).max(0);
            if p.due > at - LATER_RECENT_DAYS { recent.push(late) } else { usual.push(late) }
        }
        if recent.is_empty() || usual.is_empty() {
            return None;
        }
        let n = recent.len() as f64;
        Some((median(&mut recent) - median(&mut usual)) * n / (n + LATER_PRIOR_INVOICES))
    }

    /// The share (by amount) of the client's invoices due in the 91 days up to `at` and paid
    /// anything by then that were paid in parts: part-paid and still open at `at`, or settled
    /// in more than one step. `None` when none of them was paid anything yet.
    pub fn paid_in_parts(&self, at: i32) -> Option<f64> {
        let upto = self.invoices.partition_point(|p| p.issue <= at);
        let (mut parts, mut paid) = (0i128, 0i128);
        for p in self.invoices[..upto].iter().rev() {
            if p.issue < at - LATER_RECENT_DAYS - 730 {
                break;
            }
            if p.due > at || p.due <= at - LATER_RECENT_DAYS {
                continue;
            }
            let steps = self.steps_of(p);
            let moved = steps.iter().take_while(|(d, _)| *d <= at).count();
            let settled = p.end <= at;
            if moved == 0 && !settled {
                continue;
            }
            let w = i128::from(p.amount.max(0));
            paid += w;
            if moved >= 2 || (moved == 1 && !settled) {
                parts += w;
            }
        }
        (paid > 0).then(|| parts as f64 / paid as f64)
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
