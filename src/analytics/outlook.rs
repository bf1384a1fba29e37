//! The run's collections forecast (spec section 10): every open invoice's forecast, each
//! client's expected collections, the 13 weeks with their 80 % interval beside the due-date
//! baseline, and the forecast's own track record over the 6 month ends before the as-of date.
//!
//! The per-invoice method is `forecast.rs`. Here it is applied to a whole run in three passes
//! over the clients' histories, each in parallel: the portfolio's curves (one per origin), then
//! each client's forecasts and its share of the weeks and of the backtest, then the sums.

use super::calendar::{last_day, month_of};
use super::figures::{Analysis, ClientResult, OpenItem};
use super::forecast::{
    Conditional, Curve, Dense, Forecast, Groups, HORIZON_DAYS, Histogram, Observation, Shifted, WEEKS, forecast,
    forecast_promised, recency, trend, units,
};
use super::past::{History, Past, day};
use chrono::{Duration, NaiveDate};
use rayon::prelude::*;

/// Recent invoices weigh more: an invoice due this many months before the forecast's date
/// weighs half as much as one due on it.
pub const HALF_LIFE_MONTHS: f64 = 6.0;
/// The month ends before the as-of date the forecast is judged at (spec section 10).
pub const BACKTEST_ORIGINS: usize = 6;
/// Invoices due over this many days make a client's trend, ending `TREND_SETTLED` days
/// before the forecast's date: by then most of them are paid, so the trend is not read from
/// the early payers alone (the recent invoices paid by the forecast's date are the quick ones,
/// which would make any client look as if it paid earlier and earlier).
const TREND_DAYS: i32 = 183;
/// How long before the forecast's date the trend's invoices fell due.
const TREND_SETTLED: i32 = 60;
/// The most a trend moves a client's curve, in days either way.
const MAX_TREND_SHIFT: f64 = 60.0;
/// How much of a trend measured on `n` payments is believed: n / (n + 20), so that a few noisy
/// payments move little.
fn shrink(n: usize) -> f64 {
    n as f64 / (n as f64 + 20.0)
}

/// Clients per block of the forecast's sums (see `outlook`).
const BLOCK: usize = 64;
/// z of the 10th and 90th percentiles of a normal distribution: the weeks' 80 % interval.
const Z80: f64 = 1.281_551_565_545;

/// The bands of the bureau's payment score (docs/forecast.md, rule 11): thirds of its
/// configured scale, 1 the safest.
pub const SCORE_BANDS: usize = 3;
/// The bands of the pool's experience elsewhere (rule 11), numbered after the score's: how
/// late the client pays the pool's other creditors, weighted average days late over 12 months:
/// at most 5 days (4), up to 30 (5), more (6).
pub const ELSEWHERE_BANDS: [f64; 2] = [5.0, 30.0];
/// Bands of both kinds.
const BANDS: usize = SCORE_BANDS + ELSEWHERE_BANDS.len() + 1;

/// The band (numbered after the payment score's) of a client paying the pool's other
/// creditors `wadl` days late on average.
pub fn elsewhere_band(wadl: f64) -> u8 {
    let k = ELSEWHERE_BANDS.iter().filter(|&&b| wadl > b).count();
    (SCORE_BANDS + 1 + k) as u8
}

/// A band's own curve stands in for the portfolio's once its clients had paid invoices of at
/// least this much weight (recent ones weighing 1) by the forecast's date.
const MIN_BAND_WEIGHT: f64 = 100.0;

/// A client's band at each of the forecast's dates ([`origins`]: the as-of date, then the
/// backtest's month ends): 1 to 3 by its payment score, 4 to 6 by its experience elsewhere
/// ([`elsewhere_band`]), 0 without either.
pub type Bands = [u8; BACKTEST_ORIGINS + 1];

/// Why an invoice is not forecast from payment history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// The client is insolvent or gone (the bureau's status: bankrupt, judicial
    /// reorganisation, liquidation, dissolved): not expected within the horizon.
    Insolvent(&'static str),
}

/// A live promise as the forecast believes it (docs/forecast.md, rule 10): the open items it
/// covers (the document it names, else those issued by the day it was made, oldest due first,
/// up to what is left to pay) are paid on its day as far as `belief` says.
#[derive(Clone, Debug, PartialEq)]
pub struct Pledge {
    /// The day promised.
    pub by: NaiveDate,
    /// The day it was made.
    pub made: NaiveDate,
    /// The document it names, if any.
    pub document_id: Option<String>,
    /// What is left to pay of it, in the reporting currency's minor units.
    pub left: i64,
    /// The share believed (`Promises::belief`).
    pub belief: f64,
}

