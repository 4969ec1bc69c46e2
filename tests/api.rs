//! The library API: a workspace from in-memory texts gives what the same
//! files give from disk; the stages compose into the commands; progress
//! is reported stage by stage; in-memory names are never read from disk;
//! library messages name no command-line option.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::path::{Path, PathBuf};

use factcheck::date::parse_date_value;
use factcheck::diag::{FileId, Files, SourceFile};
use factcheck::engine::{
    audit, check, compile, execute, explain, judge, verify, Failed, NoProgress, Options, Progress,
    Selection, Stage, Verified, Workspace,
};
use factcheck::render::{render, Format, RenderOptions};
use factcheck::verdict::Verdict;

const TOY: &str = "tests/fixtures/toy";
const TOY_FILES: [&str; 4] = [
    "claims/toy.toml",
    "evidence/sources.toml",
    "evidence/staff.toml",
    "evidence/staff.csv",
];

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(TOY).join(rel)).expect("toy file")
}

/// The toy files in memory, each named as a run from disk shows it.
fn toy_in_memory() -> Workspace {
    let mut ws = Workspace::in_memory();
    for rel in TOY_FILES {
        let name = format!("{TOY}/{rel}");
        ws = if rel.starts_with("claims/") {
            ws.with_claim_file(name, read(rel))
        } else {
            ws.with_evidence(name, read(rel))
        };
    }
    ws
}

fn toy_on_disk(article: Option<PathBuf>) -> Workspace {
    Workspace::from_dirs(Options {
        paths: vec![Path::new(TOY).join("claims/toy.toml")],
        evidence: Path::new(TOY).join("evidence"),
        article_text: article,
        ..Options::default()
    })
}

/// An article holding every quote of the toy claims.
fn toy_article() -> String {
    let loaded = toy_in_memory().load(&mut NoProgress);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let quotes: Vec<String> = loaded
        .claims()
        .filter_map(|(_, c)| c.quote.as_ref().map(|(q, _)| q.clone()))
        .collect();
    assert!(quotes.len() > 3);
    quotes.join("\n")
}

/// Every file a run registered.
fn files(files: &Files) -> impl Iterator<Item = &SourceFile> {
    (0..).map_while(|i| files.get(FileId(i)))
}

fn verified(run: Result<Verified, Failed>) -> Verified {
    run.unwrap_or_else(|f| panic!("{:?}", f.diagnostics))
}

fn all_formats(v: &Verified) -> Vec<String> {
    [
        Format::Human,
        Format::Json,
        Format::Markdown,
        Format::Junit,
        Format::Sarif,
        Format::Github,
        Format::Claimreview,
        Format::Html,
    ]
    .into_iter()
    .map(|f| render(&v.report, f, &RenderOptions::default()))
    .collect()
}

#[test]
fn in_memory_toy_article_matches_the_run_from_disk() {
    let text = toy_article();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("api-toy");
    std::fs::create_dir_all(&dir).unwrap();
    let article = dir.join("article.txt");
    std::fs::write(&article, &text).unwrap();

    let from_disk = verified(verify(
        &toy_on_disk(Some(article.clone())),
        &Selection::default(),
        &mut NoProgress,
    ));
    let in_memory = verified(verify(
        &toy_in_memory().with_article_text(article.display().to_string(), text),
        &Selection::default(),
        &mut NoProgress,
    ));
    // Every quote was anchored, so the article text was used.
    assert!(from_disk
        .report
        .claims
        .iter()
        .all(|c| c.quote_at.is_some() || c.quote.is_none()));
    assert!(from_disk.report.claims.len() > 5);
    assert_eq!(in_memory.report, from_disk.report);
    assert_eq!(all_formats(&in_memory), all_formats(&from_disk));
    assert_eq!(in_memory.diagnostics, from_disk.diagnostics);
    // Only a run from disk reads files.
    assert!(in_memory.inputs.is_empty());
    assert!(from_disk.inputs.len() >= 5, "{:?}", from_disk.inputs);
}

