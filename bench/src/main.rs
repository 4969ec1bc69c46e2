//! `bench-gen N OUTDIR`: the deterministic workload of factcheck's benchmark.
//!
//! Writes, for N people:
//!
//! * `evidence/people.csv`, `evidence/employment.csv`: the data as a user
//!   would have it, read as they are by pandas, DuckDB, SQLite and
//!   factcheck;
//! * `evidence/sources.toml` and a table file per CSV describing it for
//!   factcheck (dataset-level sources, an empty `left`/`end` = open);
//! * `checks.json`: the 1,000 checks as structured data with the exact
//!   expected answer of each, computed here with integer arithmetic;
//! * `claims/stated.toml`: one claim per check stating the expected value;
//! * `claims/perturbed.toml`: the same claims with every value perturbed;
//! * `workload.json`: sizes, the seed and how many checks were redrawn.
//!
//! The same N always gives byte-identical files. See `bench/README.md`.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

type Res<T> = Result<T, String>;

/// The fixed seed of every random choice.
const SEED: u64 = 0x0fac_7c4e_cb3e_2026;
/// Number of checks.
const CHECKS: usize = 1000;
/// Checks per kind, in per mille of `CHECKS` (issue 10): counts 35%, shares
/// 21%, mean band 10%, mean tenure 10%, min/max 15%, employer joins 9%.
const KIND_MIX: [(KindTag, usize); 6] = [
    (KindTag::Count, 350),
    (KindTag::Share, 210),
    (KindTag::MeanBand, 100),
    (KindTag::MeanTenure, 100),
    (KindTag::MinMax, 150),
    (KindTag::Employer, 90),
];
/// Redraws allowed for one check before giving up.
const MAX_REDRAWS: u32 = 100_000;

// ------------------------------------------------------------------ random

/// splitmix64: a tiny, well-mixed 64-bit generator; enough for a workload.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift; the bias is below 2^-40 here).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: i32, hi: i32) -> i32 {
        let span = (hi - lo + 1).max(1) as usize;
        lo + self.below(span) as i32
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: usize) -> bool {
        self.below(1000) < per_mille
    }

    /// A uniformly random element.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Sampling by integer weights (cumulative table, binary search).
struct Weighted {
    cumulative: Vec<u64>,
}

impl Weighted {
    fn new(weights: &[u64]) -> Self {
        let mut total = 0;
        let cumulative = weights
            .iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let x = ((u128::from(rng.next_u64()) * u128::from(total)) >> 64) as u64;
        self.cumulative.partition_point(|&c| c <= x)
    }
}

// ---------------------------------------------------------------- calendar

/// Days are counted from 1990-01-01 (day 0); the calendar covers 1990–2026.
struct Calendar {
    ymd: Vec<(u16, u8, u8)>,
}

const FIRST_YEAR: u16 = 1990;
const LAST_YEAR: u16 = 2026;