/// One open invoice's forecast, beside its open item.
#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceForecast {
    /// The median, 10th and 90th percentile settlement dates; `None` beyond 365 days.
    pub expected: Option<NaiveDate>,
    /// The 10th percentile.
    pub p10: Option<NaiveDate>,
    /// The 90th percentile.
    pub p90: Option<NaiveDate>,
    /// The chance it is collected within the 13 weeks.
    pub p_13w: f64,
    /// The client's own history's weight in it (the rest is the portfolio's).
    pub client_share: f64,
    /// Set when it is not forecast from payment history.
    pub hold: Option<Hold>,
    /// Disputed in the ledger (forecast like the client's other invoices: docs/forecast.md
    /// measures why).
    pub disputed: bool,
}

/// A client's forecast: what its history says and what it is expected to pay.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientOutlook {
    /// Invoices it paid on or before the as-of date.
    pub paid: u32,
    /// Their mean delay past the due date in days, recent ones weighing more; `None` without.
    pub mean_delay: Option<f64>,
    /// How many days later a month it pays (negative: earlier), when the trend moves its
    /// forecast (`[analytics] forecast_trend`).
    pub trend: Option<f64>,
    /// The band (payment score 1–3, experience elsewhere 4–6) whose clients' curve stood in
    /// for the portfolio's (docs/forecast.md, rule 11); `None`: the portfolio's.
    pub band: Option<u8>,
    /// One per open item of the client, in the same order.
    pub invoices: Vec<InvoiceForecast>,
    /// Expected collections within 30 days, minor units of the reporting currency.
    pub within_30d: i64,
    /// Expected collections within the 13 weeks.
    pub within_13w: i64,
}

/// One week of the horizon.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Week {
    /// 1 to 13.
    pub week: usize,
    /// Its first day (inclusive).
    pub start: NaiveDate,
    /// Its last day (inclusive).
    pub end: NaiveDate,
    /// Expected collections, minor units of the reporting currency.
    pub expected: i64,
    /// The 80 % interval's lower end.
    pub low: i64,
    /// Its upper end.
    pub high: i64,
    /// What the due dates alone would expect (each open amount at max(due date, A + 1)).
    pub due_date_baseline: i64,
}

/// How right the forecast was over past origins (spec section 10), and the two simple
/// methods it is measured against. `None` where nothing could be judged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Backtest {
    /// The origins judged.
    pub origins: Vec<NaiveDate>,
    /// Σ |forecast − actual| / Σ actual over the weeks ended by A.
    pub wape: Option<f64>,
    /// The same for the due-date baseline.
    pub wape_due_date_baseline: Option<f64>,
    /// The same for "due date plus the client's usual delay" (the median of its paid
    /// invoices' delays known at the origin).
    pub wape_usual_delay_baseline: Option<f64>,
    /// Mean |expected date − settlement| in days, invoices paid by A with an expected date.
    pub mae_days: Option<f64>,
    /// The same for the due-date baseline.
    pub mae_days_due_date_baseline: Option<f64>,
    /// The same for the usual-delay baseline.
    pub mae_days_usual_delay_baseline: Option<f64>,
    /// The share of invoices whose settlement (or "not paid by A") fell within p10–p90.
    pub coverage_80: Option<f64>,
    /// Invoices judged, over all origins.
    pub invoices: usize,
    /// The share of the weeks judged (each origin's weeks ended by A) whose actual collections
    /// fell within the week's 80 % interval.
    pub week_coverage_80: Option<f64>,
}

/// The run's forecast.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outlook {
    /// One per client of the analysis, in its order.
    pub clients: Vec<ClientOutlook>,
    /// The 13 weeks.
    pub weeks: Vec<Week>,
    /// Open amount expected beyond the 13 weeks or never (minor units).
    pub beyond: i64,
    /// The track record.
    pub backtest: Backtest,
    /// Invoices paid on or before the as-of date, all clients: what the forecast learnt from.
    pub paid: u64,
}

impl Outlook {
    /// Whether the ledger shows any payment to learn from (an open-items list shows none: its
    /// forecast is unknown, never zero).
    pub fn known(&self) -> bool {
        self.paid > 0
    }

