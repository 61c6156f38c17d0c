//! `cargo xtask test`: everything CI checks, in order, stopping at the first failure.

use crate::run::{self, Env};
use crate::tools::{self, Need, WASM_TARGET};
use crate::{dist, e2e};
use std::time::Instant;

/// The gzip budget of the whole `dist/` folder: a build over it fails the run. Issue #2 (the app shell alone) set
/// 150 KB. Linking the simulator, the manifest decoder and kubectl into the page (issue #7) made it 885 KB, the
/// playground UI 964 KB; the goal is 450 KB and is NOT met yet. Issue #8 (the eight lessons' text, 76 KB raw,
/// the share-link codec with deflate, autosave, export and the embedding API) brought it to about 1,075 KB; issue #18
/// (routing on the stage, hints, CSP) to 1,089 KB; issue #19 (each check's conditions in two languages, commands
/// read by meaning, needs and restart) to 1,106 KB, so the ceiling moved from 1,100 to 1,115 KB; the decision log in
/// Korean (typed decisions) and issue #20's kubectl fidelity (typed flags, subcommand tables, version output) to
/// 1,117 KB, so it moved to 1,125 KB. Issue #21 moved `kubectl explain`'s documentation out of the wasm into
/// `dist/explain.data` (fetched on demand: the folder keeps it, the first load does not), shared one sort algorithm
/// and one serializer, and added the prerendered screen and Yew's hydration: 1,110 KB, so the ceiling is 1,115 KB.
/// Issue #22's kubectl verbs (generators, dry runs, patch, diff, wait, port-forward, config, the shell's redirection:
/// about 200 KB of code and strings, `twiggy diff`) added 67 KB: 1,177 KB, so the ceiling is 1,185 KB. Issue #23's
/// editor (completion, field documentation, quick fixes, undo and the editing keys) cost about 39 KB; the strict
/// decoder's unknown-field path, inlined into every Kubernetes type's `Deserialize`, was moved out of line, which
/// saved 32 KB: 1,187 KB, so the ceiling is 1,190 KB.
/// It only stops the bundle from growing unnoticed while the size work (the 450 KB goal, NOT met) goes on; lower it
/// with every reduction.
pub const GZIP_BUDGET_BYTES: u64 = 1_190_000;

/// The gzip budget of what the first visit loads (`dist::Sizes::first_load_gzip`: the page, its script, wasm,
/// stylesheet and icon, not the files fetched on demand): 1,046 KB after issue #21 (from 1,116 KB), 1,113.5 KB after
/// issue #22's verbs, 1,123.6 KB after issue #23's editor.
pub const FIRST_LOAD_BUDGET_BYTES: u64 = 1_128_000;

#[derive(Default)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Counts {
    /// Adds up libtest's and wasm-bindgen-test-runner's `test result: ok. 3 passed; 0 failed; 1 ignored; ...` lines.
    fn add(&mut self, output: &str) {
        for line in output.lines() {
            let Some(rest) = line.trim().strip_prefix("test result: ") else {
                continue;
            };
            for part in rest.split([';', '.']) {
                let mut words = part.split_whitespace();
                let (Some(n), Some(what)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(n) = n.parse::<u64>() else { continue };
                match what {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    "ignored" => self.ignored += n,
                    _ => {}
                }
            }
        }
    }
}

/// The stage that installs what is missing; timed like the others (on a fresh machine it is most of the run).
pub const SETUP_STAGE: &str = "setup (tools)";

