//! Completion: what may be typed at the cursor. Field names come from the API's own field lists for the pinned
//! Kubernetes (the data `kubectl explain` prints, `kubectl::explain`); enum values from the API server's validation
//! (`api::validation`'s lists); images and tags from kubeplay's registry; label values from the other label maps of
//! the file (a selector's, a template's).

use super::context::{self, At, Context, Shape};
use crate::api::validation as v;
use crate::api::Kind;
use crate::cluster::images;
use crate::kubectl::explain::{self, Field, Type};
use crate::manifest::decode::Seg;
use crate::manifest::kinds::SUPPORTED;
use std::collections::HashMap;
use std::ops::Range;

/// What completion offers at a cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completions {
    /// The bytes an accepted item replaces (the word typed so far).
    pub replace: Range<usize>,
    pub items: Vec<Item>,
    /// The field lists are not here yet (the page fetches `explain.data` on demand): ask again when they are.
    pub loading: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A field name.
    Field,
    /// A value of a field: an enum value, a kind, an image.
    Value,
    /// A label `key: value` from another label map of the file.
    Label,
}

/// One thing to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    /// The field's type as `kubectl explain` names it (`integer`, `[]Container`), or where a value comes from.
    pub detail: String,
    /// The description's first sentence (English, as the API writes it).
    pub doc: String,
    /// The text that replaces [`Completions::replace`], with the next line and its indentation for a block.
    pub insert: String,
    /// After inserting, completion opens again (a key ends with `: ` or a new indented line).
    pub again: bool,
}

/// Where a path leads in a kind's schema.
pub(crate) enum Spot {
    /// A struct: its type path and fields.
    Struct(&'static str, &'static Type),
    /// A map (`labels`, `limits`): the field that holds it.
    Map(&'static Field),
    /// A list's items or a scalar.
    Leaf,
}

/// The kind of a document's `kind:` value, if kubeplay simulates it.
pub(crate) fn kind_named(name: &str) -> Option<Kind> {
    SUPPORTED.iter().copied().find(|k| k.name() == name)
}

/// Follows `path` from `kind`'s root through the API's types.
pub(crate) fn walk(all: &'static HashMap<String, Type>, kind: Kind, path: &[Seg]) -> Option<Spot> {
    let root = explain::root_path(kind);
    let (root, ty) = all.get_key_value(root)?;
    let mut spot = Spot::Struct(root.as_str(), ty);
    let mut list: Option<&'static Field> = None;
    for seg in path {
        match seg {
            Seg::Key(k) => {
                let Spot::Struct(_, t) = spot else { return None };
                let f = t.fields.iter().find(|f| f.name == *k)?;
                if f.ty.starts_with("[]") {
                    list = Some(f);
                    spot = Spot::Leaf;
                    continue;
                }
                list = None;
                spot = match all.get_key_value(&f.target) {
                    Some((p, next)) => Spot::Struct(p.as_str(), next),
                    None if f.ty.starts_with("map[") => Spot::Map(f),
                    None => Spot::Leaf,
                };
            }
            Seg::Index(_) => {
                let f = list.take()?;
                spot = match all.get_key_value(&f.target) {
                    Some((p, next)) => Spot::Struct(p.as_str(), next),
                    None => Spot::Leaf,
                };
            }
        }
    }
    Some(spot)
}

/// The first sentence of a description, for a one-line list.
pub(crate) fn first_sentence(doc: &str) -> String {
    let line = doc.lines().next().unwrap_or("");
    let end = line.find(". ").map_or(line.len(), |i| i + 1);
    let s = &line[..end];
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(119).collect();
        format!("{cut}…")
    } else {
        s.to_string()
    }
}

/// The completions at byte `cursor` of `text`.
pub fn complete(text: &str, cursor: usize) -> Completions {
    let Some(cx) = context::at(text, cursor) else { return Completions::default() };
    let typed = text.get(cx.word.start..cursor.clamp(cx.word.start, cx.word.end)).unwrap_or("").to_string();
    let mut out = Completions { replace: cx.word.clone(), ..Completions::default() };
    let lines = context::shapes(text);
    match &cx.at {
        At::Key => keys(&cx, &lines, &mut out),
        At::Value { key } => values(&cx, key, &lines, &mut out),
    }
    filter(&mut out.items, &typed);
    if cx.needs_space {
        for i in &mut out.items {
            i.insert.insert(0, ' ');
        }
    }
    out
}

/// Keeps the items that start with what was typed (case-insensitively), then those that contain it.
fn filter(items: &mut Vec<Item>, typed: &str) {
    let typed = super::context::unquote(typed);
    if typed.is_empty() {
        return;
    }
    // A value typed out in full: nothing is left to complete (Enter then starts a new line, not another value).
    if items.iter().any(|i| i.kind != ItemKind::Field && i.label == typed) {
        items.clear();
        return;
    }
    let t = typed.to_ascii_lowercase();
    let mut starts: Vec<Item> = Vec::new();
    let mut contains: Vec<Item> = Vec::new();
    for i in items.drain(..) {
        let l = i.label.to_ascii_lowercase();
        if l.starts_with(&t) {
            starts.push(i);
        } else if l.contains(&t) {
            contains.push(i);
        }
    }
    starts.extend(contains);
    *items = starts;
}

