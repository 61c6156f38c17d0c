//! `kubectl get`: the server-side table columns of each kind (`pkg/printers/internalversion/printers.go`), printed
//! through tabwriter (minwidth 6, padding 3) as cli-runtime's table printer does, with `kind.group/` prefixes and a
//! blank line between kinds when several are listed; `-o wide|name|yaml|json`, `--show-labels`, `-l`, `-n`, `-A`.

use super::jsonpath::Template;
use super::labels::Selector;
use super::tabwriter;
use crate::api::pod_columns::{human_duration, pod_columns};
use crate::api::time::millis_of;
use crate::api::{self, selector, Deployment, Namespace, Node, Pod, ReplicaSet, Secret, Service};
use crate::api::{ConfigMap, Event, ObjectMeta};
use crate::cluster::clock::Millis;
use crate::cluster::store::{Kind, Resource, Store};
use crate::manifest::print;

/// One object found by a query: its name, and what the [`View`] asked for.
pub struct Found {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    pub labels: String,
    /// The table cells after NAME (empty unless the view is a table).
    pub cells: Vec<String>,
    /// The object itself (null unless the view asks for objects, or the object came as JSON).
    pub json: serde_json::Value,
}

/// What a query needs of each object it finds: computing table cells or serializing an object is only done for the
/// outputs that print them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Names only (`-o name`, delete, describe, label).
    Names,
    /// Table rows, wide or not.
    Table { wide: bool },
    /// The objects (`-o yaml|json`).
    Objects,
}

