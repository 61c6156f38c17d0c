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
