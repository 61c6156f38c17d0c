//! The user's operations on the cluster — what `kubectl scale`, `set image`, `annotate`, `rollout
//! pause|resume|restart|undo` and `delete` do — as writes through the API server followed by settling. They return
//! typed results: what happened, or an [`OpError`] — the API server's refusal ([`ApiError`], shaped like
//! `metav1.Status`) or the client-side check that stopped the request before it was sent ([`Refusal`]). Putting
//! either into words is the client's job (`crate::kubectl`).

use super::Sim;
use crate::api::{self, Deployment, ReplicaSet};
use crate::cluster::store::{ApiError, Kind, ObjRef, Resource};
use crate::cluster::Propagation;
use crate::controllers::deployment::util as dutil;
use std::sync::Arc;

use crate::api::validation::MAX_REPLICAS;

/// Why an operation did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpError {
    /// The API server refused the request.
    Api(ApiError),
    /// The client refused before sending anything.
    Refused(Refusal),
}

impl From<ApiError> for OpError {
    fn from(e: ApiError) -> OpError {
        OpError::Api(e)
    }
}

impl From<Refusal> for OpError {
    fn from(r: Refusal) -> OpError {
        OpError::Refused(r)
    }
}

/// A check kubectl makes on its side before it writes (`scale.go`, `set_image.go`, `rollback.go`, `restart.go`), and
/// kubeplay's own limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `--replicas` below zero.
    NegativeReplicas,
    /// More replicas than kubeplay simulates ([`MAX_REPLICAS`]).
    TooManyReplicas,
    /// `set image` named a container the template does not have.
    UnknownContainer(String),
    /// `rollout undo --to-revision` named a revision no ReplicaSet carries.
    RevisionNotFound(i64),
    /// `rollout undo` with no earlier revision to go back to.
    NoRolloutHistory,
    /// `rollout restart` of a paused Deployment.
    RestartPaused,
    /// `rollout undo` of a paused Deployment.
    RollbackPaused,
    /// A kind kubeplay does not let the user delete (nodes, namespaces, controller-owned endpoints).
    NotDeletable(Kind),
}

/// What `rollout undo` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rollback {
    RolledBack,
    /// The template already matches that revision: nothing was written.
    Skipped {
        revision: i64,
    },
}

impl Sim {
    /// Creates the object, or replaces the stored one's labels, annotations and spec (keeping its status).
    /// `kubectl apply` of one typed object (client-side apply, see [`crate::apply`]); returns the object as the write
    /// stored it.
    pub fn apply<T: Resource>(&mut self, obj: T) -> Result<T, ApiError> {
        self.apply_object(obj).map(|(stored, _)| stored)
    }

    /// A create through the API server, without letting the controllers react yet (apply sends a manifest's
    /// documents one by one and settles after each).
    pub(crate) fn send_create<T: Resource>(&mut self, obj: T) -> Result<Arc<T>, ApiError> {
        self.cluster.create(obj)
    }

    /// An update through the API server, without settling: [`Sim::step`] or [`Sim::settle`] lets the controllers react.
    pub fn send_update<T: Resource>(&mut self, obj: T) -> Result<Arc<T>, ApiError> {
        self.cluster.update(obj)
    }

    /// An update through the API server (`kubectl edit`, `label`, `annotate`: validation included), then the
    /// controllers react.
    pub fn update_object<T: Resource>(&mut self, obj: T) -> Result<(), ApiError> {
        self.cluster.update(obj)?;
        self.settle();
        Ok(())
    }

    fn deployment(&self, namespace: &str, name: &str) -> Result<Deployment, ApiError> {
        self.cluster
            .store()
            .get::<Deployment>(namespace, name)
            .cloned()
            .ok_or_else(|| ApiError::not_found(Kind::Deployment, name))
    }

    fn write_deployment(&mut self, d: Deployment) -> Result<(), ApiError> {
        self.cluster.update(d)?;
        self.settle();
        Ok(())
    }