    /// Expected collections within the 13 weeks, minor units: the weeks' sum.
    pub fn expected_13w(&self) -> i64 {
        self.weeks.iter().map(|w| w.expected).sum()
    }
}

/// The sums one origin of the backtest collects, week by week.
#[derive(Clone, Copy, Debug, Default)]
struct Judged {
    forecast: [f64; WEEKS],
    /// The forecast's variance per week, as for the weeks at A (a client's invoices moving
    /// together, clients independent).
    variance: [f64; WEEKS],
    due_dates: [f64; WEEKS],
    usual: [f64; WEEKS],
    actual: [f64; WEEKS],
    days: f64,
    due_date_days: f64,
    usual_days: f64,
    dated: usize,
    covered: usize,
    judged: usize,
}

impl Judged {
    fn merge(&mut self, o: &Judged) {
        for k in 0..WEEKS {
            self.forecast[k] += o.forecast[k];
            self.variance[k] += o.variance[k];
            self.due_dates[k] += o.due_dates[k];
            self.usual[k] += o.usual[k];
            self.actual[k] += o.actual[k];
        }
        self.days += o.days;
        self.due_date_days += o.due_date_days;
        self.usual_days += o.usual_days;
        self.dated += o.dated;
        self.covered += o.covered;
        self.judged += o.judged;
    }
}

/// What one client adds to the run's sums.
#[derive(Clone, Debug)]
struct Part {
    /// Expected per week, and the week's spread as a sum of the client's invoices' standard
    /// deviations (a client's invoices tend to be paid together: counted as moving as one).
    expected: [f64; WEEKS],
    variance: [f64; WEEKS],
    due_dates: [f64; WEEKS],
    beyond: f64,
    judged: Vec<Judged>,
}

impl Part {
    fn new(origins: usize) -> Part {
        Part {
            expected: [0.0; WEEKS],
            variance: [0.0; WEEKS],
            due_dates: [0.0; WEEKS],
            beyond: 0.0,
            judged: vec![Judged::default(); origins],
        }
    }

    fn merge(mut self, o: Part) -> Part {
        for k in 0..WEEKS {
            self.expected[k] += o.expected[k];
            self.variance[k] += o.variance[k];
            self.due_dates[k] += o.due_dates[k];
        }
        self.beyond += o.beyond;
        for (a, b) in self.judged.iter_mut().zip(&o.judged) {
            a.merge(b);
        }
        self
    }
}

/// The dates the forecast is made at: the as-of date, then the backtest's month ends, latest
/// first.
pub fn origins(as_of: NaiveDate) -> Vec<NaiveDate> {
    let a = month_of(as_of);
    std::iter::once(as_of).chain((1..=BACKTEST_ORIGINS as i32).map(|k| last_day(a - k))).collect()
}

/// The weights of invoices due 0, 1, 2, … days before an origin, and the same in a
/// histogram's units: computed once, read 70 million times at 10 million invoices.
struct Recency {
    weights: Vec<f64>,
    units: Vec<u64>,
}

impl Recency {
    /// Beyond ten years an invoice weighs 2^-20 of a new one; it keeps that weight.
    const LAST: usize = 3653;

    fn new() -> Recency {
        let weights: Vec<f64> = (0..=Recency::LAST as i64).map(|d| recency(d, HALF_LIFE_MONTHS)).collect();
        let units = weights.iter().map(|&w| units(w)).collect();
        Recency { weights, units }
    }

    fn index(days_ago: i32) -> usize {
        (days_ago.max(0) as usize).min(Recency::LAST)
    }

    fn of(&self, days_ago: i32) -> f64 {
        self.weights[Recency::index(days_ago)]
    }
}

/// What invoice `p` teaches at day `at`, as (delay, paid): nothing when not issued yet or
/// credited away by then; else a payment at its delay, or "not paid yet" at its age. It weighs
/// by how long before `at` it fell due ([`Recency`]).
fn observed(p: &Past, at: i32) -> Option<(i64, bool)> {
    if p.issue > at || (p.end <= at && !p.paid) {
        return None;
    }
    let paid = p.end <= at;
    Some((i64::from(if paid { p.end } else { at }) - i64::from(p.due), paid))
}

