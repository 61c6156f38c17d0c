//! The simulation: owns the cluster and the controllers, routes the store's watch log to the controllers' work
//! queues (as informer event handlers do), and runs time.
//!
//! At each instant controllers run in rounds — Deployment, ReplicaSet, garbage collector, scheduler, kubelet,
//! endpoints (EndpointSlice and Endpoints), the cloud's service controller, then the kubelet's due timers — each round working through the keys queued before it, until a round queues nothing new (the instant is
//! *quiescent*); then the clock jumps to the next timer. [`Sim::step`] runs a single round, for the UI's step button.
//! The user's operations (`ops.rs`: [`Sim::apply`], [`Sim::scale`], [`Sim::set_image`], [`Sim::rollout_undo`], …)
//! are writes through the store followed by the same settling, so every consequence is the controllers' doing; they
//! return typed results ([`OpError`]: the API server's refusal or kubectl's own), never kubectl's words.

mod addons;
mod ops;

pub use ops::{OpError, Refusal, Rollback};

use crate::api::{self, selector, Deployment, Pod, ReplicaSet};
use crate::cluster::bootstrap;
use crate::cluster::clock::Millis;
use crate::cluster::store::{Change, Kind, ObjRef, Resource};
use crate::cluster::{Cluster, Controller, Settings, Timer};
use crate::controllers::kubelet::Kubelet;
use crate::controllers::{deployment, endpoints, garbage_collector, pods, replicaset, scheduler, service_lb};
use crate::net::{self, client, Network, Origin};
use std::collections::BTreeSet;

/// A round limit per instant: far above anything a real workload needs, it turns a controller bug into a stop
/// with a decision-log entry instead of a hang.
pub const MAX_ROUNDS_PER_INSTANT: u64 = 100_000;
pub use crate::api::validation::MAX_REPLICAS;

#[derive(Debug, Clone, Default)]
struct Queues {
    deployment: BTreeSet<ObjRef>,
    replicaset: BTreeSet<ObjRef>,
    gc: BTreeSet<String>,
    scheduler: BTreeSet<ObjRef>,
    kubelet: BTreeSet<ObjRef>,
    /// Services whose endpoints (slices and the legacy object) need a sync.
    endpoints: BTreeSet<ObjRef>,
    /// Services the cloud's service controller looks at (load balancers).
    service_lb: BTreeSet<ObjRef>,
    pod_timers: Vec<(String, u64)>,
}