fn is_leap(y: u16) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_days(y: u16, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Calendar {
    fn new() -> Self {
        let mut ymd = Vec::new();
        for y in FIRST_YEAR..=LAST_YEAR {
            for m in 1..=12 {
                for d in 1..=month_days(y, m) {
                    ymd.push((y, m, d));
                }
            }
        }
        Calendar { ymd }
    }

    fn day(&self, y: u16, m: u8, d: u8) -> Res<i32> {
        self.ymd
            .binary_search(&(y, m, d))
            .map(|i| i as i32)
            .map_err(|_| format!("{y}-{m}-{d} is outside the calendar"))
    }

    fn fmt(&self, day: i32) -> Res<String> {
        let (y, m, d) = usize::try_from(day)
            .ok()
            .and_then(|i| self.ymd.get(i))
            .ok_or_else(|| format!("day {day} is outside the calendar"))?;
        Ok(format!("{y:04}-{m:02}-{d:02}"))
    }
}

/// The fixed dates of the workload.
struct Span {
    /// Earliest start of an earlier stint.
    history_start: i32,
    /// First possible `joined` / predicate date.
    first: i32,
    /// Last possible `joined`, `left` and predicate date (the snapshot day).
    last: i32,
}

// ------------------------------------------------------------------- names

const ORG_HEADS: [&str; 10] = [
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Wonka",
];
const ORG_TAILS: [&str; 5] = ["Labs", "Systems", "Group", "Works", "Analytics"];
const COUNTRIES: [&str; 20] = [
    "Argentina",
    "Australia",
    "Brazil",
    "Canada",
    "Chile",
    "Egypt",
    "France",
    "Germany",
    "India",
    "Indonesia",
    "Italy",
    "Japan",
    "Kenya",
    "Mexico",
    "Nigeria",
    "Poland",
    "Spain",
    "Sweden",
    "United Kingdom",
    "United States",
];
const ROLES: [&str; 8] = [
    "engineer",
    "scientist",
    "manager",
    "analyst",
    "designer",
    "sales",
    "support",
    "operations",
];
const FIRST_NAMES: [&str; 40] = [
    "Ana", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Irene", "Jonas", "Karin",
    "Luis", "Maya", "Nils", "Olga", "Pedro", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Amir", "Beatriz", "Chen", "Dana", "Emil", "Fatima", "Goran",
    "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marek", "Nora",
];
const SYLLABLES: [&str; 20] = [
    "ka", "lo", "mi", "ran", "te", "vo", "sa", "ni", "do", "be", "ru", "ta", "el", "mar", "on",
    "ci", "pe", "ga", "li", "zu",
];

fn org_names() -> Vec<String> {
    let mut v = Vec::new();
    for h in ORG_HEADS {
        for t in ORG_TAILS {
            v.push(format!("{h} {t}"));
        }
    }
    v
}

fn person_name(rng: &mut Rng) -> String {
    let first = rng.pick(&FIRST_NAMES).copied().unwrap_or("Ana");
    let initial = char::from(b'A' + rng.below(26) as u8);
    let mut surname = String::new();
    for _ in 0..3 {
        surname.push_str(rng.pick(&SYLLABLES).copied().unwrap_or("ka"));
    }
    let mut chars = surname.chars();
    let surname: String = chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect();
    format!("{first} {initial}. {surname}")
}

// -------------------------------------------------------------------- data

struct Person {
    name: String,
    org: usize,
    country: usize,
    role: usize,
    joined: i32,
    /// Last day at the organisation (inclusive); `None` = still there.
    left: Option<i32>,
    band: u8,
}

struct Stint {
    person: usize,
    org: usize,
    start: i32,
    /// Last day of the stint (inclusive); `None` = still there.
    end: Option<i32>,
}

struct Data {
    people: Vec<Person>,
    stints: Vec<Stint>,
    /// Index of each person's first stint in `stints` (stints are grouped by
    /// person, in date order).
    first_stint: Vec<usize>,
}

fn generate_data(n: usize, span: &Span, rng: &mut Rng) -> Data {
    // Zipf-like organisation sizes: weight 1/rank.
    let org_w: Vec<u64> = (1..=50u64).map(|r| 1_000_000_000 / r).collect();
    let org_dist = Weighted::new(&org_w);
    // Stints per person: 1, 2, 3, 4 with 15%, 35%, 30%, 20% (mean 2.55).
    let stint_dist = Weighted::new(&[15, 35, 30, 20]);
    let mut people = Vec::with_capacity(n);
    let mut stints = Vec::with_capacity(n * 26 / 10);
    let mut first_stint = Vec::with_capacity(n);
    for i in 0..n {
        let name = person_name(rng);
        let org = org_dist.sample(rng);
        let country = rng.below(COUNTRIES.len());
        let role = rng.below(ROLES.len());
        let joined = rng.between(span.first, span.last);
        // About 30% are still there; the others leave on a day after joining.
        let left = if joined >= span.last || rng.chance(300) {
            None
        } else {
            Some(rng.between(joined + 1, span.last))
        };
        // Triangular bands 1..=10, peaked in the middle.
        let band = 1 + ((rng.below(10) + rng.below(10)) / 2) as u8;
        // Earlier stints, strictly before `joined` and never overlapping:
        // 2m strictly increasing days in [history_start, joined - 1].
        let earlier = stint_dist.sample(rng);
        first_stint.push(stints.len());
        let window = (joined - span.history_start) as usize;
        let mut cuts: Vec<i32> = (0..2 * earlier)
            .map(|_| rng.below(window + 1 - 2 * earlier) as i32)
            .collect();
        cuts.sort_unstable();
        for (k, c) in cuts.iter_mut().enumerate() {
            *c += span.history_start + k as i32;
        }
        for pair in cuts.chunks_exact(2) {
            if let [start, end] = pair {
                stints.push(Stint {
                    person: i,
                    org: org_dist.sample(rng),
                    start: *start,
                    end: Some(*end),
                });
            }
        }
        stints.push(Stint {
            person: i,
            org,
            start: joined,
            end: left,
        });
        people.push(Person {
            name,
            org,
            country,
            role,
            joined,
            left,
            band,
        });
    }
    Data {
        people,
        stints,
        first_stint,
    }
}

// -------------------------------------------------------------- predicates

#[derive(Clone, Copy, Debug)]
enum Pred {
    Org(usize),
    Country(usize),
    Role(usize),
    JoinedBefore(i32),
    JoinedAfter(i32),
    StillThere(i32),
    LeftBy(i32),
    BandAtLeast(u8),
    LeftKnown,
    LeftUnknown,
}

/// Predicate groups; a check draws each group at most once.
const GROUPS: usize = 9;
/// The group of `left is known / unknown`.
const LEFT_STATUS: usize = 8;

impl Pred {
    fn holds(&self, p: &Person) -> bool {
        match *self {
            Pred::Org(o) => p.org == o,
            Pred::Country(c) => p.country == c,
            Pred::Role(r) => p.role == r,
            Pred::JoinedBefore(d) => p.joined < d,
            Pred::JoinedAfter(d) => p.joined > d,
            Pred::StillThere(d) => p.joined <= d && p.left.is_none_or(|l| l >= d),
            Pred::LeftBy(d) => p.left.is_some_and(|l| l < d),
            Pred::BandAtLeast(k) => p.band >= k,
            Pred::LeftKnown => p.left.is_some(),
            Pred::LeftUnknown => p.left.is_none(),
        }
    }

    fn draw(group: usize, data: &Data, span: &Span, rng: &mut Rng) -> Pred {
        let someone = data.people.get(rng.below(data.people.len()));
        let day = rng.between(span.first, span.last);
        match group {
            0 => Pred::Org(someone.map_or(0, |p| p.org)),
            1 => Pred::Country(someone.map_or(0, |p| p.country)),
            2 => Pred::Role(someone.map_or(0, |p| p.role)),
            3 => Pred::JoinedBefore(day),
            4 => Pred::JoinedAfter(day),
            5 => Pred::StillThere(day),
            6 => Pred::LeftBy(day),
            7 => Pred::BandAtLeast(someone.map_or(1, |p| p.band)),
            _ if rng.chance(500) => Pred::LeftKnown,
            _ => Pred::LeftUnknown,
        }
    }

    /// The condition in factcheck's expression language.
    fn factcheck(&self, cal: &Calendar, orgs: &[String]) -> Res<String> {
        let name = |v: Option<&str>| v.unwrap_or("?").to_string();
        Ok(match *self {
            Pred::Org(o) => format!("org == \"{}\"", name(orgs.get(o).map(String::as_str))),
            Pred::Country(c) => format!("country == \"{}\"", name(COUNTRIES.get(c).copied())),
            Pred::Role(r) => format!("role == \"{}\"", name(ROLES.get(r).copied())),
            Pred::JoinedBefore(d) => format!("joined < date(\"{}\")", cal.fmt(d)?),
            Pred::JoinedAfter(d) => format!("joined > date(\"{}\")", cal.fmt(d)?),
            Pred::StillThere(d) => {
                let d = cal.fmt(d)?;
                format!("(joined <= date(\"{d}\") and left >= date(\"{d}\"))")
            }
            Pred::LeftBy(d) => format!("left < date(\"{}\")", cal.fmt(d)?),
            Pred::BandAtLeast(k) => format!("salary_band >= {k}"),
            // An open `left` (still there) is after every day.
            Pred::LeftKnown => format!("left < date(\"{SNAPSHOT_NEXT_DAY}\")"),
            Pred::LeftUnknown => format!("left >= date(\"{SNAPSHOT_NEXT_DAY}\")"),
        })
    }

    /// The predicate as JSON for `checks.json`.
    fn json(&self, cal: &Calendar, orgs: &[String]) -> Res<String> {
        let text = |t: &str, v: Option<&str>| {
            format!(
                "{{\"type\": \"{t}\", \"value\": {}}}",
                json_str(v.unwrap_or("?"))
            )
        };
        let date = |t: &str, d: i32| -> Res<String> {
            Ok(format!(
                "{{\"type\": \"{t}\", \"date\": \"{}\"}}",
                cal.fmt(d)?
            ))
        };
        Ok(match *self {
            Pred::Org(o) => text("org", orgs.get(o).map(String::as_str)),
            Pred::Country(c) => text("country", COUNTRIES.get(c).copied()),
            Pred::Role(r) => text("role", ROLES.get(r).copied()),
            Pred::JoinedBefore(d) => date("joined_before", d)?,
            Pred::JoinedAfter(d) => date("joined_after", d)?,
            Pred::StillThere(d) => date("still_there_on", d)?,
            Pred::LeftBy(d) => date("left_by", d)?,
            Pred::BandAtLeast(k) => format!("{{\"type\": \"band_at_least\", \"k\": {k}}}"),
            Pred::LeftKnown => "{\"type\": \"left_known\"}".to_string(),
            Pred::LeftUnknown => "{\"type\": \"left_unknown\"}".to_string(),
        })
    }

    /// In words, for the claim's quote.
    fn words(&self, cal: &Calendar, orgs: &[String]) -> Res<String> {
        let name = |v: Option<&str>| v.unwrap_or("?").to_string();
        Ok(match *self {
            Pred::Org(o) => format!("at {}", name(orgs.get(o).map(String::as_str))),
            Pred::Country(c) => format!("in {}", name(COUNTRIES.get(c).copied())),
            Pred::Role(r) => format!("working as {}", name(ROLES.get(r).copied())),
            Pred::JoinedBefore(d) => format!("who joined before {}", cal.fmt(d)?),
            Pred::JoinedAfter(d) => format!("who joined after {}", cal.fmt(d)?),
            Pred::StillThere(d) => format!("still there on {}", cal.fmt(d)?),
            Pred::LeftBy(d) => format!("who had left by {}", cal.fmt(d)?),
            Pred::BandAtLeast(k) => format!("in salary band {k} or above"),
            Pred::LeftKnown => "who have left".to_string(),
            Pred::LeftUnknown => "who have not left".to_string(),
        })
    }
}

// ------------------------------------------------------------------ checks

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum KindTag {
    Count,
    Share,
    MeanBand,
    MeanTenure,
    MinMax,
    Employer,
}

impl KindTag {
    fn name(self) -> &'static str {
        match self {
            KindTag::Count => "count",
            KindTag::Share => "share",
            KindTag::MeanBand => "mean_band",
            KindTag::MeanTenure => "mean_tenure",
            KindTag::MinMax => "min/max",
            KindTag::Employer => "employer",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Joined,
    Left,
    Band,
}

impl Col {
    fn name(self) -> &'static str {
        match self {
            Col::Joined => "joined",
            Col::Left => "left",
            Col::Band => "salary_band",
        }
    }
}

/// An exact answer.
#[derive(Clone, Debug, PartialEq)]
enum Answer {
    Int(u64),
    /// A non-negative rational `num / den`, in lowest terms.
    Ratio(u128, u128),
    Date(i32),
    Text(String),
}

/// What a check computes.
#[derive(Clone, Debug)]
enum Kind {
    Count,
    Share,
    MeanBand,
    MeanTenure,
    Min(Col),
    Max(Col),
    /// The organisation where `person` worked on `day`.
    Employer {
        person: usize,
        day: i32,
    },
}

impl Kind {
    fn name(&self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Share => "share",
            Kind::MeanBand => "mean_band",
            Kind::MeanTenure => "mean_tenure",
            Kind::Min(_) => "min",
            Kind::Max(_) => "max",
            Kind::Employer { .. } => "employer",
        }
    }
}

