//! What arwatch does when it is started from Explorer rather than a command line: double-clicked
//! (no arguments: it explains itself and waits, so the window does not flash and vanish), or
//! with export files dropped on it (it proposes how to read them, runs into a folder beside
//! them, says where the reports are and opens the PDF, asking before anything it cannot
//! decide).

use crate::cli::{Common, VERSION};
use crate::config::{Config, Overrides};
use crate::console::{self, Progress};
use crate::exit::{AppError, Usage};
use crate::exit_code::ExitCode;
use crate::mapper::{self, MapOptions};
use crate::pipeline;
use std::ffi::OsString;
use std::io::BufRead;
use std::path::{MAIN_SEPARATOR, Path, PathBuf};

/// How the program was started.
#[derive(Debug, PartialEq, Eq)]
pub enum Start {
    /// A command line with a command: clap reads it.
    Command,
    /// No arguments at all: a double-click.
    Welcome,
    /// Only paths of existing files: files dropped on the program.
    Dropped(Vec<PathBuf>),
}

/// Tells a double-click and a drop from a command line (`args` without the program's name).
pub fn start(args: &[OsString]) -> Start {
    if args.is_empty() {
        return Start::Welcome;
    }
    let files: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    // A command's name or a flag is never an existing file's path with a folder or extension.
    let dropped = files.iter().all(|f| {
        f.is_file()
            && !f.to_string_lossy().starts_with('-')
            && (f.extension().is_some() || f.parent().is_some_and(|p| !p.as_os_str().is_empty()))
    });
    if dropped { Start::Dropped(files) } else { Start::Command }
}

/// The folder of settings arwatch proposes beside dropped files, and of their reports.
const SETTINGS: &str = "arwatch";
const REPORTS: &str = "arwatch-reports";

/// What a double-click shows.
pub fn welcome() -> String {
    let s = MAIN_SEPARATOR;
    format!(
        "arwatch {VERSION}\n\
         watches your accounts receivable: aging, days sales outstanding, who pays later and later,\n\
         alerts, and reports for management and for collection.\n\n\
         To get a report: drag your accounting exports (the invoices and the payments, CSV or Excel)\n\
         onto the arwatch program. It proposes how to read them, checks every row, writes the\n\
         reports into a folder beside them ({REPORTS}) and opens the PDF.\n\n\
         To try it first: drag sample_data{s}arwatch.toml onto the arwatch program, or type in a\n\
         command prompt in this folder:\n  arwatch run --config sample_data{s}arwatch.toml\n\n\
         More: QUICKSTART.txt beside the program, and arwatch --help.\n"
    )
}

/// Whether the program waits for Enter before it ends: on Windows, where a double-click or a
/// drop opens a console that closes with the program. A command prompt that started it keeps
/// its window, so there it does not wait.
pub fn waits() -> bool {
    cfg!(windows) && (crate::platform::console_is_own() || std::env::var_os("ARWATCH_PAUSE").is_some())
}

/// Waits for Enter (or the end of the input).
pub fn pause(input: &mut dyn BufRead) {
    println!("\nPress Enter to close this window.");
    let mut line = String::new();
    let _ = input.read_line(&mut line);
}

/// Asks a yes-or-no question; the end of the input, or anything but yes, is `default`.
fn ask(input: &mut dyn BufRead, question: &str, default: bool) -> bool {
    println!("{question} [{}] ", if default { "Y/n" } else { "y/N" });
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(n) if n > 0 => match line.trim().to_lowercase().as_str() {
            "" => default,
            // English, Dutch and French yes.
            "y" | "yes" | "j" | "ja" | "o" | "oui" => true,
            _ => false,
        },
        _ => default,
    }
}

/// Files dropped on the program: a configuration (`.toml`) is run as it is; exports get
/// settings proposed in `arwatch/` beside them (kept for the next month), then the run writes
/// `arwatch-reports/<month>/` beside them, and the PDF is opened.
pub fn dropped(files: &[PathBuf], input: &mut dyn BufRead) -> Result<ExitCode, AppError> {
    let common = Common { config: None, as_of: None, out: None, lang: None, quiet: false, verbose: false };
    println!("arwatch {VERSION}");
    let files: Vec<PathBuf> = files.iter().map(|f| std::path::absolute(f).unwrap_or_else(|_| f.clone())).collect();
    let folder = files[0].parent().map(Path::to_path_buf).unwrap_or_default();
    let configs: Vec<&PathBuf> = files.iter().filter(|f| is_toml(f)).collect();
    let config_path = match configs.as_slice() {
        [config] if files.len() == 1 => (*config).clone(),
        [] => match settings_for(&files, &folder, input, &common)? {
            Some(config) => config,
            // Declined, or the proposal needs the person's eye: nothing was run.
            None => return Ok(ExitCode::Usage),
        },
        _ => {
            return Err(Usage::ConfigAndExports.into());
        }
    };
    println!("\nReading the files through {} …", config_path.display());
    let config = Config::load(&config_path, &Overrides::default())?;
    let progress = Progress::new(&common);
    let ran = pipeline::run(&config, &|n| progress.inc(n))?;
    progress.finish();
    console::run_summary(&common, &config, &ran);
    console::why_warnings(&common, &ran.analysed, Some(&ran.written.data_dir));
    let month = ran.written.data_dir.parent().map(Path::to_path_buf).unwrap_or_default();
    println!("\nThe reports are in {}", month.display());
    if let Some(report) = &ran.written.report {
        println!("Opening {}", report.display());
        open(report);
    }
    Ok(console::data_code(&ran.analysed))
}

