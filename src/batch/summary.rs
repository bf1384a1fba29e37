//! `batch-summary.csv` and `batch-summary.json`: one row per portfolio, what happened and its
//! headline figures; shards write their own, merged afterwards in manifest order.

use super::error::BatchError;
use crate::output::write_atomic;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The columns of `batch-summary.csv`, in order.
pub const COLUMNS: [&str; 15] = [
    "portfolio",
    "status",
    "exit_code",
    "duration_s",
    "clients",
    "net_ar",
    "currency",
    "dso_countback",
    "overdue_share",
    "alerts_critical",
    "alerts_high",
    "alerts_medium",
    "alerts_low",
    "month_folder",
    "message",
];

/// One portfolio's outcome.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Its name in the manifest.
    pub portfolio: String,
    /// `ok`, `warnings`, `failed` or `skipped` (unchanged since its last run).
    pub status: String,
    /// The exit code of its run (0 when skipped).
    pub exit_code: i32,
    /// Wall time of its run, in seconds.
    pub duration_s: f64,
    /// Its clients.
    pub clients: Option<u64>,
    /// Its net AR, as `summary.json` writes it.
    pub net_ar: Option<String>,
    /// Its reporting currency.
    pub currency: Option<String>,
    /// Its countback DSO.
    pub dso_countback: Option<f64>,
    /// The share of its open amount that is overdue.
    pub overdue_share: Option<f64>,
    /// Its alerts by severity.
    pub alerts_critical: u64,
    /// …
    pub alerts_high: u64,
    /// …
    pub alerts_medium: u64,
    /// …
    pub alerts_low: u64,
    /// Its month folder (written with `/` on every system, as the data files name paths).
    #[serde(serialize_with = "portable_path")]
    pub month_folder: Option<PathBuf>,
    /// What went wrong (the first error line), or what was skipped.
    pub message: String,
}

impl Row {
    /// The figures of a run that wrote `month` (`<out>/<YYYY-MM>`).
    pub fn read_figures(&mut self, month: &Path) {
        let data = month.join("data");
        if let Ok(text) = std::fs::read_to_string(data.join("summary.json"))
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
        {
            let p = &v["portfolio"];
            self.clients = p["clients"].as_u64();
            self.net_ar = p["net_ar"].as_str().map(String::from);
            self.currency = v["currency"].as_str().map(String::from);
            self.dso_countback = p["dso_countback"]["days"].as_f64();
            self.overdue_share = p["overdue_share"].as_f64();
        }
        if let Ok(mut r) = csv::Reader::from_path(data.join("alerts.csv")) {
            for rec in r.records().flatten() {
                match rec.get(3) {
                    Some("critical") => self.alerts_critical += 1,
                    Some("high") => self.alerts_high += 1,
                    Some("medium") => self.alerts_medium += 1,
                    Some("low") => self.alerts_low += 1,
                    _ => {}
                }
            }
        }
        self.month_folder = Some(month.to_path_buf());
    }
}

/// Writes `<stem>.csv` and `<stem>.json` under `dir`.
pub fn write(dir: &Path, stem: &str, rows: &[Row]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    let opt = |v: Option<String>| v.unwrap_or_default();
    for r in rows {
        w.write_record([
            r.portfolio.clone(),
            r.status.clone(),
            r.exit_code.to_string(),
            format!("{:.2}", r.duration_s),
            opt(r.clients.map(|c| c.to_string())),
            opt(r.net_ar.clone()),
            opt(r.currency.clone()),
            opt(r.dso_countback.map(|d| format!("{d:.2}"))),
            opt(r.overdue_share.map(|s| format!("{s:.4}"))),
            r.alerts_critical.to_string(),
            r.alerts_high.to_string(),
            r.alerts_medium.to_string(),
            r.alerts_low.to_string(),
            opt(r.month_folder.as_deref().map(crate::platform::portable)),
            r.message.clone(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
    write_atomic(&dir.join(format!("{stem}.csv")), &bytes)?;
    let count = |s: &str| rows.iter().filter(|r| r.status == s).count();
    let json = serde_json::json!({
        "portfolios": rows,
        "ok": count("ok"),
        "warnings": count("warnings"),
        "failed": count("failed"),
        "skipped": count("skipped"),
    });
    let text = serde_json::to_string_pretty(&json).map_err(|e| std::io::Error::other(e.to_string()))?;
    write_atomic(&dir.join(format!("{stem}.json")), text.as_bytes())
}

/// The rows of a `<stem>.json` written by [`write`].
pub fn read(path: &Path) -> Result<Vec<Row>, BatchError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| BatchError::Unreadable { path: path.to_path_buf(), source })?;
    let not_ours = |e: serde_json::Error| BatchError::Summary { path: path.to_path_buf(), problem: e.to_string() };
    let v: serde_json::Value = serde_json::from_str(&text).map_err(not_ours)?;
    serde_json::from_value(v["portfolios"].clone()).map_err(not_ours)
}

fn portable_path<S: serde::Serializer>(p: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.serialize_some(&crate::platform::portable(p)),
        None => s.serialize_none(),
    }
}
