//! Stage one: the inputs read, reconciled and checked, and the as-of date fixed. `check` stops
//! here; `run` goes on from here.

use super::error::{PipelineError, RunError, TooManyRejected};
use crate::analytics::as_of::AsOf;
use crate::analytics::calendar;
use crate::bureau::elsewhere;
use crate::bureau::watchlist::{self, Watched};
use crate::collection::handover::{self, Reminder};
use crate::collection::interest::Rates;
use crate::config::Config;
use crate::fx::Fx;
use crate::ingest::bureau::{BureauIngested, ingest_bureau};
use crate::ingest::log::{LogIngested, ingest_log};
use crate::ingest::schedule_file::ingest_schedules;
use crate::ingest::{IngestOptions, Ingested, Reject, SourceStats, Warning, ingest};
use crate::model::Origin;
use crate::monitor::history::{self, Entry};
use crate::output::month_folder;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The inputs of a run, read and checked.
pub struct Loaded {
    /// The ledger and what reading it found.
    pub ingested: Ingested,
    /// The credit-bureau snapshots (none without bureau inputs).
    pub bureau: BureauIngested,
    /// The collector's log (empty without log inputs).
    pub log: LogIngested,
    /// The date the run looks from.
    pub as_of: NaiveDate,
    /// Why that date, and whether its month looks incomplete.
    pub as_of_choice: AsOf,
    /// The companies watched that are not clients.
    pub watchlist: Vec<Watched>,
    /// How the clients pay the other creditors of a pool (`[pool] elsewhere`).
    pub elsewhere: elsewhere::Pooled,
    /// The tables beside the ledger: rates, reminders, the run compared with.
    pub tables: SideTables,
}

/// The files beside the ledger that a run reads, all in this stage so that a bad one stops
/// the run before any analysis.
pub struct SideTables {
    /// The exchange rates (none without `fx_rates`).
    pub fx: Fx,
    /// The statutory interest rates: shipped, and `[handover] rates` over them.
    pub rates: Rates,
    /// The reminder log (empty without one).
    pub reminders: Vec<Reminder>,
    /// The saved run the alerts compare with, and its entries; `None` when there is none.
    pub previous: Option<(PathBuf, BTreeMap<String, Entry>)>,
}

impl SideTables {
    /// Reads the exchange rates, the interest rates and the reminder log (the run compared
    /// with needs the as-of date: [`SideTables::previous`]).
    fn read(config: &Config) -> Result<SideTables, RunError> {
        let reminders = match &config.handover.reminders {
            Some(p) => handover::read_reminders(p).map_err(RunError::Collection)?,
            None => Vec::new(),
        };
        Ok(SideTables { fx: fx(config)?, rates: rates(config)?, reminders, previous: None })
    }

    /// The saved run to compare with: the one `--compare-with` names, else the latest month
    /// end before `as_of`.
    fn previous(&mut self, config: &Config, as_of: NaiveDate) -> Result<(), RunError> {
        let path = match &config.compare_with {
            Some(p) => Some(p.clone()),
            None => history::previous(&config.out, as_of).map(|(_, p)| p),
        };
        if let Some(p) = path {
            let entries = history::load(&p, config.currency).map_err(RunError::History)?;
            self.previous = Some((p, entries));
        }
        Ok(())
    }
}

/// Shown each set of inputs (the ledger's, then the bureau's) as soon as it is read, before
/// the checks that may stop the run: `check` prints them there.
pub type Seen<'a> = dyn FnMut(&[SourceStats], &[Reject], &[Warning]) + 'a;

impl Loaded {
    /// Reads the ledger, checks its rejected share, fixes the as-of date and checks the
    /// currencies, then reads the bureau inputs and checks theirs.
    pub fn load(
        config: &Config,
        progress: &(dyn Fn(u64) + Sync),
        seen: &mut Seen<'_>,
    ) -> Result<Loaded, PipelineError> {
        // The small tables first: a bad one stops the run before the ledger is read.
        let mut tables = SideTables::read(config)?;
        let ingested = read_ledger(config, progress)?;
        seen(&ingested.stats, &ingested.rejects, &ingested.warnings);
        let as_of = as_of(config, &ingested);
        if let Some(mut t) = too_many_rejected(config, &ingested.stats, &ingested.rejects) {
            // The rejected rows go with the error when there is a month to name them after.
            if let Ok(a) = &as_of {
                t.rows_to_write = Some((month_folder::folder_name(a.date), ingested.rejects));
            }
            return Err(RunError::TooManyRejected(t).into());
        }
        let as_of_choice = as_of?;
        let as_of = as_of_choice.date;
        check_as_of(&ingested, as_of)?;
        check_currencies(config, &ingested)?;
        let bureau = read_bureau(config, &ingested)?;
        seen(&bureau.stats, &bureau.rejects, &bureau.warnings);
        if let Some(t) = too_many_rejected(config, &bureau.stats, &bureau.rejects) {
            return Err(RunError::TooManyRejected(t).into());
        }
        let log = read_log(config, &ingested, bureau.stats.len())?;
        seen(&log.stats, &log.rejects, &log.warnings);
        if let Some(t) = too_many_rejected(config, &log.stats, &log.rejects) {
            return Err(RunError::TooManyRejected(t).into());
        }
        let watchlist = match &config.watchlist {
            Some(p) => watchlist::read(p).map_err(RunError::Watchlist)?,
            None => Vec::new(),
        };
        let elsewhere = read_elsewhere(config, as_of)?;
        tables.previous(config, as_of)?;
        Ok(Loaded { ingested, bureau, log, as_of, as_of_choice, watchlist, elsewhere, tables })
    }
}

