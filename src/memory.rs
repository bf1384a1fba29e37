//! Hints about memory to the CPU and the kernel: fetch this soon, map that ahead. They change
//! no value; they only move waiting out of the way of the sequential parts of a run.

use std::ops::Range;

/// A hint to bring the memory at `p` into cache. Gathering one client's rows from a ledger of
/// millions reads scattered memory; asking a few rows ahead overlaps the waits. Never
/// dereferences `p`, so any address is fine.
#[inline]
pub fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it does not fault on any address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Turns transparent huge pages off for this process. On the virtual machines measured here a
/// fresh 2 MB page costs far more to fault in than the 4 KB pages actually used (at 10 million
/// invoices: 5 s of system time against 2 s, and a run 1 s slower), and arwatch's large
/// buffers gain nothing from them. Affects only this process.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only sets a process flag.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0)
    };
}

/// The addresses of the unused capacity of `v`, for [`populate`].
pub fn spare<T>(v: &Vec<T>) -> Range<usize> {
    let start = v.as_ptr() as usize + v.len() * std::mem::size_of::<T>();
    start..v.as_ptr() as usize + v.capacity() * std::mem::size_of::<T>()
}

/// Has the kernel map the memory of `ranges` (addresses of reserved, not yet used capacity)
/// from a background thread. Merging rows into the ledger is sequential, and on virtual
/// machines a first touch of fresh memory is slow (about a second per gigabyte measured
/// here); mapping it from another thread takes that off the merge. Ranges are mapped a step
/// of each at a time, front first, as the merge fills them front first. Returns the thread,
/// if one was started (callers need not wait for it).
pub fn populate(ranges: Vec<Range<usize>>) -> Option<std::thread::JoinHandle<()>> {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        const STEP: usize = 16 << 20;
        let mut ranges: Vec<Range<usize>> = ranges
            .into_iter()
            .map(|r| r.start.next_multiple_of(PAGE)..r.end / PAGE * PAGE)
            .filter(|r| r.end > r.start + (1 << 20))
            .collect();
        if ranges.is_empty() {
            return None;
        }
        Some(std::thread::spawn(move || {
            while !ranges.is_empty() {
                for r in &mut ranges {
                    let len = (r.end - r.start).min(STEP);
                    // SAFETY: MADV_POPULATE_WRITE only faults pages in; it never changes their
                    // contents (fresh memory reads as zeros either way), and on a range that is
                    // no longer mapped it fails harmlessly.
                    let ok =
                        unsafe { libc::madvise(r.start as *mut libc::c_void, len, libc::MADV_POPULATE_WRITE) } == 0;
                    r.start = if ok { r.start + len } else { r.end };
                }
                ranges.retain(|r| r.start < r.end);
            }
        }))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = ranges;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populating_spare_capacity_changes_nothing() {
        let mut v: Vec<u64> = Vec::with_capacity(8 << 20);
        v.extend(0..1000);
        let spare = spare(&v);
        assert_eq!(spare.end - spare.start, ((8 << 20) - 1000) * 8);
        if let Some(t) = populate(vec![spare, v.as_ptr() as usize..v.as_ptr() as usize + 8000]) {
            t.join().unwrap();
        }
        assert!(v.iter().copied().eq(0..1000), "the used part is untouched");
        v.extend(1000..(8 << 20));
        assert!(v.iter().copied().eq(0..(8 << 20)));
        // A range that is not mapped is refused by the kernel, not a crash.
        let unmapped = 0x1000..0x1000 + (4 << 20);
        if let Some(t) = populate(vec![unmapped]) {
            t.join().unwrap();
        }
    }
}
