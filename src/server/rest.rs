//! The resource endpoints (apiserver `endpoints/handlers`: `get.go`, `create.go`, `update.go`, `patch.go`,
//! `delete.go`, `watch.go`), over the simulation: every write goes through the cluster's store (defaults,
//! validation, admission with the API server's words) and the controllers then react (`Sim::settle`).

use super::{exec, server_error, status, Logged, Reply, Req, Shared, State, Target};
use crate::api;
use crate::cluster::store::ApiError;
use crate::cluster::store::{Change, Kind, ObjRef, Resource};
use crate::cluster::Propagation;
use crate::kubectl::{self, get, labels::Selector};
use crate::manifest::decode::{decode, ProblemKind};
use crate::manifest::yaml::Node;
use crate::sim::OpError;
use crate::sim::Sim;
use serde_json::{json, Value};
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The value of a step that may have answered already (a bad parameter, a missing object): that answer is the reply.
macro_rules! or_reply {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(reply) => return reply,
        }
    };
}

fn api_error(e: &ApiError) -> Reply {
    Reply::Json(e.code(), e.to_status())
}

fn bad_request(message: &str) -> Reply {
    Reply::Json(400, status(400, "BadRequest", message))
}

fn method_not_allowed() -> Reply {
    Reply::Json(405, status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"))
}

pub fn handle(shared: &Arc<Shared>, req: &Req, t: &Target) -> Reply {
    let watch = req.param("watch").is_some_and(|w| w == "true" || w == "1");
    match (req.method.as_str(), t.name.as_deref(), t.sub.as_deref()) {
        ("GET", None, None) if watch => watch_stream(shared, req, t),
        ("GET", None, None) => list(shared, req, t),
        ("GET", Some(name), None | Some("status")) => get_one(shared, req, t, name),
        ("GET", Some(name), Some("log")) if t.kind == Kind::Pod => log(shared, req, t, name),
        ("GET" | "POST", Some(name), Some("exec")) if t.kind == Kind::Pod => exec::exec(shared, req, t, name),
        ("GET", Some(name), Some("scale")) if scalable(t.kind) => {
            let state = shared.lock();
            match scale_of(&state.sim, t, name) {
                Ok(s) => Reply::Json(200, s),
                Err(e) => api_error(&e),
            }
        }
        ("PUT" | "PATCH", Some(name), Some("scale")) if scalable(t.kind) => write_scale(shared, req, t, name),
        ("POST", None, None) => create(shared, req, t),
        ("PUT" | "PATCH", Some(name), None | Some("status")) => update_or_patch(shared, req, t, name),
        ("DELETE", Some(name), None) => delete(shared, req, t, name),
        ("DELETE", None, None) => delete_collection(shared, req, t),
        _ => method_not_allowed(),
    }
}

fn scalable(kind: Kind) -> bool {
    matches!(kind, Kind::Deployment | Kind::ReplicaSet)
}

fn namespace(t: &Target) -> String {
    if t.kind.namespaced() {
        t.namespace.clone().unwrap_or_default()
    } else {
        String::new()
    }
}

fn object_json(sim: &Sim, kind: Kind, ns: &str, name: &str) -> Option<Value> {
    Some(crate::kubectl::get::object_json(sim.cluster().store(), kind, ns, name)).filter(|v| !v.is_null())
}

fn all_json(sim: &Sim, kind: Kind, ns: Option<&str>) -> Vec<Value> {
    let store = sim.cluster().store();
    crate::with_kind!(kind, T => store.list::<T>(ns).map(|o| serde_json::to_value(o).unwrap_or(Value::Null)).collect())
}

// ---- selectors ----

use crate::kubectl::fields::Fields;

struct Query {
    labels: Selector,
    fields: Fields,
}

fn query(req: &Req, kind: Kind) -> Result<Query, Reply> {
    let labels = Selector::parse(req.param("labelSelector").unwrap_or("")).map_err(|e| bad_request(&e))?;
    let fields = Fields::parse(kind, req.param("fieldSelector").unwrap_or("")).map_err(|e| bad_request(&e))?;
    Ok(Query { labels, fields })
}

impl Query {
    fn matches(&self, obj: &Value) -> bool {
        let labels: Option<std::collections::BTreeMap<String, String>> = obj["metadata"]["labels"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect());
        self.labels.matches(labels.as_ref()) && self.fields.matches(obj)
    }
}

// ---- reading ----

fn wants_table(req: &Req) -> bool {
    req.header("Accept").is_some_and(|a| a.contains("as=Table"))
}

/// The server-side printer's columns (`printers.go`): every column is sent; the wide ones have priority 1.
fn column_definitions(kind: Kind) -> Vec<Value> {
    let narrow = get::headers(kind, false);
    let mut columns: Vec<&str> = Vec::new();
    if kind != Kind::Event {
        columns.push("NAME");
    }
    columns.extend(get::headers(kind, true));
    columns
        .iter()
        .map(|c| {
            let name = title(c);
            let priority = if *c == "NAME" && kind != Kind::Event || narrow.contains(c) { 0 } else { 1 };
            let format = if *c == "NAME" { "name" } else { "" };
            json!({ "name": name, "type": "string", "format": format, "description": "", "priority": priority })
        })
        .collect()
}

/// `READY` → `Ready`, `UP-TO-DATE` → `Up-to-date`, `NOMINATED NODE` → `Nominated Node` (kubectl upper-cases them back).
fn title(header: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in header.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == ' ';
    }
    out
}