/// The columns of a kind (without NAME), default and wide.
pub fn headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    let mut h: Vec<&'static str> = match kind {
        Kind::Deployment => vec!["READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        Kind::ReplicaSet => vec!["DESIRED", "CURRENT", "READY", "AGE"],
        Kind::Pod => vec!["READY", "STATUS", "RESTARTS", "AGE"],
        Kind::Service => vec!["TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        Kind::Namespace => vec!["STATUS", "AGE"],
        Kind::Node => vec!["STATUS", "ROLES", "AGE", "VERSION"],
        Kind::ConfigMap => vec!["DATA", "AGE"],
        Kind::Secret => vec!["TYPE", "DATA", "AGE"],
        Kind::Event => vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        Kind::Endpoints => vec!["ENDPOINTS", "AGE"],
        Kind::EndpointSlice => vec!["ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
    };
    if wide && kind == Kind::Event {
        // Events interleave their wide columns (printers.go `eventColumnDefinitions`); NAME comes last.
        return vec![
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "SUBOBJECT",
            "SOURCE",
            "MESSAGE",
            "FIRST SEEN",
            "COUNT",
            "NAME",
        ];
    }
    if wide {
        h.extend(match kind {
            Kind::Deployment | Kind::ReplicaSet => vec!["CONTAINERS", "IMAGES", "SELECTOR"],
            Kind::Pod => vec!["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
            Kind::Service => vec!["SELECTOR"],
            Kind::Node => vec!["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
            _ => vec![],
        });
    }
    h
}

pub fn age(meta: &ObjectMeta, now: Millis) -> String {
    match &meta.creation_timestamp {
        Some(t) => human_duration(now.saturating_sub(millis_of(t))),
        None => "<unknown>".into(),
    }
}

/// `<none>` for an empty cell or field.
pub(super) fn none_if_empty(s: String) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

fn template_columns(t: Option<&api::PodTemplateSpec>) -> (String, String) {
    let containers = t.and_then(|t| t.spec.as_ref()).map(|s| s.containers.as_slice()).unwrap_or_default();
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image.as_deref().unwrap_or("")).collect();
    (names.join(","), images.join(","))
}

/// PORT(S): `80/TCP`, `80:31234/TCP`, comma-joined.
pub fn service_ports(s: &Service) -> String {
    let ports = s.spec.as_ref().and_then(|s| s.ports.as_deref()).unwrap_or_default();
    let cells: Vec<String> = ports
        .iter()
        .map(|p| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port.filter(|n| *n != 0) {
                Some(np) => format!("{}:{np}/{proto}", p.port),
                None => format!("{}/{proto}", p.port),
            }
        })
        .collect();
    none_if_empty(cells.join(","))
}

pub fn external_ip(s: &Service, wide: bool) -> String {
    let spec = s.spec.clone().unwrap_or_default();
    let external: Vec<String> = spec.external_ips.clone().unwrap_or_default();
    match spec.type_.as_deref().unwrap_or("ClusterIP") {
        "ExternalName" => spec.external_name.unwrap_or_default(),
        "LoadBalancer" => {
            let mut ips = api::load_balancer_ingress(s);
            ips.extend(external);
            crate::util::sort(&mut ips);
            ips.dedup();
            let joined = ips.join(",");
            if joined.is_empty() {
                "<pending>".into()
            } else if !wide && joined.chars().count() > 16 {
                format!("{}...", joined.chars().take(13).collect::<String>())
            } else {
                joined
            }
        }
        _ => none_if_empty(external.join(",")),
    }
}

/// A kind's table cells after NAME (`printers.go`'s print function for it).
pub trait Row: Resource {
    fn cells(&self, now: Millis, wide: bool) -> Vec<String>;
}

impl Row for Deployment {
    fn cells(&self, now: Millis, wide: bool) -> Vec<String> {
        let st = self.status.clone().unwrap_or_default();
        let spec = self.spec.clone().unwrap_or_default();
        let mut c = vec![
            format!("{}/{}", st.ready_replicas.unwrap_or(0), spec.replicas.unwrap_or(1)),
            st.updated_replicas.unwrap_or(0).to_string(),
            st.available_replicas.unwrap_or(0).to_string(),
            age(&self.metadata, now),
        ];
        if wide {
            let (names, images) = template_columns(Some(&spec.template));
            c.extend([names, images, none_if_empty(selector::to_string(&spec.selector))]);
        }
        c
    }
}

impl Row for ReplicaSet {
    fn cells(&self, now: Millis, wide: bool) -> Vec<String> {
        let st = self.status.clone().unwrap_or_default();
        let spec = self.spec.clone().unwrap_or_default();
        let mut c = vec![
            spec.replicas.unwrap_or(1).to_string(),
            st.replicas.to_string(),
            st.ready_replicas.unwrap_or(0).to_string(),
            age(&self.metadata, now),
        ];
        if wide {
            let (names, images) = template_columns(spec.template.as_ref());
            c.extend([names, images, none_if_empty(selector::to_string(&spec.selector))]);
        }
        c
    }
}

impl Row for Pod {
    fn cells(&self, now: Millis, wide: bool) -> Vec<String> {
        let cols = pod_columns(self, now);
        let mut c = vec![cols.ready, cols.status, cols.restarts, age(&self.metadata, now)];
        if wide {
            let ip = self.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_else(|| "<none>".into());
            let node = self.spec.as_ref().and_then(|s| s.node_name.clone()).unwrap_or_else(|| "<none>".into());
            c.extend([ip, node, "<none>".into(), "<none>".into()]);
        }
        c
    }
}

impl Row for Service {
    fn cells(&self, now: Millis, wide: bool) -> Vec<String> {
        let spec = self.spec.clone().unwrap_or_default();
        let ty = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
        let ip = if ty == "ExternalName" {
            "<none>".to_string()
        } else {
            spec.cluster_ips
                .as_ref()
                .and_then(|v| v.first().cloned())
                .or(spec.cluster_ip.clone())
                .unwrap_or_else(|| "<none>".into())
        };
        let mut c = vec![ty, ip, external_ip(self, wide), service_ports(self), age(&self.metadata, now)];
        if wide {
            let sel: Vec<String> = spec.selector.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
            c.push(none_if_empty(sel.join(",")));
        }
        c
    }
}

impl Row for Namespace {
    fn cells(&self, now: Millis, _wide: bool) -> Vec<String> {
        let phase = self.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or_else(|| "Active".into());
        vec![phase, age(&self.metadata, now)]
    }
}

impl Row for Node {
    fn cells(&self, now: Millis, wide: bool) -> Vec<String> {
        let st = self.status.clone().unwrap_or_default();
        let ready = st.conditions.iter().flatten().any(|c| c.type_ == "Ready" && c.status == "True");
        let mut status = if ready { "Ready".to_string() } else { "NotReady".to_string() };
        if self.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
            status.push_str(",SchedulingDisabled");
        }
        let mut roles: Vec<&str> = self
            .metadata
            .labels
            .iter()
            .flatten()
            .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/"))
            .collect();
        crate::util::sort(&mut roles);
        let info = st.node_info.clone().unwrap_or_default();
        let mut c =
            vec![status, none_if_empty(roles.join(",")), age(&self.metadata, now), info.kubelet_version.clone()];
        if wide {
            let internal = st
                .addresses
                .iter()
                .flatten()
                .find(|a| a.type_ == "InternalIP")
                .map_or("<none>".to_string(), |a| a.address.clone());
            c.extend([internal, "<none>".into(), info.os_image, info.kernel_version, info.container_runtime_version]);
        }
        c
    }
}

