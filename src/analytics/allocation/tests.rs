//! Unit tests of `allocation.rs`, kept beside it in their own file.
use super::*;
use crate::model::{Currency, Origin, TextRef};
use std::cell::RefCell;

thread_local! {
    static TEXTS: RefCell<Texts> = RefCell::new(Texts::default());
}
fn t(s: &str) -> TextRef {
    TEXTS.with(|x| x.borrow_mut().push(s).unwrap())
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn inv(id: &str, issue: &str, due: &str, amount: i64) -> Document {
    Document::invoice(0, t(id), d(issue), d(due), amount)
}
fn cn(id: &str, date: &str, amount: i64, reference: Option<&str>) -> Document {
    Document { kind: DocKind::CreditNote, reference: reference.map(t), ..inv(id, date, date, amount) }
}
fn pay(id: &str, date: &str, amount: i64, reference: Option<&str>) -> Payment {
    Payment {
        client: 0,
        id: t(id),
        date: d(date),
        amount,
        currency: Currency::EUR,
        reference: reference.map(t),
        origin: Origin::default(),
    }
}
/// The texts the helpers wrote, for the replay (a leaked copy lives as long as the test).
fn texts() -> &'static Texts {
    Box::leak(Box::new(TEXTS.with(|x| x.borrow().clone())))
}
fn run<'a>(docs: &'a [Document], pays: &'a [Payment]) -> Outcome<'a> {
    run_at(docs, pays, &[])
}
fn run_at<'a>(docs: &'a [Document], pays: &'a [Payment], ends: &[NaiveDate]) -> Outcome<'a> {
    let dr: Vec<&Document> = docs.iter().collect();
    let pr: Vec<&Payment> = pays.iter().collect();
    allocate(&dr, &pr, texts(), Box::leak(Box::new(Fx::none(Currency::EUR))), ends).unwrap()
}
fn state<'a, 'b>(o: &'b Outcome<'a>, id: &str) -> &'b InvoiceState<'a> {
    o.invoices.iter().find(|s| s.id == id).unwrap()
}

#[test]
fn partial_payments_settle_on_the_last_one() {
    let docs = [inv("I1", "2025-01-01", "2025-01-31", 100_00)];
    let pays = [pay("P1", "2025-01-20", 30_00, Some("I1")), pay("P2", "2025-02-10", 70_00, Some("I1"))];
    let o = run(&docs, &pays);
    let s = state(&o, "I1");
    assert_eq!(s.open, 0);
    assert_eq!(s.settled, Some(d("2025-02-10")));
    assert_eq!(s.allocations.len(), 2);
    assert!(s.is_paid());
}

#[test]
fn referenced_payment_spills_oldest_first() {
    let docs = [
        inv("A", "2025-01-10", "2025-03-10", 100_00),
        inv("B", "2025-01-05", "2025-02-05", 50_00),
        inv("C", "2025-01-01", "2025-02-20", 50_00),
    ];
    let pays = [pay("P", "2025-02-01", 120_00, Some("A"))];
    let o = run(&docs, &pays);
    assert_eq!(state(&o, "A").open, 0);
    // B is due first (5 Feb), so the 20 left goes there, not to C (issued earlier, due later).
    assert_eq!(state(&o, "B").open, 30_00);
    assert_eq!(state(&o, "C").open, 50_00);
    assert!(o.unapplied.is_empty());
}

#[test]
fn credit_note_cancelling_an_invoice_is_credited_not_paid() {
    let docs = [inv("I1", "2025-01-01", "2025-01-31", 100_00), cn("CN1", "2025-01-15", 100_00, Some("I1"))];
    let o = run(&docs, &[]);
    let s = state(&o, "I1");
    assert_eq!(s.settled, Some(d("2025-01-15")));
    assert!(s.is_credited());
    assert!(!s.is_paid());
}