/// The clients' experience elsewhere from the pool the configuration names: its latest month up
/// to the as-of date. None before the first pool, or when the pool has no file for this
/// portfolio (it did not contribute that month).
fn read_elsewhere(config: &Config, as_of: NaiveDate) -> Result<elsewhere::Pooled, RunError> {
    let Some(setting) = &config.pool.elsewhere else { return Ok(elsewhere::Pooled::default()) };
    let month = calendar::label(calendar::month_of(as_of));
    let Some(file) = elsewhere::locate(setting, config.contributor(), &month) else {
        return Ok(elsewhere::Pooled::default());
    };
    let by_company = elsewhere::read(&file, config.currency.code()).map_err(RunError::Elsewhere)?;
    Ok(elsewhere::Pooled { file: Some(file), by_company })
}

fn options(config: &Config) -> IngestOptions {
    IngestOptions {
        default_currency: config.currency,
        default_terms_days: config.default_terms_days,
        payment_terms: config.payment_terms.clone(),
    }
}

/// Reads every ledger input of the configuration, then the payment-schedule files, which
/// split the ledger's invoices into instalments: they are part of the ledger, and their rows are
/// accounted for with its inputs.
pub fn read_ledger(config: &Config, progress: &(dyn Fn(u64) + Sync)) -> Result<Ingested, PipelineError> {
    let opts = options(config);
    let mut ingested = ingest(&config.inputs, &opts, progress)?;
    if !config.schedule_inputs.is_empty() {
        let base = ingested.ledger.sources.len() as u16;
        let read = ingest_schedules(&config.schedule_inputs, &opts, base, &mut ingested.ledger)?;
        ingested.ledger.sources.extend(read.stats.iter().map(|s| s.file.clone()));
        ingested.stats.extend(read.stats);
        ingested.rejects.extend(read.rejects);
        ingested.warnings.extend(read.warnings);
    }
    Ok(ingested)
}

/// Reads the credit-bureau inputs, if any.
fn read_bureau(config: &Config, ing: &Ingested) -> Result<BureauIngested, PipelineError> {
    if config.bureau_inputs.is_empty() {
        return Ok(BureauIngested::default());
    }
    Ok(ingest_bureau(&config.bureau_inputs, &config.bureau, &options(config), ing.ledger.sources.len() as u16)?)
}

/// Reads the collector's logs, if any: after the ledger, whose clients their rows must name.
fn read_log(config: &Config, ing: &Ingested, bureau_sources: usize) -> Result<LogIngested, PipelineError> {
    if config.log_inputs.is_empty() {
        return Ok(LogIngested::default());
    }
    let clients =
        ing.ledger.clients.iter().enumerate().map(|(i, c)| (c.id.as_str(), i as crate::model::ClientIx)).collect();
    let base = (ing.ledger.sources.len() + bureau_sources) as u16;
    Ok(ingest_log(&config.log_inputs, &clients, &options(config), base)?)
}

/// The first input whose rejected share is above the threshold, with the most common reasons.
fn too_many_rejected(config: &Config, stats: &[SourceStats], rejects: &[Reject]) -> Option<Box<TooManyRejected>> {
    // Exact repeats the configuration accepts are harmless: they do not count against the limit.
    let mut accepted_repeats: std::collections::HashMap<&str, u64> = Default::default();
    for r in rejects.iter().filter(|r| !r.benign && config.warnings.accepts(r.kind())) {
        *accepted_repeats.entry(r.source.as_str()).or_default() += 1;
    }
    let repeats = |s: &SourceStats| accepted_repeats.get(s.file.as_str()).copied().unwrap_or(0);
    let s = stats.iter().find(|s| s.rejected_share(repeats(s)) > config.max_rejected_share)?;
    // Reasons count together when they differ only in their numbers ("due date 2025-02-01 is
    // before the issue date 2025-02-06" and the same with other dates are one cause); the first
    // of each is shown.
    let mut reasons: std::collections::BTreeMap<(String, String), (usize, String)> = Default::default();
    let mut first = None;
    for r in rejects.iter().filter(|r| r.source == s.file && !r.benign && !config.warnings.accepts(r.kind())) {
        let generic = r.reason.split(';').next().unwrap_or("");
        let shape: String = generic.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).collect();
        let entry = reasons.entry((r.column.clone(), shape)).or_insert_with(|| (0, generic.to_string()));
        entry.0 += 1;
        first
            .get_or_insert_with(|| format!("{}, column '{}', value {:?}: {}", r.location, r.column, r.value, r.reason));
    }
    let mut top: Vec<_> = reasons.into_iter().collect();
    top.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let list: Vec<String> = top
        .iter()
        .take(3)
        .map(|((column, _), (n, example))| {
            let alike = if *n > 1 { " (the others alike)" } else { "" };
            format!("{n} × column '{column}': {example}{alike}")
        })
        .collect();
    Some(Box::new(TooManyRejected {
        file: s.file.clone(),
        errors: s.rejected - s.rejected_benign - repeats(s),
        rows: s.rows_read,
        share: s.rejected_share(repeats(s)),
        limit: config.max_rejected_share,
        first: first.unwrap_or_default(),
        common: list.join("; "),
        rows_to_write: None,
        written: None,
    }))
}

