//! The kubelets of every node, as one controller (`pkg/kubelet`: pod workers, image manager, prober, status
//! manager), in virtual time. Per pod it runs each container through
//! `ContainerCreating` (pull once per node, then cached) → `Running` → ready (readiness probe semantics of §4.3) and,
//! on failures, `ErrImagePull` ⇄ `ImagePullBackOff` and `Error`/`Completed` → `CrashLoopBackOff` with the
//! kubelet's back-off (10 s doubling to 300 s, reset after 10 minutes of running). A pod being deleted runs its
//! `preStop` hook, gets SIGTERM, and is removed when its processes exit or its grace period ends. Pod status
//! (phase, conditions, container statuses) is recomputed from this state after every change.
//!
//! The parts, each a set of step handlers that change a container's run and return the events and decisions to
//! record (so each is unit-tested without a cluster): `pull` (image manager), `probes` (prober), `restart`
//! (start, exit, crash back-off) and `status` (the pod status computed from the runs).
//!
//! Event wording follows `pkg/kubelet/images/image_manager.go`, `kuberuntime_container.go` and
//! `prober/prober.go` of Kubernetes 1.35.

mod probes;
mod pull;
mod restart;
mod status;

use super::container_log;
use super::pods;
use crate::api::{self, Pod};
use crate::cluster::clock::Millis;
use crate::cluster::events::Source;
use crate::cluster::events::{EventReason, EventType};
use crate::cluster::images::{self, Http, Image, Process, Pull};
use crate::cluster::settings::{parse_duration, POD_TIMING_ANNOTATIONS};
use crate::cluster::store::ObjRef;
use crate::cluster::why::{Stop, Why};
use crate::cluster::{Cluster, Controller, Timer};
use k8s_openapi::api::core::v1::Container;
use std::collections::BTreeMap;

const BACKOFF_INITIAL: Millis = 10_000;
const BACKOFF_MAX: Millis = 300_000;
/// A container that ran this long resets its crash back-off.
const BACKOFF_RESET: Millis = 600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Pull,
    PullDone,
    PullBackOffNotice,
    Start,
    Probe,
    Exit(i32),
    CrashBackOffNotice,
    Restart,
}

/// What a container step knows besides the container's run: no cluster, so each part's handler is tested alone.
#[derive(Debug, Clone, Copy)]
struct Env<'a> {
    now: Millis,
    node: &'a str,
    image_ref: &'a str,
    pod_ip: &'a str,
    /// The pod's name, namespace and uid, for `name_namespace(uid)` in messages.
    pod: (&'a str, &'a str, &'a str),
    restart_policy: &'a str,
    timings: Timings,
    /// How long after a failure the back-off is announced (the `*BackOff` waiting reason).
    backoff_notice_ms: Millis,
}

/// The pod's timings: its annotations, else the cluster's settings; `None` means the image's own.
#[derive(Debug, Clone, Copy)]
struct Timings {
    pull: Option<Millis>,
    start: Millis,
    warmup: Option<Millis>,
    stop: Option<Millis>,
}

/// What a step asks the kubelet to record, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Effect {
    /// An event about the pod, from this container.
    Event(EventType, EventReason, String),
    /// A decision-log entry about the pod.
    Decide(Why),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Terminated {
    exit_code: i32,
    reason: &'static str,
    started: Millis,
    finished: Millis,
    container_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Waiting { reason: &'static str, message: Option<String> },
    Running { started: Millis },
    Terminated(Terminated),
}

#[derive(Debug, Clone)]
struct ContainerRun {
    spec: Container,
    state: State,
    image: Option<Image>,
    image_id: Option<String>,
    container_id: Option<String>,
    restarts: i32,
    last: Option<Terminated>,
    pull_backoff: Millis,
    crash_backoff: Millis,
    due: Option<(Millis, Step)>,
    ready: bool,
    ready_successes: i32,
    ready_failures: i32,
    live_failures: i32,
    next_readiness: Option<Millis>,
    next_liveness: Option<Millis>,
    pull_started: Millis,
    /// How long the pull itself took (without waiting for the node's puller).
    pull_took: Millis,
    /// What this instance of the container wrote (`kubectl logs`), and what the previous one did (`--previous`).
    log: Vec<(Millis, String)>,
    previous_log: Option<Vec<(Millis, String)>>,
    /// When the stop signal reaches the process (after the preStop hook); from then on it accepts no connection.
    stop_signal_at: Option<Millis>,
}

impl Env<'_> {
    /// `name_namespace(uid)`, as the kubelet names a pod in its messages (`format.Pod`).
    fn pod_id(&self) -> String {
        let (name, namespace, uid) = self.pod;
        format!("{name}_{namespace}({uid})")
    }
}

