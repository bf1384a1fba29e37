//! Why a run stopped once its configuration was read and its inputs opened: what was found,
//! where, and what to do about it.

use crate::bureau::elsewhere::ElsewhereError;
use crate::bureau::watchlist::WatchlistError;
use crate::collection::CollectionError;
use crate::fx::FxError;
use crate::ingest::{InputError, Reject};
use crate::monitor::history::HistoryError;
use crate::output::WriteError;
use crate::pool::PoolError;
use crate::report::ReportError;
use chrono::NaiveDate;
use std::fmt;
use std::path::PathBuf;

/// Why a run or a check stopped: an input, a check of the pipeline, or an output. `main`
/// turns it into an exit code (`exit.rs`), nothing here does.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// An input cannot be read.
    #[error("{0}")]
    Input(#[from] InputError),
    /// The inputs were read but the run cannot go on with them.
    #[error("{0}")]
    Run(#[from] RunError),
    /// A report could not be drawn.
    #[error("{0}")]
    Report(#[from] ReportError),
    /// The pool contribution cannot be made (a debtor's sums beyond 64 bits).
    #[error("{0}")]
    Contribution(#[from] PoolError),
    /// A file could not be written.
    #[error("{0}")]
    Output(#[from] WriteError),
}

impl PipelineError {
    /// A file under `path` could not be written.
    pub fn output(path: &std::path::Path, source: std::io::Error) -> PipelineError {
        PipelineError::Output(WriteError::new(path, source))
    }

    /// Whether the run stopped on its outputs (exit code 5) rather than its inputs (4).
    pub fn is_output(&self) -> bool {
        matches!(self, PipelineError::Report(_) | PipelineError::Output(_))
    }
}

/// A run stopped by its data (exit code 4).
#[derive(Debug)]
pub enum RunError {
    /// An input's rejected share is above `max_rejected_share`.
    TooManyRejected(Box<TooManyRejected>),
    /// An amount in another currency than the reporting one, and no rate table.
    OtherCurrency {
        /// The input file.
        file: String,
        /// The row's line.
        line: u32,
        /// The amount's currency.
        currency: String,
        /// The row's date.
        date: NaiveDate,
        /// The reporting currency.
        reporting: String,
    },
    /// The latest rows lie far after all others, so the default as-of date would rest on them.
    OutlyingDates {
        /// Each outlying row: file, line and date.
        named: Vec<String>,
        /// The gap that sets them apart, in days.
        gap_days: i64,
    },
    /// The as-of date is before every document and payment.
    AsOfBeforeData {
        /// The as-of date asked for.
        as_of: NaiveDate,
        /// The earliest document or payment date.
        first: NaiveDate,
    },
    /// No document and no payment at all.
    NothingToAnalyse,
    /// A side table (FX rates, interest rates) that cannot be opened.
    Unreadable {
        /// Which table (`FX rate table`).
        what: &'static str,
        /// Its path.
        path: PathBuf,
        /// Why it cannot be read.
        problem: String,
        /// Where it is configured.
        fix: &'static str,
    },
    /// The FX rate table, or a conversion it cannot make.
    Fx(FxError),
    /// The handover: its settings, its tables, a missing rate.
    Collection(CollectionError),
    /// The saved run to compare with cannot be read.
    History(HistoryError),
    /// The watchlist cannot be used (its message ends with the fix).
    Watchlist(WatchlistError),
    /// The pool's experience-elsewhere file cannot be used (its message ends with the fix).
    Elsewhere(ElsewhereError),
}

/// The details of [`RunError::TooManyRejected`].
#[derive(Debug)]
pub struct TooManyRejected {
    /// The input.
    pub file: String,
    /// Its rejected rows that are errors (not blank or ignored).
    pub errors: u64,
    /// Its rows read.
    pub rows: u64,
    /// errors / rows.
    pub share: f64,
    /// `max_rejected_share`.
    pub limit: f64,
    /// The first rejected row, in words.
    pub first: String,
    /// The three most common reasons, with their counts.
    pub common: String,
    /// The input's rejected rows and the folder name of the month, for `run` to write them
    /// beside the month folders (taken once written).
    pub rows_to_write: Option<(String, Vec<Reject>)>,
    /// Where they were written.
    pub written: Option<PathBuf>,
}

impl RunError {
    /// What the user can do about it.
    pub fn fix(&self) -> &'static str {
        match self {
            RunError::TooManyRejected(_) => {
                // Not where the rows are: a stopped run writes no month folder (the message
                // names the file it wrote, under failed-runs/).
                "correct the mapping (date_formats, decimal, columns), or raise max_rejected_share"
            }
            RunError::OtherCurrency { .. } => {
                "set fx_rates = \"rates.csv\" (date,currency,rate) in the configuration, or set currency to the ledger's currency if the whole ledger is in it"
            }
            RunError::OutlyingDates { .. } => {
                "correct the date if it is a typo, or give the as-of date with --as-of (or as_of in the configuration)"
            }
            RunError::AsOfBeforeData { .. } => "give a later --as-of (or as_of in the configuration)",
            RunError::NothingToAnalyse => "check the input files and their mappings",
            RunError::Unreadable { fix, .. } => fix,
            RunError::Fx(e) => e.fix(),
            RunError::Collection(e) => e.fix(),
            RunError::History(_) => "name an existing saved run with --compare-with, or leave it out",
            RunError::Watchlist(_) | RunError::Elsewhere(_) => "",
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::TooManyRejected(t) => {
                write!(
                    f,
                    "{}: {} of {} rows rejected ({:.1} %), above the limit of {:.1} %.\n  first: {}\n  most common: {}\n  fix: {}",
                    t.file,
                    t.errors,
                    t.rows,
                    t.share * 100.0,
                    t.limit * 100.0,
                    t.first,
                    t.common,
                    self.fix()
                )?;
                match &t.written {
                    Some(p) => write!(f, "\n  the rejected rows of this run: {}", p.display())?,
                    None => write!(f, "\n  every rejected row: the same command with -v")?,
                }
                return Ok(());
            }
            RunError::OtherCurrency { file, line, currency, date, reporting } => write!(
                f,
                "{file} line {line}: an amount in {currency} on {date}, but the reporting currency is {reporting} and no FX rate table is configured.\n  fix: set fx_rates = \"rates.csv\" (date,currency,rate) in the configuration, or currency = \"{currency}\" if the whole ledger is in {currency}"
            )?,
            RunError::OutlyingDates { named, gap_days } => write!(
                f,
                "the latest {} dated more than {} days after every other row, so the default as-of date would rest on {}: {}",
                if named.len() == 1 { "row is".to_string() } else { format!("{} rows are", named.len()) },
                gap_days,
                if named.len() == 1 { "it" } else { "them" },
                named.join(", ")
            )?,
            RunError::AsOfBeforeData { as_of, first } => write!(
                f,
                "the as-of date {as_of} is before every document and payment (the earliest is dated {first}): there is nothing to report"
            )?,
            RunError::NothingToAnalyse => {
                write!(f, "the inputs hold no document or payment, so there is nothing to analyse")?
            }
            RunError::Unreadable { what, path, problem, .. } => {
                write!(f, "cannot read the {what} {}: {problem}", path.display())?
            }
            RunError::Fx(e) => write!(f, "{e}")?,
            RunError::Collection(e) => write!(f, "{e}")?,
            RunError::History(e) => write!(f, "{e}")?,
            RunError::Watchlist(e) => write!(f, "{e}")?,
            RunError::Elsewhere(e) => write!(f, "{e}")?,
        }
        // The currency error writes its own fix, naming the currency.
        let fix = self.fix();
        if !fix.is_empty() && !matches!(self, RunError::OtherCurrency { .. }) {
            write!(f, "\n  fix: {fix}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RunError {}

impl From<FxError> for RunError {
    fn from(e: FxError) -> RunError {
        RunError::Fx(e)
    }
}

impl From<CollectionError> for RunError {
    fn from(e: CollectionError) -> RunError {
        RunError::Collection(e)
    }
}