impl Row for ConfigMap {
    fn cells(&self, now: Millis, _wide: bool) -> Vec<String> {
        let n = self.data.as_ref().map_or(0, |d| d.len()) + self.binary_data.as_ref().map_or(0, |d| d.len());
        vec![n.to_string(), age(&self.metadata, now)]
    }
}

impl Row for Secret {
    fn cells(&self, now: Millis, _wide: bool) -> Vec<String> {
        let ty = self.type_.clone().unwrap_or_else(|| "Opaque".into());
        vec![ty, self.data.as_ref().map_or(0, |d| d.len()).to_string(), age(&self.metadata, now)]
    }
}

/// `printEvent`: no NAME column unless wide, where it comes last.
impl Row for Event {
    fn cells(&self, now: Millis, wide: bool) -> Vec<String> {
        let since = |t: &api::Time| human_duration(now.saturating_sub(millis_of(t)));
        let first = match (&self.first_timestamp, &self.event_time) {
            (Some(t), _) => since(t),
            (None, Some(m)) => human_duration(now.saturating_sub(crate::api::time::millis_of_micro(m))),
            (None, None) => "<unknown>".to_string(),
        };
        let last = self.last_timestamp.as_ref().map_or_else(|| first.clone(), since);
        let kind = self.involved_object.kind.as_deref().unwrap_or("").to_ascii_lowercase();
        let target = match self.involved_object.name.as_deref() {
            Some(n) if !n.is_empty() => format!("{kind}/{n}"),
            _ => kind,
        };
        let message = self.message.as_deref().unwrap_or("").trim().to_string();
        if !wide {
            return vec![
                last,
                self.type_.clone().unwrap_or_default(),
                self.reason.clone().unwrap_or_default(),
                target,
                message,
            ];
        }
        let source = self.source.as_ref();
        let component = source.and_then(|s| s.component.clone()).filter(|c| !c.is_empty());
        let source = match (component, source.and_then(|s| s.host.clone()).filter(|h| !h.is_empty())) {
            (Some(c), Some(h)) => format!("{c}, {h}"),
            (Some(c), None) => c,
            (None, _) => match (
                self.reporting_component.clone().unwrap_or_default(),
                self.reporting_instance.clone().unwrap_or_default(),
            ) {
                (c, i) if !i.is_empty() => format!("{c}, {i}"),
                (c, _) => c,
            },
        };
        vec![
            last,
            self.type_.clone().unwrap_or_default(),
            self.reason.clone().unwrap_or_default(),
            target,
            self.involved_object.field_path.clone().unwrap_or_default(),
            source,
            message,
            first,
            self.count.filter(|c| *c != 0).unwrap_or(1).to_string(),
            self.metadata.name.clone().unwrap_or_default(),
        ]
    }
}

/// `formatEndpoints`: up to three `ip:port` of ready addresses, ports outer and addresses inner, then `+ N more...`.
pub fn endpoints_cell(e: &api::Endpoints) -> String {
    let subsets = e.subsets.as_deref().unwrap_or_default();
    if subsets.is_empty() {
        return "<none>".into();
    }
    const MAX: usize = 3;
    let (mut list, mut more, mut count) = (Vec::new(), false, 0);
    for ss in subsets {
        let addresses = ss.addresses.as_deref().unwrap_or_default();
        let ports = ss.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for p in ports {
            count += addresses.len();
            for a in addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                let host = if a.ip.contains(':') { format!("[{}]", a.ip) } else { a.ip.clone() };
                list.push(format!("{host}:{}", p.port));
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - MAX)
    } else {
        ret
    }
}

/// `listWithMoreString`.
fn list_with_more(list: Vec<String>, more: bool, count: usize) -> String {
    let ret = list.join(",");
    if more {
        return format!("{ret} + {} more...", count - 3);
    }
    if ret.is_empty() {
        "<unset>".into()
    } else {
        ret
    }
}

impl Row for api::Endpoints {
    fn cells(&self, now: Millis, _wide: bool) -> Vec<String> {
        vec![endpoints_cell(self), age(&self.metadata, now)]
    }
}

