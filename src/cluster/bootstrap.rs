//! A new cluster as kubeadm (as packaged by kind) leaves it: the four system namespaces, one tainted
//! control-plane node and the worker nodes, with deterministic names and addresses:
//! `kubeplay-control-plane` (172.18.0.2, pod CIDR 10.244.0.0/24), `kubeplay-worker` (172.18.0.3, 10.244.1.0/24),
//! `kubeplay-worker2` (172.18.0.4, 10.244.2.0/24), and so on — and the API server's own `default/kubernetes`
//! Service at 10.96.0.1 with its Endpoints and EndpointSlice — and the cluster DNS kubeadm installs: the
//! `kube-system/coredns` Deployment (2 replicas of CoreDNS, on the control-plane node as on a fresh kind cluster,
//! where they start before the workers join), its `coredns` ConfigMap and the `kube-dns` Service at 10.96.0.10.
//!
//! [`control_plane`] runs first, then the simulation installs the cluster DNS (`sim::addons`, as kubeadm's add-on
//! phase does), lets the controllers create and place the CoreDNS pods and
//! starts them as already running (the cluster was up before the learner arrived); [`workers`] adds the workers.

use super::settings::{MAX_PODS_PER_NODE, MAX_WORKERS};
use super::Cluster;
use crate::api::{self, Namespace, Node, ObjectMeta};
use k8s_openapi::api::core::v1::{NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, Taint};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

pub const CLUSTER_NAME: &str = "kubeplay";
pub const CONTROL_PLANE_TAINT: &str = "node-role.kubernetes.io/control-plane";
pub const EXCLUDE_FROM_EXTERNAL_LB: &str = "node.kubernetes.io/exclude-from-external-load-balancers";

/// The name of node `index` (0 = control plane, 1.. = workers).
pub fn node_name(index: u32) -> String {
    match index {
        0 => format!("{CLUSTER_NAME}-control-plane"),
        1 => format!("{CLUSTER_NAME}-worker"),
        n => format!("{CLUSTER_NAME}-worker{n}"),
    }
}

/// The InternalIP of node `index`: 172.18.0.2 upwards, as on kind's docker network.
pub fn node_ip(index: u32) -> String {
    let host = index + 2;
    format!("172.18.{}.{}", host / 256, host % 256)
}

/// Namespaces, the control-plane node and the `kubernetes` Service (the cluster DNS follows: `sim::addons`).
pub fn control_plane(c: &mut Cluster) {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        let mut labels = BTreeMap::new();
        labels.insert("kubernetes.io/metadata.name".to_string(), ns.to_string());
        let obj = Namespace {
            metadata: ObjectMeta { name: Some(ns.into()), labels: Some(labels), ..Default::default() },
            spec: Some(k8s_openapi::api::core::v1::NamespaceSpec { finalizers: Some(vec!["kubernetes".into()]) }),
            status: Some(k8s_openapi::api::core::v1::NamespaceStatus {
                phase: Some("Active".into()),
                ..Default::default()
            }),
        };
        let _ = c.create(obj);
    }
    let _ = c.create(node(c, 0));
    kubernetes_service(c);
}

/// The worker nodes.
pub fn workers(c: &mut Cluster) {
    let workers = c.settings.workers.min(MAX_WORKERS);
    for index in 1..=workers {
        let _ = c.create(node(c, index));
    }
}

/// The cluster DNS's address, the 10th of the service range (a kubeadm convention, reference §5.2).
pub const DNS_SERVICE_IP: &str = "10.96.0.10";
/// The CoreDNS image kubeadm 1.35 installs.
pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.12.1";

