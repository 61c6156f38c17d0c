//! Upstream test-table rows (reference §7), each against our code. Test names follow the upstream test functions
//! of `pkg/controller/deployment/{util/deployment_util_test,rolling_test,sync_test,progress_test}.go`; the row
//! numbers are the reference's.

use super::plan;
use super::util::*;
use crate::api::time::time_at;
use crate::api::{Deployment, IntOrString, ObjectMeta, ReplicaSet};
use k8s_openapi::api::apps::v1::{
    DeploymentSpec, DeploymentStatus, DeploymentStrategy, ReplicaSetSpec, ReplicaSetStatus, RollingUpdateDeployment,
};

fn int(n: i32) -> IntOrString {
    IntOrString::Int(n)
}
fn pct(s: &str) -> IntOrString {
    IntOrString::String(s.to_string())
}

/// A RollingUpdate Deployment with `replicas`, `maxSurge`, `maxUnavailable`.
fn deploy(replicas: i32, surge: IntOrString, unavailable: IntOrString) -> Deployment {
    Deployment {
        metadata: ObjectMeta { name: Some("foo".into()), generation: Some(1), ..Default::default() },
        spec: Some(DeploymentSpec {
            replicas: Some(replicas),
            strategy: Some(DeploymentStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDeployment {
                    max_surge: Some(surge),
                    max_unavailable: Some(unavailable),
                }),
            }),
            ..Default::default()
        }),
        status: None,
    }
}

fn recreate(replicas: i32) -> Deployment {
    let mut d = deploy(replicas, int(0), int(0));
    d.spec.as_mut().unwrap().strategy =
        Some(DeploymentStrategy { type_: Some("Recreate".into()), rolling_update: None });
    d
}

/// A ReplicaSet `name` with `spec` replicas, `available` available, created `age_rank` seconds after the epoch.
fn rs(name: &str, spec: i32, available: i32, created: u64) -> ReplicaSet {
    ReplicaSet {
        metadata: ObjectMeta {
            name: Some(name.into()),
            uid: Some(format!("uid-{name}")),
            creation_timestamp: Some(time_at(created * 1000)),
            ..Default::default()
        },
        spec: Some(ReplicaSetSpec { replicas: Some(spec), ..Default::default() }),
        status: Some(ReplicaSetStatus { replicas: spec, available_replicas: Some(available), ..Default::default() }),
    }
}

fn with_annotations(mut r: ReplicaSet, desired: i32, max: i32) -> ReplicaSet {
    set_replicas_annotations(&mut r, desired, max);
    r
}

// ---- §7.1 percent / fence-posts / bounds ----

#[test]
fn test_resolve_fenceposts() {
    assert_eq!(resolve_fenceposts(Some(&pct("0%")), Some(&pct("0%")), 0), Ok((0, 1))); // row 6
    assert_eq!(resolve_fenceposts(Some(&pct("39%")), Some(&pct("39%")), 10), Ok((4, 3))); // row 7
    assert!(resolve_fenceposts(Some(&pct("oops")), Some(&pct("39%")), 10).is_err()); // row 8
    assert!(resolve_fenceposts(Some(&pct("55%")), Some(&pct("urg")), 10).is_err()); // row 9
    assert_eq!(resolve_fenceposts(None, Some(&pct("39%")), 10), Ok((0, 3))); // row 10
    assert_eq!(resolve_fenceposts(Some(&pct("39%")), None, 10), Ok((4, 0))); // row 11
    assert_eq!(resolve_fenceposts(None, None, 10), Ok((0, 1))); // row 12
}

#[test]
fn test_max_unavailable() {
    assert_eq!(max_unavailable(&deploy(10, int(1), int(5))), 5); // row 13
    assert_eq!(max_unavailable(&deploy(10, int(1), int(10))), 10); // row 14
    assert_eq!(max_unavailable(&deploy(5, int(1), int(10))), 5); // row 15
    assert_eq!(max_unavailable(&deploy(0, int(1), int(10))), 0); // row 16
    assert_eq!(max_unavailable(&recreate(10)), 0); // row 17
    assert_eq!(max_unavailable(&deploy(10, int(1), pct("50%"))), 5); // row 18
    assert_eq!(max_unavailable(&deploy(10, int(1), pct("100%"))), 10);
    assert_eq!(max_unavailable(&deploy(5, int(1), pct("100%"))), 5);
}