    /// `kubectl scale deployment NAME --replicas=N`.
    pub fn scale(&mut self, namespace: &str, name: &str, replicas: i32) -> Result<(), OpError> {
        if replicas < 0 {
            return Err(Refusal::NegativeReplicas.into());
        }
        if replicas > MAX_REPLICAS {
            return Err(Refusal::TooManyReplicas.into());
        }
        let mut d = self.deployment(namespace, name)?;
        d.spec.get_or_insert_with(Default::default).replicas = Some(replicas);
        Ok(self.write_deployment(d)?)
    }

    /// `kubectl set image deployment NAME CONTAINER=IMAGE`. Returns whether anything changed.
    pub fn set_image(&mut self, namespace: &str, name: &str, container: &str, image: &str) -> Result<bool, OpError> {
        self.set_images(namespace, name, &[(container, image)], None)
    }

    /// `kubectl set image deployment NAME C1=IMG1 C2=IMG2 … [--record]` as kubectl sends it: one write with every
    /// image (and, with `--record`, the change-cause), or none when a container is unknown or nothing changes.
    /// Returns whether anything changed.
    pub fn set_images(
        &mut self,
        namespace: &str,
        name: &str,
        images: &[(&str, &str)],
        cause: Option<&str>,
    ) -> Result<bool, OpError> {
        let mut d = self.deployment(namespace, name)?;
        let spec = d.spec.get_or_insert_with(Default::default);
        let containers = &mut spec.template.spec.get_or_insert_with(Default::default).containers;
        let mut changed = false;
        for (container, image) in images {
            let mut found = false;
            for ct in containers.iter_mut().filter(|c| c.name == *container || *container == "*") {
                found = true;
                // The pull policy stays as it was defaulted at creation, as on a real cluster.
                if ct.image.as_deref() != Some(*image) {
                    ct.image = Some(image.to_string());
                    changed = true;
                }
            }
            if !found {
                return Err(Refusal::UnknownContainer(container.to_string()).into());
            }
        }
        // `--record` writes the change-cause in the same patch: a new cause alone is a change too.
        if let Some(cause) = cause {
            if api::annotation(&d.metadata, "kubernetes.io/change-cause") != Some(cause) {
                api::set_annotation(&mut d.metadata, "kubernetes.io/change-cause", cause);
                changed = true;
            }
        }
        if !changed {
            return Ok(false);
        }
        self.write_deployment(d)?;
        Ok(true)
    }

    /// `kubectl annotate deployment NAME KEY=VALUE --overwrite`.
    pub fn annotate(&mut self, namespace: &str, name: &str, key: &str, value: &str) -> Result<(), OpError> {
        let mut d = self.deployment(namespace, name)?;
        api::set_annotation(&mut d.metadata, key, value);
        Ok(self.write_deployment(d)?)
    }

