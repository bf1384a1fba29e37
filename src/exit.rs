//! How a command ends when it fails: the error that carries each layer's failure to `main`,
//! with the exit code it gives (`exit_code.rs`), and the panic hook that turns a bug into
//! exit code 1.

use crate::batch::error::BatchError;
use crate::config::ConfigError;
use crate::exit_code::ExitCode;
use crate::ingest::InputError;
use crate::mapper::MapError;
use crate::output::WriteError;
use crate::pipeline::PipelineError;
use crate::pool::PoolError;

/// Why a command stopped, by layer; each message ends with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The configuration (or a mapping it names) cannot be used.
    #[error("{0}")]
    Config(#[from] ConfigError),
    /// An input cannot be read (outside a run: `arwatch map`).
    #[error("{0}")]
    Input(#[from] InputError),
    /// A run or check stopped: its inputs, its checks, or its outputs.
    #[error("{0}")]
    Pipeline(#[from] PipelineError),
    /// `arwatch map` could not propose or write a configuration.
    #[error("{0}")]
    Map(#[from] MapError),
    /// A batch could not start (its manifest) or write its summary.
    #[error("{0}\n  fix: see arwatch batch --help and docs/scale-out.md")]
    Batch(#[from] BatchError),
    /// The pool step could not read, check or write.
    #[error("{0}")]
    Pool(#[from] PoolError),
    /// The command line asks for what this arwatch cannot do.
    #[error("{0}")]
    Usage(#[from] Usage),
    /// A file could not be written.
    #[error("{0}")]
    Output(#[from] WriteError),
}

/// What the command line asks for that cannot be done as asked.
#[derive(Debug, thiserror::Error)]
pub enum Usage {
    /// Files dropped on the program: a configuration and exports together.
    #[error("drop either one arwatch.toml or the export files, not both: a configuration names its own files")]
    ConfigAndExports,
    /// `arwatch pool` in a build without polars.
    #[error(
        "arwatch pool needs the default feature parquet (polars); this arwatch was built with --no-default-features"
    )]
    PoolNotBuilt,
}

impl AppError {
    /// The exit code this error ends the process with.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            AppError::Config(_) | AppError::Usage(_) | AppError::Batch(_) => ExitCode::Usage,
            AppError::Input(_) => ExitCode::Input,
            AppError::Pipeline(e) if e.is_output() => ExitCode::Output,
            AppError::Pipeline(_) => ExitCode::Input,
            AppError::Output(_) => ExitCode::Output,
            AppError::Map(MapError::Input(_) | MapError::NoTable { .. }) => ExitCode::Input,
            AppError::Map(MapError::Exists(_)) => ExitCode::Usage,
            AppError::Map(MapError::Write { .. }) => ExitCode::Output,
            AppError::Pool(PoolError::Rules(_) | PoolError::SameContributor(..) | PoolError::SameFileName(..)) => {
                ExitCode::Usage
            }
            AppError::Pool(PoolError::Write(..)) => ExitCode::Output,
            AppError::Pool(_) => ExitCode::Input,
        }
    }

    /// A file under `path` could not be written.
    pub fn output(path: &std::path::Path, source: std::io::Error) -> AppError {
        AppError::Output(WriteError::new(path, source))
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
