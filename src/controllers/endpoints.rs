//! The two controllers that turn a Service's selector into the addresses traffic goes to:
//!
//! - the EndpointSlice controller (`pkg/controller/endpointslice`, its reconciler in
//!   `staging/src/k8s.io/endpointslice`): `syncService` → `podToEndpoint` for every matching pod with an IP,
//!   terminating pods kept and flagged, endpoints grouped by their resolved port set into slices of at most
//!   [`MAX_ENDPOINTS_PER_SLICE`], a placeholder slice when there are none;
//! - the legacy Endpoints controller (`pkg/controller/endpoint`): ready pods in `addresses`, the rest in
//!   `notReadyAddresses`, terminating pods left out, `RepackSubsets`, at most [`MAX_ENDPOINTS_ADDRESSES`].
//!
//! Services without a selector and ExternalName Services get nothing from either.

use crate::api::{self, EndpointSlice, Endpoints, IntOrString, Pod, Service};
use crate::cluster::store::{Kind, ObjRef};
use crate::cluster::why::Why;
use crate::cluster::{Cluster, Controller, Propagation};
use crate::controllers::pods;
use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort as CorePort, EndpointSubset, ObjectReference};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use std::collections::BTreeMap;

/// `--max-endpoints-per-slice` default.
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;
/// `maxCapacity` of a legacy Endpoints object.
pub const MAX_ENDPOINTS_ADDRESSES: usize = 1000;

pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
pub const MANAGED_BY: &str = "endpointslice-controller.k8s.io";
const HEADLESS_LABEL: &str = "service.kubernetes.io/headless";
const TRIGGER_TIME: &str = "endpoints.kubernetes.io/last-change-trigger-time";
const OVER_CAPACITY: &str = "endpoints.kubernetes.io/over-capacity";

/// The Service if this controller should manage its endpoints: it has a selector and is not ExternalName.
fn managed(c: &Cluster, key: &ObjRef) -> Option<Service> {
    let svc = c.get::<Service>(key)?.clone();
    let spec = svc.spec.as_ref()?;
    if spec.selector.is_none() || spec.type_.as_deref() == Some("ExternalName") {
        return None;
    }
    Some(svc)
}

/// The pods a Service selects (a nil selector selects none; an empty one, every pod), in name order.
fn selected<'a>(c: &'a Cluster, svc: &Service) -> Vec<&'a Pod> {
    let sel = svc.spec.as_ref().and_then(|s| s.selector.as_ref());
    let Some(sel) = sel else { return Vec::new() };
    c.store()
        .list::<Pod>(Some(api::namespace_of(&svc.metadata)))
        .filter(|p| {
            let labels = p.metadata.labels.as_ref();
            sel.iter().all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
        })
        .collect()
}

/// `ShouldPodBeInEndpoints`: the pod has an IP, is not terminal by its restart policy, and (unless
/// `include_terminating`) is not being deleted.
fn should_be_in_endpoints(p: &Pod, include_terminating: bool) -> bool {
    let ip = p.status.as_ref().and_then(|s| s.pod_ip.as_deref()).unwrap_or("");
    if ip.is_empty() {
        return false;
    }
    if !include_terminating && pods::is_deleting(p) {
        return false;
    }
    let phase = pods::phase(p);
    match p.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) {
        Some("Never") => phase != "Failed" && phase != "Succeeded",
        Some("OnFailure") => phase != "Succeeded",
        _ => true,
    }
}

/// `podutil.FindPort`: a numeric targetPort as it is; a named one resolved in the pod's containers (same protocol).
pub fn find_port(p: &Pod, target: Option<&IntOrString>, port: i32, protocol: &str) -> Option<i32> {
    match target {
        None => Some(port),
        Some(IntOrString::Int(n)) => Some(*n),
        Some(IntOrString::String(name)) => {
            if let Ok(n) = name.parse::<i32>() {
                return Some(n);
            }
            p.spec.iter().flat_map(|s| s.containers.iter()).flat_map(|c| c.ports.iter().flatten()).find_map(|cp| {
                (cp.name.as_deref() == Some(name.as_str()) && cp.protocol.as_deref().unwrap_or("TCP") == protocol)
                    .then_some(cp.container_port)
            })
        }
    }
}

