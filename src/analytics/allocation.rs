//! Allocation of payments and credit notes to invoices, for one client (spec section 2).
//!
//! Events are replayed in date order (invoices, then credit notes, then payments on one date;
//! ties by id as bytes). The replay also snapshots the balances at each requested month end,
//! which is what makes back-dated figures exact: a balance at E is the state after exactly the
//! events dated ≤ E.

use crate::fx::{Fx, FxError};
use crate::memory::prefetch;
use crate::model::{Currency, DocKind, Document, Money, Payment, Texts};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;
use std::collections::BTreeSet;

/// Where an allocation's money came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocKind {
    /// A payment (what counts for payment behaviour).
    Payment,
    /// A credit note.
    Credit,
}

/// Money applied to an invoice on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allocation {
    /// The day it was applied.
    pub date: NaiveDate,
    /// In minor units of the invoice's currency; negative when a reversal took money back.
    pub amount: i64,
    /// Payment or credit note.
    pub kind: AllocKind,
}

/// An invoice after replaying every event up to the as-of date.
#[derive(Clone, Debug)]
pub struct InvoiceState<'a> {
    /// The invoice.
    pub doc: &'a Document,
    /// The document id's text.
    pub id: &'a str,
    /// What is still open, in minor units of its currency.
    pub open: i64,
    /// Most invoices are settled by one or two allocations: those stay inline, so 10 million
    /// invoices do not mean 10 million small heap blocks.
    pub allocations: SmallVec<[Allocation; 2]>,
    /// The date of the allocation that brought the open amount to zero.
    pub settled: Option<NaiveDate>,
}

impl InvoiceState<'_> {
    /// The payments applied to it, net of reversals.
    pub fn paid_net(&self) -> i64 {
        self.allocations.iter().filter(|a| a.kind == AllocKind::Payment).map(|a| a.amount).sum()
    }

    /// Settled with payment allocations above zero (not credited away).
    pub fn is_paid(&self) -> bool {
        self.settled.is_some() && self.paid_net() > 0
    }

    /// Settled by credit notes alone: out of payment-behaviour figures.
    pub fn is_credited(&self) -> bool {
        self.settled.is_some() && self.paid_net() <= 0
    }
}

/// Balances at one month end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The month end (the as-of date for its own month).
    pub end: NaiveDate,
    /// Net AR: Σ open − unapplied credit.
    pub ar: i64,
    /// Σ open of invoices not yet due at `end`.
    pub current: i64,
}

/// A reference that could not be used, for the data-quality report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefProblem {
    /// The payment or credit note that carries the reference.
    pub from: String,
    /// The invoice id it named.
    pub reference: String,
    /// The date of the payment or credit note.
    pub date: NaiveDate,
    /// The invoice exists but is issued after that date.
    pub not_yet_issued: bool,
}

/// What replaying a client's events gives.
#[derive(Clone, Debug)]
pub struct Outcome<'a> {
    /// Every invoice issued up to the as-of date, with its allocations.
    pub invoices: Vec<InvoiceState<'a>>,
    /// Credit not yet applied to any invoice, per currency; negative is a debit balance left by
    /// a reversal.
    pub unapplied: Vec<(Currency, i64)>,
    /// Balances at the requested month ends, in the reporting currency at each end's rate.
    pub snapshots: Vec<Snapshot>,
    /// References that could not be used (data-quality warnings).
    pub ref_problems: Vec<RefProblem>,
    /// Reversals that found nothing left to undo (amount in minor units, date).
    pub unmatched_reversals: Vec<(String, Money, NaiveDate)>,
}

