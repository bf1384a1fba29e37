//! What a run gives the report, by reference: the report model and `summary.json` are built
//! from these.

use crate::analytics::Analysis;
use crate::analytics::as_of::AsOf;
use crate::analytics::dispute::Disputes;
use crate::analytics::outlook::Outlook;
use crate::analytics::promise::Promises;
use crate::collection::handover::{Line, Reminder};
use crate::collection::ladder::{Action, LadderSettings};
use crate::ingest::bureau::BureauIngested;
use crate::ingest::log::LogIngested;
use crate::ingest::{DataQuality, Warning};
use crate::locale::Lang;
use crate::model::{ClientIx, Currency, Roster};
use crate::monitor::Assessment;
use crate::monitor::alerts::Alert;
use crate::monitor::early_warning::Record;
use crate::monitor::opportunities::Opportunity;
use std::collections::BTreeMap;
use std::path::Path;

/// What a run gives the report, by reference: the model is built from these.
pub struct Sources<'a> {
    /// The company the report is for.
    pub company: &'a str,
    /// The reporting currency.
    pub currency: Currency,
    /// The report's language.
    pub lang: Lang,
    /// The ledger's sources and clients.
    pub roster: &'a Roster,
    /// What reading the ledger found.
    pub quality: &'a DataQuality,
    /// The bureau inputs.
    pub bureau: &'a BureauIngested,
    /// The collector's log.
    pub log: &'a LogIngested,
    /// The log's disputes open at the as-of date.
    pub disputes: &'a Disputes,
    /// The log's promises to pay, judged.
    pub promises: &'a Promises,
    /// Every figure.
    pub analysis: &'a Analysis,
    /// The collections forecast.
    pub outlook: &'a Outlook,
    /// Risk per client.
    pub assessment: &'a Assessment,
    /// How early the risk tier warned.
    pub early_warning: &'a Record,
    /// The alerts, as compared.
    pub alerts: &'a [Alert],
    /// Whom sales could call.
    pub opportunities: &'a [Opportunity],
    /// The reminder log.
    pub reminders: &'a [Reminder],
    /// The next collection action per overdue invoice, the most urgent first.
    pub actions: &'a [Action],
    /// The ladder's steps, for the actions' names.
    pub ladder: &'a LadderSettings,
    /// The saved run the alerts compare with.
    pub compared_with: Option<&'a Path>,
    /// The invoices handed over.
    pub handover: &'a [Line],
    /// The analysis's warnings.
    pub analysis_warnings: &'a [String],
    /// Why the as-of date, and whether its month looks incomplete.
    pub as_of_choice: &'a AsOf,
    /// What the run itself warned about (a compensation without a rate).
    pub run_warnings: &'a [Warning],
    /// The dossier file of each debtor that gets one.
    pub dossiers: &'a BTreeMap<ClientIx, String>,
    /// How many debtors qualify for a dossier (more than `dossiers` when capped).
    pub dossiers_qualifying: usize,
}
