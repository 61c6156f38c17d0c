//! YAML (and JSON) text → a tree of [`Node`]s that keep their source positions.
//!
//! The scanner and parser are `saphyr-parser`'s (a maintained YAML 1.2 parser with spans on every event). On top of its
//! events this module builds the tree itself, so that it can
//! - resolve plain scalars the way kubectl does: kubectl reads YAML with `sigs.k8s.io/yaml`, which converts YAML to
//!   JSON with a fork of go-yaml v2, a YAML 1.1 resolver (see [`resolve_plain`] and the rules below);
//! - expand aliases and `<<` merge keys under a budget, so a "billion laughs" file is refused before it grows;
//! - refuse nesting deeper than [`MAX_DEPTH`];
//! - split a stream into documents at `---` lines exactly as kubectl's `YAMLReader` does, so one broken document does
//!   not hide the others.
//!
//! **YAML scalars.** kubectl converts YAML to JSON with go-yaml v2, a YAML 1.1 resolver, and kubeplay does the same:
//! `y Y yes Yes YES on On ON true True TRUE` are `true`; `n N no No NO off Off OFF false False FALSE` are `false`;
//! `~`, `null`, `Null`, `NULL` and an empty value are null; integers may have a sign, `_` separators and `0x`, `0o`, `0b`
//! or a leading `0` (octal: `0777` is 511, and `08` is the float 8); `1.0`, `1e3`, `.5`, `.inf`, `.nan` are floats, and an
//! integer beyond 64 bits becomes a float; timestamps stay strings. Keys are converted to strings afterwards, so a key
//! `on:` or `y:` becomes `"true"`. Quoted and block scalars are always strings (`!!str`, `!!int` tags are honoured). So
//! `version: 1.0` in labels or `value: 8080` in an env var is an error, exactly as on a real cluster, and the fix is to
//! quote it. A float with no fraction is accepted where an integer is expected (`replicas: 3.0`), as Go's decoder accepts
//! the JSON number `3`.
//!
//! **Limits** (each refused with a message naming it, and tested): text ≤ 1 MiB (`yaml::MAX_TEXT_BYTES`); ≤ 500 documents
//! (`MAX_DOCUMENTS`); nesting ≤ 64 levels (`MAX_DEPTH`); ≤ 100,000 nodes after alias and merge-key expansion
//! (`MAX_NODES`: a "billion laughs" file is refused before it is expanded, with go-yaml's "excessive aliasing" words);
//! replicas ≤ 10,000 (validation).

use super::{Diagnostic, Pos, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as YSpan};
use std::collections::HashMap;

/// The longest manifest text kubeplay reads (bytes). The API server takes requests up to 3 MiB; a browser editor
/// needs far less.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// The most documents in one stream (after `kind: List` items are expanded).
pub const MAX_DOCUMENTS: usize = 500;
/// The deepest nesting of mappings and sequences. Real manifests stay under 15.
pub const MAX_DEPTH: usize = 64;
/// The most nodes one stream may hold once aliases and merge keys are expanded: a "billion laughs" file hits it at
/// once, without being expanded first.
pub const MAX_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order; keys are strings (non-string scalar keys are converted as `sigs.k8s.io/yaml` does).
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
    /// A plain `<<`: a merge key (a quoted `"<<"` is an ordinary key).
    pub merge: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn key_span(&self, key: &str) -> Option<Span> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(k, _)| k.span),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The JSON kind of the value as Go's decoder names it in errors (`string`, `number`, `bool`, `object`, `array`).
    pub fn json_kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::count).sum(),
            Value::Map(entries) => entries.iter().map(|(_, v)| v.count()).sum(),
            _ => 0,
        }
    }

    /// A tree of JSON (no positions): what the API server holds once a stored object was turned into JSON and changed.
    pub fn from_json(v: &serde_json::Value) -> Node {
        use serde_json::Value as J;
        let value = match v {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            J::String(s) => Value::Str(s.clone()),
            J::Array(items) => Value::Seq(items.iter().map(Node::from_json).collect()),
            J::Object(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (Key { name: k.clone(), span: Span::ZERO, merge: false }, Node::from_json(v)))
                    .collect(),
            ),
        };
        Node { value, span: Span::ZERO }
    }

    /// The value as JSON, as `sigs.k8s.io/yaml` would hand it to the API server.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(entries.iter().map(|(k, v)| (k.name.clone(), v.to_json())).collect()),
        }
    }
}

