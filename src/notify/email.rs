//! The digest by e-mail: one plain-text message over SMTP, with STARTTLS or TLS, logging in
//! with the credentials the environment holds.

use super::digest::Digest;
use super::error::NotifyError;
use super::settings::{EmailSettings, Tls, mailbox};
use crate::toml_source::SettingError;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{self, Certificate, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::time::Duration;

/// The user name and password from the environment: both, or neither (no login).
fn credentials(s: &EmailSettings) -> Result<Option<Credentials>, NotifyError> {
    let get = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (get(&s.user_env), get(&s.password_env)) {
        (Some(user), Some(password)) => Ok(Some(Credentials::new(user, password))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(NotifyError::Setup(format!(
            "e-mail: {} is set but {} is not: set both to log in to {}, or neither",
            s.user_env, s.password_env, s.server
        ))),
        (None, Some(_)) => Err(NotifyError::Setup(format!(
            "e-mail: {} is set but {} is not: set both to log in to {}, or neither",
            s.password_env, s.user_env, s.server
        ))),
    }
}

/// The server's certificate is checked against the public roots (webpki-roots) and those of
/// `ca_file`, for the configured host name.
fn tls_parameters(s: &EmailSettings) -> Result<TlsParameters, NotifyError> {
    let mut b = TlsParameters::builder(s.server.clone());
    if let Some(path) = &s.ca_file {
        let pem = std::fs::read(path).map_err(|e| {
            NotifyError::Setup(format!("e-mail: cannot read [notify.email] ca_file {}: {e}", path.display()))
        })?;
        let cert = Certificate::from_pem(&pem).map_err(|e| {
            NotifyError::Setup(format!(
                "e-mail: [notify.email] ca_file {} holds no PEM certificate ({e}): give the CA's \
                 certificate as -----BEGIN CERTIFICATE-----",
                path.display()
            ))
        })?;
        b = b.add_root_certificate(cert);
    }
    b.build_rustls().map_err(|e| NotifyError::Setup(format!("e-mail: TLS cannot be set up: {e}")))
}

/// Sends the digest to every recipient in one message.
pub(super) fn send(s: &EmailSettings, digest: &Digest) -> Result<(), NotifyError> {
    let setup = |e: SettingError| NotifyError::Setup(e.to_string());
    let mut message = Message::builder().from(mailbox(&s.from).map_err(setup)?).subject(digest.subject());
    for to in &s.to {
        message = message.to(mailbox(to).map_err(setup)?);
    }
    let message = message
        .header(ContentType::TEXT_PLAIN)
        .body(digest.text())
        .map_err(|e| NotifyError::Setup(format!("e-mail: the message cannot be made: {e}")))?;
    let (tls, port) = match s.tls {
        Tls::Starttls => (client::Tls::Required(tls_parameters(s)?), 587),
        Tls::Tls => (client::Tls::Wrapper(tls_parameters(s)?), 465),
        Tls::None => (client::Tls::None, 25),
    };
    let mut builder = SmtpTransport::builder_dangerous(&s.server)
        .tls(tls)
        .port(s.port.unwrap_or(port))
        .timeout(Some(Duration::from_secs(30)));
    if let Some(c) = credentials(s)? {
        builder = builder.credentials(c);
    }
    builder.build().send(&message).map(|_| ()).map_err(|e| {
        let port = s.port.unwrap_or(port);
        NotifyError::Send(format!(
            "e-mail to {} through {}:{port} failed: {e}; check the server, the credentials in {} and {}, \
             and the addresses",
            s.to.join(", "),
            s.server,
            s.user_env,
            s.password_env
        ))
    })
}
