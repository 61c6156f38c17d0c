//! The simulated cluster's state, shared by every controller: the API store, the virtual clock and its timers, the
//! one seeded random generator, the cluster settings, the event recorder and the decision log.
//!
//! **Invariant:** nothing in the simulator reads the wall clock or an operating-system random source. Time is read
//! only from [`clock::Clock`]; randomness only from [`rng::Rng`]. The same inputs and seed therefore give the same
//! run, byte for byte, which the tests, share links and rewind depend on.

pub mod admission;
pub mod bootstrap;
pub mod clock;
pub mod events;
pub mod history;
pub mod images;
pub mod rng;
pub mod services;
pub mod settings;
pub mod store;
pub mod why;

use clock::{Clock, Millis};
use rng::Rng;
pub use settings::{Settings, Timings};
use std::sync::Arc;
use store::{ApiError, ObjRef, Resource, Store};

/// Which controller a timer wakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Controller {
    Deployment,
    ReplicaSet,
    Scheduler,
    Kubelet,
    GarbageCollector,
    EndpointSlice,
    Endpoints,
    ServiceLb,
}

impl Controller {
    /// The name the decision log and events use.
    pub fn component(self) -> &'static str {
        match self {
            Controller::Deployment => "deployment-controller",
            Controller::ReplicaSet => "replicaset-controller",
            Controller::Scheduler => "default-scheduler",
            Controller::Kubelet => "kubelet",
            Controller::GarbageCollector => "garbage-collector",
            Controller::EndpointSlice => "endpointslice-controller",
            Controller::Endpoints => "endpoint-controller",
            Controller::ServiceLb => "service-controller",
        }
    }
}

/// What a timer does when it fires.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Timer {
    /// Re-queue an object in a controller (progress deadline checks, minReadySeconds, retries).
    Requeue(Controller, ObjRef),
    /// Wake the kubelet for a pod; `token` makes superseded timers harmless.
    Pod { uid: String, token: u64 },
}

/// One entry of the decision log: a controller's write and why, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub at: Millis,
    pub controller: &'static str,
    pub object: ObjRef,
    pub why: why::Why,
}

impl Decision {
    /// The decision in English, as the CLI and the English UI show it.
    pub fn message(&self) -> String {
        self.why.to_string()
    }
}

#[derive(Debug, Clone)]
pub struct Cluster {
    store: Store,
    clock: Clock<Timer>,
    rng: Rng,
    settings: Settings,
    decisions: history::History<Decision>,
    events: events::Recorder,
    /// The simulated cloud's load balancers being provisioned: Service → when it was asked for.
    load_balancers: std::collections::BTreeMap<ObjRef, Millis>,
}

impl Cluster {
    pub fn new(settings: Settings) -> Cluster {
        Cluster {
            store: Store::default(),
            clock: Clock::new(),
            rng: Rng::new(settings.seed),
            settings,
            decisions: history::History::default(),
            events: events::Recorder::default(),
            load_balancers: std::collections::BTreeMap::new(),
        }
    }

    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    // ---- reading ----

    /// The API server's storage, read-only: every write goes through the methods below.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The controllers' decisions, oldest first (the newest [`history::KEPT`]).
    pub fn decisions(&self) -> &history::History<Decision> {
        &self.decisions
    }

    pub fn events(&self) -> &events::Recorder {
        &self.events
    }

    /// When the simulated cloud was asked for `service`'s load balancer, while it is being provisioned.
    pub fn load_balancer_requested(&self, service: &ObjRef) -> Option<Millis> {
        self.load_balancers.get(service).copied()
    }

    // ---- time and chance ----

    pub fn schedule_at(&mut self, at: Millis, timer: Timer) {
        self.clock.schedule_at(at, timer);
    }

    /// The next instant a timer is due.
    pub fn next_due(&self) -> Option<Millis> {
        self.clock.next_due()
    }

    /// A timer due now, if any (each once).
    pub fn pop_due(&mut self) -> Option<Timer> {
        self.clock.pop_due()
    }