#[test]
fn unapplied_credit_is_consumed_by_a_later_invoice() {
    let docs = [inv("I2", "2025-03-01", "2025-03-31", 80_00)];
    let pays = [pay("P1", "2025-02-01", 50_00, None)];
    let o = run_at(&docs, &pays, &[d("2025-02-28"), d("2025-03-31")]);
    // At the end of February the payment is unapplied credit: net AR is negative.
    assert_eq!(o.snapshots[0].ar, -50_00);
    let s = state(&o, "I2");
    assert_eq!(s.open, 30_00);
    assert_eq!(
        s.allocations.as_slice(),
        [Allocation { date: d("2025-03-01"), amount: 50_00, kind: AllocKind::Payment }]
    );
    assert!(o.unapplied.is_empty());
    assert_eq!(o.snapshots[1].ar, 30_00);
    assert_eq!(o.snapshots[1].current, 30_00);
}

#[test]
fn reversal_reopens_a_settled_invoice() {
    let docs = [inv("I1", "2025-01-01", "2025-01-31", 100_00), inv("I2", "2025-01-02", "2025-02-01", 40_00)];
    let pays = [
        pay("P1", "2025-01-20", 100_00, Some("I1")),
        pay("P2", "2025-01-25", 40_00, Some("I2")),
        pay("R1", "2025-02-05", -100_00, None),
    ];
    let o = run(&docs, &pays);
    // Unreferenced: the latest settlement (I2, 25 Jan) is undone first, then I1 for the rest.
    assert_eq!(state(&o, "I2").open, 40_00);
    assert_eq!(state(&o, "I2").settled, None);
    assert_eq!(state(&o, "I1").open, 60_00);
    assert_eq!(state(&o, "I1").settled, None);
    // Paying again settles on the new date.
    let mut pays2 = pays.to_vec();
    pays2.push(pay("P3", "2025-02-20", 100_00, None));
    let o = run(&docs, &pays2);
    assert_eq!(state(&o, "I1").settled, Some(d("2025-02-20")));
    assert_eq!(state(&o, "I2").settled, Some(d("2025-02-20")));
}

#[test]
fn reversal_reopens_the_invoice_settled_last_among_those_of_one_date() {
    // One payment settles INV9 (due first) and then INV10 on the same day. The reversal
    // reopens INV10, settled later in processing order, although "INV9" > "INV10" as text.
    let docs = [inv("INV9", "2025-01-01", "2025-01-31", 100_00), inv("INV10", "2025-01-01", "2025-02-15", 100_00)];
    let pays = [pay("P1", "2025-01-20", 200_00, None), pay("R1", "2025-02-05", -100_00, None)];
    let o = run(&docs, &pays);
    assert_eq!(state(&o, "INV10").open, 100_00);
    assert_eq!(state(&o, "INV9").open, 0);
    assert_eq!(state(&o, "INV9").settled, Some(d("2025-01-20")));
}

#[test]
fn many_reversals_over_many_settled_invoices_stay_exact() {
    // The ordered set of settled invoices is kept across reversals: each reversal undoes
    // the latest settlement still standing, as a scan of every invoice would.
    let days: Vec<String> = (0..60).map(|k| (d("2025-01-01") + chrono::Duration::days(k)).to_string()).collect();
    let docs: Vec<Document> = (0..60).map(|k| inv(&format!("I{k}"), &days[0], &days[59], 10_00)).collect();
    let mut pays: Vec<Payment> =
        (0..60).map(|k| pay(&format!("P{k}"), &days[k], 10_00, Some(&format!("I{k}")))).collect();
    pays.push(pay("R1", "2025-04-01", -25_00, None));
    pays.push(pay("R2", "2025-04-02", -10_00, None));
    let o = run(&docs, &pays);
    for k in 0..60 {
        // R1 reopens I59, I58 and half of I57; R2 goes to the settled invoices before the
        // partly paid one (spec section 2, rule 5): I56.
        let expected = match k {
            59 | 58 | 56 => 10_00,
            57 => 5_00,
            _ => 0,
        };
        assert_eq!(state(&o, &format!("I{k}")).open, expected, "I{k}");
    }
}

#[test]
fn referenced_reversal_and_debit_balance() {
    let docs = [inv("I1", "2025-01-01", "2025-01-31", 100_00)];
    let pays = [pay("P1", "2025-01-20", 100_00, Some("I1")), pay("R1", "2025-01-25", -130_00, Some("I1"))];
    let o = run(&docs, &pays);
    assert_eq!(state(&o, "I1").open, 100_00);
    // 30 more than was ever paid: a debit balance (negative unapplied credit).
    assert_eq!(o.unapplied, vec![(Currency::EUR, -30_00)]);
    assert_eq!(o.unmatched_reversals.len(), 1);
}