struct Check {
    kind: Kind,
    preds: Vec<Pred>,
    expected: Answer,
    /// Decimal places of a stated ratio.
    dp: u32,
    stated: String,
    perturbed: String,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn ratio(num: u128, den: u128) -> Answer {
    let g = gcd(num, den).max(1);
    Answer::Ratio(num / g, den / g)
}

/// Number of decimal digits of `n` (at least 1).
fn digits(n: u128) -> u32 {
    n.checked_ilog10().map_or(1, |d| d + 1)
}

/// `num / den` correctly rounded (half away from zero) to `dp` decimals.
fn round_decimal(num: u128, den: u128, dp: u32) -> Res<String> {
    let scale = 10u128
        .checked_pow(dp)
        .ok_or("too many decimals".to_string())?;
    let scaled = num
        .checked_mul(scale)
        .ok_or("overflow in rounding".to_string())?;
    let mut q = scaled / den;
    if 2 * (scaled % den) >= den {
        q += 1;
    }
    let int = q / scale;
    let frac = q % scale;
    Ok(if dp == 0 {
        format!("{int}")
    } else {
        format!("{int}.{frac:0width$}", width = dp as usize)
    })
}

/// +1 or -1.
fn sign(rng: &mut Rng) -> i64 {
    if rng.chance(500) {
        1
    } else {
        -1
    }
}

fn nudge(v: u128, s: i64) -> u128 {
    if s > 0 || v == 0 {
        v + 1
    } else {
        v - 1
    }
}

struct Ctx<'a> {
    data: &'a Data,
    span: &'a Span,
    cal: &'a Calendar,
    orgs: &'a [String],
    /// How many people carry each name.
    name_count: std::collections::HashMap<&'a str, u32>,
}

