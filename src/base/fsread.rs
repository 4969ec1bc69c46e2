//! Confined reading of files: every file factcheck reads goes through
//! [`Fs::read`].
//!
//! Claim and evidence files may come from strangers, so a path they name
//! (`[article] text`), and a file found by listing a directory (claim files
//! in a claims directory, files in the evidence directory), must stay
//! inside the tree being checked: the *root* (`--root`, default the current
//! directory). Paths given on the command line are trusted as written
//! (see 3).
//!
//! How a path is confined, without ever touching what lies outside:
//!
//! 1. A named path must be relative; it is joined to the real directory of
//!    the file naming it and normalised lexically (`..` removes the
//!    component before it). If the result is not under the root it is
//!    refused before any file system access.
//! 2. The path is then walked from the root one component at a time with
//!    `lstat`. A symbolic link is read with `readlink` (the link is inside
//!    the root; its target is not touched), its target spliced in and
//!    normalised, and the result checked again. A component that does not
//!    exist is "not found" only because its real parent is inside the
//!    root. So whether a path is refused never depends on whether the
//!    outside target exists, what it is or what it holds: the answer is no
//!    oracle for the file system outside the root.
//! 3. A path given on the command line is trusted for where it points
//!    *as written*. When it is written inside the root (the defaults
//!    `claims` and `evidence` are), the tree being checked decides what it
//!    resolves to, so it is confined to the root like a named path: a
//!    pull request cannot turn `evidence/` or `claims/a.toml` into a link
//!    to the runner's home. Written outside the root (`--evidence
//!    /data/ev`, `--article ../a.txt`), it is read where it is.
//! 4. A file found by listing a directory given on the command line is
//!    confined to the root when the directory is written inside the root,
//!    else to that directory itself (the command line trusted the
//!    directory, not what the links in it point to).
//! 5. The subdirectories of the evidence directory (evidence scopes, see
//!    [`Fs::list_scopes`]) are confined as the files found in it are: one
//!    reached through a symbolic link leading out is not listed. A claim
//!    file names a scope by a bare name that is only looked up among those
//!    listed, never joined to a path.
//!
//! Whatever the origin, only regular files are read (the type is checked
//! before opening, so a FIFO never blocks and `/dev/zero` is never read),
//! opened non-blocking and checked again on the open handle, and at most
//! [`Fs::max_file_size`] bytes are read, so a file growing while it is
//! read cannot exceed the limit either.
//!
//! The walk and the open are separate system calls: a local user who can
//! rename files inside the tree *while* factcheck runs is outside this
//! threat model (the final component is opened with `O_NOFOLLOW`, which
//! narrows that window).

use std::ffi::OsString;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, FileId};

/// Default size limit of one file read: 512 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// Most symbolic links followed while resolving one path (as Linux does).
const MAX_SYMLINKS: usize = 40;

/// Where a path to read comes from, which decides how far it is trusted.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// Given on the command line: read where it is (following symbolic
    /// links) when written outside the root, confined to the root when
    /// written inside it; a regular file within the size limit either way.
    Cli,
    /// Found by listing `dir`, a directory given on the command line.
    Found {
        /// The directory listed.
        dir: &'a Path,
    },
    /// Named inside a file that may be untrusted (`[article] text`):
    /// relative to the directory of that file, and confined to the root.
    Named {
        /// Real path of the file that names it (as returned by [`Fs::read`]).
        by: &'a Path,
        /// Path of that file as shown to the user.
        by_shown: &'a str,
        /// The file and byte span of the string naming the path, where
        /// errors are reported.
        at: (FileId, &'a Range<usize>),
    },
}

/// A file read.
#[derive(Debug, Clone)]
pub struct Text {
    /// Path as the user should see it (relative when given so, with `/`).
    pub shown: String,
    /// Real path of the file read (every symbolic link resolved).
    pub real: PathBuf,
    /// Its content.
    pub text: String,
}

/// Reads files for one run: the root, the size limit and every file read.
#[derive(Debug, Clone)]
pub struct Fs {
    root: PathBuf,
    /// The root as written, made absolute (it may differ from `root` when
    /// it goes through links).
    root_written: PathBuf,
    cwd: PathBuf,
    max_file_size: u64,
    inputs: Vec<PathBuf>,
}

