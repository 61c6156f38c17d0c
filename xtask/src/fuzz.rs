//! `cargo xtask fuzz [--target manifest|kubectl|link] [--minutes N]`: runs a cargo-fuzz target with libFuzzer for N
//! minutes (default 10): `manifest` (parse + validate + apply + print/read back, the default) or `kubectl` (any
//! text as kubectl command lines).
//!
//! cargo-fuzz needs a nightly toolchain; it is installed with rustup if missing, and cargo-fuzz itself with
//! `cargo install --locked` at a pinned version, both idempotently. New inputs go to `fuzz/corpus/TARGET`
//! (git-ignored); the committed seeds in `fuzz/seeds/TARGET` are only read. A crash leaves its input in
//! `fuzz/artifacts/TARGET/` and fails the command.

use crate::run::{self, Env};

pub const CARGO_FUZZ: &str = "0.13.2";
const TARGETS: [&str; 3] = ["manifest", "kubectl", "link"];

pub fn main(args: &[String]) -> Result<(), String> {
    let mut minutes: u64 = 10;
    let mut target = TARGETS[0];
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--minutes", Some(n)) => {
                minutes = n.parse().map_err(|_| format!("fuzz: --minutes wants a number, not {n:?}"))?;
            }
            ("--target", Some(t)) => {
                target = TARGETS
                    .iter()
                    .copied()
                    .find(|x| x == t)
                    .ok_or_else(|| format!("fuzz: --target is one of {TARGETS:?}"))?;
            }
            (other, _) => {
                return Err(format!(
                    "fuzz: unexpected argument {other:?} (usage: cargo xtask fuzz [--target manifest|kubectl|link] [--minutes N])"
                ))
            }
        }
        i += 2;
    }
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
    let corpus = crate::root().join("fuzz").join("corpus").join(target);
    std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let seconds = minutes * 60;
    run::status(env.command("cargo").args([
        "+nightly",
        "fuzz",
        "run",
        target,
        &format!("fuzz/corpus/{target}"),
        &format!("fuzz/seeds/{target}"),
        "--",
        &format!("-max_total_time={seconds}"),
        // A hang is an input that takes more than 10 s; memory is bounded too.
        "-timeout=10",
        "-rss_limit_mb=2048",
        "-max_len=65536",
        "-print_final_stats=1",
    ]))
}
