//! A deterministic multi-portfolio sample (`arwatch sample --portfolios N`): creditors of
//! different sizes and languages, the first debtors of each being the same companies (the same
//! company numbers under each creditor's own account ids), with the batch's manifest. Every
//! creditor contributes to a pool (`pool/` beside them) and reads its clients' experience
//! elsewhere from it; one shared debtor pays the first creditor on time and the others later
//! every month (`docs/pooling.md`).

use super::files;
use super::ledger::build;
use super::set::{SamplePayment, SampleSet, end};
use crate::output::write_atomic;
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;

/// Debtors every creditor shares with the first one.
const SHARED: usize = 10;

/// The shared debtor that keeps the first creditor paid on time while the others wait longer
/// every month: what the pool's `pays_others_late` alert is for.
const FAVOURING: usize = SHARED - 1;

/// Gives the favouring debtor one payment per invoice, in full: on the due date at the
/// favoured creditor; elsewhere 4 days late for every month the invoice fell due after April
/// 2025. A payment that would come after the sample's end is not made (the invoice stays
/// open). Its credit notes are left out, so every payment settles exactly its invoice.
fn favour(set: &mut SampleSet, favoured: bool) {
    let from = NaiveDate::from_ymd_opt(2025, 5, 1).expect("a date");
    let end = end();
    set.documents.retain(|d| d.client != FAVOURING || !d.credit_note);
    set.payments.retain(|p| p.client != FAVOURING);
    for d in set.documents.iter().filter(|d| d.client == FAVOURING) {
        let late = if favoured { 0 } else { 4 * ((d.due - from).num_days().max(0) / 30) };
        let date = d.due + Duration::days(late);
        if date <= end {
            set.payments.push(SamplePayment {
                id: format!("BET-{}", d.id),
                client: FAVOURING,
                date,
                amount: d.amount,
                reference: d.id.clone(),
            });
        }
    }
    set.payments.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
}

/// The pool settings of creditor `name`: it contributes under its name and reads its clients'
/// experience elsewhere from `../pool`, where `arwatch pool` writes.
fn pool_settings(name: &str) -> String {
    format!(
        "\n# Pooled payment experience (docs/pooling.md).\n[pool]\ncontribute = true\ncontributor = \"{name}\"\nelsewhere = \"../pool\"\n"
    )
}

/// Creditor `k` of `n`: its own seed, a share of the clients (30 to 150), and the shared
/// debtors' company numbers and names taken from `first`.
fn creditor(seed: u64, k: usize, first: Option<&SampleSet>) -> SampleSet {
    let mut set = build(seed.wrapping_add(k as u64));
    let keep = 30 + (k * 47) % 121;
    set.clients.truncate(keep);
    set.documents.retain(|d| d.client < keep);
    set.payments.retain(|p| p.client < keep);
    let mut renamed: BTreeMap<String, (String, String)> = BTreeMap::new();
    if let Some(first) = first {
        for (c, f) in set.clients.iter_mut().zip(&first.clients).take(SHARED) {
            renamed.insert(c.company_number.clone(), (f.company_number.clone(), f.name.clone()));
            c.company_number = f.company_number.clone();
            c.name = f.name.clone();
        }
    }
    let known: std::collections::BTreeSet<String> = set
        .clients
        .iter()
        .map(|c| renamed.get(&c.company_number).map_or(c.company_number.clone(), |r| r.0.clone()))
        .chain(set.watchlist.iter().map(|w| w.0.clone()))
        .collect();
    for b in &mut set.bureau {
        if let Some((number, name)) = renamed.get(&b.company_number) {
            b.company_number = number.clone();
            b.name = name.clone();
        }
    }
    set.bureau.retain(|b| known.contains(&b.company_number));
    set
}

/// Writes `n` creditors under `dir` (`creditor-01`…, each a sample folder with its
/// configuration) and `dir/manifest.toml`; returns each creditor's name and document count.
pub fn write_portfolios(dir: &Path, n: usize, seed: u64) -> std::io::Result<Vec<(String, usize)>> {
    let first = creditor(seed, 0, None);
    let mut manifest = String::from("# The multi-portfolio sample: arwatch batch manifest.toml\nout = \"batch\"\n");
    let mut out = Vec::new();
    for k in 0..n {
        let mut set = if k == 0 { first.clone() } else { creditor(seed, k, Some(&first)) };
        favour(&mut set, k == 0);
        let name = format!("creditor-{:02}", k + 1);
        files::write(&dir.join(&name), &set)?;
        let config = dir.join(&name).join("arwatch.toml");
        let text = std::fs::read_to_string(&config)? + &pool_settings(&name);
        write_atomic(&config, text.as_bytes())?;
        let lang = ["nl", "fr", "en"][k % 3];
        manifest.push_str(&format!(
            "\n[[portfolio]]\nname = \"{name}\"\nconfig = \"{name}/arwatch.toml\"\nlang = \"{lang}\"\n"
        ));
        out.push((name, set.documents.len()));
    }
    write_atomic(&dir.join("manifest.toml"), manifest.as_bytes())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creditors_differ_in_size_and_share_debtors() {
        let a = creditor(2026, 0, None);
        let b = creditor(2026, 1, Some(&a));
        let c = creditor(2026, 2, Some(&a));
        assert_ne!(a.clients.len(), b.clients.len());
        assert_ne!(b.clients.len(), c.clients.len());
        for i in 0..SHARED {
            assert_eq!(b.clients[i].company_number, a.clients[i].company_number);
            assert_eq!(c.clients[i].name, a.clients[i].name);
        }
        assert!(b.documents.iter().all(|d| d.client < b.clients.len()));
        let numbers: std::collections::BTreeSet<&str> = b.clients.iter().map(|c| c.company_number.as_str()).collect();
        assert!(b.bureau.iter().any(|r| r.company_number == a.clients[0].company_number));
        assert!(b.bureau.iter().all(
            |r| numbers.contains(r.company_number.as_str()) || b.watchlist.iter().any(|w| w.0 == r.company_number)
        ));
    }
}
