//! The collections forecast's core (spec section 10): when an invoice still open at the as-of
//! date will be paid, as a distribution of its delay past the due date **given that it was not
//! paid by then**.
//!
//! The method is a survival curve a credit manager can follow. Each past invoice is one
//! observation of a delay (settlement − due date, in days): paid invoices are events at their
//! delay; invoices still open are "not paid yet" at their age (censored), so a client whose old
//! invoices stay open is not forecast as if they had all been paid. Recent invoices weigh more
//! (a half-life in months). The client's curve is blended with the portfolio's, the client
//! weighing by how much of its own history still applies at the invoice's age (its weight at
//! risk) against a fixed number of portfolio observations: a client with a long record follows
//! its record, a new one the portfolio. An invoice already `e` days past due is forecast from
//! the curve beyond `e` only (S(t) / S(e)): it is never forecast as if it were new.
//! `outlook.rs` applies it to a run; docs/forecast.md explains it to its readers.

use chrono::{Duration, NaiveDate};

/// Days beyond the as-of date after which a date is "may never be paid" (spec: 365).
pub const HORIZON_DAYS: i64 = 365;
/// Weeks of the cash horizon.
pub const WEEKS: usize = 13;

/// One past invoice, as the forecast learns from it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    /// Settlement − due date for a paid invoice; the age past due at the origin for one still
    /// open.
    pub delay: i64,
    /// Paid (an event), or still open at the origin (censored at `delay`).
    pub paid: bool,
    /// Its weight (recency).
    pub weight: f64,
}

/// The weight of an invoice due `days_ago` days before the origin: halved every
/// `half_life_months` (a month is 30.4375 days); an invoice not yet due weighs 1.
pub fn recency(days_ago: i64, half_life_months: f64) -> f64 {
    0.5f64.powf(days_ago.max(0) as f64 / 30.4375 / half_life_months)
}

/// What a forecast reads of a survival curve; the client's is a [`Curve`], the portfolio's a
/// [`Dense`] table.
pub trait Survival {
    /// S(d): the chance of being still unpaid after `d` days past due.
    fn survival(&self, d: i64) -> f64;
    /// The weight of the history still at risk after `d` days: what applies to an invoice
    /// that old.
    fn at_risk_after(&self, d: i64) -> f64;
    /// The last delay at which anything was paid (`i64::MIN` if nothing was): an invoice
    /// older than that is not expected to be paid by this history.
    fn last_paid(&self) -> i64;
    /// S(d) and the weight at risk after `d` together (one lookup where they share one).
    fn at(&self, d: i64) -> (f64, f64) {
        (self.survival(d), self.at_risk_after(d))
    }
    /// S at `from`, `from + step`, … into `out` (`step` ≥ 0): a forecast reads one curve at
    /// its week ends, and a curve read in order need not search from the start each time.
    fn survival_run(&self, from: i64, step: i64, out: &mut [f64]) {
        for (i, s) in out.iter_mut().enumerate() {
            *s = self.survival(from + step * i as i64);
        }
    }
}

/// A weighted survival curve of delays: the chance an invoice is still unpaid after `d` days
/// past its due date. Compact: one point per distinct delay, whatever the invoices behind it,
/// so that a client's curve can be kept beside its open items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Curve {
    /// Distinct delays, increasing: the delay, the curve just after it, and the weight of the
    /// history still at risk after it.
    points: Vec<(i32, f32, f32)>,
    /// The weight of all observations.
    total: f64,
    /// The last delay at which an invoice was paid: beyond it the curve is flat.
    last_paid: i64,
}

impl Curve {
    /// The Kaplan–Meier curve of `obs` in any order (the tests'; a run merges its
    /// observations in order, `of_sorted`).
    #[cfg(test)]
    pub fn of(mut obs: Vec<Observation>) -> Curve {
        obs.sort_by(|a, b| a.delay.cmp(&b.delay).then(b.paid.cmp(&a.paid)));
        Curve::of_sorted(obs)
    }

