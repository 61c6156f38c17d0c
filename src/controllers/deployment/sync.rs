//! The Deployment controller's sync: `syncDeployment` and the paths it takes (`deployment_controller.go`),
//! `getAllReplicaSetsAndSyncRevision` / `getNewReplicaSet` / `scale` / `cleanupDeployment` / `syncDeploymentStatus`
//! (`sync.go`), `rolloutRolling` (`rolling.go`), `rolloutRecreate` (`recreate.go`) and `syncRolloutStatus`
//! (`progress.go`). The arithmetic is in `util.rs` and `plan.rs`; this file reads the store, applies the plans,
//! records events and the decision log.

use super::plan::{self, Scale};
use super::util::{self, *};
use crate::api::{self, selector, time::time_at, Deployment, Pod, ReplicaSet};
use crate::cluster::events::Source;
use crate::cluster::events::{EventReason, EventType};
use crate::cluster::store::{Kind, ObjRef, Reason};
use crate::cluster::why::Why;
use crate::cluster::{Cluster, Controller};
use crate::controllers::pods;
use k8s_openapi::api::apps::v1::{DeploymentStatus, ReplicaSetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

const SOURCE: &str = "deployment-controller";

fn source() -> Source {
    Source::controller(SOURCE)
}

/// `syncDeployment`.
pub fn sync(c: &mut Cluster, key: &ObjRef) {
    let Some(d) = c.get::<Deployment>(key).cloned() else { return };
    let sel = d.spec.as_ref().map(|s| s.selector.clone()).unwrap_or_default();
    if selector::is_empty(&sel) {
        c.event(
            &d,
            EventType::Warning,
            EventReason::SelectingAll,
            "This deployment is selecting all pods. A non-empty selector is required.",
            source(),
        );
        if d.status.as_ref().and_then(|s| s.observed_generation) < d.metadata.generation {
            let mut d2 = d.clone();
            d2.status.get_or_insert_with(Default::default).observed_generation = d.metadata.generation;
            c.by(Controller::Deployment).update(d2);
        }
        return;
    }
    claim_replica_sets(c, &d);
    if d.metadata.deletion_timestamp.is_some() {
        sync_deployment_status(c, key);
        return;
    }
    check_paused_conditions(c, key);
    let Some(d) = c.get::<Deployment>(key).cloned() else { return };
    if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
        sync_scale(c, key);
        return;
    }
    if is_scaling_event(c, key) {
        sync_scale(c, key);
        return;
    }
    if is_rolling(&d) {
        rollout_rolling(c, key);
    } else {
        rollout_recreate(c, key);
    }
}

/// Adopts matching orphan ReplicaSets and releases owned ones that no longer match (`getReplicaSetsForDeployment`'s
/// claim); the owned ones are then read with `owned`.
fn claim_replica_sets(c: &mut Cluster, d: &Deployment) {
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let ns = api::namespace_of(&d.metadata).to_string();
    let sel = d.spec.as_ref().map(|s| s.selector.clone()).unwrap_or_default();
    let deleting = d.metadata.deletion_timestamp.is_some();
    let candidates: Vec<ReplicaSet> = c.store().list::<ReplicaSet>(Some(&ns)).cloned().collect();
    let me = ObjRef::of(d);
    for mut rs in candidates {
        let owner = api::controller_of(&rs.metadata).map(|o| o.uid.clone());
        let matches = selector::matches(&sel, rs.metadata.labels.as_ref());
        let name = api::name_of(&rs.metadata).to_string();
        match owner {
            Some(o) if o == uid => {
                if !matches && !deleting {
                    if let Some(refs) = rs.metadata.owner_references.as_mut() {
                        refs.retain(|r| r.uid != uid);
                    }
                    if c.by(Controller::Deployment).update(rs).is_some() {
                        c.decide(Controller::Deployment, &me, Why::ReleasedReplicaSet { rs: name.clone() });
                    }
                }
            }
            Some(_) => {}
            None => {
                if matches && !deleting && rs.metadata.deletion_timestamp.is_none() {
                    rs.metadata.owner_references.get_or_insert_with(Vec::new).push(api::controller_ref(
                        "apps/v1",
                        "Deployment",
                        &d.metadata,
                    ));
                    if c.by(Controller::Deployment).update(rs).is_some() {
                        c.decide(Controller::Deployment, &me, Why::AdoptedReplicaSet { rs: name.clone() });
                    }
                }
            }
        }
    }
}