#[test]
fn reversal_undoes_unapplied_credit_first_but_never_credit_notes() {
    let docs = [inv("I1", "2025-01-01", "2025-01-31", 100_00), cn("CN1", "2025-01-05", 100_00, Some("I1"))];
    let pays = [pay("P1", "2025-01-10", 50_00, None), pay("R1", "2025-01-12", -80_00, None)];
    let o = run(&docs, &pays);
    // P1 found nothing open: unapplied. R1 takes those 50 back; the credit note stays.
    assert_eq!(state(&o, "I1").open, 0);
    assert!(state(&o, "I1").is_credited());
    assert_eq!(o.unapplied, vec![(Currency::EUR, -30_00)]);
}

#[test]
fn unknown_and_future_references_fall_back_to_oldest_first() {
    let docs = [inv("I1", "2025-01-01", "2025-01-31", 100_00), inv("I9", "2025-03-01", "2025-03-31", 10_00)];
    let pays = [pay("P1", "2025-02-01", 60_00, Some("NOPE")), pay("P2", "2025-02-02", 10_00, Some("I9"))];
    let o = run(&docs, &pays);
    assert_eq!(state(&o, "I1").open, 30_00);
    assert_eq!(o.ref_problems.len(), 2);
    assert!(!o.ref_problems[0].not_yet_issued);
    assert!(o.ref_problems[1].not_yet_issued);
}

#[test]
fn same_day_order_is_invoices_credit_notes_payments_then_id_bytes() {
    // A payment dated on the invoice's issue date finds the invoice already there.
    let docs = [inv("INV9", "2025-01-01", "2025-01-31", 10_00), inv("INV10", "2025-01-01", "2025-01-31", 10_00)];
    let pays = [pay("P", "2025-01-01", 10_00, None)];
    let o = run(&docs, &pays);
    // Same due and issue date: byte order of ids picks INV10 before INV9.
    assert_eq!(state(&o, "INV10").open, 0);
    assert_eq!(state(&o, "INV9").open, 10_00);
    assert_eq!(o.invoices[0].id, "INV10");
}

#[test]
fn a_payment_in_another_currency_is_converted_at_its_date() {
    let usd = Currency::parse("USD").unwrap();
    let fx: &'static Fx = Box::leak(Box::new(
        Fx::from_csv("date,currency,rate\n2025-01-01,USD,0.80\n2025-02-01,USD,0.90\n", "fx", Currency::EUR).unwrap(),
    ));
    let docs = [inv("I1", "2025-01-01", "2025-01-31", 90_00)];
    // 100 USD on 1 February is 90 EUR: the invoice is settled, nothing is left over.
    let pays = [Payment { currency: usd, ..pay("P1", "2025-02-01", 100_00, Some("I1")) }];
    let dr: Vec<&Document> = docs.iter().collect();
    let pr: Vec<&Payment> = pays.iter().collect();
    let o = allocate(&dr, &pr, texts(), fx, &[d("2025-01-31")]).unwrap();
    assert_eq!(state(&o, "I1").open, 0);
    assert!(o.unapplied.is_empty());
    // A USD invoice open at the end of January counts at January's rate in EUR.
    let docs = [Document { currency: usd, ..inv("I2", "2025-01-05", "2025-02-05", 100_00) }];
    let dr: Vec<&Document> = docs.iter().collect();
    let o = allocate(&dr, &[], texts(), fx, &[d("2025-01-31")]).unwrap();
    assert_eq!(o.snapshots[0].ar, 80_00);
    // Without a rate the replay stops with an error naming currency and date.
    let jpy = Currency::parse("JPY").unwrap();
    let docs = [Document { currency: jpy, ..inv("I3", "2025-01-05", "2025-02-05", 100) }];
    let dr: Vec<&Document> = docs.iter().collect();
    let e = allocate(&dr, &[], texts(), fx, &[d("2025-01-31")]).unwrap_err();
    let e = e.to_string();
    assert!(e.contains("JPY") && e.contains("2025-01-31"), "{e}");
}

