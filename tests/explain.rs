//! `kubectl explain`'s data is generated from the k8s-openapi sources of the pinned Kubernetes version; this test
//! regenerates it and fails if the committed file is stale (`EXPLAIN_UPDATE=1` rewrites it).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The triple this test was built for, from `rustc -vV` (`host: x86_64-unknown-linux-gnu`).
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(&rustc).arg("-vV").output().unwrap_or_else(|e| panic!("`{rustc} -vV` runs: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap_or_else(|| panic!("`{rustc} -vV` names the host: {text}"))
        .trim()
        .to_string()
}

/// The `src/v1_35` folder of the k8s-openapi crate this build uses, from `cargo metadata`.
///
/// Neither `--offline` nor `--frozen`: on a fresh cargo cache, metadata for every platform would need the packages
/// of every platform in Cargo.lock (windows-only crates included), which a native build never downloads (issue 16).
/// `--filter-platform` asks only for this host's packages, all of them already fetched by the build that runs this
/// test; a missing one is fetched unless the caller set `CARGO_NET_OFFLINE`.
fn k8s_openapi_sources() -> PathBuf {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--filter-platform", &host_triple(), "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "`cargo metadata` failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let manifest = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "k8s-openapi")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("k8s-openapi is a dependency");
    Path::new(manifest).parent().unwrap().join("src/v1_35")
}

#[test]
fn the_explain_data_is_generated_from_the_pinned_api_types() {
    let generated = kubeplay::kubectl::explain_gen::generate(&k8s_openapi_sources()).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/kubectl/explain.data");
    if std::env::var("EXPLAIN_UPDATE").is_ok() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "src/kubectl/explain.data is stale: run EXPLAIN_UPDATE=1 cargo test --test explain"
    );
    // Every root kind is there, with its fields.
    for root in kubeplay::kubectl::explain_gen::roots() {
        assert!(generated.contains(&format!("@{root}|")), "{root}");
    }
}
