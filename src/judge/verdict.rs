//! Verdicts: the one model every report format renders, and the rules that
//! decide a verdict from a computed value and what the article states.
//!
//! A verdict is decided only when every admissible value of the measure
//! agrees; otherwise it is `undetermined` and says which outcomes remain.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;

use crate::anchor::QuoteAnchor;
use crate::date::DateRange;
use crate::eval::{Event, ListVal, ShareCounts, ShareParts, Value};
use crate::expr::Unit;
use crate::interval::{Interval, Tri};
use crate::num::Rational;
use crate::statement::{fmt_interval, precision_words, Allowed, DateRelation, Stated};

/// The verdict scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every admissible value makes the statement right.
    Supported,
    /// Right in substance, wrong at its stated precision (e.g. truncated).
    Imprecise,
    /// No admissible value makes the statement right.
    Refuted,
    /// Evidence missing or too uncertain to decide.
    Undetermined,
    /// Opinion, prediction or otherwise not checkable against data.
    NotCheckable,
    /// Could not be judged: evaluating the claim met a problem (evidence
    /// that conflicts, an empty denominator, an overflow, a cost limit).
    /// The verdict's [`ClaimVerdict::problem`] says which, and where; every
    /// other claim of the run keeps its verdict.
    Error,
}

impl Verdict {
    /// Every verdict a judged claim can have, in report order (a claim
    /// that could not be judged is [`Verdict::Error`], listed after them
    /// when a report has one: [`Summary::listed`]).
    pub const ALL: [Verdict; 5] = [
        Verdict::Supported,
        Verdict::Imprecise,
        Verdict::Refuted,
        Verdict::Undetermined,
        Verdict::NotCheckable,
    ];

    /// Label as written in reports.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Imprecise => "imprecise",
            Verdict::Refuted => "refuted",
            Verdict::Undetermined => "undetermined",
            Verdict::NotCheckable => "not-checkable",
            Verdict::Error => "error",
        }
    }

    /// What the verdict means, for docs and reports.
    pub fn meaning(self) -> &'static str {
        match self {
            Verdict::Supported => "every value the evidence admits makes the statement right",
            Verdict::Imprecise => "right in substance but wrong at the precision written (e.g. truncated instead of rounded)",
            Verdict::Refuted => "no value the evidence admits makes the statement right",
            Verdict::Undetermined => "the evidence is missing or too uncertain: some admissible values make it right, others not",
            Verdict::NotCheckable => "opinion, prediction or framing that data cannot settle",
            Verdict::Error => "the claim could not be judged: evaluating it met a problem (its problem says which, and where)",
        }
    }
}

/// The computed value of a measure.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Computed {
    /// Human-readable value (an interval when uncertain).
    pub display: String,
    /// Kind: number, date, boolean, list.
    pub kind: &'static str,
    /// Numeric interval, when a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// Unit, when a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// Whether the value is exactly known.
    pub exact: bool,
}

/// A record that fed the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Witness {
    /// Table name.
    pub table: String,
    /// Record key.
    pub key: String,
    /// Source ids it cites.
    pub sources: Vec<String>,
    /// Where it is written.
    pub location: String,
}

/// The number of witness records in one table.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct WitnessCount {
    /// Table name.
    pub table: String,
    /// Records of it that decided the verdict.
    pub records: usize,
}

// Its texts are shared by every verdict citing it (a million verdicts
// citing one source hold one copy of its title). The doc comment below is
// the JSON Schema's description: it must not change.
/// A cited source.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SourceRef {
    /// Id.
    pub id: Arc<str>,
    /// Title.
    pub title: Arc<str>,
    /// Publisher.
    pub publisher: Arc<str>,
    /// URL.
    pub url: Arc<str>,
    /// Date.
    pub date: Arc<str>,
    /// What kind of source it is, when the registry says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::evidence::SourceKind>,
    /// How many witness records cite it.
    pub cited_by: usize,
}

/// A published dataset whose records decided a verdict: a table read from a
/// data file that its description names (`[table.dataset]`) or pins by
/// hash. Fields the description does not give are absent, never guessed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DatasetRef {
    /// The table read from it.
    pub table: String,
    /// The data file, as read.
    pub file: String,
    /// Its title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Arc<str>>,
    /// Who publishes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Arc<str>>,
    /// Where it is published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<Arc<str>>,
    /// The version the publisher gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Arc<str>>,
    /// When the file was retrieved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<Arc<str>>,
    /// The SHA-256 the table pins (and the file read has).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<Arc<str>>,
    /// How many of its records decided the verdict.
    pub records: usize,
}