fn keys(cx: &Context, lines: &[Shape], out: &mut Completions) {
    let Some(all) = explain::types() else {
        out.loading = true;
        return;
    };
    let kind = cx.kind.as_deref().and_then(kind_named);
    if cx.parent.is_empty() && kind.is_none() {
        // A document without a kind yet: its type fields first (every kind has them, with the same words).
        if let Some(Spot::Struct(_, t)) = walk(all, Kind::Pod, &[]) {
            for f in t.fields.iter().filter(|f| matches!(f.name.as_str(), "apiVersion" | "kind" | "metadata")) {
                if !cx.siblings.contains(&f.name) {
                    out.items.push(field_item(all, f, cx.col));
                }
            }
        }
        return;
    }
    let Some(kind) = kind else { return };
    match walk(all, kind, &cx.parent) {
        Some(Spot::Struct(_, t)) => {
            let mut fields: Vec<&Field> = t
                .fields
                .iter()
                .filter(|f| !cx.siblings.contains(&f.name))
                .filter(|f| !(cx.parent.is_empty() && f.name == "status"))
                .collect();
            // Required fields first, then the rest in the API's (alphabetical) order.
            crate::util::sort_by_key(&mut fields, |f| !f.required);
            out.items.extend(fields.into_iter().map(|f| field_item(all, f, cx.col)));
        }
        Some(Spot::Map(f)) => {
            if is_label_map(&cx.parent) {
                for (k, val) in labels_elsewhere(lines, cx.line) {
                    if !cx.siblings.contains(&k) && !out.items.iter().any(|i| i.label == format!("{k}: {val}")) {
                        out.items.push(Item {
                            label: format!("{k}: {val}"),
                            kind: ItemKind::Label,
                            detail: "label".into(),
                            doc: String::new(),
                            insert: format!("{k}: {val}"),
                            again: false,
                        });
                    }
                }
            } else if f.ty == "map[string]Quantity" {
                for (name, doc) in
                    [("cpu", "CPU, in cores (500m = half a core)"), ("memory", "memory, in bytes (128Mi)")]
                {
                    if !cx.siblings.iter().any(|s| s == name) {
                        out.items.push(Item {
                            label: name.into(),
                            kind: ItemKind::Field,
                            detail: "Quantity".into(),
                            doc: doc.into(),
                            insert: format!("{name}: "),
                            again: false,
                        });
                    }
                }
            }
        }
        _ => {}
    }
}

/// A field's item: for a block (a struct, a map, a list), the next line too, indented.
fn field_item(all: &HashMap<String, Type>, f: &Field, col: usize) -> Item {
    let pad = |n: usize| " ".repeat(n);
    let insert = if f.ty.starts_with("[]") {
        // A list at the key's own indentation, as kubectl writes YAML; its item's required field (`- name: `).
        let first = all.get(&f.target).and_then(|t| {
            t.fields.iter().find(|x| x.required && x.name == "name").or_else(|| t.fields.iter().find(|x| x.required))
        });
        match first {
            Some(r) => format!("{}:\n{}- {}: ", f.name, pad(col), r.name),
            None => format!("{}:\n{}- ", f.name, pad(col)),
        }
    } else if all.contains_key(&f.target) || f.ty.starts_with("map[") {
        format!("{}:\n{}", f.name, pad(col + 2))
    } else {
        format!("{}: ", f.name)
    };
    Item {
        label: f.name.clone(),
        kind: ItemKind::Field,
        detail: if f.required { format!("{} -required-", f.ty) } else { f.ty.clone() },
        doc: first_sentence(&f.doc),
        insert,
        again: true,
    }
}

fn value_item(value: &str, detail: &str) -> Item {
    Item {
        label: value.into(),
        kind: ItemKind::Value,
        detail: detail.into(),
        doc: String::new(),
        insert: value.into(),
        again: false,
    }
}

/// The values a field takes, where the API lists them: (the type's name, the field) → values.
fn enum_values(type_name: &str, field: &str, kind: Kind) -> Option<&'static [&'static str]> {
    Some(match (type_name, field) {
        ("ServiceSpec", "type") => &v::SERVICE_TYPES,
        ("ServiceSpec", "sessionAffinity") => &v::SESSION_AFFINITIES,
        ("ServiceSpec", "externalTrafficPolicy" | "internalTrafficPolicy") => &v::TRAFFIC_POLICIES,
        ("Container", "imagePullPolicy") => &v::PULL_POLICIES,
        // A workload's pod template may only restart always (`ValidatePodTemplateSpecForReplicaSet`).
        ("PodSpec", "restartPolicy") if kind != Kind::Pod => &["Always"],
        ("PodSpec", "restartPolicy") => &v::RESTART_POLICIES,
        ("PodSpec", "dnsPolicy") => &v::DNS_POLICIES,
        ("ContainerPort" | "ServicePort", "protocol") => &v::PROTOCOLS,
        ("DeploymentStrategy", "type") => &v::STRATEGY_TYPES,
        _ => return None,
    })
}

