//! Pod predicates the controllers share (`pkg/api/v1/pod/util.go`, `pkg/controller/controller_utils.go`).

use crate::api::time::millis_of;
use crate::api::{Pod, PodCondition};
use crate::cluster::clock::Millis;

pub fn phase(p: &Pod) -> &str {
    p.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("Pending")
}

pub fn condition<'a>(p: &'a Pod, type_: &str) -> Option<&'a PodCondition> {
    p.status.as_ref()?.conditions.as_ref()?.iter().find(|c| c.type_ == type_)
}

/// `IsPodReady`: the Ready condition is True.
pub fn is_ready(p: &Pod) -> bool {
    condition(p, "Ready").is_some_and(|c| c.status == "True")
}

/// When the Ready condition last turned True (second precision, as the API stores it).
pub fn ready_since(p: &Pod) -> Option<Millis> {
    condition(p, "Ready").filter(|c| c.status == "True")?.last_transition_time.as_ref().map(millis_of)
}

/// `IsPodAvailable`: ready, and ready for strictly longer than `min_ready_seconds`.
pub fn is_available(p: &Pod, min_ready_seconds: i32, now: Millis) -> bool {
    if !is_ready(p) {
        return false;
    }
    if min_ready_seconds <= 0 {
        return true;
    }
    ready_since(p).is_some_and(|t| t + u64::from(min_ready_seconds.unsigned_abs()) * 1000 < now)
}

/// When a ready pod becomes available (`None` if it is not ready or already is).
pub fn available_at(p: &Pod, min_ready_seconds: i32, now: Millis) -> Option<Millis> {
    if min_ready_seconds <= 0 || !is_ready(p) || is_available(p, min_ready_seconds, now) {
        return None;
    }
    Some(ready_since(p)? + u64::from(min_ready_seconds.unsigned_abs()) * 1000 + 1)
}

pub fn is_terminal(p: &Pod) -> bool {
    matches!(phase(p), "Succeeded" | "Failed")
}

pub fn is_deleting(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_some()
}

/// `IsPodActive`: not terminal and not being deleted.
pub fn is_active(p: &Pod) -> bool {
    !is_terminal(p) && !is_deleting(p)
}

pub fn node_name(p: &Pod) -> &str {
    p.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("")
}

pub fn max_restarts(p: &Pod) -> i32 {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .into_iter()
        .flatten()
        .map(|c| c.restart_count)
        .max()
        .unwrap_or(0)
}
