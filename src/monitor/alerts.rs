//! Alerts: what changed for each client since the previous run, risks and opportunities alike,
//! each with its previous and current value and a sentence a controller can forward.

use super::history::Entry;
use crate::model::{Currency, format_minor};
use serde::Deserialize;
use std::collections::BTreeMap;

/// `[monitor]` in the configuration: when a change is worth an alert.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Relative change of the credit limit (0.2 = 20 %).
    pub credit_limit_change: f64,
    /// Change of a score as a share of its scale (0.1 = 10 points on 0–100).
    pub score_change: f64,
    pub payment_score_change: f64,
    /// Change of WADL (12 months), in days.
    pub wadl_change_days: f64,
    /// A WADL trend at least this steep (days a month), with WADL up since the last run, is a
    /// client paying later and later.
    pub paying_later_days_per_month: f64,
    /// Rise of the late ratio (0.2 = 20 points).
    pub late_ratio_jump: f64,
    /// Rise of the average agreed terms, in days.
    pub terms_increase_days: f64,
    /// Change of countback DSO, in days, and as a share of the previous value.
    pub dso_change_days: f64,
    pub dso_change_share: f64,
    /// Ledger alerts (WADL, late ratio, DSO, terms) only for clients whose net AR now or
    /// before is at least this much, in currency units: small balances swing without meaning.
    pub min_net_ar: f64,
    /// A client is only "paying later and later" once its WADL is at least this many days.
    pub paying_later_min_wadl: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            credit_limit_change: 0.2,
            score_change: 0.1,
            payment_score_change: 0.1,
            wadl_change_days: 5.0,
            paying_later_days_per_month: 2.0,
            late_ratio_jump: 0.2,
            terms_increase_days: 10.0,
            dso_change_days: 20.0,
            dso_change_share: 0.5,
            min_net_ar: 1000.0,
            paying_later_min_wadl: 5.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub client_id: String,
    pub client_name: String,
    pub kind: &'static str,
    /// `true` for a risk, `false` for an opportunity.
    pub risk: bool,
    pub severity: Severity,
    pub previous: String,
    pub current: String,
    pub message: String,
}

impl Alert {
    pub fn direction(&self) -> &'static str {
        if self.risk { "risk" } else { "opportunity" }
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_default()
}

