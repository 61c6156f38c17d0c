//! What the Deployment controller decides to scale, as plans of [`Scale`] operations with the numbers behind each.
//! Pure functions over API objects, so the upstream test tables can check them directly; `sync.rs` applies them.
//!
//! - [`reconcile_new_replica_set`], [`reconcile_old_replica_sets`], [`cleanup_unhealthy_replicas`],
//!   [`scale_down_old_replica_sets_for_rolling_update`]: `pkg/controller/deployment/rolling.go`.
//! - [`scale`]: `(*DeploymentController).scale` in `pkg/controller/deployment/sync.go` (proportional scaling).

use super::util::{self, rs_available, rs_spec};
use crate::api::{self, Deployment, ReplicaSet};
use crate::cluster::why::{Budget, Scale as Why};

/// One ReplicaSet resize. `from == to` means only its replica annotations need an update (no event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub name: String,
    pub from: i32,
    pub to: i32,
    /// `"up"` or `"down"`, the word of the `ScalingReplicaSet` event.
    pub direction: &'static str,
    /// Why, with the numbers (the decision log shows it).
    pub why: Why,
}

fn name(rs: &ReplicaSet) -> String {
    api::name_of(&rs.metadata).to_string()
}

fn sum_spec(rss: &[&ReplicaSet]) -> i64 {
    rss.iter().map(|rs| i64::from(rs_spec(rs))).sum()
}

fn direction(from: i32, to: i32) -> &'static str {
    if to > from {
        "up"
    } else {
        "down"
    }
}

/// `reconcileNewReplicaSet`: scale the new ReplicaSet up as far as the surge allows (or down to `replicas`).
pub fn reconcile_new_replica_set(d: &Deployment, all: &[&ReplicaSet], new: &ReplicaSet) -> Option<Scale> {
    let want = util::replicas(d);
    let have = rs_spec(new);
    if have == want {
        return None;
    }
    if have > want {
        let why = Why::NewTooBig { have, want };
        return Some(Scale { name: name(new), from: have, to: want, direction: "down", why });
    }
    let target = util::new_rs_new_replicas(d, all, new).ok()?;
    if target == have {
        return None;
    }
    let counted = sum_spec(all);
    let surge = util::max_surge(d);
    let why =
        if util::is_rolling(d) { Why::NewGrows { counted, want, surge, have } } else { Why::RecreateAll { want } };
    Some(Scale { name: name(new), from: have, to: target, direction: direction(have, target), why })
}

/// `reconcileOldReplicaSets`: scale old ReplicaSets down within the availability budget, unhealthy replicas first.
/// `old_active` are the old ReplicaSets with replicas. The returned operations run in order; one ReplicaSet may
/// appear twice (unhealthy replicas first, then healthy ones), as upstream makes two updates.
pub fn reconcile_old_replica_sets(
    d: &Deployment,
    all: &[&ReplicaSet],
    old_active: &[&ReplicaSet],
    new: Option<&ReplicaSet>,
) -> Vec<Scale> {
    let old_pods = sum_spec(old_active);
    if old_pods == 0 {
        return Vec::new();
    }
    let all_pods = sum_spec(all);
    let min_available = i64::from(util::replicas(d)) - i64::from(util::max_unavailable(d));
    let new_unavailable = new.map_or(0, |n| i64::from(rs_spec(n)) - i64::from(rs_available(n)));
    let max_scaled_down = all_pods - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return Vec::new();
    }
    let mut working: Vec<ReplicaSet> = old_active.iter().map(|rs| (*rs).clone()).collect();
    let max_cleanup = max_scaled_down.min(i64::from(i32::MAX)) as i32;
    let mut ops = cleanup_unhealthy_replicas(&mut working, max_cleanup);
    for op in &mut ops {
        if let Why::Unhealthy { budget, .. } = &mut op.why {
            *budget = Some(Budget { all_pods, min_available, new_unavailable, may_go: max_scaled_down });
        }
    }
    // The availability budget is computed over every ReplicaSet, with the old ones as cleaned up.
    let uids: Vec<Option<&str>> = working.iter().map(|rs| rs.metadata.uid.as_deref()).collect();
    let mut all_updated: Vec<&ReplicaSet> =
        all.iter().copied().filter(|rs| !uids.contains(&rs.metadata.uid.as_deref())).collect();
    let snapshot = working.clone();
    all_updated.extend(snapshot.iter());
    ops.extend(scale_down_old_replica_sets_for_rolling_update(d, &all_updated, &mut working));
    ops
}

/// `cleanupUnhealthyReplicas`: remove up to `max_cleanup` unavailable replicas from the old ReplicaSets, oldest
/// first. Updates `olds` in place and returns the operations.
pub fn cleanup_unhealthy_replicas(olds: &mut [ReplicaSet], max_cleanup: i32) -> Vec<Scale> {
    crate::util::sort_by(olds, |a, b| util::creation_key(a).cmp(&util::creation_key(b)));
    let mut total = 0;
    let mut ops = Vec::new();
    for rs in olds.iter_mut() {
        if total >= max_cleanup {
            break;
        }
        let (spec, avail) = (rs_spec(rs), rs_available(rs));
        if spec == 0 || spec == avail {
            continue;
        }
        let n = (max_cleanup - total).min(spec - avail);
        let to = spec - n;
        ops.push(Scale {
            name: name(rs),
            from: spec,
            to,
            direction: "down",
            why: Why::Unhealthy { n, available: avail, spec, budget: None },
        });
        rs.spec.get_or_insert_with(Default::default).replicas = Some(to);
        total += n;
    }
    ops
}

