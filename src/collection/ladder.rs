//! The collection ladder: the dunning steps every overdue invoice goes through (first reminder,
//! second reminder, formal notice, handover), which step each invoice is at given the reminder
//! log, the next action and its date, and the steps that are overdue. An insolvent client is no
//! collection case: its action is to file the claim in the insolvency proceedings.

use super::CollectionError;
use super::handover::{HandoverSettings, Reminder, compensation_in};
use super::interest::{Jurisdiction, Rates, statutory_interest};
use crate::analytics::Analysis;
use crate::analytics::risk::Tier;
use crate::bureau::Status;
use crate::fx::Fx;
use crate::locale::Lang;
use crate::model::Roster;
use crate::monitor::Assessment;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A step's name in the report languages.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// English.
    pub en: String,
    /// Dutch.
    pub nl: String,
    /// French.
    pub fr: String,
}

impl Names {
    /// The name in a language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
            Lang::Fr => &self.fr,
        }
    }
}

/// One step of the ladder.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Days after the due date the step is due.
    pub days: i64,
    /// Its name.
    pub name: Names,
}

/// `[ladder]` in the configuration.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LadderSettings {
    /// The steps, in order; the last is the handover to a collection partner.
    pub steps: Vec<Step>,
}

impl Default for LadderSettings {
    fn default() -> Self {
        let step = |days, en: &str, nl: &str, fr: &str| Step {
            days,
            name: Names { en: en.into(), nl: nl.into(), fr: fr.into() },
        };
        LadderSettings {
            steps: vec![
                step(7, "first reminder", "eerste herinnering", "premier rappel"),
                step(21, "second reminder", "tweede herinnering", "second rappel"),
                step(35, "formal notice", "ingebrekestelling", "mise en demeure"),
                step(60, "handover to collection", "overdracht aan incasso", "transmission au recouvrement"),
            ],
        }
    }
}

impl LadderSettings {
    /// Refuses a ladder without steps or whose steps are not in increasing days.
    pub fn check(&self) -> Result<(), String> {
        if self.steps.is_empty() {
            return Err("[ladder] needs at least one step (the last is the handover)".into());
        }
        if self.steps.windows(2).any(|w| w[0].days >= w[1].days) || self.steps[0].days < 0 {
            return Err("[ladder] steps must come in increasing days after the due date, from 0".into());
        }
        Ok(())
    }
}

/// What to do about an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// File the claim in the insolvency proceedings (bankruptcy, judicial reorganisation).
    FileClaim,
    /// Hand over now: the ladder is exhausted, or the client became critical.
    Handover,
    /// Take the ladder's next step.
    Step,
}

impl Kind {
    /// The kind as the data files write it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::FileClaim => "file_claim",
            Kind::Handover => "handover",
            Kind::Step => "step",
        }
    }
}

/// The next action on one overdue invoice.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// The client's index in the roster.
    pub client: crate::model::ClientIx,
    /// The invoice.
    pub document_id: String,
    /// Its due date.
    pub due: NaiveDate,
    /// Days past due at the as-of date.
    pub days_past_due: i64,
    /// What is open (minor units).
    pub open: i64,
    /// Steps taken so far (reminders in the log).
    pub steps_done: usize,
    /// What kind of action.
    pub kind: Kind,
    /// The action in words, in the report's language for steps.
    pub action: String,
    /// When it is (or was) due.
    pub date: NaiveDate,
    /// How many days it is overdue (0 when not yet due).
    pub overdue_days: i64,
    /// Why, in words.
    pub reason: String,
    /// For a claim to file: principal + statutory interest + compensation (minor units).
    pub claim: Option<i64>,
}

