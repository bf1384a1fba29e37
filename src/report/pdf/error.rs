//! Why a PDF cannot be drawn.

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
