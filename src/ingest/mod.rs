//! Ingestion: from source files and their mappings to a validated `Ledger`, with every row
//! accounted for: accepted, or rejected with its place, raw values and reason.
//!
//! Rows are converted in parallel, a batch at a time, and merged in file order, so the result
//! does not depend on thread timing.

pub mod bureau;
pub mod error;
pub mod mapping;
pub mod parse;
pub mod table;

pub use error::InputError;

use crate::model::{Client, ClientIx, Currency, DocKind, Document, Ledger, Origin, Payment};
use chrono::{Duration, NaiveDate};
use mapping::{Field, Mapping, Resolved, RowKind, TypeOfRow};
use parse::DateFormat;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use table::{Batch, CellRef, Header, Layout, RawRow};

/// One input: a file and the mapping that reads it.
#[derive(Clone, Debug)]
pub struct InputSpec {
    pub path: PathBuf,
    pub mapping: Mapping,
}

/// Settings that apply to every input.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// Currency of rows that have neither a currency column nor a fixed currency.
    pub default_currency: Currency,
    /// Payment terms when a row has no due date and no terms.
    pub default_terms_days: u32,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { default_currency: Currency::EUR, default_terms_days: 30 }
    }
}

/// A row that did not make it into the ledger, and why.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Reject {
    pub source: String,
    pub location: String,
    pub column: String,
    pub value: String,
    pub reason: String,
    pub raw: String,
    /// Line or sheet row, to keep the file in input order.
    #[serde(skip)]
    pub line: u32,
    /// Blank and deliberately ignored rows are reported but do not count against the
    /// rejected-share threshold.
    #[serde(skip)]
    pub benign: bool,
    #[serde(skip)]
    pub amount: Option<(Currency, i64)>,
}

/// A data-quality observation that does not stop a row: an invalid company number, a
/// duplicate document id kept under a new name.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Warning {
    /// What was observed, in words a program can match: `reused_document_id`,
    /// `invalid_company_number`, `possible_duplicate_payment`, `payment_id_reused`.
    pub kind: &'static str,
    pub source: String,
    pub location: String,
    pub message: String,
}

/// Money control totals of one input in one currency, in minor units. Wide integers: no
/// number of rows can make them overflow.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Totals {
    pub read: i128,
    pub accepted: i128,
    pub rejected: i128,
    /// Σ |amount| of the accepted rows: what bounds every sum the analysis makes.
    #[serde(skip)]
    pub absolute: i128,
}

impl Totals {
    fn accept(&mut self, v: i64) {
        self.read += v as i128;
        self.accepted += v as i128;
        self.absolute += v.unsigned_abs() as i128;
    }

    fn reject(&mut self, v: i64) {
        self.read += v as i128;
        self.rejected += v as i128;
    }

    /// An accepted row found to be a duplicate after reading.
    fn move_to_rejected(&mut self, v: i64) {
        self.accepted -= v as i128;
        self.rejected += v as i128;
        self.absolute -= v.unsigned_abs() as i128;
    }
}

/// The most a ledger's amounts may add up to in one currency (Σ |amount|), in major units:
/// every sum the analysis makes (net AR, sales, buckets, their conversions) then stays far
/// inside 64 bits. A thousand times the world's yearly trade is no accounts receivable.
pub const MAX_LEDGER_MAJOR: i128 = 1_000_000_000_000_000;

/// What one input contributed: the reconciliation that `summary.json` reports.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SourceStats {
    pub file: String,
    pub layout: String,
    /// Physical lines of the file (sheet rows for a workbook).
    pub lines: u64,
    /// Of those, the lines up to and including the header (banner rows, blank lines before it).
    pub lines_before_rows: u64,
    /// Lines inside rows beyond their first: quoted fields over several lines (`multiline`).
    pub lines_within_rows: u64,
    pub rows_read: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// Of the rejected rows: blank lines, total rows and rows whose type the mapping ignores.
    pub rejected_benign: u64,
    pub invoices: u64,
    pub credit_notes: u64,
    pub payments: u64,
    /// Sums of the amount column as written in the file (signs included), per currency.
    pub control_totals: BTreeMap<String, Totals>,
    /// The same while reading, keyed cheaply; folded into `control_totals` at the end.
    #[serde(skip)]
    pending_totals: Vec<(Currency, Totals)>,
    /// Rejected rows whose amount could not be read, so are outside the control totals.
    pub rejected_without_amount: u64,
}

impl SourceStats {
    /// Errors (not blank or ignored rows) as a share of the rows read.
    pub fn rejected_share(&self) -> f64 {
        let errors = self.rejected - self.rejected_benign;
        if self.rows_read == 0 { 0.0 } else { errors as f64 / self.rows_read as f64 }
    }