impl DatasetRef {
    /// The dataset `table` is read from, when its description names one
    /// or pins its file; `file` is the data file's path as read.
    pub fn of(table: &crate::evidence::Table, file: &str, records: usize) -> Option<DatasetRef> {
        let pin = table
            .pin
            .as_ref()
            .map(|(h, _)| Arc::<str>::from(h.as_str()));
        if table.dataset.is_none() && pin.is_none() {
            return None;
        }
        let d = table.dataset.clone().unwrap_or_default();
        Some(DatasetRef {
            table: table.name.clone(),
            file: file.to_string(),
            title: d.title,
            publisher: d.publisher,
            url: d.url,
            version: d.version,
            retrieved: d.retrieved,
            sha256: pin,
            records,
        })
    }

    /// The citation in one line of plain text (to be escaped for its
    /// context): `title, publisher, version 3.2.1, retrieved 2025-10-04,
    /// <url>, SHA-256 …` (the file name when it has no title).
    pub fn citation(&self) -> String {
        let mut parts: Vec<String> = vec![self
            .title
            .as_deref()
            .unwrap_or(self.file.as_str())
            .to_string()];
        if let Some(p) = &self.publisher {
            parts.push(p.to_string());
        }
        if let Some(v) = &self.version {
            parts.push(format!("version {v}"));
        }
        if let Some(r) = &self.retrieved {
            parts.push(format!("retrieved {r}"));
        }
        if let Some(u) = &self.url {
            parts.push(u.to_string());
        }
        if let Some(h) = &self.sha256 {
            parts.push(format!("SHA-256 {h}"));
        }
        parts.join(", ")
    }
}

/// An editorial rating shown beside the computed verdict.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Rating {
    /// The rating word.
    pub rating: String,
    /// Why.
    pub reason: String,
}

/// A later change of a claim's verdict: from which day the evidence gives
/// another verdict than on the evaluation date.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LaterChange {
    /// The first day of the other verdict (`YYYY-MM-DD`).
    pub from: String,
    /// The verdict from that day.
    pub verdict: Verdict,
    /// The value from that day, when the same on every day of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<String>,
}

/// Why a claim could not be judged (its verdict is [`Verdict::Error`]):
/// the problem its evaluation met, located.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Problem {
    /// Stable code, e.g. `eval/conflicting-evidence`.
    pub code: String,
    /// What went wrong.
    pub message: String,
    /// The file where it was met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// One-based line there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// One-based column there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Problem {
    /// The problem a diagnostic describes, placed by its primary label.
    pub fn of(d: &crate::diag::Diagnostic, files: &crate::diag::Files) -> Problem {
        let (file, line, column) = match &d.primary {
            Some(l) => {
                let (line, col) = files.line_col(l.file, l.span.start);
                (Some(files.path(l.file).to_string()), Some(line), Some(col))
            }
            None => (None, None, None),
        };
        Problem {
            code: d.code.to_string(),
            message: d.message.clone(),
            file,
            line,
            column,
            help: d.help.clone(),
        }
    }

    /// Where it was met, `file:line:col` (or less when less is known;
    /// empty when nothing is).
    pub fn place(&self) -> String {
        match (&self.file, self.line, self.column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}"),
            (Some(f), Some(l), None) => format!("{f}:{l}"),
            (Some(f), _, _) => f.clone(),
            _ => String::new(),
        }
    }

    /// The problem in one line: `message (code at file:line:col)`.
    pub fn text(&self) -> String {
        let place = self.place();
        if place.is_empty() {
            format!("{} ({})", self.message, self.code)
        } else {
            format!("{} ({} at {place})", self.message, self.code)
        }
    }
}

