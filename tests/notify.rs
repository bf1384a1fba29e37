//! Alarms reach people, for real: the tests start an SMTP server and an HTTP receiver on
//! loopback, run the sample's two months with `[notify]`, and check what arrived, that a
//! re-run sends nothing twice, and that a failed delivery keeps the outputs and exits 6.

mod common;

use base64::Engine;
use common::{arwatch, csv_rows, read, sample_config};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tempfile::TempDir;

/// One message as the SMTP server took it.
#[derive(Clone, Debug, Default)]
struct Mail {
    /// `AUTH PLAIN`'s decoded argument, when the client logged in.
    auth: Option<String>,
    /// Whether it came over TLS.
    tls: bool,
    recipients: Vec<String>,
    /// The message's headers and body, its body decoded.
    headers: String,
    body: String,
}

/// How the SMTP server protects the connection.
#[derive(Clone)]
enum Security {
    Plain,
    /// Plain until the client asks for STARTTLS.
    StartTls(Arc<rustls::ServerConfig>),
    /// TLS from the first byte.
    Implicit(Arc<rustls::ServerConfig>),
}

/// A minimal SMTP server: enough of RFC 5321 for one client at a time, with `AUTH PLAIN`
/// and, when asked, STARTTLS or TLS (RFC 3207, 8314).
struct Smtp {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl Smtp {
    fn start() -> Smtp {
        Smtp::with(Security::Plain)
    }

    fn with(security: Security) -> Smtp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let store = mails.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let conn = match &security {
                    Security::Implicit(cfg) => Conn::tls(cfg, stream),
                    _ => Conn::Plain(stream),
                };
                serve_smtp(conn, &security, &store);
            }
        });
        Smtp { port, mails }
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

/// A connection, plain or under TLS.
enum Conn {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

impl Conn {
    fn tls(cfg: &Arc<rustls::ServerConfig>, stream: TcpStream) -> Conn {
        Conn::Tls(Box::new(rustls::StreamOwned::new(rustls::ServerConnection::new(cfg.clone()).unwrap(), stream)))
    }

    fn say(&mut self, s: &str) {
        let _ = match self {
            Conn::Plain(t) => t.write_all(s.as_bytes()).and_then(|_| t.flush()),
            Conn::Tls(t) => t.write_all(s.as_bytes()).and_then(|_| t.flush()),
        };
    }

