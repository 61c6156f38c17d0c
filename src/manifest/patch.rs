//! The three patch formats the API server accepts (`PATCH` with `Content-Type`), applied to an object as JSON:
//! - **strategic merge patch** (`application/strategic-merge-patch+json`, kubectl's default): a merge patch whose
//!   lists with a merge key (`containers` by `name`, …, the keys `merge::merge_key` knows) merge item by item, with the
//!   directives `$patch: replace|delete|merge`, `$retainKeys`, `$setElementOrder/<list>` and
//!   `$deleteFromPrimitiveList/<list>` (apimachinery `strategicpatch.StrategicMergePatch`);
//! - **JSON merge patch** (`application/merge-patch+json`, RFC 7386: `null` removes, objects merge, anything else
//!   replaces);
//! - **JSON patch** (`application/json-patch+json`, RFC 6902: `add`, `remove`, `replace`, `move`, `copy`, `test`
//!   on JSON pointers), with the wording of the evanphx/json-patch library the API server uses.

use super::merge::{child_path, merge_key};
use serde_json::{Map, Value};

/// RFC 7386 (apimachinery uses evanphx/json-patch `MergePatch`).
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    let Value::Object(p) = patch else { return patch.clone() };
    let mut out = match target {
        Value::Object(t) => t.clone(),
        _ => Map::new(),
    };
    for (k, v) in p {
        if v.is_null() {
            out.remove(k);
        } else {
            let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v);
            out.insert(k.clone(), merged);
        }
    }
    Value::Object(out)
}

/// `strategicpatch.StrategicMergePatch` of an object (the path of the root is empty; lists are found by the path of
/// their field names, `spec.template.spec.containers`).
pub fn strategic(current: &Value, patch: &Value) -> Result<Value, String> {
    let Value::Object(_) = patch else {
        return Err("invalid JSON document".into());
    };
    strategic_at(current, patch, "")
}

fn strategic_at(current: &Value, patch: &Value, path: &str) -> Result<Value, String> {
    let Value::Object(p) = patch else { return Ok(patch.clone()) };
    match p.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            let mut m = p.clone();
            m.remove("$patch");
            return Ok(Value::Object(m));
        }
        Some("delete") => return Ok(Value::Null),
        Some("merge") | None => {}
        Some(other) => return Err(format!("Unknown patch type: {other} in map: {}", Value::Object(p.clone()))),
    }
    let mut out = match current {
        Value::Object(c) => c.clone(),
        _ => Map::new(),
    };
    if let Some(keys) = p.get("$retainKeys") {
        let Some(keys) = keys.as_array() else {
            return Err(format!("invalid type for $retainKeys: {keys}"));
        };
        let keep: Vec<&str> = keys.iter().filter_map(Value::as_str).collect();
        out.retain(|k, _| keep.contains(&k.as_str()));
    }
    for (k, v) in p {
        if k == "$patch" || k == "$retainKeys" || k.starts_with("$setElementOrder/") {
            continue;
        }
        if let Some(field) = k.strip_prefix("$deleteFromPrimitiveList/") {
            let Some(gone) = v.as_array() else { continue };
            if let Some(Value::Array(list)) = out.get_mut(field) {
                list.retain(|x| !gone.contains(x));
            }
            continue;
        }
        if v.is_null() {
            out.remove(k);
            continue;
        }
        let child = child_path(path, k);
        let merged = match (out.get(k), v) {
            (Some(Value::Array(c)), Value::Array(pl)) => merge_list(c, pl, &child)?,
            (None, Value::Array(pl)) => merge_list(&[], pl, &child)?,
            (Some(cv @ Value::Object(_)), Value::Object(_)) => strategic_at(cv, v, &child)?,
            (None, Value::Object(_)) => strategic_at(&Value::Null, v, &child)?,
            _ => v.clone(),
        };
        if merged.is_null() {
            out.remove(k);
        } else {
            out.insert(k.clone(), merged);
        }
    }
    for (k, order) in p {
        let Some(field) = k.strip_prefix("$setElementOrder/") else { continue };
        if let (Some(Value::Array(list)), Some(order)) = (out.get_mut(field), order.as_array()) {
            let key = merge_key(&child_path(path, field));
            reorder(list, order, key);
        }
    }
    Ok(Value::Object(out))
}

