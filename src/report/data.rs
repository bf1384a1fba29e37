//! The plain data files other tools read (`data/*.csv`, `data/summary.json`), exactly as
//! `outputs.md` fixes them: which tables, which of their columns in which order, and the
//! files that are no table (rejected rows, warnings, the summary).

use super::csv::{safe_text, strings, write_csv, write_table};
use super::table::Table;
use super::tables::{self, ActionContext};
use crate::analytics::Analysis;
use crate::analytics::as_of::AsOf;
use crate::collection::handover::Line;
use crate::collection::ladder::Action;
use crate::ingest::bureau::BureauIngested;
use crate::ingest::{DataQuality, Reject, SourceStats, Warning};
use crate::model::{ClientIx, Currency, Money, Roster, format_minor};
use crate::monitor::Assessment;
use crate::monitor::alerts::Alert;
use crate::monitor::opportunities::Opportunity;
use crate::output::write_atomic;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Where the data files go, and whether each is also written as Parquet.
pub struct DataDir<'a> {
    /// The month's `data/` folder.
    pub path: &'a Path,
    /// Also `<file>.parquet` beside each `<file>.csv` (the `parquet` feature).
    pub parquet: bool,
}

impl DataDir<'_> {
    /// `<stem>.csv` from a table, and `<stem>.parquet` when asked.
    pub fn table<R>(&self, stem: &str, table: &Table<'_, R>, keys: Option<&[&str]>) -> std::io::Result<()> {
        write_table(&self.path.join(format!("{stem}.csv")), table, keys)?;
        #[cfg(feature = "parquet")]
        if self.parquet {
            super::parquet::write_table(&self.path.join(format!("{stem}.parquet")), table, keys)?;
        }
        Ok(())
    }

    /// `<stem>.csv` from rows of text, and `<stem>.parquet` when asked.
    fn strings(&self, stem: &str, header: &[String], rows: impl Iterator<Item = Vec<String>>) -> std::io::Result<()> {
        let csv = self.path.join(format!("{stem}.csv"));
        #[cfg(feature = "parquet")]
        if self.parquet {
            // Both files from the same rows: held once, only when Parquet is asked for.
            let rows: Vec<Vec<String>> = rows.collect();
            super::parquet::write_strings(&self.path.join(format!("{stem}.parquet")), header, &rows)?;
            return write_csv(&csv, header, rows.into_iter());
        }
        write_csv(&csv, header, rows)
    }
}

/// `clients.csv`: every column of the clients table.
pub fn write_clients(
    dir: &DataDir,
    roster: &Roster,
    a: &Analysis,
    assessment: &Assessment,
    cur: Currency,
) -> std::io::Result<()> {
    dir.table("clients", &tables::clients(roster, a, assessment, cur), None)
}

/// `monthly.csv`: the full grid of months for each client, plus `*` rows for the portfolio.
pub fn write_monthly(dir: &DataDir, roster: &Roster, a: &Analysis, cur: Currency) -> std::io::Result<()> {
    dir.table("monthly", &tables::monthly(roster, a, cur), None)
}

/// The columns of `open_items.csv` (the client's name last: it came after the others).
const OPEN_ITEMS: [&str; 12] = [
    "client_id",
    "document_id",
    "issue_date",
    "due_date",
    "amount",
    "open_amount",
    "days_past_due",
    "bucket",
    "disputed",
    "document_currency",
    "document_open_amount",
    "client_name",
];

/// `open_items.csv`: every open invoice at the as-of date.
pub fn write_open_items(dir: &DataDir, roster: &Roster, a: &Analysis, cur: Currency) -> std::io::Result<()> {
    let names = a.settings.bucket_names();
    dir.table("open_items", &tables::open_items(roster, a, &names, cur), Some(&OPEN_ITEMS))
}

/// The columns of `alerts.csv` (the client's name and the role last: they came after the others).
const ALERTS: [&str; 9] =
    ["client_id", "kind", "direction", "severity", "previous", "current", "message", "client_name", "role"];

