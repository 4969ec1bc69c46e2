//! Hostile file systems: claim and evidence files that try to make
//! factcheck read (and print) files outside the tree being checked, files
//! that are not regular (FIFOs, devices), reports written over links or
//! over the run's own inputs, and standard output that fails.
//!
//! Every run goes through [`run`], which kills the binary after 30 s: a
//! hang guard, not a timing assertion.

#![cfg(unix)]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use common::factcheck;

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Written into every file outside the root; must never be printed.
const SECRET: &str = "SECRET-7f3a9c-TOKEN";

const TOY: &str = "tests/fixtures/toy/evidence";

const FORMATS: [&str; 5] = ["human", "json", "sarif", "junit", "github"];

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Run `cmd` with its output in files, killing it after 30 s.
fn run(cmd: &mut Command) -> Out {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let base = std::env::temp_dir().join(format!("factcheck-hfs-out-{}-{n}", std::process::id()));
    let (o, e) = (base.with_extension("out"), base.with_extension("err"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&o).unwrap())
        .stderr(std::fs::File::create(&e).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("factcheck did not finish within 30 s: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    let out = Out {
        code: status.code(),
        stdout: read(&o),
        stderr: read(&e),
    };
    let _ = std::fs::remove_file(o);
    let _ = std::fs::remove_file(e);
    out
}

/// A scratch tree: `<dir>/repo` (the root: `claims/`, `evidence/` with the
/// toy evidence) and `<dir>/outside` holding secrets.
struct Tree {
    dir: PathBuf,
}

impl Tree {
    fn new(tag: &str) -> Tree {
        let dir = std::env::temp_dir().join(format!("factcheck-hfs-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for d in ["repo/claims", "repo/evidence", "outside"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        for f in ["sources.toml", "staff.toml", "staff.csv"] {
            std::fs::copy(Path::new(TOY).join(f), dir.join("repo/evidence").join(f)).unwrap();
        }
        // Close enough to the quote that a "closest passage" would show it.
        std::fs::write(
            dir.join("outside/secret.txt"),
            format!("{SECRET} The team has had five members over the years.\n"),
        )
        .unwrap();
        Tree { dir }
    }

    fn repo(&self) -> PathBuf {
        self.dir.join("repo")
    }

    fn outside(&self, name: &str) -> PathBuf {
        self.dir.join("outside").join(name)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.repo().join(rel);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// A claim file whose article text is `text` (a TOML string body).
    fn claims(&self, text: &str) -> PathBuf {
        self.write("claims/a.toml", &claim_file(text))
    }

    /// `factcheck <args>` run in the repository (the default root).
    fn factcheck(&self, args: &[&str]) -> Out {
        run(factcheck().current_dir(self.repo()).args(args))
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn claim_file(text: &str) -> String {
    format!(
        "[article]\nid = \"a\"\ntitle = \"t\"\nurl = \"https://example.org/a\"\nlanguage = \"en\"\npublished = \"2022-01-01\"\ntext = \"{text}\"\n\n[[claim]]\nid = \"count\"\nquote = \"The team has had four members over the years.\"\nclaim = \"c\"\nmeasure = \"count(staff)\"\nstates = \"4\"\n"
    )
}

/// `verify` in every format: exit 2, `code` reported, no byte of the
/// secret anywhere.
fn assert_refused_everywhere(tree: &Tree, code: &str) {
    for format in FORMATS {
        let out = tree.factcheck(&["verify", "--format", format]);
        assert_eq!(out.code, Some(2), "{format}: {}", out.all());
        assert!(
            !out.all().contains(SECRET),
            "{format}: the secret was printed:\n{}",
            out.all()
        );
        assert!(
            out.stderr.contains(&format!("error[{code}]")),
            "{format}: no {code}:\n{}",
            out.stderr
        );
    }
}

#[test]
fn article_text_outside_the_root_is_refused_and_never_printed() {
    let tree = Tree::new("article");
    let secret = tree.outside("secret.txt");
    // `..` above the root, and an absolute path.
    for text in [
        "../../outside/secret.txt".to_string(),
        secret.display().to_string(),
    ] {
        tree.claims(&text);
        assert_refused_everywhere(&tree, "io/outside-root");
    }
    // A symbolic link to the file, and one to its directory.
    symlink(&secret, tree.repo().join("claims/link.txt")).unwrap();
    tree.claims("link.txt");
    assert_refused_everywhere(&tree, "io/outside-root");
    symlink(tree.dir.join("outside"), tree.repo().join("claims/dir")).unwrap();
    tree.claims("dir/secret.txt");
    assert_refused_everywhere(&tree, "io/outside-root");
    // A relative link through `..`, and a chain of links.
    symlink(
        "../../outside/secret.txt",
        tree.repo().join("claims/rel.txt"),
    )
    .unwrap();
    symlink("rel.txt", tree.repo().join("claims/chain.txt")).unwrap();
    tree.claims("chain.txt");
    assert_refused_everywhere(&tree, "io/outside-root");
}

/// Whether a path outside the root is refused, and how, does not depend
/// on what is there: no oracle for the file system outside.
#[test]
fn the_refusal_says_nothing_about_the_outside_target() {
    let tree = Tree::new("oracle");
    let link = tree.repo().join("claims/link.txt");
    tree.claims("link.txt");
    let mut seen = Vec::new();
    for target in [
        tree.outside("secret.txt"),
        tree.outside("no-such-file.txt"),
        tree.dir.join("outside"),
        PathBuf::from("/dev/zero"),
        PathBuf::from("/root/.ssh/id_rsa"),
    ] {
        let _ = std::fs::remove_file(&link);
        symlink(&target, &link).unwrap();
        let out = tree.factcheck(&["check"]);
        assert_eq!(out.code, Some(2), "{}", out.stderr);
        seen.push((target, out.stderr));
    }
    for (target, stderr) in &seen[1..] {
        assert_eq!(stderr, &seen[0].1, "differs for {}", target.display());
    }
    // The same for a path written in the claim file (of the same length,
    // so the carets line up).
    let mut seen = Vec::new();
    for text in ["../../outside/secret.txt", "../../outside/absent.txt"] {
        tree.claims(text);
        let out = tree.factcheck(&["check"]);
        seen.push(out.stderr.replace(text, "<path>"));
    }
    assert_eq!(seen[0], seen[1]);
}

#[test]
fn symlinked_claim_and_evidence_files_leading_out_are_refused() {
    let tree = Tree::new("found");
    // A claim file that fails to parse on a line holding the secret.
    std::fs::write(
        tree.outside("secret.toml"),
        format!("[article]\nid = {SECRET}\n"),
    )
    .unwrap();
    tree.write("claims/a.toml", &claim_file("../article.txt"));
    tree.write(
        "article.txt",
        "The team has had four members over the years.\n",
    );
    symlink(
        tree.outside("secret.toml"),
        tree.repo().join("claims/evil.toml"),
    )
    .unwrap();
    assert_refused_everywhere(&tree, "io/outside-root");
    std::fs::remove_file(tree.repo().join("claims/evil.toml")).unwrap();
    // The environment, through /proc.
    symlink("/proc/self/environ", tree.repo().join("claims/env.toml")).unwrap();
    for format in FORMATS {
        let out = run(factcheck()
            .current_dir(tree.repo())
            .env("FACTCHECK_TEST_SECRET", SECRET)
            .args(["verify", "--format", format]));
        assert_eq!(out.code, Some(2));
        assert!(!out.all().contains(SECRET), "{format}: {}", out.all());
        assert!(
            out.stderr.contains("error[io/outside-root]"),
            "{}",
            out.stderr
        );
    }
    std::fs::remove_file(tree.repo().join("claims/env.toml")).unwrap();
    // A CSV whose badly typed cell holds the secret.
    std::fs::write(
        tree.outside("secret.csv"),
        format!(
            "name,team,start,end,tenure,score,tags,sources,note\nAna,x,{SECRET},2023,about 7 years,5,a,roster,\n"
        ),
    )
    .unwrap();
    let csv = tree.repo().join("evidence/staff.csv");
    std::fs::remove_file(&csv).unwrap();
    symlink(tree.outside("secret.csv"), &csv).unwrap();
    assert_refused_everywhere(&tree, "io/outside-root");
}

/// The default `claims` and `evidence`, and any path given on the
/// command line that is written inside the root, are resolved by the tree
/// being checked: a link there leading out is refused, without listing
/// what is outside.
#[test]
fn command_line_paths_written_inside_the_root_are_confined() {
    let tree = Tree::new("cli");
    let secrets = tree.dir.join("outside/secrets");
    std::fs::create_dir_all(&secrets).unwrap();
    std::fs::write(
        secrets.join(format!("{SECRET}.toml")),
        format!("{SECRET} =\n"),
    )
    .unwrap();
    std::fs::write(secrets.join("sources.toml"), format!("{SECRET} =\n")).unwrap();
    tree.write(
        "article.txt",
        "The team has had four members over the years.\n",
    );
    tree.claims("../article.txt");
    // `evidence/` replaced by a link.
    let evidence = tree.repo().join("evidence");
    std::fs::rename(&evidence, tree.repo().join("real-evidence")).unwrap();
    symlink(&secrets, &evidence).unwrap();
    assert_refused_everywhere(&tree, "io/outside-root");
    std::fs::remove_file(&evidence).unwrap();
    std::fs::rename(tree.repo().join("real-evidence"), &evidence).unwrap();
    // `claims/` replaced by a link.
    let claims = tree.repo().join("claims");
    std::fs::rename(&claims, tree.repo().join("real-claims")).unwrap();
    symlink(&secrets, &claims).unwrap();
    assert_refused_everywhere(&tree, "io/outside-root");
    std::fs::remove_file(&claims).unwrap();
    std::fs::rename(tree.repo().join("real-claims"), &claims).unwrap();
    // A claim file named on the command line that is a link.
    symlink(
        secrets.join(format!("{SECRET}.toml")),
        claims.join("b.toml"),
    )
    .unwrap();
    for format in FORMATS {
        let out = tree.factcheck(&["verify", "--format", format, "claims/b.toml"]);
        assert_eq!(out.code, Some(2), "{}", out.all());
        assert!(!out.all().contains(SECRET), "{format}: {}", out.all());
        assert!(
            out.stderr.contains("error[io/outside-root]"),
            "{}",
            out.stderr
        );
    }
    // Written outside the root, the same file is trusted.
    let real = secrets.join(format!("{SECRET}.toml"));
    let out = tree.factcheck(&["check", real.to_str().unwrap()]);
    assert!(out.stderr.contains("error[toml/syntax]"), "{}", out.stderr);
}

/// Links that stay inside the root are followed.
#[test]
fn links_inside_the_root_are_read() {
    let tree = Tree::new("inside");
    std::fs::create_dir_all(tree.repo().join("data")).unwrap();
    std::fs::create_dir_all(tree.repo().join("articles")).unwrap();
    let csv = tree.repo().join("evidence/staff.csv");
    std::fs::rename(&csv, tree.repo().join("data/staff.csv")).unwrap();
    symlink("../data/staff.csv", &csv).unwrap();
    tree.write(
        "articles/a.txt",
        "The team has had four members over the years.\n",
    );
    symlink("../articles", tree.repo().join("claims/texts")).unwrap();
    tree.claims("texts/a.txt");
    let out = tree.factcheck(&["verify", "--format", "json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("\"supported\""), "{}", out.stdout);
}

/// `--root` moves the root; a claim file outside the root cannot name an
/// article beside it.
#[test]
fn the_root_is_the_current_directory_unless_given() {
    let tree = Tree::new("root");
    tree.write(
        "article.txt",
        "The team has had four members over the years.\n",
    );
    let claims = tree.claims("../article.txt");
    let claims = claims.to_str().unwrap();
    let evidence = tree.repo().join("evidence");
    let evidence = evidence.to_str().unwrap();
    // From elsewhere (the crate's directory), the article is outside the root.
    let out = run(factcheck().args(["check", "--evidence", evidence, claims]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("error[io/outside-root]"),
        "{}",
        out.stderr
    );
    let root = tree.repo();
    let out = run(factcheck().args([
        "check",
        "--evidence",
        evidence,
        "--root",
        root.to_str().unwrap(),
        claims,
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // A missing root is an error.
    let out = run(factcheck().args(["check", "--root", "/no/such/root", claims]));
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("error[io/root]"), "{}", out.stderr);
}

/// An evidence directory given on the command line is trusted, wherever
/// it is; a link in it leading out of it is not.
#[test]
fn an_evidence_directory_outside_the_root_confines_its_own_files() {
    let tree = Tree::new("evdir");
    let evidence = tree.repo().join("evidence");
    let out = run(factcheck().args([
        "check",
        "--evidence",
        evidence.to_str().unwrap(),
        "tests/fixtures/toy/claims/toy.toml",
    ]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    std::fs::write(tree.outside("extra.toml"), format!("{SECRET} =\n")).unwrap();
    symlink(tree.outside("extra.toml"), evidence.join("extra.toml")).unwrap();
    let out = run(factcheck().args([
        "check",
        "--evidence",
        evidence.to_str().unwrap(),
        "tests/fixtures/toy/claims/toy.toml",
    ]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("error[io/outside-root]"),
        "{}",
        out.stderr
    );
    assert!(!out.all().contains(SECRET));
}

#[test]
fn devices_and_fifos_are_refused_without_hanging() {
    let tree = Tree::new("special");
    // /dev/zero on the command line (trusted place, but not a file).
    tree.claims("../article.txt");
    let out = tree.factcheck(&["verify", "--article", "/dev/zero", "claims"]);
    assert_eq!(out.code, Some(2));
    let out = tree.factcheck(&["check", "/dev/zero"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("error[io/not-regular]"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("character device"), "{}", out.stderr);
    // A FIFO named as the article text, inside the root.
    let fifo = tree.repo().join("claims/fifo.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    tree.claims("fifo.txt");
    let out = tree.factcheck(&["check"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("error[io/not-regular]"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("a FIFO"), "{}", out.stderr);
    // A FIFO as the CSV of a table.
    tree.write(
        "article.txt",
        "The team has had four members over the years.\n",
    );
    tree.claims("../article.txt");
    let csv = tree.repo().join("evidence/staff.csv");
    std::fs::remove_file(&csv).unwrap();
    assert!(Command::new("mkfifo").arg(&csv).status().unwrap().success());
    let out = tree.factcheck(&["check"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("error[io/not-regular]"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("evidence/missing-csv"),
        "an unreadable CSV is not reported as missing: {}",
        out.stderr
    );
    // A directory named like a claim file, in the claims directory.
    std::fs::create_dir(tree.repo().join("claims/dir.toml")).unwrap();
    let out = tree.factcheck(&["check"]);
    assert!(out.stderr.contains("is a directory"), "{}", out.stderr);
}

#[test]
fn files_over_the_size_limit_are_refused() {
    let tree = Tree::new("size");
    tree.write(
        "article.txt",
        "The team has had four members over the years.\n",
    );
    tree.claims("../article.txt");
    let out = tree.factcheck(&["check"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // Every file is under 1K except the article, padded to 2K.
    let mut text = String::from("The team has had four members over the years.\n");
    text.push_str(&"x".repeat(2048));
    tree.write("article.txt", &text);
    let out = tree.factcheck(&["check", "--max-file-size", "1K"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("error[io/too-large]"), "{}", out.stderr);
    assert!(out.stderr.contains("1024 bytes"), "{}", out.stderr);
    let out = tree.factcheck(&["check", "--max-file-size", "4K"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // A bad size is a usage error.
    let out = tree.factcheck(&["check", "--max-file-size", "lots"]);
    assert_eq!(out.code, Some(2));
}

/// `--output` never writes through a link, over something that is not a
/// regular file, or over a file the run read.
#[test]
fn output_refuses_links_special_files_and_inputs() {
    let tree = Tree::new("output");
    tree.write(
        "article.txt",
        "The team has had four members over the years.\n",
    );
    let claims = tree.claims("../article.txt");
    let victim = tree.outside("victim.txt");
    std::fs::write(&victim, "untouched\n").unwrap();
    let link = tree.repo().join("report.json");
    symlink(&victim, &link).unwrap();
    let out = tree.factcheck(&["verify", "--format", "json", "--output", "report.json"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("error[io/output-not-regular]"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched\n");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // A dangling link is refused too (it would create its target).
    std::fs::remove_file(&link).unwrap();
    symlink(tree.outside("created.txt"), &link).unwrap();
    let out = tree.factcheck(&["schema", "--output", "report.json"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(!tree.outside("created.txt").exists());
    // A directory.
    let out = tree.factcheck(&["verify", "--format", "json", "--output", "claims"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("error[io/output-not-regular]"),
        "{}",
        out.stderr
    );
    // The run's own inputs: the claim file, the article, an evidence file.
    let before = std::fs::read_to_string(&claims).unwrap();
    for input in ["claims/a.toml", "article.txt", "evidence/staff.csv"] {
        for cmd in [
            vec!["verify", "--format", "json", "--output", input],
            vec!["check", "--format", "sarif", "--output", input],
        ] {
            let out = tree.factcheck(&cmd);
            assert_eq!(out.code, Some(2), "{cmd:?}: {}", out.stderr);
            assert!(
                out.stderr.contains("error[io/output-is-input]"),
                "{}",
                out.stderr
            );
        }
    }
    assert_eq!(std::fs::read_to_string(&claims).unwrap(), before);
    // A directory in the tree that is a link leading out.
    symlink(tree.dir.join("outside"), tree.repo().join("reports")).unwrap();
    let out = tree.factcheck(&["verify", "--format", "json", "-o", "reports/victim.txt"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains("error[io/outside-root]"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched\n");
    // A regular file is replaced, and no temporary file is left behind.
    std::fs::write(tree.repo().join("old.json"), "old").unwrap();
    let out = tree.factcheck(&["verify", "--format", "json", "--output", "old.json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let written = std::fs::read_to_string(tree.repo().join("old.json")).unwrap();
    assert!(written.contains("\"supported\""), "{written}");
    let names: Vec<String> = std::fs::read_dir(tree.repo())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

/// A full disk on standard output is an error, not a silent exit 0.
#[test]
fn a_failing_stdout_exits_2() {
    for args in [
        vec!["schema"],
        vec![
            "verify",
            "--evidence",
            TOY,
            "--format",
            "json",
            "tests/fixtures/toy/claims/toy.toml",
        ],
        vec![
            "verify",
            "--evidence",
            TOY,
            "tests/fixtures/toy/claims/toy.toml",
        ],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let stderr = std::env::temp_dir().join(format!("factcheck-full-{}", std::process::id()));
        let status = factcheck()
            .args(&args)
            .stdout(full)
            .stderr(std::fs::File::create(&stderr).unwrap())
            .status()
            .unwrap();
        let err = std::fs::read_to_string(&stderr).unwrap();
        let _ = std::fs::remove_file(&stderr);
        assert_eq!(status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("error[io/write]"), "{args:?}: {err}");
    }
}

/// A reader that goes away is not an error.
#[test]
fn a_closed_pipe_is_quiet() {
    let mut child = factcheck()
        .arg("schema")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("io/write"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// Machine formats are written byte for byte: only the human format has
/// its control characters stripped by anstream.
#[test]
fn machine_formats_keep_every_byte() {
    let tree = Tree::new("bytes");
    let text = claim_file("../article.txt").replace("claim = \"c\"", "claim = \"c\\u007fd\"");
    tree.write("claims/a.toml", &text);
    tree.write(
        "article.txt",
        "The team has had four members over the years.\n",
    );
    let out = tree.factcheck(&["verify", "--format", "json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["claims"][0]["claim"], "c\u{7f}d", "{}", out.stdout);
    // Markdown shows the DEL as a visible escape rather than losing it.
    let out = tree.factcheck(&["verify", "--format", "markdown"]);
    assert!(out.stdout.contains(r"c\\u\{7f\}d"), "{}", out.stdout);
}
