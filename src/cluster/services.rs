//! What the API server does to a Service when it is stored: its defaults (`SetDefaults_Service`), the ClusterIP
//! allocator and the NodePort allocator (§5.2, §5.3), and the fields it carries over or drops on update
//! (`patchAllocatedValues`, `dropTypeDependentFields`).
//!
//! Both allocators are "random with a static band" (KEP-3070): a dynamic allocation starts at a seeded random offset in
//! the upper part of the range and scans forward, wrapping, for a free value; the low band is tried only when the
//! upper part is full. Explicit requests may take any free value in the range.

use crate::api::validation::FieldError;
use crate::api::Service;
use crate::cluster::rng::Rng;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// The service CIDR, kubeadm's (and kind's and minikube's) default.
pub const SERVICE_CIDR: &str = "10.96.0.0/12";
const CIDR_BASE: u32 = 0x0A60_0000; // 10.96.0.0
const CIDR_SIZE: u32 = 1 << 20;
/// `min(max(16, size/16), 256)` addresses after the network address are kept for explicit requests.
const IP_BAND: u32 = 256;

pub const NODE_PORT_MIN: i32 = 30000;
pub const NODE_PORT_MAX: i32 = 32767;
/// `min(max(16, size/32), 128)` for 2768 ports: 86.
const PORT_BAND: i32 = 86;

/// Everything taken: cluster IPs (as offsets) and node ports (with protocol).
#[derive(Debug, Default)]
pub struct Taken {
    pub ips: BTreeSet<u32>,
    pub node_ports: BTreeSet<(i32, String)>,
}

impl Taken {
    pub fn of<'a>(services: impl Iterator<Item = &'a Service>) -> Taken {
        let mut t = Taken::default();
        for s in services {
            let Some(spec) = &s.spec else { continue };
            if let Some(off) = spec.cluster_ip.as_deref().and_then(ip_offset) {
                t.ips.insert(off);
            }
            for p in spec.ports.iter().flatten() {
                if let Some(np) = p.node_port.filter(|n| *n != 0) {
                    t.node_ports.insert((np, p.protocol.clone().unwrap_or_else(|| "TCP".into())));
                }
            }
            if let Some(hc) = spec.health_check_node_port.filter(|n| *n != 0) {
                t.node_ports.insert((hc, "TCP".into()));
            }
        }
        t
    }
}

fn ip_offset(ip: &str) -> Option<u32> {
    let ip: Ipv4Addr = ip.parse().ok()?;
    let n = u32::from(ip);
    (CIDR_BASE..CIDR_BASE + CIDR_SIZE).contains(&n).then(|| n - CIDR_BASE)
}

fn ip_at(offset: u32) -> String {
    Ipv4Addr::from(CIDR_BASE + offset).to_string()
}

/// A free value in `[lo, hi]`, scanning from a random start in the upper part `[band_end, hi]` first.
fn scan(lo: u32, band_end: u32, hi: u32, rng: &mut Rng, taken: impl Fn(u32) -> bool) -> Option<u32> {
    for (from, to) in [(band_end, hi), (lo, band_end.saturating_sub(1))] {
        if to < from {
            continue;
        }
        let len = u64::from(to - from) + 1;
        let start = rng.below(len);
        for i in 0..len {
            let v = from + u32::try_from((start + i) % len).unwrap_or(0);
            if !taken(v) {
                return Some(v);
            }
        }
    }
    None
}

fn needs_node_ports(ty: &str, s: &Service) -> bool {
    ty == "NodePort"
        || (ty == "LoadBalancer" && s.spec.as_ref().and_then(|sp| sp.allocate_load_balancer_node_ports).unwrap_or(true))
}

