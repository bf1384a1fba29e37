//! Promises to pay from the collector's log, judged against the ledger: kept when the amount
//! promised (or what was open on the documents named) is paid by the promised date plus a
//! grace, broken when that day passes unpaid, live until then (docs/metrics.md, "Promises to
//! pay").

use crate::analytics::allocation::allocate;
use crate::fx::{Fx, FxError};
use crate::ingest::Warning;
use crate::ingest::log::LogEvent;
use crate::ingest::mapping::LogKind;
use crate::model::{ClientIx, Ledger};
use chrono::{Duration, Months, NaiveDate};
use std::collections::BTreeMap;

/// Where a promise stands at the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Paid in full by the promised date plus the grace, on this day.
    Kept(NaiveDate),
    /// The promised date plus the grace has passed without full payment.
    Broken,
    /// Not yet paid in full, and its day has not passed.
    Live,
}

/// One promise, judged.
#[derive(Clone, Debug, PartialEq)]
pub struct Promise {
    /// The client.
    pub client: ClientIx,
    /// The day it was made.
    pub made: NaiveDate,
    /// The day the client promised to pay by.
    pub by: NaiveDate,
    /// The document named, if any.
    pub document_id: Option<String>,
    /// What it promised, in minor units of the reporting currency.
    pub amount: i64,
    /// What was paid towards it from the day it was made to its deadline (or the as-of date).
    pub paid: i64,
    /// Where it stands.
    pub standing: Standing,
    /// The log's text.
    pub text: String,
}

impl Promise {
    /// The last day a payment keeps it: the promised date plus the grace.
    pub fn deadline(&self, grace_days: u32) -> NaiveDate {
        self.by + Duration::days(i64::from(grace_days))
    }
}

/// A client's promises over the 12 months to the as-of date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Made in those 12 months.
    pub made: u32,
    /// Of those, kept.
    pub kept: u32,
    /// Of those, broken.
    pub broken: u32,
    /// The promised date of the latest promise broken (at any time).
    pub last_broken: Option<NaiveDate>,
}

impl Record {
    /// Kept among those judged (kept or broken); `None` before any was judged.
    pub fn kept_ratio(&self) -> Option<f64> {
        let judged = self.kept + self.broken;
        (judged > 0).then(|| f64::from(self.kept) / f64::from(judged))
    }
}

/// The promises of `promises` made in the 12 months to `at` (the window every record counts).
fn made_in_year(promises: &[Promise], at: NaiveDate) -> impl Iterator<Item = &Promise> {
    let from = at - Months::new(12);
    promises.iter().filter(move |p| p.made > from && p.made <= at)
}

/// The promises of `promises` made in the 12 months to `as_of`, by how they stand.
fn tally(promises: &[Promise], as_of: NaiveDate) -> Record {
    let mut r = Record::default();
    for p in made_in_year(promises, as_of) {
        r.made += 1;
        match p.standing {
            Standing::Kept(_) => r.kept += 1,
            Standing::Broken => r.broken += 1,
            Standing::Live => {}
        }
    }
    r
}

/// How many promises at the portfolio's kept share a client's own record is drawn towards.
const PRIOR_PROMISES: f64 = 2.0;

/// Every promise of the log, judged at `as_of`, and what could not be judged.
#[derive(Clone, Debug, Default)]
pub struct Promises {
    /// By client, then by the day made.
    pub all: Vec<Promise>,
    /// A promise naming a document the ledger does not have, without an amount: left out, said.
    pub warnings: Vec<Warning>,
}

impl Promises {
    /// A client's record over the 12 months to `as_of`.
    pub fn record(&self, client: ClientIx, as_of: NaiveDate) -> Record {
        Record { last_broken: self.last_broken(client).map(|p| p.by), ..tally(self.of(client), as_of) }
    }

    /// A client's promises made in the 12 months to `at` that were already kept or broken on
    /// that day (kept on or before it; broken once its day plus `grace_days` had passed):
    /// (kept, broken). What the run judged later is not counted, so an earlier month end
    /// sees only what was known then.
    pub fn record_at(&self, client: ClientIx, at: NaiveDate, grace_days: u32) -> (u32, u32) {
        let (mut kept, mut broken) = (0, 0);
        for p in made_in_year(self.of(client), at) {
            match p.standing {
                Standing::Kept(d) if d <= at => kept += 1,
                Standing::Broken if p.deadline(grace_days) < at => broken += 1,
                _ => {}
            }
        }
        (kept, broken)
    }

