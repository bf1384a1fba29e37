//! Property tests on random ledgers: the invariants every figure must keep, whatever the data.

use arwatch::analytics::outlook::outlook;
use arwatch::analytics::{Analysis, Settings, invoice_outcomes};
use arwatch::fx::Fx;
use arwatch::model::{Client, Currency, DocKind, Document, Ledger, Origin, Payment};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
}

#[derive(Clone, Debug)]
enum Ev {
    Inv { client: u32, day: i64, terms: i64, amount: i64 },
    Cn { client: u32, day: i64, amount: i64, reference: Option<usize> },
    Pay { client: u32, day: i64, amount: i64, reference: Option<usize> },
}

fn event() -> impl Strategy<Value = Ev> {
    prop_oneof![
        5 => (0u32..3, 0i64..700, 0i64..90, 1i64..500_000).prop_map(|(client, day, terms, amount)| Ev::Inv { client, day, terms, amount }),
        1 => (0u32..3, 0i64..700, 1i64..200_000, proptest::option::of(0usize..40)).prop_map(|(client, day, amount, reference)| Ev::Cn { client, day, amount, reference }),
        5 => (0u32..3, 0i64..700, -200_000i64..600_000, proptest::option::of(0usize..40)).prop_map(|(client, day, amount, reference)| Ev::Pay { client, day, amount: if amount == 0 { 1 } else { amount }, reference }),
    ]
}

fn ledger(events: &[Ev]) -> Ledger {
    let clients =
        (0..3).map(|i| Client { id: format!("C{i}"), name: format!("Client {i}"), company_number: None }).collect();
    let mut l = Ledger { sources: vec!["t".into()], clients, ..Default::default() };
    for (n, e) in events.iter().enumerate() {
        match *e {
            Ev::Inv { client, day, terms, amount } => {
                let id = l.texts.push(&format!("I{n}")).unwrap();
                let (issue, due) = (base() + Duration::days(day), base() + Duration::days(day + terms));
                l.documents.push(Document::invoice(client, id, issue, due, amount));
            }
            Ev::Cn { client, day, amount, reference } => {
                let id = l.texts.push(&format!("N{n}")).unwrap();
                let day = base() + Duration::days(day);
                let reference = reference.map(|r| l.texts.push(&format!("I{r}")).unwrap());
                l.documents.push(Document {
                    kind: DocKind::CreditNote,
                    reference,
                    ..Document::invoice(client, id, day, day, amount)
                });
            }
            Ev::Pay { client, day, amount, reference } => l.payments.push(Payment {
                client,
                id: l.texts.push(&format!("P{n}")).unwrap(),
                date: base() + Duration::days(day),
                amount,
                currency: Currency::EUR,
                reference: reference.map(|r| l.texts.push(&format!("I{r}")).unwrap()),
                origin: Origin::default(),
            }),
        }
    }
    l
}

fn analyse(l: &Ledger, a: NaiveDate, s: &Settings) -> Analysis {
    arwatch::analytics::analyse(l, a, s, &Fx::none(Currency::EUR)).unwrap()
}

