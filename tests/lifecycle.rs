//! Pod lifecycle, scheduling, garbage collection and the user's operations, end to end through the simulation.

mod common;
use common::*;
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::{ExecAction, HTTPGetAction, Lifecycle, LifecycleHandler, Pod, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay::api::pod_columns::pod_columns;
use kubeplay::cluster::{Propagation, Settings};
use kubeplay::sim::{OpError, Refusal, Rollback, Sim};

fn pods_of<'a>(sim: &'a Sim, prefix: &str) -> Vec<&'a Pod> {
    sim.pods("default").into_iter().filter(|p| p.metadata.name.as_deref().unwrap_or("").starts_with(prefix)).collect()
}

fn columns(sim: &Sim, p: &Pod) -> (String, String, String) {
    let c = pod_columns(p, sim.now());
    (c.ready, c.status, c.restarts)
}

fn events_for(sim: &Sim, name: &str) -> Vec<(u64, String, String)> {
    sim.cluster()
        .events()
        .log
        .iter()
        .filter(|e| e.object.name == name)
        .map(|e| (e.at, e.reason.to_string(), e.message.clone()))
        .collect()
}

fn with_container(mut d: Deployment, f: impl FnOnce(&mut k8s_openapi::api::core::v1::Container)) -> Deployment {
    f(&mut d.spec.as_mut().unwrap().template.spec.as_mut().unwrap().containers[0]);
    d
}

#[test]
fn a_pod_goes_through_scheduled_pulling_pulled_created_started_and_the_image_is_cached_per_node() {
    let mut sim = Sim::new(Settings { workers: 1, ..Settings::default() });
    sim.apply(deployment("web", 2, "nginx:1.14.2", Strategy::Default)).unwrap();
    let pods = pods_of(&sim, "web-");
    assert_eq!(pods.len(), 2);
    assert_eq!(columns(&sim, pods[0]).1, "ContainerCreating");
    sim.run_until_idle(60_000);
    let names: Vec<String> = pods_of(&sim, "web-").iter().map(|p| p.metadata.name.clone().unwrap()).collect();
    let reasons: Vec<Vec<String>> =
        names.iter().map(|n| events_for(&sim, n).into_iter().map(|e| e.1).collect()).collect();
    // Both asked for the image at once; the node's serialized puller fetched it for the first, and the second
    // pull, queued behind it, only checked the manifest.
    for r in &reasons {
        assert_eq!(r.as_slice(), ["Scheduled", "Pulling", "Pulled", "Created", "Started"], "{reasons:?}");
    }
    let messages: Vec<String> = names.iter().flat_map(|n| events_for(&sim, n)).map(|e| e.2).collect();
    assert!(
        messages.contains(
            &"Successfully pulled image \"nginx:1.14.2\" in 4s (4s including waiting). Image size: 71940018 bytes."
                .to_string()
        ),
        "{messages:?}"
    );
    assert!(messages.contains(&"Successfully pulled image \"nginx:1.14.2\" in 400ms (4.4s including waiting). Image size: 71940018 bytes.".to_string()), "{messages:?}");
    // A pod that comes later finds the image present.
    sim.scale("default", "web", 3).unwrap();
    sim.run_until_idle(60_000);
    let third = pods_of(&sim, "web-")
        .into_iter()
        .map(|p| p.metadata.name.clone().unwrap())
        .find(|n| !names.contains(n))
        .unwrap();
    let msgs: Vec<String> = events_for(&sim, &third).into_iter().map(|e| e.2).collect();
    assert!(
        msgs.contains(
            &"Container image \"nginx:1.14.2\" already present on machine and can be accessed by the pod".to_string()
        ),
        "{msgs:?}"
    );
    assert!(messages.contains(&"Started container nginx".to_string()));
    assert!(messages
        .iter()
        .any(|m| m.starts_with("Successfully assigned default/web-") && m.ends_with(" to kubeplay-worker")));
    for p in pods_of(&sim, "web-") {
        assert_eq!(columns(&sim, p), ("1/1".into(), "Running".into(), "0".into()));
        let ip = p.status.as_ref().unwrap().pod_ip.clone().unwrap();
        assert!(ip.starts_with("10.244.1."), "{ip}");
    }
}