/// One document of a stream: its tree (`None` when it is empty or only comments) and where it starts.
#[derive(Debug, Clone)]
pub struct Document {
    pub root: Option<Node>,
    /// The first line of the document's text (1-based).
    pub first_line: u32,
}

/// Splits `text` into documents and parses each. Problems are appended to `diags`; a document with a syntax error is
/// returned without a tree, and the others are still parsed.
pub fn parse_stream(text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Document> {
    if text.len() > MAX_TEXT_BYTES {
        diags.push(Diagnostic::error(
            Span::point(Pos::new(1, 1)),
            format!(
                "the manifest is {} bytes long; kubeplay reads at most {MAX_TEXT_BYTES} bytes (1 MiB) at a time",
                text.len()
            ),
        ));
        return Vec::new();
    }
    let mut docs = Vec::new();
    let mut budget = MAX_NODES;
    for chunk in split_documents(text, diags) {
        if docs.len() >= MAX_DOCUMENTS {
            diags.push(Diagnostic::error(
                Span::point(Pos::new(chunk.first_line, 1)),
                format!("too many documents: kubeplay reads at most {MAX_DOCUMENTS} documents from one manifest"),
            ));
            break;
        }
        let root = parse_document(chunk.text, chunk.first_line - 1, &mut budget, diags);
        docs.push(Document { root, first_line: chunk.first_line });
    }
    docs
}

struct Chunk<'a> {
    text: &'a str,
    first_line: u32,
}

/// kubectl's `YAMLReader`: a line starting with `---` ends a document; only spaces or a comment may follow it.
fn split_documents<'a>(text: &'a str, diags: &mut Vec<Diagnostic>) -> Vec<Chunk<'a>> {
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1u32;
    let mut offset = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                diags.push(Diagnostic::error(
                    Span::new(Pos::new(line_no, 1), Pos::new(line_no, 1 + line.trim_end().chars().count() as u32)),
                    format!("invalid Yaml document separator: {}", line.trim_end()),
                ));
            }
            chunks.push(Chunk { text: &text[start..offset], first_line: start_line });
            start = offset + line.len();
            start_line = line_no.saturating_add(1);
        }
        offset += line.len();
    }
    chunks.push(Chunk { text: &text[start..], first_line: start_line });
    chunks
}

enum Frame {
    Seq { span: Span, items: Vec<Node>, anchor: usize },
    Map { span: Span, entries: Vec<(Key, Node)>, key: Option<Key>, anchor: usize, merges: Vec<Node> },
}

struct Builder<'b> {
    line_offset: u32,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    budget: &'b mut usize,
    root: Option<Node>,
    diags: Vec<Diagnostic>,
    /// The scalar being pushed is a plain `<<`.
    plain_merge_key: bool,
}

fn pos(m: &saphyr_parser::Marker, line_offset: u32) -> Pos {
    Pos::new(
        u32::try_from(m.line()).unwrap_or(u32::MAX).saturating_add(line_offset),
        u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
    )
}

/// A failure that ends the document.
struct Stop(Diagnostic);

