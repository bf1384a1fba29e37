//! A run, stage by stage. Each stage is a type made from the one before:
//!
//! 1. [`Loaded`]: the inputs read, reconciled and checked, the as-of date fixed;
//! 2. [`Analysed`]: the ledger's rows consumed into figures, risk, alerts and the handover;
//! 3. the report model built from those, 4. drawn by each renderer into a staged month folder,
//!    5. put in place and saved in the history ([`written`]).
//!
//! `arwatch check` is stage 1; `arwatch run` is the whole chain.

mod analysed;
mod error;
mod loaded;
mod written;

pub use analysed::Analysed;
pub use error::{PipelineError, RunError, TooManyRejected};
pub use loaded::{Loaded, Seen, read_ledger};
pub use written::Written;

use crate::config::Config;
use crate::notify::{Delivery, Digest};
use crate::output::month_folder::RootLock;
use crate::report::data;
use crate::stopwatch::Stopwatch;

/// What a whole run gives back to the command line.
pub struct RunOutput {
    /// Everything the run found.
    pub analysed: Analysed,
    /// Where it went.
    pub written: Written,
    /// The digest of alerts sent, per channel (none without `[notify]`).
    pub delivered: Vec<Delivery>,
}

/// Stages 1 and 2: reads, checks and analyses the inputs as a run would, writes nothing; so
/// `check` finds what `run` would find (unknown references, missing rates, a broken
/// history) and exits with the same code.
pub fn check(config: &Config, progress: &(dyn Fn(u64) + Sync), seen: &mut Seen<'_>) -> Result<Analysed, PipelineError> {
    let loaded = Loaded::load(config, progress, seen)?;
    Analysed::from(config, loaded)
}

/// The whole chain. The output root is held from the start: a second run is refused at once,
/// not after reading.
pub fn run(config: &Config, progress: &(dyn Fn(u64) + Sync)) -> Result<RunOutput, PipelineError> {
    let lock = RootLock::take(&config.out).map_err(|e| PipelineError::output(&config.out, e))?;
    let t = Stopwatch::start();
    let loaded = Loaded::load(config, progress, &mut |_, _, _| {}).map_err(|e| keep_rejected(config, e))?;
    let read = t.lap();
    let mut analysed = Analysed::from(config, loaded)?;
    analysed.timings.insert(0, ("ingest", read));
    let written = written::write(config, &mut analysed, &lock)?;
    // The month is in place before anything is sent: a failed delivery never costs it, and
    // the lock keeps two runs from sending the same alerts.
    let delivered = notify(config, &analysed, &written);
    drop(lock);
    Ok(RunOutput { analysed, written, delivered })
}

/// Sends the alerts at or above `[notify] min_severity` on every configured channel.
fn notify(config: &Config, a: &Analysed, w: &Written) -> Vec<Delivery> {
    if config.notify.channels().is_empty() {
        return Vec::new();
    }
    let compared_with = a.compared_with.as_ref().and_then(|p| p.file_stem()).map(|s| s.to_string_lossy().to_string());
    let digest = Digest::new(
        &config.company,
        a.as_of,
        compared_with,
        config.lang,
        config.notify.min_severity,
        &a.alerts,
        w.report.as_ref().map(|p| p.display().to_string()),
    );
    crate::notify::deliver(&config.notify, &digest, &crate::monitor::history::dir(&config.out))
}

/// A run stopped on its rejected rows still writes them: they are what to fix. They go
/// beside the month folders, never into one, so the previous month stays as it was.
fn keep_rejected(config: &Config, e: PipelineError) -> PipelineError {
    let PipelineError::Run(RunError::TooManyRejected(mut t)) = e else { return e };
    let Some((name, rejects)) = t.rows_to_write.take() else { return PipelineError::Run(RunError::TooManyRejected(t)) };
    let dir = config.out.join("failed-runs").join(name);
    let data_dir = data::DataDir { path: &dir, parquet: false };
    let file = dir.join("rejected.csv");
    // Written as into a month folder, and synced here: no month folder's commit follows.
    let written = std::fs::create_dir_all(&dir)
        .and_then(|_| data::write_rejected(&data_dir, rejects.iter()))
        .and_then(|_| crate::output::sync_file(&file));
    if let Err(e) = written {
        return PipelineError::output(&dir, e);
    }
    t.written = Some(file);
    PipelineError::Run(RunError::TooManyRejected(t))
}
