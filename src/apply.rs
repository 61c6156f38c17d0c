//! `kubectl apply -f` and `kubectl create -f` against the simulated API server: each document of a manifest is sent
//! on its own, in order, and reported on its own line (`deployment.apps/web created`, `… configured`,
//! `… unchanged`) or with its error; a document that fails changes nothing, and the others still apply, as kubectl
//! does.
//!
//! Apply is client-side apply (`kubectl apply` without `--server-side`): the file is kept in the
//! `kubectl.kubernetes.io/last-applied-configuration` annotation and merged three ways ([`manifest::merge`]) with
//! the live object, so a field removed from the file is removed from the object and fields set by others are kept.

use crate::api;
use crate::cluster::store::{ApiError, Kind, ObjRef, Resource};
use crate::manifest::merge::{three_way, LAST_APPLIED};
use crate::manifest::{self, Diagnostic, DocError};
use crate::sim::Sim;
use serde_json::Value;

/// What apply did to one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Configured,
    Unchanged,
}

impl Outcome {
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Configured => "configured",
            Outcome::Unchanged => "unchanged",
        }
    }
}

/// One document's result, as kubectl prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocResult {
    /// The object, when the document named one kubeplay stores.
    pub object: Option<ObjRef>,
    pub outcome: Option<Outcome>,
    /// The line on standard output (`deployment.apps/web created`), empty on failure.
    pub stdout: String,
    /// Warnings and the error, as kubectl writes them to standard error.
    pub stderr: Vec<String>,
}

/// The result of applying (or creating from) a manifest.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub results: Vec<DocResult>,
    /// Every problem, located, for the editor: the manifest's own and those only the cluster could find.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.results.iter().all(|r| r.outcome.is_some())
    }

    /// Standard output and standard error as kubectl prints them.
    pub fn stdout(&self) -> String {
        self.results.iter().filter(|r| !r.stdout.is_empty()).map(|r| format!("{}\n", r.stdout)).collect()
    }

    pub fn stderr(&self) -> String {
        self.results.iter().flat_map(|r| r.stderr.iter()).map(|l| format!("{l}\n")).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Apply,
    Create,
}

/// Server-owned metadata a client's object may carry (from `kubectl get -o yaml`), which the server ignores.
const SERVER_FIELDS: [&str; 7] =
    ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp"];

fn error_line(verb: Verb, source: &str, e: &ApiError) -> String {
    if e.reason == "Invalid" {
        return e.message.clone();
    }
    let doing = if verb == Verb::Create { "creating" } else { "applying" };
    format!("Error from server ({}): error when {doing} {source:?}: {}", e.reason, e.message)
}

impl Sim {
    /// `kubectl apply -f SOURCE` with `text` as the file's content.
    pub fn apply_manifest(&mut self, text: &str, source: &str) -> Report {
        self.send_manifest(text, source, Verb::Apply, None, None)
    }

    /// `kubectl create -f SOURCE`: like apply, but an existing object is an `AlreadyExists` error and no
    /// last-applied annotation is kept.
    pub fn create_manifest(&mut self, text: &str, source: &str) -> Report {
        self.send_manifest(text, source, Verb::Create, None, None)
    }

    /// `kubectl apply -f SOURCE -n NAMESPACE` (or `create` with `create: true`): objects without a namespace go to
    /// `namespace`. `enforce` is set when `-n` was given: only then does kubectl refuse an object of another
    /// namespace. `record` is the deprecated `--record`: every object gets `kubernetes.io/change-cause` set to it.
    pub fn send_manifest_in(
        &mut self,
        text: &str,
        source: &str,
        create: bool,
        namespace: &str,
        enforce: bool,
        record: Option<&str>,
    ) -> Report {
        let verb = if create { Verb::Create } else { Verb::Apply };
        self.send_manifest(text, source, verb, Some((namespace, enforce)), record)
    }

