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
                        Ok(pid) if process_runs(pid) => {
                            return Err(std::io::Error::new(
                                std::io::ErrorKind::WouldBlock,
                                format!(
                                    "another arwatch run (process {pid}) is writing to {}; wait until it ends, or use another --out",
                                    out.display()
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

    /// Staging and replaced folders of runs that were interrupted. Under the lock no other run
    /// is using them.
    fn clear_leftovers(&self, out: &Path) {
        let Ok(entries) = std::fs::read_dir(out) else { return };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(WORK_PREFIX) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

impl Drop for RootLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn process_runs(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Elsewhere a lock is trusted until removed by hand.
        true
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

    /// Puts the complete folder in place: the previous folder of that name, if any, is replaced
    /// in one step (Linux) or two renames, and removed after.
    pub fn commit(mut self) -> std::io::Result<PathBuf> {
        sync_dir(&self.staging);
        if self.target.exists() {
            if !exchange(&self.staging, &self.target)? {
                // No atomic exchange here: move the old folder aside, then the new one in.
                let aside = self.aside();
                std::fs::rename(&self.target, &aside)?;
                if let Err(e) = std::fs::rename(&self.staging, &self.target) {
                    let _ = std::fs::rename(&aside, &self.target);
                    return Err(e);
                }
                let _ = std::fs::remove_dir_all(aside);
            } else {
                // The staging path now holds the previous folder.
                let _ = std::fs::remove_dir_all(&self.staging);
            }
        } else {
            std::fs::rename(&self.staging, &self.target)?;
        }
        if let Some(parent) = self.target.parent() {
            sync_dir(parent);
        }
        self.committed = true;
        Ok(self.target.clone())
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
    fn leftovers_of_an_interrupted_run_are_cleared_under_the_lock() {
        let out = tempfile::TempDir::new().unwrap();
        let left = out.path().join(format!("{WORK_PREFIX}2026-10.staging-1"));
        std::fs::create_dir_all(left.join("data")).unwrap();
        let _lock = RootLock::take(out.path()).unwrap();
        assert!(!left.exists());
    }
}