/// A list field: merged item by item when it has a merge key, else replaced (a `{"$patch": "replace"}` item
/// replaces a keyed list with the rest of the patch's items).
fn merge_list(current: &[Value], patch: &[Value], path: &str) -> Result<Value, String> {
    let Some(key) = merge_key(path) else {
        if path == "metadata.finalizers" {
            let mut out = current.to_vec();
            out.extend(patch.iter().filter(|v| !current.contains(v)).cloned());
            return Ok(Value::Array(out));
        }
        return Ok(Value::Array(patch.to_vec()));
    };
    if patch.iter().any(|v| v.get("$patch").and_then(Value::as_str) == Some("replace")) {
        let items = patch.iter().filter(|v| v.get("$patch").is_none()).cloned().collect();
        return Ok(Value::Array(items));
    }
    let mut out: Vec<Value> = current.to_vec();
    for item in patch {
        let Some(id) = item.get(key) else {
            return Err(format!("map: {item} does not contain declared merge key: {key}"));
        };
        let at = out.iter().position(|c| c.get(key) == Some(id));
        let directive = item.get("$patch").and_then(Value::as_str);
        match (at, directive) {
            (Some(i), Some("delete")) => {
                out.remove(i);
            }
            (None, Some("delete")) => {}
            (Some(i), _) => {
                let merged = strategic_at(&out[i], item, path)?;
                out[i] = merged;
            }
            (None, _) => out.push(strategic_at(&Value::Null, item, path)?),
        }
    }
    Ok(Value::Array(out))
}

/// `$setElementOrder`: the items the order names come in its order; the others keep their places after them.
fn reorder(list: &mut Vec<Value>, order: &[Value], key: Option<&str>) {
    let id = |v: &Value| -> Value {
        match key {
            Some(k) => v.get(k).cloned().unwrap_or(Value::Null),
            None => v.clone(),
        }
    };
    let wanted: Vec<Value> = order.iter().map(id).collect();
    let mut named: Vec<(usize, Value)> = Vec::new();
    let mut rest = Vec::new();
    for v in list.drain(..) {
        match wanted.iter().position(|w| *w == id(&v)) {
            Some(i) => named.push((i, v)),
            None => rest.push(v),
        }
    }
    crate::util::sort_by_key(&mut named, |(i, _)| *i);
    list.extend(named.into_iter().map(|(_, v)| v));
    list.extend(rest);
}

