//! The neutral report model, built once from a run's results: KPIs with exact money, chart
//! series, the riskiest clients, the handover per debtor with its total and its dossiers, and
//! every table, the data files' included (`tables.rs`, `summary.rs`). Each renderer (data
//! files, workbook, PDF, dossiers: `renderer.rs`) only draws it, so they can never disagree
//! with each other or with the data files.
//!
//! A renderer names no type of the layers below the report: what it draws comes through here,
//! and the few domain types it shows are named here for it (`tests/architecture.rs`).

pub use super::early_warning::RecordRow;
use super::i18n::{self, Label, t};
use super::records::{DebtorTotal, Instalments, RiskyClient};
use super::sources::Sources;
use super::table::Table;
use super::tables::{
    self, ActionContext, ActionRow, ClientRow, DebtorRow, ForecastRow, HandoverRow, MonthlyRow, OpenItemRow, QualityRow,
};
use crate::analytics::ClientResult;
use crate::analytics::calendar;
use crate::analytics::dispute::Disputes;
use crate::analytics::promise::Promises;
use crate::bureau::Snapshot;
use crate::locale::Lang;
use crate::model::{Client, ClientIx, Currency, Money};
use crate::monitor::opportunities::Opportunity;
use chrono::NaiveDate;
use std::collections::BTreeMap;

// The domain types the renderers show, named for them here.
pub use crate::analytics::outlook::{Backtest, InvoiceForecast, Outlook, Week};
pub use crate::analytics::risk::{Reason, Tier};
pub use crate::bureau::watchlist::Role;
pub use crate::collection::handover::{Compensation, Creditor, Line, Reminder};
pub use crate::ingest::{Reject, SourceStats, Warning};
pub use crate::monitor::alerts::{Alert, Severity};

/// A KPI's figure: exact money, a fraction, or days; `None` when undefined.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Figure {
    /// An exact amount.
    Money(Money),
    /// A fraction.
    Percent(Option<f64>),
    /// Days.
    Days(Option<f64>),
}

/// One headline figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Kpi {
    /// Which figure.
    pub key: Label,
    /// Its label in the report's language.
    pub label: String,
    /// Its value.
    pub figure: Figure,
    /// A comparison or method note shown under the value.
    pub note: String,
}

/// One debtor's dossier: its file, the invoices claimed and the reminders sent about them.
pub struct Dossier<'a> {
    /// The debtor.
    pub client: &'a Client,
    /// Its file name in `handover/`.
    pub file: &'a str,
    /// The invoices handed over, by due date.
    pub lines: Vec<&'a Line>,
    /// The reminders sent about those invoices.
    pub reminders: Vec<&'a Reminder>,
}

/// A debtor and what the bureau last said of it, for its dossier.
pub struct DebtorView<'a> {
    /// The debtor.
    pub client: &'a Client,
    /// Its latest snapshot on or before the as-of date.
    pub snapshot: Option<&'a Snapshot>,
}

/// The report, ready to draw.
pub struct ReportModel<'a> {
    /// The company the report is for.
    pub company: &'a str,
    /// The reporting currency.
    pub currency: Currency,
    /// The report's language.
    pub lang: Lang,
    /// The date the report looks from.
    pub as_of: NaiveDate,
    /// The saved run the alerts compare with; `None` on a first run.
    pub compared_with: Option<String>,
    /// The headline figures.
    pub kpis: Vec<Kpi>,
    /// The series' months, `2026-10`.
    pub months: Vec<String>,
    /// Standard DSO per month.
    pub dso_standard: Vec<Option<f64>>,
    /// Countback DSO per month.
    pub dso_countback: Vec<Option<f64>>,
    /// Late ratio per month of settlement.
    pub late_ratio: Vec<Option<f64>>,
    /// WADL per month of settlement.
    pub wadl: Vec<Option<f64>>,
    /// Bucket labels and their open amounts.
    pub aging: Vec<(String, Money)>,
    /// The riskiest clients, riskiest first (at most 20).
    pub riskiest: Vec<RiskyClient<'a>>,
    /// The clients who broke promises to pay in 12 months, most broken first (at most 10).
    pub breakers: Vec<RiskyClient<'a>>,
    /// The open amount disputed, how many invoices, and the longest dispute's days (the log's).
    pub disputed: (Money, usize, Option<i64>),
    /// Invoices paid in instalments with something open: how many invoices, their open
    /// instalments, the open amount and what of it is past due.
    pub instalments: Instalments,
    /// Alerts, risks first, then opportunities, each by severity.
    pub alerts: Vec<&'a Alert>,
    /// The handover per debtor, and in all.
    pub debtors: Vec<DebtorTotal>,
    /// All debtors together.
    pub handover_total: DebtorTotal,
    /// The data files' names of the aging buckets.
    bucket_names: Vec<String>,
    /// Where each client is in the analysis.
    position: BTreeMap<ClientIx, usize>,
    src: Sources<'a>,
}