/// Allocates a new Service's ClusterIP and node ports, honouring explicit requests. Errors are the allocator's,
/// worded as the API server words them.
pub fn allocate(s: &mut Service, taken: &Taken, rng: &mut Rng) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let ty = s.spec.as_ref().and_then(|sp| sp.type_.clone()).unwrap_or_else(|| "ClusterIP".into());
    let node_ports = needs_node_ports(&ty, s);
    let Some(spec) = s.spec.as_mut() else { return errs };
    if ty != "ExternalName" {
        match spec.cluster_ip.clone().filter(|ip| !ip.is_empty()) {
            Some(ip) if ip == "None" => {}
            Some(ip) => match ip_offset(&ip) {
                Some(off) if off != 0 && off != CIDR_SIZE - 1
                    && taken.ips.contains(&off) => {
                        errs.push(FieldError {
                            path: "spec.clusterIPs".into(),
                            detail: format!(
                                "Invalid value: [{ip:?}]: failed to allocate IP {ip}: provided IP is already allocated"
                            ),
                        });
                    }
                // In range and free: the requested IP is taken as is.
                Some(off) if off != 0 && off != CIDR_SIZE - 1 => {}
                _ if ip.parse::<Ipv4Addr>().is_ok() => errs.push(FieldError {
                    path: "spec.clusterIPs".into(),
                    detail: format!(
                        "Invalid value: [{ip:?}]: failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {SERVICE_CIDR}"
                    ),
                }),
                _ => {}
            },
            None => match scan(1, IP_BAND + 1, CIDR_SIZE - 2, rng, |o| taken.ips.contains(&o)) {
                Some(off) => spec.cluster_ip = Some(ip_at(off)),
                None => errs.push(FieldError {
                    path: "spec.clusterIPs".into(),
                    detail: "Internal error: failed to allocate a serviceIP: range is full".into(),
                }),
            },
        }
        spec.cluster_ips = spec.cluster_ip.clone().map(|ip| vec![ip]);
        spec.ip_families.get_or_insert_with(|| vec!["IPv4".into()]);
        spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
    }
    if node_ports {
        let mut mine: BTreeSet<(i32, String)> = BTreeSet::new();
        for (i, p) in spec.ports.iter_mut().flatten().enumerate() {
            let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
            match p.node_port.filter(|n| *n != 0) {
                Some(np) => {
                    let path = format!("spec.ports[{i}].nodePort");
                    if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&np) {
                        errs.push(FieldError {
                            path,
                            detail: format!("Invalid value: {np}: provided port is not in the valid range. The range of valid ports is {NODE_PORT_MIN}-{NODE_PORT_MAX}"),
                        });
                    } else if taken.node_ports.contains(&(np, proto.clone())) {
                        errs.push(FieldError {
                            path,
                            detail: format!("Invalid value: {np}: provided port is already allocated"),
                        });
                    }
                    mine.insert((np, proto));
                }
                None => {
                    let lo = u32::try_from(NODE_PORT_MIN).unwrap_or(0);
                    let used = |v: u32| {
                        let v = i32::try_from(v).unwrap_or(0);
                        taken.node_ports.contains(&(v, proto.clone())) || mine.contains(&(v, proto.clone()))
                    };
                    match scan(lo, lo + PORT_BAND as u32, NODE_PORT_MAX as u32, rng, used) {
                        Some(v) => {
                            let v = i32::try_from(v).unwrap_or(0);
                            p.node_port = Some(v);
                            mine.insert((v, proto));
                        }
                        None => errs.push(FieldError {
                            path: format!("spec.ports[{i}].nodePort"),
                            detail: "Internal error: failed to allocate a nodePort: range is full".into(),
                        }),
                    }
                }
            }
        }
    }
    // `allocHealthCheckNodePort`: a LoadBalancer keeping traffic on local endpoints gets a port for the cloud's
    // health checks, from the same range.
    let local_lb = ty == "LoadBalancer" && spec.external_traffic_policy.as_deref() == Some("Local");
    if local_lb && spec.health_check_node_port.is_none_or(|p| p == 0) {
        let lo = u32::try_from(NODE_PORT_MIN).unwrap_or(0);
        let mine: BTreeSet<i32> = spec.ports.iter().flatten().filter_map(|p| p.node_port).collect();
        let used = |v: u32| {
            let v = i32::try_from(v).unwrap_or(0);
            taken.node_ports.contains(&(v, "TCP".into())) || mine.contains(&v)
        };
        spec.health_check_node_port =
            scan(lo, lo + PORT_BAND as u32, NODE_PORT_MAX as u32, rng, used).and_then(|v| i32::try_from(v).ok());
    }
    errs
}

/// On update: values the user left out are carried over from the stored Service (`patchAllocatedValues`), and node
/// ports a type no longer needs are dropped (`dropTypeDependentFields`).
pub fn carry_over(new: &mut Service, old: &Service) {
    let (Some(spec), Some(old_spec)) = (new.spec.as_mut(), old.spec.as_ref()) else { return };
    let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    if ty != "ExternalName" && spec.cluster_ip.as_deref().is_none_or(str::is_empty) {
        spec.cluster_ip = old_spec.cluster_ip.clone();
        spec.cluster_ips = old_spec.cluster_ips.clone();
    }
    let keeps_ports = matches!(ty.as_str(), "NodePort" | "LoadBalancer");
    for p in spec.ports.iter_mut().flatten() {
        let old_port = old_spec.ports.iter().flatten().find(|o| o.port == p.port && o.protocol == p.protocol);
        match old_port.and_then(|o| o.node_port) {
            Some(np) if keeps_ports && p.node_port.is_none_or(|n| n == 0) => p.node_port = Some(np),
            Some(np) if !keeps_ports && p.node_port == Some(np) => p.node_port = None,
            _ => {}
        }
    }
    // The health-check port lives as long as the Service is a LoadBalancer with `externalTrafficPolicy: Local`.
    let local_lb = ty == "LoadBalancer" && spec.external_traffic_policy.as_deref() == Some("Local");
    if !local_lb {
        spec.health_check_node_port = None;
    } else if spec.health_check_node_port.is_none_or(|p| p == 0) {
        spec.health_check_node_port = old_spec.health_check_node_port;
    }
}

