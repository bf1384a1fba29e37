//! Started as a controller starts it on Windows (scripts/windows-check.sh does the same under
//! Wine): a double-click with no arguments, export files dropped on the program, a dropped
//! configuration; and run by the schedulers' scripts in deploy/.

mod common;
use common::{arwatch, read, root};
use std::path::Path;

/// Runs the binary with `args`, `input` on stdin, and never a PDF viewer.
fn launch(args: &[&Path], input: &str) -> (i32, String) {
    let out = arwatch().args(args).env("ARWATCH_NO_OPEN", "1").write_stdin(input).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!text.contains("panicked"), "{text}");
    (out.status.code().unwrap_or(-1), text)
}

fn exports(dir: &Path) -> Vec<std::path::PathBuf> {
    ["facturen.csv", "betalingen.csv"]
        .iter()
        .map(|f| {
            let to = dir.join(f);
            std::fs::copy(root().join("sample_data/csv").join(f), &to).unwrap();
            to
        })
        .collect()
}

#[test]
fn a_double_click_explains_what_to_do() {
    let (code, text) = launch(&[], "");
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("drag your accounting exports"), "{text}");
    assert!(text.contains("arwatch run --config sample_data/arwatch.toml"), "{text}");
    assert!(text.contains(arwatch::cli::VERSION), "{text}");
}

#[test]
fn exports_dropped_on_the_program_are_mapped_run_and_reported_beside_them() {
    let dir = tempfile::TempDir::new().unwrap();
    let files = exports(dir.path());
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let (code, text) = launch(&paths, "");
    assert!(code == 0 || code == 3, "{code}: {text}");
    assert!(text.contains("Proposing how to read 2 file(s)"), "{text}");
    let month = dir.path().join("arwatch-reports/2026-10");
    assert!(text.contains(&format!("The reports are in {}", month.display())), "{text}");
    assert!(month.join("arwatch-2026-10.pdf").is_file() && month.join("arwatch-2026-10.xlsx").is_file());
    let config = read(&dir.path().join("arwatch/arwatch.toml"));
    assert!(config.contains("out = \"../arwatch-reports\""), "{config}");
    // The same figures as the sample's own configuration (which reads the same two files).
    let clients = read(&month.join("data/clients.csv"));
    assert_eq!(clients.lines().count(), 151, "150 clients and the header");

    // Next month, the same files again: the settings are used as they are, without a question.
    let (again, text) = launch(&paths, "");
    assert_eq!(again, code, "{text}");
    assert!(text.contains("Using the settings"), "{text}");
    assert!(!text.contains("[y/N]"), "{text}");
}

#[test]
fn other_files_dropped_on_existing_settings_are_asked_about_first() {
    let dir = tempfile::TempDir::new().unwrap();
    let files = exports(dir.path());
    let (code, text) = launch(&[files[0].as_path(), files[1].as_path()], "");
    assert!(code == 0 || code == 3, "{text}");
    let settings = dir.path().join("arwatch/arwatch.toml");
    let before = read(&settings);

    // Only the invoices this time: other files than the settings read. No answer is no.
    let (code, text) = launch(&[files[0].as_path()], "");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("were made for other files") && text.contains("[y/N]"), "{text}");
    assert!(text.contains("Nothing was changed"), "{text}");
    assert_eq!(read(&settings), before);

    // Yes (in Dutch): new settings, the old ones kept.
    let (code, text) = launch(&[files[0].as_path()], "ja\n");
    assert!(code == 0 || code == 3, "{code}: {text}");
    assert_eq!(read(&dir.path().join("arwatch/arwatch.toml.bak")), before);
    assert_ne!(read(&settings), before);
}

