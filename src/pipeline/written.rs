//! Stages three to five: the report model built once and drawn by each renderer the
//! configuration chooses into a staged month folder, the month put in place whole, and this
//! run saved in the history for the next one.

use super::analysed::Analysed;
use super::error::PipelineError;
use crate::config::Config;
use crate::monitor::history;
use crate::output::month_folder::{self, MonthFolder, RootLock};
use crate::report::model::ReportModel;
use crate::report::outputs;
use crate::report::sources::Sources;
use crate::stopwatch::Stopwatch;
use std::path::{Path, PathBuf};

/// Where the month went, and what the user should know that is no error.
pub struct Written {
    /// The month's `data/` folder, in place.
    pub data_dir: PathBuf,
    /// The month's management report (the PDF, else the workbook), in place.
    pub report: Option<PathBuf>,
    /// Dossiers left out, and the like.
    pub notes: Vec<String>,
}

/// Builds the report, draws each output into a staging folder, puts the month in place, then
/// saves the history entry.
pub fn write(config: &Config, a: &mut Analysed, lock: &RootLock) -> Result<Written, PipelineError> {
    let name = month_folder::folder_name(a.as_of);
    let month = MonthFolder::begin(&config.out, &name, lock).map_err(|e| PipelineError::output(&config.out, e))?;
    let mut timings = Vec::new();
    let model = ReportModel::build(sources(config, a));
    for r in outputs::chosen(config) {
        let t = Stopwatch::start();
        let parts = r.render_timed(&model, month.path())?;
        timings.push((r.name(), t.lap()));
        timings.extend(parts);
    }
    let notes = model.notes(config.reports.dossiers);
    drop(model);
    if config.pool.contribute {
        let t = Stopwatch::start();
        write_contribution(config, a, &month.path().join("pool"))?;
        timings.push(("pool contribution", t.lap()));
    }
    // The month goes in place whole; the history entry that the next run compares with is
    // saved only after that.
    let t = Stopwatch::start();
    let target = month.commit().map_err(|e| PipelineError::output(&config.out, e))?;
    history::save(&config.out, a.as_of, &a.entries).map_err(|e| PipelineError::output(&config.out, e))?;
    timings.push(("month in place and history", t.lap()));
    a.timings.extend(timings);
    let report = if config.reports.pdf {
        Some(target.join(format!("arwatch-{name}.pdf")))
    } else {
        config.reports.workbook.then(|| target.join(format!("arwatch-{name}.xlsx")))
    };
    Ok(Written { data_dir: target.join("data"), report, notes })
}

/// What the report is built from: the run's results and the settings it shows.
fn sources<'a>(config: &'a Config, a: &'a Analysed) -> Sources<'a> {
    Sources {
        company: &config.company,
        currency: config.currency,
        lang: config.lang,
        roster: &a.roster,
        quality: &a.quality,
        bureau: &a.bureau,
        log: &a.log,
        disputes: &a.disputes,
        promises: &a.promises,
        analysis: &a.analysis,
        outlook: &a.outlook,
        early_warning: &a.early_warning,
        assessment: &a.assessment,
        alerts: &a.alerts,
        opportunities: &a.opportunities,
        reminders: &a.reminders,
        actions: &a.actions,
        ladder: &config.ladder,
        compared_with: a.compared_with.as_deref(),
        handover: &a.handover,
        analysis_warnings: &a.analysis.warnings,
        as_of_choice: &a.as_of_choice,
        run_warnings: &a.run_warnings,
        dossiers: &a.dossiers.0,
        dossiers_qualifying: a.dossiers.1,
    }
}

/// The month's pool contribution (`pool/contribution.csv`, and `.parquet` with polars): only
/// aggregates per debtor and month, `docs/pooling.md`. The pool's output, not the report's.
fn write_contribution(config: &Config, a: &Analysed, path: &Path) -> Result<(), PipelineError> {
    use crate::pool::contribution;
    std::fs::create_dir_all(path).map_err(|e| PipelineError::output(path, e))?;
    let lines = contribution::lines(contribution::rows(&a.roster, &a.analysis))?;
    let table = contribution::table(lines, config.contributor(), a.as_of, config.currency);
    let dir = crate::report::data::DataDir { path, parquet: cfg!(feature = "parquet") };
    dir.table("contribution", &table, None).map_err(|e| PipelineError::output(path, e))
}