fn owned(c: &Cluster, d: &Deployment) -> Vec<ReplicaSet> {
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let mut v: Vec<ReplicaSet> = c.store().controlled_by::<ReplicaSet>(&uid).cloned().collect();
    crate::util::sort_by(&mut v, |a, b| util::creation_key(a).cmp(&util::creation_key(b)));
    v
}

/// `isScalingEvent`: an active ReplicaSet is annotated with a different desired size than the Deployment's.
fn is_scaling_event(c: &mut Cluster, key: &ObjRef) -> bool {
    let Some((new, olds)) = get_all_and_sync_revision(c, key, false) else { return false };
    let Some(d) = c.get::<Deployment>(key) else { return false };
    let want = replicas(d);
    olds.iter()
        .chain(new.iter())
        .filter(|rs| rs_spec(rs) > 0)
        .any(|rs| desired_replicas_annotation(rs).is_some_and(|v| v != want))
}

/// `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created if `create` and missing) and the old ones.
/// `None` when the new ReplicaSet should exist but could not be made this time (a hash collision).
fn get_all_and_sync_revision(
    c: &mut Cluster,
    key: &ObjRef,
    create: bool,
) -> Option<(Option<ReplicaSet>, Vec<ReplicaSet>)> {
    let d = c.get::<Deployment>(key).cloned()?;
    let rss = owned(c, &d);
    let refs: Vec<&ReplicaSet> = rss.iter().collect();
    let existing = find_new_rs(&d, &refs).cloned();
    let (olds, _) = find_old_rss(&refs, existing.as_ref());
    let olds: Vec<ReplicaSet> = olds.into_iter().cloned().collect();
    let new = get_new_rs(c, key, existing, &olds, create)?;
    Some((new, olds))
}

