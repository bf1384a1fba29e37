//! One run's digest: the alerts worth telling, as a subject and plain text for e-mail and as
//! the JSON a Teams, Slack or own webhook expects.

use super::settings::MinSeverity;
use super::wording;
use crate::locale::Lang;
use crate::monitor::alerts::{Alert, Severity};
use chrono::NaiveDate;
use serde_json::{Value, json};

/// The alerts a run tells, with what a reader needs around them.
#[derive(Clone, Debug)]
pub struct Digest {
    /// The company the report is for.
    pub company: String,
    /// The run's as-of date.
    pub as_of: NaiveDate,
    /// The saved run the alerts compare with.
    pub compared_with: Option<String>,
    /// The language of the words around the alerts.
    pub lang: Lang,
    /// The least severe alert it holds.
    pub least: Severity,
    /// The alerts, most severe first (the order of `alerts.csv`).
    pub alerts: Vec<Alert>,
    /// Where the run's report is, for the closing line.
    pub report: Option<String>,
}

impl Digest {
    /// The run's alerts at or above `min`.
    pub fn new(
        company: &str,
        as_of: NaiveDate,
        compared_with: Option<String>,
        lang: Lang,
        min: MinSeverity,
        alerts: &[Alert],
        report: Option<String>,
    ) -> Digest {
        let least = [Severity::Low, Severity::Medium, Severity::High, Severity::Critical]
            .into_iter()
            .find(|s| min.admits(*s))
            .unwrap_or(Severity::Critical);
        Digest {
            company: company.to_string(),
            as_of,
            compared_with,
            lang,
            least,
            alerts: alerts.iter().filter(|a| min.admits(a.severity)).cloned().collect(),
            report,
        }
    }

    /// The same digest with only these of its alerts.
    pub fn only(&self, alerts: &[&Alert]) -> Digest {
        Digest { alerts: alerts.iter().map(|a| (*a).clone()).collect(), ..self.clone() }
    }

    /// The e-mail's subject.
    pub fn subject(&self) -> String {
        wording::subject(&self.company, self.alerts.len(), &self.as_of.format("%d/%m/%Y").to_string(), self.lang)
    }

    /// One alert on one line: severity, company, what changed from what to what.
    fn line(&self, a: &Alert) -> String {
        let lang = self.lang;
        let role = wording::role(a.role, lang).map(|r| format!(", {r}")).unwrap_or_default();
        let change = match (a.previous.is_empty(), a.current.is_empty()) {
            (true, true) => String::new(),
            (true, false) => format!(": {}", a.current),
            (false, true) => format!(": {} →", a.previous),
            (false, false) => format!(": {} → {}", a.previous, a.current),
        };
        format!(
            "{} · {} ({}{role}) · {} ({}){change}",
            // In capitals, as the digest lists it.
            a.severity.words(lang).to_uppercase(),
            a.client_name,
            a.client_id,
            a.kind.words(lang),
            a.direction_words(lang),
        )
    }

    /// The plain text of the e-mail, also the text of a Teams or Slack message.
    pub fn text(&self) -> String {
        let mut out = wording::opening(self.alerts.len(), self.least, self.compared_with.as_deref(), self.lang);
        out.push_str("\n\n");
        for a in &self.alerts {
            out.push_str(&self.line(a));
            out.push('\n');
            // The sentence is in English (arwatch's alert messages are); the line above says
            // the same in the report's language.
            if self.lang == Lang::En {
                out.push_str("    ");
                out.push_str(&a.message);
                out.push('\n');
            }
        }
        if let Some(r) = &self.report {
            out.push('\n');
            out.push_str(&wording::closing(r, self.lang));
            out.push('\n');
        }
        out
    }

