//! Reading credit-bureau snapshot files (`rows = "bureau"`) through the same mappings, parsing
//! and rejected-row accounting as ledgers.

use super::convert::{RowError, RowView};
use super::error::InputError;
use super::mapping::{Field, RowKind};
use super::side::{Note, SideIngested, SideRows, ingest_side};
use super::spec::{IngestOptions, InputSpec};
use super::table::RawRow;
use crate::bureau::{BureauFields, BureauSettings, ScoreKind, Snapshot};
use crate::model::{Money, Origin};

/// What reading the bureau inputs gave.
pub type BureauIngested = SideIngested<Snapshot>;

/// Reads every bureau input. `source_base` numbers the sources after the ledger's.
pub fn ingest_bureau(
    inputs: &[InputSpec],
    settings: &BureauSettings,
    opts: &IngestOptions,
    source_base: u16,
) -> Result<BureauIngested, InputError> {
    ingest_side(inputs, &BureauRows { settings, opts }, opts, source_base)
}

struct BureauRows<'a> {
    settings: &'a BureauSettings,
    opts: &'a IngestOptions,
}

impl SideRows for BureauRows<'_> {
    type Row = Snapshot;
    const KIND: RowKind = RowKind::Bureau;
    const NAMES: (&'static str, &'static str) = ("bureau", "[[bureau_inputs]]");

    fn convert<R: RawRow>(&self, v: RowView<'_, R>, origin: Origin) -> Result<(Snapshot, Option<Note>), RowError> {
        let (snapshot, warning) = convert(v, self.settings, self.opts, origin)?;
        let note = warning.map(|message| Note { kind: "invalid_company_number", field: Field::CompanyNumber, message });
        Ok((snapshot, note))
    }
}

/// One bureau row. An invalid company number is a warning, not a rejection: the row is kept
/// but never matched to anyone.
fn convert<R: RawRow>(
    v: RowView<'_, R>,
    settings: &BureauSettings,
    opts: &IngestOptions,
    origin: Origin,
) -> Result<(Snapshot, Option<String>), RowError> {
    let raw_company = v.required(Field::CompanyNumber)?.to_string();
    let (company, warning) = match crate::model::company_number::normalise_company_number(&raw_company) {
        Ok(n) => (Some(n), None),
        Err(e) => (None, Some(format!("bureau company number {raw_company}: {e}; this row is matched to no client"))),
    };
    let date = v.date(Field::Date)?.ok_or_else(|| v.err(Field::Date, "snapshot date is empty".into()))?;
    let currency = v.currency()?;
    if currency != opts.default_currency {
        return Err(v.err(
            Field::Currency,
            format!("credit limit in {currency}, but the reporting currency is {}", opts.default_currency),
        ));
    }
    let rating_text = v.text(Field::Rating);
    let rating = match &rating_text {
        Some(r) => settings.rating_of(r).map_err(|e| v.err(Field::Rating, e.to_string()))?,
        None => None,
    };
    let status = match v.text(Field::Status) {
        Some(s) => Some(settings.status_of(&s).ok_or_else(|| {
            v.err(
                Field::Status,
                "unknown status; add it under [bureau.status] (active, reorganisation, liquidation, dissolved, bankrupt)"
                    .into(),
            )
        })?),
        None => None,
    };
    let credit_flag = match v.text(Field::CreditFlag) {
        Some(s) => Some(settings.credit_flag_of(&s).ok_or_else(|| {
            v.err(
                Field::CreditFlag,
                "unknown credit flag; add it under [bureau.credit_flag] (green, orange, red)".into(),
            )
        })?),
        None => None,
    };
    // Every score on its configured scale: a value outside it is another scale (0–100 read as
    // 1–10, or the reverse), never clamped.
    let score = |field: Field, kind: ScoreKind| -> Result<Option<f64>, RowError> {
        let value = v.number(field)?;
        match value.and_then(|x| settings.out_of_scale(kind, x)) {
            Some(reason) => Err(v.err(field, reason)),
            None => Ok(value),
        }
    };
    let text = |f: Field| v.text(f).map(|t| t.to_string());
    Ok((
        Snapshot {
            company,
            raw_company,
            client_id: text(Field::ClientId),
            date,
            bureau: BureauFields {
                name: text(Field::ClientName),
                credit_limit: v.amount(Field::CreditLimit, currency)?.map(|v| Money::new(v, currency)),
                score: score(Field::Score, ScoreKind::Score)?,
                payment_score: score(Field::PaymentScore, ScoreKind::PaymentScore)?,
                growth_score: score(Field::GrowthScore, ScoreKind::Growth)?,
                discontinuation_score: score(Field::DiscontinuationScore, ScoreKind::Discontinuation)?,
                credit_flag,
                rating,
                rating_label: rating_text.map(|r| r.to_string()),
                status,
                address: text(Field::Address),
                board: text(Field::Board),
                legal_form: text(Field::LegalForm),
            },
            origin,
        },
        warning,
    ))
}
