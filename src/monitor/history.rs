//! The history of runs: each run saves its per-client figures and bureau fields as
//! `<out>/history/<as-of date>.csv`, so the next run can say what changed.
//!
//! The format is plain CSV, one row per client, documented in `docs/monitoring.md`; older files
//! with fewer columns still read (missing columns are empty).

use crate::analytics::risk::Tier;
use crate::bureau::watchlist::Role;
use crate::bureau::{BureauFields, CreditFlag, Status};
use crate::model::{Currency, Money};
use crate::output::write_atomic;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One client as a run saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The client's id (a watched company's number).
    pub client_id: String,
    /// A client, or a watched company's role.
    pub role: Role,
    /// Its name.
    pub client_name: String,
    /// Its company number, normalised (empty without one).
    pub company_number: String,
    /// Net AR.
    pub net_ar: Money,
    /// Open amount more than 90 days past due.
    pub overdue_91_plus: Money,
    /// WADL over the behaviour window.
    pub wadl_12m: Option<f64>,
    /// Late ratio over the behaviour window.
    pub late_ratio_12m: Option<f64>,
    /// The WADL trend.
    pub wadl_slope_6m: Option<f64>,
    /// Countback DSO.
    pub dso_countback: Option<f64>,
    /// Average agreed terms.
    pub avg_terms_days: Option<f64>,
    /// Whether the client had a bureau snapshot.
    pub in_bureau: bool,
    /// What its latest snapshot said (the credit limit: the one the run used).
    pub bureau: BureauFields,
    /// The risk score.
    pub risk_score: Option<f64>,
    /// The risk tier's label.
    pub risk_tier: Option<Tier>,
    /// Other creditors of the pool with the client (0 without a pool).
    pub elsewhere_creditors: u32,
    /// Its WADL at the other creditors, 12 months, when the pool published it.
    pub elsewhere_wadl_12m: Option<f64>,
    /// The same, 12 months to the month before.
    pub elsewhere_wadl_before: Option<f64>,
    /// The promised date of its latest broken promise to pay (the collector's log).
    pub last_broken_promise: Option<NaiveDate>,
    /// Days its longest open dispute has lasted (the collector's log).
    pub longest_dispute_days: Option<i64>,
}

impl Entry {
    /// `client_id` with nothing known yet: no balance (in `currency`), no figures, no bureau.
    pub fn new(client_id: String, currency: Currency) -> Entry {
        let zero = Money::zero(currency);
        Entry {
            client_id,
            role: Role::default(),
            client_name: String::new(),
            company_number: String::new(),
            net_ar: zero,
            overdue_91_plus: zero,
            wadl_12m: None,
            late_ratio_12m: None,
            wadl_slope_6m: None,
            dso_countback: None,
            avg_terms_days: None,
            in_bureau: false,
            bureau: BureauFields::default(),
            risk_score: None,
            risk_tier: None,
            elsewhere_creditors: 0,
            elsewhere_wadl_12m: None,
            elsewhere_wadl_before: None,
            last_broken_promise: None,
            longest_dispute_days: None,
        }
    }
}

/// The columns of a history file, in order.
pub const COLUMNS: [&str; 33] = [
    "client_id",
    "client_name",
    "company_number",
    "net_ar",
    "overdue_91_plus",
    "wadl_12m",
    "late_ratio_12m",
    "wadl_slope_6m",
    "dso_countback",
    "avg_terms_days",
    "in_bureau",
    "credit_limit",
    "score",
    "payment_score",
    "rating",
    "rating_label",
    "status",
    "address",
    "board",
    "bureau_name",
    "legal_form",
    "risk_score",
    "risk_tier",
    "version",
    "growth_score",
    "discontinuation_score",
    "credit_flag",
    "role",
    "elsewhere_creditors",
    "elsewhere_wadl_12m",
    "elsewhere_wadl_12m_month_before",
    "last_broken_promise",
    "longest_dispute_days",
];

fn opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.4}")).unwrap_or_default()
}

/// The folder of a run history under an output root.
pub fn dir(out: &Path) -> PathBuf {
    out.join("history")
}

