//! The `factcheck` command line: a thin shell over the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use factcheck::diag::render_human;
use factcheck::engine::{check, verify, Options};
use factcheck::render::{json::diagnostics_json, render, Format};
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

#[derive(Subcommand)]
enum Command {
    /// Evaluate every claim against the evidence and print a verdict per claim.
    Verify(VerifyArgs),
    /// Validate claim files and evidence without computing verdicts.
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Claim files or directories of claim files.
    #[arg(default_value = "claims")]
    paths: Vec<PathBuf>,
    /// Evidence directory.
    #[arg(long, default_value = "evidence")]
    evidence: PathBuf,
    /// Article text to check every quote against.
    #[arg(long, value_name = "FILE")]
    article: Option<PathBuf>,
    /// Exit 2 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Output format of the diagnostics (human goes to stderr, json to stdout).
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// Claim files or directories of claim files.
    #[arg(default_value = "claims")]
    paths: Vec<PathBuf>,
    /// Evidence directory.
    #[arg(long, default_value = "evidence")]
    evidence: PathBuf,
    /// Only this claim (repeatable).
    #[arg(long = "claim", value_name = "ID")]
    claims: Vec<String>,
    /// Judge claims as of this date instead of the article's publication date
    /// (claims with their own `as_of` keep it).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Article text to check every quote against.
    #[arg(long, value_name = "FILE")]
    article: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify(args) => run_verify(args),
        Command::Check(args) => run_check(args),
    }
}

fn stderr_color() -> bool {
    !matches!(
        anstream::AutoStream::choice(&std::io::stderr()),
        anstream::ColorChoice::Never
    )
}

fn run_check(args: CheckArgs) -> ExitCode {
    let opts = Options {
        paths: args.paths,
        evidence: args.evidence,
        claim_ids: Vec::new(),
        as_of: None,
        article_text: args.article,
    };
    let outcome = check(&opts);
    let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = outcome.diagnostics.len() - errors;
    let mut stderr = anstream::stderr();
    match args.format {
        FormatArg::Json => {
            let mut stdout = anstream::stdout();
            let _ = write!(
                stdout,
                "{}",
                diagnostics_json(&outcome.files, &outcome.diagnostics)
            );
        }
        FormatArg::Human => {
            let _ = write!(
                stderr,
                "{}",
                render_human(&outcome.files, &outcome.diagnostics, stderr_color())
            );
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
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
    let opts = Options {
        paths: args.paths,
        evidence: args.evidence,
        claim_ids: args.claims,
        as_of: args.as_of,
        article_text: args.article,
    };
    let outcome = verify(&opts);
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
    };
    let mut stdout = anstream::stdout();
    let mut stderr = anstream::stderr();
    // anstream strips styling when the stream is not a terminal or NO_COLOR
    // is set; diagnostics then also switch to plain ASCII framing.
    let color = true;
    let stderr_color = stderr_color();
    if !outcome.diagnostics.is_empty() {
        let _ = write!(
            stderr,
            "{}",
            render_human(&outcome.files, &outcome.diagnostics, stderr_color)
        );
    }
    let Some(report) = outcome.report.as_ref().filter(|_| !outcome.has_errors()) else {
        if matches!(format, Format::Json) {
            let _ = write!(
                stdout,
                "{}",
                diagnostics_json(&outcome.files, &outcome.diagnostics)
            );
        }
        let n = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
        let _ = writeln!(
            stderr,
            "error: {n} problem{} in the input; no verdicts were computed",
            if n == 1 { "" } else { "s" }
        );
        return ExitCode::from(2);
    };
    let _ = write!(stdout, "{}", render(report, format, color));
    let _ = stdout.flush();
    if report.claims.iter().any(|c| c.verdict == Verdict::Refuted) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
