//! Unit tests of `alerts.rs`, kept beside it in their own file.
use super::*;
use crate::analytics::risk::Tier;
use crate::bureau::{BureauFields, BureauSettings, CreditFlag, Status};

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn entry() -> Entry {
    Entry {
        client_name: "Brasserie Zoë".into(),
        net_ar: eur(10_000_00),
        wadl_12m: Some(5.0),
        late_ratio_12m: Some(0.2),
        wadl_slope_6m: Some(0.0),
        dso_countback: Some(40.0),
        avg_terms_days: Some(30.0),
        in_bureau: true,
        bureau: BureauFields {
            credit_limit: Some(eur(50_000_00)),
            score: Some(70.0),
            payment_score: Some(7.0),
            growth_score: Some(50.0),
            discontinuation_score: Some(20.0),
            credit_flag: Some(CreditFlag::Green),
            rating: Some(3),
            rating_label: Some("BBB".into()),
            status: Some(Status::Active),
            address: Some("Markt 1, 2000 Antwerpen".into()),
            board: Some("An Peeters".into()),
            name: Some("Brasserie Zoë NV".into()),
            legal_form: Some("NV".into()),
        },
        risk_score: Some(20.0),
        risk_tier: Some(Tier::Low),
        ..Entry::new("K1".into(), Currency::EUR)
    }
}

fn run(change: impl Fn(&mut Entry)) -> Vec<Alert> {
    let p = entry();
    let mut c = entry();
    change(&mut c);
    let prev = BTreeMap::from([(p.client_id.clone(), p)]);
    compare(&prev, &[c], &Thresholds::default(), &BureauSettings::default(), Currency::EUR)
}

fn kinds(a: &[Alert]) -> Vec<(&str, &str, &str)> {
    a.iter().map(|x| (x.kind.code(), x.direction(), x.severity.label())).collect()
}

#[test]
fn nothing_changed_nothing_said() {
    assert!(run(|_| {}).is_empty());
}