/// The forecast of the run: every open item of `a`, each client's expected collections, the
/// weeks, and the backtest. `holds` (one per client of the analysis, or empty) names clients
/// whose invoices are not forecast from history. Consumes the clients' histories.
pub fn outlook(a: &mut Analysis, holds: &[Option<Hold>], pledges: &[Vec<Pledge>], bands: &[Bands]) -> Outlook {
    let as_of = a.as_of;
    let dates = origins(as_of);
    let days: Vec<i32> = dates.iter().map(|d| day(*d)).collect();
    let w = Recency::new();
    let histories: Vec<History> = a.clients.iter_mut().map(|c| std::mem::take(&mut c.history)).collect();
    // Per date: the portfolio's histogram, then one per band (payment score, experience
    // elsewhere) when any client has one (none at all: no room kept for them).
    let groups = if bands.iter().any(|b| b.iter().any(|&x| x > 0)) { 1 + BANDS } else { 1 };
    // Each piece the clients are split into sums into its own histograms, fresh and zeroed
    // (66 KB a date and group: 460 KB for the seven dates): at most four pieces a thread, and
    // none fresh to merge into, as in a small run they cost more than the sums. The sums are
    // of integer units: any split gives the same.
    let piece = histories.len().div_ceil(4 * rayon::current_num_threads()).max(1);
    let histograms: Vec<Histogram> = histories
        .par_iter()
        .enumerate()
        .with_min_len(piece)
        .fold(
            || vec![Histogram::default(); days.len() * groups],
            |mut h, (i, history)| {
                let band = if groups > 1 { bands.get(i) } else { None };
                for p in &history.invoices {
                    for (o, &at) in days.iter().enumerate() {
                        if let Some((delay, paid)) = observed(p, at) {
                            let units = w.units[Recency::index(at - p.due)];
                            h[o * groups].add_units(delay, paid, units);
                            if let Some(&b) = band.and_then(|b| b.get(o)).filter(|&&b| b > 0) {
                                h[o * groups + usize::from(b)].add_units(delay, paid, units);
                            }
                        }
                    }
                }
                h
            },
        )
        .reduce_with(|mut a, b| {
            for (x, y) in a.iter_mut().zip(&b) {
                x.merge(y);
            }
            a
        })
        .unwrap_or_else(|| vec![Histogram::default(); days.len() * groups]);
    let portfolio: Vec<Dense> = histograms.iter().step_by(groups).map(Histogram::curve).collect();
    // A band's curve where its clients paid enough to stand on: per date, per band.
    let banded: Vec<Option<Dense>> = (0..days.len() * BANDS)
        .map(|k| {
            let (o, b) = (k / BANDS, k % BANDS + 1);
            histograms
                .get(o * groups + b)
                .filter(|h| groups > 1 && h.paid_weight() >= MIN_BAND_WEIGHT)
                .map(Histogram::curve)
        })
        .collect();
    let ctx = Context {
        trend: a.settings.forecast_trend,
        dates: &dates,
        days: &days,
        w: &w,
        portfolio: &portfolio,
        banded: &banded,
    };
    // Clients in blocks of a fixed size, each block's sums added in client order, then the
    // blocks' in block order: the same sums whatever the threads, and no per-client sums held
    // (at 50,000 clients those would be 190 MB of fresh memory).
    let (blocks, parts): (Vec<Vec<ClientOutlook>>, Vec<Part>) = a
        .clients
        .par_chunks(BLOCK)
        .zip(histories.par_chunks(BLOCK))
        .enumerate()
        .map(|(b, (cs, hs))| {
            let mut part = Part::new(BACKTEST_ORIGINS);
            let mut outs = Vec::with_capacity(cs.len());
            for (k, (c, h)) in cs.iter().zip(hs).enumerate() {
                let i = b * BLOCK + k;
                let known = Known {
                    hold: holds.get(i).copied().flatten(),
                    pledges: pledges.get(i).map_or(&[][..], Vec::as_slice),
                    bands: bands.get(i).copied().unwrap_or_default(),
                };
                let (out, p) = ctx.client(c, h, known);
                outs.push(out);
                part = part.merge(p);
            }
            (outs, part)
        })
        .unzip();
    let clients: Vec<ClientOutlook> = blocks.into_iter().flatten().collect();
    let total = parts.into_iter().fold(Part::new(BACKTEST_ORIGINS), Part::merge);
    let open = a.portfolio.sums.open_total as f64;
    let weeks = (0..WEEKS)
        .map(|k| {
            let (e, sd) = (total.expected[k], total.variance[k].sqrt());
            Week {
                week: k + 1,
                start: as_of + Duration::days(7 * k as i64 + 1),
                end: as_of + Duration::days(7 * (k as i64 + 1)),
                expected: e.round() as i64,
                low: (e - Z80 * sd).max(0.0).round() as i64,
                high: (e + Z80 * sd).min(open).round() as i64,
                due_date_baseline: total.due_dates[k].round() as i64,
            }
        })
        .collect();
    Outlook {
        paid: clients.iter().map(|c| u64::from(c.paid)).sum(),
        clients,
        weeks,
        beyond: total.beyond.round() as i64,
        backtest: judge(&dates[1..], &total.judged, as_of),
    }
}

