//! The scheduler (`default-scheduler`), reduced to the plugins that matter for Deployments on a small cluster:
//! NodeUnschedulable, TaintToleration, NodeAffinity (`nodeSelector`), NodeResourcesFit (the kubelet's 110-pod
//! limit), and a spreading score (fewest pods wins, like NodeResourcesBalancedAllocation + PodTopologySpread's
//! default spreading). Among equally good nodes one is picked at random with the simulation's generator, as
//! upstream's `selectHost` does. Binding sets `spec.nodeName` and the PodScheduled condition.

use super::pods;
use crate::api::{self, Node, Pod, PodCondition};
use crate::cluster::events::Source;
use crate::cluster::events::{EventReason, EventType};
use crate::cluster::settings::MAX_PODS_PER_NODE;
use crate::cluster::store::ObjRef;
use crate::cluster::why::Why;
use crate::cluster::{Cluster, Controller};
use k8s_openapi::api::core::v1::{PodSpec, PodStatus, Taint, Toleration};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const SOURCE: &str = "default-scheduler";

fn tolerates(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| {
        let key_ok = match t.key.as_deref() {
            None | Some("") => t.operator.as_deref() == Some("Exists"),
            Some(k) => k == taint.key,
        };
        let value_ok = t.operator.as_deref() == Some("Exists")
            || t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("");
        let effect_ok = t.effect.as_deref().is_none_or(|e| e.is_empty() || e == taint.effect);
        key_ok && value_ok && effect_ok
    })
}

fn node_ready(n: &Node) -> bool {
    n.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

/// What one scheduling batch knows of the cluster, taken once per batch as upstream's scheduling cycle works on a
/// snapshot of its cache (`Cache.UpdateSnapshot`): each node's name, readiness, schedulability, taints that repel
/// pods (NoSchedule / NoExecute) and labels, in name order, and the pods (not terminal) bound to each, kept current
/// as the batch binds pods.
pub struct Snapshot {
    nodes: Vec<NodeView>,
    pods_per_node: HashMap<String, usize>,
}

struct NodeView {
    name: String,
    ready: bool,
    unschedulable: bool,
    taints: Vec<Taint>,
    labels: BTreeMap<String, String>,
}

/// Why a node cannot take the pod (the filter plugin that refused it).
enum Refusal<'a> {
    NotReady,
    Unschedulable,
    Taint(&'a Taint),
    Selector,
    TooManyPods,
}

impl Refusal<'_> {
    /// Whether two refusals give the same reason.
    fn same(&self, other: &Refusal) -> bool {
        match (self, other) {
            (Refusal::Taint(a), Refusal::Taint(b)) => a.key == b.key && a.value == b.value,
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }

    /// The plugin's reason, as `FailedScheduling` messages count them.
    fn reason(&self) -> String {
        match self {
            Refusal::NotReady => "node(s) were not ready".to_string(),
            Refusal::Unschedulable => "node(s) were unschedulable".to_string(),
            Refusal::Taint(t) => {
                format!("node(s) had untolerated taint {{{}: {}}}", t.key, t.value.as_deref().unwrap_or(""))
            }
            Refusal::Selector => "node(s) didn't match Pod's node affinity/selector".to_string(),
            Refusal::TooManyPods => "Too many pods".to_string(),
        }
    }
}

impl Snapshot {
    pub fn of(c: &Cluster) -> Snapshot {
        let nodes = c
            .store()
            .list::<Node>(None)
            .map(|n| NodeView {
                name: api::name_of(&n.metadata).to_string(),
                ready: node_ready(n),
                unschedulable: n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true),
                taints: n
                    .spec
                    .as_ref()
                    .and_then(|s| s.taints.as_ref())
                    .into_iter()
                    .flatten()
                    .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
                    .cloned()
                    .collect(),
                labels: n.metadata.labels.clone().unwrap_or_default(),
            })
            .collect();
        let mut pods_per_node = HashMap::new();
        for p in c.store().list::<Pod>(None) {
            let n = pods::node_name(p);
            if !n.is_empty() && !pods::is_terminal(p) {
                *pods_per_node.entry(n.to_string()).or_default() += 1;
            }
        }
        Snapshot { nodes, pods_per_node }
    }

    fn pods_on(&self, node: &str) -> usize {
        self.pods_per_node.get(node).copied().unwrap_or(0)
    }

    /// The filter plugins, in upstream's order: the first that refuses the node names the reason.
    fn refusal<'n>(&self, node: &'n NodeView, pod: &PodSpec) -> Option<Refusal<'n>> {
        let tolerations = pod.tolerations.as_deref().unwrap_or(&[]);
        if !node.ready {
            Some(Refusal::NotReady)
        } else if node.unschedulable {
            Some(Refusal::Unschedulable)
        } else if let Some(t) = node.taints.iter().find(|t| !tolerates(tolerations, t)) {
            Some(Refusal::Taint(t))
        } else if !pod.node_selector.iter().flatten().all(|(k, v)| node.labels.get(k) == Some(v)) {
            Some(Refusal::Selector)
        } else if self.pods_on(&node.name) >= MAX_PODS_PER_NODE {
            Some(Refusal::TooManyPods)
        } else {
            None
        }
    }
}

