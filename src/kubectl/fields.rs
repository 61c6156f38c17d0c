//! Field selectors (`--field-selector`, the API's `fieldSelector`): `field=value`, `field==value`, `field!=value`,
//! comma-separated, on the fields each kind's storage indexes. The API server filters lists with them; kubectl sends
//! them as they are typed.

use crate::cluster::store::Kind;
use serde_json::Value;

/// A `fieldSelector`: `field=value`, `field==value`, `field!=value`, comma-separated, on the fields each kind's
/// storage indexes (`GetAttrs` of each registry; `metadata.name` and `metadata.namespace` for every kind).
pub struct Fields(Vec<(String, bool, String)>);

impl Fields {
    pub fn parse(kind: Kind, text: &str) -> Result<Fields, String> {
        let mut out = Vec::new();
        for part in text.split(',').filter(|p| !p.is_empty()) {
            let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, true, v)
            } else {
                return Err(format!("invalid selector: '{text}'; can't understand '{part}'"));
            };
            if !supported_field(kind, field) {
                return Err(format!("field label not supported: {field}"));
            }
            out.push((field.to_string(), equal, value.to_string()));
        }
        Ok(Fields(out))
    }

    pub fn matches(&self, obj: &Value) -> bool {
        self.0.iter().all(|(field, equal, value)| (field_value(obj, field) == *value) == *equal)
    }
}

fn supported_field(kind: Kind, field: &str) -> bool {
    if field == "metadata.name" || (field == "metadata.namespace" && kind.namespaced()) {
        return true;
    }
    let extra: &[&str] = match kind {
        Kind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        Kind::Node => &["spec.unschedulable"],
        Kind::Namespace => &["status.phase"],
        Kind::Secret => &["type"],
        Kind::ReplicaSet => &["status.replicas"],
        _ => &[],
    };
    extra.contains(&field)
}

fn field_value(obj: &Value, field: &str) -> String {
    let path = if field == "source" { "source.component" } else { field };
    let mut v = obj;
    for key in path.split('.') {
        v = match v.get(key) {
            Some(x) => x,
            None => {
                return if field == "spec.hostNetwork" || field == "spec.unschedulable" {
                    "false".into()
                } else {
                    String::new()
                }
            }
        };
    }
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