    /// Every client's promises over the 12 months to `as_of` together (no `last_broken`).
    pub fn portfolio_record(&self, as_of: NaiveDate) -> Record {
        tally(&self.all, as_of)
    }

    /// The share of the promises judged (kept or broken) in the 12 months to `as_of` that
    /// were kept, over every client; a half when none was judged.
    pub fn portfolio_kept(&self, as_of: NaiveDate) -> f64 {
        self.portfolio_record(as_of).kept_ratio().unwrap_or(0.5)
    }

    /// How far a client's live promise is believed: its kept share of the promises judged in
    /// the 12 months to `as_of`, drawn towards the portfolio's (`portfolio_kept`) as if it had
    /// two more judged at that share. A client without a record is believed as the portfolio.
    pub fn belief(&self, client: ClientIx, as_of: NaiveDate, portfolio_kept: f64) -> f64 {
        let r = self.record(client, as_of);
        (f64::from(r.kept) + PRIOR_PROMISES * portfolio_kept) / (f64::from(r.kept + r.broken) + PRIOR_PROMISES)
    }

    /// A client's promises.
    pub fn of(&self, client: ClientIx) -> &[Promise] {
        let start = self.all.partition_point(|p| p.client < client);
        let end = self.all.partition_point(|p| p.client <= client);
        &self.all[start..end]
    }

    /// The client's latest broken promise, if any.
    pub fn last_broken(&self, client: ClientIx) -> Option<&Promise> {
        self.of(client).iter().filter(|p| p.standing == Standing::Broken).max_by_key(|p| p.by)
    }

    /// The promise standing `standing` with the latest date among those that cover a client's
    /// invoice: the one that names it, or one that names no document made on or after the
    /// invoice's issue date (a promise for the account covers what was owed when it was made).
    pub fn covering(
        &self,
        client: ClientIx,
        document_id: &str,
        issue: NaiveDate,
        standing: Standing,
    ) -> Option<&Promise> {
        self.of(client)
            .iter()
            .filter(|p| p.standing == standing)
            .filter(|p| p.document_id.as_deref().map_or(p.made >= issue, |id| id == document_id))
            .max_by_key(|p| p.by)
    }
}

