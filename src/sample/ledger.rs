//! The sample's clients and their ledger: names, towns and terms, invoices, credit notes and
//! payments as each client's story has them pay, and the bureau's snapshots beside them.

use super::set::{Rng, Role, START, SampleClient, SampleDoc, SamplePayment, SampleSet, end};
use crate::model::company_number::kbo_check_digits;
use chrono::{Datelike, Duration, NaiveDate};

const FIRST: [&str; 24] = [
    "Brouwerij",
    "Bakkerij",
    "Garage",
    "Boulangerie",
    "Électricité",
    "Maçonnerie",
    "Drukkerij",
    "Transport",
    "Hôtel",
    "Café",
    "Groothandel",
    "Boekhandel",
    "Menuiserie",
    "Schrijnwerkerij",
    "Fromagerie",
    "Bloemen",
    "Installatietechniek",
    "Imprimerie",
    "Loodgieterij",
    "Traiteur",
    "Houthandel",
    "Brasserie",
    "Verhuizingen",
    "Ébénisterie",
];
const SECOND: [&str; 30] = [
    "Peeters",
    "Janssens",
    "Maes",
    "Lefèvre",
    "Dubois",
    "Van Dyck",
    "De Smet",
    "Müller",
    "Hélène",
    "Noël",
    "Zoë",
    "Mertens",
    "Claes",
    "Goossens",
    "Wouters",
    "Lemaître",
    "François",
    "Beaulieu",
    "Van den Broeck",
    "De Vries",
    "Van der Meer",
    "Bakker",
    "Visser",
    "Smeets",
    "Daems",
    "Geerts",
    "Coppens",
    "Desmet",
    "Thiébaut",
    "Leroy",
];
const BE_FORMS: [&str; 4] = ["NV", "BV", "SRL", "SA"];
const NL_FORMS: [&str; 3] = ["B.V.", "V.O.F.", "N.V."];
const BE_TOWNS: [&str; 10] = [
    "2000 Antwerpen",
    "9000 Gent",
    "1000 Brussel",
    "4000 Liège",
    "3000 Leuven",
    "8000 Brugge",
    "5000 Namur",
    "2800 Mechelen",
    "3500 Hasselt",
    "6000 Charleroi",
];
const NL_TOWNS: [&str; 6] =
    ["3511 Utrecht", "1012 Amsterdam", "3011 Rotterdam", "5611 Eindhoven", "2511 Den Haag", "4811 Breda"];