fn row(kind: Kind, obj: &Value, now: crate::cluster::clock::Millis, include: &str) -> Value {
    let cells: Vec<Value> = match get::found_from_json(kind, obj, now, true) {
        Some(found) => {
            let mut cells = Vec::new();
            if kind != Kind::Event {
                cells.push(Value::String(found.name.clone()));
            }
            cells.extend(found.cells.into_iter().map(Value::String));
            cells
        }
        None => Vec::new(),
    };
    let object = match include {
        "Object" => obj.clone(),
        "None" => Value::Null,
        _ => json!({ "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj["metadata"] }),
    };
    let mut row = json!({ "cells": cells });
    if !object.is_null() {
        row["object"] = object;
    }
    row
}

fn table(kind: Kind, objects: &[Value], sim: &Sim, include: &str, rv: u64, headers: bool) -> Value {
    let rows: Vec<Value> = objects.iter().map(|o| row(kind, o, sim.now(), include)).collect();
    json!({
        "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": { "resourceVersion": rv.to_string() },
        "columnDefinitions": if headers { Value::Array(column_definitions(kind)) } else { Value::Null },
        "rows": rows,
    })
}

fn include_object(req: &Req) -> Result<&str, Reply> {
    match req.param("includeObject").unwrap_or("Metadata") {
        v @ ("Metadata" | "Object" | "None" | "") => Ok(v),
        other => Err(bad_request(&format!("unrecognized includeObject value: {other:?}"))),
    }
}

fn list(shared: &Arc<Shared>, req: &Req, t: &Target) -> Reply {
    let q = or_reply!(query(req, t.kind));
    let include = or_reply!(include_object(req));
    let state = shared.lock();
    let ns = if t.kind.namespaced() { t.namespace.as_deref() } else { None };
    let items: Vec<Value> = all_json(&state.sim, t.kind, ns).into_iter().filter(|o| q.matches(o)).collect();
    let rv = state.sim.cluster().store().resource_version();
    if wants_table(req) {
        return Reply::Json(200, table(t.kind, &items, &state.sim, include, rv, true));
    }
    Reply::Json(
        200,
        json!({
            "kind": format!("{}List", t.kind.name()), "apiVersion": t.kind.api_version(),
            "metadata": { "resourceVersion": rv.to_string() }, "items": items,
        }),
    )
}

fn get_one(shared: &Arc<Shared>, req: &Req, t: &Target, name: &str) -> Reply {
    let include = or_reply!(include_object(req));
    let state = shared.lock();
    let ns = namespace(t);
    let Some(obj) = object_json(&state.sim, t.kind, &ns, name) else {
        return api_error(&ApiError::not_found(t.kind, name));
    };
    if wants_table(req) && t.sub.is_none() {
        let rv = obj["metadata"]["resourceVersion"].as_str().and_then(|v| v.parse().ok()).unwrap_or(0);
        return Reply::Json(200, table(t.kind, &[obj], &state.sim, include, rv, true));
    }
    Reply::Json(200, obj)
}

// ---- watching ----

fn watch_stream(shared: &Arc<Shared>, req: &Req, t: &Target) -> Reply {
    let q = or_reply!(query(req, t.kind));
    let include = match include_object(req) {
        Ok(i) => i.to_string(),
        Err(r) => return r,
    };
    let as_table = wants_table(req);
    let timeout = req
        .param("timeoutSeconds")
        .and_then(|s| s.parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(1800));
    let kind = t.kind;
    let ns = if kind.namespaced() { t.namespace.clone() } else { None };
    let from = req.param("resourceVersion").unwrap_or("").to_string();
    let initial_events = req.param("sendInitialEvents") == Some("true");
    let shared = shared.clone();
    Reply::Stream(Box::new(move |out: &mut dyn Write| {
        let deadline = Instant::now() + timeout;
        let mut first = true;
        let encode = |state: &State, change: &str, obj: &Value, first: &mut bool| -> String {
            let object = if as_table {
                let rv = obj["metadata"]["resourceVersion"].as_str().and_then(|v| v.parse().ok()).unwrap_or(0);
                table(kind, std::slice::from_ref(obj), &state.sim, &include, rv, *first)
            } else {
                obj.clone()
            };
            *first = false;
            format!("{}\n", json!({ "type": change, "object": object }))
        };
        // Where the stream starts: the current state as ADDED events (no resourceVersion, or "0"), else the changes
        // after the given one.
        let (mut after, initial) = {
            let state = shared.lock();
            let now_rv = state.sim.cluster().store().resource_version();
            match from.as_str() {
                _ if initial_events => {
                    // A watch list (client-go's WatchListClient): the current state, then a bookmark that ends it.
                    let mut text = String::new();
                    for o in all_json(&state.sim, kind, ns.as_deref()).iter().filter(|o| q.matches(o)) {
                        text.push_str(&encode(&state, "ADDED", o, &mut first));
                    }
                    let bookmark = json!({ "type": "BOOKMARK", "object": {
                        "kind": kind.name(), "apiVersion": kind.api_version(),
                        "metadata": { "resourceVersion": now_rv.to_string(),
                                      "annotations": { "k8s.io/initial-events-end": "true" } } } });
                    text.push_str(&format!("{bookmark}\n"));
                    (now_rv, text)
                }
                "" | "0" => {
                    let mut text = String::new();
                    for o in all_json(&state.sim, kind, ns.as_deref()).iter().filter(|o| q.matches(o)) {
                        text.push_str(&encode(&state, "ADDED", o, &mut first));
                    }
                    (now_rv, text)
                }
                rv => match rv.parse::<u64>() {
                    Ok(rv) if rv >= state.log_floor => (rv, String::new()),
                    Ok(rv) => {
                        let gone = json!({ "type": "ERROR", "object": {
                            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": format!("too old resource version: {rv} ({})", state.log_floor + 1),
                            "reason": "Expired", "code": 410 } });
                        let _ = out.write_all(format!("{gone}\n").as_bytes());
                        return;
                    }
                    Err(_) => {
                        let bad = json!({ "type": "ERROR", "object": status(400, "BadRequest", &format!("invalid resource version: {rv:?}")) });
                        let _ = out.write_all(format!("{bad}\n").as_bytes());
                        return;
                    }
                },
            }
        };
        if !initial.is_empty() {
            if out.write_all(initial.as_bytes()).is_err() {
                return;
            }
            shared.sent(&mut shared.lock());
        }
        loop {
            let mut state = shared.lock();
            let mut text = String::new();
            let matching = |l: &&Logged| {
                l.rv > after
                    && l.object.kind == kind
                    && ns.as_deref().is_none_or(|n| n == l.object.namespace)
                    && q.matches(&l.json)
            };
            let events: Vec<Logged> = state.log.iter().filter(matching).cloned().collect();
            if let Some(last) = state.log.back() {
                after = after.max(last.rv);
            }
            for l in &events {
                let change = match l.change {
                    Change::Added => "ADDED",
                    Change::Modified => "MODIFIED",
                    Change::Deleted => "DELETED",
                };
                text.push_str(&encode(&state, change, &l.json, &mut first));
            }
            if state.stopping || Instant::now() >= deadline {
                return;
            }
            if text.is_empty() {
                state = shared.wait(state, super::PROBE);
                let none_yet = state.log.back().is_none_or(|l| l.rv <= after);
                drop(state);
                // Still nothing: make sure the client is there (a newline between JSON values is allowed).
                if none_yet && out.write_all(b"\n").is_err() {
                    return;
                }
                continue;
            }
            shared.sent(&mut state);
            drop(state);
            if out.write_all(text.as_bytes()).is_err() {
                return;
            }
        }
    }))
}

// ---- writing ----

/// The body as JSON, with the API server's errors for what it cannot read.
fn body_json(req: &Req, kind: Kind) -> Result<Value, Reply> {
    let content_type = req.header("Content-Type").unwrap_or("").split(';').next().unwrap_or("").trim();
    if content_type == "application/vnd.kubernetes.protobuf" {
        return super::protobuf::decode(&req.body).map_err(|e| {
            bad_request(&format!("the object provided is unrecognized (must be of type {}): {e}", kind.name()))
        });
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(v) => Ok(v),
        Err(e) => {
            let shown: String = if req.body.is_empty() {
                "<empty>".into()
            } else {
                let head = String::from_utf8_lossy(&req.body[..req.body.len().min(30)]).into_owned();
                format!("{head} ...")
            };
            Err(bad_request(&format!(
                "the object provided is unrecognized (must be of type {}): couldn't get version/kind; json parse error: {} ({shown})",
                kind.name(),
                go_json_error(&req.body, &e)
            )))
        }
    }
}

/// encoding/json's wording for the common syntax errors.
fn go_json_error(body: &[u8], e: &serde_json::Error) -> String {
    if body.iter().all(u8::is_ascii_whitespace) || e.is_eof() {
        return "unexpected end of JSON input".into();
    }
    let offset = body
        .iter()
        .enumerate()
        .scan((1usize, 1usize), |(line, col), (i, b)| {
            let here = (i, *line, *col);
            if *b == b'\n' {
                *line += 1;
                *col = 1;
            } else {
                *col += 1;
            }
            Some(here)
        })
        .find(|(_, l, c)| *l == e.line() && *c == e.column())
        .map(|(i, _, _)| i);
    let Some(at) = offset.filter(|i| *i < body.len()) else {
        return "unexpected end of JSON input".into();
    };
    let c = body[at] as char;
    // Inside a literal (`null`, `true`, `false`): encoding/json names the literal and the letter it expected.
    let start = body[..at].iter().rposition(|b| !b.is_ascii_alphabetic()).map_or(0, |i| i + 1);
    for literal in ["null", "true", "false"] {
        let typed = &body[start..at];
        if at > start && literal.as_bytes().starts_with(typed) {
            let expected = literal.as_bytes()[typed.len()] as char;
            return format!("invalid character '{c}' in literal {literal} (expecting '{expected}')");
        }
    }
    format!("invalid character '{c}' looking for beginning of value")
}

fn group_package(kind: Kind) -> &'static str {
    match kind.group() {
        "" => "core",
        "apps" => "apps",
        _ => "discovery",
    }
}

/// The body's apiVersion and kind must be the endpoint's (a missing one defaults to it).
fn check_type(v: &mut Value, kind: Kind) -> Result<(), Reply> {
    let Some(obj) = v.as_object_mut() else {
        return Err(bad_request(&format!(
            "the object provided is unrecognized (must be of type {}): couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }} ({v} ...)",
            kind.name(),
            go_type_name(v),
        )));
    };
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or(kind.api_version()).to_string();
    let body_kind = obj.get("kind").and_then(Value::as_str).unwrap_or(kind.name()).to_string();
    if api_version != kind.api_version() {
        return Err(bad_request(&format!(
            "the API version in the data ({api_version}) does not match the expected API version ({})",
            kind.api_version()
        )));
    }
    if body_kind != kind.name() {
        let version = api_version.rsplit('/').next().unwrap_or("v1");
        return Err(bad_request(&format!(
            "{body_kind} in version {version:?} cannot be handled as a {}: converting ({version}.{body_kind}) to ({}.{}): unknown conversion",
            kind.name(),
            group_package(kind),
            kind.name()
        )));
    }
    obj.insert("apiVersion".into(), Value::String(api_version));
    obj.insert("kind".into(), Value::String(body_kind));
    Ok(())
}

fn go_type_name(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        _ => "null",
    }
}

