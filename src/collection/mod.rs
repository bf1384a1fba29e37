//! Collection: which open invoices go to a collection partner, the statutory interest and
//! compensation they carry, and the dossier each debtor gets. Accounting rules, not rendering:
//! the report draws what this module decides.

pub mod dossier_names;
pub mod handover;
pub mod interest;

use crate::fx::FxError;

/// Why the handover could not be prepared: its settings, its tables, or a missing rate.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CollectionError {
    /// A `[handover]` setting that cannot be used.
    #[error("handover: {0}")]
    Settings(String),
    /// A line of a side table (interest rates, reminder log) that cannot be read.
    #[error("{table} line {line}{column}: {problem}")]
    Table { table: String, line: usize, column: String, problem: String },
    /// A side table that cannot be opened.
    #[error("cannot read the {what} {path}: {problem}")]
    Unreadable { what: &'static str, path: String, problem: String },
    /// Interest runs over a half-year the rate table does not have.
    #[error(
        "handover: no statutory interest rate for {jurisdiction} {year}-H{half}: add it to the rate table (rates/statutory-interest.csv, or [handover] rates in the configuration)"
    )]
    NoRate { jurisdiction: &'static str, year: i32, half: u8 },
    /// The compensation cannot be converted into the reporting currency.
    #[error(
        "handover: the {amount} {from} compensation in {to}: {source}; add the rate to the table named by fx_rates, or set [handover] compensation and compensation_currency in {to}"
    )]
    Compensation { amount: f64, from: crate::model::Currency, to: crate::model::Currency, source: FxError },
}

impl CollectionError {
    /// What the user can do about it (empty where the message already says).
    pub fn fix(&self) -> &'static str {
        match self {
            CollectionError::Settings(_) => "correct [handover] in the configuration (see docs/configuration.md)",
            CollectionError::Table { .. } => "correct the line; the columns are described in docs/reports.md",
            CollectionError::Unreadable { .. } => "check the path under [handover] in the configuration",
            CollectionError::NoRate { .. } | CollectionError::Compensation { .. } => "",
        }
    }
}
