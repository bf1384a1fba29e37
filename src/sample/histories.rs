//! Generated ledgers that tell the truth about failures (`arwatch sample --histories N`), for
//! measuring the early warning (docs/monitoring.md): three years of invoices, payments and
//! monthly bureau snapshots of N clients. A company heading for failure shows it first in how
//! it pays (later and later, in parts, then not at all), then in the bureau's scores, then in
//! its status; some fail with little warning. Healthy clients include ones that pay late for
//! years, ones with a slow season, and ones whose bureau score dips and recovers. The truth
//! (who fails, when, and when each sign began) is written beside the files, `failures.csv`.

use super::files::{BUREAU_HEADER, INVOICE_HEADER, PAYMENT_HEADER, be_amount, csv_bytes, dmy};
use super::set::Rng;
use crate::analytics::calendar::{self, Month, month_of};
use crate::model::company_number::kbo_check_digits;
use crate::output::write_atomic;
use chrono::{Duration, NaiveDate};
use std::path::Path;

/// The histories' last day (their as-of date).
pub const HISTORY_END: (i32, u32, u32) = (2026, 10, 31);
/// Months of history, ending with the as-of date's month.
const MONTHS: i32 = 36;

/// How a generated client behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Pays around its due dates.
    OnTime,
    /// Pays 20 to 45 days late, for years, and does not fail.
    ChronicLate,
    /// Healthy, with one slow season of three to five months, some very late invoices, and
    /// sometimes a dip of its bureau score.
    Wobbly,
    /// Heads for failure.
    Failing,
}

/// A failing client's course: when each sign begins, as months before its failure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Course {
    /// The month it fails: the bureau's status changes at its end.
    pub fails: Month,
    /// Months before it that it starts paying later.
    pub pays_later: i32,
    /// Months before it that it stops paying.
    pub stops_paying: i32,
    /// Months before it that the bureau's scores start to fall.
    pub bureau_falls: i32,
    /// The status it ends in, as the bureau writes it.
    pub status: &'static str,
}

/// One generated client.
#[derive(Clone, Debug)]
pub struct HistoryClient {
    /// Its account id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its company number as the bureau writes it.
    pub company_number: String,
    /// How it behaves.
    pub kind: Kind,
    /// Its way to failure, when it fails.
    pub course: Option<Course>,
}

/// Invoices, payments and bureau rows, as the sample's CSV files hold them.
#[derive(Clone, Debug, Default)]
pub struct Histories {
    /// The clients.
    pub clients: Vec<HistoryClient>,
    /// Rows of `facturen.csv`.
    pub invoices: Vec<Vec<String>>,
    /// Rows of `betalingen.csv`.
    pub payments: Vec<Vec<String>>,
    /// Rows of `kredietinfo.csv`.
    pub bureau: Vec<Vec<String>>,
}

const TRADES: [&str; 12] = [
    "Bakkerij",
    "Garage",
    "Drukkerij",
    "Transport",
    "Brasserie",
    "Menuiserie",
    "Bouwbedrijf",
    "Traiteur",
    "Groothandel",
    "Imprimerie",
    "Schrijnwerkerij",
    "Installatietechniek",
];
const NAMES: [&str; 14] = [
    "Peeters", "Janssens", "Maes", "Lefèvre", "Dubois", "Mertens", "Claes", "Wouters", "Noël", "De Smet", "Goossens",
    "Dupont", "Willems", "Jacobs",
];
/// How failures end, as the bureau writes it: half bankrupt, a third in reorganisation.
const ENDINGS: [&str; 6] = [
    "Faillissement",
    "Faillissement",
    "Faillissement",
    "Gerechtelijke reorganisatie",
    "Gerechtelijke reorganisatie",
    "In vereffening",
];
const RATINGS: [&str; 10] = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D"];

fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(HISTORY_END.0, HISTORY_END.1, HISTORY_END.2).expect("a date")
}

