//! Repeats found after reading, per client in parallel: documents and payments exported twice
//! are counted once, ids reused for other documents are renamed, and what looks repeated but
//! cannot be told apart is kept with a warning.

use super::error::InputError;
use super::ingested::Ingested;
use super::mapping::RowKind;
use super::merge::Merger;
use super::schedule::{Line, MAX_INSTALMENTS};
use super::spec::InputSpec;
use super::stats::{Reject, Warning};
use super::table::{self, Batch, Header, RawRow};
use crate::model::{ClientIx, Currency, DocKind, Origin, Payment, format_minor};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::path::Path;

/// A document id seen again for the same client.
struct Repeat {
    doc: u32,
    first: u32,
    /// Every ledger field equal: the same document repeated.
    exact: bool,
}

/// Finds document ids used twice for one client, after reading: per client, in parallel, so
/// that 10 million ids need no global table. The same document repeated (exports repeat an
/// invoice once per dispute record) is counted once and its copies rejected; another document
/// under a used id is kept as `ID#2` with a warning. The rows of an export written one row per
/// instalment are the lines of their invoice's schedule, not repeats: returned, each schedule
/// under the place of its invoice's first row (its other rows leave the ledger).
// Long on purpose: finding repeats and deciding what each is (the same document, or another
// one under a used id) share the per-client groups built once.
pub(super) fn dedupe(
    out: &mut Ingested,
    m: &Merger,
    inputs: &[InputSpec],
) -> Result<Vec<(Origin, Vec<Line>)>, InputError> {
    let mut drop_pay = duplicate_payments(out, m, inputs)?;
    let l = &out.ledger;
    let n = l.clients.len();
    let keys: Vec<u64> = l.documents.par_iter().map(|d| hash_key(l.text(d.id)) | 1).collect();
    let same_id = |a: u32, b: u32| l.text(l.documents[a as usize].id) == l.text(l.documents[b as usize].id);
    let repeats: Vec<Repeat> = repeated_keys(n, l.documents.iter().map(|d| d.client), keys, same_id)
        .into_iter()
        .map(|(i, first)| {
            let (d, f) = (&l.documents[i as usize], &l.documents[first as usize]);
            let exact = f.kind == d.kind
                && f.issue == d.issue
                && f.due == d.due
                && f.amount == d.amount
                && m.settled_of(first).map(|s| (s.0, s.1)) == m.settled_of(i).map(|s| (s.0, s.1));
            Repeat { doc: i, first, exact }
        })
        .collect();
    // The rows of an export written one row per instalment repeat their invoice's id: they
    // are its schedule's lines, not repeats.
    let line = |i: u32| {
        let d = &l.documents[i as usize];
        d.kind == DocKind::Invoice && inputs.get(d.origin.source as usize).is_some_and(|x| x.mapping.instalment_rows)
    };
    let (lines, repeats): (Vec<Repeat>, Vec<Repeat>) = repeats.into_iter().partition(|r| {
        let (d, f) = (&l.documents[r.doc as usize], &l.documents[r.first as usize]);
        line(r.doc) && line(r.first) && d.origin.source == f.origin.source && d.issue == f.issue
    });
    let lines: Vec<(u32, u32)> = lines.iter().map(|r| (r.doc, r.first)).collect();
    let mut drop_doc = vec![false; out.ledger.documents.len()];
    let plans = if lines.is_empty() && m.line_totals.is_empty() {
        Vec::new()
    } else {
        instalment_rows(out, m, inputs, &lines, &mut drop_doc)?
    };
    if repeats.is_empty() {
        drop_rows(out, &drop_doc, &drop_pay);
        return Ok(plans);
    }
    let copies = repeats.iter().filter(|r| r.exact).map(|r| out.ledger.documents[r.doc as usize].origin);
    let raw = raw_of(inputs, copies)?;
    drop_pay.resize(out.ledger.payments.len(), false);
    // The grouping by client is needed only to rename reused ids.
    let (start, order) = if repeats.iter().any(|r| !r.exact) {
        by_client(n, out.ledger.documents.iter().map(|d| d.client))
    } else {
        (Vec::new(), Vec::new())
    };
    let mut taken_ids: FxHashMap<ClientIx, FxHashSet<String>> = FxHashMap::default();
    let mut next_suffix: FxHashMap<(ClientIx, String), u32> = FxHashMap::default();
    for r in &repeats {
        let d = out.ledger.documents[r.doc as usize].clone();
        let first_place = m.first_place(&out.ledger.sources, out.ledger.documents[r.first as usize].origin, d.origin);
        let id = out.ledger.text(d.id).to_string();
        if r.exact {
            out.ledger.documents[r.first as usize].disputed |= d.disputed;
            drop_doc[r.doc as usize] = true;
            let written = if m.written_neg.binary_search(&r.doc).is_ok() { -d.amount } else { d.amount };
            // An export with one row per invoice line repeats each invoice: its lines, not errors.
            let lines = inputs.get(d.origin.source as usize).is_some_and(|i| i.mapping.repeated_lines);
            let reason = if lines {
                format!("another line of the document at {first_place}; counted once")
            } else {
                format!("exact duplicate of the document at {first_place} (same id, dates and amounts); counted once")
            };
            count_once(out, m, &raw, d.origin, id, (d.currency, written), reason);
            if lines {
                out.rejects.last_mut().expect("just pushed").benign = true;
                out.stats[d.origin.source as usize].rejected_benign += 1;
            }
            let stats = &mut out.stats[d.origin.source as usize];
            match d.kind {
                DocKind::Invoice => stats.invoices -= 1,
                DocKind::CreditNote => stats.credit_notes -= 1,
            }
            if let Some((_, _, p)) = m.settled_of(r.doc) {
                drop_pay[p as usize] = true;
                stats.payments -= 1;
            }
        } else {
            // The client's ids, gathered once per client (not per repeat), and the next suffix
            // per id: ten thousand reuses of one id stay linear.
            let ledger = &out.ledger;
            let taken = taken_ids.entry(d.client).or_insert_with(|| {
                let c = d.client as usize;
                order[start[c]..start[c + 1]]
                    .iter()
                    .map(|&i| ledger.text(ledger.documents[i as usize].id).to_string())
                    .collect()
            });
            let k = next_suffix.entry((d.client, id.clone())).or_insert(2);
            let new_id = loop {
                let candidate = format!("{id}#{k}");
                *k += 1;
                if !taken.contains(&candidate) {
                    break candidate;
                }
            };
            taken.insert(new_id.clone());
            let source = out.ledger.sources[d.origin.source as usize].clone();
            let too_big = |e: crate::model::TextsFull| {
                InputError::file(Path::new(&source), e.to_string(), "split the input into smaller runs")
            };
            let new_ref = out.ledger.texts.push(&new_id).map_err(too_big)?;
            out.ledger.documents[r.doc as usize].id = new_ref;
            if let Some((_, _, p)) = m.settled_of(r.doc) {
                let settled_id = out.ledger.texts.push_parts(&[&new_id, "/settled"]).map_err(too_big)?;
                let pay = &mut out.ledger.payments[p as usize];
                pay.id = settled_id;
                pay.reference = Some(new_ref);
            }
            let client = &out.ledger.clients[d.client as usize].id;
            out.warnings.push(Warning {
                kind: "reused_document_id",
                source,
                location: m.place(d.origin),
                message: format!("client {client}: document id {id} is used again (first at {first_place}); this one is kept as {new_id}"),
            });
        }
    }
    drop_rows(out, &drop_doc, &drop_pay);
    Ok(plans)
}

