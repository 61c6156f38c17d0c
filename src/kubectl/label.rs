//! `kubectl label` and `kubectl annotate` (`pkg/cmd/label`, `pkg/cmd/annotate`): read the object, change its
//! metadata, write it back through the API server.

use super::flags::{flag, val, Parsed, Spec};
use super::{namespace, one_target, resources, Output};
use crate::cluster::store::{Kind, ObjRef, Resource};
use crate::sim::Sim;
use serde_json::Value;

pub const LABEL_FLAGS: &[Spec] = &[flag("overwrite", None), flag("all", None), val("selector", Some('l'))];

/// Reads an object as JSON, lets `f` change it, and writes it back through the API server (validation included).
fn patch(
    sim: &mut Sim,
    kind: Kind,
    ns: &str,
    name: &str,
    f: impl FnOnce(&mut Value) -> Result<bool, String>,
) -> Result<bool, String> {
    fn go<T: Resource>(
        sim: &mut Sim,
        r: &ObjRef,
        f: impl FnOnce(&mut Value) -> Result<bool, String>,
    ) -> Result<bool, String> {
        let obj = sim.cluster().get::<T>(r).cloned().ok_or_else(|| super::errors::not_found(T::kind(), &r.name))?;
        let mut v = serde_json::to_value(&obj).map_err(|e| e.to_string())?;
        if !f(&mut v)? {
            return Ok(false);
        }
        let new: T = crate::manifest::decode::from_json(&v)?;
        sim.update_object(new).map_err(|e| super::errors::check(&e))?;
        Ok(true)
    }
    if matches!(kind, Kind::Event | Kind::EndpointSlice | Kind::Endpoints) {
        return Err(format!("error: kubeplay does not change {}", kind.plural()));
    }
    let r = ObjRef::new(kind, if kind.namespaced() { ns } else { "" }, name);
    crate::with_kind!(kind, T => go::<T>(sim, &r, f))
}

/// `kubectl label` / `kubectl annotate`: `KEY=VALUE` sets, `KEY-` removes; an existing key needs `--overwrite`.
pub fn label_or_annotate(sim: &mut Sim, f: &Parsed, annotations: bool) -> Output {
    let verb = if annotations { "annotate" } else { "label" };
    let (changes, target): (Vec<String>, Vec<String>) =
        f.args.iter().cloned().partition(|a| a.contains('=') || (a.ends_with('-') && !a.contains('/')));
    // `parseLabels`' order (`pkg/cmd/label`): no resource at all first, then no change.
    if target.is_empty() && !f.has("filename") {
        return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if changes.is_empty() {
        return Output::err(format!(
            "error: at least one {} update is required",
            if annotations { "annotation" } else { "label" }
        ));
    }
    // `TYPE -l SELECTOR` or `TYPE --all`: every matching object, one line each.
    if let [kind_word] = target.as_slice() {
        if !kind_word.contains('/') && (f.has("selector") || f.bool("all")) {
            let kind = match resources::resolve(kind_word) {
                Ok(k) => k,
                Err(w) => return Output::err(resources::unknown_type(&w)),
            };
            let sel = match super::labels::Selector::parse(f.get("selector").unwrap_or("")) {
                Ok(s) => s,
                Err(e) => return Output::err(format!("error: {e}")),
            };
            let ns = namespace(f);
            let (found, _) = super::get::find_kind(
                kind,
                sim.cluster().store(),
                Some(&ns),
                &[],
                &sel,
                sim.now(),
                super::get::View::Names,
            );
            let mut out = Output::default();
            for x in found {
                let one = label_one(sim, f, annotations, kind, &x.name, &changes);
                out.stdout.push_str(&one.stdout);
                out.stderr.push_str(&one.stderr);
                out.code = out.code.max(one.code);
            }
            return out;
        }
    }
    let (kind, name) = match one_target(&target, verb) {
        Ok(t) => t,
        Err(o) => return o,
    };
    label_one(sim, f, annotations, kind, &name, &changes)
}

fn label_one(sim: &mut Sim, f: &Parsed, annotations: bool, kind: Kind, name: &str, changes: &[String]) -> Output {
    let field = if annotations { "annotations" } else { "labels" };
    let overwrite = f.bool("overwrite");
    // `label.go` prints a removed label that was not there on its own line (with `fmt.Printf`, to standard output).
    let mut missing = String::new();
    let mut shrank = false;
    let result = patch(sim, kind, &namespace(f), name, |v| {
        let map = v["metadata"].as_object_mut().ok_or("object without metadata")?;
        // An object without the map gains an empty one: kubectl's new object differs from the old, so `labeled`.
        let had = map.get(field).is_some_and(|m| !m.is_null());
        let entry = map.entry(field).or_insert_with(|| Value::Object(Default::default()));
        if entry.is_null() {
            *entry = Value::Object(Default::default());
        }
        let m = entry.as_object_mut().ok_or("metadata is not an object")?;
        let before = Value::Object(m.clone()).to_string().len();
        // `validateNoOverwrites` / `validateNoAnnotationOverwrites`: every conflicting key, before anything changes
        // (the change-cause annotation may always be overwritten).
        if !overwrite {
            let mut conflicts = Vec::new();
            for c in changes.iter().filter(|c| c.contains('=')) {
                let (k, val) = c.split_once('=').unwrap_or((c, ""));
                if annotations && k == "kubernetes.io/change-cause" {
                    continue;
                }
                if let Some(old) = m.get(k).and_then(Value::as_str).filter(|old| *old != val) {
                    conflicts.push(format!("'{k}' already has a value ({old})"));
                }
            }
            if !conflicts.is_empty() {
                return Err(if annotations {
                    format!(
                        "error: --overwrite is false but found the following declared annotation(s): {}",
                        conflicts.join("; ")
                    )
                } else if conflicts.len() == 1 {
                    format!("error: {}, and --overwrite is false", conflicts[0])
                } else {
                    let all: Vec<String> = conflicts.iter().map(|c| format!("{c}, and --overwrite is false")).collect();
                    format!("error: [{}]", all.join(", "))
                });
            }
        }
        let mut changed = false;
        for c in changes.iter().filter(|c| c.contains('=')) {
            let (k, val) = c.split_once('=').unwrap_or((c, ""));
            if m.get(k).and_then(Value::as_str) != Some(val) {
                m.insert(k.to_string(), Value::String(val.to_string()));
                changed = true;
            }
        }
        for key in changes.iter().filter(|c| !c.contains('=')).filter_map(|c| c.strip_suffix('-')) {
            if m.remove(key).is_some() {
                changed = true;
            } else if !annotations {
                missing.push_str(&format!("label {key:?} not found.\n"));
            }
        }
        shrank = Value::Object(m.clone()).to_string().len() < before;
        // An empty map is stored as none (omitempty), as the API server's storage round trip leaves it.
        let empty = m.is_empty();
        if empty {
            map.remove(field);
        }
        Ok(changed || (!had && !annotations))
    });
    // `annotate.go` always says `annotated`; `label.go`'s `updateDataChangeMsg` says `not labeled` for no change, and
    // `unlabeled` when the object shrank without --overwrite.
    let done = match (annotations, result) {
        (_, Err(e)) => return Output::err(e),
        (true, Ok(_)) => "annotated",
        (false, Ok(false)) => "not labeled",
        (false, Ok(true)) if shrank && !overwrite => "unlabeled",
        (false, Ok(true)) => "labeled",
    };
    Output::ok(format!("{missing}{}/{name} {done}\n", kind.printed()))
}
