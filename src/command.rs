//! What each command does, from its parsed arguments to an exit code: `sample`, `check`,
//! `run`, `map`, `batch`, `pool`, `completions` and `man`, each through the module that does
//! the work and the console that says what happened.

use crate::cli::{Cli, Command, Common};
use crate::config::{Config, Overrides};
use crate::console::{self, Progress};
use crate::exit::AppError;
use crate::exit_code::ExitCode;
use crate::mapper::MapOptions;
use crate::notify::NotifySettings;
use crate::pipeline;
use clap::CommandFactory;
use std::path::PathBuf;

/// Runs the command the command line names.
pub fn dispatch(cli: &Cli) -> Result<ExitCode, AppError> {
    match &cli.command {
        Command::Sample { seed, portfolios, histories } => sample(&cli.common, *seed, *portfolios, *histories),
        Command::Check => check(&cli.common),
        Command::Map { files, currency, preview, force, snapshot_date } => map(
            &cli.common,
            files,
            MapOptions {
                out: cli.common.out.clone().unwrap_or_else(|| PathBuf::from(".")),
                currency: currency.clone(),
                force: *force,
                snapshot: *snapshot_date,
                reports: "reports".into(),
            },
            *preview,
        ),
        Command::Completions { shell } => print_completions(*shell),
        Command::Man => print_man(),
        Command::Batch { manifest, jobs, force, only_failed, shard, merge_summaries, parquet } => {
            let opts = crate::batch::BatchOptions {
                out: cli.common.out.clone(),
                jobs: *jobs,
                force: *force,
                only_failed: *only_failed,
                shard: None,
                parquet: *parquet,
                as_of: cli.common.as_of,
            };
            batch(&cli.common, manifest, opts, shard.as_deref(), *merge_summaries)
        }
        Command::Pool { dirs, min_creditors, max_share } => pool(&cli.common, dirs, *min_creditors, *max_share),
        Command::Run { compare_with, no_notify, parquet } => {
            run(&cli.common, compare_with.clone(), *no_notify, *parquet)
        }
        Command::BatchWorker => batch_worker(),
    }
}

/// `arwatch sample`: writes the deterministic sample data set.
fn sample(
    common: &Common,
    seed: u64,
    portfolios: Option<usize>,
    histories: Option<usize>,
) -> Result<ExitCode, AppError> {
    if let Some(n) = histories {
        let dir = common.out.clone().unwrap_or_else(|| PathBuf::from("histories"));
        let h = crate::sample::write_histories(&dir, seed, n).map_err(|e| AppError::output(&dir, e))?;
        let failing = h.clients.iter().filter(|c| c.course.is_some()).count();
        console::say(
            common,
            &format!(
                "{n} clients' histories written to {} ({} invoices, {} payments, {} bureau rows; {failing} clients \
                 head for failure, see failures.csv); run: arwatch run --config {}",
                dir.display(),
                h.invoices.len(),
                h.payments.len(),
                h.bureau.len(),
                dir.join("arwatch.toml").display()
            ),
        );
        return Ok(ExitCode::Ok);
    }
    if let Some(n) = portfolios {
        let dir = common.out.clone().unwrap_or_else(|| PathBuf::from("portfolios"));
        let written = crate::sample::write_portfolios(&dir, n, seed).map_err(|e| AppError::output(&dir, e))?;
        let documents: usize = written.iter().map(|(_, d)| d).sum();
        console::say(
            common,
            &format!(
                "{n} creditors written to {} ({documents} documents in all), with {}",
                dir.display(),
                dir.join("manifest.toml").display()
            ),
        );
        return Ok(ExitCode::Ok);
    }
    let dir = common.out.clone().unwrap_or_else(|| PathBuf::from("sample_data"));
    let set = crate::sample::build(seed);
    crate::sample::write(&dir, &set).map_err(|e| AppError::output(&dir, e))?;
    console::say(
        common,
        &format!(
            "sample data written to {}: {} clients, {} documents, {} payments, {} bureau rows",
            dir.display(),
            set.clients.len(),
            set.documents.len(),
            set.payments.len(),
            set.bureau.len()
        ),
    );
    Ok(ExitCode::Ok)
}