/// Decodes into the kind's type as `fieldValidation` asks: `Strict` refuses unknown fields, `Warn` (the API
/// server's default) and `Ignore` drop them. Returns the object and the warnings to send.
fn decode_as<T: Resource>(v: &Value, req: &Req) -> Result<(T, Vec<String>), Reply> {
    let mode = req.param("fieldValidation").unwrap_or("Warn");
    if !matches!(mode, "Strict" | "Warn" | "Ignore") {
        return Err(bad_request(&format!(
            "fieldValidation parameter unsupported: {mode}. Supported values: Ignore, Warn, Strict"
        )));
    }
    let kind = T::kind();
    let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
    let cannot = |why: String| {
        bad_request(&format!("{} in version {version:?} cannot be handled as a {}: {why}", kind.name(), kind.name()))
    };
    let (obj, problems) = decode::<T>(&Node::from_json(v));
    let (unknown, other): (Vec<_>, Vec<_>) = problems.into_iter().partition(|p| p.kind == ProblemKind::UnknownField);
    if let Some(p) = other.first() {
        return Err(cannot(p.message.clone()));
    }
    if mode == "Strict" && !unknown.is_empty() {
        let list: Vec<String> = unknown.iter().map(|p| p.message.clone()).collect();
        return Err(cannot(format!("strict decoding error: {}", list.join(", "))));
    }
    let warnings = if mode == "Warn" { unknown.into_iter().map(|p| p.message).collect() } else { Vec::new() };
    obj.map(|o| (o, warnings)).ok_or_else(|| cannot("the object could not be decoded".into()))
}