#[test]
fn every_kind_fires() {
    assert_eq!(kinds(&run(|c| c.bureau.status = Some(Status::Bankrupt))), [("bureau_status", "risk", "critical")]);
    assert_eq!(
        kinds(&run(|c| c.bureau.status = Some(Status::Reorganisation))),
        [("bureau_status", "risk", "critical")]
    );
    assert_eq!(kinds(&run(|c| c.bureau.credit_limit = Some(eur(20_000_00)))), [("credit_limit", "risk", "high")]);
    assert_eq!(
        kinds(&run(|c| c.bureau.credit_limit = Some(eur(80_000_00)))),
        [("credit_limit", "opportunity", "medium")]
    );
    assert_eq!(kinds(&run(|c| c.bureau.score = Some(55.0))), [("score", "risk", "medium")]);
    assert_eq!(kinds(&run(|c| c.bureau.score = Some(95.0))), [("score", "opportunity", "medium")]);
    assert_eq!(kinds(&run(|c| c.bureau.payment_score = Some(5.0))), [("payment_score", "risk", "medium")]);
    // Growth: higher is better; discontinuation (the chance of stopping): higher is worse.
    let a = run(|c| c.bureau.growth_score = Some(70.0));
    assert_eq!(kinds(&a), [("growth_score", "opportunity", "medium")]);
    assert!(a[0].message.ends_with("growth score improved from 50 to 70"), "{}", a[0].message);
    assert_eq!(kinds(&run(|c| c.bureau.growth_score = Some(30.0))), [("growth_score", "risk", "medium")]);
    let a = run(|c| c.bureau.discontinuation_score = Some(45.0));
    assert_eq!(kinds(&a), [("discontinuation_score", "risk", "medium")]);
    assert!(a[0].message.ends_with("discontinuation score rose from 20 to 45"), "{}", a[0].message);
    assert_eq!(
        kinds(&run(|c| c.bureau.discontinuation_score = Some(5.0))),
        [("discontinuation_score", "opportunity", "medium")]
    );
    // A move below a tenth of the scale is no news.
    assert!(run(|c| c.bureau.discontinuation_score = Some(29.0)).is_empty());
    let a = run(|c| c.bureau.credit_flag = Some(CreditFlag::Orange));
    assert_eq!(kinds(&a), [("credit_flag", "risk", "medium")]);
    assert!(a[0].message.ends_with("credit flag changed from green to orange"), "{}", a[0].message);
    assert_eq!(kinds(&run(|c| c.bureau.credit_flag = Some(CreditFlag::Red))), [("credit_flag", "risk", "high")]);
    let p = Entry { bureau: BureauFields { credit_flag: Some(CreditFlag::Red), ..entry().bureau }, ..entry() };
    let prev = BTreeMap::from([(p.client_id.clone(), p)]);
    let a = compare(&prev, &[entry()], &Thresholds::default(), &BureauSettings::default(), Currency::EUR);
    assert_eq!(kinds(&a), [("credit_flag", "opportunity", "low")]);
    let a = run(|c| {
        c.bureau.rating = Some(5);
        c.bureau.rating_label = Some("B".into())
    });
    assert_eq!(kinds(&a), [("rating", "risk", "high")]);
    assert!(a[0].message.contains("downgraded from BBB to B"), "{}", a[0].message);
    assert_eq!(
        kinds(&run(|c| {
            c.bureau.rating = Some(2);
            c.bureau.rating_label = Some("A".into())
        })),
        [("rating", "opportunity", "medium")]
    );
    assert_eq!(
        kinds(&run(|c| c.bureau.address = Some("Meir 12, 2000 Antwerpen".into()))),
        [("address", "risk", "low")]
    );
    assert_eq!(kinds(&run(|c| c.bureau.board = Some("Luc Janssens".into()))), [("board", "risk", "medium")]);
    assert_eq!(kinds(&run(|c| c.bureau.name = Some("Zoë Holding NV".into()))), [("name", "risk", "low")]);
    assert_eq!(kinds(&run(|c| c.bureau.legal_form = Some("BV".into()))), [("legal_form", "risk", "low")]);
    assert_eq!(kinds(&run(|c| c.net_ar = eur(60_000_00))), [("over_limit", "risk", "high")]);
    assert_eq!(kinds(&run(|c| c.wadl_12m = Some(12.0))), [("wadl", "risk", "medium")]);
    assert_eq!(kinds(&run(|c| c.wadl_12m = Some(0.0))), [("wadl", "opportunity", "medium")]);
    let a = run(|c| {
        c.wadl_12m = Some(7.0);
        c.wadl_slope_6m = Some(2.5)
    });
    assert_eq!(kinds(&a), [("paying_later", "risk", "medium")]);
    assert_eq!(kinds(&run(|c| c.late_ratio_12m = Some(0.45))), [("late_ratio", "risk", "medium")]);
    assert_eq!(kinds(&run(|c| c.overdue_91_plus = eur(1_00))), [("overdue_91", "risk", "medium")]);
    assert_eq!(kinds(&run(|c| c.avg_terms_days = Some(45.0))), [("payment_terms", "risk", "medium")]);
    assert_eq!(kinds(&run(|c| c.dso_countback = Some(65.0))), [("dso", "risk", "medium")]);
    // 40 -> 55 days: 15 days is below the threshold of 20.
    assert!(run(|c| c.dso_countback = Some(55.0)).is_empty());
    // A small balance swings without meaning.
    let mut p = entry();
    p.net_ar = eur(400_00);
    let mut c = p.clone();
    c.net_ar = eur(500_00);
    c.dso_countback = Some(90.0);
    let prev = BTreeMap::from([(p.client_id.clone(), p)]);
    assert!(compare(&prev, &[c], &Thresholds::default(), &BureauSettings::default(), Currency::EUR).is_empty());
    assert_eq!(kinds(&run(|c| c.risk_tier = Some(Tier::High))), [("risk_tier", "risk", "high")]);
    assert_eq!(kinds(&run(|c| c.risk_tier = Some(Tier::Critical))), [("risk_tier", "risk", "critical")]);
    assert_eq!(kinds(&run(|c| c.in_bureau = false)), [("bureau_gone", "risk", "medium")]);
}

#[test]
fn new_in_bureau_and_clients_without_history() {
    let mut p = entry();
    p.in_bureau = false;
    let prev = BTreeMap::from([(p.client_id.clone(), p)]);
    let a = compare(&prev, &[entry()], &Thresholds::default(), &BureauSettings::default(), Currency::EUR);
    assert_eq!(kinds(&a), [("bureau_new", "opportunity", "low")]);
    // A client the previous run did not know gives no alert.
    let mut other = entry();
    other.client_id = "K2".into();
    assert!(compare(&prev, &[other], &Thresholds::default(), &BureauSettings::default(), Currency::EUR).is_empty());
}

