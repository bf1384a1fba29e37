//! The exit codes of arwatch and how they merge: the outcome of a run, a check or a batch of
//! portfolios, as a number a script or a scheduler reads.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done, every input row accepted, no data-quality warning |
//! | 1 | internal error (a bug: please report it) |
//! | 2 | usage or configuration error |
//! | 3 | done, with data warnings: rows rejected (within the threshold) or warnings |
//! | 4 | input error: a file unreadable, a required column missing, too many rows rejected |
//! | 5 | output error: the reports could not be written |
//! | 6 | done and written, but the alerts' digest could not be sent on every channel |

/// The exit codes of the table above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// 0: done, nothing to report.
    Ok,
    /// 1: a bug.
    Internal,
    /// 2: the command line or the configuration.
    Usage,
    /// 3: done, with rejected rows (within the threshold) or warnings.
    DataWarnings,
    /// 4: the inputs stopped the run.
    Input,
    /// 5: the outputs could not be written.
    Output,
    /// 6: done and written, but the alerts' digest could not be sent on every channel.
    Delivery,
}

impl ExitCode {
    /// The number the process exits with.
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Ok => 0,
            ExitCode::Internal => 1,
            ExitCode::Usage => 2,
            ExitCode::DataWarnings => 3,
            ExitCode::Input => 4,
            ExitCode::Output => 5,
            ExitCode::Delivery => 6,
        }
    }

    /// How much the code matters when several outcomes make one (the steps of a run, or the
    /// portfolios of a batch): a bug above a usage error above an input error above an output
    /// error above a failed delivery above warnings above success.
    fn weight(self) -> u8 {
        match self {
            ExitCode::Ok => 0,
            ExitCode::DataWarnings => 1,
            ExitCode::Delivery => 2,
            ExitCode::Output => 3,
            ExitCode::Input => 4,
            ExitCode::Usage => 5,
            ExitCode::Internal => 6,
        }
    }

    /// The code of two outcomes together: the one that matters more.
    pub fn merge(self, other: ExitCode) -> ExitCode {
        if other.weight() > self.weight() { other } else { self }
    }

    /// Success, or warnings when anything was rejected or warned about.
    pub fn done(errors: usize, warnings: usize) -> ExitCode {
        if errors > 0 || warnings > 0 { ExitCode::DataWarnings } else { ExitCode::Ok }
    }
}

#[cfg(test)]
mod tests {
    use super::ExitCode::{self, *};

    const ALL: [ExitCode; 6] = [Ok, Internal, Usage, DataWarnings, Input, Output];

    #[test]
    fn codes_are_the_documented_numbers() {
        assert_eq!(ALL.map(ExitCode::code), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn merging_keeps_what_matters_more_in_any_order() {
        for a in ALL {
            assert_eq!(a.merge(a), a);
            assert_eq!(a.merge(Ok), a, "success adds nothing");
            assert_eq!(a.merge(Internal), Internal, "a bug always shows");
            for b in ALL {
                assert_eq!(a.merge(b), b.merge(a), "{a:?} {b:?}");
                for c in ALL {
                    assert_eq!(a.merge(b).merge(c), a.merge(b.merge(c)));
                }
            }
        }
        assert_eq!(DataWarnings.merge(Output), Output);
        assert_eq!(Output.merge(Input), Input);
        assert_eq!(Input.merge(Usage), Usage);
    }

    #[test]
    fn done_says_whether_anything_was_rejected_or_warned() {
        assert_eq!(ExitCode::done(0, 0), Ok);
        assert_eq!(ExitCode::done(1, 0), DataWarnings);
        assert_eq!(ExitCode::done(0, 2), DataWarnings);
    }
}
