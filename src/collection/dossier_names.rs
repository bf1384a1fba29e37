//! Which debtors get a PDF dossier, and the file name of each: unique within a run, the same
//! for a client id in every run, at most 80 characters, and valid on Windows as on Linux.

use super::handover::Line;
use crate::model::{ClientIx, Roster};
use std::collections::{BTreeMap, HashMap};

/// The longest readable part of a file name made from a client id.
const MAX_STEM_CHARS: usize = 60;

/// A 64-bit FNV-1a hash, written as 16 hex digits: stable across runs, platforms and versions
/// (unlike std's hasher), so a client's dossier keeps its name.
fn stable_hash(id: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The file stem of a client id: the id itself when it is plain (letters, digits, `-`, `_`,
/// up to 60 characters, no reserved name); otherwise its plain characters, shortened, and a
/// hash of the whole id, so `A/1`, `A.1` and `A 1` never share a file.
pub fn stem(id: &str) -> String {
    let plain: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    // `plain` holds only letters, digits, '-' and '_': what Windows can still refuse is a
    // reserved device name (CON, nul).
    if plain == id && id.len() <= MAX_STEM_CHARS && crate::platform::windows_accepts(&plain) {
        return plain;
    }
    let short: String = plain.chars().take(MAX_STEM_CHARS).collect();
    format!("{short}-{}", stable_hash(id))
}

/// The debtors that get a dossier (the largest claims first, at most `max`), each with its
/// file name. Names that differ only in case (`k1`, `K1`) would be one file on Windows and
/// macOS: those get the hash too.
pub fn plan(roster: &Roster, lines: &[Line], max: usize) -> (BTreeMap<ClientIx, String>, usize) {
    let mut claims: BTreeMap<ClientIx, i64> = BTreeMap::new();
    for l in lines {
        *claims.entry(l.invoice.client).or_default() += l.claim().minor();
    }
    let qualifying = claims.len();
    let mut debtors: Vec<(ClientIx, i64)> = claims.into_iter().collect();
    debtors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    debtors.truncate(max);
    let mut names: BTreeMap<ClientIx, String> =
        debtors.iter().map(|&(c, _)| (c, stem(&roster.clients[c as usize].id))).collect();
    let mut folded: HashMap<String, usize> = HashMap::new();
    for n in names.values() {
        *folded.entry(n.to_lowercase()).or_default() += 1;
    }
    for (c, n) in names.iter_mut() {
        if folded[&n.to_lowercase()] > 1 && !n.ends_with(&stable_hash(&roster.clients[*c as usize].id)) {
            *n = format!("{n}-{}", stable_hash(&roster.clients[*c as usize].id));
        }
    }
    (names.into_iter().map(|(c, n)| (c, n + ".pdf")).collect(), qualifying)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_kept_and_others_get_a_stable_hash() {
        assert_eq!(stem("K0001"), "K0001");
        assert_eq!(stem("BE-12_a"), "BE-12_a");
        let names = [stem("A/1"), stem("A.1"), stem("A 1"), stem("A_1")];
        assert_eq!(names[3], "A_1");
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(stem("A/1"), stem("A/1"), "the same every run");
        assert!(stem("A/1").starts_with("A_1-"));
    }

    #[test]
    fn names_are_safe_on_windows_and_short() {
        for id in ["CON", "nul", "Com1", "LPT9"] {
            assert_ne!(stem(id).to_uppercase(), id.to_uppercase(), "{id}");
        }
        assert!(stem("x.").ends_with(&stable_hash("x.")) && !stem("x.").contains('.'));
        assert!(stem("").len() > 1);
        let long = "é".repeat(500);
        assert!(stem(&long).chars().count() <= MAX_STEM_CHARS + 17);
        assert!(stem(&"a".repeat(500)).len() <= MAX_STEM_CHARS + 17);
    }

    #[test]
    fn the_hash_is_fnv1a() {
        // Reference values of 64-bit FNV-1a: a change would rename every dossier.
        assert_eq!(stable_hash(""), "cbf29ce484222325");
        assert_eq!(stable_hash("a"), "af63dc4c8601ec8c");
    }
}
