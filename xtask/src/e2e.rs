//! The end-to-end check of the built `dist/`: serve it on a free loopback port under a sub-path, as a static host
//! would, open it in headless Chromium through ChromeDriver (W3C WebDriver over plain HTTP on loopback), and assert
//! that the app mounted and that the page loaded nothing from outside `dist/`. Screenshots go to `target/e2e/`.

use crate::run::Env;
use base64::Engine as _;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where the site is mounted on the test server; deliberately not `/`.
pub const SUB_PATH: &str = "/some/sub/path/";

/// Chromium flags that keep it off the (closed) network and out of the sandbox it cannot have as root.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

pub fn main(env: &Env) -> Result<(), String> {
    let dist = crate::root().join("dist");
    if !dist.join("index.html").is_file() {
        return Err("dist/index.html is missing: run `cargo xtask dist` first".into());
    }
    let server = StaticServer::start(dist, SUB_PATH)?;
    let base = format!("http://127.0.0.1:{}{}", server.port, SUB_PATH);
    println!("e2e: serving dist/ at {base}");
    let driver = env.chromedriver.as_deref().ok_or("e2e needs ChromeDriver (run with the browser tools)")?;
    let browser = Browser::start(driver)?;
    let out_dir = crate::root().join("target").join("e2e");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("creating {}: {e}", out_dir.display()))?;

    browser.viewport(1280, 800)?;
    browser.navigate(&base)?;
    browser.wait_for("[data-testid=\"app-ready\"]", Duration::from_secs(30))?;
    println!("e2e: the app mounted (data-testid=\"app-ready\" is present)");
    // The stylesheet is in force (a stale integrity hash would drop it silently, and every later check, axe-core's
    // colour contrast included, would judge an unstyled page).
    let styled = browser.script("return getComputedStyle(document.body).fontSize;")?;
    if styled != "15px" {
        return Err(format!("style.css is not applied (the body's font size is {styled}, not its 15px)"));
    }

    let page = browser.script(
        "return { lang: document.documentElement.lang, title: document.title, \
          regions: Array.from(document.querySelectorAll('[data-region]')).map(e => e.dataset.region), \
          resources: performance.getEntriesByType('resource').map(e => e.name) };",
    )?;
    let lang = page["lang"].as_str().unwrap_or_default();
    if lang != "en" && lang != "ko" {
        return Err(format!("<html lang> is {lang:?}, expected \"en\" or \"ko\""));
    }
    let regions: Vec<&str> = page["regions"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    for want in ["editor", "stage", "terminal", "timeline"] {
        if !regions.contains(&want) {
            return Err(format!("the layout region {want:?} is missing (found {regions:?})"));
        }
    }
    let resources: Vec<&str> = page["resources"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let outside: Vec<&&str> = resources.iter().filter(|url| !url.starts_with(&base)).collect();
    if !outside.is_empty() {
        return Err(format!("the page loaded resources from outside dist/: {outside:?}"));
    }
    if !resources.iter().any(|url| url.ends_with(".wasm")) {
        return Err(format!("no .wasm among the loaded resources {resources:?}"));
    }
    println!("e2e: lang={lang}, title={:?}, {} resources, all under {base}", page["title"], resources.len());
    // The page's Content-Security-Policy is in force (an injected inline script is refused, and the refusal is
    // recorded), and loading the app broke none of it.
    let csp = browser.script(
        "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); \
         const s = document.createElement('script'); s.textContent = 'window.__cspProbe = 1'; document.head.appendChild(s); \
         return m ? m.content : null;",
    )?;
    let csp = csp.as_str().ok_or("index.html has no Content-Security-Policy <meta>")?.to_string();
    std::thread::sleep(Duration::from_millis(100));
    let probe = browser.script("return window.__cspProbe === undefined;")?;
    let refused = browser.csp_violations()?;
    if probe != true || refused.len() != 1 || !refused[0].starts_with("script-src") {
        return Err(format!("the CSP did not refuse an injected inline script: {refused:?} (policy {csp:?})"));
    }
    println!("e2e: CSP in force ({csp}); an injected inline script was refused");

    browser.screenshot(&out_dir.join(format!("landing-{lang}-1280x800.png")))?;
    crate::a11y::axe(&browser, "on the landing page at 1280×800")?;
    first_paint(driver, &server, &base, &out_dir)?;
    explain_on_demand(&browser, &base)?;

    // The playground through the real page, at both sizes: a rollout and a rollback, a failed rollout, and traffic
    // through a ClusterIP Service during a rollout.
    for (w, h) in [(1280, 800), (390, 844)] {
        browser.viewport(w, h)?;
        fresh(&browser, &base)?;
        crate::a11y::legible_text(&browser, &format!("of the landing page at {w}×{h}"))?;
        playground(&browser, &out_dir, &format!("{w}x{h}"))?;
    }
    // Lesson 8 to its third step, with traffic, at both sizes: the lesson shows each condition and the requests
    // since the step began.
    for (w, h) in [(1280, 800), (390, 844)] {
        browser.viewport(w, h)?;
        zero_downtime(&browser, &base, &out_dir, &format!("{w}x{h}"))?;
    }
    browser.viewport(1280, 800)?;
    skipped_step(&browser, &base, &out_dir)?;
    // Issue 8: a lesson played through the page, then the run survives a reload, travels in a share link, a damaged
    // link changes nothing, and the embedding example works.
    lessons(&browser, &base, &out_dir)?;
    embedding(&browser, &base)?;
    // The seed Deployment's steps with the keyboard alone.
    fresh(&browser, &base)?;
    let ready = |revision: &str, n: usize| {
        wait_for_pods(&browser, &format!("{n} Ready pods of revision {revision}"), Duration::from_secs(90), |p| {
            p.len() == n && count(p, revision, true) == n
        })
        .map(|_| ())
    };
    let presses = crate::a11y::keyboard_walk(&browser, &ready)?;
    println!("e2e: apply, play, set image and roll back done with the keyboard alone ({presses} key presses)");
    fresh(&browser, &base)?;

    // Switch to Korean with the language button; the choice must survive a reload (it is kept in local storage).
    browser.script("document.querySelector('.lang-button[lang=\"ko\"]').click(); return null;")?;
    browser.wait_for("html[lang=\"ko\"]", Duration::from_secs(5))?;
    browser.screenshot(&out_dir.join("landing-ko-1280x800.png"))?;
    browser.viewport(390, 844)?;
    fresh(&browser, &base)?;
    let lang = browser.script("return document.documentElement.lang;")?;
    if lang != "ko" {
        return Err(format!("after a reload the language is {lang}, not the chosen \"ko\""));
    }
    browser.screenshot(&out_dir.join("landing-ko-390x844.png"))?;
    // A lesson in Korean on a phone: the list fits the screen, the lesson comes first, and "Run it" shows its output.
    browser.click("[data-testid=\"lessons\"]")?;
    let list = browser.script(
        "const r = document.getElementById('lesson-list').getBoundingClientRect(); \
         return [r.left, r.right, innerWidth, document.documentElement.scrollWidth];",
    )?;
    let edges: Vec<f64> = list.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
    if edges.len() != 4 || edges[0] < 0.0 || edges[1] > edges[2] || edges[3] > edges[2] {
        return Err(format!(
            "the lesson list is not within the phone's screen: [left, right, width, page width] {edges:?}"
        ));
    }
    browser.screenshot(&out_dir.join("lesson-list-ko-390x844.png"))?;
    browser.click("[data-testid=\"lesson-item\"][data-lesson=\"05-clusterip-service\"] button")?;
    browser.wait_for("[data-testid=\"lesson\"][data-step=\"0\"]", Duration::from_secs(5))?;
    let place = browser.script(
        "const r = document.querySelector('[data-testid=\"lesson\"] .lesson-step-title').getBoundingClientRect(); \
         return [scrollY, r.top, r.bottom, innerHeight];",
    )?;
    let place: Vec<f64> = place.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
    if place.len() != 4 || place[0] != 0.0 || place[1] < 0.0 || place[2] > place[3] {
        return Err(format!(
            "the lesson's step is not on screen without scrolling: [scrollY, top, bottom, height] {place:?}"
        ));
    }
    browser.screenshot(&out_dir.join("lesson-ko-390x844.png"))?;
    browser.click("[data-testid=\"lesson-type\"]")?;
    wait_until(
        &browser,
        "\"Run it\" shows its output on the phone's screen",
        Duration::from_secs(10),
        "const out = document.querySelector('[data-testid=\"terminal-output\"]'); \
         const r = out.getBoundingClientRect(); \
         return out.textContent.includes('hostname-deployment created') && r.top >= 0 && r.bottom <= innerHeight;",
    )?;
    browser.screenshot(&out_dir.join("lesson-run-it-ko-390x844.png"))?;
    println!("e2e: on a phone the lesson list fits, the lesson comes first, and \"Run it\" shows its output");
    crate::a11y::axe(&browser, "with a lesson open, in Korean, at 390×844")?;
    crate::a11y::legible_text(&browser, "with a lesson open, in Korean, at 390×844")?;

    let violations = browser.csp_violations()?;
    if !violations.is_empty() {
        return Err(format!("Content-Security-Policy violations while using the page: {violations:?}"));
    }
    println!("e2e: no Content-Security-Policy violation in the whole walk");

    let bad: Vec<String> =
        server.log().into_iter().filter(|(_, code)| *code != 200).map(|(p, c)| format!("{c} {p}")).collect();
    if !bad.is_empty() {
        return Err(format!("the static server answered requests that were not 200: {bad:?}"));
    }
    println!("e2e: ok; screenshots in {}", out_dir.display());
    Ok(())
}

/// Opens the page with nothing saved (the language choice stays). Storage is cleared from another page of the
/// site (the embedding example, which stores nothing), so the playground's own save on leaving cannot write it back.
pub fn fresh(browser: &Browser, base: &str) -> Result<(), String> {
    browser.navigate(&format!("{base}embed.html"))?;
    browser.script(
        "for (const k of Object.keys(localStorage)) { if (k.startsWith('kubeplay.') && k !== 'kubeplay.lang') \
         localStorage.removeItem(k); } return null;",
    )?;
    open(browser, base)
}

/// Loads `url` as a new page (through a blank page, so a URL that differs only in its fragment is a real load) and
/// waits for the app.
fn open(browser: &Browser, url: &str) -> Result<(), String> {
    browser.navigate("about:blank")?;
    browser.navigate(url)?;
    browser.wait_for("[data-testid=\"app-ready\"]", Duration::from_secs(30))
}

/// The page before its wasm arrives (held back by the server): the prerendered landing screen, stage and editor
/// with the landing example, inert and saying that it is starting, in English and — for a Korean browser — in Korean;
/// then, once the wasm is let through, the live app in its place.
fn first_paint(driver: &str, server: &StaticServer, base: &str, out_dir: &Path) -> Result<(), String> {
    for lang in ["en", "ko"] {
        let browser = Browser::start_with(driver, "eager")?;
        browser.viewport(1280, 800)?;
        if lang == "ko" {
            browser.post(
                "goog/cdp/execute",
                json!({"cmd": "Emulation.setLocaleOverride", "params": {"locale": "ko-KR"}}),
            )?;
            // A Korean browser: `navigator.language` is `ko-KR` (the user agent string stays the same).
            let agent = browser.script("return navigator.userAgent;")?;
            browser.post(
                "goog/cdp/execute",
                json!({"cmd": "Emulation.setUserAgentOverride", "params": {"userAgent": agent, "acceptLanguage": "ko-KR"}}),
            )?;
        }
        server.hold_wasm(true);
        let seen = (|| {
            browser.navigate(base)?;
            let screen = browser.script(
                "const p = document.querySelector('#app > .prerender'); \
                 const box = (s) => { const e = p && p.querySelector(s); if (!e) return null; const r = e.getBoundingClientRect(); \
                   return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility === 'visible'; }; \
                 return { lang: document.documentElement.lang, prerender: p ? p.lang : null, \
                   stage: box('[data-region=\"stage\"] [data-testid=\"deployment\"]'), \
                   pods: p ? p.querySelectorAll('[data-testid=\"pod\"]').length : 0, \
                   editor: p ? (p.querySelector('textarea[data-testid=\"editor\"]') || {}).value : null, \
                   inert: !!(p && p.querySelector('[inert] [data-testid=\"play\"]')), \
                   starting: p ? (p.querySelector('[role=\"status\"]') || {}).textContent : null, \
                   ready: !!document.querySelector('[data-testid=\"app-ready\"]'), \
                   wasm: performance.getEntriesByType('resource').some(e => e.name.endsWith('.wasm') && e.responseEnd > 0) };",
            )?;
            browser.screenshot(&out_dir.join(format!("first-paint-{lang}-1280x800.png")))?;
            // Remember the painted stage element: the app must take it over, not replace it.
            browser.script("window.__painted = document.querySelector('#app > .prerender [data-testid=\"deployment\"]'); return null;")?;
            Ok::<Value, String>(screen)
        })();
        server.hold_wasm(false);
        let screen = seen?;
        let editor = screen["editor"].as_str().unwrap_or_default();
        let starting = if lang == "ko" { "kubeplay를 시작하는 중…" } else { "kubeplay is starting…" };
        if screen["lang"] != lang
            || screen["prerender"] != lang
            || screen["stage"] != true
            || screen["pods"] != 3
            || !editor.contains("name: my-nginx-deployment")
            || screen["inert"] != true
            || screen["starting"] != starting
            || screen["ready"] != false
            || screen["wasm"] != false
        {
            return Err(format!(
                "before its wasm arrived, the {lang} page did not show the prerendered screen: {screen}"
            ));
        }
        browser.wait_for("[data-testid=\"app-ready\"]", Duration::from_secs(60))?;
        let after = browser.script(
            "return { prerender: document.querySelectorAll('.prerender, .starting, #prerender-ko').length, \
               inert: document.querySelectorAll('[inert]').length, \
               hidden: document.querySelector('#app > .live').hidden, lang: document.documentElement.lang, \
               pods: document.querySelectorAll('[data-testid=\"pod\"]').length, \
               same: document.querySelector('[data-testid=\"deployment\"]') === window.__painted };",
        )?;
        if after["prerender"] != 0
            || after["inert"] != 0
            || after["hidden"] != false
            || after["lang"] != lang
            || after["pods"] != 3
            || after["same"] != true
        {
            return Err(format!(
                "once its wasm arrived, the live app did not take the {lang} page over in place: {after}"
            ));
        }
        // The app works: a line typed runs.
        browser.type_into("[data-testid=\"terminal-input\"]", "kubectl get deploy\u{E007}")?;
        wait_for_text(&browser, "[data-testid=\"terminal-output\"] .term-out", Duration::from_secs(10))?;
        println!("e2e: {lang}: the prerendered stage and editor showed before the wasm arrived; the app took them over in place");
    }
    Ok(())
}

/// `kubectl explain`'s documentation is a file of its own: not loaded with the page, fetched from `dist/` the first
/// time a line needs it, and then the line prints kubectl's text.
fn explain_on_demand(browser: &Browser, base: &str) -> Result<(), String> {
    fresh(browser, base)?;
    let loaded = "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/explain.data'));";
    if browser.script(loaded)? != Value::Bool(false) {
        return Err("the page loaded explain.data before any line needed it".into());
    }
    browser.type_into("[data-testid=\"terminal-input\"]", "kubectl explain deployment.spec.strategy\u{E007}")?;
    wait_until(
        browser,
        "kubectl explain's output after its data arrived",
        Duration::from_secs(20),
        "return document.querySelector('[data-testid=\"terminal-output\"]').textContent.includes('FIELD: strategy <DeploymentStrategy>');",
    )?;
    if browser.script(loaded)? != Value::Bool(true) {
        return Err("explain printed, but not from explain.data fetched from dist/".into());
    }
    println!("e2e: kubectl explain fetched explain.data from dist/ when first needed, then printed");
    Ok(())
}

/// What a learner sees of a run: the clock, the pods, the terminal, the lesson and step.
const SEEN: &str = "const q = (s) => document.querySelector(s); \
    return { clock: q('[data-testid=\"clock\"]').dataset.ms, \
      pods: Array.from(document.querySelectorAll('[data-testid=\"pod\"]')).map(p => p.dataset.name + ' ' + p.dataset.state).sort(), \
      terminal: q('[data-testid=\"terminal-output\"]').textContent, \
      lesson: (q('[data-testid=\"lesson\"]') || {dataset: {}}).dataset.step || null };";

/// Polls `script` (which returns a boolean) until it is true; fails with `what` and the page's clock after `timeout`.
pub fn wait_until(browser: &Browser, what: &str, timeout: Duration, script: &str) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    while browser.script(script)? != Value::Bool(true) {
        if Instant::now() > deadline {
            let clock = browser.script("return document.querySelector('[data-testid=\"clock\"]').textContent;")?;
            return Err(format!("{what}: not within {} s (clock {clock})", timeout.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

const CHECK_PASSED: &str = "return document.querySelector('[data-testid=\"lesson-check\"]').dataset.passed === 'true';";

/// Lesson 2 through the page, then autosave across a reload, a share link, and a damaged link.
fn lessons(browser: &Browser, base: &str, out_dir: &Path) -> Result<(), String> {
    fresh(browser, base)?;
    browser.click("[data-testid=\"lessons\"]")?;
    let items = browser.script("return document.querySelectorAll('[data-testid=\"lesson-item\"]').length;")?;
    if items != 8 {
        return Err(format!("the lesson picker lists {items} lessons, not 8"));
    }
    browser.screenshot(&out_dir.join("lesson-picker-1280x800.png"))?;
    browser.click("[data-testid=\"lesson-item\"][data-lesson=\"02-rolling-update\"] button")?;
    browser.wait_for("[data-testid=\"lesson\"][data-step=\"0\"]", Duration::from_secs(5))?;
    browser.set_value("[data-testid=\"speed\"]", "8", "change")?;
    browser.click("[data-testid=\"play\"]")?;
    browser.click("[data-testid=\"lesson-type\"]")?;
    crate::a11y::axe(browser, "with a lesson open at 1280×800")?;
    wait_until(browser, "lesson 2, step 1: 3 Ready pods of revision 1", Duration::from_secs(60), CHECK_PASSED)?;
    browser.click("[data-testid=\"lesson-next\"]")?;
    browser.wait_for("[data-testid=\"lesson\"][data-step=\"1\"]", Duration::from_secs(5))?;
    browser.click("[data-testid=\"lesson-type\"]")?;
    browser.screenshot(&out_dir.join("lesson-rollout-1280x800.png"))?;
    wait_until(browser, "lesson 2, step 2: revision 2 rolled out", Duration::from_secs(90), CHECK_PASSED)?;
    browser.click("[data-testid=\"pause\"]")?;
    browser.screenshot(&out_dir.join("lesson-step-done-1280x800.png"))?;
    println!("e2e: lesson 2 played to its second check through the page");

    // Autosave: an unsaved edit and the paused run come back after a reload.
    browser.set_value("[data-testid=\"editor\"]", "# my notes\n", "input")?;
    let before = browser.script(SEEN)?;
    open(browser, base)?;
    let after = browser.script(SEEN)?;
    if after != before {
        return Err(format!("after a reload the page shows {after}, not {before}"));
    }
    let draft = browser.script("return document.querySelector('[data-testid=\"editor\"]').value;")?;
    if draft != "# my notes\n" {
        return Err(format!("after a reload the editor holds {draft}, not the unsaved edit"));
    }
    browser.click("[data-testid=\"lessons\"]")?;
    let progress = browser
        .script("return document.querySelector('[data-lesson=\"02-rolling-update\"] .lesson-progress').textContent;")?;
    if !progress.as_str().unwrap_or_default().starts_with('2')
        && !progress.as_str().unwrap_or_default().contains("2단계 완료")
    {
        return Err(format!("the picker shows lesson 2's progress as {progress}"));
    }
    browser.click("[data-testid=\"lessons\"]")?;
    println!("e2e: autosave: the run, the lesson step and the unsaved edit survived a reload");

    // A share link, opened as a new page, shows the same moment.
    browser.click("[data-testid=\"share\"]")?;
    let link = browser.script("return document.querySelector('[data-testid=\"share-link\"]').value;")?;
    let link = link.as_str().unwrap_or_default().to_string();
    let fragment = link.split_once('#').map(|(_, f)| f.len()).unwrap_or(0);
    open(browser, &link)?;
    let shared = browser.script(SEEN)?;
    if shared != before {
        return Err(format!("the share link opened {shared}, not {before}"));
    }
    let notice = browser.script("return document.querySelector('[data-testid=\"notice\"]').dataset.kind;")?;
    if notice != "link-opened" {
        return Err(format!("after opening a share link the notice is {notice}"));
    }
    browser.screenshot(&out_dir.join("shared-link-1280x800.png"))?;
    println!("e2e: a share link of {fragment} characters reproduced the run");

    // A damaged link: the page opens as usual, says why, and the saved run is untouched.
    let saved = browser.script("return localStorage.getItem('kubeplay.run');")?;
    open(browser, &format!("{}#v1.{}", base, "Zm9v".repeat(10)))?;
    let (notice, now_saved) = (
        browser.script("return document.querySelector('[data-testid=\"notice\"]').dataset.kind;")?,
        browser.script("return localStorage.getItem('kubeplay.run');")?,
    );
    if notice != "link-bad" || now_saved != saved {
        return Err(format!("a damaged link: notice {notice}; the saved run changed: {}", now_saved != saved));
    }
    browser.screenshot(&out_dir.join("damaged-link-1280x800.png"))?;
    println!("e2e: a damaged link was reported and changed nothing saved");
    Ok(())
}

/// Every "Run it" button of the lesson step on screen, pressed in order.
const RUN_ALL: &str =
    "document.querySelectorAll('[data-testid=\"lesson-type\"]').forEach(b => b.click()); return null;";

/// Lesson 8 started from the picker on a fresh page, playing at 8×, with its first step done (the web Deployment
/// and Service, and the client pod).
fn zero_downtime_step_one(browser: &Browser, base: &str) -> Result<(), String> {
    fresh(browser, base)?;
    browser.click("[data-testid=\"lessons\"]")?;
    browser.click("[data-testid=\"lesson-item\"][data-lesson=\"08-zero-downtime\"] button")?;
    browser.wait_for("[data-testid=\"lesson\"][data-step=\"0\"]", Duration::from_secs(5))?;
    browser.set_value("[data-testid=\"speed\"]", "8", "change")?;
    browser.click("[data-testid=\"play\"]")?;
    browser.script(RUN_ALL)?;
    wait_until(browser, "lesson 8, step 1", Duration::from_secs(90), CHECK_PASSED)
}

/// Lesson 8 ("zero downtime") played to step 3 through the page: the client pod, steady traffic, then a rollout
/// under traffic. Its panel lists each condition with its own mark and counts the answers and failures since the
/// step began.
fn zero_downtime(browser: &Browser, base: &str, out_dir: &Path, size: &str) -> Result<(), String> {
    zero_downtime_step_one(browser, base)?;
    browser.click("[data-testid=\"lesson-next\"]")?;
    browser.wait_for("[data-testid=\"lesson\"][data-step=\"1\"]", Duration::from_secs(5))?;
    browser.click("[data-testid=\"lesson-traffic\"]")?;
    wait_until(browser, "lesson 8, step 2: steady traffic answered", Duration::from_secs(90), CHECK_PASSED)?;
    browser.click("[data-testid=\"lesson-next\"]")?;
    browser.wait_for("[data-testid=\"lesson\"][data-step=\"2\"]", Duration::from_secs(5))?;
    let conditions =
        browser.script("return document.querySelectorAll('[data-testid=\"lesson-condition\"]').length;")?;
    if conditions != 2 {
        return Err(format!("lesson 8 step 3 lists {conditions} conditions, not its 2"));
    }
    browser.script(RUN_ALL)?;
    wait_until(
        browser,
        "lesson 8, step 3: answers of two revisions in the lesson panel",
        Duration::from_secs(90),
        "return document.querySelectorAll('[data-testid=\"lesson-answered\"]').length >= 2;",
    )?;
    browser.script("document.querySelector('[data-testid=\"lesson\"]').scrollIntoView(); return null;")?;
    browser.screenshot(&out_dir.join(format!("lesson8-step3-{size}.png")))?;
    wait_until(
        browser,
        "lesson 8, step 3: revision 2 out, some requests failed",
        Duration::from_secs(90),
        CHECK_PASSED,
    )?;
    let failed = browser.script("return document.querySelectorAll('[data-testid=\"lesson-failed\"]').length;")?;
    let met = browser.script(
        "return Array.from(document.querySelectorAll('[data-testid=\"lesson-condition\"]')).map(c => c.dataset.met);",
    )?;
    if failed.as_u64().unwrap_or(0) == 0 || met != json!(["true", "true"]) {
        return Err(format!("lesson 8 step 3 passed, but its panel shows failures {failed} and conditions {met}"));
    }
    browser.screenshot(&out_dir.join(format!("lesson8-step3-done-{size}.png")))?;
    println!("e2e ({size}): lesson 8 step 3 under traffic: both conditions met, answers and failures counted");
    Ok(())
}

/// Lesson 8 with step 2 (the traffic) skipped: step 3 names what it needs and offers to go back; the button rewinds
/// the run to step 2.
fn skipped_step(browser: &Browser, base: &str, out_dir: &Path) -> Result<(), String> {
    zero_downtime_step_one(browser, base)?;
    browser.click("[data-testid=\"lesson-next\"]")?;
    browser.wait_for("[data-testid=\"lesson\"][data-step=\"1\"]", Duration::from_secs(5))?;
    browser.click("[data-testid=\"lesson-next\"]")?;
    browser.wait_for("[data-testid=\"lesson-need\"]", Duration::from_secs(10))?;
    let said = wait_for_text(browser, "[data-testid=\"lesson-need\"]", Duration::from_secs(5))?;
    if !said.contains("step 2") && !said.contains("2단계") {
        return Err(format!("step 3 without traffic does not point back to step 2: {said:?}"));
    }
    browser.screenshot(&out_dir.join("lesson8-need-1280x800.png"))?;
    browser.click("[data-testid=\"lesson-need-fix\"]")?;
    browser.wait_for("[data-testid=\"lesson\"][data-step=\"1\"]", Duration::from_secs(10))?;
    println!("e2e: lesson 8 with step 2 skipped: step 3 says it needs step 2's traffic, and the button goes back");
    Ok(())
}

/// `embed.html`, the embedding example: the API creates a cluster, applies a Deployment and advances time.
fn embedding(browser: &Browser, base: &str) -> Result<(), String> {
    browser.navigate(&format!("{base}embed.html"))?;
    browser.wait_for("body[data-ready=\"true\"]", Duration::from_secs(30))?;
    let seen = browser.script(
        "return { ready: document.querySelectorAll('[data-testid=\"embed-pods\"] li[data-ready=\"true\"]').length, \
          out: document.querySelector('[data-testid=\"embed-output\"]').textContent };",
    )?;
    let out = seen["out"].as_str().unwrap_or_default();
    if seen["ready"] != 3 || !out.contains("deployment.apps/my-nginx-deployment   3/3") {
        return Err(format!("embed.html shows {seen}"));
    }
    println!("e2e: embed.html: the JavaScript API ran a Deployment to 3 Ready pods");
    Ok(())
}

/// The pods on the stage: (revision, ready, state, ReplicaSet lane name).
const PODS: &str = "return Array.from(document.querySelectorAll('[data-testid=\"pod\"]')).map(p => ({ \
    revision: p.dataset.revision, ready: p.dataset.ready, state: p.dataset.state, phase: p.dataset.phase, \
    lane: (p.closest('[data-testid=\"replicaset\"]') || {dataset: {}}).dataset.name || '' }));";

fn pods(browser: &Browser) -> Result<Vec<Value>, String> {
    Ok(browser.script(PODS)?.as_array().cloned().unwrap_or_default())
}

/// Waits until `check` holds for the pods on the stage (polling the page), or fails with what the stage showed.
fn wait_for_pods(
    browser: &Browser,
    what: &str,
    timeout: Duration,
    check: impl Fn(&[Value]) -> bool,
) -> Result<Vec<Value>, String> {
    let deadline = Instant::now() + timeout;
    loop {
        let pods = pods(browser)?;
        if check(&pods) {
            return Ok(pods);
        }
        if Instant::now() > deadline {
            let clock = browser.script("return document.querySelector('[data-testid=\"clock\"]').textContent;")?;
            return Err(format!(
                "{what}: not within {} s (clock {clock}); the stage shows {pods:?}",
                timeout.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn count(pods: &[Value], revision: &str, ready: bool) -> usize {
    pods.iter().filter(|p| p["revision"] == revision && (!ready || p["ready"] == "true")).count()
}

/// The learner's session through the page: everything is typed, clicked or chosen as a person would.
fn playground(browser: &Browser, out_dir: &Path, size: &str) -> Result<(), String> {
    let long = Duration::from_secs(90);
    wait_for_pods(browser, "the landing example: 3 Ready pods of revision 1", long, |p| {
        p.len() == 3 && count(p, "1", true) == 3
    })?;
    browser.screenshot(&out_dir.join(format!("landing-{size}.png")))?;
    let old_rs = browser
        .script("return document.querySelector('[data-testid=\"replicaset\"][data-revision=\"1\"]').dataset.name;")?;

    // Play at 8×, then set the image in the terminal.
    browser.set_value("[data-testid=\"speed\"]", "8", "change")?;
    browser.click("[data-testid=\"play\"]")?;
    browser.type_into(
        "[data-testid=\"terminal-input\"]",
        "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11\u{E007}",
    )?;
    wait_for_pods(browser, "the rollout under way: pods of both revisions", long, |p| {
        count(p, "2", false) > 0 && count(p, "1", false) > 0
    })?;
    browser.script("document.getElementById('stage').scrollIntoView(); return null;")?;
    browser.screenshot(&out_dir.join(format!("rollout-middle-{size}.png")))?;
    wait_for_pods(browser, "the rollout done: 3 Ready pods of revision 2, none of revision 1", long, |p| {
        count(p, "2", true) == 3 && count(p, "1", false) == 0 && p.len() == 3
    })?;
    println!("e2e ({size}): set image → three Ready pods of revision 2, none of revision 1");

    // Roll back from the history panel: the old ReplicaSet comes back (as revision 3) and the 1.11 pods go.
    browser.click_text("[role=\"tab\"]", &["History", "히스토리"])?;
    browser.click("[data-testid=\"revision\"][data-revision=\"1\"] [data-testid=\"rollback\"]")?;
    let old = old_rs.as_str().unwrap_or_default().to_string();
    wait_for_pods(browser, "the rollback done: 3 Ready pods of the first ReplicaSet, now revision 3", long, |p| {
        p.len() == 3 && p.iter().all(|x| x["lane"] == old.as_str() && x["revision"] == "3" && x["ready"] == "true")
    })?;
    let typed = browser.script("return document.querySelector('[data-testid=\"terminal-output\"]').textContent;")?;
    if !typed
        .as_str()
        .unwrap_or_default()
        .contains("kubectl rollout undo deployment my-nginx-deployment --to-revision=1")
    {
        return Err(format!("the rollback did not show its command in the terminal: {typed}"));
    }
    println!("e2e ({size}): roll back to revision 1 from the history panel → three Ready pods of {old} (revision 3)");

    // A failed rollout: a typo'd tag never pulls; the old pods keep serving.
    browser.type_into(
        "[data-testid=\"terminal-input\"]",
        "kubectl set image deployment my-nginx-deployment nginx=nginx:1.99-typo\u{E007}",
    )?;
    wait_for_pods(browser, "a failed rollout: a pod that cannot pull its image", long, |p| {
        p.iter().any(|x| x["state"] == "image-pull") && count(p, "3", true) == 3
    })?;
    browser.click_text("[role=\"tab\"]", &["Events", "이벤트"])?;
    browser.script("document.getElementById('stage').scrollIntoView(); return null;")?;
    browser.screenshot(&out_dir.join(format!("failed-rollout-{size}.png")))?;
    browser
        .type_into("[data-testid=\"terminal-input\"]", "kubectl rollout undo deployment my-nginx-deployment\u{E007}")?;
    wait_for_pods(browser, "the failed rollout undone", long, |p| {
        p.len() == 3 && p.iter().all(|x| x["ready"] == "true")
    })?;

    // Traffic from the workstation through a NodePort Service, as the book's chapter does it: the form proposes a URL
    // that works, every request is answered, dots land on revision-coloured tiles, and during a rollout both
    // revisions answer while (without a preStop delay) a few requests meet a pod that is going away.
    browser.type_into(
        "[data-testid=\"terminal-input\"]",
        "kubectl expose deployment my-nginx-deployment --port=80 --type=NodePort\u{E007}",
    )?;
    browser.click_text("[role=\"tab\"]", &["Traffic", "트래픽"])?;
    // A cluster name from the workstation is flagged before Start, with why.
    browser.set_value("[data-testid=\"traffic-url\"]", "http://my-nginx-deployment/", "input")?;
    let warning = wait_for_text(browser, "[data-testid=\"traffic-warning\"]", long)?;
    if !(warning.contains("outside the cluster") || warning.contains("클러스터 밖")) {
        return Err(format!("a workstation URL with a cluster name is not explained: {warning:?}"));
    }
    browser.click("[data-testid=\"traffic-proposal\"]")?;
    let url = browser.script("return document.querySelector('[data-testid=\"traffic-url\"]').value;")?;
    let url = url.as_str().unwrap_or_default().to_string();
    if !url.starts_with("http://172.18.0.") {
        return Err(format!("the proposed workstation URL is not a node's NodePort: {url:?}"));
    }
    // Each node's kube-proxy programs the new node port a moment after `expose` (in virtual time, which runs at the
    // wall clock's pace here): until then the form rightly flags the URL. It must stop flagging it once programmed.
    let deadline = Instant::now() + long;
    loop {
        let flagged =
            browser.script("return document.querySelectorAll('[data-testid=\"traffic-warning\"]').length;")?;
        if flagged.as_u64() == Some(0) {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("the proposed URL {url} is still flagged as not working after {long:?}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    browser.set_value("[data-testid=\"traffic-rate\"]", "100", "input")?;
    browser.click("[data-testid=\"traffic-start\"]")?;
    let deadline = Instant::now() + long;
    let dots = loop {
        let dots = browser.script(
            "return Array.from(document.querySelectorAll('#stage [data-testid=\"request-dot\"][data-pod]')) \
             .map(d => [d.dataset.pod, d.dataset.revision || '', \
               !!document.querySelector('[data-testid=\"pod\"][data-name=\"' + d.dataset.pod + '\"]')]);",
        )?;
        let dots = dots.as_array().cloned().unwrap_or_default();
        if dots.len() >= 3 {
            break dots;
        }
        if Instant::now() > deadline {
            return Err(format!("no request dots reached the pod tiles: {dots:?}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    if dots.iter().any(|d| d[1].as_str().unwrap_or_default().is_empty() || d[2] != true) {
        return Err(format!("a request dot is not on a revision-coloured pod tile: {dots:?}"));
    }
    let groups = outcome_groups(browser)?;
    if groups.is_empty() || groups.iter().any(|g| !g.starts_with("rev-")) {
        return Err(format!("the proposed URL was not answered every time: {groups:?}"));
    }
    println!("e2e ({size}): {url} from the workstation → answered by {groups:?}, dots on {} tiles", dots.len());
    crate::a11y::axe(browser, &format!("with traffic running at {size}"))?;
    let before: Vec<String> = browser
        .script("return Array.from(new Set(Array.from(document.querySelectorAll('[data-testid=\"pod\"]')).map(p => p.dataset.revision)));")?
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    // At 2× the rollout lasts long enough to be seen half done, even on a busy machine (at 8× it can finish
    // between two looks).
    browser.set_value("[data-testid=\"speed\"]", "2", "change")?;
    browser.type_into(
        "[data-testid=\"terminal-input\"]",
        "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11\u{E007}",
    )?;
    wait_for_pods(browser, "the rollout under traffic: pods of two revisions", long, |p| {
        let mut revs: Vec<&str> = p.iter().filter(|x| x["lane"] != "").filter_map(|x| x["revision"].as_str()).collect();
        revs.sort();
        revs.dedup();
        revs.len() == 2
    })?;
    browser.script("document.getElementById('stage').scrollIntoView(); return null;")?;
    browser.screenshot(&out_dir.join(format!("service-traffic-{size}.png")))?;
    browser.set_value("[data-testid=\"speed\"]", "8", "change")?;
    wait_for_pods(browser, "the rollout under traffic done", long, |p| {
        p.iter().filter(|x| x["lane"] != "").count() == 3
            && p.iter().filter(|x| x["lane"] != "").all(|x| {
                x["ready"] == "true" && !before.contains(&x["revision"].as_str().unwrap_or_default().to_string())
            })
    })?;
    let groups = outcome_groups(browser)?;
    let revisions: Vec<&String> = groups.iter().filter(|g| g.starts_with("rev-")).collect();
    if revisions.len() < 2 {
        return Err(format!("responses of both revisions were not seen: {groups:?}"));
    }
    let failed = browser.script(
        "return Array.from(document.querySelectorAll('[data-testid=\"outcome-group\"].outcome-failed .outcome-why')) \
         .map(w => w.textContent);",
    )?;
    let failed: Vec<String> =
        failed.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect();
    if failed.is_empty() || failed.iter().any(|w| w.trim().is_empty()) {
        return Err(format!("no failure with its reason during the rollout without preStop: {groups:?}"));
    }
    browser.script(
        "document.querySelector('[data-testid=\"outcomes\"]').scrollIntoView({block: 'center'}); return null;",
    )?;
    browser.screenshot(&out_dir.join(format!("traffic-outcomes-{size}.png")))?;
    println!(
        "e2e ({size}): during the rollout {groups:?} answered or failed; the failures explain themselves: {failed:?}"
    );
    Ok(())
}

/// The traffic panel's outcome groups (`rev-1`, `status-503`, `Refused-Terminating`, …).
fn outcome_groups(browser: &Browser) -> Result<Vec<String>, String> {
    let groups = browser.script(
        "return Array.from(document.querySelectorAll('[data-testid=\"outcome-group\"]')).map(g => g.dataset.outcome);",
    )?;
    Ok(groups.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect())
}

/// Waits until an element matching `css` has text, and returns it.
fn wait_for_text(browser: &Browser, css: &str, within: Duration) -> Result<String, String> {
    let deadline = Instant::now() + within;
    loop {
        let text =
            browser.script(&format!("const e = document.querySelector({css:?}); return e ? e.textContent : '';"))?;
        let text = text.as_str().unwrap_or_default().to_string();
        if !text.trim().is_empty() {
            return Ok(text);
        }
        if Instant::now() > deadline {
            return Err(format!("nothing appeared at {css}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A minimal static file server for `dir`, mounted at `prefix`. Anything outside the prefix is a 404, so an
/// absolute asset URL in the build shows up as a failure. Every request is logged with its status.
pub struct StaticServer {
    pub port: u16,
    log: Arc<Mutex<Vec<(String, u16)>>>,
    /// While set, requests for `.wasm` files wait (a page on a slow network, before its app arrives).
    hold: Arc<AtomicBool>,
}

/// Each file's gzip body, made once (as hosts keep precompressed files): compressing the 3 MB wasm at the best
/// level takes a second or more, which would otherwise be added to every page load measured.
/// Keyed by the file and a hash of its bytes, so a rebuilt file is compressed again.
type Zipped = Mutex<std::collections::HashMap<(PathBuf, u64), Arc<Vec<u8>>>>;

impl StaticServer {
    pub fn start(dir: PathBuf, prefix: &'static str) -> Result<StaticServer, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("binding a loopback port: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&log);
        let zipped: Arc<Zipped> = Arc::default();
        let hold = Arc::new(AtomicBool::new(false));
        let held = Arc::clone(&hold);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                let (log, zipped, held) = (Arc::clone(&shared), Arc::clone(&zipped), Arc::clone(&held));
                std::thread::spawn(move || serve_one(stream, &dir, prefix, &log, &zipped, &held));
            }
        });
        Ok(StaticServer { port, log, hold })
    }

    /// Holds back (or, with `false`, lets go of) every answer for a `.wasm` file.
    pub fn hold_wasm(&self, on: bool) {
        self.hold.store(on, Ordering::SeqCst);
    }

    pub fn log(&self) -> Vec<(String, u16)> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

fn serve_one(
    mut stream: TcpStream,
    dir: &Path,
    prefix: &str,
    log: &Mutex<Vec<(String, u16)>>,
    zipped: &Zipped,
    hold: &AtomicBool,
) -> Option<()> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut gzip = false;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            gzip |= name.eq_ignore_ascii_case("accept-encoding") && value.contains("gzip");
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next()?, parts.next()?);
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    while path.ends_with(".wasm") && hold.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut file_path = PathBuf::new();
    let (code, mut body, mime) = match resolve(dir, prefix, &path) {
        Some(file) if method == "GET" || method == "HEAD" => match std::fs::read(&file) {
            Ok(body) => {
                file_path = file.clone();
                (200, body, mime_type(&file))
            }
            Err(_) => (404, b"not found".to_vec(), "text/plain"),
        },
        Some(_) => (405, b"method not allowed".to_vec(), "text/plain"),
        None => (404, b"not found".to_vec(), "text/plain"),
    };
    let reason = match code {
        200 => "OK",
        405 => "Method Not Allowed",
        _ => "Not Found",
    };
    // Logged before answering, so a client that has its answer always finds the request in the log.
    if let Ok(mut log) = log.lock() {
        log.push((path, code));
    }
    // Compressed as static hosts serve it, when the client asks (a browser always does).
    let mut encoding = "";
    if gzip && code == 200 && mime != "image/png" {
        let key = (file_path, {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            body.hash(&mut h);
            h.finish()
        });
        // The precompressed copy `cargo xtask dist` wrote beside the file, as hosts serve it; else made here once.
        let beside = std::fs::read(crate::dist::beside(&key.0, ".gz")).ok().map(Arc::new);
        let compressed =
            beside.or_else(|| zipped.lock().ok().and_then(|z| z.get(&key).cloned())).unwrap_or_else(|| {
                let compressed = Arc::new(crate::dist::gzip(&body));
                if let Ok(mut z) = zipped.lock() {
                    z.insert(key, Arc::clone(&compressed));
                }
                compressed
            });
        body = compressed.to_vec();
        encoding = "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n";
    }
    let head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {mime}\r\n{encoding}Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
    Some(())
}

fn resolve(dir: &Path, prefix: &str, path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix(prefix)?;
    let rest = if rest.is_empty() || rest.ends_with('/') { format!("{rest}index.html") } else { rest.to_string() };
    let relative = Path::new(&rest);
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = dir.join(relative);
    file.is_file().then_some(file)
}

fn mime_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "yaml" | "yml" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

const CSP_KEY: &str = "kubeplay-e2e-csp";
const CSP_RECORDER: &str = "addEventListener('securitypolicyviolation', e => { try { \
    const v = JSON.parse(sessionStorage.getItem('kubeplay-e2e-csp') || '[]'); \
    v.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || '') + ':' + e.lineNumber); \
    sessionStorage.setItem('kubeplay-e2e-csp', JSON.stringify(v)); } catch (_) {} }, true);";

/// One ChromeDriver process and one headless Chromium session, ended on drop.
pub struct Browser {
    driver: Child,
    url: String,
    _profile: TempDir,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Browser {
    pub fn start(chromedriver: &str) -> Result<Browser, String> {
        Browser::start_with(chromedriver, "normal")
    }

    /// A session whose navigations wait only as far as `page_load` says (WebDriver's page load strategy: `normal`
    /// waits for the load event, `eager` for the DOM, which a page whose wasm is held back reaches).
    pub fn start_with(chromedriver: &str, page_load: &str) -> Result<Browser, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("finding a free port: {e}"))?
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting {chromedriver}: {e}"))?;
        let endpoint = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{endpoint}/status")).call().is_err() {
            if Instant::now() > deadline {
                return Err("ChromeDriver did not answer within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = TempDir(std::env::temp_dir().join(format!("kubeplay-e2e-{}-{port}", std::process::id())));
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.0.display()));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": page_load,
            "goog:chromeOptions": {"binary": crate::tools::CHROMIUM, "args": args}
        }}});
        let mut browser = Browser { driver, url: endpoint.clone(), _profile: profile };
        let session = call(ureq::post(&format!("{endpoint}/session")).send_json(caps))?;
        let id = session["sessionId"].as_str().ok_or(format!("no sessionId in {session}"))?;
        browser.url = format!("{endpoint}/session/{id}");
        // axe-core needs more than the default 30 s for an asynchronous script on a busy page.
        browser.post("timeouts", json!({"script": 120_000}))?;
        // Every Content-Security-Policy violation of any page this session opens is written to the tab's
        // sessionStorage (which survives navigations), for `csp_violations`.
        browser.post(
            "goog/cdp/execute",
            json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": CSP_RECORDER}}),
        )?;
        Ok(browser)
    }

    /// The CSP violations recorded so far (read on a page of the served origin), and forgets them.
    pub fn csp_violations(&self) -> Result<Vec<String>, String> {
        let v = self.script(&format!(
            "const v = JSON.parse(sessionStorage.getItem('{CSP_KEY}') || '[]'); sessionStorage.removeItem('{CSP_KEY}'); return v;"
        ))?;
        Ok(v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect())
    }

    fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        call(ureq::post(&format!("{}/{path}", self.url)).send_json(body))
    }

    pub fn navigate(&self, url: &str) -> Result<(), String> {
        self.post("url", json!({ "url": url })).map(|_| ())
    }

    pub fn script(&self, body: &str) -> Result<Value, String> {
        self.post("execute/sync", json!({ "script": body, "args": [] }))
    }

    /// Runs `body` as an asynchronous script: it ends by calling `arguments[arguments.length - 1]` with its result.
    pub fn script_async(&self, body: &str) -> Result<Value, String> {
        self.post("execute/async", json!({ "script": body, "args": [] }))
    }

    /// Presses keys on whatever has the focus, as a keyboard would: each character of `keys` is pressed and
    /// released in turn (`\u{E004}` is Tab, `\u{E007}` Enter, `\u{E00C}` Escape). With `modifier` (`\u{E009}` is
    /// Control, `\u{E008}` Shift) held around them.
    pub fn keys(&self, keys: &str, modifier: Option<char>) -> Result<(), String> {
        let mut actions = Vec::new();
        if let Some(m) = modifier {
            actions.push(json!({"type": "keyDown", "value": m.to_string()}));
        }
        for c in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": c.to_string()}));
            actions.push(json!({"type": "keyUp", "value": c.to_string()}));
        }
        if let Some(m) = modifier {
            actions.push(json!({"type": "keyUp", "value": m.to_string()}));
        }
        self.post("actions", json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})).map(|_| ())
    }

    /// Sets the CSS viewport exactly (a phone-sized one included).
    pub fn viewport(&self, width: u32, height: u32) -> Result<(), String> {
        let params = json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600});
        self.post("goog/cdp/execute", json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": params}))
            .map(|_| ())
    }

    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.script(&format!("return document.querySelector({}) !== null;", json!(css)))?;
            if found == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let body = self.script("return document.body ? document.body.innerText.slice(0, 500) : '';")?;
                return Err(format!("{css} did not appear within {} s; the page says: {body}", timeout.as_secs()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn element(&self, css: &str) -> Result<String, String> {
        let found = self.post("element", json!({ "using": "css selector", "value": css }))?;
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("no element {css}"))
    }

    /// Clicks the element `css` selects, as a user would (WebDriver scrolls it into view first).
    pub fn click(&self, css: &str) -> Result<(), String> {
        let id = self.element(css)?;
        self.post(&format!("element/{id}/click"), json!({})).map(|_| ())
    }

    /// Clicks the first element matching `css` whose text is one of `texts` (a label in either language).
    pub fn click_text(&self, css: &str, texts: &[&str]) -> Result<(), String> {
        let script = format!(
            "const want = {}; const e = Array.from(document.querySelectorAll({})).find(e => want.includes(e.textContent.trim())); \
             if (!e) return false; e.scrollIntoView({{block: 'center'}}); e.click(); return true;",
            json!(texts),
            json!(css)
        );
        match self.script(&script)? {
            Value::Bool(true) => Ok(()),
            _ => Err(format!("no {css} reading {texts:?}")),
        }
    }

    /// Sets a form control's value and fires `event` (`input` or `change`) as the browser would after a user's edit.
    pub fn set_value(&self, css: &str, value: &str, event: &str) -> Result<(), String> {
        let script = format!(
            "const e = document.querySelector({}); if (!e) return false; e.value = {}; \
             e.dispatchEvent(new Event({}, {{ bubbles: true }})); return true;",
            json!(css),
            json!(value),
            json!(event)
        );
        match self.script(&script)? {
            Value::Bool(true) => Ok(()),
            _ => Err(format!("no {css} to set")),
        }
    }

    /// Types `text` into the element `css` selects, key by key (`\u{E007}` is Enter).
    pub fn type_into(&self, css: &str, text: &str) -> Result<(), String> {
        let id = self.element(css)?;
        self.post(&format!("element/{id}/value"), json!({ "text": text })).map(|_| ())
    }

    pub fn screenshot(&self, file: &Path) -> Result<(), String> {
        let data = call(ureq::get(&format!("{}/screenshot", self.url)).call())?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or_default())
            .map_err(|e| format!("screenshot is not base64: {e}"))?;
        std::fs::write(file, png).map_err(|e| format!("writing {}: {e}", file.display()))?;
        println!("e2e: screenshot {}", file.display());
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.url).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Unwraps a WebDriver answer: `{"value": ...}`, with WebDriver's error and message on failure.
fn call(result: Result<ureq::Response, ureq::Error>) -> Result<Value, String> {
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            let body: Value = r.into_json().unwrap_or(Value::Null);
            return Err(format!("WebDriver {code}: {} {}", body["value"]["error"], body["value"]["message"]));
        }
        Err(e) => return Err(format!("WebDriver: {e}")),
    };
    let body: Value = response.into_json().map_err(|e| format!("WebDriver answer is not JSON: {e}"))?;
    Ok(body["value"].clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kubeplay-xtask-site-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<html></html>").unwrap();
        std::fs::write(dir.join("assets/app.wasm"), [0u8, 97, 115, 109]).unwrap();
        dir
    }

    #[test]
    fn only_paths_under_the_prefix_resolve() {
        let dir = site();
        assert_eq!(resolve(&dir, SUB_PATH, "/some/sub/path/"), Some(dir.join("index.html")));
        assert_eq!(resolve(&dir, SUB_PATH, "/some/sub/path/assets/app.wasm"), Some(dir.join("assets/app.wasm")));
        // An absolute asset URL (the bug the sub-path catches) is outside the prefix.
        assert_eq!(resolve(&dir, SUB_PATH, "/assets/app.wasm"), None);
        assert_eq!(resolve(&dir, SUB_PATH, "/index.html"), None);
        assert_eq!(resolve(&dir, SUB_PATH, "/some/sub/path/../../../etc/passwd"), None);
        assert_eq!(resolve(&dir, SUB_PATH, "/some/sub/path/missing.js"), None);
    }

    #[test]
    fn the_server_answers_with_types_and_logs_every_request() {
        let server = StaticServer::start(site(), SUB_PATH).unwrap();
        let base = format!("http://127.0.0.1:{}", server.port);
        let wasm = ureq::get(&format!("{base}{SUB_PATH}assets/app.wasm")).call().unwrap();
        assert_eq!(wasm.header("content-type"), Some("application/wasm"));
        match ureq::get(&format!("{base}/assets/app.wasm")).call() {
            Err(ureq::Error::Status(404, _)) => {}
            other => panic!("expected a 404 outside the prefix, got {other:?}"),
        }
        let mut log = server.log();
        log.sort();
        assert_eq!(log, vec![("/assets/app.wasm".to_string(), 404), (format!("{SUB_PATH}assets/app.wasm"), 200)]);
    }

    #[test]
    fn the_server_compresses_for_clients_that_ask() {
        use std::io::Read as _;
        let server = StaticServer::start(site(), SUB_PATH).unwrap();
        let url = format!("http://127.0.0.1:{}{SUB_PATH}assets/app.wasm", server.port);
        let plain = ureq::get(&url).call().unwrap();
        assert_eq!(plain.header("content-encoding"), None);
        let mut want = Vec::new();
        plain.into_reader().read_to_end(&mut want).unwrap();
        let zipped = ureq::get(&url).set("Accept-Encoding", "gzip, deflate").call().unwrap();
        assert_eq!(zipped.header("content-encoding"), Some("gzip"));
        let mut got = Vec::new();
        flate2::read::GzDecoder::new(zipped.into_reader()).read_to_end(&mut got).unwrap();
        assert_eq!(got, want);
    }
}