/// The verdict on one claim with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ClaimVerdict {
    /// Claim id.
    pub id: String,
    /// Article id.
    pub article: String,
    /// Claim file and line.
    pub location: String,
    /// The claim file.
    pub file: String,
    /// Line of the claim's `[[claim]]` header in it.
    pub line: usize,
    /// The exact quote, when the claim file gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Where the quote was found in the article text, when it was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_at: Option<QuoteAnchor>,
    /// English restatement.
    pub claim: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The rule that decided it, in plain words.
    pub explanation: String,
    /// The measure expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// What the article states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub states: Option<String>,
    /// The as-of date the claim was judged at.
    pub as_of: String,
    /// Why the as-of date differs from the publication date, if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of_reason: Option<String>,
    /// The day the statement's relative words ("last month") count from
    /// (the publication date, or the claim's `said_on`), when the claim
    /// states a date and this day is not the as-of date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said_on: Option<String>,
    /// The computed value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<Computed>,
    /// The values the statement allows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    /// Why the claim could not be judged, when its verdict is `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
    /// The first day after the evaluation date on which the evidence gives
    /// another verdict, when asked for (`engine::verify_changes`) and there
    /// is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<LaterChange>,
    /// Editorial rating, beside (never instead of) the verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// Remark from the claim file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    // Each witness is shared by every verdict it decided.
    /// Records that decided it (at most `engine::MAX_LISTED_WITNESSES` per table).
    pub witnesses: Vec<Arc<Witness>>,
    /// How many records of each table decided it.
    pub witness_counts: Vec<WitnessCount>,
    /// Their sources, most-cited first.
    pub sources: Vec<SourceRef>,
    /// The published datasets their records come from (tables that name
    /// their dataset or pin their file), in table order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<DatasetRef>,
    /// What the pictures of the HTML report draw (not in the JSON report,
    /// whose `allowed` and `computed` say it in words and numbers).
    #[serde(skip)]
    pub figures: Figures,
    /// When sources disagree on cells the measure reads: the verdict under
    /// each combination of their readings (the first is the records'
    /// values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
    /// The inferred values the verdict rests on: without them it would be
    /// `without_inferences`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rests_on: Vec<InferenceRef>,
    /// The verdict with sourced values only, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub without_inferences: Option<Verdict>,
}

/// The numbers behind a verdict's pictures: the intervals a numeric
/// statement allows. Kept out of the JSON report (its schema is stable);
/// the HTML report draws them as a number line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// The values the statement allows (a numeric statement).
    pub allowed: Option<Interval>,
    /// The values it would match under another rounding rule (`imprecise`).
    pub lenient: Option<Interval>,
    /// The claim's verdict over time, when it was computed
    /// (`verify --timelines`): runs of days in order, covering every day.
    pub timeline: Vec<TimelineSpan>,
}

/// A run of days with one verdict, for the timeline picture.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineSpan {
    /// First day (`None`: since ever).
    pub from: Option<String>,
    /// Last day (`None`: from then on).
    pub to: Option<String>,
    /// The verdict on those days.
    pub verdict: Verdict,
}

/// One reading of cells that sources disagree on, and the verdict under it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Reading {
    /// The value given to each disputed cell, with its sources:
    /// `table["key"].column = value (sources a, b)`.
    pub values: Vec<String>,
    /// The verdict under this reading.
    pub verdict: Verdict,
    /// The value computed under it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<String>,
}

/// A value the evidence infers rather than its sources state.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct InferenceRef {
    /// The cell, `table["key"].column`.
    pub cell: String,
    /// The inferred value.
    pub value: String,
    /// The value its sources state.
    pub sourced: String,
    /// The rule that infers it.
    pub rule: String,
}

/// The words every report adds to a verdict that rests on inferences: the
/// rules, and the verdict without them (`None` when it does not rest on
/// any).
pub fn rests_on_text(v: &ClaimVerdict) -> Option<String> {
    let without = v.without_inferences?;
    let mut rules: Vec<&str> = Vec::new();
    for r in &v.rests_on {
        if !rules.contains(&r.rule.as_str()) {
            rules.push(&r.rule);
        }
    }
    let cells: Vec<&str> = v.rests_on.iter().map(|r| r.cell.as_str()).collect();
    let what = if v.rests_on.len() == 1 {
        "the inference"
    } else {
        "the inferences"
    };
    Some(format!(
        "rests on {what} \u{201c}{}\u{201d} ({}); without it: {}",
        rules.join("\u{201d}, \u{201c}"),
        cells.join(", "),
        without.label()
    ))
}

