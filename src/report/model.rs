//! The neutral report model: KPI figures, chart series and table selections, built once from
//! the analysis and drawn by each renderer (workbook, PDF), so they can never disagree with
//! each other or with the data files.

use super::i18n::{self, Label, t};
use crate::analytics::{Analysis, calendar};
use crate::collection::handover::Line;
use crate::ingest::bureau::BureauIngested;
use crate::ingest::{DataQuality, Reject, SourceStats, Warning};
use crate::locale::Lang;
use crate::model::{ClientIx, Currency, Roster};
use crate::monitor::Assessment;
use crate::monitor::alerts::Alert;
use chrono::NaiveDate;

/// What a KPI's value is, for formatting (number formats in Excel, text in the PDF).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unit {
    Money,
    Percent,
    Days,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Kpi {
    pub key: Label,
    pub label: String,
    /// Money in major units (for Excel), a percent as a fraction, days as days.
    pub value: Option<f64>,
    /// Money exactly, in minor units: what the text shows.
    pub minor: Option<i64>,
    pub unit: Unit,
    /// A comparison or method note shown under the value.
    pub note: String,
}

/// Everything the renderers need, by reference.
pub struct Sources<'a> {
    pub company: &'a str,
    pub currency: Currency,
    pub lang: Lang,
    pub roster: &'a Roster,
    pub quality: &'a DataQuality,
    pub bureau: &'a BureauIngested,
    pub analysis: &'a Analysis,
    pub assessment: &'a Assessment,
    pub alerts: &'a [Alert],
    pub compared_with: Option<String>,
    pub handover: &'a [Line],
    pub analysis_warnings: &'a [String],
}

/// One debtor's handover totals.
#[derive(Clone, Debug, PartialEq)]
pub struct DebtorTotal {
    pub client: ClientIx,
    pub invoices: usize,
    pub open: i64,
    pub interest: i64,
    pub compensation: i64,
    pub claim: i64,
    pub provisional: bool,
}

pub struct ReportModel<'a> {
    pub src: Sources<'a>,
    pub as_of: NaiveDate,
    pub kpis: Vec<Kpi>,
    pub months: Vec<String>,
    pub dso_standard: Vec<Option<f64>>,
    pub dso_countback: Vec<Option<f64>>,
    pub late_ratio: Vec<Option<f64>>,
    pub wadl: Vec<Option<f64>>,
    /// Bucket labels and their open amounts (minor units).
    pub aging: Vec<(String, i64)>,
    /// Indices into `analysis.clients`, riskiest first (at most 20).
    pub riskiest: Vec<usize>,
    /// Alerts, risks first, then opportunities, each by severity.
    pub alerts: Vec<&'a Alert>,
    pub debtors: Vec<DebtorTotal>,
}