/// The instalments of one invoice, as the schedule step makes them: consecutive documents
/// sharing the id and the issue date, numbered in due order.
fn scheduled(id: &str, issue: &str, lines: &[(&str, i64)]) -> Vec<Document> {
    lines
        .iter()
        .enumerate()
        .map(|(k, &(due, amount))| Document { instalment: k as u8 + 1, ..inv(id, issue, due, amount) })
        .collect()
}

fn open_by_instalment(o: &Outcome<'_>, id: &str) -> Vec<(u8, i64, i64)> {
    o.invoices.iter().filter(|s| s.id == id).map(|s| (s.doc.instalment, s.doc.amount - s.open, s.open)).collect()
}

#[test]
fn instalments_are_settled_in_due_order_as_erpnext_reports_them() {
    // ERPNext's test_accounts_receivable_with_payment: 100 with 30/50/20 due at +30/+60/+90,
    // a payment of 40 against the invoice: the first term paid, (50, 10 paid, 40 open),
    // (20, 0, 20).
    let docs = scheduled("SI-1", "2026-01-01", &[("2026-01-31", 30_00), ("2026-03-02", 50_00), ("2026-04-01", 20_00)]);
    let o = run(&docs, &[]);
    assert_eq!(open_by_instalment(&o, "SI-1"), [(1, 0, 30_00), (2, 0, 50_00), (3, 0, 20_00)]);
    let pays = [pay("PE-1", "2026-01-01", 40_00, Some("SI-1"))];
    let o = run(&docs, &pays);
    assert_eq!(open_by_instalment(&o, "SI-1"), [(1, 30_00, 0), (2, 10_00, 40_00), (3, 0, 20_00)]);
    assert_eq!(o.invoices[0].settled, Some(d("2026-01-01")));

    // test_accounts_receivable_with_partial_payment: 200 with 60/100/40 and a payment of 40:
    // (60, 40, 20), (100, 0, 100), (40, 0, 40); then a credit note of 100 against it settles
    // the earliest terms first: the first term's 20, then 80 of the second (20 open), the
    // third stays at 40.
    let docs = scheduled("SI-2", "2026-01-01", &[("2026-01-31", 60_00), ("2026-03-02", 100_00), ("2026-04-01", 40_00)]);
    let mut pays = vec![pay("PE-2", "2026-01-02", 40_00, Some("SI-2"))];
    let o = run(&docs, &pays);
    assert_eq!(open_by_instalment(&o, "SI-2"), [(1, 40_00, 20_00), (2, 0, 100_00), (3, 0, 40_00)]);
    let mut all = docs.clone();
    all.push(cn("CN-2", "2026-01-03", 100_00, Some("SI-2")));
    let o = run(&all, &pays);
    assert_eq!(open_by_instalment(&o, "SI-2"), [(1, 60_00, 0), (2, 80_00, 20_00), (3, 0, 40_00)]);
    assert!(o.unapplied.is_empty());

    // A reversal of the payment takes back the referenced invoice's money, last term first.
    pays.push(pay("PE-2R", "2026-01-04", -40_00, Some("SI-2")));
    let o = run(&docs, &pays);
    assert_eq!(open_by_instalment(&o, "SI-2"), [(1, 0, 60_00), (2, 0, 100_00), (3, 0, 40_00)]);
}

#[test]
fn an_unreferenced_payment_settles_the_oldest_due_item_whatever_its_invoice() {
    // Oldest first is by due date across invoices: an ordinary invoice due between two terms
    // is paid after the first term and before the second.
    let mut docs = scheduled("S", "2026-01-01", &[("2026-01-31", 30_00), ("2026-03-02", 70_00)]);
    docs.push(inv("P", "2026-01-10", "2026-02-09", 50_00));
    let pays = [pay("X", "2026-02-20", 60_00, None)];
    let o = run(&docs, &pays);
    assert_eq!(open_by_instalment(&o, "S"), [(1, 30_00, 0), (2, 0, 70_00)]);
    assert_eq!(state(&o, "P").open, 20_00);
    // More than the invoice: the rest goes oldest first to the other invoice.
    let pays = [pay("Y", "2026-02-20", 120_00, Some("S"))];
    let o = run(&docs, &pays);
    assert_eq!(open_by_instalment(&o, "S"), [(1, 30_00, 0), (2, 70_00, 0)]);
    assert_eq!(state(&o, "P").open, 30_00);
}
