//! Resource types as kubectl names them: plural, singular, short names, `kind.group` forms, and discovery's error for
//! anything else (`error: the server doesn't have a resource type "deploymnt"`), plus a did-you-mean.

use crate::cluster::store::Kind;
use crate::manifest::decode::suggest;

/// A resource type: its kind (which gives its plural, singular and group) and its short names.
pub struct ResourceType {
    pub kind: Kind,
    pub short: &'static [&'static str],
}

/// The types `kubectl api-resources` lists for kubeplay's cluster.
pub const TYPES: &[ResourceType] = &[
    ResourceType { kind: Kind::ConfigMap, short: &["cm"] },
    ResourceType { kind: Kind::Endpoints, short: &["ep"] },
    ResourceType { kind: Kind::Event, short: &["ev"] },
    ResourceType { kind: Kind::Namespace, short: &["ns"] },
    ResourceType { kind: Kind::Node, short: &["no"] },
    ResourceType { kind: Kind::Pod, short: &["po"] },
    ResourceType { kind: Kind::Secret, short: &[] },
    ResourceType { kind: Kind::Service, short: &["svc"] },
    ResourceType { kind: Kind::Deployment, short: &["deploy"] },
    ResourceType { kind: Kind::ReplicaSet, short: &["rs"] },
    ResourceType { kind: Kind::EndpointSlice, short: &[] },
];

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
        let k = t.kind;
        (k.plural() == name || k.singular() == name || t.short.contains(&name.as_str()))
            && group.as_deref().is_none_or(|g| g == k.group())
    });
    match found {
        Some(t) => Ok(t.kind),
        None => Err(word.to_string()),
    }
}

/// Discovery's error for an unknown type, and kubeplay's did-you-mean on a second line.
pub fn unknown_type(word: &str) -> String {
    let names: Vec<String> = TYPES
        .iter()
        .flat_map(|t| {
            [t.kind.plural().to_string(), t.kind.singular()].into_iter().chain(t.short.iter().map(|s| s.to_string()))
        })
        .collect();
    let hint = suggest(word, names.iter().map(String::as_str))
        .map(|s| format!("\nDid you mean {s:?}? {}", super::HINT_SUFFIX))
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
        assert_eq!(Kind::Deployment.printed(), "deployment.apps");
        assert_eq!(Kind::Service.printed(), "service");
        assert_eq!(Kind::EndpointSlice.printed(), "endpointslice.discovery.k8s.io");
        assert_eq!(Kind::Deployment.plural(), "deployments");
    }
}