impl Builder<'_> {
    fn span(&self, s: &YSpan) -> Span {
        Span::new(pos(&s.start, self.line_offset), pos(&s.end, self.line_offset))
    }

    fn spend(&mut self, n: usize, at: Span) -> Result<(), Stop> {
        if n > *self.budget {
            return Err(Stop(Diagnostic::error(
                at,
                format!(
                    "yaml: document contains excessive aliasing (kubeplay expands at most {MAX_NODES} nodes per manifest)"
                ),
            )));
        }
        *self.budget -= n;
        Ok(())
    }

    fn push_value(&mut self, node: Node) -> Result<(), Stop> {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, merges, .. }) => match key.take() {
                None => {
                    let name =
                        match &node.value {
                            Value::Str(s) => s.clone(),
                            Value::Null => "null".into(),
                            Value::Bool(b) => b.to_string(),
                            Value::Int(i) => i.to_string(),
                            Value::Float(f) => go_float(*f),
                            Value::Seq(_) | Value::Map(_) => return Err(Stop(Diagnostic::error(
                                node.span,
                                "error converting YAML to JSON: yaml: invalid map key: a mapping or sequence cannot \
                                 be a key"
                                    .into(),
                            ))),
                        };
                    let merge = std::mem::take(&mut self.plain_merge_key) && name == "<<";
                    *key = Some(Key { name, span: node.span, merge });
                }
                Some(k) if k.merge => merges.push(node),
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }

    fn close_map(&mut self, span: Span, mut entries: Vec<(Key, Node)>, merges: Vec<Node>) -> Node {
        // Duplicate keys: sigs.k8s.io/yaml's strict conversion refuses them; the first one is kept.
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut kept = Vec::with_capacity(entries.len());
        for (k, v) in entries.drain(..) {
            if let Some(line) = seen.get(&k.name) {
                let mut d = Diagnostic::error(
                    k.span,
                    format!("yaml: line {}: key {:?} already set in map", k.span.start.line, k.name),
                );
                d.suggestion = Some(format!("the first {:?} is on line {line}; keep one of them", k.name));
                self.diags.push(d);
                continue;
            }
            seen.insert(k.name.clone(), k.span.start.line);
            kept.push((k, v));
        }
        // `<<: *base` (or a list of them): keys not set explicitly come from the merged maps, earlier maps first.
        for m in merges {
            let sources = match m.value {
                Value::Map(_) => vec![m],
                Value::Seq(items) => items,
                _ => {
                    self.diags.push(Diagnostic::error(
                        m.span,
                        "yaml: map merge requires map or sequence of maps as the value".into(),
                    ));
                    Vec::new()
                }
            };
            for src in sources {
                match src.value {
                    Value::Map(src_entries) => {
                        for (k, v) in src_entries {
                            if !seen.contains_key(&k.name) {
                                seen.insert(k.name.clone(), k.span.start.line);
                                kept.push((k, v));
                            }
                        }
                    }
                    _ => self.diags.push(Diagnostic::error(
                        src.span,
                        "yaml: map merge requires map or sequence of maps as the value".into(),
                    )),
                }
            }
        }
        let end = kept.last().map_or(span.end, |(_, v)| v.span.end);
        Node { value: Value::Map(kept), span: Span::new(span.start, end.max(span.start)) }
    }

    fn event(&mut self, ev: Event<'_>, yspan: YSpan) -> Result<(), Stop> {
        let span = self.span(&yspan);
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                self.spend(1, span)?;
                let tag = tag.as_ref().map(|t| t.suffix.as_str());
                let value = if style == ScalarStyle::Plain { resolve_tagged(&text, tag) } else { quoted(&text, tag) };
                let node = Node { value, span };
                if anchor > 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                self.plain_merge_key = style == ScalarStyle::Plain && text == "<<";
                self.push_value(node)?;
                self.plain_merge_key = false;
            }
            Event::Alias(id) => {
                let Some(n) = self.anchors.get(&id).map(Node::count) else {
                    return Err(Stop(Diagnostic::error(span, "yaml: unknown anchor referenced".into())));
                };
                // Spend first: a refused alias is never copied.
                self.spend(n, span)?;
                let mut node = self.anchors.get(&id).cloned().unwrap_or(Node { value: Value::Null, span });
                node.span = span;
                self.push_value(node)?;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.spend(1, span)?;
                if self.stack.len() >= MAX_DEPTH {
                    return Err(Stop(Diagnostic::error(
                        span,
                        format!("the manifest is nested too deeply: kubeplay reads at most {MAX_DEPTH} levels"),
                    )));
                }
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq { span, items: Vec::new(), anchor }
                } else {
                    Frame::Map { span, entries: Vec::new(), key: None, anchor, merges: Vec::new() }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq { span: start, items, anchor }) => {
                        let end = items.last().map_or(span.end, |n| n.span.end);
                        (Node { value: Value::Seq(items), span: Span::new(start.start, end.max(start.start)) }, anchor)
                    }
                    Some(Frame::Map { span: start, entries, merges, anchor, .. }) => {
                        let start = Span::new(start.start, span.end);
                        (self.close_map(start, entries, merges), anchor)
                    }
                    None => return Ok(()),
                };
                if node.1 > 0 {
                    self.anchors.insert(node.1, node.0.clone());
                }
                self.push_value(node.0)?;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::DocumentEnd => {}
        }
        Ok(())
    }
}

