//! `cargo xtask fuzz [--minutes N]`: runs the cargo-fuzz target `manifest` (parse + validate + apply + print/read
//! back) with libFuzzer for N minutes (default 10).
//!
//! cargo-fuzz needs a nightly toolchain; it is installed with rustup if missing, and cargo-fuzz itself with
//! `cargo install --locked` at a pinned version, both idempotently. New inputs go to `fuzz/corpus/manifest`
//! (git-ignored); the committed seeds in `fuzz/seeds/manifest` are only read. A crash leaves its input in
//! `fuzz/artifacts/manifest/` and fails the command.

use crate::run::{self, Env};

pub const CARGO_FUZZ: &str = "0.13.2";
const TARGET: &str = "manifest";

pub fn main(args: &[String]) -> Result<(), String> {
    let minutes: u64 = match args {
        [] => 10,
        [flag, n] if flag == "--minutes" => {
            n.parse().map_err(|_| format!("fuzz: --minutes wants a number, not {n:?}"))?
        }
        other => return Err(format!("fuzz: unexpected arguments {other:?} (usage: cargo xtask fuzz [--minutes N])")),
    };
    let env = Env { path: crate::tools::search_path(), chromedriver: None };
    let toolchains = run::probe(env.command("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if toolchains.lines().any(|l| l.starts_with("nightly")) {
        println!("setup: nightly toolchain: already installed, skipping");
    } else {
        run::status(env.command("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]))?;
    }
    let found = run::probe(env.command("cargo").args(["fuzz", "--version"])).unwrap_or_default();
    if found.split_whitespace().any(|w| w == CARGO_FUZZ) {
        println!("setup: cargo-fuzz {CARGO_FUZZ}: already installed, skipping");
    } else {
        run::status(env.command("cargo").args(["install", "--locked", "cargo-fuzz", "--version", CARGO_FUZZ]))?;
    }
    let corpus = crate::root().join("fuzz").join("corpus").join(TARGET);
    std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let seconds = minutes * 60;
    run::status(env.command("cargo").args([
        "+nightly",
        "fuzz",
        "run",
        TARGET,
        "fuzz/corpus/manifest",
        "fuzz/seeds/manifest",
        "--",
        &format!("-max_total_time={seconds}"),
        // A hang is an input that takes more than 10 s; memory is bounded too.
        "-timeout=10",
        "-rss_limit_mb=2048",
        "-max_len=65536",
        "-print_final_stats=1",
    ]))
}