/// What a client's history says at one date.
struct Learnt {
    /// Its curve, moved by its trend.
    curve: Shifted<Curve>,
    /// The median delay of the invoices it had paid (the usual-delay baseline's).
    usual: Option<i64>,
    /// Its trend in days a month, when it moves the curve.
    trend: Option<f64>,
    /// Invoices it had paid.
    paid: u32,
    /// Their mean delay, recent ones weighing more.
    mean_delay: Option<f64>,
}

/// What every client's forecast reads.
struct Context<'a> {
    /// Whether a client's trend moves its curve (`[analytics] forecast_trend`).
    trend: bool,
    dates: &'a [NaiveDate],
    days: &'a [i32],
    w: &'a Recency,
    portfolio: &'a [Dense],
    /// Per date, per band (payment score or experience elsewhere): the band's curve, where it
    /// has enough history.
    banded: &'a [Option<Dense>],
}

/// What else is known of a client beside its ledger.
struct Known<'a> {
    /// Why its invoices are not forecast from history, if they are not.
    hold: Option<Hold>,
    /// Its live promises.
    pledges: &'a [Pledge],
    /// Its band at each date.
    bands: Bands,
}

/// The promise that covers an open item, as (day, share believed): the first of `pledges` (in
/// the log's order) that names its invoice, or names none and was made on or after its issue
/// date, with something `left` to cover. The share believed is the promise's belief times the
/// part of the item's open amount it covers; what it covers is taken off what is left.
fn pledged(pledges: &[Pledge], left: &mut [i64], item: &OpenItem) -> Option<(NaiveDate, f64)> {
    let inv = &item.invoice;
    let open = inv.open.minor();
    if open <= 0 {
        return None;
    }
    for (p, rest) in pledges.iter().zip(left.iter_mut()) {
        let covers = p.document_id.as_deref().map_or(inv.issue <= p.made, |id| id == inv.document_id);
        if covers && *rest > 0 {
            let covered = (*rest).min(open);
            *rest -= covered;
            return Some((p.by, p.belief * covered as f64 / open as f64));
        }
    }
    None
}

/// The week (0-based) of the horizon after `origin` that holds `d`.
fn week_of(origin: NaiveDate, d: NaiveDate) -> Option<usize> {
    week_index((d - origin).num_days())
}

/// The week (0-based) of the horizon that holds the day `j` days after its start.
fn week_index(j: i64) -> Option<usize> {
    (1..=7 * WEEKS as i64).contains(&j).then(|| ((j - 1) / 7) as usize)
}

