//! The stage's picture of the cluster (`scenario::stage`): lanes, tiles, the rollout budget, Services, nodes, events.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::cluster::Settings;
use kubeplay::scenario::stage::{self, PodState};
use kubeplay::scenario::{self, Action, Run};

fn command(run: &mut Run, line: &str) {
    run.dispatch(Action::Command { line: line.into() });
}

fn states(run: &Run) -> Vec<(Option<i64>, PodState)> {
    let s = stage::stage(run.sim());
    let mut v: Vec<_> =
        s.deployments[0].lanes.iter().flat_map(|l| l.pods.iter()).map(|p| (p.revision, p.state)).collect();
    v.sort_by_key(|(r, s)| (*r, s.id()));
    v
}

#[test]
fn the_landing_example_settles_as_one_lane_of_three_ready_pods_of_revision_1() {
    let mut run = scenario::landing(Settings::default());
    assert_eq!(run.files.0.keys().collect::<Vec<_>>(), ["my-nginx-deployment.yaml"]);
    assert_eq!(run.transcript[0].output.stdout, "deployment.apps/my-nginx-deployment created\n");
    // Right after the apply, the pods exist but are not running yet.
    let early = stage::stage(run.sim());
    let d = &early.deployments[0];
    assert_eq!((d.name.as_str(), d.replicas, d.revision), ("my-nginx-deployment", 3, Some(1)));
    assert!(d.lanes[0].pods.iter().all(|p| p.state != PodState::Ready), "{:?}", d.lanes[0].pods);
    run.run_until(60_000);
    let s = stage::stage(run.sim());
    let d = &s.deployments[0];
    assert_eq!((d.ready, d.up_to_date, d.available), (3, 3, 3));
    assert_eq!(d.lanes.len(), 1);
    let lane = &d.lanes[0];
    assert!(lane.new && lane.revision == Some(1) && lane.images == ["nginx:1.10"]);
    assert_eq!((lane.desired, lane.current, lane.ready), (3, 3, 3));
    assert_eq!(states(&run), vec![(Some(1), PodState::Ready); 3]);
    for p in &lane.pods {
        assert!(p.ready && p.phase == "Running" && p.status == "Running" && p.node.is_some());
        assert!(p.name.ends_with(&p.short) && p.short.len() == 5, "{}", p.short);
    }
    // The budget of the default strategy, 25% of 3: surge rounds up to 1, unavailable down to 0.
    let b = d.budget.as_ref().unwrap();
    assert_eq!((b.max_surge_spec.as_str(), b.max_unavailable_spec.as_str()), ("25%", "25%"));
    assert_eq!((b.max_surge, b.max_unavailable, b.max_total(), b.min_available()), (1, 0, 4, 3));
    assert_eq!((b.counted, b.available), (3, 3));
    // Every pod is on a worker in the node view, none on the control plane.
    let on_nodes: usize = s.nodes.iter().filter(|n| !n.control_plane).map(|n| n.pods.len()).sum();
    assert_eq!(on_nodes, 3);
    assert!(s.nodes.iter().filter(|n| n.control_plane).all(|n| n.pods.is_empty()));
}

#[test]
fn during_a_rolling_update_the_budget_holds_and_one_revision_replaces_the_other() {
    let mut run = scenario::landing(Settings::default());
    run.run_until(60_000);
    command(&mut run, "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11");
    let mut saw_both = false;
    let mut saw_surge = false;
    for t in (60_000..180_000).step_by(250) {
        run.run_until(t);
        let s = stage::stage(run.sim());
        let d = &s.deployments[0];
        let b = d.budget.as_ref().unwrap();
        assert!(b.counted <= b.max_total(), "at {t}: {b:?}");
        assert!(b.available >= b.min_available(), "at {t}: {b:?}");
        let revisions: std::collections::BTreeSet<_> = d
            .lanes
            .iter()
            .flat_map(|l| &l.pods)
            .filter(|p| p.state != PodState::Terminating)
            .map(|p| p.revision)
            .collect();
        saw_both |= revisions.len() == 2;
        saw_surge |= b.counted == 4;
    }
    assert!(saw_both && saw_surge);
    let s = stage::stage(run.sim());
    let d = &s.deployments[0];
    assert_eq!(d.revision, Some(2));
    assert_eq!(
        d.lanes.iter().map(|l| (l.revision, l.new, l.desired)).collect::<Vec<_>>(),
        [(Some(2), true, 3), (Some(1), false, 0)]
    );
    assert_eq!(states(&run), vec![(Some(2), PodState::Ready); 3]);
}

#[test]
fn a_bad_image_is_drawn_as_an_image_pull_failure_and_a_deleted_pod_as_terminating() {
    let mut run = scenario::landing(Settings::default());
    run.run_until(60_000);
    command(&mut run, "kubectl set image deployment my-nginx-deployment nginx=nginx:1.99-typo");
    run.run_until(120_000);
    let s = stage::stage(run.sim());
    let new = s.deployments[0].lanes.iter().find(|l| l.new).unwrap();
    assert_eq!(new.revision, Some(2));
    assert!(!new.pods.is_empty());
    assert!(new.pods.iter().all(|p| p.state == PodState::ImagePull && !p.ready), "{:?}", new.pods);
    assert!(new.pods.iter().all(|p| p.status == "ErrImagePull" || p.status == "ImagePullBackOff"));
    // The old pods keep serving: the budget never let availability drop.
    let old = s.deployments[0].lanes.iter().find(|l| !l.new).unwrap();
    assert_eq!(old.pods.iter().filter(|p| p.state == PodState::Ready).count(), 3);

    let victim = old.pods[0].name.clone();
    command(&mut run, &format!("kubectl delete pod {victim} --wait=false"));
    let s = stage::stage(run.sim());
    let tile = s.deployments[0].lanes.iter().flat_map(|l| &l.pods).find(|p| p.name == victim).unwrap();
    assert_eq!(tile.state, PodState::Terminating);
    assert!(stage::events(run.sim(), 500).iter().any(|e| e.reason == "Killing" && e.object == format!("pod/{victim}")));
    assert!(stage::decisions(run.sim(), 500).iter().any(|d| d.object == "deployment/my-nginx-deployment"));
}

