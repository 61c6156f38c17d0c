//! Which `apiVersion` / `kind` pairs a real cluster serves, which of them kubeplay simulates, and the API server's
//! (and kubectl's) answer for the others.

use super::decode::suggest;
use crate::api::Kind;

/// The kinds kubeplay accepts from manifests.
pub const SUPPORTED: [Kind; 7] =
    [Kind::Deployment, Kind::ReplicaSet, Kind::Pod, Kind::Service, Kind::Namespace, Kind::ConfigMap, Kind::Secret];

/// Kinds a Kubernetes 1.35 cluster serves that kubeplay does not simulate, with their group/version.
const NOT_SIMULATED: &[(&str, &str)] = &[
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "ControllerRevision"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("networking.k8s.io/v1", "Ingress"),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"),
    ("policy/v1", "PodDisruptionBudget"),
    ("v1", "PersistentVolumeClaim"),
    ("v1", "PersistentVolume"),
    ("v1", "ServiceAccount"),
    ("v1", "Endpoints"),
    ("v1", "LimitRange"),
    ("v1", "ResourceQuota"),
    ("v1", "ReplicationController"),
    ("v1", "PodTemplate"),
    ("v1", "Node"),
    ("v1", "Event"),
    ("v1", "Binding"),
    ("discovery.k8s.io/v1", "EndpointSlice"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
    ("coordination.k8s.io/v1", "Lease"),
    ("events.k8s.io/v1", "Event"),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"),
    ("gateway.networking.k8s.io/v1", "Gateway"),
    ("gateway.networking.k8s.io/v1", "HTTPRoute"),
];

/// apiVersions of the supported kinds that older books and blog posts use; a 1.35 cluster serves none of them.
const REMOVED: &[(&str, &str, &str)] = &[
    ("extensions/v1beta1", "Deployment", "1.16"),
    ("apps/v1beta1", "Deployment", "1.16"),
    ("apps/v1beta2", "Deployment", "1.16"),
    ("extensions/v1beta1", "ReplicaSet", "1.16"),
    ("apps/v1beta2", "ReplicaSet", "1.16"),
];

/// Why a document's `apiVersion` / `kind` cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindError {
    /// kubectl's whole message.
    pub message: String,
    /// The API server's part of it, for the editor (`no matches for kind "K" in version "V"`).
    pub short: String,
    pub suggestion: Option<String>,
    /// The simulated `(apiVersion, kind)` the document surely meant, when there is one (the editor's quick fix).
    pub fix: Option<(&'static str, &'static str)>,
    /// True when the fault is the apiVersion (point at it), false for the kind.
    pub at_api_version: bool,
}

fn supported_list() -> String {
    let names: Vec<&str> = SUPPORTED.iter().map(|k| k.name()).collect();
    format!("{} and {}", names[..names.len() - 1].join(", "), names[names.len() - 1])
}

/// The kind kubeplay stores for this `apiVersion` / `kind`, or the error a real cluster (or kubeplay) gives.
pub fn resolve(api_version: &str, kind: &str, name: &str, namespace: &str, source: &str) -> Result<Kind, KindError> {
    if let Some(k) = SUPPORTED.iter().find(|k| k.name() == kind && k.api_version() == api_version) {
        return Ok(*k);
    }
    if let Some((gv, _)) = NOT_SIMULATED.iter().find(|(gv, k)| *k == kind && *gv == api_version) {
        let message = format!(
            "{kind} ({gv}) is a real Kubernetes kind, but it is not simulated by kubeplay; kubeplay simulates {}",
            supported_list()
        );
        return Err(KindError { short: message.clone(), message, suggestion: None, fix: None, at_api_version: false });
    }
    // kubectl: `resource mapping not found for name: "x" namespace: "" from "f.yaml": no matches for kind "K" in
    // version "V"` and the hint to install CRDs.
    let message = format!(
        "resource mapping not found for name: {name:?} namespace: {namespace:?} from {source:?}: no matches for kind {kind:?} in version {api_version:?}\nensure CRDs are installed first"
    );
    let short = format!("no matches for kind {kind:?} in version {api_version:?}");
    let known = SUPPORTED.iter().map(|k| (k.api_version(), k.name())).chain(NOT_SIMULATED.iter().copied());
    let same_kind: Vec<(&str, &str)> = known.clone().filter(|(_, k)| *k == kind).collect();
    if let Some((gv, _)) = same_kind.first() {
        let why = REMOVED
            .iter()
            .find(|(old, k, _)| *old == api_version && *k == kind)
            .map(|(_, _, v)| format!(" ({api_version} was removed in Kubernetes {v})"))
            .unwrap_or_default();
        return Err(KindError {
            message,
            short,
            suggestion: Some(format!("{kind} is served as apiVersion: {gv}{why}")),
            fix: SUPPORTED
                .iter()
                .find(|k| k.name() == kind && k.api_version() == *gv)
                .map(|k| (k.api_version(), k.name())),
            at_api_version: true,
        });
    }
    let kinds: Vec<&str> = known.map(|(_, k)| k).collect();
    let meant = suggest(kind, kinds.iter().copied());
    let fix = meant.and_then(|k| SUPPORTED.iter().find(|s| s.name() == k)).map(|s| (s.api_version(), s.name()));
    let suggestion = meant.map(|k| {
        let gv = SUPPORTED
            .iter()
            .find(|s| s.name() == k)
            .map(|s| s.api_version())
            .or_else(|| NOT_SIMULATED.iter().find(|(_, n)| *n == k).map(|(gv, _)| *gv))
            .unwrap_or("v1");
        format!("did you mean kind: {k} (apiVersion: {gv})?")
    });
    Err(KindError { message, short, suggestion, fix, at_api_version: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supported_kinds_resolve() {
        assert_eq!(resolve("apps/v1", "Deployment", "x", "", "f"), Ok(Kind::Deployment));
        assert_eq!(resolve("v1", "Secret", "x", "", "f"), Ok(Kind::Secret));
    }

    #[test]
    fn a_misspelt_kind_gets_the_api_servers_error_and_a_suggestion() {
        let e = resolve("apps/v1", "Deploymnet", "web", "", "d.yaml").unwrap_err();
        assert_eq!(
            e.message,
            "resource mapping not found for name: \"web\" namespace: \"\" from \"d.yaml\": no matches for kind \"Deploymnet\" in version \"apps/v1\"\nensure CRDs are installed first"
        );
        assert_eq!(e.suggestion.as_deref(), Some("did you mean kind: Deployment (apiVersion: apps/v1)?"));
    }

    #[test]
    fn an_old_api_version_names_the_right_one() {
        let e = resolve("extensions/v1beta1", "Deployment", "web", "", "d.yaml").unwrap_err();
        assert!(e.at_api_version);
        assert_eq!(
            e.suggestion.as_deref(),
            Some("Deployment is served as apiVersion: apps/v1 (extensions/v1beta1 was removed in Kubernetes 1.16)")
        );
    }

    #[test]
    fn well_known_kinds_are_named_as_not_simulated() {
        let e = resolve("apps/v1", "StatefulSet", "db", "", "s.yaml").unwrap_err();
        assert_eq!(e.message, "StatefulSet (apps/v1) is a real Kubernetes kind, but it is not simulated by kubeplay; kubeplay simulates Deployment, ReplicaSet, Pod, Service, Namespace, ConfigMap and Secret");
    }
}
