//! The simulated API server's storage: one table per kind, keyed by (namespace, name), with the bookkeeping the
//! API server does on every write — uid, resourceVersion, generation (spec changes only), creationTimestamp,
//! generateName — an index from owner uid to dependents (for the garbage collector and controllers), and the watch
//! log of every change, which controllers and the UI consume.

use crate::api::validation::FieldError;
use crate::api::{self, ObjectMeta, Typed};
use crate::api::{
    ConfigMap, Deployment, EndpointSlice, Endpoints, Event, Namespace, Node, Pod, ReplicaSet, Secret, Service,
};
use crate::cluster::clock::Millis;
use crate::cluster::rng::Rng;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

pub use crate::api::kind::Kind;
pub use crate::api::status::{ApiError, Reason};

/// Runs `$body` with the type name `$T` standing for the stored type of the kind `$kind`, so code that works on any
/// [`Resource`] can be called for a kind known only at run time.
#[macro_export]
macro_rules! with_kind {
    ($kind:expr, $T:ident => $body:expr) => {{
        use $crate::api::Kind as K;
        match $kind {
            K::Namespace => {
                type $T = $crate::api::Namespace;
                $body
            }
            K::Node => {
                type $T = $crate::api::Node;
                $body
            }
            K::Deployment => {
                type $T = $crate::api::Deployment;
                $body
            }
            K::ReplicaSet => {
                type $T = $crate::api::ReplicaSet;
                $body
            }
            K::Pod => {
                type $T = $crate::api::Pod;
                $body
            }
            K::Service => {
                type $T = $crate::api::Service;
                $body
            }
            K::Endpoints => {
                type $T = $crate::api::Endpoints;
                $body
            }
            K::EndpointSlice => {
                type $T = $crate::api::EndpointSlice;
                $body
            }
            K::ConfigMap => {
                type $T = $crate::api::ConfigMap;
                $body
            }
            K::Secret => {
                type $T = $crate::api::Secret;
                $body
            }
            K::Event => {
                type $T = $crate::api::Event;
                $body
            }
        }
    }};
}

/// A reference to a stored object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjRef {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjRef {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> ObjRef {
        ObjRef { kind, namespace: namespace.to_string(), name: name.to_string() }
    }

    pub fn of<T: Resource>(obj: &T) -> ObjRef {
        let meta = obj.metadata();
        ObjRef::new(T::kind(), api::namespace_of(meta), api::name_of(meta))
    }
}

impl std::fmt::Display for ObjRef {
    /// `deployment/web`, as kubectl names objects.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.kind.name().to_ascii_lowercase(), self.name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Modified,
    Deleted,
}

/// One entry of the watch log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchEvent {
    pub resource_version: u64,
    pub at: Millis,
    pub change: Change,
    pub object: ObjRef,
    pub uid: String,
    /// The uid of the object's controlling owner at the time of the change (after it, for additions/updates).
    pub controller_uid: Option<String>,
    /// The object as this change left it (as it was, for deletions), kept only while a watcher asks for objects
    /// (`Cluster::keep_watch_snapshots`): a watch prints each change with the object's state at that change.
    pub snapshot: Option<serde_json::Value>,
}

/// One kind's objects by namespace, then name (the order `kubectl get` lists them in). Objects are shared, not
/// copied: a clone of the store (a snapshot for rewind, a benchmark's starting point) copies pointers, and a lookup
/// borrows its key instead of building one.
#[derive(Debug)]
pub struct Table<T> {
    by_namespace: BTreeMap<String, BTreeMap<String, Arc<T>>>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table { by_namespace: BTreeMap::new() }
    }
}

impl<T> Clone for Table<T> {
    fn clone(&self) -> Self {
        Table { by_namespace: self.by_namespace.clone() }
    }
}

impl<T> Table<T> {
    fn get(&self, namespace: &str, name: &str) -> Option<&T> {
        self.shared(namespace, name).map(|o| &**o)
    }

    fn shared(&self, namespace: &str, name: &str) -> Option<&Arc<T>> {
        self.by_namespace.get(namespace)?.get(name)
    }

    fn contains(&self, namespace: &str, name: &str) -> bool {
        self.by_namespace.get(namespace).is_some_and(|t| t.contains_key(name))
    }

    fn insert(&mut self, namespace: &str, name: &str, obj: Arc<T>) {
        let names = match self.by_namespace.get_mut(namespace) {
            Some(names) => names,
            None => self.by_namespace.entry(namespace.to_string()).or_default(),
        };
        match names.get_mut(name) {
            Some(slot) => *slot = obj,
            None => {
                names.insert(name.to_string(), obj);
            }
        }
    }

