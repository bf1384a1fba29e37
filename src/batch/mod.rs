//! `arwatch batch MANIFEST`: many portfolios, several at once within the machine's memory, run
//! in worker processes (`worker`: one that fails or crashes stops nothing else), with one
//! summary row per portfolio; unchanged portfolios are skipped, failed ones retried on
//! demand, and a cluster's array job runs one shard each.

pub mod error;
pub mod manifest;
pub mod shard;
pub mod state;
pub mod summary;
pub mod worker;

use crate::config::{Config, Overrides};
use crate::exit_code::ExitCode;
use crate::locale::Lang;
use error::BatchError;
use manifest::{Manifest, Portfolio};
use rayon::prelude::*;
use shard::Shard;
use state::State;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;
use summary::Row;
use worker::{Answer, Job, Worker};

/// How a batch runs.
#[derive(Clone, Debug, Default)]
pub struct BatchOptions {
    /// The batch's root (default: the manifest's `out`).
    pub out: Option<PathBuf>,
    /// Portfolios at once (default: as many as fit, see [`jobs_for`]).
    pub jobs: Option<usize>,
    /// Run every portfolio, changed or not.
    pub force: bool,
    /// Run only the portfolios whose last run failed (or never ran).
    pub only_failed: bool,
    /// This process's share of the manifest.
    pub shard: Option<Shard>,
    /// Each run also writes Parquet, gathered under `<root>/parquet/` hive-style.
    pub parquet: bool,
    /// The as-of date of every portfolio that does not give its own (`--as-of`).
    pub as_of: Option<chrono::NaiveDate>,
}

/// What a batch did.
#[derive(Debug)]
pub struct BatchOutcome {
    /// One row per portfolio of this shard, in manifest order.
    pub rows: Vec<Row>,
    /// The summary files written.
    pub summary: PathBuf,
    /// The batch's exit code: the most serious of its portfolios'.
    pub code: ExitCode,
}

/// A portfolio ready to run: where it writes, its size, its fingerprint.
struct Prepared {
    portfolio: Portfolio,
    out: PathBuf,
    size: u64,
    fingerprint: Option<String>,
    /// Why it cannot run (its configuration), when it cannot.
    error: Option<String>,
}

fn prepare(p: &Portfolio, root: &Path, parquet: bool) -> Prepared {
    let out = p.out.clone().unwrap_or_else(|| root.join(&p.name));
    let lang = p.lang.as_deref().and_then(Lang::parse);
    if let Some(l) = p.lang.as_deref().filter(|_| lang.is_none()) {
        let error = Some(format!("{}: lang {l:?} is not one of en, nl, fr", p.name));
        return Prepared { portfolio: p.clone(), out, size: 0, fingerprint: None, error };
    }
    let overrides = Overrides { as_of: p.as_of, out: Some(out.clone()), lang, compare_with: None, parquet };
    match Config::load(&p.config, &overrides) {
        Ok(c) => {
            let size = c.inputs.iter().filter_map(|i| std::fs::metadata(&i.path).ok()).map(|m| m.len()).sum();
            Prepared { portfolio: p.clone(), out, size, fingerprint: Some(state::fingerprint(&c)), error: None }
        }
        Err(e) => Prepared { portfolio: p.clone(), out, size: 0, fingerprint: None, error: Some(e.to_string()) },
    }
}

/// Portfolios at once: each needs about twice its input bytes and 100 MiB (measured: 1.9 GB
/// for 1.1 GB of CSV at 10 million invoices); as many as fit in 70 % of the available memory,
/// at most one more than the cores, at least one. The one more keeps the cores busy while a
/// run waits for its files to reach the disk (measured: 1,000 portfolios of 10,000 invoices on
/// two cores, two at once 20.5–24.4 s, three at once 16.9–19.8 s; BENCHMARKS.md).
pub fn jobs_for(largest_input: u64, available: u64, cores: usize) -> usize {
    let need = largest_input.saturating_mul(2) + (100 << 20);
    ((available as f64 * 0.7 / need as f64) as usize).clamp(1, cores.max(1) + 1)
}