/// Counts per verdict.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Summary {
    /// Number of claims.
    pub total: usize,
    /// Supported.
    pub supported: usize,
    /// Imprecise.
    pub imprecise: usize,
    /// Refuted.
    pub refuted: usize,
    /// Undetermined.
    pub undetermined: usize,
    /// Not checkable.
    pub not_checkable: usize,
    /// Could not be judged (left out of the JSON when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub error: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Tally verdicts.
    pub fn of(claims: &[ClaimVerdict]) -> Self {
        let mut s = Summary {
            total: claims.len(),
            ..Summary::default()
        };
        for c in claims {
            match c.verdict {
                Verdict::Supported => s.supported += 1,
                Verdict::Imprecise => s.imprecise += 1,
                Verdict::Refuted => s.refuted += 1,
                Verdict::Undetermined => s.undetermined += 1,
                Verdict::NotCheckable => s.not_checkable += 1,
                Verdict::Error => s.error += 1,
            }
        }
        s
    }

    /// Count of one verdict.
    pub fn count(&self, v: Verdict) -> usize {
        match v {
            Verdict::Supported => self.supported,
            Verdict::Imprecise => self.imprecise,
            Verdict::Refuted => self.refuted,
            Verdict::Undetermined => self.undetermined,
            Verdict::NotCheckable => self.not_checkable,
            Verdict::Error => self.error,
        }
    }

    /// The verdicts a report lists in its tally and legend: every judged
    /// verdict ([`Verdict::ALL`]), then `error` when some claim could not
    /// be judged.
    pub fn listed(&self) -> Vec<Verdict> {
        let mut v = Verdict::ALL.to_vec();
        if self.error > 0 {
            v.push(Verdict::Error);
        }
        v
    }
}

/// An article in the report.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ArticleRef {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// URL (left out when the article has no public address).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Language.
    pub language: String,
    /// Publication date.
    pub published: String,
    /// Claim file.
    pub claim_file: String,
    /// The article text its quotes were searched in (Unicode NFC: the
    /// lines and columns of [`ClaimVerdict::quote_at`] count in it), when
    /// it was read, unless the claim file withholds it (`text_withheld`:
    /// its licence allows no copy). The HTML report shows it annotated;
    /// the JSON report leaves it out (it cites the article, it does not
    /// republish it).
    #[serde(skip)]
    pub text: Option<Arc<str>>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Report {
    /// Articles checked.
    pub articles: Vec<ArticleRef>,
    /// One verdict per claim, in file order.
    pub claims: Vec<ClaimVerdict>,
    /// Tally.
    pub summary: Summary,
}

/// How a value that does not exist (an aggregate of no records) is shown,
/// and how a statement says that there is none (`states = "no records"`).
pub const NO_RECORDS: &str = "no records";

/// Describe a computed value.
pub fn describe_value(v: &Value) -> Computed {
    match v {
        Value::Num(iv, u) => Computed {
            display: fmt_interval(iv, *u, 3),
            kind: "number",
            interval: Some(*iv),
            unit: Some(*u),
            exact: iv.as_point().is_some(),
        },
        Value::Date(d) => Computed {
            display: d.to_string(),
            kind: "date",
            interval: None,
            unit: None,
            exact: d.as_day().is_some(),
        },
        Value::Bool(t) => Computed {
            display: match t {
                Tri::True => "true",
                Tri::False => "false",
                Tri::Unknown => "unknown (true or false)",
            }
            .into(),
            kind: "boolean",
            interval: None,
            unit: None,
            exact: *t != Tri::Unknown,
        },
        Value::Text(t) => Computed {
            display: t.as_deref().unwrap_or("unknown").to_string(),
            kind: "text",
            interval: None,
            unit: None,
            exact: t.is_some(),
        },
        Value::List(l) => {
            let mut parts: Vec<String> = l
                .items
                .iter()
                .map(|(s, t)| {
                    if *t == Tri::True {
                        s.to_string()
                    } else {
                        format!("{s}?")
                    }
                })
                .collect();
            if l.open {
                parts.push("…".into());
            }
            Computed {
                display: format!("[{}]", parts.join(", ")),
                kind: "list",
                interval: None,
                unit: None,
                exact: !l.open && l.items.iter().all(|(_, t)| *t == Tri::True),
            }
        }
        Value::Set(s) => Computed {
            display: format!("{} records", s.len()),
            kind: "set",
            interval: None,
            unit: None,
            exact: s.is_exact(),
        },
        Value::Record(_, r) => Computed {
            display: format!("record #{r}"),
            kind: "record",
            interval: None,
            unit: None,
            exact: true,
        },
        // No records, no value: nothing but the words.
        Value::NoRecords(None, _) => Computed {
            display: NO_RECORDS.into(),
            kind: "none",
            interval: None,
            unit: None,
            exact: true,
        },
        Value::NoRecords(Some(v), _) => {
            let inner = describe_value(v);
            Computed {
                display: format!("{} or {NO_RECORDS}", inner.display),
                exact: false,
                ..inner
            }
        }
    }
}

