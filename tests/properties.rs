//! Property tests on random ledgers: the invariants every figure must keep, whatever the data.

use arwatch::analytics::{Settings, analyse, invoice_outcomes};
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
            Ev::Inv { client, day, terms, amount } => l.documents.push(Document {
                client,
                id: l.texts.push(&format!("I{n}")).unwrap(),
                kind: DocKind::Invoice,
                issue: base() + Duration::days(day),
                due: base() + Duration::days(day + terms),
                amount,
                currency: Currency::EUR,
                reference: None,
                disputed: false,
                origin: Origin::default(),
            }),
            Ev::Cn { client, day, amount, reference } => l.documents.push(Document {
                client,
                id: l.texts.push(&format!("N{n}")).unwrap(),
                kind: DocKind::CreditNote,
                issue: base() + Duration::days(day),
                due: base() + Duration::days(day),
                amount,
                currency: Currency::EUR,
                reference: reference.map(|r| l.texts.push(&format!("I{r}")).unwrap()),
                disputed: false,
                origin: Origin::default(),
            }),
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
        for o in invoice_outcomes(&l, as_of(day)) {
            prop_assert!(o.open >= 0 && o.open <= o.amount, "{:?}", o);
            prop_assert_eq!(o.settled.is_some(), o.open == 0);
            if let Some(late) = o.days_late {
                prop_assert!(late >= 0);
            }
        }
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
