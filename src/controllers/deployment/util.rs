//! The Deployment controller's arithmetic and bookkeeping, as pure functions over API objects.
//! Follows `pkg/controller/deployment/util/deployment_util.go` (Kubernetes 1.35); each function names its upstream
//! twin. The upstream test-table rows that check them live in `tests.rs` beside this file.

use crate::api::intstr::{scaled_value, IntStrError};
use crate::api::{self, Deployment, DeploymentCondition, IntOrString, PodTemplateSpec, ReplicaSet, Time};
use crate::cluster::clock::Millis;
use k8s_openapi::api::apps::v1::DeploymentStatus;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
pub const ROLLBACK_TO: &str = "deprecated.deployment.rollback.to";
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";
/// Upstream caps `revision-history` at 2000 characters.
pub const REVISION_HISTORY_LIMIT_CHARS: usize = 2000;

// Condition types, reasons and messages (§1.10), exactly as upstream spells them.
pub const AVAILABLE: &str = "Available";
pub const PROGRESSING: &str = "Progressing";
pub const REPLICA_FAILURE: &str = "ReplicaFailure";
pub const MINIMUM_REPLICAS_AVAILABLE: &str = "MinimumReplicasAvailable";
pub const MINIMUM_REPLICAS_UNAVAILABLE: &str = "MinimumReplicasUnavailable";
pub const NEW_RS_CREATED: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS: &str = "FoundNewReplicaSet";
pub const RS_UPDATED: &str = "ReplicaSetUpdated";
pub const NEW_RS_AVAILABLE: &str = "NewReplicaSetAvailable";
pub const TIMED_OUT: &str = "ProgressDeadlineExceeded";
pub const PAUSED: &str = "DeploymentPaused";
pub const RESUMED: &str = "DeploymentResumed";

pub fn replicas(d: &Deployment) -> i32 {
    d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

pub fn rs_spec(rs: &ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

pub fn rs_actual(rs: &ReplicaSet) -> i32 {
    rs.status.as_ref().map_or(0, |s| s.replicas)
}

pub fn rs_available(rs: &ReplicaSet) -> i32 {
    rs.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0)
}

pub fn rs_ready(rs: &ReplicaSet) -> i32 {
    rs.status.as_ref().and_then(|s| s.ready_replicas).unwrap_or(0)
}

pub fn is_rolling(d: &Deployment) -> bool {
    strategy_type(d) == "RollingUpdate"
}

pub fn strategy_type(d: &Deployment) -> &str {
    d.spec.as_ref().and_then(|s| s.strategy.as_ref()).and_then(|s| s.type_.as_deref()).unwrap_or("RollingUpdate")
}

fn rolling_params(d: &Deployment) -> (Option<&IntOrString>, Option<&IntOrString>) {
    let ru = d.spec.as_ref().and_then(|s| s.strategy.as_ref()).and_then(|s| s.rolling_update.as_ref());
    (ru.and_then(|r| r.max_surge.as_ref()), ru.and_then(|r| r.max_unavailable.as_ref()))
}

/// `ResolveFenceposts`: surge rounds up, unavailable rounds down, and both 0 makes unavailable 1.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), IntStrError> {
    let zero = IntOrString::Int(0);
    let surge = scaled_value(max_surge.unwrap_or(&zero), desired, true)?;
    let unavailable = scaled_value(max_unavailable.unwrap_or(&zero), desired, false)?;
    if surge == 0 && unavailable == 0 {
        return Ok((0, 1));
    }
    Ok((surge, unavailable))
}

/// `MaxSurge`: 0 for Recreate. Invalid values (validation rejects them) count as 0.
pub fn max_surge(d: &Deployment) -> i32 {
    if !is_rolling(d) {
        return 0;
    }
    let (s, u) = rolling_params(d);
    resolve_fenceposts(s, u, replicas(d)).map_or(0, |(s, _)| s)
}

/// `MaxUnavailable`: 0 for Recreate or zero replicas, and never more than the replicas.
pub fn max_unavailable(d: &Deployment) -> i32 {
    if !is_rolling(d) || replicas(d) == 0 {
        return 0;
    }
    let (s, u) = rolling_params(d);
    let (_, unavailable) = resolve_fenceposts(s, u, replicas(d)).unwrap_or((0, 0));
    unavailable.min(replicas(d))
}

