//! Stage two: from the checked inputs to every figure a report shows. The analysis consumes
//! the ledger's rows; what follows (risk, alerts, handover) needs only its clients.

use super::error::{PipelineError, RunError};
use super::loaded::{Loaded, SideTables};
use crate::analytics::as_of::AsOf;
use crate::analytics::dispute::{self, Disputes};
use crate::analytics::outlook::{Bands, Hold, Outlook, Pledge, SCORE_BANDS, elsewhere_band, origins, outlook};
use crate::analytics::promise::{self, Promises, Standing};
use crate::analytics::{Analysis, analyse};
use crate::bureau;
use crate::bureau::elsewhere::Elsewhere;
use crate::collection::dossier_names;
use crate::collection::handover::{self, Compensation, Line, Reminder};
use crate::collection::ladder::{self, Action};
use crate::config::{Config, WarningSettings};
use crate::ingest::bureau::BureauIngested;
use crate::ingest::log::LogIngested;
use crate::ingest::mapping::LogKind;
use crate::ingest::{DataQuality, Warning};
use crate::model::ClientIx;
use crate::model::CompanyNumber;
use crate::model::Roster;
use crate::monitor::alerts::Alert;
use crate::monitor::history::Entry;
use crate::monitor::opportunities::Opportunity;
use crate::monitor::{self, Assessment, early_warning};
use crate::stopwatch::{Lap, Stopwatch};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What counts towards exit code 3: rejected rows and warnings, and those accepted (by kind).
#[derive(Debug, Default)]
pub struct Tally {
    /// Rejected rows that count.
    pub errors: usize,
    /// Warnings that count.
    pub warnings: usize,
    /// Rows and warnings of the kinds `[warnings] accept` names, by kind.
    pub accepted: BTreeMap<&'static str, usize>,
}

