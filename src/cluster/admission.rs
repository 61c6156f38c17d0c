//! The API server's mutating admission for new pods, the plugins a kubeadm or kind cluster enables by default:
//! `ServiceAccount` (plugin/pkg/admission/serviceaccount), `DefaultTolerationSeconds`
//! (plugin/pkg/admission/defaulttolerationseconds) and `Priority` (plugin/pkg/admission/priority). They are why a
//! pod read back from the server has `serviceAccountName: default`, a `kube-api-access-xxxxx` projected volume
//! mounted read-only in every container, two NoExecute tolerations and `priority: 0`.
//!
//! ServiceAccounts themselves are not simulated: every namespace is taken to have its `default` account, and a
//! named account is accepted as it is.

use crate::api::Pod;
use crate::cluster::rng::Rng;
use k8s_openapi::api::core::v1::{
    ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath, ObjectFieldSelector,
    ProjectedVolumeSource, ServiceAccountTokenProjection, Toleration, Volume, VolumeMount, VolumeProjection,
};

/// Where the service account token is mounted (`serviceaccount.DefaultAPITokenMountPath`).
pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The token's lifetime in the projected volume: an hour and seven seconds, the value by which the API server
/// recognises tokens it hands out to pods (`serviceaccount.WarnOnlyBoundTokenExpirationSeconds`).
pub const TOKEN_EXPIRATION_SECONDS: i64 = 3607;

/// `DefaultTolerationSeconds`' default for both taints.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;

/// Priorities of the built-in PriorityClasses (`scheduling.SystemCriticalPriority` and the node-critical one).
fn priority_of(class: &str) -> i32 {
    match class {
        "system-node-critical" => 2_000_001_000,
        "system-cluster-critical" => 2_000_000_000,
        _ => 0,
    }
}

/// Admits a new pod: the three plugins in the order the API server runs them.
pub fn pod(p: &mut Pod, rng: &mut Rng) {
    service_account(p, rng);
    default_tolerations(p);
    priority(p);
}

/// `ServiceAccount.Admit`: the default account, and the projected token volume in every container
/// (`mountServiceAccountToken`), unless the pod opts out.
fn service_account(p: &mut Pod, rng: &mut Rng) {
    let Some(spec) = p.spec.as_mut() else { return };
    let account = spec.service_account_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "default".into());
    spec.service_account_name = Some(account.clone());
    spec.service_account = Some(account);
    if spec.automount_service_account_token == Some(false) {
        return;
    }
    let containers = spec.containers.iter().chain(spec.init_containers.iter().flatten());
    let mounted = |c: &k8s_openapi::api::core::v1::Container| {
        c.volume_mounts.iter().flatten().any(|m| m.mount_path == TOKEN_MOUNT_PATH)
    };
    if containers.clone().all(mounted) {
        return;
    }
    let volumes = spec.volumes.get_or_insert_with(Vec::new);
    // `generateName` for the volume: retry while the name is taken.
    let mut name = format!("kube-api-access-{}", rng.name_suffix(5));
    for _ in 0..16 {
        if !volumes.iter().any(|v| v.name == name) {
            break;
        }
        name = format!("kube-api-access-{}", rng.name_suffix(5));
    }
    volumes.push(token_volume(&name));
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        if c.volume_mounts.iter().flatten().any(|m| m.mount_path == TOKEN_MOUNT_PATH) {
            continue;
        }
        c.volume_mounts.get_or_insert_with(Vec::new).push(VolumeMount {
            mount_path: TOKEN_MOUNT_PATH.into(),
            name: name.clone(),
            read_only: Some(true),
            ..VolumeMount::default()
        });
    }
}

