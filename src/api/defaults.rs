//! Defaults the API server applies before storing an object (`SetObjectDefaults_*` of apps/v1 and core/v1, for the
//! fields kubeplay simulates). Templates must be defaulted identically on every path, or the Deployment controller
//! would see two equal templates as different and mint spurious ReplicaSets.

use super::{Deployment, IntOrString, Namespace, Pod, PodSpec, PodTemplateSpec, ReplicaSet, Secret, Service};
use k8s_openapi::api::apps::v1::{DeploymentStrategy, RollingUpdateDeployment};
use k8s_openapi::api::core::v1::{Container, PodSecurityContext, Probe};

pub fn deployment(d: &mut Deployment) {
    let spec = d.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    let strategy = spec.strategy.get_or_insert_with(DeploymentStrategy::default);
    let kind = strategy.type_.get_or_insert_with(|| "RollingUpdate".to_string()).clone();
    if kind == "RollingUpdate" {
        let ru = strategy.rolling_update.get_or_insert_with(RollingUpdateDeployment::default);
        ru.max_surge.get_or_insert_with(|| IntOrString::String("25%".into()));
        ru.max_unavailable.get_or_insert_with(|| IntOrString::String("25%".into()));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    template(&mut spec.template);
}

/// The namespace lifecycle: the `kubernetes.io/metadata.name` label, the `kubernetes` finalizer, phase Active.
pub fn namespace(n: &mut Namespace) {
    let name = n.metadata.name.clone().unwrap_or_default();
    n.metadata.labels.get_or_insert_with(Default::default).insert("kubernetes.io/metadata.name".into(), name);
    n.spec.get_or_insert_with(Default::default).finalizers.get_or_insert_with(|| vec!["kubernetes".into()]);
    n.status.get_or_insert_with(Default::default).phase.get_or_insert_with(|| "Active".into());
}

/// `type: Opaque`, and `stringData` (write-only) folded into `data`, as the API server does.
pub fn secret(s: &mut Secret) {
    s.type_.get_or_insert_with(|| "Opaque".into());
    if let Some(strings) = s.string_data.take() {
        let data = s.data.get_or_insert_with(Default::default);
        for (k, v) in strings {
            data.insert(k, k8s_openapi::ByteString(v.into_bytes()));
        }
    }
}

pub fn replica_set(rs: &mut ReplicaSet) {
    let spec = rs.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    if let Some(t) = spec.template.as_mut() {
        template(t);
    }
}

/// `SetDefaults_Pod`: what only pods (not templates) get.
pub fn pod(p: &mut Pod) {
    let spec = p.spec.get_or_insert_with(Default::default);
    pod_spec(spec);
    spec.enable_service_links.get_or_insert(true);
    // Requests default to limits when only limits are given.
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        let Some(res) = c.resources.as_mut() else { continue };
        let Some(limits) = res.limits.clone() else { continue };
        let requests = res.requests.get_or_insert_with(Default::default);
        for (k, v) in limits {
            requests.entry(k).or_insert(v);
        }
    }
}

pub fn template(t: &mut PodTemplateSpec) {
    pod_spec(t.spec.get_or_insert_with(Default::default));
}

pub fn pod_spec(spec: &mut PodSpec) {
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.scheduler_name.get_or_insert_with(|| "default-scheduler".into());
    spec.security_context.get_or_insert_with(PodSecurityContext::default);
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        container(c);
    }
}

/// `imagePullPolicy` is `Always` for `:latest` or an image without a tag, `IfNotPresent` otherwise.
pub fn image_pull_policy(image: &str) -> &'static str {
    let after_slash = image.rsplit('/').next().unwrap_or(image);
    let without_digest = after_slash.split('@').next().unwrap_or(after_slash);
    if image.contains('@') {
        return "IfNotPresent";
    }
    match without_digest.split_once(':') {
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

pub fn container(c: &mut Container) {
    let policy = image_pull_policy(c.image.as_deref().unwrap_or(""));
    c.image_pull_policy.get_or_insert_with(|| policy.into());
    c.termination_message_path.get_or_insert_with(|| "/dev/termination-log".into());
    c.termination_message_policy.get_or_insert_with(|| "File".into());
    // Not a default but Go's encoding: the struct is never omitted, so the API prints `resources: {}`.
    c.resources.get_or_insert_with(Default::default);
    for env in c.env.iter_mut().flatten() {
        if let Some(f) = env.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
            f.api_version.get_or_insert_with(|| "v1".into());
        }
    }
    for port in c.ports.iter_mut().flatten() {
        port.protocol.get_or_insert_with(|| "TCP".into());
    }
    for probe in [&mut c.readiness_probe, &mut c.liveness_probe, &mut c.startup_probe].into_iter().flatten() {
        probe_defaults(probe);
    }
}

