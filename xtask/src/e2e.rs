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

    browser.screenshot(&out_dir.join(format!("landing-{lang}-1280x800.png")))?;

    // Switch to Korean with the language button; the choice must survive a reload (it is kept in local storage).
    browser.script("document.querySelector('.lang-button[lang=\"ko\"]').click(); return null;")?;
    browser.wait_for("html[lang=\"ko\"]", Duration::from_secs(5))?;
    browser.screenshot(&out_dir.join("landing-ko-1280x800.png"))?;
    browser.viewport(390, 844)?;
    browser.navigate(&base)?;
    browser.wait_for("[data-testid=\"app-ready\"]", Duration::from_secs(30))?;
    let lang = browser.script("return document.documentElement.lang;")?;
    if lang != "ko" {
        return Err(format!("after a reload the language is {lang}, not the chosen \"ko\""));
    }
    browser.screenshot(&out_dir.join("landing-ko-390x844.png"))?;

    let bad: Vec<String> =
        server.log().into_iter().filter(|(_, code)| *code != 200).map(|(p, c)| format!("{c} {p}")).collect();
    if !bad.is_empty() {
        return Err(format!("the static server answered requests that were not 200: {bad:?}"));
    }
    println!("e2e: ok; screenshots in {}", out_dir.display());
    Ok(())
}

/// A minimal static file server for `dir`, mounted at `prefix`. Anything outside the prefix is a 404, so an
/// absolute asset URL in the build shows up as a failure. Every request is logged with its status.
pub struct StaticServer {
    pub port: u16,
    log: Arc<Mutex<Vec<(String, u16)>>>,
}

impl StaticServer {
    pub fn start(dir: PathBuf, prefix: &'static str) -> Result<StaticServer, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("binding a loopback port: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                let log = Arc::clone(&shared);
                std::thread::spawn(move || serve_one(stream, &dir, prefix, &log));
            }
        });
        Ok(StaticServer { port, log })
    }

    pub fn log(&self) -> Vec<(String, u16)> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

fn serve_one(mut stream: TcpStream, dir: &Path, prefix: &str, log: &Mutex<Vec<(String, u16)>>) -> Option<()> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next()?, parts.next()?);
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    let (code, body, mime) = match resolve(dir, prefix, &path) {
        Some(file) if method == "GET" || method == "HEAD" => match std::fs::read(&file) {
            Ok(body) => (200, body, mime_type(&file)),
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
    let head = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
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
            "goog:chromeOptions": {"binary": crate::tools::CHROMIUM, "args": args}
        }}});
        let mut browser = Browser { driver, url: endpoint.clone(), _profile: profile };
        let session = call(ureq::post(&format!("{endpoint}/session")).send_json(caps))?;
        let id = session["sessionId"].as_str().ok_or(format!("no sessionId in {session}"))?;
        browser.url = format!("{endpoint}/session/{id}");
        Ok(browser)
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
}
