//! `cargo xtask dist`: a release build into `dist/` (relative asset URLs, wasm-opt -Oz), then a size table.

use crate::run::{self, Env};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
    /// What a visit loads before the app is live (everything but the files below), gzip.
    pub first_load_gzip: u64,
}

/// Files in `dist/` the page fetches only when something needs them (`kubectl explain`'s documentation).
const ON_DEMAND: &[&str] = &["explain.data"];
/// Files in `dist/` the page never loads (the embedding example, a page of its own).
const NOT_THE_PAGE: &[&str] = &["embed.html"];

pub fn main(env: &Env) -> Result<Sizes, String> {
    run::status(env.command("trunk").args(["build", "--release"]))?;
    let dist = crate::root().join("dist");
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("reading {}: {e}", index.display()))?;
    let html = add_csp(&start_after_paint(&prerender(env, &html)?)?)?;
    std::fs::write(&index, html).map_err(|e| format!("writing {}: {e}", index.display()))?;
    let mut files = Vec::new();
    walk(&dist, &mut files).map_err(|e| format!("reading dist/: {e}"))?;
    files.retain(|f| !f.extension().is_some_and(|e| e == "gz" || e == "br"));
    files.sort();
    if files.is_empty() {
        return Err("dist/ is empty after the build".into());
    }
    println!("{:<40} {:>10} {:>10} {:>10}  LOADED", "FILE", "RAW", "GZIP -9", "BROTLI 11");
    let mut total = Sizes { raw: 0, gzip: 0, brotli: 0, first_load_gzip: 0 };
    for file in &files {
        let bytes = std::fs::read(file).map_err(|e| format!("reading {}: {e}", file.display()))?;
        // Each file's compressed copies next to it, for hosts that serve precompressed files (`file.gz`, `file.br`).
        let (gz, br) = (gzip(&bytes), brotli(&bytes));
        for (suffix, body) in [(".gz", &gz), (".br", &br)] {
            let sibling = beside(file, suffix);
            std::fs::write(&sibling, body).map_err(|e| format!("writing {}: {e}", sibling.display()))?;
        }
        let name = file.strip_prefix(&dist).unwrap_or(file).display().to_string();
        let loaded = if ON_DEMAND.contains(&name.as_str()) {
            "on demand"
        } else if NOT_THE_PAGE.contains(&name.as_str()) {
            "never (another page)"
        } else {
            total.first_load_gzip += gz.len() as u64;
            "first load"
        };
        println!("{:<40} {:>10} {:>10} {:>10}  {loaded}", name, bytes.len(), gz.len(), br.len());
        total.raw += bytes.len() as u64;
        total.gzip += gz.len() as u64;
        total.brotli += br.len() as u64;
    }
    println!("{:<40} {:>10} {:>10} {:>10}", "TOTAL", total.raw, total.gzip, total.brotli);
    println!(
        "dist: {} files, {:.1} KB raw, {:.1} KB gzip, {:.1} KB brotli; the first load is {:.1} KB gzip \
         (each file has its .gz and .br beside it)",
        files.len(),
        kb(total.raw),
        kb(total.gzip),
        kb(total.brotli),
        kb(total.first_load_gzip)
    );
    Ok(total)
}

/// The page's Content-Security-Policy: only its own files, WebAssembly compiled from them, and the page's inline
/// scripts (the language choice, the Korean screen's swap, trunk's loader), by their hashes. Nothing from outside `dist/`, no other inline script, no `eval`.
pub fn policy(inline_hashes: &[String]) -> String {
    let scripts: String = inline_hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'; img-src 'self' data: blob:; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"
    )
}

/// Puts the policy in a `<meta>` right after `<meta charset>`, hashing every inline `<script>` of the page.
fn add_csp(html: &str) -> Result<String, String> {
    use base64::Engine;
    use sha2::Digest;
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let after = &rest[open..];
        let start = after.find('>').ok_or("an unclosed <script> tag in index.html")? + 1;
        let end = after.find("</script>").ok_or("a <script> without </script> in index.html")?;
        if !after[..start].contains(" src=") {
            let digest = sha2::Sha256::digest(&after.as_bytes()[start..end]);
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        rest = &after[end + "</script>".len()..];
    }
    let charset = "<meta charset=\"utf-8\" />";
    if !html.contains(charset) || html.contains("Content-Security-Policy") {
        return Err("index.html: expected one <meta charset=\"utf-8\" /> and no policy yet".into());
    }
    let meta =
        format!("{charset}\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{}\" />", policy(&hashes));
    println!("dist: index.html gets a Content-Security-Policy with {} inline script hash(es)", hashes.len());
    Ok(html.replacen(charset, &meta, 1))
}