/// Judges every promise of `events` dated on or before `as_of` against the ledger's payments
/// and allocations on or before it (the clock is never read). `sources` names every input by
/// its number, for the warnings.
pub fn judge(
    ledger: &Ledger,
    sources: &[String],
    events: &[LogEvent],
    as_of: NaiveDate,
    fx: &Fx,
    grace_days: u32,
) -> Result<Promises, FxError> {
    let mut by_client: BTreeMap<ClientIx, Vec<&LogEvent>> = BTreeMap::new();
    for e in events.iter().filter(|e| e.kind == LogKind::Promise && e.date <= as_of) {
        by_client.entry(e.client).or_default().push(e);
    }
    let mut out = Promises::default();
    if by_client.is_empty() {
        return Ok(out);
    }
    // Only the clients with promises are replayed: their rows are found in one pass.
    let mut docs: BTreeMap<ClientIx, Vec<&crate::model::Document>> = BTreeMap::new();
    let mut pays: BTreeMap<ClientIx, Vec<&crate::model::Payment>> = BTreeMap::new();
    for d in ledger.documents.iter().filter(|d| d.issue <= as_of && by_client.contains_key(&d.client)) {
        docs.entry(d.client).or_default().push(d);
    }
    for p in ledger.payments.iter().filter(|p| p.date <= as_of && by_client.contains_key(&{ p.client })) {
        pays.entry(p.client).or_default().push(p);
    }
    let reporting = fx.reporting();
    for (client, promises) in by_client {
        let d = docs.get(&client).map_or(&[][..], Vec::as_slice);
        let p = pays.get(&client).map_or(&[][..], Vec::as_slice);
        let replay = allocate(d, p, &ledger.texts, fx, &[])?;
        let mut judged = Vec::with_capacity(promises.len());
        for e in promises {
            let by = e.promised.unwrap_or(e.date);
            let deadline = (by + Duration::days(i64::from(grace_days))).min(as_of);
            // The named invoice: all its instalments when it has a schedule.
            let parts: Vec<_> = match e.document_id.as_deref() {
                Some(id) => replay.invoices.iter().filter(|s| s.id == id).collect(),
                None => Vec::new(),
            };
            // What counts towards it, each (day, amount in the reporting currency), from the
            // day it was made: the named document's allocations, or else the client's payments.
            let mut towards: Vec<(NaiveDate, i64)> = Vec::new();
            let amount = match (parts.first(), e.amount) {
                (Some(first), promised) => {
                    let cur = first.doc.currency;
                    for a in
                        parts.iter().flat_map(|p| &p.allocations).filter(|a| a.date >= e.date && a.date <= deadline)
                    {
                        towards.push((a.date, fx.convert(a.amount, cur, reporting, a.date)?));
                    }
                    match promised {
                        Some(m) => m.minor(),
                        None => {
                            let mut open = 0i64;
                            for p in &parts {
                                let before: i64 =
                                    p.allocations.iter().filter(|a| a.date < e.date).map(|a| a.amount).sum();
                                open += p.doc.amount - before;
                            }
                            fx.convert(open, cur, reporting, e.date)?
                        }
                    }
                }
                (None, Some(m)) => {
                    for pay in p.iter().filter(|x| x.date >= e.date && x.date <= deadline) {
                        towards.push((pay.date, fx.convert(pay.amount, pay.currency, reporting, pay.date)?));
                    }
                    if e.document_id.is_some() {
                        out.warnings.push(e.unknown_document(
                            sources,
                            "the promise names document",
                            "; judged on the client's payments",
                        ));
                    }
                    m.minor()
                }
                (None, None) => {
                    out.warnings.push(e.unknown_document(
                        sources,
                        "the promise names document",
                        "; left out: no amount to judge it by",
                    ));
                    continue;
                }
            };
            towards.sort();
            let mut paid = 0i64;
            // A promise about a document with nothing left open is kept the day it is made.
            let mut kept = (amount <= 0).then_some(e.date);
            for (day, v) in towards {
                paid = paid.saturating_add(v);
                if kept.is_none() && paid >= amount {
                    kept = Some(day);
                }
            }
            let standing = match kept {
                Some(day) => Standing::Kept(day),
                None if by + Duration::days(i64::from(grace_days)) < as_of => Standing::Broken,
                None => Standing::Live,
            };
            judged.push(Promise {
                client,
                made: e.date,
                by,
                document_id: e.document_id.clone(),
                amount,
                paid,
                standing,
                text: e.text.clone(),
            });
        }
        judged.sort_by_key(|p| (p.made, p.by));
        out.all.extend(judged);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Client, Currency, DocKind, Document, Money, Origin, Payment, Texts};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// One client with invoice F1 of 1,000.00 issued 2026-09-01, due 2026-10-01, and these
    /// payments (date, amount, naming F1).
    fn ledger(payments: &[(&str, i64, bool)]) -> Ledger {
        let mut texts = Texts::default();
        let f1 = texts.push("F1").unwrap();
        let documents = vec![Document {
            client: 0,
            id: f1,
            kind: DocKind::Invoice,
            issue: d("2026-09-01"),
            due: d("2026-10-01"),
            amount: 1_000_00,
            currency: Currency::EUR,
            reference: None,
            disputed: false,
            instalment: 0,
            origin: Origin::default(),
        }];
        let payments = payments
            .iter()
            .enumerate()
            .map(|(i, &(date, amount, named))| Payment {
                client: 0,
                id: texts.push(&format!("P{i}")).unwrap(),
                date: d(date),
                amount,
                currency: Currency::EUR,
                reference: named.then_some(f1),
                origin: Origin::default(),
            })
            .collect();
        let client = Client { id: "K1".into(), name: "Zoë".into(), company_number: None };
        Ledger { sources: vec!["l.csv".into()], clients: vec![client], documents, payments, texts }
    }

    fn promise(document: Option<&str>, amount: Option<i64>) -> LogEvent {
        LogEvent {
            client: 0,
            date: d("2026-10-01"),
            kind: LogKind::Promise,
            document_id: document.map(String::from),
            amount: amount.map(|a| Money::new(a, Currency::EUR)),
            promised: Some(d("2026-10-10")),
            text: String::new(),
            origin: Origin::default(),
        }
    }

    fn standing(l: &Ledger, e: LogEvent, as_of: &str) -> Standing {
        let p = judge(l, &[], &[e], d(as_of), &Fx::none(Currency::EUR), 3).unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        p.all[0].standing
    }

    #[test]
    fn spec_vectors_kept_broken_live() {
        let thousand = || promise(None, Some(1_000_00));
        // 600 on 10-05 and 400 on 10-13 (the last day of the grace): kept on 10-13.
        let l = ledger(&[("2026-10-05", 600_00, false), ("2026-10-13", 400_00, false)]);
        assert_eq!(standing(&l, thousand(), "2026-10-31"), Standing::Kept(d("2026-10-13")));
        // 400 on 10-14 instead: broken.
        let l = ledger(&[("2026-10-05", 600_00, false), ("2026-10-14", 400_00, false)]);
        assert_eq!(standing(&l, thousand(), "2026-10-31"), Standing::Broken);
        // As of 10-12 with only the first payment: live; a payment after A is never read.
        assert_eq!(standing(&l, thousand(), "2026-10-12"), Standing::Live);
        // Naming F1 (open 1,000.00), paid in full on 10-09: kept on 10-09.
        let l = ledger(&[("2026-10-09", 1_000_00, true)]);
        assert_eq!(standing(&l, promise(Some("F1"), None), "2026-10-31"), Standing::Kept(d("2026-10-09")));
        // Naming F1, but the payment went to the client's account without naming it: the
        // allocation still settles F1 (the oldest open invoice), so the promise is kept.
        let l = ledger(&[("2026-10-09", 1_000_00, false)]);
        assert_eq!(standing(&l, promise(Some("F1"), None), "2026-10-31"), Standing::Kept(d("2026-10-09")));
        // A payment before the promise does not keep it…
        let l = ledger(&[("2026-09-30", 1_000_00, false)]);
        assert_eq!(standing(&l, thousand(), "2026-10-31"), Standing::Broken);
        // … but a promise to pay F1 when F1 was already paid has nothing left to keep.
        assert_eq!(standing(&l, promise(Some("F1"), None), "2026-10-31"), Standing::Kept(d("2026-10-01")));
    }

    #[test]
    fn a_live_promise_is_believed_as_the_client_kept_its_others_drawn_to_the_portfolio() {
        let p = |client: ClientIx, standing: Standing| Promise {
            client,
            made: d("2026-09-01"),
            by: d("2026-09-10"),
            document_id: None,
            amount: 100,
            paid: 0,
            standing,
            text: String::new(),
        };
        let kept = Standing::Kept(d("2026-09-09"));
        let all = vec![p(0, kept), p(0, kept), p(1, Standing::Broken), p(1, Standing::Broken), p(2, Standing::Live)];
        let promises = Promises { all, warnings: Vec::new() };
        let a = d("2026-10-31");
        let q = promises.portfolio_kept(a);
        assert_eq!(q, 0.5, "2 kept of 4 judged; the live one is not judged yet");
        // (2 + 2 × 0.5) / (2 + 2) and (0 + 1) / (2 + 2); no record: the portfolio's.
        assert_eq!(promises.belief(0, a, q), 0.75);
        assert_eq!(promises.belief(1, a, q), 0.25);
        assert_eq!(promises.belief(2, a, q), 0.5);
        assert_eq!(Promises::default().portfolio_kept(a), 0.5);
    }

    #[test]
    fn a_record_counts_the_twelve_months_and_an_unknown_document_is_said() {
        let l = ledger(&[]);
        let mut old = promise(None, Some(10_00));
        old.date = d("2025-09-01");
        old.promised = Some(d("2025-09-05"));
        let events = [old, promise(None, Some(10_00)), promise(Some("F9"), None), promise(Some("F9"), Some(5_00))];
        let p = judge(&l, &["l.csv".into(), "log.csv".into()], &events, d("2026-10-31"), &Fx::none(Currency::EUR), 3)
            .unwrap();
        // F9 without an amount cannot be judged; with one it is judged on the payments.
        assert_eq!(p.all.len(), 3);
        assert_eq!(p.warnings.len(), 2);
        assert!(p.warnings[0].message.contains("document F9"), "{}", p.warnings[0].message);
        let r = p.record(0, d("2026-10-31"));
        assert_eq!((r.made, r.kept, r.broken), (2, 0, 2), "the promise of 2025-09 is older than 12 months");
        assert_eq!(r.kept_ratio(), Some(0.0));
        assert_eq!(r.last_broken, Some(d("2026-10-10")));
        assert_eq!(p.record(1, d("2026-10-31")), Record::default());
    }
}
