//! The early-warning record (docs/monitoring.md): what the risk tier said of every client at
//! each of the last 24 month ends, with only what was known then, against the clients that
//! failed: how many were flagged, how long before, and how many flagged clients did not fail.
//!
//! Nothing is analysed twice: each client's invoices left a compact course (`past.rs`) from
//! which its open items, ages and payments at any earlier month end are read; the monthly
//! series gives the balances at those month ends, the bureau file its snapshots dated on or
//! before them, and the collector's log the promises judged by then.

use super::assessment::ClientView;
use crate::analytics::calendar::{Month, days_in, end_at, first_day, last_day, month_of};
use crate::analytics::metrics::{self, Behaviour};
use crate::analytics::past::{History, Past, Scratch, day};
use crate::analytics::promise::Promises;
use crate::analytics::risk::{self, Reason, RiskInput, RiskSettings, SCORE_FALL_MONTHS, Tier};
use crate::analytics::{Analysis, ClientResult, MonthRow};
use crate::bureau::{self, BureauSettings, Snapshot, Status};
use crate::model::{ClientIx, Roster};
use crate::toml_source::SettingError;
use chrono::{Months, NaiveDate};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;

/// `[early_warning]` in the configuration.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct EarlyWarningSettings {
    /// Whether the run keeps the record at all.
    pub enabled: bool,
    /// Month ends looked back over (at most the monthly series' length).
    pub months: u32,
    /// The tier from which a client counts as flagged: `high` or `critical`.
    pub flag_tier: String,
    /// A failure flagged at least this many months before counts as caught ahead.
    pub lead_months: u32,
    /// A flag counts for a failure within this many months after it; a client flagged that
    /// did not fail within them is a false alarm.
    pub alarm_months: u32,
    /// Without bureau data, a client fails when at least `stall_share` of its open amount is
    /// more than `stall_days` past due …
    pub stall_days: i64,
    /// … (a share of the open amount) …
    pub stall_share: f64,
    /// … at this many month ends in a row, with nothing paid on its invoices in those months.
    pub stall_months: u32,
}

impl Default for EarlyWarningSettings {
    fn default() -> Self {
        EarlyWarningSettings {
            enabled: true,
            months: 24,
            flag_tier: "high".into(),
            lead_months: 3,
            alarm_months: 12,
            stall_days: 90,
            stall_share: 0.5,
            stall_months: 3,
        }
    }
}

impl EarlyWarningSettings {
    /// Refuses settings the record cannot be kept with.
    pub fn check(&self) -> Result<(), SettingError> {
        if self.flagged_from().is_none() {
            return Err(SettingError::shown(
                "[early_warning] flag_tier",
                &self.flag_tier,
                "is \"high\" or \"critical\"",
            ));
        }
        if self.months < 2 {
            return Err(SettingError::shown("[early_warning] months", self.months, "is at least 2 month ends"));
        }
        if self.alarm_months == 0 || self.stall_months == 0 {
            return Err(SettingError::shown(
                "[early_warning] alarm_months",
                format!("{} (stall_months {})", self.alarm_months, self.stall_months),
                "are months, at least 1",
            ));
        }
        if !(self.stall_share > 0.0 && self.stall_share <= 1.0) {
            return Err(SettingError::shown(
                "[early_warning] stall_share",
                self.stall_share,
                "is a share above 0, at most 1",
            ));
        }
        if self.stall_days < 1 {
            return Err(SettingError::shown("[early_warning] stall_days", self.stall_days, "is at least 1 day"));
        }
        Ok(())
    }

    /// The lowest tier that flags a client.
    pub fn flagged_from(&self) -> Option<Tier> {
        Tier::from_label(&self.flag_tier).filter(|t| *t >= Tier::High)
    }
}

/// Why a client counts as failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The bureau's status: bankruptcy, judicial reorganisation, liquidation, dissolution.
    Status(Status),
    /// Its debt was handed over (the collector's log).
    HandedOver,
    /// Most of its open amount long past due while nothing was paid for months.
    Stalled,
}