/// `getNewReplicaSet`.
fn get_new_rs(
    c: &mut Cluster,
    key: &ObjRef,
    existing: Option<ReplicaSet>,
    olds: &[ReplicaSet],
    create: bool,
) -> Option<Option<ReplicaSet>> {
    let d = c.get::<Deployment>(key).cloned()?;
    let old_refs: Vec<&ReplicaSet> = olds.iter().collect();
    let new_revision = max_revision(&old_refs) + 1;
    let min_ready = d.spec.as_ref().and_then(|s| s.min_ready_seconds);
    if let Some(ex) = existing {
        let mut copy = ex.clone();
        let before = revision(&ex);
        let annotations_changed =
            set_new_rs_annotations(&d, &mut copy, new_revision, true, REVISION_HISTORY_LIMIT_CHARS);
        let min_ready_changed = copy.spec.as_ref().and_then(|s| s.min_ready_seconds) != min_ready;
        if annotations_changed || min_ready_changed {
            copy.spec.get_or_insert_with(Default::default).min_ready_seconds = min_ready;
            let updated = c.by(Controller::Deployment).update(copy)?;
            if revision(&updated) != before {
                c.decide(
                    Controller::Deployment,
                    key,
                    Why::RevisionReused {
                        rs: api::name_of(&updated.metadata).to_string(),
                        revision: new_revision,
                        before,
                    },
                );
            }
            return Some(Some(std::sync::Arc::unwrap_or_clone(updated)));
        }
        let mut d2 = d.clone();
        let rev = api::annotation(&ex.metadata, REVISION).unwrap_or("").to_string();
        let mut changed = false;
        if api::annotation(&d2.metadata, REVISION) != Some(rev.as_str()) {
            api::set_annotation(&mut d2.metadata, REVISION, rev);
            changed = true;
        }
        let status = d2.status.get_or_insert_with(Default::default);
        if has_progress_deadline(&d) && get_condition(status, PROGRESSING).is_none() {
            let msg = format!("Found new replica set \"{}\"", api::name_of(&ex.metadata));
            set_condition(status, new_condition(PROGRESSING, "True", FOUND_NEW_RS, msg, &time_at(c.now())));
            changed = true;
        }
        if changed {
            c.by(Controller::Deployment).update(d2);
        }
        return Some(Some(ex));
    }
    if !create {
        return Some(None);
    }
    let spec = d.spec.clone().unwrap_or_default();
    let collision = d.status.as_ref().and_then(|s| s.collision_count);
    let hash = compute_hash(&spec.template, collision);
    let mut template = spec.template.clone();
    template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default)
        .insert(POD_TEMPLATE_HASH.into(), hash.clone());
    let mut sel: LabelSelector = spec.selector.clone();
    sel.match_labels.get_or_insert_with(Default::default).insert(POD_TEMPLATE_HASH.into(), hash.clone());
    let name = format!("{}-{hash}", api::name_of(&d.metadata));
    let mut new_rs = ReplicaSet {
        metadata: api::ObjectMeta {
            name: Some(name.clone()),
            namespace: d.metadata.namespace.clone(),
            labels: template.metadata.as_ref().and_then(|m| m.labels.clone()),
            owner_references: Some(vec![api::controller_ref("apps/v1", "Deployment", &d.metadata)]),
            ..Default::default()
        },
        spec: Some(ReplicaSetSpec {
            replicas: Some(0),
            min_ready_seconds: min_ready,
            selector: sel,
            template: Some(template),
        }),
        status: None,
    };
    let mut all: Vec<&ReplicaSet> = old_refs.clone();
    all.push(&new_rs);
    let size = new_rs_new_replicas(&d, &all, &new_rs).unwrap_or(0);
    new_rs.spec.get_or_insert_with(Default::default).replicas = Some(size);
    set_new_rs_annotations(&d, &mut new_rs, new_revision, false, REVISION_HISTORY_LIMIT_CHARS);
    match c.create(new_rs) {
        Ok(created) => {
            let rs = name.clone();
            let why = if is_rolling(&d) {
                let counted: i64 = old_refs.iter().map(|r| i64::from(rs_spec(r))).sum();
                Why::CreatedRolling {
                    rs,
                    revision: new_revision,
                    size,
                    counted,
                    replicas: replicas(&d),
                    surge: max_surge(&d),
                }
            } else {
                Why::CreatedRecreate { rs, revision: new_revision, size }
            };
            c.decide(Controller::Deployment, key, why);
            if size > 0 {
                c.event(
                    &d,
                    EventType::Normal,
                    EventReason::ScalingReplicaSet,
                    format!("Scaled up replica set {name} from 0 to {size}"),
                    source(),
                );
            }
            let mut d2 = c.get::<Deployment>(key).cloned()?;
            api::set_annotation(&mut d2.metadata, REVISION, new_revision.to_string());
            if has_progress_deadline(&d2) {
                let msg = format!("Created new replica set \"{name}\"");
                set_condition(
                    d2.status.get_or_insert_with(Default::default),
                    new_condition(PROGRESSING, "True", NEW_RS_CREATED, msg, &time_at(c.now())),
                );
            }
            c.by(Controller::Deployment).update(d2);
            Some(Some(std::sync::Arc::unwrap_or_clone(created)))
        }
        Err(e) if e.reason == Reason::AlreadyExists => {
            let ns = api::namespace_of(&d.metadata).to_string();
            let other = c.store().get::<ReplicaSet>(&ns, &name).cloned();
            let ours = other.as_ref().is_some_and(|o| {
                api::controller_of(&o.metadata).map(|r| r.uid.as_str()) == d.metadata.uid.as_deref()
                    && rs_template(o).is_some_and(|t| equal_ignore_hash(t, &spec.template))
            });
            if ours {
                return Some(other);
            }
            let mut d2 = d.clone();
            let count = d2.status.as_ref().and_then(|s| s.collision_count).unwrap_or(0).saturating_add(1);
            d2.status.get_or_insert_with(Default::default).collision_count = Some(count);
            c.decide(Controller::Deployment, key, Why::HashCollision { rs: name.clone(), count });
            c.by(Controller::Deployment).update(d2);
            c.requeue_after(0, Controller::Deployment, key.clone());
            None
        }
        Err(e) => {
            let mut d2 = d.clone();
            let msg = format!("Failed to create new replica set \"{name}\": {e}");
            set_condition(
                d2.status.get_or_insert_with(Default::default),
                new_condition(PROGRESSING, "False", "ReplicaSetCreateError", msg.clone(), &time_at(c.now())),
            );
            c.by(Controller::Deployment).update(d2);
            c.event(&d, EventType::Warning, EventReason::ReplicaSetCreateError, msg, source());
            None
        }
    }
}