    fn send_manifest(
        &mut self,
        text: &str,
        source: &str,
        verb: Verb,
        namespace: Option<(&str, bool)>,
        record: Option<&str>,
    ) -> Report {
        let m = manifest::read(text, source);
        let mut report = Report { results: Vec::new(), diagnostics: m.stream.clone() };
        for d in &m.stream {
            report.results.push(DocResult {
                object: None,
                outcome: None,
                stdout: String::new(),
                stderr: vec![format!("error: {}", d.message)],
            });
        }
        for doc in &m.docs {
            report.diagnostics.extend(doc.diagnostics.iter().cloned());
            let object_ref = doc.object.as_ref().map(|o| {
                let ns = if o.kind().namespaced() { api::namespace_of(o.meta()) } else { "" };
                ObjRef::new(o.kind(), if ns.is_empty() && o.kind().namespaced() { "default" } else { ns }, o.name())
            });
            if let Some(e) = &doc.error {
                let line = match e {
                    // Before the object exists, decoding errors read "when creating"; after, kubectl patches.
                    DocError::Decode(_) if object_ref.as_ref().is_some_and(|r| self.exists(r)) => {
                        e.kubectl_line(source, "patching")
                    }
                    _ => e.kubectl_line(source, "creating"),
                };
                report.results.push(DocResult {
                    object: object_ref,
                    outcome: None,
                    stdout: String::new(),
                    stderr: vec![line],
                });
                continue;
            }
            let Some(mut obj) = doc.object.clone() else { continue };
            if let (Some((ns, enforce)), true) = (namespace, obj.kind().namespaced()) {
                match obj.meta().namespace.clone().filter(|n| !n.is_empty()) {
                    Some(own) if own != ns && enforce => {
                        report.results.push(DocResult {
                            object: object_ref,
                            outcome: None,
                            stdout: String::new(),
                            stderr: vec![format!("error: the namespace from the provided object {own:?} does not match the namespace {ns:?}. You must pass '--namespace={own}' to perform this operation.")],
                        });
                        continue;
                    }
                    Some(_) => {}
                    None => obj.meta_mut().namespace = Some(ns.to_string()),
                }
            }
            if let Some(cause) = record {
                api::set_annotation(obj.meta_mut(), "kubernetes.io/change-cause", cause);
            }
            let result = crate::with_object!(obj, o => self.send(o, verb).map(|(r, out, w, _)| (r, out, w)));
            match result {
                Ok((r, outcome, warnings)) => {
                    let line = format!("{}/{} {}", r.kind.printed(), r.name, outcome.word());
                    report.results.push(DocResult {
                        object: Some(r),
                        outcome: Some(outcome),
                        stdout: line,
                        stderr: warnings,
                    });
                }
                Err(e) => {
                    for cause in &e.causes {
                        report.diagnostics.push(Diagnostic::error(doc.locate(&cause.path), cause.to_string()));
                    }
                    if e.causes.is_empty() {
                        report.diagnostics.push(Diagnostic::error(doc.span, error_line(verb, source, &e)));
                    }
                    report.results.push(DocResult {
                        object: object_ref,
                        outcome: None,
                        stdout: String::new(),
                        stderr: vec![error_line(verb, source, &e)],
                    });
                }
            }
        }
        report.diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        report.diagnostics.dedup();
        report
    }

    fn exists(&self, r: &ObjRef) -> bool {
        crate::with_kind!(r.kind, T => self.cluster.get::<T>(r).is_some())
    }

    /// Applies one object as `kubectl apply` does and lets the controllers react. Returns the object as stored by
    /// the write (before the controllers ran) and what apply did.
    pub fn apply_object<T: Resource>(&mut self, obj: T) -> Result<(T, Outcome), ApiError> {
        self.send(obj, Verb::Apply).map(|(_, o, _, stored)| (stored, o))
    }