#[test]
fn check_explain_and_audit_run_in_memory() {
    let ws = toy_in_memory().with_article_text("article.txt", toy_article());
    let checked = check(&ws, &Selection::default(), &mut NoProgress);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);

    let explained = explain(&ws, "half-in-team-x", None, &mut NoProgress)
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    assert_eq!(explained.report.claims.len(), 1);
    assert_eq!(explained.explanation.verdict.id, "half-in-team-x");
    assert_eq!(explained.report.claims[0].verdict, Verdict::Supported);

    let unknown = explain(&ws, "half-in-team-y", None, &mut NoProgress).expect_err("unknown");
    let codes: Vec<&str> = unknown.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["cli/unknown-claim"]);
    assert_eq!(
        unknown.diagnostics[0].help.as_deref(),
        Some("did you mean `half-in-team-x`?")
    );

    let audited = audit(&ws, None, &mut NoProgress);
    assert!(audited.diagnostics.is_empty(), "{:?}", audited.diagnostics);
    assert_eq!(audited.audit.files.len(), 1);
    assert_eq!(audited.audit.drifted(), 0);
}

#[test]
fn the_as_of_date_is_a_typed_value() {
    let ws = toy_in_memory();
    let at = |as_of: Option<&str>| {
        let selection = Selection {
            claim_ids: vec!["at-least-three-on-day".into()],
            as_of: as_of.map(|d| parse_date_value(d).expect("date")),
        };
        let v = verified(verify(&ws, &selection, &mut NoProgress));
        assert_eq!(v.report.claims.len(), 1);
        v.report.claims[0].as_of.clone()
    };
    assert_eq!(at(None), "2022-01-01");
    assert_eq!(at(Some("2023-06-30")), "2023-06-30");
}

/// The commands are the stages composed: running them by hand gives the
/// same report.
#[test]
fn the_stages_compose_into_verify() {
    let ws = toy_in_memory();
    let loaded = ws.load(&mut NoProgress);
    assert!(!loaded.has_errors());
    assert_eq!(loaded.claim_files.len(), 1);
    assert_eq!(loaded.evidence.tables.len(), 1);
    let compiled = compile(&loaded, &Selection::default(), &mut NoProgress);
    assert!(!compiled.has_errors());
    assert_eq!(compiled.claims.len(), loaded.claims().count());
    let execution = execute(&compiled, &mut NoProgress);
    assert_eq!(execution.claims.len(), compiled.claims.len());
    assert_eq!(execution.diagnostics().count(), 0);
    let judged = judge(&compiled, &execution, &mut NoProgress);
    assert!(judged.diagnostics.is_empty());
    let v = verified(verify(&ws, &Selection::default(), &mut NoProgress));
    assert_eq!(judged.report, v.report);
}

/// Records what a run reports.
#[derive(Default)]
struct Recorder {
    events: Vec<String>,
    open: Option<(Stage, u64, u64)>,
}

impl Progress for Recorder {
    fn start(&mut self, stage: Stage, total: u64) {
        assert!(
            self.open.is_none(),
            "{stage:?} started inside another stage"
        );
        self.events.push(format!("start {}", stage.name()));
        self.open = Some((stage, total, 0));
    }

    fn advance(&mut self, n: u64) {
        let Some((_, _, done)) = &mut self.open else {
            panic!("advance outside a stage");
        };
        *done += n;
    }

    fn finish(&mut self) {
        let (stage, total, done) = self.open.take().expect("finish outside a stage");
        if total > 0 {
            assert_eq!(done, total, "{stage:?}: steps done");
        }
        self.events.push(format!("finish {}", stage.name()));
    }
}

fn recorded(run: impl FnOnce(&mut Recorder)) -> Vec<String> {
    let mut r = Recorder::default();
    run(&mut r);
    assert!(r.open.is_none(), "a stage was left open");
    r.events
}