/// Puts the landing screen, rendered to HTML by the app's own components (`kubeplay prerender LANG`, Yew's
/// server-side renderer, built natively with the `prerender` feature), into `index.html`: the English screen in place
/// of the page's "starting" line inside `#app`, the Korean one in a `<template id="prerender-ko">` that the page's
/// script swaps in before painting when the page's language is Korean.
fn prerender(env: &Env, html: &str) -> Result<String, String> {
    let boot_start = html.find("<p class=\"boot\">").ok_or("index.html: no <p class=\"boot\"> inside #app")?;
    let boot_end = boot_start
        + html[boot_start..].find("</p>").ok_or("index.html: the <p class=\"boot\"> is not closed")?
        + "</p>".len();
    let app_end = boot_end + html[boot_end..].find("</div>").ok_or("index.html: #app is not closed")? + "</div>".len();
    let render = |lang: &str| -> Result<String, String> {
        let screen = run::output(env.command("cargo").args([
            "run",
            "--quiet",
            "--features",
            "prerender",
            "--bin",
            "kubeplay",
            "--",
            "prerender",
            lang,
        ]))?;
        if !screen.starts_with("<div class=\"prerender\"") || !screen.contains("data-region=\"stage\"") {
            return Err(format!("`kubeplay prerender {lang}` did not print the landing screen: {:.200}", screen));
        }
        Ok(screen)
    };
    let (en, ko) = (render("en")?, render("ko")?);
    let out = format!(
        "{}{en}{}\n    <template id=\"prerender-ko\">{ko}</template>{}",
        &html[..boot_start],
        &html[boot_end..app_end],
        &html[app_end..]
    );
    println!(
        "dist: index.html holds the landing screen prerendered ({} bytes English, {} bytes Korean)",
        en.len(),
        ko.len()
    );
    Ok(out)
}

/// Makes trunk's loader start the app only after the prerendered screen has painted: its static import of
/// `kubeplay.js` becomes a dynamic one after a frame, and the preload links for `kubeplay.js` and the wasm go. The
/// first paint then never waits on the app's download, as a browser (or Lighthouse, which counts every request begun
/// before the largest paint as one it waited for) could otherwise think.
fn start_after_paint(html: &str) -> Result<String, String> {
    let static_start = "import init, * as bindings from './kubeplay.js';\nconst wasm = await init({ module_or_path: './kubeplay_bg.wasm' });";
    if !html.contains(static_start) {
        return Err("index.html: trunk's loader is not the expected `import init … await init(…)`".into());
    }
    let deferred = "// The prerendered screen paints first; the app loads after it (xtask/src/dist.rs).\n\
        await new Promise((painted) => { requestAnimationFrame(() => setTimeout(painted, 0)); setTimeout(painted, 250); });\n\
        const bindings = await import('./kubeplay.js');\n\
        const wasm = await bindings.default({ module_or_path: './kubeplay_bg.wasm' });";
    let mut out = String::with_capacity(html.len());
    for line in html.replacen(static_start, deferred, 1).split_inclusive('\n') {
        let preload = line.contains("<link rel=\"modulepreload\"") || line.contains("<link rel=\"preload\"");
        if !(preload && (line.contains("kubeplay.js") || line.contains("kubeplay_bg.wasm"))) {
            out.push_str(line);
        }
    }
    Ok(out)
}

pub fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1000.0
}

/// `file` with `suffix` added to its name (`kubeplay.js` → `kubeplay.js.gz`): where a precompressed copy lies.
pub fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Gzip at its best level (`gzip -9`).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

/// Brotli at its best quality (11) with a 4 MiB window (`brotli -q 11 -w 22`).
fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}
