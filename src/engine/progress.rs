//! Progress of a run, reported to a callback: the library never prints,
//! the command line draws it (on a terminal only).

/// A stage of the pipeline, in the order a run goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Reading the evidence, the claim files and the article texts.
    Load,
    /// Resolving every claim's measure and statement.
    Compile,
    /// Evaluating every compiled measure.
    Execute,
    /// Deciding every claim's verdict.
    Judge,
}

impl Stage {
    /// The stage's name, one lower-case word.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Compile => "compile",
            Stage::Execute => "execute",
            Stage::Judge => "judge",
        }
    }
}

/// Receives the progress of a run: each stage [`start`](Progress::start)s
/// with the number of steps it will take (0 when unknown),
/// [`advance`](Progress::advance)s as steps are done, and
/// [`finish`](Progress::finish)es before the next stage starts. Every
/// method does nothing by default.
pub trait Progress {
    /// `stage` begins, with `total` steps (0: not known in advance).
    fn start(&mut self, stage: Stage, total: u64) {
        let _ = (stage, total);
    }
    /// `n` more steps of the current stage are done.
    fn advance(&mut self, n: u64) {
        let _ = n;
    }
    /// The current stage is over.
    fn finish(&mut self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