fn dry_run(req: &Req) -> Result<bool, Reply> {
    match req.params("dryRun").as_slice() {
        [] => Ok(false),
        ["All"] => Ok(true),
        [other, ..] => Err(bad_request(&format!("Invalid dry run value: {other:?}. Valid values are: [All]"))),
    }
}

fn namespace_exists(sim: &Sim, ns: &str) -> bool {
    sim.cluster().get::<api::Namespace>(&ObjRef::new(Kind::Namespace, "", ns)).is_some()
}

/// Runs a write on the simulation, or on a copy of it for `dryRun=All` (nothing is kept; the answer is the same).
fn write<R>(shared: &Arc<Shared>, dry: bool, f: impl FnOnce(&mut Sim) -> R) -> R {
    if dry {
        return f(&mut shared.lock().scratch());
    }
    let mut state = shared.lock();
    let r = f(&mut state.sim);
    shared.changed(&mut state);
    r
}

fn with_warnings(reply: Reply, warnings: &[String]) -> Reply {
    if warnings.is_empty() {
        reply
    } else {
        Reply::Warned(warnings.to_vec(), Box::new(reply))
    }
}

fn create(shared: &Arc<Shared>, req: &Req, t: &Target) -> Reply {
    let dry = or_reply!(dry_run(req));
    let mut v = or_reply!(body_json(req, t.kind));
    if let Err(r) = check_type(&mut v, t.kind) {
        return r;
    }
    let ns = namespace(t);
    if t.kind.namespaced() {
        let body_ns = v["metadata"]["namespace"].as_str().unwrap_or("").to_string();
        if !body_ns.is_empty() && body_ns != ns {
            return bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            );
        }
        if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
            m.insert("namespace".into(), Value::String(ns.clone()));
        } else {
            v["metadata"] = json!({ "namespace": ns });
        }
    }
    for f in ["uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp"] {
        if let Some(m) = v["metadata"].as_object_mut() {
            m.remove(f);
        }
    }
    fn go<T: Resource>(shared: &Arc<Shared>, req: &Req, v: &Value, ns: &str, dry: bool) -> Reply {
        let (obj, warnings) = or_reply!(decode_as::<T>(v, req));
        let name = api::name_of(obj.metadata()).to_string();
        if name.is_empty() && obj.metadata().generate_name.as_deref().is_none_or(str::is_empty) {
            let e = ApiError::invalid(
                T::kind(),
                "",
                vec![api::validation::FieldError::required("metadata.name", "name or generateName is required")],
            );
            return api_error(&e);
        }
        write(shared, dry, |sim| {
            if T::kind().namespaced() && !namespace_exists(sim, ns) {
                return api_error(&ApiError::not_found(Kind::Namespace, ns));
            }
            match sim.send_create(obj) {
                Ok(stored) => {
                    let mut body = serde_json::to_value(&*stored).unwrap_or(Value::Null);
                    if dry {
                        crate::kubectl::create::dry_run_created(&mut body);
                    }
                    sim.settle();
                    with_warnings(Reply::Json(201, body), &warnings)
                }
                Err(e) => api_error(&e),
            }
        })
    }
    crate::with_kind!(t.kind, T => go::<T>(shared, req, &v, &ns, dry))
}

