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
/// disk never leaves a half-written file that looks whole.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_parts(path, &[bytes])
}

/// [`write_atomic`] of parts written one after the other: a large file made in parallel
/// chunks is never copied into one buffer first.
pub fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("{}.partial", path.extension().and_then(|e| e.to_str()).unwrap_or("")));
    {
        // Small parts (one client's rows) are gathered into fewer system calls.
        let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        for p in parts {
            f.write_all(p)?;
        }
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
