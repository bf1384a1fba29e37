//! `[analytics]` in the configuration: the periods, the window and the aging buckets.

/// Analytics settings (configuration `[analytics]`), with the specification's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Months in the standard DSO, BPDSO, ADD and CEI period.
    pub dso_months: u32,
    /// Months the countback DSO may walk back before it is capped.
    pub countback_lookback_months: u32,
    /// Months of settled invoices in the payment-behaviour window.
    pub behaviour_window_months: u32,
    /// Upper bounds (days past due) of the overdue buckets; one more bucket holds the rest.
    pub aging_boundaries: Vec<u32>,
    /// Age by issue date instead of due date.
    pub aging_by_issue_date: bool,
    /// Months in the monthly series.
    pub series_months: u32,
    /// The ledger is an open-items snapshot at the as-of date: what was sold and how it was
    /// paid are unknown, so the figures that need them are not available (never zero).
    pub snapshot: bool,
    /// For a series of open-items snapshots, the first one's date: what was sold and paid is
    /// known after it only, so figures whose period reaches back to it are not available.
    pub known_from: Option<chrono::NaiveDate>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dso_months: 3,
            countback_lookback_months: 24,
            behaviour_window_months: 12,
            aging_boundaries: vec![30, 60, 90, 120],
            aging_by_issue_date: false,
            series_months: 24,
            snapshot: false,
            known_from: None,
        }
    }
}

impl Settings {
    /// Column names of the aging buckets: `not_due`, `overdue_1_30`, …, `overdue_over_120`.
    pub fn bucket_names(&self) -> Vec<String> {
        let mut names = vec!["not_due".to_string()];
        let mut lo = 1;
        for &hi in &self.aging_boundaries {
            names.push(format!("overdue_{lo}_{hi}"));
            lo = hi + 1;
        }
        names.push(format!("overdue_over_{}", lo - 1));
        names
    }

    /// Short labels of the buckets for `open_items.csv` and reports: `not due`, `1-30`, `>120`.
    pub fn bucket_labels(&self) -> Vec<String> {
        let mut labels = vec!["not due".to_string()];
        let mut lo = 1;
        for &hi in &self.aging_boundaries {
            labels.push(format!("{lo}-{hi}"));
            lo = hi + 1;
        }
        labels.push(format!(">{}", lo - 1));
        labels
    }

    /// The bucket of `d` days past due: 0 is not due (d ≤ 0).
    pub fn bucket_of(&self, d: i64) -> usize {
        if d <= 0 {
            return 0;
        }
        1 + self.aging_boundaries.iter().take_while(|&&b| d > b as i64).count()
    }
}