/// The schedules of exports written one row per instalment. `lines` pairs each repeated row
/// with the first row of its invoice (same source, client, id and issue date). A schedule whose
/// rows do not add up to the invoice amount the export gives (`invoice_amount`) has all its
/// rows rejected with the reason; otherwise its first row stands for the invoice and the others
/// are marked in `drop` (accepted rows, the invoice's lines). Open-items lists are not checked:
/// they list only the terms still open. Returns each schedule under its first row's place.
fn instalment_rows(
    out: &mut Ingested,
    m: &Merger,
    inputs: &[InputSpec],
    lines: &[(u32, u32)],
    drop: &mut [bool],
) -> Result<Vec<(Origin, Vec<Line>)>, InputError> {
    let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &(doc, first) in lines {
        groups.entry(first).or_insert_with(|| vec![first]).push(doc);
    }
    // Invoices of one row that give their whole amount are checked too.
    let later: rustc_hash::FxHashSet<u32> = lines.iter().map(|l| l.0).collect();
    for &(doc, _) in m.line_totals.iter().filter(|t| !later.contains(&t.0)) {
        groups.entry(doc).or_insert_with(|| vec![doc]);
    }
    let mut plans = Vec::new();
    let mut bad: Vec<(Vec<u32>, String)> = Vec::new();
    for (first, rows) in groups {
        let docs = &out.ledger.documents;
        let sum = rows.iter().try_fold(0i64, |acc, &i| acc.checked_add(docs[i as usize].amount));
        let total = rows.iter().find_map(|&i| m.line_total_of(i));
        let d = &docs[first as usize];
        let listed = inputs.get(d.origin.source as usize).is_some_and(|x| x.mapping.rows == RowKind::OpenItems);
        let cur = d.currency;
        let problem = match (sum, total) {
            (None, _) => Some("its instalment rows add up beyond what arwatch can hold".to_string()),
            (Some(s), Some(t)) if s != t && !listed => Some(format!(
                "the instalment rows of invoice {} add up to {}, but its invoice amount is {}; every instalment of \
                 the invoice must be in the file",
                out.ledger.text(d.id),
                format_minor(s, cur.minor_digits()),
                format_minor(t, cur.minor_digits())
            )),
            _ if rows.len() > MAX_INSTALMENTS => Some(format!(
                "invoice {} has {} instalments; at most {MAX_INSTALMENTS}",
                out.ledger.text(d.id),
                rows.len()
            )),
            _ => None,
        };
        if let Some(reason) = problem {
            bad.push((rows, reason));
            continue;
        }
        if rows.len() > 1 {
            let lines =
                rows.iter().map(|&i| Line { due: docs[i as usize].due, amount: docs[i as usize].amount }).collect();
            plans.push((d.origin, lines));
            for &i in &rows[1..] {
                drop[i as usize] = true;
                // Accepted rows, but one invoice.
                out.stats[docs[i as usize].origin.source as usize].invoices -= 1;
            }
        }
    }
    if !bad.is_empty() {
        let origins = bad.iter().flat_map(|(rows, _)| rows.iter().map(|&i| out.ledger.documents[i as usize].origin));
        let origins: Vec<Origin> = origins.collect();
        let raw = raw_of(inputs, origins.into_iter())?;
        for (rows, reason) in bad {
            for i in rows {
                let d = out.ledger.documents[i as usize].clone();
                let id = out.ledger.text(d.id).to_string();
                let written = if m.written_neg.binary_search(&i).is_ok() { -d.amount } else { d.amount };
                count_once(out, m, &raw, d.origin, id, (d.currency, written), reason.clone());
                out.rejects.last_mut().expect("just pushed").duplicate = false;
                out.stats[d.origin.source as usize].invoices -= 1;
                drop[i as usize] = true;
            }
        }
    }
    Ok(plans)
}

