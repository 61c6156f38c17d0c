//! What the stage draws, read from the simulation at the playhead: each Deployment with its rollout budget, its
//! ReplicaSets as lanes of pod tiles, the pods by node, the Services with their endpoints, the events and the
//! decision log. Plain data, computed natively and tested here; the Yew components only lay it out.

use crate::api::{self, Deployment, Node, Pod, ReplicaSet, Service};
use crate::cluster::clock::Millis;
use crate::controllers::deployment::util;
use crate::controllers::pods;
use crate::net::{Cause, Failure, HopKind, Outcome};
use crate::sim::Sim;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The namespace the stage shows (the learner's; `kube-system` stays out of the picture).
pub const NAMESPACE: &str = "default";

/// How a pod tile is drawn. Every state has its own shape or pattern, so colour (the revision) is never the only cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodState {
    /// Not yet scheduled to a node.
    Pending,
    /// Scheduled; its image is being pulled or its containers created.
    ContainerCreating,
    /// Running, not yet passing its readiness probe.
    RunningNotReady,
    Ready,
    /// Being deleted: its grace period is running.
    Terminating,
    /// `ErrImagePull` or `ImagePullBackOff`.
    ImagePull,
    CrashLoopBackOff,
    /// Succeeded, failed, or a state the stage has no picture for (the tile shows kubectl's STATUS text).
    Other,
}

impl PodState {
    /// The stable name used in `data-state` and CSS classes.
    pub fn id(self) -> &'static str {
        match self {
            PodState::Pending => "pending",
            PodState::ContainerCreating => "creating",
            PodState::RunningNotReady => "running",
            PodState::Ready => "ready",
            PodState::Terminating => "terminating",
            PodState::ImagePull => "image-pull",
            PodState::CrashLoopBackOff => "crash-loop",
            PodState::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodTile {
    pub name: String,
    pub uid: String,
    /// The last part of the name (the random suffix), for the tile's label.
    pub short: String,
    /// The revision of the ReplicaSet that owns it.
    pub revision: Option<i64>,
    pub state: PodState,
    /// The pod's `status.phase` (Pending, Running, Succeeded, Failed).
    pub phase: String,
    /// kubectl's STATUS column, for the text alternative.
    pub status: String,
    pub ready: bool,
    pub node: Option<String>,
    pub ip: Option<String>,
}

/// A ReplicaSet lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub name: String,
    pub revision: Option<i64>,
    pub desired: i32,
    pub current: i32,
    pub ready: i32,
    /// The Deployment's new ReplicaSet (its template is the Deployment's).
    pub new: bool,
    pub images: Vec<String>,
    pub change_cause: Option<String>,
    /// Shared with the node view (and cheap for the UI to hand to each tile).
    pub pods: Vec<Rc<PodTile>>,
}

/// The rolling update's budget (`rolling.go` `reconcileNewReplicaSet` / `reconcileOldReplicaSets`): the pods the
/// controller counts against `replicas + maxSurge`, and the available pods against `replicas − maxUnavailable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub replicas: i32,
    /// As written in the spec (`25%`, `1`).
    pub max_surge_spec: String,
    pub max_unavailable_spec: String,
    /// After `ResolveFenceposts` (surge rounds up, unavailable down; both 0 makes unavailable 1).
    pub max_surge: i32,
    pub max_unavailable: i32,
    /// The sum of the ReplicaSets' `spec.replicas` (`GetReplicaCountForReplicaSets`).
    pub counted: i32,
    pub available: i32,
}

impl Budget {
    pub fn max_total(&self) -> i32 {
        self.replicas + self.max_surge
    }

