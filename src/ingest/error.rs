//! The error that stops ingestion: one clear message naming the file, the place in it, the
//! column, the value, what was expected and what to do about it.

use std::fmt;
use std::path::Path;

/// An input that cannot be read, with where, what and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// The file.
    pub file: String,
    /// `line 12`, `sheet 'X' cell C12`, or nothing for file-level problems.
    pub location: Option<String>,
    /// The column's name in the file.
    pub column: Option<String>,
    /// The raw value.
    pub value: Option<String>,
    /// What is wrong.
    pub problem: String,
    /// What to do about it.
    pub fix: String,
}

impl InputError {
    /// A problem with a whole file.
    pub fn file(path: &Path, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        InputError {
            file: path.display().to_string(),
            location: None,
            column: None,
            value: None,
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    /// A problem at a place in a file.
    pub fn at(path: &Path, location: String, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        InputError { location: Some(location), ..InputError::file(path, problem, fix) }
    }

    /// Names the column.
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// Shows the raw value.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = &self.location {
            write!(f, ", {l}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column '{c}'")?;
        }
        if let Some(v) = &self.value {
            write!(f, ", value {v:?}")?;
        }
        write!(f, ": {}", self.problem)?;
        if !self.fix.is_empty() {
            write!(f, "\n  fix: {}", self.fix)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}
