//! The cluster DNS (CoreDNS's `kubernetes` plugin, zone `cluster.local`) and the pod's resolver that asks it.
//!
//! Records (reference §5.7, and the DNS specification of `kubernetes/dns`):
//! - `<svc>.<ns>.svc.cluster.local`: the ClusterIP; for a headless Service one A record per ready endpoint (every
//!   endpoint with `publishNotReadyAddresses`); for an ExternalName Service a CNAME to the external name.
//! - `<hostname>.<svc>.<ns>.svc.cluster.local` for endpoints with a hostname (pods with `hostname` and `subdomain`).
//! - `<a-b-c-d>.<ns>.pod.cluster.local` for any address (`pods insecure`).
//! - Any other name in the zone: NXDOMAIN. Names outside it are forwarded upstream, which kubeplay's cluster does
//!   not have (it is offline), so they are NXDOMAIN too.
//!
//! The resolver (`/etc/resolv.conf` with `search <ns>.svc.cluster.local svc.cluster.local cluster.local` and
//! `options ndots:5`) tries the search list first for names with fewer than five dots, then the name as given — so
//! `web`, `web.default`, `web.default.svc` and `web.default.svc.cluster.local` all find the Service.

use crate::api::{self, EndpointSlice, Service};
use crate::cluster::Cluster;
use crate::controllers::endpoints::SERVICE_NAME_LABEL;
use std::net::Ipv4Addr;

pub const CLUSTER_DOMAIN: &str = "cluster.local";
pub const NDOTS: usize = 5;

/// What the DNS answered for one fully qualified name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A records.
    A(Vec<String>),
    /// A CNAME (ExternalName) that kubeplay's offline cluster cannot follow further.
    Cname(String),
    /// The name exists but has no address (a headless Service without ready endpoints).
    NoData,
    NxDomain,
}

/// The result of resolving a name through the search path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The fully qualified name that answered (or the last one tried).
    pub name: String,
    pub answer: Answer,
}

/// The pod resolver's search list for a namespace.
pub fn search_list(namespace: &str) -> Vec<String> {
    vec![format!("{namespace}.svc.{CLUSTER_DOMAIN}"), format!("svc.{CLUSTER_DOMAIN}"), CLUSTER_DOMAIN.to_string()]
}

/// Resolves `name` as a pod in `namespace` does.
pub fn resolve(c: &Cluster, namespace: &str, name: &str) -> Resolved {
    let name = name.to_ascii_lowercase();
    if name.parse::<Ipv4Addr>().is_ok() {
        return Resolved { name: name.clone(), answer: Answer::A(vec![name]) };
    }
    let candidates: Vec<String> = if let Some(abs) = name.strip_suffix('.') {
        vec![abs.to_string()]
    } else {
        let searched = search_list(namespace).into_iter().map(|d| format!("{name}.{d}"));
        if name.matches('.').count() >= NDOTS {
            std::iter::once(name.clone()).chain(searched).collect()
        } else {
            searched.chain(std::iter::once(name.clone())).collect()
        }
    };
    for fqdn in candidates {
        let answer = lookup(c, &fqdn);
        if answer != Answer::NxDomain {
            return Resolved { name: fqdn, answer };
        }
    }
    // The resolver reports the name as the user gave it.
    Resolved { name, answer: Answer::NxDomain }
}

/// One query to CoreDNS for a fully qualified name (without the final dot).
pub fn lookup(c: &Cluster, fqdn: &str) -> Answer {
    let Some(rest) = fqdn.strip_suffix(&format!(".{CLUSTER_DOMAIN}")) else { return Answer::NxDomain };
    let labels: Vec<&str> = rest.split('.').collect();
    match labels.as_slice() {
        [svc, ns, "svc"] => service_answer(c, ns, svc),
        [host, svc, ns, "svc"] => {
            let ips: Vec<String> = slices(c, ns, svc)
                .flat_map(|s| s.endpoints.iter())
                .filter(|e| e.hostname.as_deref() == Some(*host))
                .flat_map(|e| e.addresses.iter().cloned())
                .collect();
            if ips.is_empty() {
                Answer::NxDomain
            } else {
                Answer::A(ips)
            }
        }
        [ip, ns, "pod"] if c.store().get::<api::Namespace>("", ns).is_some() => {
            let dotted = ip.replace('-', ".");
            if dotted.parse::<Ipv4Addr>().is_ok() {
                Answer::A(vec![dotted])
            } else {
                Answer::NxDomain
            }
        }
        _ => Answer::NxDomain,
    }
}

fn slices<'a>(c: &'a Cluster, ns: &'a str, svc: &'a str) -> impl Iterator<Item = &'a EndpointSlice> + 'a {
    c.store().list::<EndpointSlice>(Some(ns)).filter(move |s| api::label(&s.metadata, SERVICE_NAME_LABEL) == Some(svc))
}

fn service_answer(c: &Cluster, ns: &str, name: &str) -> Answer {
    let Some(svc) = c.store().get::<Service>(ns, name) else { return Answer::NxDomain };
    let Some(spec) = svc.spec.as_ref() else { return Answer::NxDomain };
    if spec.type_.as_deref() == Some("ExternalName") {
        return Answer::Cname(spec.external_name.clone().unwrap_or_default());
    }
    match spec.cluster_ip.as_deref() {
        Some("None") => {
            let all = spec.publish_not_ready_addresses == Some(true);
            let mut ips: Vec<String> = slices(c, ns, name)
                .flat_map(|s| s.endpoints.iter())
                .filter(|e| all || e.conditions.as_ref().and_then(|k| k.ready).unwrap_or(false))
                .flat_map(|e| e.addresses.iter().cloned())
                .collect();
            crate::util::sort(&mut ips);
            ips.dedup();
            if ips.is_empty() {
                Answer::NoData
            } else {
                Answer::A(ips)
            }
        }
        Some(ip) if !ip.is_empty() => Answer::A(vec![ip.to_string()]),
        _ => Answer::NxDomain,
    }
}
