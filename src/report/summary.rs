//! What `summary.json` holds, built from the report's sources: the run's as-of date and why,
//! every input reconciled, the portfolio's figures with their methods and periods, the bureau
//! match, the risk tiers and the comparison with the previous run.

use super::records::Instalments;
use super::sources::Sources;
use crate::analytics::{Analysis, ClientResult};
use crate::ingest::SourceStats;
use crate::model::{Currency, Money, format_minor};
use serde::Serialize;

/// `summary.json` of a run; `instalments` as the report model counted them.
pub fn of(src: &Sources<'_>, instalments: &Instalments) -> serde_json::Value {
    let (ing, a, cur) = (src.quality, src.analysis, src.currency);
    let mut root = serde_json::Map::new();
    root.insert("software".into(), serde_json::json!({"name": "arwatch", "version": env!("CARGO_PKG_VERSION")}));
    root.insert("company".into(), src.company.into());
    root.insert("currency".into(), cur.code().into());
    root.insert("as_of".into(), a.as_of.to_string().into());
    root.insert("inputs".into(), serde_json::to_value(input_summaries(&ing.stats)).unwrap_or_default());
    root.insert(
        "data_quality".into(),
        serde_json::json!({
            "rows_read": ing.stats.iter().map(|s| s.rows_read).sum::<u64>(),
            "accepted": ing.stats.iter().map(|s| s.accepted).sum::<u64>(),
            "rejected": ing.rejects.iter().map(|r| u64::from(r.rows)).sum::<u64>(),
            "warnings": ing.warnings.len()
                + a.warnings.len()
                + usize::from(src.as_of_choice.incomplete.is_some())
                + src.run_warnings.len(),
        }),
    );
    root.insert("portfolio".into(), portfolio(a, cur));
    root.insert("as_of_choice".into(), src.as_of_choice.to_json());
    monitoring(&mut root, src);
    let i = instalments;
    if i.invoices > 0 {
        root.insert(
            "instalments".into(),
            serde_json::json!({
                "invoices_open": i.invoices,
                "instalments_open": i.open,
                "open_amount": i.amount.to_string(),
                "past_due_amount": i.past_due.to_string(),
            }),
        );
    }
    root.insert("forecast".into(), forecast(src));
    root.insert("early_warning".into(), early_warning(src));
    serde_json::Value::Object(root)
}

/// The early-warning record (docs/monitoring.md): counts, shares and each failure.
fn early_warning(src: &Sources<'_>) -> serde_json::Value {
    let r = src.early_warning;
    if let Some(why) = r.none_because {
        return serde_json::json!({ "kept": false, "why_not": why });
    }
    let client = |ix: crate::model::ClientIx| &src.roster.clients[ix as usize];
    serde_json::json!({
        "kept": true,
        "month_ends": r.month_ends.len(),
        "first_month_end": r.month_ends.first().map(ToString::to_string),
        "failures_from": r.failures_from.map(|d| d.to_string()),
        "judged_until": r.judged_until.map(|d| d.to_string()),
        "lead_months": r.lead_months,
        "alarm_months": r.alarm_months,
        "failures": r.failures.len(),
        "flagged": r.flagged_failures(),
        "caught_ahead": r.caught_ahead(),
        "caught_ahead_share": rounded(r.caught_share(), 4),
        "median_lead_months": r.median_lead(),
        "healthy_clients": r.healthy,
        "false_alarms": r.false_alarms.len(),
        "false_alarm_share": rounded(r.false_alarm_share(), 4),
        "flagged_not_yet_judged": r.pending,
        "failed": r.failures.iter().map(|f| serde_json::json!({
            "client_id": client(f.client).id,
            "client_name": client(f.client).name,
            "failed_on": f.failed_on.to_string(),
            "cause": f.cause.label(),
            "flagged_on": f.flagged_on.map(|d| d.to_string()),
            "tier": f.tier.map(|t| t.label()),
            "lead_months": f.lead_months,
            "factor": f.factor.as_ref().map(|r| r.words(crate::locale::Lang::En)),
        })).collect::<Vec<_>>(),
    })
}

