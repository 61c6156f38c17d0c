//! Why a controller wrote what it wrote: the decision log's entries as data, with the numbers behind each.
//!
//! The controllers record a [`Why`]; its `Display` is the English sentence (the CLI, the tests and the English UI
//! show it), and `i18n::decision` words the same value in Korean. Object names, numbers and the API server's own
//! messages stay as they are in both languages.

use crate::api::time::{go_duration, Millis};
use crate::cluster::store::ObjRef;
use std::fmt;

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    // The Deployment controller.
    /// `ClaimReplicaSets`: a ReplicaSet whose labels stopped matching lost its owner reference.
    ReleasedReplicaSet {
        rs: String,
    },
    /// `ClaimReplicaSets`: an ownerless ReplicaSet whose labels match was adopted.
    AdoptedReplicaSet {
        rs: String,
    },
    /// `getNewReplicaSet`: an old ReplicaSet matches the template again and takes the next revision.
    RevisionReused {
        rs: String,
        revision: i64,
        before: Option<i64>,
    },
    /// `getNewReplicaSet` under RollingUpdate: the new ReplicaSet and its first size.
    CreatedRolling {
        rs: String,
        revision: i64,
        size: i32,
        counted: i64,
        replicas: i32,
        surge: i32,
    },
    /// `getNewReplicaSet` under Recreate: the new ReplicaSet takes every replica.
    CreatedRecreate {
        rs: String,
        revision: i64,
        size: i32,
    },
    /// `getNewReplicaSet`: the computed name is taken by another template.
    HashCollision {
        rs: String,
        count: i32,
    },
    /// A ReplicaSet resized, and why.
    Scaled {
        rs: String,
        from: i32,
        to: i32,
        why: Scale,
    },
    /// `rolloutRecreate`: old pods must be gone before new ones start.
    RecreateWaiting {
        pods: usize,
    },
    /// `cleanupDeployment`: an idle old ReplicaSet beyond `revisionHistoryLimit`.
    DeletedOldReplicaSet {
        rs: String,
        revision: i64,
        limit: i32,
    },
    /// `syncRolloutStatus`: the progress deadline passed.
    DeadlineExceeded,

    // The ReplicaSet controller.
    /// `claimPods`: a pod whose labels stopped matching lost its owner reference.
    ReleasedPod {
        pod: String,
    },
    /// `claimPods`: an ownerless pod whose labels match was adopted.
    AdoptedPod {
        pod: String,
    },
    /// `manageReplicas`: too few pods.
    CreatingPods {
        n: usize,
        active: usize,
        want: usize,
        burst: bool,
    },
    /// `manageReplicas`: too many pods, and the ones chosen by `getPodsToDelete`'s ranking.
    DeletingPods {
        n: usize,
        active: usize,
        want: usize,
        victims: Vec<String>,
    },

    // The scheduler.
    /// No node fits; `message` is the scheduler's own (the `FailedScheduling` event's).
    Unschedulable {
        pod: String,
        message: String,
    },
    /// The node chosen, among `feasible` nodes of which `fewest_nodes` carry the fewest pods (`fewest`).
    Bound {
        node: String,
        feasible: usize,
        fewest_nodes: usize,
        fewest: usize,
    },

    // The kubelet.
    /// The pod's sandbox is up.
    Admitted {
        node: String,
        ip: String,
    },
    /// Graceful termination: each container's stop, and when the pod is gone.
    Terminating {
        grace: Millis,
        containers: Vec<Stop>,
        gone_in: Millis,
    },
    /// Every container stopped; the kubelet removes the pod object.
    PodRemoved,
    /// An image pull failed; the next attempt waits `next`.
    PullFailed {
        image: String,
        next: Millis,
    },
    /// A container exited and waits its CrashLoopBackOff.
    CrashBackOff {
        container: String,
        backoff: Millis,
    },
    /// A liveness probe failed `failures` times in a row.
    LivenessRestart {
        container: String,
        failures: i32,
    },

    // Services.
    EndpointSliceCreated {
        endpoints: usize,
    },
    EndpointSliceUpdated {
        endpoints: usize,
    },
    EndpointsCreated,
    EndpointsUpdated,
    /// The simulated cloud started provisioning a load balancer.
    LoadBalancerProvisioning {
        delay: Millis,
    },
    LoadBalancerReady {
        ip: String,
    },

    // Everyone.
    /// The garbage collector deleted an object whose owner is gone.
    OwnerGone {
        object: ObjRef,
    },
    /// The API server refused a controller's write; `reason` and `message` are the API server's.
    Refused {
        verb: &'static str,
        object: ObjRef,
        reason: String,
        message: String,
    },
    /// The controllers kept writing within one instant; the simulator stopped them.
    NotSettled,
}