#[test]
fn sorted_by_severity() {
    let a = run(|c| {
        c.bureau.status = Some(Status::Bankrupt);
        c.bureau.address = Some("elsewhere".into());
        c.bureau.credit_limit = Some(eur(0));
    });
    let sev: Vec<_> = a.iter().map(|x| x.severity).collect();
    let mut sorted = sev.clone();
    sorted.sort();
    assert_eq!(sev, sorted);
    assert_eq!(a[0].kind, AlertKind::BureauStatus);
}

#[test]
fn paying_others_late_fires_on_a_new_gap_or_a_worse_month_and_only_then() {
    let pooled = |wadl: f64, before: Option<f64>| {
        move |c: &mut Entry| {
            c.elsewhere_creditors = 4;
            c.elsewhere_wadl_12m = Some(wadl);
            c.elsewhere_wadl_before = before;
        }
    };
    // Pays us 5 days late, the others 24: markedly later, and new since the last run.
    let a = run(pooled(24.0, Some(23.0)));
    assert_eq!(kinds(&a), [("pays_others_late", "risk", "high")]);
    assert_eq!(a[0].message, "Brasserie Zoë: pays other suppliers 24.0 days late on average (4 creditors), you 5.0");
    // The same gap the run before: said once, not every month.
    let p = Entry { elsewhere_creditors: 4, elsewhere_wadl_12m: Some(24.0), ..entry() };
    let mut c = p.clone();
    c.elsewhere_wadl_before = Some(23.0);
    let prev = BTreeMap::from([(p.client_id.clone(), p)]);
    assert!(compare(&prev, &[c], &Thresholds::default(), &BureauSettings::default(), Currency::EUR).is_empty());
    // Worse than the month before by 5 days or more: said, even with no gap to us.
    let a = run(pooled(12.0, Some(6.0)));
    assert_eq!(kinds(&a), [("pays_others_late", "risk", "high")]);
    assert!(a[0].message.contains("12.0 days late on average, 6.0 more than a month before"), "{}", a[0].message);
    // Close to how it pays us, and steady: nothing.
    assert!(run(pooled(9.0, Some(8.0))).is_empty());
    // Suppressed by the pool: nothing.
    assert!(run(|c| c.elsewhere_creditors = 2).is_empty());
}

/// Issue 21: two accounts of one group bear the same name; their alerts say which is which.
#[test]
fn clients_that_share_a_name_are_told_apart_by_their_id() {
    let k2 = |e: Entry| Entry { client_id: "K2".into(), ..e };
    let prev = BTreeMap::from([("K1".to_string(), entry()), ("K2".to_string(), k2(entry()))]);
    let bankrupt =
        |e: Entry| Entry { bureau: BureauFields { status: Some(Status::Bankrupt), ..e.bureau.clone() }, ..e };
    let a = compare(
        &prev,
        &[bankrupt(entry()), bankrupt(k2(entry()))],
        &Thresholds::default(),
        &BureauSettings::default(),
        Currency::EUR,
    );
    let messages: Vec<&str> = a.iter().map(|x| x.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.starts_with("Brasserie Zoë (K1): ")), "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("Brasserie Zoë (K2): ")), "{messages:?}");
    // A name of its own is written alone; the data keep the plain name either way.
    assert!(run(|c| c.bureau.status = Some(Status::Bankrupt))[0].message.starts_with("Brasserie Zoë: "));
    assert!(a.iter().all(|x| x.client_name == "Brasserie Zoë"));
}

