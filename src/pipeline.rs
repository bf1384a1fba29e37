//! The steps of a run, in order: ingest, check the rejected share, analyse, write. `main` calls
//! these; tests and benches call them too.

use crate::analytics::{Analysis, analyse, calendar};
use crate::collection::dossier_names;
use crate::collection::handover::{self, Line};
use crate::collection::interest::Rates;
use crate::config::Config;
use crate::exit::AppError;
use crate::fx::Fx;
use crate::ingest::bureau::{BureauIngested, ingest_bureau};
use crate::ingest::{IngestOptions, Ingested, Reject, SourceStats, ingest};
use crate::model::ClientIx;
use crate::monitor::{self, Assessment, alerts::Alert, history};
use crate::output::month_folder::{self, MonthFolder, RootLock};
use crate::report::model::{ReportModel, Sources};
use crate::report::{data, pdf, xlsx};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn options(config: &Config) -> IngestOptions {
    IngestOptions { default_currency: config.currency, default_terms_days: config.default_terms_days }
}

/// Reads every ledger input of the configuration.
pub fn load(config: &Config, progress: &(dyn Fn(u64) + Sync)) -> Result<Ingested, AppError> {
    Ok(ingest(&config.inputs, &options(config), progress)?)
}

/// Reads the credit-bureau inputs, if any.
pub fn load_bureau(config: &Config, ing: &Ingested) -> Result<BureauIngested, AppError> {
    if config.bureau_inputs.is_empty() {
        return Ok(BureauIngested::default());
    }
    Ok(ingest_bureau(&config.bureau_inputs, &config.bureau, &options(config), ing.ledger.sources.len() as u16)?)
}

/// Stops the run when an input's rejected share is above the threshold, naming the input and
/// the most common reasons.
pub fn check_threshold(config: &Config, ing: &Ingested) -> Result<(), AppError> {
    check_threshold_of(config, &ing.stats, &ing.rejects)
}

pub fn check_threshold_of(config: &Config, stats: &[SourceStats], rejects: &[Reject]) -> Result<(), AppError> {
    for s in stats {
        let share = s.rejected_share();
        if share > config.max_rejected_share {
            let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
            let mut first = None;
            for r in rejects.iter().filter(|r| r.source == s.file && !r.benign) {
                let generic = r.reason.split(';').next().unwrap_or("").to_string();
                *reasons.entry(format!("column '{}': {generic}", r.column)).or_default() += 1;
                first.get_or_insert_with(|| {
                    format!("{}, column '{}', value {:?}: {}", r.location, r.column, r.value, r.reason)
                });
            }
            let mut top: Vec<_> = reasons.into_iter().collect();
            top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let list: Vec<String> = top.iter().take(3).map(|(r, n)| format!("{n} × {r}")).collect();
            return Err(AppError::Data(format!(
                "{}: {} of {} rows rejected ({:.1} %), above the limit of {:.1} %.\n  first: {}\n  most common: {}\n  fix: correct the mapping (date_formats, decimal, columns), or raise max_rejected_share; rejected rows are in data/rejected.csv",
                s.file,
                s.rejected - s.rejected_benign,
                s.rows_read,
                share * 100.0,
                config.max_rejected_share * 100.0,
                first.unwrap_or_default(),
                list.join("; ")
            )));
        }
    }
    Ok(())
}

/// The exchange rates: the configured table, or none (a single-currency ledger needs none).
pub fn fx(config: &Config) -> Result<Fx, AppError> {
    match &config.fx_rates {
        None => Ok(Fx::none(config.currency)),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| {
                AppError::Data(format!(
                    "cannot read the FX rate table {}: {e}\n  fix: check fx_rates in the configuration",
                    p.display()
                ))
            })?;
            Fx::from_csv(&text, &p.display().to_string(), config.currency).map_err(AppError::Data)
        }
    }
}

