//! What monitoring says of each client: its bureau view and risk, aligned with the analysis.

use crate::analytics::promise::Record;
use crate::analytics::risk::Risk;
use crate::bureau::elsewhere::Elsewhere;
use crate::bureau::{Matched, Snapshot, Status};

/// Bureau view and risk of one client (aligned with `Analysis::clients`).
#[derive(Clone, Debug, PartialEq)]
pub struct ClientView {
    /// Index into the bureau snapshots.
    pub snapshot: Option<usize>,
    /// The bureau's credit limit, in minor units.
    pub credit_limit: Option<i64>,
    /// Net AR / credit limit.
    pub utilisation: Option<f64>,
    /// The legal status.
    pub status: Option<Status>,
    /// The risk score, tier and reasons.
    pub risk: Risk,
    /// Open amount more than 60 days past due (by due date).
    pub over_60: i64,
    /// Open amount more than 90 days past due.
    pub over_90: i64,
    /// How it pays the other creditors of a pool, when the run has one.
    pub elsewhere: Option<Elsewhere>,
    /// Its promises to pay over 12 months (the collector's log; zero without one).
    pub promises: Record,
    /// Days its longest dispute open at the as-of date has lasted (the collector's log).
    pub longest_dispute_days: Option<i64>,
}

/// Every client's bureau view and risk, and how the snapshots matched.
#[derive(Clone, Debug, Default)]
pub struct Assessment {
    /// One per client of the analysis, in its order.
    pub clients: Vec<ClientView>,
    /// Which snapshot belongs to which client, and what did not match.
    pub matched: Matched,
    /// The snapshots, indexed by `ClientView::snapshot`.
    pub snapshots: Vec<Snapshot>,
}