impl ContainerRun {
    /// A container just admitted: `ContainerCreating`, its pull due at `now`.
    fn new(spec: Container, now: Millis) -> ContainerRun {
        ContainerRun {
            spec,
            state: State::Waiting { reason: "ContainerCreating", message: None },
            image: None,
            image_id: None,
            container_id: None,
            restarts: 0,
            last: None,
            pull_backoff: 0,
            crash_backoff: 0,
            due: Some((now, Step::Pull)),
            ready: false,
            ready_successes: 0,
            ready_failures: 0,
            live_failures: 0,
            next_readiness: None,
            next_liveness: None,
            pull_started: now,
            pull_took: 0,
            log: Vec::new(),
            previous_log: None,
            stop_signal_at: None,
        }
    }
}

#[derive(Debug, Clone)]
struct PodRun {
    key: ObjRef,
    node: String,
    ip: String,
    host_ip: String,
    started: Millis,
    token: u64,
    containers: Vec<ContainerRun>,
    /// Set once the pod is being deleted: when it will be gone.
    removal_at: Option<Millis>,
    timings: PodTimings,
}

#[derive(Debug, Clone, Copy, Default)]
struct PodTimings {
    pull: Option<Millis>,
    start: Option<Millis>,
    warmup: Option<Millis>,
    stop: Option<Millis>,
}

impl PodTimings {
    /// The pod's annotations, else the cluster's settings.
    fn resolve(&self, cluster: &crate::cluster::Timings) -> Timings {
        Timings {
            pull: self.pull.or(cluster.pull_ms),
            start: self.start.unwrap_or(cluster.start_ms),
            warmup: self.warmup.or(cluster.warmup_ms),
            stop: self.stop.or(cluster.stop_ms),
        }
    }
}

/// What answers a connection to a pod IP and port (see [`Kubelet::listener`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listener {
    /// No pod holds the address (it is gone, or never was).
    NoHost,
    /// The pod exists but nothing accepts connections on the port.
    Refused,
    Open(Answerer),
}

/// The container that accepted a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answerer {
    pub uid: String,
    pub pod: ObjRef,
    pub node: String,
    pub container: String,
    pub http: Http,
    /// The container's image reference as the pod spec names it.
    pub image: String,
}

/// Every node's kubelet.
#[derive(Debug, Clone, Default)]
pub struct Kubelet {
    runs: BTreeMap<String, PodRun>,
    /// Pod key → uid of its run, to forget a removed pod without a scan.
    by_key: BTreeMap<ObjRef, String>,
    /// Every node's images and image puller.
    images: pull::Images,
    /// Pod IP → uid of the run holding it.
    used_ips: BTreeMap<String, String>,
    next_host: BTreeMap<String, u32>,
}

fn container_source(run: &PodRun, c: &ContainerRun) -> Source {
    Source::kubelet(&run.node, Some(c.spec.name.as_str()))
}

/// The effective process of a container: the image's, or what its command runs.
fn exit_after(image: &Image, spec: &Container) -> Option<(Millis, i32)> {
    let words: Vec<&str> =
        spec.command.iter().flatten().chain(spec.args.iter().flatten()).flat_map(|s| s.split_whitespace()).collect();
    if words.is_empty() {
        return match image.process {
            Process::Serve => None,
            Process::Shell if spec.stdin == Some(true) && spec.tty == Some(true) => None,
            Process::Shell => Some((50, 0)),
        };
    }
    let joined = words.join(" ");
    if words.first() == Some(&"false") || joined.contains("exit 1") {
        return Some((50, 1));
    }
    let loops = joined.contains("while") || joined.contains("tail -f") || joined.contains("infinity");
    if !loops {
        if let Some(i) = words.iter().position(|w| *w == "sleep") {
            if let Some(secs) = words.get(i + 1).and_then(|s| s.trim_end_matches(';').parse::<f64>().ok()) {
                return Some(((secs.clamp(0.0, 1e7) * 1000.0) as Millis, 0));
            }
        }
        if matches!(image.process, Process::Shell)
            && !words.iter().any(|w| w.contains("httpd") || w.contains("nc"))
            && words.iter().any(|w| matches!(*w, "echo" | "true" | "date" | "env"))
        {
            return Some((50, 0));
        }
    }
    None
}

