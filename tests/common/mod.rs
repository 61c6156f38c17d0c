//! Shared builders for the native integration tests.
#![allow(dead_code)]

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment};
use k8s_openapi::api::core::v1::{Container, ContainerPort, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay::cluster::{Settings, Timings};
use kubeplay::sim::Sim;
use std::collections::BTreeMap;

/// The reference's worked-example model (§8): a pod is Ready exactly 10 s after it is created (no pull time,
/// container start 10 s, no warm-up).
pub fn delta_10s(workers: u32) -> Settings {
    Settings {
        seed: 7,
        workers,
        timings: Timings {
            pull_ms: Some(0),
            start_ms: 10_000,
            warmup_ms: Some(0),
            stop_ms: Some(0),
            ..Timings::default()
        },
        ..Settings::default()
    }
}

pub fn labels(app: &str) -> BTreeMap<String, String> {
    [("app".to_string(), app.to_string())].into()
}

/// A Deployment `name` of `replicas` × `image` (container `nginx`, port 80) with the given strategy.
pub fn deployment(name: &str, replicas: i32, image: &str, strategy: Strategy) -> Deployment {
    let strategy = match strategy {
        Strategy::Default => None,
        Strategy::Rolling(surge, unavailable) => Some(DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(surge),
                max_unavailable: Some(unavailable),
            }),
        }),
        Strategy::Recreate => Some(DeploymentStrategy { type_: Some("Recreate".into()), rolling_update: None }),
    };
    Deployment {
        metadata: ObjectMeta { name: Some(name.into()), namespace: Some("default".into()), ..Default::default() },
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            selector: LabelSelector { match_labels: Some(labels(name)), ..Default::default() },
            strategy,
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta { labels: Some(labels(name)), ..Default::default() }),
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: "nginx".into(),
                        image: Some(image.into()),
                        ports: Some(vec![ContainerPort { container_port: 80, ..Default::default() }]),
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

#[derive(Clone)]
pub enum Strategy {
    Default,
    Rolling(IntOrString, IntOrString),
    Recreate,
}

pub fn int(n: i32) -> IntOrString {
    IntOrString::Int(n)
}

/// A cluster with `d` applied and settled (all pods Ready).
pub fn running(settings: Settings, d: Deployment) -> Sim {
    let mut sim = Sim::new(settings);
    sim.apply(d).expect("apply");
    sim.run_until_idle(600_000);
    sim
}

/// `ScalingReplicaSet` events since `from` (index into the event log), as (seconds since `t0`, message).
pub fn scaling_events(sim: &Sim, from: usize, t0: u64) -> Vec<(u64, String)> {
    sim.cluster()
        .events()
        .log
        .since(from)
        .filter(|e| e.reason == kubeplay::cluster::events::EventReason::ScalingReplicaSet)
        .map(|e| ((e.at - t0) / 1000, e.message.clone()))
        .collect()
}

/// The (old, new) sequence of spec sizes implied by the scaling events, starting at (`old`, 0).
pub fn sizes(events: &[(u64, String)], new_rs: &str, old: i32) -> Vec<(i32, i32)> {
    let mut state = (old, 0);
    let mut seq = vec![state];
    for (_, msg) in events {
        let to: i32 =
            msg.split(" to ").nth(1).and_then(|s| s.split_whitespace().next()).and_then(|n| n.parse().ok()).unwrap();
        if msg.contains(new_rs) {
            state.1 = to;
        } else {
            state.0 = to;
        }
        seq.push(state);
    }
    seq
}

/// The name of the Deployment's current new ReplicaSet (the one with the highest revision).
pub fn newest_rs(sim: &Sim, deployment: &str) -> String {
    use k8s_openapi::api::apps::v1::ReplicaSet;
    sim.cluster()
        .store()
        .list::<ReplicaSet>(Some("default"))
        .filter(|rs| rs.metadata.name.as_deref().unwrap_or("").starts_with(&format!("{deployment}-")))
        .max_by_key(|rs| {
            rs.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("deployment.kubernetes.io/revision"))
                .and_then(|r| r.parse::<i64>().ok())
        })
        .and_then(|rs| rs.metadata.name.clone())
        .unwrap()
}