impl<'a> ReportModel<'a> {
    /// Builds the report from a run's results.
    pub fn build(src: Sources<'a>) -> ReportModel<'a> {
        let a = src.analysis;
        let p = &a.portfolio;
        let kpis = kpis(&src);
        // The first bucket's label in the report's language; the others are day ranges.
        let aging = a
            .settings
            .bucket_labels()
            .into_iter()
            .enumerate()
            .map(|(i, label)| if i == 0 { super::i18n::t(src.lang, Label::NotDue).to_string() } else { label })
            .zip(p.sums.buckets.iter().map(|v| Money::new(*v, src.currency)))
            .collect();
        let mut order: Vec<usize> = (0..a.clients.len()).collect();
        order.sort_by(|&x, &y| {
            let (rx, ry) = (&src.assessment.clients[x].risk, &src.assessment.clients[y].risk);
            ry.tier.cmp(&rx.tier).then(ry.score.total_cmp(&rx.score)).then(x.cmp(&y))
        });
        let risky = |i: usize| {
            let (c, v) = (&a.clients[i], &src.assessment.clients[i]);
            RiskyClient {
                name: src.roster.label_of(&src.roster.clients[c.client as usize]),
                tier: v.risk.tier,
                score: v.risk.score,
                net_ar: Money::new(c.figures.sums.net_ar, src.currency),
                // In the report's language (clients.csv keeps the English words).
                reasons: Reason::joined(&v.risk.why, src.lang),
                late_elsewhere: v.elsewhere.as_ref().and_then(|e| e.wadl),
                broken_promises: (v.promises.broken > 0)
                    .then_some((v.promises.broken, v.promises.kept + v.promises.broken)),
            }
        };
        let mut breaking: Vec<usize> =
            order.iter().copied().filter(|&i| src.assessment.clients[i].promises.broken > 0).collect();
        breaking.sort_by_key(|&i| std::cmp::Reverse(src.assessment.clients[i].promises.broken));
        let breakers = breaking.into_iter().take(10).map(risky).collect();
        let disputed = (
            Money::new(a.clients.iter().map(ClientResult::disputed_open).sum(), src.currency),
            a.clients.iter().flat_map(|c| &c.open_items).filter(|o| o.disputed).count(),
            src.assessment.clients.iter().filter_map(|v| v.longest_dispute_days).max(),
        );
        let instalments = Instalments::of(a, src.currency);
        let riskiest = order.into_iter().take(20).map(risky).collect();
        let mut alerts: Vec<&Alert> = src.alerts.iter().collect();
        alerts.sort_by_key(|x| !x.risk);
        let mut debtors: Vec<DebtorTotal> = Vec::new();
        let mut handover_total = DebtorTotal::new(0, src.currency);
        for l in src.handover {
            match debtors.last_mut() {
                Some(d) if d.client == l.invoice.client => d.add(l),
                _ => {
                    let mut d = DebtorTotal::new(l.invoice.client, src.currency);
                    d.add(l);
                    debtors.push(d);
                }
            }
            handover_total.add(l);
        }
        ReportModel {
            company: src.company,
            currency: src.currency,
            lang: src.lang,
            as_of: a.as_of,
            compared_with: src.compared_with.and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().to_string()),
            kpis,
            months: p.monthly.iter().map(|m| calendar::label(m.month)).collect(),
            dso_standard: p.monthly.iter().map(|m| m.dso_standard).collect(),
            dso_countback: p.monthly.iter().map(|m| m.dso_countback).collect(),
            late_ratio: p.monthly.iter().map(|m| m.behaviour.late_ratio()).collect(),
            wadl: p.monthly.iter().map(|m| m.behaviour.wadl()).collect(),
            aging,
            riskiest,
            breakers,
            disputed,
            instalments,
            alerts,
            debtors,
            handover_total,
            bucket_names: a.settings.bucket_names(),
            position: a.clients.iter().enumerate().map(|(i, c)| (c.client, i)).collect(),
            src,
        }
    }

