//! `kubectl apply -f` and `kubectl create -f` against the simulated API server: each document of a manifest is sent
//! on its own, in order, with its own result ([`Outcome`]: created, configured, unchanged) or failure
//! ([`DocFailure`]); a document that fails changes nothing, and the others still apply, as kubectl does. kubectl
//! puts the [`Report`] into words.
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

/// Why one document was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocFailure {
    /// The stream around the documents could not be read (the message of its diagnostic).
    Stream(String),
    /// The document itself is wrong (syntax, type fields, kind), or the API server refused it on reading it
    /// (decoding, validation); `existed` says whether the object it names is already stored.
    Manifest { error: DocError, existed: bool },
    /// The object names another namespace than the one given with `-n`.
    NamespaceMismatch { own: String, given: String },
    /// The API server refused the write; `existed` says whether the object was stored before (apply patched it) or
    /// not (apply created it).
    Api { error: ApiError, existed: bool },
}

/// A warning about one document, in the order kubectl prints them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The live object has no last-applied annotation (it was not created by apply): the merge had no original,
    /// and apply adds the annotation now (kubectl's `warningNoLastAppliedConfigAnnotation`).
    MissingLastApplied,
    /// A warning the API server sent with its answer (a `Warning` header), in its words.
    Server(String),
}

/// One document's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocResult {
    /// The object, when the document named one kubeplay stores.
    pub object: Option<ObjRef>,
    pub result: Result<Outcome, DocFailure>,
    pub warnings: Vec<Warning>,
    /// The object as the write stored it, before the controllers reacted: the API server's answer, which
    /// `-o yaml` prints.
    pub stored: Option<Value>,
}

impl DocResult {
    pub fn outcome(&self) -> Option<Outcome> {
        self.result.as_ref().ok().copied()
    }

    fn failed(object: Option<ObjRef>, why: DocFailure) -> DocResult {
        DocResult { object, result: Err(why), warnings: Vec::new(), stored: None }
    }
}

/// The result of applying (or creating from) a manifest.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// `kubectl create` (not apply).
    pub create: bool,
    /// Where the manifest came from (a file name, `STDIN`), for messages.
    pub source: String,
    pub results: Vec<DocResult>,
    /// Every problem, located, for the editor: the manifest's own and those only the cluster could find.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.results.iter().all(|r| r.result.is_ok())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Apply,
    Create,
    /// `kubectl create --save-config`: a create that also writes the last-applied annotation, as apply would.
    CreateSaved,
}