#[test]
fn services_show_type_addresses_ports_and_their_endpoints() {
    let mut run = scenario::landing(Settings::default());
    command(&mut run, "kubectl expose deployment my-nginx-deployment --type=NodePort --port=80 --name=web");
    run.run_until(60_000);
    let s = stage::stage(run.sim());
    let names: Vec<_> = s.services.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["kubernetes", "web"]);
    let k = &s.services[0];
    assert_eq!(
        (k.type_.as_str(), k.cluster_ip.as_str(), k.ports.clone()),
        ("ClusterIP", "10.96.0.1", vec!["443/TCP".to_string()])
    );
    // The API server's endpoint is no pod: it shows as its address (the control-plane node's).
    assert_eq!(k.endpoints.len(), 1);
    assert!(k.endpoints[0].0.starts_with("172.18.0."), "{:?}", k.endpoints);
    let web = &s.services[1];
    assert_eq!(web.type_, "NodePort");
    assert!(web.ports[0].starts_with("80:3") && web.ports[0].ends_with("/TCP"), "{:?}", web.ports);
    let pods: Vec<_> = s.deployments[0].lanes[0].pods.iter().map(|p| (p.name.clone(), stage::Route::Ready)).collect();
    let mut want = pods;
    want.sort();
    assert_eq!(web.endpoints, want);
}

#[test]
fn pods_no_deployment_owns_are_loose() {
    let mut run = Run::new(Settings::default());
    command(&mut run, "kubectl run lone --image=nginx:1.25");
    run.run_until(30_000);
    let s = stage::stage(run.sim());
    assert!(s.deployments.is_empty());
    assert_eq!(
        s.loose.iter().map(|p| (p.name.as_str(), p.revision, p.state)).collect::<Vec<_>>(),
        [("lone", None, PodState::Ready)]
    );
}

/// The acceptance walk of routing, in the core: after `kubectl expose --type=NodePort`, the workstation URL the
/// traffic form proposes is answered every time and drawn as dots landing on revision-1 tiles; during a rollout
/// with traffic both revisions answer, and without a preStop delay some requests fail at a pod that is shutting
/// down, with their cause.
#[test]
fn traffic_dots_land_on_the_pods_that_answered_and_failures_keep_their_cause() {
    use kubeplay::net::{suggest, Cause, Origin};
    use kubeplay::scenario::Source;
    let mut run = scenario::landing(Settings::default());
    run.run_until(30_000);
    command(&mut run, "kubectl expose deployment my-nginx-deployment --port=80 --type=NodePort");
    run.run_until(40_000);
    let url = suggest::urls(run.sim().cluster(), &Origin::Workstation).remove(0);
    assert!(url.starts_with("http://172.18.0.") && url.contains(":3"), "{url}");
    let started = run.dispatch(Action::StartTraffic { source: Source::Workstation, url, rate: 50 });
    assert!(matches!(started, scenario::Outcome::Started(_)), "{started:?}");
    run.run_until(45_000);
    let k = &run.sim().net.counters;
    assert!(k.total >= 200 && k.by_failure.is_empty(), "{k:?}");
    let t = stage::traffic(run.sim());
    assert!(!t.dots.is_empty() && t.dots.len() <= stage::MAX_DOTS);
    let tiles: Vec<String> =
        stage::stage(run.sim()).deployments[0].lanes[0].pods.iter().map(|p| p.name.clone()).collect();
    for d in &t.dots {
        let stage::Stop::Pod(pod) = &d.stop else { panic!("{d:?}") };
        assert!(tiles.contains(pod), "{pod} is a tile");
        assert_eq!((d.revision, d.failed, d.service.as_deref()), (Some(1), None, Some("my-nginx-deployment")));
    }
    assert_eq!(t.hits.keys().cloned().collect::<Vec<_>>(), tiles, "every pod answered recently");
    assert!(t.hits.values().sum::<u32>() >= 200);

    command(&mut run, "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11");
    let mut revisions = std::collections::BTreeSet::new();
    let mut causes = std::collections::BTreeSet::new();
    for at in (46_000..100_000).step_by(500) {
        run.run_until(at);
        for d in stage::traffic(run.sim()).dots {
            if d.failed.is_none() {
                revisions.insert(d.revision);
            } else {
                causes.insert(d.cause);
            }
        }
    }
    assert_eq!(revisions.into_iter().collect::<Vec<_>>(), [Some(1), Some(2)]);
    assert!(!causes.is_empty(), "without preStop some requests meet a pod that is going away");
    assert!(causes.iter().all(|c| matches!(c, Some(Cause::Terminating | Cause::Gone))), "{causes:?}");
}
