//! Accessibility checks of the built page, run by the end-to-end check: axe-core's rules in the live page, the share
//! of text at a legible size, and the seed Deployment's steps done with the keyboard alone.

use crate::e2e::Browser;
use serde_json::Value;
use std::time::Duration;

/// Lighthouse's old "legible font sizes" rule: text under 12 CSS pixels is hard to read on a phone.
pub const LEGIBLE_PX: f64 = 12.0;
/// The share of the visible text (by characters) that must be at a legible size: all of it. Lighthouse passed a
/// page at 60 %, but kubeplay has no text that needs to be smaller.
pub const LEGIBLE_SHARE: f64 = 1.0;

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// Runs axe-core (npm, injected into the page) and fails on any serious or critical violation. `state` names what
/// the page shows, for the message. Returns the number of minor and moderate findings, which are reported only.
pub fn axe(browser: &Browser, state: &str) -> Result<usize, String> {
    let loaded = browser.script("return typeof window.axe === 'object';")?;
    if loaded != Value::Bool(true) {
        let file = crate::tools::tools_dir().join("node_modules").join("axe-core").join("axe.min.js");
        let source = std::fs::read_to_string(&file).map_err(|e| format!("reading {}: {e}", file.display()))?;
        browser.script(&format!("{source}\nreturn null;"))?;
    }
    let found = browser.script_async(
        "const done = arguments[arguments.length - 1]; \
         axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => ({ \
           id: v.id, impact: v.impact, help: v.help, \
           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) })))) \
         .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
    )?;
    let all = found.as_array().cloned().unwrap_or_default();
    let (bad, minor): (Vec<&Value>, Vec<&Value>) =
        all.iter().partition(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")));
    if !bad.is_empty() {
        let lines: Vec<String> =
            bad.iter().map(|v| format!("{} ({}): {} at {}", v["id"], v["impact"], v["help"], v["nodes"])).collect();
        return Err(format!(
            "axe-core: {} serious or critical violations {state}:\n  {}",
            bad.len(),
            lines.join("\n  ")
        ));
    }
    let ids: Vec<String> = minor.iter().map(|v| format!("{} ({})", v["id"], v["impact"])).collect();
    println!("e2e: axe-core {state}: no serious or critical violation; minor/moderate: {ids:?}");
    Ok(minor.len())
}

/// The share of the visible text (by characters) whose computed size is at least `LEGIBLE_PX`, and the biggest
/// offenders.
pub fn legible_text(browser: &Browser, state: &str) -> Result<f64, String> {
    let found = browser.script(&format!(
        "const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); \
         let legible = 0, total = 0; const small = {{}}; \
         for (let n = walk.nextNode(); n; n = walk.nextNode()) {{ \
           const chars = n.textContent.trim().length; const e = n.parentElement; \
           if (!chars || !e || !e.getClientRects().length) continue; \
           const style = getComputedStyle(e); \
           if (style.visibility !== 'visible' || e.closest('[aria-hidden=\"true\"], .visually-hidden')) continue; \
           total += chars; \
           const px = parseFloat(style.fontSize); \
           if (px >= {LEGIBLE_PX}) {{ legible += chars; }} else {{ \
             const key = e.tagName.toLowerCase() + '.' + Array.from(e.classList).join('.') + ' ' + px + 'px'; \
             small[key] = (small[key] || 0) + chars; }} }} \
         return {{ legible, total, small: Object.entries(small).sort((a, b) => b[1] - a[1]).slice(0, 6) }};"
    ))?;
    let (legible, total) = (found["legible"].as_f64().unwrap_or(0.0), found["total"].as_f64().unwrap_or(0.0));
    if total == 0.0 {
        return Err(format!("no visible text {state}"));
    }
    let share = legible / total;
    if share < LEGIBLE_SHARE {
        return Err(format!(
            "only {:.0} % of the text {state} is at least {LEGIBLE_PX} px (goal {:.0} %); the most small text: {}",
            share * 100.0,
            LEGIBLE_SHARE * 100.0,
            found["small"]
        ));
    }
    println!(
        "e2e: {:.1} % of the text {state} is at a legible size (≥ {LEGIBLE_PX} px); smaller: {}",
        share * 100.0,
        found["small"]
    );
    Ok(share)
}

/// What has the focus, for messages: tag, test id or label, text.
const FOCUSED: &str = "const e = document.activeElement; if (!e) return 'nothing'; \
    return e.tagName.toLowerCase() + (e.dataset.testid ? '[' + e.dataset.testid + ']' : '') + \
      ' ' + JSON.stringify((e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 30));";

/// Presses Tab until the focused element matches `css` (and, with `text`, reads one of `text`), as a keyboard user
/// would look for a control. Fails if it is not reached within `max` presses, naming what was focused on the way.
pub fn tab_to(browser: &Browser, css: &str, text: &[&str], max: usize) -> Result<usize, String> {
    let check = format!(
        "const e = document.activeElement; const want = {}; \
         return !!e && e.matches({}) && (want.length === 0 || want.includes(e.textContent.trim()));",
        serde_json::json!(text),
        serde_json::json!(css)
    );
    let mut trail = Vec::new();
    for presses in 0..=max {
        if browser.script(&check)? == Value::Bool(true) {
            return Ok(presses);
        }
        trail.push(browser.script(FOCUSED)?.as_str().unwrap_or_default().to_string());
        browser.keys(TAB, None)?;
    }
    let last: Vec<&String> = trail.iter().rev().take(12).collect();
    Err(format!("{css} {text:?} was not reached with {max} presses of Tab; the focus went (latest first): {last:?}"))
}

/// The seed Deployment's steps with the keyboard alone: apply the manifest from the editor, play at 8×, roll out
/// a new image from the terminal, and roll back from the history panel. Focus moves only by Tab; controls are
/// worked only by keys. Returns the number of key presses.
pub fn keyboard_walk(
    browser: &Browser,
    pods_ready: &dyn Fn(&str, usize) -> Result<(), String>,
) -> Result<usize, String> {
    let mut presses = 0;
    browser.script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); return null;")?;
    pods_ready("1", 3)?;
    // The editor's Apply button: the learner's manifest, applied again (unchanged).
    presses += tab_to(browser, "[data-testid=\"apply\"]", &[], 80)?;
    browser.keys(ENTER, None)?;
    presses += 1;
    wait_text(browser, "deployment.apps/my-nginx-deployment unchanged")?;
    // Speed: a closed select takes the first letter of an option (8×), as a keyboard user types it.
    presses += tab_to(browser, "[data-testid=\"speed\"]", &[], 80)?;
    browser.keys("8", None)?;
    presses += 1;
    let speed = browser.script("return document.querySelector('[data-testid=\"speed\"]').value;")?;
    if speed != "8" {
        return Err(format!("typing 8 on the speed control chose {speed}"));
    }
    presses += tab_to(browser, "[data-testid=\"play\"]", &[], 80)?;
    browser.keys(ENTER, None)?;
    presses += 1;
    presses += tab_to(browser, "[data-testid=\"terminal-input\"]", &[], 120)?;
    let command = "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11";
    browser.keys(&format!("{command}{ENTER}"), None)?;
    presses += command.chars().count() + 1;
    pods_ready("2", 3)?;
    presses += tab_to(browser, "[role=\"tab\"]", &["History", "히스토리"], 120)?;
    browser.keys(ENTER, None)?;
    presses += 1;
    presses += tab_to(browser, "[data-testid=\"revision\"][data-revision=\"1\"] [data-testid=\"rollback\"]", &[], 60)?;
    browser.keys(ENTER, None)?;
    presses += 1;
    pods_ready("3", 3)?;
    wait_text(browser, "kubectl rollout undo deployment my-nginx-deployment --to-revision=1")?;
    Ok(presses)
}

/// Waits until the terminal shows `text`.
fn wait_text(browser: &Browser, text: &str) -> Result<(), String> {
    let script = format!(
        "return document.querySelector('[data-testid=\"terminal-output\"]').textContent.includes({});",
        serde_json::json!(text)
    );
    crate::e2e::wait_until(browser, &format!("the terminal showing {text:?}"), Duration::from_secs(30), &script)
}