    /// The Kaplan–Meier curve of `obs`, in increasing order of delay (weighted; a censored
    /// invoice counts at risk up to and including its delay).
    #[cfg(test)]
    pub fn of_sorted(obs: Vec<Observation>) -> Curve {
        let mut groups = Groups::default();
        for o in obs {
            groups.add(o);
        }
        groups.curve()
    }

    /// The last point at or before `d`, if any.
    fn point(&self, d: i64) -> Option<&(i32, f32, f32)> {
        match self.points.partition_point(|(x, _, _)| i64::from(*x) <= d) {
            0 => None,
            k => Some(&self.points[k - 1]),
        }
    }
}

/// Observations in increasing order of delay, summed per delay as they come: what a
/// [`Curve`] is made of, without holding every observation.
pub struct Groups {
    /// Per distinct delay: the delay, the weight paid at it, the weight leaving after it.
    groups: Vec<(i64, f64, f64)>,
    total: f64,
    last_paid: i64,
}

impl Default for Groups {
    fn default() -> Self {
        Groups { groups: Vec::new(), total: 0.0, last_paid: i64::MIN }
    }
}

impl Groups {
    /// Room for `n` distinct delays, so that adding never moves them.
    pub fn with_capacity(n: usize) -> Groups {
        Groups { groups: Vec::with_capacity(n), ..Groups::default() }
    }

    /// Adds the next observation (delays never decrease); one without a positive finite
    /// weight teaches nothing.
    pub fn add(&mut self, o: Observation) {
        if !(o.weight > 0.0 && o.weight.is_finite()) {
            return;
        }
        self.total += o.weight;
        if o.paid {
            self.last_paid = self.last_paid.max(o.delay);
        }
        match self.groups.last_mut() {
            Some(g) if g.0 == o.delay => {
                if o.paid {
                    g.1 += o.weight;
                }
                g.2 += o.weight;
            }
            _ => self.groups.push((o.delay, if o.paid { o.weight } else { 0.0 }, o.weight)),
        }
    }

    /// The Kaplan–Meier curve of the observations (weighted; a censored invoice counts at
    /// risk up to and including its delay).
    pub fn curve(self) -> Curve {
        let mut at_risk = self.total;
        let mut s = 1.0f64;
        let mut points = Vec::with_capacity(self.groups.len());
        for (d, events, leaving) in self.groups {
            if events > 0.0 && at_risk > 0.0 {
                s = (s * (1.0 - events / at_risk)).max(0.0);
            }
            at_risk -= leaving;
            // Delays beyond ±5.8 million years are no invoice's: clamped, never wrapped.
            let d = d.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
            points.push((d, s as f32, at_risk.max(0.0) as f32));
        }
        Curve { points, total: self.total, last_paid: self.last_paid }
    }
}

impl Survival for Curve {
    fn last_paid(&self) -> i64 {
        self.last_paid
    }

    fn survival(&self, d: i64) -> f64 {
        self.point(d).map_or(1.0, |p| f64::from(p.1))
    }

    fn at_risk_after(&self, d: i64) -> f64 {
        self.point(d).map_or(self.total, |p| f64::from(p.2))
    }

    fn at(&self, d: i64) -> (f64, f64) {
        self.point(d).map_or((1.0, self.total), |p| (f64::from(p.1), f64::from(p.2)))
    }

    fn survival_run(&self, from: i64, step: i64, out: &mut [f64]) {
        // One search for the first day, then forward along the points.
        let mut k = self.points.partition_point(|(x, _, _)| i64::from(*x) <= from);
        for (i, s) in out.iter_mut().enumerate() {
            let d = from + step * i as i64;
            while k < self.points.len() && i64::from(self.points[k].0) <= d {
                k += 1;
            }
            *s = if k == 0 { 1.0 } else { f64::from(self.points[k - 1].1) };
        }
    }
}

/// The delays a [`Dense`] table holds one by one; delays outside count at its ends (an
/// invoice paid more than 400 days early, or open more than ten years).
pub const DENSE_FROM: i64 = -400;
/// The last delay a [`Dense`] table holds one by one.
pub const DENSE_TO: i64 = 3700;
const DENSE_LEN: usize = (DENSE_TO - DENSE_FROM + 1) as usize;