    fn remove(&mut self, namespace: &str, name: &str) -> Option<Arc<T>> {
        let names = self.by_namespace.get_mut(namespace)?;
        let obj = names.remove(name)?;
        if names.is_empty() {
            self.by_namespace.remove(namespace);
        }
        Some(obj)
    }

    /// Every object, in (namespace, name) order.
    fn values(&self) -> impl Iterator<Item = &T> {
        self.by_namespace.values().flat_map(|names| names.values().map(|o| &**o))
    }

    /// One namespace's objects, in name order.
    fn in_namespace(&self, namespace: &str) -> impl Iterator<Item = &T> {
        self.by_namespace.get(namespace).into_iter().flat_map(|names| names.values().map(|o| &**o))
    }

    fn len(&self) -> usize {
        self.by_namespace.values().map(BTreeMap::len).sum()
    }
}

/// Every kind's table.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    namespaces: Table<Namespace>,
    nodes: Table<Node>,
    deployments: Table<Deployment>,
    replicasets: Table<ReplicaSet>,
    pods: Table<Pod>,
    services: Table<Service>,
    endpoints: Table<Endpoints>,
    endpointslices: Table<EndpointSlice>,
    configmaps: Table<ConfigMap>,
    secrets: Table<Secret>,
    events: Table<Event>,
}

/// A kind the store holds: the API's view of the kind ([`Typed`]) and the store's bookkeeping for it.
pub trait Resource: Typed {
    fn table(t: &Tables) -> &Table<Self>;
    fn table_mut(t: &mut Tables) -> &mut Table<Self>;
    /// Whether `metadata.generation` tracks spec changes for this kind.
    const HAS_GENERATION: bool = false;
    /// Whether the spec differs (for the generation bump).
    fn spec_differs(_old: &Self, _new: &Self) -> bool {
        false
    }
    /// What the API server allocates for a new object (a Service's ClusterIP and node ports).
    fn allocate(&mut self, _tables: &Tables, _rng: &mut Rng) -> Vec<FieldError> {
        Vec::new()
    }
    /// What an update carries over from the stored object, and allocates anew.
    fn reallocate(&mut self, _old: &Self, _tables: &Tables, _rng: &mut Rng) -> Vec<FieldError> {
        Vec::new()
    }
}

macro_rules! resource {
    ($ty:ty, $field:ident) => {
        resource!($ty, $field, false, |_a: &$ty, _b: &$ty| false);
    };
    ($ty:ty, $field:ident, $generation:expr, $differs:expr) => {
        impl Resource for $ty {
            const HAS_GENERATION: bool = $generation;
            fn table(t: &Tables) -> &Table<Self> {
                &t.$field
            }
            fn table_mut(t: &mut Tables) -> &mut Table<Self> {
                &mut t.$field
            }
            fn spec_differs(old: &Self, new: &Self) -> bool {
                ($differs)(old, new)
            }
            fn allocate(&mut self, tables: &Tables, rng: &mut Rng) -> Vec<FieldError> {
                Allocate::allocate_new(self, tables, rng)
            }
            fn reallocate(&mut self, old: &Self, tables: &Tables, rng: &mut Rng) -> Vec<FieldError> {
                Allocate::allocate_again(self, old, tables, rng)
            }
        }
    };
}

/// Per-kind allocation on writes; only Services allocate anything.
trait Allocate {
    fn allocate_new(&mut self, _tables: &Tables, _rng: &mut Rng) -> Vec<FieldError> {
        Vec::new()
    }
    fn allocate_again(&mut self, _old: &Self, _tables: &Tables, _rng: &mut Rng) -> Vec<FieldError> {
        Vec::new()
    }
}

impl Allocate for Namespace {}
impl Allocate for Node {}
impl Allocate for Deployment {}
impl Allocate for ReplicaSet {}
impl Allocate for EndpointSlice {}
impl Allocate for Endpoints {}
impl Allocate for ConfigMap {}
impl Allocate for Secret {}
impl Allocate for Event {}

resource!(Namespace, namespaces, false, |_a: &Namespace, _b: &Namespace| false);
resource!(Node, nodes);
resource!(Deployment, deployments, true, |a: &Deployment, b: &Deployment| a.spec != b.spec);
resource!(ReplicaSet, replicasets, true, |a: &ReplicaSet, b: &ReplicaSet| a.spec != b.spec);

