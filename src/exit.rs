//! How a run ends: the exit code (a type with its merge rule), the error that carries a failure
//! to `main`, and the panic hook that turns a bug into exit code 1.
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
use crate::mapper::MapError;
use crate::pipeline::RunError;
use crate::pool::PoolError;
use crate::report::ReportError;

/// The exit codes of the table above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// 0: done, nothing to report.
    Ok,
    /// 1: a bug.
    Internal,
    /// 2: the command line or the configuration.
    Usage,
    /// 3: done, with rejected rows (within the threshold) or warnings.
    DataWarnings,
    /// 4: the inputs stopped the run.
    Input,
    /// 5: the outputs could not be written.
    Output,
    /// 6: done and written, but the alerts' digest could not be sent on every channel.
    Delivery,
}

impl ExitCode {
    /// The number the process exits with.
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Ok => 0,
            ExitCode::Internal => 1,
            ExitCode::Usage => 2,
            ExitCode::DataWarnings => 3,
            ExitCode::Input => 4,
            ExitCode::Output => 5,
            ExitCode::Delivery => 6,
        }
    }

    /// How much the code matters when several outcomes make one (the steps of a run, or the
    /// portfolios of a batch): a bug above a usage error above an input error above an output
    /// error above a failed delivery above warnings above success.
    fn weight(self) -> u8 {
        match self {
            ExitCode::Ok => 0,
            ExitCode::DataWarnings => 1,
            ExitCode::Delivery => 2,
            ExitCode::Output => 3,
            ExitCode::Input => 4,
            ExitCode::Usage => 5,
            ExitCode::Internal => 6,
        }
    }

    /// The code of two outcomes together: the one that matters more.
    pub fn merge(self, other: ExitCode) -> ExitCode {
        if other.weight() > self.weight() { other } else { self }
    }

    /// Success, or warnings when anything was rejected or warned about.
    pub fn done(errors: usize, warnings: usize) -> ExitCode {
        if errors > 0 || warnings > 0 { ExitCode::DataWarnings } else { ExitCode::Ok }
    }
}

/// Why a command stopped, by layer; each message ends with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The configuration (or a mapping it names) cannot be used.
    #[error("{0}")]
    Config(#[from] ConfigError),
    /// An input cannot be read.
    #[error("{0}")]
    Input(#[from] InputError),
    /// The inputs were read but the run cannot go on with them.
    #[error("{0}")]
    Run(#[from] RunError),
    /// A report could not be made.
    #[error("{0}")]
    Report(#[from] ReportError),
    /// `arwatch map` could not propose or write a configuration.
    #[error("{0}")]
    Map(#[from] MapError),
    /// A batch could not start (its manifest) or write its summary.
    #[error("{0}\n  fix: see arwatch batch --help and docs/scale-out.md")]
    Batch(String),
    /// The pool step could not read, check or write.
    #[error("{0}")]
    Pool(#[from] PoolError),
    /// A file could not be written.
    #[error("cannot write {path}: {source}\n  fix: check that the output folder is writable and the disk has space")]
    Output {
        /// What could not be written.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl AppError {
    /// The exit code this error ends the process with.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            AppError::Config(_) => ExitCode::Usage,
            AppError::Input(_) | AppError::Run(_) => ExitCode::Input,
            AppError::Report(_) | AppError::Output { .. } => ExitCode::Output,
            AppError::Map(MapError::Input(_) | MapError::NoTable { .. }) => ExitCode::Input,
            AppError::Map(MapError::Exists(_)) => ExitCode::Usage,
            AppError::Map(MapError::Write { .. }) => ExitCode::Output,
            AppError::Batch(_) => ExitCode::Usage,
            AppError::Pool(PoolError::Rules(_) | PoolError::SameContributor(..) | PoolError::SameFileName(..)) => {
                ExitCode::Usage
            }
            AppError::Pool(PoolError::Write(..)) => ExitCode::Output,
            AppError::Pool(_) => ExitCode::Input,
        }
    }

    /// A file under `path` could not be written.
    pub fn output(path: &std::path::Path, source: std::io::Error) -> AppError {
        AppError::Output { path: path.display().to_string(), source }
    }
}

/// Makes a bug (a panic anywhere, in any thread) end the process with `Internal` and a message
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
        std::process::exit(ExitCode::Internal.code());
    }));
}

#[cfg(test)]
mod tests {
    use super::ExitCode::{self, *};

    const ALL: [ExitCode; 6] = [Ok, Internal, Usage, DataWarnings, Input, Output];

    #[test]
    fn codes_are_the_documented_numbers() {
        assert_eq!(ALL.map(ExitCode::code), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn merging_keeps_what_matters_more_in_any_order() {
        for a in ALL {
            assert_eq!(a.merge(a), a);
            assert_eq!(a.merge(Ok), a, "success adds nothing");
            assert_eq!(a.merge(Internal), Internal, "a bug always shows");
            for b in ALL {
                assert_eq!(a.merge(b), b.merge(a), "{a:?} {b:?}");
                for c in ALL {
                    assert_eq!(a.merge(b).merge(c), a.merge(b.merge(c)));
                }
            }
        }
        assert_eq!(DataWarnings.merge(Output), Output);
        assert_eq!(Output.merge(Input), Input);
        assert_eq!(Input.merge(Usage), Usage);
    }

    #[test]
    fn done_says_whether_anything_was_rejected_or_warned() {
        assert_eq!(ExitCode::done(0, 0), Ok);
        assert_eq!(ExitCode::done(1, 0), DataWarnings);
        assert_eq!(ExitCode::done(0, 2), DataWarnings);
    }
}
