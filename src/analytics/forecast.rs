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
//!
//! Not yet wired into a run (issue 23 is in progress): the outputs, the backtest, the bureau,
//! dispute and pool signals come next.

use super::position::Position;
use crate::model::ClientIx;
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;

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

impl Observation {
    /// An invoice due `due`, paid on `settled` or still open at `origin`, weighted by
    /// `half_life_months` counted back from the origin to its due date.
    pub fn of(due: NaiveDate, settled: Option<NaiveDate>, origin: NaiveDate, half_life_months: f64) -> Observation {
        let end = settled.filter(|s| *s <= origin);
        let delay = (end.unwrap_or(origin) - due).num_days();
        let months_ago = ((origin - due).num_days().max(0)) as f64 / 30.4375;
        Observation { delay, paid: end.is_some(), weight: 0.5f64.powf(months_ago / half_life_months) }
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
}

impl Curve {
    /// The Kaplan–Meier curve of `obs` (weighted; a censored invoice counts at risk up to and
    /// including its delay).
    pub fn of(mut obs: Vec<Observation>) -> Curve {
        obs.retain(|o| o.weight > 0.0 && o.weight.is_finite());
        obs.sort_by(|a, b| a.delay.cmp(&b.delay).then(b.paid.cmp(&a.paid)));
        let total: f64 = obs.iter().map(|o| o.weight).sum();
        let mut at_risk = total;
        let mut s = 1.0f64;
        let mut points = Vec::new();
        let mut i = 0;
        while i < obs.len() {
            let d = obs[i].delay;
            let (mut events, mut leaving) = (0.0, 0.0);
            while i < obs.len() && obs[i].delay == d {
                if obs[i].paid {
                    events += obs[i].weight;
                }
                leaving += obs[i].weight;
                i += 1;
            }
            if events > 0.0 && at_risk > 0.0 {
                s = (s * (1.0 - events / at_risk)).max(0.0);
            }
            at_risk -= leaving;
            // Delays beyond ±5.8 million years are no invoice's: clamped, never wrapped.
            let d = d.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
            points.push((d, s as f32, at_risk.max(0.0) as f32));
        }
        Curve { points, total }
    }

    /// The last point at or before `d`, if any.
    fn point(&self, d: i64) -> Option<&(i32, f32, f32)> {
        match self.points.partition_point(|(x, _, _)| i64::from(*x) <= d) {
            0 => None,
            k => Some(&self.points[k - 1]),
        }
    }

    /// S(d): the chance of being still unpaid after `d` days past due.
    pub fn survival(&self, d: i64) -> f64 {
        self.point(d).map_or(1.0, |p| f64::from(p.1))
    }

    /// The weight of the history still at risk after `d` days: what applies to an invoice that
    /// old.
    pub fn at_risk_after(&self, d: i64) -> f64 {
        self.point(d).map_or(self.total, |p| f64::from(p.2))
    }

    /// The weight of all observations.
    pub fn weight(&self) -> f64 {
        self.total
    }
}

/// How much the portfolio's curve counts beside a client's: as many observations as this.
pub const PORTFOLIO_WEIGHT: f64 = 5.0;

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
    /// The chance it is paid in each week k (week k: A+7(k−1)+1 … A+7k).
    pub weeks: [f64; WEEKS],
    /// The client's weight in the blend (0: the portfolio's pattern alone).
    pub client_share: f64,
}

/// The forecast of an invoice due `due`, still open at `as_of`, from its client's curve and
/// the portfolio's.
pub fn forecast(due: NaiveDate, as_of: NaiveDate, client: &Curve, portfolio: &Curve) -> Forecast {
    let age = (as_of - due).num_days();
    let own = client.at_risk_after(age);
    let shared = if portfolio.at_risk_after(age) > 0.0 { PORTFOLIO_WEIGHT } else { 0.0 };
    let client_share = if own + shared > 0.0 { own / (own + shared) } else { 0.0 };
    // Still unpaid after `j` days from the as-of date, given unpaid at it.
    let conditional = |c: &Curve, j: i64| {
        let at = c.survival(age);
        if at <= 0.0 { 1.0 } else { c.survival(age + j) / at }
    };
    let unpaid = |j: i64| {
        if own + shared == 0.0 {
            return 1.0;
        }
        client_share * conditional(client, j) + (1.0 - client_share) * conditional(portfolio, j)
    };
    let first =
        |level: f64| (1..=HORIZON_DAYS).find(|&j| unpaid(j) <= level + 1e-12).map(|j| as_of + Duration::days(j));
    let mut weeks = [0.0; WEEKS];
    for (k, w) in weeks.iter_mut().enumerate() {
        let (from, to) = (7 * k as i64, 7 * (k as i64 + 1));
        *w = (unpaid(from) - unpaid(to)).max(0.0);
    }
    Forecast {
        expected: first(0.5),
        p10: first(0.9),
        p90: first(0.1),
        p_13w: (1.0 - unpaid(7 * WEEKS as i64)).clamp(0.0, 1.0),
        weeks,
        client_share,
    }
}

/// What had happened to one invoice by a date, as the forecast learns from it.
#[derive(Clone, Copy, Debug)]
pub struct Known<'a> {
    /// The invoice, with what was open on it at that date.
    pub invoice: &'a Position,
    /// When it was settled in full, if it was by that date.
    pub settled: Option<NaiveDate>,
    /// Settled by payments (not credited away).
    pub paid: bool,
}

