//! The ReplicaSet controller, following `pkg/controller/replicaset/replica_set.go` (Kubernetes 1.35):
//! `syncReplicaSet` → claim pods (adopt / release, `ControllerRefManager`) → `manageReplicas` (create in bursts of
//! at most 500, delete the lowest-ranked pods) → `calculateStatus`. Creates and deletes are observed at once (the
//! store is synchronous), so upstream's expectations are always satisfied.

use super::pods;
use crate::api::{self, selector, Pod, ReplicaSet};
use crate::cluster::events::Source;
use crate::cluster::events::{EventReason, EventType};
use crate::cluster::store::{Kind, ObjRef};
use crate::cluster::why::Why;
use crate::cluster::{Cluster, Controller};
use k8s_openapi::api::apps::v1::ReplicaSetStatus;
use std::cmp::Ordering;
use std::collections::HashMap;

/// `burstReplicas`: at most this many creations or deletions per sync.
pub const BURST_REPLICAS: usize = 500;

const SOURCE: &str = "replicaset-controller";

pub fn sync(c: &mut Cluster, key: &ObjRef) {
    let Some(rs) = c.get::<ReplicaSet>(key).cloned() else { return };
    let pods = claim_pods(c, &rs);
    let active: Vec<ObjRef> = pods.into_iter().filter(|r| c.get::<Pod>(r).is_some_and(pods::is_active)).collect();
    if rs.metadata.deletion_timestamp.is_none() {
        manage_replicas(c, &rs, &active);
    }
    update_status(c, key);
}

/// The pods this ReplicaSet owns after adoption and release (`ClaimPods`), as keys.
fn claim_pods(c: &mut Cluster, rs: &ReplicaSet) -> Vec<ObjRef> {
    let uid = rs.metadata.uid.clone().unwrap_or_default();
    let ns = api::namespace_of(&rs.metadata).to_string();
    let sel = rs.spec.as_ref().map(|s| s.selector.clone()).unwrap_or_default();
    let deleting = rs.metadata.deletion_timestamp.is_some();
    let owned: Vec<ObjRef> = c.store().dependents_of(&uid).filter(|r| r.kind == Kind::Pod).cloned().collect();
    let mut result = Vec::with_capacity(owned.len());
    for r in owned {
        let Some(pod) = c.get::<Pod>(&r) else { continue };
        if api::controller_of(&pod.metadata).map(|o| o.uid.as_str()) != Some(uid.as_str()) {
            continue;
        }
        if selector::matches(&sel, pod.metadata.labels.as_ref()) || deleting {
            result.push(r);
            continue;
        }
        // Release: the pod no longer matches; it becomes an orphan and keeps running.
        let mut released = pod.clone();
        if let Some(refs) = released.metadata.owner_references.as_mut() {
            refs.retain(|o| o.uid != uid);
        }
        if c.by(Controller::ReplicaSet).update(released).is_some() {
            c.decide(Controller::ReplicaSet, &ObjRef::of(rs), Why::ReleasedPod { pod: r.name.clone() });
        }
    }
    if !deleting && !selector::is_empty(&sel) {
        let orphans: Vec<Pod> = c
            .store()
            .uncontrolled_pods(&ns)
            .filter(|p| !pods::is_deleting(p))
            .filter(|p| selector::matches(&sel, p.metadata.labels.as_ref()))
            .cloned()
            .collect();
        for mut pod in orphans {
            let name = api::name_of(&pod.metadata).to_string();
            pod.metadata.owner_references.get_or_insert_with(Vec::new).push(api::controller_ref(
                "apps/v1",
                "ReplicaSet",
                &rs.metadata,
            ));
            if let Ok(adopted) = c.update(pod) {
                c.decide(Controller::ReplicaSet, &ObjRef::of(rs), Why::AdoptedPod { pod: name.clone() });
                result.push(ObjRef::of(&*adopted));
            }
        }
    }
    result
}