    /// A label in the report's language.
    pub fn t(&self, key: Label) -> &'static str {
        t(self.lang, key)
    }

    /// Money in the report's language, with its currency.
    pub fn money(&self, minor: i64) -> String {
        i18n::money(self.lang, minor, self.currency)
    }

    /// Minor units of the reporting currency as a number of its major units (a sheet's cell).
    pub fn money_value(&self, minor: i64) -> f64 {
        Money::new(minor, self.currency).major()
    }

    /// An amount in its own currency, in the report's notation (the compensation without a
    /// rate is in EUR in any report).
    pub fn money_of(&self, m: Money) -> String {
        i18n::money(self.lang, m.minor(), m.currency())
    }

    /// A KPI's value as text.
    pub fn kpi_text(&self, k: &Kpi) -> String {
        match k.figure {
            Figure::Money(m) => self.money(m.minor()),
            Figure::Percent(Some(v)) => i18n::percent(self.lang, v, 1),
            Figure::Days(Some(v)) => format!("{} {}", i18n::number(self.lang, v, 1), self.t(Label::Days)),
            Figure::Percent(None) | Figure::Days(None) => "–".into(),
        }
    }

    /// Whether the handover is off in the configuration (nothing is handed over).
    pub fn handover_off(&self) -> bool {
        self.src.ladder.handover_off
    }

    /// Why the report is as of its date, in its language.
    pub fn as_of_why(&self) -> String {
        self.src.as_of_choice.why(self.lang)
    }

    /// The warning the report carries when its month looks incomplete.
    pub fn as_of_warning(&self) -> Option<String> {
        self.src.as_of_choice.warning(self.lang)
    }

    /// A client by index.
    pub fn client(&self, ix: ClientIx) -> &'a Client {
        &self.src.roster.clients[ix as usize]
    }

    /// The client's name, or its id when it has none.
    pub fn client_name(&self, ix: ClientIx) -> &'a str {
        name_of(self.client(ix))
    }

    /// A debtor's handover totals.
    pub fn debtor_total(&self, ix: ClientIx) -> Option<&DebtorTotal> {
        self.debtors.iter().find(|d| d.client == ix)
    }

    /// A debtor with its bureau view and latest snapshot.
    pub fn debtor(&self, ix: ClientIx) -> DebtorView<'a> {
        let view = self.position.get(&ix).and_then(|&i| self.src.assessment.clients.get(i));
        let snapshot = view.and_then(|v| v.snapshot).map(|i| &self.src.assessment.snapshots[i]);
        DebtorView { client: self.client(ix), snapshot }
    }

    /// The invoices handed over, by client then due date.
    pub fn handover_lines(&self) -> &'a [Line] {
        self.src.handover
    }

    /// Every input's reconciliation, ledger then bureau.
    pub fn inputs(&self) -> Vec<&'a SourceStats> {
        self.src.quality.stats.iter().chain(&self.src.bureau.stats).chain(&self.src.log.stats).collect()
    }

    /// Every rejected row, ledger then bureau.
    pub fn rejects(&self) -> Vec<&'a Reject> {
        self.src.quality.rejects.iter().chain(&self.src.bureau.rejects).chain(&self.src.log.rejects).collect()
    }

    /// The warnings of reading (ledger, then bureau), then the run's own.
    pub fn warnings(&self) -> Vec<&'a Warning> {
        self.src
            .quality
            .warnings
            .iter()
            .chain(&self.src.bureau.warnings)
            .chain(&self.src.log.warnings)
            .chain(self.src.run_warnings)
            .collect()
    }

    /// The warnings of the analysis.
    pub fn analysis_warnings(&self) -> &'a [String] {
        self.src.analysis_warnings
    }

    /// The clients table (`clients.csv`, the Clients sheet).
    pub fn clients(&self) -> Table<'a, ClientRow<'a>> {
        let log_read = !self.src.log.stats.is_empty();
        tables::clients(
            self.src.roster,
            self.src.analysis,
            self.src.assessment,
            self.src.outlook,
            log_read,
            self.currency,
        )
    }

    /// The monthly series (`monthly.csv`, the Trends sheet).
    pub fn monthly(&self) -> Table<'a, MonthlyRow<'a>> {
        tables::monthly(self.src.roster, self.src.analysis, self.currency)
    }

    /// The open invoices (`open_items.csv`, the Open items sheet).
    pub fn open_items(&self) -> Table<'_, OpenItemRow<'_>> {
        tables::open_items(self.src.roster, self.src.analysis, self.src.disputes, &self.bucket_names)
    }

    /// Every open invoice's forecast, its basis in `lang` (`forecast.csv` in English, the
    /// Forecast sheet in the report's language).
    pub fn forecast(&self, lang: Lang) -> Table<'a, ForecastRow<'a>> {
        tables::forecast(self.src.roster, self.src.analysis, self.src.outlook, self.log(), lang, None)
    }

    /// The `n` open invoices with the largest amounts expected within the 13 weeks.
    pub fn largest_expected(&self, n: usize) -> Table<'a, ForecastRow<'a>> {
        let mut picks = self.forecast_positions(|f| f.hold.is_none() && f.p_13w > 0.0);
        picks.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        self.picked(picks.into_iter().take(n).map(|p| p.1).collect())
    }

    /// The `n` open invoices least likely to be collected within the 13 weeks (below one in
    /// two), the largest first among equally unlikely ones.
    pub fn least_likely(&self, n: usize) -> Table<'a, ForecastRow<'a>> {
        let mut picks = self.forecast_positions(|f| f.p_13w < 0.5);
        let open = |(b, i): (usize, usize)| self.src.analysis.clients[b].open_items[i].invoice.open.minor();
        let p = |(b, i): (usize, usize)| self.src.outlook.clients[b].invoices[i].p_13w;
        picks.sort_by(|x, y| {
            // Rounded to whole percents, so that the amount decides between near-equal chances.
            let (px, py) = ((p(x.1) * 100.0).round(), (p(y.1) * 100.0).round());
            px.total_cmp(&py).then(open(y.1).cmp(&open(x.1))).then(x.1.cmp(&y.1))
        });
        self.picked(picks.into_iter().take(n).map(|p| p.1).collect())
    }

    /// Every open invoice that `keep` keeps, with its amount expected within the 13 weeks.
    fn forecast_positions(&self, keep: impl Fn(&InvoiceForecast) -> bool) -> Vec<(f64, (usize, usize))> {
        let (a, o) = (self.src.analysis, self.src.outlook);
        let mut out = Vec::new();
        for (b, (c, co)) in a.clients.iter().zip(&o.clients).enumerate() {
            for (i, (item, f)) in c.open_items.iter().zip(&co.invoices).enumerate() {
                if keep(f) {
                    out.push((item.invoice.open.minor() as f64 * f.p_13w, (b, i)));
                }
            }
        }
        out
    }

    fn picked(&self, picks: Vec<(usize, usize)>) -> Table<'a, ForecastRow<'a>> {
        tables::forecast(self.src.roster, self.src.analysis, self.src.outlook, self.log(), self.lang, Some(picks))
    }

    /// The early-warning record in a sentence or two, in the report's language.
    pub fn early_warning_sentence(&self) -> String {
        super::early_warning::sentence(self.lang, self.src.early_warning)
    }

    /// The early-warning record's failures and false alarms (the sheet and the page).
    pub fn early_warning_table(&self) -> Table<'a, RecordRow> {
        super::early_warning::table(self.src.early_warning, self.src.roster, self.lang)
    }

    /// Per month end of the record: its label and the clients flagged then (none without a
    /// record).
    pub fn flagged_per_month(&self) -> Vec<(String, usize)> {
        let r = self.src.early_warning;
        r.month_ends.iter().zip(&r.flagged).map(|(d, n)| (d.to_string(), *n)).collect()
    }

    /// The 13 weeks of the forecast (`forecast_weeks.csv`, the Forecast sheet and page).
    pub fn forecast_weeks(&self) -> Table<'a, Week> {
        tables::forecast_weeks(&self.src.outlook.weeks, self.currency, self.src.outlook.known())
    }

    /// The forecast: weeks, totals, each client's and the track record.
    pub fn outlook(&self) -> &'a Outlook {
        self.src.outlook
    }

    /// Whether the ledger is an open-items snapshot (no trends, no payment behaviour).
    pub fn snapshot_only(&self) -> bool {
        self.src.analysis.settings.snapshot
    }

    /// The reminder log.
    pub fn reminders(&self) -> &'a [Reminder] {
        self.src.reminders
    }

    /// The next collection action per overdue invoice, the most urgent first.
    pub fn actions(&self) -> Table<'a, ActionRow<'a>> {
        tables::actions(self.action_context(), self.src.actions)
    }

    /// The most urgent action per client, the most urgent client first.
    pub fn client_actions(&self) -> Table<'a, ActionRow<'a>> {
        tables::client_actions(self.action_context(), self.src.actions)
    }

    fn action_context(&self) -> ActionContext<'a> {
        ActionContext {
            roster: self.src.roster,
            analysis: self.src.analysis,
            assessment: self.src.assessment,
            ladder: self.src.ladder,
            lang: self.src.lang,
            currency: self.currency,
        }
    }

    /// Whom sales could call, the largest credit room first.
    pub fn opportunities(&self) -> Table<'a, Opportunity> {
        tables::opportunities(self.src.opportunities, self.src.roster, self.currency)
    }

    /// The alerts, risks first (the Alerts sheet).
    pub fn alerts_table(&self) -> Table<'a, &'a Alert> {
        self.alerts_of(self.alerts.clone())
    }

    /// Some of the alerts, each client named as the reports name it.
    pub fn alerts_of(&self, list: Vec<&'a Alert>) -> Table<'a, &'a Alert> {
        tables::alerts(list, Some(self.src.roster), Some(self.lang))
    }

    /// The handover table, naming each debtor's dossier file (`handover.csv`, the Handover
    /// sheet).
    pub fn handover(&self) -> Table<'a, HandoverRow<'a>> {
        tables::handover(self.src.roster, self.src.handover, self.src.dossiers, self.currency)
    }

    /// The alerts in the order they were found, each client as the data files name it
    /// (`alerts.csv`).
    pub fn alerts_data(&self) -> Table<'a, &'a Alert> {
        tables::alerts(self.src.alerts.iter().collect(), None, None)
    }

    /// `warnings.csv`'s rows: the incomplete month (in English, as data), then the warnings of
    /// reading, the run's own, and the analysis's (kind `analysis`).
    pub fn data_warnings(&self) -> Vec<Warning> {
        let month = self.src.as_of_choice.warning(Lang::En).map(|message| Warning {
            kind: "incomplete_month",
            source: "as_of".into(),
            location: self.as_of.to_string(),
            message,
        });
        let analysis = self.src.analysis_warnings.iter().map(|m| Warning {
            kind: "analysis",
            source: "analysis".into(),
            location: String::new(),
            message: m.clone(),
        });
        month.into_iter().chain(self.warnings().into_iter().cloned()).chain(analysis).collect()
    }

    /// `summary.json`: the run's as-of date, inputs reconciled, portfolio KPIs and version.
    pub fn summary(&self) -> serde_json::Value {
        super::summary::of(&self.src, &self.instalments)
    }

    /// The dossiers to draw, one per debtor that gets one, in client order; lines and
    /// reminders grouped once, not searched per debtor.
    pub fn dossiers(&self) -> Vec<Dossier<'a>> {
        let mut lines_of: BTreeMap<ClientIx, Vec<&'a Line>> = BTreeMap::new();
        for l in self.src.handover {
            lines_of.entry(l.invoice.client).or_default().push(l);
        }
        let mut reminders_of: BTreeMap<(&str, &str), Vec<&'a Reminder>> = BTreeMap::new();
        for r in self.src.reminders {
            reminders_of.entry((r.client_id.as_str(), r.document_id.as_str())).or_default().push(r);
        }
        self.src
            .dossiers
            .iter()
            .map(|(ix, file)| {
                let client = self.client(*ix);
                let lines = lines_of.remove(ix).unwrap_or_default();
                let reminders = lines
                    .iter()
                    .flat_map(|l| {
                        reminders_of
                            .get(&(client.id.as_str(), l.invoice.document_id.as_str()))
                            .into_iter()
                            .flatten()
                            .copied()
                    })
                    .collect();
                Dossier { client, file, lines, reminders }
            })
            .collect()
    }

    /// What the user should know that is no error: dossiers left out.
    pub fn notes(&self, dossiers_drawn: bool) -> Vec<String> {
        let (planned, qualifying) = (self.src.dossiers.len(), self.src.dossiers_qualifying);
        if dossiers_drawn && qualifying > planned {
            vec![format!(
                "{qualifying} debtors qualify for the handover; dossiers were written for the {planned} largest claims (raise [handover] max_dossiers for more); data/handover.csv lists them all"
            )]
        } else {
            Vec::new()
        }
    }

    /// Every input's reconciliation, then every rejected row and warning.
    pub fn quality(&self) -> Table<'a, QualityRow<'a>> {
        let rows = (self.inputs().into_iter().map(QualityRow::Input))
            .chain(self.rejects().into_iter().map(QualityRow::Rejected))
            .chain(self.warnings().into_iter().map(QualityRow::Warning))
            .chain(self.src.analysis_warnings.iter().map(|w| QualityRow::Analysis(w)))
            .collect();
        tables::quality(rows)
    }

    /// Some lines of the data-quality table (the reconciliation alone, say).
    pub fn quality_of(&self, rows: Vec<QualityRow<'a>>) -> Table<'a, QualityRow<'a>> {
        tables::quality(rows)
    }

    /// The riskiest clients, riskiest first.
    pub fn riskiest_table(&self) -> Table<'_, &RiskyClient<'_>> {
        tables::riskiest(self.riskiest.iter().collect(), self.lang)
    }

    /// The collector's log's promises and disputes.
    fn log(&self) -> (&'a Promises, &'a Disputes) {
        (self.src.promises, self.src.disputes)
    }

    /// The clients who broke promises to pay, as the riskiest are drawn.
    pub fn breakers_table(&self) -> Table<'_, &RiskyClient<'_>> {
        tables::riskiest(self.breakers.iter().collect(), self.lang)
    }

    /// The handover per debtor, then its total.
    pub fn debtors_table(&self) -> Table<'_, DebtorRow<'_>> {
        let rows = (self.debtors.iter().map(|d| DebtorRow::Debtor(d, self.client(d.client))))
            .chain(std::iter::once(DebtorRow::Total(&self.handover_total)))
            .collect();
        tables::debtors(self.src.roster, rows, self.t(Label::Total), move |v| self.money_of(v))
    }
}