/// Without an FX table every document and payment must be in the reporting currency; with one,
/// a missing rate stops the analysis with the currency and the date.
pub fn check_currencies(config: &Config, ing: &Ingested) -> Result<(), AppError> {
    if config.fx_rates.is_some() {
        return Ok(());
    }
    let l = &ing.ledger;
    let other = l
        .documents
        .iter()
        .map(|d| (d.currency, d.issue, d.origin))
        .chain(l.payments.iter().map(|p| (p.currency, p.date, p.origin)))
        .find(|(c, _, _)| *c != config.currency);
    if let Some((c, date, origin)) = other {
        return Err(AppError::Data(format!(
            "{} line {}: an amount in {c} on {date}, but the reporting currency is {} and no FX rate table is configured.\n  fix: set fx_rates = \"rates.csv\" (date,currency,rate) in the configuration, or currency = \"{c}\" if the whole ledger is in {c}",
            l.sources.get(origin.source as usize).cloned().unwrap_or_default(),
            { origin.line },
            config.currency
        )));
    }
    Ok(())
}

/// The as-of date: configured, or the last month end on or before the latest date in the
/// data, unless the latest dates are outliers (see [`outlying_latest`]).
pub fn as_of(config: &Config, ing: &Ingested) -> Result<NaiveDate, AppError> {
    if let Some(d) = config.as_of {
        return Ok(d);
    }
    let l = &ing.ledger;
    let rows = l.documents.len() + l.payments.len();
    let latest = l.latest_rows(OUTLIER_ROWS_MAX + 1);
    let Some(&(date, _)) = latest.first() else {
        return Err(nothing_to_analyse());
    };
    if let Some(k) = outlying_latest(&latest, rows) {
        let named: Vec<String> = latest[..k]
            .iter()
            .map(|(d, o)| {
                format!("{} line {} ({d})", l.sources.get(o.source as usize).cloned().unwrap_or_default(), { o.line })
            })
            .collect();
        return Err(AppError::Data(format!(
            "the latest {} dated more than {OUTLIER_GAP_DAYS} days after every other row, so the default as-of date would rest on {}: {}\n  fix: correct the date if it is a typo, or give the as-of date with --as-of (or as_of in the configuration)",
            if k == 1 { "row is".to_string() } else { format!("{k} rows are") },
            if k == 1 { "it" } else { "them" },
            named.join(", ")
        )));
    }
    Ok(calendar::default_as_of(date))
}

/// An empty ledger, or an as-of date before every document and payment, leaves nothing to
/// report: say so.
pub fn check_as_of(ing: &Ingested, as_of: NaiveDate) -> Result<(), AppError> {
    let l = &ing.ledger;
    let earliest = l.documents.iter().map(|d| d.issue).chain(l.payments.iter().map(|p| p.date)).min();
    match earliest {
        Some(first) if first > as_of => Err(AppError::Data(format!(
            "the as-of date {as_of} is before every document and payment (the earliest is dated {first}): there is nothing to report\n  fix: give a later --as-of (or as_of in the configuration)"
        ))),
        Some(_) => Ok(()),
        None => Err(nothing_to_analyse()),
    }
}

fn nothing_to_analyse() -> AppError {
    AppError::Data("the inputs hold no document or payment, so there is nothing to analyse\n  fix: check the input files and their mappings".into())
}

/// At most this many rows, and at most one in a thousand, can be taken for outliers.
const OUTLIER_ROWS_MAX: usize = 10;
/// The gap, in days, that sets the latest rows apart from the rest.
const OUTLIER_GAP_DAYS: i64 = 92;

/// How many of the latest rows are outliers: the top `k` (at most one in a thousand rows, at
/// least one, at most ten) when more than a quarter (92 days) separates them from every other
/// row. A lone typo (2099 among 2025 rows) must not move the default as-of date.
fn outlying_latest(latest: &[(NaiveDate, crate::model::Origin)], rows: usize) -> Option<usize> {
    let most = (rows / 1000).clamp(1, OUTLIER_ROWS_MAX);
    (1..=most.min(latest.len().saturating_sub(1)))
        .rfind(|&k| (latest[k - 1].0 - latest[k].0).num_days() > OUTLIER_GAP_DAYS)
}

