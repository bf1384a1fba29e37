//! The languages arwatch writes its reports in. The words themselves are the report's
//! (`report/i18n.rs`); the command line maps its `--lang` values here (`cli.rs`).

/// A report language: English, Dutch or French.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Dutch (Belgian number and date conventions).
    Nl,
    /// French (Belgian number and date conventions).
    Fr,
}

impl Lang {
    /// `en`, `nl`, `fr` (any case, surrounding blanks ignored).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// This language's one of the English, Dutch and French `words`.
    pub fn pick<T>(self, [en, nl, fr]: [T; 3]) -> T {
        match self {
            Lang::En => en,
            Lang::Nl => nl,
            Lang::Fr => fr,
        }
    }
}
