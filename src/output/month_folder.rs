//! A month folder written whole or not at all: a run writes into a staging folder beside the
//! final one and swaps it in only when every file is complete, under a lock on the output root
//! so that two runs never write the same root at once.
//!
//! A run that fails (bad input, full disk, a crash) leaves the previous month folder as it was:
//! its staging folder is all it leaves behind, and the next run on that root removes it.

use chrono::{Datelike, NaiveDate};
use std::path::{Path, PathBuf};

/// The name of the folder of a run: `YYYY-MM` when the as-of date is a month end, else
/// `YYYY-MM-DD`, so that a mid-month run never replaces or passes for a month-end one.
pub fn folder_name(as_of: NaiveDate) -> String {
    if is_month_end(as_of) { as_of.format("%Y-%m").to_string() } else { as_of.format("%Y-%m-%d").to_string() }
}

/// Whether `d` is the last day of its month.
pub fn is_month_end(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|next| next.month() != d.month())
}

/// Exclusive use of an output root for one run: the file `<out>/.arwatch.lock` holding the
/// process id. A lock left by a process that no longer runs (killed, crashed) is taken over.
#[derive(Debug)]
pub struct RootLock {
    path: PathBuf,
}

const LOCK_FILE: &str = ".arwatch.lock";
/// Staging and replaced folders start with this, so a run can recognise and clear what an
/// interrupted run left behind.
const WORK_PREFIX: &str = ".arwatch-";

impl RootLock {
    /// Takes the lock, or says which run holds it.
    pub fn take(out: &Path) -> std::io::Result<RootLock> {
        std::fs::create_dir_all(out)?;
        let path = out.join(LOCK_FILE);
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    use std::io::Write;
                    write!(f, "{}", std::process::id())?;
                    let lock = RootLock { path };
                    lock.clear_leftovers(out);
                    return Ok(lock);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    match holder.trim().parse::<u32>() {
                        Ok(pid) if crate::platform::process_runs(pid) => {
                            return Err(std::io::Error::new(
                                std::io::ErrorKind::WouldBlock,
                                format!(
                                    "another arwatch run (process {pid}) is writing to {}; wait until it ends, or use another --out \
                                     (if no arwatch runs, delete {})",
                                    out.display(),
                                    path.display()
                                ),
                            ));
                        }
                        // Left by a run that no longer exists: take it over.
                        _ => {
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other(format!("cannot take the lock {}", path.display())))
    }

    /// What interrupted runs left: a previous month moved aside by a commit that stopped
    /// before the new month was in place is put back (step 2 of [`MonthFolder::commit`]'s
    /// sequence), then staging and replaced folders are removed. Under the lock no other run
    /// is using them.
    fn clear_leftovers(&self, out: &Path) {
        let Ok(entries) = std::fs::read_dir(out) else { return };
        let mut leftovers: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(WORK_PREFIX))
            .map(|e| e.path())
            .collect();
        leftovers.sort();
        for left in leftovers {
            let name = left.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            if let Some(month) = moved_aside(&name) {
                let target = out.join(month);
                if !target.exists() {
                    // Kept where it is if it cannot be moved back: the month is never deleted.
                    let _ = rename_patiently(&left, &target);
                    continue;
                }
            }
            let _ = std::fs::remove_dir_all(&left);
        }
    }
}

/// The month folder's name when `leftover` is a previous month moved aside by a commit
/// (`.arwatch-<month>.old-<pid>`).
fn moved_aside(leftover: &str) -> Option<&str> {
    let rest = leftover.strip_prefix(WORK_PREFIX)?;
    let (month, pid) = rest.rsplit_once(".old-")?;
    (!month.is_empty() && pid.parse::<u32>().is_ok()).then_some(month)
}