pub fn main() -> Result<(), String> {
    let started = Instant::now();
    let mut done: Vec<Timing> = Vec::new();
    let env = stage(&mut done, SETUP_STAGE, || tools::ensure(Need::Browser))?;
    let mut native = Counts::default();
    let mut browser = Counts::default();

    stage(&mut done, "fmt", || run::status(env.command("cargo").args(["fmt", "--all", "--", "--check"])))?;
    stage(&mut done, "clippy (native)", || {
        run::status(env.command("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
    })?;
    stage(&mut done, "clippy (wasm32)", || {
        run::status(env.command("cargo").args([
            "clippy",
            "-p",
            "kubeplay",
            "--target",
            WASM_TARGET,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    stage(&mut done, "native tests", || {
        let out = run::tee(env.command("cargo").args(["test", "--workspace"]))?;
        native.add(&out);
        nonzero("native", &native)
    })?;
    stage(&mut done, "browser tests (headless Chromium)", || {
        let out = run::tee(browser_tests(&env).args([
            "test",
            "-p",
            "kubeplay",
            "--target",
            WASM_TARGET,
            "--test",
            "browser",
        ]))?;
        browser.add(&out);
        nonzero("browser", &browser)
    })?;
    stage(&mut done, "dist", || {
        let sizes = dist::main(&env)?;
        if sizes.gzip > GZIP_BUDGET_BYTES {
            return Err(format!(
                "dist/ is {:.1} KB gzip, over the budget of {:.1} KB",
                dist::kb(sizes.gzip),
                dist::kb(GZIP_BUDGET_BYTES)
            ));
        }
        if sizes.first_load_gzip > FIRST_LOAD_BUDGET_BYTES {
            return Err(format!(
                "the first load is {:.1} KB gzip, over the budget of {:.1} KB",
                dist::kb(sizes.first_load_gzip),
                dist::kb(FIRST_LOAD_BUDGET_BYTES)
            ));
        }
        println!(
            "dist: {:.1} KB gzip is within the budget of {:.1} KB; the first load {:.1} KB within {:.1} KB",
            dist::kb(sizes.gzip),
            dist::kb(GZIP_BUDGET_BYTES),
            dist::kb(sizes.first_load_gzip),
            dist::kb(FIRST_LOAD_BUDGET_BYTES)
        );
        Ok(())
    })?;
    stage(&mut done, "end-to-end (dist/ under a sub-path)", || e2e::main(&env))?;

    let total = started.elapsed().as_secs_f64();
    print!("\n{}", timing_table(&done, total));
    println!(
        "xtask test: all {} stages passed in {total:.0} s; native tests {} passed, browser tests {} passed, {} ignored",
        done.len(),
        native.passed,
        browser.passed,
        native.ignored + browser.ignored,
    );
    // The plain closing line CI reads.
    println!("tests: {} passed, {} failed", native.passed + browser.passed, native.failed + browser.failed);
    Ok(())
}

fn browser_tests(env: &Env) -> std::process::Command {
    let mut cmd = env.command("cargo");
    if let Some(driver) = &env.chromedriver {
        cmd.env("CHROMEDRIVER", driver);
    }
    // webdriver.json (crate root) holds Chromium's binary and headless flags.
    cmd.env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    cmd
}

fn nonzero(what: &str, counts: &Counts) -> Result<(), String> {
    if counts.passed == 0 {
        Err(format!("the {what} test run executed no test"))
    } else {
        Ok(())
    }
}

/// One stage's name and how long it took, in seconds.
pub type Timing = (String, f64);

/// The line `stage` prints when a stage passes; `clean_room` reads these back from the inner run.
pub fn stage_ok_line(name: &str, seconds: f64) -> String {
    format!("==> {name}: ok ({seconds:.1} s)")
}

/// The inverse of `stage_ok_line`.
pub fn parse_stage_ok_line(line: &str) -> Option<Timing> {
    let rest = line.strip_prefix("==> ")?;
    let (name, time) = rest.rsplit_once(": ok (")?;
    let seconds = time.strip_suffix(" s)")?.parse().ok()?;
    Some((name.to_string(), seconds))
}

/// The stages and their times as an aligned table, with the total last.
pub fn timing_table(done: &[Timing], total: f64) -> String {
    let width = done.iter().map(|(n, _)| n.len()).chain([5]).max().unwrap_or(5);
    let mut out = format!("{:<width$}  {:>8}\n", "stage", "seconds");
    for (name, seconds) in done {
        out.push_str(&format!("{name:<width$}  {seconds:>8.1}\n"));
    }
    out.push_str(&format!("{:<width$}  {total:>8.1}\n", "total"));
    out
}

fn stage<T>(done: &mut Vec<Timing>, name: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    println!("\n==> {name}");
    let t = Instant::now();
    let value = f().map_err(|e| format!("stage `{name}` failed: {e}"))?;
    let seconds = t.elapsed().as_secs_f64();
    println!("{}", stage_ok_line(name, seconds));
    done.push((name.to_string(), seconds));
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_libtest_and_wasm_bindgen_result_lines() {
        let mut counts = Counts::default();
        counts.add("running 3 tests\ntest result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n");
        counts
            .add("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.2s\n");
        counts.add("some other line: 99 passed\n");
        assert_eq!((counts.passed, counts.failed, counts.ignored), (5, 1, 1));
        assert!(nonzero("x", &Counts::default()).is_err());
    }

    #[test]
    fn a_stage_line_reads_back_as_what_was_printed() {
        let line = stage_ok_line("browser tests (headless Chromium)", 93.25);
        assert_eq!(line, "==> browser tests (headless Chromium): ok (93.2 s)");
        assert_eq!(parse_stage_ok_line(&line), Some(("browser tests (headless Chromium)".to_string(), 93.2)));
        assert_eq!(parse_stage_ok_line("==> fmt"), None);
        assert_eq!(parse_stage_ok_line("test result: ok (1 s)"), None);
        let table = timing_table(&[("fmt".into(), 1.0), (SETUP_STAGE.into(), 812.44)], 900.0);
        assert_eq!(
            table,
            "stage           seconds\nfmt                 1.0\nsetup (tools)     812.4\ntotal             900.0\n"
        );
    }
}
