//! The load stage: where the input comes from (directories on disk, or
//! texts in memory) and what reading it gives ([`Loaded`], or
//! [`LoadedClaims`] for an audit, which reads no evidence).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::anchor::{anchor_quotes, Anchored, QuoteAnchor};
use crate::claims::{read_claim_file, Claim, ClaimFile};
use crate::diag::{suggest, Diagnostic, FileId, Files};
use crate::evidence::{load_dir_in_threads, load_from_scoped, Evidence};
use crate::fsread::{collect_paths, named_display, shown, Fs, Origin, DEFAULT_MAX_FILE_SIZE};

use super::progress::{Progress, Stage};

/// Where a workspace's files are on disk.
#[derive(Debug, Clone)]
pub struct Options {
    /// Claim files or directories.
    pub paths: Vec<PathBuf>,
    /// Evidence directory.
    pub evidence: PathBuf,
    /// Article text for claim files that do not name one in `[article] text`.
    pub article_text: Option<PathBuf>,
    /// Root of the tree being checked (the current directory when `None`):
    /// files named inside claim and table files, and files found in the
    /// directories given, are read only inside it (see [`crate::fsread`]).
    pub root: Option<PathBuf>,
    /// Largest file read, in bytes.
    pub max_file_size: u64,
}

impl Default for Options {
    /// `claims/` against `evidence/`, rooted at the current directory.
    fn default() -> Self {
        Options {
            paths: vec![PathBuf::from("claims")],
            evidence: PathBuf::from("evidence"),
            article_text: None,
            root: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Texts held in memory, each with the name it is shown (and matched) by.
/// A name is only a name: nothing is ever read from disk, whatever it
/// looks like (absolute, with `..`).
#[derive(Debug, Clone, Default)]
struct Memory {
    claim_files: Vec<(String, String)>,
    evidence: Vec<(String, String)>,
    /// Evidence scopes: each a name and its files.
    scoped: Vec<(String, Vec<(String, String)>)>,
    loaded_evidence: Option<Arc<LoadedEvidence>>,
    articles: Vec<(String, String)>,
    article_text: Option<(String, String)>,
}

/// Evidence loaded once (from texts in memory), to be shared by many
/// workspaces in memory: each run starts from it instead of loading the
/// evidence again (see [`Workspace::with_loaded_evidence`]).
#[derive(Debug, Clone)]
pub struct LoadedEvidence {
    /// The evidence files.
    pub files: Files,
    /// The evidence.
    pub evidence: Arc<Evidence>,
    /// Problems found while loading it.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedEvidence {
    /// Load evidence files given as `(name, text)`, as
    /// [`Workspace::with_evidence`] does.
    pub fn load(inputs: Vec<(String, String)>) -> Self {
        Self::load_scoped(inputs, Vec::new())
    }

    /// Load evidence files given as `(name, text)`, and evidence scopes
    /// given as their name and files, as [`Workspace::with_evidence`] and
    /// [`Workspace::with_scoped_evidence`] do.
    pub fn load_scoped(
        inputs: Vec<(String, String)>,
        scopes: Vec<(String, Vec<(String, String)>)>,
    ) -> Self {
        let mut files = Files::default();
        let mut diagnostics = Vec::new();
        let evidence = load_from_scoped(inputs, scopes, &mut files, &mut diagnostics, 0);
        LoadedEvidence {
            files,
            evidence: Arc::new(evidence),
            diagnostics,
        }
    }
}

/// The input of a run: claim files, evidence and article texts, either
/// read from disk ([`Workspace::from_dirs`]) or given as `(name, text)`
/// pairs ([`Workspace::in_memory`] and the `with_*` methods).
///
/// ```
/// use factcheck::engine::Workspace;
///
/// let ws = Workspace::in_memory()
///     .with_evidence("evidence/sources.toml", "")
///     .with_claim_file("claims/a.toml", "[article]\n");
/// let loaded = ws.load(&mut factcheck::engine::NoProgress);
/// assert!(loaded.has_errors());
/// ```
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Where the files are on disk; `None` in memory.
    disk: Option<Options>,
    memory: Memory,
    /// Threads to load and evaluate on (0: one per core).
    threads: usize,
    /// Judge with sourced values only (`--no-inferences`).
    sourced_only: bool,
}

impl Workspace {
    /// Files on disk, read with the confinement rules of [`crate::fsread`].
    pub fn from_dirs(opts: Options) -> Self {
        Workspace {
            disk: Some(opts),
            memory: Memory::default(),
            threads: 0,
            sourced_only: false,
        }
    }

    /// Whether its claim files are whole collections (directories, or
    /// texts in memory) rather than files picked out of one: only then
    /// can evidence nothing uses be told apart from evidence another
    /// article uses.
    pub fn whole_collection(&self) -> bool {
        self.disk
            .as_ref()
            .is_none_or(|o| o.paths.iter().all(|p| p.is_dir()))
    }

    /// An empty workspace in memory; add texts with the `with_*` methods.
    pub fn in_memory() -> Self {
        Workspace {
            disk: None,
            memory: Memory::default(),
            threads: 0,
            sourced_only: false,
        }
    }

    /// Load tables and evaluate claims on at most `threads` threads (0, the
    /// default: one per core). Results are the same whatever the number.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// Judge with the values the sources state only: inferred values
    /// (`[[inference]]`) are not used (`--no-inferences`).
    pub fn with_sourced_only(mut self, sourced_only: bool) -> Self {
        self.sourced_only = sourced_only;
        self
    }

    fn memory(&mut self) -> &mut Memory {
        self.disk = None;
        &mut self.memory
    }

    /// Add a claim file (read in the order added). On a workspace made
    /// from directories, this and every other `with_*` method starts an
    /// empty workspace in memory first.
    pub fn with_claim_file(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.memory().claim_files.push((name.into(), text.into()));
        self
    }

    /// Add an evidence file: `sources.toml`, a table file, or a CSV file a
    /// table names (matched by its file name, as in a directory).
    pub fn with_evidence(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.memory().evidence.push((name.into(), text.into()));
        self
    }

    /// Add an evidence file to the evidence scope `scope` (as if in the
    /// subdirectory of that name of the evidence directory; see
    /// [`crate::evidence::Scope`]): its `sources.toml`, a table file, or a
    /// CSV file one of its tables names.
    pub fn with_scoped_evidence(
        mut self,
        scope: impl Into<String>,
        name: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        let scope = scope.into();
        let file = (name.into(), text.into());
        let scoped = &mut self.memory().scoped;
        match scoped.iter_mut().find(|(s, _)| *s == scope) {
            Some((_, files)) => files.push(file),
            None => scoped.push((scope, vec![file])),
        }
        self
    }

    /// Use evidence already loaded, instead of the evidence files added
    /// with [`Workspace::with_evidence`] (which are then not read).
    pub fn with_loaded_evidence(mut self, evidence: Arc<LoadedEvidence>) -> Self {
        self.memory().loaded_evidence = Some(evidence);
        self
    }

    /// Add an article text that claim files name in `[article] text`: the
    /// name is matched against the path as written there, and against it
    /// taken relative to the claim file's directory (`claims/a.toml`
    /// naming `../articles/a.txt` finds `articles/a.txt`).
    pub fn with_article(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.memory().articles.push((name.into(), text.into()));
        self
    }

    /// The article text of the claim files that do not name one.
    pub fn with_article_text(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.memory().article_text = Some((name.into(), text.into()));
        self
    }

    /// The load stage: read the evidence, the claim files and their
    /// article texts; check claim ids are unique and cited sources exist;
    /// anchor the quotes.
    pub fn load(&self, progress: &mut dyn Progress) -> Loaded {
        self.load_scopes(progress, false)
    }

    /// The load stage, reading of the evidence only what the claim files
    /// can use: the top level and the scopes they name (`[article]
    /// evidence`). Every other scope is known by its name only (so a
    /// misspelt name still gets a suggestion) and none of its files is
    /// read. Verifying one article of a repository of many reads that
    /// article's evidence, not all of it; [`Workspace::load`] reads it all
    /// (`check` validates every file).
    pub fn load_for_claims(&self, progress: &mut dyn Progress) -> Loaded {
        self.load_scopes(progress, true)
    }

    fn load_scopes(&self, progress: &mut dyn Progress, only_named: bool) -> Loaded {
        progress.start(Stage::Load, 0);
        let mut diags = Vec::new();
        let Some(mut reader) = Reader::new(self, &mut diags) else {
            progress.finish();
            return Loaded {
                files: Files::default(),
                evidence: Arc::default(),
                claim_files: Vec::new(),
                anchors: BTreeMap::new(),
                article_texts: Vec::new(),
                diagnostics: diags,
                inputs: Vec::new(),
                state: LoadState::NoRoot,
                threads: self.threads,
                sourced_only: self.sourced_only,
                selection_at: 0,
            };
        };
        // The claim files are read first (their problems reported after the
        // evidence's, as they come after it in reading order), so that only
        // the scopes they name need be loaded.
        let mut claim_diags = Vec::new();
        let texts = reader.claim_texts(&mut claim_diags);
        let wanted = if only_named {
            named_scopes(&texts)
        } else {
            None
        };
        let (mut files, evidence) = reader.evidence(&mut diags, self.threads, wanted.as_ref());
        diags.append(&mut claim_diags);
        progress.advance(1);
        let claim_files = claim_files(texts, &mut files, &mut diags, progress);
        let (mut claim_files, reals): (Vec<ClaimFile>, Vec<Option<PathBuf>>) =
            claim_files.into_iter().unzip();
        if !reader.evidence_missing(&diags) {
            resolve_scopes(&mut claim_files, &evidence, &mut diags);
        }
        check_unique_ids(&claim_files, &mut diags);
        check_article_sources(&claim_files, &evidence, &mut diags);
        let selection_at = diags.len();
        let mut anchors = BTreeMap::new();
        let mut article_texts = Vec::with_capacity(claim_files.len());
        for (cf, real) in claim_files.iter().zip(&reals) {
            match reader.anchor(cf, real.as_deref(), &mut files, &mut diags) {
                Some(a) => {
                    article_texts.push(a.article);
                    anchors.extend(a.quotes);
                }
                None => article_texts.push(None),
            }
        }
        let state = if reader.evidence_missing(&diags) {
            LoadState::NoEvidence
        } else {
            LoadState::Complete
        };
        progress.finish();
        Loaded {
            files,
            evidence,
            claim_files,
            anchors,
            article_texts,
            diagnostics: diags,
            inputs: reader.inputs(),
            state,
            threads: self.threads,
            sourced_only: self.sourced_only,
            selection_at,
        }
    }

    /// The load stage of an audit: the claim files and their article
    /// texts, with the quotes anchored; no evidence.
    pub fn load_claims(&self, progress: &mut dyn Progress) -> LoadedClaims {
        progress.start(Stage::Load, 0);
        let mut files = Files::default();
        let mut diags = Vec::new();
        let mut out = LoadedClaims {
            files: Files::default(),
            claim_files: Vec::new(),
            anchored: Vec::new(),
            diagnostics: Vec::new(),
            inputs: Vec::new(),
        };
        let Some(mut reader) = Reader::new(self, &mut diags) else {
            progress.finish();
            out.diagnostics = diags;
            return out;
        };
        let texts = reader.claim_texts(&mut diags);
        for (cf, real) in claim_files(texts, &mut files, &mut diags, progress) {
            let anchored = reader.anchor(&cf, real.as_deref(), &mut files, &mut diags);
            out.claim_files.push(cf);
            out.anchored.push(anchored);
        }
        progress.finish();
        out.files = files;
        out.diagnostics = diags;
        out.inputs = reader.inputs();
        out
    }
}

/// How far loading went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LoadState {
    /// Everything was read that could be.
    Complete,
    /// The evidence directory could not be read: every name would be
    /// unknown, so nothing is resolved.
    NoEvidence,
    /// The root directory could not be used: nothing was read.
    NoRoot,
}

/// What the load stage gives: every file read, the evidence, the claim
/// files and where their quotes are in the article texts.
#[derive(Debug)]
pub struct Loaded {
    /// Every file read (diagnostics point into them).
    pub files: Files,
    /// The evidence dataset.
    pub evidence: Arc<Evidence>,
    /// The claim files that could be read, in the order read.
    pub claim_files: Vec<ClaimFile>,
    /// Where each claim's quote was found in its article, by claim id.
    pub anchors: BTreeMap<String, QuoteAnchor>,
    /// The article text of each claim file as its quotes were searched
    /// (NFC), in [`Loaded::files`]; one entry per claim file, in order.
    pub article_texts: Vec<Option<FileId>>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
    /// Real paths of every file read (or opened for reading): a report
    /// must not overwrite one of them. Empty in memory.
    pub inputs: Vec<PathBuf>,
    pub(super) state: LoadState,
    /// Threads to evaluate on (0: one per core).
    pub(super) threads: usize,
    /// Judge with sourced values only.
    pub(super) sourced_only: bool,
    /// Where the diagnostics about the claims selected belong among
    /// [`Loaded::diagnostics`] (before those of the article texts).
    pub(super) selection_at: usize,
}

impl Loaded {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Every claim of every claim file, in order, with its file's index.
    pub fn claims(&self) -> impl Iterator<Item = (usize, &Claim)> {
        self.claim_files
            .iter()
            .enumerate()
            .flat_map(|(i, cf)| cf.claims.iter().map(move |c| (i, c)))
    }
}

/// What the load stage of an audit gives.
#[derive(Debug)]
pub struct LoadedClaims {
    /// Every file read.
    pub files: Files,
    /// The claim files that could be read, in the order read.
    pub claim_files: Vec<ClaimFile>,
    /// Per claim file, its quotes anchored in its article text (`None`
    /// when it has no text).
    pub anchored: Vec<Option<Anchored>>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Real paths of every file read. Empty in memory.
    pub inputs: Vec<PathBuf>,
}

/// Reads the files of one run.
enum Reader<'a> {
    Disk { fs: Fs, opts: &'a Options },
    Memory(&'a Memory),
}

impl<'a> Reader<'a> {
    fn new(ws: &'a Workspace, diags: &mut Vec<Diagnostic>) -> Option<Self> {
        match &ws.disk {
            Some(opts) => match Fs::new(opts.root.as_deref(), opts.max_file_size) {
                Ok(fs) => Some(Reader::Disk { fs, opts }),
                Err(d) => {
                    diags.push(*d);
                    None
                }
            },
            None => Some(Reader::Memory(&ws.memory)),
        }
    }

    fn inputs(&self) -> Vec<PathBuf> {
        match self {
            Reader::Disk { fs, .. } => fs.inputs().to_vec(),
            Reader::Memory(_) => Vec::new(),
        }
    }

    /// The evidence, with the files it was read from (the first files of
    /// the run).
    fn evidence(
        &mut self,
        diags: &mut Vec<Diagnostic>,
        threads: usize,
        scopes: Option<&BTreeSet<String>>,
    ) -> (Files, Arc<Evidence>) {
        let mut files = Files::default();
        let ev = match self {
            Reader::Disk { fs, opts } => {
                load_dir_in_threads(fs, &opts.evidence, &mut files, diags, (threads, scopes))
            }
            Reader::Memory(Memory {
                loaded_evidence: Some(loaded),
                ..
            }) => {
                diags.extend(loaded.diagnostics.iter().cloned());
                return (loaded.files.clone(), Arc::clone(&loaded.evidence));
            }
            Reader::Memory(m) => load_from_scoped(
                m.evidence.clone(),
                m.scoped.clone(),
                &mut files,
                diags,
                threads,
            ),
        };
        (files, Arc::new(ev))
    }

    /// Whether the evidence directory could not be read (then every name
    /// would be unknown: the directory is reported, not one error per
    /// table reference).
    fn evidence_missing(&self, diags: &[Diagnostic]) -> bool {
        let Reader::Disk { opts, .. } = self else {
            return false;
        };
        let evidence_shown = shown(&opts.evidence);
        diags.iter().any(|d| {
            d.code == "io/evidence-dir"
                || (d.code == "io/outside-root"
                    && d.primary.is_none()
                    && d.path.as_deref() == Some(evidence_shown.as_str()))
        })
    }

    /// The text of every claim file: its name, its text and its real path
    /// (on disk).
    fn claim_texts(&mut self, diags: &mut Vec<Diagnostic>) -> Vec<ClaimText> {
        let mut out = Vec::new();
        match self {
            Reader::Disk { fs, opts } => {
                for (path, dir) in collect_paths(fs, &opts.paths, diags) {
                    let origin = match &dir {
                        Some(dir) => Origin::Found { dir },
                        None => Origin::Cli,
                    };
                    if let Some(t) = fs.read(&path, origin, diags) {
                        out.push((t.shown, t.text, Some(t.real)));
                    }
                }
            }
            Reader::Memory(m) => {
                for (name, text) in &m.claim_files {
                    out.push((name.clone(), text.clone(), None));
                }
            }
        }
        out
    }

    /// Read the article text of a claim file (`real` is its real path on
    /// disk) and anchor its quotes in it: the text it names in `[article]
    /// text`, else the one given for all.
    fn anchor(
        &mut self,
        cf: &ClaimFile,
        real: Option<&Path>,
        files: &mut Files,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Anchored> {
        let (shown, text) = match self {
            Reader::Disk { fs, opts } => {
                let t = match (&cf.article.text, &opts.article_text, real) {
                    (Some((t, loc)), _, Some(real)) => fs.read(
                        Path::new(t),
                        Origin::Named {
                            by: real,
                            by_shown: &cf.path,
                            at: (loc.file, &loc.span),
                        },
                        diags,
                    ),
                    (Some(_), _, None) => None,
                    (None, Some(p), _) => fs.read(p, Origin::Cli, diags),
                    (None, None, _) => None,
                }?;
                (t.shown, t.text)
            }
            Reader::Memory(m) => match (&cf.article.text, &m.article_text) {
                (Some((t, loc)), _) => {
                    let relative = shown(&named_display(&cf.path, Path::new(t)));
                    let found = m
                        .articles
                        .iter()
                        .find(|(name, _)| *name == relative || name == t);
                    match found {
                        Some((name, text)) => (name.clone(), text.clone()),
                        None => {
                            diags.push(
                                Diagnostic::error(
                                    "io/not-found",
                                    format!("no article text named `{relative}` among the inputs"),
                                )
                                .at(loc.file, loc.span.clone(), "named here")
                                .help("add the article text to the workspace under this name"),
                            );
                            return None;
                        }
                    }
                }
                (None, Some((name, text))) => (name.clone(), text.clone()),
                (None, None) => return None,
            },
        };
        let article = files.add(shown, text);
        Some(anchor_quotes(cf, files, article, diags))
    }
}

/// A claim file's name, text and real path (on disk).
type ClaimText = (String, String, Option<PathBuf>);

/// Every claim file read, each with its real path (on disk).
fn claim_files(
    texts: Vec<ClaimText>,
    files: &mut Files,
    diags: &mut Vec<Diagnostic>,
    progress: &mut dyn Progress,
) -> Vec<(ClaimFile, Option<PathBuf>)> {
    let mut out = Vec::new();
    for (shown, text, real) in texts {
        let fid = files.add(shown, text);
        if let Some(cf) = read_claim_file(fid, files, diags) {
            out.push((cf, real));
        }
        progress.advance(1);
    }
    out
}

/// The evidence scopes the claim files name; `None` (every scope) when a
/// file cannot be read far enough to tell: its problems are reported when
/// it is read in full, against all the evidence.
fn named_scopes(texts: &[ClaimText]) -> Option<BTreeSet<String>> {
    #[derive(serde::Deserialize)]
    struct Peek {
        article: Option<PeekArticle>,
    }
    #[derive(serde::Deserialize)]
    struct PeekArticle {
        evidence: Option<String>,
    }
    let mut out = BTreeSet::new();
    for (_, text, _) in texts {
        // The part before the first array of tables (`[[claim]]`) holds
        // `[article]` in every claim file written as the README shows: once
        // a table is defined, no later part of the file can give it a key
        // (a second `[article]` is an error), so that part alone says. When
        // it does not parse (a string cut) or has no `[article]`, the whole
        // file is read.
        let head = text
            .match_indices("\n[[")
            .next()
            .and_then(|(i, _)| text.get(..i));
        let article = match head.and_then(|h| toml::from_str::<Peek>(h).ok()) {
            Some(Peek {
                article: Some(article),
            }) => article,
            _ => match toml::from_str::<Peek>(text).ok()?.article {
                Some(article) => article,
                None => continue,
            },
        };
        if let Some(name) = article.evidence {
            out.insert(name);
        }
    }
    Some(out)
}

fn check_unique_ids(files: &[ClaimFile], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &Claim> = BTreeMap::new();
    for cf in files {
        let mut local = BTreeSet::new();
        for c in &cf.claims {
            if !local.insert(c.id.as_str()) {
                continue; // reported by the reader
            }
            if let Some(prev) = seen.get(c.id.as_str()) {
                diags.push(
                    Diagnostic::error(
                        "claim/duplicate-id",
                        format!("claim id `{}` is used in two claim files", c.id),
                    )
                    .at(c.id_loc.file, c.id_loc.span.clone(), "used again here")
                    .also(
                        prev.id_loc.file,
                        prev.id_loc.span.clone(),
                        "first used here",
                    )
                    .help("claim ids must be unique across all claim files"),
                );
            } else {
                seen.insert(c.id.as_str(), c);
            }
        }
    }
}

/// The evidence scope each claim file names, found among the scopes
/// loaded (a name is only looked up, never read as a path).
fn resolve_scopes(files: &mut [ClaimFile], ev: &Evidence, diags: &mut Vec<Diagnostic>) {
    for cf in files {
        let Some((name, loc)) = &cf.article.evidence else {
            continue;
        };
        match ev.scope_named(name) {
            Some(s) => cf.scope = Some(s),
            None => {
                let d =
                    Diagnostic::error("claim/unknown-scope", format!("no evidence scope `{name}`"))
                        .at(loc.file, loc.span.clone(), "not a scope of the evidence");
                let help = match suggest(name, ev.scopes.iter().map(|s| s.name.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if ev.scopes.is_empty() => "the evidence has no scopes: a scope is a subdirectory of the evidence directory holding its own tables (and sources.toml)".to_string(),
                    None => format!(
                        "the scopes are: {}",
                        ev.scopes
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                diags.push(d.help(help));
            }
        }
    }
}

/// Every source an `[article]` cites must be in `sources.toml` (its
/// scope's or the top-level one).
fn check_article_sources(files: &[ClaimFile], ev: &Evidence, diags: &mut Vec<Diagnostic>) {
    for cf in files {
        for (id, loc) in &cf.article.sources {
            if ev.source_in(cf.scope, id).is_some() {
                continue;
            }
            let mut d = Diagnostic::error("claim/unknown-source", format!("unknown source `{id}`"))
                .at(loc.file, loc.span.clone(), "not in sources.toml");
            d = d.help(match suggest(id, ev.visible_source_ids(cf.scope)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "declare it as a [[source]] in the evidence's sources.toml".into(),
            });
            diags.push(d);
        }
    }
}