/// Applies one scale operation (`scaleReplicaSet`): the new size and the replica annotations; an event when the
/// size changed.
fn apply(c: &mut Cluster, key: &ObjRef, op: &Scale) -> bool {
    let Some(d) = c.get::<Deployment>(key).cloned() else { return false };
    let Some(mut rs) = c.store().get::<ReplicaSet>(&key.namespace, &op.name).cloned() else { return false };
    let want = replicas(&d);
    let max = want.saturating_add(max_surge(&d));
    let size_changes = rs_spec(&rs) != op.to;
    if !size_changes && !replicas_annotations_need_update(&rs, want, max) {
        return false;
    }
    let from = rs_spec(&rs);
    rs.spec.get_or_insert_with(Default::default).replicas = Some(op.to);
    set_replicas_annotations(&mut rs, want, max);
    if c.update(rs).is_err() {
        return false;
    }
    if size_changes {
        c.decide(
            Controller::Deployment,
            key,
            Why::Scaled { rs: op.name.clone(), from, to: op.to, why: op.why.clone() },
        );
        c.event(
            &d,
            EventType::Normal,
            EventReason::ScalingReplicaSet,
            format!("Scaled {} replica set {} from {from} to {}", op.direction, op.name, op.to),
            source(),
        );
    }
    size_changes
}

/// The `sync` path: scaling only (paused Deployments and scaling events).
fn sync_scale(c: &mut Cluster, key: &ObjRef) {
    let Some((new, olds)) = get_all_and_sync_revision(c, key, false) else { return };
    let Some(d) = c.get::<Deployment>(key).cloned() else { return };
    let old_refs: Vec<&ReplicaSet> = olds.iter().collect();
    for op in plan::scale(&d, new.as_ref(), &old_refs) {
        apply(c, key, &op);
    }
    if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
        cleanup_deployment(c, key);
    }
    sync_deployment_status(c, key);
}

/// `rolloutRolling`.
fn rollout_rolling(c: &mut Cluster, key: &ObjRef) {
    let Some((new, olds)) = get_all_and_sync_revision(c, key, true) else { return };
    let Some(d) = c.get::<Deployment>(key).cloned() else { return };
    let Some(new) = new else {
        sync_rollout_status(c, key);
        return;
    };
    let mut all: Vec<&ReplicaSet> = olds.iter().collect();
    all.push(&new);
    if let Some(op) = plan::reconcile_new_replica_set(&d, &all, &new) {
        if apply(c, key, &op) {
            sync_rollout_status(c, key);
            return;
        }
    }
    let active: Vec<&ReplicaSet> = olds.iter().filter(|rs| rs_spec(rs) > 0).collect();
    let ops = plan::reconcile_old_replica_sets(&d, &all, &active, Some(&new));
    let mut scaled = false;
    for op in &ops {
        scaled |= apply(c, key, op);
    }
    if scaled {
        sync_rollout_status(c, key);
        return;
    }
    if d.status.as_ref().is_some_and(|st| deployment_complete(&d, st)) {
        cleanup_deployment(c, key);
    }
    sync_rollout_status(c, key);
}

/// `rolloutRecreate`: old ReplicaSets to 0, wait until none of their pods runs, then the new one at full size.
fn rollout_recreate(c: &mut Cluster, key: &ObjRef) {
    let Some((new, olds)) = get_all_and_sync_revision(c, key, false) else { return };
    let mut scaled = false;
    for rs in olds.iter().filter(|rs| rs_spec(rs) != 0) {
        let op = Scale {
            name: api::name_of(&rs.metadata).to_string(),
            from: rs_spec(rs),
            to: 0,
            direction: "down",
            why: crate::cluster::why::Scale::RecreateOldFirst,
        };
        scaled |= apply(c, key, &op);
    }
    if scaled {
        sync_rollout_status(c, key);
        return;
    }
    let running: Vec<String> = olds
        .iter()
        .flat_map(|rs| {
            let uid = rs.metadata.uid.clone().unwrap_or_default();
            let mut names: Vec<String> = c
                .store()
                .dependents_of(&uid)
                .filter(|r| r.kind == Kind::Pod)
                .filter_map(|r| c.get::<Pod>(r))
                .filter(|p| !pods::is_terminal(p))
                .map(|p| api::name_of(&p.metadata).to_string())
                .collect();
            if rs_actual(rs) > 0 && names.is_empty() {
                names.push(api::name_of(&rs.metadata).to_string());
            }
            names
        })
        .collect();
    if !running.is_empty() {
        let why = Why::RecreateWaiting { pods: running.len() };
        if c.decisions().last().map(|d| &d.why) != Some(&why) {
            c.decide(Controller::Deployment, key, why);
        }
        sync_rollout_status(c, key);
        return;
    }
    let new = match new {
        Some(n) => Some(n),
        None => get_all_and_sync_revision(c, key, true).and_then(|(n, _)| n),
    };
    if let (Some(new), Some(d)) = (new, c.get::<Deployment>(key).cloned()) {
        let mut all: Vec<&ReplicaSet> = olds.iter().collect();
        all.push(&new);
        if let Some(op) = plan::reconcile_new_replica_set(&d, &all, &new) {
            apply(c, key, &op);
        }
    }
    if let Some(d) = c.get::<Deployment>(key).cloned() {
        if d.status.as_ref().is_some_and(|st| deployment_complete(&d, st)) {
            cleanup_deployment(c, key);
        }
    }
    sync_rollout_status(c, key);
}