/// Compares the current run with the previous one. `scales` are the bureau score and payment
/// score ranges (highest − lowest), for the score thresholds. Sorted: severity, then client.
pub fn compare(
    prev: &BTreeMap<String, Entry>,
    cur: &[Entry],
    t: &Thresholds,
    scales: [f64; 2],
    higher_safer: [bool; 2],
    currency: Currency,
) -> Vec<Alert> {
    // Money in the reporting currency's own digits (JPY has none, KWD three).
    let money = |v: i64| format_minor(v, currency.minor_digits());
    let unit = 10f64.powi(currency.minor_digits() as i32);
    let mut out = Vec::new();
    for c in cur {
        let Some(p) = prev.get(&c.client_id) else { continue };
        let mut push =
            |kind: &'static str, risk: bool, severity: Severity, previous: String, current: String, message: String| {
                out.push(Alert {
                    client_id: c.client_id.clone(),
                    client_name: c.client_name.clone(),
                    kind,
                    risk,
                    severity,
                    previous,
                    current,
                    message,
                })
            };
        let name = if c.client_name.is_empty() { c.client_id.clone() } else { c.client_name.clone() };

        // The bureau.
        match (p.in_bureau, c.in_bureau) {
            (false, true) => push(
                "bureau_new",
                false,
                Severity::Low,
                String::new(),
                c.status.clone(),
                format!("{name} now appears in the bureau file"),
            ),
            (true, false) => push(
                "bureau_gone",
                true,
                Severity::Medium,
                p.status.clone(),
                String::new(),
                format!("{name} is no longer in the bureau file: monitoring has stopped"),
            ),
            _ => {}
        }
        if p.in_bureau && c.in_bureau {
            if p.status != c.status && !c.status.is_empty() {
                let distress = c.status != "active";
                let severity = if distress { Severity::Critical } else { Severity::Medium };
                push(
                    "bureau_status",
                    distress,
                    severity,
                    p.status.clone(),
                    c.status.clone(),
                    format!("{name}: legal status changed from {} to {}", or_unknown(&p.status), c.status),
                );
            }
            if let (Some(a), Some(b)) = (p.credit_limit, c.credit_limit) {
                let change = if a > 0 {
                    (b - a) as f64 / a as f64
                } else if b > 0 {
                    1.0
                } else {
                    0.0
                };
                if change.abs() >= t.credit_limit_change {
                    let cut = b < a;
                    push(
                        "credit_limit",
                        cut,
                        if cut && change <= -0.5 { Severity::High } else { Severity::Medium },
                        money(a),
                        money(b),
                        format!(
                            "{name}: credit limit {} from {} to {} ({:+.0} %)",
                            if cut { "cut" } else { "raised" },
                            money(a),
                            money(b),
                            change * 100.0
                        ),
                    );
                }
            }
            for (kind, label, pv, cv, scale, safer, thr) in [
                ("score", "bureau score", p.score, c.score, scales[0], higher_safer[0], t.score_change),
                (
                    "payment_score",
                    "bureau payment score",
                    p.payment_score,
                    c.payment_score,
                    scales[1],
                    higher_safer[1],
                    t.payment_score_change,
                ),
            ] {
                if let (Some(a), Some(b)) = (pv, cv) {
                    if (b - a).abs() >= thr * scale && (b - a).abs() > 0.0 {
                        let worse = if safer { b < a } else { b > a };
                        push(
                            kind,
                            worse,
                            Severity::Medium,
                            format!("{a}"),
                            format!("{b}"),
                            format!("{name}: {label} {} from {a} to {b}", if worse { "fell" } else { "improved" }),
                        );
                    }
                }
            }
            if p.rating != c.rating && (p.rating.is_some() || c.rating.is_some()) {
                let (a, b) = (p.rating.map(|x| x as i64), c.rating.map(|x| x as i64));
                let (worse, notches) = match (a, b) {
                    (Some(a), Some(b)) => (b > a, (b - a).abs()),
                    (None, Some(_)) => (false, 0),
                    (Some(_), None) => (true, 0),
                    (None, None) => (false, 0),
                };
                push(
                    "rating",
                    worse,
                    if worse && notches >= 2 { Severity::High } else { Severity::Medium },
                    p.rating_label.clone(),
                    c.rating_label.clone(),
                    format!(
                        "{name}: rating {} from {} to {}",
                        if worse { "downgraded" } else { "upgraded" },
                        or_unknown(&p.rating_label),
                        or_unknown(&c.rating_label)
                    ),
                );
            }
            for (kind, label, a, b, severity) in [
                ("address", "address", &p.address, &c.address, Severity::Low),
                ("board", "board", &p.board, &c.board, Severity::Medium),
                ("name", "registered name", &p.bureau_name, &c.bureau_name, Severity::Low),
                ("legal_form", "legal form", &p.legal_form, &c.legal_form, Severity::Low),
            ] {
                if a != b && !(a.is_empty() && b.is_empty()) {
                    push(
                        kind,
                        true,
                        severity,
                        a.clone(),
                        b.clone(),
                        format!("{name}: {label} changed from {} to {}", or_unknown(a), or_unknown(b)),
                    );
                }
            }
            if let (Some(l0), Some(l1)) = (p.credit_limit, c.credit_limit) {
                let over = |ar: i64, l: i64| ar > l;
                match (over(p.net_ar, l0), over(c.net_ar, l1)) {
                    (false, true) => push(
                        "over_limit",
                        true,
                        Severity::High,
                        money(p.net_ar),
                        money(c.net_ar),
                        format!("{name}: exposure {} is now over the credit limit of {}", money(c.net_ar), money(l1)),
                    ),
                    (true, false) => push(
                        "over_limit",
                        false,
                        Severity::Low,
                        money(p.net_ar),
                        money(c.net_ar),
                        format!(
                            "{name}: exposure {} is back within the credit limit of {}",
                            money(c.net_ar),
                            money(l1)
                        ),
                    ),
                    _ => {}
                }
            }
        }

        // The ledger, for balances that matter.
        let material = p.net_ar.max(c.net_ar) as f64 >= t.min_net_ar * unit;
        if let (true, Some(a), Some(b)) = (material, p.wadl_12m, c.wadl_12m) {
            if (b - a).abs() >= t.wadl_change_days {
                let worse = b > a;
                push(
                    "wadl",
                    worse,
                    Severity::Medium,
                    num(Some(a)),
                    num(Some(b)),
                    format!(
                        "{name}: pays {} on average, {:.1} days late instead of {a:.1}",
                        if worse { "later" } else { "sooner" },
                        b
                    ),
                );
            }
            if b > a
                && b >= t.paying_later_min_wadl
                && c.wadl_slope_6m.is_some_and(|s| s >= t.paying_later_days_per_month)
            {
                push(
                    "paying_later",
                    true,
                    Severity::Medium,
                    num(Some(a)),
                    num(Some(b)),
                    format!(
                        "{name} is paying later and later: WADL rising {:.1} days a month over 6 months, now {b:.1} days",
                        c.wadl_slope_6m.unwrap_or(0.0)
                    ),
                );
            }
        }
        if let (true, Some(a), Some(b)) = (material, p.late_ratio_12m, c.late_ratio_12m) {
            if b - a >= t.late_ratio_jump {
                push(
                    "late_ratio",
                    true,
                    Severity::Medium,
                    format!("{a:.4}"),
                    format!("{b:.4}"),
                    format!("{name}: share of invoices paid late rose from {:.0} % to {:.0} %", a * 100.0, b * 100.0),
                );
            }
        }
        if p.overdue_91_plus == 0 && c.overdue_91_plus > 0 {
            push(
                "overdue_91",
                true,
                Severity::Medium,
                money(0),
                money(c.overdue_91_plus),
                format!("{name}: a first invoice is more than 90 days past due ({} open)", money(c.overdue_91_plus)),
            );
        }
        if let (true, Some(a), Some(b)) = (material, p.avg_terms_days, c.avg_terms_days) {
            if b - a >= t.terms_increase_days {
                push(
                    "payment_terms",
                    true,
                    Severity::Medium,
                    num(Some(a)),
                    num(Some(b)),
                    format!("{name}: agreed payment terms lengthened from {a:.0} to {b:.0} days on average"),
                );
            }
        }
        if let (true, Some(a), Some(b)) = (material, p.dso_countback, c.dso_countback) {
            if (b - a).abs() >= t.dso_change_days && (b - a).abs() >= t.dso_change_share * a {
                let worse = b > a;
                push(
                    "dso",
                    worse,
                    Severity::Medium,
                    num(Some(a)),
                    num(Some(b)),
                    format!("{name}: countback DSO {} from {a:.1} to {b:.1} days", if worse { "rose" } else { "fell" }),
                );
            }
        }
        if p.risk_tier != c.risk_tier && !p.risk_tier.is_empty() {
            use crate::analytics::risk::Tier;
            if let (Some(a), Some(b)) = (Tier::from_label(&p.risk_tier), Tier::from_label(&c.risk_tier)) {
                let worse = b > a;
                let severity = match (worse, b) {
                    (true, Tier::Critical) => Severity::Critical,
                    (true, Tier::High) => Severity::High,
                    (true, _) => Severity::Medium,
                    (false, _) => Severity::Low,
                };
                push(
                    "risk_tier",
                    worse,
                    severity,
                    p.risk_tier.clone(),
                    c.risk_tier.clone(),
                    format!(
                        "{name}: risk tier {} from {} to {}",
                        if worse { "up" } else { "down" },
                        p.risk_tier,
                        c.risk_tier
                    ),
                );
            }
        }
    }
    out.sort_by(|a, b| (a.severity, !a.risk, &a.client_id, a.kind).cmp(&(b.severity, !b.risk, &b.client_id, b.kind)));
    out
}

