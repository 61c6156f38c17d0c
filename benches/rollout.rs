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
mod bench {
    use criterion::{criterion_group, BatchSize, BenchmarkId, Criterion, Throughput};
    use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
    use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
    use kubeplay::cluster::{Settings, Timings};
    use kubeplay::sim::Sim;
    use std::collections::BTreeMap;

    fn deployment(replicas: i32) -> Deployment {
        let labels: BTreeMap<String, String> = [("app".to_string(), "web".to_string())].into();
        Deployment {
            metadata: ObjectMeta { name: Some("web".into()), namespace: Some("default".into()), ..Default::default() },
            spec: Some(DeploymentSpec {
                replicas: Some(replicas),
                selector: LabelSelector { match_labels: Some(labels.clone()), ..Default::default() },
                template: PodTemplateSpec {
                    metadata: Some(ObjectMeta { labels: Some(labels), ..Default::default() }),
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            name: "nginx".into(),
                            image: Some("nginx:1.10".into()),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }),
                },
                ..Default::default()
            }),
            status: None,
        }
    }

    fn settled(replicas: i32) -> Sim {
        let settings = Settings {
            seed: 1,
            workers: (replicas as u32 / 100 + 1).min(kubeplay::cluster::settings::MAX_WORKERS),
            timings: Timings {
                pull_ms: Some(0),
                start_ms: 10_000,
                warmup_ms: Some(0),
                stop_ms: Some(0),
                ..Timings::default()
            },
        };
        let mut sim = Sim::new(settings);
        sim.apply(deployment(replicas)).expect("apply");
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
                        let d = sim.cluster.store.get::<Deployment>("default", "web").unwrap();
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
