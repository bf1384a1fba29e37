//! The early-warning record (docs/monitoring.md) judged on whole ledgers: at every month end
//! it says what a run as of that day would have said, failures with a known deterioration are
//! caught with their lead, and steady clients are never flagged.

mod common;

use arwatch::analytics::{Analysis, analyse, dispute, promise};
use arwatch::bureau::{BureauFields, Snapshot};
use arwatch::config::{Config, Overrides};
use arwatch::fx::Fx;
use arwatch::ingest::log::LogEvent;
use arwatch::model::{Client, ClientIx, Currency, Document, Ledger, Origin, Payment, Roster};
use arwatch::monitor::early_warning::{Cause, EarlyWarningSettings, Inputs, Record, record};
use arwatch::monitor::{self, Assessment};
use arwatch::pipeline::Loaded;
use chrono::{Duration, NaiveDate};
use common::root;
use std::collections::BTreeMap;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Risk as a run as of `as_of` says it, from the same inputs.
fn assessed(
    config: &Config,
    ledger: &Ledger,
    snapshots: &[Snapshot],
    log: &[LogEvent],
    as_of: NaiveDate,
) -> (Analysis, Assessment, promise::Promises) {
    let fx = Fx::none(config.currency);
    let mut ledger = ledger.clone();
    let sources = ledger.sources.clone();
    let disputes = dispute::apply(&mut ledger, &sources, log, as_of);
    let a = analyse(&ledger, as_of, &config.analytics, &fx).expect("analyse");
    let promises =
        promise::judge(&ledger, &ledger.sources, log, as_of, &fx, config.ladder.promise_grace_days).expect("judge");
    let roster = Roster::new(ledger.sources.clone(), ledger.clients.clone());
    let assessment = monitor::assess(
        &roster,
        &a,
        snapshots.to_vec(),
        &config.bureau,
        &config.risk,
        &[],
        &BTreeMap::new(),
        &promises,
        &disputes,
    );
    (a, assessment, promises)
}

/// The record of a ledger as of `as_of`, with its bureau snapshots and log.
fn kept(
    config: &Config,
    ledger: &Ledger,
    snapshots: &[Snapshot],
    log: &[LogEvent],
    as_of: NaiveDate,
    handovers: &[(ClientIx, NaiveDate)],
) -> (Analysis, Record) {
    let (a, assessment, promises) = assessed(config, ledger, snapshots, log, as_of);
    let roster = Roster::new(ledger.sources.clone(), ledger.clients.clone());
    let r = record(
        &a,
        &Inputs {
            roster: &roster,
            snapshots,
            bureau: &config.bureau,
            risk: &config.risk,
            promises: (&promises, config.ladder.promise_grace_days),
            handovers,
            at_as_of: &assessment.clients,
        },
        &config.early_warning,
    );
    (a, r)
}

/// The sample's configuration (arwatch's defaults for everything the record reads).
fn config() -> Config {
    Config::load(&root().join("sample_data/arwatch.toml"), &Overrides::default()).expect("config")
}

fn sample() -> (Config, Loaded) {
    let config = config();
    let loaded = Loaded::load(&config, &|_| {}, &mut |_, _, _| {}).expect("load");
    (config, loaded)
}

/// The record's score of every client at a month end is the score a run as of that month end
/// gives, from the ledger, the bureau snapshots and the collector's log as they stood then:
/// the record reads nothing dated after the month end it judges.
#[test]
fn each_month_end_scores_as_a_run_as_of_it_would() {
    let (config, loaded) = sample();
    let (ledger, snaps, log) = (&loaded.ingested.ledger, &loaded.bureau.rows, &loaded.log.rows);
    let (a, r) = kept(&config, ledger, snaps, log, loaded.as_of, &[]);
    assert_eq!(r.month_ends.len(), 24);
    // A payment reversed after a month end was, at that month end, a payment: the clients'
    // courses keep what stood at the as-of date, so those clients are the record's known
    // difference (docs/monitoring.md, where it is weak) and are left out here.
    let reversed: std::collections::BTreeSet<ClientIx> =
        ledger.payments.iter().filter(|p| p.amount < 0).map(|p| p.client).collect();
    let mut compared = 0;
    for k in [3, 11, 17, 20, 22] {
        let e = r.month_ends[k];
        let (past, assessment, _) = assessed(&config, ledger, snaps, log, e);
        let then: BTreeMap<ClientIx, f64> =
            past.clients.iter().zip(&assessment.clients).map(|(c, v)| (c.client, v.risk.score)).collect();
        for (c, scores) in a.clients.iter().zip(&r.scores) {
            let Some(score) = scores[k].filter(|_| !reversed.contains(&c.client)) else { continue };
            let expected =
                then.get(&c.client).unwrap_or_else(|| panic!("{} scored at {e} without a run knowing it", c.client));
            assert!((score - expected).abs() < 1e-6, "client {} at {e}: record {score}, run {expected}", c.client);
            compared += 1;
        }
    }
    assert!(compared > 500, "only {compared} scores compared");
}

