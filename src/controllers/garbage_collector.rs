//! The garbage collector (`pkg/controller/garbagecollector`), for background deletion: when an owner is gone,
//! each dependent whose owners are all gone is deleted (pods gracefully); a dependent that still has a live owner
//! only loses the reference to the dead one.

use crate::api::{Pod, ReplicaSet};
use crate::cluster::store::{Kind, ObjRef, Resource};
use crate::cluster::{Cluster, Controller, Propagation};

fn owners<T: Resource>(c: &Cluster, r: &ObjRef) -> Option<Vec<String>> {
    let obj = c.get::<T>(r)?;
    Some(obj.metadata().owner_references.iter().flatten().map(|o| o.uid.clone()).collect())
}

/// Handles the disappearance of the object with uid `owner_uid`.
pub fn sync(c: &mut Cluster, owner_uid: &str) {
    if c.store().by_uid(owner_uid).is_some() {
        return;
    }
    let dependents: Vec<ObjRef> = c.store().dependents_of(owner_uid).cloned().collect();
    for d in dependents {
        let owner_uids = match d.kind {
            Kind::Pod => owners::<Pod>(c, &d),
            Kind::ReplicaSet => owners::<ReplicaSet>(c, &d),
            Kind::EndpointSlice => owners::<crate::api::EndpointSlice>(c, &d),
            _ => None,
        };
        let Some(owner_uids) = owner_uids else { continue };
        if owner_uids.iter().any(|u| c.store().by_uid(u).is_some()) {
            c.strip_owner(&d, owner_uid);
            continue;
        }
        let deleted = match d.kind {
            Kind::Pod => c.by(Controller::GarbageCollector).delete_pod(&d, None).is_some(),
            Kind::ReplicaSet => {
                c.by(Controller::GarbageCollector).delete::<ReplicaSet>(&d, Propagation::Background).is_some()
            }
            Kind::EndpointSlice => c
                .by(Controller::GarbageCollector)
                .delete::<crate::api::EndpointSlice>(&d, Propagation::Background)
                .is_some(),
            _ => false,
        };
        if deleted {
            c.decide(Controller::GarbageCollector, &d, crate::cluster::why::Why::OwnerGone { object: d.clone() });
        }
    }
}
