//! The API server's validation of the kinds kubeplay stores (`pkg/apis/apps/validation`, `pkg/apis/core/validation`,
//! apimachinery `pkg/util/validation`), with its field errors (`spec.replicas: Invalid value: -1: must be greater than
//! or equal to 0`), which [`super::status::ApiError::invalid`] gathers into the server's `Invalid` answer. It runs on
//! every create and update, so no object the controllers see can make them misbehave — in particular, replicas are
//! capped at [`MAX_REPLICAS`].
//!
//! Every rule returns a [`FieldError`] with the field path, so the manifest layer can point at the line and column.

use super::intstr::percent;
use super::{selector, Deployment, IntOrString, LabelSelector, ObjectMeta, PodTemplateSpec, ReplicaSet};
use super::{ConfigMap, Namespace, Pod, PodSpec, Secret, Service};
use std::collections::{BTreeMap, BTreeSet};

/// The most replicas kubeplay simulates for one Deployment or ReplicaSet (a real cluster has no such cap; a
/// browser tab needs one).
pub const MAX_REPLICAS: i32 = 10_000;

const PERCENT_FORMAT: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
const DNS1123_SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_LABEL: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const CONFIG_KEY: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";
/// The most bytes of annotations one object may carry (`TotalAnnotationSizeLimitB`).
const MAX_ANNOTATION_BYTES: usize = 256 * 1024;

/// One field error (`field.Error`): the path and the rest of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `spec.template.spec.containers[0].image`.
    pub path: String,
    /// `Required value`, `Invalid value: -1: must be …`.
    pub detail: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.detail)
    }
}

impl FieldError {
    pub fn new(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError { path: path.into(), detail: detail.into() }
    }

    /// `field.Required`: `Required value`, with the detail when there is one.
    pub fn required(path: &str, detail: &str) -> FieldError {
        let detail = if detail.is_empty() { "Required value".to_string() } else { format!("Required value: {detail}") };
        FieldError::new(path, detail)
    }
}

/// Collects field errors (`field.ErrorList`).
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    fn push(&mut self, path: impl Into<String>, detail: impl Into<String>) {
        self.0.push(FieldError::new(path, detail));
    }
    fn required(&mut self, path: &str, detail: &str) {
        self.0.push(FieldError::required(path, detail));
    }
    fn invalid(&mut self, path: &str, value: impl std::fmt::Display, detail: &str) {
        self.push(path, format!("Invalid value: {value}: {detail}"));
    }
    fn invalid_str(&mut self, path: &str, value: &str, detail: &str) {
        self.invalid(path, format!("{value:?}"), detail);
    }
    fn duplicate(&mut self, path: &str, value: impl std::fmt::Display) {
        self.push(path, format!("Duplicate value: {value}"));
    }
    fn unsupported(&mut self, path: &str, value: &str, supported: &[&str]) {
        let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
        self.push(path, format!("Unsupported value: {value:?}: supported values: {}", list.join(", ")));
    }
    fn forbidden(&mut self, path: &str, detail: &str) {
        self.push(path, format!("Forbidden: {detail}"));
    }
    fn not_found(&mut self, path: &str, value: &str) {
        self.push(path, format!("Not found: {value:?}"));
    }
}

/// A complex value in a validation error, as apimachinery's `field.Error` prints it: JSON (`{"app":"web"}`,
/// `{"matchLabels":{"app":"web"}}`, `["10.0.0.10"]`), `null` for an absent map.
pub fn json_value<T: serde::Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

// ---- apimachinery `pkg/util/validation` ------------------------------------------------------------------------

fn is_alnum_lower(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// One DNS label's shape: lower-case alphanumerics and `-`, a first character `first` accepts, an alphanumeric last.
fn label_shaped(s: &str, first: fn(char) -> bool) -> bool {
    !s.is_empty()
        && s.chars().all(|c| is_alnum_lower(c) || c == '-')
        && s.chars().next().is_some_and(first)
        && s.chars().last().is_some_and(is_alnum_lower)
}

/// A length limit, then the shape: apimachinery reports both when both fail.
fn length_and_shape(s: &str, max: usize, shaped: bool, message: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > max {
        errs.push(format!("must be no more than {max} characters"));
    }
    if !shaped {
        errs.push(message.to_string());
    }
    errs
}

/// `IsDNS1123Label`.
pub fn dns1123_label(s: &str) -> Vec<String> {
    length_and_shape(s, 63, label_shaped(s, is_alnum_lower), DNS1123_LABEL)
}

/// `IsDNS1123Subdomain`.
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let shaped = !s.is_empty() && s.split('.').all(|part| label_shaped(part, is_alnum_lower));
    length_and_shape(s, 253, shaped, DNS1123_SUBDOMAIN)
}

/// `IsDNS1035Label` (Service names).
pub fn dns1035_label(s: &str) -> Vec<String> {
    length_and_shape(s, 63, label_shaped(s, |c| c.is_ascii_lowercase()), DNS1035_LABEL)
}

fn name_part_ok(s: &str) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    !s.is_empty()
        && s.chars().all(|c| alnum(c) || matches!(c, '-' | '_' | '.'))
        && s.chars().next().is_some_and(alnum)
        && s.chars().last().is_some_and(alnum)
}