/// `printEndpointSlice`: `formatDiscoveryPorts` and `formatDiscoveryEndpoints` (every address, ready or not).
impl Row for api::EndpointSlice {
    fn cells(&self, now: Millis, _wide: bool) -> Vec<String> {
        let (mut ports, mut more, mut count) = (Vec::new(), false, 0);
        for p in self.ports.iter().flatten() {
            if ports.len() < 3 {
                ports.push(match (p.port, &p.name) {
                    (Some(n), _) => n.to_string(),
                    (None, Some(name)) => name.clone(),
                    (None, None) => "*".into(),
                });
            } else {
                more = true;
            }
            count += 1;
        }
        let ports = list_with_more(ports, more, count);
        let (mut addrs, mut more, mut count) = (Vec::new(), false, 0);
        for e in &self.endpoints {
            for a in &e.addresses {
                if addrs.len() < 3 {
                    addrs.push(a.clone());
                } else {
                    more = true;
                }
                count += 1;
            }
        }
        vec![self.address_type.clone(), ports, list_with_more(addrs, more, count), age(&self.metadata, now)]
    }
}

fn labels_string(meta: &ObjectMeta) -> String {
    let l: Vec<String> = meta.labels.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
    none_if_empty(l.join(","))
}

/// The objects of `kind` in `namespace` (all namespaces with `None`) that `names` (all when empty) and `sel` pick.
pub fn find<T: Row>(
    store: &Store,
    namespace: Option<&str>,
    names: &[String],
    sel: &Selector,
    now: Millis,
    view: View,
) -> (Vec<Found>, Vec<String>) {
    let ns = if T::kind().namespaced() { namespace } else { None };
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let make = |o: &T| {
        let json =
            if view == View::Objects { serde_json::to_value(o).unwrap_or_default() } else { serde_json::Value::Null };
        row_of(o, json, now, view)
    };
    if names.is_empty() {
        for o in store.list::<T>(ns) {
            if sel.matches(o.metadata().labels.as_ref()) {
                found.push(make(o));
            }
        }
    } else {
        for n in names {
            match store.get::<T>(ns.unwrap_or(""), n) {
                Some(o) if sel.matches(o.metadata().labels.as_ref()) => found.push(make(o)),
                Some(_) => {}
                None => missing.push(n.clone()),
            }
        }
    }
    (found, missing)
}

/// An object's row; `json` is the object itself, when the caller has it or needs it.
fn row_of<T: Row>(o: &T, json: serde_json::Value, now: Millis, view: View) -> Found {
    Found {
        kind: T::kind(),
        namespace: api::namespace_of(o.metadata()).to_string(),
        name: api::name_of(o.metadata()).to_string(),
        labels: labels_string(o.metadata()),
        cells: match view {
            View::Table { wide } => o.cells(now, wide),
            View::Names | View::Objects => Vec::new(),
        },
        json,
    }
}

/// The row of an object given as JSON (a watch event's copy).
pub fn found_from_json(kind: Kind, json: &serde_json::Value, now: Millis, wide: bool) -> Option<Found> {
    crate::with_kind!(kind, T => crate::manifest::decode::from_json::<T>(json).ok().map(|o| row_of(&o, json.clone(), now, View::Table { wide })))
}

/// Dispatches [`find`] on a kind known at run time.
pub fn find_kind(
    kind: Kind,
    store: &Store,
    namespace: Option<&str>,
    names: &[String],
    sel: &Selector,
    now: Millis,
    view: View,
) -> (Vec<Found>, Vec<String>) {
    crate::with_kind!(kind, T => find::<T>(store, namespace, names, sel, now, view))
}

/// A stored object as JSON (`Null` if it is gone).
pub fn object_json(store: &Store, kind: Kind, namespace: &str, name: &str) -> serde_json::Value {
    let ns = if kind.namespaced() { namespace } else { "" };
    crate::with_kind!(kind, T => store.get::<T>(ns, name).map(|o| serde_json::to_value(o).unwrap_or_default()))
        .unwrap_or_default()
}

/// `--sort-by`: the objects in the order of the value `path` finds in each (`RuntimeSort`: numbers by value, strings
/// in natural order, `false` before `true`), stable. An object without the field empties the list, as kubectl 1.35
/// prints "No resources found" then (kubernetes/kubectl#1343).
pub fn sorted(found: Vec<Found>, path: &Template, json: impl Fn(&Found) -> serde_json::Value) -> Vec<Found> {
    let mut keyed: Vec<(serde_json::Value, Found)> = Vec::with_capacity(found.len());
    for f in found {
        match path.values(&json(&f)).ok().and_then(|v| v.into_iter().next()) {
            Some(v) => keyed.push((v, f)),
            None => return Vec::new(),
        }
    }
    crate::util::sort_by(&mut keyed, |a, b| value_order(&a.0, &b.0));
    keyed.into_iter().map(|(_, f)| f).collect()
}

