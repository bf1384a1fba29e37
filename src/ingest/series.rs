//! A series of open-items snapshots read as one ledger. Each date's lists are read on their
//! own; then every document is kept from the first snapshot that shows it (its open amount
//! then is its amount), and each change of what is open between two snapshots becomes a
//! payment dated at the later one: an item gone was settled, an item lower was paid in part,
//! an item higher (or a credit gone) is a reversal. Balances at every snapshot date are then
//! exactly what the lists say.

use super::error::InputError;
use super::ingested::Ingested;
use super::loader::ingest_all;
use super::spec::{IngestOptions, InputSpec};
use crate::model::{Client, ClientIx, DocKind, Document, Ledger, Origin, Payment, TextsFull};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Reads the snapshots of `inputs` (every one has a `snapshot`), oldest first.
pub(super) fn ingest_series(
    inputs: &[InputSpec],
    opts: &IngestOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Ingested, InputError> {
    let mut by_date: BTreeMap<NaiveDate, Vec<InputSpec>> = BTreeMap::new();
    for i in inputs {
        by_date.entry(i.snapshot.expect("a series holds snapshots")).or_default().push(i.clone());
    }
    let mut parts = Vec::new();
    for (date, specs) in &by_date {
        parts.push((*date, ingest_all(specs, opts, progress)?));
    }
    combine(parts)
}

/// A document: its client, its id, and for an instalment its due date (each instalment of an
/// invoice is an item of its own, however the lists number them).
type Key = (ClientIx, String, Option<NaiveDate>);

/// A document as one date's lists show it: its signed open amount, where, and the row.
type Sight<'a> = (i64, Origin, &'a Document);

/// What is open of one document at one snapshot.
struct Open {
    /// Its index among the combined documents.
    doc: usize,
    /// Its open amount, signed: a credit is negative.
    signed: i64,
}

/// Numbers the instalments of each invoice 1 to n in due order and puts them in that order
/// in the ledger (an invoice seen with one open instalment only is an invoice of its own), so
/// that a payment naming the invoice settles them in due order.
fn number_instalments(ledger: &mut Ledger) {
    let mut groups: BTreeMap<(ClientIx, &str), Vec<usize>> = BTreeMap::new();
    for (i, d) in ledger.documents.iter().enumerate().filter(|(_, d)| d.instalment > 0) {
        groups.entry((d.client, ledger.texts.get(d.id))).or_default().push(i);
    }
    let groups: Vec<Vec<usize>> = groups.into_values().collect();
    for places in groups {
        let mut docs: Vec<Document> = places.iter().map(|&i| ledger.documents[i].clone()).collect();
        docs.sort_by_key(|d| d.due);
        let n = docs.len();
        for (k, (&i, d)) in places.iter().zip(docs).enumerate() {
            let instalment = if n == 1 { 0 } else { (k + 1).min(super::schedule::MAX_INSTALMENTS) as u8 };
            ledger.documents[i] = Document { instalment, ..d };
        }
    }
}

