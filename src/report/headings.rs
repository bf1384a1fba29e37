//! The workbook's column headings in English, Dutch and French, by the data files' column
//! names: a person reads `Weighted days late (12 months)` where a program reads `wadl_12m`.
//! Columns with a report label (`Label`) take that; these are the others.

use crate::locale::Lang;

/// The heading of the data-file column `key` in `lang`, when it has one (every column the
/// workbook shows has; the test below holds that).
pub fn heading(lang: Lang, key: &str) -> Option<String> {
    if let Some(words) = bucket(key) {
        return Some(lang.pick(words));
    }
    Some(lang.pick(fixed(key)?).to_string())
}

/// The aging buckets, whose names follow the configured boundaries: `not_due`,
/// `overdue_31_60`, `overdue_over_120`.
fn bucket(key: &str) -> Option<[String; 3]> {
    if key == "not_due" {
        return Some(["Not due".into(), "Niet vervallen".into(), "Non échu".into()]);
    }
    let rest = key.strip_prefix("overdue_")?;
    if let Some(n) = rest.strip_prefix("over_") {
        n.parse::<u32>().ok()?;
        return Some([
            format!("Overdue over {n} days"),
            format!("Meer dan {n} dagen vervallen"),
            format!("Échu depuis plus de {n} jours"),
        ]);
    }
    let (lo, hi) = rest.split_once('_')?;
    lo.parse::<u32>().ok()?;
    hi.parse::<u32>().ok()?;
    Some([
        format!("Overdue {lo}-{hi} days"),
        format!("{lo}-{hi} dagen vervallen"),
        format!("Échu depuis {lo}-{hi} jours"),
    ])
}