struct Replay<'a> {
    fx: &'a Fx,
    /// Every document and payment is in the reporting currency: sums need no conversion.
    single: bool,
    invoices: Vec<InvoiceState<'a>>,
    /// Open invoices in the order credit is applied, (due, issue, id), as (due, index): invoices
    /// are indexed in (issue, id) order, so the index breaks ties the same way without
    /// comparing text.
    open: BTreeSet<(NaiveDate, usize)>,
    by_id: FxHashMap<&'a str, usize>,
    /// Unapplied credit pieces in arrival order: where they came from, amount, currency.
    pool: Vec<(AllocKind, i64, Currency)>,
    /// A debit balance left by reversals, in the currency of the first one.
    debit: (Currency, i64),
    total_open: i64,
    /// Per invoice, when it was last settled in processing order (reversals reopen the one
    /// settled last first, also among invoices settled on the same date).
    settle_seq: Vec<u32>,
    next_seq: u32,
    /// Paid, settled invoices by (settled date, processing order): made at a client's first
    /// reversal and kept up to date after, so reversals stay near-linear and clients without
    /// one pay nothing for it.
    settled_paid: Option<BTreeSet<(NaiveDate, u32, usize)>>,
    /// Invoice ids to issue dates, made at the first unknown reference, for its warning.
    issued: Option<FxHashMap<&'a str, NaiveDate>>,
}

