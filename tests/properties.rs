//! Property tests over random sequences of the user's operations (apply, scale, set image, pause, resume, undo,
//! restart, delete pod, advance time). `KUBEPLAY_CASES` sets the number of cases of the main property (default
//! 10,000; the others run a fraction of it).
//!
//! Invariants, checked at every quiescent instant:
//! - every live pod has exactly one controlling owner, and that owner exists;
//! - pods counted by the Deployment never exceed `replicas + maxSurge`;
//! - while a rolling update runs from a complete state, with good images and no pod deleted or scale changed by hand
//!   since, available pods never drop below `replicas − maxUnavailable`;
//! - at the end (resumed, time run out), the cluster has converged to the desired state;
//! - the same seed and operations give the same store, events and decision log.

#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::{deployment, Strategy as Rollout};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay::api::omit_zero;
use kubeplay::cluster::store::{ApiError, Kind};
use kubeplay::controllers::deployment::util as dutil;
use kubeplay::controllers::pods;
use kubeplay::sim::{OpError, Refusal, Sim};
use proptest::prelude::*;

const GOOD_IMAGES: [&str; 5] =
    ["nginx:1.10", "nginx:1.11", "nginx:1.14.2", "httpd:2.4", "alicek106/rr-test:echo-hostname"];

#[derive(Debug, Clone)]
enum Op {
    Scale(i32),
    SetImage(String),
    Pause,
    Resume,
    Undo(i64),
    Restart,
    DeletePod(usize),
    Advance(u64),
}

fn int_or_percent() -> impl Strategy<Value = IntOrString> {
    prop_oneof![
        (0..4i32).prop_map(IntOrString::Int),
        prop::sample::select(vec!["0%", "10%", "25%", "33%", "50%", "100%"])
            .prop_map(|s| IntOrString::String(s.into())),
    ]
}

fn good_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..8i32).prop_map(Op::Scale),
        4 => prop::sample::select(GOOD_IMAGES.to_vec()).prop_map(|s| Op::SetImage(s.to_string())),
        1 => Just(Op::Pause),
        2 => Just(Op::Resume),
        2 => (0..4i64).prop_map(Op::Undo),
        1 => Just(Op::Restart),
        1 => (0..10usize).prop_map(Op::DeletePod),
        6 => prop_oneof![0..2_000u64, 2_000..30_000u64, 30_000..300_000u64].prop_map(Op::Advance),
    ]
}

struct Tracker {
    /// True from a complete state until a manual scale or pod deletion.
    stable: bool,
    checks: u64,
}

fn deployment_of(sim: &Sim) -> Option<Deployment> {
    sim.cluster().store().get::<Deployment>("default", "web").cloned()
}

fn owned_rs_uids(sim: &Sim, d: &Deployment) -> Vec<String> {
    let uid = d.metadata.uid.clone().unwrap_or_default();
    sim.cluster()
        .store()
        .list::<ReplicaSet>(Some("default"))
        .filter(|rs| kubeplay::api::controller_of(&rs.metadata).is_some_and(|o| o.uid == uid))
        .filter_map(|rs| rs.metadata.uid.clone())
        .collect()
}

fn check(sim: &Sim, t: &mut Tracker) -> Result<(), TestCaseError> {
    t.checks += 1;
    for p in sim.cluster().store().list::<Pod>(None).filter(|p| !pods::is_deleting(p)) {
        let controllers: Vec<_> =
            p.metadata.owner_references.iter().flatten().filter(|o| o.controller == Some(true)).collect();
        prop_assert_eq!(controllers.len(), 1, "pod {:?} has {} controllers", p.metadata.name, controllers.len());
        prop_assert!(
            sim.cluster().store().by_uid(&controllers[0].uid).is_some(),
            "pod {:?}'s owner is gone",
            p.metadata.name
        );
    }
    let Some(d) = deployment_of(sim) else { return Ok(()) };
    let want = dutil::replicas(&d);
    let rs_uids = owned_rs_uids(sim, &d);
    let owned: Vec<&Pod> = sim
        .cluster()
        .store()
        .list::<Pod>(Some("default"))
        .filter(|p| kubeplay::api::controller_of(&p.metadata).is_some_and(|o| rs_uids.contains(&o.uid)))
        .collect();
    let counted = owned.iter().filter(|p| pods::is_active(p)).count() as i64;
    let limit = i64::from(want) + i64::from(dutil::max_surge(&d));
    prop_assert!(counted <= limit, "{counted} pods counted > {limit} (replicas {want} + maxSurge)");
    let st = d.status.clone().unwrap_or_default();
    let complete = st.observed_generation == d.metadata.generation
        && st.replicas == Some(want)
        && st.updated_replicas == Some(want)
        && st.available_replicas == Some(want);
    if complete {
        t.stable = true;
    }
    if t.stable {
        let available = owned.iter().filter(|p| pods::is_active(p) && pods::is_ready(p)).count() as i64;
        let min = i64::from(want) - i64::from(dutil::max_unavailable(&d));
        prop_assert!(
            available >= min,
            "{available} available < {min} (replicas {want} − maxUnavailable) at {}",
            sim.now()
        );
    }
    Ok(())
}

