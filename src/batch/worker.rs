//! A batch's worker: one `arwatch batch-worker` process that runs portfolios one after another,
//! told each on a line of its input and answering each on a line of its output. A worker that
//! dies (a crash, an internal error) takes only the portfolio it was running with it: the batch
//! starts a fresh one for the next.
//!
//! Why not a process for each portfolio: a run of 10,000 invoices does about 40 ms of work, and
//! a fresh process adds 20 ms to it (loading and relocating the program, faulting in a fresh
//! heap page by page). A worker pays that once (BENCHMARKS.md, "A batch's runs in workers").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

/// The hidden command that starts a worker.
pub const COMMAND: &str = "batch-worker";

/// Each answer's line starts with this, so that nothing else a run might print can be taken
/// for one.
const ANSWER: &str = "arwatch-batch-worker-answer ";

/// A portfolio to run, as `arwatch run --config … --out … [--as-of …] [--lang …] [--parquet]`
/// would.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Its configuration file.
    pub config: PathBuf,
    /// Its output root.
    pub out: PathBuf,
    /// Its as-of date, when the manifest or the batch gives one.
    pub as_of: Option<NaiveDate>,
    /// `en`, `nl` or `fr`, checked when the batch read its manifest.
    pub lang: Option<String>,
    /// Also write Parquet.
    pub parquet: bool,
}

impl Job {
    /// The job as the worker reads it; `None` when a path is not Unicode (JSON cannot carry it),
    /// and the portfolio runs in a process of its own instead.
    pub fn line(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }
}

/// How a run went, as its process would have said it: the exit code, where its month's data
/// went, and its error's first line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The exit code `arwatch run` would have ended with.
    pub exit_code: i32,
    /// The month's `data` folder, when the month was written.
    pub data_dir: Option<PathBuf>,
    /// The first line of the error that stopped the run (empty when none did).
    pub message: String,
}

impl Answer {
    /// A run whose program could not be started.
    pub fn not_started(exe: &Path, e: &std::io::Error) -> Answer {
        Answer { exit_code: 1, data_dir: None, message: format!("cannot start {}: {e}", exe.display()) }
    }
}

/// The first line of a run's error output that says what stopped it: an error, or an internal
/// error (the panic hook's words).
pub fn first_error_line(stderr: &str) -> Option<&str> {
    stderr.lines().find(|l| l.starts_with("error") || l.starts_with("internal error"))
}

/// The worker's side: runs each job read from standard input with `run` and answers it on
/// standard output, until the input ends.
pub fn serve(run: &dyn Fn(&Job) -> Answer) -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    for line in stdin.lock().lines() {
        let line = line?;
        let answer = match serde_json::from_str::<Job>(&line) {
            Ok(job) => run(&job),
            // Only the batch writes here; a line it did not write is a bug, said as one.
            Err(e) => Answer {
                exit_code: crate::exit_code::ExitCode::Internal.code(),
                data_dir: None,
                message: format!("internal error: a job line {e}"),
            },
        };
        let text = serde_json::to_string(&answer).map_err(std::io::Error::other)?;
        writeln!(out, "{ANSWER}{text}")?;
        out.flush()?;
    }
    Ok(())
}

/// The answer a line of a worker's output carries, wherever on the line its marker starts (a
/// run that printed text without ending its line leaves that text in front of it).
fn answer_in(line: &str) -> Option<Answer> {
    let at = line.find(ANSWER)?;
    serde_json::from_str(line[at + ANSWER.len()..].trim_end()).ok()
}

/// `cmd` with `threads` threads for each run, unless the batch's environment says otherwise
/// (`RAYON_NUM_THREADS`, and `POLARS_MAX_THREADS` for Parquet).
pub(super) fn with_threads(mut cmd: Command, threads: usize) -> Command {
    for var in ["RAYON_NUM_THREADS", "POLARS_MAX_THREADS"] {
        if std::env::var_os(var).is_none() {
            cmd.env(var, threads.to_string());
        }
    }
    cmd
}

/// The batch's side of one worker process.
pub struct Worker {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    /// What the worker wrote to its error output, kept to say why it died.
    errors: Arc<Mutex<Vec<u8>>>,
    drain: Option<std::thread::JoinHandle<()>>,
}

/// The error output kept from a worker: the first lines say what stopped it.
const ERRORS_KEPT: usize = 64 << 10;

