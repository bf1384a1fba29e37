//! The collections forecast judged on whole ledgers (spec section 10's backtest): the sample's
//! story and the real IBM export, each against the due-date baseline and "due date plus the
//! client's usual delay".

mod common;

use arwatch::analytics::analyse;
use arwatch::analytics::outlook::{Backtest, Outlook, outlook};
use arwatch::config::{Config, Overrides};
use arwatch::fx::Fx;
use arwatch::pipeline;
use chrono::NaiveDate;
use common::root;

/// The forecast of a configuration's ledger as of `as_of` (else the configuration's).
fn run(config: &str, as_of: Option<NaiveDate>) -> Outlook {
    run_with(config, as_of, false)
}

/// The same, with or without the clients' trend (`[analytics] forecast_trend`).
fn run_with(config: &str, as_of: Option<NaiveDate>, trend: bool) -> Outlook {
    let mut config = Config::load(&root().join(config), &Overrides::default()).expect("config");
    config.analytics.forecast_trend = trend;
    let as_of = as_of.or(config.as_of).expect("an as-of date");
    let ing = pipeline::read_ledger(&config, &|_| {}).expect("ingest");
    let mut a = analyse(&ing.ledger, as_of, &config.analytics, &Fx::none(config.currency)).expect("analyse");
    outlook(&mut a, &[])
}

fn say(name: &str, b: &Backtest) {
    let f = |x: Option<f64>| x.unwrap_or(f64::NAN);
    eprintln!(
        "{name}: {} invoices; WAPE {:.3} (due dates {:.3}, usual delay {:.3}), MAE {:.1} days (due dates {:.1}, usual \
         delay {:.1}), 80 % coverage {:.2}",
        b.invoices,
        f(b.wape),
        f(b.wape_due_date_baseline),
        f(b.wape_usual_delay_baseline),
        f(b.mae_days),
        f(b.mae_days_due_date_baseline),
        f(b.mae_days_usual_delay_baseline),
        f(b.coverage_80)
    );
}

#[test]
fn on_the_sample_the_forecast_beats_the_due_dates() {
    let o = run("sample_data/arwatch.toml", NaiveDate::from_ymd_opt(2026, 10, 31));
    let b = &o.backtest;
    say("sample", b);
    assert_eq!(b.origins.len(), 6);
    assert!(b.wape.unwrap() < b.wape_due_date_baseline.unwrap(), "{b:?}");
    let coverage = b.coverage_80.unwrap();
    assert!((0.6..=0.95).contains(&coverage), "{b:?}");
}

#[test]
fn on_the_real_ibm_export_the_forecast_beats_the_due_dates() {
    if !root().join("../shared/realdata").exists() && std::env::var_os("CI").is_none() {
        return;
    }
    let o = run("examples/realdata/ibm.toml", None);
    let b = &o.backtest;
    say("ibm", b);
    assert!(b.wape.unwrap() < b.wape_due_date_baseline.unwrap(), "{b:?}");
    assert!(b.mae_days.unwrap() < b.mae_days_due_date_baseline.unwrap(), "{b:?}");
    assert!((0.7..=0.95).contains(&b.coverage_80.unwrap()), "{b:?}");
}

#[test]
fn the_trend_option_moves_late_payers_and_is_measured() {
    // docs/forecast.md: the trend helps the IBM export's weekly totals and hurts the sample's;
    // it is off by default. Both runs are judged here so the docs' table stays true.
    let sample = run_with("sample_data/arwatch.toml", NaiveDate::from_ymd_opt(2026, 10, 31), true);
    say("sample with trend", &sample.backtest);
    let b = &sample.backtest;
    assert!(b.wape.unwrap() < b.wape_due_date_baseline.unwrap(), "{b:?}");
    let plain = run("sample_data/arwatch.toml", NaiveDate::from_ymd_opt(2026, 10, 31));
    assert_ne!(plain.backtest, sample.backtest, "the trend changes the forecast");
    if root().join("../shared/realdata").exists() {
        let ibm = run_with("examples/realdata/ibm.toml", None, true);
        say("ibm with trend", &ibm.backtest);
        let plain = run("examples/realdata/ibm.toml", None);
        assert!(ibm.backtest.wape.unwrap() < plain.backtest.wape.unwrap(), "{:?}", ibm.backtest);
    }
}
