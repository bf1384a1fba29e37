//! `[analytics]` in the configuration: the periods, the window and the aging buckets.

use crate::toml_source::SettingError;
use serde::Deserialize;

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
    /// The collections forecast moves a client's payment curve by the trend of its delays
    /// (docs/forecast.md: measured; on by default).
    pub forecast_trend: bool,
    /// The collections forecast blends a client's curve with that of the clients of a like
    /// bureau payment score rather than the whole portfolio's (docs/forecast.md, rule 11).
    pub forecast_payment_score: bool,
    /// At the as-of date, the clients the pool knows are grouped by how late they pay its
    /// other creditors instead (docs/forecast.md, rule 11).
    pub forecast_elsewhere: bool,
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
            forecast_trend: true,
            forecast_payment_score: true,
            forecast_elsewhere: true,
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

/// `[analytics]` as written: each key over the defaults.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsSection {
    dso_months: Option<u32>,
    countback_lookback_months: Option<u32>,
    behaviour_window_months: Option<u32>,
    aging_boundaries: Option<Vec<u32>>,
    aging_basis: Option<String>,
    series_months: Option<u32>,
    forecast_trend: Option<bool>,
    forecast_payment_score: Option<bool>,
    forecast_elsewhere: Option<bool>,
}

impl AnalyticsSection {
    /// The settings, each value checked when the configuration loads.
    pub fn settings(self) -> Result<Settings, SettingError> {
        let mut analytics = Settings::default();
        if let Some(v) = self.dso_months {
            analytics.dso_months = v;
        }
        if let Some(v) = self.countback_lookback_months {
            analytics.countback_lookback_months = v;
        }
        if let Some(v) = self.behaviour_window_months {
            analytics.behaviour_window_months = v;
        }
        if let Some(v) = self.series_months {
            analytics.series_months = v;
        }
        if let Some(v) = self.forecast_trend {
            analytics.forecast_trend = v;
        }
        if let Some(v) = self.forecast_payment_score {
            analytics.forecast_payment_score = v;
        }
        if let Some(v) = self.forecast_elsewhere {
            analytics.forecast_elsewhere = v;
        }
        if let Some(b) = self.aging_boundaries {
            if b.is_empty() || b.windows(2).any(|w| w[0] >= w[1]) || b[0] == 0 {
                return Err(SettingError::shown(
                    "[analytics] aging_boundaries",
                    format!("{b:?}"),
                    "must be increasing and above 0, for example [30, 60, 90, 120]",
                ));
            }
            analytics.aging_boundaries = b;
        }
        match self.aging_basis.as_deref() {
            None | Some("due") => {}
            Some("issue") => analytics.aging_by_issue_date = true,
            Some(o) => return Err(SettingError::new("[analytics] aging_basis", o, "use \"due\" or \"issue\"")),
        }
        // Periods bound the per-client month vectors, so they are kept to what a report can use.
        let periods = [
            ("dso_months", analytics.dso_months as u64),
            ("behaviour_window_months", analytics.behaviour_window_months as u64),
            ("countback_lookback_months", analytics.countback_lookback_months as u64),
            ("series_months", analytics.series_months as u64),
        ];
        for (name, months) in periods {
            if !(1..=MAX_PERIOD_MONTHS).contains(&months) {
                return Err(SettingError::shown(
                    format!("[analytics] {name}"),
                    months,
                    format!(
                        "is outside 1 to {MAX_PERIOD_MONTHS} months; use a number of months from 1 to 240 (20 years)"
                    ),
                ));
            }
        }
        if let Some(&last) = analytics.aging_boundaries.last()
            && last > MAX_AGING_DAYS
        {
            return Err(SettingError::shown(
                "[analytics] aging_boundaries",
                format!("{:?}", analytics.aging_boundaries),
                format!("ends beyond {MAX_AGING_DAYS} days; use boundaries in days, for example [30, 60, 90, 120]"),
            ));
        }
        Ok(analytics)
    }
}

/// The longest analytics period a configuration may ask for.
const MAX_PERIOD_MONTHS: u64 = 240;

/// The last aging boundary may be at most about a hundred years.
const MAX_AGING_DAYS: u32 = 36_600;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_analytics_value_names_its_key_and_value_when_the_configuration_loads() {
        let section = |toml: &str| toml::from_str::<AnalyticsSection>(toml).unwrap().settings();
        let e = section("aging_boundaries = [60, 30]").unwrap_err();
        assert_eq!((e.key.as_str(), e.value.as_str()), ("[analytics] aging_boundaries", "[60, 30]"));
        let e = section("dso_months = 0").unwrap_err();
        assert_eq!((e.key.as_str(), e.value.as_str()), ("[analytics] dso_months", "0"));
        let e = section("aging_basis = \"posting\"").unwrap_err();
        assert_eq!(e.to_string(), "[analytics] aging_basis = \"posting\": use \"due\" or \"issue\"");
        let s = section("aging_boundaries = [30, 60]\naging_basis = \"issue\"").unwrap();
        assert!(s.aging_by_issue_date && s.aging_boundaries == [30, 60]);
    }
}