/// Turns an accepted row found to repeat an earlier one into a rejected duplicate: its
/// input's counts and control totals move from accepted to rejected, and its raw values go to
/// the rejected rows.
fn count_once(
    out: &mut Ingested,
    m: &Merger,
    raw: &BTreeMap<(u16, u32), String>,
    origin: Origin,
    id: String,
    (currency, written): (Currency, i64),
    reason: String,
) {
    let stats = &mut out.stats[origin.source as usize];
    stats.accepted -= 1;
    stats.rejected += 1;
    if let Some(t) = stats.control_totals.get_mut(currency.code()) {
        t.move_to_rejected(written);
    }
    out.rejects.push(Reject {
        source: out.ledger.sources[origin.source as usize].clone(),
        location: m.place(origin),
        column: m.id_columns.get(&origin.source).cloned().unwrap_or_default(),
        value: id,
        reason,
        raw: raw.get(&(origin.source, origin.line)).cloned().unwrap_or_default(),
        line: origin.line,
        benign: false,
        amount: Some((currency, written)),
        duplicate: true,
        rows: 1,
    });
}

/// Removes the documents and payments marked (an empty list marks none) and puts the rejected
/// rows in input order: by source, then line.
fn drop_rows(out: &mut Ingested, drop_doc: &[bool], drop_pay: &[bool]) {
    if drop_doc.contains(&true) {
        let mut k = 0;
        out.ledger.documents.retain(|_| {
            k += 1;
            !drop_doc[k - 1]
        });
    }
    if drop_pay.contains(&true) {
        let mut k = 0;
        out.ledger.payments.retain(|_| {
            k += 1;
            !drop_pay[k - 1]
        });
    }
    let order: BTreeMap<&str, usize> = out.ledger.sources.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
    out.rejects.sort_by_key(|r| (order.get(r.source.as_str()).copied().unwrap_or(usize::MAX), r.line));
}

/// A 64-bit hash of a value, for finding repeats (equal keys are then compared in full).
fn hash_key(v: &(impl std::hash::Hash + ?Sized)) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(v)
}

