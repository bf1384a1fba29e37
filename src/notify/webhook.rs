//! The digest to a webhook: one HTTPS POST of JSON shaped for Teams, Slack or one's own
//! systems. Messages name the webhook's host only: its address holds a secret token.

use super::digest::Digest;
use super::error::NotifyError;
use super::settings::{WebhookFormat, WebhookSettings, check_url, host};
use std::time::Duration;

/// Posts the digest.
pub(super) fn send(s: &WebhookSettings, digest: &Digest) -> Result<(), NotifyError> {
    let url = match &s.url {
        Some(u) => u.clone(),
        None => std::env::var(&s.url_env).ok().filter(|v| !v.is_empty()).ok_or_else(|| {
            NotifyError::Setup(format!(
                "webhook: no address: set the environment variable {} or [notify.webhook] url",
                s.url_env
            ))
        })?,
    };
    check_url(&url).map_err(|e| NotifyError::Setup(e.to_string()))?;
    let host = host(&url).unwrap_or("?").to_string();
    let body = match s.format {
        WebhookFormat::Teams => digest.teams(),
        WebhookFormat::Slack => digest.slack(),
        WebhookFormat::Json => digest.json(),
    };
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build();
    match agent.post(&url).send_json(body) {
        Ok(_) => Ok(()),
        Err(ureq::Error::Status(code, response)) => {
            let text = response.into_string().unwrap_or_default();
            let text: String = text.chars().take(200).collect();
            Err(NotifyError::Send(format!(
                "webhook at {host} answered {code} {text}; check the address and format = \"{}\"",
                match s.format {
                    WebhookFormat::Teams => "teams",
                    WebhookFormat::Slack => "slack",
                    WebhookFormat::Json => "json",
                }
            )))
        }
        Err(ureq::Error::Transport(t)) => {
            let detail = t.message().map(|m| format!(": {m}")).unwrap_or_default();
            Err(NotifyError::Send(format!("webhook at {host} cannot be reached ({}{detail})", t.kind())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_and_plain_http_stays_on_this_machine() {
        assert_eq!(host("https://x.webhook.office.com/webhookb2/abc?d=1"), Some("x.webhook.office.com"));
        assert_eq!(host("http://user@127.0.0.1:8080/hook"), Some("127.0.0.1"));
        assert_eq!(host("http://[::1]:9/x"), Some("::1"));
        assert_eq!(host("ftp://example.com"), None);
        assert!(check_url("https://hooks.slack.com/services/T/B/X").is_ok());
        assert!(check_url("http://127.0.0.1:8080/hook").is_ok());
        assert!(check_url("http://hooks.slack.com/services/T").unwrap_err().problem.contains("in clear"));
        assert!(check_url("hooks.slack.com").is_err());
    }
}