/// `alerts.csv`: what changed since the previous run.
pub fn write_alerts(dir: &DataDir, alerts: &[Alert]) -> std::io::Result<()> {
    dir.table("alerts", &tables::alerts(alerts.iter().collect(), None), Some(&ALERTS))
}

/// The columns of `opportunities.csv` (the reports' `client` label is not data).
pub const OPPORTUNITIES: [&str; 7] =
    ["client_id", "client_name", "role", "credit_limit", "exposure", "credit_room", "reasons"];

/// `opportunities.csv`: whom sales could call, and why, the largest credit room first.
pub fn write_opportunities(dir: &DataDir, rows: &[Opportunity], roster: &Roster, cur: Currency) -> std::io::Result<()> {
    dir.table("opportunities", &tables::opportunities(rows, roster, cur), Some(&OPPORTUNITIES))
}

/// The columns of `actions.csv`: one invoice a row (the client totals are the sheet's).
const ACTIONS: [&str; 13] = [
    "client_id",
    "client_name",
    "document_id",
    "due_date",
    "days_past_due",
    "open_amount",
    "steps_done",
    "kind",
    "next_action",
    "action_date",
    "overdue_days",
    "claim",
    "reason",
];

/// `actions.csv`: the next collection action on every invoice past due, the most urgent first.
pub fn write_actions(dir: &DataDir, ctx: ActionContext, actions: &[Action]) -> std::io::Result<()> {
    dir.table("actions", &tables::actions(ctx, actions), Some(&ACTIONS))
}

/// `handover.csv`: the invoices handed to collection, with each debtor's dossier file.
pub fn write_handover(
    dir: &DataDir,
    roster: &Roster,
    lines: &[Line],
    dossiers: &BTreeMap<ClientIx, String>,
    cur: Currency,
) -> std::io::Result<()> {
    dir.table("handover", &tables::handover(roster, lines, dossiers, cur), None)
}

/// What monitoring adds to `summary.json`.
pub struct RunInfo<'a> {
    /// The bureau inputs.
    pub bureau: &'a BureauIngested,
    /// Risk per client.
    pub assessment: &'a Assessment,
    /// The alerts.
    pub alerts: &'a [Alert],
    /// The saved run the alerts compare with.
    pub compared_with: Option<&'a Path>,
    /// Why the as-of date, and whether its month looks incomplete.
    pub as_of: &'a AsOf,
    /// What the run itself warned about (a compensation without a rate).
    pub run_warnings: &'a [Warning],
}

/// `rejected.csv`: every input row that is not in the ledger, with its place and reason.
pub fn write_rejected(dir: &DataDir, rejects: &[Reject]) -> std::io::Result<()> {
    let header = strings(&["source", "location", "column", "value", "reason", "raw"]);
    let rows = rejects.iter().map(|r| {
        vec![
            safe_text(&r.source),
            r.location.clone(),
            safe_text(&r.column),
            safe_text(&r.value),
            safe_text(&r.reason),
            safe_text(&r.raw),
        ]
    });
    dir.strings("rejected", &header, rows)
}

