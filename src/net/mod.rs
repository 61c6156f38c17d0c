//! The data path: where a connection goes and who answers it.
//!
//! A request starts at the learner's **workstation** (outside the cluster, on kind's docker network as 172.18.0.1: it
//! reaches node IPs and load-balancer IPs, not ClusterIPs, pod IPs or cluster DNS names) or in a **pod** (which
//! resolves names through the cluster DNS and sends everything through its node's kube-proxy). The path, hop by hop:
//!
//! - a **load balancer** IP: the simulated cloud's balancer picks a node (only nodes with a local endpoint when the
//!   Service has `externalTrafficPolicy: Local`, as its health checks would) and forwards to the node port;
//! - a **node** IP: the node's kube-proxy handles its node ports (external traffic); the control-plane node's 6443 is
//!   the API server; any other port is refused;
//! - a **ClusterIP**: the client's node's kube-proxy picks an endpoint (`proxy.rs`), if the port is one of the
//!   Service's — otherwise nothing answers and the connection times out, as ClusterIPs are virtual;
//! - a **pod** IP: the pod answers if a container listens on the port (`Kubelet::listener`), refuses otherwise; an
//!   address no pod holds any more gets no answer ("No route to host").
//!
//! Every request made through [`Network::record`] is kept with its hops, the endpoint and pod that answered, that
//! pod's ReplicaSet and revision, the outcome and the latency — what the UI animates. Endpoint choices draw from
//! the network's own generator, seeded from the cluster's seed, so sending requests never changes what the
//! control plane does (pod names, IPs), and the same inputs still give the same run.

pub mod client;
pub mod dns;
pub mod http;
pub mod proxy;
pub mod suggest;

use crate::api::{self, Node, Pod, ReplicaSet, Service};
use crate::cluster::clock::Millis;
use crate::cluster::rng::Rng;
use crate::cluster::store::{Kind, ObjRef};
use crate::cluster::Cluster;
use crate::controllers::deployment::util as dutil;
use crate::controllers::kubelet::{Answerer, Kubelet, Listener};
use crate::controllers::{endpoints::SERVICE_NAME_LABEL, pods};
use std::collections::{BTreeMap, VecDeque};

/// The workstation's address on kind's docker network (the bridge's gateway).
pub const WORKSTATION_IP: &str = "172.18.0.1";
/// How many requests the record keeps (the newest).
pub const MAX_RECORDED: usize = 10_000;
/// Linux gives up on an unanswered connection after its SYN retries (`tcp_syn_retries` = 6): about 130 s.
pub const KERNEL_CONNECT_TIMEOUT_MS: Millis = 130_000;
/// An ARP lookup for an address nobody holds fails after about 3 s: "No route to host".
pub const NO_ROUTE_MS: Millis = 3_000;
/// The resolver's timeout per attempt when no DNS server answers (`timeout:5`, 2 attempts).
pub const DNS_TIMEOUT_MS: Millis = 10_000;

/// Where a request starts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    Workstation,
    Pod(ObjRef),
}

impl Origin {
    pub fn label(&self) -> String {
        match self {
            Origin::Workstation => "workstation".into(),
            Origin::Pod(p) => format!("pod/{}", p.name),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopKind {
    Client,
    LoadBalancer,
    Node,
    /// A Service's virtual IP (or node port) as the node's kube-proxy translates it.
    Service,
    Pod,
    ApiServer,
}

/// One place a request passed through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub kind: HopKind,
    /// The node, Service (`namespace/name`), pod or client name.
    pub name: String,
    /// The address and port the request was sent to there.
    pub address: String,
}

/// Why a request got no HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    /// The name did not resolve.
    Unresolved,
    /// Connection refused (nothing listening, or kube-proxy's REJECT for a Service without endpoints).
    Refused,
    /// No answer before the client gave up.
    TimedOut,
    /// The address is not held by anyone on the network.
    NoRoute,
    /// The TLS handshake failed (an untrusted certificate, or a plain-HTTP server).
    Tls,
}

impl Failure {
    pub fn label(self) -> &'static str {
        match self {
            Failure::Unresolved => "could not resolve host",
            Failure::Refused => "connection refused",
            Failure::TimedOut => "timed out",
            Failure::NoRoute => "no route to host",
            Failure::Tls => "TLS handshake failed",
        }
    }
}