impl Queues {
    fn is_empty(&self) -> bool {
        self.deployment.is_empty()
            && self.replicaset.is_empty()
            && self.gc.is_empty()
            && self.scheduler.is_empty()
            && self.kubelet.is_empty()
            && self.endpoints.is_empty()
            && self.service_lb.is_empty()
            && self.pod_timers.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Sim {
    cluster: Cluster,
    kubelet: Kubelet,
    cursor: usize,
    queues: Queues,
    /// Pods the scheduler could not place; retried when nodes or pods change.
    unschedulable: BTreeSet<ObjRef>,
    /// Controller rounds run so far.
    pub rounds: u64,
    /// The data path: kube-proxy views, the traffic generators and the record of requests.
    pub net: Network,
    /// Services whose endpoints changed since the proxy history last looked.
    net_dirty: BTreeSet<ObjRef>,
    /// The workstation's kubeconfig: the namespace of its one context (`kubeplay`), which kubectl uses when a
    /// command names none (`kubectl config set-context --current --namespace=dev`).
    pub context_namespace: String,
}

impl Sim {
    pub fn new(settings: Settings) -> Sim {
        let settings_seed = settings.seed;
        let mut sim = Sim {
            cluster: Cluster::new(settings),
            kubelet: Kubelet::default(),
            cursor: 0,
            queues: Queues::default(),
            unschedulable: BTreeSet::new(),
            rounds: 0,
            net: Network::new(settings_seed),
            net_dirty: BTreeSet::new(),
            context_namespace: "default".into(),
        };
        bootstrap::control_plane(&mut sim.cluster);
        addons::cluster_dns(&mut sim.cluster);
        sim.settle();
        sim.kubelet.boot(&mut sim.cluster);
        bootstrap::workers(&mut sim.cluster);
        sim.settle();
        sim
    }

    pub fn now(&self) -> Millis {
        self.cluster.now()
    }

    /// The cluster, read-only: the API server's store, events, decisions and settings. Writes go through `Sim`'s
    /// operations, which let the controllers react.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Keeps each change's object in the watch log while a `get -w` reads it (the log is not compacted then).
    pub fn keep_watch_snapshots(&mut self, on: bool) {
        self.cluster.keep_watch_snapshots(on);
    }

    /// Runs `f` with each change's object kept in the watch log (a watch reads them), then leaves snapshots as they
    /// were: on for whoever else was watching (a `get -w` in the page, `kubeplay cluster`'s watch cache), off if nobody.
    pub fn with_watch_snapshots<R>(&mut self, f: impl FnOnce(&mut Sim) -> R) -> R {
        let kept = self.cluster.keeps_watch_snapshots();
        self.keep_watch_snapshots(true);
        let r = f(self);
        self.keep_watch_snapshots(kept);
        r
    }

    /// For a watcher outside the simulation that sees every change (`kubeplay cluster`'s watch API; snapshots must be
    /// on, see [`Sim::keep_watch_snapshots`]): the changes from position `from` on, each with the object it left.
    /// What both this reader and the simulation have read is then forgotten, so the log stays bounded.
    pub fn changes_since(&mut self, from: usize) -> Vec<crate::cluster::store::WatchEvent> {
        let changes: Vec<_> = self.cluster.store().watch_since(from).cloned().collect();
        let end = self.cluster.store().watch_len();
        self.cluster.compact_watch_to(end.min(self.cursor));
        changes
    }

    /// Queues work for every change in the watch log since the last call.
    fn route(&mut self) {
        let events = self.cluster.take_watch_since(self.cursor);
        self.cursor = self.cluster.store().watch_len();
        for ev in events {
            let obj = ev.object;
            if ev.change == Change::Deleted && !ev.uid.is_empty() {
                self.queues.gc.insert(ev.uid.clone());
            }
            let owner = ev.controller_uid.as_ref().and_then(|u| self.cluster.store().by_uid(u)).cloned();
            match obj.kind {
                Kind::Deployment => {
                    self.queues.deployment.insert(obj);
                }
                Kind::ReplicaSet => {
                    self.queues.replicaset.insert(obj.clone());
                    match owner {
                        Some(o) if o.kind == Kind::Deployment => {
                            self.queues.deployment.insert(o);
                        }
                        Some(_) => {}
                        None => self.queue_matching_deployments(&obj, ev.change),
                    }
                }
                Kind::Pod => {
                    // Every Service with a selector in the pod's namespace re-derives its endpoints (labels may have
                    // changed, so matching the current ones is not enough).
                    let services: Vec<ObjRef> = self
                        .cluster
                        .store()
                        .list::<crate::api::Service>(Some(&obj.namespace))
                        .filter(|s| s.spec.as_ref().is_some_and(|sp| sp.selector.is_some()))
                        .map(ObjRef::of)
                        .collect();
                    self.queues.endpoints.extend(services);
                    // (unscheduled, being deleted) of the pod as it is now; `None` once it is gone.
                    let state =
                        self.cluster.get::<Pod>(&obj).map(|p| (pods::node_name(p).is_empty(), pods::is_deleting(p)));
                    match state {
                        Some((true, false)) => {
                            self.queues.scheduler.insert(obj.clone());
                        }
                        Some(_) => {
                            self.queues.kubelet.insert(obj.clone());
                        }
                        None => {
                            self.queues.kubelet.insert(obj.clone());
                            self.unschedulable.remove(&obj);
                            let retry = std::mem::take(&mut self.unschedulable);
                            self.queues.scheduler.extend(retry);
                        }
                    }
                    match owner {
                        Some(o) if o.kind == Kind::ReplicaSet => {
                            if ev.change == Change::Deleted {
                                let dep = self
                                    .cluster
                                    .get::<ReplicaSet>(&o)
                                    .and_then(|rs| api::controller_of(&rs.metadata))
                                    .and_then(|r| self.cluster.store().by_uid(&r.uid))
                                    .cloned();
                                if let Some(d) = dep.filter(|d| d.kind == Kind::Deployment) {
                                    self.queues.deployment.insert(d);
                                }
                            }
                            self.queues.replicaset.insert(o);
                        }
                        Some(_) => {}
                        None => {
                            if let Some(p) = self.cluster.get::<Pod>(&obj).filter(|p| !pods::is_deleting(p)) {
                                let matching = self.selecting::<ReplicaSet>(&obj.namespace, &p.metadata, |rs| {
                                    rs.spec.as_ref().map(|s| &s.selector)
                                });
                                self.queues.replicaset.extend(matching);
                            }
                        }
                    }
                }
                Kind::Node => {
                    let retry = std::mem::take(&mut self.unschedulable);
                    self.queues.scheduler.extend(retry);
                }
                Kind::Service => {
                    self.net_dirty.insert(obj.clone());
                    self.queues.endpoints.insert(obj.clone());
                    self.queues.service_lb.insert(obj.clone());
                }
                // A slice or Endpoints object changed by someone else is put back by its controller.
                Kind::EndpointSlice | Kind::Endpoints => {
                    let name = if obj.kind == Kind::Endpoints {
                        Some(obj.name.clone())
                    } else {
                        self.cluster
                            .get::<crate::api::EndpointSlice>(&obj)
                            .and_then(|s| api::label(&s.metadata, endpoints::SERVICE_NAME_LABEL))
                            .map(str::to_string)
                    };
                    if let Some(n) = name {
                        let svc = ObjRef::new(Kind::Service, &obj.namespace, &n);
                        if obj.kind == Kind::EndpointSlice {
                            self.net_dirty.insert(svc.clone());
                        }
                        self.queues.endpoints.insert(svc);
                    } else if obj.kind == Kind::EndpointSlice && ev.change == Change::Deleted {
                        // A deleted slice no longer names its Service: look at every Service of the namespace.
                        let all: Vec<ObjRef> = self
                            .cluster
                            .store()
                            .list::<crate::api::Service>(Some(&obj.namespace))
                            .map(ObjRef::of)
                            .collect();
                        self.net_dirty.extend(all);
                    }
                }
                _ => {}
            }
        }
    }

    fn queue_matching_deployments(&mut self, rs_ref: &ObjRef, change: Change) {
        if change == Change::Deleted {
            return;
        }
        let Some(rs) = self.cluster.get::<ReplicaSet>(rs_ref) else { return };
        let found =
            self.selecting::<Deployment>(&rs_ref.namespace, &rs.metadata, |d| d.spec.as_ref().map(|s| &s.selector));
        self.queues.deployment.extend(found);
    }

    /// The objects of kind `T` in `namespace` whose (non-empty) selector matches the labels of `meta`: the
    /// controllers that may adopt an orphan, as `getPodReplicaSets` / `getDeploymentsForReplicaSet` find them.
    fn selecting<T: Resource>(
        &self,
        namespace: &str,
        meta: &api::ObjectMeta,
        selector_of: impl Fn(&T) -> Option<&api::LabelSelector>,
    ) -> Vec<ObjRef> {
        self.cluster
            .store()
            .list::<T>(Some(namespace))
            .filter(|o| {
                selector_of(o)
                    .is_some_and(|sel| !selector::is_empty(sel) && selector::matches(sel, meta.labels.as_ref()))
            })
            .map(ObjRef::of)
            .collect()
    }

    /// One controller round. Returns whether any controller had work.
    pub fn round(&mut self) -> bool {
        self.route();
        if self.queues.is_empty() {
            return false;
        }
        self.rounds += 1;
        for key in std::mem::take(&mut self.queues.deployment) {
            deployment::sync::sync(&mut self.cluster, &key);
        }
        for key in std::mem::take(&mut self.queues.replicaset) {
            replicaset::sync(&mut self.cluster, &key);
        }
        for uid in std::mem::take(&mut self.queues.gc) {
            garbage_collector::sync(&mut self.cluster, &uid);
        }
        let batch = std::mem::take(&mut self.queues.scheduler);
        if !batch.is_empty() {
            let mut snapshot = scheduler::Snapshot::of(&self.cluster);
            for key in batch {
                scheduler::sync(&mut self.cluster, &key, &mut snapshot);
                if self.cluster.get::<Pod>(&key).is_some_and(|p| pods::node_name(p).is_empty() && !pods::is_deleting(p))
                {
                    self.unschedulable.insert(key);
                }
            }
        }
        for key in std::mem::take(&mut self.queues.kubelet) {
            self.kubelet.sync(&mut self.cluster, &key);
        }
        for key in std::mem::take(&mut self.queues.endpoints) {
            endpoints::sync_slices(&mut self.cluster, &key);
            endpoints::sync_endpoints(&mut self.cluster, &key);
        }
        for key in std::mem::take(&mut self.queues.service_lb) {
            service_lb::sync(&mut self.cluster, &key);
        }
        for (uid, token) in std::mem::take(&mut self.queues.pod_timers) {
            self.kubelet.on_timer(&mut self.cluster, &uid, token);
        }
        true
    }

    /// Runs rounds until the current instant is quiescent.
    pub fn settle(&mut self) {
        let start = self.rounds;
        while self.round() {
            if self.rounds - start >= MAX_ROUNDS_PER_INSTANT {
                let r = ObjRef::new(Kind::Namespace, "", "kube-system");
                self.cluster.decide(Controller::Deployment, &r, crate::cluster::why::Why::NotSettled);
                self.queues = Queues::default();
                break;
            }
        }
        self.publish_endpoints();
    }

    /// Adds the endpoints of every Service that changed to the kube-proxy history, as of now.
    fn publish_endpoints(&mut self) {
        let now = self.now();
        for svc in std::mem::take(&mut self.net_dirty) {
            let backends = if self.cluster.get::<crate::api::Service>(&svc).is_some() {
                net::backends(&self.cluster, &svc)
            } else {
                Vec::new()
            };
            self.net.views.record(svc, now, backends);
        }
    }

    /// Fires every timer due at the current instant into the queues.
    fn fire_due(&mut self) {
        while let Some(timer) = self.cluster.pop_due() {
            match timer {
                Timer::Requeue(Controller::Deployment, r) => {
                    self.queues.deployment.insert(r);
                }
                Timer::Requeue(Controller::ReplicaSet, r) => {
                    self.queues.replicaset.insert(r);
                }
                Timer::Requeue(Controller::Scheduler, r) => {
                    self.queues.scheduler.insert(r);
                }
                Timer::Requeue(Controller::ServiceLb, r) => {
                    self.queues.service_lb.insert(r);
                }
                Timer::Requeue(_, r) => {
                    self.queues.kubelet.insert(r);
                }
                Timer::Pod { uid, token } => self.queues.pod_timers.push((uid, token)),
            }
        }
    }

    /// The step button: one controller round; if nothing is queued, first jump to the next timer.
    pub fn step(&mut self) -> bool {
        self.route();
        if self.queues.is_empty() {
            let Some(at) = self.cluster.next_due() else { return false };
            self.cluster.advance_to(at);
            self.fire_due();
        }
        self.round()
    }

    /// Settles, then fires and settles every timer due up to `end`, leaving the clock at the last one. Traffic
    /// generators send their requests in between, each after the controllers of its instant have settled
    /// (requests due at the instant of a timer go after it).
    fn run_timers_through(&mut self, end: Millis) {
        self.settle();
        while let Some(due) = self.cluster.next_due().filter(|due| *due <= end) {
            self.send_traffic_before(due);
            self.cluster.advance_to(due);
            self.fire_due();
            self.settle();
        }
    }

    /// Runs virtual time forward to `at`, settling at every instant a timer is due.
    pub fn run_until(&mut self, at: Millis) {
        self.run_timers_through(at);
        self.send_traffic_before(at.saturating_add(1));
        self.cluster.advance_to(at);
    }

    /// Sends every generator request due before `before`, in time order.
    fn send_traffic_before(&mut self, before: Millis) {
        while let Some((id, at)) = self.net.next_generator_before(before) {
            self.cluster.advance_to(at.max(self.now()));
            let Some(g) = self.net.mark_sent(id) else { break };
            let opts = client::Options { timeout_ms: Some(g.timeout_ms), ..client::Options::default() };
            match client::Url::parse(&g.url) {
                Ok(url) => {
                    let mut ex = self.exchange(&g.origin, url, &opts);
                    ex.record.generator = Some(id);
                    self.net.record(ex.record);
                }
                // A generator's URL is checked when it starts; this cannot happen.
                Err(_) => {
                    self.net.remove_generator(id);
                }
            }
        }
    }

    /// Starts a traffic generator: `rate` requests per second to `url` from `origin`, each given `timeout_ms`.
    pub fn start_traffic(&mut self, origin: Origin, url: &str, rate: u32, timeout_ms: Millis) -> Result<u32, String> {
        client::Url::parse(url)?;
        if let Origin::Pod(p) = &origin {
            if self.cluster.get::<Pod>(p).is_none() {
                return Err(format!("pods {:?} not found", p.name));
            }
        }
        let now = self.now();
        self.net.add_generator(origin, url.to_string(), rate, timeout_ms, now)
    }

    pub fn stop_traffic(&mut self, id: u32) -> bool {
        self.net.remove_generator(id)
    }

    /// One HTTP request from `origin`, as curl sends it, now. The answering server writes its access log; the
    /// request is not added to the record (see [`Sim::request`]) and the clock does not move.
    pub fn exchange(&mut self, origin: &Origin, url: client::Url, opts: &client::Options) -> client::Exchange {
        let ex = {
            let (views, forwards, rng, affinity) = self.net.parts();
            let mut path = net::Path { cluster: &self.cluster, kubelet: &self.kubelet, views, forwards, rng, affinity };
            client::exchange(&mut path, origin, url, opts)
        };
        if let (Some(line), Some(Ok(net::Reached::Pod { answerer, .. }))) =
            (&ex.access_log, ex.connection.as_ref().map(|c| &c.result))
        {
            self.kubelet.append_log(&answerer.uid, &answerer.container, self.now(), line.clone());
        }
        ex
    }

    /// What a request from `origin` to `url` would meet now, without sending it: nothing is recorded or logged, and
    /// the network's own choices (its generator, session affinity) are left as they were. The traffic form uses it
    /// to flag a URL that cannot work before the learner starts sending.
    pub fn probe(&self, origin: &Origin, url: client::Url) -> client::Exchange {
        let (mut rng, mut affinity) = self.net.scratch();
        let (views, forwards) = (&self.net.views, &self.net.forwards);
        let mut path = net::Path {
            cluster: &self.cluster,
            kubelet: &self.kubelet,
            views,
            forwards,
            rng: &mut rng,
            affinity: &mut affinity,
        };
        client::exchange(&mut path, origin, url, &client::Options::default())
    }

    /// [`Sim::exchange`], recorded.
    pub fn request(&mut self, origin: &Origin, url: client::Url, opts: &client::Options) -> client::Exchange {
        let ex = self.exchange(origin, url, opts);
        self.net.record(ex.record.clone());
        ex
    }

    /// Resolves a name as a pod's resolver does: `None` when no DNS server answers.
    pub fn resolve(&mut self, pod: &ObjRef, name: &str) -> Option<net::dns::Resolved> {
        let (views, forwards, rng, affinity) = self.net.parts();
        let mut path = net::Path { cluster: &self.cluster, kubelet: &self.kubelet, views, forwards, rng, affinity };
        let node = path.source(&Origin::Pod(pod.clone())).1.unwrap_or_default();
        if !path.dns_reachable(&node) {
            return None;
        }
        Some(net::dns::resolve(&self.cluster, &pod.namespace, name))
    }

    pub fn advance(&mut self, ms: Millis) {
        let at = self.now().saturating_add(ms);
        self.run_until(at);
    }

    /// The next instant something is scheduled to happen.
    pub fn next_due(&self) -> Option<Millis> {
        self.cluster.next_due()
    }

    /// Runs until no timer is left or `limit` more milliseconds have passed (crash loops never end).
    pub fn run_until_idle(&mut self, limit: Millis) {
        let end = self.now().saturating_add(limit);
        self.run_timers_through(end);
    }

    /// A container's log as the kubelet keeps it (see [`Kubelet::log`]).
    pub fn container_log(&self, uid: &str, container: &str, previous: bool) -> Option<&[(Millis, String)]> {
        self.kubelet.log(uid, container, previous)
    }

    /// Pods in name order, for tests and views.
    pub fn pods(&self, namespace: &str) -> Vec<&Pod> {
        self.cluster.store().list::<Pod>(Some(namespace)).collect()
    }
}
