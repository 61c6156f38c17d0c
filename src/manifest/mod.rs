//! Manifests: the text a learner pastes (YAML streams, `kind: List`, JSON) → Kubernetes objects, with every problem
//! located at its line and column, and objects → text again (`kubectl get -o yaml|json`).
//!
//! The steps, each in its own module:
//! 1. [`yaml`]: split the stream at `---` lines, parse each document into a positioned tree, resolve scalars as kubectl
//!    does, expand aliases under a budget, enforce the size, depth and document limits;
//! 2. [`kinds`]: check `apiVersion` / `kind` against what a real cluster serves and what kubeplay simulates;
//! 3. [`decode`]: strict decoding into the k8s-openapi type (unknown fields, wrong types);
//! 4. validation (`api::validation`) on a defaulted copy, its field paths mapped back to positions;
//! 5. applying is the simulator's (`sim`), with client-side apply's three-way merge from [`merge`];
//! 6. [`print`] writes objects back as kubectl does.
//!
//! Nothing here knows about the browser: the editor calls [`check`] and underlines the [`Diagnostic`]s it returns.

pub mod decode;
pub mod goorder;
pub mod highlight;
pub mod kinds;
pub mod merge;
pub mod patch;
pub mod print;
pub mod yaml;

use crate::api::status::ApiError;
use crate::api::validation::FieldError;
use crate::api::{self, ConfigMap, Deployment, Namespace, ObjectMeta, Pod, ReplicaSet, Secret, Service};
use crate::api::{Kind, Typed};
use decode::{Problem, ProblemKind};
use yaml::{Node, Value};

/// A position in the text: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub const fn new(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }
}

/// A range of text; `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    pub const ZERO: Span = Span { start: Pos::new(1, 1), end: Pos::new(1, 1) };

    pub const fn new(start: Pos, end: Pos) -> Span {
        Span { start, end }
    }

    pub const fn point(p: Pos) -> Span {
        Span { start: p, end: Pos::new(p.line, p.col + 1) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem for the editor: where, how bad, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub suggestion: Option<String>,
    /// The one change that would fix it, when there is exactly one (the editor's quick fix: `assist::fix` turns it
    /// into an edit of the text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Box<Hint>>,
}

/// What would fix a diagnostic, as data: the manifest reader knows *what* is wrong; `assist::fix` knows how to edit
/// the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Hint {
    /// Rename the key at the diagnostic's span (a misspelt field: `replica` → `replicas`).
    Rename(String),
    /// Move the field at path `from` to path `to` (`[*]` is the first item): a block indented at the wrong level.
    Move { from: String, to: String },
    /// Quote the plain scalar at the span: a number or boolean where the API wants a string (`version: 1.0`).
    Quote,
    /// Make `spec.selector.matchLabels` the template's labels.
    MatchSelector,
    /// Write `kind` (and `apiVersion`) as a kind kubeplay simulates: a misspelt kind, or a kind under the wrong
    /// group/version.
    Kind { api_version: String, kind: String },
    /// Replace the scalar at the span with this text (an image tag kubeplay's registry does not have).
    Replace(String),
}

impl Diagnostic {
    pub fn error(span: Span, message: String) -> Diagnostic {
        Diagnostic { severity: Severity::Error, span, message, suggestion: None, hint: None }
    }

    pub fn warning(span: Span, message: String) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, span, message, suggestion: None, hint: None }
    }

    pub fn with_suggestion(mut self, s: Option<String>) -> Diagnostic {
        self.suggestion = s;
        self
    }

    pub fn with_hint(mut self, h: Option<Hint>) -> Diagnostic {
        self.hint = h.map(Box::new);
        self
    }
}

impl std::fmt::Display for Diagnostic {
    /// `3:5: error: unknown field "spec.replica" (did you mean "replicas"?)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}: {sev}: {}", self.span.start.line, self.span.start.col, self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " ({s})")?;
        }
        Ok(())
    }
}