/// Weights are summed as whole multiples of 2^-32 of a new invoice's weight: integers, so a
/// portfolio's histogram is the same whatever order its clients are merged in (the threads'),
/// and the forecast the same from run to run. 2^32 units a weight keep 4 billion invoices of
/// full weight within a u64.
const UNIT: f64 = 4_294_967_296.0;

/// A weight (0 to 1) in the units a [`Histogram`] sums.
pub fn units(weight: f64) -> u64 {
    (weight.clamp(0.0, 1.0) * UNIT).round() as u64
}

/// The weighted events and leavings at each delay of many invoices: a portfolio's history,
/// merged from its clients' in any order (each worker adds its own, then they are summed).
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// Per delay: the weight paid at it, the weight leaving the risk set after it (in units).
    cells: Vec<(u64, u64)>,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { cells: vec![(0, 0); DENSE_LEN] }
    }
}

impl Histogram {
    /// Adds one observation (the tests'; a run adds weights already in units, `add_units`).
    #[cfg(test)]
    pub fn add(&mut self, o: Observation) {
        self.add_units(o.delay, o.paid, units(o.weight));
    }

    /// Adds one observation whose weight is already in units ([`units`]): a run adds tens of
    /// millions, their weights from a table.
    pub fn add_units(&mut self, delay: i64, paid: bool, w: u64) {
        let i = (delay.clamp(DENSE_FROM, DENSE_TO) - DENSE_FROM) as usize;
        let cell = &mut self.cells[i];
        if paid {
            cell.0 += w;
        }
        cell.1 += w;
    }

    /// Adds another histogram.
    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.0 += b.0;
            a.1 += b.1;
        }
    }

    /// The weight of the invoices paid (recent ones weighing 1).
    pub fn paid_weight(&self) -> f64 {
        self.cells.iter().map(|c| c.0 as f64).sum::<f64>() / UNIT
    }

    /// Its Kaplan–Meier curve, as a table by delay.
    pub fn curve(&self) -> Dense {
        let total: u64 = self.cells.iter().map(|c| c.1).sum();
        let (mut at_risk, mut s) = (total, 1.0f64);
        let mut cells = Vec::with_capacity(DENSE_LEN);
        let last_paid = self.cells.iter().rposition(|c| c.0 > 0).map_or(i64::MIN, |i| i as i64 + DENSE_FROM);
        for &(events, leaving) in &self.cells {
            if events > 0 && at_risk > 0 {
                s = (s * (1.0 - events as f64 / at_risk as f64)).max(0.0);
            }
            at_risk = at_risk.saturating_sub(leaving);
            cells.push((s, at_risk as f64 / UNIT));
        }
        Dense { cells, total: total as f64 / UNIT, last_paid }
    }
}

/// A survival curve as a table, one cell per delay: looked up in constant time, for the
/// portfolio's curve that every invoice reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    cells: Vec<(f64, f64)>,
    total: f64,
    last_paid: i64,
}

impl Dense {
    fn cell(&self, d: i64) -> Option<&(f64, f64)> {
        (d >= DENSE_FROM).then(|| &self.cells[(d.min(DENSE_TO) - DENSE_FROM) as usize])
    }
}

impl Survival for Dense {
    fn last_paid(&self) -> i64 {
        self.last_paid
    }

    fn survival(&self, d: i64) -> f64 {
        self.cell(d).map_or(1.0, |c| c.0)
    }

    fn at_risk_after(&self, d: i64) -> f64 {
        self.cell(d).map_or(self.total, |c| c.1)
    }
}

/// How much the portfolio's curve counts beside a client's: as many observations as this.
pub const PORTFOLIO_WEIGHT: f64 = 5.0;

