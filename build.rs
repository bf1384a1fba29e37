//! Build facts for `arwatch --version`: the commit (from git, or `ARWATCH_COMMIT` when built
//! from a source archive without git), the target and the cargo features.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=ARWATCH_COMMIT");
    let commit = std::env::var("ARWATCH_COMMIT").ok().filter(|c| !c.trim().is_empty()).or_else(git_commit);
    println!("cargo:rustc-env=ARWATCH_COMMIT={}", commit.as_deref().unwrap_or("unknown"));
    println!("cargo:rustc-env=ARWATCH_TARGET={}", std::env::var("TARGET").unwrap_or_default());
    let mut features: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| k.strip_prefix("CARGO_FEATURE_").map(|f| f.to_ascii_lowercase().replace('_', "-")))
        .filter(|f| f != "default")
        .collect();
    features.sort();
    let features = if features.is_empty() { "none".to_string() } else { features.join(", ") };
    println!("cargo:rustc-env=ARWATCH_FEATURES={features}");
}

/// The checked-out commit, and the files whose change means another one.
fn git_commit() -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").args(args).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    // The reflog too: it grows with every commit even when the branch lives in packed-refs.
    let mut paths = vec!["HEAD".to_string(), "packed-refs".to_string(), "logs/HEAD".to_string()];
    paths.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for path in paths {
        // Only files that exist: cargo takes a missing one as changed, and would build arwatch
        // again on every command (a fresh clone has no packed-refs; a packed branch no file).
        if let Some(p) = git(&["rev-parse", "--git-path", &path]).filter(|p| std::path::Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    Some(commit)
}
