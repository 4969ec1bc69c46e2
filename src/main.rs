//! The `factcheck` command line: a thin shell over the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use factcheck::date::{parse_date_value, DateRange};
use factcheck::diag::{render_human, to_json, Diagnostic, Files};
use factcheck::engine::{
    audit, check, explain, verify, Failed, Options, Progress, Selection, Stage, Workspace,
};
use factcheck::extract::Lang;
use factcheck::fsread::{parse_size, Fs, Origin, DEFAULT_MAX_FILE_SIZE};
use factcheck::render::audit::{audit_human, audit_json};
use factcheck::render::explain::{explain_human, explain_json};
use factcheck::render::{json::schema, render_invalid, render_to, Format, RenderOptions};
use factcheck::verdict::Verdict;

#[derive(Parser)]
#[command(
    name = "factcheck",
    version,
    about = "Verify an article's factual claims against a sourced evidence dataset"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// The subcommands, each one's arguments built only when it is the one
// run (`defer`): starting `factcheck verify` builds `verify`'s arguments,
// not those of a dozen commands. Help, completions and manual pages build
// them all.
#[derive(Subcommand)]
#[command(defer = true)]
enum Command {
    /// Evaluate every claim against the evidence and report a verdict per claim.
    Verify(VerifyArgs),
    /// Validate claim files and evidence without computing verdicts.
    Check(CheckArgs),
    /// Show a claim's plan (the tree its measure compiles to) and the Spark
    /// SQL `verify --engine spark` sends for it, to review or run yourself.
    Plan(PlanArgs),
    /// Show the whole evaluation of one claim: every part of its measure
    /// with its value, what each filter kept and dropped, the rule applied,
    /// the verdict and its sources.
    Explain(ExplainArgs),
    /// Show on which days each claim's verdict is supported, imprecise,
    /// refuted or undetermined, from the dates its evidence depends on
    /// (exact, not sampled); the article's relative words stay fixed to its
    /// own date.
    Timeline(TimelineArgs),
    /// List the quantities of each article that no claim covers, and the
    /// quotes that no longer match the article (drift).
    Audit(AuditArgs),
    /// Write a claim-file skeleton for an article: one commented-out claim
    /// per quantity found in its text.
    New(NewArgs),
    /// Print a JSON Schema: of the JSON report (`verify --format json`, the
    /// default), or of claim files, table files or sources.toml for TOML
    /// editors.
    Schema(SchemaArgs),
    /// Print a shell completion script (e.g. `factcheck completions bash >
    /// ~/.local/share/bash-completion/completions/factcheck`).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `factcheck man > factcheck.1`, or
    /// a command's (`factcheck man verify > factcheck-verify.1`).
    Man(ManArgs),
    /// Write a table description of a data file (CSV or JSON Lines,
    /// optionally gzip or zstd; Parquet with the `parquet` feature):
    /// delimiter, encoding and header detected, each column's inferred
    /// type, empty and missing cells, distinct values, least and greatest
    /// value, and the file's SHA-256. Its sources are left to you.
    Describe(DescribeArgs),
}

#[derive(clap::Args)]
struct DescribeArgs {
    /// The data file.
    #[arg(value_name = "FILE.csv")]
    file: PathBuf,
}

#[derive(clap::Args)]
struct AuditArgs {
    /// Claim files or directories of claim files.
    #[arg(default_value = "claims")]
    paths: Vec<PathBuf>,
    /// Article text for claim files that do not name one in `[article] text`.
    #[arg(long, value_name = "FILE")]
    article: Option<PathBuf>,
    /// Read the article as this language (default: the claim file's).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    #[command(flatten)]
    confine: Confine,
    /// Exit 1 when any quantity is uncovered or an article text is missing.
    #[arg(long)]
    strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    format: ExplainFormat,
}

#[derive(clap::Args)]
struct NewArgs {
    /// The article's text (plain UTF-8).
    #[arg(value_name = "ARTICLE.txt")]
    article: PathBuf,
    /// The article's language (default: guessed from the text).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Publication date (YYYY-MM-DD, or a range when unsure).
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// The article's address.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Claim file to write (default: claims/<article name>.toml). Never overwritten.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Es,
}

impl LangArg {
    fn lang(self) -> Lang {
        match self {
            LangArg::En => Lang::En,
            LangArg::Es => Lang::Es,
        }
    }
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// The claim's id.
    #[arg(value_name = "CLAIM-ID")]
    claim: String,
    #[command(flatten)]
    input: Input,
    /// Judge the claim as of this date (see `verify --as-of`).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    format: ExplainFormat,
}