    /// `kubectl rollout pause|resume`. Returns whether anything changed (false: it already was).
    pub fn set_paused(&mut self, namespace: &str, name: &str, paused: bool) -> Result<bool, OpError> {
        let mut d = self.deployment(namespace, name)?;
        if d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false) == paused {
            return Ok(false);
        }
        d.spec.get_or_insert_with(Default::default).paused = Some(paused);
        self.write_deployment(d)?;
        Ok(true)
    }

    /// `kubectl rollout restart`: a new `restartedAt` annotation on the template.
    pub fn rollout_restart(&mut self, namespace: &str, name: &str) -> Result<(), OpError> {
        let mut d = self.deployment(namespace, name)?;
        if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
            return Err(Refusal::RestartPaused.into());
        }
        let stamp = api::time::time_at(self.now()).0.to_string();
        let meta = d.spec.get_or_insert_with(Default::default).template.metadata.get_or_insert_with(Default::default);
        api::set_annotation(meta, "kubectl.kubernetes.io/restartedAt", stamp);
        Ok(self.write_deployment(d)?)
    }

    /// `kubectl rollout undo [--to-revision=N]`, client-side as kubectl does it (`rollback.go`,
    /// `DeploymentRollbacker.Rollback`): the Deployment's template becomes the chosen revision's, with that
    /// ReplicaSet's annotations (so its change-cause returns).
    pub fn rollout_undo(&mut self, namespace: &str, name: &str, to_revision: i64) -> Result<Rollback, OpError> {
        let d = self.deployment(namespace, name)?;
        if to_revision < 0 {
            return Err(Refusal::RevisionNotFound(to_revision).into());
        }
        let uid = d.metadata.uid.as_deref().unwrap_or_default();
        let refs: Vec<&ReplicaSet> = self.cluster.store().controlled_by::<ReplicaSet>(uid).collect();
        let wanted = if to_revision == 0 { dutil::last_revision(&refs) } else { to_revision };
        if to_revision == 0 && wanted == 0 {
            return Err(Refusal::NoRolloutHistory.into());
        }
        let Some(target) = refs.iter().find(|rs| dutil::revision(rs) == Some(wanted)) else {
            return Err(Refusal::RevisionNotFound(to_revision).into());
        };
        if d.spec.as_ref().and_then(|s| s.paused) == Some(true) {
            return Err(Refusal::RollbackPaused.into());
        }
        let rev = dutil::revision(target).unwrap_or(0);
        let (Some(t), Some(current)) = (dutil::rs_template(target), dutil::template(&d)) else {
            return Err(Refusal::RevisionNotFound(to_revision).into());
        };
        if dutil::equal_ignore_hash(t, current) {
            return Ok(Rollback::Skipped { revision: rev });
        }
        let mut template = t.clone();
        if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
            labels.remove(dutil::POD_TEMPLATE_HASH);
        }
        let mut annotations: std::collections::BTreeMap<String, String> = d
            .metadata
            .annotations
            .iter()
            .flatten()
            .filter(|(k, _)| dutil::skip_copy_annotation(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in target.metadata.annotations.iter().flatten() {
            if !dutil::skip_copy_annotation(k) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        let mut patched = d;
        patched.spec.get_or_insert_with(Default::default).template = template;
        patched.metadata.annotations = Some(annotations);
        self.write_deployment(patched)?;
        Ok(Rollback::RolledBack)
    }

    /// `kubectl delete pod NAME [--grace-period=N]`.
    pub fn delete_pod(&mut self, namespace: &str, name: &str, grace: Option<i64>) -> Result<(), OpError> {
        let r = ObjRef::new(Kind::Pod, namespace, name);
        self.cluster.delete_pod(&r, grace)?;
        self.settle();
        Ok(())
    }

    /// `kubectl delete deployment NAME [--cascade=orphan]`.
    pub fn delete_deployment(&mut self, namespace: &str, name: &str, propagation: Propagation) -> Result<(), OpError> {
        self.delete_object(Kind::Deployment, namespace, name, propagation, None)
    }

    /// `kubectl delete KIND NAME`: pods gracefully (`grace` overrides the pod's grace period), other kinds at once with
    /// their dependents handled by `propagation`.
    pub fn delete_object(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        propagation: Propagation,
        grace: Option<i64>,
    ) -> Result<(), OpError> {
        fn del<T: Resource>(sim: &mut Sim, r: &ObjRef, p: Propagation) -> Result<(), ApiError> {
            sim.cluster.delete::<T>(r, p).map(|_| ())
        }
        match kind {
            Kind::Pod => return self.delete_pod(namespace, name, grace),
            Kind::Namespace | Kind::Node | Kind::EndpointSlice | Kind::Endpoints => {
                return Err(Refusal::NotDeletable(kind).into())
            }
            _ => {}
        }
        let r = ObjRef::new(kind, if kind.namespaced() { namespace } else { "" }, name);
        crate::with_kind!(kind, T => del::<T>(self, &r, propagation))?;
        self.settle();
        Ok(())
    }
}