pub struct RunOutput {
    /// What ingestion read: statistics, rejects, warnings, and the ledger's sources and
    /// clients (its rows are released once analysed; see `Ledger::release_rows`).
    pub ingested: Ingested,
    pub bureau: BureauIngested,
    pub analysis: Analysis,
    pub assessment: Assessment,
    pub alerts: Vec<Alert>,
    /// The saved run the alerts compare with; `None` when there was none.
    pub compared_with: Option<std::path::PathBuf>,
    pub data_dir: PathBuf,
    /// What the user should know that is no error (dossiers left out).
    pub notes: Vec<String>,
    /// Wall time of each step, for `-v` and the benchmarks (never part of any output file).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// The whole pipeline: ingest, analyse, write the data files.
pub fn run(config: &Config, progress: &(dyn Fn(u64) + Sync)) -> Result<RunOutput, AppError> {
    // The whole run holds the output root: a second run is refused at once, not after reading.
    let lock = RootLock::take(&config.out).map_err(|e| AppError::output(&config.out, e))?;
    let t0 = std::time::Instant::now();
    let mut ing = load(config, progress)?;
    let mut timings = vec![("ingest", t0.elapsed())];
    let threshold = check_threshold(config, &ing);
    let as_of = as_of(config, &ing);
    // Rejected rows are written even when the run stops on them: they are what to fix. They go
    // beside the month folders, never into one, so the previous month stays as it was.
    if let (Err(e), Ok(d)) = (&threshold, &as_of) {
        let dir = config.out.join("failed-runs").join(month_folder::folder_name(*d));
        std::fs::create_dir_all(&dir).map_err(|e| AppError::output(&dir, e))?;
        data::write_rejected(&dir, &ing.rejects).map_err(|e| AppError::output(&dir, e))?;
        return Err(AppError::Data(format!(
            "{e}\n  the rejected rows of this run: {}",
            dir.join("rejected.csv").display()
        )));
    }
    let as_of = as_of?;
    check_as_of(&ing, as_of)?;
    check_currencies(config, &ing)?;
    let bureau = load_bureau(config, &ing)?;
    check_threshold_of(config, &bureau.stats, &bureau.rejects)?;
    let t1 = std::time::Instant::now();
    let fx = fx(config)?;
    let analysis = analyse(&ing.ledger, as_of, &config.analytics, &fx)
        .map_err(|e| AppError::Data(format!("{e}\n  fix: add the rate to the table named by fx_rates")))?;
    ing.ledger.release_rows();
    timings.push(("analyse", t1.elapsed()));
    let t2 = std::time::Instant::now();
    let assessment = monitor::assess(&ing.ledger, &analysis, bureau.snapshots.clone(), &config.bureau, &config.risk);
    let entries = monitor::entries(&ing.ledger, &analysis, &assessment);
    let previous = match &config.compare_with {
        Some(p) => Some(p.clone()),
        None => history::previous(&config.out, as_of).map(|(_, p)| p),
    };
    let alerts = match &previous {
        Some(p) => {
            let prev = history::load(p).map_err(|e| {
                AppError::Data(format!("{e}\n  fix: name an existing saved run with --compare-with, or leave it out"))
            })?;
            let b = &config.bureau;
            monitor::alerts::compare(
                &prev,
                &entries,
                &config.monitor,
                [b.score_scale[1] - b.score_scale[0], b.payment_score_scale[1] - b.payment_score_scale[0]],
                [b.score_higher_is_safer, b.payment_score_higher_is_safer],
                config.currency,
            )
        }
        None => Vec::new(),
    };
    timings.push(("monitor", t2.elapsed()));
    let t3 = std::time::Instant::now();
    let name = month_folder::folder_name(as_of);
    let month = MonthFolder::begin(&config.out, &name, &lock).map_err(|e| AppError::output(&config.out, e))?;
    let dir = month.path().join("data");
    let cur = config.currency;
    let w = |r: std::io::Result<()>| r.map_err(|e| AppError::output(&dir, e));
    let mut rejects = ing.rejects.clone();
    rejects.extend(bureau.rejects.iter().cloned());
    w(data::write_clients(&dir, &ing.ledger, &analysis, Some(&assessment), cur))?;
    w(data::write_monthly(&dir, &ing.ledger, &analysis, cur))?;
    w(data::write_open_items(&dir, &ing.ledger, &analysis, cur))?;
    w(data::write_rejected(&dir, &rejects))?;
    w(data::write_warnings(&dir, &[&ing.warnings[..], &bureau.warnings[..]].concat(), &analysis.warnings))?;
    w(data::write_alerts(&dir, &alerts))?;
    timings.push(("data files", t3.elapsed()));
    let t4 = std::time::Instant::now();
    let handover = handover_lines(config, &ing, &analysis, &assessment, &fx)?;
    let dossiers = if config.reports.dossiers {
        dossier_names::plan(&ing.ledger, &handover, config.handover.max_dossiers)
    } else {
        (BTreeMap::new(), 0)
    };
    w(data::write_handover(&dir, &ing.ledger, &handover, &dossiers.0, cur))?;
    timings.push(("handover", t4.elapsed()));
    let t5 = std::time::Instant::now();
    let run =
        data::RunInfo { bureau: &bureau, assessment: &assessment, alerts: &alerts, compared_with: previous.as_deref() };
    w(data::write_summary(&dir, &config.company, &ing, Some(&analysis), Some(&run), cur))?;
    let sources = Sources {
        company: &config.company,
        currency: cur,
        lang: config.lang,
        ledger: &ing.ledger,
        ingested: &ing,
        bureau: &bureau,
        analysis: &analysis,
        assessment: &assessment,
        alerts: &alerts,
        compared_with: previous.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().to_string()),
        handover: &handover,
        analysis_warnings: &analysis.warnings,
    };
    let notes = write_reports(config, month.path(), &name, ReportModel::build(sources), &dossiers)?;
    // The month goes in place whole; the history entry that the next run compares with is
    // saved only after that.
    let target = month.commit().map_err(|e| AppError::output(&config.out, e))?;
    history::save(&config.out, as_of, &entries).map_err(|e| AppError::output(&config.out, e))?;
    drop(lock);
    timings.push(("reports and history", t5.elapsed()));
    Ok(RunOutput {
        ingested: ing,
        bureau,
        analysis,
        assessment,
        alerts,
        compared_with: previous,
        data_dir: target.join("data"),
        timings,
        notes,
    })
}