impl Worker {
    /// Starts `exe batch-worker` with `threads` threads for each run ([`with_threads`]).
    pub fn start(exe: &Path, threads: usize) -> std::io::Result<Worker> {
        let mut child = with_threads(Command::new(exe), threads)
            .arg(COMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(input), Some(output), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            return Err(std::io::Error::other("the worker's pipes were not set up"));
        };
        // Drained as it comes, so a worker that writes much to it never waits on a full pipe.
        let errors = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&errors);
        let drain = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut k = kept.lock().unwrap_or_else(|p| p.into_inner());
                let room = ERRORS_KEPT.saturating_sub(k.len());
                k.extend_from_slice(&buf[..n.min(room)]);
            }
        });
        Ok(Worker { child, input, output: BufReader::new(output), errors, drain: Some(drain) })
    }

    /// Runs one job, as [`Job::line`] wrote it. `Err` when the worker died on it: its answer
    /// then is its exit status and the first error line it wrote, and the worker is spent.
    pub fn run(&mut self, job: &str) -> Result<Answer, Answer> {
        self.errors.lock().unwrap_or_else(|p| p.into_inner()).clear();
        if writeln!(self.input, "{job}").and_then(|()| self.input.flush()).is_ok() {
            let mut line = String::new();
            while matches!(self.output.read_line(&mut line), Ok(n) if n > 0) {
                if let Some(answer) = answer_in(&line) {
                    return Ok(answer);
                }
                line.clear();
            }
        }
        Err(self.died())
    }

    /// The worker stopped before answering: how it ended and what it said.
    fn died(&mut self) -> Answer {
        let _ = self.child.kill();
        let status = reap(&mut self.child, &mut self.drain);
        let errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        let text = String::from_utf8_lossy(&errors);
        let message = match (first_error_line(&text), &status) {
            (Some(l), _) => l.to_string(),
            (None, Ok(s)) => format!("the run stopped: {s}"),
            (None, Err(e)) => format!("the run stopped: {e}"),
        };
        Answer { exit_code: status.ok().and_then(|s| s.code()).unwrap_or(1), data_dir: None, message }
    }

    /// Ends the worker: its input closes, it finishes and exits.
    pub fn finish(mut self) {
        drop(self.input);
        let _ = reap(&mut self.child, &mut self.drain);
    }
}

/// Waits for a worker that is ending, then for the thread draining its error output (which
/// ends with it): how it exited, with all it wrote kept.
fn reap(
    child: &mut Child,
    drain: &mut Option<std::thread::JoinHandle<()>>,
) -> std::io::Result<std::process::ExitStatus> {
    let status = child.wait();
    if let Some(d) = drain.take() {
        let _ = d.join();
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_and_its_answer_read_back_as_written() {
        let job = Job {
            config: PathBuf::from("Klanten/Brugge é/arwatch.toml"),
            out: PathBuf::from("all/brugge"),
            as_of: NaiveDate::from_ymd_opt(2026, 10, 31),
            lang: Some("nl".into()),
            parquet: true,
        };
        let line = job.line().unwrap();
        assert!(!line.contains('\n'), "one job, one line: {line}");
        assert_eq!(serde_json::from_str::<Job>(&line).unwrap(), job);
        let answer =
            Answer { exit_code: 3, data_dir: Some(PathBuf::from("all/brugge/2026-10/data")), message: "x\ny".into() };
        let line = serde_json::to_string(&answer).unwrap();
        assert!(!line.contains('\n'), "one answer, one line: {line}");
        assert_eq!(serde_json::from_str::<Answer>(&line).unwrap(), answer);
    }

    #[test]
    fn the_first_error_line_is_an_error_or_an_internal_one() {
        let stderr = "warning: 2 rows rejected\nerror: cannot read f.csv\n  fix: check the path\n";
        assert_eq!(first_error_line(stderr), Some("error: cannot read f.csv"));
        let panicked = "internal error, please report: x at src/a.rs:1\n  arwatch 0.1.0 stopped\n";
        assert_eq!(first_error_line(panicked), Some("internal error, please report: x at src/a.rs:1"));
        assert_eq!(first_error_line("warning: a\n"), None);
    }

    #[test]
    fn an_answer_is_found_behind_text_a_run_left_unended() {
        let answer =
            Answer { exit_code: 0, data_dir: Some(PathBuf::from("all/a/2026-10/data")), message: String::new() };
        let text = serde_json::to_string(&answer).unwrap();
        assert_eq!(answer_in(&format!("{ANSWER}{text}\n")), Some(answer.clone()));
        assert_eq!(answer_in(&format!("Opening…{ANSWER}{text}\r\n")), Some(answer));
        assert_eq!(answer_in("as of 2026-10-31: 3 clients\n"), None, "a line without the marker is no answer");
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_unicode_makes_no_job_line() {
        use std::os::unix::ffi::OsStrExt;
        let job = Job {
            config: PathBuf::from(std::ffi::OsStr::from_bytes(b"caf\xe9/arwatch.toml")),
            out: PathBuf::from("all"),
            as_of: None,
            lang: None,
            parquet: false,
        };
        assert_eq!(job.line(), None, "such a portfolio runs in a process of its own");
    }
}