impl Context<'_> {
    /// What the client's history says at origin `o`: its curve, and what it had paid by then.
    /// A merge of two orders made once per client (`Order`), not a sort per origin.
    fn learn(&self, order: &Order, o: usize) -> Learnt {
        let at = self.days[o];
        let mut paid = order.paid.iter().filter(|p| p.end <= at).peekable();
        let mut open = order.by_due.iter().rev().filter(|p| p.issue <= at && p.end > at).peekable();
        // Sized for every invoice either order holds: no growing in the merge.
        let mut groups = Groups::with_capacity(order.paid.len() + order.by_due.len());
        let mut delays = Vec::with_capacity(order.paid.len());
        // The paid invoices that fell due in the trend's window as (due day, delay); and the
        // weighted mean due day (the curve's centre in time) and delay of all paid ones.
        let mut recent = Vec::new();
        let (mut due_sum, mut delay_sum, mut weight_sum) = (0.0, 0.0, 0.0);
        loop {
            let next_paid = paid.peek().map(|p| i64::from(p.end) - i64::from(p.due));
            let next_open = open.peek().map(|p| i64::from(at) - i64::from(p.due));
            // At equal delays the payments come first, as `Curve::of` orders them.
            let take_paid = match (next_paid, next_open) {
                (Some(d), Some(x)) => d <= x,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if take_paid {
                let (Some(d), Some(p)) = (next_paid, paid.next()) else { break };
                let x = self.w.of(at - p.due);
                groups.add(Observation { delay: d, paid: true, weight: x });
                delays.push(d);
                if (TREND_SETTLED..=TREND_SETTLED + TREND_DAYS).contains(&(at - p.due)) {
                    recent.push((i64::from(p.due), d));
                }
                due_sum += x * f64::from(p.due);
                delay_sum += x * d as f64;
                weight_sum += x;
            } else {
                let (Some(d), Some(p)) = (next_open, open.next()) else { break };
                groups.add(Observation { delay: d, paid: false, weight: self.w.of(at - p.due) });
            }
        }
        // Extrapolated from the curve's centre in time to the forecast's date, within bounds.
        let slope = if self.trend { trend(&recent) } else { None };
        let by = match slope {
            Some(slope) if weight_sum > 0.0 => (slope * shrink(recent.len()) * (f64::from(at) - due_sum / weight_sum))
                .clamp(-MAX_TREND_SHIFT, MAX_TREND_SHIFT)
                .round() as i64,
            _ => 0,
        };
        Learnt {
            curve: Shifted { curve: groups.curve(), by },
            usual: delays.get(delays.len() / 2).copied(),
            // As the basis says it: days later per month, as believed.
            trend: slope.map(|s| s * shrink(recent.len()) * 30.4375).filter(|_| by != 0),
            paid: delays.len() as u32,
            mean_delay: (weight_sum > 0.0).then(|| delay_sum / weight_sum),
        }
    }

    // Long on purpose: the as-of date's forecasts and the backtest's origins read the same
    // curves and add to the same sums, in one pass over the client.
    fn client(&self, c: &ClientResult, h: &History, known: Known<'_>) -> (ClientOutlook, Part) {
        let Known { hold, pledges, bands } = known;
        let mut part = Part::new(BACKTEST_ORIGINS);
        let as_of = self.dates[0];
        let order = Order::of(h, self.days.iter().copied().min().unwrap_or(i32::MIN));
        let Learnt { curve, trend, paid, mean_delay, .. } = self.learn(&order, 0);
        let (prior, band) = self.prior(0, bands[0]);
        let mut out = ClientOutlook {
            paid,
            mean_delay,
            trend,
            band,
            invoices: Vec::with_capacity(c.open_items.len()),
            ..Default::default()
        };
        let (mut within_30d, mut within_13w) = (0.0, 0.0);
        let mut sd = [0.0; WEEKS];
        let mut last: Option<(NaiveDate, Forecast)> = None;
        // What is left of each promise to cover, in the reporting currency.
        let mut left: Vec<i64> = pledges.iter().map(|p| p.left).collect();
        for item in &c.open_items {
            let open = item.invoice.open.minor() as f64;
            let due = item.invoice.due;
            if let Some(k) = week_of(as_of, due.max(as_of + Duration::days(1))) {
                part.due_dates[k] += open;
            }
            // A disputed invoice is forecast like its client's others: its client's curve holds
            // how it paid its disputed invoices before (docs/forecast.md measures the rules
            // that treat it apart, and why they lost).
            let disputed = item.disputed;
            if let Some(hold) = hold {
                out.invoices.push(InvoiceForecast {
                    expected: None,
                    p10: None,
                    p90: None,
                    p_13w: 0.0,
                    client_share: 0.0,
                    hold: Some(hold),
                    disputed,
                });
                part.beyond += open;
                continue;
            }
            // Open items come by due date: invoices due the same day share a forecast, unless a
            // promise covers one.
            let promise = pledged(pledges, &mut left, item);
            let f = match (promise, &last) {
                (Some((by, belief)), _) => forecast_promised(due, as_of, (&curve, prior), by, belief),
                (None, Some((d, f))) if *d == due => f.clone(),
                (None, _) => forecast(due, as_of, &curve, prior),
            };
            for ((e, s), p) in part.expected.iter_mut().zip(sd.iter_mut()).zip(f.weeks) {
                *e += open * p;
                *s += open * (p * (1.0 - p)).max(0.0).sqrt();
            }
            within_30d += open * f.p_30d;
            within_13w += open * f.p_13w;
            part.beyond += open * (1.0 - f.p_13w);
            out.invoices.push(InvoiceForecast {
                expected: f.expected,
                p10: f.p10,
                p90: f.p90,
                p_13w: f.p_13w,
                client_share: f.client_share,
                hold: None,
                disputed,
            });
            if promise.is_none() {
                last = Some((due, f));
            }
        }
        for (v, s) in part.variance.iter_mut().zip(sd) {
            *v = s * s;
        }
        out.within_30d = within_30d.round() as i64;
        out.within_13w = within_13w.round() as i64;
        for (o, &band) in bands.iter().enumerate().take(self.dates.len()).skip(1) {
            self.judge(h, &order, (o, band), &mut part.judged[o - 1]);
        }
        (out, part)
    }

    /// The curve a client's own is blended with at date `o`: its band's where that band has
    /// one (and the band), else the portfolio's.
    fn prior(&self, o: usize, band: u8) -> (&Dense, Option<u8>) {
        let banded = (band > 0).then(|| self.banded.get(o * BANDS + usize::from(band) - 1)).flatten();
        match banded {
            Some(Some(curve)) => (curve, Some(band)),
            _ => (&self.portfolio[o], None),
        }
    }

    /// The forecasts made at origin `o` with what was known then, against what happened by the
    /// as-of date.
    fn judge(&self, h: &History, order: &Order, (o, band): (usize, u8), j: &mut Judged) {
        let (prior, _) = self.prior(o, band);
        let (at, a) = (self.days[o], self.days[0]);
        // Days after the origin: A, and the last day the forecast dates reach.
        let to_a = i64::from(a - at);
        let mut learnt = None;
        // Invoices due the same day share their week ends.
        let (mut last, mut ends) = (None, [1.0; WEEKS + 1]);
        let mut sd = [0.0; WEEKS];
        for p in &h.invoices {
            let open = match h.open_at(p, at) {
                Some(v) if v > 0 => v as f64,
                _ => continue,
            };
            let Learnt { curve, usual, .. } = learnt.get_or_insert_with(|| self.learn(order, o));
            let due = i64::from(p.due - at);
            let c = Conditional::aged(-due, curve, prior);
            if last != Some(p.due) {
                ends = c.week_ends();
            }
            for (k, (sum, s)) in j.forecast.iter_mut().zip(sd.iter_mut()).enumerate() {
                let p = (ends[k] - ends[k + 1]).max(0.0);
                // A week it cannot be paid in adds nothing (most of a large ledger's old unpaid
                // invoices, at every origin): its square root is not taken.
                if p > 0.0 {
                    *sum += open * p;
                    *s += open * (p * (1.0 - p)).max(0.0).sqrt();
                }
            }
            // The baselines' days: the due date, or it plus the client's usual delay, and
            // never before the day after the origin.
            let due_day = due.max(1);
            let usual_day = (due + usual.unwrap_or(0)).max(1);
            for (sum, d) in [(&mut j.due_dates, due_day), (&mut j.usual, usual_day)] {
                if let Some(k) = week_index(d) {
                    sum[k] += open;
                }
            }
            // Settled in full by payments on or before A: the day it was collected.
            let settled = (p.paid && p.end <= a).then(|| i64::from(p.end - at));
            if let Some(k) = settled.and_then(week_index) {
                j.actual[k] += open;
            }
            // Inside the 80 % interval: p10 ≤ S ≤ p90, each as "reached by" a day (the
            // interval's ends are never computed).
            let (low, high) = (0.9, 0.1);
            match settled {
                Some(s) => {
                    if let Some(e) = c.first(0.5, &ends) {
                        j.days += (e - s).abs() as f64;
                        j.due_date_days += (due_day - s).abs() as f64;
                        j.usual_days += (usual_day - s).abs() as f64;
                        j.dated += 1;
                    }
                    let after_p10 = c.reached(low, s.min(HORIZON_DAYS));
                    let before_p90 = s <= 1 || !c.reached(high, (s - 1).min(HORIZON_DAYS));
                    j.covered += usize::from(after_p10 && before_p90);
                }
                // Not paid by A (or credited away): inside when p90 lies after A or beyond.
                None => j.covered += usize::from(!c.reached(high, to_a.min(HORIZON_DAYS))),
            }
            j.judged += 1;
            last = Some(p.due);
        }
        for (v, s) in j.variance.iter_mut().zip(sd) {
            *v += s * s;
        }
    }
}