/// The invoices handed to collection, with statutory interest to the as-of date.
fn handover_lines(
    config: &Config,
    ing: &Ingested,
    analysis: &Analysis,
    assessment: &Assessment,
    fx: &Fx,
) -> Result<Vec<Line>, AppError> {
    let mut rates = Rates::shipped();
    if let Some(p) = &config.handover.rates {
        let text = std::fs::read_to_string(p).map_err(|e| {
            AppError::Data(format!(
                "cannot read the interest rate table {}: {e}\n  fix: check [handover] rates",
                p.display()
            ))
        })?;
        rates.add_csv(&text, &p.display().to_string()).map_err(AppError::Data)?;
    }
    handover::select(&ing.ledger, analysis, assessment, &config.handover, &rates, fx)
        .map_err(|e| AppError::Data(format!("handover: {e}")))
}

/// The workbook, the management report and one dossier per debtor, beside `data/`. Returns
/// notes for the user (dossiers left out).
fn write_reports(
    config: &Config,
    dir: &std::path::Path,
    month: &str,
    m: ReportModel<'_>,
    (dossiers, qualifying): &(BTreeMap<ClientIx, String>, usize),
) -> Result<Vec<String>, AppError> {
    let out = |p: std::path::PathBuf, bytes: Vec<u8>| {
        crate::output::write_atomic(&p, &bytes).map_err(|e| AppError::output(&p, e))
    };
    if config.reports.workbook {
        let book = xlsx::workbook(&m).map_err(|e| AppError::Data(format!("cannot build the workbook: {e}")))?;
        out(dir.join(format!("arwatch-{month}.xlsx")), book)?;
    }
    if config.reports.pdf {
        let report =
            pdf::management_report(&m).map_err(|e| AppError::Data(format!("cannot build the PDF report: {e}")))?;
        out(dir.join(format!("arwatch-{month}.pdf")), report)?;
    }
    if !config.reports.dossiers {
        return Ok(Vec::new());
    }
    let reminders = match &config.handover.reminders {
        Some(p) => handover::read_reminders(p).map_err(AppError::Data)?,
        None => Vec::new(),
    };
    let folder = dir.join("handover");
    if !dossiers.is_empty() {
        std::fs::create_dir_all(&folder).map_err(|e| AppError::output(&folder, e))?;
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
    for l in m.src.handover {
        lines_of.entry(l.client).or_default().push(l);
    }
    let mut reminders_of: BTreeMap<(&str, &str), Vec<&handover::Reminder>> = BTreeMap::new();
    for r in &reminders {
        reminders_of.entry((r.client_id.as_str(), r.document_id.as_str())).or_default().push(r);
    }
    for (client_ix, file) in dossiers {
        let client = &m.src.ledger.clients[*client_ix as usize];
        let lines = lines_of.get(client_ix).map(Vec::as_slice).unwrap_or_default();
        let notes: Vec<&handover::Reminder> = lines
            .iter()
            .flat_map(|l| {
                reminders_of.get(&(client.id.as_str(), l.document_id.as_str())).into_iter().flatten().copied()
            })
            .collect();
        let bytes = pdf::dossier(&m, lines, &config.handover.creditor, &notes)
            .map_err(|e| AppError::Data(format!("cannot build the dossier of {}: {e}", client.id)))?;
        out(folder.join(file), bytes)?;
    }
    Ok(notes_out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn rows(dates: &[&str]) -> Vec<(NaiveDate, Origin)> {
        dates.iter().enumerate().map(|(i, d)| (d.parse().unwrap(), Origin { source: 0, line: i as u32 + 2 })).collect()
    }

    #[test]
    fn a_lone_typo_is_an_outlier_and_a_quiet_quarter_is_not_enough() {
        assert_eq!(outlying_latest(&rows(&["2099-03-01", "2025-10-30", "2025-10-29"]), 500), Some(1));
        // Two typos among 2,500 rows: both named.
        assert_eq!(outlying_latest(&rows(&["2099-03-01", "2098-01-01", "2025-10-30", "2025-10-29"]), 2500), Some(2));
        // 92 days is still one ledger; 93 is not.
        assert_eq!(outlying_latest(&rows(&["2026-02-01", "2025-11-01"]), 50), None);
        assert_eq!(outlying_latest(&rows(&["2026-02-02", "2025-11-01"]), 50), Some(1));
        // Without a gap, or with one row only, nothing is an outlier.
        assert_eq!(outlying_latest(&rows(&["2025-10-31", "2025-10-30"]), 50), None);
        assert_eq!(outlying_latest(&rows(&["2099-01-01"]), 1), None);
        // A gap below the latest thousandth of the rows is the ledger's own history.
        assert_eq!(outlying_latest(&rows(&["2025-10-31", "2025-10-30", "2025-01-01"]), 1500), None);
    }
}
