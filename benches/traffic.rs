//! 100,000 requests routed through a NodePort Service while a 100-replica Deployment rolls from nginx:1.10 to
//! nginx:1.11: four clients on the workstation, 500 requests a second each, for 50 virtual seconds. Every request
//! is resolved through the nodes' kube-proxy views, answered (or refused) by a pod, logged by nginx and recorded.
//! Setup (the first rollout) is not measured: each iteration starts from a clone of the settled cluster.
//!
//! `cargo bench --bench traffic`

// The benchmark is native only; the wasm32 build of the crate's targets (clippy) sees an empty program.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(bench::benches);

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/common/mod.rs"]
mod common;

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use super::common;
    use criterion::{criterion_group, BatchSize, Criterion, Throughput};
    use k8s_openapi::api::core::v1::Service;
    use kubeplay::net::Origin;
    use kubeplay::sim::Sim;

    pub const REQUESTS: u64 = 100_000;

    fn settled() -> (Sim, i32) {
        let mut sim = Sim::new(common::delta_10s(3));
        sim.apply(common::deployment("web", 100, "nginx:1.10", common::Strategy::Default)).expect("apply");
        let svc: Service = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80}]}
        }))
        .expect("service");
        sim.apply(svc).expect("apply service");
        sim.run_until_idle(3_600_000);
        let port = sim
            .cluster()
            .store()
            .get::<Service>("default", "web")
            .unwrap()
            .spec
            .as_ref()
            .unwrap()
            .ports
            .as_ref()
            .unwrap()[0]
            .node_port
            .unwrap();
        (sim, port)
    }

    pub fn traffic(c: &mut Criterion) {
        let mut group = c.benchmark_group("traffic");
        group.sample_size(10);
        let (base, port) = settled();
        group.throughput(Throughput::Elements(REQUESTS));
        group.bench_function("100k-requests-during-100-replica-rollout", |b| {
            b.iter_batched(
                || base.clone(),
                |mut sim| {
                    for node in 3..=5 {
                        let url = format!("http://172.18.0.{node}:{port}/");
                        sim.start_traffic(Origin::Workstation, &url, 500, 1_000).unwrap();
                    }
                    sim.start_traffic(Origin::Workstation, &format!("http://172.18.0.3:{port}/"), 500, 1_000).unwrap();
                    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
                    sim.advance(49_999);
                    assert_eq!(sim.net.counters.total, REQUESTS);
                    assert_eq!(sim.net.counters.by_revision.len(), 2, "both versions answered");
                    sim
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }

    criterion_group!(benches, traffic);
}
