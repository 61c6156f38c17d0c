//! Builds `explain.data` — the field documentation `kubectl explain` prints — from the doc comments of the
//! k8s-openapi sources (Kubernetes 1.35), which carry the API's own OpenAPI descriptions. Native only: the test
//! `tests/explain.rs` regenerates it from the crate in the Cargo registry and fails if the committed file differs
//! (`EXPLAIN_UPDATE=1` rewrites it).
//!
//! The format is line based: `@path|Name|description` starts a type (its path as k8s-openapi names it), then one
//! `field|type|required|description` line per field, in JSON-name order; `\n` in descriptions is written `\\n`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The kinds `kubectl explain` documents: every type `kubectl api-resources` lists, by the path `explain` looks
/// it up under.
pub fn roots() -> Vec<&'static str> {
    super::resources::TYPES.iter().map(|t| super::explain::root_path(t.kind)).collect()
}

use super::explain::{Field, Type};

/// Every `pub struct` of the version's sources, by its `crate::…::Name` path.
fn index(root: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let Ok(text) = std::fs::read_to_string(&p) else { continue };
                let rel =
                    p.parent().and_then(|d| d.strip_prefix(root).ok()).map(|d| d.to_path_buf()).unwrap_or_default();
                let module: Vec<String> =
                    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                for line in text.lines() {
                    let Some(rest) = line.strip_prefix("pub struct ").or_else(|| line.strip_prefix("pub enum ")) else {
                        continue;
                    };
                    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    let path = if module.is_empty() {
                        format!("crate::{name}")
                    } else {
                        format!("crate::{}::{name}", module.join("::"))
                    };
                    out.insert(path, p.clone());
                }
            }
        }
    }
    out
}

/// A Rust type of a field as kubectl names it, and the struct types it refers to.
fn render(ty: &str, refs: &mut Vec<String>) -> String {
    let ty = ty.trim();
    if let Some(inner) = ty.strip_prefix("std::vec::Vec<").and_then(|t| t.strip_suffix('>')) {
        return format!("[]{}", render(inner, refs));
    }
    if let Some(inner) =
        ty.strip_prefix("std::collections::BTreeMap<std::string::String, ").and_then(|t| t.strip_suffix('>'))
    {
        return format!("map[string]{}", render(inner, refs));
    }
    match ty {
        "std::string::String" | "crate::ByteString" => "string".into(),
        "i32" | "i64" => "integer".into(),
        "f64" => "number".into(),
        "bool" => "boolean".into(),
        "crate::apimachinery::pkg::apis::meta::v1::Time" | "crate::apimachinery::pkg::apis::meta::v1::MicroTime" => {
            "string".into()
        }
        "crate::apimachinery::pkg::util::intstr::IntOrString" => "IntOrString".into(),
        "crate::apimachinery::pkg::api::resource::Quantity" => "Quantity".into(),
        "crate::apimachinery::pkg::runtime::RawExtension" => "RawExtension".into(),
        "crate::apimachinery::pkg::apis::meta::v1::FieldsV1" => "FieldsV1".into(),
        other => {
            refs.push(other.to_string());
            other.rsplit("::").next().unwrap_or(other).to_string()
        }
    }
}

/// Reads one struct: its doc comment and its fields with their JSON names.
fn parse(text: &str, name: &str) -> Option<(Type, Vec<String>)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with(&format!("pub struct {name} {{")))?;
    let mut doc_lines = Vec::new();
    let mut i = start;
    while i > 0 {
        i -= 1;
        let l = lines[i].trim();
        if let Some(d) = l.strip_prefix("///") {
            doc_lines.push(d.strip_prefix(' ').unwrap_or(d).to_string());
        } else if !l.starts_with("#[") {
            break;
        }
    }
    doc_lines.reverse();
    // JSON names from the deserializer's field table.
    let mut json: BTreeMap<String, String> = BTreeMap::new();
    for l in &lines {
        let l = l.trim();
        if let Some((key, rest)) = l.strip_prefix('"').and_then(|r| r.split_once("\" => Field::Key_")) {
            json.insert(rest.trim_end_matches(',').to_string(), key.to_string());
        }
    }
    let mut fields = Vec::new();
    let mut refs = Vec::new();
    let mut doc: Vec<String> = Vec::new();
    for l in &lines[start + 1..] {
        let t = l.trim();
        if t == "}" {
            break;
        }
        if let Some(d) = t.strip_prefix("///") {
            doc.push(d.strip_prefix(' ').unwrap_or(d).to_string());
            continue;
        }
        if let Some((field, ty)) = t.strip_prefix("pub ").and_then(|r| r.split_once(": ")) {
            let ty = ty.trim_end_matches(',');
            let (required, inner) = match ty.strip_prefix("Option<").and_then(|x| x.strip_suffix('>')) {
                Some(inner) => (false, inner),
                None => (true, ty),
            };
            let before = refs.len();
            let shown = render(inner, &mut refs);
            let target = if refs.len() > before { refs[refs.len() - 1].clone() } else { String::new() };
            let name = json.get(field).cloned().unwrap_or_else(|| field.to_string());
            fields.push(Field { name, ty: shown, required, target, doc: doc.join("\n") });
            doc.clear();
        }
    }
    fields.sort_by(|a, b| a.name.cmp(&b.name));
    Some((Type { doc: doc_lines.join("\n"), fields }, refs))
}

const API_VERSION_DOC: &str = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized values to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DOC: &str = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";

/// The data file's text for the sources under `version_root` (`…/k8s-openapi-0.29.0/src/v1_35`).
pub fn generate(version_root: &Path) -> Result<String, String> {
    let idx = index(version_root);
    let roots = roots();
    let mut todo: Vec<String> = roots.iter().map(|s| s.to_string()).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut blocks: Vec<String> = Vec::new();
    while let Some(path) = todo.pop() {
        if !done.insert(path.clone()) {
            continue;
        }
        let file = idx.get(&path).ok_or_else(|| format!("no source for {path}"))?;
        let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
        let name = path.rsplit("::").next().unwrap_or(&path);
        let Some((mut ty, refs)) = parse(&text, name) else { continue };
        if roots.contains(&path.as_str()) {
            // k8s-openapi leaves out the two fields every object carries; kubectl lists them first.
            for (json, doc) in [("apiVersion", API_VERSION_DOC), ("kind", KIND_DOC)] {
                let (shown, target) = ("string".to_string(), String::new());
                ty.fields.push(Field { name: json.into(), ty: shown, required: false, target, doc: doc.into() });
            }
            ty.fields.sort_by(|a, b| a.name.cmp(&b.name));
        }
        let esc = |s: &str| s.replace('\\', "\\\\").replace('\n', "\\n").replace('|', "\\p");
        let mut block = format!("@{path}|{name}|{}\n", esc(&ty.doc));
        for f in &ty.fields {
            block.push_str(&format!("{}|{}|{}|{}|{}\n", f.name, f.ty, u8::from(f.required), f.target, esc(&f.doc)));
        }
        blocks.push(block);
        todo.extend(refs.into_iter().filter(|r| !done.contains(r)));
    }
    // Types in path order, so the file is stable.
    blocks.sort();
    Ok(blocks.concat())
}