impl Cause {
    /// As the record's data write it.
    pub fn label(self) -> &'static str {
        match self {
            Cause::Status(s) => s.label(),
            Cause::HandedOver => "handed_over",
            Cause::Stalled => "stopped_paying",
        }
    }
}

/// A client that failed within the record, and whether arwatch saw it coming.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The client.
    pub client: ClientIx,
    /// The day it failed (the bureau snapshot, the handover, or the month end it stalled).
    pub failed_on: NaiveDate,
    /// Why it counts as failed.
    pub cause: Cause,
    /// The first month end, within `alarm_months` before the failure, at which it was flagged.
    pub flagged_on: Option<NaiveDate>,
    /// The tier then.
    pub tier: Option<Tier>,
    /// Calendar months from that month end to the failure's month.
    pub lead_months: Option<u32>,
    /// The factor that weighed most then.
    pub factor: Option<Reason>,
}

/// A client flagged that did not fail within `alarm_months`.
#[derive(Clone, Debug, PartialEq)]
pub struct Alarm {
    /// The client.
    pub client: ClientIx,
    /// The first month end it was flagged at, among those judged.
    pub flagged_on: NaiveDate,
    /// The tier then.
    pub tier: Tier,
    /// The factor that weighed most then.
    pub factor: Option<Reason>,
}

/// The early-warning record of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// The month ends looked at, oldest first; the last is the as-of date.
    pub month_ends: Vec<NaiveDate>,
    /// Failures are counted from this day: `lead_months` into the record, so that each could
    /// have been flagged that far ahead within it.
    pub failures_from: Option<NaiveDate>,
    /// Flags at month ends up to this one are judged (`alarm_months` have passed since).
    pub judged_until: Option<NaiveDate>,
    /// Per month end, the clients flagged then (not failed yet).
    pub flagged: Vec<usize>,
    /// Per month end, the clients active then (not failed yet).
    pub active: Vec<usize>,
    /// Every client that failed within the record, by the day it failed.
    pub failures: Vec<Failure>,
    /// Clients flagged at a judged month end that did not fail within `alarm_months`.
    pub false_alarms: Vec<Alarm>,
    /// Clients active at a judged month end that did not fail: the false alarms' base.
    pub healthy: usize,
    /// Clients flagged only at month ends not judged yet, that have not failed.
    pub pending: usize,
    /// The settings it was kept with.
    pub lead_months: u32,
    /// The same.
    pub alarm_months: u32,
    /// Per client of the analysis (in its order), its score at each month end; `None` when
    /// it was not active then or had failed.
    pub scores: Vec<Vec<Option<f64>>>,
    /// Why there is no record, when there is none (an open-items snapshot has no history).
    pub none_because: Option<&'static str>,
}

impl Record {
    /// Failures flagged before they happened.
    pub fn flagged_failures(&self) -> usize {
        self.failures.iter().filter(|f| f.flagged_on.is_some()).count()
    }

    /// Failures flagged at least `lead_months` before.
    pub fn caught_ahead(&self) -> usize {
        self.failures.iter().filter(|f| f.lead_months.is_some_and(|l| l >= self.lead_months)).count()
    }

    /// The median lead of the flagged failures, in months.
    pub fn median_lead(&self) -> Option<f64> {
        let mut leads: Vec<u32> = self.failures.iter().filter_map(|f| f.lead_months).collect();
        if leads.is_empty() {
            return None;
        }
        leads.sort_unstable();
        let n = leads.len();
        Some(if n % 2 == 1 { f64::from(leads[n / 2]) } else { f64::from(leads[n / 2 - 1] + leads[n / 2]) / 2.0 })
    }

    /// Share of the failures caught ahead; `None` without failures.
    pub fn caught_share(&self) -> Option<f64> {
        (!self.failures.is_empty()).then(|| self.caught_ahead() as f64 / self.failures.len() as f64)
    }

