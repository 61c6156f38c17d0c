//! Real kubectl judges kubeplay's kubectl (issue 20). Each line of `tests/differential/client-side.txt` is one kubectl
//! decides before it talks to the API server; it runs through kubeplay's engine and through real kubectl v1.35 (which
//! `cargo xtask setup --browser`, part of `cargo xtask test`, installs into `.tools/`), and stdout, stderr and the exit
//! code must be identical. kubeplay's own hint lines are dropped first, as `--no-hints` does.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::cluster::Settings;
use kubeplay::kubectl::{self, Context, NoFiles};
use kubeplay::sim::Sim;
use std::path::{Path, PathBuf};
use std::process::Command;

const KUBECTL: &str = ".tools/kubectl/v1.35.2/kubectl";

/// Real kubectl: `KUBEPLAY_REAL_KUBECTL`, else where the setup puts it.
fn real_kubectl() -> PathBuf {
    let path = std::env::var_os("KUBEPLAY_REAL_KUBECTL")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(KUBECTL));
    assert!(
        path.exists(),
        "real kubectl is not at {}: run `cargo xtask setup --browser` (or set KUBEPLAY_REAL_KUBECTL)",
        path.display()
    );
    path
}

/// A scratch folder with a kubeconfig whose server nothing listens on, so a line that needs the server shows it.
fn sandbox() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubeplay-differential-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("home")).unwrap();
    std::fs::write(
        dir.join("kubeconfig"),
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \"http://127.0.0.1:9\"}\n\
         contexts:\n- name: c\n  context: {cluster: c, user: u, namespace: default}\ncurrent-context: c\n\
         users:\n- name: u\n  user: {}\n",
    )
    .unwrap();
    dir
}

/// What a line printed, as `$ line`, stdout, stderr and `[exit N]`.
fn shown(line: &str, stdout: &str, stderr: &str, code: i32) -> String {
    format!("$ {line}\n{stdout}{stderr}[exit {code}]\n")
}

fn real(kubectl: &Path, dir: &Path, line: &str) -> String {
    let words = kubectl::words::split(line).expect("a corpus line splits");
    let out = Command::new(kubectl)
        .args(&words[1..])
        .current_dir(dir)
        .env_clear()
        .env("KUBECONFIG", dir.join("kubeconfig"))
        .env("HOME", dir.join("home"))
        .output()
        .expect("real kubectl runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        !stderr.contains("connection to the server") && !stderr.contains("127.0.0.1:9"),
        "`{line}` needs the API server; it does not belong in client-side.txt:\n{stderr}"
    );
    shown(line, &stdout, &stderr, out.status.code().unwrap_or(-1))
}

fn ours(line: &str) -> String {
    let mut sim = Sim::new(Settings::default());
    let out = kubectl::run(&mut sim, line, &Context { files: &NoFiles, stdin: None, live: false });
    let stderr = out.warnings + &out.stderr;
    shown(line, &kubectl::without_hints(&out.stdout), &kubectl::without_hints(&stderr), out.code)
}

#[test]
fn lines_kubectl_decides_without_a_server_print_what_real_kubectl_prints() {
    let kubectl = real_kubectl();
    let dir = sandbox();
    let corpus =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/client-side.txt"))
            .unwrap();
    let lines: Vec<&str> = corpus.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    assert!(lines.len() >= 25, "the corpus lost lines");
    let mut differ = Vec::new();
    for line in &lines {
        let (want, got) = (real(&kubectl, &dir, line), ours(line));
        if want != got {
            differ.push(format!("real kubectl:\n{want}kubeplay:\n{got}"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(differ.is_empty(), "{} of {} lines differ:\n\n{}", differ.len(), lines.len(), differ.join("\n"));
}