fn fixed(key: &str) -> Option<[&'static str; 3]> {
    Some(match key {
        "client_id" => ["Client id", "Klantnummer", "N° client"],
        "client_name" => ["Client", "Klant", "Client"],
        "company_number" => ["Company number", "Ondernemingsnummer", "Numéro d'entreprise"],
        "currency" => ["Currency", "Munt", "Devise"],
        "net_ar" => ["Net AR", "Netto openstaand", "Encours net"],
        "open_invoices" => ["Open invoices", "Openstaande facturen", "Factures ouvertes"],
        "unapplied_credit" => ["Unapplied credit", "Niet-toegewezen tegoed", "Crédit non imputé"],
        "dbt" => ["Days beyond terms", "Dagen na vervaldag", "Jours au-delà du terme"],
        "paid_12m" => ["Invoices paid (12 months)", "Betaalde facturen (12 m.)", "Factures payées (12 mois)"],
        "late_12m" => ["Paid late (12 months)", "Te laat betaald (12 m.)", "Payées en retard (12 mois)"],
        "late_ratio_12m" => {
            ["Share paid late (12 months)", "Aandeel te laat betaald (12 m.)", "Part payée en retard (12 mois)"]
        }
        "late_amount_ratio_12m" => [
            "Share of amount paid late (12 months)",
            "Aandeel van het bedrag te laat betaald (12 m.)",
            "Part du montant payée en retard (12 mois)",
        ],
        "wadl_12m" => {
            ["Weighted days late (12 months)", "Gewogen dagen te laat (12 m.)", "Retard moyen pondéré (12 mois)"]
        }
        "adp_12m" => [
            "Weighted days to pay (12 months)",
            "Gewogen betaalduur in dagen (12 m.)",
            "Délai de paiement pondéré (12 mois)",
        ],
        "wadl_slope_6m" => [
            "Days late: trend per month (6 months)",
            "Dagen te laat: trend per maand (6 m.)",
            "Retard : tendance par mois (6 mois)",
        ],
        "late_ratio_trend" => ["Share paid late: trend", "Aandeel te laat: trend", "Part en retard : tendance"],
        "dso_standard" => ["DSO (standard, 3 months)", "DSO (standaard, 3 maanden)", "DSO (standard, 3 mois)"],
        "dso_countback" => ["DSO (countback)", "DSO (countback)", "DSO (countback)"],
        "dso_countback_capped" => ["DSO (countback) capped", "DSO (countback) afgetopt", "DSO (countback) plafonné"],
        "bpdso" => ["Best possible DSO", "Best mogelijke DSO", "Meilleur DSO possible"],
        "add" => ["Average days delinquent", "Gemiddelde dagen achterstand", "Retard moyen (jours)"],
        "cei" => ["CEI (3 months)", "CEI (3 maanden)", "CEI (3 mois)"],
        "credit_limit" => ["Credit limit", "Kredietlimiet", "Limite de crédit"],
        "utilisation" => ["Share of limit used", "Gebruik van de limiet", "Utilisation de la limite"],
        "bureau_status" => ["Bureau status", "Status bij het kredietbureau", "Statut au bureau de crédit"],
        "risk_score" => ["Risk score", "Risicoscore", "Score de risque"],
        "risk_tier" => ["Risk tier", "Risiconiveau", "Niveau de risque"],
        "risk_reasons" => ["Risk reasons", "Redenen van het risico", "Raisons du risque"],
        "avg_terms_days" => [
            "Average payment terms (days)",
            "Gemiddelde betalingstermijn (dagen)",
            "Délai de paiement moyen accordé (jours)",
        ],
        "elsewhere_creditors" => ["Other creditors (pool)", "Andere schuldeisers (pool)", "Autres créanciers (pool)"],
        "elsewhere_late_ratio_12m" => [
            "Share paid late elsewhere (12 months)",
            "Aandeel te laat elders (12 m.)",
            "Part payée en retard ailleurs (12 mois)",
        ],
        "elsewhere_wadl_12m" => [
            "Weighted days late elsewhere (12 months)",
            "Gewogen dagen te laat elders (12 m.)",
            "Retard moyen pondéré ailleurs (12 mois)",
        ],
        "elsewhere_wadl_trend_6m" => [
            "Days late elsewhere: trend per month (6 months)",
            "Dagen te laat elders: trend per maand (6 m.)",
            "Retard ailleurs : tendance par mois (6 mois)",
        ],
        "elsewhere_dbt" => {
            ["Days beyond terms elsewhere", "Dagen na vervaldag elders", "Jours au-delà du terme ailleurs"]
        }
        "forecast_30d" => ["Expected within 30 days", "Verwacht binnen 30 dagen", "Attendu sous 30 jours"],
        "forecast_13w" => ["Expected within 13 weeks", "Verwacht binnen 13 weken", "Attendu sous 13 semaines"],
        "promises_made_12m" => {
            ["Promises to pay (12 months)", "Betalingsbeloftes (12 maanden)", "Promesses de paiement (12 mois)"]
        }
        "promises_kept_12m" => ["Promises kept", "Beloftes nagekomen", "Promesses tenues"],
        "promises_broken_12m" => ["Promises broken", "Beloftes gebroken", "Promesses non tenues"],
        "promises_kept_ratio_12m" => {
            ["Promises kept (share)", "Beloftes nagekomen (aandeel)", "Promesses tenues (part)"]
        }
        "disputed_open" => ["Disputed, open", "Betwist, openstaand", "Contesté, ouvert"],
        "longest_dispute_days" => ["Longest dispute (days)", "Langste betwisting (dagen)", "Plus long litige (jours)"],
        "days_in_dispute" => ["Days in dispute", "Dagen betwist", "Jours en litige"],
        "instalment" => ["Instalment", "Termijn", "Échéance"],
        "month" => ["Month", "Maand", "Mois"],
        "sales" => ["Sales", "Omzet", "Ventes"],
        "current_ar" => ["Not yet due", "Nog niet vervallen", "Pas encore échu"],
        "paid" => ["Invoices paid", "Betaalde facturen", "Factures payées"],
        "late" => ["Paid late", "Te laat betaald", "Payées en retard"],
        "wadl" => ["Weighted days late", "Gewogen dagen te laat", "Retard moyen pondéré"],
        "adp" => ["Weighted days to pay", "Gewogen betaalduur in dagen", "Délai de paiement pondéré"],
        "disputed" => ["Disputed", "Betwist", "Contesté"],
        "document_currency" => ["Document currency", "Munt van het document", "Devise du document"],
        "document_open_amount" => {
            ["Open in document currency", "Openstaand in munt van het document", "Ouvert en devise du document"]
        }
        "jurisdiction" => ["Jurisdiction", "Rechtsgebied", "Juridiction"],
        "interest_provisional" => ["Interest provisional", "Interest voorlopig", "Intérêts provisoires"],
        "dossier" => ["Dossier", "Dossier", "Dossier"],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_three_languages_and_buckets_from_their_bounds() {
        assert_eq!(heading(Lang::En, "wadl_12m").unwrap(), "Weighted days late (12 months)");
        assert_eq!(heading(Lang::Nl, "net_ar").unwrap(), "Netto openstaand");
        assert_eq!(heading(Lang::Fr, "overdue_31_60").unwrap(), "Échu depuis 31-60 jours");
        assert_eq!(heading(Lang::Nl, "overdue_over_120").unwrap(), "Meer dan 120 dagen vervallen");
        assert_eq!(heading(Lang::En, "overdue_x_60"), None);
        assert_eq!(heading(Lang::En, "no_such_column"), None);
    }
}