    /// One line with its CRLF, or none at the end (or on a failed handshake).
    fn line(&mut self) -> Option<String> {
        let mut out = Vec::new();
        let mut b = [0u8];
        loop {
            let n = match self {
                Conn::Plain(t) => t.read(&mut b),
                Conn::Tls(t) => t.read(&mut b),
            };
            match n {
                Ok(1) => {
                    out.push(b[0]);
                    if b[0] == b'\n' {
                        return Some(String::from_utf8(out).unwrap());
                    }
                }
                _ => return None,
            }
        }
    }
}

fn serve_smtp(mut conn: Conn, security: &Security, store: &Mutex<Vec<Mail>>) {
    conn.say("220 test.local ESMTP\r\n");
    let mut mail = Mail::default();
    loop {
        let Some(line) = conn.line() else { return };
        let upper = line.to_ascii_uppercase();
        let plain = matches!(conn, Conn::Plain(_));
        if upper.starts_with("EHLO") {
            let starttls = if plain && matches!(security, Security::StartTls(_)) { "250-STARTTLS\r\n" } else { "" };
            conn.say(&format!("250-test.local\r\n{starttls}250-AUTH PLAIN\r\n250 8BITMIME\r\n"));
        } else if upper.starts_with("STARTTLS") {
            let Security::StartTls(cfg) = security else { return };
            conn.say("220 2.0.0 ready to start TLS\r\n");
            let Conn::Plain(tcp) = conn else { return };
            conn = Conn::tls(cfg, tcp);
            mail.tls = true;
        } else if upper.starts_with("AUTH PLAIN ") {
            let raw = base64::engine::general_purpose::STANDARD.decode(line[11..].trim()).unwrap();
            mail.auth = Some(String::from_utf8(raw).unwrap());
            conn.say("235 2.7.0 accepted\r\n");
        } else if upper.starts_with("MAIL FROM") {
            mail.tls |= matches!(security, Security::Implicit(_));
            conn.say("250 ok\r\n");
        } else if upper.starts_with("RCPT TO") {
            mail.recipients.push(line[8..].trim().trim_matches(['<', '>']).to_string());
            conn.say("250 ok\r\n");
        } else if upper.starts_with("DATA") {
            conn.say("354 go ahead\r\n");
            let mut data = String::new();
            while let Some(l) = conn.line() {
                if l == ".\r\n" {
                    break;
                }
                data.push_str(&l);
            }
            let (headers, body) = data.split_once("\r\n\r\n").unwrap();
            mail.headers = headers.to_string();
            mail.body = decode_body(headers, body);
            store.lock().unwrap().push(std::mem::take(&mut mail));
            conn.say("250 queued\r\n");
        } else if upper.starts_with("QUIT") {
            conn.say("221 bye\r\n");
            return;
        } else {
            conn.say("250 ok\r\n");
        }
    }
}

/// A body as the sender encoded it (quoted-printable, base64 or plain).
fn decode_body(headers: &str, body: &str) -> String {
    let lower = headers.to_ascii_lowercase();
    if lower.contains("content-transfer-encoding: base64") {
        let clean: String = body.split_whitespace().collect();
        return String::from_utf8(base64::engine::general_purpose::STANDARD.decode(clean).unwrap()).unwrap();
    }
    if lower.contains("content-transfer-encoding: quoted-printable") {
        let joined = body.replace("=\r\n", "");
        let b = joined.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'=' && i + 2 < b.len() {
                out.push(u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        return String::from_utf8(out).unwrap();
    }
    body.to_string()
}

/// One request as the HTTP receiver took it.
#[derive(Clone, Debug)]
struct Request {
    head: String,
    body: String,
}

/// An HTTP receiver answering every request with one status.
struct Http {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Http {
    fn start(status: u16) -> Http {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let store = requests.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                loop {
                    let mut l = String::new();
                    if reader.read_line(&mut l).unwrap_or(0) == 0 || l == "\r\n" {
                        break;
                    }
                    head.push_str(&l);
                }
                let length = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                    .map_or(0, |v| v.parse::<usize>().unwrap());
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                store.lock().unwrap().push(Request { head, body: String::from_utf8(body).unwrap() });
                let answer = format!("HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno");
                stream.write_all(answer.as_bytes()).unwrap();
            }
        });
        Http { port, requests }
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn notify_section(smtp: u16, http: u16, format: &str) -> String {
    format!(
        "[notify]\nmin_severity = \"high\"\n\
         [notify.email]\nserver = \"127.0.0.1\"\nport = {smtp}\ntls = \"none\"\n\
         from = \"arwatch@voorbeeld.example\"\nto = [\"credit@voorbeeld.example\", \"cfo@voorbeeld.example\"]\n\
         [notify.webhook]\nurl = \"http://127.0.0.1:{http}/hook\"\nformat = \"{format}\"\n"
    )
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `arwatch run` with the SMTP credentials in the environment.
fn run(cfg: &Path, out: &Path, extra: &[&str]) -> Outcome {
    let o = arwatch()
        .env("ARWATCH_SMTP_USER", "controller")
        .env("ARWATCH_SMTP_PASSWORD", "s3cret")
        .args(["run", "--config", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    let r = Outcome {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    };
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

/// The October alerts at or above high, as `alerts.csv` lists them.
fn serious_alerts(out: &Path) -> Vec<Vec<String>> {
    let (_, rows) = csv_rows(&out.join("2026-10/data/alerts.csv"));
    rows.into_iter().filter(|r| r[3] == "critical" || r[3] == "high").collect()
}

#[test]
fn the_digest_reaches_email_and_webhook_once() {
    let (smtp, http) = (Smtp::start(), Http::start(200));
    let dir = TempDir::new().unwrap();
    let cfg = sample_config(dir.path(), |t| t, &notify_section(smtp.port, http.port, "teams"));
    let out = dir.path().join("out");

    // The first month has nothing to compare with: no alert, nothing sent.
    let r = run(&cfg, &out, &["--as-of", "2026-09-30"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("email: no new alert to send"), "{}", r.stdout);
    assert!(smtp.mails().is_empty() && http.requests().is_empty());

    let r = run(&cfg, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let serious = serious_alerts(&out);
    let (_, all) = csv_rows(&out.join("2026-10/data/alerts.csv"));
    assert!(serious.len() >= 5 && serious.len() < all.len(), "{} of {}", serious.len(), all.len());
    let n = serious.len();
    assert!(r.stdout.contains(&format!("email: {n} alerts sent")), "{}", r.stdout);
    assert!(r.stdout.contains(&format!("webhook: {n} alerts sent")), "{}", r.stdout);

    // One message to both recipients, logged in with the environment's credentials.
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.auth.as_deref(), Some("\0controller\0s3cret"));
    assert_eq!(m.recipients, ["credit@voorbeeld.example", "cfo@voorbeeld.example"]);
    assert!(
        m.headers.contains(&format!("Subject: arwatch: Voorbeeld Groothandel NV, {n} alerts as of 31/10/2026")),
        "{}",
        m.headers
    );
    assert!(
        m.body.contains("CRITICAL · Boulangerie Claes SA (K0008) · status (risk): active → bankrupt"),
        "{}",
        m.body
    );
    assert!(m.body.contains("supplier"), "the watched supplier's reorganisation: {}", m.body);
    assert!(m.body.contains("arwatch-2026-10.pdf"), "{}", m.body);
    // Every serious alert is in it, and nothing less severe.
    assert_eq!(m.body.matches("CRITICAL · ").count() + m.body.matches("HIGH · ").count(), n, "{}", m.body);
    assert!(!m.body.contains("MEDIUM · ") && !m.body.contains("LOW · "));

    // The webhook got one Teams card with the same digest.
    let reqs = http.requests();
    assert_eq!(reqs.len(), 1);
    assert!(reqs[0].head.starts_with("POST /hook HTTP/1.1"), "{}", reqs[0].head);
    assert!(reqs[0].head.to_ascii_lowercase().contains("content-type: application/json"));
    let card: serde_json::Value = serde_json::from_str(&reqs[0].body).unwrap();
    assert_eq!(card["attachments"][0]["content"]["type"], "AdaptiveCard");
    assert!(reqs[0].body.contains("Boulangerie Claes SA"));

    // The history remembers it per channel; a re-run sends nothing twice.
    let (header, sent) = csv_rows(&out.join("history/sent.csv"));
    assert_eq!(header, ["channel", "as_of", "client_id", "kind", "direction", "previous", "current"]);
    assert_eq!(sent.len(), 2 * n);
    let r = run(&cfg, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(&format!("email: no new alert to send ({n} sent by an earlier run)")), "{}", r.stdout);
    assert_eq!((smtp.mails().len(), http.requests().len()), (1, 1));

    // --no-notify sends nothing and says nothing of it.
    let r = run(&cfg, &out, &["--no-notify"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("email:"), "{}", r.stdout);
}

#[test]
fn a_failed_delivery_keeps_the_outputs_exits_6_and_is_sent_next_time() {
    let smtp = Smtp::start();
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let cfg = sample_config(dir.path(), |t| t, &notify_section(smtp.port, closed_port(), "json"));
    assert_eq!(run(&cfg, &out, &["--as-of", "2026-09-30"]).code, 0);

    // The webhook is down: the month is in place, the e-mail went, the exit code says 6.
    let r = run(&cfg, &out, &[]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(
        r.stderr.contains("error: alerts not sent by webhook: webhook at 127.0.0.1 cannot be reached"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("the month's outputs are in place"), "{}", r.stderr);
    assert!(out.join("2026-10/data/alerts.csv").exists() && out.join("2026-10/arwatch-2026-10.pdf").exists());
    assert_eq!(smtp.mails().len(), 1);
    let n = serious_alerts(&out).len();

    // A receiver that answers 500 is a failure too, named with its answer.
    let broken = Http::start(500);
    let cfg = sample_config(dir.path(), |t| t, &notify_section(smtp.port, broken.port, "json"));
    let r = run(&cfg, &out, &[]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("answered 500"), "{}", r.stderr);
    assert_eq!(broken.requests().len(), 1);

    // Once it is back, the re-run sends the webhook its alerts and the e-mail nothing again.
    let http = Http::start(200);
    let cfg = sample_config(dir.path(), |t| t, &notify_section(smtp.port, http.port, "json"));
    let r = run(&cfg, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(smtp.mails().len(), 1);
    let body: serde_json::Value = serde_json::from_str(&http.requests()[0].body).unwrap();
    assert_eq!(body["alerts"].as_array().unwrap().len(), n);
    assert_eq!(body["as_of"], "2026-10-31");
    assert_eq!(body["alerts"][0]["severity"], "critical");

    // A log that cannot be read sends nothing (a re-run could send twice) and says why.
    std::fs::write(out.join("history/sent.csv"), "not,the,log\n").unwrap();
    let r = run(&cfg, &out, &["--as-of", "2026-10-31"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("sent.csv") && r.stderr.contains("header"), "{}", r.stderr);
    assert_eq!((smtp.mails().len(), http.requests().len()), (1, 1));
}

#[test]
fn the_digest_is_in_the_report_language() {
    let (smtp, http) = (Smtp::start(), Http::start(200));
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out");
    let cfg = sample_config(dir.path(), |t| t, &notify_section(smtp.port, http.port, "slack"));
    assert_eq!(run(&cfg, &out, &["--as-of", "2026-09-30", "--lang", "nl"]).code, 0);
    assert_eq!(run(&cfg, &out, &["--lang", "nl"]).code, 0);
    let m = &smtp.mails()[0];
    assert!(m.headers.contains("signalen per 31/10/2026"), "{}", m.headers);
    assert!(m.body.contains("met ernst hoog of hoger sinds de run van 2026-09-30"), "{}", m.body);
    assert!(m.body.contains("KRITIEK · Boulangerie Claes SA (K0008) · status (risico)"), "{}", m.body);
    assert!(m.body.contains("Het volledige rapport:"), "{}", m.body);
    let slack: serde_json::Value = serde_json::from_str(&http.requests()[0].body).unwrap();
    assert!(slack["text"].as_str().unwrap().starts_with("*arwatch: Voorbeeld Groothandel NV,"));
}

#[test]
fn credentials_never_come_from_the_configuration_file() {
    let dir = TempDir::new().unwrap();
    let cfg = sample_config(
        dir.path(),
        |t| t,
        "[notify.email]\nserver = \"smtp.example.com\"\nfrom = \"a@example.com\"\nto = [\"b@example.com\"]\npassword = \"s3cret\"\n",
    );
    let r = run(&cfg, &dir.path().join("out"), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("never read from the configuration file"), "{}", r.stderr);
    assert!(r.stderr.contains("ARWATCH_SMTP_PASSWORD"), "{}", r.stderr);
    assert!(!dir.path().join("out").exists(), "nothing is written");
    assert!(read(&cfg).contains("s3cret"));
}

/// A certificate authority of the test's own and a server certificate it signed for
/// 127.0.0.1: the CA's PEM (for `ca_file`) and the server's TLS configuration.
fn test_pki() -> (String, Arc<rustls::ServerConfig>) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()))
        .unwrap();
    (ca.pem(), Arc::new(cfg))
}

#[test]
fn email_goes_over_starttls_or_tls_and_checks_the_certificate() {
    let (ca_pem, server_tls) = test_pki();
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("relay-ca.pem"), &ca_pem).unwrap();
    let section = |port: u16, tls: &str, ca: bool| {
        let ca = if ca { "ca_file = \"relay-ca.pem\"\n" } else { "" };
        format!(
            "[notify]\n[notify.email]\nserver = \"127.0.0.1\"\nport = {port}\ntls = \"{tls}\"\n{ca}\
             from = \"arwatch@voorbeeld.example\"\nto = [\"credit@voorbeeld.example\"]\n"
        )
    };
    let starttls = Smtp::with(Security::StartTls(server_tls.clone()));
    let implicit = Smtp::with(Security::Implicit(server_tls));
    let out = dir.path().join("out");
    let cfg = sample_config(dir.path(), |t| t, &section(starttls.port, "starttls", true));
    assert_eq!(run(&cfg, &out, &["--as-of", "2026-09-30"]).code, 0);

    // STARTTLS with the company's CA: the password only travels encrypted.
    let r = run(&cfg, &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m = &starttls.mails()[0];
    assert!(m.tls && m.auth.as_deref() == Some("\0controller\0s3cret"), "{m:?}");
    assert!(m.body.contains("Boulangerie Claes SA"));

    // TLS from the first byte. The e-mail channel sent these alerts already (the log is per
    // channel, not per server): forget that, as a user who deletes the log would.
    std::fs::remove_file(out.join("history/sent.csv")).unwrap();
    let cfg = sample_config(dir.path(), |t| t, &section(implicit.port, "tls", true));
    let r = run(&cfg, &out, &["--lang", "fr"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(implicit.mails()[0].tls);
    assert!(implicit.mails()[0].headers.contains("alertes au 31/10/2026"), "{}", implicit.mails()[0].headers);

    // Without the CA the certificate is not trusted: no mail, exit code 6, the reason.
    std::fs::remove_file(out.join("history/sent.csv")).unwrap();
    let cfg = sample_config(dir.path(), |t| t, &section(starttls.port, "starttls", false));
    let r = run(&cfg, &out, &[]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stderr.contains("error: alerts not sent by email"), "{}", r.stderr);
    assert!(r.stderr.to_lowercase().contains("certificate"), "{}", r.stderr);
    assert_eq!(starttls.mails().len(), 1);
}