/// Ports a running container accepts connections on: the image's, or (generic images) the declared ones.
fn serving_ports(image: &Image, spec: &Container) -> Vec<i32> {
    if image.http == Http::Generic {
        spec.ports.iter().flatten().map(|p| p.container_port).collect()
    } else {
        image.ports.iter().map(|p| i32::from(*p)).collect()
    }
}

fn secs(v: Option<i32>, default: i32) -> Millis {
    u64::from(v.unwrap_or(default).max(0).unsigned_abs()) * 1000
}

/// The preStop hook's duration: `sleep N` in an exec hook, or the `sleep` action.
fn pre_stop_ms(spec: &Container) -> Millis {
    let Some(hook) = spec.lifecycle.as_ref().and_then(|l| l.pre_stop.as_ref()) else { return 0 };
    if let Some(s) = &hook.sleep {
        return u64::try_from(s.seconds).unwrap_or(0).saturating_mul(1000);
    }
    let words: Vec<String> = hook
        .exec
        .as_ref()
        .and_then(|e| e.command.clone())
        .unwrap_or_default()
        .iter()
        .flat_map(|s| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    words
        .iter()
        .position(|w| w == "sleep")
        .and_then(|i| words.get(i + 1))
        .and_then(|s| s.trim_end_matches(';').parse::<f64>().ok())
        .map_or(0, |s| (s.clamp(0.0, 1e7) * 1000.0) as Millis)
}

impl PodRun {
    /// A copy without the containers (they are copied one at a time where needed).
    fn clone_head(&self) -> PodRun {
        PodRun {
            key: self.key.clone(),
            node: self.node.clone(),
            ip: self.ip.clone(),
            host_ip: self.host_ip.clone(),
            started: self.started,
            token: self.token,
            containers: Vec::new(),
            removal_at: self.removal_at,
            timings: self.timings,
        }
    }
}

impl Kubelet {
    /// The kubelet reacts to a pod change (bound to a node, being deleted, removed).
    pub fn sync(&mut self, c: &mut Cluster, key: &ObjRef) {
        let pod = c.shared::<Pod>(key);
        let Some(pod) = pod else {
            // Removed from the API: forget it.
            if let Some(uid) = self.by_key.remove(key) {
                if let Some(run) = self.runs.remove(&uid) {
                    self.used_ips.remove(&run.ip);
                }
            }
            return;
        };
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let node = pods::node_name(&pod).to_string();
        if node.is_empty() {
            return;
        }
        // The kubelet acts on two changes only: a pod bound to its node, and a pod whose deletion began. Other
        // updates (its own status writes, owner references) need nothing from it.
        let run = self.runs.get(&uid);
        let new_pod = run.is_none();
        let deletion_began = pods::is_deleting(&pod) && run.is_some_and(|r| r.removal_at.is_none());
        if new_pod {
            if pods::is_deleting(&pod) {
                c.by(Controller::Kubelet).remove::<Pod>(key);
                return;
            }
            self.admit(c, &pod, &uid, &node);
        }
        if pods::is_deleting(&pod) {
            self.begin_termination(c, &uid);
        }
        if new_pod || deletion_began {
            self.after_change(c, &uid);
        }
    }

    /// A timer for a pod fired.
    pub fn on_timer(&mut self, c: &mut Cluster, uid: &str, token: u64) {
        let Some(run) = self.runs.get(uid) else { return };
        if run.token != token {
            return;
        }
        let now = c.now();
        if run.removal_at.is_some_and(|t| t <= now) {
            let key = run.key.clone();
            if let Some(run) = self.runs.remove(uid) {
                self.used_ips.remove(&run.ip);
                self.by_key.remove(&run.key);
            }
            if c.get::<Pod>(&key).is_some_and(|p| p.metadata.uid.as_deref() == Some(uid)) {
                c.decide(Controller::Kubelet, &key, Why::PodRemoved);
                c.by(Controller::Kubelet).remove::<Pod>(&key);
            }
            return;
        }
        for i in 0..run.containers.len() {
            loop {
                let due = self.runs.get(uid).and_then(|r| r.containers.get(i)).and_then(|ct| ct.due);
                match due {
                    Some((at, step)) if at <= now => {
                        if let Some(ct) = self.runs.get_mut(uid).and_then(|r| r.containers.get_mut(i)) {
                            ct.due = None;
                        }
                        self.step(c, uid, i, step);
                    }
                    _ => break,
                }
            }
        }
        self.after_change(c, uid);
    }

    fn admit(&mut self, c: &mut Cluster, pod: &Pod, uid: &str, node: &str) {
        let node_obj = c.store().get::<crate::api::Node>("", node).cloned();
        let host_ip = node_obj
            .as_ref()
            .and_then(|n| {
                n.status
                    .as_ref()?
                    .addresses
                    .as_ref()?
                    .iter()
                    .find(|a| a.type_ == "InternalIP")
                    .map(|a| a.address.clone())
            })
            .unwrap_or_default();
        let subnet = node_obj
            .as_ref()
            .and_then(|n| n.spec.as_ref()?.pod_cidr.clone())
            .and_then(|cidr| cidr.strip_suffix(".0/24").map(str::to_string))
            .unwrap_or_else(|| "10.244.0".into());
        let ip = self.allocate_ip(node, &subnet, uid);
        let annotation = |i: usize| api::annotation(&pod.metadata, POD_TIMING_ANNOTATIONS[i]).and_then(parse_duration);
        let timings =
            PodTimings { pull: annotation(0), start: annotation(1), warmup: annotation(2), stop: annotation(3) };
        let now = c.now();
        let containers = pod
            .spec
            .as_ref()
            .map(|s| s.containers.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|spec| ContainerRun::new(spec, now))
            .collect();
        let key = ObjRef::of(pod);
        c.decide(Controller::Kubelet, &key, Why::Admitted { node: node.to_string(), ip: ip.clone() });
        self.by_key.insert(key.clone(), uid.to_string());
        self.runs.insert(
            uid.to_string(),
            PodRun {
                key,
                node: node.to_string(),
                ip,
                host_ip,
                started: now,
                token: 0,
                containers,
                removal_at: None,
                timings,
            },
        );
    }

    fn allocate_ip(&mut self, node: &str, subnet: &str, uid: &str) -> String {
        let next = self.next_host.entry(node.to_string()).or_insert(2);
        for _ in 0..253 {
            let host = *next;
            *next = if *next >= 254 { 2 } else { *next + 1 };
            let ip = format!("{subnet}.{host}");
            if !self.used_ips.contains_key(&ip) {
                self.used_ips.insert(ip.clone(), uid.to_string());
                return ip;
            }
        }
        format!("{subnet}.255")
    }

    /// Runs one step of a container: the part's handler changes the container's run and says what to record,
    /// and this applies it to the cluster (events about the pod, decisions), then stores the run.
    fn step(&mut self, c: &mut Cluster, uid: &str, i: usize, step: Step) {
        let now = c.now();
        let Some(full) = self.runs.get(uid) else { return };
        if full.removal_at.is_some() {
            return;
        }
        let Some(mut ct) = full.containers.get(i).cloned() else { return };
        // Everything a step needs of the pod's run, without its containers.
        let run = PodRun { containers: Vec::new(), ..full.clone_head() };
        let Some(shared_pod) = c.shared::<Pod>(&run.key) else { return };
        let pod: &Pod = &shared_pod;
        let image_ref = ct.spec.image.clone().unwrap_or_default();
        let settings = &c.settings().timings;
        let env = Env {
            now,
            node: &run.node,
            image_ref: &image_ref,
            pod_ip: &run.ip,
            pod: (&run.key.name, &run.key.namespace, uid),
            restart_policy: pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()).unwrap_or("Always"),
            timings: run.timings.resolve(settings),
            backoff_notice_ms: settings.backoff_notice_ms,
        };
        let effects = match step {
            Step::Pull => pull::pull(&mut ct, &env, &mut self.images),
            Step::PullDone => pull::done(&mut ct, &env, &mut self.images),
            Step::PullBackOffNotice => pull::back_off(&mut ct, &env),
            Step::Start => {
                let id =
                    format!("containerd://{}", c.random_uuid().replace('-', "") + &c.random_uuid().replace('-', ""));
                restart::start(&mut ct, &env, id)
            }
            Step::Probe => probes::probe(&mut ct, &env),
            Step::Exit(code) => restart::exit(&mut ct, &env, code),
            Step::CrashBackOffNotice => restart::back_off(&mut ct, &env),
            Step::Restart => restart::restart(&mut ct, &env),
        };
        let src = container_source(&run, &ct);
        for effect in effects {
            match effect {
                Effect::Event(type_, reason, message) => c.event(pod, type_, reason, message, src.clone()),
                Effect::Decide(message) => c.decide(Controller::Kubelet, &run.key, message),
            }
        }
        self.store_container(uid, i, ct);
    }

    /// A container's log: the running (or last) instance's, or with `previous` the one before; `None` when the pod
    /// has no such container or no previous instance.
    pub fn log(&self, uid: &str, container: &str, previous: bool) -> Option<&[(Millis, String)]> {
        let ct = self.runs.get(uid)?.containers.iter().find(|c| c.spec.name == container)?;
        if previous {
            ct.previous_log.as_deref()
        } else {
            Some(&ct.log)
        }
    }

    /// Appends a line to a container's log (the data path writes request logs here).
    pub fn append_log(&mut self, uid: &str, container: &str, at: Millis, line: String) {
        let Some(run) = self.runs.get_mut(uid) else { return };
        if let Some(ct) = run.containers.iter_mut().find(|c| c.spec.name == container) {
            container_log::append(&mut ct.log, at, vec![line]);
        }
    }

    /// Starts every admitted pod's containers at once, their images already on the node: the cluster's own pods
    /// (CoreDNS) were running before the simulation begins. Used once, by [`crate::sim::Sim::new`].
    pub fn boot(&mut self, c: &mut Cluster) {
        let uids: Vec<String> = self.runs.keys().cloned().collect();
        for uid in uids {
            let Some(run) = self.runs.get_mut(&uid) else { continue };
            let node = run.node.clone();
            for ct in &mut run.containers {
                let reference = ct.spec.image.clone().unwrap_or_default();
                if let Pull::Ok(image) = images::resolve(&reference) {
                    ct.image = Some(image);
                    self.images.cached.insert((node.clone(), reference));
                }
            }
            let n = run.containers.len();
            for i in 0..n {
                self.step(c, &uid, i, Step::Start);
            }
            // The first readiness probe has passed too.
            if let Some(run) = self.runs.get_mut(&uid) {
                for ct in &mut run.containers {
                    ct.ready = true;
                    ct.ready_successes = 1;
                }
            }
            self.after_change(c, &uid);
        }
    }

    /// Who answers a TCP connection to `ip:port` now: no pod has the address, the pod refuses (nothing listens on
    /// the port, the application is still warming up, or its process got the stop signal and closed its listening
    /// sockets, as nginx, httpd and Apache do on SIGTERM/SIGQUIT), or a container accepts it.
    pub fn listener(&self, c: &Cluster, ip: &str, port: i32) -> Listener {
        let Some(run) = self.used_ips.get(ip).and_then(|uid| self.runs.get(uid).map(|r| (uid, r))) else {
            return Listener::NoHost;
        };
        let (uid, run) = run;
        let now = c.now();
        for ct in &run.containers {
            let (State::Running { started }, Some(image)) = (&ct.state, ct.image.as_ref()) else { continue };
            if !serving_ports(image, &ct.spec).contains(&port) {
                continue;
            }
            let warmup = run.timings.resolve(&c.settings().timings).warmup.unwrap_or(image.warmup_ms);
            let up = now >= started.saturating_add(warmup);
            let stopped = ct.stop_signal_at.is_some_and(|t| now >= t);
            if up && !stopped {
                return Listener::Open(Answerer {
                    uid: uid.clone(),
                    pod: run.key.clone(),
                    node: run.node.clone(),
                    container: ct.spec.name.clone(),
                    http: image.http,
                    image: ct.spec.image.clone().unwrap_or_default(),
                });
            }
        }
        Listener::Refused
    }

    /// The pod holding an IP.
    pub fn pod_of_ip(&self, ip: &str) -> Option<&ObjRef> {
        self.used_ips.get(ip).and_then(|uid| self.runs.get(uid)).map(|r| &r.key)
    }

    fn store_container(&mut self, uid: &str, i: usize, ct: ContainerRun) {
        if let Some(slot) = self.runs.get_mut(uid).and_then(|r| r.containers.get_mut(i)) {
            *slot = ct;
        }
    }

    fn begin_termination(&mut self, c: &mut Cluster, uid: &str) {
        let now = c.now();
        let Some(run) = self.runs.get(uid).cloned() else { return };
        if run.removal_at.is_some() {
            return;
        }
        let Some(shared_pod) = c.shared::<Pod>(&run.key) else { return };
        let pod: &Pod = &shared_pod;
        let grace = secs(pod.metadata.deletion_grace_period_seconds.and_then(|g| i32::try_from(g).ok()), 30);
        let mut latest = now;
        let mut parts = Vec::new();
        for ct in &run.containers {
            if let State::Running { .. } = ct.state {
                c.event(
                    pod,
                    EventType::Normal,
                    EventReason::Killing,
                    format!("Stopping container {}", ct.spec.name),
                    container_source(&run, ct),
                );
                let stop = ct
                    .image
                    .map(|im| run.timings.stop.or(c.settings().timings.stop_ms).unwrap_or(im.stop_ms))
                    .unwrap_or(0);
                let pre = pre_stop_ms(&ct.spec);
                let end = now + (pre + stop).min(grace);
                parts.push(Stop {
                    container: ct.spec.name.clone(),
                    pre_stop: pre,
                    exit: stop,
                    killed: pre + stop > grace,
                });
                latest = latest.max(end);
            }
        }
        c.decide(Controller::Kubelet, &run.key, Why::Terminating { grace, containers: parts, gone_in: latest - now });
        if let Some(r) = self.runs.get_mut(uid) {
            r.removal_at = Some(latest);
            for ct in &mut r.containers {
                ct.due = None;
                // The stop signal arrives after the preStop hook.
                if let (State::Running { .. }, Some(im)) = (&ct.state, ct.image) {
                    let at = (now + pre_stop_ms(&ct.spec)).min(latest);
                    ct.stop_signal_at = Some(at);
                    let lines = container_log::on_stop(&im, &ct.spec, at);
                    container_log::append(&mut ct.log, at, lines);
                }
            }
        }
    }

    /// Writes the pod's status and (re)arms its timer for the earliest next step.
    fn after_change(&mut self, c: &mut Cluster, uid: &str) {
        let now = c.now();
        let Some(run) = self.runs.get_mut(uid) else { return };
        run.token += 1;
        let next = run.removal_at.or_else(|| run.containers.iter().filter_map(|ct| ct.due.map(|d| d.0)).min());
        if let Some(at) = next {
            c.schedule_at(at.max(now), Timer::Pod { uid: uid.to_string(), token: run.token });
        }
        if run.removal_at.is_some() {
            return;
        }
        let Some(pod) = c.get::<Pod>(&run.key) else { return };
        let status = status::pod_status(run, pod.status.as_ref(), now);
        if pod.status.as_ref() != Some(&status) {
            let mut pod = pod.clone();
            pod.status = Some(status);
            c.by(Controller::Kubelet).update(pod);
        }
    }
}