/// Threads each run may use when `jobs` run at once on `cores`: its share, at least one. Two
/// runs of two threads each on two cores spend their idle moments spinning for work the other
/// run's threads could do (measured: 1,000 small portfolios 36–37 s, with one thread each
/// 32–33 s; BENCHMARKS.md).
fn threads_for(jobs: usize, cores: usize) -> usize {
    (cores / jobs.max(1)).max(1)
}

/// Copies a run's `data/*.parquet` to `<root>/parquet/<table>/portfolio=<name>/as_of=<date>/
/// part-0.parquet` (hive-style: DuckDB, Spark, pandas and Power BI read the batch as one
/// table per file kind, with `portfolio` and `as_of` as columns).
fn gather_parquet(root: &Path, name: &str, month: &Path) -> std::io::Result<()> {
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(month.join("data/summary.json"))?)
        .map_err(std::io::Error::other)?;
    let as_of = summary["as_of"].as_str().unwrap_or("unknown").to_string();
    for e in std::fs::read_dir(month.join("data"))? {
        let p = e?.path();
        if p.extension().is_some_and(|x| x == "parquet") {
            let table = p.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
            let to = root.join("parquet").join(&table).join(format!("portfolio={name}")).join(format!("as_of={as_of}"));
            std::fs::create_dir_all(&to)?;
            crate::output::write_atomic(&to.join("part-0.parquet"), &std::fs::read(&p)?)?;
        }
    }
    Ok(())
}

/// The status a run's exit code means.
fn status_of(code: i32) -> &'static str {
    match code {
        0 => "ok",
        // Rows rejected within the threshold, or a digest not sent: the month is written.
        3 | 6 => "warnings",
        _ => "failed",
    }
}

/// The job a prepared portfolio is.
fn job_of(p: &Prepared, parquet: bool) -> Job {
    Job {
        config: p.portfolio.config.clone(),
        out: p.out.clone(),
        as_of: p.portfolio.as_of,
        lang: p.portfolio.lang.clone(),
        parquet,
    }
}

/// Runs one portfolio in a worker of this slot of the batch, started when the slot has none (or
/// its last one died); a portfolio whose paths a job line cannot carry runs in its own process.
fn run_one(exe: &Path, worker: &mut Option<Worker>, p: &Prepared, parquet: bool, threads: usize) -> Row {
    let mut row = Row { portfolio: p.portfolio.name.clone(), ..Row::default() };
    let t = Instant::now();
    let job = job_of(p, parquet);
    let answer = match job.line() {
        Some(line) => in_worker(exe, worker, &line, threads),
        None => run_alone(exe, &job, threads),
    };
    row.exit_code = answer.exit_code;
    if let Some(data) = &answer.data_dir {
        row.read_figures(data.parent().unwrap_or(data));
    }
    row.message = answer.message;
    row.status = status_of(row.exit_code).into();
    row.duration_s = t.elapsed().as_secs_f64();
    row
}

/// Runs a job line in the slot's worker, started first when there is none; a worker that dies
/// is dropped, and the slot's next portfolio starts a fresh one.
fn in_worker(exe: &Path, worker: &mut Option<Worker>, line: &str, threads: usize) -> Answer {
    let mut w = match worker.take() {
        Some(w) => w,
        None => match Worker::start(exe, threads) {
            Ok(w) => w,
            Err(e) => return Answer::not_started(exe, &e),
        },
    };
    match w.run(line) {
        Ok(answer) => {
            *worker = Some(w);
            answer
        }
        Err(died) => died,
    }
}

/// Runs one portfolio in its own `arwatch run` process, with `threads` threads
/// ([`worker::with_threads`]).
fn run_alone(exe: &Path, job: &Job, threads: usize) -> Answer {
    let mut cmd = worker::with_threads(Command::new(exe), threads);
    cmd.arg("run").arg("--config").arg(&job.config).arg("--out").arg(&job.out);
    if let Some(d) = job.as_of {
        cmd.arg("--as-of").arg(d.to_string());
    }
    if let Some(l) = &job.lang {
        cmd.arg("--lang").arg(l);
    }
    if job.parquet {
        cmd.arg("--parquet");
    }
    match cmd.output() {
        Ok(o) => {
            let stdout = String::from_utf8_lossy(&o.stdout);
            let stderr = String::from_utf8_lossy(&o.stderr);
            Answer {
                exit_code: o.status.code().unwrap_or(1),
                // The run's last line says where its month went: "… data in <out>/<YYYY-MM>/data".
                // Only the month is taken from it: the path is printed as Unicode, which the
                // output root may not be.
                data_dir: stdout
                    .lines()
                    .rev()
                    .find_map(|l| l.rsplit_once(", data in ").map(|(_, d)| d.trim()))
                    .and_then(|d| Path::new(d).parent()?.file_name())
                    .map(|month| job.out.join(month).join("data")),
                message: worker::first_error_line(&stderr).unwrap_or_default().to_string(),
            }
        }
        Err(e) => Answer::not_started(exe, &e),
    }
}