/// The outcome of comparing a value with a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Verdict.
    pub verdict: Verdict,
    /// What the statement allows, in words.
    pub allowed: String,
    /// Why, in plain words.
    pub explanation: String,
}

/// Decide a numeric claim. `detail` is how the value arose (e.g. "11 of 14").
pub fn decide_number(
    value: &Interval,
    unit: Unit,
    allowed: &Allowed,
    stated: &Stated,
    detail: Option<&str>,
) -> Decision {
    let computed = computed_text(value, unit, detail, None);
    decide_admissible(
        &Admissible {
            hull: value,
            meets: &|iv| !value.is_disjoint(iv),
            exact: value.as_point().is_some(),
        },
        computed,
        unit,
        allowed,
        stated,
    )
}

/// Decide a numeric claim whose measure is a share of records of
/// uncertain membership: on the achievable shares (`counts`), not on
/// their range: a statement is supported when every achievable share is
/// inside what it allows, refuted when none is, undetermined when some
/// are. `value` is their range.
pub fn decide_share(
    counts: &ShareCounts,
    value: &Interval,
    unit: Unit,
    allowed: &Allowed,
    stated: &Stated,
    detail: Option<&str>,
) -> Decision {
    let listed = counts.values(64).filter(|v| v.len() > 1 && v.len() <= 6);
    let computed = computed_text(value, unit, detail, listed.as_deref());
    decide_admissible(
        &Admissible {
            hull: value,
            // When the search would cost too much, the range decides
            // (sound: it may say undetermined where values are apart).
            meets: &|iv| counts.meets(iv).unwrap_or(!value.is_disjoint(iv)),
            exact: value.as_point().is_some(),
        },
        computed,
        unit,
        allowed,
        stated,
    )
}

/// "11 of 14 = 78.571%", or "the evidence gives …", naming the achievable
/// values when there are a few.
fn computed_text(
    value: &Interval,
    unit: Unit,
    detail: Option<&str>,
    values: Option<&[Rational]>,
) -> String {
    let shown = match values {
        Some(vs) => format!(
            "{} (only {} are achievable)",
            fmt_interval(value, unit, 3),
            vs.iter()
                .map(|v| fmt_interval(&Interval::point(*v), unit, 3))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        None => fmt_interval(value, unit, 3),
    };
    match detail {
        Some(d) => format!("{d} = {shown}"),
        None => format!("the evidence gives {shown}"),
    }
}

/// The values a measure may take, as a judge asks about them: their
/// range (every value is inside an interval exactly when the range is),
/// and whether some value lies in an interval.
struct Admissible<'v> {
    hull: &'v Interval,
    meets: &'v dyn Fn(&Interval) -> bool,
    exact: bool,
}

fn decide_admissible(
    value: &Admissible<'_>,
    computed: String,
    unit: Unit,
    allowed: &Allowed,
    stated: &Stated,
) -> Decision {
    let allowed_txt = fmt_interval(&allowed.interval, unit, 3);
    if value.hull.is_subset_of(&allowed.interval) {
        let extra = if value.exact {
            ""
        } else {
            "; every admissible value lies inside it"
        };
        return Decision {
            verdict: Verdict::Supported,
            allowed: allowed_txt,
            explanation: format!("{computed}; {}{extra}", allowed.rule),
        };
    }
    let lenient = allowed.lenient.as_ref();
    let in_lenient = lenient.is_some_and(|l| value.hull.is_subset_of(l));
    let touches_allowed = (value.meets)(&allowed.interval);
    if in_lenient && !touches_allowed {
        return Decision {
            verdict: Verdict::Imprecise,
            allowed: allowed_txt,
            explanation: format!(
                "{computed}; {}; {}",
                allowed.rule,
                rounding_note(value.hull, unit, stated)
            ),
        };
    }
    let touches_lenient = lenient.is_some_and(|l| (value.meets)(l));
    if !touches_allowed && !touches_lenient {
        return Decision {
            verdict: Verdict::Refuted,
            allowed: allowed_txt,
            explanation: format!(
                "{computed}; {}, and no admissible value falls inside",
                allowed.rule
            ),
        };
    }
    let outcomes = if touches_allowed && in_lenient {
        "supported or imprecise"
    } else if touches_allowed {
        "supported or refuted"
    } else {
        "imprecise or refuted"
    };
    Decision {
        verdict: Verdict::Undetermined,
        allowed: allowed_txt,
        explanation: format!("{computed}; {}; the evidence admits values on both sides, so the claim is {outcomes} depending on values the evidence leaves open", allowed.rule),
    }
}

