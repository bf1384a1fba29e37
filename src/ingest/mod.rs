//! Ingestion: from source files and their mappings to a validated `Ledger`, with every row
//! accounted for: accepted, or rejected with its place, raw values and reason.
//!
//! Rows are converted in parallel, a batch at a time, and merged in file order, so the result
//! does not depend on thread timing.

pub mod bureau;
mod client_index;
mod convert;
mod dedupe;
pub mod error;
mod loader;
pub mod mapping;
mod merge;
pub mod parse;
mod plan;
mod plausibility;
pub mod preset;
mod series;
mod stats;
pub mod table;

pub use convert::MAX_TERMS_DAYS;
pub use error::InputError;
pub use stats::{MAX_LEDGER_MAJOR, Reject, SourceStats, Totals, Warning};

use crate::model::{Currency, Ledger};
use chrono::NaiveDate;
use dedupe::dedupe;
use loader::ingest_one;
use mapping::Mapping;
use merge::Merger;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One input: a file and the mapping that reads it.
#[derive(Clone, Debug)]
pub struct InputSpec {
    /// The file.
    pub path: PathBuf,
    /// Its mapping.
    pub mapping: Mapping,
    /// For an open-items list, the date it shows what was open on.
    pub snapshot: Option<NaiveDate>,
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

/// What reading the inputs gave: the ledger, and what was found on the way.
#[derive(Debug, Default)]
pub struct Ingested {
    /// The ledger: clients, documents and payments.
    pub ledger: Ledger,
    /// The rejected rows, with their reasons.
    pub rejects: Vec<Reject>,
    /// Observations that did not stop a row.
    pub warnings: Vec<Warning>,
    /// Each input's reconciliation.
    pub stats: Vec<SourceStats>,
}

/// What reading the inputs found besides the ledger: each input's reconciliation, the rejected
/// rows and the warnings. It outlives the ledger's rows, which the analysis consumes.
#[derive(Debug, Default)]
pub struct DataQuality {
    /// Each input's reconciliation.
    pub stats: Vec<SourceStats>,
    /// The rejected rows, with their reasons.
    pub rejects: Vec<Reject>,
    /// Observations that did not stop a row.
    pub warnings: Vec<Warning>,
}

impl Ingested {
    /// The ledger and what was found reading it.
    pub fn into_parts(self) -> (Ledger, DataQuality) {
        let Ingested { ledger, rejects, warnings, stats } = self;
        (ledger, DataQuality { stats, rejects, warnings })
    }
}

/// Reads every input into one ledger.
pub fn ingest(
    inputs: &[InputSpec],
    opts: &IngestOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Ingested, InputError> {
    let dates: std::collections::BTreeSet<NaiveDate> = inputs.iter().filter_map(|i| i.snapshot).collect();
    if dates.len() > 1 {
        return series::ingest_series(inputs, opts, progress);
    }
    let mut out = Ingested::default();
    let mut merger = Merger::default();
    for (source_ix, input) in inputs.iter().enumerate() {
        let stats = ingest_one(source_ix as u16, input, opts, &mut out, &mut merger, progress)?;
        out.ledger.sources.push(crate::platform::portable(&input.path));
        out.stats.push(stats);
    }
    out.ledger.clients = std::mem::take(&mut merger.clients);
    plausibility::check(&mut out, &merger, inputs);
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