    pub fn min_available(&self) -> i32 {
        self.replicas - self.max_unavailable
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentCard {
    pub name: String,
    pub replicas: i32,
    pub ready: i32,
    pub up_to_date: i32,
    pub available: i32,
    pub revision: Option<i64>,
    pub strategy: String,
    /// `None` for Recreate.
    pub budget: Option<Budget>,
    /// The Progressing condition's reason (`NewReplicaSetAvailable`, `ReplicaSetUpdated`, `ProgressDeadlineExceeded`).
    pub progress: Option<String>,
    pub paused: bool,
    /// Newest revision first.
    pub lanes: Vec<Lane>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCard {
    pub name: String,
    pub type_: String,
    pub cluster_ip: String,
    /// `port/TCP`, or `port:nodePort/TCP`, as `kubectl get service` prints PORT(S).
    pub ports: Vec<String>,
    /// LoadBalancer: the ingress addresses; empty while pending.
    pub external: Vec<String>,
    /// The endpoints: (pod name, or the address of an endpoint that is not a pod; how kube-proxy treats it).
    pub endpoints: Vec<(String, Route)>,
}

/// How kube-proxy treats an endpoint, from its EndpointSlice conditions (`pkg/proxy` `CategorizeEndpoints`): ready
/// endpoints get the traffic; serving-and-terminating ones only while a Service has no ready endpoint; the others
/// none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Route {
    Ready,
    /// Terminating, still serving: a fallback while no endpoint is ready.
    Terminating,
    NotReady,
}

impl Route {
    pub fn id(self) -> &'static str {
        match self {
            Route::Ready => "ready",
            Route::Terminating => "terminating",
            Route::NotReady => "not-ready",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeCard {
    pub name: String,
    pub control_plane: bool,
    pub ready: bool,
    pub pods: Vec<Rc<PodTile>>,
}

/// One row of the events table (`kubectl get events` columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub at: Millis,
    pub type_: String,
    pub reason: String,
    /// `kind/name`, as kubectl prints OBJECT.
    pub object: String,
    pub message: String,
}

/// One line of the decision log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub at: Millis,
    pub controller: String,
    pub object: String,
    /// What was decided and why; `Display` words it in English, `i18n::decision` in either language.
    pub why: crate::cluster::why::Why,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stage {
    pub deployments: Vec<DeploymentCard>,
    /// Pods of the namespace no Deployment owns (bare pods, `kubectl run`).
    pub loose: Vec<Rc<PodTile>>,
    pub services: Vec<ServiceCard>,
    pub nodes: Vec<NodeCard>,
}

/// The stage at the playhead. It depends only on the store's contents (not on the clock), so a caller may keep it
/// while the store's resource version stays the same.
pub fn stage(sim: &Sim) -> Stage {
    let store = sim.cluster().store();
    let now = sim.now();
    let rs_revision: BTreeMap<String, Option<i64>> = store
        .list::<ReplicaSet>(Some(NAMESPACE))
        .map(|rs| (rs.metadata.uid.clone().unwrap_or_default(), util::revision(rs)))
        .collect();
    let pods: Vec<(Rc<PodTile>, Option<String>)> = store
        .list::<Pod>(Some(NAMESPACE))
        .map(|p| {
            let owner = api::controller_of(&p.metadata).filter(|o| o.kind == "ReplicaSet").map(|o| o.uid.clone());
            let revision = owner.as_ref().and_then(|uid| rs_revision.get(uid).copied().flatten());
            (Rc::new(tile(p, revision, now)), owner)
        })
        .collect();

    let mut owned_by_deployment = std::collections::BTreeSet::new();
    let mut deployments = Vec::new();
    for d in store.list::<Deployment>(Some(NAMESPACE)) {
        let uid = d.metadata.uid.clone().unwrap_or_default();
        let mut rss: Vec<&ReplicaSet> = store
            .list::<ReplicaSet>(Some(NAMESPACE))
            .filter(|rs| api::controller_of(&rs.metadata).is_some_and(|o| o.uid == uid))
            .collect();
        crate::util::sort_by_key(&mut rss, |rs| {
            std::cmp::Reverse((util::revision(rs).unwrap_or(0), util::creation_key(rs)))
        });
        let new_uid = util::find_new_rs(d, &rss).and_then(|rs| rs.metadata.uid.clone());
        let lanes: Vec<Lane> = rss
            .iter()
            .map(|rs| {
                let rs_uid = rs.metadata.uid.clone().unwrap_or_default();
                owned_by_deployment.insert(rs_uid.clone());
                let status = rs.status.clone().unwrap_or_default();
                Lane {
                    name: api::name_of(&rs.metadata).to_string(),
                    revision: util::revision(rs),
                    desired: util::rs_spec(rs),
                    current: status.replicas,
                    ready: status.ready_replicas.unwrap_or(0),
                    new: new_uid.as_deref() == Some(rs_uid.as_str()),
                    images: util::rs_template(rs).map(images).unwrap_or_default(),
                    change_cause: api::annotation(&rs.metadata, util::CHANGE_CAUSE).map(str::to_string),
                    pods: pods
                        .iter()
                        .filter(|(_, owner)| owner.as_deref() == Some(rs_uid.as_str()))
                        .map(|(t, _)| t.clone())
                        .collect(),
                }
            })
            .collect();
        let status = d.status.clone().unwrap_or_default();
        let budget = util::is_rolling(d).then(|| {
            let ru = d.spec.as_ref().and_then(|s| s.strategy.as_ref()).and_then(|s| s.rolling_update.as_ref());
            let spec = |v: Option<&api::IntOrString>| match v {
                Some(api::IntOrString::Int(i)) => i.to_string(),
                Some(api::IntOrString::String(s)) => s.clone(),
                None => "0".into(),
            };
            Budget {
                replicas: util::replicas(d),
                max_surge_spec: spec(ru.and_then(|r| r.max_surge.as_ref())),
                max_unavailable_spec: spec(ru.and_then(|r| r.max_unavailable.as_ref())),
                max_surge: util::max_surge(d),
                max_unavailable: util::max_unavailable(d),
                counted: rss.iter().map(|rs| util::rs_spec(rs)).sum(),
                available: status.available_replicas.unwrap_or(0),
            }
        });
        deployments.push(DeploymentCard {
            name: api::name_of(&d.metadata).to_string(),
            replicas: util::replicas(d),
            ready: status.ready_replicas.unwrap_or(0),
            up_to_date: status.updated_replicas.unwrap_or(0),
            available: status.available_replicas.unwrap_or(0),
            revision: api::annotation(&d.metadata, util::REVISION).and_then(|r| r.parse().ok()),
            strategy: util::strategy_type(d).to_string(),
            budget,
            progress: util::get_condition(&status, util::PROGRESSING).and_then(|c| c.reason.clone()),
            paused: d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false),
            lanes,
        });
    }

    let loose = pods
        .iter()
        .filter(|(_, owner)| owner.as_ref().is_none_or(|o| !owned_by_deployment.contains(o)))
        .map(|(t, _)| t.clone())
        .collect();

    let services = store.list::<Service>(Some(NAMESPACE)).map(|s| service_card(sim, s)).collect();

    let nodes = store
        .list::<Node>(None)
        .map(|n| {
            let name = api::name_of(&n.metadata).to_string();
            NodeCard {
                control_plane: api::label(&n.metadata, "node-role.kubernetes.io/control-plane").is_some(),
                ready: n
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .into_iter()
                    .flatten()
                    .any(|c| c.type_ == "Ready" && c.status == "True"),
                pods: pods
                    .iter()
                    .filter(|(t, _)| t.node.as_deref() == Some(name.as_str()))
                    .map(|(t, _)| t.clone())
                    .collect(),
                name,
            }
        })
        .collect();

    Stage { deployments, loose, services, nodes }
}

fn images(t: &api::PodTemplateSpec) -> Vec<String> {
    t.spec.iter().flat_map(|s| s.containers.iter()).filter_map(|c| c.image.clone()).collect()
}

fn tile(p: &Pod, revision: Option<i64>, now: Millis) -> PodTile {
    let name = api::name_of(&p.metadata).to_string();
    let columns = api::pod_columns::pod_columns(p, now);
    let ready = pods::is_ready(p);
    let status = p.status.as_ref();
    let state = if p.metadata.deletion_timestamp.is_some() {
        PodState::Terminating
    } else {
        match columns.status.as_str() {
            "ErrImagePull" | "ImagePullBackOff" | "InvalidImageName" | "ErrImageNeverPull" => PodState::ImagePull,
            "CrashLoopBackOff" => PodState::CrashLoopBackOff,
            "ContainerCreating" | "PodInitializing" => PodState::ContainerCreating,
            s if s.starts_with("Init:") => PodState::ContainerCreating,
            "Pending" if p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some() => PodState::ContainerCreating,
            "Pending" => PodState::Pending,
            "Running" if ready => PodState::Ready,
            "Running" => PodState::RunningNotReady,
            _ => PodState::Other,
        }
    };
    PodTile {
        short: name.rsplit('-').next().unwrap_or(&name).to_string(),
        uid: p.metadata.uid.clone().unwrap_or_default(),
        revision,
        state,
        phase: status.and_then(|s| s.phase.clone()).unwrap_or_else(|| "Pending".into()),
        status: columns.status,
        ready,
        node: p.spec.as_ref().and_then(|s| s.node_name.clone()),
        ip: status.and_then(|s| s.pod_ip.clone()),
        name,
    }
}

fn service_card(sim: &Sim, s: &Service) -> ServiceCard {
    let spec = s.spec.clone().unwrap_or_default();
    let ports = spec
        .ports
        .iter()
        .flatten()
        .map(|p| {
            let protocol = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port {
                Some(n) => format!("{}:{n}/{protocol}", p.port),
                None => format!("{}/{protocol}", p.port),
            }
        })
        .collect();
    let name = api::name_of(&s.metadata).to_string();
    let mut endpoints: Vec<(String, Route)> = sim
        .cluster()
        .store()
        .list::<api::EndpointSlice>(Some(NAMESPACE))
        .filter(|es| api::label(&es.metadata, "kubernetes.io/service-name") == Some(name.as_str()))
        .flat_map(|es| es.endpoints.iter())
        .filter_map(|e| {
            // A pod by name; anything else (the API server behind `kubernetes`) by its address.
            let pod = e.target_ref.as_ref().filter(|t| t.kind.as_deref() == Some("Pod")).and_then(|t| t.name.clone());
            let who = pod.or_else(|| e.addresses.first().cloned())?;
            let c = e.conditions.clone().unwrap_or_default();
            // Unset conditions mean ready (the EndpointSlice API's rule); serving defaults to ready.
            let ready = c.ready.unwrap_or(true);
            let route = if ready {
                Route::Ready
            } else if c.terminating == Some(true) && c.serving.unwrap_or(false) {
                Route::Terminating
            } else {
                Route::NotReady
            };
            Some((who, route))
        })
        .collect();
    crate::util::sort(&mut endpoints);
    endpoints.dedup();
    ServiceCard {
        type_: spec.type_.clone().unwrap_or_else(|| "ClusterIP".into()),
        cluster_ip: spec.cluster_ip.clone().unwrap_or_default(),
        ports,
        external: api::load_balancer_ingress(s),
        endpoints,
        name,
    }
}

/// The events of the namespace up to the playhead, oldest first (the newest `limit`).
pub fn events(sim: &Sim, limit: usize) -> Vec<EventRow> {
    let log = &sim.cluster().events().log;
    log.iter()
        .filter(|o| o.object.namespace == NAMESPACE)
        .rev()
        .take(limit)
        .map(|o| EventRow {
            at: o.at,
            type_: o.type_.as_str().to_string(),
            reason: o.reason.to_string(),
            object: format!("{}/{}", o.object.kind.singular(), o.object.name),
            message: o.message.clone(),
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// The decision log up to the playhead, oldest first (the newest `limit`).
pub fn decisions(sim: &Sim, limit: usize) -> Vec<DecisionRow> {
    let log = sim.cluster().decisions();
    log.since(log.len().saturating_sub(limit))
        .map(|d| DecisionRow {
            at: d.at,
            controller: d.controller.to_string(),
            object: format!("{}/{}", d.object.kind.singular(), d.object.name),
            why: d.why.clone(),
        })
        .collect()
}

/// A virtual instant as the timeline's clock shows it: `45.0s`, `1m12.5s`.
pub fn clock(ms: Millis) -> String {
    let (minutes, rest) = (ms / 60_000, ms % 60_000);
    let seconds = format!("{}.{}s", rest / 1000, (rest % 1000) / 100);
    if minutes > 0 {
        format!("{minutes}m{seconds:0>5}")
    } else {
        seconds
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_clock_shows_minutes_seconds_and_tenths() {
        assert_eq!(super::clock(0), "0.0s");
        assert_eq!(super::clock(45_050), "45.0s");
        assert_eq!(super::clock(72_500), "1m12.5s");
        assert_eq!(super::clock(61_000), "1m01.0s");
        assert_eq!(super::clock(3_600_000), "60m00.0s");
    }
}

/// What the stage draws of the traffic: the newest requests as dots where they ended (the pod that answered or
/// refused, the Service that had no endpoint, or the client when the request never left it), and how many each
/// pod answered recently. It depends on the clock, unlike [`Stage`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Traffic {
    /// The requests of the last [`DOT_WINDOW_MS`], newest last, at most [`MAX_DOTS`].
    pub dots: Vec<Dot>,
    /// Answers (any HTTP status) per pod name over the last [`HITS_WINDOW_MS`].
    pub hits: BTreeMap<String, u32>,
}

/// One request on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dot {
    pub id: u64,
    /// Where it ended.
    pub stop: Stop,
    /// The Service it went through (`name`, in the stage's namespace), if any.
    pub service: Option<String>,
    pub revision: Option<i64>,
    /// What the client saw when it failed (`None`: a server answered), and why.
    pub failed: Option<Failure>,
    pub cause: Option<Cause>,
}

/// Where a request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    Pod(String),
    Service(String),
    /// At the client or on its way (a node, a load balancer): it reached no Service.
    Client,
}

/// Requests younger than this are drawn as dots.
pub const DOT_WINDOW_MS: Millis = 1_000;
/// The most dots drawn at once (at 1,000 requests a second, the newest).
pub const MAX_DOTS: usize = 48;
/// A tile counts the answers of this long.
pub const HITS_WINDOW_MS: Millis = 5_000;

/// The traffic at the playhead.
pub fn traffic(sim: &Sim) -> Traffic {
    let now = sim.now();
    let mut out = Traffic::default();
    let prefix = format!("{NAMESPACE}/");
    for r in sim.net.records.iter().rev() {
        let age = now.saturating_sub(r.at);
        if age > HITS_WINDOW_MS {
            break;
        }
        if let (Outcome::Status(_), Some(pod)) = (r.outcome, &r.pod) {
            *out.hits.entry(pod.clone()).or_default() += 1;
        }
        if age >= DOT_WINDOW_MS || out.dots.len() >= MAX_DOTS {
            continue;
        }
        let service = r
            .hops
            .iter()
            .find(|h| h.kind == HopKind::Service)
            .and_then(|h| h.name.strip_prefix(&prefix))
            .map(str::to_string);
        let pod =
            r.pod.clone().or_else(|| r.hops.iter().rev().find(|h| h.kind == HopKind::Pod).map(|h| h.name.clone()));
        let stop = match (&pod, &service) {
            (Some(p), _) if !p.is_empty() => Stop::Pod(p.clone()),
            (_, Some(s)) => Stop::Service(s.clone()),
            _ => Stop::Client,
        };
        let failed = match r.outcome {
            Outcome::Failed(f) => Some(f),
            Outcome::Status(_) => None,
        };
        out.dots.push(Dot { id: r.id, stop, service, revision: r.revision, failed, cause: r.cause });
    }
    out.dots.reverse();
    out
}
