//! The digest's words in the report languages: roles and the sentences around the alerts
//! (severities and what changed are the alerts' own words).

use crate::bureau::watchlist::Role;
use crate::locale::Lang;
use crate::monitor::alerts::Severity;

/// A watched company's role (a client's is not named).
pub fn role(r: Role, lang: Lang) -> Option<&'static str> {
    let words = match r {
        Role::Client => return None,
        Role::Supplier => ["supplier", "leverancier", "fournisseur"],
        Role::Prospect => ["prospect", "prospect", "prospect"],
        Role::Other => ["watched", "gevolgd", "suivi"],
    };
    Some(lang.pick(words))
}

/// The digest's subject: `arwatch: <company>, 3 alerts as of 31/10/2026`.
pub fn subject(company: &str, count: usize, as_of: &str, lang: Lang) -> String {
    let (one, many, as_of_word) = match lang {
        Lang::En => ("alert", "alerts", "as of"),
        Lang::Nl => ("signaal", "signalen", "per"),
        Lang::Fr => ("alerte", "alertes", "au"),
    };
    format!("arwatch: {company}, {count} {} {as_of_word} {as_of}", if count == 1 { one } else { many })
}

/// The digest's opening sentence.
pub fn opening(count: usize, least: Severity, compared_with: Option<&str>, lang: Lang) -> String {
    let least = least.words(lang);
    let since = compared_with.map(|c| match lang {
        Lang::En => format!(" since the run of {c}"),
        Lang::Nl => format!(" sinds de run van {c}"),
        Lang::Fr => format!(" depuis l'analyse du {c}"),
    });
    let since = since.unwrap_or_default();
    let one = count == 1;
    match lang {
        Lang::En => {
            let what = if one { "new alert" } else { "new alerts" };
            format!("{count} {what} of severity {least} or higher{since}.")
        }
        Lang::Nl => {
            let what = if one { "nieuw signaal" } else { "nieuwe signalen" };
            format!("{count} {what} met ernst {least} of hoger{since}.")
        }
        Lang::Fr => {
            let what = if one { "nouvelle alerte" } else { "nouvelles alertes" };
            format!("{count} {what} de gravité {least} ou plus{since}.")
        }
    }
}

/// The closing line that points to the report.
pub fn closing(report: &str, lang: Lang) -> String {
    let lead = lang.pick(["The full report", "Het volledige rapport", "Le rapport complet"]);
    format!("{lead}: {report}")
}
