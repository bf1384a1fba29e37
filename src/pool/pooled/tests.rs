//! Unit tests of `pooled.rs`: the figures, the rules applied per viewer, and differencing.
use super::*;

/// A creditor's share: settled (count, late count, amount, days-late sum) in the 12 months,
/// and (exposure = open, Σ open × days past due, open over 90 days).
fn share(name: &str, settled: (i128, i128, i128, i128), open: (i128, i128, i128)) -> Share {
    Share {
        contributor: name.into(),
        now: Sums { paid: settled.0, late: settled.1, amount: settled.2, amount_days_late: settled.3 },
        exposure: open.0,
        open: open.0,
        open_days_overdue: open.1,
        open_over_90: open.2,
        ..Share::default()
    }
}

fn debtor(shares: Vec<Share>) -> Debtor {
    Debtor { company_number: "BE0403019261".into(), currency: "EUR".into(), shares }
}

/// What `A` is shown about the debtor, rounded as the file writes it.
fn shown_to_a(shares: Vec<Share>) -> String {
    let views = elsewhere(&[debtor(shares)], &Rules::default());
    let e = &views["A"][0];
    let f = &e.figures;
    let r = |x: Option<f64>| x.map(|x| format!("{x:.4}")).unwrap_or_default();
    format!(
        "{} {:?} {} {} {} {} {} {} {}",
        f.creditors,
        e.exposure_band,
        r(f.late_ratio),
        r(f.wadl),
        r(f.wadl_spread),
        r(f.dbt),
        r(f.over_90_share),
        r(f.wadl_trend),
        f.note
    )
}

#[test]
fn pooled_figures_are_the_sums_of_the_others_and_never_ones_own() {
    let shares = vec![
        share("A", (100, 100, 1_000_00, 1_000_00 * 90), (50_000_00, 50_000_00 * 90, 50_000_00)),
        share("B", (10, 3, 1_000_00, 1_000_00 * 10), (5_000_00, 5_000_00 * 10, 0)),
        share("C", (10, 5, 3_000_00, 3_000_00 * 20), (5_000_00, 5_000_00 * 30, 1_000_00)),
        share("D", (20, 4, 4_000_00, 4_000_00 * 5), (10_000_00, 0, 0)),
    ];
    let views = elsewhere(&[debtor(shares)], &Rules::default());
    let f = &views["A"][0].figures;
    assert_eq!(f.creditors, 3);
    assert_eq!(f.late_ratio, Some(12.0 / 40.0));
    assert_eq!(f.wadl, Some((10.0 * 1000.0 + 20.0 * 3000.0 + 5.0 * 4000.0) / 8000.0));
    assert_eq!(f.wadl_spread, Some(15.0));
    assert_eq!(f.dbt, Some((5_000.0 * 10.0 + 5_000.0 * 30.0) / 20_000.0));
    assert_eq!(f.over_90_share, Some(0.05));
    assert_eq!(views["A"][0].exposure_band, Some((20_000_00, 50_000_00)), "20,000 EUR elsewhere");
    assert_eq!(f.note, "");
    // B's view holds A's 90 days late instead of its own 10.
    assert_eq!(views["B"][0].figures.wadl, Some((90.0 * 1000.0 + 20.0 * 3000.0 + 5.0 * 4000.0) / 8000.0));
}

#[test]
fn too_few_or_one_dominating_creditor_suppresses_the_figures() {
    let two = vec![
        share("A", (1, 0, 100, 0), (100, 0, 0)),
        share("B", (10, 3, 1_000, 5_000), (1_000, 0, 0)),
        share("C", (10, 3, 1_000, 5_000), (1_000, 0, 0)),
    ];
    let views = elsewhere(&[debtor(two)], &Rules::default());
    let f = &views["A"][0].figures;
    assert_eq!((f.creditors, f.wadl, f.dbt, views["A"][0].exposure_band), (2, None, None, None));
    assert_eq!(f.note, "payments: fewer than 3 creditors (2); open amounts: fewer than 3 creditors (2)");
    let dominated = vec![
        share("A", (1, 0, 100, 0), (100, 0, 0)),
        share("B", (10, 3, 8_000, 5_000), (1_000, 0, 0)),
        share("C", (10, 3, 1_000, 5_000), (1_000, 0, 0)),
        share("D", (10, 3, 1_000, 5_000), (1_000, 0, 0)),
    ];
    let views = elsewhere(&[debtor(dominated)], &Rules::default());
    let f = &views["A"][0].figures;
    assert_eq!((f.wadl, f.late_ratio, f.wadl_spread), (None, None, None));
    assert_eq!(f.note, "payments: one creditor holds more than 75 % of it");
    assert!(f.dbt.is_some(), "the open amounts are spread evenly: published");
}

/// The differencing attack: A sees the pool with and without E (E joined, or left, between
/// two pool runs). Two different worlds, in which E's own figures differ, show A exactly the
/// same thing in both runs, so nothing A sees can give E's values.
#[test]
fn differencing_two_pools_with_and_without_one_creditor_does_not_give_its_values() {
    let a = share("A", (5, 1, 500_00, 500_00 * 3), (2_000_00, 0, 0));
    // World 1: B, C, D, and E with WADL 40, late ratio 0.6, DBT 60, over-90 share 50 %.
    let bcd1 = vec![
        share("B", (10, 3, 1_000_00, 1_000_00 * 10), (10_000_00, 10_000_00 * 20, 1_000_00)),
        share("C", (10, 5, 1_000_00, 1_000_00 * 20), (10_000_00, 10_000_00 * 20, 1_000_00)),
        share("D", (10, 4, 1_000_00, 1_000_00 * 30), (10_000_00, 10_000_00 * 20, 1_000_00)),
    ];
    let e1 = share("E", (10, 6, 1_000_00, 1_000_00 * 40), (10_000_00, 10_000_00 * 60, 5_000_00));
    // World 2: other B, C, D (WADL 5, 15, 25 weighted to the same 20), and E with WADL 35,
    // late ratio 0.525, DBT 55.8, over-90 share 45.8 %, a larger exposure.
    let bcd2 = vec![
        share("B", (20, 6, 1_000_00, 1_000_00 * 5), (10_000_00, 10_000_00 * 20, 1_000_00)),
        share("C", (20, 8, 1_000_00, 1_000_00 * 15), (10_000_00, 10_000_00 * 20, 1_000_00)),
        share("D", (20, 10, 4_000_00, 4_000_00 * 25), (11_000_00, 11_000_00 * 20, 1_100_00)),
    ];
    let e2 = share("E", (40, 21, 3_000_00, 3_000_00 * 35), (12_000_00, 670_000_00, 5_500_00));
    assert_ne!(e1.now.wadl(), e2.now.wadl());
    let with = |bcd: &[Share], e: &Share| [vec![a.clone()], bcd.to_vec(), vec![e.clone()]].concat();
    let without = |bcd: &[Share]| [vec![a.clone()], bcd.to_vec()].concat();
    assert_eq!(shown_to_a(with(&bcd1, &e1)), shown_to_a(with(&bcd2, &e2)), "with E");
    assert_eq!(shown_to_a(without(&bcd1)), shown_to_a(without(&bcd2)), "without E");
    // And the figures are published in both runs: the rules did not merely hide them.
    for shown in [shown_to_a(without(&bcd1)), shown_to_a(with(&bcd1, &e1))] {
        assert!(!shown.contains("fewer") && !shown.contains("holds"), "{shown}");
    }
    assert_ne!(shown_to_a(with(&bcd1, &e1)), shown_to_a(without(&bcd1)));
}
