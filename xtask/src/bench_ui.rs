//! `cargo xtask bench-ui`: the playground's responsiveness, measured in headless Chromium on the built `dist/`.
//!
//! - **Ready**: the time from navigation to the app's `app-ready` performance mark (set once the first screen has
//!   rendered, with the landing example applied), the median of five loads.
//! - **Frames**: with 500 pods on the stage during a rollout, and 1,000 requests a second from the workstation
//!   through a NodePort Service (the traffic form's own proposal), the interval between animation frames
//!   (`requestAnimationFrame`) over at least 10 s; p50 and p95. A frame that takes longer than 16.7 ms is one the
//!   browser could not draw at 60 Hz.
//!
//! - **Lighthouse** 12 (npm, its default mobile profile: slow 4G, 4× CPU slowdown) on `dist/` served with gzip from
//!   a sub-path, as static hosts serve it: the category scores and the paint and blocking times.
//!
//! Figures, not pass/fail: the machines are noisy, so timing goals are reported, never asserted. The one exception
//! is Lighthouse's accessibility score, which does not depend on the machine's speed: anything below 100 fails.

use crate::e2e::{Browser, StaticServer, SUB_PATH};
use crate::run::Env;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The pods on the stage while frames are measured.
const PODS: usize = 500;
/// Requests per second while frames are measured (the traffic form's most).
const RATE: u32 = 1_000;
/// How long frames are measured.
const MEASURE_MS: u64 = 12_000;

