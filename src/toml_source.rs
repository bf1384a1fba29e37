//! TOML files (configurations, mappings, manifests) as people write them on Windows: saved by
//! Notepad with a byte-order mark and CRLF line ends, and with paths such as
//! `"C:\Exports\oct.csv"` typed with single backslashes.
//!
//! TOML reads a backslash in a double-quoted string as an escape, so `"C:\Exports"` is an
//! error and `"C:\temp\new.csv"` a path with a tab and a line break in it. arwatch reads a
//! double-quoted string on one line as the person meant it, with each backslash kept:
//!
//! - when it starts like a Windows path (`C:\`, `\\server`, `.\` or `..\`) and has a single
//!   backslash anywhere (so `"C:\\Exports"`, written the TOML way, is read the TOML way);
//! - or when one of its backslashes starts no TOML escape (`"exports\oct.csv"`), which TOML
//!   would refuse anyway.
//!
//! Any other string is read as TOML says, so `delimiter = "\t"` is still a tab. A path that
//! still holds a control character is refused by [`check_path`] with the way to write it.
//! CRLF needs nothing: TOML allows it.

use std::borrow::Cow;
use std::fmt::Display;
use std::path::Path;

/// A setting that cannot be used: the key as written in its section, its value, and what is
/// wrong with it with what is expected. Each section's owner checks its own keys and says so
/// with this; the configuration adds the file and the fix.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{key} = {value}: {problem}")]
pub struct SettingError {
    /// `[handover] jurisdiction`: the section and the key.
    pub key: String,
    /// The value as written (TOML's notation for text).
    pub value: String,
    /// What is wrong, and what would do.
    pub problem: String,
}

impl SettingError {
    /// `key` holds `value` (shown with `Debug`, as TOML writes text), which `problem`.
    pub fn new(key: impl Into<String>, value: impl std::fmt::Debug, problem: impl Display) -> SettingError {
        SettingError { key: key.into(), value: format!("{value:?}"), problem: problem.to_string() }
    }

    /// A value shown as it is (numbers, lists), not quoted.
    pub fn shown(key: impl Into<String>, value: impl Display, problem: impl Display) -> SettingError {
        SettingError { key: key.into(), value: value.to_string(), problem: problem.to_string() }
    }
}

/// What to write instead when TOML cannot read a file: said with every TOML error.
pub const HINT: &str = "on Windows, paths may be written as they are, C:\\Exports\\oct.csv, in single or double quotes";

/// Reads a TOML file as text, ready for the TOML parser: without a byte-order mark, and with
/// Windows paths kept as written (see the module's documentation).
pub fn read(path: &Path) -> std::io::Result<String> {
    let text = std::fs::read_to_string(path)?;
    Ok(prepare(&text).into_owned())
}

