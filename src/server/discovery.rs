//! Discovery, as the API server serves it to clients that fall back from aggregated discovery: `/version`, `/api`
//! (APIVersions), `/apis` (APIGroupList) and each group version's APIResourceList (`api/discovery/*.json` of
//! kubernetes/kubernetes at 1.35, cut to the kinds kubeplay simulates — the types its own `kubectl api-resources`
//! lists).

use crate::api::KUBERNETES_VERSION;
use crate::cluster::store::Kind;
use crate::kubectl::resources::TYPES;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// The groups served besides the core group.
const GROUPS: &[&str] = &["apps", "discovery.k8s.io"];

pub fn served_group(group: &str) -> bool {
    GROUPS.contains(&group)
}

/// `GET /version` (`version.Info`).
pub fn version() -> Value {
    let minor = KUBERNETES_VERSION.split('.').nth(1).unwrap_or("35");
    json!({
        "major": "1", "minor": minor, "emulationMajor": "1", "emulationMinor": minor,
        "minCompatibilityMajor": "1", "minCompatibilityMinor": (minor.parse::<u32>().unwrap_or(35) - 1).to_string(),
        "gitVersion": KUBERNETES_VERSION, "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25.5", "compiler": "gc",
        "platform": "linux/amd64",
    })
}

pub fn core_versions(address: &SocketAddr) -> Value {
    json!({
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [{ "clientCIDR": "0.0.0.0/0", "serverAddress": address.to_string() }],
    })
}

pub fn groups() -> Value {
    let groups: Vec<Value> = GROUPS
        .iter()
        .map(|g| {
            let gv = json!({ "groupVersion": format!("{g}/v1"), "version": "v1" });
            json!({ "name": g, "versions": [gv.clone()], "preferredVersion": gv })
        })
        .collect();
    json!({ "kind": "APIGroupList", "apiVersion": "v1", "groups": groups })
}

/// The kind a resource name of a group names.
pub fn kind_of(group: &str, resource: &str) -> Option<Kind> {
    TYPES.iter().map(|t| t.kind).find(|k| k.group() == group && k.plural() == resource)
}

const CRUD: &[&str] = &["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const GET_PATCH_UPDATE: &[&str] = &["get", "patch", "update"];

fn entry(name: &str, singular: &str, kind: Kind, kind_name: &str, verbs: &[&str]) -> Value {
    json!({ "name": name, "singularName": singular, "namespaced": kind.namespaced(), "kind": kind_name, "verbs": verbs })
}

/// `GET /api/v1` or `/apis/GROUP/v1`.
pub fn resources(group: &str) -> Value {
    let mut out = Vec::new();
    for t in TYPES.iter().filter(|t| t.kind.group() == group) {
        let k = t.kind;
        let verbs: Vec<&str> =
            CRUD.iter().copied().filter(|v| !(k == Kind::Namespace && *v == "deletecollection")).collect();
        let mut main = entry(k.plural(), &k.singular(), k, k.name(), &verbs);
        if !t.short.is_empty() {
            main["shortNames"] = json!(t.short);
        }
        if matches!(k, Kind::Pod | Kind::Service | Kind::Deployment | Kind::ReplicaSet) {
            main["categories"] = json!(["all"]);
        }
        out.push(main);
        let plural = k.plural();
        match k {
            Kind::Pod => {
                out.push(entry(&format!("{plural}/exec"), "", k, "PodExecOptions", &["create", "get"]));
                out.push(entry(&format!("{plural}/log"), "", k, "Pod", &["get"]));
            }
            Kind::Deployment | Kind::ReplicaSet => {
                let mut scale = entry(&format!("{plural}/scale"), "", k, "Scale", GET_PATCH_UPDATE);
                scale["group"] = json!("autoscaling");
                scale["version"] = json!("v1");
                out.push(scale);
            }
            _ => {}
        }
        if matches!(k, Kind::Pod | Kind::Service | Kind::Node | Kind::Namespace | Kind::Deployment | Kind::ReplicaSet) {
            out.push(entry(&format!("{plural}/status"), "", k, k.name(), GET_PATCH_UPDATE));
        }
    }
    let gv = if group.is_empty() { "v1".to_string() } else { format!("{group}/v1") };
    let mut list = json!({ "kind": "APIResourceList", "groupVersion": gv, "resources": out });
    if !group.is_empty() {
        list["apiVersion"] = json!("v1");
    }
    list
}

/// `GET /openapi/v3`: the index of group versions. kubectl reads it to learn that the API server validates fields
/// itself (`fieldValidation`), before `apply` and `create -f`.
pub fn openapi_index() -> Value {
    let mut paths = serde_json::Map::new();
    for gv in ["api/v1".to_string()].into_iter().chain(GROUPS.iter().map(|g| format!("apis/{g}/v1"))) {
        let url = format!("/openapi/v3/{gv}?hash={}", crate::api::KUBERNETES_VERSION);
        paths.insert(gv, json!({ "serverRelativeURL": url }));
    }
    json!({ "paths": paths })
}

/// `GET /openapi/v3/api/v1` (or a group's): the operations of each served kind with their group-version-kind and
/// query parameters, and the schemas `kubectl explain` reads, built from kubeplay's explain data (the API's own
/// descriptions from the k8s-openapi sources). The operations name no patch content types, so kubectl builds
/// strategic merge patches from its own types, as it does for any built-in kind.
pub fn openapi_group(group: &str) -> Option<Value> {
    if !(group.is_empty() || served_group(group)) {
        return None;
    }
    let prefix = if group.is_empty() { "/api/v1".to_string() } else { format!("/apis/{group}/v1") };
    let mut paths = serde_json::Map::new();
    let param =
        |name: &str| json!({ "name": name, "in": "query", "schema": { "type": "string", "uniqueItems": true } });
    for t in TYPES.iter().filter(|t| t.kind.group() == group) {
        let k = t.kind;
        let gvk = json!({ "group": group, "version": "v1", "kind": k.name() });
        let op = |action: &str, params: &[&str]| {
            let parameters: Vec<Value> = params.iter().map(|p| param(p)).collect();
            json!({ "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk, "parameters": parameters,
                    "responses": { "200": { "description": "OK" } } })
        };
        let writes = ["dryRun", "fieldManager", "fieldValidation"];
        let scope = if k.namespaced() { "/namespaces/{namespace}" } else { "" };
        let collection = format!("{prefix}{scope}/{}", k.plural());
        paths.insert(
            collection.clone(),
            json!({ "get": op("list", &["labelSelector", "fieldSelector", "watch", "resourceVersion"]),
                    "post": op("post", &writes) }),
        );
        paths.insert(
            format!("{collection}/{{name}}"),
            json!({ "get": op("get", &[]), "put": op("put", &writes), "patch": op("patch", &["dryRun", "fieldManager", "fieldValidation", "force"]),
                    "delete": op("delete", &["dryRun", "gracePeriodSeconds", "propagationPolicy"]) }),
        );
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": { "title": "Kubernetes", "version": crate::api::KUBERNETES_VERSION },
        "paths": paths,
        "components": { "schemas": schemas() },
    }))
}