fn next_container_due(ct: &ContainerRun, image: &Image) -> Option<(Millis, Step)> {
    let State::Running { started } = ct.state else { return None };
    let exit = exit_after(image, &ct.spec).map(|(after, code)| (started + after, Step::Exit(code)));
    let probe = [ct.next_readiness, ct.next_liveness].into_iter().flatten().min().map(|at| (at, Step::Probe));
    match (exit, probe) {
        (Some(e), Some(p)) => Some(if p.0 < e.0 { p } else { e }),
        (e, p) => e.or(p),
    }
}

pub use crate::api::time::go_duration;

#[cfg(test)]
mod tests {
    use super::*;

    /// A container of `image` as admitted, before its first step.
    pub(super) fn container(image: &str) -> ContainerRun {
        ContainerRun::new(Container { name: "c".into(), image: Some(image.into()), ..Default::default() }, 0)
    }

    /// The step environment of a pod at 10.244.1.2 on `kubeplay-worker`, with the images' own timings.
    pub(super) fn env(now: Millis, image_ref: &str) -> Env<'_> {
        Env {
            now,
            node: "kubeplay-worker",
            image_ref,
            pod_ip: "10.244.1.2",
            pod: ("web", "default", "u1"),
            restart_policy: "Always",
            timings: Timings { pull: None, start: 1_000, warmup: None, stop: None },
            backoff_notice_ms: 0,
        }
    }

    #[test]
    fn go_durations_print_like_go() {
        assert_eq!(go_duration(4_000), "4s");
        assert_eq!(go_duration(1_500), "1.5s");
        assert_eq!(go_duration(800), "800ms");
        assert_eq!(go_duration(90_000), "1m30s");
        assert_eq!(go_duration(300_000), "5m0s");
        assert_eq!(go_duration(3_600_000), "1h0m0s");
    }
}