#[test]
fn test_min_available() {
    assert_eq!(min_available(&deploy(10, int(1), int(5))), 5); // row 19
    assert_eq!(min_available(&deploy(10, int(1), int(10))), 0);
    assert_eq!(min_available(&deploy(5, int(1), int(10))), 0);
    assert_eq!(min_available(&deploy(0, int(1), int(10))), 0);
    assert_eq!(min_available(&deploy(10, int(1), pct("60%"))), 4); // row 20
    assert_eq!(min_available(&recreate(10)), 0);
}

#[test]
fn max_surge_rounds_up_and_max_unavailable_down_for_the_default_strategy() {
    // §1.2 examples: D=3 → 1/0, D=4 → 1/1, D=10 → 3/2, D=1 → 1/0.
    for (d, surge, unav) in [(3, 1, 0), (4, 1, 1), (10, 3, 2), (1, 1, 0)] {
        let dep = deploy(d, pct("25%"), pct("25%"));
        assert_eq!((max_surge(&dep), max_unavailable(&dep)), (surge, unav), "D={d}");
    }
}

// ---- §7.2 NewRSNewReplicas ----

#[test]
fn test_new_rs_new_replicas() {
    let other = rs("other", 5, 5, 0);
    let cases = [
        (deploy(1, int(1), int(1)), 5, 5),  // row 21
        (deploy(6, int(10), int(1)), 2, 6), // row 22
        (recreate(3), 1, 3),                // row 23
    ];
    for (d, new_spec, want) in cases {
        let new = rs("new", new_spec, 0, 1);
        assert_eq!(new_rs_new_replicas(&d, &[&other], &new), Ok(want));
    }
}

// ---- §7.3 reconcileNewReplicaSet ----

#[test]
fn test_deployment_controller_reconcile_new_replica_set() {
    // (D, maxSurge, old, new, expected new size or None)
    let rows = [
        (10, 0, 10, 0, None),     // row 24
        (10, 2, 10, 0, Some(2)),  // row 25
        (10, 2, 5, 0, Some(7)),   // row 26
        (10, 2, 10, 2, None),     // row 27
        (10, 2, 2, 11, Some(10)), // row 28
    ];
    for (i, (d, surge, old, new, want)) in rows.into_iter().enumerate() {
        let dep = deploy(d, int(surge), int(0));
        let (new_rs, old_rs) = (rs("new", new, 0, 2), rs("old", old, old, 1));
        let got = plan::reconcile_new_replica_set(&dep, &[&new_rs, &old_rs], &new_rs).map(|s| s.to);
        assert_eq!(got, want, "row {}", 24 + i);
    }
}

// ---- §7.4 reconcileOldReplicaSets and its two halves ----

#[test]
fn test_deployment_controller_reconcile_old_replica_sets() {
    // (D, maxUnavailable, old spec, new spec, old avail, new avail, expected old size or None)
    let rows = [
        (10, 0, 10, 0, 10, 0, Some(9)), // row 29
        (10, 2, 10, 0, 10, 0, Some(8)), // row 30
        (10, 2, 10, 0, 8, 0, Some(8)),  // row 31
        (10, 2, 10, 0, 9, 0, Some(8)),  // row 32
        (10, 2, 8, 2, 8, 0, None),      // row 33
    ];
    for (i, (d, unav, old_spec, new_spec, old_avail, new_avail, want)) in rows.into_iter().enumerate() {
        let dep = deploy(d, int(0), int(unav));
        let (old_rs, new_rs) = (rs("old", old_spec, old_avail, 1), rs("new", new_spec, new_avail, 2));
        let ops = plan::reconcile_old_replica_sets(&dep, &[&old_rs, &new_rs], &[&old_rs], Some(&new_rs));
        assert_eq!(ops.last().map(|s| s.to), want, "row {}: {ops:?}", 29 + i);
    }
}