impl Drop for RootLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A month folder being written. Files go under [`MonthFolder::path`]; [`MonthFolder::commit`]
/// puts the folder in place of the previous one in a single step. Dropped without a commit,
/// it removes what it wrote.
#[derive(Debug)]
pub struct MonthFolder {
    staging: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl MonthFolder {
    /// Starts the folder for `name` under `out` (the caller holds the root's lock).
    pub fn begin(out: &Path, name: &str, _lock: &RootLock) -> std::io::Result<MonthFolder> {
        let staging = out.join(format!("{WORK_PREFIX}{name}.staging-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir_all(staging.join("data"))?;
        Ok(MonthFolder { staging, target: out.join(name), committed: false })
    }

    /// Where the files are written until the commit.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Where the folder will be after the commit.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the complete folder in place of the previous one of that name, if any.
    ///
    /// On Linux one `renameat2(RENAME_EXCHANGE)` swaps them. Where that is not available
    /// (Windows, and file systems that cannot exchange) the sequence is:
    ///
    /// 1. the staging folder is complete and every file and folder in it synced (a crash before
    ///    or here leaves the previous month as it was; the next run removes the staging folder);
    /// 2. the previous month is renamed to `.arwatch-<month>.old-<pid>` (a crash here leaves no
    ///    month folder: the next run, under the lock, renames it back before anything else);
    /// 3. the staging folder is renamed to the month (a crash here leaves the new month in
    ///    place and the old one aside: the next run removes the old one);
    /// 4. the old folder is removed.
    ///
    /// So at every step either the previous month or the new one is, or will be after the
    /// next run's first step, in place whole. A previous month with a file open in another
    /// program (Excel, a PDF viewer) cannot be moved on Windows: the commit stops at step 2
    /// with nothing changed and says so.
    pub fn commit(self) -> std::io::Result<PathBuf> {
        self.commit_with(exchange)
    }

    /// [`MonthFolder::commit`] with the exchange given (the tests take the Windows sequence on
    /// Linux by giving one that cannot exchange).
    fn commit_with(mut self, exchange: fn(&Path, &Path) -> std::io::Result<bool>) -> std::io::Result<PathBuf> {
        sync_tree(&self.staging)?;
        if self.target.exists() {
            if !exchange(&self.staging, &self.target)? {
                let aside = self.aside();
                rename_patiently(&self.target, &aside).map_err(|e| self.held_open(e))?;
                if let Err(e) = rename_patiently(&self.staging, &self.target) {
                    let _ = rename_patiently(&aside, &self.target);
                    return Err(e);
                }
                let _ = std::fs::remove_dir_all(aside);
            } else {
                // The staging path now holds the previous folder.
                let _ = std::fs::remove_dir_all(&self.staging);
            }
        } else {
            rename_patiently(&self.staging, &self.target)?;
        }
        if let Some(parent) = self.target.parent() {
            sync_dir(parent);
        }
        self.committed = true;
        Ok(self.target.clone())
    }

    /// The error for a previous month that cannot be moved: on Windows, a file in it is open.
    fn held_open(&self, e: std::io::Error) -> std::io::Error {
        if (cfg!(windows) && e.kind() == std::io::ErrorKind::PermissionDenied)
            || crate::platform::held_by_another_program(&e)
        {
            let what = format!("a file in {} (the workbook, the PDF report or a dossier)", self.target.display());
            std::io::Error::new(
                e.kind(),
                format!("{}; the month was left as it was", crate::platform::close_it_first(&what)),
            )
        } else {
            e
        }
    }

    fn aside(&self) -> PathBuf {
        let name = self.target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        self.target.with_file_name(format!("{WORK_PREFIX}{name}.old-{}", std::process::id()))
    }
}

impl Drop for MonthFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Renames, trying again for a few seconds when Windows refuses for a moment: a virus scanner
/// or the search indexer opens new files briefly, and the rename of a folder holding one fails
/// with "access denied" until it lets go. Elsewhere a rename is tried once.
fn rename_patiently(from: &Path, to: &Path) -> std::io::Result<()> {
    let tries = if cfg!(windows) { 20 } else { 1 };
    let mut wait = std::time::Duration::from_millis(50);
    for _ in 1..tries {
        match std::fs::rename(from, to) {
            Err(e)
                if e.kind() == std::io::ErrorKind::PermissionDenied || crate::platform::held_by_another_program(&e) =>
            {
                std::thread::sleep(wait);
                wait = (wait * 2).min(std::time::Duration::from_millis(500));
            }
            other => return other,
        }
    }
    std::fs::rename(from, to)
}

/// Swaps two paths atomically where the system can (Linux `renameat2`); `false` when it cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        // The file system or kernel cannot exchange: fall back to two renames.
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Puts every file under `dir` on disk, then every folder (best effort, as [`sync_dir`]); the
/// number of files. The files were written with [`crate::output::write_staged`], which started
/// their writing: by now most of it is done, and the syncs one after the other mostly wait for
/// what is left (measured faster and cheaper than syncs side by side on threads).
fn sync_tree(dir: &Path) -> std::io::Result<usize> {
    let (mut files, mut dirs) = (0, vec![dir.to_path_buf()]);
    let mut i = 0;
    while let Some(d) = dirs.get(i) {
        for e in std::fs::read_dir(d)? {
            let e = e?;
            if e.file_type()?.is_dir() {
                dirs.push(e.path());
            } else {
                let f = e.path();
                crate::output::sync_file(&f)
                    .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", f.display())))?;
                files += 1;
            }
        }
        i += 1;
    }
    // Deepest first, so each folder's entries are synced before the folder that names it.
    for d in dirs.iter().rev() {
        sync_dir(d);
    }
    Ok(files)
}

/// Makes a folder's entries durable (best effort: not every system can sync a folder).
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn month_ends_get_the_month_and_other_days_the_date() {
        assert_eq!(folder_name(d("2026-10-31")), "2026-10");
        assert_eq!(folder_name(d("2024-02-29")), "2024-02");
        assert_eq!(folder_name(d("2026-10-30")), "2026-10-30");
        assert_eq!(folder_name(d("2025-02-28")), "2025-02");
        assert!(is_month_end(NaiveDate::MAX));
    }

    #[test]
    fn a_second_lock_is_refused_and_a_stale_one_taken_over() {
        let out = tempfile::TempDir::new().unwrap();
        let lock = RootLock::take(out.path()).unwrap();
        let err = RootLock::take(out.path()).unwrap_err();
        assert!(err.to_string().contains("another arwatch run"), "{err}");
        drop(lock);
        assert!(!out.path().join(LOCK_FILE).exists());
        // A process id that cannot run (above Linux's pid_max) is a lock left by a crash.
        std::fs::write(out.path().join(LOCK_FILE), "4294967295").unwrap();
        let _lock = RootLock::take(out.path()).unwrap();
    }

    #[test]
    fn a_commit_replaces_the_whole_folder_and_an_abandoned_one_changes_nothing() {
        let out = tempfile::TempDir::new().unwrap();
        let lock = RootLock::take(out.path()).unwrap();
        let first = MonthFolder::begin(out.path(), "2026-10", &lock).unwrap();
        std::fs::write(first.path().join("data/a.csv"), "first").unwrap();
        std::fs::write(first.path().join("only-first.txt"), "x").unwrap();
        let target = first.commit().unwrap();
        assert_eq!(std::fs::read_to_string(target.join("data/a.csv")).unwrap(), "first");

        // Abandoned: the final folder is untouched and the staging folder is gone.
        let failed = MonthFolder::begin(out.path(), "2026-10", &lock).unwrap();
        std::fs::write(failed.path().join("data/a.csv"), "broken").unwrap();
        drop(failed);
        assert_eq!(std::fs::read_to_string(target.join("data/a.csv")).unwrap(), "first");

        let second = MonthFolder::begin(out.path(), "2026-10", &lock).unwrap();
        std::fs::write(second.path().join("data/a.csv"), "second").unwrap();
        second.commit().unwrap();
        assert_eq!(std::fs::read_to_string(target.join("data/a.csv")).unwrap(), "second");
        assert!(!target.join("only-first.txt").exists(), "a re-run replaces the folder whole");
        let names: Vec<String> =
            std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert!(names.iter().all(|n| !n.starts_with(WORK_PREFIX)), "{names:?}");
    }

    #[test]
    fn a_commit_syncs_every_file_of_the_folder_however_deep() {
        let out = tempfile::TempDir::new().unwrap();
        let lock = RootLock::take(out.path()).unwrap();
        let month = MonthFolder::begin(out.path(), "2026-10", &lock).unwrap();
        std::fs::create_dir_all(month.path().join("handover/deeper")).unwrap();
        let files = ["data/a.csv", "data/b.csv", "report.pdf", "handover/x.pdf", "handover/deeper/y.pdf"];
        for (k, f) in files.iter().enumerate() {
            crate::output::write_staged(&month.path().join(f), format!("{k}").as_bytes()).unwrap();
        }
        assert_eq!(sync_tree(month.path()).unwrap(), files.len());
        let target = month.commit().unwrap();
        assert_eq!(std::fs::read_to_string(target.join("handover/deeper/y.pdf")).unwrap(), "4");
        assert!(!target.join("data/a.csv.partial").exists());
    }

    #[test]
    fn leftovers_of_an_interrupted_run_are_cleared_under_the_lock() {
        let out = tempfile::TempDir::new().unwrap();
        let left = out.path().join(format!("{WORK_PREFIX}2026-10.staging-1"));
        std::fs::create_dir_all(left.join("data")).unwrap();
        let _lock = RootLock::take(out.path()).unwrap();
        assert!(!left.exists());
    }

    #[test]
    fn the_sequence_by_renames_replaces_the_folder_whole() {
        let out = tempfile::TempDir::new().unwrap();
        let lock = RootLock::take(out.path()).unwrap();
        let no_exchange: fn(&Path, &Path) -> std::io::Result<bool> = |_, _| Ok(false);
        let first = MonthFolder::begin(out.path(), "2026-10", &lock).unwrap();
        std::fs::write(first.path().join("only-first.txt"), "x").unwrap();
        let target = first.commit_with(no_exchange).unwrap();
        let second = MonthFolder::begin(out.path(), "2026-10", &lock).unwrap();
        std::fs::write(second.path().join("data/a.csv"), "second").unwrap();
        second.commit_with(no_exchange).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("data/a.csv")).unwrap(), "second");
        assert!(!target.join("only-first.txt").exists());
        let mut names: Vec<String> =
            std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        names.sort();
        assert_eq!(names, [LOCK_FILE, "2026-10"], "nothing else is left");
    }