/// `arwatch check`: reads and checks the inputs and analyses them as a run would, writes
/// nothing; it exits with the code a run on the same inputs would.
fn check(common: &Common) -> Result<ExitCode, AppError> {
    let config = load_config(common, None, false)?;
    let progress = Progress::new(common);
    let mut first = true;
    let analysed = pipeline::check(&config, &|n| progress.inc(n), &mut |stats, rejects, warnings| {
        // The ledger's inputs are read when the counter stops; the bureau's come after.
        if std::mem::take(&mut first) {
            progress.finish();
        }
        console::inputs(common, stats, rejects, warnings)
    })?;
    if common.verbose {
        for w in &analysed.analysis.warnings {
            eprintln!("warning: {w}");
        }
    }
    console::as_of(common, &analysed.as_of_choice);
    console::say(common, &format!("as-of date would be {}; nothing written", analysed.as_of));
    console::why_warnings(common, &analysed, None);
    Ok(console::data_code(&analysed))
}

/// `arwatch run`: the whole pipeline, then what happened.
fn run(common: &Common, compare_with: Option<String>, no_notify: bool, parquet: bool) -> Result<ExitCode, AppError> {
    run_month(common, compare_with, no_notify, parquet).map(|(code, _)| code)
}

/// The month run and said, with its exit code and the folder of its data files.
fn run_month(
    common: &Common,
    compare_with: Option<String>,
    no_notify: bool,
    parquet: bool,
) -> Result<(ExitCode, PathBuf), AppError> {
    let mut config = load_config(common, compare_with, parquet)?;
    if no_notify {
        config.notify = NotifySettings { min_severity: config.notify.min_severity, email: None, webhook: None };
    }
    let progress = Progress::new(common);
    let out = pipeline::run(&config, &|n| progress.inc(n))?;
    progress.finish();
    console::run_summary(common, &config, &out);
    console::why_warnings(common, &out.analysed, Some(&out.written.data_dir));
    let delivered = if out.delivered.iter().any(|d| d.error.is_some()) { ExitCode::Delivery } else { ExitCode::Ok };
    Ok((console::data_code(&out.analysed).merge(delivered), out.written.data_dir.clone()))
}

/// `arwatch batch-worker`: runs the portfolios a batch hands it, each as `arwatch run -q` would,
/// in this one process.
fn batch_worker() -> Result<ExitCode, AppError> {
    use crate::batch::worker::{Answer, Job, serve};
    let run = |job: &Job| {
        // Lets the tests make one portfolio of a batch a bug on purpose (`ARWATCH_TEST_PANIC`
        // makes the whole program one).
        if std::env::var_os("ARWATCH_TEST_PANIC_PORTFOLIO").is_some_and(|n| job.out.ends_with(n)) {
            panic!("ARWATCH_TEST_PANIC_PORTFOLIO names this portfolio");
        }
        let common = Common {
            config: Some(job.config.clone()),
            as_of: job.as_of,
            out: Some(job.out.clone()),
            lang: job.lang.as_deref().and_then(crate::locale::Lang::parse),
            quiet: true,
            verbose: false,
        };
        match run_month(&common, None, false, job.parquet) {
            Ok((code, data)) => Answer { exit_code: code.code(), data_dir: Some(data), message: String::new() },
            Err(e) => {
                let text = format!("error: {e}");
                let first = text.lines().next().unwrap_or_default().to_string();
                Answer { exit_code: e.exit_code().code(), data_dir: None, message: first }
            }
        }
    };
    // The runs are served from inside rayon's pool (its threads as `RAYON_NUM_THREADS` says,
    // one in a batch of small portfolios): each of a run's parallel steps then starts on the
    // thread already running it instead of being handed to a pool thread and waited for,
    // which halved a batch's context switches and took about 6 % off its CPU time
    // (BENCHMARKS.md). The pool's threads get 8 MiB of stack, as much as the main thread that
    // ran them had on Linux (more than on Windows). Nothing in a run waits on a pool thread
    // from outside rayon (the CSV parser is a thread of its own), so one thread cannot
    // deadlock.
    let _ = rayon::ThreadPoolBuilder::new().stack_size(8 << 20).build_global();
    // The batch closed or broke its pipes: it has stopped, and so does its worker.
    rayon::scope(|_| serve(&run)).map_err(|e| AppError::output(&PathBuf::from("the batch's pipe"), e))?;
    Ok(ExitCode::Ok)
}