/// An object of a kind kubeplay accepts from manifests.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Deployment(Deployment),
    ReplicaSet(ReplicaSet),
    Pod(Pod),
    Service(Service),
    Namespace(Namespace),
    ConfigMap(ConfigMap),
    Secret(Secret),
}

/// Runs `$body` with `$o` bound to the typed object inside an [`Object`].
#[macro_export]
macro_rules! with_object {
    ($obj:expr, $o:ident => $body:expr) => {
        match $obj {
            $crate::manifest::Object::Deployment($o) => $body,
            $crate::manifest::Object::ReplicaSet($o) => $body,
            $crate::manifest::Object::Pod($o) => $body,
            $crate::manifest::Object::Service($o) => $body,
            $crate::manifest::Object::Namespace($o) => $body,
            $crate::manifest::Object::ConfigMap($o) => $body,
            $crate::manifest::Object::Secret($o) => $body,
        }
    };
}

impl Object {
    pub fn kind(&self) -> Kind {
        fn k<T: Typed>(_: &T) -> Kind {
            T::kind()
        }
        with_object!(self, o => k(o))
    }

    pub fn meta(&self) -> &ObjectMeta {
        with_object!(self, o => k8s_openapi::Metadata::metadata(o))
    }

    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        with_object!(self, o => k8s_openapi::Metadata::metadata_mut(o))
    }

    pub fn name(&self) -> &str {
        api::name_of(self.meta())
    }

    /// The object as the API server would send it (`apiVersion` and `kind` included).
    pub fn to_json(&self) -> serde_json::Value {
        with_object!(self, o => serde_json::to_value(o).unwrap_or_default())
    }

    /// The API server's validation of this object as if it were created now: defaults first, as the server does.
    pub fn validate(&self) -> Vec<FieldError> {
        fn v<T: Typed>(o: &T) -> Vec<FieldError> {
            let mut o = o.clone();
            if T::kind().namespaced() && o.metadata().namespace.is_none() {
                o.metadata_mut().namespace = Some("default".into());
            }
            o.apply_defaults();
            o.validate(None)
        }
        with_object!(self, o => v(o))
    }

    /// The API server's warnings for this object.
    pub fn warnings(&self) -> Vec<FieldError> {
        with_object!(self, o => Typed::warnings(o))
    }

    /// Decodes `root` as `kind`, collecting every decoding problem.
    fn decode(kind: Kind, root: &Node) -> (Option<Object>, Vec<Problem>) {
        fn d<T: Typed>(root: &Node, wrap: fn(T) -> Object) -> (Option<Object>, Vec<Problem>) {
            let (o, p) = decode::decode::<T>(root);
            (o.map(wrap), p)
        }
        match kind {
            Kind::Deployment => d(root, Object::Deployment),
            Kind::ReplicaSet => d(root, Object::ReplicaSet),
            Kind::Pod => d(root, Object::Pod),
            Kind::Service => d(root, Object::Service),
            Kind::Namespace => d(root, Object::Namespace),
            Kind::ConfigMap => d(root, Object::ConfigMap),
            Kind::Secret => d(root, Object::Secret),
            _ => (None, Vec::new()),
        }
    }
}

/// What went wrong with a document. kubectl puts it into words (`crate::kubectl`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocError {
    /// The YAML could not be read: the message after `error parsing F: ` (`error converting YAML to JSON: …`).
    Syntax(String),
    /// `apiVersion not set`, `kind not set`: kubectl's client-side check of the type fields.
    MissingTypeInfo(Vec<String>),
    /// Unknown or unsimulated kind: the message as kubectl prints it after `error: `.
    Kind(String),
    /// The API server could not decode the object (`BadRequest`: `… cannot be handled as a Deployment: …`).
    Decode(ApiError),
    /// The API server's validation refused the object (`Invalid`, with a cause per field).
    Invalid(ApiError),
}

