//! What the analysis gives: per client and for the portfolio, the sums everything is computed
//! from, the figures, the monthly series and the open invoices.

use super::calendar::Month;
use super::metrics::Behaviour;
use super::past::History;
use super::position::Position;
use super::settings::Settings;
use crate::model::{ClientIx, Money};
use chrono::NaiveDate;

/// An open invoice at the as-of date.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenItem {
    /// The invoice: its amount in the reporting currency at the issue date, what is open at
    /// the as-of date in the reporting currency at that date.
    pub invoice: Position,
    /// As-of date − due date (or issue date with `aging_basis = "issue"`).
    pub days_past_due: i64,
    /// Its aging bucket (0: not due).
    pub bucket: usize,
    /// Marked disputed in the export.
    pub disputed: bool,
    /// What is open, in the document's own currency.
    pub open_in_currency: Money,
}

/// One month of a client's (or the portfolio's) series.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MonthRow {
    /// The month.
    pub month: Month,
    /// Invoices minus credit notes issued in it.
    pub sales: i64,
    /// Net AR at its end.
    pub net_ar: i64,
    /// The not-yet-due part of that AR.
    pub current_ar: i64,
    /// Standard DSO over the `dso_months` ending with it; undefined without sales.
    pub dso_standard: Option<f64>,
    /// Countback DSO at its end.
    pub dso_countback: Option<f64>,
    /// The month's CEI, as a fraction; undefined when its denominator is not above zero.
    pub cei: Option<f64>,
    /// Invoices settled in it.
    pub behaviour: Behaviour,
}

/// Sums that portfolio figures are merged from. In a client's figures the month vectors
/// (`by_settlement_month`, `sales`, `ar`, `current`) are empty: they are merged into the
/// portfolio and dropped, as the client's figures already say everything they hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sums {
    /// Σ open − unapplied credit at the as-of date.
    pub net_ar: i64,
    /// Open invoices.
    pub open_invoices: u64,
    /// Open amount per aging bucket, not due first.
    pub buckets: Vec<i64>,
    /// Positive: credit in the client's favour.
    pub unapplied_credit: i64,
    /// Σ open × max(0, days past due), for DBT.
    pub open_days_overdue: i128,
    /// Σ open (the buckets' total).
    pub open_total: i64,
    /// Payment behaviour over the behaviour window.
    pub window: Behaviour,
    /// Per month of the trend windows: behaviour of paid invoices by month of settlement.
    pub by_settlement_month: Vec<(Month, Behaviour)>,
    /// Sales per month, for the whole lookback the DSO figures need, oldest first.
    pub sales: Vec<i64>,
    /// AR and current AR at each month end of the snapshot range, oldest first.
    pub ar: Vec<i64>,
    /// Current AR at the same month ends.
    pub current: Vec<i64>,
    /// Σ (due − issue) days and count of invoices issued in the window, for average terms.
    pub terms_days: i64,
    /// The invoices counted in `terms_days`.
    pub terms_count: u64,
}

/// Everything computed for one client (or the portfolio).
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// The sums everything else is computed from.
    pub sums: Sums,
    /// Days beyond terms: the open amount's weighted days past due.
    pub dbt: f64,
    /// Least-squares slope of monthly WADL over 6 months (days a month).
    pub wadl_slope_6m: Option<f64>,
    /// Late ratio of the last 3 months minus that of the 6 before.
    pub late_ratio_trend: Option<f64>,
    /// Standard DSO over the `dso_months` period.
    pub dso_standard: Option<f64>,
    /// Countback DSO at the as-of date.
    pub dso_countback: Option<f64>,
    /// The countback ran out of lookback before the AR was explained.
    pub dso_countback_capped: bool,
    /// Best possible DSO over the same period.
    pub bpdso: Option<f64>,
    /// Average days delinquent: standard DSO − BPDSO.
    pub add: Option<f64>,
    /// CEI over the `dso_months` period, as a fraction.
    pub cei: Option<f64>,
    /// Average agreed terms (due − issue) of invoices issued in the behaviour window.
    pub avg_terms_days: Option<f64>,
    /// The monthly series, oldest first.
    pub monthly: Vec<MonthRow>,
}

/// One client's analysis.
#[derive(Clone, Debug)]
pub struct ClientResult {
    /// The client.
    pub client: ClientIx,
    /// Its figures.
    pub figures: Figures,
    /// Its open invoices at the as-of date, by due date.
    pub open_items: Vec<OpenItem>,
    /// Its invoices' course, for the forecast (taken by `outlook`).
    pub history: History,
    /// What the replay found doubtful (unusable references, unmatched reversals).
    pub warnings: Vec<String>,
}

impl ClientResult {
    /// The open amount of its disputed invoices (the ledger's flag or the collector's log), in
    /// minor units of the reporting currency.
    pub fn disputed_open(&self) -> i64 {
        self.open_items.iter().filter(|o| o.disputed).map(|o| o.invoice.open.minor()).sum()
    }
}

/// The whole analysis at one as-of date.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The date everything is computed at.
    pub as_of: NaiveDate,
    /// The settings it was computed with.
    pub settings: Settings,
    /// Clients with any document or payment on or before the as-of date, by client id.
    pub clients: Vec<ClientResult>,
    /// The portfolio's figures, from portfolio sums.
    pub portfolio: Figures,
    /// Data-quality warnings found by allocation (unknown references, reversals).
    pub warnings: Vec<String>,
}

impl Sums {
    /// The open amount past due: every aging bucket but the first (not yet due).
    pub fn overdue(&self) -> i64 {
        self.buckets.iter().skip(1).sum()
    }

    /// The past-due share of the open invoices; undefined when nothing is open.
    pub fn overdue_share(&self) -> Option<f64> {
        (self.open_total > 0).then(|| self.overdue() as f64 / self.open_total as f64)
    }

    /// Drops the series a client's sums carry once they are merged into the portfolio's.
    pub(super) fn shed_series(&mut self) {
        self.by_settlement_month = Vec::new();
        self.sales = Vec::new();
        self.ar = Vec::new();
        self.current = Vec::new();
    }
}

/// Adds `s` into `t` (a client's sums into the portfolio's).
pub(super) fn merge_sums(t: &mut Sums, s: &Sums) {
    t.net_ar += s.net_ar;
    t.open_invoices += s.open_invoices;
    if t.buckets.is_empty() {
        t.buckets = vec![0; s.buckets.len()];
        t.sales = vec![0; s.sales.len()];
        t.ar = vec![0; s.ar.len()];
        t.current = vec![0; s.current.len()];
        t.by_settlement_month = s.by_settlement_month.iter().map(|(m, _)| (*m, Behaviour::default())).collect();
    }
    for (a, b) in t.buckets.iter_mut().zip(&s.buckets) {
        *a += b;
    }
    t.unapplied_credit += s.unapplied_credit;
    t.open_days_overdue += s.open_days_overdue;
    t.open_total += s.open_total;
    t.window.merge(&s.window);
    for (a, b) in t.by_settlement_month.iter_mut().zip(&s.by_settlement_month) {
        a.1.merge(&b.1);
    }
    for (a, b) in t.sales.iter_mut().zip(&s.sales) {
        *a += b;
    }
    for (a, b) in t.ar.iter_mut().zip(&s.ar) {
        *a += b;
    }
    for (a, b) in t.current.iter_mut().zip(&s.current) {
        *a += b;
    }
    t.terms_days += s.terms_days;
    t.terms_count += s.terms_count;
}