#[test]
fn progress_receives_the_stages_in_order() {
    let ws = toy_in_memory();
    let all = [
        "start load",
        "finish load",
        "start compile",
        "finish compile",
        "start execute",
        "finish execute",
        "start judge",
        "finish judge",
    ];
    let events = recorded(|r| {
        verified(verify(&ws, &Selection::default(), r));
    });
    assert_eq!(events, all);
    let events = recorded(|r| {
        assert!(!check(&ws, &Selection::default(), r).has_errors());
    });
    assert_eq!(events, all[..6]);
    let events = recorded(|r| {
        explain(&ws, "founders", None, r).expect("explained");
    });
    assert_eq!(events, all);
    let events = recorded(|r| {
        audit(&ws, None, r);
    });
    assert_eq!(events, all[..2]);
    // Input with an error stops after the stage that finds it.
    let broken = ws.clone().with_evidence("evidence/extra.toml", "[table]\n");
    let events = recorded(|r| {
        verify(&broken, &Selection::default(), r).expect_err("invalid");
    });
    assert_eq!(events, all[..4]);
}

#[test]
fn in_memory_names_are_never_read_from_disk() {
    let claims = read("claims/toy.toml").replace(
        "published = \"2022-01-01\"",
        "published = \"2022-01-01\"\ntext = \"../../../../../../etc/passwd\"",
    );
    let mut ws = Workspace::in_memory()
        .with_claim_file("/etc/hostname", claims.clone())
        .with_claim_file("../../../../../../etc/passwd", "")
        .with_article_text("/etc/passwd", "");
    for rel in &TOY_FILES[1..] {
        ws = ws.with_evidence(format!("/{rel}"), read(rel));
    }
    let out = verify(&ws, &Selection::default(), &mut NoProgress).expect_err("errors");
    assert!(out.inputs.is_empty());
    // The files are the texts given, under the names given.
    let texts: Vec<(&str, &str)> = files(&out.files)
        .map(|f| (f.path.as_str(), f.text.as_str()))
        .collect();
    assert!(texts.contains(&("/etc/hostname", claims.as_str())));
    assert!(texts.contains(&("../../../../../../etc/passwd", "")));
    let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
    // The empty claim file is reported as such, and the article text the
    // claim file names is not among the inputs.
    assert!(codes.contains(&"claim/empty-file"), "{codes:?}");
    let missing = out
        .diagnostics
        .iter()
        .find(|d| d.code == "io/not-found")
        .expect("article text not found");
    assert!(missing.primary.is_some(), "located at the name");
    assert!(
        !texts.iter().any(|(_, t)| t.contains("root:")),
        "read from disk"
    );

    // Named articles are matched by name, whatever the name.
    let ws = toy_in_memory()
        .with_article("../../../../../../etc/passwd", toy_article())
        .with_claim_file(
            format!("{TOY}/claims/other.toml"),
            claims.replace("id = \"", "id = \"other-"),
        );
    let out = check(&ws, &Selection::default(), &mut NoProgress);
    let texts: Vec<&str> = files(&out.files).map(|f| f.text.as_str()).collect();
    assert!(!texts.iter().any(|t| t.contains("root:")), "read from disk");
    let errors: Vec<&str> = out
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert!(errors.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn library_messages_name_no_command_line_option() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("api-flags");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("claims")).unwrap();
    let toy = read("claims/toy.toml");
    // The same claim ids twice; an article text outside the root; a large
    // claim file.
    std::fs::write(dir.join("claims/a.toml"), &toy).unwrap();
    std::fs::write(
        dir.join("claims/b.toml"),
        toy.replace(
            "published = \"2022-01-01\"",
            "published = \"2022-01-01\"\ntext = \"../../outside.txt\"",
        ),
    )
    .unwrap();
    let runs = [
        Options {
            paths: vec![dir.join("claims")],
            evidence: Path::new(TOY).join("evidence"),
            root: Some(dir.clone()),
            ..Options::default()
        },
        Options {
            paths: vec![dir.join("claims")],
            evidence: Path::new(TOY).join("evidence"),
            max_file_size: 100,
            ..Options::default()
        },
        Options {
            root: Some(dir.join("no-such-root")),
            ..Options::default()
        },
    ];
    let mut codes = Vec::new();
    for opts in runs {
        let out = check(
            &Workspace::from_dirs(opts),
            &Selection::default(),
            &mut NoProgress,
        );
        for d in &out.diagnostics {
            codes.push(d.code);
            let texts = [Some(&d.message), d.help.as_ref()];
            for t in texts.into_iter().flatten() {
                assert!(!t.contains("--"), "[{}] names an option: {t}", d.code);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    for code in [
        "claim/duplicate-id",
        "io/outside-root",
        "io/too-large",
        "io/root",
    ] {
        assert!(codes.contains(&code), "{code} not exercised: {codes:?}");
    }
}

/// A larger toy dataset: the staff table (and a copy of it named `crew`)
/// with `n` records of every kind of cell: exact and uncertain dates,
/// unknowns, quantities, decimals, lists; `bad` puts a wrong cell in every
/// seventh record.
fn many(n: usize, bad: bool) -> Vec<(String, String)> {
    let teams = ["x", "y", "z", ""];
    let starts = [
        "2016",
        "2018-01..2019-06",
        "2020-03-04",
        "2019-05",
        "unknown",
    ];
    let ends = ["2023-06", "unknown", "2024-03-15", "2025..", "2021"];
    let tenures = ["about 7 years", "unknown", "at least 5 years", "3 years"];
    let scores = ["5", "3.5", "", "2.25", "-1.125"];
    let tags = ["lead;founder", "", "founder", "unknown"];
    let mut csv = String::from("name,team,start,end,tenure,score,tags,sources,note\n");
    for i in 0..n {
        let score = if bad && i % 7 == 3 {
            "five"
        } else {
            scores[i % 5]
        };
        csv.push_str(&format!(
            "p{i},{},{},{},{},{score},{},roster,\n",
            teams[i % 4],
            starts[(i / 3) % 5],
            ends[(i / 2) % 5],
            tenures[i % 4],
            tags[(i / 5) % 4],
        ));
    }
    let staff = read("evidence/staff.toml");
    let crew = staff
        .replace("name = \"staff\"", "name = \"crew\"")
        .replace("csv = \"staff.csv\"", "csv = \"crew.csv\"");
    vec![
        ("ev/sources.toml".into(), read("evidence/sources.toml")),
        ("ev/staff.toml".into(), staff),
        ("ev/staff.csv".into(), csv.clone()),
        ("ev/crew.toml".into(), crew),
        ("ev/crew.csv".into(), csv),
    ]
}

/// Claims of every kind over [`many`], their statements right, wrong or
/// undecidable.
fn many_claims() -> String {
    let mut out = String::from(
        "[article]\nid = \"many\"\ntitle = \"Many\"\nurl = \"https://example.org/many\"\nlanguage = \"en\"\npublished = \"2022-01-01\"\n",
    );
    let measures = [
        ("count(staff where team == \"x\")", "100"),
        (
            "count(crew where team != \"y\" and score >= 3)",
            "at least 50",
        ),
        ("count(staff at as_of)", "about 300"),
        (
            "count(crew at date(\"2021-06-01\") where team == \"z\" or score > 4)",
            "60",
        ),
        (
            "share(staff where start < date(\"2019-01-01\"), staff)",
            "40%",
        ),
        ("share(crew where end is unknown, crew)", "20%"),
        ("mean(staff where score is known, score)", "2.5"),
        ("mean(crew where team == \"y\", tenure)", "about 5 years"),
        ("min(staff where team == \"x\", start)", "2016"),
        ("max(crew, score)", "5"),
        ("sum(staff where team == \"z\", score)", "100"),
        ("count(staff where \"founder\" in tags)", "more than 100"),
        (
            "count(crew where not (team == \"x\" or team == \"y\") and start is known)",
            "120",
        ),
        ("all(staff where team == \"x\", score > 0)", "true"),
        ("any(crew where team == \"y\", score < 0)", "true"),
    ];
    for (i, (m, s)) in measures.iter().enumerate() {
        out.push_str(&format!(
            "\n[[claim]]\nid = \"c{i}\"\nclaim = \"Claim {i}.\"\nmeasure = '{m}'\nstates = \"{s}\"\n"
        ));
    }
    out
}

fn many_workspace(n: usize, bad: bool, threads: usize) -> Workspace {
    let mut ws = Workspace::in_memory().with_threads(threads);
    for (name, text) in many(n, bad) {
        ws = ws.with_evidence(name, text);
    }
    ws.with_claim_file("claims/many.toml", many_claims())
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let sel = Selection::default();
    let one = verified(verify(
        &many_workspace(700, false, 1),
        &sel,
        &mut NoProgress,
    ));
    let verdicts: std::collections::BTreeSet<String> = one
        .report
        .claims
        .iter()
        .map(|c| format!("{:?}", c.verdict))
        .collect();
    assert!(
        verdicts.len() >= 3,
        "too few kinds of verdict: {verdicts:?}"
    );
    for threads in [2, 3, 8] {
        let many = verified(verify(
            &many_workspace(700, false, threads),
            &sel,
            &mut NoProgress,
        ));
        assert_eq!(all_formats(&one), all_formats(&many), "{threads} threads");
    }
    // Errors in both tables, read on several threads: the same
    // diagnostics in the same order.
    let failed = |threads| match verify(&many_workspace(300, true, threads), &sel, &mut NoProgress)
    {
        Ok(_) => panic!("bad cells were accepted"),
        Err(f) => factcheck::diag::render_human(&f.files, &f.diagnostics, false),
    };
    let first = failed(1);
    assert!(
        first.contains("crew.csv") && first.contains("staff.csv"),
        "{first}"
    );
    for threads in [2, 4] {
        assert_eq!(first, failed(threads), "{threads} threads");
    }
}

/// The three dates: relative words count from the article's date (or a
/// claim's `said_on`), never from the as-of date; the as-of date is the
/// override, else the claim's own, else the publication date.
#[test]
fn relative_words_count_from_the_article_not_the_as_of_date() {
    let claims = r#"[article]
id = "dates"
title = "Dates"
url = "https://example.org/dates"
language = "en"
published = "2022-01-01"

[[claim]]
id = "said-earlier"
claim = "Dee started the month before she said so."
measure = 'staff["Dee"].start'
states = "last month"
said_on = "2019-06-10"

[[claim]]
id = "said-in-the-article"
claim = "Dee started last month."
measure = 'staff["Dee"].start'
states = "last month"

[[claim]]
id = "season"
claim = "Dee started last spring."
measure = 'staff["Dee"].start'
states = "last spring"
said_on = "2019-07-01"

[[claim]]
id = "pinned"
claim = "Four were there."
measure = "count(staff at as_of)"
states = "4"
as_of = "2020-01-01"
as_of_reason = "the article quotes a 2020 roster"
"#;
    let ws = || toy_in_memory().with_claim_file("claims/dates.toml", claims);
    let run = |as_of: Option<&str>| {
        let sel = Selection {
            claim_ids: vec![
                "said-earlier".into(),
                "said-in-the-article".into(),
                "season".into(),
                "pinned".into(),
            ],
            as_of: as_of.map(|d| parse_date_value(d).expect("date")),
        };
        verified(verify(&ws(), &sel, &mut NoProgress)).report.claims
    };
    for as_of in [None, Some("2030-06-15")] {
        let claims = run(as_of);
        let get = |id: &str| claims.iter().find(|c| c.id == id).expect("claim");
        let earlier = get("said-earlier");
        assert_eq!(earlier.allowed.as_deref(), Some("2019-05"), "{as_of:?}");
        assert_eq!(earlier.verdict, Verdict::Supported, "{as_of:?}");
        assert_eq!(earlier.said_on.as_deref(), Some("2019-06-10"));
        let article = get("said-in-the-article");
        assert_eq!(article.allowed.as_deref(), Some("2021-12"), "{as_of:?}");
        assert_eq!(article.verdict, Verdict::Refuted, "{as_of:?}");
        let season = get("season");
        assert_eq!(season.allowed.as_deref(), Some("2019-03..2019-05"));
        assert_eq!(season.verdict, Verdict::Supported, "{as_of:?}");
        let pinned = get("pinned");
        assert_eq!(pinned.as_of, as_of.unwrap_or("2020-01-01"));
    }
    // Without an override the article's words and the as-of date agree:
    // no second date is shown.
    assert_eq!(run(None)[1].said_on, None);
    assert_eq!(
        run(Some("2030-06-15"))[1].said_on.as_deref(),
        Some("2022-01-01")
    );
}

/// `hemisphere = "south"`: an article's summer is December–February.
#[test]
fn a_southern_article_has_southern_seasons() {
    let claims = |hemisphere: &str| {
        format!(
            r#"[article]
id = "south"
title = "South"
url = "https://example.org/south"
language = "en"
published = "2022-01-01"
{hemisphere}

[[claim]]
id = "summer-start"
claim = "Cai started in the summer of 2020."
measure = 'staff["Cai"].start'
states = "in summer 2020"
"#
        )
    };
    let verdict = |hemisphere: &str| {
        let ws = toy_in_memory().with_claim_file("claims/south.toml", claims(hemisphere));
        let sel = Selection {
            claim_ids: vec!["summer-start".into()],
            as_of: None,
        };
        let c = verified(verify(&ws, &sel, &mut NoProgress)).report.claims;
        let c = c.first().expect("claim").clone();
        (c.allowed, c.verdict)
    };
    // Cai started in 2020 (known to the year): a northern summer is only
    // a part of it, a southern one (December 2020 – February 2021) too.
    let north = verdict("");
    let south = verdict("hemisphere = \"south\"");
    assert_eq!(north.0.as_deref(), Some("2020-06..2020-08"));
    assert_eq!(south.0.as_deref(), Some("2020-12..2021-02"));
    assert_eq!(north.1, Verdict::Undetermined);
    assert_eq!(south.1, Verdict::Undetermined);
    // Anything else is a located error.
    let ws = toy_in_memory().with_claim_file("claims/south.toml", claims("hemisphere = \"east\""));
    let failed = verify(&ws, &Selection::default(), &mut NoProgress).expect_err("error");
    assert!(failed
        .diagnostics
        .iter()
        .any(|d| d.code == "claim/bad-hemisphere" && d.primary.is_some()));
}

/// Dates that relate to each other: `abs` of a difference, `same_year`.
#[test]
fn relations_between_dates() {
    let claims = r#"[article]
id = "relations"
title = "Relations"
url = "https://example.org/relations"
language = "en"
published = "2022-01-01"

[[claim]]
id = "within-a-month"
claim = "Dee started within a month of April 2019."
measure = 'abs(days_between(staff["Dee"].start, date("2019-04-01"))) <= 31 days'

[[claim]]
id = "gap"
claim = "Dee started 30 days away from April Fools' Day 2019."
measure = 'abs(days_between(staff["Dee"].start, date("2019-04-01")))'
states = "30 days"

[[claim]]
id = "same-year"
claim = "Ana started in the year of June 2016."
measure = 'same_year(staff["Ana"].start, date("2016-06"))'

[[claim]]
id = "not-same-year"
claim = "Cai and Ana started in the same year."
measure = 'same_year(staff["Cai"].start, staff["Ana"].start)'
states = "false"
"#;
    let ws = toy_in_memory().with_claim_file("claims/rel.toml", claims);
    let sel = Selection {
        claim_ids: vec![
            "within-a-month".into(),
            "gap".into(),
            "same-year".into(),
            "not-same-year".into(),
        ],
        as_of: None,
    };
    let claims = verified(verify(&ws, &sel, &mut NoProgress)).report.claims;
    for c in &claims {
        assert_eq!(c.verdict, Verdict::Supported, "{}: {}", c.id, c.explanation);
    }
    assert_eq!(claims.len(), 4);
}

/// `timeline` is exact: on every day, the verdict it gives is the one
/// `verify --as-of` that day gives.
#[test]
fn timeline_agrees_with_verify_on_every_day() {
    use factcheck::engine::timeline;
    // `at` changes on the first and last days of dates, `start < as_of`
    // on the day after the last.
    let extra = r#"[article]
id = "started"
title = "Started"
url = "https://example.org/started"
language = "en"
published = "2022-01-01"

[[claim]]
id = "two-had-started"
claim = "Two had started."
measure = "count(staff where start < as_of)"
states = "2"
"#;
    let ws = toy_in_memory().with_claim_file("claims/started.toml", extra);
    let ids = vec![
        "at-least-three-on-day".to_string(),
        "two-had-started".to_string(),
    ];
    let sel = Selection {
        claim_ids: ids.clone(),
        as_of: None,
    };
    let t = timeline(&ws, &sel, &mut NoProgress).unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    assert_eq!(t.claims.len(), 2);
    for claim in &t.claims {
        assert!(claim.periods.len() >= 3, "{:?}", claim.periods);
    }
    let day0 = parse_date_value("2014-06-01")
        .expect("date")
        .lo
        .expect("day");
    let mut day = day0;
    // Every day from mid-2014 to mid-2026: the toy's dates and the days
    // after them all fall inside.
    for _ in 0..(12 * 365) {
        let d = day.to_string();
        let at = Selection {
            claim_ids: ids.clone(),
            as_of: Some(parse_date_value(&d).expect("date")),
        };
        let v = verified(verify(&ws, &at, &mut NoProgress));
        for claim in &t.claims {
            let period = claim
                .periods
                .iter()
                .find(|p| {
                    p.from.as_deref().is_none_or(|f| f <= d.as_str())
                        && p.to.as_deref().is_none_or(|t| d.as_str() <= t)
                })
                .expect("every day is covered");
            let judged = v
                .report
                .claims
                .iter()
                .find(|c| c.id == claim.id)
                .expect("judged");
            assert_eq!(judged.verdict, period.verdict, "{} on {d}", claim.id);
        }
        day = day.tomorrow().expect("day");
    }
}

/// A timeline evaluates a claim once per day its value may change: a
/// measure over too many distinct dates is refused, located, at once; the
/// refusal is that claim's, and the other claims get their timelines.
#[test]
fn timeline_refuses_too_many_days() {
    let mut csv = String::from("name,team,start,end,tenure,score,tags,sources,note\n");
    let first = parse_date_value("1990-01-01")
        .expect("date")
        .lo
        .expect("day");
    let mut day = first;
    for i in 0..10_001 {
        csv.push_str(&format!("p{i},x,{day},,,,,roster,\n"));
        // Every third day: each start and the day after are change points.
        for _ in 0..3 {
            day = day.tomorrow().expect("day");
        }
    }
    let ws = Workspace::in_memory()
        .with_evidence("ev/sources.toml", read("evidence/sources.toml"))
        .with_evidence("ev/staff.toml", read("evidence/staff.toml"))
        .with_evidence("ev/staff.csv", csv)
        .with_claim_file(
            "claims/many.toml",
            "[article]\nid = \"m\"\ntitle = \"m\"\nurl = \"https://example.org/m\"\nlanguage = \"en\"\npublished = \"2022-01-01\"\n\n[[claim]]\nid = \"c\"\nclaim = \"c\"\nmeasure = \"count(staff at as_of)\"\nstates = \"1\"\n\n[[claim]]\nid = \"fixed\"\nclaim = \"f\"\nmeasure = \"1 + 1\"\nstates = \"2\"\n",
        );
    let t = factcheck::engine::timeline(&ws, &Selection::default(), &mut NoProgress)
        .map_err(|f| f.diagnostics)
        .expect("a timeline for the other claim");
    let costly = t.claims.iter().find(|c| c.id == "c").expect("claim c");
    let problem = costly.problem.as_ref().expect("its problem");
    assert_eq!(problem.code, "eval/too-costly");
    assert_eq!(problem.file.as_deref(), Some("claims/many.toml"));
    assert!(problem.line.is_some() && problem.column.is_some());
    assert!(costly.periods.is_empty());
    let fixed = t
        .claims
        .iter()
        .find(|c| c.id == "fixed")
        .expect("claim fixed");
    assert!(fixed.problem.is_none());
    assert_eq!(fixed.periods.len(), 1);
    assert_eq!(fixed.periods[0].verdict, Verdict::Supported);
    let d = t
        .diagnostics
        .iter()
        .find(|d| d.code == "eval/too-costly")
        .expect("eval/too-costly");
    assert!(d.primary.is_some());
    assert!(d.message.contains("20000"), "{}", d.message);
}