/// `IsQualifiedName` (label and annotation keys): an optional DNS subdomain prefix and `/`, then a name part.
pub fn qualified_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(dns1123_subdomain(prefix).into_iter().map(|m| format!("prefix part {m}")));
            }
            name
        }
        _ => {
            return vec![format!(
                "{QUALIFIED_NAME} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )]
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !name.is_empty() && !name_part_ok(name) {
        errs.push(QUALIFIED_NAME.to_string());
    }
    errs
}

/// `IsValidLabelValue`.
pub fn label_value(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !s.is_empty() && !name_part_ok(s) {
        errs.push(LABEL_VALUE.to_string());
    }
    errs
}

/// `IsValidPortName` (IANA_SVC_NAME).
pub fn port_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 15 {
        errs.push("must be no more than 15 characters".to_string());
    }
    if !s.chars().all(|c| is_alnum_lower(c) || c == '-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string());
    }
    if s.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if !s.chars().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

fn port_in_range(p: i64) -> bool {
    (1..=65535).contains(&p)
}

// ---- metadata -----------------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum NameRule {
    Subdomain,
    Label,
    Dns1035,
}

/// `ValidateObjectMeta`: name (or generateName), namespace, labels, annotations.
fn object_meta(errs: &mut Errors, meta: &ObjectMeta, namespaced: bool, rule: NameRule) {
    let check = |s: &str| match rule {
        NameRule::Subdomain => dns1123_subdomain(s),
        NameRule::Label => dns1123_label(s),
        NameRule::Dns1035 => dns1035_label(s),
    };
    match meta.name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => {
            for m in check(name) {
                errs.invalid_str("metadata.name", name, &m);
            }
        }
        None => {
            if meta.generate_name.as_deref().is_none_or(str::is_empty) {
                errs.required("metadata.name", "name or generateName is required");
            }
        }
    }
    if namespaced {
        if let Some(ns) = meta.namespace.as_deref().filter(|n| !n.is_empty()) {
            for m in dns1123_label(ns) {
                errs.invalid_str("metadata.namespace", ns, &m);
            }
        }
    }
    labels(errs, "metadata.labels", meta.labels.as_ref());
    if let Some(annotations) = &meta.annotations {
        let mut total = 0;
        for (k, v) in annotations {
            total += k.len() + v.len();
            for m in qualified_name(&k.to_ascii_lowercase()) {
                errs.invalid_str("metadata.annotations", k, &m);
            }
        }
        if total > MAX_ANNOTATION_BYTES {
            errs.push("metadata.annotations", format!("Too long: may not be more than {MAX_ANNOTATION_BYTES} bytes"));
        }
    }
}

/// `ValidateLabels`.
pub fn labels(errs: &mut Errors, path: &str, labels: Option<&BTreeMap<String, String>>) {
    for (k, v) in labels.into_iter().flatten() {
        for m in qualified_name(k) {
            errs.invalid_str(path, k, &m);
        }
        for m in label_value(v) {
            errs.invalid_str(path, v, &m);
        }
    }
}

