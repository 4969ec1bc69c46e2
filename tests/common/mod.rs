//! What the command-line tests share: the binary, run without colour, and
//! the seed article's text.

use std::process::Command;

use insta_cmd::get_cargo_bin;

/// The seed article's text, beside the repository (the project ships no
/// copy of the article; tests that need it say so).
#[allow(dead_code)] // not every test binary anchors quotes
pub const SEED_ARTICLE: &str = "../shared/seeds/000_97c7157fc1298784.txt";

/// The `factcheck` binary with colour off, as CI sees it.
pub fn factcheck() -> Command {
    let mut cmd = Command::new(get_cargo_bin("factcheck"));
    cmd.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE");
    cmd
}