/// Why a path was not read.
enum Refusal {
    /// Leads outside the directory it is confined to.
    Outside,
    /// Not a regular file; what it is instead.
    NotRegular(&'static str),
    /// Larger than the limit.
    TooLarge,
    /// The operating system refused.
    Io(io::Error),
}

impl From<io::Error> for Refusal {
    fn from(e: io::Error) -> Self {
        Refusal::Io(e)
    }
}

impl Fs {
    /// Files read by this run are confined to `root` (the current
    /// directory when `None`) and at most `max_file_size` bytes long.
    pub fn new(root: Option<&Path>, max_file_size: u64) -> Result<Fs, Box<Diagnostic>> {
        let given = root.unwrap_or(Path::new("."));
        let fail = |msg: String| {
            Box::new(
                Diagnostic::error("io/root", msg)
                    .in_path(shown(given))
                    .help("give the top directory of the claims and evidence as the root"),
            )
        };
        let root = given
            .canonicalize()
            .map_err(|e| fail(format!("cannot use the root directory: {e}")))?;
        if !root.is_dir() {
            return Err(fail("the root is not a directory".into()));
        }
        let cwd = std::env::current_dir()
            .map_err(|e| fail(format!("cannot read the current directory: {e}")))?;
        Ok(Fs {
            root_written: normalize(&cwd.join(given)),
            cwd,
            root,
            max_file_size,
            inputs: Vec::new(),
        })
    }

    /// The root, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The size limit of one file, in bytes.
    pub fn max_file_size(&self) -> u64 {
        self.max_file_size
    }

    /// Real paths of every file read so far (or attempted past the checks
    /// of place and type), in order.
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }

    /// Read `path` as UTF-8 text; on failure push one diagnostic and
    /// return `None`. For [`Origin::Named`], `path` is the string as
    /// written in the naming file.
    pub fn read(
        &mut self,
        path: &Path,
        origin: Origin<'_>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Text> {
        let display = match origin {
            Origin::Named { by_shown, .. } => shown(&named_display(by_shown, path)),
            Origin::Cli | Origin::Found { .. } => shown(path),
        };
        let result = self.locate(path, origin).and_then(|real| {
            let file = open_regular(&real, self.max_file_size, origin, &mut self.inputs)?;
            let bytes = read_bounded(&file, self.max_file_size)?;
            Ok((real, bytes))
        });
        let (real, bytes) = match result {
            Ok(ok) => ok,
            Err(refusal) => {
                diags.push(self.refusal_diag(refusal, &display, origin));
                return None;
            }
        };
        match checked_text(bytes, &display) {
            Ok(text) => Some(Text {
                shown: display,
                real,
                text,
            }),
            Err(d) => {
                diags.push(*d);
                None
            }
        }
    }