const STREETS: [&str; 8] = [
    "Kerkstraat",
    "Rue de la Station",
    "Molenweg",
    "Stationsplein",
    "Chaussée de Louvain",
    "Dorpsstraat",
    "Markt",
    "Nijverheidslaan",
];
const PEOPLE: [&str; 12] = [
    "An Peeters",
    "Luc Janssens",
    "Marie Dubois",
    "Jan de Vries",
    "Sofie Maes",
    "Pierre Lefèvre",
    "Els Wouters",
    "Joël Noël",
    "Griet Claes",
    "Françoise Leroy",
    "Bram Bakker",
    "Inès Thiébaut",
];
fn make_clients(rng: &mut Rng) -> Vec<SampleClient> {
    let mut clients = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for i in 0..150 {
        let belgian = i % 5 != 3; // about 80 % Belgian, 20 % Dutch
        let name = loop {
            let base = format!("{} {}", rng.pick(&FIRST), rng.pick(&SECOND));
            let form = if belgian { *rng.pick(&BE_FORMS) } else { *rng.pick(&NL_FORMS) };
            // A few names carry a comma, as real ones do, so the CSV needs quoting.
            let n = if rng.chance(0.05) {
                format!("{}, {} & Co {form}", base, rng.pick(&SECOND))
            } else {
                format!("{base} {form}")
            };
            if used.insert(n.clone()) {
                break n;
            }
        };
        let company_number = if belgian {
            let body = 4_000_000 + rng.range(0, 5_999_999) as u64; // 0400.000.0xx–0999…: first digit 0
            let ten = format!("{:08}{:02}", body * 10 / 10, kbo_check_digits(body));
            format!("BE {}.{}.{}", &ten[..4], &ten[4..7], &ten[7..])
        } else {
            format!("{:08}", rng.range(1_000_000, 99_999_999))
        };
        let town = if belgian { *rng.pick(&BE_TOWNS) } else { *rng.pick(&NL_TOWNS) };
        let address = format!("{} {}, {town}", rng.pick(&STREETS), rng.range(1, 180));
        let board = format!("{}, {}", rng.pick(&PEOPLE), rng.pick(&PEOPLE));
        let terms = *rng.pick(&[30, 30, 30, 30, 45, 60, 14]);
        let on_time = 0.35 + 0.55 * rng.f();
        clients.push(SampleClient {
            id: format!("K{:04}", i + 1),
            name,
            company_number,
            terms,
            role: Role::Normal,
            monthly_invoices: (0.6f64 + 2.5 * rng.normal().abs()).min(12.0),
            median_amount: 300.0 * (1.1 * rng.normal()).exp() + 150.0,
            on_time,
            late_mean: 4.0 + 25.0 * rng.f(),
            address,
            board,
        });
    }
    // The story: fixed clients so that alerts are reproducible and documented.
    let roles = [
        (7, Role::Bankrupt),
        (18, Role::Wco),
        (29, Role::LimitCut),
        (41, Role::Improver),
        (52, Role::LaterAndLater),
        (63, Role::Deteriorating),
        (74, Role::Deteriorating),
        (85, Role::Improver),
    ];
    for (ix, role) in roles {
        let c = &mut clients[ix];
        c.role = role;
        c.monthly_invoices = c.monthly_invoices.max(3.0);
        c.median_amount = c.median_amount.max(900.0);
        if role == Role::LaterAndLater {
            c.on_time = 0.85;
            c.late_mean = 3.0;
        }
    }
    clients
}

fn days_late(rng: &mut Rng, c: &SampleClient, issue: NaiveDate) -> i64 {
    let months_left = ((end() - issue).num_days() / 30).max(0);
    // In the last nine months some clients drift.
    let drift = (9 - months_left).max(0) as f64;
    let (on_time, mean) = match c.role {
        Role::LaterAndLater => (c.on_time - 0.09 * drift, c.late_mean + 4.0 * drift),
        Role::Bankrupt => (c.on_time - 0.07 * drift, c.late_mean + 8.0 * drift),
        Role::Wco => (c.on_time - 0.05 * drift, c.late_mean + 5.0 * drift),
        Role::Improver => (c.on_time + 0.04 * drift, c.late_mean),
        _ => (c.on_time, c.late_mean),
    };
    if rng.chance(on_time.clamp(0.02, 0.98)) {
        return -rng.range(0, (c.terms * 2 / 3).max(1));
    }
    if rng.chance(0.04) {
        return 91 + rng.range(0, 120); // the tail beyond 90 days
    }
    1 + rng.exp(mean).round() as i64
}

// Long on purpose: the sample's story month by month (sales, payments, the clients whose

// behaviour turns), easiest to follow as one narrative.