/// The client's weight in the blend, from the weight at risk in its history (`own`) and in
/// the portfolio's (`theirs`) at an invoice's age: the portfolio counts as `PORTFOLIO_WEIGHT`
/// invoices while any of its history applies.
fn share(own: f64, theirs: f64) -> f64 {
    let shared = if theirs > 0.0 { PORTFOLIO_WEIGHT } else { 0.0 };
    if own + shared > 0.0 { own / (own + shared) } else { 0.0 }
}

/// When one open invoice will be paid.
#[derive(Clone, Debug, PartialEq)]
pub struct Forecast {
    /// The median settlement date; `None` beyond the 365-day horizon (may never be paid).
    pub expected: Option<NaiveDate>,
    /// The 10th percentile.
    pub p10: Option<NaiveDate>,
    /// The 90th percentile.
    pub p90: Option<NaiveDate>,
    /// The chance it is paid within the 13 weeks.
    pub p_13w: f64,
    /// The chance it is paid within 30 days.
    pub p_30d: f64,
    /// The chance it is paid in each week k (week k: A+7(k−1)+1 … A+7k).
    pub weeks: [f64; WEEKS],
    /// The client's weight in the blend (0: the portfolio's pattern alone).
    pub client_share: f64,
}

/// A curve moved `by` days later (earlier when negative): a client whose delays grow is
/// expected to pay its open invoices later than its past ones were paid.
#[derive(Clone, Debug, PartialEq)]
pub struct Shifted<C> {
    /// The curve.
    pub curve: C,
    /// Days it is moved by.
    pub by: i64,
}

impl<C: Survival> Survival for Shifted<C> {
    fn survival(&self, d: i64) -> f64 {
        self.curve.survival(d - self.by)
    }

    fn at_risk_after(&self, d: i64) -> f64 {
        self.curve.at_risk_after(d - self.by)
    }

    fn last_paid(&self) -> i64 {
        self.curve.last_paid().saturating_add(self.by)
    }

    fn at(&self, d: i64) -> (f64, f64) {
        self.curve.at(d - self.by)
    }

    fn survival_run(&self, from: i64, step: i64, out: &mut [f64]) {
        self.curve.survival_run(from - self.by, step, out)
    }
}

/// The trend of a client's delays: how many days later its invoices are paid per day of due
/// date, from the invoices paid in the 6 months before the forecast (at least 6, spread over
/// at least 30 days of due dates); `None` otherwise. Least squares of delay on due date.
pub fn trend(paid: &[(i64, i64)]) -> Option<f64> {
    if paid.len() < 6 {
        return None;
    }
    let n = paid.len() as f64;
    let (mx, my) = paid.iter().fold((0.0, 0.0), |(a, b), &(x, y)| (a + x as f64 / n, b + y as f64 / n));
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(x, y) in paid {
        sxy += (x as f64 - mx) * (y as f64 - my);
        sxx += (x as f64 - mx) * (x as f64 - mx);
    }
    let spread = paid.iter().map(|p| p.0).max().unwrap_or(0) - paid.iter().map(|p| p.0).min().unwrap_or(0);
    (spread >= 30 && sxx > 0.0).then(|| sxy / sxx)
}

/// An invoice's chance of being still unpaid j days after the as-of date, given that it was
/// unpaid at it: the blend of its client's curve and the portfolio's beyond its age. Never
/// increases with j, so its quantiles are found by bisection.
pub struct Conditional<'c, C, P> {
    client: &'c C,
    portfolio: &'c P,
    age: i64,
    share: f64,
    client_at: f64,
    portfolio_at: f64,
    /// Nothing is expected within the horizon: no history, or older than anything either
    /// history ever paid (at 10M invoices most of the old unpaid ones, at each backtest origin).
    flat: bool,
    /// A live promise: the day after the as-of date it promises payment by, and the share of
    /// the invoice believed paid that day (the rest follows the curves).
    promise: Option<(i64, f64)>,
}

impl<'c, C: Survival, P: Survival> Conditional<'c, C, P> {
    /// The invoice due `due`, still open at `as_of`.
    pub fn new(due: NaiveDate, as_of: NaiveDate, client: &'c C, portfolio: &'c P) -> Self {
        Conditional::aged((as_of - due).num_days(), client, portfolio)
    }

