//! English words. English is also the claim language: its qualifier words
//! are those of [`crate::statement::QUALIFIERS`] (declared here, with their
//! meanings there) and its period words those of [`crate::date::period_table`].

use super::{NumberWord as N, PeriodPhrase, RelationPhrase, Season, TimeUnit, Words};

/// English month names, January first, as canonical values spell them.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Qualifier words of [`crate::statement::Qualifier::Exactly`].
pub const EXACTLY: &[&str] = &["exactly", "only", "just"];
/// Qualifier words of [`crate::statement::Qualifier::About`].
pub const ABOUT: &[&str] = &["about", "around", "roughly", "approximately", "some"];
/// Qualifier words of [`crate::statement::Qualifier::MoreThan`].
pub const MORE_THAN: &[&str] = &["more than", "over", "above"];
/// Qualifier words of [`crate::statement::Qualifier::AtLeast`].
pub const AT_LEAST: &[&str] = &["at least", "no fewer than", "no less than"];
/// Qualifier words of [`crate::statement::Qualifier::FewerThan`].
pub const FEWER_THAN: &[&str] = &["fewer than", "less than", "under", "below"];
/// Qualifier words of [`crate::statement::Qualifier::AtMost`].
pub const AT_MOST: &[&str] = &["at most", "no more than", "up to"];
/// Qualifier words of [`crate::statement::Qualifier::Nearly`].
pub const NEARLY: &[&str] = &["nearly", "almost", "close to"];
/// Qualifier words of [`crate::statement::Qualifier::Most`].
pub const MOST: &[&str] = &["most", "the majority", "a majority", "majority"];
/// Qualifier words of [`crate::statement::Qualifier::All`].
pub const ALL: &[&str] = &["all", "every"];
/// Qualifier words of [`crate::statement::Qualifier::None`].
pub const NONE: &[&str] = &["none", "no"];