fn or_unknown(s: &str) -> &str {
    if s.is_empty() { "(none)" } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            client_id: "K1".into(),
            client_name: "Brasserie Zoë".into(),
            net_ar: 10_000_00,
            wadl_12m: Some(5.0),
            late_ratio_12m: Some(0.2),
            wadl_slope_6m: Some(0.0),
            dso_countback: Some(40.0),
            avg_terms_days: Some(30.0),
            in_bureau: true,
            credit_limit: Some(50_000_00),
            score: Some(70.0),
            payment_score: Some(7.0),
            rating: Some(3),
            rating_label: "BBB".into(),
            status: "active".into(),
            address: "Markt 1, 2000 Antwerpen".into(),
            board: "An Peeters".into(),
            bureau_name: "Brasserie Zoë NV".into(),
            legal_form: "NV".into(),
            risk_score: Some(20.0),
            risk_tier: "low".into(),
            ..Default::default()
        }
    }

    fn run(change: impl Fn(&mut Entry)) -> Vec<Alert> {
        let p = entry();
        let mut c = entry();
        change(&mut c);
        let prev = BTreeMap::from([(p.client_id.clone(), p)]);
        compare(&prev, &[c], &Thresholds::default(), [100.0, 10.0], [true, true], Currency::EUR)
    }

    fn kinds(a: &[Alert]) -> Vec<(&str, &str, &str)> {
        a.iter().map(|x| (x.kind, x.direction(), x.severity.label())).collect()
    }

    #[test]
    fn nothing_changed_nothing_said() {
        assert!(run(|_| {}).is_empty());
    }

    #[test]
    fn every_kind_fires() {
        assert_eq!(kinds(&run(|c| c.status = "bankrupt".into())), [("bureau_status", "risk", "critical")]);
        assert_eq!(
            kinds(&run(|c| c.status = "judicial reorganisation".into())),
            [("bureau_status", "risk", "critical")]
        );
        assert_eq!(kinds(&run(|c| c.credit_limit = Some(20_000_00))), [("credit_limit", "risk", "high")]);
        assert_eq!(kinds(&run(|c| c.credit_limit = Some(80_000_00))), [("credit_limit", "opportunity", "medium")]);
        assert_eq!(kinds(&run(|c| c.score = Some(55.0))), [("score", "risk", "medium")]);
        assert_eq!(kinds(&run(|c| c.score = Some(95.0))), [("score", "opportunity", "medium")]);
        assert_eq!(kinds(&run(|c| c.payment_score = Some(5.0))), [("payment_score", "risk", "medium")]);
        let a = run(|c| {
            c.rating = Some(5);
            c.rating_label = "B".into()
        });
        assert_eq!(kinds(&a), [("rating", "risk", "high")]);
        assert!(a[0].message.contains("downgraded from BBB to B"), "{}", a[0].message);
        assert_eq!(
            kinds(&run(|c| {
                c.rating = Some(2);
                c.rating_label = "A".into()
            })),
            [("rating", "opportunity", "medium")]
        );
        assert_eq!(kinds(&run(|c| c.address = "Meir 12, 2000 Antwerpen".into())), [("address", "risk", "low")]);
        assert_eq!(kinds(&run(|c| c.board = "Luc Janssens".into())), [("board", "risk", "medium")]);
        assert_eq!(kinds(&run(|c| c.bureau_name = "Zoë Holding NV".into())), [("name", "risk", "low")]);
        assert_eq!(kinds(&run(|c| c.legal_form = "BV".into())), [("legal_form", "risk", "low")]);
        assert_eq!(kinds(&run(|c| c.net_ar = 60_000_00)), [("over_limit", "risk", "high")]);
        assert_eq!(kinds(&run(|c| c.wadl_12m = Some(12.0))), [("wadl", "risk", "medium")]);
        assert_eq!(kinds(&run(|c| c.wadl_12m = Some(0.0))), [("wadl", "opportunity", "medium")]);
        let a = run(|c| {
            c.wadl_12m = Some(7.0);
            c.wadl_slope_6m = Some(2.5)
        });
        assert_eq!(kinds(&a), [("paying_later", "risk", "medium")]);
        assert_eq!(kinds(&run(|c| c.late_ratio_12m = Some(0.45))), [("late_ratio", "risk", "medium")]);
        assert_eq!(kinds(&run(|c| c.overdue_91_plus = 1_00)), [("overdue_91", "risk", "medium")]);
        assert_eq!(kinds(&run(|c| c.avg_terms_days = Some(45.0))), [("payment_terms", "risk", "medium")]);
        assert_eq!(kinds(&run(|c| c.dso_countback = Some(65.0))), [("dso", "risk", "medium")]);
        // 40 -> 55 days: 15 days is below the threshold of 20.
        assert!(run(|c| c.dso_countback = Some(55.0)).is_empty());
        // A small balance swings without meaning.
        let mut p = entry();
        p.net_ar = 400_00;
        let mut c = p.clone();
        c.net_ar = 500_00;
        c.dso_countback = Some(90.0);
        let prev = BTreeMap::from([(p.client_id.clone(), p)]);
        assert!(compare(&prev, &[c], &Thresholds::default(), [100.0, 10.0], [true, true], Currency::EUR).is_empty());
        assert_eq!(kinds(&run(|c| c.risk_tier = "high".into())), [("risk_tier", "risk", "high")]);
        assert_eq!(kinds(&run(|c| c.risk_tier = "critical".into())), [("risk_tier", "risk", "critical")]);
        assert_eq!(kinds(&run(|c| c.in_bureau = false)), [("bureau_gone", "risk", "medium")]);
    }

    #[test]
    fn new_in_bureau_and_clients_without_history() {
        let mut p = entry();
        p.in_bureau = false;
        let prev = BTreeMap::from([(p.client_id.clone(), p)]);
        let a = compare(&prev, &[entry()], &Thresholds::default(), [100.0, 10.0], [true, true], Currency::EUR);
        assert_eq!(kinds(&a), [("bureau_new", "opportunity", "low")]);
        // A client the previous run did not know gives no alert.
        let mut other = entry();
        other.client_id = "K2".into();
        assert!(
            compare(&prev, &[other], &Thresholds::default(), [100.0, 10.0], [true, true], Currency::EUR).is_empty()
        );
    }

    #[test]
    fn sorted_by_severity() {
        let a = run(|c| {
            c.status = "bankrupt".into();
            c.address = "elsewhere".into();
            c.credit_limit = Some(0);
        });
        let sev: Vec<_> = a.iter().map(|x| x.severity).collect();
        let mut sorted = sev.clone();
        sorted.sort();
        assert_eq!(sev, sorted);
        assert_eq!(a[0].kind, "bureau_status");
    }
}