    /// Moves the clock forward to `at` (never back); Events whose TTL ran out by then are deleted.
    pub fn advance_to(&mut self, at: Millis) {
        self.clock.advance_to(at);
        let now = self.clock.now();
        self.events.expire(&mut self.store, now);
    }

    /// A number in `0..n` from the cluster's seeded generator (a scheduler's tie-break).
    pub fn random_below(&mut self, n: u64) -> u64 {
        self.rng.below(n)
    }

    /// A version-4 UUID from the cluster's seeded generator (container ids).
    pub fn random_uuid(&mut self) -> String {
        store::uuid(&mut self.rng)
    }

    // ---- the simulated cloud ----

    pub fn request_load_balancer(&mut self, service: ObjRef, at: Millis) {
        self.load_balancers.insert(service, at);
    }

    pub fn forget_load_balancer(&mut self, service: &ObjRef) {
        self.load_balancers.remove(service);
    }

    // ---- the watch log ----

    /// Keeps each change's object in the watch log while a `get -w` reads it (see `Store::set_snapshots`).
    pub fn keep_watch_snapshots(&mut self, on: bool) {
        self.store.set_snapshots(on);
    }

    /// Whether the watch log keeps each change's object.
    pub fn keeps_watch_snapshots(&self) -> bool {
        self.store.snapshots()
    }

    /// The watch log's changes from position `from` on, moved out of the log unless a watch keeps it (see
    /// `Store::take_watch_since`).
    pub fn take_watch_since(&mut self, from: usize) -> Vec<crate::cluster::store::WatchEvent> {
        self.store.take_watch_since(from)
    }

    /// Forgets the watch log before position `to` (see `Store::compact_watch_to`).
    pub fn compact_watch_to(&mut self, to: usize) {
        self.store.compact_watch_to(to);
    }

    // ---- writing: the only way into the store ----

    /// `by`'s writes, each recorded in the decision log if the API server refuses it (see [`Writer`]).
    pub fn by(&mut self, by: Controller) -> Writer<'_> {
        Writer { cluster: self, by }
    }

    pub fn create<T: Resource>(&mut self, obj: T) -> Result<Arc<T>, ApiError> {
        let now = self.clock.now();
        self.store.create(obj, now, &mut self.rng)
    }

    pub fn update<T: Resource>(&mut self, obj: T) -> Result<Arc<T>, ApiError> {
        let now = self.clock.now();
        self.store.update(obj, now, &mut self.rng)
    }

    pub fn remove<T: Resource>(&mut self, r: &ObjRef) -> Result<T, ApiError> {
        self.store.remove(r, self.clock.now())
    }

    pub fn get<T: Resource>(&self, r: &ObjRef) -> Option<&T> {
        self.store.get_ref(r)
    }

    /// The stored object, shared (a reference count, not a copy): see [`Store::shared`].
    pub fn shared<T: Resource>(&self, r: &ObjRef) -> Option<Arc<T>> {
        self.store.shared(r)
    }

    /// Records a decision in the log.
    pub fn decide(&mut self, controller: Controller, object: &ObjRef, why: why::Why) {
        let at = self.clock.now();
        self.decisions.push(Decision { at, controller: controller.component(), object: object.clone(), why });
    }

    /// Records an event about `object` (aggregated with an identical earlier one).
    pub fn event<T: Resource>(
        &mut self,
        object: &T,
        type_: events::EventType,
        reason: events::EventReason,
        message: impl Into<String>,
        source: events::Source,
    ) {
        let now = self.clock.now();
        self.events.record(&mut self.store, &mut self.rng, now, object, type_, reason, &message.into(), source);
    }

    pub fn requeue_after(&mut self, delay: Millis, controller: Controller, object: ObjRef) {
        self.clock.schedule_in(delay, Timer::Requeue(controller, object));
    }
}

/// How `delete` treats an object's dependents (`propagationPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    /// Delete now; the garbage collector then deletes dependents whose owners are all gone (kubectl's default).
    Background,
    /// Remove this object's ownerReferences from its dependents first, so they stay (`--cascade=orphan`).
    Orphan,
}

