//! Why a digest was not sent.

/// Why a digest did not go out.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// The settings or the environment lack something.
    #[error("{0}")]
    Setup(String),
    /// The server or receiver refused or could not be reached.
    #[error("{0}")]
    Send(String),
    /// The sent log could not be read or written.
    #[error("the log of alerts sent, {path}: {reason}")]
    Log {
        /// The log's file.
        path: String,
        /// What went wrong.
        reason: String,
    },
}
