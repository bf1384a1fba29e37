//! Why the handover could not be prepared.

/// Why the handover could not be prepared: its tables, or a missing interest rate.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CollectionError {
    /// A line of a side table (interest rates, reminder log) that cannot be read.
    #[error("{table} line {line}{column}: {problem}")]
    Table {
        /// The table's file.
        table: String,
        /// Its line.
        line: usize,
        /// `, column X` when the problem is one column's.
        column: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A side table that cannot be opened.
    #[error("cannot read the {what} {path}: {problem}")]
    Unreadable {
        /// Which table (`reminder log`).
        what: &'static str,
        /// Its path.
        path: String,
        /// Why it cannot be read.
        problem: String,
    },
    /// Interest runs over a half-year the rate table does not have.
    #[error(
        "handover: no statutory interest rate for {jurisdiction} {year}-H{half}: add it to the rate table (rates/statutory-interest.csv, or [handover] rates in the configuration)"
    )]
    NoRate {
        /// `BE` or `NL`.
        jurisdiction: &'static str,
        /// The half-year without a rate.
        year: i32,
        /// 1 or 2.
        half: u8,
    },
}

impl CollectionError {
    /// What the user can do about it (empty where the message already says).
    pub fn fix(&self) -> &'static str {
        match self {
            CollectionError::Table { .. } => "correct the line; the columns are described in docs/reports.md",
            CollectionError::Unreadable { .. } => "check the path under [handover] in the configuration",
            CollectionError::NoRate { .. } => "",
        }
    }
}