/// Decide a statement that there is no value (`states = "no records"`):
/// supported when the set aggregated has no records, refuted when it has
/// some, undetermined when the evidence admits both.
pub fn decide_no_records(value: &Value) -> Decision {
    let (verdict, explanation) = match value {
        Value::NoRecords(None, _) => (
            Verdict::Supported,
            "the set has no records, so there is no value, as stated".to_string(),
        ),
        Value::NoRecords(Some(v), _) => (
            Verdict::Undetermined,
            format!(
                "the evidence admits that the set has no records (then there is no value, as stated) and that it has some (then the value is {}), so the claim is supported or refuted depending on records the evidence leaves open",
                describe_value(v).display
            ),
        ),
        v => (
            Verdict::Refuted,
            format!(
                "the evidence gives {}; the statement says there is no value, but the set has records",
                describe_value(v).display
            ),
        ),
    };
    Decision {
        verdict,
        allowed: NO_RECORDS.into(),
        explanation,
    }
}

/// Decide a statement of a value (what `allowed` allows) about an
/// aggregate of a set that has no records: there is no value, so the
/// statement presupposes records that do not exist. Refuted.
pub fn decide_without_records(allowed: String) -> Decision {
    Decision {
        verdict: Verdict::Refuted,
        explanation: format!(
            "the set has no records, so there is no value; the statement allows {allowed}, presupposing records that do not exist"
        ),
        allowed,
    }
}

/// A decision about the value an aggregate has when its set has records
/// (`d`), for a set the evidence admits may have none: in that world the
/// statement presupposes records that do not exist (refuted), so the claim
/// stays refuted or becomes undetermined.
pub fn decide_possibly_without_records(d: Decision) -> Decision {
    if d.verdict == Verdict::Refuted {
        return Decision {
            explanation: format!(
                "{}; and if the set has no records, as the evidence admits, there is no value at all",
                d.explanation
            ),
            ..d
        };
    }
    let outcomes = match d.verdict {
        Verdict::Supported => "supported",
        Verdict::Imprecise => "imprecise",
        _ => "supported, imprecise",
    };
    Decision {
        verdict: Verdict::Undetermined,
        explanation: format!(
            "{}; but the evidence admits that the set has no records, and then there is no value and the statement presupposes records that do not exist, so the claim is {outcomes} or refuted depending on records the evidence leaves open",
            d.explanation
        ),
        allowed: d.allowed,
    }
}

/// For a value outside the rounding interval but matching another rounding
/// rule, say which rule gives the stated figure and what correct rounding gives.
fn rounding_note(value: &Interval, unit: Unit, stated: &Stated) -> String {
    let Stated::Number {
        value: figure, dp, ..
    } = stated
    else {
        return String::new();
    };
    let Some(v) = value.as_point() else {
        return "the stated figure matches only under truncation or another rounding rule".into();
    };
    let show = |r: Rational| format!("{}{}", r.to_fixed(*dp), unit.suffix());
    let mut rules = Vec::new();
    if v.trunc_dp(*dp).ok() == Some(*figure) {
        rules.push("truncation");
    }
    if v.floor_dp(*dp).ok() == Some(*figure) && v.trunc_dp(*dp).ok() != Some(*figure) {
        rules.push("rounding down");
    }
    if v.ceil_dp(*dp).ok() == Some(*figure) {
        rules.push("rounding up");
    }
    if v.round_half_even_dp(*dp).ok() == Some(*figure) {
        rules.push("round-half-to-even");
    }
    let correct = v.round_half_up_dp(*dp).map(show).unwrap_or_default();
    let how = if rules.is_empty() {
        "another rounding rule".to_string()
    } else {
        rules.join(" or ")
    };
    format!(
        "{how} gives {}, correct rounding (half away from zero) at {} gives {correct}",
        show(*figure),
        precision_words(*dp, unit)
    )
}

