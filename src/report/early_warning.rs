//! The early-warning record as the report shows it: a sentence a manager reads ("of the 6
//! clients that failed…"), and one table of the failures and the false alarms with what
//! weighed most when each was flagged (the workbook's sheet and the PDF's page).

use super::i18n::{self, Label};
use super::table::{Cell, Column, Table};
use crate::analytics::risk::{Reason, Tier};
use crate::locale::Lang;
use crate::model::{ClientIx, Roster};
use crate::monitor::early_warning::{Cause, Record};
use chrono::NaiveDate;

/// One line of the record's table: a failure or a false alarm.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordRow {
    /// The client.
    pub client: ClientIx,
    /// The day it failed; `None` for a false alarm.
    pub failed_on: Option<NaiveDate>,
    /// Why it counts as failed.
    pub cause: Option<Cause>,
    /// The first month end it was flagged.
    pub flagged_on: Option<NaiveDate>,
    /// Its tier then.
    pub tier: Option<Tier>,
    /// Months from the flag to the failure.
    pub lead_months: Option<u32>,
    /// What weighed most when it was flagged.
    pub factor: Option<Reason>,
}

/// The failures (by the day they failed), then the false alarms (by the day they were flagged).
pub fn rows(r: &Record) -> Vec<RecordRow> {
    let failures = r.failures.iter().map(|f| RecordRow {
        client: f.client,
        failed_on: Some(f.failed_on),
        cause: Some(f.cause),
        flagged_on: f.flagged_on,
        tier: f.tier,
        lead_months: f.lead_months,
        factor: f.factor.clone(),
    });
    let mut alarms: Vec<RecordRow> = r
        .false_alarms
        .iter()
        .map(|a| RecordRow {
            client: a.client,
            failed_on: None,
            cause: None,
            flagged_on: Some(a.flagged_on),
            tier: Some(a.tier),
            lead_months: None,
            factor: a.factor.clone(),
        })
        .collect();
    alarms.sort_by_key(|a| (a.flagged_on, a.client));
    failures.chain(alarms).collect()
}

/// Why a client failed, in the report's language.
pub fn cause(lang: Lang, c: Cause) -> &'static str {
    match c {
        Cause::Status(s) => i18n::status(lang, s.label()),
        Cause::HandedOver => lang.pick(["debt handed over", "schuld overgedragen", "créance transmise"]),
        Cause::Stalled => lang.pick(["stopped paying", "betaalt niet meer", "ne paie plus"]),
    }
}

/// The record's table in the report's language.
pub fn table<'a>(r: &Record, roster: &'a Roster, lang: Lang) -> Table<'a, RecordRow> {
    let outcome = move |x: &RecordRow| -> &'static str {
        lang.pick(if x.failed_on.is_some() {
            ["failed", "gefaald", "défaillant"]
        } else {
            ["false alarm", "vals alarm", "fausse alerte"]
        })
    };
    let date = |d: Option<NaiveDate>| d.map_or(Cell::Blank, Cell::Date);
    let columns: Vec<Column<'a, RecordRow>> = vec![
        Column::new("client", move |x: &RecordRow| {
            Cell::owned(roster.label_of(&roster.clients[x.client as usize]).into_owned())
        })
        .labelled(Label::Client),
        Column::new("outcome", move |x: &RecordRow| Cell::text(outcome(x))).labelled(Label::Outcome),
        Column::new("failed_on", move |x: &RecordRow| date(x.failed_on)).labelled(Label::FailedOn),
        Column::new("cause", move |x: &RecordRow| x.cause.map_or(Cell::Blank, |c| Cell::text(cause(lang, c))))
            .labelled(Label::Cause),
        Column::new("flagged_on", move |x: &RecordRow| date(x.flagged_on)).labelled(Label::FlaggedOn),
        Column::new("tier", move |x: &RecordRow| x.tier.map_or(Cell::Blank, |t| Cell::text(i18n::tier(lang, t))))
            .labelled(Label::Tier),
        Column::new("lead_months", |x: &RecordRow| x.lead_months.map_or(Cell::Blank, |l| Cell::Int(i64::from(l))))
            .labelled(Label::LeadMonths),
        Column::new("factor", move |x: &RecordRow| {
            x.factor.as_ref().map_or(Cell::Blank, |r| Cell::owned(r.words(lang)))
        })
        .labelled(Label::Factor),
    ];
    Table::of(columns, rows(r))
}