fn value_order(a: &serde_json::Value, b: &serde_json::Value) -> std::cmp::Ordering {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => {
            x.as_f64().unwrap_or(0.0).partial_cmp(&y.as_f64().unwrap_or(0.0)).unwrap_or(std::cmp::Ordering::Equal)
        }
        (V::String(x), V::String(y)) => natural_order(x, y),
        (V::Bool(x), V::Bool(y)) => x.cmp(y),
        _ => print::to_json_compact(a).cmp(&print::to_json_compact(b)),
    }
}

/// `sortorder.NaturalLess`: runs of digits compare as numbers, the rest byte by byte.
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (da, db) = (a[i].is_ascii_digit(), b[j].is_ascii_digit());
        if da && db {
            let (si, sj) = (i, j);
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (x, y) = (&a[si..i], &b[sj..j]);
            let (x, y) = (trim_zeros(x), trim_zeros(y));
            let o = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
            if o != Ordering::Equal {
                return o;
            }
        } else {
            if a[i] != b[j] {
                return a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let n = d.iter().take_while(|c| **c == b'0').count();
    &d[n.min(d.len().saturating_sub(1))..]
}

/// The table of one kind's objects: `with_kind` prefixes names, `all_namespaces` adds NAMESPACE, each of
/// `label_columns` (`-L`) a column of that label's values.
#[allow(clippy::too_many_arguments)]
pub fn table(
    kind: Kind,
    found: &[Found],
    wide: bool,
    with_kind: bool,
    all_namespaces: bool,
    show_labels: bool,
    headers: bool,
    label_columns: &[String],
) -> String {
    let text = table_text(kind, found, wide, with_kind, all_namespaces, show_labels, headers, label_columns);
    tabwriter::format(&text, 6, 3)
}

/// One row on its own, as the watch printer writes each change (its widths are the row's own).
pub fn watch_row(kind: Kind, found: &Found, wide: bool, with_kind: bool, all_namespaces: bool) -> String {
    tabwriter::format(
        &table_text(kind, std::slice::from_ref(found), wide, with_kind, all_namespaces, false, false, &[]),
        6,
        3,
    )
}

#[allow(clippy::too_many_arguments)]
fn table_text(
    kind: Kind,
    found: &[Found],
    wide: bool,
    with_kind: bool,
    all_namespaces: bool,
    show_labels: bool,
    header_row: bool,
    label_columns: &[String],
) -> String {
    let mut text = String::new();
    let mut header: Vec<&str> = Vec::new();
    if all_namespaces && kind.namespaced() {
        header.push("NAMESPACE");
    }
    // Events print no NAME column of their own (it is the last wide column).
    let name_column = kind != Kind::Event;
    if name_column {
        header.push("NAME");
    }
    header.extend(headers(kind, wide));
    let label_headers: Vec<String> =
        label_columns.iter().map(|l| l.rsplit('/').next().unwrap_or(l).to_uppercase()).collect();
    header.extend(label_headers.iter().map(String::as_str));
    if show_labels {
        header.push("LABELS");
    }
    if header_row {
        text.push_str(&header.join("\t"));
        text.push('\n');
    }
    for f in found {
        let mut row: Vec<String> = Vec::new();
        if all_namespaces && kind.namespaced() {
            row.push(f.namespace.clone());
        }
        if name_column {
            row.push(if with_kind { format!("{}/{}", kind.printed(), f.name) } else { f.name.clone() });
        }
        row.extend(f.cells.iter().cloned());
        for key in label_columns {
            // Label values hold no commas or `=`: the labels cell splits back into pairs.
            let value = f.labels.split(',').find_map(|kv| kv.split_once('=').filter(|(k, _)| k == key));
            row.push(value.map(|(_, v)| v.to_string()).unwrap_or_default());
        }
        if show_labels {
            row.push(f.labels.clone());
        }
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    text
}

/// What the structured printers get: the object itself for one named object, a `List` otherwise.
pub fn object_or_list(found: &[Found], single: bool) -> serde_json::Value {
    if single && found.len() == 1 {
        found[0].json.clone()
    } else {
        serde_json::json!({
            "apiVersion": "v1",
            "items": found.iter().map(|f| f.json.clone()).collect::<Vec<_>>(),
            "kind": "List",
            "metadata": {"resourceVersion": ""},
        })
    }
}

/// `-o yaml|json` of what a query found.
pub fn structured(found: &[Found], single: bool, json: bool) -> String {
    let value = object_or_list(found, single);
    if json {
        print::to_json(&value)
    } else {
        print::to_yaml(&value)
    }
}

/// `-o name`.
pub fn names(found: &[Found]) -> String {
    found.iter().map(|f| format!("{}/{}\n", f.kind.printed(), f.name)).collect()
}