#[derive(clap::Args)]
struct PlanArgs {
    /// The claim's id.
    #[arg(value_name = "CLAIM-ID")]
    claim: String,
    #[command(flatten)]
    input: Input,
    /// Plan the claim as of this date (see `verify --as-of`).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

/// Where claims are evaluated.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EngineArg {
    /// In this process (the default).
    Local,
    /// On Apache Spark, through Spark Connect (`--spark-remote`): the
    /// aggregates run where the data is (build with `--features spark`).
    Spark,
}

#[derive(clap::Args)]
struct TimelineArgs {
    #[command(flatten)]
    input: Input,
    /// Only this claim (repeatable).
    #[arg(long = "claim", value_name = "ID")]
    claims: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    format: ExplainFormat,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainFormat {
    Human,
    Json,
}

#[derive(clap::Args)]
struct Input {
    /// Claim files or directories of claim files.
    #[arg(default_value = "claims")]
    paths: Vec<PathBuf>,
    /// Evidence directory.
    #[arg(long, default_value = "evidence")]
    evidence: PathBuf,
    /// Article text for the claim files that do not name one in `[article] text`.
    #[arg(long, value_name = "FILE")]
    article: Option<PathBuf>,
    #[command(flatten)]
    confine: Confine,
    /// Threads to load tables and evaluate claims on [default: one per core].
    /// The results are the same whatever the number.
    #[arg(
        short = 'j',
        long,
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true
    )]
    threads: usize,
    /// Judge with the values the sources state only: values the evidence
    /// infers (`[[inference]]`) are not used.
    #[arg(long)]
    no_inferences: bool,
}

// Where files named inside claim and table files may be, and how large a
// file may be (a plain comment: an `Args` doc comment would become the
// `about` of every command that flattens it, over the command's own).
#[derive(clap::Args)]
struct Confine {
    /// Root of the tree being checked: paths named inside claim and table
    /// files, and files found in the directories given, must resolve
    /// (symbolic links followed) inside it [default: the current directory].
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Largest file read, in bytes or with a K, M or G suffix.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "512M")]
    max_file_size: u64,
}

#[derive(clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    input: Input,
    /// Only this claim (repeatable).
    #[arg(long = "claim", value_name = "ID")]
    claims: Vec<String>,
    /// Judge every claim as of this date instead of its own `as_of` or the
    /// article's publication date (the article's relative words keep
    /// counting from the article's date).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Also say, for each claim, from which later day the evidence gives
    /// another verdict (found as `timeline` finds its runs).
    #[arg(long)]
    changes: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Verdicts that make the exit code 1 (comma-separated, or `none`).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "refuted",
        value_name = "VERDICTS"
    )]
    fail_on: Vec<FailOn>,
    /// Also compute each claim's verdict over time (as `factcheck timeline`
    /// does: one evaluation per day on which the evidence changes) and draw
    /// it in the HTML report. Other formats ignore it.
    #[arg(long)]
    timelines: bool,
    #[command(flatten)]
    engine: EngineArgs,
}

// The engine that evaluates the claims, for `verify` and `timeline` (a
// plain comment: an `Args` doc comment would become the `about` of the
// commands that flatten it).
#[derive(clap::Args)]
struct EngineArgs {
    /// Where to evaluate the claims.
    #[arg(long, value_enum, default_value_t = EngineArg::Local)]
    engine: EngineArg,
    /// The Spark Connect server of `--engine spark`.
    #[arg(
        long,
        value_name = "sc://HOST:PORT",
        default_value = "sc://127.0.0.1:15002"
    )]
    spark_remote: String,
    /// Longest wait for the Spark server, per query, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    spark_timeout: u64,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    input: Input,
    /// Exit 2 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Rewrite every `sha256` pin that is not the hash of its CSV file as
    /// read, then check: the claims are to be checked against this version.
    #[arg(long)]
    update_hashes: bool,
    /// Format of the diagnostics (human goes to stderr, the others to stdout).
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Write the diagnostics to FILE (atomically) instead of standard output
    /// (machine formats only).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct SchemaArgs {
    /// Which schema.
    #[arg(value_enum, default_value_t = SchemaKind::Report)]
    kind: SchemaKind,
    /// Write the schema to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// The JSON report (`verify --format json`).
    Report,
    /// Claim files (`claims/*.toml`).
    Claims,
    /// Table files (`evidence/*.toml` other than sources.toml).
    Table,
    /// The source registry (`evidence/sources.toml`).
    Sources,
}

#[derive(clap::Args)]
struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(clap::Args)]
struct ManArgs {
    /// The command whose page to print [default: the main page].
    #[arg(value_name = "COMMAND")]
    command: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Markdown,
    Junit,
    Sarif,
    Github,
    Claimreview,
    Html,
}