    /// Share of the healthy clients flagged (false alarms); `None` without healthy clients.
    pub fn false_alarm_share(&self) -> Option<f64> {
        (self.healthy > 0).then(|| self.false_alarms.len() as f64 / self.healthy as f64)
    }
}

/// What the record reads beside the analysis.
pub struct Inputs<'a> {
    /// The ledger's clients.
    pub roster: &'a Roster,
    /// Every bureau snapshot of the run.
    pub snapshots: &'a [Snapshot],
    /// How they match and score.
    pub bureau: &'a BureauSettings,
    /// The risk score's settings.
    pub risk: &'a RiskSettings,
    /// The collector's promises, and the grace they are judged with.
    pub promises: (&'a Promises, u32),
    /// Days a client's debt was handed over (the collector's log), by client.
    pub handovers: &'a [(ClientIx, NaiveDate)],
    /// Each client's risk at the as-of date (the run's own, in the analysis's order).
    pub at_as_of: &'a [ClientView],
}

/// A client's open items at one month end, from its course.
#[derive(Clone, Copy, Default)]
struct Open {
    total: i64,
    days_overdue: i128,
    over_60: i64,
    over_90: i64,
    stalled: i64,
    invoices: u64,
}

/// The record over the last `months` month ends (or the monthly series' length, if shorter).
pub fn record(analysis: &Analysis, inputs: &Inputs<'_>, s: &EarlyWarningSettings) -> Record {
    let settings = &analysis.settings;
    if !s.enabled {
        return Record { none_because: Some("switched off ([early_warning] enabled = false)"), ..Record::default() };
    }
    if settings.snapshot {
        return Record { none_because: Some("the ledger is an open-items snapshot: no history"), ..Record::default() };
    }
    let flag = s.flagged_from().unwrap_or(Tier::High);
    let a = analysis.as_of;
    let a_month = month_of(a);
    let n = s.months.min(settings.series_months).max(1) as usize;
    let months: Vec<Month> = (a_month - n as i32 + 1..=a_month).collect();
    let ends: Vec<NaiveDate> = months.iter().map(|&m| end_at(m, a)).collect();
    let failures_from = first_day(months[0] + (s.lead_months as i32).min(n as i32 - 1));
    let judged_until = ends.iter().rev().find(|e| **e + Months::new(s.alarm_months) <= a).copied();
    // The bureau's word on each client at each month end: the latest snapshot on or before it.
    let active: Vec<ClientIx> = analysis.clients.iter().map(|c| c.client).collect();
    // The first entries are the six month ends before the record's: the scores its first
    // month ends compare with (`risk::SCORE_FALL_MONTHS`), and a client the bureau already
    // called insolvent then failed before the record and is left out of it. Month end k is
    // entry k + SCORE_FALL_MONTHS.
    let bureau_at: Vec<HashMap<ClientIx, usize>> = if inputs.snapshots.is_empty() {
        Vec::new()
    } else {
        (months[0] - SCORE_FALL_MONTHS..months[0])
            .map(last_day)
            .chain(ends.iter().copied())
            .map(|e| {
                bureau::match_clients(&inputs.roster.clients, &active, inputs.snapshots, inputs.bureau, &[], e).latest
            })
            .collect()
    };
    // Each client's first handover up to the as-of date.
    let mut handovers: HashMap<ClientIx, NaiveDate> = HashMap::new();
    for &(c, d) in inputs.handovers.iter().filter(|(_, d)| *d <= a) {
        handovers.entry(c).and_modify(|x| *x = (*x).min(d)).or_insert(d);
    }
    // Settled invoices are counted by month of settlement from the first month a window reads;
    // the first day of each of those months and the one after the last, so that a day finds
    // its month by a search instead of a calendar conversion.
    let beh_from = months[0] - (settings.behaviour_window_months as i32).max(6) + 1;
    let month_starts: Vec<i32> = (beh_from..=a_month + 1).map(|m| day(first_day(m))).collect();
    let frame = Frame {
        months: &months,
        ends: &ends,
        end_days: ends.iter().map(|&e| day(e)).collect(),
        beh_from,
        month_starts,
        failures_from,
        judged_until,
        flag,
        s,
        settings_window: settings.behaviour_window_months,
        dso_months: settings.dso_months,
        handovers,
    };
    let verdicts: Vec<Verdict> =
        analysis.clients.par_iter().enumerate().map(|(i, c)| judge(c, i, &frame, inputs, &bureau_at)).collect();
    let mut r = Record {
        month_ends: ends.clone(),
        failures_from: Some(failures_from),
        judged_until,
        flagged: vec![0; n],
        active: vec![0; n],
        lead_months: s.lead_months,
        alarm_months: s.alarm_months,
        ..Record::default()
    };
    for v in verdicts {
        r.scores.push(v.scores);
        for k in 0..n {
            r.flagged[k] += usize::from(v.flagged[k]);
            r.active[k] += usize::from(v.active[k]);
        }
        match v.outcome {
            Outcome::Failed(f) => r.failures.push(f),
            Outcome::Healthy { alarm, pending, judged } => {
                r.healthy += usize::from(judged);
                r.pending += usize::from(pending && alarm.is_none());
                r.false_alarms.extend(alarm);
            }
            Outcome::FailedBefore => {}
        }
    }
    r.failures.sort_by_key(|x| (x.failed_on, x.client));
    r
}