/// Why a request failed, more precisely than the client can tell: what the UI explains, with a way forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cause {
    /// The workstation's resolver does not know the cluster's names (Services, pods).
    OutsideName,
    /// The cluster DNS has no such name (NXDOMAIN).
    UnknownName,
    /// An ExternalName Service: a CNAME to a name outside, which the offline cluster cannot resolve.
    ExternalName,
    /// A headless Service without a ready endpoint: the name has no address.
    NoAddress,
    /// No DNS server answered (the cluster DNS pods are not ready).
    DnsDown,
    /// The workstation sent to a ClusterIP or a pod IP: those exist only inside the cluster.
    OutsideAddress,
    /// The port is not one of the Service's ports.
    NotAServicePort,
    /// The client's node's kube-proxy has not programmed the Service yet.
    NotProgrammed,
    /// The Service has no ready endpoint: kube-proxy rejects.
    NoEndpoints,
    /// `externalTrafficPolicy: Local` and the node has no local endpoint: the packet is dropped.
    NoLocalEndpoint,
    /// The cloud's balancer has no node to send to.
    NoNodes,
    /// A node's address, on a port that is not a node port.
    NotANodePort,
    /// The pod is there, but nothing listens on the port.
    NotListening,
    /// The pod was shutting down (its container had exited) while a kube-proxy still sent it requests.
    Terminating,
    /// Nobody holds the address any more (a deleted pod's IP).
    Gone,
    /// `localhost` is the client itself, where nothing listens.
    Localhost,
    /// HTTPS to a server that speaks plain HTTP.
    PlainHttp,
    /// The API server's certificate is signed by the cluster's own CA, which the client does not trust.
    UntrustedCertificate,
}

impl Cause {
    pub const ALL: [Cause; 18] = [
        Cause::OutsideName,
        Cause::UnknownName,
        Cause::ExternalName,
        Cause::NoAddress,
        Cause::DnsDown,
        Cause::OutsideAddress,
        Cause::NotAServicePort,
        Cause::NotProgrammed,
        Cause::NoEndpoints,
        Cause::NoLocalEndpoint,
        Cause::NoNodes,
        Cause::NotANodePort,
        Cause::NotListening,
        Cause::Terminating,
        Cause::Gone,
        Cause::Localhost,
        Cause::PlainHttp,
        Cause::UntrustedCertificate,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Status(u16),
    Failed(Failure),
}

/// One recorded request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: u64,
    /// When it was sent.
    pub at: Millis,
    pub origin: String,
    pub url: String,
    pub hops: Vec<Hop>,
    /// The endpoint (`ip:port`) kube-proxy chose, if a Service was involved.
    pub endpoint: Option<String>,
    /// The pod that answered.
    pub pod: Option<String>,
    pub replica_set: Option<String>,
    pub revision: Option<i64>,
    pub outcome: Outcome,
    /// Why it failed (`None` when a server answered).
    pub cause: Option<Cause>,
    pub latency_ms: Millis,
    /// The traffic generator that sent it.
    pub generator: Option<u32>,
}

/// What a connection attempt reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reached {
    Pod { answerer: Answerer, client_ip: String },
    ApiServer,
}

/// A connection attempt, hop by hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub hops: Vec<Hop>,
    pub endpoint: Option<String>,
    pub result: Result<Reached, Failure>,
    /// Why it failed, when it did.
    pub cause: Option<Cause>,
}

impl Connection {
    fn fail(&mut self, failure: Failure, cause: Cause) {
        self.result = Err(failure);
        self.cause = Some(cause);
    }
}

/// A client sending requests at a steady rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    pub id: u32,
    pub origin: Origin,
    pub url: String,
    /// Requests per second.
    pub rate: u32,
    /// Each request's time limit (curl's `--max-time`).
    pub timeout_ms: Millis,
    started: Millis,
    sent: u64,
}

impl Generator {
    /// When its next request leaves.
    pub fn next_at(&self) -> Millis {
        self.started + self.sent.saturating_mul(1000) / u64::from(self.rate.max(1))
    }
}

/// The most generators at once, and the highest rate of each.
pub const MAX_GENERATORS: usize = 8;
pub const MAX_RATE: u32 = 1_000;

