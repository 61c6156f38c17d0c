//! `-o json` of a typed object, as kubectl prints one it built itself (`create deployment --dry-run=client`,
//! `run`, `expose`, `set`): Go's `encoding/json` writes a struct's fields in the order the struct declares them
//! (`kind`, `apiVersion`, `metadata`, `spec`, `status`; `name` before `labels`), not sorted as it writes a map. An
//! object kubectl read from the API server or a file is a map (unstructured) and prints sorted ([`super::print`]).
//!
//! The table below is the field order of the k8s.io/api v1.35 structs kubeplay's commands build or print; a field it
//! does not list (or a map's keys) follows, sorted.

use serde_json::Value;

/// A struct's fields in declaration order, each with the struct its value (or each element) is, if any.
fn fields(ty: &str) -> &'static [(&'static str, &'static str)] {
    const META: (&str, &str) = ("metadata", "ObjectMeta");
    match ty {
        "Deployment" => {
            &[("kind", ""), ("apiVersion", ""), META, ("spec", "DeploymentSpec"), ("status", "DeploymentStatus")]
        }
        "ReplicaSet" => &[("kind", ""), ("apiVersion", ""), META, ("spec", "ReplicaSetSpec"), ("status", "")],
        "Pod" => &[("kind", ""), ("apiVersion", ""), META, ("spec", "PodSpec"), ("status", "PodStatus")],
        "Service" => &[("kind", ""), ("apiVersion", ""), META, ("spec", "ServiceSpec"), ("status", "ServiceStatus")],
        "ConfigMap" => &[("kind", ""), ("apiVersion", ""), META, ("immutable", ""), ("data", ""), ("binaryData", "")],
        "Secret" => {
            &[("kind", ""), ("apiVersion", ""), META, ("immutable", ""), ("data", ""), ("stringData", ""), ("type", "")]
        }
        "Namespace" => {
            &[("kind", ""), ("apiVersion", ""), META, ("spec", "NamespaceSpec"), ("status", "NamespaceStatus")]
        }
        "HorizontalPodAutoscaler" => &[
            ("kind", ""),
            ("apiVersion", ""),
            META,
            ("spec", "HorizontalPodAutoscalerSpec"),
            ("status", "HorizontalPodAutoscalerStatus"),
        ],
        "HorizontalPodAutoscalerSpec" => &[
            ("scaleTargetRef", "CrossVersionObjectReference"),
            ("minReplicas", ""),
            ("maxReplicas", ""),
            ("metrics", "MetricSpec"),
            ("behavior", ""),
        ],
        "CrossVersionObjectReference" => &[("kind", ""), ("name", ""), ("apiVersion", "")],
        "MetricSpec" => &[
            ("type", ""),
            ("object", ""),
            ("pods", ""),
            ("resource", "ResourceMetricSource"),
            ("containerResource", ""),
            ("external", ""),
        ],
        "ResourceMetricSource" => &[("name", ""), ("target", "MetricTarget")],
        "MetricTarget" => &[("type", ""), ("value", ""), ("averageValue", ""), ("averageUtilization", "")],
        "HorizontalPodAutoscalerStatus" => &[
            ("observedGeneration", ""),
            ("lastScaleTime", ""),
            ("currentReplicas", ""),
            ("desiredReplicas", ""),
            ("currentMetrics", ""),
            ("conditions", ""),
        ],
        "ObjectMeta" => &[
            ("name", ""),
            ("generateName", ""),
            ("namespace", ""),
            ("selfLink", ""),
            ("uid", ""),
            ("resourceVersion", ""),
            ("generation", ""),
            ("creationTimestamp", ""),
            ("deletionTimestamp", ""),
            ("deletionGracePeriodSeconds", ""),
            ("labels", ""),
            ("annotations", ""),
            ("ownerReferences", "OwnerReference"),
            ("finalizers", ""),
            ("managedFields", "ManagedFieldsEntry"),
        ],
        "OwnerReference" => &[
            ("apiVersion", ""),
            ("kind", ""),
            ("name", ""),
            ("uid", ""),
            ("controller", ""),
            ("blockOwnerDeletion", ""),
        ],
        "ManagedFieldsEntry" => &[
            ("manager", ""),
            ("operation", ""),
            ("apiVersion", ""),
            ("time", ""),
            ("fieldsType", ""),
            ("fieldsV1", ""),
            ("subresource", ""),
        ],
        "DeploymentSpec" => &[
            ("replicas", ""),
            ("selector", "LabelSelector"),
            ("template", "PodTemplateSpec"),
            ("strategy", "DeploymentStrategy"),
            ("minReadySeconds", ""),
            ("revisionHistoryLimit", ""),
            ("paused", ""),
            ("progressDeadlineSeconds", ""),
        ],
        "ReplicaSetSpec" => {
            &[("replicas", ""), ("minReadySeconds", ""), ("selector", "LabelSelector"), ("template", "PodTemplateSpec")]
        }
        "DeploymentStrategy" => &[("type", ""), ("rollingUpdate", "RollingUpdateDeployment")],
        "RollingUpdateDeployment" => &[("maxUnavailable", ""), ("maxSurge", "")],
        "LabelSelector" => &[("matchLabels", ""), ("matchExpressions", "LabelSelectorRequirement")],
        "LabelSelectorRequirement" => &[("key", ""), ("operator", ""), ("values", "")],
        "PodTemplateSpec" => &[META, ("spec", "PodSpec")],
        "PodSpec" => &[
            ("volumes", ""),
            ("initContainers", "Container"),
            ("containers", "Container"),
            ("ephemeralContainers", ""),
            ("restartPolicy", ""),
            ("terminationGracePeriodSeconds", ""),
            ("activeDeadlineSeconds", ""),
            ("dnsPolicy", ""),
            ("nodeSelector", ""),
            ("serviceAccountName", ""),
            ("serviceAccount", ""),
            ("automountServiceAccountToken", ""),
            ("nodeName", ""),
            ("hostNetwork", ""),
            ("hostPID", ""),
            ("hostIPC", ""),
            ("shareProcessNamespace", ""),
            ("securityContext", ""),
            ("imagePullSecrets", ""),
            ("hostname", ""),
            ("subdomain", ""),
            ("affinity", ""),
            ("schedulerName", ""),
            ("tolerations", "Toleration"),
            ("hostAliases", ""),
            ("priorityClassName", ""),
            ("priority", ""),
            ("dnsConfig", ""),
            ("readinessGates", ""),
            ("runtimeClassName", ""),
            ("enableServiceLinks", ""),
            ("preemptionPolicy", ""),
            ("overhead", ""),
            ("topologySpreadConstraints", ""),
            ("setHostnameAsFQDN", ""),
            ("os", ""),
            ("hostUsers", ""),
            ("schedulingGates", ""),
            ("resourceClaims", ""),
            ("resources", "ResourceRequirements"),
            ("hostnameOverride", ""),
        ],
        "Toleration" => &[("key", ""), ("operator", ""), ("value", ""), ("effect", ""), ("tolerationSeconds", "")],
        "Container" => &[
            ("name", ""),
            ("image", ""),
            ("command", ""),
            ("args", ""),
            ("workingDir", ""),
            ("ports", "ContainerPort"),
            ("envFrom", ""),
            ("env", "EnvVar"),
            ("resources", "ResourceRequirements"),
            ("resizePolicy", ""),
            ("restartPolicy", ""),
            ("restartPolicyRules", ""),
            ("volumeMounts", ""),
            ("volumeDevices", ""),
            ("livenessProbe", "Probe"),
            ("readinessProbe", "Probe"),
            ("startupProbe", "Probe"),
            ("lifecycle", ""),
            ("terminationMessagePath", ""),
            ("terminationMessagePolicy", ""),
            ("imagePullPolicy", ""),
            ("securityContext", ""),
            ("stdin", ""),
            ("stdinOnce", ""),
            ("tty", ""),
        ],
        "Probe" => &[
            ("exec", ""),
            ("httpGet", ""),
            ("tcpSocket", ""),
            ("grpc", ""),
            ("initialDelaySeconds", ""),
            ("timeoutSeconds", ""),
            ("periodSeconds", ""),
            ("successThreshold", ""),
            ("failureThreshold", ""),
            ("terminationGracePeriodSeconds", ""),
        ],
        "ContainerPort" => &[("name", ""), ("hostPort", ""), ("containerPort", ""), ("protocol", ""), ("hostIP", "")],
        "EnvVar" => &[("name", ""), ("value", ""), ("valueFrom", "")],
        "ResourceRequirements" => &[("limits", ""), ("requests", ""), ("claims", "")],
        "DeploymentStatus" => &[
            ("observedGeneration", ""),
            ("replicas", ""),
            ("updatedReplicas", ""),
            ("readyReplicas", ""),
            ("availableReplicas", ""),
            ("unavailableReplicas", ""),
            ("terminatingReplicas", ""),
            ("conditions", "DeploymentCondition"),
            ("collisionCount", ""),
        ],
        "DeploymentCondition" => &[
            ("type", ""),
            ("status", ""),
            ("lastUpdateTime", ""),
            ("lastTransitionTime", ""),
            ("reason", ""),
            ("message", ""),
        ],
        "PodStatus" => &[
            ("observedGeneration", ""),
            ("phase", ""),
            ("conditions", "PodCondition"),
            ("message", ""),
            ("reason", ""),
            ("nominatedNodeName", ""),
            ("hostIP", ""),
            ("hostIPs", ""),
            ("podIP", ""),
            ("podIPs", ""),
            ("startTime", ""),
            ("initContainerStatuses", ""),
            ("containerStatuses", ""),
            ("qosClass", ""),
            ("ephemeralContainerStatuses", ""),
            ("resize", ""),
            ("resourceClaimStatuses", ""),
        ],
        "PodCondition" => &[
            ("type", ""),
            ("observedGeneration", ""),
            ("status", ""),
            ("lastProbeTime", ""),
            ("lastTransitionTime", ""),
            ("reason", ""),
            ("message", ""),
        ],
        "ServiceSpec" => &[
            ("ports", "ServicePort"),
            ("selector", ""),
            ("clusterIP", ""),
            ("clusterIPs", ""),
            ("type", ""),
            ("externalIPs", ""),
            ("sessionAffinity", ""),
            ("loadBalancerIP", ""),
            ("loadBalancerSourceRanges", ""),
            ("externalName", ""),
            ("externalTrafficPolicy", ""),
            ("healthCheckNodePort", ""),
            ("publishNotReadyAddresses", ""),
            ("sessionAffinityConfig", ""),
            ("ipFamilies", ""),
            ("ipFamilyPolicy", ""),
            ("allocateLoadBalancerNodePorts", ""),
            ("loadBalancerClass", ""),
            ("internalTrafficPolicy", ""),
            ("trafficDistribution", ""),
        ],
        "ServicePort" => {
            &[("name", ""), ("protocol", ""), ("appProtocol", ""), ("port", ""), ("targetPort", ""), ("nodePort", "")]
        }
        "ServiceStatus" => &[("loadBalancer", "LoadBalancerStatus"), ("conditions", "")],
        "LoadBalancerStatus" => &[("ingress", "LoadBalancerIngress")],
        "LoadBalancerIngress" => &[("ip", ""), ("hostname", ""), ("ipMode", ""), ("ports", "")],
        "NamespaceSpec" => &[("finalizers", "")],
        "NamespaceStatus" => &[("phase", ""), ("conditions", "")],
        _ => &[],
    }
}