    /// Every line is before the rows or in one; rows read = accepted + rejected; and the same
    /// for the money of every currency.
    pub fn reconciles(&self) -> bool {
        self.lines == self.lines_before_rows + self.rows_read + self.lines_within_rows
            && self.rows_read == self.accepted + self.rejected
            && self.control_totals.values().all(|t| t.read == t.accepted + t.rejected)
    }
}

#[derive(Debug, Default)]
pub struct Ingested {
    pub ledger: Ledger,
    pub rejects: Vec<Reject>,
    pub warnings: Vec<Warning>,
    pub stats: Vec<SourceStats>,
}

/// Reads every input into one ledger.
pub fn ingest(
    inputs: &[InputSpec],
    opts: &IngestOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Ingested, InputError> {
    let mut out = Ingested::default();
    let mut merger = Merger::default();
    for (source_ix, input) in inputs.iter().enumerate() {
        let stats = ingest_one(source_ix as u16, input, opts, &mut out, &mut merger, progress)?;
        out.ledger.sources.push(input.path.display().to_string());
        out.stats.push(stats);
    }
    out.ledger.clients = std::mem::take(&mut merger.clients);
    dedupe(&mut out, &merger, inputs)?;
    check_ledger_size(&out.stats)?;
    Ok(out)
}

/// Refuses a ledger whose amounts add up to more than [`MAX_LEDGER_MAJOR`] in a currency.
fn check_ledger_size(stats: &[SourceStats]) -> Result<(), InputError> {
    let mut by_currency: BTreeMap<&str, i128> = BTreeMap::new();
    for s in stats {
        for (code, t) in &s.control_totals {
            let sum = by_currency.entry(code).or_default();
            *sum += t.absolute;
            let digits = Currency::parse(code).map_or(2, |c| c.minor_digits());
            if *sum > MAX_LEDGER_MAJOR * 10i128.pow(digits) {
                return Err(InputError::file(
                    Path::new(&s.file),
                    format!(
                        "the amounts in {code} add up to more than {MAX_LEDGER_MAJOR} (10^15) with this input: no ledger is that large"
                    ),
                    "check the amount column of the mapping (an id or account number read as money?) and the decimal mark",
                ));
            }
        }
    }
    Ok(())
}

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
/// under a used id is kept as `ID#2` with a warning.
fn dedupe(out: &mut Ingested, m: &Merger, inputs: &[InputSpec]) -> Result<(), InputError> {
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
    if repeats.is_empty() {
        drop_rows(out, &[], &drop_pay);
        return Ok(());
    }
    let copies = repeats.iter().filter(|r| r.exact).map(|r| out.ledger.documents[r.doc as usize].origin);
    let raw = raw_of(inputs, copies)?;
    let mut drop_doc = vec![false; out.ledger.documents.len()];
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
            let reason =
                format!("exact duplicate of the document at {first_place} (same id, dates and amounts); counted once");
            count_once(out, m, &raw, d.origin, id, (d.currency, written), reason);
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
            let too_big = |e: String| InputError::file(Path::new(&source), e, "split the input into smaller runs");
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
    Ok(())
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
        let amount = crate::model::format_minor(p.amount, p.currency.minor_digits());
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

/// Client ids to indices. Ids of up to 15 bytes (nearly all) are kept inline as one integer
/// in an open-addressing table whose slot can be prefetched: looked up from the conversion
/// threads, a table of 50,000 clients no longer stays in cache beside the rows streaming by,
/// and prefetching a batch of slots before reading them hides that latency.
#[derive(Default)]
struct ClientIndex {
    /// (key, index); key 0 is an empty slot (a real key has its length in its last byte).
    slots: Vec<(u128, ClientIx)>,
    len: usize,
    long: FxHashMap<String, ClientIx>,
}

/// MurmurHash3's 64-bit finaliser over the two halves: ids like `C004723` differ in a few
/// bytes only, and every bit of the slot number must depend on them.
fn mix(k: u128) -> u64 {
    let mut h = (k as u64) ^ ((k >> 64) as u64).rotate_left(29);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

impl ClientIndex {
    fn short_key(id: &str) -> Option<u128> {
        let b = id.as_bytes();
        (b.len() < 16).then(|| {
            let mut k = [0u8; 16];
            k[..b.len()].copy_from_slice(b);
            k[15] = b.len() as u8 | 0x80;
            u128::from_le_bytes(k)
        })
    }

    fn slot(&self, k: u128) -> usize {
        mix(k) as usize & (self.slots.len() - 1)
    }

    /// Asks the CPU to bring `id`'s slot into cache ahead of `get`.
    fn prefetch(&self, id: &str) {
        #[cfg(target_arch = "x86_64")]
        if let (Some(k), false) = (Self::short_key(id), self.slots.is_empty()) {
            let p = &self.slots[self.slot(k)] as *const (u128, ClientIx) as *const i8;
            // SAFETY: a prefetch is only a hint; `p` points into the live slot vector.
            unsafe { std::arch::x86_64::_mm_prefetch(p, std::arch::x86_64::_MM_HINT_T0) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = id;
    }

    fn get(&self, id: &str) -> Option<ClientIx> {
        let Some(k) = Self::short_key(id) else { return self.long.get(id).copied() };
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(k);
        loop {
            let (key, ix) = self.slots[i];
            if key == k {
                return Some(ix);
            }
            if key == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    fn insert(&mut self, id: &str, ix: ClientIx) {
        let Some(k) = Self::short_key(id) else {
            self.long.insert(id.to_string(), ix);
            return;
        };
        // At most half full, so probe runs stay short.
        if (self.len + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(1024);
            let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
            self.len = 0;
            for (key, v) in old.into_iter().filter(|e| e.0 != 0) {
                self.place(key, v);
            }
        }
        self.place(k, ix);
    }

    fn place(&mut self, k: u128, ix: ClientIx) {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(k);
        while self.slots[i].0 != 0 && self.slots[i].0 != k {
            i = (i + 1) & mask;
        }
        if self.slots[i].0 == 0 {
            self.len += 1;
        }
        self.slots[i] = (k, ix);
    }
}

/// The sequential side of ingestion: clients interned, duplicate document ids found.
#[derive(Default)]
struct Merger {
    clients: Vec<Client>,
    client_index: ClientIndex,
    /// Clients whose company number was reported invalid (once each).
    bad_company: FxHashSet<ClientIx>,
    /// Per client: the name is known; the company number is known or was reported invalid.
    /// Small and hot, so the common row (a known, complete client) touches nothing else.
    name_done: Vec<bool>,
    company_done: Vec<bool>,
    /// Documents whose row carried a settlement, in document order: (document, settled date,
    /// amount paid, the payment derived from it). Part of a document's fingerprint. Kept
    /// only for the rows that have one, so a file of invoices costs nothing here.
    settled: Vec<(u32, NaiveDate, i64, u32)>,
    /// Documents whose amount was written negative, in order (for the control totals).
    written_neg: Vec<u32>,
    /// Per source: how places in it are named, and the header of its document-id column.
    layouts: BTreeMap<u16, Layout>,
    id_columns: BTreeMap<u16, String>,
    /// Payments whose row had no id (arwatch made one of source and line), in order.
    made_pay_ids: Vec<u32>,
    /// Sources whose payments are written negative (their sign was turned on reading).
    flipped_payments: FxHashSet<u16>,
}

impl Merger {
    /// How a row is named in messages: `line 12` or `sheet 'X' row 12`.
    fn place(&self, o: Origin) -> String {
        match self.layouts.get(&o.source) {
            Some(layout) => layout.location(o.line, None),
            None => format!("line {}", { o.line }),
        }
    }

    /// Where the first of two repeated rows is: its place, with its file when that is another.
    fn first_place(&self, sources: &[String], first: Origin, this: Origin) -> String {
        if first.source == this.source {
            self.place(first)
        } else {
            format!("{} {}", sources[first.source as usize], self.place(first))
        }
    }

    fn settled_of(&self, doc: u32) -> Option<(NaiveDate, i64, u32)> {
        let i = self.settled.binary_search_by_key(&doc, |s| s.0).ok()?;
        let (_, date, amount, payment) = self.settled[i];
        Some((date, amount, payment))
    }

    /// The client of a row: found during the parallel conversion when it was known then,
    /// else looked up (or created) here. Fills in a name or company number seen first now.
    fn client(&mut self, c: &ClientFields<'_>, warnings: &mut Vec<(ClientIx, String)>) -> ClientIx {
        let ix = match c.known.or_else(|| self.client_index.get(&c.id)) {
            Some(ix) => ix,
            None => {
                let ix = self.clients.len() as ClientIx;
                self.clients.push(Client { id: c.id.to_string(), name: String::new(), company_number: None });
                self.name_done.push(false);
                self.company_done.push(false);
                self.client_index.insert(&c.id, ix);
                ix
            }
        };
        let i = ix as usize;
        if (c.name.is_none() || self.name_done[i]) && (c.company.is_none() || self.company_done[i]) {
            return ix;
        }
        let client = &mut self.clients[i];
        if client.name.is_empty() {
            if let Some(n) = &c.name {
                client.name = n.to_string();
            }
        }
        if client.company_number.is_none() {
            if let Some(raw) = &c.company {
                if !self.bad_company.contains(&ix) {
                    match crate::model::company_number::normalise_company_number(raw) {
                        Ok(n) => client.company_number = Some(n),
                        Err(e) => {
                            self.bad_company.insert(ix);
                            warnings.push((
                                ix,
                                format!("client {}: invalid company number: {e}; it will not be matched", c.id),
                            ));
                        }
                    }
                }
            }
        }
        self.name_done[i] = !client.name.is_empty();
        self.company_done[i] = client.company_number.is_some() || self.bad_company.contains(&ix);
        ix
    }
}

struct ClientFields<'r> {
    /// The client's index, when it was already known before this batch.
    known: Option<ClientIx>,
    id: Cow<'r, str>,
    name: Option<Cow<'r, str>>,
    company: Option<Cow<'r, str>>,
}

struct DocFields<'r> {
    id: Cow<'r, str>,
    kind: DocKind,
    issue: NaiveDate,
    due: NaiveDate,
    amount: i64,
    currency: Currency,
    reference: Option<Cow<'r, str>>,
    disputed: bool,
    settled: Option<(NaiveDate, i64)>,
    /// The amount as written in the file, for the control totals.
    written: i64,
}

struct PayFields<'r> {
    id: Option<Cow<'r, str>>,
    date: NaiveDate,
    amount: i64,
    currency: Currency,
    reference: Option<Cow<'r, str>>,
    written: i64,
}

enum Row<'r> {
    Doc(ClientFields<'r>, DocFields<'r>),
    Pay(ClientFields<'r>, PayFields<'r>),
    Ignored(String),
    Blank,
}

pub(crate) struct RowError {
    /// A total row: reported, but not an error in the data.
    pub(crate) benign: bool,
    pub(crate) column: Option<usize>,
    pub(crate) value: String,
    pub(crate) reason: String,
    pub(crate) amount: Option<(Currency, i64)>,
}

/// How a source is described in summaries: `text, delimiter ';', windows-1252`.
pub(crate) fn layout_label(l: &Layout) -> String {
    match l {
        Layout::Text { delimiter, encoding } => format!("text, delimiter {:?}, {}", *delimiter as char, encoding),
        Layout::Sheet { name } => format!("sheet '{name}'"),
    }
}

impl Plan {
    /// Resolves the mapping's columns against the header; every required field must be there.
    pub(crate) fn new(input: &InputSpec, map: &Resolved, opts: &IngestOptions, h: &Header) -> Result<Plan, InputError> {
        let path = &input.path;
        let mut cols = BTreeMap::new();
        for (name, cref) in &input.mapping.columns {
            let field = Field::from_name(name).expect("mapping resolved");
            let ix = cref.resolve(&h.names).map_err(|e| {
                InputError::at(
                    path,
                    h.layout.location(h.line, None),
                    format!("field '{name}': {e}; the header has: {}", h.names.join(", ")),
                    if h.names.len() <= 1 {
                        "the header has one column: check the delimiter (and skip_rows) in the mapping"
                    } else {
                        "correct the column name in the mapping's [columns]"
                    },
                )
            })?;
            cols.insert(field, ix);
        }
        for f in input.mapping.required_fields() {
            if !cols.contains_key(&f) && !map.fixed.contains_key(&f) {
                return Err(InputError::at(
                    path,
                    h.layout.location(h.line, None),
                    format!("required field '{}' is not mapped; the header has: {}", f.name(), h.names.join(", ")),
                    format!("add {} = \"<column name>\" under [columns] in the mapping", f.name()),
                ));
            }
        }
        let mut by_field = [None; Field::ALL.len()];
        for (&f, &c) in &cols {
            by_field[f as usize] = Some(c);
        }
        let fixed = std::array::from_fn(|i| map.fixed.get(&Field::ALL[i]).cloned());
        Ok(Plan { map: map.clone(), cols, by_field, fixed, dates: None, opts: opts.clone(), header: h.names.clone() })
    }
}

/// Everything needed to convert a row of one input, fixed once the header is known.
pub(crate) struct Plan {
    map: Resolved,
    cols: BTreeMap<Field, usize>,
    /// The same columns, and the fixed values, indexed by field: a row asks for them dozens
    /// of times, so an array lookup instead of a tree walk.
    by_field: [Option<usize>; Field::ALL.len()],
    fixed: [Option<String>; Field::ALL.len()],
    /// Date formats per date field, fixed from the first batch.
    pub(crate) dates: Option<BTreeMap<Field, Vec<DateFormat>>>,
    opts: IngestOptions,
    pub(crate) header: Vec<String>,
}

fn ingest_one(
    source_ix: u16,
    input: &InputSpec,
    opts: &IngestOptions,
    out: &mut Ingested,
    merger: &mut Merger,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SourceStats, InputError> {
    let path = &input.path;
    let map = input
        .mapping
        .resolve()
        .map_err(|e| InputError::file(path, format!("mapping: {e}"), "correct the mapping file"))?;
    if map.rows == RowKind::Bureau {
        return Err(InputError::file(
            path,
            "a bureau mapping (rows = \"bureau\") is listed under [[inputs]]",
            "list bureau files under [[bureau_inputs]] in the configuration",
        ));
    }
    let file = path.display().to_string();
    let mut loader = Loader {
        source_ix,
        input,
        map,
        opts,
        stats: SourceStats { file: file.clone(), ..Default::default() },
        plan: None,
        out,
        merger,
        progress,
        expected_rows: None,
    };
    let mut extent = table::Extent::default();
    let first_reject = loader.out.rejects.len();
    let header = table::read_table(path, &input.mapping, &mut loader, &mut extent)?;
    let Loader { mut stats, out, .. } = loader;
    account_extent(&mut stats, &mut out.rejects, &extent, &header);
    out.rejects[first_reject..].sort_by_key(|r| r.line);
    for (cur, t) in std::mem::take(&mut stats.pending_totals) {
        stats.control_totals.insert(cur.code().to_string(), t);
    }
    Ok(stats)
}

/// The lines of a table that are no data rows: its physical lines, those before the rows
/// (banner and header), and blank lines the CSV parser skipped (rows read and rejected, not
/// errors).
pub(crate) fn account_extent(stats: &mut SourceStats, rejects: &mut Vec<Reject>, extent: &table::Extent, h: &Header) {
    stats.lines = extent.physical_lines;
    stats.lines_before_rows = h.line as u64;
    stats.lines_within_rows = extent.lines_within_rows;
    let layout = &h.layout;
    for &line in &extent.blank_lines {
        stats.rows_read += 1;
        stats.rejected += 1;
        stats.rejected_benign += 1;
        rejects.push(Reject {
            source: stats.file.clone(),
            location: layout.location(line, None),
            column: String::new(),
            value: String::new(),
            reason: "blank line".into(),
            raw: String::new(),
            line,
            benign: true,
            amount: None,
        });
    }
}

/// Receives one input's header and batches, converts rows in parallel and merges them.
struct Loader<'a> {
    source_ix: u16,
    input: &'a InputSpec,
    map: Resolved,
    opts: &'a IngestOptions,
    stats: SourceStats,
    plan: Option<Plan>,
    out: &'a mut Ingested,
    merger: &'a mut Merger,
    progress: &'a (dyn Fn(u64) + Sync),
    /// The parser's estimate of the rows in the file, until the first batch uses it.
    expected_rows: Option<usize>,
}

impl table::Sink for Loader<'_> {
    fn size_hint(&mut self, rows: usize) {
        let l = &mut self.out.ledger;
        let settles = self.input.mapping.columns.contains_key("settled_date");
        match self.map.rows {
            RowKind::Payments => l.payments.reserve(rows),
            RowKind::Invoices if settles => {
                l.documents.reserve(rows);
                l.payments.reserve(rows);
            }
            _ => l.documents.reserve(rows),
        }
        self.expected_rows = Some(rows);
    }

    fn header(&mut self, h: &Header) -> Result<(), InputError> {
        self.stats.layout = layout_label(&h.layout);
        self.merger.layouts.insert(self.source_ix, h.layout.clone());
        let plan = Plan::new(self.input, &self.map, self.opts, h)?;
        if let Some(&c) = plan.cols.get(&Field::DocumentId) {
            self.merger.id_columns.insert(self.source_ix, h.names[c].clone());
        }
        if self.map.payments_negative && self.map.rows == RowKind::Ledger {
            self.merger.flipped_payments.insert(self.source_ix);
        }
        self.plan = Some(plan);
        Ok(())
    }

    fn batch(&mut self, h: &Header, batch: Batch<'_>) -> Result<(), InputError> {
        let plan = self.plan.as_mut().expect("the header comes first");
        if plan.dates.is_none() {
            let dates = match batch {
                Batch::Text(rows) => detect_dates(plan, rows, h, &self.input.path)?,
                Batch::Sheet(rows) => detect_dates(plan, rows, h, &self.input.path)?,
            };
            plan.dates = Some(dates);
        }
        if let Some(rows) = self.expected_rows.take() {
            let per_row = match batch {
                Batch::Text(r) => text_bytes_per_row(plan, r),
                Batch::Sheet(r) => text_bytes_per_row(plan, r),
            };
            let l = &mut self.out.ledger;
            let mut ahead = l.texts.reserve(rows * per_row);
            ahead.push(crate::memory::spare(&l.documents));
            ahead.push(crate::memory::spare(&l.payments));
            crate::memory::populate(ahead);
        }
        match batch {
            Batch::Text(rows) => self.convert_and_merge(h, rows),
            Batch::Sheet(rows) => self.convert_and_merge(h, rows),
        }
    }
}

/// The id and reference text a row adds to the ledger, on average over the first rows.
fn text_bytes_per_row<R: RawRow>(plan: &Plan, rows: &[R]) -> usize {
    let sample = &rows[..rows.len().min(1000)];
    let len = |r: &R, f: Field| plan.by_field[f as usize].map_or(0, |c| r.cell(c).display().len());
    // A payment without an id gets one made of its source and line.
    let made_id = if plan.by_field[Field::DocumentId as usize].is_none() { 12 } else { 0 };
    let total: usize = sample.iter().map(|r| len(r, Field::DocumentId) + len(r, Field::Reference) + made_id).sum();
    total.div_ceil(sample.len().max(1)) + 1
}

impl Loader<'_> {
    /// Converts a batch in parts and merges each part while the next one is being converted:
    /// the merge is sequential, and overlapping it keeps both cores busy.
    fn convert_and_merge<R: RawRow>(&mut self, h: &Header, rows: &[R]) -> Result<(), InputError> {
        const PARTS: usize = 4;
        let Loader { source_ix, input, plan, out, merger, stats, progress, .. } = self;
        let plan: &Plan = plan.as_ref().expect("the header comes first");
        let file = input.path.display().to_string();
        progress(rows.len() as u64);
        let parts: Vec<&[R]> = rows.chunks(rows.len().div_ceil(PARTS).max(1)).collect();
        let Some(first) = parts.first() else { return Ok(()) };
        let mut pending = convert_rows(plan, first);
        find_clients(&mut pending, &merger.client_index);
        let mut base = 0;
        for k in 0..parts.len() {
            let next = parts.get(k + 1);
            let raw = move |i: usize| rows[base + i].raw_values();
            let (merged, converted) = rayon::join(
                || merge_batch(*source_ix, &file, h, plan, pending, &raw, out, merger, stats),
                || next.map(|p| convert_rows(plan, p)),
            );
            merged?;
            base += parts[k].len();
            match converted {
                Some(mut c) => {
                    // Clients the merge just added are in the index now.
                    find_clients(&mut c, &merger.client_index);
                    pending = c;
                }
                None => break,
            }
        }
        Ok(())
    }
}

/// Chooses date formats for date columns that have none configured, from the first batch.
pub(crate) fn detect_dates<R: RawRow>(
    plan: &Plan,
    rows: &[R],
    h: &Header,
    path: &std::path::Path,
) -> Result<BTreeMap<Field, Vec<DateFormat>>, InputError> {
    let mut dates = BTreeMap::new();
    for (&field, &col) in &plan.cols {
        if !field.is_date() {
            continue;
        }
        let configured =
            plan.map.date_formats.get(&field).cloned().unwrap_or_else(|| plan.map.default_date_formats.clone());
        if !configured.is_empty() {
            dates.insert(field, configured);
            continue;
        }
        let mut samples = Vec::new();
        for r in rows.iter().take(20_000) {
            if let CellRef::Text(s) = r.cell(col) {
                if !s.trim().is_empty() {
                    samples.push(s.to_string());
                }
            }
        }
        let formats = if samples.is_empty() {
            vec![plan.map.excel_epoch.clone()]
        } else {
            let f = parse::detect_date_format(&samples).map_err(|e| {
                InputError::at(
                    path,
                    h.layout.location(h.line, Some(col)),
                    e,
                    "set date_formats = [\"%d/%m/%Y\"] (or the format the file uses) in the mapping",
                )
                .with_column(h.names.get(col).cloned().unwrap_or_default())
            })?;
            // Numeric cells in a text-dated sheet column are still serial dates.
            vec![f, plan.map.excel_epoch.clone()]
        };
        dates.insert(field, formats);
    }
    Ok(dates)
}

fn convert_rows<'r, R: RawRow>(plan: &'r Plan, rows: &'r [R]) -> Vec<(u32, Result<Row<'r>, RowError>)> {
    rows.par_iter().map(|r| (r.line(), convert(plan, r))).collect()
}

