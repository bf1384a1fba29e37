//! arwatch's command line: read the arguments and the configuration, run the asked step,
//! print what happened, exit with a code that says how it went (see `exit.rs`).

use arwatch::cli::{Cli, Command, Common};
use arwatch::config::{Config, Overrides};
use arwatch::console::{self, Progress};
use arwatch::exit::{self, AppError, ExitCode};
use arwatch::launcher::{self, Start};
use arwatch::mapper::MapOptions;
use arwatch::notify::NotifySettings;
use arwatch::pipeline;
use clap::{CommandFactory, Parser};
use std::path::PathBuf;

// Ingestion and analytics make tens of millions of small allocations across two threads;
// mimalloc keeps and reuses freed memory per thread where the system allocator returns it to
// the kernel and faults it back in (measured: about 3 s of 15 at 10 million invoices).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e` of the mimalloc 3 that
/// libmimalloc-sys 0.1.49 builds; the Rust bindings do not name it). A test checks it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Memory freed by one client is needed again by the next: keep it instead of handing it
    // back to the kernel and faulting it in again (measured ~0.5 s at 10M invoices, ~20 MB).
    // SAFETY: set once, before any other thread exists, as mimalloc requires.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    arwatch::memory::no_huge_pages();
    exit::install_panic_hook();
    // Lets the tests check the hook end to end: the only way to make a bug on purpose.
    if std::env::var_os("ARWATCH_TEST_PANIC").is_some() {
        panic!("ARWATCH_TEST_PANIC is set");
    }
    arwatch::platform::console_utf8();
    // Started from Explorer: double-clicked, or with files dropped on the program.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    match launcher::start(&args) {
        Start::Command => {}
        Start::Welcome => {
            print!("{}", launcher::welcome());
            end_in_a_window(ExitCode::Ok);
        }
        Start::Dropped(files) => {
            let code = launcher::dropped(&files, &mut std::io::stdin().lock()).unwrap_or_else(|e| {
                eprintln!("error: {e}");
                e.exit_code()
            });
            end_in_a_window(code);
        }
    }
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Sample { seed, portfolios } => sample(&cli.common, *seed, *portfolios),
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
            let opts = arwatch::batch::BatchOptions {
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
    }
    .unwrap_or_else(|e| {
        eprintln!("error: {e}");
        e.exit_code()
    });
    std::process::exit(code.code());
}

/// Ends a run started from Explorer, waiting for Enter first where the window would close.
fn end_in_a_window(code: ExitCode) -> ! {
    if launcher::waits() {
        launcher::pause(&mut std::io::stdin().lock());
    }
    std::process::exit(code.code());
}

/// `arwatch sample`: writes the deterministic sample data set.
fn sample(common: &Common, seed: u64, portfolios: Option<usize>) -> Result<ExitCode, AppError> {
    if let Some(n) = portfolios {
        let dir = common.out.clone().unwrap_or_else(|| PathBuf::from("portfolios"));
        let written = arwatch::sample::write_portfolios(&dir, n, seed).map_err(|e| AppError::output(&dir, e))?;
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
    let set = arwatch::sample::build(seed);
    arwatch::sample::write(&dir, &set).map_err(|e| AppError::output(&dir, e))?;
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
    Ok(analysed.data_code())
}

/// `arwatch run`: the whole pipeline, then what happened.
fn run(common: &Common, compare_with: Option<String>, no_notify: bool, parquet: bool) -> Result<ExitCode, AppError> {
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
    Ok(out.analysed.data_code().merge(delivered))
}

/// `arwatch map FILE…`: a configuration and mappings proposed from the files, then (with
/// `--preview`) the inputs read through them.
fn map(common: &Common, files: &[PathBuf], opts: MapOptions, preview: bool) -> Result<ExitCode, AppError> {
    let mapped = arwatch::mapper::map(files, &opts)?;
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
    mut opts: arwatch::batch::BatchOptions,
    shard: Option<&str>,
    merge: bool,
) -> Result<ExitCode, AppError> {
    let usage = |e: String| AppError::Batch(e);
    let outcome = if merge {
        arwatch::batch::merge_summaries(manifest, common.out.as_deref()).map_err(usage)?
    } else {
        let env = |k: &str| std::env::var(k).ok();
        opts.shard = shard.map(|s| arwatch::batch::shard::Shard::parse(s, &env)).transpose().map_err(usage)?;
        let bar = console::BatchProgress::new(common);
        let outcome = arwatch::batch::run(manifest, &opts, &|done, failed, running, total| {
            bar.tell(done, failed, running, total)
        })
        .map_err(usage)?;
        bar.finish();
        outcome
    };
    console::batch_summary(common, &outcome);
    Ok(outcome.code)
}

/// `arwatch pool DIR…`: the contributions pooled into the month's files under `--out`.
#[cfg(feature = "parquet")]
fn pool(common: &Common, dirs: &[PathBuf], min_creditors: usize, max_share: f64) -> Result<ExitCode, AppError> {
    use arwatch::pool::{PoolError, disclosure::Rules};
    let rules = Rules::new(min_creditors, max_share).map_err(PoolError::Rules)?;
    let out = common.out.clone().unwrap_or_else(|| PathBuf::from("pool"));
    let pooled = arwatch::pool::write(dirs, &out, common.as_of, &rules)?;
    console::pooled(common, &pooled);
    Ok(ExitCode::Ok)
}

/// `arwatch pool` needs polars, left out of this build.
#[cfg(not(feature = "parquet"))]
fn pool(_: &Common, _: &[PathBuf], _: usize, _: f64) -> Result<ExitCode, AppError> {
    Err(AppError::Batch(
        "arwatch pool needs the default feature parquet (polars); this arwatch was built with --no-default-features"
            .into(),
    ))
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // Its default in this mimalloc (options.c) is 1000 ms; the options beside it default
        // to 1 and 0, so a shifted enum fails here.
        // SAFETY: reading an option has no preconditions.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) }, 1000);
    }
}
