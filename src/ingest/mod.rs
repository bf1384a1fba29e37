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
mod ingested;
mod loader;
pub mod log;
pub mod mapping;
mod merge;
pub mod parse;
mod plan;
mod plausibility;
pub mod preset;
pub mod schedule;
pub mod schedule_file;
mod series;
mod side;
mod spec;
mod stats;
pub mod table;

pub use convert::MAX_TERMS_DAYS;
pub use error::InputError;
pub use stats::{MAX_LEDGER_MAJOR, Reject, SourceStats, Totals, Warning};

pub use ingested::{DataQuality, Ingested};
pub use spec::{IngestOptions, InputSpec};

use chrono::NaiveDate;

/// Reads every input into one ledger: a series of open-items lists of several dates by
/// `series`, anything else input by input.
pub fn ingest(
    inputs: &[InputSpec],
    opts: &IngestOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Ingested, InputError> {
    let dates: std::collections::BTreeSet<NaiveDate> = inputs.iter().filter_map(|i| i.snapshot).collect();
    if dates.len() > 1 {
        return series::ingest_series(inputs, opts, progress);
    }
    loader::ingest_all(inputs, opts, progress)
}