/// Decide a date claim.
pub fn decide_date(
    value: &DateRange,
    relation: DateRelation,
    period: &DateRange,
    stated_text: &str,
) -> Decision {
    let allowed = match relation {
        DateRelation::In => *period,
        DateRelation::Before => DateRange {
            lo: None,
            hi: period.lo.and_then(|d| d.yesterday().ok()),
        },
        DateRelation::After => DateRange {
            lo: period.hi.and_then(|d| d.tomorrow().ok()),
            hi: None,
        },
        DateRelation::By => DateRange {
            lo: None,
            hi: period.hi,
        },
        DateRelation::Since => DateRange {
            lo: period.lo,
            hi: None,
        },
    };
    let allowed_txt = allowed.to_string();
    let rule = format!("`{stated_text}` allows {allowed_txt}");
    let (verdict, why) = if value.is_subset_of(&allowed) {
        (Verdict::Supported, "every admissible date lies inside it")
    } else if value.is_disjoint(&allowed) {
        (Verdict::Refuted, "no admissible date lies inside it")
    } else {
        (
            Verdict::Undetermined,
            "the evidence admits dates inside and outside it",
        )
    };
    Decision {
        verdict,
        allowed: allowed_txt,
        explanation: format!("the evidence dates it {value}; {rule}; {why}"),
    }
}

/// Decide a boolean claim (the measure is an assertion).
pub fn decide_truth(value: Tri, expected: bool) -> Decision {
    let holds = if expected { value } else { value.not() };
    let (verdict, explanation) = match holds {
        Tri::True => (
            Verdict::Supported,
            "the assertion holds for every value the evidence admits",
        ),
        Tri::False => (
            Verdict::Refuted,
            "the assertion fails for every value the evidence admits",
        ),
        Tri::Unknown => (
            Verdict::Undetermined,
            "the assertion holds for some values the evidence admits and fails for others",
        ),
    };
    Decision {
        verdict,
        allowed: expected.to_string(),
        explanation: explanation.to_string(),
    }
}

/// How a share was computed, in words ("11 of 14").
pub fn share_text(s: &ShareParts) -> String {
    format!("{} of {}", s.part, s.whole)
}