/// Counters over every request recorded (not only the kept ones).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    pub total: u64,
    /// Answers per revision of the answering pod's ReplicaSet (`None`: a pod without one).
    pub by_revision: BTreeMap<Option<i64>, u64>,
    pub by_status: BTreeMap<u16, u64>,
    pub by_failure: BTreeMap<Failure, u64>,
    /// Failures by what the client saw and why.
    pub by_cause: BTreeMap<(Failure, Cause), u64>,
}

/// Session affinity's memory: (node, service address, client IP) → (endpoint, last used).
pub type Affinity = BTreeMap<(String, String, String), (String, Millis)>;

/// The network's state: each node's kube-proxy view, session affinity, the generator, and the record.
#[derive(Debug, Clone)]
pub struct Network {
    rng: Rng,
    pub views: proxy::Views,
    affinity: Affinity,
    pub records: VecDeque<Record>,
    pub counters: Counters,
    next_id: u64,
    pub generators: Vec<Generator>,
    next_generator: u32,
    /// The workstation's port forwards (`kubectl port-forward`).
    pub forwards: Vec<Forward>,
}

impl Network {
    pub fn new(seed: u64) -> Network {
        Network {
            // A stream of its own, derived from the seed.
            rng: Rng::new(seed ^ 0x6e65_7477_6f72_6b21),
            views: proxy::Views::default(),
            affinity: BTreeMap::new(),
            records: VecDeque::new(),
            counters: Counters::default(),
            next_id: 1,
            generators: Vec::new(),
            next_generator: 1,
            forwards: Vec::new(),
        }
    }

    /// What a connection reads and draws from: the proxy views, the generator of endpoint choices and the affinity
    /// memory.
    pub fn parts(&mut self) -> (&proxy::Views, &[Forward], &mut Rng, &mut Affinity) {
        (&self.views, &self.forwards, &mut self.rng, &mut self.affinity)
    }

    /// A copy of the generator and the affinity memory, for a probe that must change nothing.
    pub fn scratch(&self) -> (Rng, Affinity) {
        (self.rng.clone(), self.affinity.clone())
    }

    /// The id the next record will get.
    pub fn next_id(&self) -> u64 {
        self.next_id
    }

    /// Adds a record, keeping the newest [`MAX_RECORDED`], and counts it.
    pub fn record(&mut self, mut r: Record) -> &Record {
        r.id = self.next_id;
        self.next_id += 1;
        self.counters.total += 1;
        match r.outcome {
            Outcome::Status(s) => {
                *self.counters.by_status.entry(s).or_default() += 1;
                if r.pod.is_some() {
                    *self.counters.by_revision.entry(r.revision).or_default() += 1;
                }
            }
            Outcome::Failed(f) => {
                *self.counters.by_failure.entry(f).or_default() += 1;
                if let Some(cause) = r.cause {
                    *self.counters.by_cause.entry((f, cause)).or_default() += 1;
                }
            }
        }
        if self.records.len() >= MAX_RECORDED {
            self.records.pop_front();
        }
        self.records.push_back(r);
        self.records.back().expect("just pushed")
    }

    pub fn add_generator(
        &mut self,
        origin: Origin,
        url: String,
        rate: u32,
        timeout_ms: Millis,
        now: Millis,
    ) -> Result<u32, String> {
        if self.generators.len() >= MAX_GENERATORS {
            return Err(format!(
                "kubeplay runs at most {MAX_GENERATORS} traffic generators at once (a kubeplay limit)"
            ));
        }
        if rate == 0 || rate > MAX_RATE {
            return Err(format!("the rate must be between 1 and {MAX_RATE} requests per second (a kubeplay limit)"));
        }
        let id = self.next_generator;
        self.next_generator += 1;
        self.generators.push(Generator { id, origin, url, rate, timeout_ms: timeout_ms.max(1), started: now, sent: 0 });
        Ok(id)
    }

    pub fn remove_generator(&mut self, id: u32) -> bool {
        let before = self.generators.len();
        self.generators.retain(|g| g.id != id);
        before != self.generators.len()
    }

    /// The generator whose request is due first before `before`, with its time.
    pub fn next_generator_before(&self, before: Millis) -> Option<(u32, Millis)> {
        self.generators.iter().map(|g| (g.id, g.next_at())).filter(|(_, t)| *t < before).min_by_key(|(id, t)| (*t, *id))
    }