/// The forecast of every invoice open at `origin` (`None` for the others), learnt from the
/// invoices known at `origin` only: each client's curve and the portfolio's. An invoice
/// credited away teaches nothing about paying.
pub fn forecasts(known: &[Known<'_>], origin: NaiveDate, half_life_months: f64) -> Vec<Option<Forecast>> {
    let mut by_client: BTreeMap<ClientIx, Vec<Observation>> = BTreeMap::new();
    for k in known.iter().filter(|k| k.invoice.open.minor() > 0 || k.paid) {
        let settled = k.settled.filter(|_| k.invoice.open.minor() == 0);
        by_client.entry(k.invoice.client).or_default().push(Observation::of(
            k.invoice.due,
            settled,
            origin,
            half_life_months,
        ));
    }
    let portfolio = Curve::of(by_client.values().flatten().copied().collect());
    let curves: BTreeMap<ClientIx, Curve> = by_client.into_iter().map(|(c, o)| (c, Curve::of(o))).collect();
    known
        .iter()
        .map(|k| {
            (k.invoice.open.minor() > 0)
                .then(|| forecast(k.invoice.due, origin, &curves[&k.invoice.client], &portfolio))
        })
        .collect()
}

/// How right the forecast was over past origins (spec section 10): weekly WAPE against the
/// due-date baseline's, the error in days of the expected date against the baseline's, and the
/// share of invoices whose outcome fell inside the 80 % interval. `None` when nothing could be
/// judged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Backtest {
    /// The origins judged.
    pub origins: Vec<NaiveDate>,
    /// Σ |forecast − actual| / Σ actual over the weeks ended by A.
    pub wape: Option<f64>,
    /// The same for the due-date baseline.
    pub wape_due_date_baseline: Option<f64>,
    /// Mean |expected date − settlement| in days, invoices paid by A with an expected date.
    pub mae_days: Option<f64>,
    /// The same for the due-date baseline.
    pub mae_days_due_date_baseline: Option<f64>,
    /// The share of invoices whose settlement (or "not paid by A") fell within p10–p90.
    pub coverage_80: Option<f64>,
}

/// The backtest of the forecasts made at each origin (with what was known there) against what
/// happened by `as_of` (`at_a`: the same invoices known at A). Amounts are those open at the
/// origin, collected in the week the invoice was settled in full (a partial payment is not
/// counted until the invoice is settled).
pub fn backtest(
    origins: &[(NaiveDate, Vec<Known<'_>>)],
    at_a: &[Known<'_>],
    as_of: NaiveDate,
    half_life_months: f64,
) -> Backtest {
    let key = |k: &Known<'_>| (k.invoice.client, k.invoice.document_id.clone(), k.invoice.issue);
    let outcome: BTreeMap<_, Option<NaiveDate>> =
        at_a.iter().map(|k| (key(k), k.settled.filter(|_| k.paid && k.invoice.open.minor() == 0))).collect();
    let (mut err, mut base_err, mut actual_sum) = (0.0, 0.0, 0.0);
    let (mut days, mut base_days, mut dated) = (0.0, 0.0, 0usize);
    let (mut covered, mut judged) = (0usize, 0usize);
    for (origin, known) in origins {
        let origin = *origin;
        let weeks_ended = (0..WEEKS).filter(|&k| origin + Duration::days(7 * (k as i64 + 1)) <= as_of).count();
        let (mut fc, mut base, mut act) = ([0.0; WEEKS], [0.0; WEEKS], [0.0; WEEKS]);
        let week_of = |d: NaiveDate| {
            let j = (d - origin).num_days();
            (1..=7 * WEEKS as i64).contains(&j).then(|| ((j - 1) / 7) as usize)
        };
        for (k, f) in known.iter().zip(forecasts(known, origin, half_life_months)) {
            let Some(f) = f else { continue };
            let Some(&settled) = outcome.get(&key(k)) else { continue };
            let open = k.invoice.open.major();
            let baseline = k.invoice.due.max(origin + Duration::days(1));
            for (sum, p) in fc.iter_mut().zip(f.weeks) {
                *sum += open * p;
            }
            if let Some(w) = week_of(baseline) {
                base[w] += open;
            }
            if let Some(w) = settled.and_then(week_of) {
                act[w] += open;
            }
            match settled {
                Some(s) => {
                    if let Some(e) = f.expected {
                        days += (e - s).num_days().abs() as f64;
                        base_days += (baseline - s).num_days().abs() as f64;
                        dated += 1;
                    }
                    covered += usize::from(f.p10.is_some_and(|p| p <= s) && f.p90.is_none_or(|p| s <= p));
                }
                // Not paid by A: inside the interval when its upper end lies after A.
                None => covered += usize::from(f.p90.is_none_or(|p| p > as_of)),
            }
            judged += 1;
        }
        for w in 0..weeks_ended {
            err += (fc[w] - act[w]).abs();
            base_err += (base[w] - act[w]).abs();
            actual_sum += act[w];
        }
    }
    let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b);
    Backtest {
        origins: origins.iter().map(|(o, _)| *o).collect(),
        wape: ratio(err, actual_sum),
        wape_due_date_baseline: ratio(base_err, actual_sum),
        mae_days: ratio(days, dated as f64),
        mae_days_due_date_baseline: ratio(base_days, dated as f64),
        coverage_80: ratio(covered as f64, judged as f64),
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
    fn recent_invoices_weigh_more() {
        let origin = d("2026-10-31");
        let old = Observation::of(d("2025-10-31"), Some(d("2025-12-30")), origin, 6.0);
        let new = Observation::of(d("2026-09-30"), Some(d("2026-10-05")), origin, 6.0);
        assert!(new.weight > 0.8 && old.weight < 0.3, "{old:?} {new:?}");
        assert_eq!((old.delay, new.delay), (60, 5));
        // A payment after the origin is not known at the origin: open, censored at its age.
        let later = Observation::of(d("2026-10-01"), Some(d("2026-11-15")), origin, 6.0);
        assert_eq!((later.paid, later.delay), (false, 30));
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
    }
}