    /// The state each step of the sequence can crash in, and what the next run finds.
    #[test]
    fn a_crash_at_any_step_of_the_sequence_leaves_a_whole_month_after_the_next_lock() {
        let month = |dir: &Path, text: &str| {
            std::fs::create_dir_all(dir.join("data")).unwrap();
            std::fs::write(dir.join("data/a.csv"), text).unwrap();
        };
        let staging = format!("{WORK_PREFIX}2026-10.staging-7");
        let aside = format!("{WORK_PREFIX}2026-10.old-7");
        // (folders present at the crash, what 2026-10 holds after the next run takes the lock)
        let cases: [(&[(&str, &str)], &str); 4] = [
            // Step 1: the new month staged, the previous one in place.
            (&[("2026-10", "old"), (&staging, "new")], "old"),
            // Step 2: the previous month moved aside, the new one still staged.
            (&[(&aside, "old"), (&staging, "new")], "old"),
            // Step 3: the new month in place, the previous one aside.
            (&[("2026-10", "new"), (&aside, "old")], "new"),
            // Step 4, half done: the old folder partly removed.
            (&[("2026-10", "new"), (&aside, "")], "new"),
        ];
        for (present, expected) in cases {
            let out = tempfile::TempDir::new().unwrap();
            for (name, text) in present {
                month(&out.path().join(name), text);
            }
            let _lock = RootLock::take(out.path()).unwrap();
            assert_eq!(
                std::fs::read_to_string(out.path().join("2026-10/data/a.csv")).unwrap(),
                expected,
                "{present:?}"
            );
            let names: Vec<String> = std::fs::read_dir(out.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into())
                .collect();
            assert!(names.iter().all(|n| !n.starts_with(WORK_PREFIX)), "{present:?}: {names:?}");
        }
    }

    #[test]
    fn only_moved_aside_months_are_recognised() {
        assert_eq!(moved_aside(".arwatch-2026-10.old-123"), Some("2026-10"));
        assert_eq!(moved_aside(".arwatch-2026-10-15.old-9"), Some("2026-10-15"));
        assert_eq!(moved_aside(".arwatch-2026-10.staging-123"), None);
        assert_eq!(moved_aside(".arwatch-.old-1"), None);
        assert_eq!(moved_aside(".arwatch-2026-10.old-x"), None);
    }
}