/// The forecast's totals and its track record (spec section 10; ratios and days rounded as
/// the data files write them).
fn forecast(src: &Sources<'_>) -> serde_json::Value {
    let (o, cur) = (src.outlook, src.currency);
    let b = &o.backtest;
    let ratio = |x: Option<f64>| rounded(x, 4);
    let days = |x: Option<f64>| rounded(x, 2);
    let expected = o.expected_13w();
    serde_json::json!({
        // Unknown (null), not zero, from a ledger without any payment.
        "expected_13w": o.known().then(|| Money::new(expected, cur).to_string()),
        "beyond_13w": o.known().then(|| Money::new(o.beyond, cur).to_string()),
        "backtest": {
            "origins": b.origins.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            "invoices": b.invoices,
            "wape": ratio(b.wape),
            "wape_due_date_baseline": ratio(b.wape_due_date_baseline),
            "wape_usual_delay_baseline": ratio(b.wape_usual_delay_baseline),
            "mae_days": days(b.mae_days),
            "mae_days_due_date_baseline": days(b.mae_days_due_date_baseline),
            "mae_days_usual_delay_baseline": days(b.mae_days_usual_delay_baseline),
            "coverage_80": ratio(b.coverage_80),
            "week_coverage_80": ratio(b.week_coverage_80),
        },
    })
}

#[derive(Serialize)]
struct InputSummary<'a> {
    file: &'a str,
    layout: &'a str,
    /// Physical lines (sheet rows), those before the rows (banner, header), and those inside
    /// multi-line rows beyond their first: lines = before + rows_read + within.
    lines: u64,
    lines_before_rows: u64,
    lines_within_rows: u64,
    rows_read: u64,
    /// The date the export states above its header, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    stated_date: Option<String>,
    accepted: u64,
    rejected: u64,
    rejected_blank_or_ignored: u64,
    invoices: u64,
    credit_notes: u64,
    payments: u64,
    reconciles: bool,
    control_totals: std::collections::BTreeMap<String, TotalsOut>,
    rejected_without_amount: u64,
}

#[derive(Serialize)]
struct TotalsOut {
    read: String,
    accepted: String,
    rejected: String,
}

/// Per-input reconciliation for `summary.json` and `arwatch check`.
fn input_summaries(stats: &[SourceStats]) -> Vec<InputSummary<'_>> {
    stats
        .iter()
        .map(|s| InputSummary {
            file: &s.file,
            layout: &s.layout,
            lines: s.lines,
            lines_before_rows: s.lines_before_rows,
            lines_within_rows: s.lines_within_rows,
            rows_read: s.rows_read,
            stated_date: s.stated_date.map(|d| d.to_string()),
            accepted: s.accepted,
            rejected: s.rejected,
            rejected_blank_or_ignored: s.rejected_benign,
            invoices: s.invoices,
            credit_notes: s.credit_notes,
            payments: s.payments,
            reconciles: s.reconciles(),
            control_totals: s
                .control_totals
                .iter()
                .map(|(c, t)| {
                    let d = Currency::parse(c).map(|c| c.minor_digits()).unwrap_or(2);
                    (
                        c.clone(),
                        TotalsOut {
                            read: format_minor(t.read, d),
                            accepted: format_minor(t.accepted, d),
                            rejected: format_minor(t.rejected, d),
                        },
                    )
                })
                .collect(),
            rejected_without_amount: s.rejected_without_amount,
        })
        .collect()
}

/// A figure rounded to `decimals` as the data files write it.
fn rounded(v: Option<f64>, decimals: i32) -> Option<f64> {
    v.map(|x| (x * 10f64.powi(decimals)).round() / 10f64.powi(decimals))
}