/// Issue 21: alerts that said nothing new. One change of WADL gave both "paying later" and
/// "pays later on average"; a DSO "rose from 0.0" when a first invoice came; an alert showed
/// the same value before and after (the others' WADL unchanged while ours improved).
#[test]
fn one_event_one_alert_and_never_an_unchanged_value() {
    let a = run(|c| {
        c.wadl_12m = Some(15.0);
        c.wadl_slope_6m = Some(2.5)
    });
    assert_eq!(kinds(&a), [("paying_later", "risk", "medium")]);
    // From nothing owed to a first invoice: no DSO alert.
    let p = Entry { net_ar: eur(0), dso_countback: Some(0.0), ..entry() };
    let prev = BTreeMap::from([(p.client_id.clone(), p)]);
    let a = compare(&prev, &[entry()], &Thresholds::default(), &BureauSettings::default(), Currency::EUR);
    assert!(a.iter().all(|x| x.kind.code() != "dso"), "{:?}", kinds(&a));
    // The others' WADL the same, ours better: the gap is new but nothing got worse.
    let p = Entry { wadl_12m: Some(25.0), elsewhere_creditors: 4, elsewhere_wadl_12m: Some(30.0), ..entry() };
    let c = Entry { wadl_12m: Some(5.0), ..p.clone() };
    let prev = BTreeMap::from([(p.client_id.clone(), p)]);
    let a = compare(&prev, &[c], &Thresholds::default(), &BureauSettings::default(), Currency::EUR);
    assert!(a.iter().all(|x| x.previous != x.current), "{:?}", a);
    assert!(a.iter().all(|x| x.kind.code() != "pays_others_late"), "{:?}", kinds(&a));
    // A credit limit cut under an unchanged exposure: the over-limit alert shows what moved.
    let a = run(|c| c.bureau.credit_limit = Some(eur(5_000_00)));
    let over = a.iter().find(|x| x.kind.code() == "over_limit").expect("over the new limit");
    assert_eq!((over.previous.as_str(), over.current.as_str()), ("10000.00 / 50000.00", "10000.00 / 5000.00"));
}

/// Regression: folding a WADL rise into "paying later" took away every earlier client's WADL
/// alert too, not only the same client's (Hôtel Thiébaut's in the sample's golden files).
#[test]
fn paying_later_folds_only_its_own_client_s_wadl_alert() {
    let k2 = |e: Entry| Entry { client_id: "K2".into(), client_name: "Garage Dupont".into(), ..e };
    let prev = BTreeMap::from([("K1".to_string(), entry()), ("K2".to_string(), k2(entry()))]);
    let k1_later = Entry { wadl_12m: Some(15.0), ..entry() };
    let k2_later_and_later = k2(Entry { wadl_12m: Some(15.0), wadl_slope_6m: Some(2.5), ..entry() });
    let a = compare(
        &prev,
        &[k1_later, k2_later_and_later],
        &Thresholds::default(),
        &BureauSettings::default(),
        Currency::EUR,
    );
    let by: Vec<(&str, &str)> = a.iter().map(|x| (x.client_id.as_str(), x.kind.code())).collect();
    assert!(by.contains(&("K1", "wadl")), "{by:?}");
    assert!(by.contains(&("K2", "paying_later")) && !by.contains(&("K2", "wadl")), "{by:?}");
}

#[test]
fn a_broken_promise_and_a_long_dispute_are_said_once() {
    let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    // A promise to pay by 1 October broken since the last run.
    let a = run(|c| c.last_broken_promise = Some(d("2026-10-01")));
    assert_eq!(kinds(&a), [("promise_broken", "risk", "high")]);
    assert_eq!(a[0].message, "Brasserie Zoë: broke its promise to pay by 2026-10-01");
    // The same broken promise the last run knew: nothing new.
    let known = |e: &mut Entry| e.last_broken_promise = Some(d("2026-10-01"));
    let (mut p, mut c) = (entry(), entry());
    known(&mut p);
    known(&mut c);
    let prev = BTreeMap::from([(p.client_id.clone(), p.clone())]);
    assert!(compare(&prev, &[c.clone()], &Thresholds::default(), &BureauSettings::default(), Currency::EUR).is_empty());
    // A later one broken: said again.
    c.last_broken_promise = Some(d("2026-10-20"));
    let a = compare(&prev, &[c], &Thresholds::default(), &BureauSettings::default(), Currency::EUR);
    assert_eq!((a.len(), a[0].previous.as_str(), a[0].current.as_str()), (1, "2026-10-01", "2026-10-20"));
    // A dispute of 70 days (the limit is 60), shorter at the last run: said; 59 days: not yet.
    let a = run(|c| c.longest_dispute_days = Some(70));
    assert_eq!(kinds(&a), [("long_dispute", "risk", "medium")]);
    assert!(a[0].message.ends_with("in dispute for 70 days (the limit is 60)"), "{}", a[0].message);
    assert!(run(|c| c.longest_dispute_days = Some(59)).is_empty());
    // Already over the limit at the last run: said then, not again.
    let p = Entry { longest_dispute_days: Some(65), ..entry() };
    let c = Entry { longest_dispute_days: Some(95), ..entry() };
    let prev = BTreeMap::from([(p.client_id.clone(), p)]);
    assert!(compare(&prev, &[c], &Thresholds::default(), &BureauSettings::default(), Currency::EUR).is_empty());
}