#[test]
fn test_deployment_controller_cleanup_unhealthy_replicas() {
    // (available, maxCleanup, expected cleaned) — rows 34–37; old spec 10.
    for (row, (avail, max, want)) in [(8, 1, 1), (8, 3, 2), (8, 0, 0), (10, 3, 0)].into_iter().enumerate() {
        let mut olds = vec![rs("old", 10, avail, 1)];
        let ops = plan::cleanup_unhealthy_replicas(&mut olds, max);
        let cleaned: i32 = ops.iter().map(|o| o.from - o.to).sum();
        assert_eq!(cleaned, want, "row {}", 34 + row);
    }
}

#[test]
fn test_deployment_controller_scale_down_old_replica_sets_for_rolling_update() {
    // (maxUnavailable, available, old spec, expected old size or None) — rows 38–42; D 10, surge 0.
    let rows = [(0, 10, 10, Some(9)), (2, 10, 10, Some(8)), (2, 8, 10, None), (2, 10, 0, None), (2, 1, 10, None)];
    for (i, (unav, avail, spec, want)) in rows.into_iter().enumerate() {
        let dep = deploy(10, int(0), int(unav));
        let old = rs("old", spec, avail, 1);
        let mut olds = vec![old.clone()];
        let ops = plan::scale_down_old_replica_sets_for_rolling_update(&dep, &[&old], &mut olds);
        assert_eq!(ops.last().map(|s| s.to), want, "row {}", 38 + i);
    }
}

// ---- §7.5 proportional scaling (TestScale) ----

/// Runs `scale` for a Deployment resized from `old_d` to `new_d`; RSes are (name, spec, created) with v1 oldest.
fn run_scale(
    old_d: i32,
    new_d: i32,
    surge: (i32, i32),
    new: Option<(&str, i32)>,
    olds: &[(&str, i32)],
) -> Vec<(String, i32)> {
    let dep = deploy(new_d, int(surge.1), int(0));
    let created = |name: &str| name.trim_start_matches('v').parse::<u64>().unwrap();
    let annotate =
        |(name, spec): (&str, i32)| with_annotations(rs(name, spec, spec, created(name)), old_d, old_d + surge.0);
    let new_rs = new.map(annotate);
    let old_rss: Vec<ReplicaSet> = olds.iter().copied().map(annotate).collect();
    let old_refs: Vec<&ReplicaSet> = old_rss.iter().collect();
    let mut result: Vec<(String, i32)> =
        new_rs.iter().chain(old_rss.iter()).map(|r| (r.metadata.name.clone().unwrap(), rs_spec(r))).collect();
    for op in plan::scale(&dep, new_rs.as_ref(), &old_refs) {
        for entry in result.iter_mut().filter(|e| e.0 == op.name) {
            entry.1 = op.to;
        }
    }
    result
}

fn v(pairs: &[(&str, i32)]) -> Vec<(String, i32)> {
    pairs.iter().map(|(n, s)| (n.to_string(), *s)).collect()
}