/// Rows of one client whose keys repeat an earlier row's, as (row, first row with the same
/// value), in file order. `keys[i]` is row `i`'s key (0: not to be checked); `same` says whether
/// two rows with equal keys are really equal. The keys are scattered by client in file order
/// (they are made in that order, where ids and their text lie in memory: no random reads), and
/// each client's are sorted on their own, in parallel: 10 million rows need no global table.
fn repeated_keys(
    n: usize,
    clients: impl Iterator<Item = ClientIx> + Clone,
    keys: Vec<u64>,
    same: impl Fn(u32, u32) -> bool + Sync,
) -> Vec<(u32, u32)> {
    let (start, mut keyed) = by_client_with(n, clients, |i| (keys[i], i as u32));
    std::mem::drop(keys);
    let mut slices: Vec<&mut [(u64, u32)]> = Vec::with_capacity(n);
    let mut rest = &mut keyed[..];
    for c in 0..n {
        let (slice, after) = rest.split_at_mut(start[c + 1] - start[c]);
        slices.push(slice);
        rest = after;
    }
    let mut found: Vec<(u32, u32)> = slices
        .into_par_iter()
        .flat_map_iter(|keyed| {
            let mut found = Vec::new();
            if keyed.len() > 1 {
                keyed.sort_unstable();
                for run in keyed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1 && r[0].0 != 0) {
                    // In row order within a run: the first equal row is the earliest.
                    for (k, &(_, i)) in run.iter().enumerate().skip(1) {
                        if let Some(&(_, first)) = run[..k].iter().find(|&&(_, j)| same(j, i)) {
                            found.push((i, first));
                        }
                    }
                }
            }
            found
        })
        .collect();
    found.sort_unstable();
    found
}

/// Indices grouped by client (a counting sort that keeps file order within a client): the
/// rows of client `c` are `order[start[c]..start[c + 1]]`.
fn by_client(n: usize, clients: impl Iterator<Item = ClientIx> + Clone) -> (Vec<usize>, Vec<u32>) {
    by_client_with(n, clients, |i| i as u32)
}

/// [`by_client`] of `item(i)` for each row `i` instead of its index.
fn by_client_with<T: Copy + Default>(
    n: usize,
    clients: impl Iterator<Item = ClientIx> + Clone,
    item: impl Fn(usize) -> T,
) -> (Vec<usize>, Vec<T>) {
    let mut start = vec![0usize; n + 1];
    for c in clients.clone() {
        start[c as usize + 1] += 1;
    }
    for c in 0..n {
        start[c + 1] += start[c];
    }
    let mut order = vec![T::default(); start[n]];
    let mut pos = start.clone();
    for (i, c) in clients.enumerate() {
        order[pos[c as usize]] = item(i);
        pos[c as usize] += 1;
    }
    (start, order)
}

/// How a payment repeats an earlier one of the same client.
#[derive(Clone, Copy, PartialEq)]
enum PaymentRepeat {
    /// The same payment id with the same date, amount, currency and reference: the same
    /// payment in two overlapping exports. Counted once.
    Exact,
    /// The same payment id with other fields: kept, with a warning.
    IdReused,
    /// No payment id, and the same date, amount, currency and reference: kept, with a warning.
    Possible,
}