pub fn sync(c: &mut Cluster, key: &ObjRef, snapshot: &mut Snapshot) {
    let Some(pod) = c.shared::<Pod>(key) else { return };
    if !pods::node_name(&pod).is_empty() || pods::is_deleting(&pod) {
        return;
    }
    let no_spec = PodSpec::default();
    let spec = pod.spec.as_ref().unwrap_or(&no_spec);
    let total = snapshot.nodes.len();
    // Feasible nodes (index, pods on it) in name order, and the refusals of the others.
    let mut feasible: Vec<(usize, usize)> = Vec::new();
    let mut refused: Vec<Refusal> = Vec::new();
    for (i, node) in snapshot.nodes.iter().enumerate() {
        match snapshot.refusal(node, spec) {
            Some(r) => refused.push(r),
            None => feasible.push((i, snapshot.pods_on(&node.name))),
        }
    }
    let now = api::time::time_at(c.now());
    if feasible.is_empty() {
        // Nodes refused for the same reason are many (every full node says "Too many pods"): word each run of them
        // once.
        let mut runs: Vec<(&Refusal, usize)> = Vec::new();
        for r in &refused {
            match runs.last_mut() {
                Some((prev, n)) if prev.same(r) => *n += 1,
                _ => runs.push((r, 1)),
            }
        }
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for (r, n) in runs {
            *reasons.entry(r.reason()).or_default() += n;
        }
        let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        let message = format!(
            "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.",
            list.join(", ")
        );
        // A pod retried with the same verdict is not written again (nor copied to find that out).
        let unchanged = pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == "PodScheduled"))
            .is_some_and(|c| c.message.as_deref() == Some(message.as_str()));
        if !unchanged {
            let mut pod = Arc::unwrap_or_clone(pod);
            let status = pod.status.get_or_insert_with(PodStatus::default);
            status.phase = Some("Pending".into());
            status.conditions = Some(vec![PodCondition {
                type_: "PodScheduled".into(),
                status: "False".into(),
                reason: Some("Unschedulable".into()),
                message: Some(message.clone()),
                last_transition_time: Some(now),
                ..Default::default()
            }]);
            if let Ok(p) = c.update(pod) {
                c.decide(
                    Controller::Scheduler,
                    key,
                    Why::Unschedulable { pod: key.name.clone(), message: message.clone() },
                );
                c.event(&*p, EventType::Warning, EventReason::FailedScheduling, message, Source::controller(SOURCE));
            }
        }
        return;
    }
    let feasible: Vec<(String, usize)> =
        feasible.into_iter().map(|(i, n)| (snapshot.nodes[i].name.clone(), n)).collect();
    let mut pod = Arc::unwrap_or_clone(pod);
    let fewest = feasible.iter().map(|(_, n)| *n).min().unwrap_or(0);
    let best: Vec<&(String, usize)> = feasible.iter().filter(|(_, n)| *n == fewest).collect();
    let chosen = best[c.random_below(best.len() as u64) as usize].0.clone();
    pod.spec.get_or_insert_with(Default::default).node_name = Some(chosen.clone());
    let status = pod.status.get_or_insert_with(PodStatus::default);
    status.phase = Some("Pending".into());
    status.conditions = Some(vec![PodCondition {
        type_: "PodScheduled".into(),
        status: "True".into(),
        last_transition_time: Some(now),
        ..Default::default()
    }]);
    if let Ok(p) = c.update(pod) {
        *snapshot.pods_per_node.entry(chosen.clone()).or_default() += 1;
        let ns = api::namespace_of(&p.metadata).to_string();
        c.decide(
            Controller::Scheduler,
            key,
            Why::Bound { node: chosen.clone(), feasible: feasible.len(), fewest_nodes: best.len(), fewest },
        );
        c.event(
            &*p,
            EventType::Normal,
            EventReason::Scheduled,
            format!("Successfully assigned {ns}/{} to {chosen}", key.name),
            Source::controller(SOURCE),
        );
    }
}
