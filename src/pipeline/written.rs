//! Stages three to five: the month written aside (data files, then the report model drawn by
//! each renderer), put in place whole, and saved in the history for the next run.

use super::analysed::Analysed;
use super::error::PipelineError;
use crate::collection::handover::{self, Line};
use crate::config::Config;
use crate::ingest::Warning;
use crate::locale::Lang;
use crate::model::ClientIx;
use crate::monitor::history;
use crate::output::month_folder::{self, MonthFolder, RootLock};
use crate::report::model::{ReportModel, Sources};
use crate::report::tables::ActionContext;
use crate::report::{ReportError, data, pdf, xlsx};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the month went, and what the user should know that is no error.
pub struct Written {
    /// The month's `data/` folder, in place.
    pub data_dir: PathBuf,
    /// The month's management report (the PDF, else the workbook), in place.
    pub report: Option<PathBuf>,
    /// Dossiers left out, and the like.
    pub notes: Vec<String>,
}

/// Writes the month into a staging folder, puts it in place, then saves the history entry.
pub fn write(config: &Config, a: &mut Analysed, lock: &RootLock) -> Result<Written, PipelineError> {
    let t = Instant::now();
    let name = month_folder::folder_name(a.as_of);
    let month = MonthFolder::begin(&config.out, &name, lock).map_err(|e| PipelineError::output(&config.out, e))?;
    let dir = month.path().join("data");
    write_data(config, a, &dir)?;
    if config.pool.contribute {
        write_contribution(config, a, &month.path().join("pool"))?;
    }
    a.timings.push(("data files", t.elapsed()));

    let t = Instant::now();
    let sources = Sources {
        company: &config.company,
        currency: config.currency,
        lang: config.lang,
        roster: &a.roster,
        quality: &a.quality,
        bureau: &a.bureau,
        analysis: &a.analysis,
        assessment: &a.assessment,
        alerts: &a.alerts,
        opportunities: &a.opportunities,
        reminders: &a.reminders,
        actions: &a.actions,
        ladder: &config.ladder,
        compared_with: a.compared_with.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().to_string()),
        handover: &a.handover,
        analysis_warnings: &a.analysis.warnings,
        as_of_choice: &a.as_of_choice,
        run_warnings: &a.run_warnings,
    };
    let notes = write_reports(config, month.path(), &name, ReportModel::build(sources), &a.dossiers)?;
    // The month goes in place whole; the history entry that the next run compares with is
    // saved only after that.
    let target = month.commit().map_err(|e| PipelineError::output(&config.out, e))?;
    history::save(&config.out, a.as_of, &a.entries).map_err(|e| PipelineError::output(&config.out, e))?;
    a.timings.push(("reports and history", t.elapsed()));
    let report = if config.reports.pdf {
        Some(target.join(format!("arwatch-{name}.pdf")))
    } else {
        config.reports.workbook.then(|| target.join(format!("arwatch-{name}.xlsx")))
    };
    Ok(Written { data_dir: target.join("data"), report, notes })
}

/// The data files other tools read (`data/`).
fn write_data(config: &Config, a: &Analysed, path: &Path) -> Result<(), PipelineError> {
    let cur = config.currency;
    let w = |r: std::io::Result<()>| r.map_err(|e| PipelineError::output(path, e));
    let dir = &data::DataDir { path, parquet: config.outputs.parquet };
    let mut rejects = a.quality.rejects.clone();
    rejects.extend(a.bureau.rejects.iter().cloned());
    w(data::write_clients(dir, &a.roster, &a.analysis, &a.assessment, cur))?;
    w(data::write_monthly(dir, &a.roster, &a.analysis, cur))?;
    w(data::write_open_items(dir, &a.roster, &a.analysis, cur))?;
    w(data::write_rejected(dir, &rejects))?;
    let as_of = a.as_of_choice.warning(Lang::En).map(|message| Warning {
        kind: "incomplete_month",
        source: "as_of".into(),
        location: a.as_of.to_string(),
        message,
    });
    let warnings = [
        &as_of.into_iter().collect::<Vec<_>>()[..],
        &a.quality.warnings[..],
        &a.bureau.warnings[..],
        &a.run_warnings[..],
    ]
    .concat();
    w(data::write_warnings(dir, &warnings, &a.analysis.warnings))?;
    w(data::write_alerts(dir, &a.alerts))?;
    w(data::write_opportunities(dir, &a.opportunities, &a.roster, config.currency))?;
    let ctx = ActionContext {
        roster: &a.roster,
        analysis: &a.analysis,
        assessment: &a.assessment,
        ladder: &config.ladder,
        lang: config.lang,
        currency: config.currency,
    };
    w(data::write_actions(dir, ctx, &a.actions))?;
    w(data::write_handover(dir, &a.roster, &a.handover, &a.dossiers.0, cur))?;
    let run = data::RunInfo {
        bureau: &a.bureau,
        assessment: &a.assessment,
        alerts: &a.alerts,
        compared_with: a.compared_with.as_deref(),
        as_of: &a.as_of_choice,
        run_warnings: &a.run_warnings,
    };
    w(data::write_summary(path, &config.company, &a.quality, Some(&a.analysis), Some(&run), cur))
}