/// What every client's judgement shares.
struct Frame<'a> {
    months: &'a [Month],
    ends: &'a [NaiveDate],
    /// The month ends as day numbers.
    end_days: Vec<i32>,
    /// The first month of settlement the windows read.
    beh_from: Month,
    /// The first day of each month from `beh_from` to the one after the last month end.
    month_starts: Vec<i32>,
    failures_from: NaiveDate,
    judged_until: Option<NaiveDate>,
    flag: Tier,
    s: &'a EarlyWarningSettings,
    settings_window: u32,
    dso_months: u32,
    /// Each client's first handover (the collector's log).
    handovers: HashMap<ClientIx, NaiveDate>,
}

enum Outcome {
    Failed(Failure),
    /// Failed before the record's failures are counted: left out.
    FailedBefore,
    Healthy {
        alarm: Option<Alarm>,
        pending: bool,
        judged: bool,
    },
}

struct Verdict {
    scores: Vec<Option<f64>>,
    flagged: Vec<bool>,
    active: Vec<bool>,
    outcome: Outcome,
}

/// One client over the record's month ends.
// Long on purpose: the client's figures at every month end, its failure, and what the tier
// said before it, in one pass over its course.
fn judge(
    c: &ClientResult,
    i: usize,
    f: &Frame<'_>,
    inputs: &Inputs<'_>,
    bureau_at: &[HashMap<ClientIx, usize>],
) -> Verdict {
    let n = f.ends.len();
    let h = &c.history;
    let s = f.s;
    let (end_days, beh_from, starts) = (&f.end_days, f.beh_from, &f.month_starts);
    // Settled invoices by month of settlement, and the months something was paid.
    let mut beh = vec![Behaviour::default(); starts.len() - 1];
    let mut paid_in = vec![false; starts.len() - 1];
    let mut open = vec![Open::default(); n];
    let slot = |d: i32| -> Option<usize> {
        let j = starts.partition_point(|&b| b <= d);
        (j >= 1 && j < starts.len()).then(|| j - 1)
    };
    // Per month end, the record open there last: an invoice's open instalments count as one
    // open invoice, as in the analysis.
    let mut last_open = vec![usize::MAX; n];
    for (ix, p) in h.invoices.iter().enumerate() {
        let settled = (p.paid && p.end != i32::MAX).then(|| slot(p.end)).flatten();
        if let Some(j) = settled {
            beh[j].add(p.amount, i64::from((p.end - p.due).max(0)), i64::from(p.end - p.issue));
        }
        let steps = h.steps_of(p);
        if steps.is_empty() {
            if let Some(j) = settled {
                paid_in[j] = true;
            }
        } else {
            for (d, _) in steps {
                if let Some(j) = slot(*d) {
                    paid_in[j] = true;
                }
            }
        }
        add_open(h, (ix, p), end_days, s.stall_days, (&mut open, &mut last_open));
    }
    // Active at a month end: something open then, or an invoice issued in the year before.
    let active: Vec<bool> = (0..n)
        .map(|k| {
            let upto = h.invoices.partition_point(|p| p.issue <= end_days[k]);
            open[k].total > 0 || (upto > 0 && h.invoices[upto - 1].issue > end_days[k] - 365)
        })
        .collect();
    // The failure: the first of the bureau's distress status, a handover, a stall.
    let mut failed: Option<(NaiveDate, Cause)> = None;
    let mut earlier = |d: NaiveDate, cause: Cause| {
        if failed.is_none_or(|(x, _)| d < x) {
            failed = Some((d, cause));
        }
    };
    // The earliest distress status the bureau's snapshots show (the one before the record's
    // first month included).
    let distress = bureau_at.iter().find_map(|at| {
        let snap = &inputs.snapshots[*at.get(&c.client)?];
        snap.bureau.status.filter(|st| st.is_distress()).map(|st| (snap.date, st))
    });
    if let Some((d, st)) = distress {
        earlier(d, Cause::Status(st));
    }
    if let Some(&d) = f.handovers.get(&c.client) {
        earlier(d, Cause::HandedOver);
    }
    // Stopped paying: the open amount stays long past due, at `stall_months` month ends in a
    // row, while nothing is paid in those months.
    let long_past_due = |o: &Open| o.total > 0 && o.stalled as f64 >= s.stall_share * o.total as f64;
    let run = s.stall_months as usize;
    for k in run.saturating_sub(1)..n {
        let quiet = (0..s.stall_months as i32).all(|b| {
            let m = f.months[k] - b;
            m < beh_from || !paid_in[(m - beh_from) as usize]
        });
        if quiet && open[k + 1 - run..=k].iter().all(long_past_due) {
            earlier(f.ends[k], Cause::Stalled);
            break;
        }
    }
    // A failure in the record's first `lead_months` months cannot be seen coming that far
    // ahead within it: left out, like one before the record.
    if failed.is_some_and(|(d, _)| d < f.failures_from) {
        return Verdict {
            scores: vec![None; n],
            flagged: vec![false; n],
            active: vec![false; n],
            outcome: Outcome::FailedBefore,
        };
    }
    // The tier at each month end the client was active and had not failed yet.
    let alive = |k: usize| active[k] && failed.is_none_or(|(d, _)| f.ends[k] < d);
    let scratch = std::cell::RefCell::new(Scratch::default());
    let input_at = |k: usize| -> RiskInput {
        let m = f.months[k];
        let lately = h.lately(end_days[k], &mut scratch.borrow_mut());
        let o = &open[k];
        let mut window = Behaviour::default();
        for mm in m - f.settings_window as i32 + 1..=m {
            if mm >= beh_from {
                window.merge(&beh[(mm - beh_from) as usize]);
            }
        }
        // The WADL of each of the 6 months ending with this one that had payments.
        let mut points = [(0.0, 0.0); 6];
        let mut known = 0;
        for mm in m - 5..=m {
            if let Some(w) = beh[(mm - beh_from) as usize].wadl() {
                points[known] = ((mm - m) as f64, w);
                known += 1;
            }
        }
        let row = c.figures.monthly.iter().find(|r| r.month == m);
        let share = |v: i64| if o.total > 0 { v as f64 / o.total as f64 } else { 0.0 };
        let (kept, broken) = inputs.promises.0.record_at(c.client, f.ends[k], inputs.promises.1);
        let mut input = RiskInput {
            wadl: window.wadl(),
            wadl_slope: metrics::slope(&points[..known]),
            later_than_usual: lately.later_than_usual,
            paid_in_parts: lately.paid_in_parts,
            dbt: if o.total > 0 { o.days_overdue as f64 / o.total as f64 } else { 0.0 },
            share_over_60: share(o.over_60),
            share_over_90: share(o.over_90),
            add: row.and_then(|r| add(r, &c.figures.monthly, f.dso_months)),
            open_invoices: o.invoices,
            promises: (kept + broken > 0).then_some((kept, broken)),
            ..Default::default()
        };
        let at = |e: usize| bureau_at.get(e).and_then(|at| at.get(&c.client)).map(|&j| &inputs.snapshots[j]);
        if let Some(snap) = at(k + SCORE_FALL_MONTHS as usize) {
            input = input.with_bureau(snap, row.map_or(o.total, |r| r.net_ar)).with_before(at(k));
        }
        input
    };
    let tier_at = |k: usize| -> (f64, Tier) {
        if k == n - 1 {
            let r = &inputs.at_as_of[i].risk;
            return (r.score, r.tier);
        }
        risk::tier(&input_at(k), inputs.risk, inputs.bureau)
    };
    let factor_at = |k: usize| -> Option<Reason> {
        if k == n - 1 {
            return inputs.at_as_of[i].risk.leading.clone();
        }
        risk::leading(&input_at(k), inputs.risk, inputs.bureau)
    };
    let scored: Vec<Option<(f64, Tier)>> = (0..n).map(|k| alive(k).then(|| tier_at(k))).collect();
    let tiers: Vec<Option<Tier>> = scored.iter().map(|x| x.map(|x| x.1)).collect();
    let flagged: Vec<bool> = tiers.iter().map(|t| t.is_some_and(|t| t >= f.flag)).collect();
    // Scored exactly where alive.
    let active_now: Vec<bool> = scored.iter().map(Option::is_some).collect();
    let outcome = match failed {
        Some((d, cause)) => {
            let from = d - Months::new(s.alarm_months);
            let first = (0..n).find(|&k| flagged[k] && f.ends[k] >= from && f.ends[k] < d);
            Outcome::Failed(Failure {
                client: c.client,
                failed_on: d,
                cause,
                flagged_on: first.map(|k| f.ends[k]),
                tier: first.and_then(|k| tiers[k]),
                lead_months: first.map(|k| (month_of(d) - f.months[k]).max(0) as u32),
                factor: first.and_then(factor_at),
            })
        }
        None => {
            let judged = |k: usize| f.judged_until.is_some_and(|j| f.ends[k] <= j);
            let alarm = (0..n).find(|&k| flagged[k] && judged(k)).map(|k| Alarm {
                client: c.client,
                flagged_on: f.ends[k],
                tier: tiers[k].unwrap_or(Tier::High),
                factor: factor_at(k),
            });
            Outcome::Healthy {
                alarm,
                pending: (0..n).any(|k| flagged[k] && !judged(k)),
                judged: (0..n).any(|k| active_now[k] && judged(k)),
            }
        }
    };
    Verdict { flagged, active: active_now, outcome, scores: scored.iter().map(|x| x.map(|x| x.0)).collect() }
}