/// Saves one run's entries as `<out>/history/<as_of>.csv`.
pub fn save(out: &Path, as_of: NaiveDate, entries: &[Entry]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir(out))?;
    let path = dir(out).join(format!("{as_of}.csv"));
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    for e in entries {
        let b = &e.bureau;
        w.write_record([
            e.client_id.clone(),
            e.client_name.clone(),
            e.company_number.clone(),
            e.net_ar.minor().to_string(),
            e.overdue_91_plus.minor().to_string(),
            opt(e.wadl_12m),
            opt(e.late_ratio_12m),
            opt(e.wadl_slope_6m),
            opt(e.dso_countback),
            opt(e.avg_terms_days),
            e.in_bureau.to_string(),
            b.credit_limit.map(|v| v.minor().to_string()).unwrap_or_default(),
            opt(b.score),
            opt(b.payment_score),
            b.rating.map(|v| v.to_string()).unwrap_or_default(),
            text(&b.rating_label),
            b.status.map_or("", Status::label).to_string(),
            text(&b.address),
            text(&b.board),
            text(&b.name),
            text(&b.legal_form),
            opt(e.risk_score),
            e.risk_tier.map_or("", Tier::label).to_string(),
            "1".into(),
            opt(b.growth_score),
            opt(b.discontinuation_score),
            b.credit_flag.map_or("", CreditFlag::label).to_string(),
            e.role.label().to_string(),
            e.elsewhere_creditors.to_string(),
            opt(e.elsewhere_wadl_12m),
            opt(e.elsewhere_wadl_before),
            e.last_broken_promise.map(|d| d.to_string()).unwrap_or_default(),
            e.longest_dispute_days.map(|d| d.to_string()).unwrap_or_default(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
    write_atomic(&path, &bytes)?;
    Ok(path)
}

/// A saved run that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{place}: {problem}")]
pub struct HistoryError {
    /// `cannot read <file>`, or the file and line.
    pub place: String,
    /// What is wrong.
    pub problem: String,
}

/// Reads a saved run, by client id.
pub fn load(path: &Path, currency: Currency) -> Result<BTreeMap<String, Entry>, HistoryError> {
    let bad = |place: String, e: csv::Error| HistoryError { place, problem: e.to_string() };
    let mut r = csv::Reader::from_path(path).map_err(|e| bad(format!("cannot read {}", path.display()), e))?;
    let header: Vec<String> =
        r.headers().map_err(|e| bad(path.display().to_string(), e))?.iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let mut out = BTreeMap::new();
    for (n, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| bad(format!("{} line {}", path.display(), n + 2), e))?;
        let get = |name: &str| col(name).and_then(|i| rec.get(i)).unwrap_or("").to_string();
        let f = |name: &str| get(name).parse::<f64>().ok();
        let i = |name: &str| get(name).parse::<i64>().ok();
        let text = |name: &str| Some(get(name)).filter(|t| !t.is_empty());
        let e = Entry {
            client_id: get("client_id"),
            client_name: get("client_name"),
            company_number: get("company_number"),
            net_ar: Money::new(i("net_ar").unwrap_or(0), currency),
            overdue_91_plus: Money::new(i("overdue_91_plus").unwrap_or(0), currency),
            wadl_12m: f("wadl_12m"),
            late_ratio_12m: f("late_ratio_12m"),
            wadl_slope_6m: f("wadl_slope_6m"),
            dso_countback: f("dso_countback"),
            avg_terms_days: f("avg_terms_days"),
            in_bureau: get("in_bureau") == "true",
            bureau: BureauFields {
                name: text("bureau_name"),
                credit_limit: i("credit_limit").map(|v| Money::new(v, currency)),
                score: f("score"),
                payment_score: f("payment_score"),
                growth_score: f("growth_score"),
                discontinuation_score: f("discontinuation_score"),
                credit_flag: CreditFlag::from_label(&get("credit_flag")),
                rating: get("rating").parse::<usize>().ok(),
                rating_label: text("rating_label"),
                status: Status::from_label(&get("status")),
                address: text("address"),
                board: text("board"),
                legal_form: text("legal_form"),
            },
            role: Role::from_label(&get("role")).unwrap_or_default(),
            risk_score: f("risk_score"),
            risk_tier: Tier::from_label(&get("risk_tier")),
            elsewhere_creditors: get("elsewhere_creditors").parse().unwrap_or(0),
            elsewhere_wadl_12m: f("elsewhere_wadl_12m"),
            elsewhere_wadl_before: f("elsewhere_wadl_12m_month_before"),
            // Histories saved before the collector's log have neither column: nothing known.
            last_broken_promise: get("last_broken_promise").parse().ok(),
            longest_dispute_days: get("longest_dispute_days").parse().ok(),
        };
        out.insert(e.client_id.clone(), e);
    }
    Ok(out)
}

/// The run to compare with: the latest month-end run saved before `as_of`. Mid-month runs are
/// saved too, but only `--compare-with` makes a run compare with one.
pub fn previous(out: &Path, as_of: NaiveDate) -> Option<(NaiveDate, PathBuf)> {
    let entries = std::fs::read_dir(dir(out)).ok()?;
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let date = NaiveDate::parse_from_str(name.strip_suffix(".csv")?, "%Y-%m-%d").ok()?;
            (date < as_of && crate::output::month_folder::is_month_end(date)).then(|| (date, e.path()))
        })
        .max_by_key(|(d, _)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_and_loads_and_finds_the_previous_run() {
        let dir = tempfile::TempDir::new().unwrap();
        let e = Entry {
            client_name: "Zoë, \"quoted\" NV".into(),
            net_ar: Money::new(12345, Currency::EUR),
            wadl_12m: Some(3.25),
            in_bureau: true,
            bureau: BureauFields {
                credit_limit: Some(Money::new(500000, Currency::EUR)),
                rating: Some(3),
                status: Some(Status::Active),
                address: Some("Meir 1".into()),
                ..Default::default()
            },
            ..Entry::new("K1".into(), Currency::EUR)
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        save(dir.path(), d("2026-09-30"), std::slice::from_ref(&e)).unwrap();
        save(dir.path(), d("2026-08-31"), &[]).unwrap();
        let (date, path) = previous(dir.path(), d("2026-10-31")).unwrap();
        assert_eq!(date, d("2026-09-30"));
        assert_eq!(load(&path, Currency::EUR).unwrap()["K1"], e);
        // A run never compares with itself or with a later one.
        assert_eq!(previous(dir.path(), d("2026-08-31")), None);
        // A mid-month run is saved but is not the month-end run the next month compares with.
        save(dir.path(), d("2026-10-15"), &[]).unwrap();
        assert_eq!(previous(dir.path(), d("2026-11-30")).unwrap().0, d("2026-09-30"));
        assert!(dir.path().join("history/2026-10-15.csv").exists());
    }
}