/// The text without a byte-order mark and with Windows paths' backslashes kept.
pub fn prepare(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find(['#', '\'', '"']) {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let skipped = if from.starts_with("'''") {
            until(from, 3, "'''", false)
        } else if from.starts_with("\"\"\"") {
            until(from, 3, "\"\"\"", true)
        } else if from.starts_with('\'') {
            until(from, 1, "'", false)
        } else if from.starts_with('#') {
            from.find('\n').unwrap_or(from.len())
        } else {
            match basic_string(from) {
                Some((len, content)) => {
                    if kept_as_written(content) {
                        out.push('"');
                        out.push_str(&content.replace('\\', "\\\\"));
                        out.push('"');
                    } else {
                        out.push_str(&from[..len]);
                    }
                    rest = &from[len..];
                    continue;
                }
                // Not closed on its line: TOML says what is wrong.
                None => from.find('\n').unwrap_or(from.len()),
            }
        };
        out.push_str(&from[..skipped]);
        rest = &from[skipped..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The length of `from` up to and including `end`, searched after the opening of `open` bytes
/// (the rest of the text when it is not closed); with `escapes`, a backslash hides the next
/// character.
fn until(from: &str, open: usize, end: &str, escapes: bool) -> usize {
    let bytes = from.as_bytes();
    let mut i = open;
    while i < bytes.len() {
        if escapes && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        // Bytes, not text: after an escaped character `i` may sit inside a multi-byte one.
        if bytes[i..].starts_with(end.as_bytes()) {
            return i + end.len();
        }
        i += 1;
    }
    from.len()
}

/// A double-quoted string closed on its line: its length with the quotes and its content.
fn basic_string(from: &str) -> Option<(usize, &str)> {
    let bytes = from.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some((i + 1, &from[1..i])),
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Whether a string's content is taken with its backslashes as written.
fn kept_as_written(content: &str) -> bool {
    if !content.contains('\\') || content.contains("\\\"") {
        // An escaped quote says the writer knows TOML's escapes.
        return false;
    }
    let windows_path = {
        let b = content.as_bytes();
        (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\')
            || content.starts_with("\\\\")
            || content.starts_with(".\\")
            || content.starts_with("..\\")
    };
    let mut single = false;
    let mut not_an_escape = false;
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            continue;
        }
        let mut run = 1;
        while chars.peek() == Some(&'\\') {
            chars.next();
            run += 1;
        }
        if run % 2 == 1 {
            single = true;
            // TOML's escapes (1.1 adds \e and \x).
            if !matches!(chars.peek(), Some('b' | 't' | 'n' | 'f' | 'r' | 'e' | 'u' | 'U' | 'x')) {
                not_an_escape = true;
            }
        }
    }
    (windows_path && single) || not_an_escape
}

/// Refuses a path that holds a control character: TOML read `\t`, `\n` or `\r` in it as an
/// escape (`"exports\new.csv"`), which no file name holds.
pub fn check_path(key: &str, path: &str) -> Result<(), SettingError> {
    if path.chars().any(char::is_control) {
        return Err(SettingError::new(
            key,
            path,
            "holds a tab or a line break: a backslash in double quotes starts an escape in TOML \
             (\\t, \\n); write the path in single quotes ('exports\\new.csv') or with / between folders",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> String {
        let t: toml::Table = toml::from_str(&prepare(text)).unwrap_or_else(|e| panic!("{text}: {e}"));
        t["v"].as_str().unwrap().to_string()
    }

    #[test]
    fn windows_paths_are_read_as_written() {
        assert_eq!(value(r#"v = "C:\Exports\oct.csv""#), r"C:\Exports\oct.csv");
        // Each of \t and \n would be an escape in TOML.
        assert_eq!(value(r#"v = "C:\temp\new.csv""#), r"C:\temp\new.csv");
        assert_eq!(value(r#"v = "\\server\share\ar\oct.csv""#), r"\\server\share\ar\oct.csv");
        assert_eq!(value(r#"v = "..\exports\oct.csv""#), r"..\exports\oct.csv");
        assert_eq!(value(r#"v = "exports\oct.csv""#), r"exports\oct.csv");
        assert_eq!(
            value(r#"v = "D:\Dossiers\Société Générale\€.csv"  # comment"#),
            r"D:\Dossiers\Société Générale\€.csv"
        );
    }

    #[test]
    fn toml_written_the_toml_way_is_read_the_toml_way() {
        assert_eq!(value(r#"v = "C:\\Exports\\oct.csv""#), r"C:\Exports\oct.csv");
        assert_eq!(value(r#"v = "\\\\server\\share""#), r"\\server\share");
        assert_eq!(value(r"v = 'C:\Exports\oct.csv'"), r"C:\Exports\oct.csv");
        assert_eq!(value(r#"v = "\t""#), "\t");
        assert_eq!(value(r#"v = "caf\u00e9""#), "café");
        assert_eq!(value(r#"v = "say \"hi\" \\ there""#), r#"say "hi" \ there"#);
        assert_eq!(value("v = \"\"\"\nC:\\\\x\"\"\""), "C:\\x");
        assert_eq!(value("# C:\\x \"quoted\"\nv = 'a'"), "a");
    }

    #[test]
    fn a_byte_order_mark_and_crlf_are_read() {
        let text = "\u{feff}company = \"Brasserie Wéry\"\r\n[x]\r\nv = \"C:\\Exports\"\r\n";
        let t: toml::Table = toml::from_str(&prepare(text)).unwrap();
        assert_eq!(t["company"].as_str(), Some("Brasserie Wéry"));
        assert_eq!(t["x"]["v"].as_str(), Some(r"C:\Exports"));
    }

    #[test]
    fn an_escaped_accent_in_a_multi_line_string_is_left_to_toml() {
        // Once a panic: after `\` the scan stood inside the two bytes of `é`.
        let text = "v = \"\"\"\\é\"\"\"\n";
        assert_eq!(prepare(text), text);
        assert_eq!(prepare("v = '''\\é\nx"), "v = '''\\é\nx");
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_prepared_without_a_panic(text in r#"[\\"'#a-zé€\n:. ]{0,40}"#) {
            let prepared = prepare(&text);
            // Only backslashes are ever added, and a byte-order mark removed.
            proptest::prop_assert_eq!(prepared.replace('\\', ""), text.replace('\\', ""));
        }
    }

    #[test]
    fn text_without_backslashes_is_not_copied() {
        assert!(matches!(prepare("a = \"b\"\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_path_with_a_control_character_says_how_to_write_it() {
        assert!(check_path("file", "exports/oct.csv").is_ok());
        let e = check_path("file", "exports\new.csv").unwrap_err();
        assert_eq!(e.key, "file");
        assert!(e.to_string().contains("single quotes"), "{e}");
    }
}
