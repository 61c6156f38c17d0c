//! Strict decoding: a positioned YAML tree → a Kubernetes object (k8s-openapi type), the way the API server decodes a
//! request body with `fieldValidation=Strict` (what `kubectl apply` asks for by default), but reporting *every*
//! problem at once, each at its line and column:
//! - a field the type does not have is `unknown field "spec.replica"` (the strict decoder's wording, with indices),
//!   with a did-you-mean from the field names that type really has;
//! - a value of the wrong JSON type is Go's `json: cannot unmarshal string into Go struct field
//!   DeploymentSpec.spec.replicas of type int32`, and decoding goes on with the field's zero value so the rest of the
//!   document is still checked.
//!
//! The field names come from k8s-openapi's own `Deserialize` impls (`deserialize_struct` hands the deserializer the
//! list), so they are exactly the fields of the pinned Kubernetes version.

use super::yaml::{go_float, Node, Value};
use super::Span;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use std::cell::RefCell;

/// One decoding problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub span: Span,
    /// The field path with indices (`spec.template.spec.containers[0].image`).
    pub path: String,
    pub message: String,
    pub suggestion: Option<String>,
    /// For an unknown field: the close name the type has (the did-you-mean), as data.
    pub rename: Option<String>,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    UnknownField,
    WrongType,
    BadValue,
}

/// A step into a tree: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn path_string(segs: &[Seg]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

#[derive(Default)]
struct Ctx {
    problems: Vec<Problem>,
    /// While probing for the Go type of a list's elements or a map's values: the first type asked for.
    probing: bool,
    probed: Option<String>,
    /// Where a value's own parser failed (a bad timestamp, bad base64): the innermost node, recorded once.
    failed_at: Option<(Vec<Seg>, Span, String)>,
}

/// The most times decoding restarts after a value's own parser failed (each restart drops the failed value).
const MAX_RESTARTS: usize = 32;

/// Decodes `root` into `T`, collecting every problem. The object is returned even when there are problems (with zero
/// values where a value was unusable), so validation can still run on the rest.
pub fn decode<T: de::DeserializeOwned>(root: &Node) -> (Option<T>, Vec<Problem>) {
    let mut tree = root.clone();
    let mut problems = Vec::new();
    for _ in 0..MAX_RESTARTS {
        let ctx = RefCell::new(Ctx::default());
        let result = T::deserialize(De { node: &tree, path: Vec::new(), go_path: String::new(), owner: "", ctx: &ctx });
        let ctx = ctx.into_inner();
        match result {
            Ok(v) => {
                problems.extend(ctx.problems);
                return (Some(v), problems);
            }
            Err(e) => {
                let Some((path, span, message)) = ctx.failed_at else {
                    problems.push(Problem {
                        span: root.span,
                        path: String::new(),
                        message: e.0,
                        suggestion: None,
                        rename: None,
                        kind: ProblemKind::BadValue,
                    });
                    return (None, problems);
                };
                problems.push(Problem {
                    span,
                    path: path_string(&path),
                    message,
                    suggestion: None,
                    rename: None,
                    kind: ProblemKind::BadValue,
                });
                if !null_out(&mut tree, &path) {
                    return (None, problems);
                }
            }
        }
    }
    (None, problems)
}

/// Decodes JSON into `T` through the same decoder as manifests (what `serde_json::from_value` would do, but strict:
/// the first problem is the error). Every typed decode in kubeplay goes through [`decode`], so each Kubernetes type's
/// `Deserialize` is compiled once, for this deserializer, rather than a second time for `serde_json::Value`: in the wasm
/// bundle that second copy was about 300 KB.
pub fn from_json<T: de::DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
    let (object, problems) = decode::<T>(&Node::from_json(v));
    match (object, problems.into_iter().next()) {
        (Some(o), None) => Ok(o),
        (_, Some(p)) => Err(p.message),
        (None, None) => Err("the object could not be decoded".into()),
    }
}

fn null_out(node: &mut Node, path: &[Seg]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        if node.value == Value::Null {
            return false;
        }
        node.value = Value::Null;
        return true;
    };
    let child = match (&mut node.value, first) {
        (Value::Map(entries), Seg::Key(k)) => entries.iter_mut().find(|(key, _)| key.name == *k).map(|(_, v)| v),
        (Value::Seq(items), Seg::Index(i)) => items.get_mut(*i),
        _ => None,
    };
    child.is_some_and(|c| null_out(c, rest))
}

