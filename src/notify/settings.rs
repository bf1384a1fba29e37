//! `[notify]`: who is sent the alerts, on which channels, from which severity; each setting
//! checked when the configuration loads.

use crate::monitor::alerts::Severity;
use crate::toml_source::SettingError;
use lettre::message::Mailbox;
use serde::Deserialize;
use std::path::PathBuf;

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
                mailbox(a)?;
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
            check_url(url)?;
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

/// An address as lettre reads it, or why it is none.
pub(super) fn mailbox(address: &str) -> Result<Mailbox, SettingError> {
    address.parse::<Mailbox>().map_err(|e| {
        SettingError::new(
            "[notify.email] address",
            address,
            format!("is not an e-mail address ({e}): write it as name@example.com"),
        )
    })
}

/// The host of an `http(s)://host[:port]/…` address.
pub(super) fn host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => authority.split(':').next()?,
    };
    (!host.is_empty()).then_some(host)
}

/// Refuses an address that is not HTTPS (plain HTTP only to this machine).
pub(super) fn check_url(url: &str) -> Result<(), SettingError> {
    let Some(h) = host(url) else {
        return Err(SettingError::new("[notify.webhook] url", url, "is not an http(s)://host/… address"));
    };
    if url.starts_with("http://") && !is_loopback(h) {
        return Err(SettingError::new(
            "[notify.webhook] url",
            url,
            format!(
                "http:// to {h} would send the alerts in clear: use https:// (http:// is for a receiver on this \
                 machine only)"
            ),
        ));
    }
    Ok(())
}