fn is_toml(f: &Path) -> bool {
    f.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// The configuration for dropped exports: the one in `arwatch/` when it reads exactly these
/// files; else new settings proposed from them (asking first when they would replace others).
/// `None` when the person declined or the proposal needs their eye first.
fn settings_for(
    files: &[PathBuf],
    folder: &Path,
    input: &mut dyn BufRead,
    common: &Common,
) -> Result<Option<PathBuf>, AppError> {
    let dir = folder.join(SETTINGS);
    let config = dir.join("arwatch.toml");
    let mut force = false;
    if config.exists() {
        let read = Config::load(&config, &Overrides::default()).map(|c| {
            c.inputs.iter().chain(&c.bureau_inputs).chain(&c.log_inputs).map(|i| i.path.clone()).collect::<Vec<_>>()
        });
        if read.as_ref().is_ok_and(|r| same_files(r, files)) {
            println!("Using the settings in {} (they read these files).", dir.display());
            return Ok(Some(config));
        }
        println!("The settings in {} were made for other files.", dir.display());
        if !ask(
            input,
            "Propose new settings for the dropped files? The old arwatch.toml is kept as arwatch.toml.bak.",
            false,
        ) {
            println!(
                "Nothing was changed. To use the old settings with these files, edit the file names in {}.",
                config.display()
            );
            return Ok(None);
        }
        std::fs::copy(&config, dir.join("arwatch.toml.bak")).map_err(|e| AppError::output(&dir, e))?;
        force = true;
    }
    println!("Proposing how to read {} file(s); the settings go to {}", files.len(), dir.display());
    let reports = format!("../{REPORTS}");
    let opts = MapOptions { out: dir.clone(), currency: "EUR".into(), force, snapshot: None, reports };
    let mapped = mapper::map(files, &opts)?;
    console::mapped(common, &mapped);
    if !mapped.complete() {
        println!(
            "\nSome columns could not be matched (see 'not decided' above). Open {} and its mappings,\n\
             name the columns, then drop the files again.",
            config.display()
        );
        return Ok(None);
    }
    Ok(Some(mapped.config))
}

/// Whether two lists name the same files, in any order (compared as the system resolves them).
fn same_files(a: &[PathBuf], b: &[PathBuf]) -> bool {
    let canon = |p: &PathBuf| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
    let (mut a, mut b): (Vec<PathBuf>, Vec<PathBuf>) = (a.iter().map(canon).collect(), b.iter().map(canon).collect());
    a.sort();
    b.sort();
    a == b
}

/// Opens a report with the program the system gives its kind of file (a PDF viewer). Not when
/// `ARWATCH_NO_OPEN` is set (scheduled and scripted runs, and the tests).
fn open(path: &Path) {
    if std::env::var_os("ARWATCH_NO_OPEN").is_some() {
        return;
    }
    let mut cmd = if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        // `start` takes its first quoted argument as a window title: give it an empty one.
        c.args(["/C", "start", ""]).arg(path);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(path);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(path);
        c
    };
    if cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().is_err() {
        println!("(open it yourself: no program to show PDF files was found)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_double_click_a_drop_and_a_command_are_told_apart() {
        let dir = tempfile::TempDir::new().unwrap();
        let f = dir.path().join("facturen.csv");
        std::fs::write(&f, "x").unwrap();
        assert_eq!(start(&[]), Start::Welcome);
        assert_eq!(start(&[f.clone().into()]), Start::Dropped(vec![f.clone()]));
        assert_eq!(start(&["run".into(), "--config".into(), f.clone().into()]), Start::Command);
        assert_eq!(start(&["--version".into()]), Start::Command);
        assert_eq!(start(&[dir.path().join("missing.csv").into()]), Start::Command);
        // A folder is not a dropped file.
        assert_eq!(start(&[dir.path().into()]), Start::Command);
    }

    #[test]
    fn questions_take_yes_in_three_languages_and_default_at_the_end_of_input() {
        for yes in ["y\n", "Ja\n", "oui\n", "YES\n"] {
            assert!(ask(&mut yes.as_bytes(), "?", false), "{yes}");
        }
        assert!(!ask(&mut "n\n".as_bytes(), "?", true));
        assert!(ask(&mut "\n".as_bytes(), "?", true));
        assert!(!ask(&mut "".as_bytes(), "?", false));
    }

    #[test]
    fn the_welcome_says_what_to_do() {
        let w = welcome();
        assert!(w.contains("drag your accounting exports") && w.contains("arwatch run --config sample_data"), "{w}");
    }
}
