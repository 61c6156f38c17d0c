//! `cargo xtask dist`: a release build into `dist/` (relative asset URLs, wasm-opt -Oz), then a size table.

use crate::run::{self, Env};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
}

pub fn main(env: &Env) -> Result<Sizes, String> {
    run::status(env.command("trunk").args(["build", "--release"]))?;
    let dist = crate::root().join("dist");
    add_csp(&dist.join("index.html"))?;
    let mut files = Vec::new();
    walk(&dist, &mut files).map_err(|e| format!("reading dist/: {e}"))?;
    files.sort();
    if files.is_empty() {
        return Err("dist/ is empty after the build".into());
    }
    println!("{:<48} {:>10} {:>10}", "FILE", "RAW", "GZIP -9");
    let mut total = Sizes { raw: 0, gzip: 0 };
    for file in &files {
        let bytes = std::fs::read(file).map_err(|e| format!("reading {}: {e}", file.display()))?;
        let gz = gzip_len(&bytes);
        let name = file.strip_prefix(&dist).unwrap_or(file).display().to_string();
        println!("{:<48} {:>10} {:>10}", name, bytes.len(), gz);
        total.raw += bytes.len() as u64;
        total.gzip += gz;
    }
    println!("{:<48} {:>10} {:>10}", "TOTAL", total.raw, total.gzip);
    println!("dist: {} files, {:.1} KB raw, {:.1} KB gzip", files.len(), kb(total.raw), kb(total.gzip));
    Ok(total)
}

/// The page's Content-Security-Policy: only its own files, WebAssembly compiled from them, and the inline scripts
/// trunk wrote (the loader), by their hashes. Nothing from outside `dist/`, no other inline script, no `eval`.
pub fn policy(inline_hashes: &[String]) -> String {
    let scripts: String = inline_hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'; img-src 'self' data: blob:; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"
    )
}

/// Puts the policy in a `<meta>` right after `<meta charset>`, hashing every inline `<script>` of the page.
fn add_csp(index: &Path) -> Result<(), String> {
    use base64::Engine;
    use sha2::Digest;
    let html = std::fs::read_to_string(index).map_err(|e| format!("reading {}: {e}", index.display()))?;
    let mut hashes = Vec::new();
    let mut rest = html.as_str();
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
    std::fs::write(index, html.replacen(charset, &meta, 1)).map_err(|e| format!("writing {}: {e}", index.display()))?;
    println!("dist: index.html gets a Content-Security-Policy with {} inline script hash(es)", hashes.len());
    Ok(())
}

pub fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1000.0
}

fn gzip_len(bytes: &[u8]) -> u64 {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().map(|v| v.len() as u64).unwrap_or(0)
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
