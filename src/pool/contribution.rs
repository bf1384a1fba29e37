//! A portfolio's pool contribution: per debtor with a valid company number and per month, only
//! aggregates of how it paid this creditor (`docs/pooling.md`). No document, amount per
//! document, client id or name leaves the portfolio.

use super::error::PoolError;
use crate::analytics::Analysis;
use crate::analytics::calendar::{self, Month};
use crate::analytics::metrics::Behaviour;
use crate::model::{CompanyNumber, Currency, Money, Roster};
use crate::report::table::{Cell, Column, Table};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What the creditor had open on the debtor at the as-of date, in fixed buckets of days past
/// the due date (the same for every creditor, whatever its own aging configuration).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Position {
    /// Net AR: open invoices less unapplied credit.
    pub exposure: i64,
    /// Σ open on invoices.
    pub open: i64,
    /// Σ open × max(0, days past due): DBT's numerator.
    pub open_days_overdue: i128,
    /// Open not yet due, 1–30, 31–60, 61–90 and more than 90 days past due.
    pub buckets: [i64; 5],
}

/// One contribution row: a debtor, a month, what it settled in that month and, for the as-of
/// month, what was open.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The debtor.
    pub company_number: CompanyNumber,
    /// The month of settlement.
    pub month: Month,
    /// Invoices settled in the month: counts and amount-weighted sums.
    pub settled: Behaviour,
    /// At the as-of date (its month's row only).
    pub position: Option<Position>,
}

/// The fixed pool bucket of an invoice `days` past its due date.
fn bucket(days: i64) -> usize {
    match days {
        ..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        _ => 4,
    }
}

/// The contribution of one analysis: clients without a valid company number are left out;
/// clients that share one (two accounts of one company) are one debtor. Months in which a
/// debtor settled nothing are left out, except the as-of month when something is open.
pub fn rows(roster: &Roster, a: &Analysis) -> Vec<Row> {
    let as_of_month = calendar::month_of(a.as_of);
    let mut by: BTreeMap<(CompanyNumber, Month), (Behaviour, Option<Position>)> = BTreeMap::new();
    for c in &a.clients {
        let Some(number) = roster.clients[c.client as usize].company_number.clone() else { continue };
        for m in &c.figures.monthly {
            if m.behaviour.paid > 0 {
                by.entry((number.clone(), m.month)).or_default().0.merge(&m.behaviour);
            }
        }
        let s = &c.figures.sums;
        if s.net_ar == 0 && c.open_items.is_empty() {
            continue;
        }
        let p = by.entry((number, as_of_month)).or_default().1.get_or_insert_with(Position::default);
        p.exposure += s.net_ar;
        for i in &c.open_items {
            let (days, open) = ((a.as_of - i.invoice.due).num_days(), i.invoice.open.minor());
            p.open += open;
            p.open_days_overdue += open as i128 * days.max(0) as i128;
            p.buckets[bucket(days)] += open;
        }
    }
    by.into_iter()
        .map(|((company_number, month), (settled, position))| Row { company_number, month, settled, position })
        .collect()
}

/// A sum as a 64-bit integer for the file, or the debtor it overflows for.
fn int(v: i128, row: &Row) -> Result<i64, PoolError> {
    i64::try_from(v).map_err(|_| PoolError::Overflow(row.company_number.to_string()))
}

/// One row as the file writes it: sums checked into 64 bits first.
pub struct Line {
    row: Row,
    sums: [i64; 5],
}

/// Checks that every sum fits the file's 64-bit integers (at more than 92 million billion
/// cent-days a debtor's sums would not: said, never wrapped).
pub fn lines(rows: Vec<Row>) -> Result<Vec<Line>, PoolError> {
    rows.into_iter()
        .map(|row| {
            let b = &row.settled;
            let open_days = row.position.as_ref().map_or(0, |p| p.open_days_overdue);
            let sums = [
                int(b.amount, &row)?,
                int(b.late_amount, &row)?,
                int(b.amount_days_late, &row)?,
                int(b.amount_days_to_pay, &row)?,
                int(open_days, &row)?,
            ];
            Ok(Line { row, sums })
        })
        .collect()
}

/// The contribution as a table: the columns `docs/pooling.md` lists, an interface for the pool
/// step and for other engines.
pub fn table<'a>(lines: Vec<Line>, contributor: &'a str, as_of: NaiveDate, cur: Currency) -> Table<'a, Line> {
    let money = move |v: i64| Cell::Money(Money::new(v, cur));
    let at = move |r: &Line, f: fn(&Position) -> i64| r.row.position.as_ref().map_or(Cell::Blank, |p| money(f(p)));
    let columns = vec![
        Column::new("contributor", move |_: &Line| Cell::owned(contributor.to_string())),
        Column::new("company_number", |r: &Line| Cell::text(r.row.company_number.as_str())),
        Column::new("currency", move |_: &Line| Cell::owned(cur.code().to_string())),
        Column::new("month", |r: &Line| Cell::Month(r.row.month)),
        Column::new("as_of", move |_: &Line| Cell::Date(as_of)),
        Column::new("paid", |r: &Line| Cell::Int(r.row.settled.paid as i64)),
        Column::new("late", |r: &Line| Cell::Int(r.row.settled.late as i64)),
        Column::new("paid_amount", move |r: &Line| money(r.sums[0])),
        Column::new("late_amount", move |r: &Line| money(r.sums[1])),
        Column::new("amount_days_late", |r: &Line| Cell::Int(r.sums[2])),
        Column::new("amount_days_to_pay", |r: &Line| Cell::Int(r.sums[3])),
        Column::new("exposure", move |r: &Line| at(r, |p| p.exposure)),
        Column::new("open_amount", move |r: &Line| at(r, |p| p.open)),
        Column::new("open_amount_days_overdue", |r: &Line| {
            if r.row.position.is_some() { Cell::Int(r.sums[4]) } else { Cell::Blank }
        }),
        Column::new("open_not_due", move |r: &Line| at(r, |p| p.buckets[0])),
        Column::new("open_1_30", move |r: &Line| at(r, |p| p.buckets[1])),
        Column::new("open_31_60", move |r: &Line| at(r, |p| p.buckets[2])),
        Column::new("open_61_90", move |r: &Line| at(r, |p| p.buckets[3])),
        Column::new("open_over_90", move |r: &Line| at(r, |p| p.buckets[4])),
    ];
    Table::of(columns, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_count_days_past_the_due_date() {
        assert_eq!([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(bucket), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    }
}