/// Validation runs before anything is stored, so controllers never see an invalid object.
fn checked<T: Resource>(obj: &T, old: Option<&T>) -> Result<(), ApiError> {
    let errs = obj.validate(old);
    if errs.is_empty() {
        return Ok(());
    }
    Err(ApiError::invalid(T::kind(), api::name_of(obj.metadata()), errs))
}
resource!(Pod, pods, false, |_a: &Pod, _b: &Pod| false);
resource!(Service, services, false, |_a: &Service, _b: &Service| false);

/// New pods pass the API server's mutating admission (service account, default tolerations, priority).
impl Allocate for Pod {
    fn allocate_new(&mut self, _tables: &Tables, rng: &mut Rng) -> Vec<FieldError> {
        crate::cluster::admission::pod(self, rng);
        Vec::new()
    }
}

impl Allocate for Service {
    fn allocate_new(&mut self, tables: &Tables, rng: &mut Rng) -> Vec<FieldError> {
        let taken = crate::cluster::services::Taken::of(tables.services.values());
        crate::cluster::services::allocate(self, &taken, rng)
    }
    fn allocate_again(&mut self, old: &Self, tables: &Tables, rng: &mut Rng) -> Vec<FieldError> {
        crate::cluster::services::carry_over(self, old);
        let others = tables.services.values().filter(|s| s.metadata.uid != old.metadata.uid);
        let taken = crate::cluster::services::Taken::of(others);
        crate::cluster::services::allocate_on_update(self, &taken, rng)
    }
}
resource!(EndpointSlice, endpointslices);
resource!(Endpoints, endpoints);
resource!(ConfigMap, configmaps);
resource!(Secret, secrets, false, |_a: &Secret, _b: &Secret| false);
resource!(Event, events);

/// Longest base kept from a `generateName` before the 5 random characters (63 − 5).
const MAX_GENERATED_BASE: usize = 58;

#[derive(Debug, Clone, Default)]
pub struct Store {
    tables: Tables,
    resource_version: u64,
    /// The watch log's entries not yet compacted away; `watch[0]` is at position `watch_start`.
    watch: VecDeque<WatchEvent>,
    watch_start: usize,
    /// owner uid → dependents (any ownerReference, controller or not).
    dependents: HashMap<String, BTreeSet<ObjRef>>,
    /// uid → object.
    by_uid: HashMap<String, ObjRef>,
    /// Pods without a controller (orphans a ReplicaSet may adopt), so adoption need not list every pod.
    uncontrolled: BTreeSet<ObjRef>,
    /// Whether watch events carry a copy of the object (costly; off unless someone watches objects). It is on
    /// exactly while a `kubectl get -w` reads the log, so it also keeps the log from being compacted under it.
    snapshots: bool,
}

fn owner_uids(meta: &ObjectMeta) -> Vec<String> {
    meta.owner_references.iter().flatten().map(|r| r.uid.clone()).collect()
}

impl Store {
    pub fn get<T: Resource>(&self, namespace: &str, name: &str) -> Option<&T> {
        T::table(&self.tables).get(namespace, name)
    }

    pub fn get_ref<T: Resource>(&self, r: &ObjRef) -> Option<&T> {
        self.get(&r.namespace, &r.name)
    }

    /// The stored object itself, shared: for a reader that must keep it while the store changes (a controller that
    /// reads a pod and then writes events and other objects). Costs a reference count, not a copy.
    pub fn shared<T: Resource>(&self, r: &ObjRef) -> Option<Arc<T>> {
        T::table(&self.tables).shared(&r.namespace, &r.name).cloned()
    }