/// Everything a run found, ready to be written.
pub struct Analysed {
    /// The date the run looks from.
    pub as_of: NaiveDate,
    /// Why that date, and whether its month looks incomplete.
    pub as_of_choice: AsOf,
    /// The warning kinds that do not make exit code 3 (`[warnings] accept`).
    pub accepted: WarningSettings,
    /// The ledger's sources and clients (its rows are gone).
    pub roster: Roster,
    /// What reading the ledger found: reconciliation, rejected rows, warnings.
    pub quality: DataQuality,
    /// The credit-bureau snapshots.
    pub bureau: BureauIngested,
    /// The collector's log.
    pub log: LogIngested,
    /// Every figure.
    pub analysis: Analysis,
    /// When the open invoices are expected to be paid, and how right that was before.
    pub outlook: Outlook,
    /// Risk and bureau view per client.
    pub assessment: Assessment,
    /// How early the risk tier warned of the clients that failed, and how often it cried wolf.
    pub early_warning: early_warning::Record,
    /// This run's entries for the history, which the next run compares with.
    pub entries: Vec<Entry>,
    /// The saved run the alerts compare with; `None` when there was none.
    pub compared_with: Option<PathBuf>,
    /// What changed since the compared run.
    pub alerts: Vec<Alert>,
    /// Whom sales could call, and why.
    pub opportunities: Vec<Opportunity>,
    /// The invoices handed to collection, with statutory interest to the as-of date.
    pub handover: Vec<Line>,
    /// The reminder log (empty without one).
    pub reminders: Vec<Reminder>,
    /// The log's promises to pay, judged at the as-of date.
    pub promises: Promises,
    /// The log's disputes open at the as-of date.
    pub disputes: Disputes,
    /// The next collection action on every invoice past due, the most urgent first.
    pub actions: Vec<Action>,
    /// The dossier file of each debtor that gets one, and how many debtors qualify.
    pub dossiers: (BTreeMap<ClientIx, String>, usize),
    /// What the run itself warns about, beyond the inputs' warnings (a compensation without
    /// a rate).
    pub run_warnings: Vec<Warning>,
    /// Wall and CPU time of each step so far (`-v`).
    pub timings: Vec<(&'static str, Lap)>,
}

impl Analysed {
    /// The rejected rows and warnings that make exit code 3, and by kind those accepted.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        let mut count = |kind: &'static str, n: usize, error: bool| {
            if n == 0 {
                return;
            }
            if self.accepted.accepts(kind) {
                *t.accepted.entry(kind).or_default() += n;
            } else if error {
                t.errors += n;
            } else {
                t.warnings += n;
            }
        };
        for r in self.quality.rejects.iter().chain(&self.bureau.rejects).chain(&self.log.rejects).filter(|r| !r.benign)
        {
            count(r.kind(), 1, true);
        }
        for w in self.quality.warnings.iter().chain(&self.bureau.warnings).chain(&self.log.warnings) {
            count(w.kind, 1, false);
        }
        count("analysis", self.analysis.warnings.len(), false);
        for w in &self.run_warnings {
            count(w.kind, 1, false);
        }
        // A month that looks incomplete is a warning like the others (warnings.csv, exit 3).
        count("incomplete_month", usize::from(self.as_of_choice.incomplete.is_some()), false);
        t
    }

    /// Analyses the ledger, assesses each client's risk, compares with the previous run and
    /// selects the handover.
    pub fn from(config: &Config, loaded: Loaded) -> Result<Analysed, PipelineError> {
        let Loaded { mut ingested, bureau, log, as_of, as_of_choice, watchlist, elsewhere, tables } = loaded;
        let SideTables { fx, rates, reminders, previous } = tables;
        let mut timings = Vec::new();
        let t = Stopwatch::start();
        // Every input by its number, for the log's warnings.
        let sources: Vec<String> = ingested
            .ledger
            .sources
            .iter()
            .cloned()
            .chain(bureau.stats.iter().chain(&log.stats).map(|s| s.file.clone()))
            .collect();
        // The log's open disputes mark their invoices before the analysis reads them.
        let disputes = dispute::apply(&mut ingested.ledger, &sources, &log.rows, as_of);
        let mut analysis = analyse(&ingested.ledger, as_of, &config.analytics, &fx).map_err(RunError::Fx)?;
        let promises =
            promise::judge(&ingested.ledger, &sources, &log.rows, as_of, &fx, config.ladder.promise_grace_days)
                .map_err(RunError::Fx)?;
        let (ledger, quality) = ingested.into_parts();
        let roster = ledger.into_roster();
        timings.push(("analyse", t.lap()));

        let t = Stopwatch::start();
        let assessment = monitor::assess(
            &roster,
            &analysis,
            bureau.rows.clone(),
            &config.bureau,
            &config.risk,
            &watchlist,
            &elsewhere.by_company,
            &promises,
            &disputes,
        );
        let entries = monitor::entries(&roster, &analysis, &assessment, &watchlist, config.currency);
        let (compared_with, alerts) = match previous {
            Some((p, prev)) => {
                let alerts =
                    monitor::alerts::compare(&prev, &entries, &config.monitor, &config.bureau, config.currency);
                (Some(p), alerts)
            }
            None => (None, Vec::new()),
        };
        let opportunities = monitor::opportunities::opportunities(
            &roster,
            &analysis,
            &assessment,
            &alerts,
            &watchlist,
            config.currency,
        );
        timings.push(("monitor", t.lap()));

        let t = Stopwatch::start();
        // The early-warning record reads the clients' courses before the forecast takes them.
        let handovers: Vec<(ClientIx, NaiveDate)> =
            log.rows.iter().filter(|e| e.kind == LogKind::Handover).map(|e| (e.client, e.date)).collect();
        let early_warning = early_warning::record(
            &analysis,
            &early_warning::Inputs {
                roster: &roster,
                snapshots: &bureau.rows,
                bureau: &config.bureau,
                risk: &config.risk,
                promises: (&promises, config.ladder.promise_grace_days),
                handovers: &handovers,
                at_as_of: &assessment.clients,
            },
            &config.early_warning,
        );
        timings.push(("early warning", t.lap()));

        let t = Stopwatch::start();
        // An insolvent client's invoices are not forecast from how it paid before.
        let holds: Vec<Option<Hold>> = assessment
            .clients
            .iter()
            .map(|v| v.status.filter(|s| s.is_distress()).map(|s| Hold::Insolvent(s.label())))
            .collect();
        // The log's live promises, as far as each client's record says they are kept.
        let pledges = pledges(&analysis, &promises);
        let bands = bands(&analysis, &roster, (&bureau.rows, &config.bureau), &elsewhere.by_company);
        let outlook = outlook(&mut analysis, &holds, &pledges, &bands);
        timings.push(("forecast", t.lap()));

        let t = Stopwatch::start();
        let compensation = config.handover.compensation(&fx, as_of);
        let actions = ladder::actions(
            &roster,
            &analysis,
            &assessment,
            &reminders,
            &config.ladder,
            &config.handover,
            &rates,
            compensation,
            &outlook,
            &promises,
        )
        .map_err(RunError::Collection)?;
        // The ladder's handovers, when the pack follows the ladder.
        let ladder_handovers: Option<BTreeSet<(ClientIx, &str)>> = config.handover.follow_ladder.then(|| {
            actions
                .iter()
                .filter(|a| a.kind == ladder::Kind::Handover)
                .map(|a| {
                    (
                        a.client,
                        analysis.clients[a.position as usize].open_items[a.item as usize].invoice.document_id.as_str(),
                    )
                })
                .collect()
        });
        let handover = handover::select(
            &roster,
            &analysis,
            &assessment,
            &config.handover,
            &rates,
            compensation,
            ladder_handovers.as_ref(),
        )
        .map_err(RunError::Collection)?;
        let claims = handover.len() + actions.iter().filter(|a| a.kind == ladder::Kind::FileClaim).count();
        let mut run_warnings: Vec<Warning> = match compensation {
            Compensation::Unconverted(c) if claims > 0 => vec![Warning {
                kind: "compensation_not_converted",
                source: "handover".into(),
                location: config.fx_rates.as_ref().map_or_else(|| "fx_rates".into(), |p| p.display().to_string()),
                message: format!(
                    "no rate from {} into {} on {as_of}: the {c} {} compensation per invoice is claimed in {} beside each claim, \
                     not converted and not in claim_total (handover.csv leaves compensation empty); {}, or set \
                     [handover] compensation and compensation_currency in {}",
                    c.currency(),
                    config.currency,
                    c.currency(),
                    c.currency(),
                    if config.fx_rates.is_some() {
                        "add the rate to the fx_rates table"
                    } else {
                        "name an fx_rates table with the rate"
                    },
                    config.currency
                ),
            }],
            _ => Vec::new(),
        };
        run_warnings.extend(disputes.warnings.iter().chain(&promises.warnings).cloned());

        let dossiers = if config.reports.dossiers {
            dossier_names::plan(&roster, &handover, config.handover.max_dossiers)
        } else {
            (BTreeMap::new(), 0)
        };
        timings.push(("handover", t.lap()));
        Ok(Analysed {
            as_of,
            as_of_choice,
            accepted: config.warnings.clone(),
            roster,
            quality,
            bureau,
            log,
            analysis,
            outlook,
            assessment,
            early_warning,
            entries,
            compared_with,
            alerts,
            opportunities,
            handover,
            reminders,
            promises,
            disputes,
            actions,
            dossiers,
            run_warnings,
            timings,
        })
    }
}