/// Adds what was open on one invoice at each month end to `open`.
fn add_open(
    h: &History,
    (ix, p): (usize, &Past),
    end_days: &[i32],
    stall_days: i64,
    (open, last): (&mut [Open], &mut [usize]),
) {
    // The month ends from its issue to its settlement: most invoices are open at one or two.
    let from = end_days.partition_point(|&e| e < p.issue);
    for k in from..end_days.len() {
        let e = end_days[k];
        if e >= p.end {
            break;
        }
        let Some(v) = h.open_at(p, e).filter(|v| *v > 0) else { continue };
        let late = i64::from(e - p.due);
        let o = &mut open[k];
        o.total += v;
        // The invoice's first instalment is `instalment - 1` records back.
        let first = ix.saturating_sub(usize::from(p.instalment.max(1)) - 1);
        if p.instalment <= 1 || last[k] == usize::MAX || last[k] < first {
            o.invoices += 1;
        }
        last[k] = ix;
        o.days_overdue += i128::from(v) * i128::from(late.max(0));
        if late > 60 {
            o.over_60 += v;
        }
        if late > 90 {
            o.over_90 += v;
        }
        if late > stall_days {
            o.stalled += v;
        }
    }
}

/// ADD at a month of the series: its standard DSO less its best possible, both over the
/// `dso_months` ending with it (the same figures the analysis would give as of its end).
fn add(row: &MonthRow, rows: &[MonthRow], dso_months: u32) -> Option<f64> {
    let dso = row.dso_standard?;
    if row.net_ar != 0 {
        // DSO = AR / sales × days and BPDSO = current AR / sales × days.
        return Some(dso * (row.net_ar - row.current_ar) as f64 / row.net_ar as f64);
    }
    // No AR: the DSO is 0 and the best possible comes from the period's sales.
    let period: Vec<_> =
        rows.iter().filter(|r| r.month > row.month - dso_months as i32 && r.month <= row.month).collect();
    if period.len() < dso_months as usize {
        return None;
    }
    let sales: i64 = period.iter().map(|r| r.sales).sum();
    let days: i64 = period.iter().map(|r| days_in(r.month)).sum();
    metrics::bpdso(row.current_ar, sales, days).map(|b| -b)
}