/// The projected volume: a bound token, the cluster CA from `kube-root-ca.crt`, and the namespace.
fn token_volume(name: &str) -> Volume {
    Volume {
        name: name.to_string(),
        projected: Some(ProjectedVolumeSource {
            default_mode: Some(0o644),
            sources: Some(vec![
                VolumeProjection {
                    service_account_token: Some(ServiceAccountTokenProjection {
                        expiration_seconds: Some(TOKEN_EXPIRATION_SECONDS),
                        path: "token".into(),
                        ..ServiceAccountTokenProjection::default()
                    }),
                    ..VolumeProjection::default()
                },
                VolumeProjection {
                    config_map: Some(ConfigMapProjection {
                        name: "kube-root-ca.crt".into(),
                        items: Some(vec![KeyToPath { key: "ca.crt".into(), path: "ca.crt".into(), mode: None }]),
                        optional: None,
                    }),
                    ..VolumeProjection::default()
                },
                VolumeProjection {
                    downward_api: Some(DownwardAPIProjection {
                        items: Some(vec![DownwardAPIVolumeFile {
                            path: "namespace".into(),
                            field_ref: Some(ObjectFieldSelector {
                                api_version: Some("v1".into()),
                                field_path: "metadata.namespace".into(),
                            }),
                            ..DownwardAPIVolumeFile::default()
                        }]),
                    }),
                    ..VolumeProjection::default()
                },
            ]),
        }),
        ..Volume::default()
    }
}

/// `DefaultTolerationSeconds`: tolerate `not-ready` and `unreachable` for five minutes, unless the pod already
/// tolerates them.
fn default_tolerations(p: &mut Pod) {
    let Some(spec) = p.spec.as_mut() else { return };
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
        let tolerated = tolerations.iter().any(|t| {
            let effect_ok = t.effect.as_deref().is_none_or(|e| e.is_empty() || e == "NoExecute");
            let key_ok = t.key.as_deref().is_none_or(|k| k.is_empty()) && t.operator.as_deref() == Some("Exists")
                || t.key.as_deref() == Some(key);
            effect_ok && key_ok
        });
        if !tolerated {
            tolerations.push(Toleration {
                effect: Some("NoExecute".into()),
                key: Some(key.into()),
                operator: Some("Exists".into()),
                toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
                value: None,
            });
        }
    }
}

/// `Priority.Admit`: the priority of the pod's class (0 without one) and the class's preemption policy.
fn priority(p: &mut Pod) {
    let Some(spec) = p.spec.as_mut() else { return };
    let class = spec.priority_class_name.clone().unwrap_or_default();
    spec.priority.get_or_insert(priority_of(&class));
    spec.preemption_policy.get_or_insert_with(|| "PreemptLowerPriority".into());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Container, PodSpec};

    fn pod_with(containers: usize) -> Pod {
        Pod {
            spec: Some(PodSpec {
                containers: (0..containers)
                    .map(|i| Container { name: format!("c{i}"), image: Some("nginx".into()), ..Container::default() })
                    .collect(),
                ..PodSpec::default()
            }),
            ..Pod::default()
        }
    }

    #[test]
    fn a_new_pod_gets_the_default_account_its_token_two_tolerations_and_priority_zero() {
        let mut p = pod_with(2);
        pod(&mut p, &mut Rng::new(1));
        let spec = p.spec.unwrap();
        assert_eq!(spec.service_account_name.as_deref(), Some("default"));
        assert_eq!(spec.service_account.as_deref(), Some("default"));
        let vols = spec.volumes.unwrap();
        assert_eq!(vols.len(), 1);
        assert!(vols[0].name.starts_with("kube-api-access-") && vols[0].name.len() == 21);
        for c in &spec.containers {
            let m = &c.volume_mounts.as_ref().unwrap()[0];
            assert_eq!(
                (m.mount_path.as_str(), m.name.as_str(), m.read_only),
                (TOKEN_MOUNT_PATH, vols[0].name.as_str(), Some(true))
            );
        }
        let keys: Vec<_> = spec.tolerations.unwrap().iter().map(|t| t.key.clone().unwrap()).collect();
        assert_eq!(keys, ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]);
        assert_eq!(spec.priority, Some(0));
        assert_eq!(spec.preemption_policy.as_deref(), Some("PreemptLowerPriority"));
    }

    #[test]
    fn opting_out_and_existing_tolerations_are_respected() {
        let mut p = pod_with(1);
        let spec = p.spec.as_mut().unwrap();
        spec.automount_service_account_token = Some(false);
        spec.tolerations = Some(vec![Toleration { operator: Some("Exists".into()), ..Toleration::default() }]);
        spec.priority_class_name = Some("system-node-critical".into());
        pod(&mut p, &mut Rng::new(1));
        let spec = p.spec.unwrap();
        assert!(spec.volumes.is_none());
        assert_eq!(spec.tolerations.unwrap().len(), 1);
        assert_eq!(spec.priority, Some(2_000_001_000));
    }
}