impl FormatArg {
    fn format(self) -> Format {
        match self {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Junit => Format::Junit,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
            FormatArg::Claimreview => Format::Claimreview,
            FormatArg::Html => Format::Html,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Junit,
    Sarif,
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Supported,
    Imprecise,
    Refuted,
    Undetermined,
    NotCheckable,
    /// Never fail on a verdict.
    None,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify(args) => run_verify(args),
        Command::Check(args) => run_check(args),
        Command::Plan(args) => run_plan(args),
        Command::Explain(args) => run_explain(args),
        Command::Timeline(args) => run_timeline(args),
        Command::Audit(args) => run_audit(args),
        Command::New(args) => run_new(args),
        Command::Completions(args) => {
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "factcheck", &mut script);
            done(to_stdout(&String::from_utf8_lossy(&script), false))
        }
        Command::Man(args) => run_man(args),
        Command::Describe(args) => match factcheck::input::describe::describe_file(&args.file) {
            Ok(text) => {
                let mut stdout = std::io::stdout().lock();
                match stdout.write_all(text.as_bytes()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(_) => ExitCode::from(2),
                }
            }
            Err(d) => {
                report_diagnostics(&Files::default(), &[*d]);
                ExitCode::from(2)
            }
        },
        Command::Schema(args) => match emit(
            &match args.kind {
                SchemaKind::Report => schema(),
                SchemaKind::Claims => factcheck::input::schema::claims(),
                SchemaKind::Table => factcheck::input::schema::table(),
                SchemaKind::Sources => factcheck::input::schema::sources(),
            },
            Sink {
                output: args.output.as_deref(),
                styled: false,
                inputs: &[],
                root: None,
            },
        ) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        },
    }
}

/// Print the manual page of factcheck, or of one of its commands.
fn run_man(args: ManArgs) -> ExitCode {
    let mut cli = Cli::command();
    cli.build();
    let command = match &args.command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(c) => c.clone().version(env!("CARGO_PKG_VERSION")),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                let d = Diagnostic::error("cli/unknown-command", format!("no command `{name}`"))
                    .help(format!("commands: {}", names.join(", ")));
                report_diagnostics(&Files::default(), &[d]);
                return ExitCode::from(2);
            }
        },
    };
    let mut page = Vec::new();
    match clap_mangen::Man::new(command).render(&mut page) {
        Ok(()) => done(to_stdout(&String::from_utf8_lossy(&page), false)),
        Err(e) => {
            let d = Diagnostic::error("io/write", format!("cannot render the manual page: {e}"));
            report_diagnostics(&Files::default(), &[d]);
            ExitCode::from(2)
        }
    }
}

/// The exit code of a command whose only output is a text.
fn done(written: Result<(), ExitCode>) -> ExitCode {
    written.err().unwrap_or(ExitCode::SUCCESS)
}

fn stderr_color() -> bool {
    !matches!(
        anstream::AutoStream::choice(&std::io::stderr()),
        anstream::ColorChoice::Never
    )
}

fn workspace(input: Input) -> Workspace {
    Workspace::from_dirs(Options {
        paths: input.paths,
        evidence: input.evidence,
        article_text: input.article,
        root: input.confine.root,
        max_file_size: input.confine.max_file_size,
    })
    .with_threads(input.threads)
    .with_sourced_only(input.no_inferences)
}

/// The `--as-of` date, parsed; a `cli/bad-date` error when it does not
/// parse (the run goes on, to report every other problem too, but judges
/// nothing).
fn as_of(arg: Option<&str>) -> (Option<DateRange>, Option<Diagnostic>) {
    match arg.map(parse_date_value) {
        None => (None, None),
        Some(Ok(d)) => (Some(d), None),
        Some(Err(e)) => (
            None,
            Some(
                Diagnostic::error("cli/bad-date", format!("--as-of: {}", e.message))
                    .help("e.g. --as-of 2025-05-26"),
            ),
        ),
    }
}

/// A run's outcome with a command-line error added: it fails whatever the
/// library found. The error goes first (it is about the command line, and
/// has no place in a file).
fn with_cli_error<T>(
    run: Result<T, Failed>,
    error: Option<Diagnostic>,
    split: impl FnOnce(T) -> Failed,
) -> Result<T, Failed> {
    let Some(error) = error else {
        return run;
    };
    let mut failed = match run {
        Ok(t) => split(t),
        Err(f) => f,
    };
    failed.diagnostics.insert(0, error);
    Err(failed)
}

/// Progress bars on standard error, drawn only when it is a terminal
/// outside CI, and only for a stage that lasts more than [`PROGRESS_DELAY`].
struct Bars {
    enabled: bool,
    current: Option<Bar>,
}

