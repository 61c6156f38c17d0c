//! Client-side `kubectl apply`: the three-way strategic merge of the last-applied configuration (`original`), the
//! file (`modified`) and the live object (`current`), as `CreateThreeWayMergePatch` computes it and the API server
//! applies it — done here in one step, producing the merged object directly:
//! - a field in the file wins over the live value;
//! - a field that was in the last-applied configuration but is no longer in the file is removed;
//! - a field set by someone else (a controller, the API server's defaults, `kubectl scale`) and never in the file is
//!   kept;
//! - lists with a strategic merge key (`containers` by `name`, `ports` by `containerPort` / `port`, `env` by `name`, …)
//!   are merged item by item; other lists are replaced;
//! - `retainKeys` fields (a Deployment's `strategy`, a pod's `volumes[]`) drop every key the file does not set, so
//!   switching `RollingUpdate` → `Recreate` clears the defaulted `rollingUpdate`.

use serde_json::{Map, Value};

/// The annotation where `kubectl apply` keeps the file it applied last.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The strategic merge key of a list at `path` (the path without indices, `spec.template.spec.containers`).
pub(crate) fn merge_key(path: &str) -> Option<&'static str> {
    let last = path.rsplit('.').next().unwrap_or(path);
    let parent = path.rsplit('.').nth(1).unwrap_or("");
    Some(match last {
        "containers" | "initContainers" | "ephemeralContainers" | "volumes" | "imagePullSecrets" => "name",
        "env" if parent == "containers" || parent == "initContainers" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "ports" if parent == "containers" || parent == "initContainers" => "containerPort",
        "ports" if path == "spec.ports" => "port",
        "ownerReferences" => "uid",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "conditions" => "type",
        _ => return None,
    })
}

fn retains_keys(path: &str) -> bool {
    path == "spec.strategy" || path.ends_with(".volumes")
}

/// The object kubectl's patch turns `current` into.
pub fn three_way(original: Option<&Value>, modified: &Value, current: &Value) -> Value {
    merge(original, modified, current, "")
}

pub(crate) fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn merge(original: Option<&Value>, modified: &Value, current: &Value, path: &str) -> Value {
    match (modified, current) {
        (Value::Object(m), Value::Object(c)) => {
            let o = original.and_then(Value::as_object);
            let mut out: Map<String, Value> = c.clone();
            if retains_keys(path) {
                out.retain(|k, _| m.contains_key(k));
            }
            for (k, mv) in m {
                let p = child_path(path, k);
                let merged = match c.get(k) {
                    Some(cv) if !mv.is_null() => merge(o.and_then(|o| o.get(k)), mv, cv, &p),
                    _ => mv.clone(),
                };
                if merged.is_null() {
                    out.remove(k);
                } else {
                    out.insert(k.clone(), merged);
                }
            }
            if let Some(o) = o {
                for k in o.keys() {
                    if !m.contains_key(k) {
                        out.remove(k);
                    }
                }
            }
            Value::Object(out)
        }
        (Value::Array(m), Value::Array(c)) => match merge_key(path) {
            Some(key) if m.iter().chain(c.iter()).all(|v| v.get(key).is_some()) => {
                let o: &[Value] = original.and_then(Value::as_array).map_or(&[], Vec::as_slice);
                let find = |list: &'_ [Value], id: &Value| list.iter().find(|v| v.get(key) == Some(id)).cloned();
                let mut out = Vec::new();
                for mv in m {
                    let id = &mv[key];
                    let merged = match find(c, id) {
                        Some(cv) => merge(find(o, id).as_ref(), mv, &cv, path),
                        None => mv.clone(),
                    };
                    out.push(merged);
                }
                // Items someone else added (never in the file, not removed from it) stay, after the file's.
                for cv in c {
                    let id = &cv[key];
                    if find(m, id).is_none() && find(o, id).is_none() {
                        out.push(cv.clone());
                    }
                }
                Value::Array(out)
            }
            _ => modified.clone(),
        },
        _ => modified.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn removed_fields_are_removed_and_others_fields_are_kept() {
        let original = json!({"spec": {"replicas": 3, "paused": true}});
        let modified = json!({"spec": {"replicas": 3}});
        let current = json!({"spec": {"replicas": 5, "paused": true, "revisionHistoryLimit": 10}});
        assert_eq!(
            three_way(Some(&original), &modified, &current),
            json!({"spec": {"replicas": 3, "revisionHistoryLimit": 10}})
        );
        // Not in the file, never was: `kubectl scale` wins.
        let modified = json!({"spec": {}});
        let original = json!({"spec": {}});
        assert_eq!(three_way(Some(&original), &modified, &current)["spec"]["replicas"], 5);
    }

    #[test]
    fn containers_merge_by_name() {
        let original =
            json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x:1", "args": ["q"]}]}}}});
        let modified = json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x:2"}]}}}});
        let current = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "x:1", "args": ["q"], "imagePullPolicy": "IfNotPresent"},
            {"name": "sidecar", "image": "s"}
        ]}}}});
        let out = three_way(Some(&original), &modified, &current);
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([{"name": "a", "image": "x:2", "imagePullPolicy": "IfNotPresent"}, {"name": "sidecar", "image": "s"}])
        );
    }

    #[test]
    fn strategy_retains_only_the_keys_of_the_file() {
        let original = json!({"spec": {"strategy": {"type": "RollingUpdate"}}});
        let modified = json!({"spec": {"strategy": {"type": "Recreate"}}});
        let current = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}});
        assert_eq!(three_way(Some(&original), &modified, &current)["spec"]["strategy"], json!({"type": "Recreate"}));
    }

    #[test]
    fn lists_without_a_merge_key_are_replaced() {
        let current = json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "args": ["1", "2"]}]}}}});
        let modified = json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "args": ["3"]}]}}}});
        let out = three_way(None, &modified, &current);
        assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["args"], json!(["3"]));
    }
}