/// `clients` clients' histories for a seed: the same seed gives the same files.
// Long on purpose: each client's story month by month, payments and bureau together, reads
// best as one narrative.
pub fn histories(seed: u64, clients: usize) -> Histories {
    let mut rng = Rng::new(seed ^ 0x00E4_17E4_A2D1);
    let last = month_of(end());
    let first = last - MONTHS + 1;
    let mut h = Histories::default();
    let (mut inv_no, mut pay_no) = (0u32, 0u32);
    for i in 0..clients {
        let kind = match rng.f() {
            x if x < 0.50 => Kind::OnTime,
            x if x < 0.68 => Kind::ChronicLate,
            x if x < 0.82 => Kind::Wobbly,
            _ => Kind::Failing,
        };
        let course = (kind == Kind::Failing).then(|| {
            // One in five fails with little warning in how it pays.
            let sudden = rng.chance(0.2);
            let pays_later = if sudden { rng.range(1, 2) as i32 } else { rng.range(4, 12) as i32 };
            Course {
                fails: first + rng.range(9, i64::from(MONTHS) - 1) as i32,
                pays_later,
                stops_paying: rng.range(1, 4).min(i64::from(pays_later)) as i32,
                bureau_falls: rng.range(1, 6) as i32,
                status: ENDINGS[rng.range(0, ENDINGS.len() as i64 - 1) as usize],
            }
        });
        let body = 4_100_000 + i as u64 * 977 + rng.range(0, 900) as u64;
        let ten = format!("{body:08}{:02}", kbo_check_digits(body));
        let c = HistoryClient {
            id: format!("H{:04}", i + 1),
            name: format!("{} {} {}", rng.pick(&TRADES), rng.pick(&NAMES), i + 1),
            company_number: format!("BE {}.{}.{}", &ten[..4], &ten[4..7], &ten[7..]),
            kind,
            course,
        };
        let terms = *rng.pick(&[30i64, 30, 30, 45, 60]);
        // Some clients buy once every month or two, others several times a month.
        let per_month = if rng.chance(0.3) { 0.5 + 0.7 * rng.f() } else { 1.0 + 4.0 * rng.f() };
        let median = 400.0 + 2_000.0 * rng.f();
        // A failing client paid, before its decline, as healthy ones do: most on time, some late
        // for years.
        let late_payer = kind == Kind::ChronicLate || (kind == Kind::Failing && rng.chance(0.3));
        let (on_time, late_mean) = if late_payer {
            (0.1 + 0.2 * rng.f(), 20.0 + 25.0 * rng.f())
        } else {
            (0.6 + 0.35 * rng.f(), 3.0 + 10.0 * rng.f())
        };
        // A wobbly client's slow season, and its late payments' extra days then.
        let slow_from = first + rng.range(3, i64::from(MONTHS) - 6) as i32;
        let slow = (slow_from, slow_from + rng.range(3, 5) as i32, 20.0 + 20.0 * rng.f());
        let base_score = if late_payer { 40.0 + 20.0 * rng.f() } else { 60.0 + 30.0 * rng.f() };
        let dip = (kind == Kind::Wobbly || rng.chance(0.08))
            .then(|| (first + rng.range(0, i64::from(MONTHS) - 4) as i32, 12.0 + 12.0 * rng.f()));
        for m in first..=last {
            // A failed client buys nothing more; one heading there buys less in its last months.
            let mut rate = per_month;
            if let Some(k) = course {
                if m > k.fails {
                    break;
                }
                if m > k.fails - 3 && rng.chance(0.6) {
                    rate *= 0.5;
                }
            }
            let days = calendar::days_in(m);
            let mut n = rate.floor() as i64;
            if rng.chance(rate.fract()) {
                n += 1;
            }
            for _ in 0..n {
                let issue = calendar::first_day(m) + Duration::days(rng.range(0, days - 1));
                if issue > end() {
                    continue;
                }
                let due = issue + Duration::days(terms);
                let amount = ((median * (0.7 * rng.normal()).exp()) * 100.0).round().max(2_000.0) as i64;
                inv_no += 1;
                let id = format!("V{inv_no:07}");
                h.invoices.push(vec![
                    c.id.clone(),
                    c.name.clone(),
                    c.company_number.clone(),
                    id.clone(),
                    dmy(issue),
                    dmy(due),
                    be_amount(amount),
                    "EUR".into(),
                    String::new(),
                    String::new(),
                ]);
                // How late this invoice is paid, in parts: (days after due, share).
                let due_m = month_of(due);
                let mut late = if rng.chance(on_time) {
                    -rng.range(0, (terms / 3).max(1))
                } else {
                    1 + rng.exp(late_mean).round() as i64
                };
                // Any client leaves an invoice unpaid for months now and then (a lost invoice, a
                // quarrel about a delivery).
                if rng.chance(if kind == Kind::Wobbly { 0.05 } else { 0.03 }) {
                    late = 91 + rng.range(0, 120);
                }
                let mut parts: Vec<(i64, f64)> = Vec::new();
                match (kind, course) {
                    (Kind::Wobbly, _) if due_m >= slow.0 && due_m < slow.1 => late += slow.2 as i64,
                    (Kind::Failing, Some(k)) => {
                        let into = due_m - (k.fails - k.pays_later);
                        if due_m >= k.fails - k.stops_paying {
                            // Stopped: now and then a small part, never the rest.
                            if rng.chance(0.1) {
                                parts.push((late.max(0) + rng.range(10, 60), 0.2));
                            }
                            late = i64::MAX;
                        } else if into >= 0 {
                            // Later and later: up to 40–70 days more by the time it stops, and
                            // often in two parts.
                            let span = f64::from((k.pays_later - k.stops_paying).max(1));
                            late += ((f64::from(into) + 1.0) / span * (40.0 + 30.0 * rng.f())) as i64;
                            if rng.chance(0.35) {
                                parts.push((late / 2, 0.5));
                            }
                        }
                    }
                    _ => {}
                }
                // Healthy clients pay in two parts now and then too (more in a slow season).
                let in_slow = kind == Kind::Wobbly && due_m >= slow.0 && due_m < slow.1;
                if parts.is_empty() && late != i64::MAX && rng.chance(if in_slow { 0.15 } else { 0.05 }) {
                    parts.push((late / 2, 0.5));
                }
                if late != i64::MAX {
                    let paid: f64 = parts.iter().map(|p| p.1).sum();
                    parts.push((late, 1.0 - paid));
                }
                let mut left = amount;
                let n_parts = parts.len();
                for (j, (after, share)) in parts.into_iter().enumerate() {
                    let date = (due + Duration::days(after)).max(issue + Duration::days(1));
                    let part = if j + 1 == n_parts && share > 0.5 - 1e-9 && late != i64::MAX {
                        left
                    } else {
                        ((amount as f64 * share).round() as i64).min(left)
                    };
                    if date > end() || part <= 0 {
                        continue;
                    }
                    left -= part;
                    pay_no += 1;
                    h.payments.push(vec![
                        format!("B{pay_no:07}"),
                        c.id.clone(),
                        dmy(date),
                        be_amount(part),
                        "EUR".into(),
                        id.clone(),
                    ]);
                }
            }
        }
        // The bureau's monthly snapshot, at each month end.
        for m in first..=last {
            let mut score = base_score + 3.0 * rng.normal();
            if let Some((_, depth)) = dip.filter(|(from, _)| m >= *from && m < from + 3) {
                score -= depth;
            }
            let mut status = "Actief";
            if let Some(k) = course {
                if m >= k.fails {
                    status = k.status;
                    score = 5.0;
                } else if m > k.fails - k.bureau_falls - 1 {
                    let into = f64::from(m - (k.fails - k.bureau_falls - 1)) / f64::from(k.bureau_falls + 1);
                    score = score * (1.0 - into) + 15.0 * into;
                }
            }
            let score = score.round().clamp(1.0, 99.0) as i64;
            let rating = if status == "Actief" { RATINGS[((100 - score) / 11).min(8) as usize] } else { "D" };
            h.bureau.push(vec![
                c.company_number.clone(),
                dmy(calendar::last_day(m)),
                c.name.clone(),
                be_amount(((base_score as i64 * 20_000) / 100_000 * 100_000).max(500_000)),
                score.to_string(),
                (score / 10).clamp(0, 10).to_string(),
                rating.to_string(),
                status.to_string(),
                "Kerkstraat 1, 2000 Antwerpen".into(),
                "An Peeters".into(),
                "50".into(),
                ((100 - score) * 3 / 10).clamp(1, 99).to_string(),
                if score < 35 {
                    "Rood"
                } else if score < 60 {
                    "Oranje"
                } else {
                    "Groen"
                }
                .into(),
            ]);
        }
        h.clients.push(c);
    }
    h
}