#[test]
fn test_scale() {
    let none: Option<(&str, i32)> = None;
    assert_eq!(run_scale(10, 12, (0, 0), Some(("v1", 10)), &[]), v(&[("v1", 12)])); // row 43
    assert_eq!(run_scale(10, 5, (0, 0), Some(("v1", 10)), &[]), v(&[("v1", 5)])); // row 44
    assert_eq!(run_scale(5, 10, (0, 0), Some(("v2", 2)), &[("v1", 3)]), v(&[("v2", 4), ("v1", 6)])); // 45
    assert_eq!(run_scale(5, 3, (0, 0), Some(("v2", 2)), &[("v1", 3)]), v(&[("v2", 1), ("v1", 2)])); // 46
    assert_eq!(run_scale(9, 4, (0, 0), Some(("v2", 8)), &[("v1", 1)]), v(&[("v2", 4), ("v1", 0)])); // 47
    assert_eq!(
        run_scale(7, 10, (0, 0), Some(("v3", 2)), &[("v2", 3), ("v1", 2)]),
        v(&[("v3", 3), ("v2", 4), ("v1", 3)])
    ); // row 48
    assert_eq!(
        run_scale(13, 8, (0, 0), Some(("v3", 2)), &[("v2", 8), ("v1", 3)]),
        v(&[("v3", 1), ("v2", 5), ("v1", 2)])
    ); // row 49
    assert_eq!(
        run_scale(3, 4, (0, 0), Some(("v3", 1)), &[("v2", 1), ("v1", 1)]),
        v(&[("v3", 2), ("v2", 1), ("v1", 1)])
    ); // row 50: leftover to the newest
    assert_eq!(
        run_scale(3, 2, (0, 0), Some(("v3", 1)), &[("v2", 1), ("v1", 1)]),
        v(&[("v3", 1), ("v2", 1), ("v1", 0)])
    ); // row 51: leftover taken from the oldest
    assert_eq!(run_scale(4, 5, (0, 0), none, &[("v2", 2), ("v1", 2)]), v(&[("v2", 3), ("v1", 2)])); // row 52
    assert_eq!(
        run_scale(6, 0, (0, 0), Some(("v3", 3)), &[("v2", 2), ("v1", 1)]),
        v(&[("v3", 0), ("v2", 0), ("v1", 0)])
    ); // row 53
    assert_eq!(
        run_scale(6, 6, (0, 0), Some(("v3", 0)), &[("v2", 0), ("v1", 0)]),
        v(&[("v3", 6), ("v2", 0), ("v1", 0)])
    ); // row 54: from zero
    assert_eq!(run_scale(10, 20, (2, 2), Some(("v2", 6)), &[("v1", 6)]), v(&[("v2", 11), ("v1", 11)])); // row 55
    assert_eq!(run_scale(10, 50, (3, 6), Some(("v2", 5)), &[("v1", 8)]), v(&[("v2", 22), ("v1", 34)])); // row 56
    assert_eq!(run_scale(10, 14, (0, 0), none, &[("v2", 7), ("v1", 3)]), v(&[("v2", 10), ("v1", 4)]));
    // row 57
}

#[test]
fn test_scale_saturated_but_unavailable_new_replica_set_keeps_the_old_one() {
    // Row 58: surge 1, unavailable 1, D 2 → 2; new RS v2:2 with nothing available; old v1:1 stays.
    let dep = deploy(2, int(1), int(1));
    let new = with_annotations(rs("v2", 2, 0, 2), 2, 3);
    let old = with_annotations(rs("v1", 1, 1, 1), 2, 3);
    let ops = plan::scale(&dep, Some(&new), &[&old]);
    assert!(ops.iter().all(|o| o.name != "v1" || o.to == 1), "{ops:?}");
    assert!(ops.iter().all(|o| o.name != "v2" || o.to == 2), "{ops:?}");
}

// ---- §7.6 getReplicaSetFraction ----

#[test]
fn test_get_replica_set_fraction() {
    // (D, maxSurge, deployment status.replicas, rs spec, max-replicas annotation, expected) — rows 59–65.
    type Row<'a> = (i32, i32, Option<i32>, i32, Option<&'a str>, i32);
    let rows: [Row; 8] = [
        (0, 0, None, 10, None, -10),
        (120, 0, None, 50, Some("100"), 10),
        (120, 10, None, 50, Some("110"), 9),
        (10, 0, None, 6, Some("12"), -1),
        (100, 10, None, 50, Some("130"), -8),
        (120, 0, Some(100), 50, None, 10),
        (120, 0, Some(100), 50, Some("0"), 10),
        (10, 0, Some(0), 5, None, 0),
    ];
    for (i, (d, surge, status, spec, max, want)) in rows.into_iter().enumerate() {
        let mut dep = deploy(d, int(surge), int(1));
        dep.status = status.map(|r| DeploymentStatus { replicas: Some(r), ..Default::default() });
        let mut r = rs("rs", spec, spec, 1);
        if let Some(m) = max {
            crate::api::set_annotation(&mut r.metadata, MAX_REPLICAS, m);
        }
        assert_eq!(replica_set_fraction(&r, &dep), want, "case {i}");
    }
}

// ---- §7.7 status predicates and timing ----

fn status(replicas: i32, updated: i32, ready: i32, available: i32) -> DeploymentStatus {
    DeploymentStatus {
        replicas: Some(replicas),
        updated_replicas: Some(updated),
        ready_replicas: Some(ready),
        available_replicas: Some(available),
        observed_generation: Some(1),
        ..Default::default()
    }
}