    /// The same for an invoice `age` days past due at the as-of date (negative: not due yet),
    /// for callers that count in days (the backtest's millions of invoices).
    pub fn aged(age: i64, client: &'c C, portfolio: &'c P) -> Self {
        if age >= client.last_paid() && age >= portfolio.last_paid() {
            // Older than anything either history paid: flat, whatever the curves say at this
            // age (a large ledger's many old unpaid invoices, at every origin); the share is
            // looked up only when asked for.
            let share = f64::NAN;
            return Conditional {
                client,
                portfolio,
                age,
                share,
                client_at: 1.0,
                portfolio_at: 1.0,
                flat: true,
                promise: None,
            };
        }
        let ((client_s, own), (portfolio_s, theirs)) = (client.at(age), portfolio.at(age));
        let share = share(own, theirs);
        let flat = own == 0.0 && theirs <= 0.0;
        let (client_at, portfolio_at) = if flat { (1.0, 1.0) } else { (client_s, portfolio_s) };
        Conditional { client, portfolio, age, share, client_at, portfolio_at, flat, promise: None }
    }

    /// The same, with a share `belief` (0 to 1) of the invoice paid `day` days after the as-of
    /// date (at least 1), as a live promise says.
    pub fn promised(self, day: i64, belief: f64) -> Self {
        Conditional { promise: Some((day.max(1), belief.clamp(0.0, 1.0))), ..self }
    }

    /// The client's own history's weight in the blend.
    pub fn client_share(&self) -> f64 {
        if self.share.is_nan() {
            share(self.client.at_risk_after(self.age), self.portfolio.at_risk_after(self.age))
        } else {
            self.share
        }
    }

    /// Whether nothing is expected within the horizon.
    pub fn flat(&self) -> bool {
        self.flat
    }

    /// Still unpaid `j` days after the as-of date.
    pub fn unpaid(&self, j: i64) -> f64 {
        if self.flat {
            return self.blend(j, 1.0, 1.0);
        }
        let d = self.age + j;
        self.blend(j, self.client.survival(d), self.portfolio.survival(d))
    }

    /// Still unpaid `j` days after the as-of date, from the two curves' S at that age.
    fn blend(&self, j: i64, client: f64, portfolio: f64) -> f64 {
        let curves = if self.flat {
            1.0
        } else {
            let of = |s: f64, at: f64| if at <= 0.0 { 1.0 } else { s / at };
            self.share * of(client, self.client_at) + (1.0 - self.share) * of(portfolio, self.portfolio_at)
        };
        match self.promise {
            Some((day, belief)) => (1.0 - belief) * curves + if j < day { belief } else { 0.0 },
            None => curves,
        }
    }

    /// Whether anything is expected: a history to forecast from, or a promise.
    fn moves(&self) -> bool {
        !self.flat || self.promise.is_some_and(|p| p.1 > 0.0)
    }

    /// Still unpaid at the end of each week (0: the as-of date itself).
    pub fn week_ends(&self) -> [f64; WEEKS + 1] {
        let mut ends = [1.0; WEEKS + 1];
        if self.moves() {
            let (mut client, mut portfolio) = ([1.0; WEEKS], [1.0; WEEKS]);
            if !self.flat {
                self.client.survival_run(self.age + 7, 7, &mut client);
                self.portfolio.survival_run(self.age + 7, 7, &mut portfolio);
            }
            for (k, e) in ends.iter_mut().enumerate().skip(1) {
                *e = self.blend(7 * k as i64, client[k - 1], portfolio[k - 1]);
            }
        }
        ends
    }

    /// Whether the chance of being unpaid is down to `level` `j` days after the as-of date.
    pub fn reached(&self, level: f64, j: i64) -> bool {
        self.unpaid(j) <= level + 1e-12
    }

