//! What reading the inputs gives: the ledger, and what was found on the way.

use super::stats::{Reject, SourceStats, Warning};
use crate::model::Ledger;

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