#[test]
fn test_deployment_complete() {
    // (desired, replicas, updated, available, expected) — rows 66–71.
    for (row, (d, r, u, a, want)) in [
        (5, 5, 5, 4, false),
        (5, 5, 5, 3, false),
        (5, 5, 5, 5, true),
        (5, 5, 4, 5, false),
        (1, 2, 1, 1, false),
        (1, 1, 1, 0, false),
    ]
    .into_iter()
    .enumerate()
    {
        let dep = deploy(d, int(1), int(0));
        assert_eq!(deployment_complete(&dep, &status(r, u, a, a)), want, "row {}", 66 + row);
    }
}

#[test]
fn test_deployment_progressing() {
    // (old r/u/ready/avail → new r/u/ready/avail, expected) — rows 72–78.
    let rows = [
        ((10, 4, 4, 4), (10, 6, 4, 4), true),
        ((10, 4, 4, 4), (10, 4, 4, 4), false),
        ((10, 4, 6, 6), (8, 4, 6, 6), true),
        ((10, 7, 3, 3), (10, 6, 3, 3), false),
        ((10, 4, 7, 7), (8, 8, 5, 5), true),
        ((10, 10, 9, 8), (10, 10, 10, 8), true),
        ((10, 10, 10, 9), (10, 10, 10, 10), true),
    ];
    for (row, (old, new, want)) in rows.into_iter().enumerate() {
        let mut dep = deploy(10, int(1), int(0));
        dep.status = Some(status(old.0, old.1, old.2, old.3));
        assert_eq!(deployment_progressing(&dep, &status(new.0, new.1, new.2, new.3)), want, "row {}", 72 + row);
    }
}

fn progressing(reason: &str, last_update_ms: u64) -> DeploymentStatus {
    let mut st = status(1, 1, 1, 0);
    let now = time_at(last_update_ms);
    set_condition(&mut st, new_condition(PROGRESSING, "True", reason, String::new(), &now));
    st
}

#[test]
fn test_deployment_timed_out() {
    let t = |h: u64, m: u64, s: u64| ((h * 60 + m) * 60 + s) * 1000;
    let mut dep = deploy(1, int(1), int(0));
    let st = progressing(RS_UPDATED, t(0, 1, 9));
    dep.spec.as_mut().unwrap().progress_deadline_seconds = None;
    assert!(!deployment_timed_out(&dep, &st, t(0, 1, 20))); // row 79
    dep.spec.as_mut().unwrap().progress_deadline_seconds = Some(i32::MAX);
    assert!(!deployment_timed_out(&dep, &st, t(0, 1, 20))); // row 80
    dep.spec.as_mut().unwrap().progress_deadline_seconds = Some(10);
    assert!(deployment_timed_out(&dep, &st, t(0, 1, 20))); // row 81: 11 s
    assert!(!deployment_timed_out(&dep, &progressing(RS_UPDATED, t(0, 1, 11)), t(0, 1, 20))); // row 82: 9 s
    assert!(!deployment_timed_out(&dep, &progressing(NEW_RS_AVAILABLE, t(0, 1, 9)), t(0, 1, 20)));
    // row 83
}

#[test]
fn test_requeue_stuck_deployment() {
    let t = |h: u64, m: u64, s: u64| ((h * 60 + m) * 60 + s) * 1000;
    let last = t(18, 49, 0);
    let stuck = |deadline: Option<i32>, cond: Option<&str>, complete: bool| {
        let mut dep = deploy(1, int(1), int(0));
        dep.spec.as_mut().unwrap().progress_deadline_seconds = deadline;
        dep.status = Some(cond.map_or_else(|| status(1, 1, 1, 0), |r| progressing(r, last)));
        let new = if complete { status(1, 1, 1, 1) } else { status(1, 1, 1, 0) };
        (dep, new)
    };
    let (d, n) = stuck(None, Some(RS_UPDATED), false);
    assert_eq!(requeue_stuck_after(&d, &n, t(18, 49, 30)), None); // row 84
    let (d, n) = stuck(Some(60), None, false);
    assert_eq!(requeue_stuck_after(&d, &n, t(18, 49, 30)), None); // row 85
    let (d, n) = stuck(Some(60), Some(RS_UPDATED), true);
    assert_eq!(requeue_stuck_after(&d, &n, t(18, 49, 30)), None); // row 86
    let (d, n) = stuck(Some(60), Some(TIMED_OUT), false);
    assert_eq!(requeue_stuck_after(&d, &n, t(18, 49, 30)), None); // row 87
    let (d, n) = stuck(Some(60), Some(RS_UPDATED), false);
    assert_eq!(requeue_stuck_after(&d, &n, t(18, 49, 30)), Some(30_000)); // row 88
    assert_eq!(requeue_stuck_after(&d, &n, t(18, 49, 59)), Some(1_000)); // row 89
    assert_eq!(requeue_stuck_after(&d, &n, t(18, 49, 59) + 1), Some(0)); // row 90 (1 ms past, our resolution)
    for now in [t(18, 50, 0), t(18, 50, 1), t(18, 51, 0)] {
        assert_eq!(requeue_stuck_after(&d, &n, now), Some(0)); // row 91
    }
}