    /// A Microsoft Teams message: an Adaptive Card, as a Teams workflow's webhook takes it.
    pub fn teams(&self) -> Value {
        let mut body = vec![
            json!({"type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": true, "text": self.subject()}),
        ];
        for para in self.text().split("\n\n") {
            body.push(json!({"type": "TextBlock", "wrap": true, "text": para.trim_end().replace('\n', "\n\n")}));
        }
        json!({
            "type": "message",
            "attachments": [{
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": null,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": body,
                },
            }],
        })
    }

    /// A Slack incoming webhook's message.
    pub fn slack(&self) -> Value {
        json!({"text": format!("*{}*\n{}", self.subject(), self.text())})
    }

    /// The alerts as data, with the columns of `alerts.csv`.
    pub fn json(&self) -> Value {
        let alerts: Vec<Value> = self
            .alerts
            .iter()
            .map(|a| {
                json!({
                    "client_id": a.client_id,
                    "client_name": a.client_name,
                    "role": a.role.label(),
                    "kind": a.kind.code(),
                    "direction": a.direction(),
                    "severity": a.severity.label(),
                    "previous": a.previous,
                    "current": a.current,
                    "message": a.message,
                })
            })
            .collect();
        json!({
            "company": self.company,
            "as_of": self.as_of.to_string(),
            "compared_with": self.compared_with,
            "min_severity": self.least.label(),
            "subject": self.subject(),
            "alerts": alerts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bureau::watchlist::Role;
    use crate::monitor::alerts::AlertKind;

    fn alert(id: &str, kind: AlertKind, severity: Severity, role: Role) -> Alert {
        Alert {
            client_id: id.into(),
            client_name: format!("Firma {id}"),
            role,
            kind,
            risk: true,
            severity,
            previous: "active".into(),
            current: "bankrupt".into(),
            message: format!("{id} went bankrupt"),
        }
    }

    fn digest(lang: Lang, min: MinSeverity) -> Digest {
        let alerts = [
            alert("K1", AlertKind::BureauStatus, Severity::Critical, Role::Client),
            alert("BE0455123406", AlertKind::BureauStatus, Severity::High, Role::Supplier),
            alert("K2", AlertKind::Address, Severity::Low, Role::Client),
        ];
        Digest::new(
            "Voorbeeld NV",
            "2026-10-31".parse().unwrap(),
            Some("2026-09-30".into()),
            lang,
            min,
            &alerts,
            Some("reports/2026-10/arwatch-2026-10.pdf".into()),
        )
    }

    #[test]
    fn it_holds_the_alerts_at_or_above_the_minimum() {
        let d = digest(Lang::En, MinSeverity::High);
        assert_eq!(d.alerts.iter().map(|a| a.client_id.as_str()).collect::<Vec<_>>(), ["K1", "BE0455123406"]);
        assert_eq!(d.subject(), "arwatch: Voorbeeld NV, 2 alerts as of 31/10/2026");
        let text = d.text();
        assert!(text.starts_with("2 new alerts of severity high or higher since the run of 2026-09-30.\n\n"), "{text}");
        assert!(
            text.contains("CRITICAL · Firma K1 (K1) · status (risk): active → bankrupt\n    K1 went bankrupt\n"),
            "{text}"
        );
        assert!(text.contains("(BE0455123406, supplier)"), "{text}");
        assert!(text.ends_with("The full report: reports/2026-10/arwatch-2026-10.pdf\n"), "{text}");
        assert_eq!(digest(Lang::En, MinSeverity::Low).alerts.len(), 3);
    }

    #[test]
    fn its_words_are_in_the_report_language() {
        let d = digest(Lang::Nl, MinSeverity::High);
        assert_eq!(d.subject(), "arwatch: Voorbeeld NV, 2 signalen per 31/10/2026");
        let text = d.text();
        assert!(text.contains("KRITIEK · Firma K1 (K1) · status (risico): active → bankrupt"), "{text}");
        assert!(text.contains("leverancier"), "{text}");
        assert!(!text.contains("went bankrupt"), "no English sentences in a Dutch digest: {text}");
        let f = digest(Lang::Fr, MinSeverity::Critical);
        assert_eq!(f.subject(), "arwatch: Voorbeeld NV, 1 alerte au 31/10/2026");
        assert!(f.text().starts_with("1 nouvelle alerte de gravité critique ou plus depuis l'analyse du 2026-09-30."));
    }

    #[test]
    fn each_webhook_gets_its_own_shape() {
        let d = digest(Lang::En, MinSeverity::High);
        let teams = d.teams();
        assert_eq!(teams["attachments"][0]["content"]["type"], "AdaptiveCard");
        assert_eq!(teams["attachments"][0]["content"]["body"][0]["text"], d.subject());
        assert!(d.slack()["text"].as_str().unwrap().contains("Firma K1"));
        let json = d.json();
        assert_eq!(json["alerts"][1]["role"], "supplier");
        assert_eq!(json["alerts"][0]["severity"], "critical");
        assert_eq!(json["min_severity"], "high");
    }
}