/// `summary.json`'s portfolio: balances, aging and every figure with its method and period.
fn portfolio(a: &Analysis, cur: Currency) -> serde_json::Value {
    let money = |v: i64| Money::new(v, cur).to_string();
    let p = &a.portfolio;
    let s = &a.settings;
    let mut buckets = serde_json::Map::new();
    for (name, v) in s.bucket_names().iter().zip(&p.sums.buckets) {
        buckets.insert(name.clone(), money(*v).into());
    }
    let count = |n: u64| (!s.snapshot).then_some(n);
    let mut out = serde_json::json!({
        "clients": a.clients.len(),
        "net_ar": money(p.sums.net_ar),
        "open_invoices": p.sums.open_invoices,
        "aging": buckets,
        "unapplied_credit": money(-p.sums.unapplied_credit),
        "overdue_share": rounded(p.sums.overdue_share(), 4),
        "dbt": rounded(Some(p.dbt), 2),
        "dso_standard": {"method": "standard", "period_months": s.dso_months, "days": rounded(p.dso_standard, 2)},
        "dso_countback": {"method": "countback", "lookback_months": s.countback_lookback_months, "days": rounded(p.dso_countback, 2), "capped": p.dso_countback_capped},
        "bpdso": {"method": "best possible", "period_months": s.dso_months, "days": rounded(p.bpdso, 2)},
        "add": {"method": "standard DSO minus BPDSO", "period_months": s.dso_months, "days": rounded(p.add, 2)},
        "cei": {"period_months": s.dso_months, "value": rounded(p.cei, 4)},
        "behaviour": {
            "window_months": s.behaviour_window_months,
            "paid": count(p.sums.window.paid),
            "late": count(p.sums.window.late),
            "late_ratio": rounded(p.sums.window.late_ratio(), 4),
            "late_amount_ratio": rounded(p.sums.window.late_amount_ratio(), 4),
            "wadl": rounded(p.sums.window.wadl(), 2),
            "adp": rounded(p.sums.window.adp(), 2),
            "wadl_slope_6m": rounded(p.wadl_slope_6m, 2),
            "late_ratio_trend": rounded(p.late_ratio_trend, 4),
        },
    });
    if s.snapshot {
        // Appended: readers of the full-ledger summary see the same keys.
        out["not_available"] = serde_json::json!(
            "an open-items snapshot: what was sold and how it was paid are unknown, so the DSO family, CEI and payment behaviour are null"
        );
    }
    out
}

/// `summary.json`'s collector's log: its inputs, the promises of the 12 months to the as-of
/// date by how they stand, and the disputes open.
fn log(r: &Sources<'_>) -> serde_json::Value {
    let a = r.analysis;
    let p = r.promises.portfolio_record(a.as_of);
    let disputed: i64 = a.clients.iter().map(ClientResult::disputed_open).sum();
    serde_json::json!({
        "inputs": input_summaries(&r.log.stats),
        "events": r.log.rows.len(),
        "promises_12m": {
            "made": p.made,
            "kept": p.kept,
            "broken": p.broken,
            "live": p.made - p.kept - p.broken,
        },
        "disputes_open": r.disputes.count(),
        "disputed_open_amount": Money::new(disputed, r.currency).to_string(),
    })
}

/// `summary.json`'s bureau match, risk tiers and comparison with the previous run.
fn monitoring(root: &mut serde_json::Map<String, serde_json::Value>, r: &Sources<'_>) {
    let m = &r.assessment.matched;
    root.insert(
        "bureau".into(),
        serde_json::json!({
            "inputs": input_summaries(&r.bureau.stats),
            "snapshots": r.bureau.rows.len(),
            "clients_matched": m.latest.len(),
            "unmatched_clients": m.unmatched_clients,
            "unmatched_companies": m.unmatched_companies,
        }),
    );
    if !r.log.stats.is_empty() {
        root.insert("log".into(), log(r));
    }
    let mut tiers = serde_json::Map::new();
    for t in ["low", "medium", "high", "critical"] {
        let n = r.assessment.clients.iter().filter(|c| c.risk.tier.label() == t).count();
        tiers.insert(t.into(), n.into());
    }
    root.insert("risk_tiers".into(), serde_json::Value::Object(tiers));
    root.insert(
        "monitoring".into(),
        match r.compared_with {
            Some(p) => serde_json::json!({
                "compared_with": p.file_stem().map(|s| s.to_string_lossy().to_string()),
                "alerts": r.alerts.len(),
                "risks": r.alerts.iter().filter(|a| a.risk).count(),
                "opportunities": r.alerts.iter().filter(|a| !a.risk).count(),
            }),
            None => serde_json::json!({
                "compared_with": null,
                "alerts": 0,
                "note": "no month-end run before this as-of date is saved under the output root: nothing to compare with yet",
            }),
        },
    );
}
