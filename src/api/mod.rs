//! Kubernetes' own types (k8s-openapi, Kubernetes 1.35) and the small helpers every layer needs: int-or-percent
//! scaling, label selectors, virtual time as API timestamps, and accessors with the API server's defaults.

pub mod defaults;
pub mod intstr;
pub mod kind;
pub mod pod_columns;
pub mod quantity;
pub mod selector;
pub mod status;
pub mod time;
pub mod validation;

pub use k8s_openapi::api::apps::v1::{Deployment, DeploymentCondition, ReplicaSet, ReplicaSetCondition};
pub use k8s_openapi::api::core::v1::{
    ConfigMap, Container, ContainerStatus, Endpoints, Event, Namespace, Node, Pod, PodCondition, PodSpec,
    PodTemplateSpec, Secret, Service,
};
pub use k8s_openapi::api::discovery::v1::EndpointSlice;
pub use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference, Time};
pub use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
pub use kind::{Kind, Typed};

/// The Kubernetes version kubeplay simulates (API types, controller behaviour, kubectl output).
pub const KUBERNETES_VERSION: &str = "v1.35.0";

/// An `omitempty` integer field as the API server stores it: Go's zero value is left out of the JSON, so it reads
/// back as absent.
pub fn omit_zero(n: i32) -> Option<i32> {
    (n != 0).then_some(n)
}

/// The `status.loadBalancer.ingress` entries of a Service.
pub fn load_balancer_ingresses(s: &Service) -> impl Iterator<Item = &k8s_openapi::api::core::v1::LoadBalancerIngress> {
    s.status.as_ref().and_then(|st| st.load_balancer.as_ref()).and_then(|lb| lb.ingress.as_ref()).into_iter().flatten()
}

/// The IP (or hostname) of each `status.loadBalancer.ingress` entry of a Service.
pub fn load_balancer_ingress(s: &Service) -> Vec<String> {
    load_balancer_ingresses(s).filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone())).collect()
}

/// `metadata.namespace`, or `""` for cluster-scoped objects.
pub fn namespace_of(meta: &ObjectMeta) -> &str {
    meta.namespace.as_deref().unwrap_or("")
}

pub fn name_of(meta: &ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

pub fn annotation<'a>(meta: &'a ObjectMeta, key: &str) -> Option<&'a str> {
    meta.annotations.as_ref()?.get(key).map(String::as_str)
}

pub fn set_annotation(meta: &mut ObjectMeta, key: &str, value: impl Into<String>) {
    meta.annotations.get_or_insert_with(Default::default).insert(key.to_string(), value.into());
}

pub fn label<'a>(meta: &'a ObjectMeta, key: &str) -> Option<&'a str> {
    meta.labels.as_ref()?.get(key).map(String::as_str)
}

/// The controlling owner reference (`controller: true`), if any.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references.as_ref()?.iter().find(|r| r.controller == Some(true))
}

/// An owner reference as controllers set it: `controller: true`, `blockOwnerDeletion: true`.
pub fn controller_ref(api_version: &str, kind: &str, owner: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        name: name_of(owner).to_string(),
        uid: owner.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// When the kubelet of `node` last renewed its Lease in `kube-node-lease` (it renews it every 10 seconds from the
/// node's creation), as of `now`.
pub fn node_lease_renewed(node: &Node, now: crate::api::time::Millis) -> crate::api::time::Millis {
    let created = node.metadata.creation_timestamp.as_ref().map_or(0, time::millis_of);
    created + (now.saturating_sub(created) / 10_000) * 10_000
}