    /// Open `path` (found by listing a directory, as a CSV file is) to be
    /// read in pieces, after the same checks of place, type and size as
    /// [`Fs::read`]; on failure push one diagnostic and return `None`. Its
    /// text is checked as it is read ([`Opened::read_text`] checks it
    /// whole).
    pub fn open(&mut self, path: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Option<Opened> {
        let origin = Origin::Found { dir };
        let display = shown(path);
        let result = self.locate(path, origin).and_then(|real| {
            let file = open_regular(&real, self.max_file_size, origin, &mut self.inputs)?;
            let len = file.metadata()?.len();
            Ok((real, file, len))
        });
        match result {
            Ok((real, file, len)) => Some(Opened {
                shown: display,
                real,
                file: std::sync::Mutex::new(file),
                len,
                max: self.max_file_size,
            }),
            Err(refusal) => {
                diags.push(self.refusal_diag(refusal, &display, origin));
                None
            }
        }
    }

    /// Where to read `path` from: its real path, or why it may not be read.
    fn locate(&self, path: &Path, origin: Origin<'_>) -> Result<PathBuf, Refusal> {
        match origin {
            Origin::Cli => match self.written_inside(path) {
                Some(abs) => confine(&abs, &self.root),
                None => Ok(path.canonicalize()?),
            },
            Origin::Found { dir } => {
                let Some(name) = path.file_name() else {
                    return Err(Refusal::Outside);
                };
                match self.written_inside(dir) {
                    Some(abs) => confine(&abs.join(name), &self.root),
                    None => {
                        let dir = dir.canonicalize()?;
                        confine(&dir.join(name), &dir)
                    }
                }
            }
            Origin::Named { by, .. } => {
                if path.has_root() || path.is_absolute() {
                    return Err(Refusal::Outside);
                }
                let base = by.parent().ok_or(Refusal::Outside)?;
                confine(&normalize(&base.join(path)), &self.root)
            }
        }
    }

    /// `path` (given on the command line) made absolute under the
    /// canonical root, when it is written inside the root.
    fn written_inside(&self, path: &Path) -> Option<PathBuf> {
        let abs = normalize(&self.cwd.join(path));
        [&self.root, &self.root_written]
            .into_iter()
            .find_map(|r| abs.strip_prefix(r).ok())
            .map(|rest| self.root.join(rest))
    }

    /// An error when `dir`, a directory given on the command line, is
    /// written inside the root but leads outside it (it is then not
    /// listed: the names of its files would tell what is outside).
    pub fn check_dir(&self, dir: &Path) -> Option<Diagnostic> {
        let abs = self.written_inside(dir)?;
        match confine(&abs, &self.root) {
            Err(Refusal::Outside) => {
                Some(self.refusal_diag(Refusal::Outside, &shown(dir), Origin::Cli))
            }
            _ => None,
        }
    }

    /// An error when the directory of `output`, a file to write given on
    /// the command line, is written inside the root but leads outside it
    /// (a planted link to a directory elsewhere).
    pub fn check_output_dir(&self, output: &Path) -> Option<Diagnostic> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let abs = self.written_inside(parent)?;
        match confine(&abs, &self.root) {
            Err(Refusal::Outside) => Some(
                Diagnostic::error(
                    "io/outside-root",
                    "the output's directory leads outside the root directory; nothing is written",
                )
                .in_path(shown(output))
                .help("a symbolic link in the tree being checked is not followed: give the real directory"),
            ),
            _ => None,
        }
    }

    fn refusal_diag(&self, refusal: Refusal, display: &str, origin: Origin<'_>) -> Diagnostic {
        refusal_diag(self.max_file_size, refusal, display, origin)
    }

    /// The entries of `dir` (a directory given on the command line) whose
    /// name ends with `.ext`, sorted; read them with [`Origin::Found`].
    pub fn list(dir: &Path, exts: &[&str]) -> io::Result<Vec<PathBuf>> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| exts.contains(&e))
            })
            .collect();
        out.sort();
        Ok(out)
    }
}

impl Fs {
    /// The subdirectories of `dir` (the evidence directory, given on the
    /// command line) that are evidence scopes, by name, sorted: each with
    /// its path, to be listed with [`Fs::list`] and read with
    /// [`Origin::Found`]. A subdirectory reached through a symbolic link
    /// is one only when the link stays inside the root (inside `dir`
    /// itself when `dir` is written outside the root), like any file
    /// found; one leading out is an error and is not listed (the names of
    /// its files would tell what is outside). Hidden directories
    /// (`.git`) are skipped; one whose name `valid` refuses is not read,
    /// with a warning.
    pub fn list_scopes(
        &self,
        dir: &Path,
        valid: impl Fn(&str) -> bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(String, PathBuf)> {
        let (real_dir, bound) = match self.written_inside(dir) {
            Some(abs) => match confine(&abs, &self.root) {
                Ok(real) => (real, self.root.clone()),
                Err(_) => return Vec::new(),
            },
            None => match dir.canonicalize() {
                Ok(real) => (real.clone(), real),
                Err(_) => return Vec::new(),
            },
        };
        let Ok(entries) = std::fs::read_dir(&real_dir) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let os_name = entry.file_name();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let path = dir.join(&os_name);
            let is_dir = if file_type.is_symlink() {
                match confine(&real_dir.join(&os_name), &bound) {
                    Ok(real) => real.is_dir(),
                    Err(Refusal::Outside) => {
                        // Whether the target is a directory is not asked
                        // (nothing outside is touched); a link named as
                        // an evidence file is reported by its listing.
                        let file_like = Path::new(&os_name).extension().is_some_and(|e| {
                            ["toml", "csv", "gz", "zst", "jsonl"]
                                .iter()
                                .any(|x| e == *x)
                        });
                        if !file_like {
                            diags.push(
                                Diagnostic::error(
                                    "io/outside-root",
                                    "the evidence scope directory leads outside the root directory; it is not read",
                                )
                                .in_path(shown(&path))
                                .help("a scope directory must stay inside the root (default the current directory): a symbolic link leading out is not followed"),
                            );
                        }
                        continue;
                    }
                    Err(_) => false,
                }
            } else {
                file_type.is_dir()
            };
            if !is_dir {
                continue;
            }
            let name = os_name.to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            if !valid(&name) {
                diags.push(
                    Diagnostic::warning(
                        "evidence/bad-scope-name",
                        format!("`{name}` cannot name an evidence scope; it is not read"),
                    )
                    .in_path(shown(&path))
                    .help("a scope directory's name is made of ASCII letters, digits, `-`, `_` and `.`, and does not start with `.`"),
                );
                continue;
            }
            out.push((name, path));
        }
        out.sort();
        out
    }
}

