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
pub mod images;
pub mod rng;
pub mod services;
pub mod settings;
pub mod store;

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
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub store: Store,
    pub clock: Clock<Timer>,
    pub rng: Rng,
    pub settings: Settings,
    pub decisions: Vec<Decision>,
    pub events: events::Recorder,
    /// The simulated cloud's load balancers being provisioned: Service → when it was asked for.
    pub load_balancers: std::collections::BTreeMap<ObjRef, Millis>,
}

impl Cluster {
    pub fn new(settings: Settings) -> Cluster {
        Cluster {
            store: Store::default(),
            clock: Clock::new(),
            rng: Rng::new(settings.seed),
            settings,
            decisions: Vec::new(),
            events: events::Recorder::default(),
            load_balancers: std::collections::BTreeMap::new(),
        }
    }

    pub fn now(&self) -> Millis {
        self.clock.now()
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
    pub fn decide(&mut self, controller: Controller, object: &ObjRef, message: impl Into<String>) {
        let at = self.clock.now();
        self.decisions.push(Decision {
            at,
            controller: controller.component(),
            object: object.clone(),
            message: message.into(),
        });
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