/// The sample's story: its bankrupt client is found by the bureau's status in the last
/// month, the WCO client too; neither is counted twice and every count adds up.
#[test]
fn the_sample_story_has_its_two_failures() {
    let (config, loaded) = sample();
    let (_, r) = kept(&config, &loaded.ingested.ledger, &loaded.bureau.rows, &loaded.log.rows, loaded.as_of, &[]);
    let causes: Vec<&str> = r.failures.iter().map(|f| f.cause.label()).collect();
    assert_eq!(r.failures.len(), 2, "{causes:?}");
    assert!(causes.contains(&"bankrupt") && causes.contains(&"judicial reorganisation"), "{causes:?}");
    assert!(r.caught_ahead() <= r.flagged_failures());
    assert!(r.false_alarms.len() <= r.healthy);
    assert_eq!(r.judged_until, Some(date("2025-10-31")));
}

/// How a generated client pays an invoice due on a day: days after the due date, or never.
type Payer<'a> = &'a dyn Fn(NaiveDate) -> Option<i64>;

/// A generated ledger: clients invoicing every 10 days from 2024-01-05 to 2026-10-31 with 30
/// days' terms, each paying as `delay` says for an invoice due on a day (`None`: never).
fn ledger(clients: &[(&str, Payer<'_>)]) -> Ledger {
    let mut l = Ledger { sources: vec!["generated".into()], ..Default::default() };
    let end = date("2026-10-31");
    for (k, (name, delay)) in clients.iter().enumerate() {
        let client = l.clients.len() as u32;
        l.clients.push(Client { id: name.to_string(), name: name.to_string(), company_number: None });
        let mut issue = date("2024-01-05") + Duration::days(k as i64 % 7);
        let mut n = 0;
        while issue <= end {
            let due = issue + Duration::days(30);
            let id = l.texts.push(&format!("I{k}-{n}")).unwrap();
            let doc = Document::invoice(client, id, issue, due, 100_000);
            let doc_id = doc.id;
            l.documents.push(doc);
            if let Some(d) = delay(due) {
                let paid = (due + Duration::days(d)).max(issue);
                if paid <= end {
                    let id = l.texts.push(&format!("P{k}-{n}")).unwrap();
                    l.payments.push(Payment {
                        client,
                        id,
                        date: paid,
                        amount: 100_000,
                        currency: Currency::EUR,
                        reference: Some(doc_id),
                        origin: Origin::default(),
                    });
                }
            }
            issue += Duration::days(10);
            n += 1;
        }
    }
    l
}

/// A client that pays on time for a year and a half, then later by ten days each month from
/// 2025-08, and stops paying invoices due from 2026-02: no bureau, so it fails when at least
/// half its open amount stays over 90 days past due at three month ends in a row with nothing
/// paid in those months. Its
/// lateness and then its overdue share flag it months before that; clients that always pay
/// within a few days are never flagged.
#[test]
fn a_failure_with_a_known_deterioration_is_caught_with_its_lead() {
    let steady = |due: NaiveDate| Some(i64::from(chrono::Datelike::ordinal(&due) % 5) - 2);
    let failing = |due: NaiveDate| {
        if due >= date("2026-02-01") {
            None
        } else if due >= date("2025-08-01") {
            Some(10 * ((due - date("2025-08-01")).num_days() / 30 + 1))
        } else {
            Some(0)
        }
    };
    let clients: Vec<(&str, Payer<'_>)> =
        vec![("failing", &failing), ("steady-1", &steady), ("steady-2", &steady), ("steady-3", &steady)];
    let l = ledger(&clients);
    let config = config();
    let (a, r) = kept(&config, &l, &[], &[], date("2026-10-31"), &[]);
    assert_eq!(r.failures.len(), 1, "{:?}", r.failures);
    let f = &r.failures[0];
    assert_eq!(f.cause, Cause::Stalled);
    // The last payment is for the invoice due at the end of January 2026, 70 days late, in
    // April; from May nothing is paid, but the client is still invoiced every ten days, so only
    // at the end of August are half of its open invoices (those due by 2 June, 12 of 24) more
    // than 90 days past due, and they stay so at the end of September (15 of 27) and October
    // (18 of 30): three month ends in a row, with nothing paid, end at 31 October.
    assert_eq!(f.failed_on, date("2026-10-31"), "{f:?}");
    let lead = f.lead_months.expect("flagged");
    assert!(lead >= 3, "flagged only {lead} months ahead: {f:?}");
    assert!(f.flagged_on.unwrap() >= date("2025-09-30"), "flagged before it deteriorated: {f:?}");
    let factor = f.factor.as_ref().map(|r| r.words(arwatch::locale::Lang::En)).unwrap_or_default();
    assert!(factor.contains("late"), "{f:?}");
    // The steady clients are never flagged, at any month end.
    assert!(r.false_alarms.is_empty(), "{:?}", r.false_alarms);
    assert_eq!(r.healthy, 3);
    for (c, scores) in a.clients.iter().zip(&r.scores) {
        if l.clients[c.client as usize].id.starts_with("steady") {
            assert!(scores.iter().flatten().all(|s| *s < config.risk.tiers[1]), "{scores:?}");
        }
    }
}

/// A handover in the collector's log is a failure on its day, and a client that failed
/// before the record's first month is left out of it.
#[test]
fn a_handover_is_a_failure_and_older_failures_are_left_out() {
    let late = |_: NaiveDate| Some(40);
    let clients: Vec<(&str, Payer<'_>)> = vec![("handed", &late), ("old", &late)];
    let l = ledger(&clients);
    let config = config();
    let handovers = [(0, date("2026-05-12")), (1, date("2024-06-01"))];
    let (_, r) = kept(&config, &l, &[], &[], date("2026-10-31"), &handovers);
    assert_eq!(r.failures.len(), 1, "{:?}", r.failures);
    assert_eq!((r.failures[0].client, r.failures[0].cause), (0, Cause::HandedOver));
    assert_eq!(r.failures[0].failed_on, date("2026-05-12"));
}

/// Switched off, the record says so and judges nothing.
#[test]
fn switched_off_the_record_says_why() {
    let l = ledger(&[("a", &|_| Some(0))]);
    let mut config = config();
    config.early_warning = EarlyWarningSettings { enabled: false, ..Default::default() };
    let (_, r) = kept(&config, &l, &[], &[], date("2026-10-31"), &[]);
    assert!(r.none_because.is_some() && r.failures.is_empty() && r.month_ends.is_empty());
}

/// Generated histories (`arwatch sample --histories`) of `clients` clients for `seed`, written
/// and read back as a user's files are.
fn generated(seed: u64, clients: usize) -> (tempfile::TempDir, Config, Loaded) {
    let dir = tempfile::TempDir::new().unwrap();
    arwatch::sample::write_histories(dir.path(), seed, clients).unwrap();
    let config = Config::load(&dir.path().join("arwatch.toml"), &Overrides::default()).expect("config");
    let loaded = Loaded::load(&config, &|_| {}, &mut |_, _, _| {}).expect("load");
    (dir, config, loaded)
}

/// One line of the measured table: failures, caught ahead, median lead, false alarms.
fn line(name: &str, r: &Record) -> String {
    format!(
        "{name}: {} failures, {} flagged, {} caught >= {} months ahead ({:.0} %), median lead {:?}; {} of {} healthy \
         flagged ({:.1} %), {} not yet judged",
        r.failures.len(),
        r.flagged_failures(),
        r.caught_ahead(),
        r.lead_months,
        100.0 * r.caught_share().unwrap_or(0.0),
        r.median_lead(),
        r.false_alarms.len(),
        r.healthy,
        100.0 * r.false_alarm_share().unwrap_or(0.0),
        r.pending
    )
}

/// What of the bureau's snapshots a measurement gives the score.
#[derive(Clone, Copy, PartialEq)]
enum Bureau {
    /// All of them.
    Full,
    /// Their statuses alone, so that failures keep their dates while the score is the ledger's
    /// alone: how early a client without a bureau subscription is warned of a failure.
    StatusOnly,
}

/// The snapshots as `bureau` gives them.
fn given(snapshots: &[Snapshot], bureau: Bureau) -> Vec<Snapshot> {
    let mut snapshots = snapshots.to_vec();
    if bureau == Bureau::StatusOnly {
        for s in &mut snapshots {
            s.bureau = BureauFields { status: s.bureau.status, ..BureauFields::default() };
        }
    }
    snapshots
}

/// The records of the generated histories of `seeds` with the configuration as `edit` makes
/// it, added up.
fn measured(seeds: std::ops::RangeInclusive<u64>, bureau: Bureau, edit: &dyn Fn(&mut Config)) -> Record {
    let mut all = Record::default();
    for seed in seeds {
        let (_dir, mut config, loaded) = generated(seed, 400);
        edit(&mut config);
        let (ledger, snaps, log) = (&loaded.ingested.ledger, &given(&loaded.bureau.rows, bureau), &loaded.log.rows);
        let r = kept(&config, ledger, snaps, log, loaded.as_of, &[]).1;
        all.month_ends = r.month_ends;
        all.lead_months = r.lead_months;
        all.alarm_months = r.alarm_months;
        // `ARWATCH_EW_WHY=1` lists each false alarm and each failure not caught ahead.
        if std::env::var_os("ARWATCH_EW_WHY").is_some() {
            let truth = std::fs::read_to_string(_dir.path().join("failures.csv")).unwrap();
            let row = |c: ClientIx| {
                let id = &ledger.clients[c as usize].id;
                truth.lines().find(|l| l.starts_with(id.as_str())).unwrap().to_string()
            };
            for a in &r.false_alarms {
                eprintln!("FA {} at {} {:?}", row(a.client), a.flagged_on, a.factor);
            }
            for f in r.failures.iter().filter(|f| f.lead_months.is_none_or(|l| l < 3)) {
                eprintln!(
                    "MISS {} failed {} {:?} lead {:?} {:?}",
                    row(f.client),
                    f.failed_on,
                    f.cause,
                    f.lead_months,
                    f.factor
                );
            }
        }
        all.failures.extend(r.failures);
        all.false_alarms.extend(r.false_alarms);
        all.healthy += r.healthy;
        all.pending += r.pending;
    }
    all
}

/// The measurements behind docs/monitoring.md's table: `cargo test --test early_warning --
/// --ignored --nocapture measure`. `ARWATCH_EW` picks variants of the weights to compare
/// (`name:key=value,key=value;…`); each is measured with the bureau's data and with the ledger
/// alone, on the tuning histories and the sample, and with `ARWATCH_EW_CHECK=1` on the check
/// and fresh histories too.
#[test]
#[ignore]
fn measure() {
    let variants = std::env::var("ARWATCH_EW").unwrap_or_else(|_| "defaults:".into());
    for v in variants.split(';') {
        let (name, sets) = v.split_once(':').unwrap();
        let edit = |c: &mut Config| {
            for kv in sets.split(',').filter(|x| !x.is_empty()) {
                let (k, x) = kv.split_once('=').unwrap();
                let x: f64 = x.parse().unwrap();
                let w = &mut c.risk.weights;
                match k {
                    "wadl" => w.wadl = x,
                    "wadl_trend" => w.wadl_trend = x,
                    "later" => w.later_than_usual = x,
                    "parts" => w.paid_in_parts = x,
                    "fall" => w.score_fall = x,
                    "fall_full" => c.risk.score_fall_full = x,
                    "parts_full" => c.risk.parts_full_share = x,
                    "dbt" => w.dbt = x,
                    "overdue_60" => w.overdue_60 = x,
                    "overdue_90" => w.overdue_90 = x,
                    "add" => w.add = x,
                    "score" => w.score = x,
                    "payment_score" => w.payment_score = x,
                    "discontinuation" => w.discontinuation = x,
                    "rating" => w.rating = x,
                    "utilisation" => w.utilisation = x,
                    "later_full" => c.risk.later_full_days = x,
                    "min_known" => c.risk.min_known_share = x,
                    "high" => c.risk.tiers[1] = x,
                    _ => panic!("{k}"),
                }
            }
        };
        let (mut config, loaded) = sample();
        edit(&mut config);
        let r = kept(&config, &loaded.ingested.ledger, &loaded.bureau.rows, &loaded.log.rows, loaded.as_of, &[]).1;
        eprintln!("{}", line(&format!("{name} sample"), &r));
        let check = std::env::var_os("ARWATCH_EW_CHECK").is_some();
        for (bureau, said) in [(Bureau::Full, "bureau"), (Bureau::StatusOnly, "ledger only")] {
            eprintln!("{}", line(&format!("{name} {said} tune 1-3"), &measured(1..=3, bureau, &edit)));
            if check {
                eprintln!("{}", line(&format!("{name} {said} check 4-6"), &measured(4..=6, bureau, &edit)));
                eprintln!("{}", line(&format!("{name} {said} fresh 7-9"), &measured(7..=9, bureau, &edit)));
                eprintln!("{}", line(&format!("{name} {said} fresh 10-12"), &measured(10..=12, bureau, &edit)));
            }
        }
    }
}

/// docs/monitoring.md's measured record, on histories the weights were not tuned on (tuning
/// used seeds 1 to 3): on seeds 4 to 6, which were looked at while choosing between two
/// variants, most failures are flagged at least 3 months ahead; on seeds 7 to 9, measured
/// once the weights were fixed, the issue's target holds (at least 70 % caught 3 months ahead,
/// at most 10 % of healthy clients flagged); and the score leads far better than before the
/// three factors that make it lead (later than usual, paid in parts, the bureau score's fall).
#[test]
fn on_histories_it_was_not_tuned_on_the_score_leads() {
    let check = measured(4..=6, Bureau::Full, &|_| {});
    eprintln!("{}", line("defaults, seeds 4-6", &check));
    assert!(check.failures.len() > 100, "{}", check.failures.len());
    assert!(check.caught_share().unwrap() >= 0.65, "{}", line("defaults", &check));
    assert!(check.false_alarm_share().unwrap() <= 0.10, "{}", line("defaults", &check));
    let fresh = measured(7..=9, Bureau::Full, &|_| {});
    eprintln!("{}", line("defaults, seeds 7-9", &fresh));
    assert!(fresh.caught_share().unwrap() >= 0.70, "{}", line("defaults", &fresh));
    assert!(fresh.false_alarm_share().unwrap() <= 0.10, "{}", line("defaults", &fresh));
    let before = measured(4..=6, Bureau::Full, &|c| {
        let w = &mut c.risk.weights;
        (w.later_than_usual, w.paid_in_parts, w.score_fall, w.wadl) = (0.0, 0.0, 0.0, 15.0);
        c.risk.min_known_share = 0.0;
    });
    eprintln!("{}", line("before, seeds 4-6", &before));
    assert!(check.caught_ahead() > 2 * before.caught_ahead(), "{} vs {}", line("now", &check), line("before", &before));
    assert!(check.false_alarms.len() < before.false_alarms.len());
}

/// Without bureau data (the snapshots' statuses alone, so that failures keep their dates),
/// signs of change count over at least `min_known_share` of all the weights: on the check
/// histories that halves the healthy clients flagged, to as few as with bureau data, and most
/// failures are still flagged at least 3 months ahead (docs/monitoring.md, without bureau data).
#[test]
fn without_bureau_data_one_sign_of_change_alone_does_not_flag() {
    let ledger_only = measured(4..=6, Bureau::StatusOnly, &|_| {});
    eprintln!("{}", line("ledger only, seeds 4-6", &ledger_only));
    let in_full = measured(4..=6, Bureau::StatusOnly, &|c| c.risk.min_known_share = 0.0);
    eprintln!("{}", line("ledger only, signs counted in full, seeds 4-6", &in_full));
    assert!(ledger_only.false_alarm_share().unwrap() <= 0.10, "{}", line("ledger only", &ledger_only));
    // About half as many false alarms (187 and 89 when measured).
    let (now, before) = (ledger_only.false_alarms.len(), in_full.false_alarms.len());
    assert!(2 * now <= before + 10, "{now} false alarms against {before} with the signs counted in full");
    assert!(ledger_only.caught_share().unwrap() >= 0.55, "{}", line("ledger only", &ledger_only));
}
