//! Client ids to client indices, in a table built for the parallel lookups of ingestion.

use crate::model::ClientIx;
use rustc_hash::FxHashMap;

/// Client ids to indices. Ids of up to 15 bytes (nearly all) are kept inline as one integer
/// in an open-addressing table whose slot can be prefetched: looked up from the conversion
/// threads, a table of 50,000 clients no longer stays in cache beside the rows streaming by,
/// and prefetching a batch of slots before reading them hides that latency.
#[derive(Default)]
pub(super) struct ClientIndex {
    /// (key, index); key 0 is an empty slot (a real key has its length in its last byte).
    slots: Vec<(u128, ClientIx)>,
    len: usize,
    long: FxHashMap<String, ClientIx>,
}

/// MurmurHash3's 64-bit finaliser over the two halves: ids like `C004723` differ in a few
/// bytes only, and every bit of the slot number must depend on them.
fn mix(k: u128) -> u64 {
    let mut h = (k as u64) ^ ((k >> 64) as u64).rotate_left(29);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

impl ClientIndex {
    fn short_key(id: &str) -> Option<u128> {
        let b = id.as_bytes();
        (b.len() < 16).then(|| {
            let mut k = [0u8; 16];
            k[..b.len()].copy_from_slice(b);
            k[15] = b.len() as u8 | 0x80;
            u128::from_le_bytes(k)
        })
    }

    fn slot(&self, k: u128) -> usize {
        mix(k) as usize & (self.slots.len() - 1)
    }

    /// Asks the CPU to bring `id`'s slot into cache ahead of `get`.
    pub(super) fn prefetch(&self, id: &str) {
        if let (Some(k), false) = (Self::short_key(id), self.slots.is_empty()) {
            crate::memory::prefetch(&self.slots[self.slot(k)]);
        }
    }

    pub(super) fn get(&self, id: &str) -> Option<ClientIx> {
        let Some(k) = Self::short_key(id) else { return self.long.get(id).copied() };
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(k);
        loop {
            let (key, ix) = self.slots[i];
            if key == k {
                return Some(ix);
            }
            if key == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    pub(super) fn insert(&mut self, id: &str, ix: ClientIx) {
        let Some(k) = Self::short_key(id) else {
            self.long.insert(id.to_string(), ix);
            return;
        };
        // At most half full, so probe runs stay short.
        if (self.len + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(1024);
            let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
            self.len = 0;
            for (key, v) in old.into_iter().filter(|e| e.0 != 0) {
                self.place(key, v);
            }
        }
        self.place(k, ix);
    }

    fn place(&mut self, k: u128, ix: ClientIx) {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(k);
        while self.slots[i].0 != 0 && self.slots[i].0 != k {
            i = (i + 1) & mask;
        }
        if self.slots[i].0 == 0 {
            self.len += 1;
        }
        self.slots[i] = (k, ix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_inserted_short_and_long_through_growth() {
        let mut ix = ClientIndex::default();
        assert_eq!(ix.get("C1"), None, "an empty index finds nothing");
        ix.prefetch("C1"); // a hint on an empty table is harmless
        let ids: Vec<String> = (0..5000).map(|i| format!("C{i:06}")).collect();
        for (i, id) in ids.iter().enumerate() {
            ix.insert(id, i as ClientIx);
        }
        let long = "a client id longer than fifteen bytes";
        ix.insert(long, 9999);
        for (i, id) in ids.iter().enumerate() {
            ix.prefetch(id);
            assert_eq!(ix.get(id), Some(i as ClientIx), "{id}");
        }
        assert_eq!(ix.get(long), Some(9999));
        assert_eq!(ix.get("C999999"), None);
        assert_eq!(ix.get(""), None);
        // The table stays at most half full.
        assert!(ix.len * 2 <= ix.slots.len(), "{} of {}", ix.len, ix.slots.len());
    }

    #[test]
    fn ids_that_differ_only_in_length_or_trailing_zero_bytes_are_distinct() {
        let mut ix = ClientIndex::default();
        ix.insert("A", 1);
        ix.insert("A\0", 2);
        ix.insert("", 3);
        ix.insert("123456789012345", 4); // 15 bytes: the longest inline key
        ix.insert("1234567890123456", 5); // 16 bytes: kept in the map
        assert_eq!(ix.get("A"), Some(1));
        assert_eq!(ix.get("A\0"), Some(2));
        assert_eq!(ix.get(""), Some(3));
        assert_eq!(ix.get("123456789012345"), Some(4));
        assert_eq!(ix.get("1234567890123456"), Some(5));
    }

    #[test]
    fn inserting_an_id_again_replaces_its_index() {
        let mut ix = ClientIndex::default();
        ix.insert("K1", 1);
        ix.insert("K1", 7);
        assert_eq!(ix.get("K1"), Some(7));
        assert_eq!(ix.len, 1);
    }
}
