//! Alarms reach people: after a run, the alerts at or above a configured severity go out as
//! one digest per channel (e-mail over SMTP, a webhook for Teams, Slack or plain JSON), in the
//! report's language. What was sent is remembered under the history, so a re-run sends only
//! what is new; a failed delivery is reported and never touches the run's outputs.

mod digest;
mod email;
mod error;
mod sent_log;
mod settings;
mod webhook;
mod wording;

pub use digest::Digest;
pub use error::NotifyError;
pub use sent_log::SentLog;
pub use settings::{Channel, EmailSettings, MinSeverity, NotifySettings, Tls, WebhookFormat, WebhookSettings};

use crate::monitor::alerts::Alert;
use std::path::Path;

/// What happened on one channel.
#[derive(Debug)]
pub struct Delivery {
    /// The channel.
    pub channel: Channel,
    /// Alerts sent now (0: nothing new to send).
    pub sent: usize,
    /// Alerts left out because an earlier run sent them.
    pub already_sent: usize,
    /// Why it failed, when it did.
    pub error: Option<NotifyError>,
}

/// Sends the run's digest on every configured channel: the alerts at or above the minimum
/// severity that this channel has not sent for this as-of date. Each channel's success is
/// written to the sent log under `history` at once, so a failure of the other loses nothing.
pub fn deliver(settings: &NotifySettings, digest: &Digest, history: &Path) -> Vec<Delivery> {
    let mut log = match SentLog::read(history) {
        Ok(log) => log,
        Err(e) => {
            // Without the log a re-run could send twice: nothing is sent.
            let msg = e.to_string();
            return settings
                .channels()
                .into_iter()
                .map(|channel| Delivery {
                    channel,
                    sent: 0,
                    already_sent: 0,
                    error: Some(NotifyError::Setup(msg.clone())),
                })
                .collect();
        }
    };
    let mut out = Vec::new();
    for channel in settings.channels() {
        let fresh: Vec<&Alert> = digest.alerts.iter().filter(|a| !log.contains(channel, digest.as_of, a)).collect();
        let already_sent = digest.alerts.len() - fresh.len();
        if fresh.is_empty() {
            out.push(Delivery { channel, sent: 0, already_sent, error: None });
            continue;
        }
        let part = digest.only(&fresh);
        let sent = match channel {
            Channel::Email => email::send(settings.email.as_ref().expect("a configured channel"), &part),
            Channel::Webhook => webhook::send(settings.webhook.as_ref().expect("a configured channel"), &part),
        };
        if let Err(e) = sent {
            out.push(Delivery { channel, sent: 0, already_sent, error: Some(e) });
            continue;
        }
        // Written after each channel: a failure of the next one keeps this one's record.
        log.add(channel, digest.as_of, &fresh);
        out.push(Delivery { channel, sent: fresh.len(), already_sent, error: log.write(history).err() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::alerts::Severity;

    #[test]
    fn the_minimum_severity_admits_it_and_the_more_severe() {
        assert!(MinSeverity::High.admits(Severity::Critical));
        assert!(MinSeverity::High.admits(Severity::High));
        assert!(!MinSeverity::High.admits(Severity::Medium));
        assert!(MinSeverity::Low.admits(Severity::Low));
        assert!(!MinSeverity::Critical.admits(Severity::High));
    }

    #[test]
    fn plain_smtp_is_only_for_this_machine() {
        let mut s: NotifySettings = toml::from_str(
            "[email]\nserver = \"smtp.example.com\"\ntls = \"none\"\nfrom = \"a@example.com\"\nto = [\"b@example.com\"]",
        )
        .unwrap();
        assert!(s.check().unwrap_err().problem.contains("in clear"));
        s.email.as_mut().unwrap().server = "127.0.0.1".into();
        assert!(s.check().is_ok());
        s.email.as_mut().unwrap().to = vec!["not an address".into()];
        assert!(s.check().unwrap_err().to_string().contains("\"not an address\""));
    }

    #[test]
    fn a_password_in_the_file_is_refused() {
        let r: Result<NotifySettings, _> = toml::from_str(
            "[email]\nserver = \"s\"\nfrom = \"a@example.com\"\nto = [\"b@example.com\"]\npassword = \"x\"",
        );
        assert!(r.unwrap().check().unwrap_err().problem.contains("never read from the configuration file"));
    }
}
