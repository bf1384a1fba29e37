//! Reading credit-bureau snapshot files (`rows = "bureau"`) through the same mappings, parsing
//! and rejected-row accounting as ledgers.

use super::convert::{RowError, RowView, shifted};
use super::error::InputError;
use super::mapping::Field;
use super::plan::{Plan, detect_dates};
use super::spec::{IngestOptions, InputSpec};
use super::stats::{Reject, SourceStats, Warning};
use super::stats::{account_extent, layout_label};
use super::table::{self, Batch, Header, RawRow};
use crate::bureau::{BureauFields, BureauSettings, ScoreKind, Snapshot};
use crate::model::{Money, Origin};

/// What reading the bureau inputs gave.
#[derive(Debug, Default)]
pub struct BureauIngested {
    /// The accepted rows.
    pub snapshots: Vec<Snapshot>,
    /// The rejected rows, with their reasons.
    pub rejects: Vec<Reject>,
    /// Observations that did not stop a row.
    pub warnings: Vec<Warning>,
    /// Each input's reconciliation.
    pub stats: Vec<SourceStats>,
}

/// Reads every bureau input. `source_base` numbers the sources after the ledger's.
pub fn ingest_bureau(
    inputs: &[InputSpec],
    settings: &BureauSettings,
    opts: &IngestOptions,
    source_base: u16,
) -> Result<BureauIngested, InputError> {
    let mut out = BureauIngested::default();
    for (i, input) in inputs.iter().enumerate() {
        let map = input
            .mapping
            .resolve()
            .map_err(|e| InputError::file(&input.path, format!("mapping: {e}"), "correct the mapping file"))?;
        if map.rows != super::mapping::RowKind::Bureau {
            return Err(InputError::file(
                &input.path,
                "a bureau input needs a mapping with rows = \"bureau\"",
                "set rows = \"bureau\" in its mapping",
            ));
        }
        let mut loader = Loader {
            input,
            map,
            opts,
            settings,
            source: source_base + i as u16,
            plan: None,
            stats: SourceStats::bureau(crate::platform::portable(&input.path)),
            out: &mut out,
        };
        let mut extent = table::Extent::default();
        let first_reject = loader.out.rejects.len();
        let header = table::read_table(&input.path, &input.mapping, &mut loader, &mut extent)?;
        let mut stats = loader.stats;
        account_extent(&mut stats, &mut out.rejects, &extent, &header);
        out.rejects[first_reject..].sort_by_key(|r| r.line);
        out.stats.push(stats);
    }
    Ok(out)
}

struct Loader<'a> {
    input: &'a InputSpec,
    map: super::mapping::Resolved,
    opts: &'a IngestOptions,
    settings: &'a BureauSettings,
    source: u16,
    plan: Option<Plan>,
    stats: SourceStats,
    out: &'a mut BureauIngested,
}

impl table::Sink for Loader<'_> {
    fn header(&mut self, h: &Header) -> Result<(), InputError> {
        self.stats.layout = layout_label(&h.layout);
        self.plan = Some(Plan::new(self.input, &self.map, self.opts, h)?);
        Ok(())
    }

    fn batch(&mut self, h: &Header, batch: Batch<'_>) -> Result<(), InputError> {
        match batch {
            Batch::Text(rows) => self.rows(h, rows),
            Batch::Sheet(rows) => self.rows(h, rows),
        }
    }
}

impl Loader<'_> {
    fn rows<R: RawRow>(&mut self, h: &Header, rows: &[R]) -> Result<(), InputError> {
        let mut plan = self.plan.take().expect("the header comes first");
        if plan.dates.is_none() {
            plan.dates = Some(detect_dates(&plan, rows, h, &self.input.path)?);
        }
        let plan_ref = &plan;
        for row in rows {
            let plan = plan_ref;
            self.stats.rows_read += 1;
            if row.is_blank() {
                self.reject(plan, h, row, RowError::benign(None, String::new(), "blank row".into()));
                continue;
            }
            if let Some(e) = shifted(plan, row) {
                self.reject(plan, h, row, e);
                continue;
            }
            match convert(
                RowView { plan, row },
                self.settings,
                self.opts,
                Origin { source: self.source, line: row.line() },
            ) {
                Ok((snapshot, warning)) => {
                    if let Some(message) = warning {
                        let location = h.layout.location(row.line(), plan.cols.get(&Field::CompanyNumber).copied());
                        self.out.warnings.push(Warning {
                            kind: "invalid_company_number",
                            source: self.stats.file.clone(),
                            location,
                            message,
                        });
                    }
                    self.stats.accepted += 1;
                    self.out.snapshots.push(snapshot);
                }
                Err(e) => self.reject(plan, h, row, e),
            }
        }
        self.plan = Some(plan);
        Ok(())
    }

    fn reject<R: RawRow>(&mut self, plan: &Plan, h: &Header, row: &R, e: RowError) {
        let r = e.into_reject(&self.stats.file, h, &plan.header, row.line(), row.raw_values());
        self.stats.reject(&mut self.out.rejects, r);
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
