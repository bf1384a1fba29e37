//! What stops a contribution or the pool step.

use crate::output::WriteError;
use std::path::PathBuf;

/// What stops a contribution or the pool step, each with what to do.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// A debtor's sums do not fit the file's 64-bit integers.
    #[error(
        "the pool contribution for {0} does not fit 64-bit sums\n  fix: leave this debtor out of the pool (remove its company number) and report it"
    )]
    Overflow(String),
    /// No contribution under the folders given.
    #[error("no pool contribution (pool/contribution.parquet) under {}\n  fix: run the portfolios with [pool] contribute = true first", list(.0))]
    NoContributions(Vec<PathBuf>),
    /// The contributions hold nothing for the month.
    #[error(
        "the pool contributions hold no rows for the month\n  fix: run the portfolios for that month with [pool] contribute = true, or give --as-of"
    )]
    NoRows,
    /// A folder or file that cannot be read.
    #[error("cannot read {}: {why}\n  fix: check the folders given", .0.display(), why = .1)]
    Read(PathBuf, String),
    /// A file that cannot be written.
    #[error("{0}")]
    Write(#[from] WriteError),
    /// Two portfolios contribute under one name.
    #[error("two contributions name the same contributor {name:?} for this month: {} and {}\n  fix: give each portfolio its own [pool] contributor", .1.display(), .2.display(), name = .0)]
    SameContributor(String, PathBuf, PathBuf),
    /// Two contributor names that make the same file name.
    #[error("the contributors {0:?} and {1:?} make the same file name\n  fix: rename one ([pool] contributor)")]
    SameFileName(String, String),
    /// The rules asked for would publish one creditor's values.
    #[error("{0}\n  fix: see docs/pooling.md, disclosure control")]
    Rules(#[from] super::disclosure::UnsafeRules),
    /// polars could not read or compute.
    #[error("reading the contributions: {0}\n  fix: check that the files are contributions written by arwatch")]
    Engine(String),
}

fn list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}