/// Server-owned metadata a client's object may carry (from `kubectl get -o yaml`), which the server ignores.
const SERVER_FIELDS: [&str; 7] =
    ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp"];

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

    /// [`Sim::send_manifest_in`] for `kubectl create --save-config`: each object is created with the
    /// last-applied annotation, so a later `kubectl apply` merges from it.
    pub fn create_manifest_saved(
        &mut self,
        text: &str,
        source: &str,
        namespace: &str,
        enforce: bool,
        record: Option<&str>,
    ) -> Report {
        self.send_manifest(text, source, Verb::CreateSaved, Some((namespace, enforce)), record)
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
        let mut report = Report {
            create: verb != Verb::Apply,
            source: source.to_string(),
            results: Vec::new(),
            diagnostics: m.stream.clone(),
        };
        for d in &m.stream {
            report.results.push(DocResult::failed(None, DocFailure::Stream(d.message.clone())));
        }
        for doc in &m.docs {
            report.diagnostics.extend(doc.diagnostics.iter().cloned());
            let object_ref = doc.object.as_ref().map(|o| {
                let ns = if o.kind().namespaced() { api::namespace_of(o.meta()) } else { "" };
                ObjRef::new(o.kind(), if ns.is_empty() && o.kind().namespaced() { "default" } else { ns }, o.name())
            });
            if let Some(e) = &doc.error {
                let existed = object_ref.as_ref().is_some_and(|r| self.exists(r));
                report.results.push(DocResult::failed(object_ref, DocFailure::Manifest { error: e.clone(), existed }));
                continue;
            }
            let Some(mut obj) = doc.object.clone() else { continue };
            if let (Some((ns, enforce)), true) = (namespace, obj.kind().namespaced()) {
                match obj.meta().namespace.clone().filter(|n| !n.is_empty()) {
                    Some(own) if own != ns && enforce => {
                        let why = DocFailure::NamespaceMismatch { own, given: ns.to_string() };
                        report.results.push(DocResult::failed(object_ref, why));
                        continue;
                    }
                    Some(_) => {}
                    None => obj.meta_mut().namespace = Some(ns.to_string()),
                }
            }
            if let Some(cause) = record {
                api::set_annotation(obj.meta_mut(), "kubernetes.io/change-cause", cause);
            }
            let result = crate::with_object!(obj, o => self.send(o, verb).map(|(r, out, w, stored)| (r, out, w, serde_json::to_value(stored).ok())));
            match result {
                Ok((r, outcome, warnings, stored)) => {
                    report.results.push(DocResult { object: Some(r), result: Ok(outcome), warnings, stored });
                }
                Err(e) => {
                    let existed = object_ref.as_ref().is_some_and(|r| self.exists(r));
                    for cause in e.causes() {
                        report.diagnostics.push(Diagnostic::error(doc.locate(&cause.path), cause.to_string()));
                    }
                    if e.causes().is_empty() {
                        report.diagnostics.push(Diagnostic::error(doc.span, e.message.clone()));
                    }
                    report.results.push(DocResult::failed(object_ref, DocFailure::Api { error: e, existed }));
                }
            }
        }
        crate::util::sort_by_key(&mut report.diagnostics, |d| (d.span.start, d.span.end));
        report.diagnostics.dedup();
        report
    }

    fn exists(&self, r: &ObjRef) -> bool {
        crate::with_kind!(r.kind, T => self.cluster().get::<T>(r).is_some())
    }

    /// Applies one object as `kubectl apply` does and lets the controllers react. Returns the object as stored by
    /// the write (before the controllers ran) and what apply did.
    pub fn apply_object<T: Resource>(&mut self, obj: T) -> Result<(T, Outcome), ApiError> {
        self.send(obj, Verb::Apply).map(|(_, o, _, stored)| (stored, o))
    }

    fn send<T: Resource>(&mut self, mut obj: T, verb: Verb) -> Result<(ObjRef, Outcome, Vec<Warning>, T), ApiError> {
        if T::kind().namespaced() {
            if obj.metadata().namespace.as_deref().is_none_or(str::is_empty) {
                obj.metadata_mut().namespace = Some("default".into());
            }
        } else {
            obj.metadata_mut().namespace = None;
        }
        let r = ObjRef::of(&obj);
        if r.name.is_empty() {
            return Err(ApiError::bad_request("resource name may not be empty"));
        }
        if T::kind().namespaced()
            && self.cluster().get::<api::Namespace>(&ObjRef::new(Kind::Namespace, "", &r.namespace)).is_none()
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
        // The annotation keeps the file as written, `status` included (`GetModifiedConfiguration` serializes the
        // whole object); the merge leaves status to the controllers.
        let mut annotated = modified.clone();
        set_last_applied(&mut annotated);
        let annotation = annotated["metadata"]["annotations"][LAST_APPLIED].clone();
        let set_last_applied = |modified: &mut Value| {
            let meta = modified.get_mut("metadata").and_then(Value::as_object_mut);
            if let Some(meta) = meta {
                let a = meta.entry("annotations").or_insert_with(|| Value::Object(Default::default()));
                a[LAST_APPLIED] = annotation.clone();
            }
        };
        if let Some(m) = modified.as_object_mut() {
            m.remove("status");
        }
        let current = self.cluster().get::<T>(&r).cloned();
        let mut warnings = Vec::new();
        let outcome;
        let stored;
        match (verb, current) {
            (Verb::Create | Verb::CreateSaved, Some(_)) => return Err(ApiError::already_exists(T::kind(), &r.name)),
            (Verb::Create | Verb::CreateSaved, None) => {
                if verb == Verb::CreateSaved {
                    set_last_applied(&mut modified);
                }
                let obj: T = from_json(modified)?;
                stored = self.send_create(obj)?;
                outcome = Outcome::Created;
            }
            (Verb::Apply, None) => {
                set_last_applied(&mut modified);
                let obj: T = from_json(modified)?;
                stored = self.send_create(obj)?;
                outcome = Outcome::Created;
            }
            (Verb::Apply, Some(current)) => {
                let meta = current.metadata();
                if uid.as_ref().is_some_and(|u| Some(u) != meta.uid.as_ref()) {
                    let why = format!(
                        "Precondition failed: UID in precondition: {}, UID in object meta: {}",
                        uid.unwrap_or_default(),
                        meta.uid.as_deref().unwrap_or_default()
                    );
                    return Err(ApiError::conflict_because(T::kind(), &r.name, &why));
                }
                if rv.as_ref().is_some_and(|v| Some(v) != meta.resource_version.as_ref()) {
                    return Err(ApiError::conflict(T::kind(), &r.name));
                }
                let original = match api::annotation(meta, LAST_APPLIED) {
                    // The merge leaves status alone, as the file's own status is left out of `modified`.
                    Some(text) => serde_json::from_str::<Value>(text).ok().map(|mut o| {
                        o.as_object_mut().map(|m| m.remove("status"));
                        o
                    }),
                    None => {
                        warnings.push(Warning::MissingLastApplied);
                        None
                    }
                };
                set_last_applied(&mut modified);
                let live = serde_json::to_value(&current).unwrap_or(Value::Null);
                let merged = three_way(original.as_ref(), &modified, &live);
                let mut obj: T = from_json(merged)?;
                obj.metadata_mut().resource_version = None;
                let before = self.cluster().store().resource_version();
                stored = self.send_update(obj)?;
                outcome = if self.cluster().store().resource_version() == before {
                    Outcome::Unchanged
                } else {
                    Outcome::Configured
                };
            }
        }
        if outcome != Outcome::Unchanged {
            warnings.extend(stored.warnings().iter().map(|w| Warning::Server(w.to_string())));
        }
        self.settle();
        Ok((r, outcome, warnings, std::sync::Arc::unwrap_or_clone(stored)))
    }
}