/// How one container of a terminating pod stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub container: String,
    pub pre_stop: Millis,
    pub exit: Millis,
    /// preStop + exit outlast the grace period: the container is killed at its end.
    pub killed: bool,
}

/// Why the Deployment controller resized a ReplicaSet (`plan.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scale {
    /// `reconcileNewReplicaSet`: the new ReplicaSet is larger than `replicas`.
    NewTooBig { have: i32, want: i32 },
    /// `reconcileNewReplicaSet` under RollingUpdate: it may grow by min(free surge, missing replicas).
    NewGrows { counted: i64, want: i32, surge: i32, have: i32 },
    /// `reconcileNewReplicaSet` under Recreate.
    RecreateAll { want: i32 },
    /// `rolloutRecreate`: the old ReplicaSets go to 0 first.
    RecreateOldFirst,
    /// `cleanupUnhealthyReplicas`, within `reconcileOldReplicaSets`' budget.
    Unhealthy { n: i32, available: i32, spec: i32, budget: Option<Budget> },
    /// `scaleDownOldReplicaSetsForRollingUpdate`.
    OldDown { available: i64, min_available: i64, replicas: i32, max_unavailable: i32, may_go: i64 },
    /// `scale`: the only active ReplicaSet.
    OnlyActive { want: i32 },
    /// `scale`: the new ReplicaSet is saturated.
    Saturated,
    /// `scale`: proportional scaling; `leftover` went to the first ReplicaSet.
    Proportional { current: i64, allowed: i64, want: i32, surge: i32, to_add: i32, leftover: i32 },
}