/// `scaleDownOldReplicaSetsForRollingUpdate`: scale old ReplicaSets down, oldest first, by as many pods as are
/// available above `minAvailable`. Updates `olds` in place.
pub fn scale_down_old_replica_sets_for_rolling_update(
    d: &Deployment,
    all: &[&ReplicaSet],
    olds: &mut [ReplicaSet],
) -> Vec<Scale> {
    let min_available = i64::from(util::replicas(d)) - i64::from(util::max_unavailable(d));
    let available: i64 = all.iter().map(|rs| i64::from(rs_available(rs))).sum();
    if available <= min_available {
        return Vec::new();
    }
    let budget = available - min_available;
    crate::util::sort_by(olds, |a, b| util::creation_key(a).cmp(&util::creation_key(b)));
    let mut total = 0i64;
    let mut ops = Vec::new();
    for rs in olds.iter_mut() {
        if total >= budget {
            break;
        }
        let spec = rs_spec(rs);
        if spec == 0 {
            continue;
        }
        let n = i64::from(spec).min(budget - total) as i32;
        let to = spec - n;
        ops.push(Scale {
            name: name(rs),
            from: spec,
            to,
            direction: "down",
            why: Why::OldDown {
                available,
                min_available,
                replicas: util::replicas(d),
                max_unavailable: util::max_unavailable(d),
                may_go: budget - total,
            },
        });
        rs.spec.get_or_insert_with(Default::default).replicas = Some(to);
        total += i64::from(n);
    }
    ops
}

/// `(*DeploymentController).scale`: after the Deployment's `replicas` changed, resize its ReplicaSets — the only
/// active one gets everything; a saturated new one leaves the old ones at 0; otherwise every active ReplicaSet grows
/// or shrinks in proportion to its size, leftovers going to the first in order. Every scaled ReplicaSet also gets
/// the new `desired-replicas` / `max-replicas` annotations (operations with `from == to` carry only those).
pub fn scale(d: &Deployment, new: Option<&ReplicaSet>, olds: &[&ReplicaSet]) -> Vec<Scale> {
    let want = util::replicas(d);
    if let Some(target) = util::find_active_or_latest(new, olds) {
        let have = rs_spec(target);
        if have == want {
            return Vec::new();
        }
        return vec![Scale {
            name: name(target),
            from: have,
            to: want,
            direction: direction(have, want),
            why: Why::OnlyActive { want },
        }];
    }
    if util::is_saturated(d, new) {
        return olds
            .iter()
            .filter(|rs| rs_spec(rs) != 0)
            .map(|rs| Scale { name: name(rs), from: rs_spec(rs), to: 0, direction: "down", why: Why::Saturated })
            .collect();
    }
    if !util::is_rolling(d) {
        return Vec::new();
    }
    let mut active: Vec<&ReplicaSet> = olds.iter().copied().chain(new).filter(|rs| rs_spec(rs) > 0).collect();
    let current = sum_spec(&active);
    let allowed = if want > 0 { i64::from(want) + i64::from(util::max_surge(d)) } else { 0 };
    let to_add = (allowed - current).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    if to_add > 0 {
        // ReplicaSetsBySizeNewer: bigger first, newer first on ties.
        crate::util::sort_by(&mut active, |a, b| {
            rs_spec(b).cmp(&rs_spec(a)).then_with(|| util::creation_key(b).cmp(&util::creation_key(a)))
        });
    } else {
        // ReplicaSetsBySizeOlder: bigger first, older first on ties.
        crate::util::sort_by(&mut active, |a, b| {
            rs_spec(b).cmp(&rs_spec(a)).then_with(|| util::creation_key(a).cmp(&util::creation_key(b)))
        });
    }
    let mut added = 0i32;
    let mut sizes: Vec<i32> = Vec::with_capacity(active.len());
    for rs in &active {
        if to_add != 0 {
            let p = util::proportion(rs, d, to_add, added);
            sizes.push(rs_spec(rs).saturating_add(p));
            added = added.saturating_add(p);
        } else {
            sizes.push(rs_spec(rs));
        }
    }
    let word = if to_add > 0 { "up" } else { "down" };
    active
        .iter()
        .zip(sizes)
        .enumerate()
        .map(|(i, (rs, mut size))| {
            let mut leftover = 0;
            if i == 0 && to_add != 0 {
                leftover = to_add - added;
                size = size.saturating_add(leftover).max(0);
            }
            let why = Why::Proportional { current, allowed, want, surge: util::max_surge(d), to_add, leftover };
            Scale { name: name(rs), from: rs_spec(rs), to: size, direction: word, why }
        })
        .collect()
}

/// `cleanupDeployment`'s choice: of the old ReplicaSets not being deleted, the `len − revisionHistoryLimit` with the
/// lowest revisions are candidates, and of those only idle ones (no replicas wanted or running, status current)
/// are deleted; a busy candidate still uses up its slot. `None` or `i32::MAX` keeps everything.
pub fn cleanup_victims<'a>(olds: &[&'a ReplicaSet], limit: Option<i32>) -> Vec<&'a ReplicaSet> {
    let Some(limit) = limit.filter(|l| *l != i32::MAX) else { return Vec::new() };
    let mut cleanable: Vec<&ReplicaSet> =
        olds.iter().copied().filter(|rs| rs.metadata.deletion_timestamp.is_none()).collect();
    let diff = cleanable.len() as i64 - i64::from(limit.max(0));
    if diff <= 0 {
        return Vec::new();
    }
    crate::util::sort_by(&mut cleanable, |a, b| match (util::revision(a), util::revision(b)) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        _ => util::creation_key(a).cmp(&util::creation_key(b)),
    });
    cleanable
        .into_iter()
        .take(diff as usize)
        .filter(|rs| {
            rs_spec(rs) == 0
                && util::rs_actual(rs) == 0
                && rs.status.as_ref().and_then(|s| s.observed_generation) >= rs.metadata.generation
        })
        .collect()
}