fn values(cx: &Context, key: &str, lines: &[Shape], out: &mut Completions) {
    let kind = cx.kind.as_deref().and_then(kind_named);
    if cx.parent.is_empty() && key == "apiVersion" {
        let mut versions: Vec<&str> = Vec::new();
        if let Some(k) = kind {
            versions.push(k.api_version());
        }
        for k in SUPPORTED {
            if !versions.contains(&k.api_version()) {
                versions.push(k.api_version());
            }
        }
        out.items.extend(versions.into_iter().map(|gv| value_item(gv, "apiVersion")));
        return;
    }
    if cx.parent.is_empty() && key == "kind" {
        let gv = cx.api_version.as_deref();
        for k in SUPPORTED.iter().filter(|k| gv.is_none_or(|g| g == k.api_version())) {
            out.items.push(value_item(k.name(), k.api_version()));
        }
        return;
    }
    let Some(kind) = kind else { return };
    // Label values do not need the field lists.
    if is_label_map(&cx.parent) {
        let mut seen: Vec<String> = Vec::new();
        for (k, val) in labels_elsewhere(lines, cx.line) {
            if k == key && !seen.contains(&val) {
                out.items.push(value_item(&val, "label"));
                seen.push(val);
            }
        }
        return;
    }
    let Some(all) = explain::types() else {
        out.loading = true;
        return;
    };
    let Some(Spot::Struct(type_path, t)) = walk(all, kind, &cx.parent) else { return };
    let Some(f) = t.fields.iter().find(|f| f.name == key) else { return };
    let type_name = type_path.rsplit("::").next().unwrap_or("");
    if let Some(vals) = enum_values(type_name, key, kind) {
        out.items.extend(vals.iter().map(|x| value_item(x, type_name)));
    } else if type_name == "Container" && key == "image" {
        for image in images::catalogue() {
            for tag in images::tags(image) {
                out.items.push(value_item(&format!("{}:{tag}", image.repository), "kubeplay image"));
            }
        }
    } else if f.ty == "boolean" {
        out.items.extend(["true", "false"].iter().map(|x| value_item(x, "boolean")));
    }
}

/// Whether the mapping at `path` holds labels: an object's or a template's `labels`, a `matchLabels`, a Service's
/// `selector`.
pub(crate) fn is_label_map(path: &[Seg]) -> bool {
    let keys: Vec<&str> =
        path.iter().filter_map(|s| if let Seg::Key(k) = s { Some(k.as_str()) } else { None }).collect();
    matches!(keys.as_slice(), [.., "metadata", "labels"] | [.., "matchLabels"] | ["spec", "selector"])
}

/// The `key: value` pairs of the file's other label maps (`labels:`, `matchLabels:`, a Service's `selector:`), in
/// the order written: what a selector or a template's labels usually repeat. The map holding line `here` is left
/// out.
pub(crate) fn labels_elsewhere(lines: &[Shape], here: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(key) = l.key.as_deref() else { continue };
        if l.skip || !matches!(key, "labels" | "matchLabels" | "selector") {
            continue;
        }
        if let Some(flow) = l.value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
            if i == here {
                continue;
            }
            for pair in flow.split(',') {
                if let Some((k, val)) = pair.split_once(':') {
                    push_pair(&mut out, k, val);
                }
            }
            continue;
        }
        if !l.value.is_empty() {
            continue;
        }
        // The block under it: the lines indented past the key, down to the first that is not.
        let children: Vec<usize> =
            (i + 1..lines.len()).take_while(|&j| lines[j].skip || lines[j].content > l.content).collect();
        if children.contains(&here) {
            continue;
        }
        let Some(col) = children.iter().map(|&j| &lines[j]).find(|c| !c.skip).map(|c| c.content) else { continue };
        for &j in &children {
            let c = &lines[j];
            if c.skip || c.content != col || !c.dashes.is_empty() {
                continue;
            }
            if let Some(k) = &c.key {
                if !c.value.is_empty() {
                    push_pair(&mut out, k, &c.value);
                }
            }
        }
    }
    out
}

fn push_pair(out: &mut Vec<(String, String)>, k: &str, val: &str) {
    let (k, val) = (context::unquote(k).to_string(), val.trim().to_string());
    if !k.is_empty() && !val.is_empty() && !out.iter().any(|(a, b)| *a == k && *b == val) {
        out.push((k, val));
    }
}