/// `-o json` of an object kubectl built as the Go type named by its `kind`: four-space indentation, struct fields
/// in declaration order, `<`, `>` and `&` escaped.
pub fn to_json(v: &Value) -> String {
    let ty = v["kind"].as_str().unwrap_or("");
    let mut out = String::new();
    write(&mut out, v, ty, Some(0));
    out.push('\n');
    out
}

/// Go's `json.Marshal` of the same typed object: compact, fields in declaration order (what `--save-config` stores
/// in the last-applied annotation of an object kubectl built).
pub fn to_json_compact(v: &Value) -> String {
    let ty = v["kind"].as_str().unwrap_or("");
    let mut out = String::new();
    write(&mut out, v, ty, None);
    out
}

fn scalar(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// Writes `v`; `depth` is the indentation level when pretty-printing, `None` for compact output.
fn write(out: &mut String, v: &Value, ty: &str, depth: Option<usize>) {
    let pad = |n: Option<usize>| n.map_or(String::new(), |n| "    ".repeat(n));
    let (open_nl, sep) = if depth.is_some() { ("\n", ": ") } else { ("", ":") };
    let inner = depth.map(|d| d + 1);
    match v {
        Value::Object(m) if !m.is_empty() => {
            let known = fields(ty);
            let mut keys: Vec<(&String, &str)> = Vec::with_capacity(m.len());
            for (field, child) in known {
                if let Some((k, _)) = m.get_key_value(*field) {
                    keys.push((k, child));
                }
            }
            // A map's keys, or fields the table does not list: sorted (serde_json's map is).
            keys.extend(m.keys().filter(|k| !known.iter().any(|(f, _)| f == k)).map(|k| (k, "")));
            out.push('{');
            out.push_str(open_nl);
            for (i, (k, child)) in keys.iter().enumerate() {
                out.push_str(&pad(inner));
                out.push_str(&scalar(&Value::String((*k).clone())));
                out.push_str(sep);
                write(out, &m[k.as_str()], child, inner);
                if i + 1 < keys.len() {
                    out.push(',');
                }
                out.push_str(open_nl);
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('[');
            out.push_str(open_nl);
            for (i, item) in a.iter().enumerate() {
                out.push_str(&pad(inner));
                write(out, item, ty, inner);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push_str(open_nl);
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        other => out.push_str(&scalar(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn struct_fields_print_in_declaration_order_and_maps_sorted() {
        let v = serde_json::json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"labels": {"z": "1", "a": "2"}, "name": "web"},
            "spec": {"type": "ClusterIP", "selector": {"app": "web"},
                     "ports": [{"targetPort": 8080, "port": 80, "protocol": "TCP", "name": "80-8080"}]},
            "status": {"loadBalancer": {}}
        });
        assert_eq!(
            to_json(&v),
            "{\n    \"kind\": \"Service\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {\n        \"name\": \"web\",\n        \"labels\": {\n            \"a\": \"2\",\n            \"z\": \"1\"\n        }\n    },\n    \"spec\": {\n        \"ports\": [\n            {\n                \"name\": \"80-8080\",\n                \"protocol\": \"TCP\",\n                \"port\": 80,\n                \"targetPort\": 8080\n            }\n        ],\n        \"selector\": {\n            \"app\": \"web\"\n        },\n        \"type\": \"ClusterIP\"\n    },\n    \"status\": {\n        \"loadBalancer\": {}\n    }\n}\n"
        );
    }
}