fn name_of(c: &Client) -> &str {
    if c.name.is_empty() { &c.id } else { &c.name }
}

/// The headline figures with their notes.
fn kpis(src: &Sources<'_>) -> Vec<Kpi> {
    let (a, lang, cur) = (src.analysis, src.lang, src.currency);
    let p = &a.portfolio;
    let mut positive: Vec<i64> = a.clients.iter().map(|c| c.figures.sums.net_ar.max(0)).collect();
    positive.sort_unstable_by(|x, y| y.cmp(x));
    let all: i64 = positive.iter().sum();
    let top10: i64 = positive.iter().take(10).sum();
    // From nothing owed the month before, a first month's DSO is no change to show (no alert
    // is raised for it either).
    let prev_countback = p.monthly.iter().rev().nth(1).filter(|m| m.net_ar > 0).and_then(|m| m.dso_countback);
    let change = prev_countback.zip(p.dso_countback).map(|(prev, now)| now - prev);
    let kpi = |key: Label, figure: Figure, note: String| Kpi { key, label: t(lang, key).into(), figure, note };
    // A blank figure of a snapshot says why it is blank.
    let unknown = || if a.settings.snapshot { t(lang, Label::NotKnown).to_string() } else { String::new() };
    vec![
        kpi(Label::NetAr, Figure::Money(Money::new(p.sums.net_ar, cur)), String::new()),
        kpi(Label::OverdueShare, Figure::Percent(p.sums.overdue_share()), i18n::money(lang, p.sums.overdue(), cur)),
        kpi(
            Label::DsoCountback,
            Figure::Days(p.dso_countback),
            change
                .map(|c| {
                    format!(
                        "{}{} {} {}",
                        if c >= 0.0 { "+" } else { "" },
                        i18n::number(lang, c, 1),
                        t(lang, Label::Days),
                        t(lang, Label::VsLastMonth)
                    )
                })
                .unwrap_or_else(unknown),
        ),
        kpi(Label::DsoStandard, Figure::Days(p.dso_standard), unknown()),
        kpi(Label::Cei, Figure::Percent(p.cei), unknown()),
        kpi(Label::Wadl, Figure::Days(p.sums.window.wadl()), unknown()),
        kpi(
            Label::Top10,
            Figure::Percent((all > 0).then(|| top10 as f64 / all as f64)),
            format!("{} / {}", i18n::money(lang, top10, cur), i18n::money(lang, all, cur)),
        ),
    ]
}