/// Looks the rows' clients up, in parallel, which takes that work off the sequential merge;
/// each chunk's table slots are prefetched first, so the lookups overlap instead of waiting
/// in turn.
fn find_clients(rows: &mut [(u32, Result<Row<'_>, RowError>)], clients: &ClientIndex) {
    rows.par_chunks_mut(64).for_each(|chunk| {
        for (_, row) in chunk.iter() {
            if let Ok(Row::Doc(c, _) | Row::Pay(c, _)) = row {
                clients.prefetch(&c.id);
            }
        }
        for (_, row) in chunk.iter_mut() {
            if let Ok(Row::Doc(c, _) | Row::Pay(c, _)) = row {
                c.known = clients.get(&c.id);
            }
        }
    });
}

#[allow(clippy::too_many_arguments)]
fn merge_batch(
    source_ix: u16,
    file: &str,
    h: &Header,
    plan: &Plan,
    rows: Vec<(u32, Result<Row<'_>, RowError>)>,
    // The raw values of row i of the batch, made only for rows that are rejected.
    raw: &dyn Fn(usize) -> String,
    out: &mut Ingested,
    merger: &mut Merger,
    stats: &mut SourceStats,
) -> Result<(), InputError> {
    let too_big =
        |e: String| InputError::file(Path::new(file), e, "split the input into smaller runs (for example per year)");
    for (i, (line, res)) in rows.into_iter().enumerate() {
        stats.rows_read += 1;
        let location = |col: Option<usize>| h.layout.location(line, col);
        let mut reject = |stats: &mut SourceStats,
                          column: Option<usize>,
                          value: String,
                          reason: String,
                          benign: bool,
                          amount: Option<(Currency, i64)>| {
            stats.rejected += 1;
            if benign {
                stats.rejected_benign += 1;
            }
            match amount {
                Some((cur, a)) => {
                    totals_mut(stats, cur).reject(a);
                }
                None if !benign => stats.rejected_without_amount += 1,
                None => {}
            }
            out.rejects.push(Reject {
                source: file.to_string(),
                location: location(column),
                column: column.and_then(|c| plan.header.get(c).cloned()).unwrap_or_default(),
                value,
                reason,
                raw: raw(i),
                line,
                benign,
                amount,
            });
        };
        let origin = Origin { source: source_ix, line };
        match res {
            Err(e) => reject(stats, e.column, e.value, e.reason, e.benign, e.amount),
            Ok(Row::Blank) => reject(stats, None, String::new(), "blank row".into(), true, None),
            Ok(Row::Ignored(t)) => reject(
                stats,
                plan.cols.get(&Field::DocType).copied(),
                t.clone(),
                format!("document type '{t}' is ignored by the mapping"),
                true,
                None,
            ),
            Ok(Row::Doc(c, d)) => {
                let mut company_warnings = Vec::new();
                let client = merger.client(&c, &mut company_warnings);
                for (_, message) in company_warnings {
                    let location = location(plan.cols.get(&Field::CompanyNumber).copied());
                    out.warnings.push(Warning {
                        kind: "invalid_company_number",
                        source: file.to_string(),
                        location,
                        message,
                    });
                }
                let id: Cow<'_, str> = d.id;
                // Duplicate ids are found after reading, per client (see `dedupe`).
                let doc_ix = out.ledger.documents.len() as u32;
                if let Some((date, paid)) = d.settled {
                    merger.settled.push((doc_ix, date, paid, out.ledger.payments.len() as u32));
                }
                if d.written < 0 {
                    merger.written_neg.push(doc_ix);
                }
                totals_mut(stats, d.currency).accept(d.written);
                stats.accepted += 1;
                match d.kind {
                    DocKind::Invoice => stats.invoices += 1,
                    DocKind::CreditNote => stats.credit_notes += 1,
                }
                let texts = &mut out.ledger.texts;
                let id_ref = texts.push(&id).map_err(too_big)?;
                let reference = d.reference.map(|r| texts.push(&r)).transpose().map_err(too_big)?;
                if let Some((date, amount)) = d.settled {
                    stats.payments += 1;
                    out.ledger.payments.push(Payment {
                        client,
                        id: texts.push_parts(&[&id, "/settled"]).map_err(too_big)?,
                        date,
                        amount,
                        currency: d.currency,
                        reference: Some(id_ref),
                        origin,
                    });
                }
                out.ledger.documents.push(Document {
                    client,
                    id: id_ref,
                    kind: d.kind,
                    issue: d.issue,
                    due: d.due,
                    amount: d.amount,
                    currency: d.currency,
                    reference,
                    disputed: d.disputed,
                    origin,
                });
            }
            Ok(Row::Pay(c, p)) => {
                let mut company_warnings = Vec::new();
                let client = merger.client(&c, &mut company_warnings);
                for (_, message) in company_warnings {
                    let location = location(plan.cols.get(&Field::CompanyNumber).copied());
                    out.warnings.push(Warning {
                        kind: "invalid_company_number",
                        source: file.to_string(),
                        location,
                        message,
                    });
                }
                totals_mut(stats, p.currency).accept(p.written);
                stats.accepted += 1;
                stats.payments += 1;
                let texts = &mut out.ledger.texts;
                let id = match p.id {
                    Some(id) => texts.push(&id),
                    None => {
                        merger.made_pay_ids.push(out.ledger.payments.len() as u32);
                        texts.push(&format!("{}:{}", source_ix + 1, line))
                    }
                }
                .map_err(too_big)?;
                let reference = p.reference.map(|r| texts.push(&r)).transpose().map_err(too_big)?;
                out.ledger.payments.push(Payment {
                    client,
                    id,
                    date: p.date,
                    amount: p.amount,
                    currency: p.currency,
                    reference,
                    origin,
                });
            }
        }
    }
    Ok(())
}

/// The control totals of one currency, without allocating a key for every row.
fn totals_mut(stats: &mut SourceStats, cur: Currency) -> &mut Totals {
    let i = match stats.pending_totals.iter().position(|(c, _)| *c == cur) {
        Some(i) => i,
        None => {
            stats.pending_totals.push((cur, Totals::default()));
            stats.pending_totals.len() - 1
        }
    };
    &mut stats.pending_totals[i].1
}

/// One row seen through its plan: typed access to the mapped fields, with errors that name
/// the column and the raw value.
pub(crate) struct RowView<'r, R: RawRow> {
    pub(crate) plan: &'r Plan,
    pub(crate) row: &'r R,
}

impl<'r, R: RawRow> RowView<'r, R> {
    pub(crate) fn cell(&self, f: Field) -> CellRef<'r> {
        match self.plan.by_field[f as usize] {
            Some(c) => self.row.cell(c),
            None => match &self.plan.fixed[f as usize] {
                Some(v) => CellRef::Text(v.as_str()),
                None => CellRef::Empty,
            },
        }
    }

    pub(crate) fn err(&self, f: Field, reason: String) -> RowError {
        RowError {
            benign: false,
            column: self.plan.by_field[f as usize],
            value: self.cell(f).display(),
            reason,
            amount: None,
        }
    }

    pub(crate) fn text(&self, f: Field) -> Option<Cow<'r, str>> {
        let c = self.cell(f);
        if c.is_empty() {
            return None;
        }
        let mut t: Cow<'r, str> = match c {
            CellRef::Text(s) => Cow::Borrowed(table::trim(s)),
            // Identifiers from spreadsheets arrive as numbers: 611365.0 is "611365".
            CellRef::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => Cow::Owned(format!("{}", v as i64)),
            other => Cow::Owned(other.display().trim().to_string()),
        };
        if let Some(&width) = self.plan.map.zero_pad.get(&f) {
            if t.len() < width && t.bytes().all(|b| b.is_ascii_digit()) {
                t = Cow::Owned(format!("{t:0>width$}"));
            }
        }
        Some(t)
    }

    pub(crate) fn required(&self, f: Field) -> Result<Cow<'r, str>, RowError> {
        self.text(f).ok_or_else(|| {
            let row = self.row;
            let looks_total = (0..row.width()).any(|i| {
                let v = row.cell(i).display().to_lowercase();
                let v = v.trim();
                v.starts_with("total")
                    || v.starts_with("totaal")
                    || v.starts_with("grand total")
                    || v.starts_with("somme")
            });
            if looks_total {
                RowError { benign: true, ..self.err(f, format!("a total row, not a document ({} is empty)", f.name())) }
            } else {
                self.err(f, format!("{} is empty", f.name()))
            }
        })
    }

    pub(crate) fn date(&self, f: Field) -> Result<Option<NaiveDate>, RowError> {
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
            None => Err(self.err(
                f,
                format!(
                    "not a date in the expected format ({})",
                    formats.iter().map(|f| f.describe()).collect::<Vec<_>>().join(" or ")
                ),
            )),
        }
    }

    pub(crate) fn amount(&self, f: Field, currency: Currency) -> Result<Option<i64>, RowError> {
        match self.cell(f) {
            CellRef::Number(v) => {
                parse::amount_from_f64(v, currency.minor_digits()).map(Some).map_err(|e| self.err(f, e))
            }
            CellRef::Text(s) if !table::trim(s).is_empty() => {
                parse::parse_amount(s, self.plan.map.number, currency.minor_digits())
                    .and_then(|v| parse::check_magnitude(v, currency.minor_digits()))
                    .map(Some)
                    .map_err(|e| self.err(f, e))
            }
            _ => Ok(None),
        }
    }

    /// A plain number (a score): a decimal in the source's notation.
    pub(crate) fn number(&self, f: Field) -> Result<Option<f64>, RowError> {
        match self.cell(f) {
            CellRef::Number(v) => Ok(Some(v)),
            CellRef::Text(s) if !table::trim(s).is_empty() => parse::parse_amount(s, self.plan.map.number, 6)
                .map(|v| Some(v as f64 / 1e6))
                .map_err(|e| self.err(f, e)),
            _ => Ok(None),
        }
    }

    pub(crate) fn currency(&self) -> Result<Currency, RowError> {
        match self.text(Field::Currency) {
            Some(c) => Currency::parse(&c)
                .ok_or_else(|| self.err(Field::Currency, "not a currency code (expected e.g. EUR)".into())),
            None => Ok(self.plan.opts.default_currency),
        }
    }
}

/// A row with more fields than the header, whose values would be shifted.
pub(crate) fn shifted<R: RawRow>(plan: &Plan, row: &R) -> Option<RowError> {
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
fn convert<'r, R: RawRow>(plan: &'r Plan, row: &'r R) -> Result<Row<'r>, RowError> {
    if row.is_blank() {
        return Ok(Row::Blank);
    }
    if let Some(e) = shifted(plan, row) {
        return Err(e);
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
    let client_id = v.required(Field::ClientId)?;
    let mut amount =
        v.amount(Field::Amount, currency)?.ok_or_else(|| v.err(Field::Amount, "amount is empty".into()))?;
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
    let date_value = v
        .date(Field::Date)
        .map_err(with_amount)?
        .ok_or_else(|| with_amount(v.err(Field::Date, "date is empty".into())))?;
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
        },
    ))
}
