//! Disputes with dates from the collector's log: a document disputed from the day a dispute
//! was opened until the day it was resolved. An open dispute at the as-of date marks the
//! document disputed like the ledger's own flag, so the reminders, the handover and the
//! forecast treat it alike (docs/metrics.md, "Disputes").

use crate::ingest::Warning;
use crate::ingest::log::LogEvent;
use crate::ingest::mapping::LogKind;
use crate::model::{ClientIx, DocKind, Ledger};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The disputes open at the as-of date: by client and document, the day each was opened.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Disputes {
    /// (client, document id) → the day the dispute still open at the as-of date was opened.
    pub open: BTreeMap<(ClientIx, String), NaiveDate>,
    /// Disputes about documents the ledger does not have.
    pub warnings: Vec<Warning>,
    /// `open` by client, then document: looked up for every open invoice without copying its id.
    by_client: BTreeMap<ClientIx, BTreeMap<String, NaiveDate>>,
}

impl Disputes {
    /// Days the document has been in dispute at `as_of`; `None` when the log has no open
    /// dispute about it (a ledger flag alone has no date).
    pub fn days(&self, client: ClientIx, document_id: &str, as_of: NaiveDate) -> Option<i64> {
        // Asked for every open invoice (1.3 million at 10 million invoices): nothing copied.
        self.by_client.get(&client)?.get(document_id).map(|d| (as_of - *d).num_days())
    }
}

/// Replays the log's disputes dated on or before `as_of` in date order (a dispute opened again
/// while open keeps its first day; one resolved while none is open changes nothing) and marks
/// the invoices still in dispute at `as_of` disputed in `ledger`. `sources` names every input
/// by its number, for the warnings.
pub fn apply(ledger: &mut Ledger, sources: &[String], events: &[LogEvent], as_of: NaiveDate) -> Disputes {
    let mut out = Disputes::default();
    let mut seen: Vec<&LogEvent> = events
        .iter()
        .filter(|e| matches!(e.kind, LogKind::DisputeOpened | LogKind::DisputeResolved) && e.date <= as_of)
        .collect();
    if seen.is_empty() {
        return out;
    }
    // Stable: events of one day keep the log's order.
    seen.sort_by_key(|e| e.date);
    let mut first: BTreeMap<(ClientIx, String), &LogEvent> = BTreeMap::new();
    for e in seen {
        let key = (e.client, e.document_id.clone().unwrap_or_default());
        first.entry(key.clone()).or_insert(e);
        match e.kind {
            LogKind::DisputeOpened => {
                out.open.entry(key).or_insert(e.date);
            }
            _ => {
                out.open.remove(&key);
            }
        }
    }
    // One pass over the ledger's invoices, comparing ids without copying them.
    let named: std::collections::HashMap<(ClientIx, &str), bool> =
        first.keys().map(|(c, id)| ((*c, id.as_str()), out.open.contains_key(&(*c, id.clone())))).collect();
    let mut found = std::collections::BTreeSet::new();
    let texts = &ledger.texts;
    for d in ledger.documents.iter_mut().filter(|d| d.kind == DocKind::Invoice) {
        if let Some((&key, &open)) = named.get_key_value(&(d.client, texts.get(d.id))) {
            d.disputed |= open;
            found.insert(key);
        }
    }
    let missing: Vec<(ClientIx, String)> =
        first.keys().filter(|(c, id)| !found.contains(&(*c, id.as_str()))).cloned().collect();
    for key in &missing {
        let e = first[key];
        let (source, line) = (e.origin.source, e.origin.line);
        out.warnings.push(Warning {
            kind: "log_unknown_document",
            source: sources.get(source as usize).cloned().unwrap_or_default(),
            location: format!("line {line}"),
            message: format!("the dispute names invoice {}, which the ledger does not have for this client", key.1),
        });
        out.open.remove(key);
    }
    for ((client, id), day) in &out.open {
        out.by_client.entry(*client).or_default().insert(id.clone(), *day);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Client, Currency, Document, Origin, Texts};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ledger() -> Ledger {
        let mut texts = Texts::default();
        let documents = ["F1", "F2"]
            .iter()
            .map(|id| Document {
                client: 0,
                id: texts.push(id).unwrap(),
                kind: DocKind::Invoice,
                issue: d("2026-03-01"),
                due: d("2026-03-31"),
                amount: 100_00,
                currency: Currency::EUR,
                reference: None,
                disputed: false,
                origin: Origin::default(),
            })
            .collect();
        let client = Client { id: "K1".into(), name: String::new(), company_number: None };
        Ledger { sources: vec![], clients: vec![client], documents, payments: vec![], texts }
    }

    fn event(kind: LogKind, date: &str, document: &str) -> LogEvent {
        LogEvent {
            client: 0,
            date: d(date),
            kind,
            document_id: Some(document.into()),
            amount: None,
            promised: None,
            text: String::new(),
            origin: Origin::default(),
        }
    }

    #[test]
    fn spec_vectors_open_and_resolved() {
        let log = [
            event(LogKind::DisputeOpened, "2026-08-22", "F1"),
            event(LogKind::DisputeOpened, "2026-04-03", "F2"),
            event(LogKind::DisputeResolved, "2026-05-01", "F2"),
            // Opened again while open: keeps its first day.
            event(LogKind::DisputeOpened, "2026-09-01", "F1"),
            event(LogKind::DisputeOpened, "2026-09-01", "F7"),
        ];
        let mut l = ledger();
        let got = apply(&mut l, &["log.csv".into()], &log, d("2026-10-31"));
        assert_eq!(got.days(0, "F1", d("2026-10-31")), Some(70));
        assert_eq!(got.days(0, "F2", d("2026-10-31")), None);
        assert_eq!(l.documents.iter().map(|x| x.disputed).collect::<Vec<_>>(), [true, false]);
        assert_eq!(got.warnings.len(), 1, "F7 is not in the ledger");
        assert!(got.warnings[0].message.contains("invoice F7"));
        // At the end of April F2 was in dispute, 27 days; F1's dispute did not exist yet.
        let mut l = ledger();
        let april = apply(&mut l, &[], &log, d("2026-04-30"));
        assert_eq!(april.days(0, "F2", d("2026-04-30")), Some(27));
        assert_eq!(april.days(0, "F1", d("2026-04-30")), None);
        assert_eq!(l.documents.iter().map(|x| x.disputed).collect::<Vec<_>>(), [false, true]);
        // From the day it was resolved, no longer.
        let may = apply(&mut ledger(), &[], &log, d("2026-05-01"));
        assert!(may.open.is_empty());
    }
}