/// Finds payments repeated in overlapping exports, per client in parallel. Payments made from
/// an invoice row's settlement are left to the documents' check. Returns the payments to drop.
// Long on purpose: the three kinds of repeated payment are told apart over the same
// per-client groups, in one pass.
fn duplicate_payments(out: &mut Ingested, m: &Merger, inputs: &[InputSpec]) -> Result<Vec<bool>, InputError> {
    let l = &out.ledger;
    // Pushed in payment order, so sorted by payment too.
    let derived = |i: u32| m.settled.binary_search_by_key(&i, |s| s.3).is_ok();
    let made = |i: u32| m.made_pay_ids.binary_search(&i).is_ok();
    let fields = |p: &Payment| (p.date, p.amount, p.currency, p.reference.map(|r| l.text(r)));
    // A key per payment: the hash of its id, or of its fields when it has none, with its class in
    // the low bits (payments made from an invoice's settlement are left to the documents).
    const SKIP: u64 = 0;
    const BY_ID: u64 = 1;
    const BY_FIELDS: u64 = 2;
    let keys: Vec<u64> = l
        .payments
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if derived(i as u32) {
                SKIP
            } else if made(i as u32) {
                (hash_key(&fields(p)) << 2) | BY_FIELDS
            } else {
                (hash_key(l.text(p.id)) << 2) | BY_ID
            }
        })
        .collect();
    // Equal keys are nearly always equal ids (or fields); the texts decide.
    let same = |a: u32, b: u32| {
        let (p, q) = (&l.payments[a as usize], &l.payments[b as usize]);
        if made(a) { made(b) && fields(p) == fields(q) } else { !made(b) && l.text(p.id) == l.text(q.id) }
    };
    let repeats: Vec<(u32, u32, PaymentRepeat)> =
        repeated_keys(l.clients.len(), l.payments.iter().map(|p| p.client), keys, same)
            .into_iter()
            .map(|(i, first)| {
                let kind = if made(i) {
                    PaymentRepeat::Possible
                } else if fields(&l.payments[first as usize]) == fields(&l.payments[i as usize]) {
                    PaymentRepeat::Exact
                } else {
                    PaymentRepeat::IdReused
                };
                (i, first, kind)
            })
            .collect();
    if repeats.is_empty() {
        return Ok(Vec::new());
    }
    let mut dropped = vec![false; l.payments.len()];
    let copies = repeats.iter().filter(|r| r.2 == PaymentRepeat::Exact).map(|r| l.payments[r.0 as usize].origin);
    let raw = raw_of(inputs, copies)?;
    for (i, first, kind) in repeats {
        let p = out.ledger.payments[i as usize];
        let first_place = m.first_place(&out.ledger.sources, out.ledger.payments[first as usize].origin, p.origin);
        let source = out.ledger.sources[p.origin.source as usize].clone();
        let client = &out.ledger.clients[p.client as usize].id;
        let id = out.ledger.text(p.id).to_string();
        let amount = crate::model::Money::new(p.amount, p.currency);
        match kind {
            PaymentRepeat::Exact => {
                dropped[i as usize] = true;
                let written = if m.flipped_payments.contains(&p.origin.source) { -p.amount } else { p.amount };
                let reason = format!(
                    "exact duplicate of the payment at {first_place} (same id, date, amount and reference): counted once"
                );
                count_once(out, m, &raw, p.origin, id, (p.currency, written), reason);
                out.stats[p.origin.source as usize].payments -= 1;
            }
            PaymentRepeat::IdReused => out.warnings.push(Warning {
                kind: "payment_id_reused",
                source,
                location: m.place(p.origin),
                message: format!(
                    "client {client}: payment id {id} is used again (first at {first_place}) with another date, amount or reference; both are kept"
                ),
            }),
            PaymentRepeat::Possible => out.warnings.push(Warning {
                kind: "possible_duplicate_payment",
                source,
                location: m.place(p.origin),
                message: format!(
                    "client {client}: a payment of {amount} {} on {} with the same reference as the one at {first_place}; both are kept (map payment_id so that repeated exports can be told apart)",
                    p.currency,
                    { p.date }
                ),
            }),
        }
    }
    Ok(dropped)
}

/// The raw values of rows found to be duplicates after reading, read again from their files
/// (rare, so cheap), by (source, line).
fn raw_of(
    inputs: &[InputSpec],
    rows: impl Iterator<Item = Origin>,
) -> Result<BTreeMap<(u16, u32), String>, InputError> {
    let mut wanted: BTreeMap<u16, std::collections::BTreeSet<u32>> = BTreeMap::new();
    for o in rows {
        wanted.entry(o.source).or_default().insert(o.line);
    }
    let mut raw = BTreeMap::new();
    for (&source, lines) in &wanted {
        for (line, values) in raw_lines(&inputs[source as usize], lines)? {
            raw.insert((source, line), values);
        }
    }
    Ok(raw)
}

/// The raw values of some lines of an input, read again.
fn raw_lines(input: &InputSpec, lines: &std::collections::BTreeSet<u32>) -> Result<Vec<(u32, String)>, InputError> {
    struct Capture<'a> {
        lines: &'a std::collections::BTreeSet<u32>,
        found: Vec<(u32, String)>,
    }
    impl table::Sink for Capture<'_> {
        fn header(&mut self, _: &Header) -> Result<(), InputError> {
            Ok(())
        }
        fn batch(&mut self, _: &Header, rows: Batch<'_>) -> Result<(), InputError> {
            match rows {
                Batch::Text(r) => self.take(r),
                Batch::Sheet(r) => self.take(r),
            }
            Ok(())
        }
    }
    impl Capture<'_> {
        fn take<R: RawRow>(&mut self, rows: &[R]) {
            for r in rows.iter().filter(|r| self.lines.contains(&r.line())) {
                self.found.push((r.line(), r.raw_values()));
            }
        }
    }
    let mut c = Capture { lines, found: Vec::new() };
    table::read_table(&input.path, &input.mapping, &mut c, &mut table::Extent::default())?;
    Ok(c.found)
}