/// The `default/kubernetes` Service the API server creates for itself (10.96.0.1:443 → the control plane's 6443),
/// with the Endpoints and EndpointSlice its endpoint reconciler keeps (`pkg/controlplane/reconcilers`).
fn kubernetes_service(c: &mut Cluster) {
    use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, EndpointSubset, ServicePort, ServiceSpec};
    use k8s_openapi::api::discovery::v1 as discovery;
    let labels = |pairs: &[(&str, &str)]| -> Option<BTreeMap<String, String>> {
        Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    };
    let meta = |name: &str, l: Option<BTreeMap<String, String>>| ObjectMeta {
        name: Some(name.into()),
        namespace: Some("default".into()),
        labels: l,
        ..Default::default()
    };
    let api_server = node_ip(0);
    let _ = c.create(api::Service {
        metadata: meta("kubernetes", labels(&[("component", "apiserver"), ("provider", "kubernetes")])),
        spec: Some(ServiceSpec {
            cluster_ip: Some("10.96.0.1".into()),
            ports: Some(vec![ServicePort {
                name: Some("https".into()),
                port: 443,
                protocol: Some("TCP".into()),
                target_port: Some(api::IntOrString::Int(API_SERVER_PORT)),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: None,
    });
    let _ = c.create(api::Endpoints {
        metadata: meta("kubernetes", labels(&[("endpointslice.kubernetes.io/skip-mirror", "true")])),
        subsets: Some(vec![EndpointSubset {
            addresses: Some(vec![EndpointAddress { ip: api_server.clone(), ..Default::default() }]),
            ports: Some(vec![EndpointPort {
                name: Some("https".into()),
                port: API_SERVER_PORT,
                protocol: Some("TCP".into()),
                app_protocol: None,
            }]),
            not_ready_addresses: None,
        }]),
    });
    let _ = c.create(api::EndpointSlice {
        metadata: meta("kubernetes", labels(&[("kubernetes.io/service-name", "kubernetes")])),
        address_type: "IPv4".into(),
        endpoints: vec![discovery::Endpoint {
            addresses: vec![api_server],
            conditions: Some(discovery::EndpointConditions { ready: Some(true), ..Default::default() }),
            ..Default::default()
        }],
        ports: Some(vec![discovery::EndpointPort {
            name: Some("https".into()),
            port: Some(API_SERVER_PORT),
            protocol: Some("TCP".into()),
            app_protocol: None,
        }]),
    });
}

/// The API server's secure port on the control-plane node.
pub const API_SERVER_PORT: i32 = 6443;

fn node(c: &Cluster, index: u32) -> Node {
    let name = node_name(index);
    let mut labels: BTreeMap<String, String> = [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/os", "linux"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    labels.insert("kubernetes.io/hostname".into(), name.clone());
    let taints = if index == 0 {
        labels.insert(CONTROL_PLANE_TAINT.into(), String::new());
        // kubeadm keeps the control plane out of cloud load balancers (`LabelExcludeFromExternalLB`).
        labels.insert(EXCLUDE_FROM_EXTERNAL_LB.into(), String::new());
        Some(vec![Taint { key: CONTROL_PLANE_TAINT.into(), effect: "NoSchedule".into(), ..Default::default() }])
    } else {
        None
    };
    let now = api::time::time_at(c.now());
    let capacity: BTreeMap<String, Quantity> =
        [("cpu", "8"), ("memory", "16341484Ki"), ("pods", "110"), ("ephemeral-storage", "263112772Ki")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
            .collect();
    let _ = MAX_PODS_PER_NODE; // the "pods" capacity above
    Node {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            labels: Some(labels),
            // What kubeadm and the kubelet annotate a kind node with.
            annotations: Some(
                [
                    ("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///run/containerd/containerd.sock"),
                    ("node.alpha.kubernetes.io/ttl", "0"),
                    ("volumes.kubernetes.io/controller-managed-attach-detach", "true"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ),
            ..Default::default()
        },
        spec: Some(NodeSpec {
            pod_cidr: Some(format!("10.244.{index}.0/24")),
            pod_cidrs: Some(vec![format!("10.244.{index}.0/24")]),
            provider_id: Some(format!("kind://docker/{CLUSTER_NAME}/{name}")),
            taints,
            ..Default::default()
        }),
        status: Some(NodeStatus {
            addresses: Some(vec![
                NodeAddress { type_: "InternalIP".into(), address: node_ip(index) },
                NodeAddress { type_: "Hostname".into(), address: name },
            ]),
            allocatable: Some(capacity.clone()),
            capacity: Some(capacity),
            // The kubelet's four conditions (`setNodeStatus`), in its order.
            conditions: Some(
                [
                    (
                        "MemoryPressure",
                        "False",
                        "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available",
                    ),
                    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                ]
                .into_iter()
                .map(|(type_, status, reason, message)| NodeCondition {
                    type_: type_.into(),
                    status: status.into(),
                    reason: Some(reason.into()),
                    message: Some(message.into()),
                    last_heartbeat_time: Some(now.clone()),
                    last_transition_time: Some(now.clone()),
                })
                .collect(),
            ),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".into(),
                container_runtime_version: "containerd://2.1.3".into(),
                kernel_version: "6.8.0-kubeplay".into(),
                kube_proxy_version: String::new(),
                kubelet_version: api::KUBERNETES_VERSION.into(),
                operating_system: "linux".into(),
                os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
    }
}
