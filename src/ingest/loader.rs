//! Reads one input: its table streamed in batches, each batch converted in parallel while
//! the previous one is merged.

use super::client_index::ClientIndex;
use super::convert::{Row, RowError, convert};
use super::error::InputError;
use super::ingested::Ingested;
use super::mapping::{Field, Resolved, RowKind, normalise_header};
use super::merge::{Merger, merge_batch};
use super::plan::{Plan, detect_dates};
use super::spec::{IngestOptions, InputSpec};
use super::stats::{SourceStats, account_extent, layout_label};
use super::table::{self, Batch, Header, RawRow};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::borrow::Cow;

pub(super) fn ingest_one(
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
    if map.rows == RowKind::Log {
        return Err(InputError::file(
            path,
            "a collector's log mapping (rows = \"log\") is listed under [[inputs]]",
            "list the log under [[log_inputs]] in the configuration",
        ));
    }
    if map.rows == RowKind::Schedule {
        return Err(InputError::file(
            path,
            "a payment-schedule mapping (rows = \"schedule\") is listed under [[inputs]]",
            "list the schedule file under [[schedule_inputs]] in the configuration",
        ));
    }
    let file = crate::platform::portable(path);
    let mut loader = Loader {
        source_ix,
        input,
        map,
        opts,
        stats: SourceStats::ledger(file.clone()),
        plan: None,
        out,
        merger,
        progress,
        expected_rows: None,
        title: None,
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
    /// In a report grouped by client, the title of the block being read.
    title: Option<String>,
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
        self.stats.stated_date = stated_date(&h.banner);
        self.merger.layouts.insert(self.source_ix, h.layout.clone());
        let plan = Plan::new(self.input, &self.map, self.opts, h)?;
        if let Some(&c) = plan.cols.get(&Field::DocumentId) {
            self.merger.id_columns.insert(self.source_ix, h.names[c].clone());
        }
        if self.map.payments_negative && self.map.rows == RowKind::Ledger {
            self.merger.flipped_payments.insert(self.source_ix);
        }
        // The first block's title sits just above the header.
        if self.map.grouped && h.above.len() == 1 {
            self.title = Some(h.above[0].clone());
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
        let Loader { source_ix, input, plan, out, merger, stats, progress, title, map, .. } = self;
        let plan: &Plan = plan.as_ref().expect("the header comes first");
        let file = crate::platform::portable(&input.path);
        progress(rows.len() as u64);
        let parts: Vec<&[R]> = rows.chunks(rows.len().div_ceil(PARTS).max(1)).collect();
        let Some(first) = parts.first() else { return Ok(()) };
        let mut pending = convert_rows(plan, first);
        if map.grouped {
            group_rows(plan, first, &mut pending, title, &h.names);
        }
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
                    if map.grouped {
                        group_rows(plan, parts[k + 1], &mut c, title, &h.names);
                    }
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

/// A report grouped by client, in file order: a title row (one text cell) opens a block and
/// names its client; the header repeated under it is no data; the block's rows take the
/// title as their client when no column gives it.
fn group_rows<'r, R: RawRow>(
    plan: &Plan,
    rows: &'r [R],
    results: &mut [(u32, Result<Row<'r>, RowError>)],
    title: &mut Option<String>,
    header: &[String],
) {
    let client_from_titles = plan.map.client_from_titles;
    let empty = |r: &R, f: Field| plan.by_field[f as usize].is_none_or(|c| r.cell(c).is_empty());
    for (r, (_, res)) in rows.iter().zip(results.iter_mut()) {
        let filled: Vec<usize> = (0..r.width()).filter(|&i| !r.cell(i).is_empty()).collect();
        if let [only] = filled[..]
            && res.is_err()
            && matches!(r.cell(only), table::CellRef::Text(t) if t.chars().any(char::is_alphabetic))
        {
            let t = r.cell(only).display().trim().to_string();
            *res = Err(RowError::benign(Some(only), t.clone(), "a group title: the client of the rows below".into()));
            *title = Some(t);
            continue;
        }
        let same =
            |i: usize| header.get(i).is_some_and(|h| normalise_header(h) == normalise_header(&r.cell(i).display()));
        if filled.len() >= 2 && filled.iter().all(|&i| same(i)) {
            *res = Err(RowError::benign(None, String::new(), "the header again, under a group title".into()));
            continue;
        }
        // No document and no date, but figures: a block's subtotal or ending balance.
        if res.is_err() && empty(r, Field::DocumentId) && empty(r, Field::Date) && !filled.is_empty() {
            *res = Err(RowError::benign(None, String::new(), "a group's subtotal or ending balance".into()));
            continue;
        }
        if !client_from_titles {
            continue;
        }
        if let Ok(Row::Doc(c, _) | Row::Pay(c, _)) = res {
            match title {
                Some(t) => {
                    c.id = Cow::Owned(t.clone());
                    c.name.get_or_insert_with(|| Cow::Owned(t.clone()));
                }
                None => {
                    *res = Err(RowError {
                        benign: false,
                        column: None,
                        value: String::new(),
                        reason: "no group title above this row names its client".into(),
                        amount: None,
                    })
                }
            }
        }
    }
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

/// The date an export states in the lines above its header ("Export 31/07/2026", "Periode
/// 01/01/2026 - 31/07/2026", "Stand per 2026-07-31 10:02"): the latest date written there,
/// read as ISO or day first, as Belgian and Dutch exports write them.
pub(super) fn stated_date(banner: &[String]) -> Option<NaiveDate> {
    const FORMATS: [&str; 4] = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"];
    banner
        .iter()
        .flat_map(|line| line.split(|c: char| c.is_whitespace() || matches!(c, ';' | ',' | '|' | '"' | '(' | ')')))
        .filter(|t| t.len() >= 8)
        .filter_map(|t| {
            // A whole token, or one with a time after `T` (`2026-07-31T10:02`): `31-07-2026` is
            // never the year 31.
            FORMATS.iter().find_map(|f| match NaiveDate::parse_and_remainder(t, f) {
                Ok((d, rest)) if rest.is_empty() || rest.starts_with('T') => Some(d),
                _ => None,
            })
        })
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
        .max()
}

/// Reads inputs of one date (or none) into one ledger, input by input, then checks the
/// whole: plausibility, repeats, size.
pub(super) fn ingest_all(
    inputs: &[InputSpec],
    opts: &IngestOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Ingested, InputError> {
    let mut out = Ingested::default();
    let mut merger = Merger::default();
    for (source_ix, input) in inputs.iter().enumerate() {
        let stats = ingest_one(source_ix as u16, input, opts, &mut out, &mut merger, progress)?;
        out.ledger.sources.push(crate::platform::portable(&input.path));
        out.stats.push(stats);
    }
    out.ledger.clients = std::mem::take(&mut merger.clients);
    super::plausibility::check(&mut out, &merger, inputs);
    let rows = super::dedupe::dedupe(&mut out, &merger, inputs)?;
    let plans = super::schedule::by_place(&out.ledger.documents, &opts.payment_terms, &merger.terms, rows);
    super::schedule::expand(&mut out.ledger.documents, plans);
    super::stats::check_ledger_size(&out.stats)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_s_stated_date_is_the_latest_date_above_its_header() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(stated_date(&lines(&["Openstaande posten", "Export 31/07/2026"])), Some(d("2026-07-31")));
        assert_eq!(stated_date(&lines(&["Periode 01/01/2026 - 30-06-2026;;"])), Some(d("2026-06-30")));
        assert_eq!(stated_date(&lines(&["Stand per 2026-07-31T10:02"])), Some(d("2026-07-31")));
        assert_eq!(stated_date(&lines(&["Klant 1023, factuur 20260731"])), None);
        assert_eq!(stated_date(&lines(&["Grootboek 31-07-26"])), None);
        assert_eq!(stated_date(&[]), None);
    }
}