#[test]
fn image_pull_back_off_doubles_from_10s_to_300s() {
    let settings = Settings {
        timings: kubeplay::cluster::Timings { pull_ms: Some(0), ..Default::default() },
        ..Settings::default()
    };
    let mut sim = Sim::new(settings);
    sim.apply(deployment("web", 1, "nginx:1.161", Strategy::Default)).unwrap();
    let name = pods_of(&sim, "web-")[0].metadata.name.clone().unwrap();
    sim.advance(1_000_000);
    let pulls: Vec<u64> =
        events_for(&sim, &name).into_iter().filter(|e| e.1 == "Pulling").map(|e| e.0 / 1000).collect();
    assert_eq!(pulls, vec![0, 10, 30, 70, 150, 310, 610, 910]);
    let messages: Vec<String> = events_for(&sim, &name).into_iter().map(|e| e.2).collect();
    assert!(messages.contains(&"Error: ErrImagePull".to_string()));
    assert!(messages.contains(&"Error: ImagePullBackOff".to_string()));
    assert!(messages.contains(&"Back-off pulling image \"nginx:1.161\"".to_string()));
    let pod = pods_of(&sim, "web-")[0];
    assert_eq!(columns(&sim, pod), ("0/1".into(), "ImagePullBackOff".into(), "0".into()));
    // Identical events are aggregated with a count, as `kubectl get events` shows "x8".
    let ev = sim
        .cluster()
        .store()
        .list::<k8s_openapi::api::core::v1::Event>(Some("default"))
        .find(|e| e.involved_object.name.as_deref() == Some(&name) && e.reason.as_deref() == Some("Pulling"))
        .unwrap();
    assert_eq!(ev.count, Some(8));
}

#[test]
fn a_container_that_exits_goes_into_crash_loop_back_off_with_growing_restarts() {
    let mut sim = Sim::new(Settings::default());
    sim.apply(deployment("shell", 1, "busybox:1.36", Strategy::Default)).unwrap();
    sim.advance(120_000);
    let pod = pods_of(&sim, "shell-")[0];
    let (ready, status, restarts) = columns(&sim, pod);
    assert_eq!(ready, "0/1");
    assert!(status == "CrashLoopBackOff" || status == "Completed", "{status}");
    let n: u32 = restarts.split_whitespace().next().unwrap().parse().unwrap();
    assert!((3..=5).contains(&n), "{restarts}");
    assert!(restarts.contains("ago"), "{restarts}");
    let name = pod.metadata.name.clone().unwrap();
    let uid = pod.metadata.uid.clone().unwrap();
    let backoffs: Vec<String> = events_for(&sim, &name).into_iter().filter(|e| e.1 == "BackOff").map(|e| e.2).collect();
    assert_eq!(backoffs[0], format!("Back-off restarting failed container nginx in pod {name}_default({uid})"));
    // The Deployment never becomes available (an `omitempty` zero is not stored).
    let d = sim.cluster().store().get::<Deployment>("default", "shell").unwrap();
    assert_eq!(d.status.as_ref().unwrap().available_replicas, None);
}

#[test]
fn a_readiness_probe_that_never_passes_keeps_the_pod_running_but_not_ready() {
    let d = with_container(deployment("web", 1, "nginx:1.25", Strategy::Default), |c| {
        c.readiness_probe = Some(Probe {
            http_get: Some(HTTPGetAction { port: IntOrString::Int(8080), ..Default::default() }),
            ..Default::default()
        });
    });
    let mut sim = Sim::new(Settings::default());
    sim.apply(d).unwrap();
    sim.advance(60_000);
    let pod = pods_of(&sim, "web-")[0];
    assert_eq!(columns(&sim, pod), ("0/1".into(), "Running".into(), "0".into()));
    let ip = pod.status.as_ref().unwrap().pod_ip.clone().unwrap();
    let unhealthy: Vec<String> = events_for(&sim, pod.metadata.name.as_deref().unwrap())
        .into_iter()
        .filter(|e| e.1 == "Unhealthy")
        .map(|e| e.2)
        .collect();
    assert_eq!(
        unhealthy[0],
        format!("Readiness probe failed: Get \"http://{ip}:8080/\": dial tcp {ip}:8080: connect: connection refused")
    );
    let st = sim.cluster().store().get::<Deployment>("default", "web").unwrap().status.clone().unwrap();
    assert_eq!((st.ready_replicas, st.available_replicas, st.replicas), (None, None, Some(1)), "zeros are omitted");
}

