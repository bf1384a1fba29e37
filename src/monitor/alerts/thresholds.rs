//! `[monitor]`: how large a change must be to be news.

use serde::Deserialize;

/// `[monitor]` in the configuration: when a change is worth an alert.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Relative change of the credit limit (0.2 = 20 %).
    pub credit_limit_change: f64,
    /// Change of a score as a share of its scale (0.1 = 10 points on 0–100).
    pub score_change: f64,
    /// The same for the payment score, …
    pub payment_score_change: f64,
    /// … the growth score …
    pub growth_score_change: f64,
    /// … and the discontinuation score.
    pub discontinuation_score_change: f64,
    /// Change of WADL (12 months), in days.
    pub wadl_change_days: f64,
    /// A WADL trend at least this steep (days a month), with WADL up since the last run, is a
    /// client paying later and later.
    pub paying_later_days_per_month: f64,
    /// Rise of the late ratio (0.2 = 20 points).
    pub late_ratio_jump: f64,
    /// Rise of the average agreed terms, in days.
    pub terms_increase_days: f64,
    /// Change of countback DSO, in days, …
    pub dso_change_days: f64,
    /// … and as a share of the previous value: both must be reached.
    pub dso_change_share: f64,
    /// Ledger alerts (WADL, late ratio, DSO, terms) only for clients whose net AR now or
    /// before is at least this much, in currency units: small balances swing without meaning.
    pub min_net_ar: f64,
    /// A client is only "paying later and later" once its WADL is at least this many days.
    pub paying_later_min_wadl: f64,
    /// `pays_others_late` when the client's WADL at the pool's other creditors is this many days
    /// above its WADL here, …
    pub pays_others_late_gap_days: f64,
    /// … or rose by this many days since the month before.
    pub pays_others_worse_days: f64,
    /// `long_dispute` when a dispute open at the as-of date (the collector's log) has lasted
    /// this many days, and had not at the last run.
    pub long_dispute_days: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            credit_limit_change: 0.2,
            score_change: 0.1,
            payment_score_change: 0.1,
            growth_score_change: 0.1,
            discontinuation_score_change: 0.1,
            wadl_change_days: 5.0,
            paying_later_days_per_month: 2.0,
            late_ratio_jump: 0.2,
            terms_increase_days: 10.0,
            dso_change_days: 20.0,
            dso_change_share: 0.5,
            min_net_ar: 1000.0,
            paying_later_min_wadl: 5.0,
            pays_others_late_gap_days: 15.0,
            pays_others_worse_days: 5.0,
            long_dispute_days: 60.0,
        }
    }
}