/// `ShouldSetHostname`: the pod names this Service as its subdomain.
fn hostname(p: &Pod, svc: &Service) -> Option<String> {
    let spec = p.spec.as_ref()?;
    let h = spec.hostname.clone().filter(|h| !h.is_empty())?;
    (spec.subdomain.as_deref() == svc.metadata.name.as_deref() && p.metadata.namespace == svc.metadata.namespace)
        .then_some(h)
}

fn target_ref(p: &Pod) -> ObjectReference {
    ObjectReference {
        kind: Some("Pod".into()),
        namespace: p.metadata.namespace.clone(),
        name: p.metadata.name.clone(),
        uid: p.metadata.uid.clone(),
        ..ObjectReference::default()
    }
}

/// The Service's labels on the objects made for it, with the headless marker (`setEndpointSliceLabels`).
fn labels_for(svc: &Service) -> BTreeMap<String, String> {
    let mut labels = svc.metadata.labels.clone().unwrap_or_default();
    labels.retain(|k, _| k != SERVICE_NAME_LABEL && k != MANAGED_BY_LABEL);
    if svc.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None") {
        labels.insert(HEADLESS_LABEL.into(), String::new());
    }
    labels
}

fn trigger_time(c: &Cluster) -> BTreeMap<String, String> {
    let t = api::time::time_at(c.now()).0.to_string();
    [(TRIGGER_TIME.to_string(), t)].into_iter().collect()
}

/// `podToEndpoint`.
fn endpoint(p: &Pod, svc: &Service, c: &Cluster) -> Endpoint {
    let serving = pods::is_ready(p);
    let terminating = pods::is_deleting(p);
    let publish = svc.spec.as_ref().and_then(|s| s.publish_not_ready_addresses).unwrap_or(false);
    let ready = publish || (serving && !terminating);
    let node = pods::node_name(p).to_string();
    let zone = c
        .get::<api::Node>(&ObjRef::new(Kind::Node, "", &node))
        .and_then(|n| api::label(&n.metadata, "topology.kubernetes.io/zone").map(str::to_string));
    Endpoint {
        addresses: vec![p.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default()],
        conditions: Some(EndpointConditions {
            ready: Some(ready),
            serving: Some(serving),
            terminating: Some(terminating),
        }),
        hostname: hostname(p, svc),
        node_name: (!node.is_empty()).then_some(node),
        target_ref: Some(target_ref(p)),
        zone,
        ..Endpoint::default()
    }
}

/// The ports of a pod's endpoint: each Service port whose target the pod has (`getEndpointPorts`).
fn slice_ports(p: &Pod, svc: &Service) -> Vec<EndpointPort> {
    let ports = svc.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or_default();
    ports
        .iter()
        .filter_map(|sp| {
            let protocol = sp.protocol.clone().unwrap_or_else(|| "TCP".into());
            let n = find_port(p, sp.target_port.as_ref(), sp.port, &protocol)?;
            Some(EndpointPort {
                name: Some(sp.name.clone().unwrap_or_default()),
                port: Some(n),
                protocol: Some(protocol),
                app_protocol: sp.app_protocol.clone(),
            })
        })
        .collect()
}