#[test]
fn test_set_condition_keeps_transition_time_when_only_the_reason_changes() {
    let mut st = DeploymentStatus::default();
    set_condition(&mut st, new_condition(PROGRESSING, "True", NEW_RS_CREATED, "a".into(), &time_at(1_000)));
    set_condition(&mut st, new_condition(AVAILABLE, "True", MINIMUM_REPLICAS_AVAILABLE, "b".into(), &time_at(1_000)));
    set_condition(&mut st, new_condition(PROGRESSING, "True", RS_UPDATED, "c".into(), &time_at(5_000)));
    let c = get_condition(&st, PROGRESSING).unwrap();
    assert_eq!(c.last_transition_time, Some(time_at(1_000)));
    assert_eq!(c.last_update_time, Some(time_at(5_000)));
    // Re-appended: Progressing is now last.
    assert_eq!(st.conditions.as_ref().unwrap().last().unwrap().type_, PROGRESSING);
    // Same status and reason: nothing changes.
    set_condition(&mut st, new_condition(PROGRESSING, "True", RS_UPDATED, "d".into(), &time_at(9_000)));
    assert_eq!(get_condition(&st, PROGRESSING).unwrap().message.as_deref(), Some("c"));
}

#[test]
fn test_annotation_utils() {
    // Row 98: revisions 11..=20 with a 5-character history cap.
    let dep = deploy(1, int(1), int(0));
    let mut r = rs("rs", 1, 1, 1);
    let mut histories = Vec::new();
    for rev in 11..=20 {
        set_new_rs_annotations(&dep, &mut r, rev, true, 5);
        histories.push(crate::api::annotation(&r.metadata, REVISION_HISTORY).unwrap_or("").to_string());
        assert_eq!(revision(&r), Some(rev));
    }
    assert_eq!(histories[0], "");
    assert_eq!(histories[1], "11");
    assert_eq!(histories[2], "11,12");
    assert_eq!(histories[3], "12,13");
    assert_eq!(histories[9], "18,19");
}

#[test]
fn test_replicas_annotations_need_update() {
    let mut r = rs("rs", 1, 1, 1);
    assert!(replicas_annotations_need_update(&r, 10, 13));
    set_replicas_annotations(&mut r, 10, 13);
    assert!(!replicas_annotations_need_update(&r, 10, 13));
    assert!(replicas_annotations_need_update(&r, 10, 12));
}

#[test]
fn test_pod_template_spec_hash() {
    // hash_test.go: 1000 distinct templates give 1000 distinct hashes, in the 4-9bcdf alphabet.
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..1000 {
        let t = crate::api::PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some([("app".to_string(), format!("app-{i}"))].into()),
                ..Default::default()
            }),
            spec: None,
        };
        let h = compute_hash(&t, None);
        assert!(!h.is_empty() && h.len() <= 10 && h.chars().all(|c| "456789bcdf".contains(c)), "{h}");
        seen.insert(h);
    }
    assert_eq!(seen.len(), 1000);
}

#[test]
fn hashes_ignore_the_hash_label_and_change_with_the_collision_count() {
    let mut t = crate::api::PodTemplateSpec::default();
    let plain = compute_hash(&t, None);
    t.metadata = Some(ObjectMeta {
        labels: Some([(POD_TEMPLATE_HASH.to_string(), "abc".to_string())].into()),
        ..Default::default()
    });
    assert_eq!(compute_hash(&t, None), plain);
    assert_ne!(compute_hash(&t, Some(1)), plain);
    assert_eq!(safe_encode("0123456789"), "456789bcdf");
}

