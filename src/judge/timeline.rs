//! The model of `factcheck timeline`: a claim's verdicts as runs of days
//! (computed by `engine::timeline`, rendered by `render::timeline`).

use serde::Serialize;

use crate::verdict::{Problem, Verdict};

/// Days on which a claim's verdict is one thing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    /// First day (`None`: since ever).
    pub from: Option<String>,
    /// Last day (`None`: from then on).
    pub to: Option<String>,
    /// The verdict on those days (`error` when the claim cannot be judged
    /// then: see `problem`).
    pub verdict: Verdict,
    /// The value computed on those days, as reports show it (absent when
    /// it changes within them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<String>,
    /// Why the claim cannot be judged on those days, located.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

/// One claim's verdicts over time.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimTimeline {
    /// The claim's id.
    pub id: String,
    /// What the article states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub states: Option<String>,
    /// The day the article's relative words count from.
    pub said_on: String,
    /// The days, in order, covering every day (none when the claim has no
    /// timeline: see `problem`).
    pub periods: Vec<Period>,
    /// Why the claim has no timeline at all (e.g. `eval/too-costly`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}