/// One document of a manifest.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The tree, for positions; `None` when the document could not be parsed.
    pub root: Option<Node>,
    /// The decoded object; `None` when the document cannot be applied at all.
    pub object: Option<Object>,
    /// The problems of this document (errors and warnings), in position order.
    pub diagnostics: Vec<Diagnostic>,
    /// The first error, as kubectl reports it; `None` when the document can be sent to the API server.
    pub error: Option<DocError>,
    /// Where the document starts (for messages about the whole document).
    pub span: Span,
}

impl Doc {
    /// The span of the node at a field path (`spec.template.spec.containers[0].image`), or of its nearest ancestor
    /// that the document has.
    pub fn locate(&self, path: &str) -> Span {
        self.root.as_ref().map_or(self.span, |r| locate(r, path))
    }
}

/// Parses a field path into steps: `a.b[0].c`, `data[some.key]`.
pub fn parse_path(path: &str) -> Vec<decode::Seg> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    segs.push(decode::Seg::Key(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    segs.push(decode::Seg::Key(std::mem::take(&mut cur)));
                }
                let mut inner = String::new();
                for c in chars.by_ref() {
                    if c == ']' {
                        break;
                    }
                    inner.push(c);
                }
                segs.push(match inner.parse::<usize>() {
                    Ok(i) => decode::Seg::Index(i),
                    Err(_) => decode::Seg::Key(inner),
                });
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        segs.push(decode::Seg::Key(cur));
    }
    segs
}

/// The span of the deepest node along `path` (a field's key when the field is a leaf that exists).
pub fn locate(root: &Node, path: &str) -> Span {
    let mut node = root;
    let mut span = root.span;
    let segs = parse_path(path);
    let mut found_all = true;
    let mut deepest_key = None;
    for (i, seg) in segs.iter().enumerate() {
        let next = match (&node.value, seg) {
            (Value::Map(entries), decode::Seg::Key(k)) => {
                // The API reports `spec.clusterIPs` where manifests usually write `spec.clusterIP`.
                let alias = if k == "clusterIPs" { "clusterIP" } else { k.as_str() };
                entries.iter().find(|(key, _)| key.name == *k || key.name == alias).map(|(key, v)| (key.span, v))
            }
            (Value::Seq(items), decode::Seg::Index(i)) => items.get(*i).map(|v| (v.span, v)),
            _ => None,
        };
        let Some((key_span, child)) = next else {
            found_all = false;
            break;
        };
        let last = i + 1 == segs.len();
        span = match &child.value {
            // A leaf: underline the value. A container: underline its key, which is on one line.
            Value::Map(_) | Value::Seq(_) if last => key_span,
            _ => child.span,
        };
        deepest_key = Some(key_span);
        node = child;
    }
    // A field that is missing: point at the key of the nearest field that is there, not at its whole block.
    match (found_all, deepest_key) {
        (false, Some(k)) => k,
        _ => span,
    }
}