/// Runs time forward to `now + ms`, checking at every instant something happens.
fn advance_checked(sim: &mut Sim, ms: u64, t: &mut Tracker) -> Result<(), TestCaseError> {
    let end = sim.now() + ms;
    while let Some(at) = sim.next_due().filter(|at| *at <= end) {
        sim.run_until(at);
        check(sim, t)?;
    }
    sim.run_until(end);
    check(sim, t)
}

fn apply_op(sim: &mut Sim, op: &Op, t: &mut Tracker) {
    match op {
        Op::Scale(n) => {
            t.stable = false;
            let _ = sim.scale("default", "web", *n);
        }
        Op::SetImage(image) => {
            let _ = sim.set_image("default", "web", "nginx", image);
        }
        Op::Pause => {
            let _ = sim.set_paused("default", "web", true);
        }
        Op::Resume => {
            let _ = sim.set_paused("default", "web", false);
        }
        Op::Undo(rev) => {
            let _ = sim.rollout_undo("default", "web", *rev);
        }
        Op::Restart => {
            let _ = sim.rollout_restart("default", "web");
        }
        Op::DeletePod(i) => {
            let names: Vec<String> = sim.pods("default").iter().filter_map(|p| p.metadata.name.clone()).collect();
            if !names.is_empty() {
                t.stable = false;
                let _ = sim.delete_pod("default", &names[i % names.len()], None);
            }
        }
        Op::Advance(_) => {}
    }
}

/// Runs the scenario; returns the final simulation.
fn run(
    replicas: i32,
    surge: IntOrString,
    unavailable: IntOrString,
    ops: &[Op],
    seed: u64,
) -> Result<Option<Sim>, TestCaseError> {
    let mut sim = Sim::new(kubeplay::cluster::Settings { seed, ..Default::default() });
    if sim.apply(deployment("web", replicas, "nginx:1.10", Rollout::Rolling(surge, unavailable))).is_err() {
        return Ok(None); // both 0: refused by validation, nothing to check
    }
    let mut t = Tracker { stable: false, checks: 0 };
    check(&sim, &mut t)?;
    for op in ops {
        apply_op(&mut sim, op, &mut t);
        check(&sim, &mut t)?;
        if let Op::Advance(ms) = op {
            advance_checked(&mut sim, *ms, &mut t)?;
        }
    }
    // Convergence: resume, let everything finish.
    let _ = sim.set_paused("default", "web", false);
    advance_checked(&mut sim, 3_600_000, &mut t)?;
    let d = deployment_of(&sim).unwrap();
    let want = dutil::replicas(&d);
    let st = d.status.clone().unwrap();
    prop_assert_eq!(
        (st.replicas, st.updated_replicas, st.ready_replicas, st.available_replicas),
        (omit_zero(want), omit_zero(want), omit_zero(want), omit_zero(want)),
        "did not converge"
    );
    let image = d.spec.as_ref().unwrap().template.spec.as_ref().unwrap().containers[0].image.clone();
    let live: Vec<&Pod> = sim.pods("default").into_iter().filter(|p| pods::is_active(p)).collect();
    prop_assert_eq!(live.len() as i32, want);
    for p in live {
        prop_assert!(pods::is_ready(p));
        prop_assert_eq!(&p.spec.as_ref().unwrap().containers[0].image, &image);
    }
    Ok(Some(sim))
}