    pub fn mark_sent(&mut self, id: u32) -> Option<Generator> {
        let g = self.generators.iter_mut().find(|g| g.id == id)?;
        let out = g.clone();
        g.sent += 1;
        Some(out)
    }
}

/// The endpoints of a Service as its EndpointSlices list them now (for the proxy history).
pub fn backends(c: &Cluster, svc: &ObjRef) -> Vec<proxy::Backend> {
    let mut out = Vec::new();
    for s in c.store().list::<api::EndpointSlice>(Some(&svc.namespace)) {
        if api::label(&s.metadata, SERVICE_NAME_LABEL) != Some(svc.name.as_str()) {
            continue;
        }
        let ports: Vec<(String, i32, String)> = s
            .ports
            .iter()
            .flatten()
            .filter_map(|p| {
                Some((p.name.clone().unwrap_or_default(), p.port?, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
            })
            .collect();
        for e in &s.endpoints {
            let cond = e.conditions.clone().unwrap_or_default();
            let ready = cond.ready.unwrap_or(true);
            for ip in &e.addresses {
                out.push(proxy::Backend {
                    ip: ip.clone(),
                    node: e.node_name.clone(),
                    ready,
                    serving: cond.serving.unwrap_or(ready),
                    terminating: cond.terminating.unwrap_or(false),
                    pod: e.target_ref.as_ref().filter(|t| t.kind.as_deref() == Some("Pod")).map(|t| {
                        ObjRef::new(
                            Kind::Pod,
                            t.namespace.as_deref().unwrap_or(&svc.namespace),
                            t.name.as_deref().unwrap_or(""),
                        )
                    }),
                    ports: ports.clone(),
                });
            }
        }
    }
    out
}

fn internal_ip(n: &Node) -> Option<&str> {
    n.status.as_ref()?.addresses.as_ref()?.iter().find(|a| a.type_ == "InternalIP").map(|a| a.address.as_str())
}

fn node_by_ip<'a>(c: &'a Cluster, ip: &str) -> Option<&'a Node> {
    c.store().list::<Node>(None).find(|n| internal_ip(n) == Some(ip))
}

fn node_ip(c: &Cluster, name: &str) -> String {
    c.store().get::<Node>("", name).and_then(internal_ip).unwrap_or_default().to_string()
}

fn is_control_plane(n: &Node) -> bool {
    n.metadata.labels.as_ref().is_some_and(|l| l.contains_key(crate::cluster::bootstrap::CONTROL_PLANE_TAINT))
}

/// The revision and name of the ReplicaSet that owns a pod.
pub fn owner_revision(c: &Cluster, pod: &ObjRef) -> (Option<String>, Option<i64>) {
    let Some(p) = c.get::<Pod>(pod) else { return (None, None) };
    let Some(owner) = api::controller_of(&p.metadata).filter(|o| o.kind == "ReplicaSet") else { return (None, None) };
    let rs = c.store().get::<ReplicaSet>(&pod.namespace, &owner.name);
    (Some(owner.name.clone()), rs.and_then(dutil::revision))
}

/// A `kubectl port-forward` running on the workstation: `localhost:local` reaches the pod's `port` through the API
/// server and the pod's kubelet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub local: i32,
    pub pod: ObjRef,
    pub port: i32,
}

/// Everything a connection needs to look at.
pub struct Path<'a> {
    pub cluster: &'a Cluster,
    pub kubelet: &'a Kubelet,
    pub views: &'a proxy::Views,
    /// The workstation's port forwards.
    pub forwards: &'a [Forward],
    /// Where endpoint choices draw from (the network's own stream, or a probe's copy).
    pub rng: &'a mut Rng,
    pub affinity: &'a mut Affinity,
}