    /// Objects of a kind, in (namespace, name) order; `Some(ns)` limits them to one namespace.
    pub fn list<'a, T: Resource>(&'a self, namespace: Option<&str>) -> Box<dyn Iterator<Item = &'a T> + 'a> {
        let table = T::table(&self.tables);
        match namespace {
            None => Box::new(table.values()),
            Some(ns) => Box::new(table.in_namespace(ns)),
        }
    }

    pub fn count<T: Resource>(&self) -> usize {
        T::table(&self.tables).len()
    }

    pub fn by_uid(&self, uid: &str) -> Option<&ObjRef> {
        self.by_uid.get(uid)
    }

    /// Objects that name `uid` in their ownerReferences.
    pub fn dependents_of(&self, uid: &str) -> impl Iterator<Item = &ObjRef> {
        self.dependents.get(uid).into_iter().flatten()
    }

    /// Every stored object as JSON, kind by kind in key order: two stores with equal dumps are equal.
    pub fn dump(&self) -> String {
        fn table<T: Resource>(out: &mut String, t: &Tables) {
            for obj in T::table(t).values() {
                out.push_str(&serde_json::to_string(obj).unwrap_or_default());
                out.push('\n');
            }
        }
        let mut out = format!("resourceVersion {}\n", self.resource_version);
        table::<Namespace>(&mut out, &self.tables);
        table::<Node>(&mut out, &self.tables);
        table::<Deployment>(&mut out, &self.tables);
        table::<ReplicaSet>(&mut out, &self.tables);
        table::<Pod>(&mut out, &self.tables);
        table::<Service>(&mut out, &self.tables);
        table::<Endpoints>(&mut out, &self.tables);
        table::<EndpointSlice>(&mut out, &self.tables);
        table::<ConfigMap>(&mut out, &self.tables);
        table::<Secret>(&mut out, &self.tables);
        table::<Event>(&mut out, &self.tables);
        out
    }

    /// The pods of `namespace` without a controller, in name order (as `list` would find them).
    pub fn uncontrolled_pods<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Pod> + 'a {
        self.uncontrolled.iter().filter(move |r| r.namespace == namespace).filter_map(|r| self.get_ref::<Pod>(r))
    }

    /// Objects of kind `T` whose *controlling* owner (`controller: true`) has uid `owner_uid`.
    pub fn controlled_by<'a, T: Resource + 'a>(&'a self, owner_uid: &'a str) -> impl Iterator<Item = &'a T> + 'a {
        self.dependents_of(owner_uid)
            .filter(|r| r.kind == T::kind())
            .filter_map(|r| self.get_ref::<T>(r))
            .filter(move |o| api::controller_of(o.metadata()).is_some_and(|c| c.uid == owner_uid))
    }

    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// The watch log from position `from` on (positions count every change since the store began; entries before
    /// [`Store::watch_start`] have been compacted away).
    pub fn watch_since(&self, from: usize) -> impl Iterator<Item = &WatchEvent> {
        self.watch.range(from.saturating_sub(self.watch_start).min(self.watch.len())..)
    }

    /// The position the next change will have.
    pub fn watch_len(&self) -> usize {
        self.watch_start + self.watch.len()
    }

    /// The first position still in the log.
    pub fn watch_start(&self) -> usize {
        self.watch_start
    }

    /// The changes from position `from` to the end, for the one reader that routes every change (the simulation,
    /// after each round). The log is then compacted to its end, so a long run's log stays as small as one round's
    /// changes, and the changes are moved out, not copied. Nothing is forgotten while a watch reads the log.
    pub(super) fn take_watch_since(&mut self, from: usize) -> Vec<WatchEvent> {
        if self.snapshots {
            return self.watch_since(from).cloned().collect();
        }
        let end = self.watch_len();
        let skip = from.saturating_sub(self.watch_start).min(self.watch.len());
        let taken = self.watch.drain(..).skip(skip).collect();
        self.watch_start = end;
        taken
    }

    fn next_rv(&mut self) -> u64 {
        self.resource_version += 1;
        self.resource_version
    }

    /// Forgets the log before position `to` (a reader outside the simulation has copied it; see
    /// `Sim::changes_since`). Positions already routed are all that may be forgotten, so the caller passes the lesser of
    /// its own position and the simulation's.
    pub(super) fn compact_watch_to(&mut self, to: usize) {
        let n = to.saturating_sub(self.watch_start).min(self.watch.len());
        self.watch.drain(..n);
        self.watch_start += n;
    }

    pub(super) fn snapshots(&self) -> bool {
        self.snapshots
    }

    /// Makes watch events carry a copy of the object (`kubectl get -w` turns it on while it watches).
    pub(super) fn set_snapshots(&mut self, on: bool) {
        self.snapshots = on;
    }

    fn log<T: Resource>(&mut self, at: Millis, change: Change, object: ObjRef, obj: &T) {
        let meta = obj.metadata();
        let resource_version = self.resource_version;
        let uid = meta.uid.clone().unwrap_or_default();
        let controller_uid = api::controller_of(meta).map(|r| r.uid.clone());
        let snapshot = if self.snapshots { serde_json::to_value(obj).ok() } else { None };
        self.watch.push_back(WatchEvent { resource_version, at, change, object, uid, controller_uid, snapshot });
    }

    fn index(&mut self, r: &ObjRef, old: Option<&ObjectMeta>, new: Option<&ObjectMeta>) {
        self.index_owners(r, old.map(owner_uids).unwrap_or_default(), new.map(owner_uids).unwrap_or_default());
        if let Some(uid) = old.and_then(|m| m.uid.clone()) {
            self.by_uid.remove(&uid);
        }
        if let Some(uid) = new.and_then(|m| m.uid.clone()) {
            self.by_uid.insert(uid, r.clone());
        }
        self.track_uncontrolled(r, new);
    }

    fn track_uncontrolled(&mut self, r: &ObjRef, meta: Option<&ObjectMeta>) {
        if r.kind != Kind::Pod {
            return;
        }
        if meta.is_some_and(|m| api::controller_of(m).is_none()) {
            self.uncontrolled.insert(r.clone());
        } else {
            self.uncontrolled.remove(r);
        }
    }

    /// Moves `r` in the dependents index from the owners `old` to the owners `new`.
    fn index_owners(&mut self, r: &ObjRef, old: Vec<String>, new: Vec<String>) {
        for uid in old {
            if let Some(set) = self.dependents.get_mut(&uid) {
                set.remove(r);
                if set.is_empty() {
                    self.dependents.remove(&uid);
                }
            }
        }
        for uid in new {
            self.dependents.entry(uid).or_default().insert(r.clone());
        }
    }

    /// Creates `obj` as the API server does: defaults, `generateName`, uid, resourceVersion, generation 1,
    /// creationTimestamp. Fails with `AlreadyExists` when the name is taken.
    pub(super) fn create<T: Resource>(&mut self, mut obj: T, now: Millis, rng: &mut Rng) -> Result<Arc<T>, ApiError> {
        obj.apply_defaults();
        let meta = obj.metadata_mut();
        if meta.name.as_deref().unwrap_or("").is_empty() {
            let Some(base) = meta.generate_name.clone().filter(|g| !g.is_empty()) else {
                let required = FieldError::required("metadata.name", "name or generateName is required");
                return Err(ApiError::invalid(T::kind(), "", vec![required]));
            };
            let base: String = base.chars().take(MAX_GENERATED_BASE).collect();
            // The API server retries a taken generated name; so does kubeplay (bounded).
            let mut name = String::new();
            for _ in 0..16 {
                name = format!("{base}{}", rng.name_suffix(5));
                if !T::table(&self.tables).contains(meta.namespace.as_deref().unwrap_or(""), &name) {
                    break;
                }
            }
            obj.metadata_mut().name = Some(name);
        }
        if !T::kind().namespaced() {
            obj.metadata_mut().namespace = None;
        }
        let r = ObjRef::of(&obj);
        if T::table(&self.tables).contains(&r.namespace, &r.name) {
            return Err(ApiError::already_exists(T::kind(), &r.name));
        }
        checked(&obj, None)?;
        let errs = obj.allocate(&self.tables, rng);
        if !errs.is_empty() {
            return Err(ApiError::invalid(T::kind(), &r.name, errs));
        }
        let rv = self.next_rv();
        let meta = obj.metadata_mut();
        meta.uid = Some(uuid(rng));
        meta.resource_version = Some(rv.to_string());
        meta.creation_timestamp = Some(api::time::time_at(now));
        meta.deletion_timestamp = None;
        meta.generation = if T::HAS_GENERATION { Some(1) } else { None };
        self.index(&r, None, Some(obj.metadata()));
        self.log(now, Change::Added, r.clone(), &obj);
        let obj = Arc::new(obj);
        T::table_mut(&mut self.tables).insert(&r.namespace, &r.name, obj.clone());
        Ok(obj)
    }

    /// Replaces a stored object. Keeps what the server owns (uid, creationTimestamp), bumps resourceVersion, and bumps
    /// generation when the spec changed. A stale `resourceVersion` is a `Conflict`. An update that changes nothing
    /// is not written (no new resourceVersion, no watch event), as the API server does.
    pub(super) fn update<T: Resource>(&mut self, mut obj: T, now: Millis, rng: &mut Rng) -> Result<Arc<T>, ApiError> {
        obj.apply_defaults();
        let r = ObjRef::of(&obj);
        let Some(stored) = T::table(&self.tables).shared(&r.namespace, &r.name) else {
            return Err(ApiError::not_found(T::kind(), &r.name));
        };
        let old: &T = stored;
        let old_meta = old.metadata();
        if let Some(rv) = obj.metadata().resource_version.as_deref() {
            if Some(rv) != old_meta.resource_version.as_deref() {
                return Err(ApiError::conflict(T::kind(), &r.name));
            }
        }
        let meta = obj.metadata_mut();
        meta.uid = old_meta.uid.clone();
        meta.creation_timestamp = old_meta.creation_timestamp.clone();
        meta.resource_version = old_meta.resource_version.clone();
        meta.generation = old_meta.generation;
        if old_meta.deletion_timestamp.is_some() {
            meta.deletion_timestamp = old_meta.deletion_timestamp.clone();
            meta.deletion_grace_period_seconds = old_meta.deletion_grace_period_seconds;
        }
        let errs = obj.reallocate(old, &self.tables, rng);
        if obj == *old {
            return Ok(stored.clone());
        }
        checked(&obj, Some(old))?;
        if !errs.is_empty() {
            return Err(ApiError::invalid(T::kind(), &r.name, errs));
        }
        if T::HAS_GENERATION && T::spec_differs(old, &obj) {
            obj.metadata_mut().generation = Some(old.metadata().generation.unwrap_or(0) + 1);
        }
        // The uid never changes on update, so only new owners move the object in the dependents index.
        let old_owners =
            (old.metadata().owner_references != obj.metadata().owner_references).then(|| owner_uids(old.metadata()));
        let rv = self.next_rv();
        obj.metadata_mut().resource_version = Some(rv.to_string());
        if let Some(old_owners) = old_owners {
            self.index_owners(&r, old_owners, owner_uids(obj.metadata()));
            self.track_uncontrolled(&r, Some(obj.metadata()));
        }
        self.log(now, Change::Modified, r.clone(), &obj);
        let obj = Arc::new(obj);
        T::table_mut(&mut self.tables).insert(&r.namespace, &r.name, obj.clone());
        Ok(obj)
    }

    /// Marks an object as being deleted (graceful deletion): sets deletionTimestamp and the grace period.
    pub(super) fn mark_deleting<T: Resource>(
        &mut self,
        r: &ObjRef,
        grace_seconds: i64,
        now: Millis,
    ) -> Result<Arc<T>, ApiError> {
        let stored = self.shared::<T>(r).ok_or_else(|| ApiError::not_found(T::kind(), &r.name))?;
        if stored.metadata().deletion_timestamp.is_some() {
            return Ok(stored);
        }
        let mut obj = Arc::unwrap_or_clone(stored);
        let meta = obj.metadata_mut();
        let at = now.saturating_add(u64::try_from(grace_seconds).unwrap_or(0).saturating_mul(1000));
        meta.deletion_timestamp = Some(api::time::time_at(at));
        meta.deletion_grace_period_seconds = Some(grace_seconds);
        let rv = self.next_rv();
        meta.resource_version = Some(rv.to_string());
        self.log(now, Change::Modified, r.clone(), &obj);
        let obj = Arc::new(obj);
        T::table_mut(&mut self.tables).insert(&r.namespace, &r.name, obj.clone());
        Ok(obj)
    }

    /// Removes an object for good.
    pub(super) fn remove<T: Resource>(&mut self, r: &ObjRef, now: Millis) -> Result<T, ApiError> {
        let obj = T::table_mut(&mut self.tables)
            .remove(&r.namespace, &r.name)
            .map(Arc::unwrap_or_clone)
            .ok_or_else(|| ApiError::not_found(T::kind(), &r.name))?;
        self.next_rv();
        self.index(r, Some(obj.metadata()), None);
        self.log(now, Change::Deleted, r.clone(), &obj);
        Ok(obj)
    }
}

