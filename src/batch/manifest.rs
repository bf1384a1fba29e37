//! A batch's manifest: the portfolios to run, each a name and a configuration with optional
//! overrides, in TOML (`[[portfolio]]`) or CSV (`name,config,as_of,out,lang`).

use super::error::BatchError;
use chrono::NaiveDate;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One portfolio of a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Portfolio {
    /// Its name, unique in the manifest; it names its row in the summaries.
    pub name: String,
    /// Its configuration file.
    pub config: PathBuf,
    /// Overrides of the configuration.
    pub as_of: Option<NaiveDate>,
    /// Its output root (default: the batch's root, then the portfolio's name).
    pub out: Option<PathBuf>,
    /// Its report language.
    pub lang: Option<String>,
}

/// A manifest, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// Where the summaries go (and the portfolios' outputs, by default).
    pub out: PathBuf,
    /// The portfolios, in manifest order.
    pub portfolios: Vec<Portfolio>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    out: Option<String>,
    #[serde(default)]
    portfolio: Vec<RawPortfolio>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPortfolio {
    name: String,
    config: String,
    as_of: Option<String>,
    out: Option<String>,
    lang: Option<String>,
}

/// Reads a manifest (`.csv` by its extension, else TOML). Paths are relative to its folder.
pub fn read(path: &Path) -> Result<Manifest, BatchError> {
    let text = crate::toml_source::read(path)
        .map_err(|source| BatchError::ManifestUnreadable { path: path.to_path_buf(), source })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let raw = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        // Excel saves CSV with ';' where the decimal separator is a comma (Belgium, the Netherlands).
        let header = text.lines().next().unwrap_or_default();
        let delimiter = if header.contains(';') && !header.contains(',') { b';' } else { b',' };
        let mut r = csv::ReaderBuilder::new().flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
        let mut portfolio = Vec::new();
        for (i, rec) in r.records().enumerate() {
            let rec = rec.map_err(|e| BatchError::ManifestLine { line: i + 2, problem: e.to_string() })?;
            let field = |k: usize| rec.get(k).map(str::trim).filter(|v| !v.is_empty()).map(String::from);
            let (Some(name), Some(config)) = (field(0), field(1)) else {
                return Err(BatchError::ManifestLine {
                    line: i + 2,
                    problem: "a portfolio needs a name and a config (name,config,as_of,out,lang)".into(),
                });
            };
            portfolio.push(RawPortfolio { name, config, as_of: field(2), out: field(3), lang: field(4) });
        }
        RawManifest { out: None, portfolio }
    } else {
        toml::from_str(&text)
            .map_err(|e| BatchError::ManifestToml { path: path.to_path_buf(), problem: e.to_string() })?
    };
    let mut portfolios: Vec<Portfolio> = Vec::new();
    for p in raw.portfolio {
        if portfolios.iter().any(|q| q.name == p.name) {
            return Err(BatchError::NameTwice(p.name));
        }
        if p.name.starts_with('.') || !crate::platform::windows_accepts(&p.name) {
            return Err(BatchError::NameNotAFolder(p.name));
        }
        let as_of = p
            .as_of
            .map(|d| {
                NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|_| BatchError::AsOf { name: p.name.clone(), value: d.clone() })
            })
            .transpose()?;
        portfolios.push(Portfolio {
            name: p.name,
            config: base.join(p.config),
            as_of,
            out: p.out.map(|o| base.join(o)),
            lang: p.lang,
        });
    }
    if portfolios.is_empty() {
        return Err(BatchError::Empty(path.to_path_buf()));
    }
    Ok(Manifest { out: base.join(raw.out.unwrap_or_else(|| "batch".into())), portfolios })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_csv_manifests_say_the_same() {
        let dir = tempfile::TempDir::new().unwrap();
        let t = dir.path().join("m.toml");
        std::fs::write(&t, "out = \"all\"\n[[portfolio]]\nname = \"a\"\nconfig = \"a/arwatch.toml\"\nas_of = \"2026-10-31\"\n[[portfolio]]\nname = \"b\"\nconfig = \"b.toml\"\nlang = \"nl\"\n").unwrap();
        let c = dir.path().join("m.csv");
        std::fs::write(&c, "name,config,as_of,out,lang\na,a/arwatch.toml,2026-10-31,,\nb,b.toml,,,nl\n").unwrap();
        let (mt, mc) = (read(&t).unwrap(), read(&c).unwrap());
        assert_eq!(mt.portfolios, mc.portfolios);
        assert_eq!(mt.out, dir.path().join("all"));
        assert_eq!(mc.portfolios[0].as_of, NaiveDate::from_ymd_opt(2026, 10, 31));
        std::fs::write(&c, "name,config\na,x.toml\na,y.toml\n").unwrap();
        assert!(matches!(read(&c), Err(BatchError::NameTwice(n)) if n == "a"));
        std::fs::write(&c, "name,config\n../a,x.toml\n").unwrap();
        assert!(read(&c).unwrap_err().to_string().contains("cannot name a folder"));
    }

    #[test]
    fn manifests_saved_on_windows_are_read_and_names_windows_refuses_are_not() {
        let dir = tempfile::TempDir::new().unwrap();
        // Excel in Belgium: ';', CRLF and a byte-order mark.
        let c = dir.path().join("m.csv");
        std::fs::write(&c, "\u{feff}name;config;as_of\r\na;a\\arwatch.toml;2026-10-31\r\n").unwrap();
        let m = read(&c).unwrap();
        assert_eq!(m.portfolios[0].name, "a");
        assert_eq!(m.portfolios[0].config, dir.path().join("a\\arwatch.toml"));
        // Notepad: a byte-order mark, CRLF, a path with single backslashes.
        let t = dir.path().join("m.toml");
        std::fs::write(&t, "\u{feff}[[portfolio]]\r\nname = \"b\"\r\nconfig = \"C:\\Klanten\\b\\arwatch.toml\"\r\n")
            .unwrap();
        assert_eq!(read(&t).unwrap().portfolios[0].config, dir.path().join("C:\\Klanten\\b\\arwatch.toml"));
        for bad in ["CON", "a:b", "wat?", "eind.", "Nul"] {
            std::fs::write(&c, format!("name,config\n{bad},x.toml\n")).unwrap();
            assert!(matches!(read(&c), Err(BatchError::NameNotAFolder(_))), "{bad}");
        }
    }
}