/// The next action on every open invoice past due, the most urgent first: claims to file,
/// handovers, then steps by how long they are overdue.
// Long on purpose: the ladder's rules read in their order of precedence (insolvency, a
// critical client, the ladder itself), each with its reason in words.
#[allow(clippy::too_many_arguments)]
pub fn actions(
    roster: &Roster,
    analysis: &Analysis,
    assessment: &Assessment,
    reminders: &[Reminder],
    ladder: &LadderSettings,
    handover: &HandoverSettings,
    rates: &Rates,
    fx: &Fx,
    lang: Lang,
) -> Result<Vec<Action>, CollectionError> {
    let as_of = analysis.as_of;
    let mut done: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in reminders.iter().filter(|r| r.date <= as_of) {
        *done.entry((r.client_id.as_str(), r.document_id.as_str())).or_default() += 1;
    }
    let default = Jurisdiction::parse(&handover.jurisdiction).unwrap_or(Jurisdiction::Belgium);
    // Needed only for a claim to file: a ledger without insolvent clients needs no rate for it.
    let mut compensation = None;
    let last = ladder.steps.len() - 1;
    let mut out = Vec::new();
    for (c, v) in analysis.clients.iter().zip(&assessment.clients) {
        let client = &roster.clients[c.client as usize];
        let insolvent = matches!(v.status, Some(Status::Bankrupt | Status::Reorganisation));
        let snapshot_date = v.snapshot.map(|i| assessment.snapshots[i].date).unwrap_or(as_of);
        for o in c.open_items.iter().filter(|o| o.days_past_due > 0 || insolvent) {
            let steps_done = done.get(&(client.id.as_str(), o.document_id.as_str())).copied().unwrap_or(0);
            let mut a = Action {
                client: c.client,
                document_id: o.document_id.clone(),
                due: o.due,
                days_past_due: o.days_past_due,
                open: o.open,
                steps_done,
                kind: Kind::Step,
                action: String::new(),
                date: as_of,
                overdue_days: 0,
                reason: String::new(),
                claim: None,
            };
            if insolvent {
                // The claim is what a handover would claim, with interest to the day the
                // bureau reported the proceedings (the judgment date is not an input).
                let j = client.company_number.as_deref().and_then(Jurisdiction::of_company).unwrap_or(default);
                let interest = statutory_interest(o.open, o.due, snapshot_date.min(as_of), j, rates)?;
                a.kind = Kind::FileClaim;
                a.action = "file the claim in the insolvency proceedings".into();
                a.date = snapshot_date;
                let comp = match compensation {
                    Some(c) => c,
                    None => *compensation.insert(compensation_in(handover, fx, as_of)?),
                };
                a.claim = Some(o.open + interest.amount + comp);
                a.reason = format!(
                    "{}: no case for a collection agency; file the claim {} within the term the judgment sets",
                    v.status.map_or("", Status::label),
                    j.insolvency_register()
                );
            } else if v.risk.tier == Tier::Critical {
                a.kind = Kind::Handover;
                a.action = ladder.steps[last].name.get(lang).to_string();
                a.reason = format!("the client became critical ({})", v.risk.reasons);
            } else if steps_done >= last {
                let date = o.due + Duration::days(ladder.steps[last].days);
                a.kind = if date <= as_of { Kind::Handover } else { Kind::Step };
                a.action = ladder.steps[last].name.get(lang).to_string();
                a.date = date;
                a.overdue_days = (as_of - date).num_days().max(0);
                a.reason = format!("{steps_done} reminders sent: the ladder is exhausted");
            } else {
                let step = &ladder.steps[steps_done];
                let date = o.due + Duration::days(step.days);
                a.action = step.name.get(lang).to_string();
                a.date = date;
                a.overdue_days = (as_of - date).num_days().max(0);
                a.reason = if a.overdue_days > 0 {
                    format!("{} due for {} days", step.name.en, a.overdue_days)
                } else {
                    format!("{} on {date}", step.name.en)
                };
            }
            out.push(a);
        }
    }
    out.sort_by(|a, b| {
        (a.kind, std::cmp::Reverse(a.overdue_days), a.client).cmp(&(
            b.kind,
            std::cmp::Reverse(b.overdue_days),
            b.client,
        ))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::risk::Risk;
    use crate::analytics::{ClientResult, OpenItem};
    use crate::model::{Client, Currency};
    use crate::monitor::ClientView;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn item(id: &str, due: &str, as_of: NaiveDate) -> OpenItem {
        OpenItem {
            client: 0,
            document_id: id.into(),
            issue: d(due) - Duration::days(30),
            due: d(due),
            amount: 1_000_00,
            open: 1_000_00,
            days_past_due: (as_of - d(due)).num_days(),
            bucket: 1,
            disputed: false,
            currency: Currency::EUR,
            open_in_currency: 1_000_00,
        }
    }

    /// One client with three invoices due 10, 30 and 70 days before A, and its view.
    fn case(tier: Tier, status: Option<Status>) -> (Roster, Analysis, Assessment) {
        let as_of = d("2026-10-31");
        let roster = Roster {
            sources: Vec::new(),
            clients: vec![Client { id: "K1".into(), name: "A".into(), company_number: None }],
        };
        let mut analysis =
            crate::analytics::analyse(&Default::default(), as_of, &Default::default(), &Fx::none(Currency::EUR))
                .unwrap();
        let items =
            vec![item("F10", "2026-10-21", as_of), item("F30", "2026-10-01", as_of), item("F70", "2026-08-22", as_of)];
        analysis.clients = vec![ClientResult {
            client: 0,
            figures: analysis.portfolio.clone(),
            open_items: items,
            warnings: Vec::new(),
        }];
        let view = ClientView {
            snapshot: None,
            credit_limit: None,
            utilisation: None,
            status,
            risk: Risk { score: 90.0, tier, reasons: "bureau score 5".into() },
            over_60: 0,
            over_90: 0,
        };
        (roster, analysis, Assessment { clients: vec![view], ..Default::default() })
    }

    fn run(tier: Tier, status: Option<Status>, reminders: &[Reminder]) -> Vec<Action> {
        let (roster, analysis, assessment) = case(tier, status);
        let fx = Fx::none(Currency::EUR);
        actions(
            &roster,
            &analysis,
            &assessment,
            reminders,
            &LadderSettings::default(),
            &HandoverSettings::default(),
            &Rates::shipped(),
            &fx,
            Lang::En,
        )
        .unwrap()
    }

    fn reminder(doc: &str, date: &str) -> Reminder {
        Reminder { client_id: "K1".into(), document_id: doc.into(), date: d(date), note: String::new() }
    }

    #[test]
    fn each_invoice_gets_its_next_step_and_how_late_it_is() {
        let a = run(Tier::Low, Some(Status::Active), &[reminder("F70", "2026-08-29"), reminder("F70", "2026-09-12")]);
        let by = |id: &str| a.iter().find(|x| x.document_id == id).unwrap();
        // Due 10 days ago: the first reminder (due + 7) is 3 days overdue.
        assert_eq!((by("F10").action.as_str(), by("F10").overdue_days), ("first reminder", 3));
        assert_eq!(by("F10").reason, "first reminder due for 3 days");
        // Due 30 days ago, nothing sent: still the first reminder, 23 days overdue.
        assert_eq!((by("F30").steps_done, by("F30").overdue_days), (0, 23));
        // Two reminders sent: the formal notice (due + 35) is 35 days overdue.
        assert_eq!((by("F70").steps_done, by("F70").action.as_str(), by("F70").overdue_days), (2, "formal notice", 35));
        // The most overdue first.
        assert_eq!(a.iter().map(|x| x.document_id.as_str()).collect::<Vec<_>>(), ["F70", "F30", "F10"]);
    }

    #[test]
    fn an_exhausted_ladder_or_a_critical_client_goes_to_handover() {
        let sent: Vec<Reminder> =
            ["2026-08-29", "2026-09-12", "2026-09-26"].iter().map(|d| reminder("F70", d)).collect();
        let a = run(Tier::Medium, Some(Status::Active), &sent);
        let f70 = a.iter().find(|x| x.document_id == "F70").unwrap();
        assert_eq!((f70.kind, f70.action.as_str(), f70.overdue_days), (Kind::Handover, "handover to collection", 10));
        assert_eq!(a[0].document_id, "F70", "handovers come before steps");
        let a = run(Tier::Critical, Some(Status::Active), &[]);
        assert!(a.iter().all(|x| x.kind == Kind::Handover && x.reason.contains("became critical")));
    }

    #[test]
    fn an_insolvent_client_is_a_claim_to_file_not_a_collection_case() {
        let a = run(Tier::Critical, Some(Status::Bankrupt), &[]);
        assert_eq!(a.len(), 3);
        for x in &a {
            assert_eq!(x.kind, Kind::FileClaim);
            assert!(x.reason.contains("regsol.be"), "{}", x.reason);
            // Principal, statutory interest to the day the bureau reported it, 40 EUR.
            let claim = x.claim.unwrap();
            assert!(claim > x.open + 40_00 || x.days_past_due <= 0, "{claim}");
        }
    }

    #[test]
    fn a_ladder_must_climb() {
        let mut l = LadderSettings::default();
        assert!(l.check().is_ok());
        l.steps.swap(0, 1);
        assert!(l.check().is_err());
        l.steps.clear();
        assert!(l.check().is_err());
    }
}