fn parse_document(text: &str, line_offset: u32, budget: &mut usize, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        line_offset,
        stack: Vec::new(),
        anchors: HashMap::new(),
        budget,
        root: None,
        diags: Vec::new(),
        plain_merge_key: false,
    };
    let mut documents = 0;
    loop {
        match parser.next_event() {
            None => break,
            Some(Err(e)) => {
                diags.append(&mut b.diags);
                diags.push(scan_error(&e, line_offset));
                return None;
            }
            Some(Ok((ev, span))) => {
                if matches!(ev, Event::DocumentStart(_)) {
                    documents += 1;
                    if documents > 1 {
                        // `...` followed by more content: kubectl's reader would not split it; neither does kubeplay.
                        let p = pos(&span.start, line_offset);
                        diags.push(Diagnostic::error(
                            Span::point(p),
                            "yaml: a document ended with `...` must be followed by `---` before the next one".into(),
                        ));
                        return None;
                    }
                }
                if let Err(Stop(d)) = b.event(ev, span) {
                    diags.append(&mut b.diags);
                    diags.push(d);
                    return None;
                }
            }
        }
    }
    diags.append(&mut b.diags);
    b.root.filter(|n| n.value != Value::Null)
}

/// A syntax error in kubectl's words (`error converting YAML to JSON: yaml: line N: …`), with go-yaml's wording for
/// the mistakes learners make most.
fn scan_error(e: &ScanError, line_offset: u32) -> Diagnostic {
    let at = pos(e.marker(), line_offset);
    let info = e.info();
    let (message, hint) = if info.contains("tab") {
        ("found character that cannot start any token", Some("a tab: YAML indentation must use spaces"))
    } else if info.contains("mapping values are not allowed") {
        (
            "mapping values are not allowed in this context",
            Some("a `key: value` where a plain value was expected; check this line's indentation or quote the value"),
        )
    } else if info.contains("did not find expected key") || info.contains("expected key") {
        ("did not find expected key", Some("check the indentation of this line and the one above"))
    } else if info.contains("did not find expected '-'") || info.contains("block sequence entries") {
        ("did not find expected '-' indicator", Some("check the indentation of this list"))
    } else if info.contains("could not find expected ':'") || info.contains("simple key") {
        ("could not find expected ':'", None)
    } else {
        (info, None)
    };
    let mut d =
        Diagnostic::error(Span::point(at), format!("error converting YAML to JSON: yaml: line {}: {message}", at.line));
    d.suggestion = hint.map(str::to_string);
    d
}

/// A quoted or block scalar is a string unless a tag says otherwise.
fn quoted(text: &str, tag: Option<&str>) -> Value {
    match tag {
        Some("int" | "float" | "bool" | "null") => resolve_tagged(text, tag),
        _ => Value::Str(text.to_string()),
    }
}

fn resolve_tagged(text: &str, tag: Option<&str>) -> Value {
    match tag {
        Some("str") => Value::Str(text.to_string()),
        Some("int") => match resolve_plain(text) {
            v @ Value::Int(_) => v,
            _ => Value::Str(text.to_string()),
        },
        Some("float") => match resolve_plain(text) {
            Value::Int(i) => Value::Float(i as f64),
            v @ Value::Float(_) => v,
            _ => Value::Str(text.to_string()),
        },
        _ => resolve_plain(text),
    }
}

/// Resolves a plain (unquoted) scalar as go-yaml v2 does (YAML 1.1 flavoured), which is what kubectl sends:
/// - `~`, `null`, `Null`, `NULL` and the empty scalar are null;
/// - `y Y yes Yes YES on On ON true True TRUE` are true, `n N no No NO off Off OFF false False FALSE` false;
/// - integers may have a sign, `_` separators, and `0b` / `0o` / `0x` / leading-`0` (octal) prefixes;
/// - `1.5`, `1e3`, `.5`, `.inf`, `-.Inf`, `.nan` are floats; integers beyond 64 bits become floats;
/// - everything else, timestamps included, is a string.
pub fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => return Value::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::Str(s.to_string());
    }
    let plain: String = s.chars().filter(|c| *c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Value::Int(i);
    }
    if is_yaml_float(&plain) || is_unsigned_overflow(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(s.to_string())
}

