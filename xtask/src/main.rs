//! `cargo xtask`: the project's own commands. Every command first ensures the tools it needs, idempotently and at
//! pinned versions (see `tools.rs`), so a fresh machine needs nothing but Rust, Node/npm and (for tests) apt.
//!
//! ```text
//! cargo xtask serve [--address 127.0.0.1] [--port 8080]   build and serve the playground (trunk serve)
//! cargo xtask test                                         everything CI checks, stopping at the first failure
//! cargo xtask test --clean-room [--fresh-tools] [--keep]   the same in a fresh clone with an empty cargo cache
//! cargo xtask dist                                         release build into dist/ and a size table
//! cargo xtask e2e                                          end-to-end check of an existing dist/
//! cargo xtask setup [--browser]                            only install the tools
//! cargo xtask fuzz [--target T] [--minutes N]              fuzz manifests or kubectl lines (nightly, cargo-fuzz)
//! ```

mod a11y;
mod bench_ui;
mod clean_room;
mod dist;
mod e2e;
mod fuzz;
mod run;
mod serve;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [--address ADDR] [--port PORT]  install the tools if missing, then serve the playground
                                        (default http://127.0.0.1:8080/)
  test                                  install the tools (and Chromium) if missing, then run fmt, clippy,
                                        native tests, browser tests, dist and the end-to-end check
  test --clean-room [--fresh-tools] [--keep]
                                        the same as a new machine runs it: clone the committed HEAD into a
                                        temporary folder and run `cargo xtask test` there with an empty
                                        CARGO_HOME and target/; print each stage's time. Tools on PATH are
                                        reused unless --fresh-tools; the folder is kept on failure or --keep
  dist                                  release build into dist/ (the landing screen prerendered into index.html,
                                        a .gz and .br beside each file) and print raw, gzip and brotli sizes
  e2e                                   end-to-end check of the built dist/ in headless Chromium
  bench-ui [--lighthouse]               build dist/ and measure it in headless Chromium: Lighthouse (mobile),
                                        time to app-ready, and frame times with 500 pods on the stage during a
                                        rollout with 1,000 requests per second (--lighthouse: Lighthouse only)
  setup [--browser]                     only install the tools (with --browser, Chromium too)
  fuzz [--target manifest|kubectl] [--minutes N]
                                        run a fuzz target for N minutes (default: manifest, 10)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::main(&args[1..]),
        Some("test") => match &args[1..] {
            [] => test::main(),
            [first, rest @ ..] if first == "--clean-room" => {
                clean_room_options(rest).and_then(|o| clean_room::main(&o))
            }
            [other, ..] => Err(format!("test: unexpected argument {other:?} (try --clean-room)")),
        },
        Some("dist") => no_args(&args[1..]).and_then(|()| {
            let env = tools::ensure(tools::Need::Build)?;
            dist::main(&env).map(|_| ())
        }),
        Some("e2e") => no_args(&args[1..]).and_then(|()| {
            let env = tools::ensure(tools::Need::Browser)?;
            e2e::main(&env)
        }),
        Some("bench-ui") => match &args[1..] {
            [] => tools::ensure(tools::Need::Bench).and_then(|env| bench_ui::main(&env, false)),
            [flag] if flag == "--lighthouse" => {
                tools::ensure(tools::Need::Bench).and_then(|env| bench_ui::main(&env, true))
            }
            other => Err(format!("bench-ui: unexpected arguments {other:?} (try --lighthouse)")),
        },
        Some("setup") => match &args[1..] {
            [] => tools::ensure(tools::Need::Build).map(|_| ()),
            [flag] if flag == "--browser" => tools::ensure(tools::Need::Browser).map(|_| ()),
            other => Err(format!("setup: unexpected argument {:?}", other[0])),
        },
        Some("fuzz") => fuzz::main(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
        None => Err(USAGE.trim_end().to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn clean_room_options(args: &[String]) -> Result<clean_room::Options, String> {
    let mut options = clean_room::Options::default();
    for arg in args {
        match arg.as_str() {
            "--fresh-tools" => options.fresh_tools = true,
            "--keep" => options.keep = true,
            other => {
                return Err(format!("test --clean-room: unexpected argument {other:?} (try --fresh-tools or --keep)"))
            }
        }
    }
    Ok(options)
}

fn no_args(args: &[String]) -> Result<(), String> {
    match args.first() {
        None => Ok(()),
        Some(arg) => Err(format!("unexpected argument {arg:?}")),
    }
}

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