#[test]
fn a_passing_readiness_probe_makes_the_pod_ready_at_its_first_success() {
    let d = with_container(deployment("web", 1, "nginx:1.25", Strategy::Default), |c| {
        c.readiness_probe = Some(Probe {
            http_get: Some(HTTPGetAction { port: IntOrString::Int(80), path: Some("/".into()), ..Default::default() }),
            initial_delay_seconds: Some(5),
            ..Default::default()
        });
    });
    let mut sim = Sim::new(Settings::default());
    sim.apply(d).unwrap();
    // Pull 4 s + start 1 s: running at 5 s; first probe 5 s later succeeds.
    sim.run_until(9_000);
    assert_eq!(columns(&sim, pods_of(&sim, "web-")[0]).0, "0/1");
    sim.run_until(10_000);
    assert_eq!(columns(&sim, pods_of(&sim, "web-")[0]).0, "1/1");
}

#[test]
fn a_failing_liveness_probe_restarts_the_container() {
    let d = with_container(deployment("web", 1, "nginx:1.25", Strategy::Default), |c| {
        c.liveness_probe = Some(Probe {
            http_get: Some(HTTPGetAction {
                port: IntOrString::Int(80),
                path: Some("/healthz".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
    });
    let mut sim = Sim::new(Settings::default());
    sim.apply(d).unwrap();
    sim.advance(120_000);
    let pod = pods_of(&sim, "web-")[0];
    let name = pod.metadata.name.clone().unwrap();
    let evs = events_for(&sim, &name);
    assert!(evs.iter().any(|e| e.2 == "Liveness probe failed: HTTP probe failed with statuscode: 404"), "{evs:?}");
    assert!(evs.iter().any(|e| e.1 == "Killing" && e.2 == "Container nginx failed liveness probe, will be restarted"));
    let restarts = pod.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0].restart_count;
    assert!(restarts >= 2, "{restarts}");
}

#[test]
fn deleting_a_pod_shows_terminating_for_its_pre_stop_and_a_replacement_starts_at_once() {
    let d = with_container(deployment("web", 1, "nginx:1.25", Strategy::Default), |c| {
        c.lifecycle = Some(Lifecycle {
            pre_stop: Some(LifecycleHandler {
                exec: Some(ExecAction { command: Some(vec!["sh".into(), "-c".into(), "sleep 5".into()]) }),
                ..Default::default()
            }),
            ..Default::default()
        });
    });
    let mut sim = Sim::new(Settings::default());
    sim.apply(d).unwrap();
    sim.run_until_idle(60_000);
    let victim = pods_of(&sim, "web-")[0].metadata.name.clone().unwrap();
    sim.delete_pod("default", &victim, None).unwrap();
    let now: Vec<(String, String)> =
        pods_of(&sim, "web-").iter().map(|p| (p.metadata.name.clone().unwrap(), columns(&sim, p).1)).collect();
    assert_eq!(now.len(), 2);
    assert!(now.contains(&(victim.clone(), "Terminating".into())), "{now:?}");
    assert!(now.iter().any(|(n, s)| *n != victim && s == "ContainerCreating"), "{now:?}");
    sim.advance(5_000);
    assert!(pods_of(&sim, "web-").iter().any(|p| p.metadata.name.as_deref() == Some(&victim)));
    sim.advance(200); // preStop 5 s + nginx exits 0.1 s after SIGTERM
    assert!(!pods_of(&sim, "web-").iter().any(|p| p.metadata.name.as_deref() == Some(&victim)));
    assert!(events_for(&sim, &victim).iter().any(|e| e.1 == "Killing" && e.2 == "Stopping container nginx"));
}

#[test]
fn pods_spread_over_the_workers_and_never_land_on_the_tainted_control_plane() {
    let mut sim = Sim::new(Settings::default());
    sim.apply(deployment("web", 6, "nginx:1.25", Strategy::Default)).unwrap();
    let mut per_node = std::collections::BTreeMap::new();
    for p in pods_of(&sim, "web-") {
        *per_node.entry(p.spec.as_ref().unwrap().node_name.clone().unwrap()).or_insert(0) += 1;
    }
    let want: std::collections::BTreeMap<String, i32> =
        [("kubeplay-worker", 2), ("kubeplay-worker2", 2), ("kubeplay-worker3", 2)]
            .into_iter()
            .map(|(n, c)| (n.to_string(), c))
            .collect();
    assert_eq!(per_node, want);
}

#[test]
fn without_workers_pods_stay_pending_with_the_schedulers_message() {
    let mut sim = Sim::new(Settings { workers: 0, ..Settings::default() });
    sim.apply(deployment("web", 1, "nginx:1.25", Strategy::Default)).unwrap();
    let pod = pods_of(&sim, "web-")[0];
    assert_eq!(columns(&sim, pod), ("0/1".into(), "Pending".into(), "0".into()));
    let msg = events_for(&sim, pod.metadata.name.as_deref().unwrap())
        .into_iter()
        .find(|e| e.1 == "FailedScheduling")
        .unwrap()
        .2;
    assert_eq!(
        msg,
        "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    );
}

#[test]
fn deleting_a_deployment_cascades_and_orphan_keeps_the_replica_sets_and_pods() {
    let mut sim = running(delta_10s(3), deployment("web", 3, "nginx:1.25", Strategy::Default));
    sim.delete_deployment("default", "web", Propagation::Background).unwrap();
    assert_eq!(sim.cluster().store().list::<ReplicaSet>(Some("default")).count(), 0);
    assert!(pods_of(&sim, "web-").iter().all(|p| p.metadata.deletion_timestamp.is_some()));
    sim.run_until_idle(60_000);
    assert!(pods_of(&sim, "web-").is_empty());

    let mut sim = running(delta_10s(3), deployment("web", 3, "nginx:1.25", Strategy::Default));
    sim.delete_deployment("default", "web", Propagation::Orphan).unwrap();
    sim.run_until_idle(60_000);
    let rss: Vec<&ReplicaSet> = sim.cluster().store().list::<ReplicaSet>(Some("default")).collect();
    assert_eq!(rss.len(), 1);
    assert!(rss[0].metadata.owner_references.is_none());
    assert_eq!(pods_of(&sim, "web-").len(), 3);
}

#[test]
fn a_bare_pod_with_matching_labels_is_adopted_and_the_replica_set_trims_back() {
    let mut sim = running(delta_10s(3), deployment("web", 2, "nginx:1.25", Strategy::Default));
    let template = sim
        .cluster()
        .store()
        .list::<ReplicaSet>(Some("default"))
        .next()
        .unwrap()
        .spec
        .clone()
        .unwrap()
        .template
        .unwrap();
    let bare = Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some("web-bare".into()),
            namespace: Some("default".into()),
            labels: template.metadata.unwrap().labels,
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    };
    sim.apply(bare).unwrap();
    sim.run_until_idle(60_000);
    let live: Vec<&Pod> = pods_of(&sim, "web-");
    assert_eq!(live.len(), 2);
    assert!(sim.cluster().decisions().iter().any(|d| d.message().contains("adopted orphan pod web-bare")));
    // The adopted pod was the least ready and newest: it is the one deleted.
    assert!(live.iter().all(|p| p.metadata.name.as_deref() != Some("web-bare")));
}

#[test]
fn relabeling_a_pod_releases_it_and_a_replacement_is_created() {
    let mut sim = running(delta_10s(3), deployment("web", 2, "nginx:1.25", Strategy::Default));
    let mut pod = pods_of(&sim, "web-")[0].clone();
    let name = pod.metadata.name.clone().unwrap();
    pod.metadata.labels.as_mut().unwrap().insert("app".into(), "debug".into());
    sim.apply(pod).unwrap();
    sim.run_until_idle(60_000);
    let all = pods_of(&sim, "web-");
    assert_eq!(all.len(), 3);
    let released = all.iter().find(|p| p.metadata.name.as_deref() == Some(&name)).unwrap();
    assert!(released.metadata.owner_references.as_ref().is_none_or(|r| r.is_empty()));
}

#[test]
fn pause_accumulates_template_changes_and_resume_rolls_them_out() {
    let mut sim = running(delta_10s(3), deployment("web", 3, "nginx:1.10", Strategy::Default));
    assert!(sim.set_paused("default", "web", true).unwrap(), "paused");
    assert!(!sim.set_paused("default", "web", true).unwrap(), "already paused");
    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
    sim.set_image("default", "web", "nginx", "nginx:1.14.2").unwrap();
    sim.run_until_idle(60_000);
    assert_eq!(sim.cluster().store().list::<ReplicaSet>(Some("default")).count(), 1);
    let d = sim.cluster().store().get::<Deployment>("default", "web").unwrap();
    let st = d.status.as_ref().unwrap();
    assert_eq!(st.updated_replicas, None, "0, omitted");
    let p = st.conditions.as_ref().unwrap().iter().find(|c| c.type_ == "Progressing").unwrap();
    assert_eq!(
        (p.status.as_str(), p.reason.as_deref(), p.message.as_deref()),
        ("Unknown", Some("DeploymentPaused"), Some("Deployment is paused"))
    );
    // kubectl looks the revision up before it checks `paused` (rollback.go), so with one revision:
    assert_eq!(sim.rollout_undo("default", "web", 0).unwrap_err(), OpError::Refused(Refusal::NoRolloutHistory));
    assert_eq!(sim.rollout_restart("default", "web").unwrap_err(), OpError::Refused(Refusal::RestartPaused));
    sim.set_paused("default", "web", false).unwrap();
    sim.run_until_idle(600_000);
    let rss: Vec<&ReplicaSet> = sim.cluster().store().list::<ReplicaSet>(Some("default")).collect();
    assert_eq!(rss.len(), 2, "one rollout for both edits");
    let d = sim.cluster().store().get::<Deployment>("default", "web").unwrap();
    assert_eq!(
        d.spec.as_ref().unwrap().template.spec.as_ref().unwrap().containers[0].image.as_deref(),
        Some("nginx:1.14.2")
    );
    assert_eq!(d.status.as_ref().unwrap().updated_replicas, Some(3));
    sim.set_paused("default", "web", true).unwrap();
    assert_eq!(sim.rollout_undo("default", "web", 0).unwrap_err(), OpError::Refused(Refusal::RollbackPaused));
}

#[test]
fn revision_history_limit_deletes_the_oldest_idle_replica_sets() {
    let mut d = deployment("web", 2, "nginx:1.10", Strategy::Default);
    d.spec.as_mut().unwrap().revision_history_limit = Some(1);
    let mut sim = running(delta_10s(3), d);
    for image in ["nginx:1.11", "nginx:1.14.2", "nginx:1.16.1"] {
        sim.set_image("default", "web", "nginx", image).unwrap();
        sim.run_until_idle(600_000);
    }
    let mut revs: Vec<String> = sim
        .cluster()
        .store()
        .list::<ReplicaSet>(Some("default"))
        .map(|rs| rs.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"].clone())
        .collect();
    revs.sort();
    assert_eq!(revs, ["3", "4"]);
}

#[test]
fn undo_renumbers_and_two_undos_toggle_between_the_last_two_templates() {
    let mut sim = running(delta_10s(3), deployment("web", 2, "nginx:1.14.2", Strategy::Default));
    for image in ["nginx:1.16.1", "nginx:1.161"] {
        sim.set_image("default", "web", "nginx", image).unwrap();
        sim.run_until_idle(30_000);
    }
    let image = |sim: &Sim| {
        sim.cluster()
            .store()
            .get::<Deployment>("default", "web")
            .unwrap()
            .spec
            .as_ref()
            .unwrap()
            .template
            .spec
            .as_ref()
            .unwrap()
            .containers[0]
            .image
            .clone()
            .unwrap()
    };
    sim.rollout_undo("default", "web", 0).unwrap();
    assert_eq!(image(&sim), "nginx:1.16.1");
    let history = |sim: &Sim| {
        let mut v: Vec<i64> = sim
            .cluster()
            .store()
            .list::<ReplicaSet>(Some("default"))
            .map(|rs| rs.metadata.annotations.as_ref().unwrap()["deployment.kubernetes.io/revision"].parse().unwrap())
            .collect();
        v.sort();
        v
    };
    assert_eq!(history(&sim), [1, 3, 4]);
    sim.rollout_undo("default", "web", 0).unwrap();
    assert_eq!(image(&sim), "nginx:1.161");
    assert_eq!(sim.rollout_undo("default", "web", 1).unwrap(), Rollback::RolledBack);
    assert_eq!(image(&sim), "nginx:1.14.2");
    assert_eq!(sim.rollout_undo("default", "web", 6).unwrap(), Rollback::Skipped { revision: 6 });
    assert_eq!(sim.rollout_undo("default", "web", 42).unwrap_err(), OpError::Refused(Refusal::RevisionNotFound(42)));
}

#[test]
fn min_ready_seconds_delays_availability_and_the_rollout() {
    let mut d = deployment("web", 1, "nginx:1.10", Strategy::Default);
    d.spec.as_mut().unwrap().min_ready_seconds = Some(5);
    let mut sim = running(delta_10s(3), d);
    let t0 = sim.now();
    let (from, old) = (sim.cluster().events().log.len(), newest_rs(&sim, "web"));
    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    // Ready at 10 s (second precision), available strictly after 15 s: the old one goes at 15.001 s.
    let evs = scaling_events(&sim, from, t0);
    assert_eq!(evs[1], (15, format!("Scaled down replica set {old} from 1 to 0")));
}

#[test]
fn rollout_restart_creates_a_new_replica_set_with_the_restarted_at_annotation() {
    let mut sim = running(delta_10s(3), deployment("web", 2, "nginx:1.25", Strategy::Default));
    sim.rollout_restart("default", "web").unwrap();
    sim.run_until_idle(600_000);
    let rss: Vec<&ReplicaSet> = sim.cluster().store().list::<ReplicaSet>(Some("default")).collect();
    assert_eq!(rss.len(), 2);
    let newest = newest_rs(&sim, "web");
    let rs = sim.cluster().store().get::<ReplicaSet>("default", &newest).unwrap();
    let ann =
        rs.spec.as_ref().unwrap().template.as_ref().unwrap().metadata.as_ref().unwrap().annotations.as_ref().unwrap();
    assert!(ann["kubectl.kubernetes.io/restartedAt"].starts_with("2026-01-01T00:"));
}

#[test]
fn the_decision_log_says_why_with_the_numbers() {
    let mut sim = running(delta_10s(3), deployment("nginx", 3, "nginx:1.10", Strategy::Default));
    sim.set_image("default", "nginx", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    let new = newest_rs(&sim, "nginx");
    let msgs: Vec<String> = sim
        .cluster()
        .decisions()
        .iter()
        .filter(|d| d.controller == "deployment-controller")
        .map(|d| d.message())
        .collect();
    let want = format!("scaled {new} 1→2: 3 pods counted < 4 allowed (replicas 3 + maxSurge 1)");
    assert!(msgs.iter().any(|m| m.starts_with(&want)), "{msgs:#?}");
    assert!(
        msgs.iter().any(|m| m.contains("4 pods available > 3 minAvailable (replicas 3 − maxUnavailable 0)")),
        "{msgs:#?}"
    );
}

#[test]
fn per_pod_timing_annotations_override_the_cluster_timings() {
    let mut d = deployment("slow", 1, "nginx:1.25", Strategy::Default);
    let meta = d.spec.as_mut().unwrap().template.metadata.as_mut().unwrap();
    meta.annotations = Some(
        [("kubeplay.dev/pull-time", "30s"), ("kubeplay.dev/start-time", "5s")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    let mut sim = Sim::new(Settings::default());
    sim.apply(d).unwrap();
    sim.run_until(34_000);
    assert_eq!(columns(&sim, pods_of(&sim, "slow-")[0]).1, "ContainerCreating");
    sim.run_until(35_000);
    assert_eq!(columns(&sim, pods_of(&sim, "slow-")[0]), ("1/1".into(), "Running".into(), "0".into()));
    let name = pods_of(&sim, "slow-")[0].metadata.name.clone().unwrap();
    assert!(events_for(&sim, &name).iter().any(|e| e.2
        == "Successfully pulled image \"nginx:1.25\" in 30s (30s including waiting). Image size: 71940018 bytes."));
}

#[test]
fn change_cause_is_copied_to_the_current_replica_set_only() {
    let mut sim = running(delta_10s(3), deployment("web", 1, "nginx:1.10", Strategy::Default));
    let first = newest_rs(&sim, "web");
    sim.annotate("default", "web", "kubernetes.io/change-cause", "version 1.10").unwrap();
    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
    sim.annotate("default", "web", "kubernetes.io/change-cause", "version 1.11").unwrap();
    sim.run_until_idle(600_000);
    let second = newest_rs(&sim, "web");
    let cause = |name: &str| {
        sim.cluster()
            .store()
            .get::<ReplicaSet>("default", name)
            .unwrap()
            .metadata
            .annotations
            .as_ref()
            .unwrap()
            .get("kubernetes.io/change-cause")
            .cloned()
    };
    assert_eq!(cause(&first).as_deref(), Some("version 1.10"));
    assert_eq!(cause(&second).as_deref(), Some("version 1.11"));
    // Undo brings the old change-cause back to the Deployment.
    sim.rollout_undo("default", "web", 0).unwrap();
    let d = sim.cluster().store().get::<Deployment>("default", "web").unwrap();
    assert_eq!(
        d.metadata.annotations.as_ref().unwrap().get("kubernetes.io/change-cause").map(String::as_str),
        Some("version 1.10")
    );
}

/// The watch log is compacted once its changes are routed to the controllers: a long run keeps none of it, while
/// its positions keep counting (memory stays flat however long the run).
#[test]
fn a_long_run_keeps_no_watch_history() {
    let mut sim = Sim::new(delta_10s(2));
    sim.apply(deployment("web", 3, "nginx:1.10", Strategy::Default)).unwrap();
    for image in ["nginx:1.11", "nginx:1.12", "nginx:1.10", "nginx:1.11"] {
        sim.set_image("default", "web", "nginx", image).unwrap();
        sim.run_until_idle(3_600_000);
    }
    let store = sim.cluster().store();
    assert!(store.watch_len() > 100, "the run made {} changes", store.watch_len());
    assert_eq!(store.watch_since(0).count(), 0, "every routed change is forgotten");
    assert_eq!(store.watch_start(), store.watch_len());
}

/// Controllers write only what the API server accepts: over rollouts, scaling, pod deletions and a cascade, no
/// write is refused (a refused one would be in the decision log).
#[test]
fn controllers_make_no_refused_writes() {
    let mut sim = running(delta_10s(3), deployment("web", 5, "nginx:1.10", Strategy::Default));
    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    sim.scale("default", "web", 8).unwrap();
    let victim = sim.pods("default")[0].metadata.name.clone().unwrap();
    sim.delete_pod("default", &victim, None).unwrap();
    sim.rollout_undo("default", "web", 0).unwrap();
    sim.run_until_idle(600_000);
    sim.delete_deployment("default", "web", Propagation::Background).unwrap();
    sim.run_until_idle(600_000);
    assert!(sim.cluster().decisions().len() > 20);
    let refused: Vec<_> = sim.cluster().decisions().iter().filter(|d| d.message().contains(" refused: ")).collect();
    assert!(refused.is_empty(), "{refused:#?}");
}

/// What a run keeps in memory that grows with activity: (pods, ReplicaSets, Event objects, event occurrences kept,
/// decisions kept, watch-log entries kept, requests recorded).
fn footprint(sim: &Sim) -> [usize; 7] {
    let (c, s) = (sim.cluster(), sim.cluster().store());
    [
        s.count::<Pod>(),
        s.count::<ReplicaSet>(),
        s.count::<kubeplay::api::Event>(),
        c.events().log.iter().len(),
        c.decisions().iter().len(),
        s.watch_len() - s.watch_start(),
        sim.net.records.len(),
    ]
}

/// Four virtual hours of traffic with a rollout every 20 minutes: what the run keeps stays flat — Events expire an
/// hour after their last write (the API server's `--event-ttl`), old ReplicaSets are pruned to the history limit,
/// the watch log is compacted, and the logs are bounded ([`kubeplay::cluster::history::KEPT`], `MAX_RECORDED`).
#[test]
fn a_four_hour_run_of_traffic_and_rollouts_keeps_a_flat_footprint() {
    use kubeplay::cluster::events::EVENT_TTL_MS;
    use kubeplay::cluster::history::KEPT;
    use kubeplay::net::{Origin, MAX_RECORDED};
    let mut sim = running(delta_10s(3), deployment("web", 3, "nginx:1.10", Strategy::Default));
    let svc: k8s_openapi::api::core::v1::Service = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"port": 80, "nodePort": 30080}]}
    }))
    .unwrap();
    sim.apply(svc).unwrap();
    sim.start_traffic(Origin::Workstation, "http://172.18.0.3:30080/", 2, 1_000).unwrap();
    let t0 = sim.now();
    let mut at = Vec::new();
    for rollout in 1..=12u64 {
        let image = if rollout % 2 == 0 { "nginx:1.10" } else { "nginx:1.11" };
        sim.set_image("default", "web", "nginx", image).unwrap();
        sim.run_until(t0 + rollout * 20 * 60 * 1000);
        at.push(footprint(&sim));
    }
    let (two_hours, four_hours) = (at[5], at[11]);
    let events_per_hour = sim.cluster().events().log.len() / 4;
    assert!(sim.cluster().store().count::<kubeplay::api::Event>() < sim.cluster().events().log.len() / 2);
    for (i, (two, four)) in two_hours.iter().zip(four_hours).enumerate() {
        if i == 3 || i == 4 {
            continue; // bounded logs, below
        }
        assert!(four <= two + two / 10 + 2, "item {i} grew from {two} at 2 h to {four} at 4 h: {at:?}");
    }
    assert!(four_hours[2] <= events_per_hour * (EVENT_TTL_MS / 3_600_000) as usize + events_per_hour / 2, "{at:?}");
    assert!(four_hours[3] <= KEPT && four_hours[4] <= KEPT && four_hours[6] <= MAX_RECORDED, "{at:?}");
    assert!(sim.net.counters.total >= 4 * 3600 * 2 - 10, "traffic ran all along: {}", sim.net.counters.total);
}

/// The decision log speaks Korean in Korean mode (issue 19): a rollout, a rollback-free bad image, a resize during a
/// rollout, a Recreate rollout and a cascading delete produce decisions of many kinds, and each one's Korean wording
/// is a translation, not the English sentence, that keeps every name and number of the English one.
#[test]
fn every_decision_reads_in_korean_with_its_names_and_numbers() {
    use kubeplay::i18n::{decision, Lang};
    let mut sim = running(delta_10s(3), deployment("web", 3, "nginx:1.10", Strategy::Default));
    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    sim.set_image("default", "web", "nginx", "nginx:1.999").unwrap();
    sim.run_until_idle(60_000);
    sim.scale("default", "web", 6).unwrap();
    sim.run_until_idle(60_000);
    sim.apply(deployment("re", 2, "nginx:1.10", Strategy::Recreate)).unwrap();
    sim.run_until_idle(600_000);
    sim.set_image("default", "re", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    sim.delete_deployment("default", "web", Propagation::Background).unwrap();
    sim.run_until_idle(600_000);

    let mut kinds = std::collections::BTreeSet::new();
    for d in sim.cluster().decisions().iter() {
        let (en, ko) = (decision(Lang::En, &d.why), decision(Lang::Ko, &d.why));
        assert_eq!(en, d.message());
        assert_ne!(ko, en);
        assert!(ko.chars().any(|c| ('가'..='힣').contains(&c)), "{ko}");
        // Names and numbers: every token of the English sentence that holds a digit.
        for token in en.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')) {
            let token = token.trim_matches('.');
            if token.chars().any(|c| c.is_ascii_digit()) {
                assert!(ko.contains(token), "{token:?} of {en:?} is missing from {ko:?}");
            }
        }
        kinds.insert(format!("{:?}", d.why).split([' ', '{', '(']).next().unwrap().to_string());
    }
    assert!(kinds.len() >= 14, "{kinds:?}");
}