/// The configuration that reads the histories (the sample's mappings and bureau scales).
const CONFIG: &str = r#"# arwatch configuration for generated histories (arwatch sample --histories N).
company = "Generated histories"
currency = "EUR"
out = "reports"
max_rejected_share = 0.0

[[inputs]]
file = "csv/facturen.csv"
mapping = "mappings/facturen-csv.toml"

[[inputs]]
file = "csv/betalingen.csv"
mapping = "mappings/betalingen-csv.toml"

[[bureau_inputs]]
file = "csv/kredietinfo.csv"
mapping = "mappings/kredietinfo-csv.toml"

[bureau]
score_scale = [0, 100]
payment_score_scale = [0, 10]
growth_score_scale = [0, 100]
discontinuation_score_scale = [0, 100]
ratings = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C", "D"]
"#;

/// Writes `clients` clients' histories for `seed` into `dir`: the CSV files, their mappings,
/// `arwatch.toml`, and `failures.csv` (the truth: who fails, when, and when each sign began).
pub fn write_histories(dir: &Path, seed: u64, clients: usize) -> std::io::Result<Histories> {
    let h = histories(seed, clients);
    std::fs::create_dir_all(dir.join("csv"))?;
    std::fs::create_dir_all(dir.join("mappings"))?;
    write_atomic(&dir.join("csv/facturen.csv"), &csv_bytes(&INVOICE_HEADER, h.invoices.clone())?)?;
    write_atomic(&dir.join("csv/betalingen.csv"), &csv_bytes(&PAYMENT_HEADER, h.payments.clone())?)?;
    write_atomic(&dir.join("csv/kredietinfo.csv"), &csv_bytes(&BUREAU_HEADER, h.bureau.clone())?)?;
    for (name, text) in [
        ("mappings/facturen-csv.toml", include_str!("../../sample_data/mappings/facturen-csv.toml")),
        ("mappings/betalingen-csv.toml", include_str!("../../sample_data/mappings/betalingen-csv.toml")),
        ("mappings/kredietinfo-csv.toml", include_str!("../../sample_data/mappings/kredietinfo-csv.toml")),
        ("arwatch.toml", CONFIG),
    ] {
        write_atomic(&dir.join(name), text.as_bytes())?;
    }
    let mut truth =
        String::from("client_id,kind,fails_in,status,pays_later_from,stops_paying_from,bureau_falls_from\n");
    let label = |m: Month| calendar::label(m);
    for c in &h.clients {
        let kind = format!("{:?}", c.kind);
        match c.course {
            Some(k) => truth.push_str(&format!(
                "{},{kind},{},{},{},{},{}\n",
                c.id,
                label(k.fails),
                k.status,
                label(k.fails - k.pays_later),
                label(k.fails - k.stops_paying),
                label(k.fails - k.bureau_falls),
            )),
            None => truth.push_str(&format!("{},{kind},,,,,\n", c.id)),
        }
    }
    write_atomic(&dir.join("failures.csv"), truth.as_bytes())?;
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_histories_and_the_kinds_are_all_there() {
        let (a, b) = (histories(3, 200), histories(3, 200));
        assert_eq!(a.invoices, b.invoices);
        assert_eq!(a.payments, b.payments);
        for k in [Kind::OnTime, Kind::ChronicLate, Kind::Wobbly, Kind::Failing] {
            assert!(a.clients.iter().any(|c| c.kind == k), "{k:?}");
        }
        // A failed client is invoiced no more after its month, and the bureau says so.
        let c = a.clients.iter().find(|c| c.course.is_some_and(|k| k.fails < month_of(end()) - 2)).unwrap();
        let k = c.course.unwrap();
        let after = calendar::first_day(k.fails + 1);
        let dates = |rows: &[Vec<String>], col: usize| -> Vec<NaiveDate> {
            rows.iter()
                .filter(|r| r[1] == c.id || r[0] == c.company_number)
                .map(|r| NaiveDate::parse_from_str(&r[col], "%d/%m/%Y").unwrap())
                .collect()
        };
        assert!(
            a.invoices
                .iter()
                .filter(|r| r[0] == c.id)
                .all(|r| NaiveDate::parse_from_str(&r[4], "%d/%m/%Y").unwrap() < after)
        );
        let statuses: Vec<&String> = a.bureau.iter().filter(|r| r[0] == c.company_number).map(|r| &r[7]).collect();
        assert_eq!(statuses.last().unwrap().as_str(), k.status);
        assert!(!dates(&a.bureau, 1).is_empty());
    }
}
