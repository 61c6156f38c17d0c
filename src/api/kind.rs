//! The kinds kubeplay simulates, and how the API names each (kind, resource, group, version), and what every kind's
//! objects have in common for the layers that hold no store: their kind, their validation and their warnings.

use super::validation::FieldError;
use super::ObjectMeta;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Namespace,
    Node,
    Deployment,
    ReplicaSet,
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    ConfigMap,
    Secret,
    Event,
}

impl Kind {
    /// The kind as written in manifests (`Deployment`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::ConfigMap => "ConfigMap",
            Kind::Secret => "Secret",
            Kind::Event => "Event",
        }
    }

    /// The API server's resource name in messages (`deployments.apps`, `pods`).
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::Deployment => "deployments.apps",
            Kind::ReplicaSet => "replicasets.apps",
            Kind::Pod => "pods",
            Kind::Service => "services",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslices.discovery.k8s.io",
            Kind::ConfigMap => "configmaps",
            Kind::Secret => "secrets",
            Kind::Event => "events",
        }
    }

    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::ReplicaSet => "apps/v1",
            Kind::EndpointSlice => "discovery.k8s.io/v1",
            _ => "v1",
        }
    }

    /// The API group (`apps`), empty for the core group.
    pub fn group(self) -> &'static str {
        self.api_version().split_once('/').map_or("", |(g, _)| g)
    }

    /// The resource without its group (`deployments`, `pods`).
    pub fn plural(self) -> &'static str {
        self.resource().split('.').next().unwrap_or("")
    }

    /// The lower-case kind (`deployment`), as kubectl's singular resource name.
    pub fn singular(self) -> String {
        self.name().to_ascii_lowercase()
    }

    /// How kubectl's name printer names the kind: `deployment.apps`, `pod` (the core group has no suffix).
    pub fn printed(self) -> String {
        match self.group() {
            "" => self.singular(),
            group => format!("{}.{group}", self.singular()),
        }
    }

    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node)
    }
}

/// An object of a simulated kind, as the layers without a store see it: its kind, the API server's validation
/// (`old` on updates; each entry is one field error) and its warnings (sent back with a successful write; kubectl
/// prints them). The store's own bookkeeping per kind is `cluster::store::Resource`, which builds on this.
pub trait Typed:
    Clone + PartialEq + serde::Serialize + serde::de::DeserializeOwned + k8s_openapi::Metadata<Ty = ObjectMeta>
{
    fn kind() -> Kind;
    /// The API server's defaulting for this kind.
    fn apply_defaults(&mut self) {}
    fn validate(&self, _old: Option<&Self>) -> Vec<FieldError> {
        Vec::new()
    }
    fn warnings(&self) -> Vec<FieldError> {
        Vec::new()
    }
}

macro_rules! typed {
    ($($ty:ident => $kind:ident $(, defaults: $defaults:path)? $(, validate: $validate:path)? $(, warn: $warn:expr)?;)*) => {
        $(impl Typed for super::$ty {
            fn kind() -> Kind {
                Kind::$kind
            }
            $(fn apply_defaults(&mut self) {
                $defaults(self)
            })?
            $(fn validate(&self, old: Option<&Self>) -> Vec<FieldError> {
                $validate(self, old)
            })?
            $(fn warnings(&self) -> Vec<FieldError> {
                ($warn)(self)
            })?
        })*
    };
}

use super::defaults as d;
use super::validation as v;

typed! {
    Namespace => Namespace, defaults: d::namespace, validate: v::namespace;
    Node => Node;
    Deployment => Deployment, defaults: d::deployment, validate: v::deployment, warn: |d: &super::Deployment| {
        let spec = d.spec.as_ref().and_then(|s| s.template.spec.as_ref());
        spec.map(|s| v::pod_spec_warnings("spec.template.spec", s)).unwrap_or_default()
    };
    ReplicaSet => ReplicaSet, defaults: d::replica_set, validate: v::replica_set, warn: |r: &super::ReplicaSet| {
        let spec = r.spec.as_ref().and_then(|s| s.template.as_ref()).and_then(|t| t.spec.as_ref());
        spec.map(|s| v::pod_spec_warnings("spec.template.spec", s)).unwrap_or_default()
    };
    Pod => Pod, defaults: d::pod, validate: v::pod, warn: |p: &super::Pod| {
        p.spec.as_ref().map(|s| v::pod_spec_warnings("spec", s)).unwrap_or_default()
    };
    Service => Service, defaults: d::service, validate: v::service;
    Endpoints => Endpoints;
    EndpointSlice => EndpointSlice;
    ConfigMap => ConfigMap, validate: v::config_map;
    Secret => Secret, defaults: d::secret, validate: v::secret;
    Event => Event;
}