/// The English words.
pub static WORDS: Words = Words {
    numbers: &[
        ("zero", N::Unit(0)),
        ("one", N::Unit(1)),
        ("two", N::Unit(2)),
        ("three", N::Unit(3)),
        ("four", N::Unit(4)),
        ("five", N::Unit(5)),
        ("six", N::Unit(6)),
        ("seven", N::Unit(7)),
        ("eight", N::Unit(8)),
        ("nine", N::Unit(9)),
        ("ten", N::Teen(10)),
        ("eleven", N::Teen(11)),
        ("twelve", N::Teen(12)),
        ("thirteen", N::Teen(13)),
        ("fourteen", N::Teen(14)),
        ("fifteen", N::Teen(15)),
        ("sixteen", N::Teen(16)),
        ("seventeen", N::Teen(17)),
        ("eighteen", N::Teen(18)),
        ("nineteen", N::Teen(19)),
        ("twenty", N::Tens(20)),
        ("thirty", N::Tens(30)),
        ("forty", N::Tens(40)),
        ("fifty", N::Tens(50)),
        ("sixty", N::Tens(60)),
        ("seventy", N::Tens(70)),
        ("eighty", N::Tens(80)),
        ("ninety", N::Tens(90)),
        ("hundred", N::Hundred),
        ("thousand", N::Scale(1_000)),
        ("million", N::Scale(1_000_000)),
        ("billion", N::Scale(1_000_000_000)),
        ("dozen", N::Dozen),
    ],
    and: "and",
    // "millions" and the like are vague and not listed.
    scales: &[("thousand", 3), ("million", 6), ("billion", 9)],
    time_units: &[
        ("year", TimeUnit::Years, 1),
        ("years", TimeUnit::Years, 1),
        ("decade", TimeUnit::Years, 10),
        ("decades", TimeUnit::Years, 10),
        ("month", TimeUnit::Months, 1),
        ("months", TimeUnit::Months, 1),
        ("week", TimeUnit::Days, 7),
        ("weeks", TimeUnit::Days, 7),
        ("day", TimeUnit::Days, 1),
        ("days", TimeUnit::Days, 1),
    ],
    months: &[
        ("january", 1),
        ("jan", 1),
        ("february", 2),
        ("feb", 2),
        ("march", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("may", 5),
        ("june", 6),
        ("jun", 6),
        ("july", 7),
        ("jul", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("october", 10),
        ("oct", 10),
        ("november", 11),
        ("nov", 11),
        ("december", 12),
        ("dec", 12),
    ],
    seasons: &[
        ("spring", Season::Spring),
        ("summer", Season::Summer),
        ("autumn", Season::Autumn),
        ("fall", Season::Autumn),
        ("winter", Season::Winter),
    ],
    qualifiers: &[],
    date_relations: &[
        (&["since"], "since"),
        (&["before"], "before"),
        (&["after"], "after"),
        (&["by"], "by"),
    ],
    periods: &[
        PeriodPhrase {
            words: &["early"],
            means: "early",
            before_year: true,
        },
        PeriodPhrase {
            words: &["mid"],
            means: "mid",
            before_year: true,
        },
        PeriodPhrase {
            words: &["late"],
            means: "late",
            before_year: true,
        },
        PeriodPhrase {
            words: &["the", "beginning", "of"],
            means: "early",
            before_year: true,
        },
        PeriodPhrase {
            words: &["beginning", "of"],
            means: "early",
            before_year: true,
        },
        PeriodPhrase {
            words: &["the", "start", "of"],
            means: "early",
            before_year: true,
        },
        PeriodPhrase {
            words: &["start", "of"],
            means: "early",
            before_year: true,
        },
        PeriodPhrase {
            words: &["the", "middle", "of"],
            means: "mid",
            before_year: true,
        },
        PeriodPhrase {
            words: &["the", "end", "of"],
            means: "late",
            before_year: true,
        },
        PeriodPhrase {
            words: &["end", "of"],
            means: "late",
            before_year: true,
        },
        PeriodPhrase {
            words: &["the", "first", "half", "of"],
            means: "the first half of",
            before_year: true,
        },
        PeriodPhrase {
            words: &["first", "half", "of"],
            means: "the first half of",
            before_year: true,
        },
        PeriodPhrase {
            words: &["the", "second", "half", "of"],
            means: "the second half of",
            before_year: true,
        },
        PeriodPhrase {
            words: &["second", "half", "of"],
            means: "the second half of",
            before_year: true,
        },
        PeriodPhrase {
            words: &["SEASON"],
            means: "SEASON",
            before_year: true,
        },
        PeriodPhrase {
            words: &["the", "SEASON", "of"],
            means: "SEASON",
            before_year: true,
        },
        PeriodPhrase {
            words: &["last", "month"],
            means: "last month",
            before_year: false,
        },
        PeriodPhrase {
            words: &["last", "year"],
            means: "last year",
            before_year: false,
        },
        PeriodPhrase {
            words: &["this", "month"],
            means: "this month",
            before_year: false,
        },
        PeriodPhrase {
            words: &["this", "year"],
            means: "this year",
            before_year: false,
        },
        PeriodPhrase {
            words: &["next", "month"],
            means: "next month",
            before_year: false,
        },
        PeriodPhrase {
            words: &["next", "year"],
            means: "next year",
            before_year: false,
        },
        PeriodPhrase {
            words: &["this", "SEASON"],
            means: "this SEASON",
            before_year: false,
        },
        PeriodPhrase {
            words: &["last", "SEASON"],
            means: "last SEASON",
            before_year: false,
        },
        PeriodPhrase {
            words: &["next", "SEASON"],
            means: "next SEASON",
            before_year: false,
        },
    ],
    half: &[&["half"]],
    denominators: &[
        ("half", 2),
        ("halves", 2),
        ("third", 3),
        ("thirds", 3),
        ("quarter", 4),
        ("quarters", 4),
        ("fifth", 5),
        ("fifths", 5),
        ("tenth", 10),
        ("tenths", 10),
    ],
    part_ordinals: &[],
    percent: &[&["percent"], &["per", "cent"]],
    articles: &[],
    all: &[&["all"], &["all", "the"]],
    common: &[
        "the",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "to",
        "of",
        "and",
        "or",
        "but",
        "since",
        "until",
        "after",
        "before",
        "about",
        "around",
        "over",
        "under",
        "only",
        "just",
        "nearly",
        "almost",
        "some",
        "exactly",
        "roughly",
        "approximately",
        "more",
        "less",
        "fewer",
        "than",
        "with",
        "within",
        "between",
        "during",
        "among",
        "all",
        "up",
        "no",
        "as",
        "its",
        "their",
        "our",
        "his",
        "her",
        "these",
        "those",
        "another",
        "each",
        "every",
        "last",
        "this",
        "next",
        "above",
        "below",
        "close",
        "least",
        "most",
    ],
    relations: &[
        RelationPhrase {
            words: &["the", "same", "UNIT"],
            means: "the same UNIT",
        },
        RelationPhrase {
            words: &["that", "same", "UNIT"],
            means: "the same UNIT",
        },
        RelationPhrase {
            words: &["the", "following", "UNIT"],
            means: "the following UNIT",
        },
        RelationPhrase {
            words: &["the", "previous", "UNIT"],
            means: "the previous UNIT",
        },
        RelationPhrase {
            words: &["the", "first", "to", "VERB"],
            means: "the first to",
        },
        RelationPhrase {
            words: &["the", "first", "one", "to", "VERB"],
            means: "the first to",
        },
        RelationPhrase {
            words: &["the", "last", "to", "VERB"],
            means: "the last to",
        },
        RelationPhrase {
            words: &["the", "last", "one", "to", "VERB"],
            means: "the last to",
        },
        RelationPhrase {
            words: &["since", "then"],
            means: "since",
        },
        RelationPhrase {
            words: &["ever", "since"],
            means: "since",
        },
        RelationPhrase {
            words: &["since", "ING"],
            means: "since",
        },
        RelationPhrase {
            words: &["since", "SUBJ", "CHANGE"],
            means: "since",
        },
        RelationPhrase {
            words: &["before", "GAP", "was", "VERB"],
            means: "before",
        },
        RelationPhrase {
            words: &["before", "GAP", "were", "VERB"],
            means: "before",
        },
        RelationPhrase {
            words: &["before", "GAP", "was", "even", "VERB"],
            means: "before",
        },
        RelationPhrase {
            words: &["before", "GAP", "had", "VERB"],
            means: "before",
        },
        RelationPhrase {
            words: &["after", "GAP", "was", "VERB"],
            means: "after",
        },
        RelationPhrase {
            words: &["after", "GAP", "were", "VERB"],
            means: "after",
        },
        RelationPhrase {
            words: &["after", "GAP", "had", "VERB"],
            means: "after",
        },
        RelationPhrase {
            words: &["within", "a", "UNIT", "of", "each", "other"],
            means: "within a UNIT of each other",
        },
        RelationPhrase {
            words: &["within", "N", "UNIT", "of", "each", "other"],
            means: "within N UNIT of each other",
        },
        RelationPhrase {
            words: &["until"],
            means: "until",
        },
        RelationPhrase {
            words: &["up", "until"],
            means: "until",
        },
        RelationPhrase {
            words: &["until", "then"],
            means: "until",
        },
    ],
    majority: &[
        &["the", "majority"],
        &["the", "vast", "majority"],
        &["a", "majority"],
    ],
    ratio: &[(&["of"], true), (&["out", "of"], true), (&["in"], false)],
    determiners: &["the", "its", "their", "our", "his", "her", "these", "those"],
    and_a_half: &[&["and", "a", "half"]],
    function_words: &[
        "the", "of", "and", "to", "in", "is", "that", "for", "with", "on", "as", "was", "by", "it",
        "are", "from", "has",
    ],
    later: &[&["later"], &["after"], &["earlier"], &["before"]],
    subjects: &["he", "she", "they", "it", "we", "i", "you"],
    change_verbs: &[
        "left", "joined", "departed", "quit", "founded", "started", "began", "arrived", "returned",
        "rejoined", "retired", "moved", "launched", "took",
    ],
};