fn as_of(day: i64) -> NaiveDate {
    base() + Duration::days(day)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn buckets_minus_unapplied_credit_is_net_ar(events in proptest::collection::vec(event(), 0..60), day in 0i64..760) {
        let l = ledger(&events);
        let a = analyse(&l, as_of(day), &Settings::default());
        for c in a.clients.iter().map(|c| &c.figures).chain(std::iter::once(&a.portfolio)) {
            let buckets: i64 = c.sums.buckets.iter().sum();
            prop_assert_eq!(buckets - c.sums.unapplied_credit, c.sums.net_ar);
            prop_assert_eq!(buckets, c.sums.open_total);
            // The last month of the series is the as-of date itself.
            prop_assert_eq!(c.monthly.last().map(|m| m.net_ar), Some(c.sums.net_ar));
        }
    }

    #[test]
    fn net_ar_is_invoices_minus_credit_notes_minus_payments(events in proptest::collection::vec(event(), 0..60), day in 0i64..760) {
        let l = ledger(&events);
        let a_date = as_of(day);
        let a = analyse(&l, a_date, &Settings::default());
        for c in &a.clients {
            let inv: i64 = l.documents.iter().filter(|d| d.client == c.client && d.issue <= a_date && d.kind == DocKind::Invoice).map(|d| d.amount).sum();
            let cn: i64 = l.documents.iter().filter(|d| d.client == c.client && d.issue <= a_date && d.kind == DocKind::CreditNote).map(|d| d.amount).sum();
            let pay: i64 = l.payments.iter().filter(|p| p.client == c.client && p.date <= a_date).map(|p| p.amount).sum();
            prop_assert_eq!(c.figures.sums.net_ar, inv - cn - pay);
        }
    }

    #[test]
    fn allocations_never_exceed_amounts(events in proptest::collection::vec(event(), 0..60), day in 0i64..760) {
        let l = ledger(&events);
        for o in invoice_outcomes(&l, as_of(day), &Fx::none(Currency::EUR)).unwrap() {
            let (open, amount) = (o.invoice.open.minor(), o.invoice.amount.minor());
            prop_assert!(open >= 0 && open <= amount, "{:?}", o);
            prop_assert_eq!(o.settled.is_some(), open == 0);
            if let Some(late) = o.days_late {
                prop_assert!(late >= 0);
            }
        }
    }

    #[test]
    fn the_forecast_holds_every_open_invoice_and_never_more_than_is_open(events in proptest::collection::vec(event(), 0..60), day in 0i64..760) {
        let l = ledger(&events);
        let mut a = analyse(&l, as_of(day), &Settings::default());
        let open: i64 = a.clients.iter().map(|c| c.figures.sums.open_total).sum();
        let items: Vec<usize> = a.clients.iter().map(|c| c.open_items.len()).collect();
        let o = outlook(&mut a, &[], &[], &[]);
        // Every open invoice has its forecast, client by client.
        prop_assert_eq!(o.clients.iter().map(|c| c.invoices.len()).collect::<Vec<_>>(), items);
        let expected: i64 = o.weeks.iter().map(|w| w.expected).sum();
        // Each week is rounded to the cent: 13 roundings at most.
        prop_assert!(expected <= open + 13, "{} > {}", expected, open);
        prop_assert!(expected + o.beyond <= open + 14 && expected + o.beyond >= open - 14);
        for w in &o.weeks {
            prop_assert!(0 <= w.low && w.low <= w.expected && w.expected <= w.high && w.high <= open + 1, "{:?}", w);
        }
        for f in o.clients.iter().flat_map(|c| &c.invoices) {
            prop_assert!((0.0..=1.0).contains(&f.p_13w));
        }
        if let Some(c) = o.backtest.coverage_80 {
            prop_assert!((0.0..=1.0).contains(&c));
        }
    }

    #[test]
    fn the_forecast_as_of_a_date_never_reads_what_came_after_it(events in proptest::collection::vec(event(), 0..60), day in 0i64..760) {
        let l = ledger(&events);
        let a_date = as_of(day);
        let mut known = l.clone();
        known.documents.retain(|d| d.issue <= a_date);
        known.payments.retain(|p| p.date <= a_date);
        let mut full = analyse(&l, a_date, &Settings::default());
        let mut cut = analyse(&known, a_date, &Settings::default());
        prop_assert_eq!(outlook(&mut full, &[], &[], &[]), outlook(&mut cut, &[], &[], &[]));
    }

    #[test]
    fn permuting_input_rows_changes_nothing(events in proptest::collection::vec(event(), 0..40), day in 0i64..760, seed in any::<u64>()) {
        let l = ledger(&events);
        let mut shuffled = l.clone();
        // A deterministic shuffle driven by the seed.
        let mut s = seed | 1;
        let mut next = || { s ^= s << 13; s ^= s >> 7; s ^= s << 17; s };
        for i in (1..shuffled.documents.len()).rev() { let j = (next() % (i as u64 + 1)) as usize; shuffled.documents.swap(i, j); }
        for i in (1..shuffled.payments.len()).rev() { let j = (next() % (i as u64 + 1)) as usize; shuffled.payments.swap(i, j); }
        let a = analyse(&l, as_of(day), &Settings::default());
        let b = analyse(&shuffled, as_of(day), &Settings::default());
        prop_assert_eq!(a.portfolio, b.portfolio);
        for (x, y) in a.clients.iter().zip(&b.clients) {
            prop_assert_eq!(&x.figures, &y.figures);
            prop_assert_eq!(&x.open_items, &y.open_items);
        }
    }

    #[test]
    fn events_after_the_as_of_date_change_nothing(events in proptest::collection::vec(event(), 0..40), day in 0i64..700) {
        let l = ledger(&events);
        let a_date = as_of(day);
        let mut cut = l.clone();
        cut.documents.retain(|d| d.issue <= a_date);
        cut.payments.retain(|p| p.date <= a_date);
        let a = analyse(&l, a_date, &Settings::default());
        let b = analyse(&cut, a_date, &Settings::default());
        prop_assert_eq!(a.portfolio, b.portfolio);
    }
}

mod risk_score {
    use arwatch::analytics::risk::{RiskInput, RiskSettings, assess};
    use arwatch::bureau::BureauSettings;
    use proptest::prelude::*;