/// A path as the user should see it: as given, with `/`.
pub fn shown(p: &Path) -> String {
    p.display().to_string().replace('\\', "/")
}

/// How a path named in a file is shown: relative to that file's
/// directory, `claims/../articles/a.txt` shown as `articles/a.txt`.
pub fn named_display(by_shown: &str, name: &Path) -> PathBuf {
    let base = Path::new(by_shown).parent().unwrap_or(Path::new("."));
    let mut out = PathBuf::new();
    for c in base.join(name).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Lexical normalisation of an absolute path: `.` dropped, `..` removes
/// the component before it (and stays at the root).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Resolve `abs` (absolute, normalised) inside `bound` (canonical): walk it
/// from `bound`, following symbolic links by reading them, refusing as
/// soon as a path leaves `bound`. Nothing outside `bound` is touched.
fn confine(abs: &Path, bound: &Path) -> Result<PathBuf, Refusal> {
    let mut pending = abs.to_path_buf();
    let mut links = 0;
    'walk: loop {
        let Ok(rest) = pending.strip_prefix(bound) else {
            return Err(Refusal::Outside);
        };
        let parts: Vec<OsString> = rest
            .components()
            .map(|c| c.as_os_str().to_os_string())
            .collect();
        let mut real = bound.to_path_buf();
        for (i, name) in parts.iter().enumerate() {
            let next = real.join(name);
            let meta = std::fs::symlink_metadata(&next)?;
            if meta.file_type().is_symlink() {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(Refusal::Io(io::Error::other(
                        "too many levels of symbolic links",
                    )));
                }
                let mut target = real.join(std::fs::read_link(&next)?);
                for p in parts.iter().skip(i + 1) {
                    target.push(p);
                }
                pending = normalize(&target);
                continue 'walk;
            }
            real = next;
        }
        return Ok(real);
    }
}

/// What a file that is not regular is, for the message.
fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "not a regular file"
}

/// The diagnostic of a path not read (`max`: the size limit).
fn refusal_diag(max: u64, refusal: Refusal, display: &str, origin: Origin<'_>) -> Diagnostic {
    let named = matches!(origin, Origin::Named { .. });
    // A located error names the file in its message; one about a file
    // names it as its place.
    let subject = if named {
        format!("`{display}`")
    } else {
        "the file".to_string()
    };
    let (code, message, help) = match refusal {
        Refusal::Outside => (
            "io/outside-root",
            "the path leads outside the root directory; it is not read".to_string(),
            if named {
                "a path in a claim or table file must be relative and stay inside the root (default the current directory): no absolute path, no `..` above the root, no symbolic link leading out"
            } else {
                "a file in the tree being checked must stay inside the root (default the current directory): a symbolic link leading out is not followed (give the real path on the command line to read it anyway)"
            },
        ),
        Refusal::NotRegular(what) => (
            "io/not-regular",
            format!("{subject} is {what}, not a regular file; it is not read"),
            "only regular files are read",
        ),
        Refusal::TooLarge => (
            "io/too-large",
            format!(
                "{subject} is larger than the limit of {} bytes; it is not read",
                max
            ),
            "raise the size limit if the file is genuine",
        ),
        Refusal::Io(e) if named => (
            "io/read",
            format!("cannot read {subject}: {e}"),
            "check the path: it is relative to the claim file",
        ),
        Refusal::Io(e) => ("io/read", format!("cannot read file: {e}"), ""),
    };
    let d = Diagnostic::error(code, message);
    let d = match origin {
        Origin::Named {
            at: (file, span), ..
        } => {
            let label = if code == "io/outside-root" {
                "outside the root"
            } else {
                "named here"
            };
            d.at(file, span.clone(), label)
        }
        Origin::Cli | Origin::Found { .. } => d.in_path(display.to_string()),
    };
    if help.is_empty() {
        d
    } else {
        d.help(help)
    }
}