/// A random (version 4) UUID from the simulation's generator, as the API server assigns uids.
pub fn uuid(rng: &mut Rng) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let (a, b) = (rng.next_u64(), rng.next_u64());
    // The 32 hex digits of a then b, with version 4 (digit 12) and the RFC 4122 variant (digit 16), grouped 8-4-4-4-12.
    let variant = [8u8, 9, 10, 11][(b >> 60) as usize % 4];
    let mut s = String::with_capacity(36);
    for i in 0..32 {
        let word = if i < 16 { a } else { b };
        let digit = match i {
            12 => 4,
            16 => variant,
            _ => ((word >> (60 - 4 * (i % 16))) & 0xf) as u8,
        };
        if matches!(i, 8 | 12 | 16 | 20) {
            s.push('-');
        }
        s.push(HEX[digit as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::PodSpec;

    fn pod_spec() -> PodSpec {
        PodSpec {
            containers: vec![api::Container { name: "c".into(), image: Some("nginx".into()), ..Default::default() }],
            ..Default::default()
        }
    }

    fn pod(name: &str) -> Pod {
        Pod {
            metadata: ObjectMeta { name: Some(name.into()), namespace: Some("default".into()), ..Default::default() },
            spec: Some(pod_spec()),
            status: None,
        }
    }

    #[test]
    fn the_watch_log_is_compacted_up_to_what_was_read_but_never_under_a_watch() {
        let (mut store, mut rng) = (Store::default(), Rng::new(1));
        for name in ["a", "b", "c"] {
            store.create(pod(name), 0, &mut rng).unwrap();
        }
        let names = |events: Vec<WatchEvent>| events.into_iter().map(|e| e.object.name).collect::<Vec<_>>();
        assert_eq!(names(store.take_watch_since(1)), ["b", "c"], "positions are absolute");
        assert_eq!((store.watch_start(), store.watch_len(), store.watch_since(0).count()), (3, 3, 0));
        store.set_snapshots(true);
        store.create(pod("d"), 0, &mut rng).unwrap();
        assert_eq!(names(store.take_watch_since(3)), ["d"]);
        assert_eq!((store.watch_start(), store.watch_len()), (3, 4), "a watch is reading: nothing is forgotten");
        store.set_snapshots(false);
        store.create(pod("e"), 0, &mut rng).unwrap();
        assert_eq!(names(store.take_watch_since(4)), ["e"]);
        assert_eq!((store.watch_start(), store.watch_len(), store.watch_since(0).count()), (5, 5, 0));
    }

    #[test]
    fn create_assigns_server_fields_and_refuses_duplicates() {
        let (mut store, mut rng) = (Store::default(), Rng::new(1));
        let p = store.create(pod("a"), 1_500, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        assert_eq!(p.metadata.resource_version.as_deref(), Some("1"));
        assert_eq!(p.metadata.uid.as_ref().unwrap().len(), 36);
        assert_eq!(p.metadata.creation_timestamp.as_ref().unwrap().0.to_string(), "2026-01-01T00:00:01Z");
        // Defaults were applied.
        assert_eq!(p.spec.unwrap().termination_grace_period_seconds, Some(30));
        let err = store.create(pod("a"), 0, &mut rng).unwrap_err();
        assert_eq!(err.message, "pods \"a\" already exists");
        assert_eq!(store.watch_len(), 1);
    }

    #[test]
    fn generate_name_appends_five_characters_of_the_kubernetes_alphabet() {
        let (mut store, mut rng) = (Store::default(), Rng::new(1));
        let mut p = pod("");
        p.metadata.name = None;
        p.metadata.generate_name = Some(format!("{}-", "x".repeat(70)));
        let created = store.create(p, 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        let name = created.metadata.name.unwrap();
        assert_eq!(name.len(), 63);
        assert!(name[58..].bytes().all(|b| crate::cluster::rng::NAME_ALPHABET.contains(&b)));
    }

    #[test]
    fn generation_bumps_on_spec_changes_only_and_noop_updates_are_not_written() {
        let (mut store, mut rng) = (Store::default(), Rng::new(1));
        let labels: std::collections::BTreeMap<String, String> = [("app".to_string(), "d".to_string())].into();
        let d = Deployment {
            metadata: ObjectMeta { name: Some("d".into()), namespace: Some("default".into()), ..Default::default() },
            spec: Some(k8s_openapi::api::apps::v1::DeploymentSpec {
                selector: api::LabelSelector { match_labels: Some(labels.clone()), ..Default::default() },
                template: api::PodTemplateSpec {
                    metadata: Some(ObjectMeta { labels: Some(labels), ..Default::default() }),
                    spec: Some(pod_spec()),
                },
                ..Default::default()
            }),
            status: None,
        };
        let mut d = store.create(d, 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        assert_eq!(d.metadata.generation, Some(1));
        d.metadata.labels = Some([("a".to_string(), "b".to_string())].into());
        let mut d = store.update(d, 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        assert_eq!(d.metadata.generation, Some(1));
        d.spec.as_mut().unwrap().replicas = Some(5);
        let d = store.update(d, 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        assert_eq!(d.metadata.generation, Some(2));
        let mut bad = d.clone();
        bad.spec.as_mut().unwrap().replicas = Some(-1);
        assert_eq!(
            store.update(bad, 0, &mut rng).unwrap_err().message,
            "Deployment.apps \"d\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
        let rv = store.resource_version();
        let same = store.update(d, 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        assert_eq!(store.resource_version(), rv);
        assert_eq!(same.metadata.generation, Some(2));
    }

    #[test]
    fn a_stale_resource_version_is_a_conflict() {
        let (mut store, mut rng) = (Store::default(), Rng::new(1));
        let p = store.create(pod("a"), 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        let mut newer = p.clone();
        newer.metadata.labels = Some([("x".to_string(), "1".to_string())].into());
        store.update(newer, 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        let mut stale = p;
        stale.metadata.labels = Some([("x".to_string(), "2".to_string())].into());
        assert_eq!(store.update(stale, 0, &mut rng).unwrap_err().reason, Reason::Conflict);
    }

    #[test]
    fn the_owner_index_follows_owner_references() {
        let (mut store, mut rng) = (Store::default(), Rng::new(1));
        let mut p = pod("a");
        p.metadata.owner_references =
            Some(vec![api::OwnerReference { uid: "owner-1".into(), controller: Some(true), ..Default::default() }]);
        let p = store.create(p, 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        assert_eq!(store.dependents_of("owner-1").count(), 1);
        let mut orphan = p;
        orphan.metadata.owner_references = None;
        store.update(orphan, 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        assert_eq!(store.dependents_of("owner-1").count(), 0);
        store.remove::<Pod>(&ObjRef::new(Kind::Pod, "default", "a"), 0).unwrap();
        assert_eq!(store.count::<Pod>(), 0);
        assert_eq!(
            store.watch_since(0).map(|e| e.change).collect::<Vec<_>>(),
            [Change::Added, Change::Modified, Change::Deleted]
        );
    }

    #[test]
    fn listing_by_namespace_sees_only_that_namespace() {
        let (mut store, mut rng) = (Store::default(), Rng::new(1));
        store.create(pod("a"), 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        let mut other = pod("b");
        other.metadata.namespace = Some("kube-system".into());
        store.create(other, 0, &mut rng).map(Arc::unwrap_or_clone).unwrap();
        assert_eq!(store.list::<Pod>(Some("default")).count(), 1);
        assert_eq!(store.list::<Pod>(Some("kube")).count(), 0);
        assert_eq!(store.list::<Pod>(None).count(), 2);
    }

    /// The orphan index follows creation, adoption, release and deletion, and agrees with a scan of every pod.
    #[test]
    fn uncontrolled_pods_follow_owner_changes() {
        let mut store = Store::default();
        let mut rng = Rng::new(1);
        let names = |s: &Store| {
            s.uncontrolled_pods("default").map(|p| api::name_of(&p.metadata).to_string()).collect::<Vec<_>>()
        };
        let scan = |s: &Store| {
            s.list::<Pod>(Some("default"))
                .filter(|p| api::controller_of(&p.metadata).is_none())
                .map(|p| api::name_of(&p.metadata).to_string())
                .collect::<Vec<_>>()
        };
        store.create(pod("b"), 0, &mut rng).unwrap();
        store.create(pod("a"), 0, &mut rng).unwrap();
        let owner = ObjectMeta { name: Some("rs".into()), uid: Some("u-rs".into()), ..Default::default() };
        let mut owned = pod("c");
        owned.metadata.owner_references = Some(vec![api::controller_ref("apps/v1", "ReplicaSet", &owner)]);
        store.create(owned, 0, &mut rng).unwrap();
        assert_eq!(names(&store), ["a", "b"]);
        // Adopted: a gains a controller.
        let mut a = store.get::<Pod>("default", "a").unwrap().clone();
        a.metadata.owner_references = Some(vec![api::controller_ref("apps/v1", "ReplicaSet", &owner)]);
        store.update(a, 1, &mut rng).unwrap();
        assert_eq!(names(&store), ["b"]);
        // Released: c loses its controller.
        let mut c = store.get::<Pod>("default", "c").unwrap().clone();
        c.metadata.owner_references = None;
        store.update(c, 2, &mut rng).unwrap();
        assert_eq!(names(&store), ["b", "c"]);
        assert_eq!(names(&store), scan(&store));
        store.remove::<Pod>(&ObjRef::new(Kind::Pod, "default", "b"), 3).unwrap();
        assert_eq!(names(&store), ["c"]);
        assert_eq!(names(&store), scan(&store));
    }

    #[test]
    fn uuids_are_version_4() {
        let u = uuid(&mut Rng::new(9));
        assert_eq!(&u[14..15], "4");
        assert!("89ab".contains(&u[19..20]));
    }

    /// The digits are the generator's two words in order, as `{a:016x}{b:016x}` with the version and variant
    /// digits set (so every seed's names and uids stay as they were).
    #[test]
    fn uuids_spell_the_generators_words() {
        let mut rng = Rng::new(9);
        let (a, b) = (rng.next_u64(), rng.next_u64());
        let mut hex: Vec<char> = format!("{a:016x}{b:016x}").chars().collect();
        hex[12] = '4';
        hex[16] = ['8', '9', 'a', 'b'][(b >> 60) as usize % 4];
        let hex: String = hex.into_iter().collect();
        let want = format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]);
        assert_eq!(uuid(&mut Rng::new(9)), want);
    }
}
