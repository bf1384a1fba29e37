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
    recipients: Vec<String>,
    /// The message's headers and body, its body decoded.
    headers: String,
    body: String,
}

/// A minimal SMTP server: enough of RFC 5321 for one client at a time, with `AUTH PLAIN`.
struct Smtp {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl Smtp {
    fn start() -> Smtp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let store = mails.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve_smtp(stream, &store);
            }
        });
        Smtp { port, mails }
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

fn serve_smtp(stream: TcpStream, store: &Mutex<Vec<Mail>>) {
    let mut out = stream.try_clone().unwrap();
    let mut lines = BufReader::new(stream);
    let mut say = |s: &str| out.write_all(s.as_bytes()).unwrap();
    say("220 test.local ESMTP\r\n");
    let mut mail = Mail::default();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            say("250-test.local\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n");
        } else if upper.starts_with("AUTH PLAIN ") {
            let raw = base64::engine::general_purpose::STANDARD.decode(line[11..].trim()).unwrap();
            mail.auth = Some(String::from_utf8(raw).unwrap());
            say("235 2.7.0 accepted\r\n");
        } else if upper.starts_with("MAIL FROM") {
            say("250 ok\r\n");
        } else if upper.starts_with("RCPT TO") {
            mail.recipients.push(line[8..].trim().trim_matches(['<', '>']).to_string());
            say("250 ok\r\n");
        } else if upper.starts_with("DATA") {
            say("354 go ahead\r\n");
            let mut data = String::new();
            loop {
                let mut l = String::new();
                if lines.read_line(&mut l).unwrap_or(0) == 0 || l == ".\r\n" {
                    break;
                }
                data.push_str(&l);
            }
            let (headers, body) = data.split_once("\r\n\r\n").unwrap();
            mail.headers = headers.to_string();
            mail.body = decode_body(headers, body);
            store.lock().unwrap().push(std::mem::take(&mut mail));
            say("250 queued\r\n");
        } else if upper.starts_with("QUIT") {
            say("221 bye\r\n");
            return;
        } else {
            say("250 ok\r\n");
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