#[cfg(test)]
impl Failure {
    /// A failure of client 0 handed over on 2026-05-10, flagged on 2026-01-31 at `high` when
    /// it has a lead: the tests' failure.
    pub(crate) fn example(lead: Option<u32>) -> Failure {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date");
        Failure {
            client: 0,
            failed_on: d("2026-05-10"),
            cause: Cause::HandedOver,
            flagged_on: lead.map(|_| d("2026-01-31")),
            tier: lead.map(|_| Tier::High),
            lead_months: lead,
            factor: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_that_cannot_keep_a_record_are_refused_with_the_key() {
        let ok = EarlyWarningSettings::default();
        assert!(ok.check().is_ok());
        assert_eq!(ok.flagged_from(), Some(Tier::High));
        let critical = EarlyWarningSettings { flag_tier: "critical".into(), ..ok.clone() };
        assert_eq!(critical.flagged_from(), Some(Tier::Critical));
        for (bad, key) in [
            (EarlyWarningSettings { flag_tier: "medium".into(), ..ok.clone() }, "flag_tier"),
            (EarlyWarningSettings { months: 1, ..ok.clone() }, "months"),
            (EarlyWarningSettings { stall_months: 0, ..ok.clone() }, "alarm_months"),
            (EarlyWarningSettings { stall_share: 0.0, ..ok.clone() }, "stall_share"),
            (EarlyWarningSettings { stall_share: f64::NAN, ..ok.clone() }, "stall_share"),
            (EarlyWarningSettings { stall_days: 0, ..ok.clone() }, "stall_days"),
        ] {
            let e = bad.check().expect_err(key).to_string();
            assert!(e.contains(key), "{e}");
        }
    }

    #[test]
    fn the_median_lead_and_shares_count_as_the_sentence_says() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let failure = Failure::example;
        let r = Record {
            failures: vec![failure(Some(2)), failure(Some(6)), failure(None), failure(Some(3))],
            healthy: 40,
            false_alarms: vec![Alarm { client: 1, flagged_on: d("2025-03-31"), tier: Tier::High, factor: None }; 2],
            lead_months: 3,
            ..Record::default()
        };
        assert_eq!((r.flagged_failures(), r.caught_ahead()), (3, 2));
        assert_eq!(r.median_lead(), Some(3.0));
        assert_eq!(r.caught_share(), Some(0.5));
        assert_eq!(r.false_alarm_share(), Some(0.05));
        assert_eq!(Record::default().median_lead(), None);
    }
}
