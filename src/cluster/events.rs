//! Events (`core/v1` Event objects), recorded as client-go's event recorder does: an identical event (same source,
//! object, type, reason and message) seen again within 10 minutes increments `count` and moves `lastTimestamp`
//! instead of creating a new object (`EventCorrelator`'s de-duplication).

use super::clock::Millis;
use super::rng::Rng;
use super::store::{ObjRef, Resource, Store};
use crate::api::{self, time::time_at, Event, ObjectMeta};
use k8s_openapi::api::core::v1::{EventSource, ObjectReference};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};

/// Identical events are merged while the last one is at most this old.
const DEDUP_WINDOW_MS: Millis = 10 * 60 * 1000;

/// The API server's `--event-ttl` (1 h by default): an Event object is deleted this long after its last write, as
/// its etcd lease runs out. It also keeps a long run's memory flat.
pub const EVENT_TTL_MS: Millis = 60 * 60 * 1000;

/// An event's type (`corev1.EventTypeNormal` / `EventTypeWarning`): the only two the API server accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    /// As stored in the Event and printed by kubectl (`Normal`, `Warning`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// An event's reason: the `CamelCase` word each component records (the constants of `pkg/controller/deployment`,
/// `pkg/controller/replicaset`, `pkg/kubelet/events`, the scheduler and the cloud service controller).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventReason {
    // Deployment controller.
    ScalingReplicaSet,
    SelectingAll,
    ReplicaSetCreateError,
    // ReplicaSet controller.
    SuccessfulCreate,
    SuccessfulDelete,
    FailedCreate,
    // Scheduler.
    Scheduled,
    FailedScheduling,
    // Kubelet.
    Pulling,
    Pulled,
    Failed,
    InspectFailed,
    BackOff,
    Created,
    Started,
    Killing,
    Unhealthy,
    // Service controller (load balancers).
    EnsuringLoadBalancer,
    EnsuredLoadBalancer,
    DeletedLoadBalancer,
}

impl EventReason {
    pub const ALL: [EventReason; 20] = [
        EventReason::ScalingReplicaSet,
        EventReason::SelectingAll,
        EventReason::ReplicaSetCreateError,
        EventReason::SuccessfulCreate,
        EventReason::SuccessfulDelete,
        EventReason::FailedCreate,
        EventReason::Scheduled,
        EventReason::FailedScheduling,
        EventReason::Pulling,
        EventReason::Pulled,
        EventReason::Failed,
        EventReason::InspectFailed,
        EventReason::BackOff,
        EventReason::Created,
        EventReason::Started,
        EventReason::Killing,
        EventReason::Unhealthy,
        EventReason::EnsuringLoadBalancer,
        EventReason::EnsuredLoadBalancer,
        EventReason::DeletedLoadBalancer,
    ];

    /// As stored in the Event and printed by kubectl.
    pub fn as_str(self) -> &'static str {
        match self {
            EventReason::ScalingReplicaSet => "ScalingReplicaSet",
            EventReason::SelectingAll => "SelectingAll",
            EventReason::ReplicaSetCreateError => "ReplicaSetCreateError",
            EventReason::SuccessfulCreate => "SuccessfulCreate",
            EventReason::SuccessfulDelete => "SuccessfulDelete",
            EventReason::FailedCreate => "FailedCreate",
            EventReason::Scheduled => "Scheduled",
            EventReason::FailedScheduling => "FailedScheduling",
            EventReason::Pulling => "Pulling",
            EventReason::Pulled => "Pulled",
            EventReason::Failed => "Failed",
            EventReason::InspectFailed => "InspectFailed",
            EventReason::BackOff => "BackOff",
            EventReason::Created => "Created",
            EventReason::Started => "Started",
            EventReason::Killing => "Killing",
            EventReason::Unhealthy => "Unhealthy",
            EventReason::EnsuringLoadBalancer => "EnsuringLoadBalancer",
            EventReason::EnsuredLoadBalancer => "EnsuredLoadBalancer",
            EventReason::DeletedLoadBalancer => "DeletedLoadBalancer",
        }
    }

    /// The reason a word names (a lesson's check names reasons as text).
    pub fn parse(word: &str) -> Option<EventReason> {
        EventReason::ALL.into_iter().find(|r| r.as_str() == word)
    }
}

impl std::fmt::Display for EventReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who reports an event: `deployment-controller`, `replicaset-controller`, `default-scheduler`, or `kubelet` on a
/// host, optionally about one container (`spec.containers{nginx}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub component: &'static str,
    pub host: Option<String>,
    pub field_path: Option<String>,
}

impl Source {
    pub fn controller(component: &'static str) -> Source {
        Source { component, host: None, field_path: None }
    }

    pub fn kubelet(host: &str, container: Option<&str>) -> Source {
        Source {
            component: "kubelet",
            host: Some(host.to_string()),
            field_path: container.map(|c| format!("spec.containers{{{c}}}")),
        }
    }
}

/// One occurrence of an event, in the order they happened (repeats included), for the UI and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub at: Millis,
    pub type_: EventType,
    pub reason: EventReason,
    pub object: ObjRef,
    pub message: String,
    pub component: &'static str,
}

