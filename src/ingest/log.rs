//! Reading the collector's log (`rows = "log"`): promises to pay, disputes opened and
//! resolved, calls and notes, each row accepted or rejected with its reason like a ledger's.

use super::convert::{RowError, RowView};
use super::error::InputError;
use super::mapping::{Field, LogKind, RowKind};
use super::side::{Note, SideIngested, SideRows, ingest_side};
use super::spec::{IngestOptions, InputSpec};
use super::stats::Warning;
use super::table::RawRow;
use crate::model::{ClientIx, Money, Origin};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

/// One event of the collector's log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEvent {
    /// The client it is about.
    pub client: ClientIx,
    /// The day it happened (the promise was made, the dispute opened…).
    pub date: NaiveDate,
    /// What it is.
    pub kind: LogKind,
    /// The document it names, if any.
    pub document_id: Option<String>,
    /// The amount promised (or disputed), in the reporting currency.
    pub amount: Option<Money>,
    /// For a promise: the day the client promised to pay by.
    pub promised: Option<NaiveDate>,
    /// What was said.
    pub text: String,
    /// Where it was read.
    pub origin: Origin,
}

impl LogEvent {
    /// The warning that this row names a document the ledger does not have for its client:
    /// `names` says it ("the dispute names invoice"), then the id, then what follows
    /// (`consequence`, or ""). `sources` names every input by its number.
    pub fn unknown_document(&self, sources: &[String], names: &str, consequence: &str) -> Warning {
        let (source, line) = (self.origin.source, self.origin.line);
        let id = self.document_id.as_deref().unwrap_or_default();
        Warning {
            kind: "log_unknown_document",
            source: sources.get(source as usize).cloned().unwrap_or_default(),
            location: format!("line {line}"),
            message: format!("{names} {id}, which the ledger does not have for this client{consequence}"),
        }
    }
}

/// What reading the collector's logs gave.
pub type LogIngested = SideIngested<LogEvent>;

/// Reads every log input. `clients` finds a ledger client by its id: a log row about a client
/// the ledger does not have is rejected, never guessed. `source_base` numbers the sources after
/// the ledger's and the bureau's.
pub fn ingest_log(
    inputs: &[InputSpec],
    clients: &FxHashMap<&str, ClientIx>,
    opts: &IngestOptions,
    source_base: u16,
) -> Result<LogIngested, InputError> {
    ingest_side(inputs, &LogRows { clients, opts }, opts, source_base)
}

struct LogRows<'a> {
    clients: &'a FxHashMap<&'a str, ClientIx>,
    opts: &'a IngestOptions,
}