fn cases(default: u32) -> u32 {
    std::env::var("KUBEPLAY_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(10_000), max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn rolling_updates_keep_their_budgets_and_converge(
        replicas in 0..8i32,
        surge in int_or_percent(),
        unavailable in int_or_percent(),
        ops in prop::collection::vec(good_op(), 0..14),
        seed in any::<u64>(),
    ) {
        run(replicas, surge, unavailable, &ops, seed)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(10_000) / 20, max_shrink_iters: 500, ..ProptestConfig::default() })]

    #[test]
    fn the_same_seed_and_operations_give_the_same_run(
        replicas in 1..5i32,
        ops in prop::collection::vec(good_op(), 0..10),
        seed in any::<u64>(),
    ) {
        let a = run(replicas, IntOrString::String("25%".into()), IntOrString::String("25%".into()), &ops, seed)?.unwrap();
        let b = run(replicas, IntOrString::String("25%".into()), IntOrString::String("25%".into()), &ops, seed)?.unwrap();
        prop_assert_eq!(a.cluster().store().dump(), b.cluster().store().dump());
        prop_assert_eq!(&a.cluster().events().log, &b.cluster().events().log);
        prop_assert_eq!(a.cluster().decisions(), b.cluster().decisions());
    }
}

// ---- absurd inputs: nothing may panic ----

fn absurd_int_or_string() -> impl Strategy<Value = IntOrString> {
    prop_oneof![
        prop::sample::select(vec![-5, 0, 1, 100, i32::MAX, i32::MIN]).prop_map(IntOrString::Int),
        prop::sample::select(vec![
            "-1%",
            "−25%",
            "25%%",
            "",
            "%",
            "abc",
            "100%",
            "101%",
            "0%",
            " 5%",
            "+5%",
            "99999999999%",
            "1e3%"
        ])
        .prop_map(|s| IntOrString::String(s.into())),
    ]
}

fn absurd_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => prop::sample::select(vec![-1, 0, 1, 3, 499, 501, 10_001, i32::MAX, i32::MIN]).prop_map(Op::Scale),
        3 => prop::sample::select(vec!["", " ", "NGINX", "nginx:", "nginx:1.161", "busybox", "ngnix:1.10", "a/b/c:d", "nginx@sha256:xyz", "ünïcode:1", "nginx:1.10", ":::"])
            .prop_map(|s| Op::SetImage(s.to_string())),
        1 => Just(Op::Pause),
        1 => Just(Op::Resume),
        2 => prop::sample::select(vec![-1i64, 0, 1, 2, 99, i64::MAX, i64::MIN]).prop_map(Op::Undo),
        1 => Just(Op::Restart),
        1 => any::<usize>().prop_map(Op::DeletePod),
        3 => prop::sample::select(vec![0u64, 1, 999, 10_000, 600_001]).prop_map(Op::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(10_000) / 20, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn absurd_values_never_panic(
        replicas in prop::sample::select(vec![-1, 0, 1, 2, 5, 10_001, i32::MAX, i32::MIN]),
        surge in absurd_int_or_string(),
        unavailable in absurd_int_or_string(),
        ops in prop::collection::vec(absurd_op(), 0..10),
        seed in any::<u64>(),
    ) {
        let mut sim = Sim::new(kubeplay::cluster::Settings { seed, ..Default::default() });
        let _ = sim.apply(deployment("web", replicas, "nginx:1.10", Rollout::Rolling(surge, unavailable)));
        let mut t = Tracker { stable: false, checks: 0 };
        for op in &ops {
            apply_op(&mut sim, op, &mut t);
            if let Op::Advance(ms) = op {
                sim.advance(*ms);
            }
        }
        for p in sim.cluster().store().list::<Pod>(None).filter(|p| !pods::is_deleting(p)) {
            let n = p.metadata.owner_references.iter().flatten().filter(|o| o.controller == Some(true)).count();
            prop_assert_eq!(n, 1);
        }
    }
}

#[test]
fn the_largest_allowed_deployment_runs_and_a_larger_one_is_refused() {
    let mut sim = Sim::new(kubeplay::cluster::Settings { workers: 100, ..Default::default() });
    let err = sim.apply(deployment("web", 10_001, "nginx:1.10", Rollout::Default)).unwrap_err();
    assert!(
        err.message.contains("spec.replicas: Invalid value: 10001: must be less than or equal to 10000"),
        "{}",
        err.message
    );
    assert_eq!(sim.scale("default", "web", 5).unwrap_err(), OpError::Api(ApiError::not_found(Kind::Deployment, "web")));
    sim.apply(deployment("web", 1_000, "nginx:1.10", Rollout::Default)).unwrap();
    assert_eq!(sim.pods("default").len(), 1_000);
    assert_eq!(sim.scale("default", "web", i32::MAX).unwrap_err(), OpError::Refused(Refusal::TooManyReplicas));
}