/// Why checks were redrawn, counted per reason.
#[derive(Default)]
struct Redraws(std::collections::BTreeMap<String, u64>);

impl Redraws {
    fn add(&mut self, why: String) {
        *self.0.entry(why).or_insert(0) += 1;
    }
}

fn draw_preds(allowed: &[usize], ctx: &Ctx<'_>, rng: &mut Rng) -> Vec<Pred> {
    let mut groups = allowed.to_vec();
    rng.shuffle(&mut groups);
    let n = 1 + rng.below(3);
    groups
        .iter()
        .take(n)
        .map(|&g| Pred::draw(g, ctx.data, ctx.span, rng))
        .collect()
}

fn draw_check(tag: KindTag, ctx: &Ctx<'_>, rng: &mut Rng, redraws: &mut Redraws) -> Res<Check> {
    for _ in 0..MAX_REDRAWS {
        let attempt = match tag {
            KindTag::Employer => try_employer(ctx, rng)?,
            _ => try_aggregate(tag, ctx, rng)?,
        };
        match attempt {
            Ok(c) => return Ok(c),
            Err(why) => redraws.add(why),
        }
    }
    Err(format!(
        "no {} check found in {MAX_REDRAWS} draws",
        tag.name()
    ))
}

/// One draw of a check over `people`; `Err(reason)` asks for a redraw.
fn try_aggregate(tag: KindTag, ctx: &Ctx<'_>, rng: &mut Rng) -> Res<Result<Check, String>> {
    let all: Vec<usize> = (0..GROUPS).collect();
    let no_left_status: Vec<usize> = (0..GROUPS).filter(|&g| g != LEFT_STATUS).collect();
    let kind = match tag {
        KindTag::Count => Kind::Count,
        KindTag::Share => Kind::Share,
        KindTag::MeanBand => Kind::MeanBand,
        KindTag::MeanTenure => Kind::MeanTenure,
        _ => {
            let col = match rng.below(3) {
                0 => Col::Joined,
                1 => Col::Left,
                _ => Col::Band,
            };
            if rng.chance(500) {
                Kind::Min(col)
            } else {
                Kind::Max(col)
            }
        }
    };
    // Aggregates over `left` are over the people whose `left` is known, so a
    // left-status predicate would be redundant or make the set empty.
    let needs_left = matches!(
        kind,
        Kind::MeanTenure | Kind::Min(Col::Left) | Kind::Max(Col::Left)
    );
    let preds = draw_preds(if needs_left { &no_left_status } else { &all }, ctx, rng);
    let mut count: u64 = 0;
    let mut sum: u128 = 0;
    let mut lo: Option<i32> = None;
    let mut hi: Option<i32> = None;
    for p in &ctx.data.people {
        if needs_left && p.left.is_none() {
            continue;
        }
        if !preds.iter().all(|q| q.holds(p)) {
            continue;
        }
        count += 1;
        let v = match kind {
            Kind::MeanBand | Kind::Min(Col::Band) | Kind::Max(Col::Band) => i32::from(p.band),
            Kind::Min(Col::Joined) | Kind::Max(Col::Joined) => p.joined,
            Kind::Min(Col::Left) | Kind::Max(Col::Left) => p.left.unwrap_or(0),
            Kind::MeanTenure => p.left.map_or(0, |l| l - p.joined),
            _ => 0,
        };
        sum += v as u128;
        lo = Some(lo.map_or(v, |x| x.min(v)));
        hi = Some(hi.map_or(v, |x| x.max(v)));
    }
    if count == 0 {
        return Ok(Err(format!("{}: empty set", kind.name())));
    }
    let n = ctx.data.people.len() as u128;
    let c = u128::from(count);
    let s = sign(rng);
    let (expected, dp, stated, perturbed) = match kind {
        Kind::Count => (
            Answer::Int(count),
            0,
            count.to_string(),
            (if s > 0 || count == 1 {
                count + 1
            } else {
                count - 1
            })
            .to_string(),
        ),
        Kind::Share => {
            // One ulp is at most 1/100 of one person's share.
            let dp = digits(n);
            let wrong = if c == n { c - 1 } else { nudge(c, s) };
            (
                ratio(100 * c, n),
                dp,
                format!("{}%", round_decimal(100 * c, n, dp)?),
                format!("{}%", round_decimal(100 * wrong, n, dp)?),
            )
        }
        Kind::MeanBand => {
            // Perturbed: the sum of bands off by one.
            let dp = digits(c) + 2;
            (
                ratio(sum, c),
                dp,
                round_decimal(sum, c, dp)?,
                round_decimal(nudge(sum, s), c, dp)?,
            )
        }
        Kind::MeanTenure => {
            // Mean days / 365.25 = 100·days / (36525·count); perturbed: the
            // total of days off by one.
            let dp = digits(c) + 5;
            let den = 36_525 * c;
            (
                ratio(100 * sum, den),
                dp,
                format!("{} years", round_decimal(100 * sum, den, dp)?),
                format!("{} years", round_decimal(100 * nudge(sum, s), den, dp)?),
            )
        }
        Kind::Min(col) | Kind::Max(col) => {
            let v = if matches!(kind, Kind::Min(_)) { lo } else { hi }.unwrap_or(0);
            match col {
                Col::Band => {
                    let w = if v + s as i32 >= 1 && v + s as i32 <= 10 {
                        v + s as i32
                    } else {
                        v - s as i32
                    };
                    (Answer::Int(v as u64), 0, v.to_string(), w.to_string())
                }
                _ => (
                    Answer::Date(v),
                    0,
                    ctx.cal.fmt(v)?,
                    ctx.cal.fmt(v + s as i32)?,
                ),
            }
        }
        Kind::Employer { .. } => return Err("internal: employer in try_aggregate".into()),
    };
    Ok(Ok(Check {
        kind,
        preds,
        expected,
        dp,
        stated,
        perturbed,
    }))
}