/// How long a stage runs before its progress is drawn.
const PROGRESS_DELAY: std::time::Duration = std::time::Duration::from_millis(300);

struct Bar {
    bar: indicatif::ProgressBar,
    /// Set when the stage is over; the drawing thread checks it under the
    /// lock, so a finished bar is never drawn.
    done: std::sync::Arc<std::sync::Mutex<bool>>,
}

impl Bars {
    fn new() -> Self {
        use std::io::IsTerminal;
        Bars {
            enabled: std::io::stderr().is_terminal() && std::env::var_os("CI").is_none(),
            current: None,
        }
    }
}

impl Progress for Bars {
    fn start(&mut self, stage: Stage, total: u64) {
        self.finish();
        if !self.enabled {
            return;
        }
        use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
        let bar = if total > 0 {
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
        } else {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
        };
        let template = if total > 0 {
            "{msg:>8} [{bar:30}] {pos}/{len} {elapsed}"
        } else {
            "{msg:>8} {spinner} {elapsed}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(stage.name());
        let done = std::sync::Arc::new(std::sync::Mutex::new(false));
        let (b, d) = (bar.clone(), std::sync::Arc::clone(&done));
        std::thread::spawn(move || {
            std::thread::sleep(PROGRESS_DELAY);
            if let Ok(done) = d.lock() {
                if !*done {
                    b.set_draw_target(ProgressDrawTarget::stderr());
                    b.enable_steady_tick(std::time::Duration::from_millis(100));
                }
            }
        });
        self.current = Some(Bar { bar, done });
    }

    fn advance(&mut self, n: u64) {
        if let Some(b) = &self.current {
            b.bar.inc(n);
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.current.take() {
            if let Ok(mut done) = b.done.lock() {
                *done = true;
            }
            b.bar.finish_and_clear();
        }
    }
}

/// Print diagnostics on stderr the way cargo does.
fn report_diagnostics(files: &Files, diags: &[Diagnostic]) {
    let diags = &cli_wording(diags);
    if !diags.is_empty() {
        let mut stderr = anstream::stderr();
        let _ = write!(stderr, "{}", render_human(files, diags, stderr_color()));
    }
}

/// The diagnostics as the command line words them: the library's help
/// names no command-line option, the command line names the one that does
/// what the help says.
fn cli_wording(diags: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut out = diags.to_vec();
    for d in &mut out {
        let Some(help) = d.help.as_mut() else {
            continue;
        };
        let worded = match (d.code, help.as_str()) {
            ("io/root", "give the top directory of the claims and evidence as the root") => {
                "pass the top directory of the claims and evidence with --root DIR".to_string()
            }
            // For when `evidence` words its help this way (its text names
            // `--evidence` today).
            ("io/evidence-dir", "give the evidence directory") => {
                "pass the evidence directory with --evidence DIR".to_string()
            }
            ("io/too-large", "raise the size limit if the file is genuine") => {
                "raise the limit with --max-file-size SIZE (e.g. 2G) if the file is genuine"
                    .to_string()
            }
            (
                "claim/duplicate-id",
                "claim ids must be unique: they name the claim in reports and when claims are selected",
            ) => "claim ids must be unique: they name the claim in reports and in --claim".to_string(),
            ("io/outside-root", h) => h.replacen(
                "inside the root (default the current directory)",
                "inside the root (--root DIR, default the current directory)",
                1,
            ),
            _ => continue,
        };
        *help = worded;
    }
    out
}

/// Where a text goes: standard output (through anstream, which strips
/// styling off a terminal or under NO_COLOR, only when `styled`), or a file.
#[derive(Clone, Copy)]
struct Sink<'a> {
    output: Option<&'a Path>,
    styled: bool,
    /// Real paths of the files the run read: never overwritten.
    inputs: &'a [PathBuf],
    /// The root of the tree being checked (`--root`).
    root: Option<&'a Path>,
}

/// Write `text` to the sink; on failure report an `io/write` error and
/// give exit code 2. A closed pipe on standard output is not an error.
fn emit(text: &str, sink: Sink<'_>) -> Result<(), ExitCode> {
    emit_with(sink, &mut |out| out.write_all(text.as_bytes()))
}

/// [`emit`] to standard output (the commands with no `--output`).
fn to_stdout(text: &str, styled: bool) -> Result<(), ExitCode> {
    let sink = Sink {
        output: None,
        styled,
        inputs: &[],
        root: None,
    };
    emit(text, sink)
}

/// Let `write` write the output into the sink (buffered), with the errors
/// of [`emit`]: the output is streamed, never held whole in memory.
fn emit_with(
    sink: Sink<'_>,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExitCode> {
    let fail = |d: Diagnostic| {
        report_diagnostics(&Files::default(), &[d]);
        ExitCode::from(2)
    };
    let Some(path) = sink.output else {
        let written = if sink.styled {
            // Colours as a terminal (or NO_COLOR, CLICOLOR…) allows, decided
            // on standard output itself; the lines are buffered, not
            // written one at a time.
            let lock = std::io::stdout().lock();
            let choice = anstream::AutoStream::choice(&lock);
            let buffered: Box<dyn Write> =
                Box::new(std::io::BufWriter::with_capacity(1 << 16, lock));
            let mut stdout = anstream::AutoStream::new(buffered, choice);
            write(&mut stdout).and_then(|()| stdout.flush())
        } else {
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut stdout).and_then(|()| stdout.flush())
        };
        return match written {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(fail(
                Diagnostic::error("io/write", format!("cannot write to standard output: {e}"))
                    .help("check where standard output goes (a full disk, a closed file)"),
            )),
        };
    };
    if let Err(d) = check_output(path, sink.inputs) {
        return Err(fail(*d));
    }
    match Fs::new(sink.root, DEFAULT_MAX_FILE_SIZE) {
        Ok(fs) => {
            if let Some(d) = fs.check_output_dir(path) {
                return Err(fail(d));
            }
        }
        Err(d) => return Err(fail(*d)),
    }
    write_atomically(path, write).map_err(|e| {
        fail(
            Diagnostic::error("io/write", format!("cannot write the report: {e}"))
                .in_path(path.display().to_string())
                .help("check that the directory exists and is writable"),
        )
    })
}