/// `EndpointSlice` sync of one Service.
pub fn sync_slices(c: &mut Cluster, key: &ObjRef) {
    let existing: Vec<EndpointSlice> = c
        .store()
        .list::<EndpointSlice>(Some(&key.namespace))
        .filter(|s| {
            api::label(&s.metadata, SERVICE_NAME_LABEL) == Some(key.name.as_str())
                && api::label(&s.metadata, MANAGED_BY_LABEL) == Some(MANAGED_BY)
        })
        .cloned()
        .collect();
    let Some(svc) = managed(c, key) else {
        for s in existing {
            c.by(Controller::EndpointSlice).delete::<EndpointSlice>(&ObjRef::of(&s), Propagation::Background);
        }
        return;
    };
    // Endpoints grouped by their port set, each group in address order.
    let mut groups: BTreeMap<String, (Vec<EndpointPort>, Vec<Endpoint>)> = BTreeMap::new();
    for p in selected(c, &svc) {
        if !should_be_in_endpoints(p, true) {
            continue;
        }
        let ports = slice_ports(p, &svc);
        let k = serde_json::to_string(&ports).unwrap_or_default();
        groups.entry(k).or_insert_with(|| (ports, Vec::new())).1.push(endpoint(p, &svc, c));
    }
    let mut desired: Vec<(Vec<EndpointPort>, Vec<Endpoint>)> = Vec::new();
    for (_, (ports, mut eps)) in groups {
        crate::util::sort_by(&mut eps, |a, b| a.addresses.cmp(&b.addresses));
        for chunk in eps.chunks(MAX_ENDPOINTS_PER_SLICE) {
            desired.push((ports.clone(), chunk.to_vec()));
        }
    }
    if desired.is_empty() {
        // The placeholder slice: a selector with nothing behind it still has one, empty.
        desired.push((Vec::new(), Vec::new()));
    }
    let mut labels = labels_for(&svc);
    labels.insert(SERVICE_NAME_LABEL.into(), key.name.clone());
    labels.insert(MANAGED_BY_LABEL.into(), MANAGED_BY.into());
    let owner = OwnerReference {
        api_version: "v1".into(),
        kind: "Service".into(),
        name: key.name.clone(),
        uid: svc.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    };
    let mut unused: Vec<EndpointSlice> = existing;
    crate::util::sort_by(&mut unused, |a, b| a.metadata.name.cmp(&b.metadata.name));
    for (ports, eps) in desired {
        let reuse = unused.iter().position(|s| s.ports.clone().unwrap_or_default() == ports);
        let ports = (!ports.is_empty()).then_some(ports);
        match reuse.map(|i| unused.remove(i)) {
            Some(old) => {
                if old.endpoints == eps && old.ports == ports && old.metadata.labels.as_ref() == Some(&labels) {
                    continue;
                }
                let mut s = old.clone();
                s.endpoints = eps;
                s.ports = ports;
                s.metadata.labels = Some(labels.clone());
                s.metadata.annotations = Some(trigger_time(c));
                let n = s.endpoints.len();
                if c.by(Controller::EndpointSlice).update(s).is_some() {
                    c.decide(Controller::EndpointSlice, &ObjRef::of(&old), Why::EndpointSliceUpdated { endpoints: n });
                }
            }
            None => {
                let s = EndpointSlice {
                    metadata: ObjectMeta {
                        generate_name: Some(format!("{}-", key.name)),
                        namespace: Some(key.namespace.clone()),
                        labels: Some(labels.clone()),
                        annotations: Some(trigger_time(c)),
                        owner_references: Some(vec![owner.clone()]),
                        ..ObjectMeta::default()
                    },
                    address_type: "IPv4".into(),
                    endpoints: eps,
                    ports,
                };
                let n = s.endpoints.len();
                if let Some(created) = c.by(Controller::EndpointSlice).create(s) {
                    c.decide(
                        Controller::EndpointSlice,
                        &ObjRef::of(&*created),
                        Why::EndpointSliceCreated { endpoints: n },
                    );
                }
            }
        }
    }
    for s in unused {
        c.by(Controller::EndpointSlice).delete::<EndpointSlice>(&ObjRef::of(&s), Propagation::Background);
    }
}

/// (name, port, protocol) of a legacy endpoint port; `-1` stands for "no ports" (a headless Service without any).
type PortKey = (String, i32, String);
/// Addresses by (ip, pod uid), with whether each is ready.
type AddressSet = BTreeMap<(String, String), (EndpointAddress, bool)>;