pub fn main(env: &Env, lighthouse_only: bool) -> Result<(), String> {
    let sizes = crate::dist::main(env)?;
    let server = StaticServer::start(crate::root().join("dist"), SUB_PATH)?;
    let base = format!("http://127.0.0.1:{}{}", server.port, SUB_PATH);
    let lighthouse = lighthouse(env, &base)?;
    let weight = format!(
        "bench-ui: dist/ {:.1} KB gzip, {:.1} KB brotli; the first load {:.1} KB gzip (goal ≤ 450 KB)",
        crate::dist::kb(sizes.gzip),
        crate::dist::kb(sizes.brotli),
        crate::dist::kb(sizes.first_load_gzip)
    );
    if lighthouse_only {
        println!("{weight}\nbench-ui: {lighthouse}");
        return Ok(());
    }
    let driver = env.chromedriver.as_deref().ok_or("bench-ui needs ChromeDriver")?;
    let browser = Browser::start(driver)?;
    browser.viewport(1280, 800)?;

    let mut ready = Vec::new();
    for _ in 0..5 {
        // The first visit: nothing saved, the landing example.
        crate::e2e::fresh(&browser, &base)?;
        let mark = browser
            .script("const m = performance.getEntriesByName('app-ready'); return m.length ? m[0].startTime : null;")?;
        ready.push(mark.as_f64().ok_or("no app-ready performance mark")?);
    }
    ready.sort_by(f64::total_cmp);
    let ready_ms = ready[ready.len() / 2];

    // 500 pods need more than the default three workers (110 pods a node): six, through the settings panel.
    browser.click_text("[role=\"tab\"]", &["Settings", "설정"])?;
    browser.wait_for("[data-testid=\"setting-workers\"]", Duration::from_secs(5))?;
    browser.set_value("[data-testid=\"setting-workers\"]", "6", "input")?;
    browser.click("[data-testid=\"settings-apply\"]")?;
    browser.set_value("[data-testid=\"speed\"]", "8", "change")?;
    browser.click("[data-testid=\"play\"]")?;
    browser.type_into(
        "[data-testid=\"terminal-input\"]",
        &format!("kubectl scale deployment my-nginx-deployment --replicas={PODS}\u{E007}"),
    )?;
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let ready_pods =
            browser.script("return document.querySelectorAll('[data-testid=\"pod\"][data-ready=\"true\"]').length;")?;
        if ready_pods.as_u64().unwrap_or(0) >= PODS as u64 {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("the stage never showed {PODS} Ready pods (it shows {ready_pods})"));
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    // Traffic from the workstation, as a learner starts it: a NodePort Service, the form's first proposal.
    browser.type_into(
        "[data-testid=\"terminal-input\"]",
        "kubectl expose deployment my-nginx-deployment --port=80 --type=NodePort\u{E007}",
    )?;
    browser.click_text("[role=\"tab\"]", &["Traffic", "트래픽"])?;
    browser.wait_for("[data-testid=\"traffic-proposal\"]", Duration::from_secs(10))?;
    browser.click("[data-testid=\"traffic-proposal\"]")?;
    browser.set_value("[data-testid=\"traffic-rate\"]", &RATE.to_string(), "input")?;
    browser.click("[data-testid=\"traffic-start\"]")?;
    browser.wait_for("#stage [data-testid=\"request-dot\"]", Duration::from_secs(30))?;
    // The rollout plays at 2× so it lasts the whole measurement (at 8× 500 pods roll over in a few seconds).
    browser.set_value("[data-testid=\"speed\"]", "2", "change")?;
    browser.type_into(
        "[data-testid=\"terminal-input\"]",
        "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11\u{E007}",
    )?;
    browser.script(&format!(
        "performance.clearMeasures(); window.__frames = []; let last = performance.now(); const end = last + {MEASURE_MS}; \
         function f(t) {{ window.__frames.push(t - last); last = t; if (t < end) requestAnimationFrame(f); }} \
         requestAnimationFrame(f); return null;"
    ))?;
    // Sample the stage while frames are counted, from the app's one-line summary (reading it costs the page nothing).
    let mut mixes = Vec::new();
    for _ in 0..(MEASURE_MS / 2_000) {
        std::thread::sleep(Duration::from_millis(2_000));
        mixes.push(browser.script("return document.querySelector('[data-testid=\"summary\"]').textContent;")?);
    }
    std::thread::sleep(Duration::from_millis(MEASURE_MS % 2_000 + 500));
    let frames = browser.script("return window.__frames;")?;
    // What each tick cost: the simulation's step and the render that followed (User Timing measures the app sets).
    let phase = |name: &str| -> Result<String, String> {
        let v = browser.script(&format!("return performance.getEntriesByName('{name}').map(e => e.duration);"))?;
        let mut d: Vec<f64> = v.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
        if d.is_empty() {
            return Ok(format!("{name}: no measures"));
        }
        d.sort_by(f64::total_cmp);
        let at = |p: f64| d[((d.len() - 1) as f64 * p).round() as usize];
        Ok(format!(
            "{name} p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} ticks",
            at(0.5),
            at(0.95),
            d[d.len() - 1],
            d.len()
        ))
    };
    let (simulate, render) = (phase("simulate")?, phase("render")?);
    let mut frames: Vec<f64> = frames.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
    let pods_now = browser.script(
        "const p = Array.from(document.querySelectorAll('[data-testid=\"pod\"]')); \
         return [p.length, new Set(p.map(x => x.dataset.revision)).size, \
           document.querySelectorAll('#stage [data-testid=\"request-dot\"]').length];",
    )?;
    if frames.len() < 10 {
        return Err(format!("only {} frames were drawn in {MEASURE_MS} ms", frames.len()));
    }
    frames.sort_by(f64::total_cmp);
    let pct = |p: f64| frames[((frames.len() - 1) as f64 * p).round() as usize];
    let (p50, p95, max) = (pct(0.5), pct(0.95), frames[frames.len() - 1]);
    // rAF intervals are multiples of the 16.7 ms vsync: a "long" frame is one that missed at least one.
    let long = frames.iter().filter(|f| **f > 17.5).count();
    println!("{weight}");
    println!("bench-ui: {lighthouse}");
    println!("bench-ui: navigation → app-ready {ready_ms:.0} ms (median of 5: {ready:.0?}) (goal ≤ 1000 ms)");
    println!(
        "bench-ui: {} frames over {:.1} s with {PODS} pods during a rollout at 2× and {RATE} requests/s \
         (stage at the end: [pods, revisions, request dots] {pods_now}): \
         p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms (goal p95 ≤ 16.7 ms); {long} frames ({:.1}%) missed a vsync",
        frames.len(),
        MEASURE_MS as f64 / 1000.0,
        long as f64 * 100.0 / frames.len() as f64,
    );
    println!(
        "bench-ui: the stage every 2 s while measuring: {}",
        mixes.iter().map(Value::to_string).collect::<Vec<_>>().join(" ")
    );
    println!("bench-ui: per tick of the player (about one a frame): {simulate}; {render}");
    Ok(())
}