/// What makes two events identical: (involved uid, field path, component, type, reason, message).
type DedupKey = (String, String, &'static str, EventType, EventReason, String);

#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// Every occurrence, oldest first (the newest [`super::history::KEPT`]).
    pub log: super::history::History<Occurrence>,
    /// (involved uid, field path, component, type, reason, message) → (event namespace, name, last seen).
    seen: HashMap<DedupKey, (String, String, Millis)>,
    /// (namespace, object name) → the last nanosecond used in an event name, so names stay unique without a search.
    last_nanos: HashMap<(String, String), u128>,
    /// Every write of an Event object, oldest first: (when, namespace, name), for the TTL.
    writes: VecDeque<(Millis, String, String)>,
    /// (namespace, event name) → its last write and its de-duplication key.
    live: HashMap<(String, String), (Millis, DedupKey)>,
}

impl Recorder {
    #[allow(clippy::too_many_arguments)]
    pub fn record<T: Resource>(
        &mut self,
        store: &mut Store,
        rng: &mut Rng,
        now: Millis,
        object: &T,
        type_: EventType,
        reason: EventReason,
        message: &str,
        source: Source,
    ) {
        let meta = object.metadata();
        self.log.push(Occurrence {
            at: now,
            type_,
            reason,
            object: ObjRef::of(object),
            message: message.to_string(),
            component: source.component,
        });
        let key = (
            meta.uid.clone().unwrap_or_default(),
            source.field_path.clone().unwrap_or_default(),
            source.component,
            type_,
            reason,
            message.to_string(),
        );
        if let Some((ns, name, last)) = self.seen.get(&key).cloned() {
            if now.saturating_sub(last) <= DEDUP_WINDOW_MS {
                if let Some(mut ev) = store.get::<Event>(&ns, &name).cloned() {
                    ev.count = Some(ev.count.unwrap_or(1) + 1);
                    ev.last_timestamp = Some(time_at(now));
                    if store.update(ev, now, rng).is_ok() {
                        self.wrote(&ns, &name, now, &key);
                        self.seen.insert(key, (ns, name, now));
                        return;
                    }
                }
            }
        }
        let namespace = match api::namespace_of(meta) {
            "" => "default".to_string(),
            ns => ns.to_string(),
        };
        // client-go names events `<object>.<unix nanoseconds in hex>`; a taken name moves on by a nanosecond.
        let mut nanos = (crate::cluster::clock::EPOCH_UNIX_MS as u128 + now as u128) * 1_000_000;
        let last = self.last_nanos.entry((namespace.clone(), api::name_of(meta).to_string())).or_insert(0);
        if nanos <= *last {
            nanos = *last + 1;
        }
        *last = nanos;
        let name = format!("{}.{nanos:x}", api::name_of(meta));
        let event = Event {
            metadata: ObjectMeta { name: Some(name.clone()), namespace: Some(namespace.clone()), ..Default::default() },
            involved_object: ObjectReference {
                api_version: Some(T::kind().api_version().to_string()),
                kind: Some(T::kind().name().to_string()),
                name: meta.name.clone(),
                namespace: meta.namespace.clone(),
                uid: meta.uid.clone(),
                resource_version: meta.resource_version.clone(),
                field_path: source.field_path.clone(),
            },
            reason: Some(reason.to_string()),
            message: Some(message.to_string()),
            type_: Some(type_.as_str().to_string()),
            count: Some(1),
            first_timestamp: Some(time_at(now)),
            last_timestamp: Some(time_at(now)),
            source: Some(EventSource { component: Some(source.component.to_string()), host: source.host.clone() }),
            reporting_component: Some(source.component.to_string()),
            reporting_instance: source.host.clone().or_else(|| Some(source.component.to_string())),
            ..Default::default()
        };
        if store.create(event, now, rng).is_ok() {
            self.wrote(&namespace, &name, now, &key);
            self.seen.insert(key, (namespace, name, now));
        }
    }

    fn wrote(&mut self, namespace: &str, name: &str, now: Millis, key: &DedupKey) {
        self.writes.push_back((now, namespace.to_string(), name.to_string()));
        self.live.insert((namespace.to_string(), name.to_string()), (now, key.clone()));
    }

    /// Deletes the Event objects whose last write is [`EVENT_TTL_MS`] old at `now`, and forgets them.
    pub fn expire(&mut self, store: &mut Store, now: Millis) {
        while let Some((at, ..)) = self.writes.front() {
            if at.saturating_add(EVENT_TTL_MS) > now {
                return;
            }
            let Some((at, namespace, name)) = self.writes.pop_front() else { return };
            let Entry::Occupied(entry) = self.live.entry((namespace, name)) else { continue };
            // A later write renewed the lease: that write's own entry expires it.
            if entry.get().0 != at {
                continue;
            }
            let ((namespace, name), (_, key)) = entry.remove_entry();
            // The same event may since have started a newer object (after the de-duplication window): keep that one.
            if self.seen.get(&key).is_some_and(|(ns, n, _)| *ns == namespace && *n == name) {
                self.seen.remove(&key);
            }
            // `<object>.<nanoseconds in hex>`: the object's naming entry goes when its newest event does.
            if let Some((object, hex)) = name.rsplit_once('.') {
                let object_key = (namespace.clone(), object.to_string());
                if u128::from_str_radix(hex, 16).ok() == self.last_nanos.get(&object_key).copied() {
                    self.last_nanos.remove(&object_key);
                }
            }
            // NotFound means a user deleted it first (`kubectl delete event`): nothing is left to expire.
            let r = ObjRef::new(crate::api::Kind::Event, &namespace, &name);
            store.remove::<Event>(&r, now).ok();
        }
    }
}