/// The record in a sentence or two: "Of the 6 clients that failed in the last 24 months,
/// arwatch flagged 5, a median 5 months before (4 at least 3 months ahead); 9 of the 140
/// other clients were flagged and did not fail within 12 months."
pub fn sentence(lang: Lang, r: &Record) -> String {
    if r.month_ends.is_empty() {
        return lang
            .pick([
                "No early-warning record: the ledger has no history to look back on (an open-items list), or the record is switched off.",
                "Geen trackrecord van de vroege waarschuwing: het grootboek heeft geen geschiedenis (een lijst van openstaande posten), of het trackrecord staat uit.",
                "Pas de bilan de l'alerte précoce : le grand livre n'a pas d'historique (une liste de postes ouverts), ou le bilan est désactivé.",
            ])
            .into();
    }
    // Failures are counted from `failures_from`, `lead_months` into the record.
    let months = r.month_ends.len() - r.failures_from.map_or(0, |_| r.lead_months as usize).min(r.month_ends.len() - 1);
    let (n, flagged, ahead) = (r.failures.len(), r.flagged_failures(), r.caught_ahead());
    let lead = r.lead_months;
    // "a median 1 month", "mediaan 1 maand", "en médiane 1 mois"; more months otherwise.
    let median = r.median_lead().map(|m| {
        let n = i18n::number(lang, m, if m.fract() == 0.0 { 0 } else { 1 });
        let unit = if m == 1.0 { ["month", "maand", "mois"] } else { ["months", "maanden", "mois"] };
        format!("{n} {}", lang.pick(unit))
    });
    let mut s = match (lang, n, median) {
        (Lang::En, 0, _) => format!("No client failed in the last {months} months."),
        (Lang::Nl, 0, _) => format!("Geen enkele klant faalde in de laatste {months} maanden."),
        (Lang::Fr, 0, _) => format!("Aucun client n'a fait défaut au cours des {months} derniers mois."),
        (Lang::En, _, Some(m)) => format!(
            "Of the {n} clients that failed in the last {months} months, arwatch flagged {flagged}, a median {m} \
             before ({ahead} at least {lead} months ahead)."
        ),
        (Lang::Nl, _, Some(m)) => format!(
            "Van de {n} klanten die in de laatste {months} maanden faalden, markeerde arwatch er {flagged}, mediaan {m} \
             vooraf ({ahead} minstens {lead} maanden vooraf)."
        ),
        (Lang::Fr, _, Some(m)) => format!(
            "Sur les {n} clients défaillants des {months} derniers mois, arwatch en a signalé {flagged}, en médiane {m} \
             avant ({ahead} au moins {lead} mois avant)."
        ),
        (Lang::En, _, None) => {
            format!(
                "Of the {n} clients that failed in the last {months} months, arwatch flagged none before it failed."
            )
        }
        (Lang::Nl, _, None) => format!(
            "Van de {n} klanten die in de laatste {months} maanden faalden, markeerde arwatch er geen enkele vooraf."
        ),
        (Lang::Fr, _, None) => {
            format!("Sur les {n} clients défaillants des {months} derniers mois, arwatch n'en a signalé aucun avant.")
        }
    };
    let (fa, healthy, alarm) = (r.false_alarms.len(), r.healthy, r.alarm_months);
    s.push(' ');
    // False alarms are judged only where a flag has had `alarm` months to come true.
    let judged = r.judged_until.filter(|_| healthy > 0);
    s.push_str(&match (lang, judged) {
        (Lang::En, Some(_)) => {
            format!("{fa} of the {healthy} other clients were flagged and did not fail within {alarm} months.")
        }
        (Lang::Nl, Some(_)) => {
            format!("{fa} van de {healthy} andere klanten werden gemarkeerd en faalden niet binnen {alarm} maanden.")
        }
        (Lang::Fr, Some(_)) => {
            format!("{fa} des {healthy} autres clients ont été signalés sans faire défaut dans les {alarm} mois.")
        }
        (Lang::En, None) => {
            format!("No other client can be judged for false alarms yet ({alarm} months must pass after a flag).")
        }
        (Lang::Nl, None) => format!(
            "Nog geen andere klant kan beoordeeld worden op valse alarmen (er moeten {alarm} maanden verstrijken na een \
             markering)."
        ),
        (Lang::Fr, None) => format!(
            "Aucun autre client ne peut encore être jugé pour les fausses alertes ({alarm} mois doivent passer après un \
             signalement)."
        ),
    });
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::early_warning::{Alarm, Failure};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_sentence_counts_as_the_issue_asks() {
        let alarm = Alarm { client: 1, flagged_on: d("2025-03-31"), tier: Tier::High, factor: None };
        let r = Record {
            month_ends: vec![d("2026-10-31"); 24],
            failures_from: Some(d("2025-02-01")),
            judged_until: Some(d("2025-10-31")),
            failures: vec![
                Failure::example(Some(5)),
                Failure::example(Some(4)),
                Failure::example(Some(7)),
                Failure::example(Some(1)),
                Failure::example(None),
            ],
            false_alarms: vec![alarm; 9],
            healthy: 140,
            lead_months: 3,
            alarm_months: 12,
            ..Record::default()
        };
        assert_eq!(
            sentence(Lang::En, &r),
            "Of the 5 clients that failed in the last 21 months, arwatch flagged 4, a median 4.5 months before (3 at \
             least 3 months ahead). 9 of the 140 other clients were flagged and did not fail within 12 months."
        );
        assert!(sentence(Lang::Nl, &r).starts_with("Van de 5 klanten"), "{}", sentence(Lang::Nl, &r));
        assert!(sentence(Lang::Fr, &r).contains("4,5 mois"), "{}", sentence(Lang::Fr, &r));
        let none = Record { failures: Vec::new(), ..r.clone() };
        assert!(sentence(Lang::En, &none).starts_with("No client failed in the last 21 months."));
        // Nobody to judge false alarms on: said so, never "0 of the 0".
        let alone = Record { healthy: 0, false_alarms: Vec::new(), ..r };
        assert!(
            sentence(Lang::En, &alone)
                .ends_with("No other client can be judged for false alarms yet (12 months must pass after a flag)."),
            "{}",
            sentence(Lang::En, &alone)
        );
    }
}