/// The month's pool contribution (`pool/contribution.csv`, and `.parquet` with polars): only
/// aggregates per debtor and month, `docs/pooling.md`.
fn write_contribution(config: &Config, a: &Analysed, path: &Path) -> Result<(), PipelineError> {
    use crate::pool::contribution;
    std::fs::create_dir_all(path).map_err(|e| PipelineError::output(path, e))?;
    let lines = contribution::lines(contribution::rows(&a.roster, &a.analysis))?;
    let table = contribution::table(lines, config.contributor(), a.as_of, config.currency);
    let dir = data::DataDir { path, parquet: cfg!(feature = "parquet") };
    dir.table("contribution", &table, None).map_err(|e| PipelineError::output(path, e))
}

/// The workbook, the management report and one dossier per debtor, beside `data/`. Returns
/// notes for the user (dossiers left out).
fn write_reports(
    config: &Config,
    dir: &Path,
    month: &str,
    m: ReportModel<'_>,
    (dossiers, qualifying): &(BTreeMap<ClientIx, String>, usize),
) -> Result<Vec<String>, PipelineError> {
    let out =
        |p: PathBuf, bytes: Vec<u8>| crate::output::write_atomic(&p, &bytes).map_err(|e| PipelineError::output(&p, e));
    if config.reports.workbook {
        let book = xlsx::workbook(&m).map_err(ReportError::Workbook)?;
        out(dir.join(format!("arwatch-{month}.xlsx")), book)?;
    }
    if config.reports.pdf {
        let report = pdf::management_report(&m).map_err(ReportError::Pdf)?;
        out(dir.join(format!("arwatch-{month}.pdf")), report)?;
    }
    if !config.reports.dossiers {
        return Ok(Vec::new());
    }
    let folder = dir.join("handover");
    if !dossiers.is_empty() {
        std::fs::create_dir_all(&folder).map_err(|e| PipelineError::output(&folder, e))?;
    }
    let mut notes_out = Vec::new();
    if *qualifying > dossiers.len() {
        notes_out.push(format!(
            "{qualifying} debtors qualify for the handover; dossiers were written for the {} largest claims (raise [handover] max_dossiers for more); data/handover.csv lists them all",
            dossiers.len()
        ));
    }
    // Lines and reminders grouped once, not searched per debtor.
    let mut lines_of: BTreeMap<ClientIx, Vec<&Line>> = BTreeMap::new();
    for l in m.handover_lines() {
        lines_of.entry(l.client).or_default().push(l);
    }
    let mut reminders_of: BTreeMap<(&str, &str), Vec<&handover::Reminder>> = BTreeMap::new();
    for r in m.reminders() {
        reminders_of.entry((r.client_id.as_str(), r.document_id.as_str())).or_default().push(r);
    }
    for (client_ix, file) in dossiers {
        let client = m.client(*client_ix);
        let lines = lines_of.get(client_ix).map(Vec::as_slice).unwrap_or_default();
        let notes: Vec<&handover::Reminder> = lines
            .iter()
            .flat_map(|l| {
                reminders_of.get(&(client.id.as_str(), l.document_id.as_str())).into_iter().flatten().copied()
            })
            .collect();
        let bytes = pdf::dossier(&m, lines, &config.handover.creditor, &notes)
            .map_err(|problem| ReportError::Dossier { client: client.id.clone(), problem })?;
        out(folder.join(file), bytes)?;
    }
    Ok(notes_out)
}
