//! The formulas of the metrics specification (sections 4 and 5), as small pure functions over
//! exact money, each tested against the specification's test vectors.

/// Standard DSO = AR / period sales × period days; undefined when period sales ≤ 0.
pub fn dso_standard(ar: i64, period_sales: i64, period_days: i64) -> Option<f64> {
    (period_sales > 0).then(|| ar as f64 / period_sales as f64 * period_days as f64)
}

/// Best possible DSO = current AR / period sales × period days.
pub fn bpdso(current_ar: i64, period_sales: i64, period_days: i64) -> Option<f64> {
    dso_standard(current_ar, period_sales, period_days)
}

/// Countback DSO. `months` is (sales, days) from the latest month backwards, as many as the
/// lookback allows. Returns the days and whether the lookback ran out first (capped).
pub fn dso_countback(ar: i64, months: &[(i64, i64)]) -> (f64, bool) {
    if ar <= 0 {
        return (0.0, false);
    }
    let mut r = ar;
    let mut d = 0.0;
    for &(sales, days) in months {
        if sales <= 0 {
            d += days as f64;
        } else if r >= sales {
            d += days as f64;
            r -= sales;
            if r == 0 {
                // AR fully explained by the months walked: earlier months add nothing.
                return (d, false);
            }
        } else {
            d += days as f64 * r as f64 / sales as f64;
            return (d, false);
        }
    }
    (d, true)
}

/// Collection effectiveness index, as a fraction: (begin + sales/N − end) / (begin + sales/N −
/// current end). Undefined when the denominator ≤ 0.
pub fn cei(begin_ar: i64, period_sales: i64, months: u32, end_ar: i64, end_current_ar: i64) -> Option<f64> {
    let s = period_sales as f64 / months as f64;
    let den = begin_ar as f64 + s - end_current_ar as f64;
    (den > 0.0).then(|| (begin_ar as f64 + s - end_ar as f64) / den)
}

/// Payment-behaviour sums over paid invoices; merged across months and clients.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Behaviour {
    /// Paid invoices.
    pub paid: u64,
    /// Of those, paid after their due date.
    pub late: u64,
    /// Σ amount of the paid invoices (minor units).
    pub amount: i128,
    /// Σ amount of the late ones.
    pub late_amount: i128,
    /// Σ amount × days late.
    pub amount_days_late: i128,
    /// Σ amount × days to pay.
    pub amount_days_to_pay: i128,
}

impl Behaviour {
    /// Counts one paid invoice: its amount, days late and days to pay.
    pub fn add(&mut self, amount: i64, days_late: i64, days_to_pay: i64) {
        self.paid += 1;
        self.amount += amount as i128;
        if days_late > 0 {
            self.late += 1;
            self.late_amount += amount as i128;
        }
        self.amount_days_late += amount as i128 * days_late as i128;
        self.amount_days_to_pay += amount as i128 * days_to_pay as i128;
    }

    /// Adds another set of sums (a client's into the portfolio's).
    pub fn merge(&mut self, o: &Behaviour) {
        self.paid += o.paid;
        self.late += o.late;
        self.amount += o.amount;
        self.late_amount += o.late_amount;
        self.amount_days_late += o.amount_days_late;
        self.amount_days_to_pay += o.amount_days_to_pay;
    }

    /// Late count / paid count; undefined without paid invoices.
    pub fn late_ratio(&self) -> Option<f64> {
        (self.paid > 0).then(|| self.late as f64 / self.paid as f64)
    }

    /// Late amount / paid amount; undefined without paid invoices.
    pub fn late_amount_ratio(&self) -> Option<f64> {
        (self.amount > 0).then(|| self.late_amount as f64 / self.amount as f64)
    }

    /// Weighted average days late (on-time invoices count 0).
    pub fn wadl(&self) -> Option<f64> {
        (self.amount > 0).then(|| self.amount_days_late as f64 / self.amount as f64)
    }

    /// Weighted average days to pay.
    pub fn adp(&self) -> Option<f64> {
        (self.amount > 0).then(|| self.amount_days_to_pay as f64 / self.amount as f64)
    }
}

/// Least-squares slope of y over x; undefined with fewer than two points.
pub fn slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    #[test]
    fn spec_countback_vector() {
        // AR 212,000; sales 100,000 (latest), 80,000, 70,000; 30-day months: 73.71.
        let (d, capped) = dso_countback(212_000_00, &[(100_000_00, 30), (80_000_00, 30), (70_000_00, 30)]);
        assert!(close(d, 73.714, 0.001), "{d}");
        assert!(!capped);
    }

    #[test]
    fn countback_edges() {
        assert_eq!(dso_countback(0, &[(10, 30)]), (0.0, false));
        assert_eq!(dso_countback(-5, &[(10, 30)]), (0.0, false));
        // A month without sales adds its days and the walk goes on.
        let (d, capped) = dso_countback(50, &[(0, 31), (100, 30)]);
        assert!(close(d, 46.0, 1e-9) && !capped);
        // The lookback runs out first.
        let (d, capped) = dso_countback(500, &[(100, 30), (100, 31)]);
        assert!(close(d, 61.0, 1e-9) && capped);
    }

    #[test]
    fn countback_stops_when_the_ar_is_explained() {
        // Spec section 4: AR 31,000 equal to March's sales, no sales in February: 31 days, not
        // 31 + 28 (issue 9: sporadic buyers were overstated up to the 730-day cap).
        assert_eq!(dso_countback(31_000_00, &[(31_000_00, 31), (0, 28), (5_000_00, 31)]), (31.0, false));
        // Explained exactly by the last month of the lookback: not capped.
        assert_eq!(dso_countback(200, &[(100, 30), (100, 31)]), (61.0, false));
        // A first month of a client's series: nothing before it counts.
        let mut months = vec![(1_000, 30)];
        months.extend(std::iter::repeat_n((0, 30), 23));
        assert_eq!(dso_countback(1_000, &months), (30.0, false));
    }

    #[test]
    fn spec_bpdso_and_add_vectors() {
        assert_eq!(bpdso(4_000_00, 10_000_00, 30), Some(12.0));
        let dso = dso_standard(15_000_00, 10_000_00, 30).unwrap();
        assert_eq!(dso, 45.0);
        assert_eq!(dso - bpdso(4_000_00, 10_000_00, 30).unwrap(), 33.0);
        assert_eq!(dso_standard(100, 0, 90), None);
        assert_eq!(dso_standard(100, -5, 90), None);
    }

    #[test]
    fn spec_cei_vector() {
        let c = cei(6_200_00, 10_890_00, 3, 6_340_00, 3_590_00).unwrap();
        assert!(close(c, 0.5593, 0.00005), "{c}");
        assert_eq!(cei(0, 0, 1, 0, 0), None);
    }

    #[test]
    fn spec_wadl_and_adp_vectors() {
        let mut b = Behaviour::default();
        b.add(1_000_00, 10, 40);
        b.add(4_000_00, 0, 30);
        b.add(5_000_00, 30, 60);
        assert_eq!(b.wadl(), Some(16.0));
        assert_eq!(b.late_ratio(), Some(2.0 / 3.0));
        assert_eq!(b.late_amount_ratio(), Some(0.6));
        let mut a = Behaviour::default();
        a.add(10_00, 0, 5);
        a.add(100_00, 0, 10);
        assert!(close(a.adp().unwrap(), 9.545, 0.001));
        assert_eq!(Behaviour::default().wadl(), None);
    }

    #[test]
    fn slope_of_a_line() {
        assert_eq!(slope(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]), Some(2.0));
        assert_eq!(slope(&[(0.0, 1.0)]), None);
    }
}