/// Runs the manifest's portfolios (this shard's) and writes the summaries. `progress` is told
/// (done, failed, running, total) as runs end.
pub fn run(
    manifest_path: &Path,
    opts: &BatchOptions,
    progress: &(dyn Fn(usize, usize, usize, usize) + Sync),
) -> Result<BatchOutcome, BatchError> {
    let mut manifest = manifest::read(manifest_path)?;
    for p in &mut manifest.portfolios {
        p.as_of = p.as_of.or(opts.as_of);
    }
    let root = opts.out.clone().unwrap_or_else(|| manifest.out.clone());
    // Every configuration is loaded and every input hashed before the first run starts (about
    // half a second on one core for 1,000 small portfolios): on all the cores at once.
    let prepared: Vec<Prepared> = manifest.portfolios.par_iter().map(|p| prepare(p, &root, opts.parquet)).collect();
    let mine: Vec<usize> = match opts.shard {
        Some(s) => {
            let sizes: Vec<u64> = prepared.iter().map(|p| p.size).collect();
            shard::assign(&sizes, s.count)
                .into_iter()
                .enumerate()
                .filter(|(_, k)| *k == s.index)
                .map(|(i, _)| i)
                .collect()
        }
        None => (0..prepared.len()).collect(),
    };
    // What needs a run, and what stands as it was.
    let mut rows: Vec<Option<Row>> = vec![None; prepared.len()];
    let mut todo = Vec::new();
    for &i in &mine {
        let p = &prepared[i];
        let last = State::read(&p.out);
        if let Some(e) = &p.error {
            rows[i] = Some(Row {
                portfolio: p.portfolio.name.clone(),
                status: "failed".into(),
                exit_code: 2,
                message: format!("error: {e}"),
                ..Row::default()
            });
            continue;
        }
        let failed_before = last.as_ref().is_none_or(|s| s.status == "failed");
        let unchanged =
            last.as_ref().is_some_and(|s| Some(&s.fingerprint) == p.fingerprint.as_ref() && s.status != "failed");
        let skip = !opts.force && if opts.only_failed { !failed_before } else { unchanged };
        if skip {
            let mut row = Row { portfolio: p.portfolio.name.clone(), status: "skipped".into(), ..Row::default() };
            row.message =
                if unchanged { "unchanged since its last run".into() } else { "its last run did not fail".into() };
            if let Some(m) = last.and_then(|s| s.month_folder) {
                row.read_figures(&m);
            }
            rows[i] = Some(row);
        } else {
            todo.push(i);
        }
    }
    let exe = std::env::current_exe().map_err(BatchError::NoProgram)?;
    let largest = todo.iter().map(|&i| prepared[i].size).max().unwrap_or(0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = opts.jobs.unwrap_or_else(|| jobs_for(largest, crate::platform::available_memory(), cores)).max(1);
    let threads = threads_for(jobs, cores);
    let queue = Mutex::new(todo.clone().into_iter());
    let done = Mutex::new((0usize, 0usize, Vec::<(usize, Row)>::new()));
    let total = todo.len();
    std::thread::scope(|s| {
        for _ in 0..jobs.min(total.max(1)) {
            s.spawn(|| {
                let mut worker = None;
                loop {
                    let Some(i) = queue.lock().expect("queue").next() else { break };
                    let p = &prepared[i];
                    let row = run_one(&exe, &mut worker, p, opts.parquet, threads);
                    if opts.parquet && row.status != "failed" {
                        // A batch's Parquet in one tree that BI tools read as one table.
                        if let Some(m) = &row.month_folder {
                            let _ = gather_parquet(&root, &p.portfolio.name, m);
                        }
                    }
                    let state = State {
                        fingerprint: p.fingerprint.clone().unwrap_or_default(),
                        status: row.status.clone(),
                        exit_code: row.exit_code,
                        month_folder: row.month_folder.clone(),
                    };
                    // A state that cannot be saved only costs a re-run next time.
                    let _ = state.write(&p.out);
                    let mut d = done.lock().expect("progress");
                    d.0 += 1;
                    if row.status == "failed" {
                        d.1 += 1;
                    }
                    d.2.push((i, row));
                    let running = total - d.0 - queue.lock().expect("queue").len();
                    progress(d.0, d.1, running, total);
                }
                if let Some(w) = worker {
                    w.finish();
                }
            });
        }
    });
    for (i, row) in done.into_inner().expect("progress").2 {
        rows[i] = Some(row);
    }
    let rows: Vec<Row> = mine.iter().filter_map(|&i| rows[i].take()).collect();
    let stem = match opts.shard {
        Some(s) => format!("batch-summary-shard-{}-of-{}", s.index + 1, s.count),
        None => "batch-summary".into(),
    };
    summary::write(&root, &stem, &rows).map_err(|source| BatchError::Write { root: root.clone(), source })?;
    let code = batch_code(&rows);
    Ok(BatchOutcome { rows, summary: root.join(format!("{stem}.csv")), code })
}

/// The batch's exit code: the most serious of its portfolios' (skipped ones count as done).
fn batch_code(rows: &[Row]) -> ExitCode {
    rows.iter()
        .map(|r| match r.exit_code {
            0 => ExitCode::Ok,
            2 => ExitCode::Usage,
            3 => ExitCode::DataWarnings,
            4 => ExitCode::Input,
            5 => ExitCode::Output,
            6 => ExitCode::Delivery,
            _ => ExitCode::Internal,
        })
        .fold(ExitCode::Ok, ExitCode::merge)
}

/// Joins the shards' summaries under the batch's root into `batch-summary.csv` and `.json`, in
/// manifest order; a portfolio no shard reports is a failure of the merge.
pub fn merge_summaries(manifest_path: &Path, out: Option<&Path>) -> Result<BatchOutcome, BatchError> {
    let Manifest { out: root, portfolios } = manifest::read(manifest_path)?;
    let root = out.map_or(root, Path::to_path_buf);
    let mut found: Vec<Row> = Vec::new();
    let entries = std::fs::read_dir(&root).map_err(|source| BatchError::Unreadable { path: root.clone(), source })?;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with("batch-summary-shard-") && name.ends_with(".json") {
            found.extend(summary::read(&e.path())?);
        }
    }
    let mut rows = Vec::new();
    for p in &portfolios {
        let row = found
            .iter()
            .find(|r| r.portfolio == p.name)
            .cloned()
            .ok_or_else(|| BatchError::Unreported(p.name.clone()))?;
        rows.push(row);
    }
    summary::write(&root, "batch-summary", &rows).map_err(|source| BatchError::Write { root: root.clone(), source })?;
    let code = batch_code(&rows);
    Ok(BatchOutcome { rows, summary: root.join("batch-summary.csv"), code })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_many_at_once_as_memory_and_cores_allow() {
        let gib = 1u64 << 30;
        assert_eq!(jobs_for(10 << 20, 16 * gib, 2), 3, "small portfolios: every core, and one waiting on the disk");
        assert_eq!(jobs_for(4 * gib, 16 * gib, 8), 1, "a 4 GB ledger alone");
        assert_eq!(jobs_for(gib, 24 * gib, 16), 8);
        assert_eq!(jobs_for(100 * gib, gib, 4), 1, "at least one");
    }

    #[test]
    fn each_run_gets_its_share_of_the_cores() {
        assert_eq!(threads_for(2, 2), 1, "two small portfolios on two cores: one thread each");
        assert_eq!(threads_for(1, 8), 8, "one large portfolio alone: every core");
        assert_eq!(threads_for(3, 8), 2);
        assert_eq!(threads_for(16, 4), 1, "--jobs beyond the cores: still one each");
        assert_eq!(threads_for(0, 4), 4);
    }
}
