//! The model of `factcheck timeline`: a claim's verdicts as runs of days
//! (computed by `engine::timeline`, rendered by `render::timeline`).

use serde::Serialize;

use crate::verdict::Verdict;

/// Days on which a claim's verdict is one thing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day (`None`: since ever).
    pub from: Option<String>,
    /// Last day (`None`: from then on).
    pub to: Option<String>,
    /// The verdict on those days; `None` when the claim cannot be judged
    /// then (see `problem`).
    pub verdict: Option<Verdict>,
    /// The value computed on those days, as reports show it (absent when
    /// it changes within them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<String>,
    /// Why the claim cannot be judged on those days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
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
    /// The days, in order, covering every day.
    pub periods: Vec<Period>,
}