/// `ValidateLabelSelector`: operators and their values, and the keys and values of matchLabels.
fn label_selector(errs: &mut Errors, path: &str, sel: &LabelSelector) {
    for (i, e) in sel.match_expressions.iter().flatten().enumerate() {
        let p = format!("{path}.matchExpressions[{i}]");
        let n = e.values.as_ref().map_or(0, Vec::len);
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if n == 0 {
                    errs.required(&format!("{p}.values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }
            }
            "Exists" | "DoesNotExist" => {
                if n > 0 {
                    errs.forbidden(
                        &format!("{p}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            other => errs.invalid_str(&format!("{p}.operator"), other, "not a valid selector operator"),
        }
        for m in qualified_name(&e.key) {
            errs.invalid_str(&format!("{p}.key"), &e.key, &m);
        }
    }
    labels(errs, &format!("{path}.matchLabels"), sel.match_labels.as_ref());
}

// ---- pods ---------------------------------------------------------------------------------------------------------

fn non_negative(errs: &mut Errors, path: &str, v: Option<i64>) {
    if let Some(v) = v.filter(|v| *v < 0) {
        errs.invalid(path, v, "must be greater than or equal to 0");
    }
}

fn replicas(errs: &mut Errors, path: &str, v: Option<i32>) {
    non_negative(errs, path, v.map(i64::from));
    if let Some(v) = v.filter(|v| *v > MAX_REPLICAS) {
        errs.invalid(
            path,
            v,
            &format!("must be less than or equal to {MAX_REPLICAS} (the most replicas kubeplay simulates)"),
        );
    }
}

fn int_or_percent(errs: &mut Errors, path: &str, v: Option<&IntOrString>) -> Option<(bool, i64)> {
    match v? {
        IntOrString::Int(n) => {
            non_negative(errs, path, Some(i64::from(*n)));
            Some((false, i64::from(*n)))
        }
        IntOrString::String(s) => match percent(s) {
            Ok(p) if p >= 0 && !s.starts_with('+') => Some((true, p)),
            _ => {
                errs.invalid_str(path, s, PERCENT_FORMAT);
                None
            }
        },
    }
}

/// A port given as a number or a name (`targetPort`, a probe's `port`).
fn port_number_or_name(errs: &mut Errors, path: &str, port: &IntOrString) {
    match port {
        IntOrString::Int(p) => {
            if !port_in_range(i64::from(*p)) {
                errs.invalid(path, p, PORT_RANGE);
            }
        }
        IntOrString::String(s) => {
            for m in port_name(s) {
                errs.invalid_str(path, s, &m);
            }
        }
    }
}

fn probe(errs: &mut Errors, path: &str, p: Option<&k8s_openapi::api::core::v1::Probe>, liveness_like: bool) {
    let Some(p) = p else { return };
    let handlers = [p.exec.is_some(), p.http_get.is_some(), p.tcp_socket.is_some(), p.grpc.is_some()];
    match handlers.iter().filter(|h| **h).count() {
        0 => errs.required(path, "must specify a handler type"),
        1 => {}
        _ => errs.forbidden(&format!("{path}.httpGet"), "may not specify more than 1 handler type"),
    }
    if let Some(h) = &p.http_get {
        port_number_or_name(errs, &format!("{path}.httpGet.port"), &h.port);
    }
    if let Some(t) = &p.tcp_socket {
        port_number_or_name(errs, &format!("{path}.tcpSocket.port"), &t.port);
    }
    for (field, v, min) in [
        ("initialDelaySeconds", p.initial_delay_seconds, 0),
        ("timeoutSeconds", p.timeout_seconds, 1),
        ("periodSeconds", p.period_seconds, 1),
        ("successThreshold", p.success_threshold, 1),
        ("failureThreshold", p.failure_threshold, 1),
    ] {
        if let Some(v) = v.filter(|v| *v < min) {
            errs.invalid(&format!("{path}.{field}"), v, &format!("must be greater than or equal to {min}"));
        }
    }
    if liveness_like {
        if let Some(s) = p.success_threshold.filter(|s| *s != 1) {
            errs.invalid(&format!("{path}.successThreshold"), s, "must be 1");
        }
    }
}

/// `ValidatePodSpec` for the fields kubeplay runs. `only_always` is set for Deployment and ReplicaSet templates.
pub fn pod_spec(errs: &mut Errors, path: &str, spec: &PodSpec, only_always: bool) {
    let mut volumes = BTreeSet::new();
    for (i, v) in spec.volumes.iter().flatten().enumerate() {
        let p = format!("{path}.volumes[{i}].name");
        if v.name.is_empty() {
            errs.required(&p, "");
        } else {
            for m in dns1123_label(&v.name) {
                errs.invalid_str(&p, &v.name, &m);
            }
            if !volumes.insert(v.name.as_str()) {
                errs.duplicate(&p, format!("{:?}", v.name));
            }
        }
    }
    if spec.containers.is_empty() {
        errs.required(&format!("{path}.containers"), "");
    }
    let mut names = BTreeSet::new();
    let mut port_names = BTreeSet::new();
    let groups = [
        ("containers", spec.containers.as_slice()),
        ("initContainers", spec.init_containers.as_deref().unwrap_or_default()),
    ];
    for (group, list) in groups {
        for (i, c) in list.iter().enumerate() {
            let p = format!("{path}.{group}[{i}]");
            if c.name.is_empty() {
                errs.required(&format!("{p}.name"), "");
            } else {
                for m in dns1123_label(&c.name) {
                    errs.invalid_str(&format!("{p}.name"), &c.name, &m);
                }
                if !names.insert(c.name.clone()) {
                    errs.duplicate(&format!("{p}.name"), format!("{:?}", c.name));
                }
            }
            match c.image.as_deref() {
                None | Some("") => errs.required(&format!("{p}.image"), ""),
                Some(img) if img.trim() != img => {
                    errs.invalid_str(&format!("{p}.image"), img, "must not have leading or trailing whitespace")
                }
                _ => {}
            }
            if let Some(policy) = c.image_pull_policy.as_deref() {
                if !PULL_POLICIES.contains(&policy) {
                    errs.unsupported(&format!("{p}.imagePullPolicy"), policy, &PULL_POLICIES);
                }
            }
            for (j, port) in c.ports.iter().flatten().enumerate() {
                let pp = format!("{p}.ports[{j}]");
                if port.container_port == 0 {
                    errs.required(&format!("{pp}.containerPort"), "");
                } else if !port_in_range(i64::from(port.container_port)) {
                    errs.invalid(&format!("{pp}.containerPort"), port.container_port, PORT_RANGE);
                }
                if let Some(hp) = port.host_port.filter(|h| *h != 0 && !port_in_range(i64::from(*h))) {
                    errs.invalid(&format!("{pp}.hostPort"), hp, PORT_RANGE);
                }
                if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
                    for m in port_name(name) {
                        errs.invalid_str(&format!("{pp}.name"), name, &m);
                    }
                    if !port_names.insert(name.to_string()) {
                        errs.duplicate(&format!("{pp}.name"), format!("{name:?}"));
                    }
                }
                if let Some(proto) = port.protocol.as_deref() {
                    if !PROTOCOLS.contains(&proto) {
                        errs.unsupported(&format!("{pp}.protocol"), proto, &PROTOCOLS);
                    }
                }
            }
            // `ValidateResourceRequirements`: a request may not exceed its limit.
            if let Some(res) = c.resources.as_ref() {
                let limit = |name: &str| res.limits.as_ref()?.get(name).and_then(|q| super::quantity::parse(&q.0));
                for (name, q) in res.requests.iter().flatten() {
                    if let (Some(req), Some(lim)) = (super::quantity::parse(&q.0), limit(name)) {
                        if req.milli > lim.milli {
                            errs.invalid_str(
                                &format!("{p}.resources.requests"),
                                &req.canonical(),
                                &format!("must be less than or equal to {name} limit of {}", lim.canonical()),
                            );
                        }
                    }
                }
            }
            for (j, env) in c.env.iter().flatten().enumerate() {
                let ep = format!("{p}.env[{j}].name");
                if env.name.is_empty() {
                    errs.required(&ep, "");
                } else if env.name.contains('=') || !env.name.chars().all(|ch| ch.is_ascii_graphic() || ch == ' ') {
                    errs.invalid_str(
                        &ep,
                        &env.name,
                        "a valid environment variable name must consist only of printable ASCII characters other than '='",
                    );
                }
            }
            for (j, vm) in c.volume_mounts.iter().flatten().enumerate() {
                let vp = format!("{p}.volumeMounts[{j}]");
                if vm.name.is_empty() {
                    errs.required(&format!("{vp}.name"), "");
                } else if !volumes.contains(vm.name.as_str()) {
                    errs.not_found(&format!("{vp}.name"), &vm.name);
                }
                if vm.mount_path.is_empty() {
                    errs.required(&format!("{vp}.mountPath"), "");
                }
            }
            if group == "containers" {
                probe(errs, &format!("{p}.livenessProbe"), c.liveness_probe.as_ref(), true);
                probe(errs, &format!("{p}.readinessProbe"), c.readiness_probe.as_ref(), false);
                probe(errs, &format!("{p}.startupProbe"), c.startup_probe.as_ref(), true);
            }
            if let Some(pre) = c.lifecycle.as_ref().and_then(|l| l.pre_stop.as_ref()) {
                let handlers =
                    [pre.exec.is_some(), pre.http_get.is_some(), pre.tcp_socket.is_some(), pre.sleep.is_some()];
                if !handlers.contains(&true) {
                    errs.required(&format!("{p}.lifecycle.preStop"), "must specify a handler type");
                }
                if let Some(s) = pre.sleep.as_ref().filter(|s| s.seconds < 0) {
                    errs.invalid(
                        &format!("{p}.lifecycle.preStop.sleep.seconds"),
                        s.seconds,
                        "must be greater than or equal to 0",
                    );
                }
            }
        }
    }
    match spec.restart_policy.as_deref() {
        Some(policy) if only_always && policy != "Always" => {
            errs.unsupported(&format!("{path}.restartPolicy"), policy, &["Always"]);
        }
        Some(policy) if !RESTART_POLICIES.contains(&policy) => {
            errs.unsupported(&format!("{path}.restartPolicy"), policy, &RESTART_POLICIES);
        }
        _ => {}
    }
    if let Some(p) = spec.dns_policy.as_deref() {
        if !DNS_POLICIES.contains(&p) {
            errs.unsupported(&format!("{path}.dnsPolicy"), p, &DNS_POLICIES);
        }
    }
    labels(errs, &format!("{path}.nodeSelector"), spec.node_selector.as_ref());
}

/// The API server's warnings for a pod spec (`GetWarningsForPodTemplate`, the parts kubeplay's kinds can hit): an
/// env var defined twice, a container port defined twice, a negative grace period. `path` is the pod spec's path.
pub fn pod_spec_warnings(path: &str, spec: &PodSpec) -> Vec<FieldError> {
    let mut warnings = Vec::new();
    let mut ports: Vec<(String, String, k8s_openapi::api::core::v1::ContainerPort)> = Vec::new();
    let groups = [
        ("containers", spec.containers.as_slice()),
        ("initContainers", spec.init_containers.as_deref().unwrap_or_default()),
    ];
    for (group, containers) in groups {
        for (ci, c) in containers.iter().enumerate() {
            let cp = format!("{path}.{group}[{ci}]");
            let mut seen = BTreeSet::new();
            for (i, e) in c.env.iter().flatten().enumerate() {
                if !seen.insert(e.name.as_str()) {
                    let reference = format!("$({})", e.name);
                    let value = e.value.as_deref().unwrap_or("");
                    if e.value_from.is_some() || value == reference || !value.contains(&reference) {
                        warnings.push(FieldError {
                            path: format!("{cp}.env[{i}]"),
                            detail: format!(
                                "hides previous definition of {:?}, which may be dropped when using apply",
                                e.name
                            ),
                        });
                    }
                }
            }
            for (i, p) in c.ports.iter().flatten().enumerate() {
                let field = format!("{cp}.ports[{i}]");
                let key = format!("{}/{}", p.container_port, p.protocol.as_deref().unwrap_or("TCP"));
                for (other_key, other_field, other) in &ports {
                    if *other_key == key && other.host_ip == p.host_ip && other.host_port == p.host_port {
                        warnings.push(FieldError {
                            path: field.clone(),
                            detail: format!("duplicate port definition with {other_field}"),
                        });
                    }
                }
                ports.push((key, field, p.clone()));
            }
        }
    }
    if spec.termination_grace_period_seconds.is_some_and(|s| s < 0) {
        warnings.push(FieldError {
            path: format!("{path}.terminationGracePeriodSeconds"),
            detail: "must be >= 0; negative values are invalid and will be treated as 1".into(),
        });
    }
    warnings
}

/// `ValidatePodTemplateSpec`: the template's labels and its pod spec.
fn template(errs: &mut Errors, path: &str, t: Option<&PodTemplateSpec>) {
    let Some(t) = t else {
        errs.required(path, "");
        return;
    };
    if let Some(meta) = &t.metadata {
        labels(errs, &format!("{path}.metadata.labels"), meta.labels.as_ref());
    }
    match &t.spec {
        Some(spec) => pod_spec(errs, &format!("{path}.spec"), spec, true),
        None => errs.required(&format!("{path}.spec.containers"), ""),
    }
}

fn selector_and_labels(errs: &mut Errors, sel: &LabelSelector, t: Option<&PodTemplateSpec>, kind: &str) {
    let labels = t.and_then(|t| t.metadata.as_ref()).and_then(|m| m.labels.as_ref());
    let mismatch = |errs: &mut Errors| {
        errs.invalid(
            "spec.template.metadata.labels",
            json_value(&labels),
            "`selector` does not match template `labels`",
        )
    };
    // `ValidateDeploymentSpec` / `ValidateReplicaSetSpec`: a nil selector is required, and as a selector it matches
    // nothing, so the template's labels are reported too. The typed model cannot tell `selector: {}` from no
    // selector (k8s-openapi defaults a missing required field), so a selector with neither field set reads as absent,
    // the learner's usual mistake; `matchLabels: {}` is the empty selector.
    if *sel == LabelSelector::default() {
        errs.required("spec.selector", "");
        mismatch(errs);
        return;
    }
    if selector::is_empty(sel) {
        errs.invalid("spec.selector", json_value(sel), &format!("empty selector is invalid for {kind}"));
        return;
    }
    label_selector(errs, "spec.selector", sel);
    if !selector::matches(sel, labels) {
        mismatch(errs);
    }
}

fn immutable_selector(errs: &mut Errors, new: &LabelSelector, old: Option<&LabelSelector>) {
    if old.is_some_and(|o| o != new) {
        errs.invalid("spec.selector", json_value(new), "field is immutable");
    }
}

// ---- kinds --------------------------------------------------------------------------------------------------------

/// `ValidateDeployment` (and, with `old`, `ValidateDeploymentUpdate`'s immutable selector). Empty when valid.
pub fn deployment(d: &Deployment, old: Option<&Deployment>) -> Vec<FieldError> {
    let mut errs = Errors::default();
    object_meta(&mut errs, &d.metadata, true, NameRule::Subdomain);
    let Some(spec) = d.spec.as_ref() else {
        errs.required("spec", "");
        return errs.0;
    };
    replicas(&mut errs, "spec.replicas", spec.replicas);
    selector_and_labels(&mut errs, &spec.selector, Some(&spec.template), "deployment");
    template(&mut errs, "spec.template", Some(&spec.template));
    non_negative(&mut errs, "spec.minReadySeconds", spec.min_ready_seconds.map(i64::from));
    non_negative(&mut errs, "spec.revisionHistoryLimit", spec.revision_history_limit.map(i64::from));
    if let Some(p) = spec.progress_deadline_seconds {
        non_negative(&mut errs, "spec.progressDeadlineSeconds", Some(i64::from(p)));
        if p <= spec.min_ready_seconds.unwrap_or(0) {
            errs.invalid("spec.progressDeadlineSeconds", p, "must be greater than minReadySeconds");
        }
    }
    if let Some(strategy) = &spec.strategy {
        match strategy.type_.as_deref() {
            Some("Recreate") => {
                if strategy.rolling_update.is_some() {
                    errs.forbidden(
                        "spec.strategy.rollingUpdate",
                        "may not be specified when strategy `type` is 'Recreate'",
                    );
                }
            }
            Some("RollingUpdate") | None => {
                if let Some(ru) = &strategy.rolling_update {
                    let base = "spec.strategy.rollingUpdate";
                    let unav =
                        int_or_percent(&mut errs, &format!("{base}.maxUnavailable"), ru.max_unavailable.as_ref());
                    let surge = int_or_percent(&mut errs, &format!("{base}.maxSurge"), ru.max_surge.as_ref());
                    if let Some((true, p)) = unav {
                        if p > 100 {
                            errs.invalid(
                                &format!("{base}.maxUnavailable"),
                                format!("\"{p}%\""),
                                "must not be greater than 100%",
                            );
                        }
                    }
                    if let (Some((_, 0)), Some((_, 0))) = (surge, unav) {
                        let shown = match ru.max_unavailable.as_ref() {
                            Some(IntOrString::String(s)) => format!("{s:?}"),
                            _ => "0".into(),
                        };
                        errs.invalid(&format!("{base}.maxUnavailable"), shown, "may not be 0 when `maxSurge` is 0");
                    }
                }
            }
            Some(other) => errs.unsupported("spec.strategy.type", other, &STRATEGY_TYPES),
        }
    }
    immutable_selector(&mut errs, &spec.selector, old.and_then(|o| o.spec.as_ref()).map(|s| &s.selector));
    errs.0
}

/// `ValidateReplicaSet` (and the immutable selector on update).
pub fn replica_set(rs: &ReplicaSet, old: Option<&ReplicaSet>) -> Vec<FieldError> {
    let mut errs = Errors::default();
    object_meta(&mut errs, &rs.metadata, true, NameRule::Subdomain);
    let Some(spec) = rs.spec.as_ref() else {
        errs.required("spec", "");
        return errs.0;
    };
    replicas(&mut errs, "spec.replicas", spec.replicas);
    non_negative(&mut errs, "spec.minReadySeconds", spec.min_ready_seconds.map(i64::from));
    selector_and_labels(&mut errs, &spec.selector, spec.template.as_ref(), "replicaset");
    template(&mut errs, "spec.template", spec.template.as_ref());
    immutable_selector(&mut errs, &spec.selector, old.and_then(|o| o.spec.as_ref()).map(|s| &s.selector));
    errs.0
}

/// `ValidatePodCreate` / `ValidatePodUpdate` for what a learner writes: metadata and the pod spec. On update, only a
/// few spec fields may change (image, activeDeadlineSeconds, tolerations); the rest is `Forbidden`.
pub fn pod(p: &Pod, old: Option<&Pod>) -> Vec<FieldError> {
    let mut errs = Errors::default();
    object_meta(&mut errs, &p.metadata, true, NameRule::Subdomain);
    match &p.spec {
        Some(spec) => pod_spec(&mut errs, "spec", spec, false),
        None => errs.required("spec.containers", ""),
    }
    if let (Some(new), Some(old)) = (p.spec.as_ref(), old.and_then(|o| o.spec.as_ref())) {
        // An update that leaves the spec as it was (a status write, the common case) changes no immutable field.
        if new != old {
            let mut a = new.clone();
            let mut b = old.clone();
            for c in a.containers.iter_mut().chain(b.containers.iter_mut()) {
                c.image = None;
            }
            a.active_deadline_seconds = None;
            b.active_deadline_seconds = None;
            a.tolerations = None;
            b.tolerations = None;
            // The scheduler's binding sets nodeName through its own subresource.
            a.node_name = None;
            b.node_name = None;
            if a != b {
                errs.forbidden(
                    "spec",
                    "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                );
            }
        }
    }
    errs.0
}

/// The Service types, in the API server's order for messages.
pub const SERVICE_TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
/// The values an enum field takes, in the order the API server lists them in `Unsupported value` (sorted). The
/// editor's completion offers the same lists (`assist`).
pub const PULL_POLICIES: [&str; 3] = ["Always", "IfNotPresent", "Never"];
pub const RESTART_POLICIES: [&str; 3] = ["Always", "Never", "OnFailure"];
pub const DNS_POLICIES: [&str; 4] = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
pub const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
pub const STRATEGY_TYPES: [&str; 2] = ["Recreate", "RollingUpdate"];
pub const SESSION_AFFINITIES: [&str; 2] = ["ClientIP", "None"];
pub const TRAFFIC_POLICIES: [&str; 2] = ["Cluster", "Local"];

/// `ValidateService` (and the immutable clusterIP on update). Allocation problems (a taken or out-of-range clusterIP
/// or nodePort) are the allocator's, in `cluster::services`.
pub fn service(s: &Service, old: Option<&Service>) -> Vec<FieldError> {
    let mut errs = Errors::default();
    object_meta(&mut errs, &s.metadata, true, NameRule::Dns1035);
    let Some(spec) = s.spec.as_ref() else {
        errs.required("spec.ports", "");
        return errs.0;
    };
    let ty = spec.type_.as_deref().unwrap_or("ClusterIP");
    if !SERVICE_TYPES.contains(&ty) {
        errs.unsupported("spec.type", ty, &SERVICE_TYPES);
    }
    let cluster_ip = spec.cluster_ip.as_deref().unwrap_or("");
    let headless = cluster_ip == "None";
    let ports = spec.ports.as_deref().unwrap_or_default();
    if ty == "ExternalName" {
        match spec.external_name.as_deref() {
            None | Some("") => errs.required("spec.externalName", ""),
            Some(n) => {
                for m in dns1123_subdomain(n.trim_end_matches('.')) {
                    errs.invalid_str("spec.externalName", n, &m);
                }
            }
        }
        if !cluster_ip.is_empty() && old.is_none() {
            errs.forbidden("spec.clusterIPs", "may not be set for ExternalName services");
        }
    } else if ports.is_empty() && !headless {
        errs.required("spec.ports", "");
    }
    if headless && matches!(ty, "NodePort" | "LoadBalancer") {
        errs.invalid_str("spec.clusterIPs[0]", "None", &format!("may not be set to 'None' for {ty} services"));
    }
    if !cluster_ip.is_empty() && !headless && cluster_ip.parse::<std::net::Ipv4Addr>().is_err() {
        errs.invalid_str(
            "spec.clusterIPs[0]",
            cluster_ip,
            "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        );
    }
    let mut names = BTreeSet::new();
    let mut pairs = BTreeSet::new();
    let mut node_ports = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let pp = format!("spec.ports[{i}]");
        match p.name.as_deref().filter(|n| !n.is_empty()) {
            None if ports.len() > 1 => errs.required(&format!("{pp}.name"), ""),
            None => {}
            Some(name) => {
                for m in dns1123_label(name) {
                    errs.invalid_str(&format!("{pp}.name"), name, &m);
                }
                if !names.insert(name) {
                    errs.duplicate(&format!("{pp}.name"), format!("{name:?}"));
                }
            }
        }
        if !port_in_range(i64::from(p.port)) {
            errs.invalid(&format!("{pp}.port"), p.port, PORT_RANGE);
        }
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        if !PROTOCOLS.contains(&proto) {
            errs.unsupported(&format!("{pp}.protocol"), proto, &PROTOCOLS);
        }
        if !pairs.insert((p.port, proto)) {
            errs.duplicate(&pp, format!("core.ServicePort{{Port:{}, Protocol:{proto:?}}}", p.port));
        }
        if let Some(tp) = &p.target_port {
            if !(ty == "ExternalName" || matches!(tp, IntOrString::Int(0))) {
                port_number_or_name(&mut errs, &format!("{pp}.targetPort"), tp);
            }
        }
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            if !matches!(ty, "NodePort" | "LoadBalancer") {
                errs.forbidden(&format!("{pp}.nodePort"), &format!("may not be used when `type` is '{ty}'"));
            } else if !node_ports.insert((np, proto)) {
                errs.duplicate(&format!("{pp}.nodePort"), np);
            }
        }
    }
    labels(&mut errs, "spec.selector", spec.selector.as_ref());
    if let Some(a) = spec.session_affinity.as_deref() {
        if !SESSION_AFFINITIES.contains(&a) {
            errs.unsupported("spec.sessionAffinity", a, &SESSION_AFFINITIES);
        }
    }
    if let Some(t) =
        spec.session_affinity_config.as_ref().and_then(|c| c.client_ip.as_ref()).and_then(|c| c.timeout_seconds)
    {
        if !(1..=86400).contains(&t) {
            errs.invalid(
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                t,
                "must be greater than 0 and less than 86400",
            );
        }
    }
    if let Some(p) = spec.external_traffic_policy.as_deref() {
        if !matches!(ty, "NodePort" | "LoadBalancer") {
            errs.invalid_str(
                "spec.externalTrafficPolicy",
                p,
                "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
            );
        } else if !TRAFFIC_POLICIES.contains(&p) {
            errs.unsupported("spec.externalTrafficPolicy", p, &TRAFFIC_POLICIES);
        }
    }
    if let Some(p) = spec.internal_traffic_policy.as_deref() {
        if !TRAFFIC_POLICIES.contains(&p) {
            errs.unsupported("spec.internalTrafficPolicy", p, &TRAFFIC_POLICIES);
        }
    }
    if let Some(old_ip) = old.and_then(|o| o.spec.as_ref()).and_then(|s| s.cluster_ip.as_deref()) {
        let changing_type = ty == "ExternalName"
            || old.and_then(|o| o.spec.as_ref()).and_then(|s| s.type_.as_deref()) == Some("ExternalName");
        if !old_ip.is_empty() && !cluster_ip.is_empty() && old_ip != cluster_ip && !changing_type {
            errs.invalid("spec.clusterIPs[0]", json_value(&[cluster_ip]), "may not change once set");
        }
    }
    errs.0
}

pub fn namespace(n: &Namespace, _old: Option<&Namespace>) -> Vec<FieldError> {
    let mut errs = Errors::default();
    object_meta(&mut errs, &n.metadata, false, NameRule::Label);
    errs.0
}

fn config_keys<'a>(
    errs: &mut Errors,
    field: &str,
    keys: impl Iterator<Item = &'a String>,
    seen: &mut BTreeSet<String>,
) {
    for k in keys {
        let path = format!("{field}[{k}]");
        let ok = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            errs.invalid_str(&path, k, CONFIG_KEY);
        } else if k == "." || k == ".." {
            errs.invalid_str(&path, k, "must not be '.' or '..'");
        } else if k.len() > 253 {
            errs.invalid_str(&path, k, "must be no more than 253 characters");
        }
        if !seen.insert(k.clone()) {
            errs.invalid_str(&path, k, "duplicate of key present in data");
        }
    }
}

pub fn config_map(c: &ConfigMap, _old: Option<&ConfigMap>) -> Vec<FieldError> {
    let mut errs = Errors::default();
    object_meta(&mut errs, &c.metadata, true, NameRule::Subdomain);
    let mut seen = BTreeSet::new();
    config_keys(&mut errs, "data", c.data.iter().flatten().map(|(k, _)| k), &mut seen);
    config_keys(&mut errs, "binaryData", c.binary_data.iter().flatten().map(|(k, _)| k), &mut seen);
    errs.0
}

pub fn secret(s: &Secret, old: Option<&Secret>) -> Vec<FieldError> {
    let mut errs = Errors::default();
    object_meta(&mut errs, &s.metadata, true, NameRule::Subdomain);
    let mut seen = BTreeSet::new();
    config_keys(&mut errs, "data", s.data.iter().flatten().map(|(k, _)| k), &mut seen);
    if let Some(old_type) = old.and_then(|o| o.type_.as_deref()) {
        if s.type_.as_deref() != Some(old_type) {
            errs.invalid_str("type", s.type_.as_deref().unwrap_or(""), "field is immutable");
        }
    }
    errs.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::{DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment};
    use k8s_openapi::api::core::v1::{Container, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn labels() -> BTreeMap<String, String> {
        [("app".to_string(), "web".to_string())].into()
    }

    fn valid() -> Deployment {
        Deployment {
            metadata: ObjectMeta { name: Some("web".into()), ..Default::default() },
            spec: Some(DeploymentSpec {
                replicas: Some(3),
                selector: LabelSelector { match_labels: Some(labels()), ..Default::default() },
                template: PodTemplateSpec {
                    metadata: Some(ObjectMeta { labels: Some(labels()), ..Default::default() }),
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            name: "nginx".into(),
                            image: Some("nginx:1.25".into()),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }),
                },
                ..Default::default()
            }),
            status: None,
        }
    }

    fn strings(errs: Vec<FieldError>) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn with(f: impl FnOnce(&mut DeploymentSpec)) -> Vec<String> {
        let mut d = valid();
        f(d.spec.as_mut().unwrap());
        strings(deployment(&d, None))
    }

    fn rolling(surge: IntOrString, unav: IntOrString) -> Option<DeploymentStrategy> {
        Some(DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDeployment { max_surge: Some(surge), max_unavailable: Some(unav) }),
        })
    }

    #[test]
    fn a_valid_deployment_has_no_errors() {
        assert!(deployment(&valid(), None).is_empty());
    }

    #[test]
    fn replicas_must_be_non_negative_and_within_the_cap() {
        assert_eq!(
            with(|s| s.replicas = Some(-1)),
            ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]
        );
        assert_eq!(with(|s| s.replicas = Some(MAX_REPLICAS)), Vec::<String>::new());
        assert_eq!(with(|s| s.replicas = Some(i32::MAX)).len(), 1);
    }

    #[test]
    fn selector_must_match_the_template_labels() {
        let errs = with(|s| s.selector.match_labels = Some([("app".to_string(), "api".to_string())].into()));
        assert_eq!(errs, ["spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"]);
    }

    #[test]
    fn surge_and_unavailable_follow_the_api_rules() {
        let i = IntOrString::Int;
        let p = |s: &str| IntOrString::String(s.into());
        assert_eq!(
            with(|s| s.strategy = rolling(i(0), i(0))),
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"]
        );
        assert_eq!(with(|s| s.strategy = rolling(p("0%"), p("0%"))).len(), 1);
        assert_eq!(
            with(|s| s.strategy = rolling(p("25%"), p("110%"))),
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"110%\": must not be greater than 100%"]
        );
        assert_eq!(with(|s| s.strategy = rolling(p("-1%"), p("25%"))).len(), 1);
        assert_eq!(
            with(|s| s.strategy = rolling(p("25"), p("25%")))[0],
            format!("spec.strategy.rollingUpdate.maxSurge: Invalid value: \"25\": {PERCENT_FORMAT}")
        );
        assert_eq!(
            with(|s| s.strategy = rolling(i(-2), i(1))),
            ["spec.strategy.rollingUpdate.maxSurge: Invalid value: -2: must be greater than or equal to 0"]
        );
        assert!(with(|s| s.strategy = rolling(p("100%"), i(0))).is_empty());
    }

    #[test]
    fn the_selector_is_immutable() {
        let old = valid();
        let mut new = valid();
        let l: BTreeMap<String, String> =
            [("app".to_string(), "web".to_string()), ("v".to_string(), "2".to_string())].into();
        new.spec.as_mut().unwrap().selector.match_labels = Some(l.clone());
        new.spec.as_mut().unwrap().template.metadata.as_mut().unwrap().labels = Some(l);
        let errs = strings(deployment(&new, Some(&old)));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].ends_with(": field is immutable"), "{errs:?}");
    }

    #[test]
    fn a_request_above_its_limit_is_refused() {
        use k8s_openapi::apimachinery::pkg::api::resource::Quantity as Q;
        let errs = with(|s| {
            s.template.spec.as_mut().unwrap().containers[0].resources =
                Some(k8s_openapi::api::core::v1::ResourceRequirements {
                    limits: Some([("memory".to_string(), Q("1Gi".into())), ("cpu".to_string(), Q("1".into()))].into()),
                    requests: Some(
                        [("memory".to_string(), Q("2048Mi".into())), ("cpu".to_string(), Q("500m".into()))].into(),
                    ),
                    ..Default::default()
                });
        });
        assert_eq!(
            errs,
            ["spec.template.spec.containers[0].resources.requests: Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi"]
        );
    }

    #[test]
    fn containers_and_images_are_required_and_names_unique() {
        let errs = with(|s| {
            let c = &mut s.template.spec.as_mut().unwrap().containers;
            c[0].image = None;
            c.push(Container { name: "nginx".into(), image: Some("x".into()), ..Default::default() });
        });
        assert_eq!(
            errs,
            [
                "spec.template.spec.containers[0].image: Required value",
                "spec.template.spec.containers[1].name: Duplicate value: \"nginx\""
            ]
        );
    }
}
