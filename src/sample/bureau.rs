//! The sample's bureau side: monthly snapshots of every client and watched company, telling
//! the same story as the ledger, and the watchlist.

use super::set::{BureauRow, RATINGS, Rng, Role, SampleClient, SampleDoc, end};
use crate::model::company_number::kbo_check_digits;
use chrono::{Duration, NaiveDate};

fn rating_of(score: i64) -> &'static str {
    RATINGS[((100 - score.clamp(1, 100)) / 11).min(8) as usize]
}

// Long on purpose: the bureau side of the same story, month by month.

pub(super) fn build_bureau(rng: &mut Rng, clients: &[SampleClient], docs: &[SampleDoc]) -> Vec<BureauRow> {
    let mut rows = Vec::new();
    let months: Vec<NaiveDate> = (0..12)
        .map(|k| crate::analytics::calendar::last_day(crate::analytics::calendar::month_of(end()) - 11 + k))
        .collect();
    for (ci, c) in clients.iter().enumerate() {
        // Two clients are not covered by the bureau: reported as unmatched.
        if ci == 100 || ci == 120 {
            continue;
        }
        let yearly: i64 = docs
            .iter()
            .filter(|d| d.client == ci && !d.credit_note && d.issue > end() - Duration::days(365))
            .map(|d| d.amount)
            .sum();
        // A limit of about a third of a year's sales, in steps of 5,000 EUR.
        let base_limit = ((yearly * 3 / 10 / 500_000 + 1) * 500_000).min(25_000_000);
        let base_score = (30.0 + 65.0 * c.on_time + 5.0 * rng.normal()).round() as i64;
        for (k, &date) in months.iter().enumerate() {
            let last = k == months.len() - 1;
            let mut score = base_score;
            let mut limit = base_limit;
            let mut status = "Actief";
            let mut address = c.address.clone();
            let mut board = c.board.clone();
            match c.role {
                Role::Deteriorating => score -= 2 * k as i64,
                Role::Bankrupt if last => {
                    score = 1;
                    limit = 0;
                    status = "Faillissement";
                }
                Role::Bankrupt => score -= 3 * k as i64,
                Role::Wco if last => {
                    score -= 35;
                    limit /= 4;
                    status = "Gerechtelijke reorganisatie";
                }
                Role::LimitCut if last => {
                    score -= 18;
                    limit = limit * 2 / 5;
                }
                Role::Improver if last => {
                    score += 15;
                    limit = limit * 8 / 5;
                }
                _ => {}
            }
            // Watched fields: one move, one board change in the last month.
            if last && ci == 3 {
                address = "Meir 12, 2000 Antwerpen".to_string();
            }
            if last && ci == 9 {
                board = "Sofie Maes, Joël Noël".to_string();
            }
            let score = score.clamp(1, 100);
            let rating = if status == "Faillissement" { "D" } else { rating_of(score) };
            // Growth and discontinuation follow the score, with the story's turns: the clients
            // in trouble grow likelier to stop, the improvers and two others grow.
            let mut growth = 35 + base_score / 3;
            let mut discontinuation = (100 - score) * 3 / 10;
            match c.role {
                Role::Bankrupt | Role::Wco if last => discontinuation = 85,
                Role::Wco if k + 3 >= months.len() => discontinuation += 15,
                Role::Deteriorating | Role::LimitCut if last => discontinuation += 15,
                Role::Improver if last => growth += 20,
                _ => {}
            }
            if last && (ci == 12 || ci == 33) {
                growth += 15;
            }
            let flag = match (status, score) {
                ("Faillissement", _) | (_, 0..=34) => "Rood",
                (_, 35..=59) => "Oranje",
                _ => "Groen",
            };
            rows.push(BureauRow {
                company_number: c.company_number.clone(),
                date,
                name: c.name.clone(),
                credit_limit: limit,
                score,
                payment_score: (score / 10).clamp(0, 10),
                rating,
                status,
                address,
                board,
                growth: growth.clamp(1, 100),
                discontinuation: discontinuation.clamp(1, 99),
                flag,
            });
        }
    }
    rows.extend(watch_rows(&months));
    // A company the bureau monitors that is not (or no longer) a client: an unmatched row.
    rows.push(BureauRow {
        company_number: "BE 0417.497.106".into(),
        date: months[months.len() - 1],
        name: "Oud Klant Logistiek NV".into(),
        credit_limit: 1_000_000,
        score: 55,
        payment_score: 5,
        rating: "BB",
        status: "Actief",
        address: "Havenlaan 5, 2030 Antwerpen".into(),
        board: "Luc Janssens".into(),
        growth: 40,
        discontinuation: 20,
        flag: "Oranje",
    });
    rows.sort_by(|a, b| (a.date, &a.company_number).cmp(&(b.date, &b.company_number)));
    rows
}

/// The watchlist's companies: a supplier that goes into judicial reorganisation in the last
/// month, a steady supplier, and a prospect whose scores and limit improve.
fn watch_rows(months: &[NaiveDate]) -> Vec<BureauRow> {
    let mut rows = Vec::new();
    for (w, (number, name, _)) in watchlist().iter().enumerate() {
        for (k, &date) in months.iter().enumerate() {
            let last = k == months.len() - 1;
            let k = k as i64;
            let base = match w {
                0 => 70 - k,
                1 => 72,
                _ => 55 + k,
            };
            let (mut score, mut limit, mut status, mut growth, mut discontinuation) =
                (base, 4_000_000, "Actief", 55, 15);
            match (w, last) {
                (0, true) => {
                    score = 25;
                    limit = 500_000;
                    status = "Gerechtelijke reorganisatie";
                    discontinuation = 80;
                }
                (2, true) => {
                    score = 88;
                    limit = 8_000_000;
                    growth = 75;
                }
                _ => {}
            }
            rows.push(BureauRow {
                company_number: number.clone(),
                date,
                name: name.to_string(),
                credit_limit: limit,
                score,
                payment_score: (score / 10).clamp(0, 10),
                rating: rating_of(score),
                status,
                address: "Industrieweg 1, 9000 Gent".into(),
                board: "Els De Smet".into(),
                growth,
                discontinuation,
                flag: if score < 35 {
                    "Rood"
                } else if score < 60 {
                    "Oranje"
                } else {
                    "Groen"
                },
            });
        }
    }
    rows
}

/// The sample's watchlist: two suppliers and a prospect, with valid Belgian numbers.
pub(super) fn watchlist() -> Vec<(String, &'static str, &'static str)> {
    let number = |first8: u64| {
        let ten = format!("{first8:08}{:02}", kbo_check_digits(first8));
        format!("BE {}.{}.{}", &ten[..4], &ten[4..7], &ten[7..])
    };
    vec![
        (number(4_551_234), "Verpakkingen Lambrecht NV", "leverancier"),
        (number(4_662_345), "Koeltechniek Verstraete BV", "leverancier"),
        (number(7_773_456), "Hotelgroep Mertens NV", "prospect"),
    ]
}