impl SideRows for LogRows<'_> {
    type Row = LogEvent;
    const KIND: RowKind = RowKind::Log;
    const NAMES: (&'static str, &'static str) = ("log", "[[log_inputs]]");

    fn convert<R: RawRow>(&self, v: RowView<'_, R>, origin: Origin) -> Result<(LogEvent, Option<Note>), RowError> {
        let raw_kind = v.required(Field::EventKind)?;
        let kind = v.plan.map.log_kind_of(&raw_kind).ok_or_else(|| {
            v.err(
                Field::EventKind,
                "unknown kind of log entry; add the word under [log_kinds] in the mapping (promise, dispute_opened, \
                 dispute_resolved, call, note or ignore)"
                    .into(),
            )
        })?;
        if kind == LogKind::Ignore {
            return Err(RowError::benign(None, raw_kind.to_string(), "left out by the mapping's [log_kinds]".into()));
        }
        let id = v.required(Field::ClientId)?;
        let client = *self.clients.get(id.as_ref()).ok_or_else(|| {
            v.err(
                Field::ClientId,
                "no client with this id in the ledger; check the id as the ledger writes it (leading zeros, spaces)"
                    .into(),
            )
        })?;
        let date = v.date(Field::Date)?.ok_or_else(|| v.missing(Field::Date))?;
        let currency = v.currency()?;
        let amount = v.amount(Field::Amount, currency)?;
        if amount.is_some() && currency != self.opts.default_currency {
            return Err(v.err(
                Field::Currency,
                format!("amount in {currency}, but the reporting currency is {}", self.opts.default_currency),
            ));
        }
        if amount.is_some_and(|a| a <= 0) {
            return Err(v.err(Field::Amount, "an amount in the log must be above zero".into()));
        }
        let document_id = v.text(Field::DocumentId).map(|t| t.to_string());
        let promised = v.date(Field::PromisedDate)?;
        match kind {
            LogKind::Promise => {
                let Some(by) = promised else {
                    return Err(v.err(Field::PromisedDate, "a promise needs the date it promises payment by".into()));
                };
                if by < date {
                    return Err(
                        v.err(Field::PromisedDate, format!("promised by {by}, before the promise itself ({date})"))
                    );
                }
                if amount.is_none() && document_id.is_none() {
                    return Err(
                        v.err(Field::Amount, "a promise needs the amount promised or the document it pays".into())
                    );
                }
            }
            LogKind::DisputeOpened | LogKind::DisputeResolved if document_id.is_none() => {
                return Err(v.err(Field::DocumentId, "a dispute needs the document it is about".into()));
            }
            _ => {}
        }
        let text = v.text(Field::Text).map(|t| t.to_string()).unwrap_or_default();
        let amount = amount.map(|a| Money::new(a, currency));
        Ok((LogEvent { client, date, kind, document_id, amount, promised, text, origin }, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mapping::Mapping;
    use crate::model::Currency;
    use std::io::Write;

    fn read(csv: &str, mapping: &str) -> LogIngested {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        std::fs::File::create(&path).unwrap().write_all(csv.as_bytes()).unwrap();
        let m: Mapping = toml::from_str(mapping).unwrap();
        let input = InputSpec { path, mapping: m, snapshot: None };
        let clients: FxHashMap<&str, ClientIx> = [("K1", 0), ("K2", 1)].into_iter().collect();
        let opts = IngestOptions::default();
        ingest_log(&[input], &clients, &opts, 2).unwrap()
    }

    #[test]
    fn a_log_is_read_only_where_it_belongs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        std::fs::write(&path, "Datum;Klant;Soort\n01/10/2026;K1;Belofte\n").unwrap();
        let opts = IngestOptions::default();
        let clients: FxHashMap<&str, ClientIx> = [("K1", 0)].into_iter().collect();
        // A bureau mapping under [[log_inputs]]: said, with where the file belongs.
        let bureau: Mapping = toml::from_str("rows = \"bureau\"\n[columns]\ncompany_number = 1\ndate = 2").unwrap();
        let input = InputSpec { path: path.clone(), mapping: bureau, snapshot: None };
        let e = ingest_log(&[input], &clients, &opts, 0).unwrap_err().to_string();
        assert!(e.contains("[[log_inputs]] needs a mapping with rows = \"log\""), "{e}");
        // A log mapping under [[inputs]]: said too, not read as invoices.
        let log: Mapping =
            toml::from_str("rows = \"log\"\n[columns]\ndate = \"Datum\"\nclient_id = \"Klant\"\nkind = \"Soort\"")
                .unwrap();
        let input = InputSpec { path, mapping: log, snapshot: None };
        let e = crate::ingest::ingest(&[input], &opts, &|_| {}).unwrap_err().to_string();
        assert!(e.contains("list the log under [[log_inputs]]"), "{e}");
        // [log_kinds] belongs to a log's mapping only, and names known kinds.
        let bad = toml::from_str::<Mapping>("rows = \"invoices\"\n[log_kinds]\npromise = [\"x\"]").unwrap();
        assert!(bad.resolve().unwrap_err().to_string().contains("[log_kinds] is for rows = \"log\" only"));
        let bad = toml::from_str::<Mapping>("rows = \"log\"\n[log_kinds]\npromis = [\"x\"]").unwrap();
        assert!(bad.resolve().unwrap_err().to_string().contains("'promis' must be promise"));
    }

    const MAPPING: &str = r#"
rows = "log"
date_formats = ["%d/%m/%Y"]
decimal = ","
delimiter = ";"
[columns]
date = "Datum"
client_id = "Klant"
document_id = "Factuur"
kind = "Soort"
amount = "Bedrag"
promised_date = "Belofte tot"
text = "Tekst"
[log_kinds]
promise = ["Toezegging"]
ignore = ["Intern"]
"#;

    #[test]
    fn every_row_is_an_event_or_a_reason() {
        let log = read(
            "Datum;Klant;Factuur;Soort;Bedrag;Belofte tot;Tekst\n\
             02/03/2026;K1;;Toezegging;1.500,00;13/03/2026;betaalt vrijdag\n\
             04/03/2026;K1;F7;Betwisting;;;levering onvolledig\n\
             05/03/2026;K2;;Telefoon;;;voicemail\n\
             06/03/2026;K9;;Telefoon;;;\n\
             07/03/2026;K2;;Belofte;;20/03/2026;\n\
             08/03/2026;K2;F9;Belofte;;01/03/2026;\n\
             09/03/2026;K2;;Geschil;;;\n\
             10/03/2026;K2;;Bezoek;;;\n\
             11/03/2026;K2;;Intern;;;\n",
            MAPPING,
        );
        assert_eq!(log.rows.len(), 3);
        let p = &log.rows[0];
        assert_eq!((p.kind, p.client, p.amount), (LogKind::Promise, 0, Some(Money::new(1500_00, Currency::EUR))));
        assert_eq!(p.promised, NaiveDate::from_ymd_opt(2026, 3, 13));
        assert_eq!(p.text, "betaalt vrijdag");
        assert_eq!((log.rows[1].kind, log.rows[1].document_id.as_deref()), (LogKind::DisputeOpened, Some("F7")));
        assert_eq!(log.rows[2].kind, LogKind::Call);
        let reasons: Vec<(u32, &str, bool)> =
            log.rejects.iter().map(|r| (r.line, r.reason.as_str(), r.benign)).collect();
        assert_eq!(reasons.len(), 6, "{reasons:?}");
        assert!(reasons[0].1.contains("no client with this id"), "{reasons:?}");
        assert!(reasons[1].1.contains("amount promised or the document"));
        assert!(reasons[2].1.contains("before the promise itself"));
        assert!(reasons[3].1.contains("needs the document"));
        assert!(reasons[4].1.contains("unknown kind"));
        assert!(reasons[5].2, "an ignored kind is left out, not an error");
        let s = &log.stats[0];
        assert_eq!((s.rows_read, s.accepted, s.rejected), (9, 3, 6));
    }
}