/// A client's invoices in the two orders its curves are read in, each as the few days it
/// needs (read in place, not looked up): those paid by the as-of date by delay, and those
/// still open at the earliest origin by due date (read latest first: at any origin, the unpaid
/// ones' ages then increase).
struct Order {
    paid: Vec<Dates>,
    by_due: Vec<Dates>,
}

/// An invoice's days, as [`Past`] has them.
#[derive(Clone, Copy)]
struct Dates {
    issue: i32,
    due: i32,
    end: i32,
}

impl Order {
    fn of(h: &History, earliest: i32) -> Order {
        let dates = |p: &Past| Dates { issue: p.issue, due: p.due, end: p.end };
        let mut paid: Vec<Dates> = h.invoices.iter().filter(|p| p.paid).map(dates).collect();
        // Stable, as the order of invoices paid at the same delay is their weights' order of
        // addition.
        paid.sort_by_key(|p| i64::from(p.end) - i64::from(p.due));
        // Invoices come in issue order, so by due date they are nearly sorted already: sorted
        // ascending (a few runs to merge) and read backwards.
        // Only those still open at the earliest origin can be open at any.
        let mut by_due: Vec<Dates> = h.invoices.iter().filter(|p| p.end > earliest).map(dates).collect();
        by_due.sort_by_key(|p| p.due);
        Order { paid, by_due }
    }
}