/// Without an FX table every document and payment must be in the reporting currency; with one,
/// a missing rate stops the analysis with the currency and the date.
fn check_currencies(config: &Config, ing: &Ingested) -> Result<(), RunError> {
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
    match other {
        Some((c, date, origin)) => Err(RunError::OtherCurrency {
            file: l.sources.get(origin.source as usize).cloned().unwrap_or_default(),
            line: origin.line,
            currency: c.to_string(),
            date,
            reporting: config.currency.to_string(),
        }),
        None => Ok(()),
    }
}

/// The as-of date: configured, or chosen from what the data cover (`AsOf::from_data`), unless
/// the latest dates are outliers (see [`outlying_latest`]).
fn as_of(config: &Config, ing: &Ingested) -> Result<AsOf, RunError> {
    if let Some(d) = config.as_of {
        return Ok(AsOf::given(d, &ing.ledger));
    }
    let l = &ing.ledger;
    let rows = l.documents.len() + l.payments.len();
    let latest = l.latest_rows(OUTLIER_ROWS_MAX + 1);
    let Some(&(date, _)) = latest.first() else {
        return Err(RunError::NothingToAnalyse);
    };
    if let Some(k) = outlying_latest(&latest, rows) {
        let named = latest[..k]
            .iter()
            .map(|(d, o)| {
                format!("{} line {} ({d})", l.sources.get(o.source as usize).cloned().unwrap_or_default(), { o.line })
            })
            .collect();
        return Err(RunError::OutlyingDates { named, gap_days: OUTLIER_GAP_DAYS });
    }
    let stated = ing.stats.iter().filter_map(|s| s.stated_date).max();
    Ok(AsOf::from_data(date, stated, l))
}

/// An empty ledger, or an as-of date before every document and payment, leaves nothing to
/// report: say so.
fn check_as_of(ing: &Ingested, as_of: NaiveDate) -> Result<(), RunError> {
    let l = &ing.ledger;
    let earliest = l.documents.iter().map(|d| d.issue).chain(l.payments.iter().map(|p| p.date)).min();
    match earliest {
        Some(first) if first > as_of => Err(RunError::AsOfBeforeData { as_of, first }),
        Some(_) => Ok(()),
        None => Err(RunError::NothingToAnalyse),
    }
}

/// The exchange rates: the configured table, or none (a single-currency ledger needs none).
fn fx(config: &Config) -> Result<Fx, RunError> {
    match &config.fx_rates {
        None => Ok(Fx::none(config.currency)),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| RunError::Unreadable {
                what: "FX rate table",
                path: p.clone(),
                problem: e.to_string(),
                fix: "check fx_rates in the configuration",
            })?;
            Ok(Fx::from_csv(&text, &p.display().to_string(), config.currency)?)
        }
    }
}

/// The statutory interest rates: shipped, and the configured table over them.
fn rates(config: &Config) -> Result<Rates, RunError> {
    let mut rates = Rates::shipped();
    if let Some(p) = &config.handover.rates {
        let text = std::fs::read_to_string(p).map_err(|e| RunError::Unreadable {
            what: "interest rate table",
            path: p.clone(),
            problem: e.to_string(),
            fix: "check [handover] rates",
        })?;
        rates.add_csv(&text, &p.display().to_string())?;
    }
    Ok(rates)
}

/// At most this many rows, and at most one in a thousand, can be taken for outliers.
const OUTLIER_ROWS_MAX: usize = 10;
/// The gap, in days, that sets the latest rows apart from the rest.
const OUTLIER_GAP_DAYS: i64 = 92;

/// How many of the latest rows are outliers: the top `k` (at most one in a thousand rows, at
/// least one, at most ten) when more than a quarter (92 days) separates them from every other
/// row. A lone typo (2099 among 2025 rows) must not move the default as-of date.
fn outlying_latest(latest: &[(NaiveDate, Origin)], rows: usize) -> Option<usize> {
    let most = (rows / 1000).clamp(1, OUTLIER_ROWS_MAX);
    (1..=most.min(latest.len().saturating_sub(1)))
        .rfind(|&k| (latest[k - 1].0 - latest[k].0).num_days() > OUTLIER_GAP_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

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