    fn input() -> impl Strategy<Value = RiskInput> {
        (
            proptest::option::of(0.0f64..120.0),
            proptest::option::of(-10.0f64..10.0),
            0.0f64..400.0,
            (0.0f64..1.0, 0.0f64..1.0),
            proptest::option::of(-20.0f64..80.0),
            (proptest::option::of(0.0f64..100.0), proptest::option::of(0.0f64..10.0), proptest::option::of(0usize..10)),
            (
                proptest::option::of(0.0f64..3.0),
                proptest::option::of(0.0f64..100.0),
                proptest::option::of((0.0f64..120.0, 3u32..20)),
                0u64..12,
                proptest::option::of((0u32..6, 0u32..6)),
            ),
            (
                proptest::option::of(-30.0f64..60.0),
                proptest::option::of(0.0f64..1.0),
                proptest::option::of(0.0f64..100.0),
            ),
        )
            .prop_map(
                |(
                    wadl,
                    wadl_slope,
                    dbt,
                    (a, b),
                    add,
                    (score, payment_score, rating),
                    (utilisation, discontinuation, elsewhere, open_invoices, promises),
                    (later_than_usual, paid_in_parts, score_before),
                )| {
                    RiskInput {
                        wadl,
                        wadl_slope,
                        dbt,
                        share_over_60: a.max(b),
                        share_over_90: a.min(b),
                        add,
                        open_invoices,
                        score,
                        payment_score,
                        discontinuation,
                        rating,
                        rating_label: None,
                        status: None,
                        utilisation,
                        has_bureau: score.is_some()
                            || payment_score.is_some()
                            || discontinuation.is_some()
                            || rating.is_some()
                            || utilisation.is_some(),
                        elsewhere,
                        promises,
                        later_than_usual,
                        paid_in_parts,
                        score_before: score_before.filter(|_| score.is_some()),
                    }
                },
            )
    }

    /// The same client, one factor worse.
    fn worse(i: &RiskInput, which: u8, by: f64) -> RiskInput {
        let mut w = i.clone();
        match which {
            0 => w.wadl = w.wadl.map(|v| v + by),
            1 => w.wadl_slope = w.wadl_slope.map(|v| v + by),
            2 => w.dbt += by,
            3 => {
                w.share_over_60 = (w.share_over_60 + by / 100.0).min(1.0);
            }
            4 => {
                w.share_over_90 = (w.share_over_90 + by / 100.0).min(w.share_over_60);
            }
            5 => w.add = w.add.map(|v| v + by),
            6 => w.score = w.score.map(|v| (v - by).max(0.0)),
            7 => w.payment_score = w.payment_score.map(|v| (v - by / 10.0).max(0.0)),
            8 => w.rating = w.rating.map(|r| (r + 1).min(9)),
            // A higher discontinuation score is a higher chance of stopping: worse.
            9 => w.discontinuation = w.discontinuation.map(|v| (v + by).min(100.0)),
            10 => w.utilisation = w.utilisation.map(|u| u + by / 10.0),
            // A promise kept becomes one broken (or one more is broken).
            11 => w.promises = w.promises.map(|(kept, broken)| (kept.saturating_sub(1), broken + 1)),
            // Paying later than usual, more invoices in parts, a higher score six months ago.
            13 => w.later_than_usual = w.later_than_usual.map(|v| v + by),
            14 => w.paid_in_parts = w.paid_in_parts.map(|v| (v + by / 100.0).min(1.0)),
            15 => w.score_before = w.score_before.map(|v| (v + by).min(100.0)),
            // Paying the pool's other creditors later.
            _ => w.elsewhere = w.elsewhere.map(|(v, n)| (v + by, n)),
        }
        w
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn a_worse_input_never_lowers_the_score(i in input(), which in 0u8..17, by in 0.0f64..50.0) {
            let (s, b) = (RiskSettings::default(), BureauSettings::default());
            let before = assess(&i, &s, &b);
            let after = assess(&worse(&i, which, by), &s, &b);
            prop_assert!(after.score >= before.score - 1e-9, "factor {which}: {} -> {}", before.score, after.score);
            prop_assert!(after.tier >= before.tier);
            prop_assert!((0.0..=100.0).contains(&after.score));
            prop_assert!(!after.reasons.is_empty());
        }

        /// Counting the signs of change over `min_known_share` of all the weights never raises
        /// a score, and changes nothing for a client with no sign of change.
        #[test]
        fn the_floor_for_signs_of_change_never_raises_a_score(i in input()) {
            let (s, b) = (RiskSettings::default(), BureauSettings::default());
            let in_full = RiskSettings { min_known_share: 0.0, ..RiskSettings::default() };
            let (floored, full) = (assess(&i, &s, &b), assess(&i, &in_full, &b));
            prop_assert!(floored.score <= full.score + 1e-9, "{} > {}", floored.score, full.score);
            let calm = RiskInput { later_than_usual: None, paid_in_parts: None, score_before: None, ..i };
            prop_assert_eq!(assess(&calm, &s, &b).score, assess(&calm, &in_full, &b).score);
        }
    }
}