/// Writes `v` over the stored object as an update does: the main resource keeps the stored status, the `status`
/// subresource changes only the status.
fn replace(shared: &Arc<Shared>, req: &Req, t: &Target, name: &str, v: Value, current: &Value, dry: bool) -> Reply {
    let mut v = v;
    if let Err(r) = check_type(&mut v, t.kind) {
        return r;
    }
    let ns = namespace(t);
    let body_name = v["metadata"]["name"].as_str().unwrap_or("").to_string();
    if body_name != name {
        return bad_request(&format!(
            "the name of the object ({body_name}) does not match the name on the URL ({name})"
        ));
    }
    if t.kind.namespaced() {
        let body_ns = v["metadata"]["namespace"].as_str().unwrap_or("").to_string();
        if !body_ns.is_empty() && body_ns != ns {
            return bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            );
        }
        v["metadata"]["namespace"] = Value::String(ns.clone());
    }
    // Empty label and annotation maps do not survive the API server's storage (omitempty): they read back as none.
    for field in ["labels", "annotations"] {
        if let Some(m) = v["metadata"].as_object_mut() {
            if m.get(field).is_some_and(|x| x.as_object().is_some_and(|o| o.is_empty()) || x.is_null()) {
                m.remove(field);
            }
        }
    }
    if t.sub.as_deref() == Some("status") {
        let status = v.get("status").cloned();
        v = current.clone();
        match status {
            Some(s) => v["status"] = s,
            None => {
                v.as_object_mut().map(|o| o.remove("status"));
            }
        }
    } else if let Some(s) = current.get("status") {
        v["status"] = s.clone();
    }
    fn go<T: Resource>(shared: &Arc<Shared>, req: &Req, v: &Value, dry: bool, live_rv: &Value) -> Reply {
        let (obj, warnings) = or_reply!(decode_as::<T>(v, req));
        write(shared, dry, |sim| match sim.send_update(obj) {
            Ok(stored) => {
                let mut body = serde_json::to_value(&*stored).unwrap_or(Value::Null);
                if dry {
                    // A dry run stores nothing, so the answer keeps the live resourceVersion.
                    body["metadata"]["resourceVersion"] = live_rv.clone();
                }
                sim.settle();
                with_warnings(Reply::Json(200, body), &warnings)
            }
            Err(e) => api_error(&e),
        })
    }
    let live_rv = current["metadata"]["resourceVersion"].clone();
    crate::with_kind!(t.kind, T => go::<T>(shared, req, &v, dry, &live_rv))
}