/// `reconcileOldReplicaSets`' budget: `all_pods − min_available − new_unavailable = may_go`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub all_pods: i64,
    pub min_available: i64,
    pub new_unavailable: i64,
    pub may_go: i64,
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::ReleasedReplicaSet { rs } => {
                write!(f, "released ReplicaSet {rs}: its labels no longer match the selector")
            }
            Why::AdoptedReplicaSet { rs } => write!(f, "adopted orphan ReplicaSet {rs}: its labels match the selector"),
            Why::RevisionReused { rs, revision, before } => {
                write!(
                    f,
                    "ReplicaSet {rs} matches the template again: its revision becomes {revision} (1 + the highest \
                     old revision {})",
                    revision - 1
                )?;
                match before {
                    Some(b) => write!(f, ", {b} goes to revision-history"),
                    None => Ok(()),
                }
            }
            Why::CreatedRolling { rs, revision, size, counted, replicas, surge } => write!(
                f,
                "template changed: created ReplicaSet {rs} (revision {revision}) with {size}: {counted} old pods \
                 counted, up to {} allowed (replicas {replicas} + maxSurge {surge})",
                i64::from(*replicas) + i64::from(*surge)
            ),
            Why::CreatedRecreate { rs, revision, size } => {
                write!(f, "created ReplicaSet {rs} (revision {revision}) with all {size} replicas")
            }
            Why::HashCollision { rs, count } => write!(
                f,
                "hash collision: ReplicaSet {rs} exists with another template; collisionCount becomes {count} and \
                 the name will change"
            ),
            Why::Scaled { rs, from, to, why } => write!(f, "scaled {rs} {from}→{to}: {why}"),
            Why::RecreateWaiting { pods } => {
                write!(f, "Recreate: waiting for {pods} old pod(s) to finish terminating before creating new ones")
            }
            Why::DeletedOldReplicaSet { rs, revision, limit } => write!(
                f,
                "deleted old ReplicaSet {rs} (revision {revision}): more than revisionHistoryLimit {limit} old \
                 ReplicaSets"
            ),
            Why::DeadlineExceeded => f.write_str(
                "no progress within progressDeadlineSeconds: Progressing=False (ProgressDeadlineExceeded); nothing \
                 is rolled back automatically",
            ),
            Why::ReleasedPod { pod } => write!(f, "released pod {pod}: its labels no longer match the selector"),
            Why::AdoptedPod { pod } => write!(f, "adopted orphan pod {pod}: its labels match the selector"),
            Why::CreatingPods { n, active, want, burst } => write!(
                f,
                "creating {n} pod(s): {active} active < {want} desired{}",
                if *burst { " (burst limit 500 per sync)" } else { "" }
            ),
            Why::DeletingPods { n, active, want, victims } => write!(
                f,
                "deleting {n} pod(s): {active} active > {want} desired; chosen by rank: {}",
                victims.join(", ")
            ),
            Why::Unschedulable { pod, message } => write!(f, "cannot place {pod}: {message}"),
            Why::Bound { node, feasible, fewest_nodes, fewest } => write!(
                f,
                "bound to {node}: {feasible} feasible node(s), {fewest_nodes} with the fewest pods ({fewest})"
            ),
            Why::Admitted { node, ip } => write!(f, "{node} admitted the pod: sandbox with IP {ip}"),
            Why::Terminating { grace, containers, gone_in } => {
                write!(f, "terminating (grace {}): ", go_duration(*grace))?;
                if containers.is_empty() {
                    f.write_str("no running containers")?;
                }
                for (i, s) in containers.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(
                        f,
                        "{}: preStop {} + SIGTERM exit {}",
                        s.container,
                        go_duration(s.pre_stop),
                        go_duration(s.exit)
                    )?;
                    if s.killed {
                        f.write_str(", killed at the grace period")?;
                    }
                }
                write!(f, "; gone at +{}", go_duration(*gone_in))
            }
            Why::PodRemoved => f.write_str("all containers stopped: the pod object is removed"),
            Why::PullFailed { image, next } => {
                write!(f, "pull of {image} failed; next attempt in {}", go_duration(*next))
            }
            Why::CrashBackOff { container, backoff } => {
                write!(f, "container {container} exited; restart after back-off {}", go_duration(*backoff))
            }
            Why::LivenessRestart { container, failures } => {
                write!(f, "container {container} failed its liveness probe {failures} times: restarting it")
            }
            Why::EndpointSliceCreated { endpoints } => write!(f, "created: {endpoints} endpoints"),
            Why::EndpointSliceUpdated { endpoints } => write!(f, "updated: {endpoints} endpoints"),
            Why::EndpointsCreated => f.write_str("created the endpoints"),
            Why::EndpointsUpdated => f.write_str("updated the endpoints"),
            Why::LoadBalancerProvisioning { delay } => {
                write!(f, "provisioning a load balancer (ready in {delay} ms)")
            }
            Why::LoadBalancerReady { ip } => write!(f, "load balancer ready at {ip}"),
            Why::OwnerGone { object } => write!(f, "deleted {object}: its owner is gone (background cascade)"),
            Why::Refused { verb, object, reason, message } => write!(f, "{verb} {object} refused: {reason}: {message}"),
            Why::NotSettled => f.write_str("the controllers did not settle; stopping this instant"),
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scale::NewTooBig { have, want } => {
                write!(f, "new ReplicaSet has {have} replicas, more than the Deployment's {want}")
            }
            Scale::NewGrows { counted, want, surge, have } => {
                let allowed = i64::from(*want) + i64::from(*surge);
                write!(
                    f,
                    "{counted} pods counted < {allowed} allowed (replicas {want} + maxSurge {surge}); new ReplicaSet \
                     may grow by min({} free, {} missing)",
                    allowed - counted,
                    want - have
                )
            }
            Scale::RecreateAll { want } => write!(f, "Recreate: the new ReplicaSet gets all {want} replicas at once"),
            Scale::RecreateOldFirst => f.write_str("Recreate: every old pod goes before any new pod is created"),
            Scale::Unhealthy { n, available, spec, budget } => {
                write!(f, "removing {n} unavailable old pods first ({available} of {spec} available)")?;
                match budget {
                    Some(b) => write!(
                        f,
                        "; budget: {} pods − {} minAvailable − {} unavailable in the new ReplicaSet = {} may go",
                        b.all_pods, b.min_available, b.new_unavailable, b.may_go
                    ),
                    None => Ok(()),
                }
            }
            Scale::OldDown { available, min_available, replicas, max_unavailable, may_go } => write!(
                f,
                "{available} pods available > {min_available} minAvailable (replicas {replicas} − maxUnavailable \
                 {max_unavailable}): {may_go} old pods may go"
            ),
            Scale::OnlyActive { want } => {
                write!(f, "the only active ReplicaSet takes the Deployment's {want} replicas")
            }
            Scale::Saturated => f.write_str("the new ReplicaSet is saturated: old ReplicaSets go to 0"),
            Scale::Proportional { current, allowed, want, surge, to_add, leftover } => {
                write!(
                    f,
                    "proportional scaling: {current} replicas → {allowed} allowed (replicas {want} + maxSurge \
                     {surge}), {to_add:+} split by size"
                )?;
                if *leftover != 0 {
                    write!(f, "; leftover {leftover:+} to the first")?;
                }
                Ok(())
            }
        }
    }
}
