//! The log of alerts sent, `history/sent.csv`: one line per alert and channel, so a re-run of
//! the same month sends nothing twice and a channel that failed sends its part next time.

use super::error::NotifyError;
use super::settings::Channel;
use crate::monitor::alerts::Alert;
use crate::output::write_atomic;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const HEADER: [&str; 7] = ["channel", "as_of", "client_id", "kind", "direction", "previous", "current"];

/// What identifies an alert sent: its channel, the run's as-of date, the company, what changed
/// and from what to what. The same change in another month is news again.
type Key = [String; 7];

/// The alerts sent so far.
#[derive(Debug, Default)]
pub struct SentLog {
    keys: BTreeSet<Key>,
}

fn key(channel: Channel, as_of: NaiveDate, a: &Alert) -> Key {
    [
        channel.label().to_string(),
        as_of.to_string(),
        a.client_id.clone(),
        a.kind.code().to_string(),
        a.direction().to_string(),
        a.previous.clone(),
        a.current.clone(),
    ]
}

fn path(history: &Path) -> PathBuf {
    history.join("sent.csv")
}

impl SentLog {
    /// The log under `history`; none yet is an empty log.
    pub fn read(history: &Path) -> Result<SentLog, NotifyError> {
        let p = path(history);
        let fail = |reason: String| NotifyError::Log { path: p.display().to_string(), reason };
        let text = match std::fs::read(&p) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SentLog::default()),
            Err(e) => return Err(fail(e.to_string())),
        };
        let mut r = csv::Reader::from_reader(text.as_slice());
        let header = r.headers().map_err(|e| fail(e.to_string()))?;
        if header.iter().ne(HEADER) {
            return Err(fail(format!("its header is not {}: restore it or delete the file", HEADER.join(","))));
        }
        let mut keys = BTreeSet::new();
        for (i, row) in r.records().enumerate() {
            let row = row.map_err(|e| fail(e.to_string()))?;
            let fields: Vec<String> = row.iter().map(str::to_string).collect();
            let key: Key = fields.try_into().map_err(|_| {
                fail(format!("line {} has not {} fields: restore it or delete the file", i + 2, HEADER.len()))
            })?;
            keys.insert(key);
        }
        Ok(SentLog { keys })
    }

    /// Whether `channel` sent this alert for this as-of date.
    pub fn contains(&self, channel: Channel, as_of: NaiveDate, a: &Alert) -> bool {
        self.keys.contains(&key(channel, as_of, a))
    }

    /// Notes alerts as sent.
    pub fn add(&mut self, channel: Channel, as_of: NaiveDate, alerts: &[&Alert]) {
        self.keys.extend(alerts.iter().map(|a| key(channel, as_of, a)));
    }

    /// Writes the log whole (a crash leaves the previous one).
    pub fn write(&self, history: &Path) -> Result<(), NotifyError> {
        let p = path(history);
        let fail = |reason: String| NotifyError::Log { path: p.display().to_string(), reason };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(HEADER).map_err(|e| fail(e.to_string()))?;
        for k in &self.keys {
            w.write_record(k).map_err(|e| fail(e.to_string()))?;
        }
        let bytes = w.into_inner().map_err(|e| fail(e.to_string()))?;
        std::fs::create_dir_all(history).map_err(|e| fail(e.to_string()))?;
        write_atomic(&p, &bytes).map_err(|e| fail(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bureau::watchlist::Role;
    use crate::monitor::alerts::{AlertKind, Severity};

    #[test]
    fn what_was_sent_is_remembered_per_channel_and_month() {
        let dir = tempfile::TempDir::new().unwrap();
        let a = Alert {
            client_id: "K1".into(),
            client_name: "Firma, \"de\" Beste".into(),
            role: Role::Client,
            kind: AlertKind::CreditLimit,
            risk: true,
            severity: Severity::High,
            previous: "10,000.00".into(),
            current: "5,000.00".into(),
            message: String::new(),
        };
        let oct: NaiveDate = "2026-10-31".parse().unwrap();
        let mut log = SentLog::read(dir.path()).unwrap();
        assert!(!log.contains(Channel::Email, oct, &a));
        log.add(Channel::Email, oct, &[&a]);
        log.write(dir.path()).unwrap();
        let log = SentLog::read(dir.path()).unwrap();
        assert!(log.contains(Channel::Email, oct, &a));
        assert!(!log.contains(Channel::Webhook, oct, &a), "the other channel has not sent it");
        assert!(!log.contains(Channel::Email, "2026-11-30".parse().unwrap(), &a), "another month is news");
        std::fs::write(dir.path().join("sent.csv"), "channel,when\n").unwrap();
        assert!(SentLog::read(dir.path()).unwrap_err().to_string().contains("header"));
    }
}
