//! `cargo xtask test --clean-room`: the whole suite as a new machine runs it, without a new machine.
//!
//! A warm machine hides the steps a fresh one needs (issue 16: `cargo metadata --offline` passed wherever the cargo
//! cache already held every platform's packages). So this clones the committed `HEAD` into a temporary folder and runs
//! `cargo xtask test` there with an empty `CARGO_HOME` (no registry cache, no git checkouts, no installed binaries)
//! and no `target/` or `.tools/`. What it cannot make new, it reuses and says so:
//!
//! - the Rust toolchain and its `wasm32-unknown-unknown` target (rustup's `RUSTUP_HOME` is shared), Debian's
//!   Chromium, ChromeDriver and fonts (system packages), and npm's download cache;
//! - by default also `trunk` and `wasm-bindgen-cli` where they are already on `PATH` (compiling them takes about
//!   13 minutes of a 2-core machine and proves nothing about this project). `--fresh-tools` hides them, so the clean
//!   room compiles them into its own `CARGO_HOME` exactly as a new machine does: that run is the honest first-run time.
//!
//! The registry configuration of the real `CARGO_HOME` (`config.toml`, if any) is copied, so a machine that reaches
//! crates.io through a mirror still can; credentials are not. Uncommitted changes are not tested (they are listed).
//! The folder is removed after a passing run and kept after a failing one, for a look at what went wrong.

use crate::test::{self, Timing};
use crate::tools;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Options after `cargo xtask test --clean-room`.
#[derive(Default)]
pub struct Options {
    /// Hide cargo-installed tools (`trunk`, `wasm-bindgen`) so that they are compiled again, as on a new machine.
    pub fresh_tools: bool,
    /// Keep the clean room's folder even when the run passes.
    pub keep: bool,
}

/// The binaries `cargo install` puts in `CARGO_HOME/bin` for this project; `--fresh-tools` hides the folders that
/// hold them.
const CARGO_INSTALLED: &[&str] = &["trunk", "wasm-bindgen", "wasm-bindgen-test-runner"];

/// The toolchain's own commands (rustup's proxies), made visible again from a shim folder when their folder is
/// hidden: `~/.cargo/bin` holds both the proxies and what `cargo install` added.
const TOOLCHAIN: &[&str] =
    &["cargo", "rustc", "rustup", "rustdoc", "rustfmt", "cargo-fmt", "cargo-clippy", "clippy-driver"];

pub fn main(options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let root = crate::root();
    let head = git(&root, &["rev-parse", "HEAD"])?;
    let changed = git(&root, &["status", "--porcelain"])?;
    if !changed.is_empty() {
        println!(
            "clean-room: the clean room tests the committed HEAD {head}; these uncommitted changes are NOT in it:\n{changed}"
        );
    }

    let base = std::env::temp_dir().join(format!("kubeplay-clean-room-{}", std::process::id()));
    if base.exists() {
        std::fs::remove_dir_all(&base).map_err(|e| format!("removing {}: {e}", base.display()))?;
    }
    let repo = base.join("repo");
    let cargo_home = base.join("cargo-home");
    std::fs::create_dir_all(&cargo_home).map_err(|e| format!("creating {}: {e}", cargo_home.display()))?;

    let t = Instant::now();
    crate::run::status(
        Command::new("git").args(["clone", "--quiet", "--no-local", "--no-checkout"]).arg(&root).arg(&repo),
    )?;
    crate::run::status(Command::new("git").arg("-C").arg(&repo).args(["checkout", "--quiet", "--detach", &head]))?;
    let mut done: Vec<Timing> = vec![("clone".to_string(), t.elapsed().as_secs_f64())];

    let copied = copy_registry_config(&cargo_home)?;
    let path = if options.fresh_tools { fresh_tools_path(&base)? } else { reuse_tools_path() };
    println!("clean-room: {}", describe(&head, &repo, &cargo_home, options, &copied));

    let mut cmd = Command::new("cargo");
    cmd.args(["xtask", "test"])
        .current_dir(&repo)
        .env("PATH", &path)
        .env("CARGO_HOME", &cargo_home)
        // Everything the build writes goes to the clone's own target/.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR");
    let (output, status) = crate::run::stream(&mut cmd)?;
    done.extend(output.lines().filter_map(test::parse_stage_ok_line));
    let total = started.elapsed().as_secs_f64();
    let counted: f64 = done.iter().map(|(_, s)| s).sum();
    done.push(("compiling xtask, and between stages".to_string(), (total - counted).max(0.0)));

    println!("\nclean-room: {}", describe(&head, &repo, &cargo_home, options, &copied));
    print!("{}", test::timing_table(&done, total));
    if !status.success() {
        let failed = output
            .lines()
            .rev()
            .filter(|l| test::parse_stage_ok_line(l).is_none())
            .find_map(|l| l.strip_prefix("==> "))
            .unwrap_or("before the first stage");
        return Err(format!(
            "the clean-room run failed ({status}) at `{failed}`; its folder is kept: {}",
            base.display()
        ));
    }
    if options.keep {
        println!("clean-room: kept {}", base.display());
    } else {
        std::fs::remove_dir_all(&base).map_err(|e| format!("removing {}: {e}", base.display()))?;
    }
    println!("clean-room: passed in {total:.0} s");
    Ok(())
}