/// The OpenAPI name of a type kubeplay documents (`crate::api::apps::v1::Deployment` →
/// `io.k8s.api.apps.v1.Deployment`).
fn schema_name(path: &str) -> String {
    format!("io.k8s.{}", path.trim_start_matches("crate::").replace("::", "."))
}

/// The schema of a field of type `ty` as kubectl prints it (`[]Container`, `map[string]string`, `<Object>`), so that
/// `explain`'s type guess prints it back: arrays and maps as such, named types as references.
fn field_schema(ty: &str, target: &str, names: &std::collections::HashMap<&str, String>) -> Value {
    if let Some(item) = ty.strip_prefix("[]") {
        return json!({ "type": "array", "items": field_schema(item, target, names) });
    }
    if let Some(value) = ty.strip_prefix("map[string]") {
        return json!({ "type": "object", "additionalProperties": field_schema(value, target, names) });
    }
    match ty {
        "string" | "integer" | "boolean" | "number" => json!({ "type": ty }),
        _ => {
            let name = names.get(target).cloned().unwrap_or_else(|| match ty {
                "IntOrString" => "io.k8s.apimachinery.pkg.util.intstr.IntOrString".into(),
                "Quantity" => "io.k8s.apimachinery.pkg.api.resource.Quantity".into(),
                other => format!("io.k8s.kubeplay.{other}"),
            });
            json!({ "allOf": [{ "$ref": format!("#/components/schemas/{name}") }] })
        }
    }
}

/// Every documented type as an OpenAPI v3 schema (kubeplay serves them all in each group version's document).
fn schemas() -> serde_json::Map<String, Value> {
    // Native builds always carry the data.
    let Some(all) = crate::kubectl::explain::types() else { return serde_json::Map::new() };
    let names: std::collections::HashMap<&str, String> = all.keys().map(|k| (k.as_str(), schema_name(k))).collect();
    let mut out = serde_json::Map::new();
    for (path, t) in all {
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for f in &t.fields {
            let mut schema = field_schema(&f.ty, &f.target, &names);
            if !f.doc.is_empty() {
                schema["description"] = Value::String(f.doc.clone());
            }
            properties.insert(f.name.clone(), schema);
            if f.required {
                required.push(Value::String(f.name.clone()));
            }
        }
        let mut schema = json!({ "description": t.doc, "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        if let Some(kind) = TYPES.iter().map(|t| t.kind).find(|k| crate::kubectl::explain::root_path(*k) == path) {
            schema["x-kubernetes-group-version-kind"] =
                json!([{ "group": kind.group(), "kind": kind.name(), "version": "v1" }]);
        }
        out.insert(names[path.as_str()].clone(), schema);
    }
    out.insert(
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString".into(),
        json!({ "format": "int-or-string", "x-kubernetes-int-or-string": true }),
    );
    out.insert("io.k8s.apimachinery.pkg.api.resource.Quantity".into(), json!({}));
    out
}