#[test]
fn a_dropped_configuration_is_run_as_it_is() {
    let dir = tempfile::TempDir::new().unwrap();
    let cfg = common::sample_config(dir.path(), |t| t.replace("out = \"../reports\"", "out = \"out\""), "");
    let (code, text) = launch(&[cfg.as_path()], "");
    assert!(code == 0 || code == 3, "{text}");
    assert!(dir.path().join("out/2026-10/arwatch-2026-10.pdf").is_file(), "{text}");
    // A configuration and exports together are refused: the configuration names its own files.
    let files = exports(dir.path());
    let (code, text) = launch(&[cfg.as_path(), files[0].as_path()], "");
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("not both"), "{text}");
}

#[test]
fn the_version_names_the_commit_the_target_and_the_features() {
    let out = arwatch().arg("--version").output().unwrap();
    let v = String::from_utf8_lossy(&out.stdout);
    assert!(v.starts_with(&format!("arwatch {} (commit ", env!("CARGO_PKG_VERSION"))), "{v}");
    assert!(v.contains("x86_64-unknown-linux-gnu") || v.contains(std::env::consts::ARCH), "{v}");
    let features = if cfg!(feature = "parquet") { "features: parquet)" } else { "features: none)" };
    assert!(v.trim_end().ends_with(features), "{v}");
}

#[cfg(unix)]
#[test]
fn the_linux_monthly_script_runs_the_month_and_logs_its_exit_code() {
    let dir = tempfile::TempDir::new().unwrap();
    let cfg = common::sample_config(dir.path(), |t| t.replace("out = \"../reports\"", "out = \"out\""), "");
    let log = dir.path().join("monthly.log");
    let out = std::process::Command::new(root().join("deploy/linux/arwatch-monthly.sh"))
        .env("ARWATCH", assert_cmd::cargo::cargo_bin("arwatch"))
        .env("ARWATCH_CONFIG", &cfg)
        .env("ARWATCH_LOG", &log)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(code == 0 || code == 3, "{out:?}");
    let log = read(&log);
    assert!(log.contains(&format!("==== exit code {code}")), "{log}");
    assert!(dir.path().join("out/2026-10/data/clients.csv").is_file());
}

/// The timer's calendar is one systemd reads (checked where systemd-analyze is installed).
#[test]
fn the_systemd_timer_fires_on_the_fifth_of_each_month() {
    let timer = read(&root().join("deploy/linux/arwatch-monthly.timer"));
    let spec = timer.lines().find_map(|l| l.strip_prefix("OnCalendar=")).expect("an OnCalendar line");
    let Ok(out) = std::process::Command::new("systemd-analyze").args(["calendar", "--iterations=2", spec]).output()
    else {
        eprintln!("systemd-analyze is not installed: the calendar is not checked");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("-05 06:00:00"), "{text}");
}

#[test]
fn a_configuration_saved_by_notepad_with_windows_paths_runs() {
    let dir = tempfile::TempDir::new().unwrap();
    // A byte-order mark, CRLF, and a path with a backslash that TOML would read as an escape
    // (".\csv" is how Windows users write it; on Linux the folder name holds the backslash).
    let sample = root().join("sample_data");
    let odd = dir.path().join(".\\csv");
    std::fs::create_dir_all(&odd).unwrap();
    std::fs::copy(sample.join("csv/facturen.csv"), odd.join("facturen.csv")).unwrap();
    let text = read(&sample.join("arwatch.toml"))
        .replace("file = \"csv/facturen.csv\"", "file = \".\\csv/facturen.csv\"")
        .replace("\"csv/", &format!("\"{}/csv/", sample.display()))
        .replace("\"mappings/", &format!("\"{}/mappings/", sample.display()))
        .replace("out = \"../reports\"", "out = \"out\"")
        .replace('\n', "\r\n");
    let cfg = dir.path().join("arwatch.toml");
    std::fs::write(&cfg, format!("\u{feff}{text}")).unwrap();
    let r = common::run(&["check", "--config", cfg.to_str().unwrap()]);
    assert!(r.code == 0 || r.code == 3, "{}", r.stderr);
    assert!(r.stdout.contains(".\\csv/facturen.csv"), "{}", r.stdout);
}