fn manage_replicas(c: &mut Cluster, rs: &ReplicaSet, active: &[ObjRef]) {
    let want = rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1).max(0) as usize;
    let rs_ref = ObjRef::of(rs);
    if active.len() < want {
        let n = (want - active.len()).min(BURST_REPLICAS);
        c.decide(
            Controller::ReplicaSet,
            &rs_ref,
            Why::CreatingPods { n, active: active.len(), want, burst: n == BURST_REPLICAS },
        );
        let template = pod_from_template(rs);
        for _ in 0..n {
            match c.create(template.clone()) {
                Ok(pod) => {
                    let name = api::name_of(&pod.metadata).to_string();
                    c.event(
                        rs,
                        EventType::Normal,
                        EventReason::SuccessfulCreate,
                        format!("Created pod: {name}"),
                        Source::controller(SOURCE),
                    );
                }
                Err(e) => {
                    c.event(
                        rs,
                        EventType::Warning,
                        EventReason::FailedCreate,
                        format!("Error creating: {e}"),
                        Source::controller(SOURCE),
                    );
                    break;
                }
            }
        }
    } else if active.len() > want {
        let n = (active.len() - want).min(BURST_REPLICAS);
        let now = c.now();
        let victims: Vec<String> = {
            let mut ranked: Vec<&Pod> = active.iter().filter_map(|r| c.get::<Pod>(r)).collect();
            if n < ranked.len() {
                let related = related_pods(c, rs);
                let ranks = colocation_ranks(&ranked, &related);
                crate::util::sort_by_cached_key(&mut ranked, |p| deletion_key(p, &ranks, now));
            }
            ranked.iter().take(n).map(|p| api::name_of(&p.metadata).to_string()).collect()
        };
        c.decide(
            Controller::ReplicaSet,
            &rs_ref,
            Why::DeletingPods { n, active: active.len(), want, victims: victims.clone() },
        );
        for name in victims {
            let r = ObjRef::new(Kind::Pod, &rs_ref.namespace, &name);
            if c.by(Controller::ReplicaSet).delete_pod(&r, None).is_some() {
                c.event(
                    rs,
                    EventType::Normal,
                    EventReason::SuccessfulDelete,
                    format!("Deleted pod: {name}"),
                    Source::controller(SOURCE),
                );
            }
        }
    }
}

/// A pod as the ReplicaSet creates it (`GetPodFromTemplate`): `generateName: <rs>-`, the template's labels,
/// annotations and spec, and a controller reference to the ReplicaSet.
pub fn pod_from_template(rs: &ReplicaSet) -> Pod {
    let template = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
    let tmeta = template.metadata.unwrap_or_default();
    let name = api::name_of(&rs.metadata);
    let prefix = format!("{name}-");
    // If `<rs>-` is not a valid name prefix, the bare name is used.
    let generate_name = if prefix.len() <= 63 { prefix } else { name.to_string() };
    Pod {
        metadata: api::ObjectMeta {
            generate_name: Some(generate_name),
            namespace: rs.metadata.namespace.clone(),
            labels: tmeta.labels,
            annotations: tmeta.annotations,
            finalizers: tmeta.finalizers,
            owner_references: Some(vec![api::controller_ref("apps/v1", "ReplicaSet", &rs.metadata)]),
            ..Default::default()
        },
        spec: template.spec,
        status: None,
    }
}