/// Where a field that is unknown at its place belongs, for the mistakes learners make most (a block indented one
/// level too deep or too shallow): the path it belongs at (`[*]` for "in each item"), and the advice.
fn belongs_at(kind: Kind, path: &str, field: &str) -> Option<(String, String)> {
    const DEPLOYMENT_SPEC: &[&str] = &[
        "replicas",
        "selector",
        "template",
        "strategy",
        "minReadySeconds",
        "revisionHistoryLimit",
        "progressDeadlineSeconds",
        "paused",
    ];
    const POD_SPEC: &[&str] = &[
        "containers",
        "initContainers",
        "volumes",
        "restartPolicy",
        "nodeSelector",
        "terminationGracePeriodSeconds",
        "nodeName",
        "affinity",
        "tolerations",
        "serviceAccountName",
        "hostname",
        "dnsPolicy",
    ];
    const CONTAINER: &[&str] = &[
        "image",
        "ports",
        "env",
        "envFrom",
        "command",
        "args",
        "readinessProbe",
        "livenessProbe",
        "startupProbe",
        "resources",
        "imagePullPolicy",
        "volumeMounts",
        "lifecycle",
        "workingDir",
    ];
    const META: &[&str] = &["labels", "annotations", "name", "namespace", "generateName"];
    const SERVICE_PORT: &[&str] = &["port", "targetPort", "nodePort", "protocol"];
    let templated = matches!(kind, Kind::Deployment | Kind::ReplicaSet);
    let in_template = path.starts_with("spec.template");
    let target = if META.contains(&field) {
        if in_template {
            format!("spec.template.metadata.{field}")
        } else {
            format!("metadata.{field}")
        }
    } else if templated && DEPLOYMENT_SPEC.contains(&field) {
        format!("spec.{field}")
    } else if POD_SPEC.contains(&field) && matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Pod) {
        if templated {
            format!("spec.template.spec.{field}")
        } else {
            format!("spec.{field}")
        }
    } else if CONTAINER.contains(&field) && matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::Pod) {
        if templated {
            format!("spec.template.spec.containers[*].{field}")
        } else {
            format!("spec.containers[*].{field}")
        }
    } else if field == "containerPort" {
        if templated {
            "spec.template.spec.containers[*].ports[*].containerPort".into()
        } else {
            "spec.containers[*].ports[*].containerPort".into()
        }
    } else if kind == Kind::Service && SERVICE_PORT.contains(&field) {
        format!("spec.ports[*].{field}")
    } else if kind == Kind::Service
        && ["selector", "type", "clusterIP", "externalTrafficPolicy", "sessionAffinity"].contains(&field)
    {
        format!("spec.{field}")
    } else {
        return None;
    };
    (target.replace("[*]", "") != path.replace("[0]", "")).then(|| {
        let advice = format!("`{field}` belongs at {target}; check the indentation");
        (target, advice)
    })
}

/// A manifest: all its documents (after `kind: List` expansion) and the problems of the stream itself.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub docs: Vec<Doc>,
    /// Problems that belong to no document (text too long, too many documents, bad separators).
    pub stream: Vec<Diagnostic>,
}

impl Manifest {
    /// Every diagnostic, in position order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> =
            self.stream.iter().chain(self.docs.iter().flat_map(|d| d.diagnostics.iter())).cloned().collect();
        crate::util::sort_by_key(&mut all, |d| (d.span.start, d.span.end));
        all.dedup();
        all
    }
}

/// What the editor asks while the learner types: every problem the API server would report for this text, without a
/// cluster (so without the checks that need one: immutable fields, taken node ports).
pub fn check(text: &str) -> Vec<Diagnostic> {
    read(text, "STDIN").diagnostics()
}

/// Reads a manifest. `source` is the file name kubectl messages show (`d.yaml`, `STDIN`).
pub fn read(text: &str, source: &str) -> Manifest {
    let mut stream = Vec::new();
    let raw = yaml::parse_stream(text, &mut stream);
    let mut m = Manifest { docs: Vec::new(), stream: Vec::new() };
    // Syntax errors are reported against their document.
    let mut syntax: Vec<Diagnostic> = Vec::new();
    for d in stream {
        if d.message.starts_with("error converting YAML") || d.message.starts_with("yaml:") {
            syntax.push(d);
        } else {
            m.stream.push(d);
        }
    }
    for doc in raw {
        let Some(root) = doc.root else {
            // A document with a syntax error has no tree; an empty one is skipped, as kubectl does.
            let first = doc.first_line;
            let mine: Vec<Diagnostic> = syntax.iter().filter(|d| d.span.start.line >= first).cloned().collect();
            if let Some(e) = mine.first() {
                syntax.retain(|d| d.span.start.line < first);
                let span = Span::point(Pos::new(first, 1));
                m.docs.push(Doc {
                    root: None,
                    object: None,
                    error: Some(DocError::Syntax(e.message.clone())),
                    diagnostics: mine,
                    span,
                });
            }
            continue;
        };
        // Duplicate keys and merge problems leave a tree, with diagnostics.
        let first = doc.first_line;
        let mut extra: Vec<Diagnostic> = syntax.iter().filter(|d| d.span.start.line >= first).cloned().collect();
        syntax.retain(|d| d.span.start.line < first);
        let items = list_items(&root);
        match items {
            Some(items) => {
                for item in items {
                    m.docs.push(read_doc(item, source, std::mem::take(&mut extra)));
                }
            }
            None => m.docs.push(read_doc(root, source, extra)),
        }
    }
    m.stream.extend(syntax);
    m
}

