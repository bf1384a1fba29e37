//! Alarms reach people: after a run, the alerts at or above a configured severity go out as
//! one digest per channel (e-mail over SMTP, a webhook for Teams, Slack or plain JSON), in the
//! report's language. What was sent is remembered under the history, so a re-run sends only
//! what is new; a failed delivery is reported and never touches the run's outputs.

mod digest;
mod email;
mod sent_log;
mod webhook;
mod wording;

pub use digest::Digest;
pub use sent_log::SentLog;

use crate::monitor::alerts::{Alert, Severity};
use crate::toml_source::SettingError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// `[notify]` in the configuration: who is told what. Without a channel nothing is sent.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NotifySettings {
    /// The least severe alert sent: `critical`, `high` (the default), `medium` or `low`.
    pub min_severity: MinSeverity,
    /// The digest by e-mail.
    pub email: Option<EmailSettings>,
    /// The digest to a webhook.
    pub webhook: Option<WebhookSettings>,
}

/// The least severe alert a digest holds.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum MinSeverity {
    /// Only critical alerts.
    Critical,
    /// Critical and high.
    #[default]
    High,
    /// All but low.
    Medium,
    /// Every alert.
    Low,
}

impl MinSeverity {
    /// Whether an alert of this severity is sent.
    pub fn admits(self, s: Severity) -> bool {
        let least = match self {
            MinSeverity::Critical => Severity::Critical,
            MinSeverity::High => Severity::High,
            MinSeverity::Medium => Severity::Medium,
            MinSeverity::Low => Severity::Low,
        };
        // Critical orders first: "at or above" is "at most" in that order.
        s <= least
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Tls {
    /// A plain connection upgraded with STARTTLS, which must succeed (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only to a server on this machine (a local relay).
    None,
}

/// `[notify.email]`. The credentials come from the environment, never from this file.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    /// The SMTP server's host name.
    pub server: String,
    /// Its port; by default 587 for STARTTLS, 465 for TLS, 25 without.
    pub port: Option<u16>,
    /// `starttls` (the default), `tls` or `none`.
    #[serde(default = "starttls")]
    pub tls: Tls,
    /// The sender's address.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
    /// A PEM file of root certificates to trust besides the public ones: a company's own
    /// certificate authority for its internal relay (relative to the configuration file).
    pub ca_file: Option<PathBuf>,
    /// The environment variable holding the user name (`ARWATCH_SMTP_USER` by default); when
    /// it is unset the server is used without logging in.
    #[serde(default = "smtp_user")]
    pub user_env: String,
    /// The environment variable holding the password (`ARWATCH_SMTP_PASSWORD` by default).
    #[serde(default = "smtp_password")]
    pub password_env: String,
    /// Refused with the reason: a password in a file travels with every copy of it.
    #[serde(default)]
    pub password: Option<toml::Value>,
    /// Refused likewise.
    #[serde(default)]
    pub user: Option<toml::Value>,
}

fn starttls() -> Tls {
    Tls::Starttls
}
fn smtp_user() -> String {
    "ARWATCH_SMTP_USER".into()
}
fn smtp_password() -> String {
    "ARWATCH_SMTP_PASSWORD".into()
}

/// What a webhook expects.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    /// A Microsoft Teams message with an Adaptive Card (a Teams workflow's webhook).
    Teams,
    /// A Slack incoming webhook's message.
    Slack,
    /// The digest's alerts as plain JSON, for one's own systems.
    Json,
}

/// `[notify.webhook]`. The address of a Teams or Slack webhook is itself a secret: give it in
/// the environment (`url_env`) rather than in `url` when the file is shared.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// The address, or none when it comes from `url_env`.
    pub url: Option<String>,
    /// The environment variable holding the address (`ARWATCH_WEBHOOK_URL` by default), read
    /// when `url` is not given.
    #[serde(default = "webhook_url")]
    pub url_env: String,
    /// `teams`, `slack` or `json`.
    pub format: WebhookFormat,
}

fn webhook_url() -> String {
    "ARWATCH_WEBHOOK_URL".into()
}

impl NotifySettings {
    /// Refuses settings that cannot work, before anything is read.
    pub fn check(&self) -> Result<(), SettingError> {
        if let Some(e) = &self.email {
            if e.password.is_some() || e.user.is_some() {
                let key = if e.password.is_some() { "[notify.email] password" } else { "[notify.email] user" };
                return Err(SettingError::shown(
                    key,
                    "(not shown)",
                    format!(
                        "credentials are never read from the configuration file; remove it and set the \
                         environment variables {} and {}",
                        e.user_env, e.password_env
                    ),
                ));
            }
            if e.server.trim().is_empty() {
                return Err(SettingError::new("[notify.email] server", &e.server, "give the SMTP server's host name"));
            }
            if e.to.is_empty() {
                return Err(SettingError::shown("[notify.email] to", "[]", "give at least one recipient"));
            }
            for a in std::iter::once(&e.from).chain(&e.to) {
                email::mailbox(a)?;
            }
            if e.tls == Tls::None && !is_loopback(&e.server) {
                return Err(SettingError::new(
                    "[notify.email] tls",
                    "none",
                    format!(
                        "would send the alerts and the password in clear to {}: use \"starttls\" or \"tls\" \
                         (\"none\" is for a relay on this machine only)",
                        e.server
                    ),
                ));
            }
        }
        if let Some(w) = &self.webhook
            && let Some(url) = &w.url
        {
            webhook::check_url(url)?;
        }
        Ok(())
    }

    /// The channels configured, in the order they are tried.
    pub fn channels(&self) -> Vec<Channel> {
        let mut out = Vec::new();
        if self.email.is_some() {
            out.push(Channel::Email);
        }
        if self.webhook.is_some() {
            out.push(Channel::Webhook);
        }
        out
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A way the digest goes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Channel {
    /// By e-mail.
    Email,
    /// To a webhook.
    Webhook,
}

impl Channel {
    /// As the sent log and the messages name it.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }
}

/// Why a digest did not go out.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The settings or the environment lack something.
    #[error("{0}")]
    Setup(String),
    /// The server or receiver refused or could not be reached.
    #[error("{0}")]
    Send(String),
    /// The sent log could not be read or written.
    #[error("the log of alerts sent, {path}: {reason}")]
    Log {
        /// The log's file.
        path: String,
        /// What went wrong.
        reason: String,
    },
}

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