/// Replays one client's documents and payments (all dated ≤ the as-of date) and snapshots the
/// balances at each of `ends` (ascending). Amounts in another currency than the invoice they
/// settle are converted at their date; a missing rate is an error naming currency and date.
// Long on purpose: the replay is one ordered loop over a client's events whose rules
// (docs/metrics.md, allocation) read best in that one place, in their order.
pub fn allocate<'a>(
    docs: &[&'a Document],
    payments: &[&'a Payment],
    texts: &'a Texts,
    fx: &'a Fx,
    ends: &[NaiveDate],
) -> Result<Outcome<'a>, FxError> {
    // Each event's sort key is made once: (date, invoices then credit notes then payments,
    // id bytes, and the input position so the order is total). Exports are mostly in date
    // order already, so a stable sort finds the documents and the payments as two runs and
    // merges them, comparing ids only between events of one day.
    const INVOICE: u8 = 0;
    const CREDIT: u8 = 1;
    const PAY: u8 = 2;
    // A client's rows are scattered over the ledger: each row is fetched two rounds ahead and
    // its texts one round ahead, so the cache misses overlap instead of coming one by one.
    const AHEAD: usize = 8;
    let mut keyed: Vec<(NaiveDate, u8, &'a [u8], u32)> = Vec::with_capacity(docs.len() + payments.len());
    for (i, d) in docs.iter().enumerate() {
        if let Some(&x) = docs.get(i + 2 * AHEAD) {
            prefetch(x);
        }
        if let Some(x) = docs.get(i + AHEAD) {
            texts.prefetch(x.id);
        }
        let kind = if d.kind == DocKind::Invoice { INVOICE } else { CREDIT };
        keyed.push((d.issue, kind, texts.get(d.id).as_bytes(), i as u32));
    }
    for (i, p) in payments.iter().enumerate() {
        if let Some(&x) = payments.get(i + 2 * AHEAD) {
            prefetch(x);
        }
        if let Some(x) = payments.get(i + AHEAD) {
            texts.prefetch(x.id);
            if let Some(r) = x.reference {
                texts.prefetch(r);
            }
        }
        keyed.push((p.date, PAY, texts.get(p.id).as_bytes(), i as u32));
    }
    keyed.sort();
    let reporting = fx.reporting();
    let single = docs.iter().all(|d| d.currency == reporting) && payments.iter().all(|p| p.currency == reporting);

    let mut r = Replay {
        fx,
        single,
        invoices: Vec::with_capacity(docs.len()),
        open: BTreeSet::new(),
        by_id: FxHashMap::with_capacity_and_hasher(docs.len(), Default::default()),
        pool: Vec::new(),
        debit: (reporting, 0),
        total_open: 0,
        settle_seq: Vec::with_capacity(docs.len()),
        next_seq: 0,
        settled_paid: None,
        issued: None,
    };
    let mut snapshots = Vec::with_capacity(ends.len());
    let mut next_end = 0;
    let mut ref_problems = Vec::new();
    let mut unmatched_reversals = Vec::new();

    for &(date, kind, _, i) in &keyed {
        let i = i as usize;
        while next_end < ends.len() && ends[next_end] < date {
            snapshots.push(r.snapshot(ends[next_end])?);
            next_end += 1;
        }
        match kind {
            INVOICE => r.add_invoice(docs[i], texts.get(docs[i].id))?,
            CREDIT => {
                let d = docs[i];
                let target = r.resolve(
                    d.reference.map(|x| texts.get(x)),
                    texts.get(d.id),
                    d.issue,
                    docs,
                    texts,
                    &mut ref_problems,
                );
                r.credit(d.amount, d.currency, d.issue, AllocKind::Credit, target)?;
            }
            _ => {
                let p = payments[i];
                let target = r.resolve(
                    p.reference.map(|x| texts.get(x)),
                    texts.get(p.id),
                    p.date,
                    docs,
                    texts,
                    &mut ref_problems,
                );
                if p.amount >= 0 {
                    r.credit(p.amount, p.currency, p.date, AllocKind::Payment, target)?;
                } else {
                    let left = r.reverse(-p.amount, p.currency, p.date, target)?;
                    if left > 0 {
                        let in_debit = r.fx.convert(left, p.currency, r.debit.0, p.date)?;
                        r.debit.1 += in_debit;
                        unmatched_reversals.push((texts.get(p.id).to_string(), Money::new(left, p.currency), p.date));
                    }
                }
            }
        }
    }
    while next_end < ends.len() {
        snapshots.push(r.snapshot(ends[next_end])?);
        next_end += 1;
    }
    let mut unapplied: Vec<(Currency, i64)> = Vec::new();
    for (cur, v) in r.pool.iter().map(|p| (p.2, p.1)).chain(std::iter::once((r.debit.0, -r.debit.1))) {
        match unapplied.iter_mut().find(|x| x.0 == cur) {
            Some(x) => x.1 += v,
            None => unapplied.push((cur, v)),
        }
    }
    unapplied.retain(|x| x.1 != 0);
    Ok(Outcome { invoices: r.invoices, unapplied, snapshots, ref_problems, unmatched_reversals })
}

impl<'a> Replay<'a> {
    fn snapshot(&self, end: NaiveDate) -> Result<Snapshot, FxError> {
        if self.single {
            // Open invoices are ordered by due date, so the not-yet-due ones are at the back.
            let current = self.open.iter().rev().take_while(|k| k.0 >= end).map(|k| self.invoices[k.1].open).sum();
            let pool: i64 = self.pool.iter().map(|p| p.1).sum();
            return Ok(Snapshot { end, ar: self.total_open - pool + self.debit.1, current });
        }
        // Several currencies: each amount at the rate of the month end.
        let mut ar = 0;
        let mut current = 0;
        for k in &self.open {
            let inv = &self.invoices[k.1];
            let v = self.fx.to_reporting(inv.open, inv.doc.currency, end)?;
            ar += v;
            if k.0 >= end {
                current += v;
            }
        }
        for p in &self.pool {
            ar -= self.fx.to_reporting(p.1, p.2, end)?;
        }
        ar += self.fx.to_reporting(self.debit.1, self.debit.0, end)?;
        Ok(Snapshot { end, ar, current })
    }

    fn add_invoice(&mut self, d: &'a Document, id: &'a str) -> Result<(), FxError> {
        let ix = self.invoices.len();
        self.invoices.push(InvoiceState { doc: d, id, open: d.amount, allocations: SmallVec::new(), settled: None });
        self.settle_seq.push(0);
        // A reference names the invoice: with a schedule, its first instalment.
        self.by_id.entry(id).or_insert(ix);
        self.open.insert((d.due, ix));
        self.total_open += d.amount;
        // Unapplied credit goes to a new invoice at its issue date, oldest credit first.
        let mut k = 0;
        while k < self.pool.len() && self.invoices[ix].open > 0 {
            let (kind, amount, cur) = self.pool[k];
            let used = self.apply(ix, amount, cur, d.issue, kind)?;
            self.pool[k].1 -= used;
            k += 1;
        }
        self.pool.retain(|p| p.1 > 0);
        Ok(())
    }

    /// The invoice a reference points to, if it can be used; otherwise records why not.
    fn resolve(
        &mut self,
        reference: Option<&str>,
        from: &str,
        date: NaiveDate,
        docs: &[&Document],
        texts: &'a Texts,
        problems: &mut Vec<RefProblem>,
    ) -> Option<usize> {
        let reference = reference?;
        if let Some(&ix) = self.by_id.get(reference) {
            return Some(ix);
        }
        // Rare, so the client's invoice ids are indexed only at its first unknown reference.
        let issued = self.issued.get_or_insert_with(|| {
            let mut m = FxHashMap::default();
            for d in docs.iter().filter(|d| d.kind == DocKind::Invoice) {
                m.entry(texts.get(d.id)).or_insert(d.issue);
            }
            m
        });
        let later = issued.get(reference).copied();
        problems.push(RefProblem {
            from: from.to_string(),
            reference: reference.to_string(),
            date,
            not_yet_issued: later.is_some_and(|issue| issue > date),
        });
        None
    }

    /// Applies up to `amount` (in `cur`) to invoice `ix`; returns what was used, in `cur`.
    fn apply(
        &mut self,
        ix: usize,
        amount: i64,
        cur: Currency,
        date: NaiveDate,
        kind: AllocKind,
    ) -> Result<i64, FxError> {
        let inv_cur = self.invoices[ix].doc.currency;
        let x = self.fx.convert(amount, cur, inv_cur, date)?;
        let inv = &mut self.invoices[ix];
        let applied = x.min(inv.open);
        if applied <= 0 {
            return Ok(0);
        }
        inv.open -= applied;
        self.total_open -= applied;
        inv.allocations.push(Allocation { date, amount: applied, kind });
        if inv.open == 0 {
            inv.settled = Some(date);
            self.open.remove(&(inv.doc.due, ix));
            self.settle_seq[ix] = self.next_seq;
            self.next_seq += 1;
            if let Some(set) = &mut self.settled_paid
                && inv.paid_net() > 0
            {
                set.insert((date, self.settle_seq[ix], ix));
            }
        }
        if applied == x {
            return Ok(amount);
        }
        // Part of it: what that part was worth in the paying currency (at least a cent, so
        // the caller always moves on).
        Ok(self.fx.convert(applied, inv_cur, cur, date)?.clamp(1, amount))
    }

    /// The instalments of the invoice whose first is `ix` (just `ix` without a schedule):
    /// they were added one after the other, in due order.
    fn schedule(&self, ix: usize) -> std::ops::Range<usize> {
        let mut end = ix + 1;
        while let Some(next) = self.invoices.get(end) {
            if !next.doc.continues(self.invoices[end - 1].doc) || next.id != self.invoices[ix].id {
                break;
            }
            end += 1;
        }
        ix..end
    }

    /// A payment or credit note: the referenced invoice first (its instalments in due order),
    /// then oldest first, then the rest becomes unapplied credit (after paying off any debit
    /// balance).
    fn credit(
        &mut self,
        amount: i64,
        cur: Currency,
        date: NaiveDate,
        kind: AllocKind,
        target: Option<usize>,
    ) -> Result<(), FxError> {
        let mut left = amount;
        if let Some(ix) = target {
            for k in self.schedule(ix) {
                if left == 0 {
                    break;
                }
                left -= self.apply(k, left, cur, date, kind)?;
            }
        }
        while left > 0 {
            let Some(&(_, ix)) = self.open.first() else { break };
            let used = self.apply(ix, left, cur, date, kind)?;
            if used == 0 {
                break;
            }
            left -= used;
        }
        if left > 0 && self.debit.1 > 0 {
            let owed = self.fx.convert(self.debit.1, self.debit.0, cur, date)?;
            if left >= owed {
                left -= owed;
                self.debit.1 = 0;
            } else {
                self.debit.1 -= self.fx.convert(left, cur, self.debit.0, date)?.min(self.debit.1);
                left = 0;
            }
        }
        if left > 0 {
            self.pool.push((kind, left, cur));
        }
        Ok(())
    }

    /// Takes back up to `amount` (in `cur`) of invoice `ix`'s payment allocations, latest
    /// first; returns what was taken back, in `cur`.
    fn undo_payments(&mut self, ix: usize, amount: i64, cur: Currency, date: NaiveDate) -> Result<i64, FxError> {
        let inv_cur = self.invoices[ix].doc.currency;
        let want = self.fx.convert(amount, cur, inv_cur, date)?;
        let mut left = want;
        let inv = &mut self.invoices[ix];
        for a in inv.allocations.iter_mut().rev() {
            if left == 0 {
                break;
            }
            if a.kind == AllocKind::Payment && a.amount > 0 {
                let take = a.amount.min(left);
                a.amount -= take;
                left -= take;
            }
        }
        inv.allocations.retain(|a| a.amount != 0);
        let undone = want - left;
        if undone > 0 {
            let was_settled = inv.open == 0;
            inv.open += undone;
            let settled = inv.settled.take();
            self.total_open += undone;
            if was_settled {
                self.open.insert((inv.doc.due, ix));
                if let (Some(set), Some(date)) = (&mut self.settled_paid, settled) {
                    set.remove(&(date, self.settle_seq[ix], ix));
                }
            }
        }
        if undone == want {
            Ok(amount)
        } else if undone == 0 {
            Ok(0)
        } else {
            Ok(self.fx.convert(undone, inv_cur, cur, date)?.clamp(1, amount))
        }
    }

    /// A reversal: undoes unapplied payment credit, then the referenced invoice's payments,
    /// then settled invoices (latest settlement first), then partly paid open invoices (latest
    /// payment first). Returns what is left, in `cur` (it becomes a debit balance).
    fn reverse(&mut self, amount: i64, cur: Currency, date: NaiveDate, target: Option<usize>) -> Result<i64, FxError> {
        let mut left = amount;
        for k in (0..self.pool.len()).rev() {
            if left == 0 {
                break;
            }
            let (kind, piece, pcur) = self.pool[k];
            if kind != AllocKind::Payment {
                continue;
            }
            let worth = self.fx.convert(piece, pcur, cur, date)?;
            if worth <= left {
                left -= worth;
                self.pool[k].1 = 0;
            } else {
                self.pool[k].1 -= self.fx.convert(left, cur, pcur, date)?.min(piece);
                left = 0;
            }
        }
        self.pool.retain(|p| p.1 > 0);
        if let Some(ix) = target {
            // The referenced invoice's payments, its last instalment first.
            for k in self.schedule(ix).rev() {
                if left == 0 {
                    break;
                }
                left -= self.undo_payments(k, left, cur, date)?;
            }
        }
        if left > 0 {
            let (invoices, seq) = (&self.invoices, &self.settle_seq);
            self.settled_paid.get_or_insert_with(|| {
                invoices
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.is_paid())
                    .map(|(i, s)| (s.settled.expect("paid"), seq[i], i))
                    .collect()
            });
            // Latest settlement first; undoing one removes it from the set, so walk down from
            // a cursor rather than hold an iterator.
            let mut cursor = (NaiveDate::MAX, u32::MAX, usize::MAX);
            while left > 0 {
                let set = self.settled_paid.as_ref().expect("made above");
                let Some(&key) = set.range(..cursor).next_back() else { break };
                cursor = key;
                left -= self.undo_payments(key.2, left, cur, date)?;
            }
        }
        if left > 0 {
            // Open invoices only: a reversal looks at what is open, not the whole history.
            let mut partly: Vec<(NaiveDate, &str, usize)> = self
                .open
                .iter()
                .map(|&(_, i)| (i, &self.invoices[i]))
                .filter(|(_, s)| s.paid_net() > 0)
                .filter_map(|(i, s)| {
                    let last = s.allocations.iter().filter(|a| a.kind == AllocKind::Payment).map(|a| a.date).max()?;
                    Some((last, s.id, i))
                })
                .collect();
            partly.sort_by(|a, b| b.cmp(a));
            for (_, _, ix) in partly {
                if left == 0 {
                    break;
                }
                left -= self.undo_payments(ix, left, cur, date)?;
            }
        }
        Ok(left)
    }
}

#[cfg(test)]
mod tests;