#[test]
fn test_equal_ignore_hash_and_find_new_replica_set() {
    let mut d = deploy(1, int(1), int(0));
    d.spec.as_mut().unwrap().template.metadata =
        Some(ObjectMeta { labels: Some([("app".to_string(), "a".to_string())].into()), ..Default::default() });
    let mut same_old = rs("same-old", 1, 1, 1);
    let mut t = d.spec.as_ref().unwrap().template.clone();
    t.metadata.as_mut().unwrap().labels.as_mut().unwrap().insert(POD_TEMPLATE_HASH.into(), "x".into());
    same_old.spec.as_mut().unwrap().template = Some(t.clone());
    let mut same_new = rs("same-new", 1, 1, 5);
    same_new.spec.as_mut().unwrap().template = Some(t);
    let other = rs("other", 1, 1, 0);
    // The oldest matching ReplicaSet wins.
    assert_eq!(
        find_new_rs(&d, &[&same_new, &other, &same_old]).map(|r| r.metadata.name.clone().unwrap()),
        Some("same-old".into())
    );
    let (all_old, required) = find_old_rss(&[&same_new, &other, &same_old], Some(&same_old));
    assert_eq!(all_old.len(), 2);
    assert_eq!(required.len(), 2);
}

#[test]
fn test_last_revision_is_the_second_highest() {
    let mut rss = Vec::new();
    for (name, rev) in [("a", "1"), ("b", "3"), ("c", "2")] {
        let mut r = rs(name, 0, 0, 1);
        crate::api::set_annotation(&mut r.metadata, REVISION, rev);
        rss.push(r);
    }
    let refs: Vec<&ReplicaSet> = rss.iter().collect();
    assert_eq!(max_revision(&refs), 3);
    assert_eq!(last_revision(&refs), 2);
}

// ---- §7.7 cleanupDeployment (TestDeploymentController_cleanupDeployment) ----

#[test]
fn test_deployment_controller_cleanup_deployment() {
    // Old ReplicaSets as (spec, status.replicas); all with a current observedGeneration.
    let olds = |specs: &[(i32, i32)]| -> Vec<ReplicaSet> {
        specs
            .iter()
            .enumerate()
            .map(|(i, (spec, actual))| {
                let mut r = rs(&format!("rs{i}"), *spec, 0, i as u64);
                r.status.as_mut().unwrap().replicas = *actual;
                r
            })
            .collect()
    };
    let count = |rss: &[ReplicaSet], limit: Option<i32>| {
        let refs: Vec<&ReplicaSet> = rss.iter().collect();
        plan::cleanup_victims(&refs, limit).len()
    };
    assert_eq!(count(&olds(&[(0, 0), (0, 0), (0, 0)]), Some(1)), 2); // row 92
    assert_eq!(count(&olds(&[(0, 0), (0, 1), (1, 0), (1, 1)]), Some(0)), 1); // row 93
    assert_eq!(count(&olds(&[(0, 0), (0, 0)]), Some(0)), 2); // row 94
    assert_eq!(count(&olds(&[(1, 1), (1, 1)]), Some(0)), 0); // row 95
    let mut deleting = olds(&[(0, 0)]);
    deleting[0].metadata.deletion_timestamp = Some(time_at(0));
    assert_eq!(count(&deleting, Some(0)), 0); // row 96
    assert_eq!(count(&olds(&[(0, 0), (0, 0), (0, 0)]), Some(i32::MAX)), 0); // row 97
}

#[test]
fn test_deployment_controller_cleanup_deployment_order() {
    // The lowest revisions go first, whatever the creation order.
    let mut rss = Vec::new();
    for (name, rev, created) in [("a", "3", 1), ("b", "1", 2), ("c", "2", 3)] {
        let mut r = rs(name, 0, 0, created);
        r.status.as_mut().unwrap().replicas = 0;
        crate::api::set_annotation(&mut r.metadata, REVISION, rev);
        rss.push(r);
    }
    let refs: Vec<&ReplicaSet> = rss.iter().collect();
    let names: Vec<&str> =
        plan::cleanup_victims(&refs, Some(1)).iter().map(|r| r.metadata.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["b", "c"]);
}
