//! `kubectl explain`'s data is generated from the k8s-openapi sources of the pinned Kubernetes version; this test
//! regenerates it and fails if the committed file is stale (`EXPLAIN_UPDATE=1` rewrites it).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// The `src/v1_35` folder of the k8s-openapi crate this build uses, from `cargo metadata`.
fn k8s_openapi_sources() -> PathBuf {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
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
