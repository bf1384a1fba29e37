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

/// A fingerprint of everything a run reads, read 32 bytes at a time: four FNV-style lanes,
/// each over every fourth 8-byte word (xor, then multiply by an odd number: a bijection of
/// the lane, so a change of any one word always changes that lane), folded into one at the end
/// with the length and the last bytes. A byte at a time (FNV-1a) was 4 % of a batch's CPU,
/// hashing 1.4 MB a portfolio.
struct Fnv {
    lanes: [u64; 4],
    /// Bytes waiting for a whole block.
    tail: Vec<u8>,
    /// Bytes fed in all.
    len: u64,
    /// The buffer files are read through, reused from file to file.
    buf: Vec<u8>,
}

const PRIME: u64 = 0x100_0000_01b3;
const BLOCK: usize = 32;

impl Fnv {
    fn new() -> Fnv {
        let seed = 0xcbf2_9ce4_8422_2325u64;
        Fnv { lanes: [seed, seed ^ 1, seed ^ 2, seed ^ 3], tail: Vec::with_capacity(BLOCK), len: 0, buf: Vec::new() }
    }

    fn block(lanes: &mut [u64; 4], b: &[u8]) {
        for (lane, w) in lanes.iter_mut().zip(b.chunks_exact(8)) {
            let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
            *lane = (*lane ^ w).wrapping_mul(PRIME);
        }
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if !self.tail.is_empty() {
            let take = (BLOCK - self.tail.len()).min(bytes.len());
            self.tail.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.tail.len() < BLOCK {
                return;
            }
            let tail = std::mem::take(&mut self.tail);
            Fnv::block(&mut self.lanes, &tail);
            self.tail = tail;
            self.tail.clear();
        }
        let mut blocks = bytes.chunks_exact(BLOCK);
        for b in &mut blocks {
            Fnv::block(&mut self.lanes, b);
        }
        self.tail.extend_from_slice(blocks.remainder());
    }

    fn file(&mut self, p: &Path) {
        self.feed(p.to_string_lossy().as_bytes());
        let Ok(mut f) = std::fs::File::open(p) else {
            self.feed(b"<missing>");
            return;
        };
        let mut buf = std::mem::take(&mut self.buf);
        buf.resize(1 << 18, 0);
        while let Ok(n) = f.read(&mut buf) {
            if n == 0 {
                break;
            }
            self.feed(&buf[..n]);
        }
        self.buf = buf;
    }

    fn finish(&self) -> u64 {
        let mut h = self.len.wrapping_mul(PRIME);
        for &b in &self.tail {
            h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        }
        for lane in self.lanes {
            h = (h ^ lane).wrapping_mul(PRIME);
        }
        h
    }
}

/// The fingerprint of a portfolio's run: arwatch's version, the configuration as resolved
/// (overrides and mappings included), and every file it reads.
pub fn fingerprint(config: &Config) -> String {
    let mut h = Fnv::new();
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
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(parts: &[&[u8]]) -> u64 {
        let mut h = Fnv::new();
        for p in parts {
            h.feed(p);
        }
        h.finish()
    }

    #[test]
    fn a_fingerprint_depends_on_the_bytes_not_on_how_they_were_fed() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = hash(&[&bytes]);
        for cut in [0, 1, 31, 32, 33, 500, 999, 1000] {
            assert_eq!(hash(&[&bytes[..cut], &bytes[cut..]]), whole, "cut at {cut}");
        }
        assert_ne!(hash(&[&bytes[..999]]), whole, "one byte less");
    }

    proptest::proptest! {
        #[test]
        fn changing_any_one_byte_changes_the_fingerprint(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 1..300),
            at in proptest::num::usize::ANY,
            flip in 1u8..=255,
        ) {
            let mut other = bytes.clone();
            let i = at % bytes.len();
            other[i] ^= flip;
            proptest::prop_assert_ne!(hash(&[&bytes]), hash(&[&other]));
        }
    }
}
