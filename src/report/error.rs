//! A report that could not be drawn or written.

use crate::output::WriteError;

/// A report that could not be drawn or written. The month is not put in place, so the
/// previous one stays as it was.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook, and why.
    #[error("cannot build the workbook: {0}\n  fix: {FIX}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// The management report, and why.
    #[error("cannot build the PDF report: {0}\n  fix: {FIX}")]
    Pdf(PdfError),
    /// A debtor's dossier.
    #[error("cannot build the dossier of {client}: {problem}\n  fix: {FIX}")]
    Dossier {
        /// The debtor's client id.
        client: String,
        /// Why.
        problem: PdfError,
    },
    /// A file could not be written.
    #[error("{0}")]
    Write(#[from] WriteError),
}

impl ReportError {
    /// A file under `path` could not be written.
    pub fn write(path: &std::path::Path, source: std::io::Error) -> ReportError {
        ReportError::Write(WriteError::new(path, source))
    }
}

/// Drawing a report fails only on a bug or a resource limit, never on the data.
const FIX: &str = "run again with -v; if it fails again, please report it with the message";

/// Why a PDF cannot be drawn: never the data, only a broken build or a bug.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// The font compiled into arwatch cannot be read.
    #[error("the embedded font could not be read")]
    Font,
    /// A dossier asked for without an invoice to claim.
    #[error("a dossier needs at least one invoice")]
    NoInvoice,
}