/// RFC 6902, as evanphx/json-patch applies it: every operation in order, the first failure ends the patch.
pub fn json_patch(doc: &Value, ops: &Value) -> Result<Value, String> {
    let Value::Array(ops) = ops else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut doc = doc.clone();
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str);
        let value = op.get("value");
        match name {
            "add" | "replace" | "test" => {
                let (Some(path), Some(value)) = (path, value) else {
                    return Err(format!("{name} operation missing {}", if path.is_none() { "path" } else { "value" }));
                };
                match name {
                    "add" => add(&mut doc, path, value.clone())?,
                    "replace" => {
                        let target = pointer_mut(&mut doc, path)
                            .ok_or_else(|| format!("replace operation does not apply: doc is missing key: {path}"))?;
                        *target = value.clone();
                    }
                    _ => {
                        if doc.pointer(path) != Some(value) {
                            return Err(format!("testing value {path} failed"));
                        }
                    }
                }
            }
            "remove" => {
                let path = path.ok_or("remove operation missing path")?;
                remove(&mut doc, path)?;
            }
            "move" | "copy" => {
                let (Some(path), Some(from)) = (path, op.get("from").and_then(Value::as_str)) else {
                    return Err(format!("{name} operation missing from or path"));
                };
                let v = doc
                    .pointer(from)
                    .cloned()
                    .ok_or_else(|| format!("{name} operation does not apply: doc is missing from path: {from}"))?;
                if name == "move" {
                    remove(&mut doc, from)?;
                }
                add(&mut doc, path, v)?;
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn split(path: &str) -> Option<(&str, String)> {
    let (parent, last) = path.rsplit_once('/')?;
    Some((parent, unescape(last)))
}

fn pointer_mut<'a>(doc: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    if path.is_empty() {
        return Some(doc);
    }
    doc.pointer_mut(path)
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, last) =
        split(path).ok_or_else(|| format!("add operation does not apply: doc is missing path: {path}"))?;
    match pointer_mut(doc, parent) {
        Some(Value::Object(m)) => {
            m.insert(last, value);
            Ok(())
        }
        Some(Value::Array(a)) => {
            if last == "-" {
                a.push(value);
                return Ok(());
            }
            match last.parse::<usize>() {
                Ok(i) if i <= a.len() => {
                    a.insert(i, value);
                    Ok(())
                }
                _ => Err(format!("add operation does not apply: doc is missing path: {path}")),
            }
        }
        _ => Err(format!("add operation does not apply: doc is missing path: {path}")),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<(), String> {
    let missing = || format!("remove operation does not apply: doc is missing path: {path}");
    let (parent, last) = split(path).ok_or_else(missing)?;
    match pointer_mut(doc, parent) {
        Some(Value::Object(m)) => m.remove(&last).map(|_| ()).ok_or_else(missing),
        Some(Value::Array(a)) => match last.parse::<usize>() {
            Ok(i) if i < a.len() => {
                a.remove(i);
                Ok(())
            }
            _ => Err(missing()),
        },
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merge_merges_containers_by_name_and_obeys_directives() {
        let current = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}]}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}}});
        // kubectl set image's patch.
        let patch = json!({"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "y:2"}]}}}});
        let out = strategic(&current, &patch).unwrap();
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"],
            json!([{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:2"}])
        );
        // Deleting an item, reordering, retaining keys.
        let patch = json!({"spec": {
            "$setElementOrder/containers": [{"name": "b"}],
            "template": {"spec": {"containers": [{"name": "a", "$patch": "delete"}]}},
            "strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": null}}});
        let patch = json!({"spec": {"template": {"spec": {
            "$setElementOrder/containers": patch["spec"]["$setElementOrder/containers"].clone(),
            "containers": patch["spec"]["template"]["spec"]["containers"].clone()}},
            "strategy": patch["spec"]["strategy"].clone()}});
        let out = strategic(&current, &patch).unwrap();
        assert_eq!(out["spec"]["template"]["spec"]["containers"], json!([{"name": "b", "image": "y:1"}]));
        assert_eq!(out["spec"]["strategy"], json!({"type": "Recreate"}));
        // A list without a merge key is replaced; null removes.
        let out = strategic(&json!({"a": [1, 2], "b": 1}), &json!({"a": [3], "b": null})).unwrap();
        assert_eq!(out, json!({"a": [3]}));
        assert!(
            strategic(&current, &json!({"spec": {"template": {"spec": {"containers": [{"image": "z"}]}}}})).is_err()
        );
    }

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let out = merge_patch(&json!({"a": "b", "c": {"d": "e", "f": "g"}}), &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(out, json!({"a": "z", "c": {"d": "e"}}));
        assert_eq!(merge_patch(&json!({"a": [1, 2]}), &json!({"a": [3]})), json!({"a": [3]}));
    }

    #[test]
    fn json_patch_follows_rfc_6902() {
        let doc = json!({"metadata": {"labels": {"a": "1"}}, "list": [1, 2]});
        let ops = json!([
            {"op": "add", "path": "/metadata/labels/b", "value": "2"},
            {"op": "replace", "path": "/metadata/labels/a", "value": "3"},
            {"op": "add", "path": "/list/-", "value": 3},
            {"op": "remove", "path": "/list/0"},
            {"op": "test", "path": "/list/0", "value": 2},
            {"op": "copy", "from": "/list", "path": "/copied"},
            {"op": "move", "from": "/copied", "path": "/moved"}
        ]);
        let out = json_patch(&doc, &ops).unwrap();
        assert_eq!(out, json!({"metadata": {"labels": {"a": "3", "b": "2"}}, "list": [2, 3], "moved": [2, 3]}));
        assert_eq!(
            json_patch(&doc, &json!([{"op": "remove", "path": "/nope"}])).unwrap_err(),
            "remove operation does not apply: doc is missing path: /nope"
        );
        assert!(json_patch(&doc, &json!([{"op": "test", "path": "/list/0", "value": 9}])).is_err());
        assert!(json_patch(&doc, &json!({})).is_err());
    }
}
