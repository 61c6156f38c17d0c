//! `cargo xtask test`: everything CI checks, in order, stopping at the first failure.

use crate::run::{self, Env};
use crate::tools::{self, Need, WASM_TARGET};
use crate::{dist, e2e};
use std::time::Instant;

/// The gzip budget of the whole `dist/` folder: a build over it fails the run. Issue #2 (the app shell alone) set
/// 150 KB. Linking the simulator, the manifest decoder and kubectl into the page (issue #7) made it 885 KB, the
/// playground UI 964 KB; the goal is 450 KB and is NOT met yet. Issue #8 (the eight lessons' text, 76 KB raw,
/// the share-link codec with deflate, autosave, export and the embedding API) brought it to about 1,075 KB. This
/// ceiling only stops the bundle from growing further unnoticed while the size work goes on; lower it with every
/// reduction.
pub const GZIP_BUDGET_BYTES: u64 = 1_100_000;

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

pub fn main() -> Result<(), String> {
    let started = Instant::now();
    let env = tools::ensure(Need::Browser)?;
    let mut done: Vec<String> = Vec::new();
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
        println!(
            "dist: {:.1} KB gzip is within the budget of {:.1} KB",
            dist::kb(sizes.gzip),
            dist::kb(GZIP_BUDGET_BYTES)
        );
        Ok(())
    })?;
    stage(&mut done, "end-to-end (dist/ under a sub-path)", || e2e::main(&env))?;

    println!(
        "xtask test: all {} stages passed in {:.0} s ({}); native tests {} passed, browser tests {} passed, {} ignored",
        done.len(),
        started.elapsed().as_secs_f64(),
        done.join(", "),
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

fn stage(done: &mut Vec<String>, name: &str, f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    println!("\n==> {name}");
    let t = Instant::now();
    f().map_err(|e| format!("stage `{name}` failed: {e}"))?;
    println!("==> {name}: ok ({:.1} s)", t.elapsed().as_secs_f64());
    done.push(name.to_string());
    Ok(())
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
}