/// A fact an evaluation found, in words (`` `Meta` is not `Google` ``).
pub fn event_text(e: &Event) -> String {
    let quoted = |v: &[std::sync::Arc<str>]| {
        v.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match e {
        Event::TextsDiffer(x, y) => format!("`{x}` is not `{y}`"),
        Event::Membership {
            item,
            membership,
            list,
        } => {
            let how = match membership {
                Tri::True => "is in",
                Tri::False => "is not in",
                Tri::Unknown => "is only possibly in",
            };
            format!("`{item}` {how} {}", list_text(list))
        }
        Event::NotInList(v) => format!("not in the list: {}", quoted(v)),
        Event::ListAlsoHas(v) => format!("the list also has {}", quoted(v)),
        Event::OnlyLeft(v) => format!("only the left side has {}", quoted(v)),
        Event::OnlyRight(v) => format!("only the right side has {}", quoted(v)),
        Event::Unsettled(v) => format!("membership not settled for {}", quoted(v)),
        Event::BothAre(l) => format!("both sides are {}", list_text(l)),
        Event::FailsFor(v) => {
            let keys: Vec<String> = v
                .iter()
                .map(|(k, unknown)| {
                    if *unknown {
                        format!("`{k} (unknown)`")
                    } else {
                        format!("`{k}`")
                    }
                })
                .collect();
            format!("it fails for {}", keys.join(", "))
        }
        Event::Ordered {
            from,
            to,
            days,
            sources,
        } => crate::evidence::order::ordered_text(from, to, *days, sources),
        Event::HoldsFor(v) => {
            let keys: Vec<String> = v.iter().map(|k| format!("`{k}`")).collect();
            format!("it holds for {}", keys.join(", "))
        }
    }
}

/// A list for explanations: its items when few, else its size.
fn list_text(l: &ListVal) -> String {
    let items = l.possible();
    if items.len() <= 6 {
        let mut shown: Vec<&str> = items.into_iter().collect();
        if l.open {
            shown.push("…");
        }
        format!("[{}]", shown.join(", "))
    } else {
        format!("a list of {} items", items.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::{allowed, parse_number_statement};

    fn r(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap_or(Rational::ZERO)
    }

    /// Decide a share `n/d` (as a percent) against a stated text.
    fn share_verdict(n: i128, d: i128, stated: &str) -> (Verdict, String) {
        let v = r(n * 100, d);
        let st = parse_number_statement(stated).unwrap_or(Stated::Truth(false));
        let Stated::Number {
            qualifier,
            value,
            dp,
            unit,
        } = st.clone()
        else {
            return (Verdict::NotCheckable, String::new());
        };
        let Ok(a) = allowed(qualifier, value, dp, unit, false, None) else {
            return (Verdict::NotCheckable, String::new());
        };
        let dec = decide_number(
            &Interval::point(v),
            Unit::Percent,
            &a,
            &st,
            Some(&format!("{n} of {d}")),
        );
        (dec.verdict, dec.explanation)
    }

    #[test]
    fn eleven_of_fourteen_as_78_percent_is_imprecise() {
        let (v, why) = share_verdict(11, 14, "78%");
        assert_eq!(v, Verdict::Imprecise);
        assert_eq!(
            why,
            "11 of 14 = 78.571…%; `78%` at whole-percent precision allows [77.5%, 78.5%); truncation gives 78%, correct rounding (half away from zero) at whole-percent precision gives 79%"
        );
        assert_eq!(share_verdict(11, 14, "79%").0, Verdict::Supported);
        assert_eq!(share_verdict(11, 14, "78.6%").0, Verdict::Supported);
        assert_eq!(share_verdict(11, 14, "78.5%").0, Verdict::Imprecise);
        assert_eq!(share_verdict(11, 14, "80%").0, Verdict::Refuted);
    }

    #[test]
    fn halves_round_away_from_zero() {
        // 5/8 = 62.5%: 63% is correct rounding, 62% only by truncation or half-to-even
        assert_eq!(share_verdict(5, 8, "63%").0, Verdict::Supported);
        let (v, why) = share_verdict(5, 8, "62%");
        assert_eq!(v, Verdict::Imprecise);
        assert!(
            why.contains("truncation or round-half-to-even gives 62%"),
            "{why}"
        );
        assert_eq!(share_verdict(5, 8, "62.5%").0, Verdict::Supported);
        assert_eq!(share_verdict(5, 8, "61%").0, Verdict::Refuted);
    }

    #[test]
    fn thirds_at_two_precisions() {
        assert_eq!(share_verdict(1, 3, "33%").0, Verdict::Supported);
        assert_eq!(share_verdict(1, 3, "33.3%").0, Verdict::Supported);
        assert_eq!(share_verdict(1, 3, "33.4%").0, Verdict::Imprecise);
        assert_eq!(share_verdict(1, 3, "34%").0, Verdict::Imprecise);
        assert_eq!(share_verdict(2, 3, "66%").0, Verdict::Imprecise);
        assert_eq!(share_verdict(2, 3, "67%").0, Verdict::Supported);
        assert_eq!(share_verdict(2, 3, "66.6%").0, Verdict::Imprecise);
        assert_eq!(share_verdict(2, 3, "66.7%").0, Verdict::Supported);
    }

    #[test]
    fn intervals_decide_only_when_all_values_agree() {
        let st = parse_number_statement("more than 5 years").unwrap_or(Stated::Truth(false));
        let Ok(a) = allowed(
            crate::statement::Qualifier::MoreThan,
            Rational::from_int(5),
            0,
            Unit::Years,
            false,
            None,
        ) else {
            return;
        };
        let iv = |lo: i128, hi: i128| {
            Interval::closed(r(lo, 10), r(hi, 10)).unwrap_or_else(Interval::unbounded)
        };
        assert_eq!(
            decide_number(&iv(53, 59), Unit::Years, &a, &st, None).verdict,
            Verdict::Supported
        );
        assert_eq!(
            decide_number(&iv(44, 59), Unit::Years, &a, &st, None).verdict,
            Verdict::Undetermined
        );
        assert_eq!(
            decide_number(&iv(30, 50), Unit::Years, &a, &st, None).verdict,
            Verdict::Refuted
        );
    }

    #[test]
    fn dates_against_periods() {
        let d = |s: &str| crate::date::parse_date_value(s).unwrap_or_else(|_| DateRange::unknown());
        assert_eq!(
            decide_date(
                &d("2025-04-01"),
                DateRelation::In,
                &d("2025-04"),
                "last month"
            )
            .verdict,
            Verdict::Supported
        );
        assert_eq!(
            decide_date(
                &d("2023-02-28..2023-04"),
                DateRelation::In,
                &d("2023-01"),
                "January 2023"
            )
            .verdict,
            Verdict::Refuted
        );
        assert_eq!(
            decide_date(&d("2023"), DateRelation::In, &d("2023-01"), "January 2023").verdict,
            Verdict::Undetermined
        );
        assert_eq!(
            decide_date(
                &d("2022-12"),
                DateRelation::Before,
                &d("2023"),
                "before 2023"
            )
            .verdict,
            Verdict::Supported
        );
    }
}