impl<'a> ReportModel<'a> {
    pub fn build(src: Sources<'a>) -> ReportModel<'a> {
        let a = src.analysis;
        let p = &a.portfolio;
        let lang = src.lang;
        let months: Vec<String> = p.monthly.iter().map(|m| calendar::label(m.month)).collect();
        let overdue: i64 = p.sums.buckets.iter().skip(1).sum();
        let mut positive: Vec<i64> = a.clients.iter().map(|c| c.figures.sums.net_ar.max(0)).collect();
        positive.sort_unstable_by(|x, y| y.cmp(x));
        let all: i64 = positive.iter().sum();
        let top10: i64 = positive.iter().take(10).sum();
        let prev_countback = p.monthly.iter().rev().nth(1).map(|m| m.dso_countback);
        let change = prev_countback.map(|prev| p.dso_countback - prev);
        let kpis = vec![
            Kpi {
                key: Label::NetAr,
                label: t(lang, Label::NetAr).into(),
                value: Some(src.currency.major(p.sums.net_ar)),
                minor: Some(p.sums.net_ar),
                unit: Unit::Money,
                note: String::new(),
            },
            Kpi {
                key: Label::OverdueShare,
                label: t(lang, Label::OverdueShare).into(),
                value: (p.sums.open_total > 0).then(|| overdue as f64 / p.sums.open_total as f64),
                minor: None,
                unit: Unit::Percent,
                note: i18n::money(lang, overdue, src.currency),
            },
            Kpi {
                key: Label::DsoCountback,
                label: t(lang, Label::DsoCountback).into(),
                value: Some(p.dso_countback),
                minor: None,
                unit: Unit::Days,
                note: change
                    .map(|c| {
                        format!(
                            "{}{} {} {}",
                            if c >= 0.0 { "+" } else { "" },
                            i18n::number(lang, c, 1),
                            t(lang, Label::Days),
                            t(lang, Label::VsLastMonth)
                        )
                    })
                    .unwrap_or_default(),
            },
            Kpi {
                key: Label::DsoStandard,
                label: t(lang, Label::DsoStandard).into(),
                value: p.dso_standard,
                minor: None,
                unit: Unit::Days,
                note: String::new(),
            },
            Kpi {
                key: Label::Cei,
                label: t(lang, Label::Cei).into(),
                value: p.cei,
                minor: None,
                unit: Unit::Percent,
                note: String::new(),
            },
            Kpi {
                key: Label::Wadl,
                label: t(lang, Label::Wadl).into(),
                value: p.sums.window.wadl(),
                minor: None,
                unit: Unit::Days,
                note: String::new(),
            },
            Kpi {
                key: Label::Top10,
                label: t(lang, Label::Top10).into(),
                value: (all > 0).then(|| top10 as f64 / all as f64),
                minor: None,
                unit: Unit::Percent,
                note: format!("{} / {}", i18n::money(lang, top10, src.currency), i18n::money(lang, all, src.currency)),
            },
        ];
        let labels = a.settings.bucket_labels();
        let aging = labels.into_iter().zip(p.sums.buckets.iter().copied()).collect();
        let mut riskiest: Vec<usize> = (0..a.clients.len()).collect();
        riskiest.sort_by(|&x, &y| {
            let (rx, ry) = (&src.assessment.clients[x].risk, &src.assessment.clients[y].risk);
            ry.tier.cmp(&rx.tier).then(ry.score.total_cmp(&rx.score)).then(x.cmp(&y))
        });
        riskiest.truncate(20);
        let mut alerts: Vec<&Alert> = src.alerts.iter().collect();
        alerts.sort_by_key(|x| !x.risk);
        let mut debtors: Vec<DebtorTotal> = Vec::new();
        for l in src.handover {
            match debtors.last_mut() {
                Some(d) if d.client == l.client => {
                    d.invoices += 1;
                    d.open += l.open;
                    d.interest += l.interest.amount;
                    d.compensation += l.compensation;
                    d.claim += l.claim();
                    d.provisional |= l.interest.provisional;
                }
                _ => debtors.push(DebtorTotal {
                    client: l.client,
                    invoices: 1,
                    open: l.open,
                    interest: l.interest.amount,
                    compensation: l.compensation,
                    claim: l.claim(),
                    provisional: l.interest.provisional,
                }),
            }
        }
        ReportModel {
            as_of: a.as_of,
            kpis,
            dso_standard: p.monthly.iter().map(|m| m.dso_standard).collect(),
            dso_countback: p.monthly.iter().map(|m| Some(m.dso_countback)).collect(),
            late_ratio: p.monthly.iter().map(|m| m.behaviour.late_ratio()).collect(),
            wadl: p.monthly.iter().map(|m| m.behaviour.wadl()).collect(),
            months,
            aging,
            riskiest,
            alerts,
            debtors,
            src,
        }
    }

    pub fn t(&self, key: Label) -> &'static str {
        t(self.src.lang, key)
    }

    pub fn money(&self, minor: i64) -> String {
        i18n::money(self.src.lang, minor, self.src.currency)
    }

    /// A KPI's value as text.
    pub fn kpi_text(&self, k: &Kpi) -> String {
        match (k.value, k.unit) {
            (None, _) => "–".into(),
            (Some(_), Unit::Money) => k.minor.map(|v| self.money(v)).unwrap_or_else(|| "–".into()),
            (Some(v), Unit::Percent) => i18n::percent(self.src.lang, v, 1),
            (Some(v), Unit::Days) => format!("{} {}", i18n::number(self.src.lang, v, 1), self.t(Label::Days)),
        }
    }

    pub fn client_name(&self, ix: ClientIx) -> &str {
        let c = &self.src.roster.clients[ix as usize];
        if c.name.is_empty() { &c.id } else { &c.name }
    }

    /// Every input's reconciliation, ledger then bureau.
    pub fn inputs(&self) -> Vec<&SourceStats> {
        self.src.quality.stats.iter().chain(&self.src.bureau.stats).collect()
    }

    pub fn rejects(&self) -> Vec<&Reject> {
        self.src.quality.rejects.iter().chain(&self.src.bureau.rejects).collect()
    }

    pub fn warnings(&self) -> Vec<&Warning> {
        self.src.quality.warnings.iter().chain(&self.src.bureau.warnings).collect()
    }
}
