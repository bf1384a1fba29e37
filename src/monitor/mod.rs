//! Monitoring: bureau data matched to clients, the risk score of every client, the run's
//! snapshot saved in the history, and the alerts that the comparison with the previous run
//! raises.

pub mod alerts;
pub mod assessment;
pub mod early_warning;
pub mod history;
pub mod opportunities;

use crate::analytics::Analysis;
use crate::analytics::dispute::Disputes;
use crate::analytics::past::{Lately, Scratch, day};
use crate::analytics::promise::Promises;
use crate::analytics::risk::{self, RiskInput, RiskSettings};
use crate::bureau::elsewhere::Elsewhere;
use crate::bureau::watchlist::Watched;
use crate::bureau::{self, BureauSettings, Matched, Snapshot};
use crate::model::{CompanyNumber, Currency, Money, Roster};
use history::Entry;
use std::collections::BTreeMap;

pub use assessment::{Assessment, ClientView};

/// Matches bureau snapshots and scores every client.
// Each input is one source of what is known of a client (ledger, bureau, watchlist, pool,
// collector's log): bundling them would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn assess(
    roster: &Roster,
    analysis: &Analysis,
    snapshots: Vec<Snapshot>,
    bureau_settings: &BureauSettings,
    risk_settings: &RiskSettings,
    watchlist: &[Watched],
    elsewhere: &BTreeMap<CompanyNumber, Elsewhere>,
    promises: &Promises,
    disputes: &Disputes,
) -> Assessment {
    let active: Vec<u32> = analysis.clients.iter().map(|c| c.client).collect();
    let (matched, before) = if snapshots.is_empty() {
        (Matched::default(), Matched::default())
    } else {
        let at = |d| bureau::match_clients(&roster.clients, &active, &snapshots, bureau_settings, watchlist, d);
        (at(analysis.as_of), at(risk::score_before_day(analysis.as_of)))
    };
    let clients = analysis
        .clients
        .iter()
        .map(|c| {
            let f = &c.figures;
            let mut over_60 = 0;
            let mut over_90 = 0;
            for o in &c.open_items {
                let d = (analysis.as_of - o.invoice.due).num_days();
                if d > 60 {
                    over_60 += o.invoice.open.minor();
                }
                if d > 90 {
                    over_90 += o.invoice.open.minor();
                }
            }
            let share = |v: i64| if f.sums.open_total > 0 { v as f64 / f.sums.open_total as f64 } else { 0.0 };
            // An open-items snapshot knows nothing of how invoices were paid: no "later than
            // usual", no "paid in parts". (Its open invoices would read as unpaid so far, the
            // older ones longer: never later than usual, but the factor's weight would dilute
            // the others as if it were known to be good.)
            let lately = if analysis.settings.snapshot {
                Lately::default()
            } else {
                c.history.lately(day(analysis.as_of), &mut Scratch::default())
            };
            let mut input = RiskInput {
                wadl: f.sums.window.wadl(),
                wadl_slope: f.wadl_slope_6m,
                later_than_usual: lately.later_than_usual,
                paid_in_parts: lately.paid_in_parts,
                dbt: f.dbt,
                share_over_60: share(over_60),
                share_over_90: share(over_90),
                add: f.add,
                open_invoices: f.sums.open_invoices,
                ..Default::default()
            };
            let pooled =
                roster.clients[c.client as usize].company_number.as_ref().and_then(|n| elsewhere.get(n)).cloned();
            input.elsewhere = pooled.as_ref().and_then(|e| e.wadl.map(|w| (w, e.creditors)));
            let record = promises.record(c.client, analysis.as_of);
            input.promises = (record.kept + record.broken > 0).then_some((record.kept, record.broken));
            let snapshot = matched.latest.get(&c.client).copied();
            let snap = snapshot.map(|i| &snapshots[i]);
            if let Some(s) = snap {
                input = input
                    .with_bureau(s, f.sums.net_ar)
                    .with_before(before.latest.get(&c.client).map(|&i| &snapshots[i]));
            }
            ClientView {
                snapshot,
                credit_limit: snap.and_then(|s| s.bureau.credit_limit).map(Money::minor),
                utilisation: input.utilisation,
                status: snap.and_then(|s| s.bureau.status),
                risk: risk::assess(&input, risk_settings, bureau_settings),
                over_60,
                over_90,
                elsewhere: pooled,
                promises: record,
                longest_dispute_days: c
                    .open_items
                    .iter()
                    .filter_map(|o| disputes.days(c.client, &o.invoice.document_id, analysis.as_of))
                    .max(),
            }
        })
        .collect();
    Assessment { clients, matched, snapshots }
}

/// The run's entries for the history and the comparison: one per client, then one per
/// watched company (its bureau fields only: it has no ledger). Balances in `currency`, the
/// reporting currency.
pub fn entries(
    roster: &Roster,
    analysis: &Analysis,
    a: &Assessment,
    watchlist: &[Watched],
    currency: Currency,
) -> Vec<Entry> {
    let clients = analysis.clients.iter().zip(&a.clients).map(|(c, v)| {
        let client = &roster.clients[c.client as usize];
        let f = &c.figures;
        let mut e = Entry {
            client_name: client.name.clone(),
            company_number: client.company_number.as_ref().map(ToString::to_string).unwrap_or_default(),
            net_ar: Money::new(f.sums.net_ar, currency),
            overdue_91_plus: Money::new(v.over_90, currency),
            wadl_12m: f.sums.window.wadl(),
            late_ratio_12m: f.sums.window.late_ratio(),
            wadl_slope_6m: f.wadl_slope_6m,
            dso_countback: f.dso_countback,
            avg_terms_days: f.avg_terms_days,
            risk_score: Some(v.risk.score),
            risk_tier: Some(v.risk.tier),
            elsewhere_creditors: v.elsewhere.as_ref().map_or(0, |e| e.creditors),
            elsewhere_wadl_12m: v.elsewhere.as_ref().and_then(|e| e.wadl),
            elsewhere_wadl_before: v.elsewhere.as_ref().and_then(|e| e.wadl_before),
            last_broken_promise: v.promises.last_broken,
            longest_dispute_days: v.longest_dispute_days,
            ..Entry::new(client.id.clone(), currency)
        };
        bureau_fields(&mut e, v.snapshot.map(|i| &a.snapshots[i]));
        e
    });
    let watched = watchlist.iter().enumerate().map(|(i, w)| {
        let mut e = Entry {
            client_name: w.name.clone(),
            company_number: w.company.to_string(),
            role: w.role,
            ..Entry::new(w.company.to_string(), currency)
        };
        bureau_fields(&mut e, a.matched.watched.get(&i).map(|&j| &a.snapshots[j]));
        e
    });
    clients.chain(watched).collect()
}

/// What a snapshot says, into an entry (nothing without one).
fn bureau_fields(e: &mut Entry, snap: Option<&Snapshot>) {
    let Some(s) = snap else { return };
    e.in_bureau = true;
    e.bureau = s.bureau.clone();
}