/// `cleanupDeployment`: delete the oldest unused ReplicaSets beyond `revisionHistoryLimit`.
fn cleanup_deployment(c: &mut Cluster, key: &ObjRef) {
    let Some(d) = c.get::<Deployment>(key).cloned() else { return };
    let Some(limit) = d.spec.as_ref().and_then(|s| s.revision_history_limit).filter(|l| *l != i32::MAX) else { return };
    let rss = owned(c, &d);
    let refs: Vec<&ReplicaSet> = rss.iter().collect();
    let new = find_new_rs(&d, &refs).cloned();
    let (olds, _) = find_old_rss(&refs, new.as_ref());
    let victims: Vec<ReplicaSet> = plan::cleanup_victims(&olds, Some(limit)).into_iter().cloned().collect();
    for rs in victims {
        let r = ObjRef::of(&rs);
        if c.delete::<ReplicaSet>(&r, crate::cluster::Propagation::Background).is_err() {
            break;
        }
        c.decide(
            Controller::Deployment,
            key,
            Why::DeletedOldReplicaSet { rs: r.name.clone(), revision: revision(&rs).unwrap_or(0), limit },
        );
    }
}

/// `calculateStatus`.
fn calculate_status(c: &Cluster, d: &Deployment) -> DeploymentStatus {
    let rss = owned(c, d);
    let refs: Vec<&ReplicaSet> = rss.iter().collect();
    let new = find_new_rs(d, &refs);
    let sum = |f: fn(&ReplicaSet) -> i32| {
        refs.iter().map(|r| i64::from(f(r))).sum::<i64>().clamp(0, i64::from(i32::MAX)) as i32
    };
    let available = sum(rs_available);
    let total_spec = sum(rs_spec);
    let terminating =
        refs.iter().map(|r| r.status.as_ref().and_then(|s| s.terminating_replicas).unwrap_or(0)).sum::<i32>();
    let mut status = DeploymentStatus {
        observed_generation: d.metadata.generation,
        // `omitempty` counts: a zero is not stored (the API server's JSON leaves it out). terminatingReplicas is a
        // pointer (beta and on in 1.35), so its zero is kept.
        replicas: api::omit_zero(sum(rs_actual)),
        updated_replicas: api::omit_zero(new.map_or(0, rs_actual)),
        ready_replicas: api::omit_zero(sum(rs_ready)),
        available_replicas: api::omit_zero(available),
        unavailable_replicas: api::omit_zero((total_spec - available).max(0)),
        terminating_replicas: Some(terminating),
        collision_count: d.status.as_ref().and_then(|s| s.collision_count),
        conditions: d.status.as_ref().and_then(|s| s.conditions.clone()),
    };
    let now = time_at(c.now());
    if i64::from(available) >= i64::from(replicas(d)) - i64::from(max_unavailable(d)) {
        set_condition(
            &mut status,
            new_condition(
                AVAILABLE,
                "True",
                MINIMUM_REPLICAS_AVAILABLE,
                "Deployment has minimum availability.".into(),
                &now,
            ),
        );
    } else {
        set_condition(
            &mut status,
            new_condition(
                AVAILABLE,
                "False",
                MINIMUM_REPLICAS_UNAVAILABLE,
                "Deployment does not have minimum availability.".into(),
                &now,
            ),
        );
    }
    status
}

/// `syncDeploymentStatus`: status only, no progress evaluation.
fn sync_deployment_status(c: &mut Cluster, key: &ObjRef) {
    let Some(mut d) = c.get::<Deployment>(key).cloned() else { return };
    let status = calculate_status(c, &d);
    if d.status.as_ref() != Some(&status) {
        d.status = Some(status);
        c.by(Controller::Deployment).update(d);
    }
}