/// Node ports that an update adds (new ports, or a type that now needs them) are allocated like a create's.
pub fn allocate_on_update(new: &mut Service, taken: &Taken, rng: &mut Rng) -> Vec<FieldError> {
    let ty = new.spec.as_ref().and_then(|s| s.type_.clone()).unwrap_or_else(|| "ClusterIP".into());
    if !needs_node_ports(&ty, new) {
        return Vec::new();
    }
    // Keep the Service's own IP out of the "taken" check by allocating with the IP already set.
    allocate(new, taken, rng).into_iter().filter(|e| e.path != "spec.clusterIPs").collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::defaults::service as defaults;
    use k8s_openapi::api::core::v1::{ServicePort, ServiceSpec};

    fn svc(ty: &str, ports: &[(i32, Option<i32>)]) -> Service {
        Service {
            spec: Some(ServiceSpec {
                type_: Some(ty.into()),
                ports: Some(
                    ports
                        .iter()
                        .map(|(p, np)| ServicePort { port: *p, node_port: *np, ..Default::default() })
                        .collect(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn dynamic_cluster_ips_come_from_above_the_static_band() {
        let mut rng = Rng::new(7);
        for _ in 0..200 {
            let mut s = svc("ClusterIP", &[(80, None)]);
            defaults(&mut s);
            assert!(allocate(&mut s, &Taken::default(), &mut rng).is_empty());
            let ip: Ipv4Addr = s.spec.unwrap().cluster_ip.unwrap().parse().unwrap();
            let off = u32::from(ip) - CIDR_BASE;
            assert!(off > IP_BAND && off < CIDR_SIZE - 1, "{ip}");
        }
    }

    #[test]
    fn explicit_ips_and_ports_are_checked() {
        let mut rng = Rng::new(1);
        let mut taken = Taken::default();
        taken.ips.insert(10);
        taken.node_ports.insert((30080, "TCP".into()));
        let mut s = svc("NodePort", &[(80, Some(30080)), (81, Some(80))]);
        s.spec.as_mut().unwrap().cluster_ip = Some("10.96.0.10".into());
        defaults(&mut s);
        let errs: Vec<String> = allocate(&mut s, &taken, &mut rng).iter().map(ToString::to_string).collect();
        assert_eq!(
            errs,
            [
                "spec.clusterIPs: Invalid value: [\"10.96.0.10\"]: failed to allocate IP 10.96.0.10: provided IP is already allocated",
                "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
                "spec.ports[1].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767",
            ]
        );
        let mut s = svc("ClusterIP", &[(80, None)]);
        s.spec.as_mut().unwrap().cluster_ip = Some("10.96.0.123".into());
        assert_eq!(allocate(&mut s, &taken, &mut rng), []);
        assert_eq!(s.spec.as_ref().unwrap().cluster_ip.as_deref(), Some("10.96.0.123"));
        let mut s = svc("ClusterIP", &[(80, None)]);
        s.spec.as_mut().unwrap().cluster_ip = Some("10.0.0.5".into());
        assert!(allocate(&mut s, &taken, &mut rng)[0].detail.ends_with("The range of valid IPs is 10.96.0.0/12"));
    }

    #[test]
    fn dynamic_node_ports_avoid_the_band_and_each_other() {
        let mut rng = Rng::new(3);
        let mut s = svc("LoadBalancer", &[(80, None), (443, None)]);
        defaults(&mut s);
        assert!(allocate(&mut s, &Taken::default(), &mut rng).is_empty());
        let ports: Vec<i32> = s.spec.unwrap().ports.unwrap().iter().map(|p| p.node_port.unwrap()).collect();
        assert!(ports.iter().all(|p| (NODE_PORT_MIN + PORT_BAND..=NODE_PORT_MAX).contains(p)), "{ports:?}");
        assert_ne!(ports[0], ports[1]);
    }

    #[test]
    fn updates_keep_allocated_values_and_drop_unneeded_node_ports() {
        let mut old = svc("NodePort", &[(80, Some(30500))]);
        old.spec.as_mut().unwrap().cluster_ip = Some("10.100.0.1".into());
        let mut new = svc("NodePort", &[(80, None)]);
        carry_over(&mut new, &old);
        assert_eq!(new.spec.as_ref().unwrap().ports.as_ref().unwrap()[0].node_port, Some(30500));
        assert_eq!(new.spec.as_ref().unwrap().cluster_ip.as_deref(), Some("10.100.0.1"));
        let mut to_cluster_ip = svc("ClusterIP", &[(80, Some(30500))]);
        carry_over(&mut to_cluster_ip, &old);
        assert_eq!(to_cluster_ip.spec.unwrap().ports.unwrap()[0].node_port, None);
    }
}
