//! What a portfolio's last batch run saw and how it ended (`<its out>/batch-state.json`), so a
//! re-run skips what has not changed and `--only-failed` retries what failed.

use crate::config::Config;
use crate::output::write_atomic;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The last batch run of a portfolio.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// The fingerprint of what it read (configuration, mappings, input files, overrides).
    pub fingerprint: String,
    /// `ok`, `warnings` or `failed`.
    pub status: String,
    /// Its exit code.
    pub exit_code: i32,
    /// The month folder it wrote.
    pub month_folder: Option<PathBuf>,
}

fn path(out: &Path) -> PathBuf {
    out.join("batch-state.json")
}

impl State {
    /// The state saved under a portfolio's output root, if any.
    pub fn read(out: &Path) -> Option<State> {
        serde_json::from_str(&std::fs::read_to_string(path(out)).ok()?).ok()
    }

    /// Saves it (whole or not at all).
    pub fn write(&self, out: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(out)?;
        let text = serde_json::to_string_pretty(self).map_err(|e| std::io::Error::other(e.to_string()))?;
        write_atomic(&path(out), text.as_bytes())
    }
}

/// FNV-1a over everything a run reads: a change of any byte gives another fingerprint.
struct Fnv(u64);

impl Fnv {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn file(&mut self, p: &Path) {
        self.feed(p.to_string_lossy().as_bytes());
        let Ok(mut f) = std::fs::File::open(p) else {
            self.feed(b"<missing>");
            return;
        };
        let mut buf = vec![0u8; 1 << 20];
        while let Ok(n) = f.read(&mut buf) {
            if n == 0 {
                break;
            }
            self.feed(&buf[..n]);
        }
    }
}

/// The fingerprint of a portfolio's run: arwatch's version, the configuration as resolved
/// (overrides and mappings included), and every file it reads.
pub fn fingerprint(config: &Config) -> String {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    h.feed(env!("CARGO_PKG_VERSION").as_bytes());
    h.file(&config.path);
    h.feed(format!("{:?}|{:?}|{:?}|{:?}", config.as_of, config.lang, config.out, config.outputs).as_bytes());
    for i in config.inputs.iter().chain(&config.bureau_inputs).chain(&config.log_inputs) {
        h.feed(format!("{:?}|{:?}", i.mapping, i.snapshot).as_bytes());
        h.file(&i.path);
    }
    let extra = [&config.fx_rates, &config.watchlist, &config.handover.reminders, &config.handover.rates];
    for p in extra.into_iter().flatten() {
        h.file(p);
    }
    // A new pool month changes what the run reads: every month's file of this contributor.
    h.feed(format!("{:?}", config.pool).as_bytes());
    if let Some(setting) = &config.pool.elsewhere {
        if setting.is_dir() {
            let name = crate::bureau::elsewhere::file_name(config.contributor());
            let mut months: Vec<_> =
                std::fs::read_dir(setting).into_iter().flatten().flatten().map(|e| e.path()).collect();
            months.sort();
            for m in months {
                h.file(&m.join("elsewhere").join(format!("{name}.csv")));
            }
        } else {
            h.file(setting);
        }
    }
    format!("{:016x}", h.0)
}