/// A report may replace a regular file, never a symbolic link, a device,
/// a directory or a file the run read.
fn check_output(path: &Path, inputs: &[PathBuf]) -> Result<(), Box<Diagnostic>> {
    let refuse = |code: &'static str, msg: &str, help: &str| {
        Box::new(
            Diagnostic::error(code, msg.to_string())
                .in_path(path.display().to_string())
                .help(help.to_string()),
        )
    };
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.is_file() => {
            return Err(refuse(
                "io/output-not-regular",
                if m.file_type().is_symlink() {
                    "the output is a symbolic link; it is not written through"
                } else {
                    "the output exists and is not a regular file; it is not replaced"
                },
                "write the report to a new file or over a regular file",
            ))
        }
        Ok(_) => {}
        Err(_) => return Ok(()),
    }
    let real = path.canonicalize().ok();
    if real.is_some_and(|r| inputs.contains(&r)) {
        return Err(refuse(
            "io/output-is-input",
            "the output is a file this run read; it is not overwritten",
            "write the report to another file",
        ));
    }
    Ok(())
}

/// `check --update-hashes`: rewrite the pins that are not the hash of the
/// file read (each table file written atomically, as a report is).
fn update_hashes(ws: &Workspace) -> Result<(), ExitCode> {
    let loaded = ws.load(&mut factcheck::engine::NoProgress);
    for u in factcheck::evidence::pin_updates(&loaded.evidence, &loaded.files) {
        let path = Path::new(loaded.files.path(u.file));
        let written = write_atomically(path, &mut |w| w.write_all(u.text.as_bytes()));
        let shown = factcheck::escape::term(&path.display().to_string());
        let mut stderr = anstream::stderr();
        match written {
            Ok(()) => {
                let _ = writeln!(
                    stderr,
                    "updated the pin of table `{}` in {shown}: {} → {}",
                    factcheck::escape::term(&u.table),
                    u.old,
                    u.new
                );
            }
            Err(e) => {
                let _ = writeln!(stderr, "error: cannot rewrite {shown}: {e}");
                return Err(ExitCode::from(2));
            }
        }
    }
    Ok(())
}