    /// The first day (1 to 365 after the as-of date) by which the chance of being unpaid is
    /// down to `level`: the week ends bracket it, the days of that week (or bisection beyond
    /// the 13 weeks) find the day.
    pub fn first(&self, level: f64, ends: &[f64; WEEKS + 1]) -> Option<i64> {
        let (mut lo, mut hi) = match ends.iter().position(|&u| u <= level + 1e-12) {
            // Within a week: its days read in one run along the curves (unpaid never rises, so
            // the first day down to `level` is the one bisection would find).
            Some(k) if k > 0 && !self.flat => {
                let from = 7 * (k as i64 - 1) + 1;
                let (mut client, mut portfolio) = ([1.0; 6], [1.0; 6]);
                self.client.survival_run(self.age + from, 1, &mut client);
                self.portfolio.survival_run(self.age + from, 1, &mut portfolio);
                let day = (0..6).find(|&i| self.blend(from + i as i64, client[i], portfolio[i]) <= level + 1e-12);
                return Some(day.map_or(7 * k as i64, |i| from + i as i64));
            }
            Some(k) => (7 * (k as i64 - 1), 7 * k as i64),
            None if self.moves() && self.reached(level, HORIZON_DAYS) => (7 * WEEKS as i64, HORIZON_DAYS),
            None => return None,
        };
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if self.reached(level, mid) { hi = mid } else { lo = mid }
        }
        Some(hi)
    }
}

/// The forecast of an invoice due `due`, still open at `as_of`, from its client's curve and
/// the portfolio's.
pub fn forecast(due: NaiveDate, as_of: NaiveDate, client: &impl Survival, portfolio: &impl Survival) -> Forecast {
    of_conditional(&Conditional::new(due, as_of, client, portfolio), as_of)
}

/// The same forecast with a live promise: a share `belief` of the invoice is paid on `by` (the
/// day after the as-of date when `by` is no later), the rest as the curves say.
pub fn forecast_promised(
    due: NaiveDate,
    as_of: NaiveDate,
    curves: (&impl Survival, &impl Survival),
    by: NaiveDate,
    belief: f64,
) -> Forecast {
    let c = Conditional::new(due, as_of, curves.0, curves.1).promised((by - as_of).num_days(), belief);
    of_conditional(&c, as_of)
}