impl Path<'_> {
    fn hop(kind: HopKind, name: impl Into<String>, address: impl Into<String>) -> Hop {
        Hop { kind, name: name.into(), address: address.into() }
    }

    /// The client's address and node.
    pub fn source(&self, origin: &Origin) -> (String, Option<String>) {
        match origin {
            Origin::Workstation => (WORKSTATION_IP.into(), None),
            Origin::Pod(p) => {
                let pod = self.cluster.get::<Pod>(p);
                let ip = pod.and_then(|p| p.status.as_ref()?.pod_ip.clone()).unwrap_or_default();
                let node = pod.map(|p| pods::node_name(p).to_string()).filter(|n| !n.is_empty());
                (ip, node)
            }
        }
    }

    /// Opens a TCP (or UDP, for DNS) connection from `origin` to `ip:port`.
    pub fn connect(&mut self, origin: &Origin, ip: &str, port: i32) -> Connection {
        let (client_ip, client_node) = self.source(origin);
        let mut conn = Connection {
            hops: vec![Self::hop(HopKind::Client, origin.label(), client_ip.clone())],
            endpoint: None,
            result: Err(Failure::TimedOut),
            cause: None,
        };
        let c = self.cluster;
        let services: Vec<&Service> = c.store().list::<Service>(None).collect();
        // A load balancer's address.
        let lb = services.iter().find(|s| {
            s.status
                .as_ref()
                .and_then(|st| st.load_balancer.as_ref()?.ingress.as_ref())
                .is_some_and(|ing| ing.iter().any(|i| i.ip.as_deref() == Some(ip)))
        });
        if let Some(svc) = lb {
            conn.hops.push(Self::hop(HopKind::LoadBalancer, api::name_of(&svc.metadata), format!("{ip}:{port}")));
            let spec = svc.spec.clone().unwrap_or_default();
            let Some(sp) = spec.ports.iter().flatten().find(|p| p.port == port && p.protocol.as_deref() != Some("UDP"))
            else {
                conn.fail(Failure::Refused, Cause::NotAServicePort);
                return conn;
            };
            let key = ObjRef::of(*svc);
            let local = spec.external_traffic_policy.as_deref() == Some("Local");
            // The cloud balances over the nodes not labelled out of external load balancers (the control plane).
            let excluded = |n: &Node| {
                n.metadata
                    .labels
                    .as_ref()
                    .is_some_and(|l| l.contains_key(crate::cluster::bootstrap::EXCLUDE_FROM_EXTERNAL_LB))
            };
            let mut nodes: Vec<&Node> = c.store().list::<Node>(None).filter(|n| !excluded(n)).collect();
            if local {
                // The balancer's health checks (healthCheckNodePort) pass only on nodes with a local endpoint.
                let now = c.now();
                let healthy: Vec<&Node> = nodes
                    .iter()
                    .copied()
                    .filter(|n| {
                        let name = api::name_of(&n.metadata);
                        let delay = proxy::delay(c.settings(), name);
                        self.views.view(&key, delay, now).is_some_and(|b| {
                            !proxy::usable(b, sp.name.as_deref().unwrap_or(""), "TCP", Some(name)).is_empty()
                        })
                    })
                    .collect();
                if !healthy.is_empty() {
                    nodes = healthy;
                }
            }
            if nodes.is_empty() {
                conn.fail(Failure::TimedOut, Cause::NoNodes);
                return conn;
            }
            let node = nodes[self.rng.below(nodes.len() as u64) as usize];
            let node_name = api::name_of(&node.metadata).to_string();
            let nip = internal_ip(node).unwrap_or_default().to_string();
            let node_port = sp.node_port.unwrap_or(0);
            conn.hops.push(Self::hop(HopKind::Node, node_name.clone(), format!("{nip}:{node_port}")));
            let seen_ip = if local { client_ip.clone() } else { nip };
            let addresses = (client_ip, seen_ip);
            self.through_service(&mut conn, svc, sp.name.as_deref().unwrap_or(""), &node_name, true, addresses);
            return conn;
        }
        // A node.
        if let Some(node) = node_by_ip(c, ip) {
            let node_name = api::name_of(&node.metadata).to_string();
            conn.hops.push(Self::hop(HopKind::Node, node_name.clone(), format!("{ip}:{port}")));
            if is_control_plane(node) && port == crate::cluster::bootstrap::API_SERVER_PORT {
                conn.hops.push(Self::hop(HopKind::ApiServer, "kube-apiserver", format!("{ip}:{port}")));
                conn.result = Ok(Reached::ApiServer);
                return conn;
            }
            let np = services.iter().find_map(|s| {
                let spec = s.spec.as_ref()?;
                let p = spec.ports.iter().flatten().find(|p| p.node_port == Some(port))?;
                Some((*s, p.name.clone().unwrap_or_default(), spec.external_traffic_policy.as_deref() == Some("Local")))
            });
            let Some((svc, port_name, local)) = np else {
                conn.fail(Failure::Refused, Cause::NotANodePort);
                return conn;
            };
            let seen_ip = if local { client_ip.clone() } else { ip.to_string() };
            self.through_service(&mut conn, svc, &port_name, &node_name, true, (client_ip, seen_ip));
            return conn;
        }
        let Some(client_node) = client_node else {
            // Outside the cluster: ClusterIPs and pod IPs are not routed to kind's network from the workstation.
            conn.fail(Failure::TimedOut, Cause::OutsideAddress);
            return conn;
        };
        // A ClusterIP.
        if let Some(svc) = services.iter().find(|s| s.spec.as_ref().and_then(|sp| sp.cluster_ip.as_deref()) == Some(ip))
        {
            conn.hops.push(Self::hop(HopKind::Node, client_node.clone(), node_ip(c, &client_node)));
            let spec = svc.spec.clone().unwrap_or_default();
            let Some(sp) = spec.ports.iter().flatten().find(|p| p.port == port) else {
                // No rule matches: the packet leaves for the default route and is never answered.
                conn.fail(Failure::TimedOut, Cause::NotAServicePort);
                return conn;
            };
            let addresses = (client_ip.clone(), client_ip);
            self.through_service(&mut conn, svc, sp.name.as_deref().unwrap_or(""), &client_node, false, addresses);
            return conn;
        }
        self.deliver(&mut conn, ip, port, client_ip);
        conn
    }

    /// A node's kube-proxy translating a Service address to an endpoint. `addresses`: the client's own address
    /// (what session affinity remembers: the `recent` match runs before the masquerade) and the source the pod will
    /// see (the node's, for external traffic that is masqueraded).
    fn through_service(
        &mut self,
        conn: &mut Connection,
        svc: &Service,
        port_name: &str,
        node: &str,
        external: bool,
        addresses: (String, String),
    ) {
        let (client_ip, seen_ip) = addresses;
        let c = self.cluster;
        let key = ObjRef::of(svc);
        let spec = svc.spec.clone().unwrap_or_default();
        let vip = spec.cluster_ip.clone().unwrap_or_default();
        let sp = spec.ports.iter().flatten().find(|p| p.name.as_deref().unwrap_or("") == port_name);
        let protocol = sp.and_then(|p| p.protocol.clone()).unwrap_or_else(|| "TCP".into());
        let svc_port = sp.map(|p| p.port).unwrap_or(0);
        conn.hops.push(Self::hop(
            HopKind::Service,
            format!("{}/{}", key.namespace, key.name),
            format!("{vip}:{svc_port}"),
        ));
        let now = c.now();
        let delay = proxy::delay(c.settings(), node);
        let Some(view) = self.views.view(&key, delay, now) else {
            // The node has not programmed the Service yet: nothing translates the address. A ClusterIP's packets
            // leave by the default route and are never answered; a node port reaches the node itself, where
            // nothing listens.
            conn.fail(if external { Failure::Refused } else { Failure::TimedOut }, Cause::NotProgrammed);
            return;
        };
        let local = external && spec.external_traffic_policy.as_deref() == Some("Local");
        let candidates = proxy::usable(view, port_name, &protocol, if local { Some(node) } else { None });
        if candidates.is_empty() {
            // REJECT for a Service without endpoints; DROP for external traffic without local endpoints.
            if local {
                conn.fail(Failure::TimedOut, Cause::NoLocalEndpoint);
            } else {
                conn.fail(Failure::Refused, Cause::NoEndpoints);
            }
            return;
        }
        let affinity = spec.session_affinity.as_deref() == Some("ClientIP");
        let timeout = spec
            .session_affinity_config
            .as_ref()
            .and_then(|s| s.client_ip.as_ref()?.timeout_seconds)
            .map_or(10_800_000, |s| u64::try_from(s).unwrap_or(0) * 1000);
        let sticky_key = (node.to_string(), format!("{vip}:{svc_port}"), client_ip.clone());
        let mut chosen = None;
        if affinity {
            if let Some((ep, last)) = self.affinity.get(&sticky_key) {
                if now.saturating_sub(*last) <= timeout {
                    chosen = candidates.iter().position(|(b, p)| format!("{}:{p}", b.ip) == *ep);
                }
            }
        }
        let i = chosen.unwrap_or_else(|| self.rng.below(candidates.len() as u64) as usize);
        let (backend, target_port) = candidates[i];
        let endpoint = format!("{}:{target_port}", backend.ip);
        if affinity {
            self.affinity.insert(sticky_key, (endpoint.clone(), now));
        }
        conn.endpoint = Some(endpoint);
        let ip = backend.ip.clone();
        self.deliver(conn, &ip, target_port, seen_ip);
    }

    /// A connection to the workstation's own `localhost:port`: a port forward's tunnel to its pod (the pod sees it
    /// come from its own `localhost`), or nothing listening.
    pub fn forwarded(&mut self, port: i32) -> Connection {
        let mut conn = Connection {
            hops: vec![Self::hop(HopKind::Client, Origin::Workstation.label(), WORKSTATION_IP)],
            endpoint: None,
            result: Err(Failure::Refused),
            cause: Some(Cause::Localhost),
        };
        let Some(fwd) = self.forwards.iter().find(|f| f.local == port) else { return conn };
        let c = self.cluster;
        let ip = c.get::<Pod>(&fwd.pod).and_then(|p| p.status.as_ref()?.pod_ip.clone()).unwrap_or_default();
        conn.cause = None;
        let api =
            c.store().list::<Node>(None).find(|n| is_control_plane(n)).map(|n| node_ip(c, api::name_of(&n.metadata)));
        conn.hops.push(Self::hop(
            HopKind::ApiServer,
            "kube-apiserver",
            format!("{}:{}", api.unwrap_or_default(), crate::cluster::bootstrap::API_SERVER_PORT),
        ));
        conn.endpoint = Some(format!("{ip}:{}", fwd.port));
        let port = fwd.port;
        self.deliver(&mut conn, &ip, port, "127.0.0.1".into());
        conn
    }

    /// The packet reaches an address on the pod network (or the API server's).
    fn deliver(&mut self, conn: &mut Connection, ip: &str, port: i32, client_ip: String) {
        let c = self.cluster;
        if node_by_ip(c, ip).is_some_and(is_control_plane) && port == crate::cluster::bootstrap::API_SERVER_PORT {
            conn.hops.push(Self::hop(HopKind::ApiServer, "kube-apiserver", format!("{ip}:{port}")));
            conn.result = Ok(Reached::ApiServer);
            return;
        }
        match self.kubelet.listener(c, ip, port) {
            Listener::NoHost => {
                conn.fail(Failure::NoRoute, Cause::Gone);
            }
            Listener::Refused => {
                let pod = self.kubelet.pod_of_ip(ip);
                // A pod being deleted whose container has exited: a kube-proxy that has not caught up still sends
                // it requests (no `preStop` delay keeps it answering meanwhile).
                let terminating =
                    pod.and_then(|p| c.get::<Pod>(p)).is_some_and(|p| p.metadata.deletion_timestamp.is_some());
                let name = pod.map(|p| p.name.clone()).unwrap_or_default();
                conn.hops.push(Self::hop(HopKind::Pod, name, format!("{ip}:{port}")));
                conn.fail(Failure::Refused, if terminating { Cause::Terminating } else { Cause::NotListening });
            }
            Listener::Open(answerer) => {
                conn.hops.push(Self::hop(HopKind::Pod, answerer.pod.name.clone(), format!("{ip}:{port}")));
                conn.result = Ok(Reached::Pod { answerer, client_ip });
            }
        }
    }

    /// Whether the pod's DNS server (the `kube-dns` Service) answers from its node.
    pub fn dns_reachable(&mut self, node: &str) -> bool {
        let c = self.cluster;
        let key = ObjRef::new(Kind::Service, "kube-system", "kube-dns");
        let Some(view) = self.views.view(&key, proxy::delay(c.settings(), node), c.now()) else { return false };
        proxy::usable(view, "dns", "UDP", None)
            .iter()
            .any(|(b, p)| matches!(self.kubelet.listener(c, &b.ip, *p), Listener::Open(_)))
    }
}