/// Let `write` write `path` atomically: a new temporary file with a random
/// name in the same directory (created exclusively, so never through a
/// planted link), synced, then renamed over `path`.
fn write_atomically(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".factcheck-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As a file created normally: 0666 less the umask.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn run_check(args: CheckArgs) -> ExitCode {
    let root = args.input.confine.root.clone();
    let ws = workspace(args.input);
    if args.update_hashes {
        if let Err(code) = update_hashes(&ws) {
            return code;
        }
    }
    let outcome = check(&ws, &Selection::default(), &mut Bars::new());
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = outcome.diagnostics.len() - errors;
    let format = match args.format {
        CheckFormat::Human => None,
        CheckFormat::Json => Some(Format::Json),
        CheckFormat::Junit => Some(Format::Junit),
        CheckFormat::Sarif => Some(Format::Sarif),
        CheckFormat::Github => Some(Format::Github),
    };
    match format {
        Some(f) => {
            let diags = to_json(&outcome.files, &cli_wording(&outcome.diagnostics));
            let text = render_invalid(&diags, f).unwrap_or_default();
            let sink = Sink {
                output: args.output.as_deref(),
                styled: false,
                inputs: &outcome.inputs,
                root: root.as_deref(),
            };
            if let Err(code) = emit(&text, sink) {
                return code;
            }
        }
        None => report_diagnostics(&outcome.files, &outcome.diagnostics),
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut stderr = anstream::stderr();
    let _ = writeln!(
        stderr,
        "check: {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_verify(args: VerifyArgs) -> ExitCode {
    let root = args.input.confine.root.clone();
    let (as_of, bad_date) = as_of(args.as_of.as_deref());
    let selection = Selection {
        claim_ids: args.claims,
        as_of,
    };
    let format = args.format.format();
    let engine = EngineOpts {
        engine: args.engine.engine,
        changes: args.changes,
        // Only the HTML report draws timelines.
        timelines: args.timelines && format == Format::Html,
        remote: args.engine.spark_remote.clone(),
        timeout: args.engine.spark_timeout,
    };
    let ws = workspace(args.input);
    let run = match verify_on(&ws, &selection, &engine) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let run = with_cli_error(run, bad_date, |v| Failed {
        files: v.files,
        diagnostics: v.diagnostics,
        inputs: v.inputs,
    });
    let fail_on: Vec<Verdict> = args
        .fail_on
        .iter()
        .filter_map(|f| match f {
            FailOn::Supported => Some(Verdict::Supported),
            FailOn::Imprecise => Some(Verdict::Imprecise),
            FailOn::Refuted => Some(Verdict::Refuted),
            FailOn::Undetermined => Some(Verdict::Undetermined),
            FailOn::NotCheckable => Some(Verdict::NotCheckable),
            FailOn::None => None,
        })
        .collect();
    let mut verified = match run {
        Ok(v) => v,
        Err(failed) => {
            report_diagnostics(&failed.files, &failed.diagnostics);
            let diags = to_json(&failed.files, &cli_wording(&failed.diagnostics));
            if let Some(text) = render_invalid(&diags, format) {
                let sink = Sink {
                    output: args.output.as_deref(),
                    styled: false,
                    inputs: &failed.inputs,
                    root: root.as_deref(),
                };
                if let Err(code) = emit(&text, sink) {
                    return code;
                }
            }
            let n = failed.diagnostics.iter().filter(|d| d.is_error()).count();
            let mut stderr = anstream::stderr();
            let _ = writeln!(
                stderr,
                "error: {n} problem{} in the input; no verdicts were computed",
                if n == 1 { "" } else { "s" }
            );
            return ExitCode::from(2);
        }
    };
    report_diagnostics(&verified.files, &verified.diagnostics);
    if engine.timelines && engine.engine == EngineArg::Local {
        // The timelines' own problems are the verdicts' (already reported);
        // the Spark engine attached them already.
        if let Ok(t) = factcheck::engine::timeline(&ws, &selection, &mut Bars::new()) {
            factcheck::engine::attach_timelines(&mut verified.report, &t);
        }
    }
    let report = &verified.report;
    // Only the human format is styled, and only where standard output
    // takes colours (a terminal, unless NO_COLOR…: anstream decides); a
    // file gets none, and every other format is written byte for byte.
    let styled = args.output.is_none()
        && format == Format::Human
        && anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    let opts = RenderOptions {
        color: styled,
        fail_on: fail_on.clone(),
    };
    let sink = Sink {
        output: args.output.as_deref(),
        styled,
        inputs: &verified.inputs,
        root: root.as_deref(),
    };
    if let Err(code) = emit_with(sink, &mut |out| render_to(report, format, &opts, out)) {
        return code;
    }
    // A claim that could not be judged is exit 2 whatever `--fail-on` says:
    // the report is incomplete. Every other claim has its verdict.
    let unjudged = report.summary.count(Verdict::Error);
    if unjudged > 0 {
        let mut stderr = anstream::stderr();
        let _ = writeln!(
            stderr,
            "error: {unjudged} claim{} could not be judged; every other claim has its verdict",
            if unjudged == 1 { "" } else { "s" }
        );
        return ExitCode::from(2);
    }
    if report.claims.iter().any(|c| fail_on.contains(&c.verdict)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What `verify` says of the engine to run on.
#[cfg_attr(not(feature = "spark"), allow(dead_code))]
struct EngineOpts {
    engine: EngineArg,
    changes: bool,
    timelines: bool,
    remote: String,
    timeout: u64,
}

/// `verify` on the engine the command line names.
fn verify_on(
    ws: &Workspace,
    selection: &Selection,
    args: &EngineOpts,
) -> Result<Result<factcheck::engine::Verified, Failed>, ExitCode> {
    if args.engine == EngineArg::Local {
        return Ok(if args.changes {
            factcheck::engine::verify_changes(ws, selection, &mut Bars::new())
        } else {
            verify(ws, selection, &mut Bars::new())
        });
    }
    verify_spark(ws, selection, args).map_err(spark_error)
}

/// A Spark server that cannot be reached (or a build without Spark): the
/// command line's error, exit 2.
fn spark_error(e: String) -> ExitCode {
    let help = if cfg!(feature = "spark") {
        "start a server (scripts/spark-server.sh start) or name another with --spark-remote"
    } else {
        "or evaluate with the in-process engine (the default)"
    };
    report_diagnostics(
        &Files::default(),
        &[Diagnostic::error("cli/spark", e).help(help)],
    );
    ExitCode::from(2)
}

#[cfg(feature = "spark")]
fn verify_spark(
    ws: &Workspace,
    selection: &Selection,
    args: &EngineOpts,
) -> Result<Result<factcheck::engine::Verified, Failed>, String> {
    let timeout = std::time::Duration::from_secs(args.timeout.max(1));
    let mut spark = factcheck::engine::spark::SparkConnect::connect(&args.remote, timeout)?;
    let following = factcheck::engine::remote::Following {
        changes: args.changes,
        timelines: args.timelines,
    };
    Ok(factcheck::engine::remote::verify_sql_following(
        ws,
        selection,
        &mut spark,
        following,
        &mut Bars::new(),
    ))
}

#[cfg(not(feature = "spark"))]
fn verify_spark(
    _: &Workspace,
    _: &Selection,
    _: &EngineOpts,
) -> Result<Result<factcheck::engine::Verified, Failed>, String> {
    Err(without_spark())
}

#[cfg(not(feature = "spark"))]
fn without_spark() -> String {
    "this factcheck was built without Spark: build it with `cargo build --features spark`".into()
}

/// `timeline` on Spark: every day's evaluation done there.
#[cfg(feature = "spark")]
fn timeline_spark(
    ws: &Workspace,
    selection: &Selection,
    (remote, timeout): (&str, u64),
) -> Result<Result<factcheck::engine::Timelines, Failed>, String> {
    let timeout = std::time::Duration::from_secs(timeout.max(1));
    let mut spark = factcheck::engine::spark::SparkConnect::connect(remote, timeout)?;
    Ok(factcheck::engine::remote::timeline_sql(
        ws,
        selection,
        &mut spark,
        &mut Bars::new(),
    ))
}

#[cfg(not(feature = "spark"))]
fn timeline_spark(
    _: &Workspace,
    _: &Selection,
    _: (&str, u64),
) -> Result<Result<factcheck::engine::Timelines, Failed>, String> {
    Err(without_spark())
}

fn run_plan(args: PlanArgs) -> ExitCode {
    let (as_of, bad_date) = as_of(args.as_of.as_deref());
    let selection = Selection {
        claim_ids: vec![args.claim],
        as_of,
    };
    let run =
        factcheck::engine::remote::plan_text(&workspace(args.input), &selection, &mut Bars::new());
    let run = with_cli_error(run, bad_date, |(_, files)| Failed {
        files,
        diagnostics: Vec::new(),
        inputs: Vec::new(),
    });
    match run {
        Ok((text, _)) => done(to_stdout(&text, false)),
        Err(failed) => {
            report_diagnostics(&failed.files, &failed.diagnostics);
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "error: the claim could not be planned");
            ExitCode::from(2)
        }
    }
}

fn run_explain(args: ExplainArgs) -> ExitCode {
    let (as_of, bad_date) = as_of(args.as_of.as_deref());
    let run = explain(&workspace(args.input), &args.claim, as_of, &mut Bars::new());
    let run = with_cli_error(run, bad_date, |e| Failed {
        files: e.files,
        diagnostics: e.diagnostics,
        inputs: e.inputs,
    });
    let explained = match run {
        Ok(e) => e,
        Err(failed) => {
            report_diagnostics(&failed.files, &failed.diagnostics);
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "error: the claim could not be evaluated");
            return ExitCode::from(2);
        }
    };
    report_diagnostics(&explained.files, &explained.diagnostics);
    let e = &explained.explanation;
    let (text, styled) = match args.format {
        ExplainFormat::Human => (explain_human(e, true), true),
        ExplainFormat::Json => (explain_json(e), false),
    };
    if let Err(code) = to_stdout(&text, styled) {
        return code;
    }
    if e.verdict.verdict == Verdict::Error {
        let mut stderr = anstream::stderr();
        let _ = writeln!(stderr, "error: the claim could not be judged");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn run_timeline(args: TimelineArgs) -> ExitCode {
    let selection = Selection {
        claim_ids: args.claims,
        as_of: None,
    };
    let ws = workspace(args.input);
    let run = if args.engine.engine == EngineArg::Local {
        factcheck::engine::timeline(&ws, &selection, &mut Bars::new())
    } else {
        match timeline_spark(
            &ws,
            &selection,
            (&args.engine.spark_remote, args.engine.spark_timeout),
        ) {
            Ok(run) => run,
            Err(e) => return spark_error(e),
        }
    };
    let timelines = match run {
        Ok(t) => t,
        Err(failed) => {
            report_diagnostics(&failed.files, &failed.diagnostics);
            let mut stderr = anstream::stderr();
            let _ = writeln!(stderr, "error: no timeline was computed");
            return ExitCode::from(2);
        }
    };
    report_diagnostics(&timelines.files, &timelines.diagnostics);
    let (text, styled) = match args.format {
        ExplainFormat::Human => (factcheck::render::timeline::human(&timelines.claims), true),
        ExplainFormat::Json => (factcheck::render::timeline::json(&timelines.claims), false),
    };
    if let Err(code) = to_stdout(&text, styled) {
        return code;
    }
    // A claim with no timeline at all (too costly to follow) is exit 2;
    // days on which a claim cannot be judged are part of its timeline.
    if timelines.claims.iter().any(|c| c.problem.is_some()) {
        let mut stderr = anstream::stderr();
        let _ = writeln!(stderr, "error: some claims have no timeline");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn run_audit(args: AuditArgs) -> ExitCode {
    let ws = Workspace::from_dirs(Options {
        paths: args.paths,
        evidence: PathBuf::new(),
        article_text: args.article,
        root: args.confine.root,
        max_file_size: args.confine.max_file_size,
    });
    let outcome = audit(&ws, args.lang.map(LangArg::lang), &mut Bars::new());
    let result = &outcome.audit;
    report_diagnostics(&outcome.files, &outcome.diagnostics);
    // Drifted quotes are reported as errors and listed in the audit; any
    // other error is invalid input.
    let invalid = outcome
        .diagnostics
        .iter()
        .any(|d| d.is_error() && d.code != "claim/quote-not-found");
    if invalid {
        let mut stderr = anstream::stderr();
        let _ = writeln!(
            stderr,
            "error: the claim files are invalid; nothing was audited"
        );
        return ExitCode::from(2);
    }
    let (text, styled) = match args.format {
        ExplainFormat::Human => (audit_human(result, true), true),
        ExplainFormat::Json => (audit_json(result), false),
    };
    if let Err(code) = to_stdout(&text, styled) {
        return code;
    }
    let incomplete = result.uncovered() > 0 || result.without_text() > 0;
    if result.drifted() > 0 || (args.strict && incomplete) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_new(args: NewArgs) -> ExitCode {
    let fail = |d: Diagnostic| {
        report_diagnostics(&Files::default(), &[d]);
        ExitCode::from(2)
    };
    let mut diags = Vec::new();
    let read = Fs::new(None, DEFAULT_MAX_FILE_SIZE)
        .map_err(|d| diags.push(*d))
        .ok()
        .and_then(|mut fs| fs.read(&args.article, Origin::Cli, &mut diags));
    let Some(text) = read.map(|t| t.text) else {
        report_diagnostics(&Files::default(), &diags);
        return ExitCode::from(2);
    };
    let stem = args
        .article
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "article".into());
    let output = args
        .output
        .unwrap_or_else(|| PathBuf::from("claims").join(format!("{stem}.toml")));
    let skeleton = factcheck::skeleton::skeleton(&factcheck::skeleton::NewArticle {
        text: &text,
        text_path: &factcheck::skeleton::relative_to(&args.article, &output),
        id: &stem,
        lang: args.lang.map(LangArg::lang),
        published: args.published.as_deref(),
        url: args.url.as_deref(),
    });
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&output)
        .and_then(|mut f| f.write_all(skeleton.text.as_bytes()));
    match created {
        Ok(()) => {
            let mut stderr = anstream::stderr();
            let _ = writeln!(
                stderr,
                "wrote {}: {} quantities found, one commented-out claim each; next: write their measures, then `factcheck audit {}`",
                output.display(),
                skeleton.findings,
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => fail(
            Diagnostic::error(
                "io/exists",
                "the claim file already exists; it is not overwritten",
            )
            .in_path(output.display().to_string())
            .help("choose another file with --output, or delete this one first"),
        ),
        Err(e) => fail(
            Diagnostic::error("io/write", format!("cannot write the claim file: {e}"))
                .in_path(output.display().to_string())
                .help("check that the directory exists and is writable"),
        ),
    }
}