/// The ledger of a series: documents from their first snapshot, payments from the changes.
// Long on purpose: one pass over the snapshots in date order, each step reading as the rule
// in the module's comment.
fn combine(parts: Vec<(NaiveDate, Ingested)>) -> Result<Ingested, InputError> {
    let mut out = Ingested::default();
    let mut clients: HashMap<String, ClientIx> = HashMap::new();
    let mut open: HashMap<Key, Open> = HashMap::new();
    let mut previous: Option<NaiveDate> = None;
    let full = |e: TextsFull| InputError::file(Path::new("snapshots"), e.to_string(), "run fewer snapshots at once");
    for (date, part) in parts {
        let Ingested { ledger, rejects, warnings, stats } = part;
        let offset = out.ledger.sources.len() as u16;
        out.ledger.sources.extend(ledger.sources.iter().cloned());
        out.stats.extend(stats);
        out.rejects.extend(rejects);
        out.warnings.extend(warnings);
        let Ledger { clients: part_clients, documents, texts, .. } = ledger;
        // Clients by their id, the first name and company number found kept.
        let ix: Vec<ClientIx> = part_clients
            .iter()
            .map(|c| {
                *clients.entry(c.id.clone()).or_insert_with(|| {
                    out.ledger.clients.push(Client {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        company_number: c.company_number.clone(),
                    });
                    (out.ledger.clients.len() - 1) as ClientIx
                })
            })
            .collect();
        let mut now: HashMap<Key, Sight> = HashMap::new();
        // Whether the lists before held instalments at all: without, no document needs looking up.
        let instalments_open = open.keys().any(|k| k.2.is_some());
        for d in &documents {
            let signed = if d.kind == DocKind::CreditNote { -d.amount } else { d.amount };
            let origin = Origin { source: d.origin.source + offset, line: d.origin.line };
            let (client, id) = (ix[d.client as usize], texts.get(d.id).to_string());
            // The last open instalment of an invoice is listed alone, like an invoice.
            let due = (d.instalment > 0 || instalments_open && open.contains_key(&(client, id.clone(), Some(d.due))))
                .then_some(d.due);
            let key = (client, id, due);
            let e = now.entry(key).or_insert((0, origin, d));
            e.0 += signed;
        }
        // Changes of what stays open or disappears.
        let mut keys: Vec<&Key> = open.keys().collect();
        keys.sort();
        let mut payments = Vec::new();
        for key in keys {
            let was = &open[key];
            let (is, origin) = now.get(key).map_or((0, Origin { source: offset, line: 0 }), |(s, o, _)| (*s, *o));
            let paid = was.signed - is;
            if paid != 0 {
                let doc = &out.ledger.documents[was.doc];
                payments.push((key.0, key.1.clone(), paid, doc.currency, origin));
            }
        }
        // Paid some day after the earlier snapshot and by the later one: dated halfway.
        let paid_on = previous.map_or(date, |p| p + chrono::Duration::days((date - p).num_days() / 2));
        for (client, id, amount, currency, origin) in payments {
            let id_ref = out.ledger.texts.push_parts(&[&id, "@", &date.to_string()]).map_err(full)?;
            let reference = out.ledger.texts.push(&id).map_err(full)?;
            out.ledger.payments.push(Payment {
                client,
                id: id_ref,
                date: paid_on,
                amount,
                currency,
                reference: Some(reference),
                origin,
            });
        }
        previous = Some(date);
        // New documents, kept from this first sight; every open amount now.
        let mut seen: Vec<(&Key, &Sight)> = now.iter().collect();
        seen.sort_by_key(|(_, (_, o, _))| (o.source, o.line));
        let mut next: HashMap<Key, Open> = HashMap::new();
        for (key, (signed, origin, d)) in seen {
            let doc = match open.get(key) {
                Some(o) => o.doc,
                None => {
                    let id = out.ledger.texts.push(&key.1).map_err(full)?;
                    let reference =
                        d.reference.map(|r| out.ledger.texts.push(texts.get(r))).transpose().map_err(full)?;
                    out.ledger.documents.push(Document {
                        client: key.0,
                        id,
                        kind: if *signed < 0 { DocKind::CreditNote } else { DocKind::Invoice },
                        issue: d.issue,
                        due: d.due,
                        amount: signed.abs(),
                        currency: d.currency,
                        reference,
                        disputed: d.disputed,
                        // Numbered once the series is read.
                        instalment: u8::from(d.instalment > 0),
                        origin: *origin,
                    });
                    out.ledger.documents.len() - 1
                }
            };
            out.ledger.documents[doc].disputed = d.disputed;
            next.insert(key.clone(), Open { doc, signed: *signed });
        }
        // Documents gone stay in the ledger, settled by the payments above.
        open = next;
    }
    number_instalments(&mut out.ledger);
    Ok(out)
}
