//! The simulated cloud's load balancers: the service controller of the cloud controller manager
//! (`staging/src/k8s.io/cloud-provider/controllers/service/controller.go`, `syncLoadBalancerIfNeeded`) with a cloud
//! that behaves like kind's `cloud-provider-kind`: for a Service of type LoadBalancer it records
//! `EnsuringLoadBalancer`, and after the cluster's load-balancer delay gives it an address on the nodes' network
//! (the next free one after the nodes) and records `EnsuredLoadBalancer`. A Service that stops being a
//! LoadBalancer loses its address. With the cloud switched off (`Settings::load_balancer_ms = None`), nothing
//! happens and EXTERNAL-IP stays `<pending>`, as on kind or minikube without a load-balancer implementation.

use crate::api::{self, Service};
use crate::cluster::bootstrap::node_ip;
use crate::cluster::events::Source;
use crate::cluster::events::{EventReason, EventType};
use crate::cluster::store::ObjRef;
use crate::cluster::why::Why;
use crate::cluster::{Cluster, Controller};
use k8s_openapi::api::core::v1::{LoadBalancerIngress, LoadBalancerStatus, ServiceStatus};
use std::net::Ipv4Addr;

const SOURCE: &str = "service-controller";

fn is_load_balancer(s: &Service) -> bool {
    s.spec.as_ref().and_then(|sp| sp.type_.as_deref()) == Some("LoadBalancer")
}

/// The first address after the nodes' (172.18.0.2, .3, …) that no load balancer holds.
fn free_address(c: &Cluster) -> String {
    let nodes = c.store().list::<api::Node>(None).count() as u32;
    let first: Ipv4Addr = node_ip(0).parse().unwrap_or(Ipv4Addr::new(172, 18, 0, 2));
    let used: std::collections::BTreeSet<String> =
        c.store().list::<Service>(None).flat_map(api::load_balancer_ingress).collect();
    let mut n = u32::from(first) + nodes;
    loop {
        let ip = Ipv4Addr::from(n).to_string();
        if !used.contains(&ip) {
            return ip;
        }
        n += 1;
    }
}

pub fn sync(c: &mut Cluster, key: &ObjRef) {
    let Some(svc) = c.get::<Service>(key).cloned() else {
        c.forget_load_balancer(key);
        return;
    };
    let has_address = !api::load_balancer_ingress(&svc).is_empty();
    if !is_load_balancer(&svc) {
        c.forget_load_balancer(key);
        if has_address {
            let mut s = svc.clone();
            s.status = Some(ServiceStatus { load_balancer: Some(LoadBalancerStatus::default()), ..Default::default() });
            if c.by(Controller::ServiceLb).update(s).is_some() {
                c.event(
                    &svc,
                    EventType::Normal,
                    EventReason::DeletedLoadBalancer,
                    "Deleted load balancer",
                    Source::controller(SOURCE),
                );
            }
        }
        return;
    }
    let Some(delay) = c.settings().load_balancer_ms else { return };
    if has_address {
        return;
    }
    let now = c.now();
    // The cloud's own record of the load balancers it is provisioning (not a field of the Service).
    match c.load_balancer_requested(key) {
        None => {
            c.request_load_balancer(key.clone(), now);
            c.event(
                &svc,
                EventType::Normal,
                EventReason::EnsuringLoadBalancer,
                "Ensuring load balancer",
                Source::controller(SOURCE),
            );
            c.decide(Controller::ServiceLb, key, Why::LoadBalancerProvisioning { delay });
            c.requeue_after(delay, Controller::ServiceLb, key.clone());
        }
        Some(at) if now >= at.saturating_add(delay) => {
            let ip = free_address(c);
            let mut s = svc.clone();
            s.status = Some(ServiceStatus {
                load_balancer: Some(LoadBalancerStatus {
                    ingress: Some(vec![LoadBalancerIngress {
                        ip: Some(ip.clone()),
                        ip_mode: Some("Proxy".into()),
                        ..Default::default()
                    }]),
                }),
                ..Default::default()
            });
            if c.by(Controller::ServiceLb).update(s).is_some() {
                c.forget_load_balancer(key);
                c.event(
                    &svc,
                    EventType::Normal,
                    EventReason::EnsuredLoadBalancer,
                    "Ensured load balancer",
                    Source::controller(SOURCE),
                );
                c.decide(Controller::ServiceLb, key, Why::LoadBalancerReady { ip: ip.clone() });
            }
        }
        Some(at) => c.requeue_after(at.saturating_add(delay) - now, Controller::ServiceLb, key.clone()),
    }
}