/// Each analysed client's live promises for the forecast, in the analysis's client order (none
/// without a log).
fn pledges(a: &crate::analytics::Analysis, promises: &Promises) -> Vec<Vec<Pledge>> {
    if promises.all.is_empty() {
        return Vec::new();
    }
    let kept = promises.portfolio_kept(a.as_of);
    a.clients
        .iter()
        .map(|c| {
            let mut live = promises.of(c.client).iter().filter(|p| p.standing == Standing::Live).peekable();
            if live.peek().is_none() {
                return Vec::new();
            }
            let belief = promises.belief(c.client, a.as_of, kept);
            live.map(|p| Pledge {
                by: p.by,
                made: p.made,
                document_id: p.document_id.clone(),
                left: (p.amount - p.paid).max(0),
                belief,
            })
            .collect()
        })
        .collect()
}

/// Each client's band at each of the forecast's dates (docs/forecast.md, rule 11): by its
/// payment score as of that date; at the as-of date, by how late it pays the pool's other
/// creditors where the pool knows it (the pool's file is of that date only).
fn bands(
    analysis: &Analysis,
    roster: &Roster,
    (snapshots, settings): (&[bureau::Snapshot], &bureau::BureauSettings),
    elsewhere: &BTreeMap<CompanyNumber, Elsewhere>,
) -> Vec<Bands> {
    let s = &analysis.settings;
    let active: Vec<ClientIx> = analysis.clients.iter().map(|c| c.client).collect();
    let mut bands: Vec<Bands> = if s.forecast_payment_score {
        let dates = origins(analysis.as_of);
        bureau::payment_bands(&roster.clients, &active, snapshots, settings, &dates, SCORE_BANDS)
            .into_iter()
            .map(|b| std::array::from_fn(|o| b.get(o).copied().unwrap_or(0)))
            .collect()
    } else {
        vec![Bands::default(); active.len()]
    };
    if s.forecast_elsewhere && !elsewhere.is_empty() {
        for (b, &ix) in bands.iter_mut().zip(&active) {
            let wadl = roster.clients[ix as usize].company_number.as_ref().and_then(|n| elsewhere.get(n)?.wadl);
            if let Some(w) = wadl {
                b[0] = elsewhere_band(w);
            }
        }
    }
    bands
}
