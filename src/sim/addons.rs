//! kubeadm's add-ons, installed once the control plane is up: the cluster DNS (CoreDNS). Their objects are written as
//! kubeadm's manifests are, and decoded with the manifest decoder, so they get exactly what a learner's manifest gets.

use crate::api;
use crate::cluster::bootstrap::{CONTROL_PLANE_TAINT, COREDNS_IMAGE, DNS_SERVICE_IP};
use crate::cluster::Cluster;
use crate::manifest::decode::from_json;

/// kubeadm's CoreDNS add-on (`cmd/kubeadm/app/phases/addons/dns/manifests.go`): ConfigMap, Deployment and Service.
pub(super) fn cluster_dns(c: &mut Cluster) {
    use serde_json::json;
    let corefile = ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n    loop\n    reload\n    loadbalance\n}\n";
    let cm = json!({
        "metadata": {"name": "coredns", "namespace": "kube-system"},
        "data": {"Corefile": corefile},
    });
    accepted(
        from_json::<api::ConfigMap>(&cm)
            .map_err(|e| e.to_string())
            .and_then(|o| c.create(o).map(drop).map_err(|e| e.message)),
    );
    let deployment = json!({
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-dns"}},
                "spec": {
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "coredns",
                    "tolerations": [
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"key": CONTROL_PLANE_TAINT, "effect": "NoSchedule"}
                    ],
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "containers": [{
                        "name": "coredns",
                        "image": COREDNS_IMAGE,
                        "imagePullPolicy": "IfNotPresent",
                        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "volumeMounts": [{"name": "config-volume", "mountPath": "/etc/coredns", "readOnly": true}],
                        "ports": [
                            {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                            {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                            {"containerPort": 9153, "name": "metrics", "protocol": "TCP"},
                            {"containerPort": 8080, "name": "liveness-probe", "protocol": "TCP"},
                            {"containerPort": 8181, "name": "readiness-probe", "protocol": "TCP"}
                        ],
                        "livenessProbe": {
                            "httpGet": {"path": "/health", "port": "liveness-probe", "scheme": "HTTP"},
                            "initialDelaySeconds": 60, "timeoutSeconds": 5, "successThreshold": 1, "failureThreshold": 5
                        },
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": "readiness-probe", "scheme": "HTTP"}},
                        "securityContext": {
                            "allowPrivilegeEscalation": false,
                            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
                            "readOnlyRootFilesystem": true
                        }
                    }],
                    "dnsPolicy": "Default",
                    "volumes": [{"name": "config-volume", "configMap": {"name": "coredns", "items": [{"key": "Corefile", "path": "Corefile"}]}}]
                }
            }
        }
    });
    accepted(
        from_json::<api::Deployment>(&deployment)
            .map_err(|e| e.to_string())
            .and_then(|o| c.create(o).map(drop).map_err(|e| e.message)),
    );
    let service = json!({
        "metadata": {
            "name": "kube-dns", "namespace": "kube-system",
            "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}
        },
        "spec": {
            "clusterIP": DNS_SERVICE_IP,
            "selector": {"k8s-app": "kube-dns"},
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}
            ]
        }
    });
    accepted(
        from_json::<api::Service>(&service)
            .map_err(|e| e.to_string())
            .and_then(|o| c.create(o).map(drop).map_err(|e| e.message)),
    );
}

/// The add-on manifests are fixed, so the API server accepting them is kubeplay's invariant, not the learner's
/// concern: a debug build (every test) stops on a refusal; a release build carries on without DNS rather than kill
/// the page.
fn accepted(result: Result<(), String>) {
    debug_assert!(result.is_ok(), "the CoreDNS add-on was refused: {result:?}");
}
