//! Files a run writes: each whole or not at all (written aside, then renamed), and the month
//! folder that appears complete or not at all.

pub mod month_folder;

use std::io::Write;
use std::path::{Path, PathBuf};

/// A file or folder that could not be written, with the fix every writer of arwatch suggests.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}\n  fix: check that the output folder is writable and the disk has space", .path.display())]
pub struct WriteError {
    /// What could not be written.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

impl WriteError {
    /// `path` could not be written because of `source`.
    pub fn new(path: &Path, source: std::io::Error) -> WriteError {
        WriteError { path: path.to_path_buf(), source }
    }
}

/// Writes a file under a temporary name and renames it when complete, so a crash or a full
/// disk never leaves a half-written file that looks whole. The file is on disk when this returns.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_aside(path, &[bytes], Durable::Now)
}

/// [`write_atomic`] for a file in a month's staging folder: written aside and renamed, its way
/// to the disk started but not waited for. [`month_folder::MonthFolder::commit`] syncs the
/// folder's files; by then most of their writing is done, where a sync as each is written
/// waited for all of it, file after file.
pub fn write_staged(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_aside(path, &[bytes], Durable::AtCommit)
}

/// [`write_staged`] of parts written one after the other: a large file made in parallel
/// chunks is never copied into one buffer first.
pub fn write_staged_parts(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    write_aside(path, parts, Durable::AtCommit)
}

/// Makes a file written by [`write_staged`] outside a month folder durable on its own.
pub fn sync_file(path: &Path) -> std::io::Result<()> {
    // Windows flushes only a handle opened for writing.
    std::fs::OpenOptions::new().write(true).open(path)?.sync_all()
}

/// When a file written aside must be on disk.
#[derive(Clone, Copy)]
enum Durable {
    /// Before the call returns.
    Now,
    /// When its month folder is committed.
    AtCommit,
}

fn write_aside(path: &Path, parts: &[&[u8]], durable: Durable) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("{}.partial", path.extension().and_then(|e| e.to_str()).unwrap_or("")));
    {
        // Small parts (one client's rows) are gathered into fewer system calls.
        let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        for p in parts {
            f.write_all(p)?;
        }
        let f = f.into_inner().map_err(|e| e.into_error())?;
        match durable {
            Durable::Now => f.sync_all()?,
            Durable::AtCommit => start_writeback(&f),
        }
    }
    std::fs::rename(&tmp, path)
}

/// Asks the system to start writing the file's pages to disk without waiting, so that a large
/// file's writing overlaps the next file's making (Linux; elsewhere the commit's sync does all).
#[cfg(target_os = "linux")]
fn start_writeback(f: &std::fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: a valid open descriptor; the call only schedules writeback. Its result is not
    // needed: the commit's fsync is what guarantees the file and reports its errors.
    unsafe {
        libc::sync_file_range(f.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_: &std::fs::File) {}