/// `kind: List` (any `apiVersion`): its items are documents of their own.
fn list_items(root: &Node) -> Option<Vec<Node>> {
    if root.get("kind").and_then(Node::as_str) != Some("List") {
        return None;
    }
    match root.get("items").map(|n| &n.value) {
        Some(Value::Seq(items)) => Some(items.clone()),
        _ => Some(Vec::new()),
    }
}

fn doc_error(root: Node, diagnostics: Vec<Diagnostic>, error: DocError) -> Doc {
    let span = root.span;
    Doc { root: Some(root), object: None, diagnostics, error: Some(error), span }
}

fn read_doc(root: Node, source: &str, mut diagnostics: Vec<Diagnostic>) -> Doc {
    let span = root.span;
    if !matches!(root.value, Value::Map(_)) {
        let m = format!("json: cannot unmarshal {} into Go value of type map[string]interface {{}}", root.json_kind());
        diagnostics.push(Diagnostic::error(span, m.clone()));
        return doc_error(root, diagnostics, DocError::Syntax(format!("error converting YAML to JSON: {m}")));
    }
    if let Some(d) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
        let e = DocError::Syntax(d.message.clone());
        return doc_error(root, diagnostics, e);
    }
    let api_version = root.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
    let mut missing = Vec::new();
    if api_version.is_empty() {
        missing.push("apiVersion not set");
    }
    if kind.is_empty() {
        missing.push("kind not set");
    }
    if !missing.is_empty() {
        let top = Span::point(span.start);
        for m in &missing {
            diagnostics.push(Diagnostic::error(top, (*m).to_string()));
        }
        let e = DocError::MissingTypeInfo(missing.iter().map(|m| m.to_string()).collect());
        return doc_error(root, diagnostics, e);
    }
    let meta = root.get("metadata");
    let name = meta.and_then(|m| m.get("name")).and_then(Node::as_str).unwrap_or("");
    let namespace = meta.and_then(|m| m.get("namespace")).and_then(Node::as_str).unwrap_or("");
    let kind = match kinds::resolve(api_version, kind, name, namespace, source) {
        Ok(k) => k,
        Err(e) => {
            let at = if e.at_api_version { root.get("apiVersion") } else { root.get("kind") };
            let hint =
                e.fix.map(|(api_version, kind)| Hint::Kind { api_version: api_version.into(), kind: kind.into() });
            let d = Diagnostic::error(at.map_or(span, |n| n.span), e.short.clone())
                .with_suggestion(e.suggestion.clone())
                .with_hint(hint);
            diagnostics.push(d);
            return doc_error(root, diagnostics, DocError::Kind(e.message));
        }
    };
    let (object, problems) = Object::decode(kind, &root);
    let mut bad_paths: Vec<String> = Vec::new();
    let mut first_type_error = None;
    let mut unknown = Vec::new();
    for p in &problems {
        let mut suggestion = p.suggestion.clone();
        let mut hint = None;
        if p.kind == ProblemKind::UnknownField {
            let field = p.path.rsplit('.').next().unwrap_or("");
            match (&p.rename, belongs_at(kind, &p.path, field)) {
                (Some(to), _) => hint = Some(Hint::Rename(to.clone())),
                (None, Some((to, advice))) => {
                    suggestion = Some(advice);
                    hint = Some(Hint::Move { from: p.path.clone(), to });
                }
                (None, None) => {}
            }
        }
        // A number or boolean where a string belongs (`version: 1.0` in labels): quoting it is the fix.
        if p.kind == ProblemKind::WrongType
            && p.message.ends_with("of type string")
            && (p.message.starts_with("json: cannot unmarshal number")
                || p.message.starts_with("json: cannot unmarshal bool"))
        {
            hint = Some(Hint::Quote);
        }
        diagnostics.push(Diagnostic::error(p.span, p.message.clone()).with_suggestion(suggestion).with_hint(hint));
        match p.kind {
            ProblemKind::UnknownField => unknown.push(p.message.clone()),
            ProblemKind::WrongType | ProblemKind::BadValue => {
                bad_paths.push(p.path.clone());
                first_type_error.get_or_insert_with(|| p.message.clone());
            }
        }
    }
    let Some(object) = object else {
        let e = first_type_error.unwrap_or_else(|| "the document could not be decoded".into());
        return doc_error(root, diagnostics, DocError::Decode(ApiError::bad_request(handled_as(kind, &e))));
    };
    // Validation runs too, so every problem shows at once; errors at or under a field that could not be decoded
    // would only repeat that problem.
    let field_errors: Vec<FieldError> = object
        .validate()
        .into_iter()
        .filter(|e| {
            !bad_paths.iter().any(|b| {
                !b.is_empty()
                    && (e.path == *b || b.starts_with(&format!("{}.", e.path)) || e.path.starts_with(b.as_str()))
            })
        })
        .collect();
    for e in &field_errors {
        let hint = (e.path == "spec.template.metadata.labels" && e.detail.contains("does not match template"))
            .then_some(Hint::MatchSelector);
        diagnostics.push(Diagnostic::error(locate(&root, &e.path), e.to_string()).with_hint(hint));
    }
    for w in object.warnings() {
        diagnostics.push(Diagnostic::warning(locate(&root, &w.path), w.to_string()));
    }
    crate::util::sort_by_key(&mut diagnostics, |d| (d.span.start, d.span.end));
    let error = if let Some(e) = first_type_error {
        Some(DocError::Decode(ApiError::bad_request(handled_as(kind, &e))))
    } else if !unknown.is_empty() {
        Some(DocError::Decode(ApiError::bad_request(handled_as(
            kind,
            &format!("strict decoding error: {}", unknown.join(", ")),
        ))))
    } else if !field_errors.is_empty() {
        Some(DocError::Invalid(ApiError::invalid(object.kind(), object.name(), field_errors)))
    } else {
        None
    };
    Doc { root: Some(root), object: Some(object), diagnostics, error, span }
}