/// The patch a request carries, applied to `current`.
fn apply_patch(req: &Req, current: &Value) -> Result<Value, Reply> {
    let content_type = req.header("Content-Type").unwrap_or("").split(';').next().unwrap_or("").trim().to_string();
    let patch: Value = match serde_json::from_slice(&req.body) {
        Ok(p) => p,
        Err(e) => return Err(bad_request(&format!("error decoding patch: {}", go_json_error(&req.body, &e)))),
    };
    // The same patching as kubeplay's own kubectl (`kubectl::modify::apply_patch`), errors included.
    let ty = match content_type.as_str() {
        "application/strategic-merge-patch+json" => "strategic",
        "application/merge-patch+json" => "merge",
        "application/json-patch+json" => "json",
        _ => return Err(Reply::Json(415, status(415, "UnsupportedMediaType", "415: Unsupported Media Type"))),
    };
    crate::kubectl::modify::apply_patch(ty, current, &patch).map_err(|e| api_error(&e))
}

/// `PUT` (the body replaces the object) or `PATCH` (the body patches it), of the object or its `status`.
fn update_or_patch(shared: &Arc<Shared>, req: &Req, t: &Target, name: &str) -> Reply {
    let dry = or_reply!(dry_run(req));
    let current = {
        let state = shared.lock();
        object_json(&state.sim, t.kind, &namespace(t), name)
    };
    let Some(current) = current else {
        return api_error(&ApiError::not_found(t.kind, name));
    };
    let wanted = if req.method == "PUT" { body_json(req, t.kind) } else { apply_patch(req, &current) };
    match wanted {
        Ok(v) => replace(shared, req, t, name, v, &current, dry),
        Err(r) => r,
    }
}

