//! The worked examples of reference §8 as timeline tests: the exact sequence of (old, new) ReplicaSet sizes and
//! the `ScalingReplicaSet` events, with their times.

mod common;
use common::*;

#[test]
fn example_8_1_three_replicas_default_strategy_nginx_1_10_to_1_11() {
    let mut sim = running(delta_10s(3), deployment("nginx", 3, "nginx:1.10", Strategy::Default));
    let old = newest_rs(&sim, "nginx");
    let (from, t0) = (sim.cluster().events().log.len(), sim.now());
    sim.set_image("default", "nginx", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    let new = newest_rs(&sim, "nginx");
    assert_ne!(old, new);
    let events = scaling_events(&sim, from, t0);
    let expected: Vec<(u64, String)> = vec![
        (0, format!("Scaled up replica set {new} from 0 to 1")),
        (10, format!("Scaled down replica set {old} from 3 to 2")),
        (10, format!("Scaled up replica set {new} from 1 to 2")),
        (20, format!("Scaled down replica set {old} from 2 to 1")),
        (20, format!("Scaled up replica set {new} from 2 to 3")),
        (30, format!("Scaled down replica set {old} from 1 to 0")),
    ];
    assert_eq!(events, expected);
    assert_eq!(sizes(&events, &new, 3), vec![(3, 0), (3, 1), (2, 1), (2, 2), (1, 2), (1, 3), (0, 3)]);
}

#[test]
fn example_8_1_status_conditions_and_pod_view_at_t10() {
    use k8s_openapi::api::apps::v1::Deployment;
    let mut sim = running(delta_10s(3), deployment("nginx", 3, "nginx:1.10", Strategy::Default));
    let t0 = sim.now();
    let status = |sim: &kubeplay::sim::Sim| {
        let d = sim.cluster().store().get::<Deployment>("default", "nginx").unwrap().clone();
        let st = d.status.unwrap();
        let cond =
            |t: &str| st.conditions.as_ref().unwrap().iter().find(|c| c.type_ == t).unwrap().reason.clone().unwrap();
        (
            (
                // `omitempty` counts: an absent one is 0.
                st.replicas.unwrap_or(0),
                st.updated_replicas.unwrap_or(0),
                st.ready_replicas.unwrap_or(0),
                st.available_replicas.unwrap_or(0),
                st.unavailable_replicas.unwrap_or(0),
            ),
            cond("Available"),
            cond("Progressing"),
        )
    };
    // Reference §8.1 status table: replicas / updated / ready / available / unavailable.
    // The first round after the template change creates the new ReplicaSet: Progressing = NewReplicaSetCreated.
    let mut d = sim.cluster().store().get::<Deployment>("default", "nginx").unwrap().clone();
    d.spec.as_mut().unwrap().template.spec.as_mut().unwrap().containers[0].image = Some("nginx:1.11".into());
    sim.send_update(d).unwrap();
    sim.step();
    assert_eq!(status(&sim).2, "NewReplicaSetCreated");
    // Once its pod exists, updatedReplicas rose 0 → 1, which `DeploymentProgressing` counts as progress (§1.10), so
    // the settled state at t=0 is ReplicaSetUpdated (the §8.1 prose names the condition of the creating sync).
    sim.settle();
    assert_eq!(status(&sim), ((4, 1, 3, 3, 1), "MinimumReplicasAvailable".into(), "ReplicaSetUpdated".into()));
    sim.run_until(t0 + 10_000);
    assert_eq!(status(&sim), ((4, 2, 3, 3, 1), "MinimumReplicasAvailable".into(), "ReplicaSetUpdated".into()));
    sim.run_until(t0 + 20_000);
    assert_eq!(status(&sim).0, (4, 3, 3, 3, 1));
    sim.run_until(t0 + 30_000);
    assert_eq!(status(&sim), ((3, 3, 3, 3, 0), "MinimumReplicasAvailable".into(), "NewReplicaSetAvailable".into()));
}

#[test]
fn example_8_2_ten_replicas_surge_3_unavailable_2() {
    let mut sim = running(delta_10s(3), deployment("web", 10, "nginx:1.10", Strategy::Rolling(int(3), int(2))));
    let old = newest_rs(&sim, "web");
    let (from, t0) = (sim.cluster().events().log.len(), sim.now());
    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    let new = newest_rs(&sim, "web");
    let events = scaling_events(&sim, from, t0);
    assert_eq!(
        events,
        vec![
            (0, format!("Scaled up replica set {new} from 0 to 3")),
            (0, format!("Scaled down replica set {old} from 10 to 8")),
            (0, format!("Scaled up replica set {new} from 3 to 5")),
            (10, format!("Scaled down replica set {old} from 8 to 3")),
            (10, format!("Scaled up replica set {new} from 5 to 10")),
            (20, format!("Scaled down replica set {old} from 3 to 0")),
        ]
    );
    assert_eq!(sizes(&events, &new, 10), vec![(10, 0), (10, 3), (8, 3), (8, 5), (3, 5), (3, 10), (0, 10)]);
}

#[test]
fn example_8_3_max_surge_0_max_unavailable_1() {
    let mut sim = running(delta_10s(3), deployment("web", 3, "nginx:1.10", Strategy::Rolling(int(0), int(1))));
    let old = newest_rs(&sim, "web");
    let (from, t0) = (sim.cluster().events().log.len(), sim.now());
    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    let new = newest_rs(&sim, "web");
    let events = scaling_events(&sim, from, t0);
    // The new ReplicaSet is created at 0 (no creation event), then one "down then up" pair per 10 s.
    assert_eq!(
        events,
        vec![
            (0, format!("Scaled down replica set {old} from 3 to 2")),
            (0, format!("Scaled up replica set {new} from 0 to 1")),
            (10, format!("Scaled down replica set {old} from 2 to 1")),
            (10, format!("Scaled up replica set {new} from 1 to 2")),
            (20, format!("Scaled down replica set {old} from 1 to 0")),
            (20, format!("Scaled up replica set {new} from 2 to 3")),
        ]
    );
    assert_eq!(sizes(&events, &new, 3), vec![(3, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2), (0, 3)]);
}

#[test]
fn example_8_3_other_sizes_with_the_default_strategy() {
    // D=1 → (1,0) → (1,1) → (0,1); D=2 → (2,1) → (1,1) → (1,2) → (0,2); D=4 → (4,1) → (3,1) → (3,2) → (1,2) → (1,4) → (0,4).
    let cases: [(i32, Vec<(i32, i32)>); 3] = [
        (1, vec![(1, 0), (1, 1), (0, 1)]),
        (2, vec![(2, 0), (2, 1), (1, 1), (1, 2), (0, 2)]),
        (4, vec![(4, 0), (4, 1), (3, 1), (3, 2), (1, 2), (1, 4), (0, 4)]),
    ];
    for (d, want) in cases {
        let mut sim = running(delta_10s(3), deployment("web", d, "nginx:1.10", Strategy::Default));
        let (from, t0) = (sim.cluster().events().log.len(), sim.now());
        sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
        sim.run_until_idle(600_000);
        let new = newest_rs(&sim, "web");
        assert_eq!(sizes(&scaling_events(&sim, from, t0), &new, d), want, "D={d}");
    }
}

#[test]
fn example_8_3_ten_replicas_take_ten_rounds() {
    let mut sim = running(delta_10s(3), deployment("web", 10, "nginx:1.10", Strategy::Rolling(int(0), int(1))));
    let (from, t0) = (sim.cluster().events().log.len(), sim.now());
    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    let new = newest_rs(&sim, "web");
    let seq = sizes(&scaling_events(&sim, from, t0), &new, 10);
    let mut want = vec![(10, 0)];
    for i in 0..10 {
        want.push((9 - i, i));
        want.push((9 - i, i + 1));
    }
    assert_eq!(seq, want);
}

#[test]
fn example_8_4_recreate_waits_for_old_pods_to_finish_terminating() {
    use kubeplay::cluster::Timings;
    let mut settings = delta_10s(3);
    settings.timings = Timings { stop_ms: Some(5_000), ..settings.timings };
    let mut sim = running(settings, deployment("web", 3, "nginx:1.10", Strategy::Recreate));
    let old = newest_rs(&sim, "web");
    let (from, t0) = (sim.cluster().events().log.len(), sim.now());
    sim.set_image("default", "web", "nginx", "nginx:1.11").unwrap();
    // Old pods take 5 s to exit after SIGTERM; until then nothing new is created and the Deployment shows 0/3.
    sim.run_until(t0 + 4_000);
    let ready = sim
        .cluster()
        .store()
        .get::<k8s_openapi::api::apps::v1::Deployment>("default", "web")
        .unwrap()
        .status
        .clone()
        .unwrap();
    assert_eq!((ready.ready_replicas, ready.updated_replicas, ready.available_replicas), (None, None, None));
    let available = ready.conditions.unwrap().into_iter().find(|c| c.type_ == "Available").unwrap();
    assert_eq!(available.status, "False");
    sim.run_until_idle(600_000);
    let new = newest_rs(&sim, "web");
    assert_eq!(
        scaling_events(&sim, from, t0),
        vec![
            (0, format!("Scaled down replica set {old} from 3 to 0")),
            (5, format!("Scaled up replica set {new} from 0 to 3"))
        ]
    );
}

#[test]
fn example_8_5_failed_rollout_is_stuck_until_undone_by_hand() {
    use k8s_openapi::api::apps::v1::Deployment;
    let mut sim = running(delta_10s(3), deployment("nginx", 3, "nginx:1.10", Strategy::Default));
    let good = newest_rs(&sim, "nginx");
    let (from, t0) = (sim.cluster().events().log.len(), sim.now());
    sim.set_image("default", "nginx", "nginx", "nginx:1.161").unwrap();
    let bad = newest_rs(&sim, "nginx");
    sim.run_until(t0 + 599_000);
    let progressing = |sim: &kubeplay::sim::Sim| {
        let d = sim.cluster().store().get::<Deployment>("default", "nginx").unwrap().clone();
        d.status.unwrap().conditions.unwrap().into_iter().find(|c| c.type_ == "Progressing").unwrap()
    };
    // The last progress was the bad pod's creation (updatedReplicas 0 → 1).
    assert_eq!(progressing(&sim).reason.as_deref(), Some("ReplicaSetUpdated"));
    // Stuck at (3, 1): the unavailable new pod blocks any scale-down.
    assert_eq!(sizes(&scaling_events(&sim, from, t0), &bad, 3), vec![(3, 0), (3, 1)]);
    let pod_reasons: Vec<String> = sim
        .pods("default")
        .iter()
        .filter(|p| p.metadata.name.as_deref().unwrap().starts_with(&bad))
        .map(|p| {
            p.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0]
                .state
                .as_ref()
                .unwrap()
                .waiting
                .as_ref()
                .unwrap()
                .reason
                .clone()
                .unwrap()
        })
        .collect();
    assert!(pod_reasons == ["ImagePullBackOff"] || pod_reasons == ["ErrImagePull"], "{pod_reasons:?}");
    sim.run_until(t0 + 602_000);
    let cond = progressing(&sim);
    assert_eq!((cond.status.as_str(), cond.reason.as_deref()), ("False", Some("ProgressDeadlineExceeded")));
    assert_eq!(cond.message.as_deref(), Some(format!("ReplicaSet \"{bad}\" has timed out progressing.").as_str()));
    // Nothing is rolled back automatically.
    assert_eq!(sizes(&scaling_events(&sim, from, t0), &bad, 3).last(), Some(&(3, 1)));
    // Undo by hand: the good ReplicaSet becomes revision 3 and the bad one is scaled down.
    let (from2, t1) = (sim.cluster().events().log.len(), sim.now());
    assert_eq!(sim.rollout_undo("default", "nginx", 0).unwrap(), kubeplay::sim::Rollback::RolledBack);
    sim.run_until_idle(120_000);
    assert_eq!(scaling_events(&sim, from2, t1), vec![(0, format!("Scaled down replica set {bad} from 1 to 0"))]);
    let rs = sim.cluster().store().get::<k8s_openapi::api::apps::v1::ReplicaSet>("default", &good).unwrap();
    let ann = rs.metadata.annotations.as_ref().unwrap();
    assert_eq!(ann.get("deployment.kubernetes.io/revision").map(String::as_str), Some("3"));
    assert_eq!(ann.get("deployment.kubernetes.io/revision-history").map(String::as_str), Some("1"));
}

