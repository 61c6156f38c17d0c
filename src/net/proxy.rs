//! kube-proxy: what each node has programmed for each Service, and how it picks an endpoint.
//!
//! **Propagation.** A real kube-proxy learns of EndpointSlice changes through its watch and rewrites its rules some
//! time later (iptables mode syncs at most once per `minSyncPeriod`, 1 s by default, and a large ruleset takes longer);
//! every node does so on its own schedule. kubeplay keeps, per Service, the history of its endpoints as the
//! EndpointSlice controller published them, and node *n* sees, at time *t*, the state published at
//! *t − delay(n)*: the cluster's `proxy_delay_ms` plus a per-node share of up to half of it, derived from the seed and
//! the node's name. So a node that has not yet seen a pod's endpoint turn not-ready still sends it connections — the
//! rolling-update race that `preStop` delays exist for.
//!
//! **Choice.** `pkg/proxy/iptables/proxier.go` (`syncProxyRules`, Kubernetes 1.35) writes one rule per endpoint
//! with `-m statistic --mode random --probability 1/(n−i)`, which is a uniform choice per new connection; kubeplay
//! draws the same uniform choice from the network's generator. Endpoints with `ready` are used; when a Service has
//! none, the `serving` and `terminating` ones are (`CategorizeEndpoints`). With `sessionAffinity: ClientIP` the
//! node remembers each client's endpoint for `timeoutSeconds` (the `recent` module), per node as on a real cluster.
//! `externalTrafficPolicy: Local` keeps external traffic on the receiving node's own endpoints, and drops it when
//! there are none.

use crate::cluster::clock::Millis;
use crate::cluster::store::ObjRef;
use crate::cluster::Settings;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One endpoint of a Service as the EndpointSlices describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    pub ip: String,
    pub node: Option<String>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    pub pod: Option<ObjRef>,
    /// (port name, port, protocol) of the slice the endpoint is in.
    pub ports: Vec<(String, i32, String)>,
}

impl Backend {
    /// The endpoint's port for a Service port name and protocol.
    pub fn port(&self, name: &str, protocol: &str) -> Option<i32> {
        self.ports.iter().find(|(n, _, p)| n == name && p == protocol).map(|(_, port, _)| *port)
    }
}

/// How long a history entry is kept after a newer one replaces it: well beyond any node's delay.
const KEEP_MS: Millis = 120_000;

/// A Service's endpoints from an instant on.
type Published = (Millis, Arc<Vec<Backend>>);

/// The endpoints of every Service over time.
#[derive(Debug, Clone, Default)]
pub struct Views {
    history: BTreeMap<ObjRef, Vec<Published>>,
}

impl Views {
    /// Records the endpoints a Service has at `at`, if they changed.
    pub fn record(&mut self, service: ObjRef, at: Millis, backends: Vec<Backend>) {
        let entries = self.history.entry(service).or_default();
        if entries.last().is_some_and(|(_, b)| **b == backends) {
            return;
        }
        if entries.last().is_some_and(|(t, _)| *t == at) {
            entries.pop();
        }
        entries.push((at, Arc::new(backends)));
        // Forget what no node can still be looking at: keep the newest entry older than the horizon.
        let horizon = at.saturating_sub(KEEP_MS);
        let old = entries.iter().take_while(|(t, _)| *t <= horizon).count();
        if old > 1 {
            entries.drain(..old - 1);
        }
    }

    /// What a node with `delay` has programmed for the Service at `now`: `None` before it has seen the Service.
    pub fn view(&self, service: &ObjRef, delay: Millis, now: Millis) -> Option<&[Backend]> {
        let seen = now.saturating_sub(delay);
        let entries = self.history.get(service)?;
        let i = entries.partition_point(|(t, _)| *t <= seen);
        if i == 0 {
            return None;
        }
        Some(entries[i - 1].1.as_slice())
    }
}

/// A node's kube-proxy delay: the cluster's, plus up to half of it again, fixed per node and seed.
pub fn delay(settings: &Settings, node: &str) -> Millis {
    let base = settings.proxy_delay_ms;
    if base == 0 {
        return 0;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ settings.seed;
    for b in node.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    base + h % (base / 2 + 1)
}

/// `CategorizeEndpoints`: the endpoints that may take a new connection for a Service port — the ready ones, or
/// failing those the serving terminating ones; with `local_only`, only those on `node`.
pub fn usable<'a>(
    backends: &'a [Backend],
    port_name: &str,
    protocol: &str,
    local_only: Option<&str>,
) -> Vec<(&'a Backend, i32)> {
    let on_node = |b: &&Backend| local_only.is_none_or(|n| b.node.as_deref() == Some(n));
    let with_port = |b: &'a Backend| b.port(port_name, protocol).map(|p| (b, p));
    let ready: Vec<(&Backend, i32)> =
        backends.iter().filter(|b| b.ready).filter(on_node).filter_map(with_port).collect();
    if !ready.is_empty() {
        return ready;
    }
    backends.iter().filter(|b| b.serving && b.terminating).filter(on_node).filter_map(with_port).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::store::Kind;

    fn b(ip: &str, ready: bool) -> Backend {
        Backend {
            ip: ip.into(),
            node: Some("n1".into()),
            ready,
            serving: true,
            terminating: !ready,
            pod: None,
            ports: vec![(String::new(), 80, "TCP".into())],
        }
    }

    #[test]
    fn a_node_sees_the_state_published_its_delay_ago() {
        let svc = ObjRef::new(Kind::Service, "default", "s");
        let mut v = Views::default();
        v.record(svc.clone(), 1_000, vec![b("10.244.1.2", true)]);
        v.record(svc.clone(), 5_000, vec![b("10.244.1.2", false)]);
        assert!(v.view(&svc, 1_000, 1_500).is_none(), "not seen yet");
        assert!(v.view(&svc, 1_000, 2_000).unwrap()[0].ready);
        assert!(v.view(&svc, 1_000, 5_999).unwrap()[0].ready, "still the old state");
        assert!(!v.view(&svc, 1_000, 6_000).unwrap()[0].ready);
        assert!(!v.view(&svc, 0, 5_000).unwrap()[0].ready);
    }

    #[test]
    fn terminating_serving_endpoints_are_used_only_when_none_is_ready() {
        let both = [b("a", true), b("b", false)];
        assert_eq!(usable(&both, "", "TCP", None).iter().map(|(b, _)| b.ip.as_str()).collect::<Vec<_>>(), ["a"]);
        let only = [b("b", false)];
        assert_eq!(usable(&only, "", "TCP", None).len(), 1);
        assert!(usable(&only, "", "TCP", Some("n2")).is_empty());
        assert!(usable(&only, "http", "TCP", None).is_empty(), "the port name must match");
    }

    #[test]
    fn node_delays_differ_by_node_but_not_between_runs() {
        let s = Settings::default();
        let a = delay(&s, "kubeplay-worker");
        assert_eq!(a, delay(&s, "kubeplay-worker"));
        assert!((s.proxy_delay_ms..=s.proxy_delay_ms * 3 / 2).contains(&a));
        let all: std::collections::BTreeSet<Millis> =
            ["kubeplay-worker", "kubeplay-worker2", "kubeplay-worker3"].iter().map(|n| delay(&s, n)).collect();
        assert!(all.len() > 1, "{all:?}");
    }
}