impl Sim {
    /// An update (`PUT`) through the API server, as `kubectl replace` and `kubectl patch` send one: `v` replaces the
    /// stored object of its kind and name (the stored status is kept: only the `status` subresource writes it), then
    /// the controllers react. Returns the object as the write stored it, and whether anything changed (a write that
    /// changes nothing keeps the resourceVersion).
    pub fn put_object(&mut self, kind: Kind, v: Value) -> Result<(Value, bool), ApiError> {
        fn go<T: Resource>(sim: &mut Sim, mut v: Value) -> Result<(Value, bool), ApiError> {
            let kind = T::kind();
            let name = v["metadata"]["name"].as_str().unwrap_or_default().to_string();
            let ns = v["metadata"]["namespace"].as_str().filter(|n| !n.is_empty()).unwrap_or("default").to_string();
            if kind.namespaced() {
                v["metadata"]["namespace"] = Value::String(ns.clone());
            }
            let r = ObjRef::new(kind, if kind.namespaced() { &ns } else { "" }, &name);
            let Some(current) = sim.cluster().get::<T>(&r).cloned() else {
                return Err(ApiError::not_found(kind, &name));
            };
            let live = serde_json::to_value(&current).unwrap_or(Value::Null);
            if let Some(rv) = v["metadata"]["resourceVersion"].as_str() {
                if Some(rv) != live["metadata"]["resourceVersion"].as_str() {
                    return Err(ApiError::conflict(kind, &name));
                }
            }
            match live.get("status") {
                Some(s) => v["status"] = s.clone(),
                None => {
                    v.as_object_mut().map(|o| o.remove("status"));
                }
            }
            // Empty label and annotation maps do not survive storage (omitempty).
            for field in ["labels", "annotations"] {
                if let Some(m) = v["metadata"].as_object_mut() {
                    if m.get(field).is_some_and(|x| x.is_null() || x.as_object().is_some_and(|o| o.is_empty())) {
                        m.remove(field);
                    }
                }
            }
            // The request body's decoding, in the API server's words.
            let version = kind.api_version().rsplit('/').next().unwrap_or_default();
            let mut obj: T = crate::manifest::decode::from_json(&v).map_err(|e| {
                ApiError::bad_request(format!(
                    "{} in version {version:?} cannot be handled as a {}: {e}",
                    kind.name(),
                    kind.name()
                ))
            })?;
            obj.metadata_mut().resource_version = None;
            let before = sim.cluster().store().resource_version();
            let stored = sim.send_update(obj)?;
            let changed = sim.cluster().store().resource_version() != before;
            let body = serde_json::to_value(&*stored).unwrap_or(Value::Null);
            sim.settle();
            Ok((body, changed))
        }
        crate::with_kind!(kind, T => go::<T>(self, v))
    }
}

fn from_json<T: Resource>(v: Value) -> Result<T, ApiError> {
    crate::manifest::decode::from_json(&v).map_err(ApiError::bad_request)
}

/// kubectl's `GetModifiedConfiguration`: the object without the annotation, serialized (with an `annotations` map,
/// empty if need be), becomes the annotation's value.
pub fn set_last_applied(modified: &mut Value) {
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