/// `Scale` (autoscaling/v1) of a Deployment or ReplicaSet.
fn scale_of(sim: &Sim, t: &Target, name: &str) -> Result<Value, ApiError> {
    let ns = namespace(t);
    let obj = object_json(sim, t.kind, &ns, name).ok_or_else(|| ApiError::not_found(t.kind, name))?;
    let selector = obj["spec"]["selector"].clone();
    let selector: Option<api::LabelSelector> = serde_json::from_value(selector).ok();
    let meta = &obj["metadata"];
    Ok(json!({
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": { "name": meta["name"], "namespace": meta["namespace"], "uid": meta["uid"],
                      "resourceVersion": meta["resourceVersion"], "creationTimestamp": meta["creationTimestamp"] },
        "spec": { "replicas": obj["spec"]["replicas"].as_i64().unwrap_or(1) },
        "status": { "replicas": obj["status"]["replicas"].as_i64().unwrap_or(0),
                    "selector": selector.map(|s| api::selector::to_string(&s)).unwrap_or_default() },
    }))
}

fn write_scale(shared: &Arc<Shared>, req: &Req, t: &Target, name: &str) -> Reply {
    let dry = or_reply!(dry_run(req));
    let current = {
        let state = shared.lock();
        scale_of(&state.sim, t, name)
    };
    let current = match current {
        Ok(c) => c,
        Err(e) => return api_error(&e),
    };
    let wanted =
        if req.method == "PUT" { or_reply!(body_json(req, t.kind)) } else { or_reply!(apply_patch(req, &current)) };
    if let Some(rv) = wanted["metadata"]["resourceVersion"].as_str() {
        if Some(rv) != current["metadata"]["resourceVersion"].as_str() {
            return api_error(&ApiError::conflict(t.kind, name));
        }
    }
    let Some(replicas) = wanted["spec"]["replicas"].as_i64() else {
        return bad_request("Scale in version \"v1\" cannot be handled as a Scale: spec.replicas must be a number");
    };
    if replicas < 0 {
        let message = format!(
            "Scale.autoscaling {name:?} is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"
        );
        let mut body = status(422, "Invalid", &message);
        body["details"] = json!({ "name": name, "group": "autoscaling", "kind": "Scale", "causes": [
            { "reason": "FieldValueInvalid", "message": format!("Invalid value: {replicas}: must be greater than or equal to 0"), "field": "spec.replicas" }] });
        return Reply::Json(422, body);
    }
    let ns = namespace(t);
    let kind = t.kind;
    write(shared, dry, |sim| {
        let Some(mut obj) = object_json(sim, kind, &ns, name) else {
            return api_error(&ApiError::not_found(kind, name));
        };
        obj["spec"]["replicas"] = json!(replicas);
        fn go<T: Resource>(sim: &mut Sim, v: &Value) -> Result<(), ApiError> {
            let obj: T = crate::manifest::decode::from_json(v).map_err(ApiError::bad_request)?;
            sim.send_update(obj).map(|_| ())
        }
        let result = crate::with_kind!(kind, T => go::<T>(sim, &obj));
        match result {
            Ok(()) => {
                sim.settle();
                match scale_of(sim, t, name) {
                    Ok(s) => Reply::Json(200, s),
                    Err(e) => api_error(&e),
                }
            }
            Err(e) => api_error(&e),
        }
    })
}

/// `DeleteOptions` from the body or the query.
struct DeleteOptions {
    propagation: Propagation,
    grace: Option<i64>,
    dry: bool,
}