/// `MinAvailable`.
pub fn min_available(d: &Deployment) -> i32 {
    if !is_rolling(d) {
        return 0;
    }
    replicas(d) - max_unavailable(d)
}

/// `NewRSNewReplicas`: how many replicas the new ReplicaSet may have now. `all` may or may not include `new`.
/// Sums in i64 so that absurd specs cannot overflow.
pub fn new_rs_new_replicas(d: &Deployment, all: &[&ReplicaSet], new: &ReplicaSet) -> Result<i32, IntStrError> {
    if !is_rolling(d) {
        return Ok(replicas(d));
    }
    let (surge_v, _) = rolling_params(d);
    let surge = scaled_value(surge_v.unwrap_or(&IntOrString::Int(0)), replicas(d), true)?;
    let current: i64 = all.iter().map(|rs| i64::from(rs_spec(rs))).sum();
    let max_total = i64::from(replicas(d)) + i64::from(surge);
    if current >= max_total {
        return Ok(rs_spec(new));
    }
    let up = (max_total - current).min(i64::from(replicas(d)) - i64::from(rs_spec(new)));
    Ok((i64::from(rs_spec(new)) + up).clamp(0, i64::from(i32::MAX)) as i32)
}

/// The template without the `pod-template-hash` label, for comparison.
fn without_hash(t: &PodTemplateSpec) -> PodTemplateSpec {
    let mut t = t.clone();
    if let Some(meta) = t.metadata.as_mut() {
        if let Some(labels) = meta.labels.as_mut() {
            labels.remove(POD_TEMPLATE_HASH);
            if labels.is_empty() {
                meta.labels = None;
            }
        }
        if *meta == api::ObjectMeta::default() {
            t.metadata = None;
        }
    }
    t
}

/// `EqualIgnoreHash`: templates equal once the `pod-template-hash` label is removed from both.
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    without_hash(a) == without_hash(b)
}

pub fn rs_template(rs: &ReplicaSet) -> Option<&PodTemplateSpec> {
    rs.spec.as_ref()?.template.as_ref()
}

pub fn template(d: &Deployment) -> Option<&PodTemplateSpec> {
    d.spec.as_ref().map(|s| &s.template)
}

/// The sort key of `ReplicaSetsByCreationTimestamp`: creation time, then name.
pub fn creation_key(rs: &ReplicaSet) -> (Option<k8s_openapi::jiff::Timestamp>, &str) {
    (rs.metadata.creation_timestamp.as_ref().map(|t| t.0), api::name_of(&rs.metadata))
}

/// Sorts oldest first (`ReplicaSetsByCreationTimestamp`).
pub fn by_creation(rss: &mut [&ReplicaSet]) {
    crate::util::sort_by(rss, |a, b| creation_key(a).cmp(&creation_key(b)));
}

/// `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the Deployment's.
pub fn find_new_rs<'a>(d: &Deployment, rss: &[&'a ReplicaSet]) -> Option<&'a ReplicaSet> {
    let want = template(d)?;
    let mut sorted = rss.to_vec();
    by_creation(&mut sorted);
    sorted.into_iter().find(|rs| rs_template(rs).is_some_and(|t| equal_ignore_hash(t, want)))
}

/// `FindOldReplicaSets`: (every old ReplicaSet, the old ones that still have replicas).
pub fn find_old_rss<'a>(
    rss: &[&'a ReplicaSet],
    new: Option<&ReplicaSet>,
) -> (Vec<&'a ReplicaSet>, Vec<&'a ReplicaSet>) {
    let new_uid = new.and_then(|n| n.metadata.uid.as_deref());
    let all: Vec<&ReplicaSet> =
        rss.iter().copied().filter(|rs| new_uid.is_none() || rs.metadata.uid.as_deref() != new_uid).collect();
    let required = all.iter().copied().filter(|rs| rs_spec(rs) != 0).collect();
    (all, required)
}

