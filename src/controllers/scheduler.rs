//! The scheduler (`default-scheduler`), reduced to the plugins that matter for Deployments on a small cluster:
//! NodeUnschedulable, TaintToleration, NodeAffinity (`nodeSelector`), NodeResourcesFit (the kubelet's 110-pod
//! limit), and a spreading score (fewest pods wins, like NodeResourcesBalancedAllocation + PodTopologySpread's
//! default spreading). Among equally good nodes one is picked at random with the simulation's generator, as
//! upstream's `selectHost` does. Binding sets `spec.nodeName` and the PodScheduled condition.

use super::pods;
use crate::api::{self, Node, Pod, PodCondition};
use crate::cluster::events::Source;
use crate::cluster::settings::MAX_PODS_PER_NODE;
use crate::cluster::store::ObjRef;
use crate::cluster::{Cluster, Controller};
use k8s_openapi::api::core::v1::{PodStatus, Taint, Toleration};
use std::collections::{BTreeMap, HashMap};

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

/// Pods per node (not terminal), counted once per scheduling round and kept current as pods are bound.
pub fn pods_per_node(c: &Cluster) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for p in c.store.list::<Pod>(None) {
        let n = pods::node_name(p);
        if !n.is_empty() && !pods::is_terminal(p) {
            *counts.entry(n.to_string()).or_default() += 1;
        }
    }
    counts
}

pub fn sync(c: &mut Cluster, key: &ObjRef, pods_per_node: &mut HashMap<String, usize>) {
    let Some(pod) = c.get::<Pod>(key).cloned() else { return };
    if !pods::node_name(&pod).is_empty() || pods::is_deleting(&pod) {
        return;
    }
    let spec = pod.spec.clone().unwrap_or_default();
    let tolerations = spec.tolerations.clone().unwrap_or_default();
    let selector = spec.node_selector.clone().unwrap_or_default();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut feasible: Vec<(String, usize)> = Vec::new();
    let mut total = 0;
    for n in c.store.list::<Node>(None) {
        total += 1;
        let name = api::name_of(&n.metadata).to_string();
        let untolerated = n
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_ref())
            .into_iter()
            .flatten()
            .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
            .find(|t| !tolerates(&tolerations, t));
        let reason = if !node_ready(n) {
            Some("node(s) were not ready".to_string())
        } else if n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
            Some("node(s) were unschedulable".to_string())
        } else if let Some(t) = untolerated {
            Some(format!("node(s) had untolerated taint {{{}: {}}}", t.key, t.value.as_deref().unwrap_or("")))
        } else if !selector.iter().all(|(k, v)| api::label(&n.metadata, k) == Some(v)) {
            Some("node(s) didn't match Pod's node affinity/selector".to_string())
        } else if pods_per_node.get(&name).copied().unwrap_or(0) >= MAX_PODS_PER_NODE {
            Some("Too many pods".to_string())
        } else {
            None
        };
        match reason {
            Some(r) => *reasons.entry(r).or_default() += 1,
            None => feasible.push((name.clone(), pods_per_node.get(&name).copied().unwrap_or(0))),
        }
    }
    let mut pod = pod;
    let now = api::time::time_at(c.now());
    if feasible.is_empty() {
        let list: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        let message = format!(
            "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.",
            list.join(", ")
        );
        let status = pod.status.get_or_insert_with(PodStatus::default);
        status.phase = Some("Pending".into());
        let cond = PodCondition {
            type_: "PodScheduled".into(),
            status: "False".into(),
            reason: Some("Unschedulable".into()),
            message: Some(message.clone()),
            last_transition_time: Some(now),
            ..Default::default()
        };
        let unchanged = status
            .conditions
            .as_ref()
            .and_then(|cs| cs.iter().find(|c| c.type_ == "PodScheduled"))
            .is_some_and(|c| c.message == cond.message);
        if !unchanged {
            status.conditions = Some(vec![cond]);
            if let Ok(p) = c.update(pod) {
                c.decide(Controller::Scheduler, key, format!("cannot place {}: {message}", key.name));
                c.event(&*p, "Warning", "FailedScheduling", message, Source::controller(SOURCE));
            }
        }
        return;
    }
    let fewest = feasible.iter().map(|(_, n)| *n).min().unwrap_or(0);
    let best: Vec<&(String, usize)> = feasible.iter().filter(|(_, n)| *n == fewest).collect();
    let chosen = best[c.rng.below(best.len() as u64) as usize].0.clone();
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
        *pods_per_node.entry(chosen.clone()).or_default() += 1;
        let ns = api::namespace_of(&p.metadata).to_string();
        c.decide(
            Controller::Scheduler,
            key,
            format!(
                "bound to {chosen}: {} feasible node(s), {} with the fewest pods ({fewest})",
                feasible.len(),
                best.len()
            ),
        );
        c.event(
            &*p,
            "Normal",
            "Scheduled",
            format!("Successfully assigned {ns}/{} to {chosen}", key.name),
            Source::controller(SOURCE),
        );
    }
}