/// `warnings.csv`: data-quality observations that did not stop a row.
pub fn write_warnings(dir: &DataDir, ingest: &[Warning], analysis: &[String]) -> std::io::Result<()> {
    let header = strings(&["source", "location", "message", "kind"]);
    let rows = ingest
        .iter()
        .map(|w| vec![safe_text(&w.source), w.location.clone(), safe_text(&w.message), w.kind.to_string()])
        .chain(
            analysis.iter().map(|m| vec!["analysis".to_string(), String::new(), safe_text(m), "analysis".to_string()]),
        );
    dir.strings("warnings", &header, rows)
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

/// `summary.json`: the run's as-of date, inputs reconciled, portfolio KPIs and version.
pub fn write_summary(
    dir: &Path,
    company: &str,
    ing: &DataQuality,
    a: Option<&Analysis>,
    run: Option<&RunInfo<'_>>,
    cur: Currency,
) -> std::io::Result<()> {
    let mut root = serde_json::Map::new();
    root.insert("software".into(), serde_json::json!({"name": "arwatch", "version": env!("CARGO_PKG_VERSION")}));
    root.insert("company".into(), company.into());
    root.insert("currency".into(), cur.code().into());
    if let Some(a) = a {
        root.insert("as_of".into(), a.as_of.to_string().into());
    }
    root.insert("inputs".into(), serde_json::to_value(input_summaries(&ing.stats)).unwrap_or_default());
    root.insert(
        "data_quality".into(),
        serde_json::json!({
            "rows_read": ing.stats.iter().map(|s| s.rows_read).sum::<u64>(),
            "accepted": ing.stats.iter().map(|s| s.accepted).sum::<u64>(),
            "rejected": ing.rejects.iter().map(|r| u64::from(r.rows)).sum::<u64>(),
            "warnings": ing.warnings.len()
                + a.map(|a| a.warnings.len()).unwrap_or(0)
                + run.map(|r| usize::from(r.as_of.incomplete.is_some()) + r.run_warnings.len()).unwrap_or(0),
        }),
    );
    if let Some(a) = a {
        root.insert("portfolio".into(), portfolio(a, cur));
    }
    if let Some(r) = run {
        root.insert("as_of_choice".into(), r.as_of.to_json());
        monitoring(&mut root, r);
    }
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(root)).map_err(std::io::Error::other)?;
    text.push('\n');
    write_atomic(&dir.join("summary.json"), text.as_bytes())
}

/// `summary.json`'s portfolio: balances, aging and every figure with its method and period.
fn portfolio(a: &Analysis, cur: Currency) -> serde_json::Value {
    let money = |v: i64| Money::new(v, cur).to_string();
    let round = |v: Option<f64>, d: i32| v.map(|x| (x * 10f64.powi(d)).round() / 10f64.powi(d));
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
        "overdue_share": round(p.sums.overdue_share(), 4),
        "dbt": round(Some(p.dbt), 2),
        "dso_standard": {"method": "standard", "period_months": s.dso_months, "days": round(p.dso_standard, 2)},
        "dso_countback": {"method": "countback", "lookback_months": s.countback_lookback_months, "days": round(p.dso_countback, 2), "capped": p.dso_countback_capped},
        "bpdso": {"method": "best possible", "period_months": s.dso_months, "days": round(p.bpdso, 2)},
        "add": {"method": "standard DSO minus BPDSO", "period_months": s.dso_months, "days": round(p.add, 2)},
        "cei": {"period_months": s.dso_months, "value": round(p.cei, 4)},
        "behaviour": {
            "window_months": s.behaviour_window_months,
            "paid": count(p.sums.window.paid),
            "late": count(p.sums.window.late),
            "late_ratio": round(p.sums.window.late_ratio(), 4),
            "late_amount_ratio": round(p.sums.window.late_amount_ratio(), 4),
            "wadl": round(p.sums.window.wadl(), 2),
            "adp": round(p.sums.window.adp(), 2),
            "wadl_slope_6m": round(p.wadl_slope_6m, 2),
            "late_ratio_trend": round(p.late_ratio_trend, 4),
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

/// `summary.json`'s bureau match, risk tiers and comparison with the previous run.
fn monitoring(root: &mut serde_json::Map<String, serde_json::Value>, r: &RunInfo<'_>) {
    let m = &r.assessment.matched;
    root.insert(
        "bureau".into(),
        serde_json::json!({
            "inputs": input_summaries(&r.bureau.stats),
            "snapshots": r.bureau.snapshots.len(),
            "clients_matched": m.latest.len(),
            "unmatched_clients": m.unmatched_clients,
            "unmatched_companies": m.unmatched_companies,
        }),
    );
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
