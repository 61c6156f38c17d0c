//! Rolls a Deployment of 100, 1,000 and 10,000 replicas from nginx:1.10 to nginx:1.11, to completion, with the
//! default strategy (25 % / 25 %). The cluster has one worker per 100 pods (the kubelet's limit is 110). Setup (the
//! first rollout) is not measured: each iteration starts from a clone of the settled cluster.
//!
//! `cargo bench --bench rollout`

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
    use criterion::{criterion_group, BatchSize, BenchmarkId, Criterion, Throughput};
    use k8s_openapi::api::apps::v1::Deployment;
    use kubeplay::sim::Sim;

    fn settled(replicas: i32) -> Sim {
        // One worker per 100 pods (the kubelet's limit is 110); pods Ready 10 s after creation.
        let workers = (replicas as u32 / 100 + 1).min(kubeplay::cluster::settings::MAX_WORKERS);
        let mut sim = Sim::new(common::delta_10s(workers));
        sim.apply(common::deployment("web", replicas, "nginx:1.10", common::Strategy::Default)).expect("apply");
        sim.run_until_idle(3_600_000);
        sim
    }

    pub fn rollout(c: &mut Criterion) {
        let mut group = c.benchmark_group("rollout");
        group.sample_size(10);
        for replicas in [100, 1_000, 10_000] {
            let base = settled(replicas);
            group.throughput(Throughput::Elements(replicas as u64));
            group.bench_with_input(BenchmarkId::from_parameter(replicas), &replicas, |b, &replicas| {
                b.iter_batched(
                    || base.clone(),
                    |mut sim| {
                        sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
                        sim.run_until_idle(3_600_000);
                        let d = sim.cluster().store().get::<Deployment>("default", "web").unwrap();
                        assert_eq!(d.status.as_ref().unwrap().updated_replicas, Some(replicas));
                        sim
                    },
                    BatchSize::LargeInput,
                )
            });
        }
        group.finish();
    }

    criterion_group!(benches, rollout);
}