/// One draw of "the employer of person P on day D is X".
fn try_employer(ctx: &Ctx<'_>, rng: &mut Rng) -> Res<Result<Check, String>> {
    let people = &ctx.data.people;
    let person = rng.below(people.len());
    let Some(p) = people.get(person) else {
        return Err("internal: person".into());
    };
    if ctx.name_count.get(p.name.as_str()).copied().unwrap_or(0) != 1 {
        return Ok(Err("employer: the person's name is not unique".into()));
    }
    let from = ctx.data.first_stint.get(person).copied().unwrap_or(0);
    let to = ctx
        .data
        .first_stint
        .get(person + 1)
        .copied()
        .unwrap_or(ctx.data.stints.len());
    let stints = ctx.data.stints.get(from..to).unwrap_or(&[]);
    let first_day = stints.first().map_or(ctx.span.first, |s| s.start);
    let day = rng.between(first_day, ctx.span.last);
    let in_force: Vec<&Stint> = stints
        .iter()
        .filter(|s| s.start <= day && s.end.is_none_or(|e| day <= e))
        .collect();
    let [stint] = in_force.as_slice() else {
        return Ok(Err(if in_force.is_empty() {
            "employer: the day falls between two stints".into()
        } else {
            "internal: overlapping stints".into()
        }));
    };
    if stint.person != person {
        return Err("internal: stint of another person".into());
    }
    // Perturbed: another employer of the same person if there is one,
    // otherwise the next organisation.
    let other = stints
        .iter()
        .map(|s| s.org)
        .find(|&o| o != stint.org)
        .unwrap_or((stint.org + 1) % ctx.orgs.len());
    let name_of = |o: usize| ctx.orgs.get(o).cloned().unwrap_or_default();
    Ok(Ok(Check {
        kind: Kind::Employer { person, day },
        preds: Vec::new(),
        expected: Answer::Text(name_of(stint.org)),
        dp: 0,
        stated: name_of(stint.org),
        perturbed: name_of(other),
    }))
}

fn draw_checks(ctx: &Ctx<'_>, rng: &mut Rng, redraws: &mut Redraws) -> Res<Vec<Check>> {
    let mut tags = Vec::with_capacity(CHECKS);
    for (tag, per_mille) in KIND_MIX {
        tags.extend(std::iter::repeat_n(tag, CHECKS * per_mille / 1000));
    }
    if tags.len() != CHECKS {
        return Err("internal: the kind mix does not add up".into());
    }
    rng.shuffle(&mut tags);
    tags.iter()
        .map(|&t| draw_check(t, ctx, rng, redraws))
        .collect()
}

