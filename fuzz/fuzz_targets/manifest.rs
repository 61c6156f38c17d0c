//! Parse + validate + apply, on any text: the editor's check, `kubectl apply` and `kubectl create` against a fresh
//! cluster, and every object the cluster stored printed as YAML and read back. Any panic, or a printed object that
//! does not read back cleanly, is a crash.
#![no_main]

use kubeplay::api::{ConfigMap, Deployment, Namespace, Pod, Secret, Service};
use kubeplay::apply::printed;
use kubeplay::cluster::Settings;
use kubeplay::manifest;
use kubeplay::sim::Sim;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = manifest::check(text);
    let mut sim = Sim::new(Settings::default());
    let _ = sim.apply_manifest(text, "fuzz.yaml");
    let _ = sim.apply_manifest(text, "fuzz.yaml");
    let _ = sim.create_manifest(text, "fuzz.yaml");
    let store = &sim.cluster.store;
    let mut printed_all: Vec<String> = Vec::new();
    printed_all.extend(store.list::<Deployment>(None).map(|o| printed(o, false)));
    printed_all.extend(store.list::<Service>(None).map(|o| printed(o, false)));
    printed_all.extend(store.list::<Pod>(None).take(3).map(|o| printed(o, false)));
    printed_all.extend(store.list::<ConfigMap>(None).map(|o| printed(o, false)));
    printed_all.extend(store.list::<Secret>(None).map(|o| printed(o, false)));
    printed_all.extend(store.list::<Namespace>(None).map(|o| printed(o, true)));
    for yaml in printed_all {
        let problems = manifest::check(&yaml);
        assert!(problems.is_empty(), "a stored object does not read back:\n{yaml}\n{problems:?}");
    }
});