pub fn revision(rs: &ReplicaSet) -> Option<i64> {
    api::annotation(&rs.metadata, REVISION)?.parse().ok()
}

/// `MaxRevision`: the highest revision among `rss` (0 if none).
pub fn max_revision(rss: &[&ReplicaSet]) -> i64 {
    rss.iter().filter_map(|rs| revision(rs)).max().unwrap_or(0)
}

/// `LastRevision`: the second-highest revision (the one `rollout undo` goes back to).
pub fn last_revision(rss: &[&ReplicaSet]) -> i64 {
    let (mut max, mut second) = (0, 0);
    for r in rss.iter().filter_map(|rs| revision(rs)) {
        if r >= max {
            second = max;
            max = r;
        } else if r > second {
            second = r;
        }
    }
    second
}

/// Annotations the Deployment never copies onto its ReplicaSets (`skipCopyAnnotation`).
pub fn skip_copy_annotation(key: &str) -> bool {
    matches!(key, LAST_APPLIED | REVISION | REVISION_HISTORY | DESIRED_REPLICAS | MAX_REPLICAS | ROLLBACK_TO)
}

/// `SetNewReplicaSetAnnotations`: copy the Deployment's annotations, raise the revision (recording the previous
/// one in `revision-history`, capped at `history_limit_chars`), and on creation set the replica annotations.
/// Returns whether anything changed.
pub fn set_new_rs_annotations(
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: i64,
    exists: bool,
    history_limit_chars: usize,
) -> bool {
    let mut changed = copy_deployment_annotations(d, rs);
    let old = api::annotation(&rs.metadata, REVISION).map(str::to_string);
    let old_num = old.as_deref().and_then(|s| s.parse::<i64>().ok());
    if old.is_none() || old_num.is_some_and(|o| o < new_revision) {
        api::set_annotation(&mut rs.metadata, REVISION, new_revision.to_string());
        changed = true;
        if let Some(previous) = old.filter(|s| !s.is_empty()) {
            let mut history: Vec<String> = api::annotation(&rs.metadata, REVISION_HISTORY)
                .filter(|h| !h.is_empty())
                .map(|h| h.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            history.push(previous);
            while history.len() > 1 && history.join(",").len() > history_limit_chars {
                history.remove(0);
            }
            api::set_annotation(&mut rs.metadata, REVISION_HISTORY, history.join(","));
        }
    }
    if !exists {
        let desired = replicas(d);
        changed |= set_replicas_annotations(rs, desired, desired.saturating_add(max_surge(d)));
    }
    changed
}

fn copy_deployment_annotations(d: &Deployment, rs: &mut ReplicaSet) -> bool {
    let mut changed = false;
    for (k, v) in d.metadata.annotations.iter().flatten() {
        if skip_copy_annotation(k) || api::annotation(&rs.metadata, k) == Some(v.as_str()) {
            continue;
        }
        api::set_annotation(&mut rs.metadata, k, v.clone());
        changed = true;
    }
    changed
}

/// `SetReplicasAnnotations`; returns whether anything changed.
pub fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let mut changed = false;
    for (key, value) in [(DESIRED_REPLICAS, desired), (MAX_REPLICAS, max)] {
        if api::annotation(&rs.metadata, key) != Some(value.to_string().as_str()) {
            api::set_annotation(&mut rs.metadata, key, value.to_string());
            changed = true;
        }
    }
    changed
}

/// `ReplicasAnnotationsNeedUpdate`.
pub fn replicas_annotations_need_update(rs: &ReplicaSet, desired: i32, max: i32) -> bool {
    api::annotation(&rs.metadata, DESIRED_REPLICAS) != Some(desired.to_string().as_str())
        || api::annotation(&rs.metadata, MAX_REPLICAS) != Some(max.to_string().as_str())
}

fn int_annotation(rs: &ReplicaSet, key: &str) -> Option<i32> {
    api::annotation(&rs.metadata, key)?.parse::<i32>().ok().filter(|v| *v >= 0)
}

/// `GetDesiredReplicasAnnotation`.
pub fn desired_replicas_annotation(rs: &ReplicaSet) -> Option<i32> {
    int_annotation(rs, DESIRED_REPLICAS)
}