/// Records a field the type does not have, with the close name it has. Not inlined: every Kubernetes type's
/// `Deserialize` reaches it, and one copy serves them all.
#[inline(never)]
fn unknown_field(parent: &De<'_>, key: &super::yaml::Key, fields: &[&str]) {
    let mut path = parent.path.clone();
    path.push(Seg::Key(key.name.clone()));
    let rename = suggest(&key.name, fields.iter().copied());
    parent.ctx.borrow_mut().problems.push(Problem {
        span: key.span,
        message: format!("unknown field \"{}\"", path_string(&path)),
        path: path_string(&path),
        suggestion: rename.map(|s| format!("did you mean \"{s}\"?")),
        rename: rename.map(str::to_string),
        kind: ProblemKind::UnknownField,
    });
}

/// A did-you-mean among `candidates`: the closest name within a small edit distance, or one that differs only in case.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if c.to_ascii_lowercase() == lower {
            0
        } else {
            strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase())
        };
        let limit = (c.len().max(name.len()) / 3).max(2);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

struct De<'a> {
    node: &'a Node,
    path: Vec<Seg>,
    /// The path as Go's JSON decoder names it in type errors: struct fields only, no indices or map keys.
    go_path: String,
    /// The Go struct the field belongs to (`DeploymentSpec`).
    owner: &'static str,
    ctx: &'a RefCell<Ctx>,
}

impl<'a> De<'a> {
    fn wrong_type(&self, go_type: &str, value: Option<String>) {
        if self.probing() {
            return;
        }
        let found = match value {
            Some(v) => format!("number {v}"),
            None => self.node.json_kind().to_string(),
        };
        let message = if self.owner.is_empty() {
            format!("json: cannot unmarshal {found} into Go value of type {go_type}")
        } else {
            format!(
                "json: cannot unmarshal {found} into Go struct field {}.{} of type {go_type}",
                self.owner, self.go_path
            )
        };
        self.ctx.borrow_mut().problems.push(Problem {
            span: self.node.span,
            path: path_string(&self.path),
            message,
            suggestion: None,
            rename: None,
            kind: ProblemKind::WrongType,
        });
    }

    /// Records `go_type` as the type being probed for (see [`De::element_type`]).
    fn probe(&self, go_type: &str) {
        let mut ctx = self.ctx.borrow_mut();
        if ctx.probing && ctx.probed.is_none() {
            ctx.probed = Some(go_type.to_string());
        }
    }

    fn probing(&self) -> bool {
        self.ctx.borrow().probing
    }

    /// Go names a list or map by its elements' type (`[]v1.Container`): find it by decoding one null element, which
    /// always succeeds (every type has a zero value), and noting the first type the element asks for.
    fn element_type<T>(&self, decode: impl FnOnce() -> T) -> (T, String) {
        let outer = {
            let mut ctx = self.ctx.borrow_mut();
            let outer = (ctx.probing, ctx.probed.take());
            ctx.probing = true;
            outer
        };
        let value = decode();
        let mut ctx = self.ctx.borrow_mut();
        let found = ctx.probed.take().unwrap_or_else(|| "interface {}".into());
        ctx.probing = outer.0;
        ctx.probed = outer.1;
        (value, found)
    }

    fn note_failure<T>(&self, r: Result<T, Error>) -> Result<T, Error> {
        if let Err(e) = &r {
            let mut ctx = self.ctx.borrow_mut();
            if ctx.failed_at.is_none() {
                let path = path_string(&self.path);
                ctx.failed_at = Some((self.path.clone(), self.node.span, format!("{path}: {e}")));
            }
        }
        r
    }

    fn int<V: Visitor<'a>>(self, v: V, go_type: &str, min: i128, max: i128) -> Result<V::Value, Error> {
        self.probe(go_type);
        let n: Option<i128> = match &self.node.value {
            Value::Null => Some(0),
            Value::Int(i) => Some(i128::from(*i)),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e30 => Some(*f as i128),
            _ => None,
        };
        let n = match n {
            Some(n) if n >= min && n <= max => n,
            Some(_) | None => {
                let shown = match &self.node.value {
                    Value::Int(i) => Some(i.to_string()),
                    Value::Float(f) => Some(go_float(*f)),
                    _ => None,
                };
                self.wrong_type(go_type, shown);
                0
            }
        };
        let r = if n < 0 { v.visit_i64(n as i64) } else { v.visit_u64(n as u64) };
        self.note_failure(r)
    }

    fn child(&self, seg: Seg, field: Option<&str>, owner: &'static str) -> De<'a> {
        let mut path = self.path.clone();
        path.push(seg);
        let go_path = match field {
            Some(f) if self.go_path.is_empty() => f.to_string(),
            Some(f) => format!("{}.{f}", self.go_path),
            None => self.go_path.clone(),
        };
        De { node: self.node, path, go_path, owner, ctx: self.ctx }
    }
}

