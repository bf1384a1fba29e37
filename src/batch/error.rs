//! Why a batch cannot start or finish: its manifest, its shard, or its summary.

use std::path::PathBuf;

/// Why a batch stopped before or after its portfolios ran (a portfolio's own failure is a row
/// of the summary, never this).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The manifest cannot be read.
    #[error("cannot read the manifest {}: {source}", .path.display())]
    ManifestUnreadable {
        /// Its path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line of a CSV manifest.
    #[error("manifest line {line}: {problem}")]
    ManifestLine {
        /// Its line.
        line: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// A TOML manifest that is no manifest.
    #[error("manifest {}: {problem}\n  fix: {}", .path.display(), crate::toml_source::HINT)]
    ManifestToml {
        /// Its path.
        path: PathBuf,
        /// What TOML says.
        problem: String,
    },
    /// Two portfolios of one name.
    #[error("manifest: the name '{0}' is used twice; each portfolio needs its own")]
    NameTwice(String),
    /// A name that cannot name a folder.
    #[error("manifest: '{0}' cannot name a folder (on Windows as on Linux); use letters, digits, - and _")]
    NameNotAFolder(String),
    /// A portfolio's `as_of` that is no date.
    #[error("manifest: {name}: as_of {value:?} is not YYYY-MM-DD")]
    AsOf {
        /// The portfolio.
        name: String,
        /// The value written.
        value: String,
    },
    /// A manifest without portfolios.
    #[error("manifest {} lists no portfolio: add [[portfolio]] entries (name, config)", .0.display())]
    Empty(PathBuf),
    /// `--shard` that names no shard.
    #[error("{0}")]
    Shard(#[from] ShardError),
    /// The running program cannot be found to start the portfolios' runs.
    #[error("cannot find the arwatch program: {0}")]
    NoProgram(std::io::Error),
    /// A folder that cannot be listed.
    #[error("cannot read {}: {source}", .path.display())]
    Unreadable {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A shard's summary that is not one arwatch wrote.
    #[error("{}: {problem}", .path.display())]
    Summary {
        /// Its path.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// A portfolio no shard's summary reports.
    #[error("no shard's summary reports the portfolio '{0}': did every shard run?")]
    Unreported(String),
    /// The batch summary cannot be written.
    #[error("cannot write the batch summary in {}: {source}", .root.display())]
    Write {
        /// The batch's root.
        root: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Why `--shard` names no shard.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// `auto` without an array job's variables.
    #[error(
        "--shard auto: no Slurm array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) nor Kubernetes index (JOB_COMPLETION_INDEX with ARWATCH_SHARD_COUNT) in the environment"
    )]
    NoArray,
    /// A Slurm task id below the array's first.
    #[error("SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN")]
    BelowMin,
    /// Not `I/N`.
    #[error("--shard {0}: write it as I/N, for example 2/8")]
    Shape(String),
    /// `I/N` with I out of 1 to N, or not numbers.
    #[error("--shard {0}: write it as I/N with 1 ≤ I ≤ N, for example 2/8")]
    Numbers(String),
    /// A shard beyond the count.
    #[error("shard {} of {count} does not exist", .index + 1)]
    NoSuchShard {
        /// Its 0-based index.
        index: usize,
        /// The shards.
        count: usize,
    },
}
