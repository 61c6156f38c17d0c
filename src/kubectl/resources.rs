//! Resource types as kubectl names them: plural, singular, short names, `kind.group` forms, and discovery's error for
//! anything else (`error: the server doesn't have a resource type "deploymnt"`), plus a did-you-mean.

use crate::cluster::store::Kind;
use crate::manifest::decode::suggest;

pub struct ResourceType {
    pub kind: Kind,
    pub plural: &'static str,
    pub singular: &'static str,
    pub short: &'static [&'static str],
    /// The API group (`apps`), empty for the core group.
    pub group: &'static str,
}

/// The types `kubectl api-resources` lists for kubeplay's cluster, in its order (by group, then name).
pub const TYPES: &[ResourceType] = &[
    ResourceType { kind: Kind::ConfigMap, plural: "configmaps", singular: "configmap", short: &["cm"], group: "" },
    ResourceType { kind: Kind::Event, plural: "events", singular: "event", short: &["ev"], group: "" },
    ResourceType { kind: Kind::Namespace, plural: "namespaces", singular: "namespace", short: &["ns"], group: "" },
    ResourceType { kind: Kind::Node, plural: "nodes", singular: "node", short: &["no"], group: "" },
    ResourceType { kind: Kind::Pod, plural: "pods", singular: "pod", short: &["po"], group: "" },
    ResourceType { kind: Kind::Secret, plural: "secrets", singular: "secret", short: &[], group: "" },
    ResourceType { kind: Kind::Service, plural: "services", singular: "service", short: &["svc"], group: "" },
    ResourceType {
        kind: Kind::Deployment,
        plural: "deployments",
        singular: "deployment",
        short: &["deploy"],
        group: "apps",
    },
    ResourceType {
        kind: Kind::ReplicaSet,
        plural: "replicasets",
        singular: "replicaset",
        short: &["rs"],
        group: "apps",
    },
    ResourceType {
        kind: Kind::EndpointSlice,
        plural: "endpointslices",
        singular: "endpointslice",
        short: &[],
        group: "discovery.k8s.io",
    },
];

pub fn of(kind: Kind) -> &'static ResourceType {
    TYPES.iter().find(|t| t.kind == kind).unwrap_or(&TYPES[4])
}

/// `deployment.apps`, `pod`: how the name printer prefixes names.
pub fn prefix(kind: Kind) -> String {
    let t = of(kind);
    if t.group.is_empty() {
        t.singular.to_string()
    } else {
        format!("{}.{}", t.singular, t.group)
    }
}

/// `deployments.apps`, `pods`: how the API server names a resource in errors.
pub fn qualified_plural(kind: Kind) -> String {
    let t = of(kind);
    if t.group.is_empty() {
        t.plural.to_string()
    } else {
        format!("{}.{}", t.plural, t.group)
    }
}

/// The kind a word names (`po`, `pods`, `Pod`, `deployments.apps`, `deploy.v1.apps`).
pub fn resolve(word: &str) -> Result<Kind, String> {
    let lower = word.to_ascii_lowercase();
    let (name, group) = match lower.split_once('.') {
        Some((n, rest)) => {
            // `deployments.v1.apps` or `deployments.apps`.
            let group = rest.strip_prefix("v1.").unwrap_or(rest);
            let group = if rest == "v1" { "" } else { group };
            (n.to_string(), Some(group.to_string()))
        }
        None => (lower.clone(), None),
    };
    let found = TYPES.iter().find(|t| {
        (t.plural == name || t.singular == name || t.short.contains(&name.as_str()))
            && group.as_deref().is_none_or(|g| g == t.group)
    });
    match found {
        Some(t) => Ok(t.kind),
        None => Err(word.to_string()),
    }
}

/// Discovery's error for an unknown type, and kubeplay's did-you-mean on a second line.
pub fn unknown_type(word: &str) -> String {
    let names = TYPES.iter().flat_map(|t| [t.plural, t.singular].into_iter().chain(t.short.iter().copied()));
    let hint = suggest(word, names)
        .map(|s| format!("\nDid you mean {s:?}? (a kubeplay hint; kubectl has none)"))
        .unwrap_or_default();
    format!("error: the server doesn't have a resource type {word:?}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_form_resolves() {
        for w in ["po", "pod", "pods", "Pod", "PODS"] {
            assert_eq!(resolve(w), Ok(Kind::Pod), "{w}");
        }
        for w in ["deploy", "deployment", "deployments", "deployments.apps", "deployment.v1.apps", "Deployment"] {
            assert_eq!(resolve(w), Ok(Kind::Deployment), "{w}");
        }
        assert_eq!(resolve("rs"), Ok(Kind::ReplicaSet));
        assert_eq!(resolve("svc"), Ok(Kind::Service));
        assert_eq!(resolve("ev"), Ok(Kind::Event));
        assert_eq!(resolve("no"), Ok(Kind::Node));
        assert_eq!(resolve("ns"), Ok(Kind::Namespace));
        assert_eq!(resolve("pods.apps"), Err("pods.apps".into()));
        assert_eq!(
            unknown_type("deploymnt"),
            "error: the server doesn't have a resource type \"deploymnt\"\nDid you mean \"deployment\"? (a kubeplay hint; kubectl has none)"
        );
        assert_eq!(prefix(Kind::Deployment), "deployment.apps");
        assert_eq!(prefix(Kind::Service), "service");
    }
}