const EMPTY: &Node = &Node { value: Value::Null, span: Span::ZERO };
/// The one entry of a probe map: a key, with a null value.
static PROBE_ENTRY: (super::yaml::Key, Node) = (
    super::yaml::Key { name: String::new(), span: Span::ZERO, merge: false },
    Node { value: Value::Null, span: Span::ZERO },
);

impl<'de> de::Deserializer<'de> for De<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.probe("interface {}");
        let r = match &self.node.value {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Int(i) => v.visit_i64(*i),
            Value::Float(f) => v.visit_f64(*f),
            Value::Str(s) => v.visit_str(s),
            Value::Seq(_) => return self.deserialize_seq(v),
            Value::Map(_) => return self.deserialize_map(v),
        };
        self.note_failure(r)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.probe("bool");
        let b = match &self.node.value {
            Value::Bool(b) => *b,
            Value::Null => false,
            _ => {
                self.wrong_type("bool", None);
                false
            }
        };
        let r = v.visit_bool(b);
        self.note_failure(r)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.int(v, "int8", i8::MIN.into(), i8::MAX.into())
    }
    fn deserialize_i16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.int(v, "int16", i16::MIN.into(), i16::MAX.into())
    }
    fn deserialize_i32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.int(v, "int32", i32::MIN.into(), i32::MAX.into())
    }
    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.int(v, "int64", i64::MIN.into(), i64::MAX.into())
    }
    fn deserialize_u8<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.int(v, "uint8", 0, u8::MAX.into())
    }
    fn deserialize_u16<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.int(v, "uint16", 0, u16::MAX.into())
    }
    fn deserialize_u32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.int(v, "uint32", 0, u32::MAX.into())
    }
    fn deserialize_u64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.int(v, "uint64", 0, u64::MAX.into())
    }

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_f64(v)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.probe("float64");
        let f = match &self.node.value {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            Value::Null => 0.0,
            _ => {
                self.wrong_type("float64", None);
                0.0
            }
        };
        let r = v.visit_f64(f);
        self.note_failure(r)
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.probe("string");
        let s: &str = match &self.node.value {
            Value::Str(s) => s,
            Value::Null => "",
            _ => {
                self.wrong_type("string", None);
                ""
            }
        };
        let r = v.visit_str(s);
        self.note_failure(r)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        if self.node.value == Value::Null {
            let r = v.visit_none();
            return self.note_failure(r);
        }
        v.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, v: V) -> Result<V::Value, Error> {
        self.probe(match name {
            "Quantity" => "resource.Quantity",
            "Time" | "MicroTime" => "v1.Time",
            _ => "string",
        });
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.probe("[]interface {}");
        let items: &'de [Node] = match &self.node.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                let probe: &'de [Node] = std::slice::from_ref(EMPTY);
                let (r, element) =
                    self.element_type(|| v.visit_seq(SeqAccess { parent: &self, items: probe.iter().enumerate() }));
                self.wrong_type(&format!("[]{element}"), None);
                return self.note_failure(r);
            }
        };
        let access = SeqAccess { parent: &self, items: items.iter().enumerate() };
        let r = v.visit_seq(access);
        self.note_failure(r)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.probe("map[string]interface {}");
        let entries: &'de [(super::yaml::Key, Node)] = match &self.node.value {
            Value::Map(e) => e,
            Value::Null => &[],
            _ => {
                let probe: &'de [(super::yaml::Key, Node)] = std::slice::from_ref(&PROBE_ENTRY);
                let (r, value) = self.element_type(|| {
                    v.visit_map(MapAccess {
                        parent: &self,
                        entries: probe.iter(),
                        value: None,
                        fields: None,
                        owner: self.owner,
                    })
                });
                self.wrong_type(&format!("map[string]{value}"), None);
                return self.note_failure(r);
            }
        };
        let access = MapAccess { parent: &self, entries: entries.iter(), value: None, fields: None, owner: self.owner };
        let r = v.visit_map(access);
        self.note_failure(r)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.probe(&format!("v1.{name}"));
        let entries: &'de [(super::yaml::Key, Node)] = match &self.node.value {
            Value::Map(e) => e,
            Value::Null => &[],
            _ => {
                self.wrong_type(&format!("v1.{name}"), None);
                &[]
            }
        };
        let access =
            MapAccess { parent: &self, entries: entries.iter(), value: None, fields: Some(fields), owner: name };
        let r = v.visit_map(access);
        self.note_failure(r)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Error> {
        let r = Err(Error("enums are not part of the Kubernetes API".into()));
        self.note_failure(r)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }
}