/// The legacy `Endpoints` sync of one Service.
pub fn sync_endpoints(c: &mut Cluster, key: &ObjRef) {
    let ep_ref = ObjRef::new(Kind::Endpoints, &key.namespace, &key.name);
    let existing = c.get::<Endpoints>(&ep_ref).cloned();
    if c.get::<Service>(key).is_none() {
        if existing.is_some() {
            c.by(Controller::Endpoints).delete::<Endpoints>(&ep_ref, Propagation::Background);
        }
        return;
    }
    let Some(svc) = managed(c, key) else { return };
    let spec = svc.spec.clone().unwrap_or_default();
    let tolerate_unready = spec.publish_not_ready_addresses.unwrap_or(false);
    let headless = spec.cluster_ip.as_deref() == Some("None");
    // Port → (address key → (address, ready)), then repacked as `RepackSubsets` does.
    let mut by_port: BTreeMap<PortKey, AddressSet> = BTreeMap::new();
    let mut count = 0;
    for p in selected(c, &svc) {
        if !should_be_in_endpoints(p, tolerate_unready) {
            continue;
        }
        if count >= MAX_ENDPOINTS_ADDRESSES {
            break;
        }
        count += 1;
        let ip = p.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default();
        let ready = tolerate_unready || pods::is_ready(p);
        let addr = EndpointAddress {
            ip: ip.clone(),
            hostname: hostname(p, &svc),
            node_name: Some(pods::node_name(p).to_string()).filter(|n| !n.is_empty()),
            target_ref: Some(target_ref(p)),
        };
        let addr_key = (ip, p.metadata.uid.clone().unwrap_or_default());
        let ports = spec.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            if headless {
                by_port.entry((String::new(), -1, String::new())).or_default().insert(addr_key, (addr, ready));
            }
            continue;
        }
        for sp in ports {
            let protocol = sp.protocol.clone().unwrap_or_else(|| "TCP".into());
            let Some(n) = find_port(p, sp.target_port.as_ref(), sp.port, &protocol) else { continue };
            let port_key = (sp.name.clone().unwrap_or_default(), n, protocol);
            by_port.entry(port_key).or_default().insert(addr_key.clone(), (addr.clone(), ready));
        }
    }
    // Ports offered by exactly the same addresses share a subset.
    let mut subsets: BTreeMap<String, EndpointSubset> = BTreeMap::new();
    for ((name, port, protocol), addrs) in by_port {
        let set_key = addrs.iter().map(|((ip, uid), (_, r))| format!("{ip}/{uid}/{r}")).collect::<Vec<_>>().join(",");
        let ss = subsets.entry(set_key).or_insert_with(|| {
            let (ready, not_ready): (Vec<_>, Vec<_>) = addrs.values().cloned().partition(|(_, r)| *r);
            let strip = |v: Vec<(EndpointAddress, bool)>| {
                let v: Vec<EndpointAddress> = v.into_iter().map(|(a, _)| a).collect();
                (!v.is_empty()).then_some(v)
            };
            EndpointSubset { addresses: strip(ready), not_ready_addresses: strip(not_ready), ports: None }
        });
        if port >= 0 {
            ss.ports.get_or_insert_with(Vec::new).push(CorePort {
                name: (!name.is_empty()).then_some(name),
                port,
                protocol: Some(protocol),
                app_protocol: None,
            });
        }
    }
    let subsets: Vec<EndpointSubset> = subsets.into_values().collect();
    let subsets = (!subsets.is_empty()).then_some(subsets);
    let mut annotations = trigger_time(c);
    if count >= MAX_ENDPOINTS_ADDRESSES {
        annotations.insert(OVER_CAPACITY.into(), "truncated".into());
    }
    let labels = labels_for(&svc);
    let labels = (!labels.is_empty()).then_some(labels);
    match existing {
        Some(old) => {
            if old.subsets == subsets && old.metadata.labels == labels {
                return;
            }
            let mut e = old.clone();
            e.subsets = subsets;
            e.metadata.labels = labels;
            e.metadata.annotations = Some(annotations);
            if c.by(Controller::Endpoints).update(e).is_some() {
                c.decide(Controller::Endpoints, &ep_ref, Why::EndpointsUpdated);
            }
        }
        None => {
            let e = Endpoints {
                metadata: ObjectMeta {
                    name: Some(key.name.clone()),
                    namespace: Some(key.namespace.clone()),
                    labels,
                    annotations: Some(annotations),
                    ..ObjectMeta::default()
                },
                subsets,
            };
            if c.by(Controller::Endpoints).create(e).is_some() {
                c.decide(Controller::Endpoints, &ep_ref, Why::EndpointsCreated);
            }
        }
    }
}