fn delete_options(req: &Req) -> Result<DeleteOptions, Reply> {
    let body: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                return Err(bad_request(&format!("error decoding DeleteOptions: {}", go_json_error(&req.body, &e))))
            }
        }
    };
    let policy =
        body["propagationPolicy"].as_str().map(str::to_string).or(req.param("propagationPolicy").map(str::to_string));
    let propagation = match policy.as_deref() {
        None | Some("Background") | Some("Foreground") => Propagation::Background,
        Some("Orphan") => Propagation::Orphan,
        Some(other) => {
            return Err(Reply::Json(
                422,
                status(422, "Invalid", &format!("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: {other:?}: supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")),
            ))
        }
    };
    let grace = body["gracePeriodSeconds"].as_i64().or(req.param("gracePeriodSeconds").and_then(|g| g.parse().ok()));
    let dry = match body["dryRun"].as_array() {
        Some(list) if list.iter().any(|v| v == "All") => true,
        _ => dry_run(req)?,
    };
    Ok(DeleteOptions { propagation, grace, dry })
}

fn delete(shared: &Arc<Shared>, req: &Req, t: &Target, name: &str) -> Reply {
    let opts = or_reply!(delete_options(req));
    let ns = namespace(t);
    let kind = t.kind;
    write(shared, opts.dry, |sim| {
        let Some(before) = object_json(sim, kind, &ns, name) else {
            return api_error(&ApiError::not_found(kind, name));
        };
        match sim.delete_object(kind, &ns, name, opts.propagation, opts.grace) {
            Ok(()) => match object_json(sim, kind, &ns, name) {
                // Still there: a pod shutting down gracefully.
                Some(after) if after["metadata"]["uid"] == before["metadata"]["uid"] => Reply::Json(200, after),
                // Gone: the object as it was (kubectl's `--wait` reads its uid, to tell a namesake that a controller
                // made at once, as the Deployment controller remakes a deleted ReplicaSet, from the deleted one).
                _ => Reply::Json(200, before),
            },
            Err(e) => op_error(&e, name),
        }
    })
}

/// A delete the simulation refused: the API server's Status, or 405 for what kubeplay does not let anyone delete.
fn op_error(e: &OpError, name: &str) -> Reply {
    match e {
        OpError::Api(e) => api_error(e),
        OpError::Refused(r) => Reply::Json(
            405,
            status(405, "MethodNotAllowed", kubectl::errors::refusal(r, name).trim_start_matches("error: ")),
        ),
    }
}

fn delete_collection(shared: &Arc<Shared>, req: &Req, t: &Target) -> Reply {
    let q = or_reply!(query(req, t.kind));
    let opts = or_reply!(delete_options(req));
    let kind = t.kind;
    let ns = if kind.namespaced() { t.namespace.clone() } else { None };
    write(shared, opts.dry, |sim| {
        let items: Vec<Value> = all_json(sim, kind, ns.as_deref()).into_iter().filter(|o| q.matches(o)).collect();
        for o in &items {
            let (n, name) =
                (o["metadata"]["namespace"].as_str().unwrap_or(""), o["metadata"]["name"].as_str().unwrap_or(""));
            if let Err(e) = sim.delete_object(kind, n, name, opts.propagation, opts.grace) {
                return op_error(&e, name);
            }
        }
        Reply::Json(
            200,
            json!({ "kind": format!("{}List", kind.name()), "apiVersion": kind.api_version(),
                    "metadata": { "resourceVersion": sim.cluster().store().resource_version().to_string() }, "items": items }),
        )
    })
}

// ---- logs ----

/// `GET pods/NAME/log`: the kubelet's log of a container, through the same code as kubeplay's own `kubectl logs`.
fn log(shared: &Arc<Shared>, req: &Req, t: &Target, name: &str) -> Reply {
    let mut line = vec!["kubectl".to_string(), "logs".into(), name.to_string(), "-n".into(), namespace(t)];
    if let Some(c) = req.param("container") {
        line.push(format!("--container={c}"));
    }
    if req.param("previous") == Some("true") {
        line.push("--previous".into());
    }
    if req.param("timestamps") == Some("true") {
        line.push("--timestamps".into());
    }
    if let Some(n) = req.param("tailLines") {
        line.push(format!("--tail={n}"));
    }
    if let Some(n) = req.param("limitBytes") {
        line.push(format!("--limit-bytes={n}"));
    }
    let line = kubectl::words::join(&line);
    let mut state = shared.lock();
    let out =
        kubectl::run(&mut state.sim, &line, &kubectl::Context { files: &kubectl::NoFiles, stdin: None, live: false });
    if out.code == 0 {
        return Reply::Text(200, out.stdout);
    }
    server_error(&out.stderr)
}