/// `syncRolloutStatus`: status plus the Progressing condition; re-queues a Deployment that made no progress for
/// the moment its deadline would pass.
fn sync_rollout_status(c: &mut Cluster, key: &ObjRef) {
    let Some(mut d) = c.get::<Deployment>(key).cloned() else { return };
    let mut status = calculate_status(c, &d);
    let rss = owned(c, &d);
    let refs: Vec<&ReplicaSet> = rss.iter().collect();
    let new_name = find_new_rs(&d, &refs).map(|r| api::name_of(&r.metadata).to_string());
    if !has_progress_deadline(&d) {
        remove_condition(&mut status, PROGRESSING);
    }
    let now = c.now();
    let cur = d.status.as_ref().and_then(|s| get_condition(s, PROGRESSING)).cloned();
    let complete_already = status.replicas == status.updated_replicas
        && cur.as_ref().and_then(|c| c.reason.as_deref()) == Some(NEW_RS_AVAILABLE);
    let subject = match &new_name {
        Some(n) => format!("ReplicaSet \"{n}\""),
        None => format!("Deployment \"{}\"", key.name),
    };
    if has_progress_deadline(&d) && !complete_already {
        let t = time_at(now);
        if deployment_complete(&d, &status) {
            set_condition(
                &mut status,
                new_condition(
                    PROGRESSING,
                    "True",
                    NEW_RS_AVAILABLE,
                    format!("{subject} has successfully progressed."),
                    &t,
                ),
            );
        } else if deployment_progressing(&d, &status) {
            let mut cond = new_condition(PROGRESSING, "True", RS_UPDATED, format!("{subject} is progressing."), &t);
            if let Some(cur) = cur.as_ref().filter(|c| c.status == "True") {
                cond.last_transition_time = cur.last_transition_time.clone();
            }
            remove_condition(&mut status, PROGRESSING);
            set_condition(&mut status, cond);
        } else if deployment_timed_out(&d, &status, now) {
            set_condition(
                &mut status,
                new_condition(PROGRESSING, "False", TIMED_OUT, format!("{subject} has timed out progressing."), &t),
            );
        }
    }
    remove_condition(&mut status, REPLICA_FAILURE);
    if status.conditions.as_ref().is_some_and(Vec::is_empty) {
        status.conditions = None;
    }
    if d.status.as_ref() == Some(&status) {
        if let Some(after) = requeue_stuck_after(&d, &status, now) {
            // Upstream re-queues after `after` + 1 s; under a second it re-queues at once (rate-limited). kubeplay
            // wakes exactly when the deadline has passed, which gives the same outcome without spinning.
            let delay = if after == 0 {
                let from =
                    cur.as_ref().and_then(|c| c.last_update_time.as_ref()).map(api::time::millis_of).unwrap_or(now);
                let deadline =
                    d.spec.as_ref().and_then(|s| s.progress_deadline_seconds).unwrap_or(0).max(0) as u64 * 1000;
                (from + deadline + 1).saturating_sub(now).max(1)
            } else {
                after + 1000
            };
            c.requeue_after(delay, Controller::Deployment, key.clone());
        }
        return;
    }
    let timed_out = get_condition(&status, PROGRESSING).and_then(|c| c.reason.as_deref()) == Some(TIMED_OUT)
        && cur.as_ref().and_then(|c| c.reason.as_deref()) != Some(TIMED_OUT);
    d.status = Some(status);
    if c.by(Controller::Deployment).update(d).is_some() && timed_out {
        c.decide(Controller::Deployment, key, Why::DeadlineExceeded);
    }
}

/// `checkPausedConditions`.
fn check_paused_conditions(c: &mut Cluster, key: &ObjRef) {
    let Some(mut d) = c.get::<Deployment>(key).cloned() else { return };
    if !has_progress_deadline(&d) {
        return;
    }
    let paused = d.spec.as_ref().and_then(|s| s.paused) == Some(true);
    let status = d.status.get_or_insert_with(Default::default);
    let reason = get_condition(status, PROGRESSING).and_then(|c| c.reason.clone());
    if reason.as_deref() == Some(TIMED_OUT) {
        return;
    }
    let now = time_at(c.now());
    let paused_cond = reason.as_deref() == Some(PAUSED);
    if paused && !paused_cond {
        set_condition(status, new_condition(PROGRESSING, "Unknown", PAUSED, "Deployment is paused".into(), &now));
    } else if !paused && paused_cond {
        set_condition(status, new_condition(PROGRESSING, "Unknown", RESUMED, "Deployment is resumed".into(), &now));
    } else {
        return;
    }
    c.by(Controller::Deployment).update(d);
}