/// `strconv.ParseInt(s, 0, 64)`: sign, then `0b`, `0o`, `0x` or a leading `0` (octal), or decimal.
fn parse_go_int(s: &str) -> Option<i64> {
    parse_int(s, 64).ok()
}

/// `strconv.ParseInt(s, 0, bits)`, with strconv's reason when it fails: `invalid syntax` or `value out of range`.
pub fn parse_int(s: &str, bits: u32) -> Result<i64, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        Some(_) => (false, s),
        None => return Err(SYNTAX),
    };
    let (radix, digits) = if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, d)
    } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (8, d)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(SYNTAX);
    }
    const RANGE: &str = "value out of range";
    let magnitude = i128::from_str_radix(digits, radix).map_err(|_| RANGE)?;
    let value = if neg { -magnitude } else { magnitude };
    let bound = 1i128 << (bits.clamp(1, 64) - 1);
    if value < -bound || value >= bound {
        return Err(RANGE);
    }
    Ok(value as i64)
}

fn is_unsigned_overflow(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit())
}

/// go-yaml's float pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.first() == Some(&b'.') {
        i = 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` for the values manifests hold (keys, messages).
pub fn go_float(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f.is_nan() {
        return "NaN".into();
    }
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    let s = format!("{f}");
    if f.abs() >= 1e21 || (f != 0.0 && f.abs() < 1e-4) {
        let e = format!("{f:e}");
        // Go writes `1e+21`, Rust `1e21`.
        return match e.split_once('e') {
            Some((m, x)) if !x.starts_with('-') => format!("{m}e+{x}"),
            _ => e,
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> (Option<Node>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut docs = parse_stream(text, &mut diags);
        (docs.pop().and_then(|d| d.root), diags)
    }

    #[test]
    fn plain_scalars_resolve_as_kubectl_does() {
        let cases: &[(&str, Value)] = &[
            ("yes", Value::Bool(true)),
            ("No", Value::Bool(false)),
            ("on", Value::Bool(true)),
            ("OFF", Value::Bool(false)),
            ("y", Value::Bool(true)),
            ("n", Value::Bool(false)),
            ("True", Value::Bool(true)),
            ("~", Value::Null),
            ("null", Value::Null),
            ("", Value::Null),
            ("8080", Value::Int(8080)),
            ("-3", Value::Int(-3)),
            ("+3", Value::Int(3)),
            ("0x1F", Value::Int(31)),
            ("0777", Value::Int(511)),
            ("0o17", Value::Int(15)),
            ("0b101", Value::Int(5)),
            ("1_000", Value::Int(1000)),
            ("08", Value::Float(8.0)),
            ("1.0", Value::Float(1.0)),
            ("1.10", Value::Float(1.1)),
            ("1e3", Value::Float(1000.0)),
            (".5", Value::Float(0.5)),
            ("99999999999999999999", Value::Float(1e20)),
            ("-.inf", Value::Float(f64::NEG_INFINITY)),
            ("2024-01-01", Value::Str("2024-01-01".into())),
            ("1.2.3", Value::Str("1.2.3".into())),
            ("nginx:1.25", Value::Str("nginx:1.25".into())),
            ("25%", Value::Str("25%".into())),
            ("0x", Value::Str("0x".into())),
            ("-", Value::Str("-".into())),
            ("yess", Value::Str("yess".into())),
        ];
        for (text, want) in cases {
            assert_eq!(&resolve_plain(text), want, "{text:?}");
        }
        assert!(matches!(resolve_plain(".nan"), Value::Float(f) if f.is_nan()));
    }

    #[test]
    fn quoted_scalars_and_tags_stay_strings_or_follow_the_tag() {
        let (root, diags) = one("a: \"yes\"\nb: '80'\nc: !!str 80\nd: !!int \"7\"\ne: |\n  x\n");
        assert!(diags.is_empty(), "{diags:?}");
        let root = root.unwrap();
        assert_eq!(root.get("a").unwrap().value, Value::Str("yes".into()));
        assert_eq!(root.get("b").unwrap().value, Value::Str("80".into()));
        assert_eq!(root.get("c").unwrap().value, Value::Str("80".into()));
        assert_eq!(root.get("d").unwrap().value, Value::Int(7));
        assert_eq!(root.get("e").unwrap().value, Value::Str("x\n".into()));
    }

    #[test]
    fn nodes_keep_their_positions() {
        let (root, _) = one("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: web\n    image: nginx\n");
        let root = root.unwrap();
        let c = &root.get("spec").unwrap().get("containers").unwrap();
        let Value::Seq(items) = &c.value else { panic!() };
        let image = items[0].get("image").unwrap();
        assert_eq!(image.span.start, Pos::new(6, 12));
        assert_eq!(image.span.end, Pos::new(6, 17));
        assert_eq!(items[0].key_span("image").unwrap().start, Pos::new(6, 5));
    }

    #[test]
    fn streams_split_at_separator_lines_and_lines_stay_absolute() {
        let mut diags = Vec::new();
        let docs = parse_stream("a: 1\n---\n# only a comment\n---\nb: [1,\n---\nc: 3\n", &mut diags);
        assert_eq!(docs.len(), 4);
        assert!(docs[1].root.is_none());
        assert!(docs[2].root.is_none());
        assert_eq!(docs[3].root.as_ref().unwrap().get("c").unwrap().span.start, Pos::new(7, 4));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.starts_with("error converting YAML to JSON: yaml: line 6:"), "{diags:?}");
    }

    #[test]
    fn a_separator_followed_by_content_is_refused_as_kubectl_does() {
        let mut diags = Vec::new();
        parse_stream("a: 1\n--- b: 2\n", &mut diags);
        assert_eq!(diags[0].message, "invalid Yaml document separator: --- b: 2");
    }

    #[test]
    fn tabs_duplicates_and_merge_keys() {
        let (_, diags) = one("spec:\n\treplicas: 3\n");
        assert!(diags[0].message.contains("found character that cannot start any token"), "{diags:?}");
        let (root, diags) = one("a: 1\nb: 2\na: 3\n");
        assert_eq!(diags[0].message, "yaml: line 3: key \"a\" already set in map");
        assert_eq!(diags[0].suggestion.as_deref(), Some("the first \"a\" is on line 1; keep one of them"));
        assert_eq!(root.unwrap().get("a").unwrap().value, Value::Int(1));
        let (root, diags) = one("base: &b {p: 1, q: 2}\nm:\n  <<: *b\n  q: 3\n");
        assert!(diags.is_empty(), "{diags:?}");
        let m = root.unwrap().get("m").unwrap().clone();
        assert_eq!(m.get("p").unwrap().value, Value::Int(1));
        assert_eq!(m.get("q").unwrap().value, Value::Int(3));
        // go-yaml v2 reads the key `y` as the boolean true, so it becomes "true" in JSON.
        let (root, _) = one("y: 1\non: 2\n");
        let root = root.unwrap();
        assert!(root.get("true").is_some() && root.get("y").is_none());
    }

    #[test]
    fn a_billion_laughs_is_refused_quickly() {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (i, c) in ('b'..='i').enumerate() {
            let prev = (b'a' + i as u8) as char;
            text.push_str(&format!(
                "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        let started = std::time::Instant::now();
        let (root, diags) = one(&text);
        assert!(root.is_none());
        assert!(diags[0].message.contains("excessive aliasing"), "{diags:?}");
        // Not a timing assertion on the machine's speed: a billion nodes would take minutes, not a second.
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn size_depth_and_document_limits() {
        let mut diags = Vec::new();
        assert!(parse_stream(&"a".repeat(MAX_TEXT_BYTES + 1), &mut diags).is_empty());
        assert!(diags[0].message.contains("at most 1048576 bytes"));
        let deep = format!("{}1{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let (root, diags) = one(&deep);
        assert!(root.is_none());
        assert!(diags[0].message.contains("nested too deeply"), "{diags:?}");
        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(one(&ok).1.is_empty());
        let mut diags = Vec::new();
        let many = "a: 1\n---\n".repeat(MAX_DOCUMENTS + 5);
        assert_eq!(parse_stream(&many, &mut diags).len(), MAX_DOCUMENTS);
        assert!(diags[0].message.starts_with("too many documents"), "{diags:?}");
    }

    #[test]
    fn json_is_read_too() {
        let (root, diags) = one("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {\"x\": [1, 2.5, true, null]}}");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(root.unwrap().to_json()["spec"]["x"], serde_json::json!([1, 2.5, true, null]));
    }

    #[test]
    fn go_float_formatting() {
        assert_eq!(go_float(1.0), "1");
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(1e21), "1e+21");
    }
}