/// `IsSaturated`: the new ReplicaSet has all replicas, is annotated with them, and all are available.
pub fn is_saturated(d: &Deployment, rs: Option<&ReplicaSet>) -> bool {
    let Some(rs) = rs else { return false };
    let want = replicas(d);
    rs_spec(rs) == want && desired_replicas_annotation(rs) == Some(want) && rs_available(rs) == want
}

/// `FindActiveOrLatest`: the single ReplicaSet with replicas, or (none active) the new one or the newest old one;
/// `None` when two or more are active.
pub fn find_active_or_latest<'a>(new: Option<&'a ReplicaSet>, olds: &[&'a ReplicaSet]) -> Option<&'a ReplicaSet> {
    if new.is_none() && olds.is_empty() {
        return None;
    }
    let mut sorted = olds.to_vec();
    by_creation(&mut sorted);
    sorted.reverse(); // newest first
    let mut all: Vec<&ReplicaSet> = new.into_iter().collect();
    all.extend(sorted.iter().copied());
    let active: Vec<&ReplicaSet> = all.iter().copied().filter(|rs| rs_spec(rs) > 0).collect();
    match active.len() {
        0 => new.or_else(|| sorted.first().copied()),
        1 => Some(active[0]),
        _ => None,
    }
}

/// `getReplicaSetFraction`: how many replicas `rs` gains (or loses) when the Deployment's size changes.
pub fn replica_set_fraction(rs: &ReplicaSet, d: &Deployment) -> i32 {
    if replicas(d) == 0 {
        return -rs_spec(rs);
    }
    let new_max = i64::from(replicas(d)) + i64::from(max_surge(d));
    let old_max = match int_annotation(rs, MAX_REPLICAS).filter(|m| *m != 0) {
        Some(m) => i64::from(m),
        None => {
            let status_replicas = d.status.as_ref().and_then(|s| s.replicas).unwrap_or(0);
            if status_replicas == 0 {
                return 0;
            }
            i64::from(status_replicas)
        }
    };
    let scaled = (rs_spec(rs) as f64 * new_max as f64 / old_max as f64).round();
    (scaled as i64 - i64::from(rs_spec(rs))).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// `GetProportion`.
pub fn proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if rs_spec(rs) == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, d);
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

// ---- conditions ----

pub fn get_condition<'a>(status: &'a DeploymentStatus, type_: &str) -> Option<&'a DeploymentCondition> {
    status.conditions.as_ref()?.iter().find(|c| c.type_ == type_)
}

pub fn new_condition(type_: &str, status: &str, reason: &str, message: String, now: &Time) -> DeploymentCondition {
    DeploymentCondition {
        type_: type_.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message),
        last_update_time: Some(now.clone()),
        last_transition_time: Some(now.clone()),
    }
}

/// `SetDeploymentCondition`: no change if one of the same type, status and reason exists; keep the transition time
/// if only the reason changes; the condition moves to the end of the list.
pub fn set_condition(status: &mut DeploymentStatus, mut cond: DeploymentCondition) {
    if let Some(cur) = get_condition(status, &cond.type_) {
        if cur.status == cond.status && cur.reason == cond.reason {
            return;
        }
        if cur.status == cond.status {
            cond.last_transition_time = cur.last_transition_time.clone();
        }
    }
    remove_condition(status, &cond.type_.clone());
    status.conditions.get_or_insert_with(Vec::new).push(cond);
}

pub fn remove_condition(status: &mut DeploymentStatus, type_: &str) {
    if let Some(c) = status.conditions.as_mut() {
        c.retain(|c| c.type_ != type_);
    }
}

fn deadline_seconds(d: &Deployment) -> Option<i32> {
    d.spec.as_ref()?.progress_deadline_seconds.filter(|s| *s != i32::MAX)
}

pub fn has_progress_deadline(d: &Deployment) -> bool {
    deadline_seconds(d).is_some()
}