/// Open a regular file of at most `max` bytes; `real` is recorded as an
/// input once its type is checked.
fn open_regular(
    real: &Path,
    max: u64,
    origin: Origin<'_>,
    inputs: &mut Vec<PathBuf>,
) -> Result<File, Refusal> {
    // Checked before opening: opening a FIFO would block.
    let before = std::fs::metadata(real)?;
    if !before.is_file() {
        return Err(Refusal::NotRegular(kind(&before)));
    }
    inputs.push(real.to_path_buf());
    if before.len() > max {
        return Err(Refusal::TooLarge);
    }
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking, so a file swapped for a FIFO after the check does
        // not block either; a confined path has no symbolic link left.
        let nofollow = match origin {
            Origin::Cli => 0,
            Origin::Found { .. } | Origin::Named { .. } => libc::O_NOFOLLOW,
        };
        opts.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    #[cfg(not(unix))]
    let _ = origin;
    let file: File = opts.open(real)?;
    let after = file.metadata()?;
    if !after.is_file() {
        return Err(Refusal::NotRegular(kind(&after)));
    }
    if !same_file(&before, &after) {
        return Err(Refusal::Io(io::Error::other(
            "the file changed while it was opened",
        )));
    }
    Ok(file)
}

/// Read an open file whole, at most `max` bytes (a file growing while it
/// is read cannot exceed the limit either).
fn read_bounded(file: &File, max: u64) -> Result<Vec<u8>, Refusal> {
    let len = file.metadata()?.len();
    let capacity = usize::try_from(len.min(max)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(Refusal::TooLarge);
    }
    Ok(bytes)
}

/// The bytes of a file as text, or why they are not: not UTF-8, or
/// holding a NUL (UTF-16 without a byte-order mark, or a binary file).
fn checked_text(bytes: Vec<u8>, display: &str) -> Result<String, Box<Diagnostic>> {
    match String::from_utf8(bytes) {
        Ok(text) => match memchr::memchr(0, text.as_bytes()) {
            Some(at) => {
                let (line, column) = line_col(text.as_bytes(), at);
                Err(Box::new(
                    Diagnostic::error(
                        "io/not-utf8",
                        "file is not UTF-8 text: it holds a NUL byte",
                    )
                    .in_path(format!("{display}:{line}:{column}"))
                    .help(
                        "save the file as UTF-8 (NUL bytes between letters usually mean UTF-16)",
                    ),
                ))
            }
            None => Ok(text),
        },
        Err(e) => Err(Box::new(not_utf8(display, &e))),
    }
}

/// A regular file opened by [`Fs::open`], to be read in pieces (several
/// readers may read it at once, each at its own offset).
#[derive(Debug)]
pub struct Opened {
    /// Path as the user should see it.
    pub shown: String,
    /// Real path of the file.
    pub real: PathBuf,
    file: std::sync::Mutex<File>,
    len: u64,
    max: u64,
}

