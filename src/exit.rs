//! Exit codes and the error type that carries them to `main`.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done, every input row accepted, no data-quality warning |
//! | 1 | internal error (a bug: please report it) |
//! | 2 | usage or configuration error |
//! | 3 | done, with data warnings: rows rejected (within the threshold) or warnings |
//! | 4 | input error: a file unreadable, a required column missing, too many rows rejected |
//! | 5 | output error: the reports could not be written |

use crate::config::ConfigError;
use crate::ingest::InputError;

pub const OK: i32 = 0;
pub const INTERNAL: i32 = 1;
pub const USAGE: i32 = 2;
pub const DATA_WARNINGS: i32 = 3;
pub const INPUT: i32 = 4;
pub const OUTPUT: i32 = 5;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("cannot write {path}: {source}\n  fix: check that the output folder is writable and the disk has space")]
    Output { path: String, source: std::io::Error },
    #[error("{0}")]
    Data(String),
}

impl AppError {
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Config(_) => USAGE,
            AppError::Input(_) | AppError::Data(_) => INPUT,
            AppError::Output { .. } => OUTPUT,
        }
    }

    pub fn output(path: &std::path::Path, source: std::io::Error) -> AppError {
        AppError::Output { path: path.display().to_string(), source }
    }
}

/// Makes a bug (a panic anywhere, in any thread) end the process with `INTERNAL` and a message
/// that says so, instead of Rust's default exit code 101 and a bare backtrace. A run stopped
/// this way has written nothing in place: its month is staged until it is complete.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "internal error, please report: {what}{place}\n  arwatch {} stopped; no month folder was changed",
            env!("CARGO_PKG_VERSION")
        );
        std::process::exit(INTERNAL);
    }));
}