/// `DeploymentComplete`.
pub fn deployment_complete(d: &Deployment, st: &DeploymentStatus) -> bool {
    let want = replicas(d);
    st.updated_replicas.unwrap_or(0) == want
        && st.replicas.unwrap_or(0) == want
        && st.available_replicas.unwrap_or(0) == want
        && st.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0)
}

/// `DeploymentProgressing`: any improvement between the stored status and `new`.
pub fn deployment_progressing(d: &Deployment, new: &DeploymentStatus) -> bool {
    let default = DeploymentStatus::default();
    let old = d.status.as_ref().unwrap_or(&default);
    let n = |v: Option<i32>| v.unwrap_or(0);
    let old_old = n(old.replicas) - n(old.updated_replicas);
    let new_old = n(new.replicas) - n(new.updated_replicas);
    n(new.updated_replicas) > n(old.updated_replicas)
        || new_old < old_old
        || n(new.ready_replicas) > n(old.ready_replicas)
        || n(new.available_replicas) > n(old.available_replicas)
}

/// `DeploymentTimedOut`: strictly more than the deadline since the Progressing condition's last update.
pub fn deployment_timed_out(d: &Deployment, st: &DeploymentStatus, now: Millis) -> bool {
    let Some(deadline) = deadline_seconds(d) else { return false };
    let Some(cond) = get_condition(st, PROGRESSING) else { return false };
    match cond.reason.as_deref() {
        Some(NEW_RS_AVAILABLE) => false,
        Some(TIMED_OUT) => true,
        _ => {
            let Some(from) = cond.last_update_time.as_ref() else { return false };
            let expires = api::time::millis_of(from).saturating_add(u64::from(deadline.unsigned_abs()) * 1000);
            expires < now
        }
    }
}

/// `requeueStuckDeployment`: how long until the progress deadline of a Deployment that made no progress expires,
/// judged on the Progressing condition of its *stored* status. `None` (upstream: -1) when no check is needed;
/// `Some(0)` when less than a second remains (upstream re-queues at once, rate-limited). The controller re-queues
/// after the returned time plus one second, as upstream does to avoid clock skew.
pub fn requeue_stuck_after(d: &Deployment, new: &DeploymentStatus, now: Millis) -> Option<Millis> {
    let deadline = deadline_seconds(d)?;
    let cond = get_condition(d.status.as_ref()?, PROGRESSING)?;
    if deployment_complete(d, new) || cond.reason.as_deref() == Some(TIMED_OUT) {
        return None;
    }
    let from = api::time::millis_of(cond.last_update_time.as_ref()?);
    let expires = from.saturating_add(u64::from(deadline.unsigned_abs()) * 1000);
    let after = expires.saturating_sub(now);
    if expires <= now || after < 1000 {
        return Some(0);
    }
    Some(after)
}

// ---- pod-template-hash ----

/// The 27-character alphabet of apimachinery's `rand.SafeEncodeString`.
const SAFE_ALPHABET: &[u8] = crate::cluster::rng::NAME_ALPHABET;

/// `ComputeHash`: FNV-1a (32 bit) of a canonical serialization of the defaulted template, plus the collision count,
/// written as a decimal string and safe-encoded. kubeplay serializes the template as JSON with its keys sorted
/// (through `serde_json::Value`, the one serializer the page carries for API objects; upstream hashes Go's `%#v`
/// dump, which cannot be reproduced outside Go), so values differ from a real cluster's but have the same shape: 1 to
/// 10 characters from `4-9bcdf`, equal templates give equal hashes.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut h: u32 = 0x811c_9dc5;
    let mut write = |bytes: &[u8]| {
        for b in bytes {
            h ^= u32::from(*b);
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    write(serde_json::to_value(without_hash(template)).unwrap_or_default().to_string().as_bytes());
    if let Some(c) = collision_count {
        let mut bytes = (c as u32).to_le_bytes().to_vec();
        bytes.extend([0, 0, 0, 0]);
        write(&bytes);
    }
    safe_encode(&h.to_string())
}

/// `rand.SafeEncodeString`.
pub fn safe_encode(s: &str) -> String {
    s.bytes().map(|b| SAFE_ALPHABET[usize::from(b) % SAFE_ALPHABET.len()] as char).collect()
}
