//! What can go wrong, and the exit code each reports.

use std::fmt;

use avochato::ErrorKind;

/// Exit code of a usage error (bad arguments, bad input, no usable credentials).
pub const EXIT_USAGE: u8 = 2;
/// Exit code of an API error (or a bulk run with failed rows).
pub const EXIT_API: u8 = 1;
/// Exit code of a bug (a panic): EX_SOFTWARE of sysexits.h.
pub const EXIT_INTERNAL: u8 = 70;
/// Exit code after Ctrl-C (the shell convention, 128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;

#[derive(Debug)]
pub enum CliError {
    /// The command line or its input is wrong; nothing was sent.
    Usage(String),
    /// The SDK's error: a validation error (nothing sent) or the API's answer.
    Api(avochato::Error),
    /// A local file could not be read or written.
    Io(String),
    /// Work ended with failures already reported (bulk runs).
    Failed(String),
    /// Ctrl-C: stopped cleanly, progress saved.
    Interrupted(String),
    /// A bug (a task panicked): exit code 70.
    Internal(String),
}

pub type Result<T> = std::result::Result<T, CliError>;

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    pub fn io(what: impl fmt::Display, e: impl fmt::Display) -> Self {
        CliError::Io(format!("{what}: {e}"))
    }

    /// Writing to a closed pipe (`avochato ... | head`): not an error worth a word.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io(m) if m.contains("Broken pipe") || m.contains("os error 32"))
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Api(e) if e.kind() == ErrorKind::Validation => EXIT_USAGE,
            CliError::Api(_) | CliError::Io(_) | CliError::Failed(_) => EXIT_API,
            CliError::Interrupted(_) => EXIT_INTERRUPTED,
            CliError::Internal(_) => EXIT_INTERNAL,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m)
            | CliError::Io(m)
            | CliError::Failed(m)
            | CliError::Interrupted(m) => f.write_str(m),
            CliError::Internal(m) => write!(f, "internal error (please report it): {m}"),
            CliError::Api(e) if e.kind() == ErrorKind::Validation => {
                write!(f, "invalid input: {e}")
            }
            CliError::Api(e) => write!(f, "{e}"),
        }
    }
}

impl From<avochato::Error> for CliError {
    fn from(e: avochato::Error) -> Self {
        CliError::Api(e)
    }
}

/// One line, with no control characters (an error may quote the API or a file).
pub fn one_line(text: &str) -> String {
    crate::term::clean(text)
}
