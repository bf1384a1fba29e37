//! The data files other tools read (`data/*.csv`, `.parquet` when asked, `data/summary.json`),
//! drawn from the report model exactly as `outputs.md` fixes them: which tables, which of their
//! columns in which order, and the files that are no table (rejected rows, warnings, the
//! summary).

use super::csv::{safe_text, strings, write_csv, write_table};
use super::error::ReportError;
use super::model::{Reject, ReportModel, Warning};
use super::renderer::Renderer;
use super::table::Table;
use crate::locale::Lang;
use crate::output::write_staged;
use crate::stopwatch::{Lap, Stopwatch};
use rayon::prelude::*;
use std::path::Path;

/// The data files, always written; each also as Parquet with `parquet`.
pub struct DataFiles {
    /// Also `<file>.parquet` beside each `<file>.csv` (the `parquet` feature).
    pub parquet: bool,
}

impl Renderer for DataFiles {
    fn name(&self) -> &'static str {
        "data files"
    }

    fn render(&self, m: &ReportModel<'_>, month: &Path) -> Result<(), ReportError> {
        self.render_timed(m, month).map(|_| ())
    }

    fn render_timed(&self, m: &ReportModel<'_>, month: &Path) -> Result<Vec<(&'static str, Lap)>, ReportError> {
        let path = month.join("data");
        let dir = &DataDir { path: &path, parquet: self.parquet };
        type Write<'w> = Box<dyn Fn() -> std::io::Result<()> + Send + Sync + 'w>;
        let files: Vec<(&'static str, Write<'_>)> = vec![
            ("data/clients.csv", Box::new(|| dir.table("clients", &m.clients(), None))),
            ("data/monthly.csv", Box::new(|| dir.table("monthly", &m.monthly(), None))),
            ("data/open_items.csv", Box::new(|| dir.table("open_items", &m.open_items(), Some(&OPEN_ITEMS)))),
            ("data/rejected.csv", Box::new(|| write_rejected(dir, m.rejects().into_iter()))),
            ("data/warnings.csv", Box::new(|| write_warnings(dir, &m.data_warnings()))),
            ("data/alerts.csv", Box::new(|| dir.table("alerts", &m.alerts_data(), Some(&ALERTS)))),
            (
                "data/opportunities.csv",
                Box::new(|| dir.table("opportunities", &m.opportunities(), Some(&OPPORTUNITIES))),
            ),
            ("data/actions.csv", Box::new(|| dir.table("actions", &m.actions(), Some(&ACTIONS)))),
            ("data/handover.csv", Box::new(|| dir.table("handover", &m.handover(), None))),
            ("data/forecast.csv", Box::new(|| dir.table("forecast", &m.forecast(Lang::En), Some(&FORECAST)))),
            ("data/forecast_weeks.csv", Box::new(|| dir.table("forecast_weeks", &m.forecast_weeks(), None))),
            (
                "data/summary.json",
                Box::new(|| {
                    let mut text = serde_json::to_string_pretty(&m.summary()).map_err(std::io::Error::other)?;
                    text.push('\n');
                    write_staged(&path.join("summary.json"), text.as_bytes())
                }),
            ),
        ];
        // The files are independent: written side by side, each in its own order, so the bytes
        // are those of one after the other. A file's time is its wall time; its CPU is the
        // process's over that time, other files' included.
        files
            .par_iter()
            .map(|(name, write)| {
                let t = Stopwatch::start();
                write().map_err(|e| ReportError::write(&path, e))?;
                Ok((*name, t.lap()))
            })
            .collect()
    }
}

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

/// The columns of `open_items.csv` (the client's name last: it came after the others).
const OPEN_ITEMS: [&str; 14] = [
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
    "days_in_dispute",
    "instalment",
];

/// The columns of `forecast.csv` (the spec's; the sheet also shows the client's name).
const FORECAST: [&str; 12] = [
    "client_id",
    "document_id",
    "currency",
    "open_amount",
    "due_date",
    "days_past_due",
    "expected_date",
    "date_p10",
    "date_p90",
    "p_collected_13w",
    "basis",
    "instalment",
];

/// The columns of `alerts.csv` (the client's name and the role last: they came after the others).
const ALERTS: [&str; 9] =
    ["client_id", "kind", "direction", "severity", "previous", "current", "message", "client_name", "role"];

/// The columns of `opportunities.csv` (the reports' `client` label is not data).
pub const OPPORTUNITIES: [&str; 7] =
    ["client_id", "client_name", "role", "credit_limit", "exposure", "credit_room", "reasons"];

/// The columns of `actions.csv`: one invoice a row (the client totals are the sheet's).
const ACTIONS: [&str; 14] = [
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
    "instalment",
];

/// `rejected.csv`: every input row that is not in the ledger, with its place and reason (also
/// beside the month folders when too many rows stop a run).
pub fn write_rejected<'r>(dir: &DataDir, rejects: impl Iterator<Item = &'r Reject>) -> std::io::Result<()> {
    let header = strings(&["source", "location", "column", "value", "reason", "raw"]);
    let rows = rejects.map(|r| {
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
fn write_warnings(dir: &DataDir, warnings: &[Warning]) -> std::io::Result<()> {
    let header = strings(&["source", "location", "message", "kind"]);
    let rows = warnings
        .iter()
        .map(|w| vec![safe_text(&w.source), w.location.clone(), safe_text(&w.message), w.kind.to_string()]);
    dir.strings("warnings", &header, rows)
}