fn build_ledger(rng: &mut Rng, clients: &[SampleClient]) -> (Vec<SampleDoc>, Vec<SamplePayment>) {
    let mut docs = Vec::new();
    let mut pays: Vec<SamplePayment> = Vec::new();
    let mut inv_no = 0u32;
    let mut cn_no = 0u32;
    let mut pay_no = 0u32;
    let last = end();
    let start = NaiveDate::from_ymd_opt(START.0, START.1, 1).expect("valid");
    let mut month = start;
    let mut pay = |pays: &mut Vec<SamplePayment>, client: usize, date: NaiveDate, amount: i64, reference: &str| {
        if date <= last {
            pay_no += 1;
            pays.push(SamplePayment {
                id: format!("BET{pay_no:06}"),
                client,
                date,
                amount,
                reference: reference.to_string(),
            });
        }
    };
    while month <= last {
        let days = (crate::analytics::calendar::days_in(crate::analytics::calendar::month_of(month))) as i64;
        for (ci, c) in clients.iter().enumerate() {
            let mut n = c.monthly_invoices.floor() as i64;
            if rng.chance(c.monthly_invoices.fract()) {
                n += 1;
            }
            for _ in 0..n {
                let issue = month + Duration::days(rng.range(0, days - 1));
                if issue > last {
                    continue;
                }
                let due = issue + Duration::days(c.terms);
                let amount = ((c.median_amount * (0.8 * rng.normal()).exp()) * 100.0).round().max(1500.0) as i64;
                inv_no += 1;
                let id = format!("F{}{:06}", issue.year(), inv_no);
                let disputed = rng.chance(0.012);
                docs.push(SampleDoc {
                    client: ci,
                    id: id.clone(),
                    credit_note: false,
                    issue,
                    due,
                    amount,
                    reference: String::new(),
                    disputed,
                });
                if disputed {
                    continue; // disputed invoices stay open
                }
                // A bankrupt client stops paying in its last months.
                if c.role == Role::Bankrupt && issue > NaiveDate::from_ymd_opt(2026, 5, 15).expect("valid") {
                    continue;
                }
                let mut to_pay = amount;
                if rng.chance(0.03) {
                    // A credit note for a price correction or a return; sometimes the whole invoice.
                    let share = if rng.chance(0.3) { 1.0 } else { 0.1 + 0.5 * rng.f() };
                    let credit = ((amount as f64) * share).round() as i64;
                    cn_no += 1;
                    let cdate = issue + Duration::days(rng.range(3, 20));
                    if cdate <= last {
                        docs.push(SampleDoc {
                            client: ci,
                            id: format!("CN{}{:04}", cdate.year(), cn_no),
                            credit_note: true,
                            issue: cdate,
                            due: cdate,
                            amount: credit,
                            reference: id.clone(),
                            disputed: false,
                        });
                        to_pay -= credit;
                    }
                }
                if to_pay <= 0 {
                    continue;
                }
                let settle = due + Duration::days(days_late(rng, c, issue));
                let settle = settle.max(issue + Duration::days(1));
                let reference = if rng.chance(0.04) { String::new() } else { id.clone() };
                if rng.chance(0.07) {
                    // Two partial payments.
                    let first = (to_pay as f64 * (0.3 + 0.4 * rng.f())).round() as i64;
                    let early = issue + Duration::days(((settle - issue).num_days() / 2).max(1));
                    pay(&mut pays, ci, early, first, &reference);
                    pay(&mut pays, ci, settle, to_pay - first, &reference);
                } else if rng.chance(0.004) {
                    // A direct debit that bounced, then was paid again.
                    pay(&mut pays, ci, settle, to_pay, &reference);
                    pay(&mut pays, ci, settle + Duration::days(5), -to_pay, &reference);
                    pay(&mut pays, ci, settle + Duration::days(16), to_pay, &reference);
                } else {
                    pay(&mut pays, ci, settle, to_pay, &reference);
                }
            }
        }
        month = crate::analytics::calendar::first_day(crate::analytics::calendar::month_of(month) + 1);
    }
    docs.sort_by(|a, b| (a.issue, &a.id).cmp(&(b.issue, &b.id)));
    pays.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    (docs, pays)
}

/// The sample for a seed: the same seed gives the same set.
pub fn build(seed: u64) -> SampleSet {
    let mut rng = Rng::new(seed);
    let clients = make_clients(&mut rng);
    let (mut documents, mut payments) = build_ledger(&mut rng, &clients);
    super::schedule::add(&clients, &mut documents, &mut payments);
    let bureau = super::bureau::build_bureau(&mut rng, &clients, &documents);
    SampleSet { clients, documents, payments, bureau, watchlist: super::bureau::watchlist() }
}
