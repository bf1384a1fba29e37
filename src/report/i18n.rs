//! Report labels in English, Dutch and French, and the number and date formats that go with
//! them (`1.234,56 €` and `31/10/2026` in Dutch, as Belgian readers write them).

use crate::locale::Lang;
use crate::model::Currency;
use chrono::NaiveDate;

/// (key, English, Dutch, French).
const LABELS: &[(&str, &str, &str, &str)] = &[
    ("title", "Accounts receivable report", "Rapport debiteurenbeheer", "Rapport des créances clients"),
    ("as_of", "As of", "Per", "Au"),
    ("company", "Company", "Onderneming", "Entreprise"),
    ("net_ar", "Net AR", "Netto openstaand", "Encours net"),
    ("overdue_share", "Overdue share", "Aandeel vervallen", "Part échue"),
    ("dso_countback", "DSO (countback)", "DSO (countback)", "DSO (countback)"),
    ("dso_standard", "DSO (standard, 3 months)", "DSO (standaard, 3 maanden)", "DSO (standard, 3 mois)"),
    ("vs_last_month", "vs last month", "t.o.v. vorige maand", "vs mois précédent"),
    ("cei", "CEI (3 months)", "CEI (3 maanden)", "CEI (3 mois)"),
    ("wadl", "WADL (12 months)", "Gewogen dagen te laat (12 m.)", "Retard moyen pondéré (12 mois)"),
    ("top10", "Top 10 debtors' share", "Aandeel top 10 debiteuren", "Part des 10 plus grands débiteurs"),
    ("days", "days", "dagen", "jours"),
    ("headline_alerts", "Headline alerts", "Belangrijkste signalen", "Alertes principales"),
    ("dso_trend", "DSO trend (days)", "Evolutie DSO (dagen)", "Évolution du DSO (jours)"),
    ("aging", "Aging of open invoices", "Ouderdom openstaande facturen", "Ancienneté des factures ouvertes"),
    (
        "late_trend",
        "Late payments: share late and WADL",
        "Laattijdige betalingen: aandeel en WADL",
        "Retards: part en retard et WADL",
    ),
    ("late_ratio", "Share paid late", "Aandeel te laat betaald", "Part payée en retard"),
    ("riskiest", "The 20 riskiest clients", "De 20 meest risicovolle klanten", "Les 20 clients les plus risqués"),
    ("alerts", "Alerts", "Signalen", "Alertes"),
    ("risks", "Risks", "Risico's", "Risques"),
    ("opportunities", "Opportunities", "Kansen", "Opportunités"),
    ("handover", "Collection handover", "Overdracht aan incasso", "Transmission au recouvrement"),
    ("handover_sheet", "Handover", "Overdracht", "Recouvrement"),
    ("data_quality", "Data quality", "Datakwaliteit", "Qualité des données"),
    ("page", "Page", "Pagina", "Page"),
    ("of", "of", "van", "sur"),
    ("client", "Client", "Klant", "Client"),
    ("client_id", "Client id", "Klantnr", "N° client"),
    ("company_number", "Company number", "Ondernemingsnummer", "Numéro d'entreprise"),
    ("tier", "Tier", "Niveau", "Niveau"),
    ("score", "Score", "Score", "Score"),
    ("reasons", "Reasons", "Redenen", "Raisons"),
    ("kind", "Kind", "Soort", "Type"),
    ("severity", "Severity", "Ernst", "Gravité"),
    ("previous", "Previous", "Vorige", "Précédent"),
    ("current", "Current", "Huidig", "Actuel"),
    ("message", "Message", "Bericht", "Message"),
    ("direction", "Direction", "Richting", "Sens"),
    ("document", "Invoice", "Factuur", "Facture"),
    ("issue_date", "Issued", "Factuurdatum", "Date"),
    ("due_date", "Due", "Vervaldag", "Échéance"),
    ("amount", "Amount", "Bedrag", "Montant"),
    ("open_amount", "Open", "Openstaand", "Ouvert"),
    ("paid", "Paid", "Betaald", "Payé"),
    ("days_past_due", "Days past due", "Dagen vervallen", "Jours de retard"),
    ("bucket", "Bucket", "Schijf", "Tranche"),
    ("interest", "Interest", "Interest", "Intérêts"),
    ("compensation", "Compensation", "Vergoeding", "Indemnité"),
    ("claim_total", "Claim", "Vordering", "Créance"),
    ("total", "Total", "Totaal", "Total"),
    ("debtors", "debtors", "debiteuren", "débiteurs"),
    ("invoices", "invoices", "facturen", "factures"),
    (
        "no_alerts",
        "No alerts: nothing changed beyond the thresholds.",
        "Geen signalen: niets veranderde boven de drempels.",
        "Aucune alerte: rien n'a changé au-delà des seuils.",
    ),
    (
        "no_history",
        "No earlier run to compare with yet.",
        "Nog geen vorige run om mee te vergelijken.",
        "Pas encore d'exécution précédente à comparer.",
    ),
    (
        "nothing_handed_over",
        "No invoice meets the handover criteria.",
        "Geen enkele factuur voldoet aan de overdrachtscriteria.",
        "Aucune facture ne remplit les critères de transmission.",
    ),
    ("rows_read", "Rows read", "Rijen gelezen", "Lignes lues"),
    ("accepted", "Accepted", "Aanvaard", "Acceptées"),
    ("rejected", "Rejected", "Geweigerd", "Rejetées"),
    ("warnings", "Warnings", "Waarschuwingen", "Avertissements"),
    ("source", "Source", "Bron", "Source"),
    ("location", "Location", "Plaats", "Emplacement"),
    ("column", "Column", "Kolom", "Colonne"),
    ("value", "Value", "Waarde", "Valeur"),
    ("reason", "Reason", "Reden", "Raison"),
    ("month", "Month", "Maand", "Mois"),
    ("sales", "Sales", "Omzet", "Ventes"),
    ("current_ar", "Not yet due", "Nog niet vervallen", "Non échu"),
    ("summary", "Summary", "Overzicht", "Synthèse"),
    ("clients", "Clients", "Klanten", "Clients"),
    ("open_items", "Open items", "Openstaande posten", "Postes ouverts"),
    ("trends", "Trends", "Evolutie", "Tendances"),
    ("kpi", "Indicator", "Indicator", "Indicateur"),
    ("standard", "standard", "standaard", "standard"),
    ("countback", "countback", "countback", "countback"),
    ("creditor", "Creditor", "Schuldeiser", "Créancier"),
    ("debtor", "Debtor", "Schuldenaar", "Débiteur"),
    ("address", "Address", "Adres", "Adresse"),
    ("legal_basis", "Legal basis", "Rechtsgrond", "Base légale"),
    ("handover_date", "Handover date", "Overdrachtsdatum", "Date de transmission"),
    ("reminders", "Reminder history", "Herinneringen", "Historique des rappels"),
    (
        "no_reminders",
        "No reminder log was supplied.",
        "Er werd geen herinneringslog aangeleverd.",
        "Aucun journal de rappels n'a été fourni.",
    ),
    ("dossier", "Collection dossier", "Incassodossier", "Dossier de recouvrement"),
    ("provisional", "provisional rate", "voorlopige rentevoet", "taux provisoire"),
    (
        "interest_note",
        "Statutory interest from the day after the due date to the handover date, act/365, per half-year rate; 40 EUR fixed compensation per invoice.",
        "Wettelijke interest vanaf de dag na de vervaldag tot de overdrachtsdatum, act/365, tegen de rentevoet per halfjaar; forfaitaire vergoeding van 40 EUR per factuur.",
        "Intérêts légaux du lendemain de l'échéance à la date de transmission, act/365, au taux semestriel; indemnité forfaitaire de 40 EUR par facture.",
    ),
    ("count", "Count", "Aantal", "Nombre"),
];