/// All pods owned by any ReplicaSet of the same owner (for the co-location rank), or this one's if it has no owner.
fn related_pods<'a>(c: &'a Cluster, rs: &ReplicaSet) -> Vec<&'a Pod> {
    let owner_uid = api::controller_of(&rs.metadata).map(|o| o.uid.clone());
    let sets: Vec<String> = match owner_uid {
        Some(uid) => c
            .store()
            .dependents_of(&uid)
            .filter(|r| r.kind == Kind::ReplicaSet)
            .filter_map(|r| c.get::<ReplicaSet>(r))
            .filter_map(|r| r.metadata.uid.clone())
            .collect(),
        None => rs.metadata.uid.clone().into_iter().collect(),
    };
    sets.iter()
        .flat_map(|uid| {
            c.store()
                .dependents_of(uid)
                .filter(|r| r.kind == Kind::Pod)
                .filter_map(|r| c.get::<Pod>(r))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// For each pod, how many active related pods share its node (`getPodsRankedByRelatedPodsOnSameNode`).
fn colocation_ranks(pods: &[&Pod], related: &[&Pod]) -> HashMap<String, usize> {
    let mut per_node: HashMap<&str, usize> = HashMap::new();
    for p in related.iter().filter(|p| pods::is_active(p)) {
        *per_node.entry(pods::node_name(p)).or_default() += 1;
    }
    pods.iter()
        .map(|p| {
            let n = pods::node_name(p);
            (
                api::name_of(&p.metadata).to_string(),
                if n.is_empty() { 0 } else { per_node.get(n).copied().unwrap_or(0) },
            )
        })
        .collect()
}

fn phase_rank(p: &Pod) -> u8 {
    match pods::phase(p) {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    }
}

fn deletion_cost(p: &Pod) -> i32 {
    api::annotation(&p.metadata, "controller.kubernetes.io/pod-deletion-cost").and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// `floor(log2(now − t in nanoseconds))`, the LogarithmicScaleDown bucket.
fn log_bucket(t: u64, now: u64) -> i64 {
    let nanos = now.saturating_sub(t).saturating_mul(1_000_000);
    if nanos == 0 {
        0
    } else {
        63 - i64::from(nanos.leading_zeros())
    }
}

/// `ActivePodsWithRanks.Less` as a sort key: pods with smaller keys are deleted first. The rules, in upstream's
/// order: unscheduled first; Pending < Unknown < Running; not ready first; lower `pod-deletion-cost` first; more
/// co-located related pods first; (both ready) ready for less time first; more restarts first; newer first — times
/// compared by their log₂ bucket (LogarithmicScaleDown), then the pod uid, then the name.
///
/// Upstream's `Less` breaks a ready-time bucket tie by uid only when the two timestamps differ and otherwise falls
/// through to the later rules, which is not a total order (Go's sort tolerates that; Rust's sort may panic on it). A
/// key is a total order by construction; it differs from upstream only for pods whose ready times share a bucket
/// but whose restart counts or creation buckets differ.
fn deletion_key(p: &Pod, ranks: &HashMap<String, usize>, now: u64) -> impl Ord {
    let name = api::name_of(&p.metadata).to_string();
    let rank = ranks.get(&name).copied().unwrap_or(0);
    let ready = pods::is_ready(p);
    // A zero time counts as the newest: bucket −1.
    let ready_bucket = if ready { pods::ready_since(p).map_or(-1, |t| log_bucket(t, now)) } else { 0 };
    let created = p.metadata.creation_timestamp.as_ref().map_or(-1, |t| log_bucket(api::time::millis_of(t), now));
    (
        !pods::node_name(p).is_empty(),
        phase_rank(p),
        ready,
        deletion_cost(p),
        std::cmp::Reverse(rank),
        ready_bucket,
        std::cmp::Reverse(pods::max_restarts(p)),
        created,
        p.metadata.uid.clone().unwrap_or_default(),
        name,
    )
}

/// Which of two pods to delete first (`Less` = first); see [`deletion_key`].
pub fn compare_for_deletion(a: &Pod, b: &Pod, ranks: &HashMap<String, usize>, now: u64) -> Ordering {
    deletion_key(a, ranks, now).cmp(&deletion_key(b, ranks, now))
}

/// `calculateStatus` and the write of it; re-queues for the moment the next ready pod becomes available.
fn update_status(c: &mut Cluster, key: &ObjRef) {
    let Some(mut rs) = c.get::<ReplicaSet>(key).cloned() else { return };
    let uid = rs.metadata.uid.clone().unwrap_or_default();
    let now = c.now();
    let min_ready = rs.spec.as_ref().and_then(|s| s.min_ready_seconds).unwrap_or(0);
    let template_labels = rs
        .spec
        .as_ref()
        .and_then(|s| s.template.as_ref())
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    let owned: Vec<&Pod> = c.store().controlled_by::<Pod>(&uid).collect();
    let active: Vec<&&Pod> = owned.iter().filter(|p| pods::is_active(p)).collect();
    let count = |f: &dyn Fn(&Pod) -> bool| active.iter().filter(|p| f(p)).count() as i32;
    let fully_labeled = count(&|p| template_labels.iter().all(|(k, v)| api::label(&p.metadata, k) == Some(v)));
    let ready = count(&|p| pods::is_ready(p));
    let available = count(&|p| pods::is_available(p, min_ready, now));
    let terminating = owned.iter().filter(|p| pods::is_deleting(p) && !pods::is_terminal(p)).count() as i32;
    let next_available = active.iter().filter_map(|p| pods::available_at(p, min_ready, now)).min();
    let old = rs.status.clone().unwrap_or_default();
    let status = ReplicaSetStatus {
        // `replicas` has no `omitempty`; the other counts do, so a zero is not stored.
        replicas: active.len() as i32,
        fully_labeled_replicas: api::omit_zero(fully_labeled),
        ready_replicas: api::omit_zero(ready),
        available_replicas: api::omit_zero(available),
        terminating_replicas: Some(terminating),
        observed_generation: rs.metadata.generation,
        conditions: old.conditions.clone(),
    };
    if let Some(at) = next_available {
        c.requeue_after(at.saturating_sub(now), Controller::ReplicaSet, key.clone());
    }
    if rs.status.as_ref() != Some(&status) {
        rs.status = Some(status);
        c.by(Controller::ReplicaSet).update(rs);
    }
}

#[cfg(test)]
mod tests {
    //! `TestSortingActivePods` / `TestSortingActivePodsWithRanks` (controller_utils_test.go): pods listed from
    //! "delete first" to "delete last".
    use super::*;
    use crate::api::time::time_at;
    use crate::api::{ObjectMeta, PodCondition, PodSpec};
    use k8s_openapi::api::core::v1::{ContainerStatus, PodStatus};

    const NOW: u64 = 1_000_000_000;

    fn pod(name: &str, node: &str, phase: &str, ready_at: Option<u64>, restarts: i32, created: u64) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                uid: Some(format!("uid-{name}")),
                creation_timestamp: Some(time_at(created)),
                ..Default::default()
            },
            spec: Some(PodSpec { node_name: (!node.is_empty()).then(|| node.to_string()), ..Default::default() }),
            status: Some(PodStatus {
                phase: Some(phase.into()),
                conditions: ready_at.map(|t| {
                    vec![PodCondition {
                        type_: "Ready".into(),
                        status: "True".into(),
                        last_transition_time: Some(time_at(t)),
                        ..Default::default()
                    }]
                }),
                container_statuses: Some(vec![ContainerStatus { restart_count: restarts, ..Default::default() }]),
                ..Default::default()
            }),
        }
    }

    fn order(pods: Vec<Pod>, ranks: &[(&str, usize)]) -> Vec<String> {
        let ranks: HashMap<String, usize> = ranks.iter().map(|(n, r)| (n.to_string(), *r)).collect();
        let mut refs: Vec<&Pod> = pods.iter().collect();
        refs.sort_by(|a, b| compare_for_deletion(a, b, &ranks, NOW));
        refs.iter().map(|p| p.metadata.name.clone().unwrap()).collect()
    }

    #[test]
    fn test_sorting_active_pods() {
        let pods = vec![
            pod("ready-old", "n1", "Running", Some(1_000), 0, 0),
            pod("ready-new", "n1", "Running", Some(NOW - 1_000), 0, 0),
            pod("running-unready", "n1", "Running", None, 0, 0),
            pod("unknown", "n1", "Unknown", None, 0, 0),
            pod("pending", "n1", "Pending", None, 0, 0),
            pod("unscheduled", "", "Pending", None, 0, 0),
        ];
        assert_eq!(
            order(pods, &[]),
            ["unscheduled", "pending", "unknown", "running-unready", "ready-new", "ready-old"]
        );
    }

    #[test]
    fn test_sorting_active_pods_with_ranks() {
        // More co-located pods go first; then (same readiness) more restarts; then newer.
        let pods =
            vec![pod("alone", "n1", "Running", Some(5_000), 0, 0), pod("doubled", "n2", "Running", Some(5_000), 0, 0)];
        assert_eq!(order(pods, &[("alone", 1), ("doubled", 2)]), ["doubled", "alone"]);
        let pods = vec![pod("calm", "n1", "Running", None, 0, 0), pod("crashy", "n1", "Running", None, 7, 0)];
        assert_eq!(order(pods, &[]), ["crashy", "calm"]);
        let pods = vec![pod("old", "n1", "Running", None, 0, 1_000), pod("new", "n1", "Running", None, 0, NOW - 1_000)];
        assert_eq!(order(pods, &[]), ["new", "old"]);
        // Ready times in the same log2 bucket: the smaller uid goes first.
        let pods = vec![
            pod("b", "n1", "Running", Some(NOW - 600_000), 0, 0),
            pod("a", "n1", "Running", Some(NOW - 610_000), 0, 0),
        ];
        assert_eq!(order(pods, &[]), ["a", "b"]);
    }

    #[test]
    fn ranking_many_pods_with_mixed_times_is_a_total_order() {
        // Pods whose ready times share log2 buckets in every combination: sorting must not panic and must be
        // consistent (sorting a shuffled copy gives the same order).
        let mut pods = Vec::new();
        for i in 0..60u64 {
            let ready = (i % 3 != 0).then_some(NOW - 500_000 - (i % 7) * 37_000);
            pods.push(pod(
                &format!("p{i:02}"),
                if i % 5 == 0 { "" } else { "n1" },
                "Running",
                ready,
                (i % 4) as i32,
                NOW - (i % 6) * 90_000,
            ));
        }
        let ranks: HashMap<String, usize> =
            pods.iter().enumerate().map(|(i, p)| (p.metadata.name.clone().unwrap(), i % 3)).collect();
        let mut a: Vec<&Pod> = pods.iter().collect();
        let mut b: Vec<&Pod> = pods.iter().rev().collect();
        a.sort_by(|x, y| compare_for_deletion(x, y, &ranks, NOW));
        b.sort_by(|x, y| compare_for_deletion(x, y, &ranks, NOW));
        let names = |v: &[&Pod]| v.iter().map(|p| p.metadata.name.clone().unwrap()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
    }

    #[test]
    fn test_pod_deletion_cost_goes_before_co_location() {
        let mut cheap = pod("cheap", "n1", "Running", Some(5_000), 0, 0);
        cheap.metadata.annotations =
            Some([("controller.kubernetes.io/pod-deletion-cost".to_string(), "-10".to_string())].into());
        let pods = vec![pod("doubled", "n2", "Running", Some(5_000), 0, 0), cheap];
        assert_eq!(order(pods, &[("doubled", 5), ("cheap", 1)]), ["cheap", "doubled"]);
    }
}