/// Runs Lighthouse's default (mobile) audit of the page at `url` and sums it up in one line. Fails when the
/// accessibility score is below 100, listing the failing audits.
fn lighthouse(env: &Env, url: &str) -> Result<String, String> {
    // The whole report stays in target/ for a closer look (the trace's metrics, every audit's details).
    let dir = crate::root().join("target").join("bench-ui");
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let out = dir.join("lighthouse.json");
    let bin = crate::tools::tools_dir().join("node_modules").join(".bin").join("lighthouse");
    crate::run::status(
        env.command(&bin.to_string_lossy())
            .arg(url)
            .args(["--only-categories=performance,accessibility,best-practices,seo", "--output=json", "--quiet"])
            .arg(format!("--output-path={}", out.display()))
            .arg(format!("--chrome-flags={}", crate::e2e::CHROMIUM_ARGS.join(" ")))
            .env("CHROME_PATH", crate::tools::CHROMIUM),
    )?;
    let report = std::fs::read_to_string(&out).map_err(|e| format!("reading {}: {e}", out.display()))?;
    let report: Value = serde_json::from_str(&report).map_err(|e| format!("Lighthouse's report: {e}"))?;
    let score = |category: &str| report["categories"][category]["score"].as_f64().map(|s| (s * 100.0).round());
    let audit = |id: &str| report["audits"][id]["displayValue"].as_str().unwrap_or("?").replace('\u{a0}', " ");
    let accessibility = score("accessibility").ok_or("Lighthouse reported no accessibility score")?;
    if accessibility < 100.0 {
        let failing: Vec<String> = report["categories"]["accessibility"]["auditRefs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_str())
            .filter(|id| report["audits"][id]["score"].as_f64().is_some_and(|s| s < 1.0))
            .map(|id| format!("{id}: {}", report["audits"][id]["title"].as_str().unwrap_or_default()))
            .collect();
        return Err(format!("Lighthouse accessibility is {accessibility} (goal 100): {failing:?}"));
    }
    // The long main-thread tasks (what Total Blocking Time adds up).
    let long_tasks: Vec<String> = report["audits"]["long-tasks"]["details"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            format!(
                "{:.0} ms at {:.0} ms",
                t["duration"].as_f64().unwrap_or(0.0),
                t["startTime"].as_f64().unwrap_or(0.0)
            )
        })
        .collect();
    Ok(format!(
        "Lighthouse (mobile): performance {:?}, accessibility {accessibility}, best practices {:?}, SEO {:?}; \
         FCP {}, LCP {}, TBT {} (long tasks: {}), TTI {}, CLS {}, bytes {}",
        score("performance").unwrap_or(f64::NAN),
        score("best-practices").unwrap_or(f64::NAN),
        score("seo").unwrap_or(f64::NAN),
        audit("first-contentful-paint"),
        audit("largest-contentful-paint"),
        audit("total-blocking-time"),
        long_tasks.join(", "),
        audit("interactive"),
        audit("cumulative-layout-shift"),
        audit("total-byte-weight"),
    ))
}