// ------------------------------------------------------------------ output

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML basic string (the same escapes as JSON suffice for our text).
fn toml_str(s: &str) -> String {
    json_str(s)
}

/// A TOML literal string; the measure never contains a single quote.
fn toml_literal(s: &str) -> Res<String> {
    if s.contains('\'') || s.contains('\n') {
        return Err(format!("cannot write {s} as a TOML literal string"));
    }
    Ok(format!("'{s}'"))
}

fn create(path: &Path) -> Res<BufWriter<fs::File>> {
    fs::File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn io<T>(r: std::io::Result<T>, path: &Path) -> Res<T> {
    r.map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The day after the snapshot (2025-12-31): a `left` before it is a day
/// someone left; an open `left` (empty in the CSV) is after every day.
const SNAPSHOT_NEXT_DAY: &str = "2026-01-01";

fn write_data(ev: &Path, data: &Data, cal: &Calendar, orgs: &[String]) -> Res<()> {
    let org = |o: usize| orgs.get(o).map_or("?", String::as_str);
    let opt_day = |d: Option<i32>| d.map_or(Ok(String::new()), |d| cal.fmt(d));

    let plain = ev.join("people.csv");
    let mut a = create(&plain)?;
    let header = "id,name,org,country,joined,left,role,salary_band";
    io(writeln!(a, "{header}"), &plain)?;
    for (i, p) in data.people.iter().enumerate() {
        let row = format!(
            "P{:07},{},{},{},{},{},{},{}",
            i + 1,
            p.name,
            org(p.org),
            COUNTRIES.get(p.country).copied().unwrap_or("?"),
            cal.fmt(p.joined)?,
            opt_day(p.left)?,
            ROLES.get(p.role).copied().unwrap_or("?"),
            p.band
        );
        io(writeln!(a, "{row}"), &plain)?;
    }
    io(a.flush(), &plain)?;

    // `end` is the last day of the stint, empty while it lasts.
    let plain = ev.join("employment.csv");
    let mut a = create(&plain)?;
    io(writeln!(a, "person_id,org,start,end"), &plain)?;
    for s in &data.stints {
        let start = cal.fmt(s.start)?;
        let pid = format!("P{:07}", s.person + 1);
        io(
            writeln!(a, "{pid},{},{start},{}", org(s.org), opt_day(s.end)?),
            &plain,
        )?;
    }
    io(a.flush(), &plain)?;
    Ok(())
}

const SOURCES_TOML: &str = r#"# Generated by bench-gen (bench/src/main.rs); every table cites this source.
[[source]]
id = "bench-gen"
title = "Synthetic workload of factcheck's benchmark"
publisher = "factcheck bench-gen"
url = "https://example.org/factcheck/bench"
date = "2026-01-01"
note = "Deterministic synthetic data: people and their employment stints. Not about real people or organisations."
"#;

const PEOPLE_TOML: &str = r#"# Generated by bench-gen (bench/src/main.rs).
[table]
name = "people"
description = "Synthetic people: one row each, with their current or last organisation."
key = "id"
csv = "people.csv"
sources = ["bench-gen"]

[[column]]
name = "id"
type = "text"
description = "Person id."

[[column]]
name = "name"
type = "text"
description = "Name (not unique)."

[[column]]
name = "org"
type = "text"
description = "Current or last organisation (50, Zipf-like sizes)."

[[column]]
name = "country"
type = "text"
description = "Country (20)."

[[column]]
name = "joined"
type = "date"
description = "First day at the organisation."

[[column]]
name = "left"
type = "date"
description = "Last day at the organisation; empty = still there (open)."
empty = "open"

[[column]]
name = "role"
type = "text"
description = "Role (8)."

[[column]]
name = "salary_band"
type = "integer"
description = "Salary band, 1 to 10."
"#;

const EMPLOYMENT_TOML: &str = r#"# Generated by bench-gen (bench/src/main.rs).
[table]
name = "employment"
description = "Synthetic employment stints; a person's stints never overlap."
temporal = { from = "start", to = "end", end = "inclusive" }
csv = "employment.csv"
sources = ["bench-gen"]

[[column]]
name = "person_id"
type = "text"
description = "people.id of the person."

[[column]]
name = "org"
type = "text"
description = "Organisation."

[[column]]
name = "start"
type = "date"
description = "First day of the stint."

[[column]]
name = "end"
type = "date"
description = "Last day of the stint; empty = still there (open)."
empty = "open"
"#;

fn write_evidence_tables(ev: &Path) -> Res<()> {
    for (name, text) in [
        ("sources.toml", SOURCES_TOML),
        ("people.toml", PEOPLE_TOML),
        ("employment.toml", EMPLOYMENT_TOML),
    ] {
        let path = ev.join(name);
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

impl Check {
    fn id(&self, i: usize) -> String {
        format!("c{:04}-{}", i + 1, self.kind.name())
    }

    fn condition(&self, ctx: &Ctx<'_>) -> Res<String> {
        let mut parts = Vec::new();
        if matches!(
            self.kind,
            Kind::MeanTenure | Kind::Min(Col::Left) | Kind::Max(Col::Left)
        ) {
            parts.push(format!("left < date(\"{SNAPSHOT_NEXT_DAY}\")"));
        }
        for p in &self.preds {
            parts.push(p.factcheck(ctx.cal, ctx.orgs)?);
        }
        Ok(parts.join(" and "))
    }

    fn measure(&self, ctx: &Ctx<'_>, stated_org: &str) -> Res<String> {
        let set = format!("people where {}", self.condition(ctx)?);
        Ok(match &self.kind {
            Kind::Count => format!("count({set})"),
            Kind::Share => format!("share({set}, people)"),
            Kind::MeanBand => format!("mean({set}, salary_band)"),
            // factcheck's year is 365.2425 days; the workload's is 365.25.
            Kind::MeanTenure => {
                format!("mean({set}, years_between(joined, left)) * 365.2425 / 365.25")
            }
            Kind::Min(c) => format!("min({set}, {})", c.name()),
            Kind::Max(c) => format!("max({set}, {})", c.name()),
            Kind::Employer { person, day } => {
                let name = ctx
                    .data
                    .people
                    .get(*person)
                    .map_or("?", |p| p.name.as_str());
                format!(
                    "(employment at date(\"{}\") where person_id in (people where name == \"{name}\").id).org == [\"{stated_org}\"]",
                    ctx.cal.fmt(*day)?
                )
            }
        })
    }

    fn sentence(&self, ctx: &Ctx<'_>, value: &str) -> Res<String> {
        let who = self
            .preds
            .iter()
            .map(|p| p.words(ctx.cal, ctx.orgs))
            .collect::<Res<Vec<_>>>()?
            .join(", ");
        Ok(match &self.kind {
            Kind::Count => format!("{value} people {who}."),
            Kind::Share => format!("{value} of all people are people {who}."),
            Kind::MeanBand => format!("People {who} have a mean salary band of {value}."),
            Kind::MeanTenure => {
                format!("People {who} who have left stayed {value} on average.")
            }
            Kind::Min(c) | Kind::Max(c) => format!(
                "The {} {} of people {who} is {value}.",
                if matches!(self.kind, Kind::Min(_)) {
                    "smallest"
                } else {
                    "largest"
                },
                c.name()
            ),
            Kind::Employer { person, day } => format!(
                "On {}, {} worked at {value}.",
                ctx.cal.fmt(*day)?,
                ctx.data
                    .people
                    .get(*person)
                    .map_or("?", |p| p.name.as_str())
            ),
        })
    }

    fn claim_toml(&self, i: usize, ctx: &Ctx<'_>, perturbed: bool) -> Res<String> {
        let value = if perturbed {
            &self.perturbed
        } else {
            &self.stated
        };
        let id = if perturbed {
            format!("{}-perturbed", self.id(i))
        } else {
            self.id(i)
        };
        let sentence = self.sentence(ctx, value)?;
        let mut s = String::new();
        let _ = writeln!(s, "[[claim]]");
        let _ = writeln!(s, "id = {}", toml_str(&id));
        let _ = writeln!(s, "quote = {}", toml_str(&sentence));
        let _ = writeln!(s, "claim = {}", toml_str(&sentence));
        let org = match self.kind {
            Kind::Employer { .. } => value.as_str(),
            _ => "",
        };
        let _ = writeln!(s, "measure = {}", toml_literal(&self.measure(ctx, org)?)?);
        if !matches!(self.kind, Kind::Employer { .. }) {
            let _ = writeln!(s, "states = {}", toml_str(value));
        }
        s.push('\n');
        Ok(s)
    }

    fn json(&self, i: usize, ctx: &Ctx<'_>) -> Res<String> {
        let mut s = String::new();
        let _ = write!(
            s,
            "    {{\"id\": {}, \"kind\": \"{}\", ",
            json_str(&self.id(i)),
            self.kind.name()
        );
        match &self.kind {
            Kind::Min(c) | Kind::Max(c) => {
                let _ = write!(s, "\"table\": \"people\", \"column\": \"{}\", ", c.name());
            }
            Kind::Employer { person, day } => {
                let p = ctx.data.people.get(*person);
                let _ = write!(
                    s,
                    "\"table\": \"employment\", \"person_id\": \"P{:07}\", \"person_name\": {}, \"date\": \"{}\", ",
                    person + 1,
                    json_str(p.map_or("?", |p| p.name.as_str())),
                    ctx.cal.fmt(*day)?
                );
            }
            _ => {
                let _ = write!(s, "\"table\": \"people\", ");
            }
        }
        let preds = self
            .preds
            .iter()
            .map(|p| p.json(ctx.cal, ctx.orgs))
            .collect::<Res<Vec<_>>>()?;
        let _ = write!(s, "\"predicates\": [{}], ", preds.join(", "));
        let expected = match &self.expected {
            Answer::Int(v) => format!("{{\"type\": \"int\", \"value\": {v}}}"),
            Answer::Ratio(n, d) => format!(
                "{{\"type\": \"ratio\", \"num\": {n}, \"den\": {d}, \"dp\": {}}}",
                self.dp
            ),
            Answer::Date(d) => format!(
                "{{\"type\": \"date\", \"value\": \"{}\"}}",
                ctx.cal.fmt(*d)?
            ),
            Answer::Text(t) => format!("{{\"type\": \"text\", \"value\": {}}}", json_str(t)),
        };
        let _ = write!(
            s,
            "\"expected\": {expected}, \"stated\": {}, \"perturbed\": {}, \"measure\": {}}}",
            json_str(&self.stated),
            json_str(&self.perturbed),
            json_str(&self.measure(ctx, &self.stated)?)
        );
        Ok(s)
    }
}

fn write_claims(path: &Path, checks: &[Check], ctx: &Ctx<'_>, perturbed: bool) -> Res<()> {
    let mut f = create(path)?;
    let which = if perturbed {
        "every stated value perturbed (each claim must be refuted)"
    } else {
        "the exact values (each claim must be supported)"
    };
    let header = format!(
        "# Generated by bench-gen (bench/src/main.rs): {} checks, {which}.\n\
         [article]\n\
         id = {}\n\
         title = \"factcheck benchmark workload ({} people)\"\n\
         url = \"https://example.org/factcheck/bench\"\n\
         language = \"en\"\n\
         published = \"{SNAPSHOT_NEXT_DAY}\"\n\n",
        checks.len(),
        toml_str(if perturbed {
            "bench-perturbed"
        } else {
            "bench-stated"
        }),
        ctx.data.people.len()
    );
    io(f.write_all(header.as_bytes()), path)?;
    for (i, c) in checks.iter().enumerate() {
        io(
            f.write_all(c.claim_toml(i, ctx, perturbed)?.as_bytes()),
            path,
        )?;
    }
    io(f.flush(), path)
}

fn write_checks_json(path: &Path, checks: &[Check], ctx: &Ctx<'_>) -> Res<()> {
    let mut f = create(path)?;
    let n = ctx.data.people.len();
    io(
        write!(
            f,
            "{{\n  \"people\": {n},\n  \"employment\": {},\n  \"seed\": \"{SEED:#018x}\",\n  \"checks\": [\n",
            ctx.data.stints.len()
        ),
        path,
    )?;
    for (i, c) in checks.iter().enumerate() {
        let sep = if i + 1 < checks.len() { "," } else { "" };
        io(writeln!(f, "{}{sep}", c.json(i, ctx)?), path)?;
    }
    io(writeln!(f, "  ]\n}}"), path)?;
    io(f.flush(), path)
}

fn summary(data: &Data, checks: &[Check], redraws: &Redraws) -> String {
    let n = data.people.len();
    let still = data.people.iter().filter(|p| p.left.is_none()).count();
    let mut kinds: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for c in checks {
        *kinds.entry(c.kind.name()).or_insert(0) += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
    let redrawn: Vec<String> = redraws
        .0
        .iter()
        .map(|(k, v)| format!("{}: {v}", json_str(k)))
        .collect();
    format!(
        "{{\n  \"seed\": \"{SEED:#018x}\",\n  \"people\": {n},\n  \"people_still_there\": {still},\n  \"employment\": {},\n  \"checks\": {},\n  \"checks_by_kind\": {{{}}},\n  \"redrawn\": {{{}}}\n}}\n",
        data.stints.len(),
        checks.len(),
        kinds.join(", "),
        redrawn.join(", ")
    )
}

fn run(n: usize, out: &Path) -> Res<()> {
    if n < 100 {
        return Err("N must be at least 100".into());
    }
    let cal = Calendar::new();
    let span = Span {
        history_start: cal.day(1995, 1, 1)?,
        first: cal.day(2005, 1, 1)?,
        last: cal.day(2025, 12, 31)?,
    };
    let orgs = org_names();
    let mut rng = Rng::new(SEED);
    let data = generate_data(n, &span, &mut rng);
    let mut name_count = std::collections::HashMap::new();
    for p in &data.people {
        *name_count.entry(p.name.as_str()).or_insert(0) += 1;
    }
    let ctx = Ctx {
        data: &data,
        span: &span,
        cal: &cal,
        orgs: &orgs,
        name_count,
    };
    // The checks draw from their own stream, so they do not shift when the
    // data generator changes how many numbers it draws per row.
    let mut check_rng = Rng::new(SEED ^ 0x00c4_ec45_0000_0001);
    let mut redraws = Redraws::default();
    let checks = draw_checks(&ctx, &mut check_rng, &mut redraws)?;

    let ev = out.join("evidence");
    let claims = out.join("claims");
    for d in [out, &ev, &claims] {
        fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
    }
    write_data(&ev, &data, &cal, &orgs)?;
    write_evidence_tables(&ev)?;
    write_claims(&claims.join("stated.toml"), &checks, &ctx, false)?;
    write_claims(&claims.join("perturbed.toml"), &checks, &ctx, true)?;
    write_checks_json(&out.join("checks.json"), &checks, &ctx)?;
    let s = summary(&data, &checks, &redraws);
    let path = out.join("workload.json");
    fs::write(&path, &s).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let mut stdout = std::io::stdout().lock();
    let _ = write!(stdout, "{s}");
    Ok(())
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [n, out] => n
            .replace('_', "")
            .parse::<usize>()
            .map(|n| (n, PathBuf::from(out)))
            .map_err(|e| format!("N: {e}")),
        _ => Err("usage: bench-gen N OUTDIR".to_string()),
    };
    match parsed.and_then(|(n, out)| run(n, &out)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "bench-gen: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