impl Cluster {
    /// Deletes a pod as the API server does: at once if it is not on a node or the grace period is 0, otherwise
    /// gracefully (deletionTimestamp = now + grace) so the kubelet can stop it. `grace` defaults to the pod's
    /// `terminationGracePeriodSeconds`. Deleting a terminating pod again can only shorten its grace period.
    pub fn delete_pod(&mut self, r: &ObjRef, grace: Option<i64>) -> Result<(), ApiError> {
        use crate::api::Pod;
        let pod = self.get::<Pod>(r).cloned().ok_or_else(|| ApiError::not_found(store::Kind::Pod, &r.name))?;
        let spec_grace = pod.spec.as_ref().and_then(|s| s.termination_grace_period_seconds).unwrap_or(30);
        let grace = grace.unwrap_or(spec_grace).max(0);
        let scheduled = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty());
        if pod.metadata.deletion_timestamp.is_some() {
            if grace == 0 {
                self.remove::<Pod>(r)?;
            }
            return Ok(());
        }
        if !scheduled || grace == 0 {
            self.remove::<Pod>(r)?;
        } else {
            let now = self.clock.now();
            self.store.mark_deleting::<Pod>(r, grace, now)?;
        }
        Ok(())
    }

    /// Deletes a non-pod object (no finalizers are simulated, so it is removed at once).
    pub fn delete<T: Resource>(&mut self, r: &ObjRef, propagation: Propagation) -> Result<T, ApiError> {
        let obj = self.get::<T>(r).cloned().ok_or_else(|| ApiError::not_found(T::kind(), &r.name))?;
        if propagation == Propagation::Orphan {
            let uid = obj.metadata().uid.clone().unwrap_or_default();
            let dependents: Vec<ObjRef> = self.store.dependents_of(&uid).cloned().collect();
            for d in dependents {
                self.strip_owner(&d, &uid);
            }
        }
        self.remove::<T>(r)
    }

    /// Removes the ownerReference to `owner_uid` from `dependent`.
    pub fn strip_owner(&mut self, dependent: &ObjRef, owner_uid: &str) {
        fn strip<T: Resource>(c: &mut Cluster, r: &ObjRef, uid: &str) {
            if let Some(mut obj) = c.get::<T>(r).cloned() {
                if let Some(refs) = obj.metadata_mut().owner_references.as_mut() {
                    refs.retain(|o| o.uid != uid);
                    if refs.is_empty() {
                        obj.metadata_mut().owner_references = None;
                    }
                }
                let _ = c.update(obj);
            }
        }
        use crate::api::{Pod, ReplicaSet};
        match dependent.kind {
            store::Kind::Pod => strip::<Pod>(self, dependent, owner_uid),
            store::Kind::ReplicaSet => strip::<ReplicaSet>(self, dependent, owner_uid),
            store::Kind::EndpointSlice => strip::<crate::api::EndpointSlice>(self, dependent, owner_uid),
            _ => {}
        }
    }
}

/// One controller's writes through the API server, for the writes a controller does not handle the failure of
/// itself: a refused write is recorded in the decision log (`update replicaset/web-1 refused: Conflict: …`) where
/// upstream the controller would log the error and retry the key; it is never dropped silently.
pub struct Writer<'a> {
    cluster: &'a mut Cluster,
    by: Controller,
}