/// `Deployment in version "v1" cannot be handled as a Deployment: …`.
fn handled_as(kind: Kind, detail: &str) -> String {
    format!("{} in version \"v1\" cannot be handled as a {}: {detail}", kind.name(), kind.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_with_indices_and_keys() {
        use decode::Seg::*;
        assert_eq!(
            parse_path("spec.containers[0].ports[12].name"),
            [
                Key("spec".into()),
                Key("containers".into()),
                Index(0),
                Key("ports".into()),
                Index(12),
                Key("name".into())
            ]
        );
        assert_eq!(parse_path("data[app.properties]"), [Key("data".into()), Key("app.properties".into())]);
    }

    #[test]
    fn a_list_expands_into_its_items() {
        let m = read(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n",
            "l.yaml",
        );
        assert_eq!(m.docs.len(), 2);
        assert!(m.docs.iter().all(|d| d.error.is_none()));
        assert_eq!(m.docs[1].object.as_ref().unwrap().name(), "b");
    }

    #[test]
    fn all_problems_of_a_document_are_reported_together_in_order() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: Web_1\nspec:\n  replica: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: web\n";
        let d: Vec<String> = check(text).iter().map(ToString::to_string).collect();
        assert_eq!(d.len(), 4, "{d:#?}");
        assert!(
            d[0].starts_with("4:9: error: metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain"),
            "{d:#?}"
        );
        assert_eq!(d[1], "6:3: error: unknown field \"spec.replica\" (did you mean \"replicas\"?)");
        assert!(d[2].starts_with("11:7: error: spec.template.metadata.labels: Invalid value: {\"app\":\"api\"}: `selector` does not match template `labels`"), "{d:#?}");
        assert_eq!(d[3], "14:9: error: spec.template.spec.containers[0].image: Required value");
    }
}
