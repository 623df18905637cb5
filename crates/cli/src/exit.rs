//! The exit codes: 0 success, 1 the run or a check failed, 2 bad usage or input.

use std::process::ExitCode;

use powertune_tuner::{InputErrors, share::ShareLinkError};

/// How `powertune` ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It did what was asked (and a check passed).
    Success,
    /// The run, cleanup or a check failed, or AWS could not be reached or refused.
    Failed,
    /// The command line or an input file is wrong; nothing was called.
    Usage,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        match exit {
            Exit::Success => Self::SUCCESS,
            Exit::Failed => Self::from(1),
            Exit::Usage => Self::from(2),
        }
    }
}

/// An input the user gave that cannot be used (a file that cannot be read, a link that does not
/// decode): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

impl Exit {
    /// The exit code for an error that stopped a command: bad input is a usage error, anything
    /// else a failure.
    pub fn for_error(error: &anyhow::Error) -> Self {
        let input = error.chain().any(|cause| {
            cause.is::<BadInput>() || cause.is::<InputErrors>() || cause.is::<ShareLinkError>()
        });
        if input { Self::Usage } else { Self::Failed }
    }
}

#[cfg(test)]
mod tests {
    use anyhow::Context as _;

    use super::*;

    #[test]
    fn input_errors_are_usage_errors_and_the_rest_failures() {
        let bad = anyhow::Error::new(BadInput("no such file".into())).context("while reading");
        assert_eq!(Exit::for_error(&bad), Exit::Usage);
        let link: anyhow::Result<()> = Err(ShareLinkError::Empty).context("while reading the link");
        assert_eq!(Exit::for_error(&link.unwrap_err()), Exit::Usage);
        let chain = anyhow::anyhow!("no AWS credentials found");
        assert_eq!(Exit::for_error(&chain), Exit::Failed);
    }
}