pub fn t(lang: Lang, key: &str) -> &'static str {
    match LABELS.iter().find(|l| l.0 == key) {
        Some(&(_, en, nl, fr)) => match lang {
            Lang::En => en,
            Lang::Nl => nl,
            Lang::Fr => fr,
        },
        None => "?",
    }
}

/// Groups the integer part with `sep`.
fn group(int: u64, sep: &str) -> String {
    let s = int.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A number with `decimals` decimals in the language's notation.
pub fn number(lang: Lang, v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let scaled = (v.abs() * 10f64.powi(decimals as i32)).round() as u64;
    fixed(lang, v < 0.0 && scaled > 0, scaled, decimals as u32)
}

/// `scaled` / 10^`decimals`, exactly, in the language's notation.
fn fixed(lang: Lang, negative: bool, scaled: u64, decimals: u32) -> String {
    let p = 10u64.pow(decimals);
    let (int, frac) = (scaled / p, scaled % p);
    let (gsep, dsep) = match lang {
        Lang::En => (",", "."),
        Lang::Nl => (".", ","),
        Lang::Fr => ("\u{202f}", ","),
    };
    let mut s = format!("{}{}", if negative { "-" } else { "" }, group(int, gsep));
    if decimals > 0 {
        s.push_str(dsep);
        s.push_str(&format!("{frac:0w$}", w = decimals as usize));
    }
    s
}

/// Money from minor units, exactly, with the currency's own decimals: `€ 1,234.56`,
/// `1.234,56 €`, `1 234,56 €`, `JPY 1,234`, `KWD 1,234.567`.
pub fn money(lang: Lang, minor: i64, currency: Currency) -> String {
    let code = currency.code();
    let symbol = if code == "EUR" { "€" } else { code };
    let n = fixed(lang, minor < 0, minor.unsigned_abs(), currency.minor_digits());
    match lang {
        Lang::En => format!("{symbol} {n}"),
        Lang::Nl | Lang::Fr => format!("{n} {symbol}"),
    }
}

pub fn percent(lang: Lang, fraction: f64, decimals: usize) -> String {
    format!("{} %", number(lang, fraction * 100.0, decimals))
}

pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_money_per_language() {
        let eur = Currency::EUR;
        assert_eq!(money(Lang::Nl, 123456, eur), "1.234,56 €");
        assert_eq!(money(Lang::En, 123456, eur), "€ 1,234.56");
        assert_eq!(money(Lang::Fr, 123456789, eur), "1\u{202f}234\u{202f}567,89 €");
        assert_eq!(money(Lang::Nl, -5, eur), "-0,05 €");
        // Issue 9: the currency's own decimals, never a hundredth of the amount.
        assert_eq!(money(Lang::En, 123456, Currency::parse("JPY").unwrap()), "JPY 123,456");
        assert_eq!(money(Lang::Nl, -1234567, Currency::parse("KWD").unwrap()), "-1.234,567 KWD");
        assert_eq!(money(Lang::En, i64::MIN, eur), "€ -92,233,720,368,547,758.08");
        assert_eq!(percent(Lang::Nl, 0.5593, 1), "55,9 %");
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()), "31/10/2026");
    }

    #[test]
    fn every_label_in_three_languages() {
        for (key, en, nl, fr) in LABELS {
            assert!(!en.is_empty() && !nl.is_empty() && !fr.is_empty(), "{key}");
        }
        assert_eq!(t(Lang::Fr, "interest"), "Intérêts");
    }
}