fn describe(head: &str, repo: &Path, cargo_home: &Path, options: &Options, copied: &[String]) -> String {
    let tools = if options.fresh_tools {
        "trunk and wasm-bindgen-cli compiled anew into that CARGO_HOME"
    } else {
        "trunk and wasm-bindgen-cli reused from PATH where present (--fresh-tools compiles them anew)"
    };
    let config = if copied.is_empty() { String::new() } else { format!("; copied {}", copied.join(", ")) };
    format!(
        "HEAD {head} cloned into {}, empty CARGO_HOME {} (no registry cache, no target/, no .tools/); {tools}; \
         reused: the Rust toolchain and wasm32 target (RUSTUP_HOME), Debian's Chromium, ChromeDriver and fonts{config}",
        repo.display(),
        cargo_home.display()
    )
}

fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out =
        Command::new("git").arg("-C").arg(dir).args(args).output().map_err(|e| format!("could not start git: {e}"))?;
    if !out.status.success() {
        return Err(format!("`git {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
}

/// Copies the real `CARGO_HOME`'s configuration (registry mirrors, net settings) into the clean one; returns the
/// names of the files copied.
fn copy_registry_config(cargo_home: &Path) -> Result<Vec<String>, String> {
    let real = tools::cargo_home();
    let mut copied = Vec::new();
    for name in ["config.toml", "config"] {
        let from = real.join(name);
        if from.is_file() {
            std::fs::copy(&from, cargo_home.join(name)).map_err(|e| format!("copying {}: {e}", from.display()))?;
            copied.push(from.display().to_string());
        }
    }
    Ok(copied)
}

/// The PATH as it is, with the real `CARGO_HOME/bin` on it: installed tools are found and reused.
fn reuse_tools_path() -> OsString {
    let mut dirs = vec![tools::cargo_home().join("bin")];
    dirs.extend(path_dirs());
    std::env::join_paths(dirs).unwrap_or_default()
}

/// The PATH without any folder that holds a cargo-installed tool, and a shim folder in front that links the
/// toolchain's commands from those folders back in.
fn fresh_tools_path(base: &Path) -> Result<OsString, String> {
    let shim = base.join("toolchain-bin");
    std::fs::create_dir_all(&shim).map_err(|e| format!("creating {}: {e}", shim.display()))?;
    let mut all = vec![tools::cargo_home().join("bin")];
    all.extend(path_dirs());
    let hidden = |dir: &Path| CARGO_INSTALLED.iter().any(|tool| dir.join(tool).is_file());
    for name in TOOLCHAIN {
        if let Some(dir) = all.iter().find(|dir| dir.join(name).is_file()) {
            if hidden(dir) {
                // A rustup proxy acts on the name it is called by, so a link named `cargo` is cargo.
                std::os::unix::fs::symlink(dir.join(name), shim.join(name))
                    .map_err(|e| format!("linking {name} into {}: {e}", shim.display()))?;
            }
        }
    }
    let mut dirs = vec![shim];
    dirs.extend(all.into_iter().filter(|dir| !hidden(dir)));
    std::env::join_paths(dirs).map_err(|e| format!("building PATH: {e}"))
}

fn path_dirs() -> Vec<PathBuf> {
    std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default()
}
