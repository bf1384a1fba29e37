//! The sample's collector's log, told from its ledger: a client who breaks two promises to pay,
//! one who keeps a promise, a live promise the ladder waits for, a dispute open for 70 days and
//! one that was settled, calls and notes (docs/reports.md, "The sample's story").

use super::set::{Role, SampleSet, end};
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;

/// The log's header, as a Flemish collector's spreadsheet names it.
pub(super) const HEADER: [&str; 7] =
    ["Datum", "Klantnr", "Factuurnr", "Soort", "Bedrag", "Beloofd tegen", "Omschrijving"];

/// One row of the log: date, client, invoice, kind, amount (cents), promised date, text.
pub(super) type Row = (NaiveDate, String, String, &'static str, Option<i64>, Option<NaiveDate>, &'static str);

/// The log's rows in date order. Each event is placed on invoices the ledger shows in the state
/// the story needs (unpaid through a promise's grace, paid within it), so the story holds
/// whatever the ledger's random draws.
// Long on purpose: the story's six cases, one after the other.
pub(super) fn rows(set: &SampleSet) -> Vec<Row> {
    let a = end();
    // Each invoice's settlement, from the payments that name it (the sample pays in full).
    let paid: HashMap<&str, NaiveDate> = set
        .payments
        .iter()
        .filter(|p| !p.reference.is_empty() && p.amount > 0)
        .map(|p| (p.reference.as_str(), p.date))
        .collect();
    let normal = |c: usize| set.clients[c].role == Role::Normal;
    let invoices = || set.documents.iter().filter(|d| !d.credit_note && !d.disputed);
    let open_at = |id: &str, day: NaiveDate| paid.get(id).is_none_or(|s| *s > day);
    // Whether a client paid anything from `from` to `to`.
    let pays_between = |c: usize, from: NaiveDate, to: NaiveDate| {
        set.payments.iter().any(|p| p.client == c && p.date >= from && p.date <= to)
    };
    let mut out: Vec<Row> = Vec::new();
    let mut used = std::collections::HashSet::new();

    // 1. Two broken promises: a client who paid nothing for the last 80 days and has two
    // invoices open through them.
    let breaker = (0..set.clients.len()).find(|&c| {
        normal(c)
            && !pays_between(c, a - Duration::days(80), a)
            && invoices().filter(|d| d.client == c && d.due < a - Duration::days(80) && open_at(&d.id, a)).count() >= 2
    });
    if let Some(c) = breaker {
        let id = &set.clients[c].id;
        let mut open = invoices().filter(|d| d.client == c && d.due < a - Duration::days(80) && open_at(&d.id, a));
        let (first, second) = (open.next().expect("counted"), open.next().expect("counted"));
        out.push((a - Duration::days(75), id.clone(), first.id.clone(), "Telefoon", None, None, "belt terug"));
        // For the account, with an amount: the ledger's allocation may have settled its oldest
        // invoices with payments that named none, so a promise is kept or broken on money.
        out.push((
            a - Duration::days(70),
            id.clone(),
            String::new(),
            "Belofte",
            Some(first.amount),
            Some(a - Duration::days(60)),
            "betaalt na levering nieuwe bestelling",
        ));
        out.push((
            a - Duration::days(45),
            id.clone(),
            String::new(),
            "Belofte",
            Some(first.amount.min(second.amount)),
            Some(a - Duration::days(30)),
            "betaalt deel eind volgende week",
        ));
        used.insert(c);
    }
    // 2. A kept promise: an invoice paid at least 20 days late, promised a week before.
    if let Some((d, day)) = invoices()
        .filter(|d| normal(d.client) && !used.contains(&d.client))
        .filter_map(|d| paid.get(d.id.as_str()).map(|s| (d, *s)))
        .find(|(d, s)| *s > d.due + Duration::days(20) && *s > a - Duration::days(150) && *s < a - Duration::days(30))
    {
        let id = &set.clients[d.client].id;
        out.push((
            day - Duration::days(7),
            id.clone(),
            d.id.clone(),
            "Belofte",
            None,
            Some(day - Duration::days(2)),
            "betaling gepland",
        ));
        used.insert(d.client);
    }
    // 3. A live promise: an invoice past due at A, promised for 10 days after it.
    if let Some(d) = invoices().find(|d| {
        normal(d.client)
            && !used.contains(&d.client)
            && (a - Duration::days(60)..a - Duration::days(10)).contains(&d.due)
            && open_at(&d.id, a)
    }) {
        let id = &set.clients[d.client].id;
        out.push((
            a - Duration::days(3),
            id.clone(),
            d.id.clone(),
            "Belofte",
            None,
            Some(a + Duration::days(10)),
            "overschrijving volgt",
        ));
        used.insert(d.client);
    }
    // 4. A dispute open for 70 days: an invoice open at A that was due before the dispute.
    if let Some(d) = invoices().find(|d| {
        normal(d.client)
            && !used.contains(&d.client)
            && (a - Duration::days(160)..a - Duration::days(70)).contains(&d.due)
            && open_at(&d.id, a)
    }) {
        let id = &set.clients[d.client].id;
        out.push((a - Duration::days(70), id.clone(), d.id.clone(), "Betwisting", None, None, "levering onvolledig"));
        out.push((
            a - Duration::days(40),
            id.clone(),
            d.id.clone(),
            "Notitie",
            None,
            None,
            "creditnota gevraagd aan verkoop",
        ));
        used.insert(d.client);
    }
    // 5. A settled dispute: an invoice disputed 30 days before it was paid, resolved then.
    if let Some((d, day)) = invoices()
        .filter(|d| normal(d.client) && !used.contains(&d.client))
        .filter_map(|d| paid.get(d.id.as_str()).map(|s| (d, *s)))
        .find(|(d, s)| *s > d.due + Duration::days(30) && *s > a - Duration::days(200) && *s < a - Duration::days(60))
    {
        let id = &set.clients[d.client].id;
        out.push((day - Duration::days(30), id.clone(), d.id.clone(), "Betwisting", None, None, "prijs betwist"));
        out.push((
            day - Duration::days(2),
            id.clone(),
            d.id.clone(),
            "Betwisting opgelost",
            None,
            None,
            "prijs bevestigd",
        ));
    }
    out.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
    out
}