    fn send<T: Resource>(&mut self, mut obj: T, verb: Verb) -> Result<(ObjRef, Outcome, Vec<String>, T), ApiError> {
        if T::kind().namespaced() {
            if obj.metadata().namespace.as_deref().is_none_or(str::is_empty) {
                obj.metadata_mut().namespace = Some("default".into());
            }
        } else {
            obj.metadata_mut().namespace = None;
        }
        let r = ObjRef::of(&obj);
        if r.name.is_empty() {
            return Err(ApiError {
                code: 400,
                reason: "BadRequest",
                message: "resource name may not be empty".into(),
                causes: Vec::new(),
            });
        }
        if T::kind().namespaced()
            && self.cluster.get::<api::Namespace>(&ObjRef::new(Kind::Namespace, "", &r.namespace)).is_none()
        {
            return Err(ApiError::not_found(Kind::Namespace, &r.namespace));
        }
        let mut modified = serde_json::to_value(&obj).unwrap_or(Value::Null);
        let (rv, uid) = {
            let meta = &mut modified["metadata"];
            let rv = meta.get("resourceVersion").and_then(Value::as_str).map(str::to_string);
            let uid = meta.get("uid").and_then(Value::as_str).map(str::to_string);
            if let Some(m) = meta.as_object_mut() {
                for f in SERVER_FIELDS {
                    m.remove(f);
                }
            }
            (rv, uid)
        };
        if let Some(m) = modified.as_object_mut() {
            m.remove("status");
        }
        let current = self.cluster.get::<T>(&r).cloned();
        let mut warnings = Vec::new();
        let outcome;
        let stored;
        match (verb, current) {
            (Verb::Create, Some(_)) => return Err(ApiError::already_exists(T::kind(), &r.name)),
            (Verb::Create, None) => {
                let obj: T = from_json(modified)?;
                stored = self.cluster.create(obj)?;
                outcome = Outcome::Created;
            }
            (Verb::Apply, None) => {
                set_last_applied(&mut modified);
                let obj: T = from_json(modified)?;
                stored = self.cluster.create(obj)?;
                outcome = Outcome::Created;
            }
            (Verb::Apply, Some(current)) => {
                let meta = current.metadata();
                if uid.as_ref().is_some_and(|u| Some(u) != meta.uid.as_ref()) {
                    return Err(ApiError {
                        code: 409,
                        reason: "Conflict",
                        message: format!(
                            "Operation cannot be fulfilled on {} {:?}: Precondition failed: UID in precondition: {}, UID in object meta: {}",
                            T::kind().resource(),
                            r.name,
                            uid.unwrap_or_default(),
                            meta.uid.clone().unwrap_or_default()
                        ),
                        causes: Vec::new(),
                    });
                }
                if rv.as_ref().is_some_and(|v| Some(v) != meta.resource_version.as_ref()) {
                    return Err(ApiError::conflict(T::kind(), &r.name));
                }
                let original = match api::annotation(meta, LAST_APPLIED) {
                    Some(text) => serde_json::from_str::<Value>(text).ok(),
                    None => {
                        let plural = T::kind().plural();
                        warnings.push(format!(
                            "Warning: resource {plural}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.",
                            r.name
                        ));
                        None
                    }
                };
                set_last_applied(&mut modified);
                let live = serde_json::to_value(&current).unwrap_or(Value::Null);
                let merged = three_way(original.as_ref(), &modified, &live);
                let mut obj: T = from_json(merged)?;
                obj.metadata_mut().resource_version = None;
                let before = self.cluster.store.resource_version();
                stored = self.cluster.update(obj)?;
                outcome = if self.cluster.store.resource_version() == before {
                    Outcome::Unchanged
                } else {
                    Outcome::Configured
                };
            }
        }
        if outcome != Outcome::Unchanged {
            warnings.extend(stored.warnings().iter().map(|w| format!("Warning: {w}")));
        }
        self.settle();
        Ok((r, outcome, warnings, std::sync::Arc::unwrap_or_clone(stored)))
    }
}

fn from_json<T: Resource>(v: Value) -> Result<T, ApiError> {
    crate::manifest::decode::from_json(&v).map_err(ApiError::invalid)
}

/// kubectl's `GetModifiedConfiguration`: the object without the annotation, serialized (with an `annotations` map,
/// empty if need be), becomes the annotation's value.
fn set_last_applied(modified: &mut Value) {
    let Some(meta) = modified.get_mut("metadata").and_then(Value::as_object_mut) else { return };
    let annotations = meta.entry("annotations").or_insert_with(|| Value::Object(Default::default()));
    if let Some(a) = annotations.as_object_mut() {
        a.remove(LAST_APPLIED);
    }
    let text = format!("{}\n", serde_json::to_string(modified).unwrap_or_default());
    if let Some(a) = modified["metadata"]["annotations"].as_object_mut() {
        a.insert(LAST_APPLIED.into(), Value::String(text));
    }
}

/// `kubectl get KIND NAME -o yaml` / `-o json` for a stored object.
pub fn printed<T: Resource>(obj: &T, json: bool) -> String {
    let v = serde_json::to_value(obj).unwrap_or(Value::Null);
    if json {
        manifest::print::to_json(&v)
    } else {
        manifest::print::to_yaml(&v)
    }
}