/// The forecast a conditional survival gives: its weeks, median and 10th and 90th percentiles.
fn of_conditional<C: Survival, P: Survival>(c: &Conditional<'_, C, P>, as_of: NaiveDate) -> Forecast {
    let ends = c.week_ends();
    let mut weeks = [0.0; WEEKS];
    for (k, w) in weeks.iter_mut().enumerate() {
        *w = (ends[k] - ends[k + 1]).max(0.0);
    }
    let date = |level: f64| c.first(level, &ends).map(|j| as_of + Duration::days(j));
    Forecast {
        expected: date(0.5),
        p10: date(0.9),
        p90: date(0.1),
        p_13w: weeks.iter().sum::<f64>().clamp(0.0, 1.0),
        p_30d: 1.0 - c.unpaid(30),
        weeks,
        client_share: c.client_share(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn paid(delays: &[i64]) -> Curve {
        Curve::of(delays.iter().map(|&delay| Observation { delay, paid: true, weight: 1.0 }).collect())
    }

    #[test]
    fn spec_vector_an_invoice_already_late_is_forecast_from_its_age() {
        // Ten invoices each paid 20 days after their due date; one due A − 5 is open at A.
        let history = paid(&[20; 10]);
        let a = d("2026-10-31");
        let f = forecast(a - Duration::days(5), a, &history, &history);
        assert_eq!(f.expected, Some(a + Duration::days(15)), "not A + 1 nor A − 5 + 20");
        assert_eq!((f.p10, f.p90), (f.expected, f.expected));
        assert_eq!(f.p_13w, 1.0);
        assert_eq!(f.weeks[2], 1.0, "A + 15 is in week 3 (A+15..A+21)");
        // A thousand invoices paid alike are one point of the curve.
        assert_eq!(paid(&[20; 1000]).points, [(20, 0.0, 0.0)]);
        assert_eq!(paid(&[5, 5, 20]).points.len(), 2);
    }

    #[test]
    fn a_live_promise_puts_the_share_believed_on_its_day() {
        // Paid 20 days after due, always; a promise to pay 10 days after A, believed at 0.6.
        let history = paid(&[20; 10]);
        let a = d("2026-10-31");
        let due = a - Duration::days(5);
        let f = forecast_promised(due, a, (&history, &history), a + Duration::days(10), 0.6);
        assert_eq!(f.expected, Some(a + Duration::days(10)), "more than half believed: the promised day");
        assert_eq!((f.p10, f.p90), (Some(a + Duration::days(10)), Some(a + Duration::days(15))));
        assert!((f.weeks[1] - 0.6).abs() < 1e-9 && (f.weeks[2] - 0.4).abs() < 1e-9, "{:?}", f.weeks);
        // Believed at 0.3: the median stays where the curves put it.
        let f = forecast_promised(due, a, (&history, &history), a + Duration::days(10), 0.3);
        assert_eq!(f.expected, Some(a + Duration::days(15)));
        // A promise whose day is past (still within its grace) is expected the next day, and
        // an invoice nothing else expects is expected as far as the promise is believed.
        let none = paid(&[]);
        let f = forecast_promised(due, a, (&none, &none), a - Duration::days(1), 0.5);
        assert!((f.weeks[0] - 0.5).abs() < 1e-9 && (f.p_13w - 0.5).abs() < 1e-9, "{f:?}");
        assert_eq!(f.p10, Some(a + Duration::days(1)));
        assert_eq!(f.p90, None);
        // Without a promise, unchanged.
        assert_eq!(forecast_promised(due, a, (&history, &history), a, 0.0), forecast(due, a, &history, &history));
    }

    #[test]
    fn a_client_whose_old_invoices_stay_open_is_not_forecast_as_if_they_were_paid() {
        let a = d("2026-10-31");
        let due = a - Duration::days(10);
        let pays = paid(&[5, 10, 15, 20]);
        // The same paid invoices, and four more open 200 days past due: an invoice 10 days
        // late has a real chance of joining them.
        let mut obs: Vec<Observation> =
            [5, 10, 15, 20].map(|delay| Observation { delay, paid: true, weight: 1.0 }).into();
        obs.extend([200; 4].map(|delay| Observation { delay, paid: false, weight: 1.0 }));
        let stuck = Curve::of(obs);
        let (good, bad) = (forecast(due, a, &pays, &pays), forecast(due, a, &stuck, &stuck));
        assert_eq!(good.p_13w, 1.0);
        assert!(bad.p_13w < 0.5 && bad.expected.is_none(), "{bad:?}");
    }

    #[test]
    fn a_new_client_follows_the_portfolio_and_a_known_one_its_record() {
        let a = d("2026-10-31");
        let portfolio = paid(&[0; 40]);
        let none = Curve::default();
        let f = forecast(a + Duration::days(10), a, &none, &portfolio);
        assert_eq!((f.client_share, f.expected), (0.0, Some(a + Duration::days(10))));
        let late = paid(&[30; 50]);
        let f = forecast(a + Duration::days(10), a, &late, &portfolio);
        assert!(f.client_share > 0.9 && f.expected == Some(a + Duration::days(40)), "{f:?}");
        // Nothing known at all: unpaid throughout the horizon, said as such.
        let f = forecast(a, a, &none, &none);
        assert_eq!((f.expected, f.p_13w), (None, 0.0));
    }

    #[test]
    fn a_trend_is_a_slope_of_enough_spread_payments_and_moves_the_curve() {
        // Each month 3 days later: 0.1 day per day of due date.
        let later: Vec<(i64, i64)> = (0..6).map(|m| (30 * m, 3 * m)).collect();
        assert!((trend(&later).unwrap() - 0.1).abs() < 1e-9);
        assert_eq!(trend(&later[..5]), None, "fewer than 6 payments");
        assert_eq!(trend(&[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]), None, "due dates within 30 days");
        let moved = Shifted { curve: paid(&[20; 10]), by: 7 };
        let a = d("2026-10-31");
        assert_eq!(forecast(a - Duration::days(5), a, &moved, &moved).expected, Some(a + Duration::days(22)));
    }

    #[test]
    fn recent_invoices_weigh_more() {
        // Due a month before the origin against a year before, with a half-life of 6 months.
        let (new, old) = (recency(31, 6.0), recency(365, 6.0));
        assert!(new > 0.8 && old < 0.3, "{old} {new}");
        assert_eq!(recency(183, 6.0), 0.5f64.powf(183.0 / 30.4375 / 6.0));
        assert_eq!(recency(-10, 6.0), 1.0, "not yet due");
    }

    #[test]
    fn the_weeks_never_hold_more_than_the_invoice_and_agree_with_the_horizon() {
        let a = d("2026-10-31");
        let curve = paid(&[-3, 0, 4, 9, 15, 22, 40, 75, 110, 300]);
        for age in [-20, -1, 0, 5, 30, 100, 400] {
            let f = forecast(a - Duration::days(age), a, &curve, &curve);
            let sum: f64 = f.weeks.iter().sum();
            assert!(sum <= 1.0 + 1e-9 && f.weeks.iter().all(|w| *w >= 0.0), "{age}: {f:?}");
            assert!((sum - f.p_13w).abs() < 1e-9, "{age}: {sum} vs {}", f.p_13w);
            if let (Some(p10), Some(e), Some(p90)) = (f.p10, f.expected, f.p90) {
                assert!(p10 <= e && e <= p90 && p10 > a);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_history_gives_a_distribution(
            history in proptest::collection::vec((-30i64..400, proptest::bool::ANY, 0.05f64..1.0), 0..40),
            portfolio in proptest::collection::vec((-30i64..400, proptest::bool::ANY, 0.05f64..1.0), 0..40),
            age in -60i64..500,
        ) {
            let curve = |v: &Vec<(i64, bool, f64)>| {
                Curve::of(v.iter().map(|&(delay, paid, weight)| Observation { delay, paid, weight }).collect())
            };
            let a = d("2026-10-31");
            let f = forecast(a - Duration::days(age), a, &curve(&history), &curve(&portfolio));
            let sum: f64 = f.weeks.iter().sum();
            proptest::prop_assert!(f.weeks.iter().all(|w| *w >= 0.0) && sum <= 1.0 + 1e-9);
            proptest::prop_assert!((0.0..=1.0).contains(&f.p_13w) && (sum - f.p_13w).abs() < 1e-9);
            proptest::prop_assert!((0.0..=1.0).contains(&f.client_share));
            for (lo, hi) in [(f.p10, f.expected), (f.expected, f.p90)] {
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    proptest::prop_assert!(a < lo && lo <= hi && hi <= a + Duration::days(HORIZON_DAYS));
                }
            }
            // A later quantile exists only if the earlier one does.
            proptest::prop_assert!(f.p90.is_none() || f.expected.is_some());
            proptest::prop_assert!(f.expected.is_none() || f.p10.is_some());
        }

        #[test]
        fn a_curve_read_in_steps_reads_as_day_by_day(
            history in proptest::collection::vec((-30i64..400, proptest::bool::ANY, 0.05f64..1.0), 0..40),
            from in -60i64..500,
            step in 0i64..30,
            by in -20i64..20,
        ) {
            let curve = Curve::of(history.iter().map(|&(delay, paid, weight)| Observation { delay, paid, weight }).collect());
            let shifted = Shifted { curve: curve.clone(), by };
            let mut dense = Histogram::default();
            for &(delay, paid, weight) in &history {
                dense.add(Observation { delay, paid, weight });
            }
            let dense = dense.curve();
            let check = |c: &dyn Survival| {
                let mut out = [0.0; 13];
                c.survival_run(from, step, &mut out);
                (0..13).all(|i| out[i] == c.survival(from + step * i as i64))
            };
            proptest::prop_assert!(check(&curve) && check(&shifted) && check(&dense));
        }
    }
}