impl Opened {
    /// Its length in bytes when it was opened.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether it was empty when opened.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The size limit: reading more than this many bytes is an error.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// Read into `buf` from byte `offset`; 0 at the end of the file.
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        use std::io::{Seek, SeekFrom};
        let mut file = self
            .file
            .lock()
            .map_err(|_| io::Error::other("a reader of the file failed"))?;
        file.seek(SeekFrom::Start(offset))?;
        file.read(buf)
    }

    /// The whole text, read again from the start, checked as [`Fs::read`]
    /// checks a file (size limit, UTF-8, no NUL), with the same
    /// diagnostic when it fails.
    pub fn read_text(&self) -> Result<String, Box<Diagnostic>> {
        use std::io::{Seek, SeekFrom};
        let origin = Origin::Found { dir: Path::new("") };
        let fail = |r: Refusal| Box::new(refusal_diag(self.max, r, &self.shown, origin));
        let file = self
            .file
            .lock()
            .map_err(|_| fail(Refusal::Io(io::Error::other("a reader of the file failed"))))?;
        (&*file)
            .seek(SeekFrom::Start(0))
            .map_err(|e| fail(e.into()))?;
        let bytes = read_bounded(&file, self.max).map_err(fail)?;
        checked_text(bytes, &self.shown)
    }
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &Metadata, _: &Metadata) -> bool {
    true
}

/// One-based line and column (in characters) of byte `at`, everything
/// before it being UTF-8.
fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = bytes.get(..at).unwrap_or_default();
    let line = 1 + before.iter().filter(|b| **b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = 1 + String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count();
    (line, column)
}

fn not_utf8(display: &str, e: &std::string::FromUtf8Error) -> Diagnostic {
    let at = e.utf8_error().valid_up_to();
    let bytes = e.as_bytes();
    let (line, column) = line_col(bytes, at);
    let byte = bytes.get(at).copied().unwrap_or(0);
    let help = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        "the file starts with a UTF-16 byte-order mark: save it as UTF-8"
    } else {
        "save the file as UTF-8 (a lone byte above 0x7F usually means Latin-1 or Windows-1252)"
    };
    Diagnostic::error(
        "io/not-utf8",
        format!("file is not UTF-8: byte 0x{byte:02X} does not start a character"),
    )
    .in_path(format!("{display}:{line}:{column}"))
    .help(help)
}

/// Parse a size: bytes, or with a `K`, `M` or `G` suffix (powers of 1024,
/// optionally followed by `B` or `iB`).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let body = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (digits, shift) = match body.chars().last() {
        Some('K') => (body.trim_end_matches('K'), 10),
        Some('M') => (body.trim_end_matches('M'), 20),
        Some('G') => (body.trim_end_matches('G'), 30),
        _ => (body, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 512M, 2G, 1048576)"))?;
    n.checked_mul(1u64 << shift)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{s}` is not a usable size (more than 0, at most 2^64 - 1)"))
}

/// Collect claim files from paths given on the command line: files as
/// they are, directories listed for `*.toml`. Each comes with the
/// directory it was found in, if it was.
pub fn collect_paths(
    fs: &Fs,
    paths: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, Option<PathBuf>)> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                if let Some(d) = fs.check_dir(p) {
                    diags.push(d);
                    continue;
                }
                let found = Fs::list(p, &["toml"]).unwrap_or_default();
                if found.is_empty() {
                    diags.push(
                        Diagnostic::error(
                            "io/no-claim-files",
                            "directory has no claim files (*.toml)",
                        )
                        .in_path(shown(p))
                        .help("pass claim files or a directory holding them"),
                    );
                }
                out.extend(found.into_iter().map(|f| (f, Some(p.clone()))));
            }
            // A file, or something that is not: reading it says which.
            Ok(_) => out.push((p.clone(), None)),
            Err(_) => diags.push(
                Diagnostic::error("io/not-found", "no such file or directory")
                    .in_path(shown(p))
                    .help("check the path; by default factcheck reads claims/"),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_suffixes() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("4K"), Ok(4096));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("3MB"), Ok(3 << 20));
        for bad in ["", "G", "-1", "1.5G", "0", "99999999999G", "1T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn normalisation_is_lexical() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(normalize(Path::new("/a/../../..")), PathBuf::from("/"));
    }

    #[test]
    fn named_paths_are_shown_relative_to_their_file() {
        assert_eq!(
            named_display("claims/a.toml", Path::new("../articles/a.txt")),
            PathBuf::from("articles/a.txt")
        );
        assert_eq!(
            named_display("a.toml", Path::new("t.txt")),
            PathBuf::from("t.txt")
        );
    }
}