impl Writer<'_> {
    fn record<R>(&mut self, verb: &'static str, r: &ObjRef, result: Result<R, ApiError>) -> Option<R> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                let why = why::Why::Refused {
                    verb,
                    object: r.clone(),
                    reason: e.reason.to_string(),
                    message: e.message.clone(),
                };
                self.cluster.decide(self.by, r, why);
                None
            }
        }
    }

    pub fn create<T: Resource>(&mut self, obj: T) -> Option<Arc<T>> {
        let r = ObjRef::of(&obj);
        let result = self.cluster.create(obj);
        self.record("create", &r, result)
    }

    pub fn update<T: Resource>(&mut self, obj: T) -> Option<Arc<T>> {
        let r = ObjRef::of(&obj);
        let result = self.cluster.update(obj);
        self.record("update", &r, result)
    }

    pub fn delete<T: Resource>(&mut self, r: &ObjRef, propagation: Propagation) -> Option<T> {
        let result = self.cluster.delete::<T>(r, propagation);
        self.record("delete", r, result)
    }

    pub fn delete_pod(&mut self, r: &ObjRef, grace: Option<i64>) -> Option<()> {
        let result = self.cluster.delete_pod(r, grace);
        self.record("delete", r, result)
    }

    /// Removes the object from storage for good (the kubelet's final delete of a terminated pod).
    pub fn remove<T: Resource>(&mut self, r: &ObjRef) -> Option<T> {
        let result = self.cluster.remove::<T>(r);
        self.record("remove", r, result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Deployment;
    use events::{EventReason, EventType, Source};

    /// The same `ScalingReplicaSet` event about `default/web`, recorded now.
    fn say(c: &mut Cluster) {
        let mut d = Deployment::default();
        d.metadata.name = Some("web".into());
        d.metadata.namespace = Some("default".into());
        d.metadata.uid = Some("u1".into());
        let src = Source::controller("deployment-controller");
        c.event(&d, EventType::Normal, EventReason::ScalingReplicaSet, "Scaled up", src);
    }

    /// `--event-ttl`: an Event lives an hour after its last write; a repeat (de-duplicated into the same object)
    /// within the de-duplication window renews it, and once it is gone the same event makes a new object.
    #[test]
    fn events_expire_an_hour_after_their_last_write() {
        use events::EVENT_TTL_MS;
        let mut c = Cluster::new(Settings::default());
        let count = |c: &Cluster| c.store().count::<crate::api::Event>();
        say(&mut c);
        c.advance_to(5 * 60 * 1000);
        say(&mut c);
        assert_eq!(count(&c), 1, "the repeat is the same object");
        c.advance_to(EVENT_TTL_MS + 1);
        assert_eq!(count(&c), 1, "renewed at 5 min");
        c.advance_to(5 * 60 * 1000 + EVENT_TTL_MS);
        assert_eq!(count(&c), 0, "gone an hour after its last write");
        say(&mut c);
        let e = c.store().list::<crate::api::Event>(None).next().expect("a new event");
        assert_eq!(e.count, Some(1));
    }

    /// An older object of the same event expiring does not make the recorder forget the newer one.
    #[test]
    fn an_expiring_event_leaves_a_newer_one_of_the_same_kind_counting() {
        use events::EVENT_TTL_MS;
        let mut c = Cluster::new(Settings::default());
        say(&mut c);
        c.advance_to(55 * 60 * 1000);
        say(&mut c); // past the de-duplication window: a second object
        assert_eq!(c.store().count::<crate::api::Event>(), 2);
        c.advance_to(EVENT_TTL_MS + 60_000);
        assert_eq!(c.store().count::<crate::api::Event>(), 1, "the first one expired");
        say(&mut c);
        let events: Vec<_> = c.store().list::<crate::api::Event>(None).collect();
        assert_eq!((events.len(), events[0].count), (1, Some(2)), "the repeat counts on the newer object");
    }

    /// A controller's refused write is not dropped: the decision log says what was refused and why.
    #[test]
    fn a_refused_write_is_recorded_in_the_decision_log() {
        let mut c = Cluster::new(Settings::default());
        let mut d = Deployment::default();
        d.metadata.name = Some("web".into());
        d.metadata.namespace = Some("default".into());
        assert!(c.by(Controller::Deployment).update(d).is_none());
        let last = c.decisions().last().expect("a decision");
        assert_eq!(last.controller, "deployment-controller");
        assert_eq!(last.message(), "update deployment/web refused: NotFound: deployments.apps \"web\" not found");
    }
}