struct SeqAccess<'a, 'p> {
    parent: &'p De<'a>,
    items: std::iter::Enumerate<std::slice::Iter<'a, Node>>,
}

impl<'a> de::SeqAccess<'a> for SeqAccess<'a, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some((i, node)) = self.items.next() else { return Ok(None) };
        let mut child = self.parent.child(Seg::Index(i), None, self.parent.owner);
        child.node = node;
        seed.deserialize(child).map(Some)
    }
}

struct MapAccess<'a, 'p> {
    parent: &'p De<'a>,
    entries: std::slice::Iter<'a, (super::yaml::Key, Node)>,
    value: Option<(&'a str, &'a Node)>,
    /// A struct's field names; `None` for a plain map.
    fields: Option<&'static [&'static str]>,
    owner: &'static str,
}

impl<'a> de::MapAccess<'a> for MapAccess<'a, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        loop {
            let Some((key, node)) = self.entries.next() else { return Ok(None) };
            if let Some(fields) = self.fields {
                if !fields.contains(&key.name.as_str()) {
                    unknown_field(self.parent, key, fields);
                    continue;
                }
            }
            self.value = Some((&key.name, node));
            return seed.deserialize(key.name.as_str().into_deserializer()).map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (name, node) = self.value.take().unwrap_or(("", EMPTY));
        let field = self.fields.map(|_| name);
        let owner = if self.fields.is_some() { self.owner } else { self.parent.owner };
        let mut child = self.parent.child(Seg::Key(name.to_string()), field, owner);
        child.node = node;
        seed.deserialize(child)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Deployment;

    fn decode_text(text: &str) -> (Option<Deployment>, Vec<Problem>) {
        let mut diags = Vec::new();
        let docs = super::super::yaml::parse_stream(text, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        decode(docs[0].root.as_ref().unwrap())
    }

    #[test]
    fn unknown_fields_are_reported_with_indices_and_a_suggestion() {
        let (d, problems) = decode_text(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 3\n  template:\n    spec:\n      containers:\n      - name: a\n        imagee: nginx\n",
        );
        assert!(d.is_some());
        let got: Vec<_> =
            problems.iter().map(|p| (p.message.as_str(), p.suggestion.as_deref(), p.span.start)).collect();
        assert_eq!(
            got,
            [
                ("unknown field \"spec.replica\"", Some("did you mean \"replicas\"?"), super::super::Pos::new(6, 3)),
                (
                    "unknown field \"spec.template.spec.containers[0].imagee\"",
                    Some("did you mean \"image\"?"),
                    super::super::Pos::new(11, 9)
                ),
            ]
        );
    }

    #[test]
    fn wrong_types_are_reported_in_go_words_and_decoding_goes_on() {
        let (d, problems) = decode_text(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  labels:\n    version: 1.0\nspec:\n  replicas: three\n  minReadySeconds: 2.5\n  template:\n    spec:\n      containers: {name: a}\n",
        );
        let d = d.unwrap();
        assert_eq!(d.spec.unwrap().replicas, Some(0));
        let got: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            got,
            [
                "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
                "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
                "json: cannot unmarshal number 2.5 into Go struct field DeploymentSpec.spec.minReadySeconds of type int32",
                "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container",
            ]
        );
        assert_eq!(problems[0].path, "metadata.labels.version");
    }

    #[test]
    fn a_value_whose_own_parser_fails_is_reported_and_the_rest_still_decodes() {
        let mut diags = Vec::new();
        let docs = super::super::yaml::parse_stream(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  creationTimestamp: yesterday\ndata:\n  a: \"%%%\"\n  b: aGk=\n",
            &mut diags,
        );
        let (s, problems) = decode::<crate::api::Secret>(docs[0].root.as_ref().unwrap());
        let s = s.unwrap();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].path, "metadata.creationTimestamp");
        assert_eq!(problems[1].path, "data.a");
        assert_eq!(s.data.unwrap().get("b").unwrap().0, b"hi");
    }

    #[test]
    fn suggestions_are_close_names_only() {
        let fields = ["replicas", "selector", "template", "strategy"];
        assert_eq!(suggest("replica", fields), Some("replicas"));
        assert_eq!(suggest("Selector", fields), Some("selector"));
        assert_eq!(suggest("strtegy", fields), Some("strategy"));
        assert_eq!(suggest("containers", fields), None);
    }
}