#[test]
fn example_8_6_scaling_in_the_middle_of_a_stuck_rollout_is_proportional() {
    let mut sim = running(delta_10s(3), deployment("web", 10, "nginx:1.10", Strategy::Rolling(int(3), int(2))));
    let old = newest_rs(&sim, "web");
    sim.set_image("default", "web", "nginx", "nginx:1.161").unwrap();
    sim.advance(60_000);
    let new = newest_rs(&sim, "web");
    let spec = |sim: &kubeplay::sim::Sim, name: &str| {
        sim.cluster()
            .store()
            .get::<k8s_openapi::api::apps::v1::ReplicaSet>("default", name)
            .unwrap()
            .spec
            .as_ref()
            .unwrap()
            .replicas
            .unwrap()
    };
    assert_eq!((spec(&sim, &old), spec(&sim, &new)), (8, 5));
    let (from, t0) = (sim.cluster().events().log.len(), sim.now());
    sim.scale("default", "web", 15).unwrap();
    assert_eq!((spec(&sim, &old), spec(&sim, &new)), (11, 7));
    assert_eq!(
        scaling_events(&sim, from, t0),
        vec![
            (0, format!("Scaled up replica set {old} from 8 to 11")),
            (0, format!("Scaled up replica set {new} from 5 to 7"))
        ]
    );
    for name in [&old, &new] {
        let rs = sim.cluster().store().get::<k8s_openapi::api::apps::v1::ReplicaSet>("default", name).unwrap();
        let a = rs.metadata.annotations.as_ref().unwrap();
        assert_eq!(a.get("deployment.kubernetes.io/desired-replicas").map(String::as_str), Some("15"));
        assert_eq!(a.get("deployment.kubernetes.io/max-replicas").map(String::as_str), Some("18"));
    }
}