/// The backtest's figures from each origin's sums: weeks count only once they ended by A.
fn judge(origins: &[NaiveDate], judged: &[Judged], as_of: NaiveDate) -> Backtest {
    let (mut err, mut due_err, mut usual_err, mut actual) = (0.0, 0.0, 0.0, 0.0);
    let mut all = Judged::default();
    let (mut weeks_in, mut weeks) = (0usize, 0usize);
    for (origin, j) in origins.iter().zip(judged) {
        let ended = (0..WEEKS).filter(|&k| *origin + Duration::days(7 * (k as i64 + 1)) <= as_of).count();
        for k in 0..ended {
            let spread = Z80 * j.variance[k].sqrt();
            let (low, high) = ((j.forecast[k] - spread).max(0.0), j.forecast[k] + spread);
            // Within a cent of the interval counts as inside (sums of floating amounts).
            weeks_in += usize::from(low - 1.0 <= j.actual[k] && j.actual[k] <= high + 1.0);
            weeks += 1;
            err += (j.forecast[k] - j.actual[k]).abs();
            due_err += (j.due_dates[k] - j.actual[k]).abs();
            usual_err += (j.usual[k] - j.actual[k]).abs();
            actual += j.actual[k];
        }
        all.merge(j);
    }
    let ratio = |x: f64, y: f64| (y > 0.0).then(|| x / y);
    Backtest {
        origins: origins.to_vec(),
        wape: ratio(err, actual),
        wape_due_date_baseline: ratio(due_err, actual),
        wape_usual_delay_baseline: ratio(usual_err, actual),
        mae_days: ratio(all.days, all.dated as f64),
        mae_days_due_date_baseline: ratio(all.due_date_days, all.dated as f64),
        mae_days_usual_delay_baseline: ratio(all.usual_days, all.dated as f64),
        coverage_80: ratio(all.covered as f64, all.judged as f64),
        invoices: all.judged,
        week_coverage_80: ratio(weeks_in as f64, weeks as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_origin_learns_only_what_was_known_on_it() {
        let (w, origin) = (Recency::new(), day(d("2026-10-31")));
        let at = |p: &Past| observed(p, origin).map(|(delay, paid)| (delay, paid, w.of(origin - p.due)));
        // Paid 60 days after its due date, a year before: a payment, weighing little.
        let old = Past::of(d("2025-10-01"), d("2025-10-31"), Some(d("2025-12-30")), true, 100);
        let (delay, paid, weight) = at(&old).unwrap();
        assert_eq!((delay, paid), (60, true));
        assert!(weight < 0.3 && weight == recency(365, HALF_LIFE_MONTHS), "{weight}");
        assert_eq!(w.units[Recency::index(origin - old.due)], units(weight));
        // Paid after the origin: not known then; still open, 30 days past due.
        let later = at(&Past::of(d("2026-09-01"), d("2026-10-01"), Some(d("2026-11-15")), true, 100)).unwrap();
        assert_eq!((later.0, later.1), (30, false));
        // Not issued yet, or credited away by then: nothing to learn.
        assert_eq!(at(&Past::of(d("2026-11-02"), d("2026-12-02"), None, false, 100)), None);
        assert_eq!(at(&Past::of(d("2026-09-01"), d("2026-10-01"), Some(d("2026-10-10")), false, 100)), None);
    }
}
