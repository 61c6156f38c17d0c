//! URLs that work from an origin, for the traffic form: from the workstation each LoadBalancer address and each
//! node's address with a Service's node port (what reaches a cluster from outside); from a pod each Service by its
//! DNS name (short in the pod's namespace, `<name>.<namespace>` elsewhere). The API server's own Service
//! (`default/kubernetes`) and the system namespace's Services are left out: they are not what a learner routes to.

use super::{internal_ip, Origin};
use crate::api::{self, Node, Service};
use crate::cluster::Cluster;
use k8s_openapi::api::core::v1::ServicePort;

/// Whether a Service is one of the learner's (not the API server's, not kube-system's).
fn learners(s: &Service) -> bool {
    let ns = api::namespace_of(&s.metadata);
    !(ns == "kube-system" || ns == "default" && api::name_of(&s.metadata) == "kubernetes")
}

fn tcp_ports(s: &Service) -> impl Iterator<Item = &ServicePort> {
    s.spec.iter().flat_map(|sp| sp.ports.iter().flatten()).filter(|p| p.protocol.as_deref().unwrap_or("TCP") == "TCP")
}

/// `http://host:port/`, leaving out port 80.
fn url(host: &str, port: i32) -> String {
    if port == 80 {
        format!("http://{host}/")
    } else {
        format!("http://{host}:{port}/")
    }
}

/// The URLs that reach the learner's Services from `origin`, in Service name order.
pub fn urls(c: &Cluster, origin: &Origin) -> Vec<String> {
    let services: Vec<&Service> = c.store().list::<Service>(None).filter(|s| learners(s)).collect();
    let mut out = Vec::new();
    match origin {
        Origin::Workstation => {
            let nodes: Vec<&str> = c.store().list::<Node>(None).filter_map(internal_ip).collect();
            for s in &services {
                let ingress = s.status.as_ref().and_then(|st| st.load_balancer.as_ref()?.ingress.as_ref());
                for ip in ingress.iter().flat_map(|i| i.iter()).filter_map(|i| i.ip.as_deref()) {
                    out.extend(tcp_ports(s).map(|p| url(ip, p.port)));
                }
                for port in tcp_ports(s).filter_map(|p| p.node_port) {
                    out.extend(nodes.iter().map(|ip| url(ip, port)));
                }
            }
        }
        Origin::Pod(pod) => {
            for s in &services {
                let spec = s.spec.as_ref();
                if spec.and_then(|sp| sp.type_.as_deref()) == Some("ExternalName") {
                    continue;
                }
                let ns = api::namespace_of(&s.metadata);
                let name = api::name_of(&s.metadata);
                let host = if ns == pod.namespace { name.to_string() } else { format!("{name}.{ns}") };
                out.extend(tcp_ports(s).map(|p| url(&host, p.port)));
            }
        }
    }
    out.dedup();
    out
}