/// `arwatch map FILE…`: a configuration and mappings proposed from the files, then (with
/// `--preview`) the inputs read through them.
fn map(common: &Common, files: &[PathBuf], opts: MapOptions, preview: bool) -> Result<ExitCode, AppError> {
    let mapped = crate::mapper::map(files, &opts)?;
    console::mapped(common, &mapped);
    let code = if mapped.complete() { ExitCode::Ok } else { ExitCode::DataWarnings };
    if !preview || !mapped.complete() {
        return Ok(code);
    }
    let config =
        load_config(&Common { config: Some(mapped.config.clone()), out: None, ..common.clone() }, None, false)?;
    let loaded = pipeline::Loaded::load(&config, &|_| {}, &mut |stats, rejects, warnings| {
        console::inputs(common, stats, rejects, warnings)
    })?;
    console::preview(common, &loaded.ingested.ledger);
    Ok(code.merge(ExitCode::done(
        loaded.ingested.rejects.iter().filter(|r| !r.benign).count(),
        loaded.ingested.warnings.len(),
    )))
}

/// `arwatch batch MANIFEST`: the portfolios run, or the shards' summaries merged.
fn batch(
    common: &Common,
    manifest: &std::path::Path,
    mut opts: crate::batch::BatchOptions,
    shard: Option<&str>,
    merge: bool,
) -> Result<ExitCode, AppError> {
    let outcome = if merge {
        crate::batch::merge_summaries(manifest, common.out.as_deref())?
    } else {
        let env = |k: &str| std::env::var(k).ok();
        opts.shard = shard
            .map(|s| crate::batch::shard::Shard::parse(s, &env))
            .transpose()
            .map_err(crate::batch::error::BatchError::from)?;
        let bar = console::BatchProgress::new(common);
        let outcome =
            crate::batch::run(manifest, &opts, &|done, failed, running, total| bar.tell(done, failed, running, total))?;
        bar.finish();
        outcome
    };
    console::batch_summary(common, &outcome);
    Ok(outcome.code)
}

/// `arwatch pool DIR…`: the contributions pooled into the month's files under `--out`.
#[cfg(feature = "parquet")]
fn pool(common: &Common, dirs: &[PathBuf], min_creditors: usize, max_share: f64) -> Result<ExitCode, AppError> {
    use crate::pool::{PoolError, disclosure::Rules};
    let rules = Rules::new(min_creditors, max_share).map_err(PoolError::Rules)?;
    let out = common.out.clone().unwrap_or_else(|| PathBuf::from("pool"));
    let pooled = crate::pool::write(dirs, &out, common.as_of, &rules)?;
    console::pooled(common, &pooled);
    Ok(ExitCode::Ok)
}

/// `arwatch pool` needs polars, left out of this build.
#[cfg(not(feature = "parquet"))]
fn pool(_: &Common, _: &[PathBuf], _: usize, _: f64) -> Result<ExitCode, AppError> {
    Err(crate::exit::Usage::PoolNotBuilt.into())
}

/// `arwatch completions SHELL`: the completion script, from the same definitions as `--help`.
fn print_completions(shell: clap_complete::Shell) -> Result<ExitCode, AppError> {
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "arwatch", &mut text);
    print_bytes(&text)
}

/// `arwatch man`: the man page in roff.
fn print_man() -> Result<ExitCode, AppError> {
    let mut text = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut text)
        .map_err(|e| AppError::output(&PathBuf::from("stdout"), e))?;
    print_bytes(&text)
}

/// Writes to stdout; a reader that stops early (`| head`) is no error.
fn print_bytes(text: &[u8]) -> Result<ExitCode, AppError> {
    use std::io::Write;
    match std::io::stdout().write_all(text) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(AppError::output(&PathBuf::from("stdout"), e)),
        _ => Ok(ExitCode::Ok),
    }
}

/// The configuration file with the command line's overrides.
fn load_config(common: &Common, compare_with: Option<String>, parquet: bool) -> Result<Config, AppError> {
    let path = common.config.clone().unwrap_or_else(|| PathBuf::from("arwatch.toml"));
    let overrides =
        Overrides { as_of: common.as_of, out: common.out.clone(), lang: common.lang, compare_with, parquet };
    Ok(Config::load(&path, &overrides)?)
}