fn probe_defaults(p: &mut Probe) {
    p.timeout_seconds.get_or_insert(1);
    p.period_seconds.get_or_insert(10);
    p.success_threshold.get_or_insert(1);
    p.failure_threshold.get_or_insert(3);
    if let Some(http) = p.http_get.as_mut() {
        http.path.get_or_insert_with(|| "/".into());
        http.scheme.get_or_insert_with(|| "HTTP".into());
    }
}

/// `SetDefaults_Service` and friends, for the fields that do not need the allocator.
pub fn service(s: &mut Service) {
    let spec = s.spec.get_or_insert_with(Default::default);
    let ty = spec.type_.get_or_insert_with(|| "ClusterIP".into()).clone();
    spec.session_affinity.get_or_insert_with(|| "None".into());
    if ty != "ExternalName" {
        spec.internal_traffic_policy.get_or_insert_with(|| "Cluster".into());
    }
    if spec.session_affinity.as_deref() == Some("ClientIP") {
        let cfg = spec.session_affinity_config.get_or_insert_with(Default::default);
        let ip = cfg.client_ip.get_or_insert_with(Default::default);
        ip.timeout_seconds.get_or_insert(10800);
    }
    if matches!(ty.as_str(), "NodePort" | "LoadBalancer") {
        spec.external_traffic_policy.get_or_insert_with(|| "Cluster".into());
    }
    if ty == "LoadBalancer" {
        spec.allocate_load_balancer_node_ports.get_or_insert(true);
    }
    for p in spec.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".into());
        if ty != "ExternalName" && matches!(p.target_port, None | Some(IntOrString::Int(0))) {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    if let Some(ip) = spec.cluster_ip.clone().filter(|ip| !ip.is_empty()) {
        spec.cluster_ips.get_or_insert_with(|| vec![ip]);
    }
    if spec.cluster_ip.is_some() && ty != "ExternalName" {
        spec.ip_families.get_or_insert_with(|| vec!["IPv4".into()]);
        spec.ip_family_policy.get_or_insert_with(|| "SingleStack".into());
    }
    s.status.get_or_insert_with(Default::default).load_balancer.get_or_insert_with(Default::default);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_pull_policy_follows_the_tag() {
        assert_eq!(image_pull_policy("nginx"), "Always");
        assert_eq!(image_pull_policy("nginx:latest"), "Always");
        assert_eq!(image_pull_policy("nginx:1.10"), "IfNotPresent");
        assert_eq!(image_pull_policy("localhost:5000/app"), "Always");
        assert_eq!(image_pull_policy("localhost:5000/app:v2"), "IfNotPresent");
        assert_eq!(image_pull_policy("nginx@sha256:abc"), "IfNotPresent");
    }

    #[test]
    fn a_deployment_gets_the_documented_defaults() {
        let mut d = Deployment::default();
        deployment(&mut d);
        let spec = d.spec.unwrap();
        assert_eq!(spec.replicas, Some(1));
        assert_eq!(spec.revision_history_limit, Some(10));
        assert_eq!(spec.progress_deadline_seconds, Some(600));
        let ru = spec.strategy.unwrap().rolling_update.unwrap();
        assert_eq!(ru.max_surge, Some(IntOrString::String("25%".into())));
        let pod = spec.template.spec.unwrap();
        assert_eq!(pod.termination_grace_period_seconds, Some(30));
        assert_eq!(pod.restart_policy.as_deref(), Some("Always"));
    }

    #[test]
    fn recreate_gets_no_rolling_update_block() {
        let mut d = Deployment::default();
        d.spec.get_or_insert_with(Default::default).strategy =
            Some(DeploymentStrategy { type_: Some("Recreate".into()), rolling_update: None });
        deployment(&mut d);
        assert!(d.spec.unwrap().strategy.unwrap().rolling_update.is_none());
    }
}
