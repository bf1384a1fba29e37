//! The sequential side of ingestion: converted rows merged into the ledger in file order,
//! clients interned, rejected rows accounted for.

use super::client_index::ClientIndex;
use super::convert::{ClientFields, Row, RowError};
use super::error::InputError;
use super::ingested::Ingested;
use super::mapping::Field;
use super::plan::Plan;
use super::stats::{SourceStats, Warning, totals_mut};
use super::table::{Header, Layout};
use crate::model::{Client, ClientIx, DocKind, Document, Origin, Payment, TextsFull};
use chrono::NaiveDate;
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// The sequential side of ingestion: clients interned, duplicate document ids found.
#[derive(Default)]
pub(super) struct Merger {
    pub(super) clients: Vec<Client>,
    pub(super) client_index: ClientIndex,
    /// Clients whose company number was reported invalid (once each).
    bad_company: FxHashSet<ClientIx>,
    /// Per client: the name is known; the company number is known or was reported invalid.
    /// Small and hot, so the common row (a known, complete client) touches nothing else.
    name_done: Vec<bool>,
    company_done: Vec<bool>,
    /// Documents whose row carried a settlement, in document order: (document, settled date,
    /// amount paid, the payment derived from it). Part of a document's fingerprint. Kept
    /// only for the rows that have one, so a file of invoices costs nothing here.
    pub(super) settled: Vec<(u32, NaiveDate, i64, u32)>,
    /// Documents whose amount was written negative, in order (for the control totals).
    pub(super) written_neg: Vec<u32>,
    /// Per source: how places in it are named, and the header of its document-id column.
    pub(super) layouts: BTreeMap<u16, Layout>,
    pub(super) id_columns: BTreeMap<u16, String>,
    /// Payments whose row had no id (arwatch made one of source and line), in order.
    pub(super) made_pay_ids: Vec<u32>,
    /// Sources whose payments are written negative (their sign was turned on reading).
    pub(super) flipped_payments: FxHashSet<u16>,
    /// Invoices whose row names a payment term: where each was read, and the term.
    pub(super) terms: Vec<(Origin, u16)>,
    /// Rows of exports written one row per instalment that give the invoice's whole amount:
    /// (document index, that amount), in document order.
    pub(super) line_totals: Vec<(u32, i64)>,
}

impl Merger {
    /// How a row is named in messages: `line 12` or `sheet 'X' row 12`.
    pub(super) fn place(&self, o: Origin) -> String {
        match self.layouts.get(&o.source) {
            Some(layout) => layout.location(o.line, None),
            None => format!("line {}", { o.line }),
        }
    }

    /// Where the first of two repeated rows is: its place, with its file when that is another.
    pub(super) fn first_place(&self, sources: &[String], first: Origin, this: Origin) -> String {
        if first.source == this.source {
            self.place(first)
        } else {
            format!("{} {}", sources[first.source as usize], self.place(first))
        }
    }

    /// The whole invoice amount an instalment row gives, if its export has that column.
    pub(super) fn line_total_of(&self, doc: u32) -> Option<i64> {
        let i = self.line_totals.binary_search_by_key(&doc, |s| s.0).ok()?;
        Some(self.line_totals[i].1)
    }

    pub(super) fn settled_of(&self, doc: u32) -> Option<(NaiveDate, i64, u32)> {
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
        if client.name.is_empty()
            && let Some(n) = &c.name
        {
            client.name = n.to_string();
        }
        if client.company_number.is_none()
            && let Some(raw) = &c.company
            && !self.bad_company.contains(&ix)
        {
            match crate::model::company_number::normalise_company_number(raw) {
                Ok(n) => client.company_number = Some(n),
                Err(e) => {
                    self.bad_company.insert(ix);
                    warnings
                        .push((ix, format!("client {}: invalid company number: {e}; it will not be matched", c.id)));
                }
            }
        }
        self.name_done[i] = !client.name.is_empty();
        self.company_done[i] = client.company_number.is_some() || self.bad_company.contains(&ix);
        ix
    }
}

/// Merges a converted batch into the ledger in file order: clients interned, rows counted on
/// their input's side of the reconciliation, rejected rows recorded.
// Long on purpose: the sequential step of ingestion, one match per row; splitting the arms
// would pass the row's borrowed fields and the counters through calls on the hottest path.
// Its arguments are the batch's context (source, header, plan, raw values) and the three
// things it fills (ledger, merger, reconciliation).
#[allow(clippy::too_many_arguments)]
pub(super) fn merge_batch(
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
    let too_big = |e: TextsFull| {
        InputError::file(Path::new(file), e.to_string(), "split the input into smaller runs (for example per year)")
    };
    let company_column = plan.cols.get(&Field::CompanyNumber).copied();
    for (i, (line, res)) in rows.into_iter().enumerate() {
        stats.rows_read += 1;
        let location = |col: Option<usize>| h.layout.location(line, col);
        let mut reject = |stats: &mut SourceStats, e: RowError| {
            stats.reject(&mut out.rejects, e.into_reject(file, h, &plan.header, line, raw(i)));
        };
        let origin = Origin { source: source_ix, line };
        match res {
            Err(e) => reject(stats, e),
            Ok(Row::Blank) => reject(stats, RowError::benign(None, String::new(), "blank row".into())),
            Ok(Row::Ignored(t)) => {
                let reason = format!("document type '{t}' is ignored by the mapping");
                reject(stats, RowError::benign(plan.cols.get(&Field::DocType).copied(), t, reason))
            }
            Ok(Row::Doc(c, d)) => {
                let client = client_of(merger, &c, &mut out.warnings, file, || location(company_column));
                let id: Cow<'_, str> = d.id;
                // Duplicate ids are found after reading, per client (see `dedupe`).
                let doc_ix = out.ledger.documents.len() as u32;
                if let Some((date, paid)) = d.settled {
                    merger.settled.push((doc_ix, date, paid, out.ledger.payments.len() as u32));
                }
                if d.written < 0 {
                    merger.written_neg.push(doc_ix);
                }
                if let Some(t) = d.term {
                    merger.terms.push((origin, t));
                }
                if let Some(t) = d.total {
                    merger.line_totals.push((doc_ix, t));
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
                    instalment: 0,
                    origin,
                });
            }
            Ok(Row::Pay(c, p)) => {
                let client = client_of(merger, &c, &mut out.warnings, file, || location(company_column));
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

/// The row's client, interned; an invalid company number met here for the first time is a
/// warning (once per client), placed at `place()`.
fn client_of(
    merger: &mut Merger,
    c: &ClientFields<'_>,
    warnings: &mut Vec<Warning>,
    file: &str,
    place: impl Fn() -> String,
) -> ClientIx {
    let mut company_warnings = Vec::new();
    let client = merger.client(c, &mut company_warnings);
    for (_, message) in company_warnings {
        warnings.push(Warning { kind: "invalid_company_number", source: file.to_string(), location: place(), message });
    }
    client
}
