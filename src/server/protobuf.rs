//! Reading the protobuf bodies kubectl's typed clients send (client-go 1.32 and later send built-in kinds as
//! `application/vnd.kubernetes.protobuf`: `kubectl create deployment|configmap|secret|namespace|service`), into the
//! JSON the rest of the server reads. The envelope is `k8s\0` and a `runtime.Unknown` (1 typeMeta {1 apiVersion, 2
//! kind}, 2 raw: the object). The messages are those of `k8s.io/api` `generated.proto` at 1.35, for the fields
//! those generators write; a field this table does not know is refused by number rather than dropped silently.
//!
//! Go writes every non-pointer field, zero or not; JSON leaves zero `omitempty` values out. So a zero scalar is
//! dropped unless the Go field is a pointer (`replicas`, …), and a zero `Time` is `null` (`creationTimestamp: null`).

use serde_json::{json, Map, Value};

#[derive(Clone, Copy)]
enum T {
    Str,
    Int,
    Bool,
    /// base64 in JSON (`Secret.data`).
    Bytes,
    Msg(&'static str),
    MapStr,
    MapBytes,
    MapQuantity,
    IntOrString,
    Time,
    Quantity,
}

/// A field: number, JSON name, type, repeated, and whether Go holds it in a pointer (so a zero value is kept).
type F = (u32, &'static str, T, bool, bool);

const fn f(n: u32, name: &'static str, t: T) -> F {
    (n, name, t, false, false)
}
const fn rep(n: u32, name: &'static str, t: T) -> F {
    (n, name, t, true, false)
}
const fn ptr(n: u32, name: &'static str, t: T) -> F {
    (n, name, t, false, true)
}

/// Each message's fields, by name.
static MESSAGES: &[(&str, &[F])] = {
    use T::*;
    &[
        (
            "ObjectMeta",
            &[
                f(1, "name", Str),
                f(2, "generateName", Str),
                f(3, "namespace", Str),
                f(4, "selfLink", Str),
                f(5, "uid", Str),
                f(6, "resourceVersion", Str),
                f(7, "generation", Int),
                f(8, "creationTimestamp", Time),
                f(9, "deletionTimestamp", Time),
                ptr(10, "deletionGracePeriodSeconds", Int),
                f(11, "labels", MapStr),
                f(12, "annotations", MapStr),
                rep(13, "ownerReferences", Msg("OwnerReference")),
                rep(14, "finalizers", Str),
                f(15, "clusterName", Str),
            ],
        ),
        (
            "OwnerReference",
            &[
                f(1, "kind", Str),
                f(3, "name", Str),
                f(4, "uid", Str),
                f(5, "apiVersion", Str),
                ptr(6, "controller", Bool),
                ptr(7, "blockOwnerDeletion", Bool),
            ],
        ),
        ("LabelSelector", &[f(1, "matchLabels", MapStr), rep(2, "matchExpressions", Msg("LabelSelectorRequirement"))]),
        ("LabelSelectorRequirement", &[f(1, "key", Str), f(2, "operator", Str), rep(3, "values", Str)]),
        (
            "Deployment",
            &[f(1, "metadata", Msg("ObjectMeta")), f(2, "spec", Msg("DeploymentSpec")), f(3, "status", Msg("Status"))],
        ),
        (
            "DeploymentSpec",
            &[
                ptr(1, "replicas", Int),
                ptr(2, "selector", Msg("LabelSelector")),
                f(3, "template", Msg("PodTemplateSpec")),
                f(4, "strategy", Msg("DeploymentStrategy")),
                f(5, "minReadySeconds", Int),
                ptr(6, "revisionHistoryLimit", Int),
                f(7, "paused", Bool),
                ptr(9, "progressDeadlineSeconds", Int),
            ],
        ),
        ("DeploymentStrategy", &[f(1, "type", Str), ptr(2, "rollingUpdate", Msg("RollingUpdateDeployment"))]),
        ("RollingUpdateDeployment", &[ptr(1, "maxUnavailable", IntOrString), ptr(2, "maxSurge", IntOrString)]),
        ("PodTemplateSpec", &[f(1, "metadata", Msg("ObjectMeta")), f(2, "spec", Msg("PodSpec"))]),
        (
            "PodSpec",
            &[
                rep(2, "containers", Msg("Container")),
                f(3, "restartPolicy", Str),
                ptr(4, "terminationGracePeriodSeconds", Int),
                ptr(5, "activeDeadlineSeconds", Int),
                f(6, "dnsPolicy", Str),
                f(7, "nodeSelector", MapStr),
                f(8, "serviceAccountName", Str),
                f(9, "serviceAccount", Str),
                f(10, "nodeName", Str),
                f(11, "hostNetwork", Bool),
                f(16, "hostname", Str),
                f(17, "subdomain", Str),
                f(19, "schedulerName", Str),
                rep(20, "initContainers", Msg("Container")),
                ptr(21, "automountServiceAccountToken", Bool),
                rep(22, "tolerations", Msg("Toleration")),
                f(24, "priorityClassName", Str),
                ptr(30, "enableServiceLinks", Bool),
            ],
        ),
        (
            "Container",
            &[
                f(1, "name", Str),
                f(2, "image", Str),
                rep(3, "command", Str),
                rep(4, "args", Str),
                f(5, "workingDir", Str),
                rep(6, "ports", Msg("ContainerPort")),
                rep(7, "env", Msg("EnvVar")),
                f(8, "resources", Msg("ResourceRequirements")),
                f(13, "terminationMessagePath", Str),
                f(14, "imagePullPolicy", Str),
                f(16, "stdin", Bool),
                f(17, "stdinOnce", Bool),
                f(18, "tty", Bool),
                f(20, "terminationMessagePolicy", Str),
            ],
        ),
        (
            "ContainerPort",
            &[
                f(1, "name", Str),
                f(2, "hostPort", Int),
                ptr(3, "containerPort", Int),
                f(4, "protocol", Str),
                f(5, "hostIP", Str),
            ],
        ),
        ("EnvVar", &[f(1, "name", Str), f(2, "value", Str)]),
        ("ResourceRequirements", &[f(1, "limits", MapQuantity), f(2, "requests", MapQuantity)]),
        (
            "Toleration",
            &[
                f(1, "key", Str),
                f(2, "operator", Str),
                f(3, "value", Str),
                f(4, "effect", Str),
                ptr(5, "tolerationSeconds", Int),
            ],
        ),
        (
            "ConfigMap",
            &[
                f(1, "metadata", Msg("ObjectMeta")),
                f(2, "data", MapStr),
                f(3, "binaryData", MapBytes),
                ptr(4, "immutable", Bool),
            ],
        ),
        (
            "Secret",
            &[
                f(1, "metadata", Msg("ObjectMeta")),
                f(2, "data", MapBytes),
                f(3, "type", Str),
                f(4, "stringData", MapStr),
                ptr(5, "immutable", Bool),
            ],
        ),
        (
            "Namespace",
            &[f(1, "metadata", Msg("ObjectMeta")), f(2, "spec", Msg("NamespaceSpec")), f(3, "status", Msg("Status"))],
        ),
        ("NamespaceSpec", &[rep(1, "finalizers", Str)]),
        (
            "Service",
            &[f(1, "metadata", Msg("ObjectMeta")), f(2, "spec", Msg("ServiceSpec")), f(3, "status", Msg("Status"))],
        ),
        (
            "ServiceSpec",
            &[
                rep(1, "ports", Msg("ServicePort")),
                f(2, "selector", MapStr),
                f(3, "clusterIP", Str),
                f(4, "type", Str),
                rep(5, "externalIPs", Str),
                f(7, "sessionAffinity", Str),
                f(8, "loadBalancerIP", Str),
                f(10, "externalName", Str),
                f(11, "externalTrafficPolicy", Str),
                f(13, "publishNotReadyAddresses", Bool),
                ptr(17, "ipFamilyPolicy", Str),
                rep(18, "clusterIPs", Str),
                rep(19, "ipFamilies", Str),
                ptr(20, "allocateLoadBalancerNodePorts", Bool),
                ptr(21, "loadBalancerClass", Str),
                ptr(22, "internalTrafficPolicy", Str),
            ],
        ),
        (
            "ServicePort",
            &[
                f(1, "name", Str),
                f(2, "protocol", Str),
                ptr(3, "port", Int),
                f(4, "targetPort", IntOrString),
                f(5, "nodePort", Int),
                ptr(6, "appProtocol", Str),
            ],
        ),
        ("Status", &[]),
        // Status messages a create sends are empty (a generator never fills them); their fields are the server's.
        ("Status", &[]),
    ]
};

fn schema(message: &str) -> Option<&'static [F]> {
    MESSAGES.iter().find(|(name, _)| *name == message).map(|(_, fields)| *fields)
}

/// The protobuf envelope's magic.
pub const MAGIC: &[u8] = b"k8s\0";

/// A protobuf body as JSON: the object with its `apiVersion` and `kind`.
pub fn decode(body: &[u8]) -> Result<Value, String> {
    let data = body.strip_prefix(MAGIC).ok_or("the protobuf body does not start with the k8s envelope")?;
    let mut api_version = String::new();
    let mut kind = String::new();
    let mut raw: &[u8] = &[];
    for field in Fields(data) {
        let (n, v) = field?;
        match (n, v) {
            (1, Wire::Len(tm)) => {
                for field in Fields(tm) {
                    match field? {
                        (1, Wire::Len(s)) => api_version = String::from_utf8_lossy(s).into_owned(),
                        (2, Wire::Len(s)) => kind = String::from_utf8_lossy(s).into_owned(),
                        _ => {}
                    }
                }
            }
            (2, Wire::Len(r)) => raw = r,
            _ => {}
        }
    }
    let Value::Object(mut obj) = message(raw, &kind, 0)? else { return Err("not an object".into()) };
    obj.insert("apiVersion".into(), Value::String(api_version));
    obj.insert("kind".into(), Value::String(kind));
    Ok(Value::Object(obj))
}

enum Wire<'a> {
    Varint(u64),
    Len(&'a [u8]),
    Fixed,
}

struct Fields<'a>(&'a [u8]);

fn varint(data: &mut &[u8]) -> Result<u64, String> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = data.split_first().ok_or("a protobuf varint runs past the end")?;
        *data = rest;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("a protobuf varint is too long".into())
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u32, Wire<'a>), String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.0.is_empty() {
            return None;
        }
        let mut read = || -> Result<(u32, Wire<'a>), String> {
            let key = varint(&mut self.0)?;
            let n = u32::try_from(key >> 3).map_err(|_| "a protobuf field number is too large")?;
            let wire = match key & 7 {
                0 => Wire::Varint(varint(&mut self.0)?),
                2 => {
                    let len = usize::try_from(varint(&mut self.0)?).map_err(|_| "too long")?;
                    if len > self.0.len() {
                        return Err("a protobuf field runs past the end".into());
                    }
                    let (v, rest) = self.0.split_at(len);
                    self.0 = rest;
                    Wire::Len(v)
                }
                1 | 5 => {
                    let width = if key & 7 == 1 { 8 } else { 4 };
                    if width > self.0.len() {
                        return Err("a protobuf field runs past the end".into());
                    }
                    self.0 = &self.0[width..];
                    Wire::Fixed
                }
                w => return Err(format!("protobuf wire type {w} is not used by Kubernetes")),
            };
            Ok((n, wire))
        };
        let r = read();
        if r.is_err() {
            self.0 = &[];
        }
        Some(r)
    }
}

/// Messages nest only as deep as Kubernetes objects do.
const MAX_DEPTH: usize = 32;

fn message(data: &[u8], name: &str, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("a protobuf message nests too deeply".into());
    }
    let fields = schema(name).ok_or_else(|| format!("kubeplay cluster cannot read {name} from protobuf; send JSON"))?;
    let mut out = Map::new();
    for field in Fields(data) {
        let (n, wire) = field?;
        let Some(&(_, json_name, t, repeated, pointer)) = fields.iter().find(|f| f.0 == n) else {
            // Go writes every non-pointer field: a zero one this table does not know says nothing. A status is the
            // server's to fill, whatever a client sends in it.
            let zero = match wire {
                Wire::Varint(v) => v == 0,
                Wire::Len(b) => b.is_empty(),
                Wire::Fixed => false,
            };
            if zero || name == "Status" {
                continue;
            }
            return Err(format!("kubeplay cluster cannot read field {n} of {name} from protobuf; send JSON"));
        };
        let value = scalar(t, wire, depth)?;
        let Some(value) = value.filter(|v| pointer || repeated || !is_zero(v)) else { continue };
        match t {
            T::MapStr | T::MapBytes | T::MapQuantity => {
                let entry = out.entry(json_name).or_insert_with(|| Value::Object(Map::new()));
                if let (Value::Object(m), Value::Array(kv)) = (entry, value) {
                    if let [Value::String(k), v] = kv.as_slice() {
                        m.insert(k.clone(), v.clone());
                    }
                }
            }
            _ if repeated => {
                if let Value::Array(a) = out.entry(json_name).or_insert_with(|| Value::Array(Vec::new())) {
                    a.push(value);
                }
            }
            _ => {
                out.insert(json_name.to_string(), value);
            }
        }
    }
    Ok(Value::Object(out))
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_i64() == Some(0),
        Value::Bool(b) => !b,
        _ => false,
    }
}

fn text(wire: &Wire<'_>) -> Result<String, String> {
    match wire {
        Wire::Len(b) => String::from_utf8(b.to_vec()).map_err(|_| "a protobuf string is not UTF-8".to_string()),
        _ => Err("a protobuf string field has the wrong wire type".into()),
    }
}

fn scalar(t: T, wire: Wire<'_>, depth: usize) -> Result<Option<Value>, String> {
    Ok(Some(match t {
        T::Str => Value::String(text(&wire)?),
        T::Int => match wire {
            // int32 fields are sign-extended to 64 bits on the wire.
            Wire::Varint(v) => json!(v as i64),
            _ => return Err("a protobuf integer field has the wrong wire type".into()),
        },
        T::Bool => match wire {
            Wire::Varint(v) => Value::Bool(v != 0),
            _ => return Err("a protobuf bool field has the wrong wire type".into()),
        },
        T::Bytes => match wire {
            Wire::Len(b) => Value::String(crate::util::base64(b)),
            _ => return Err("a protobuf bytes field has the wrong wire type".into()),
        },
        T::Msg(name) => match wire {
            Wire::Len(b) => message(b, name, depth + 1)?,
            _ => return Err("a protobuf message field has the wrong wire type".into()),
        },
        T::Time => match wire {
            Wire::Len(b) => {
                let mut seconds = None;
                for field in Fields(b) {
                    if let (1, Wire::Varint(s)) = field? {
                        seconds = Some(s as i64);
                    }
                }
                match seconds {
                    // A zero Go time is written as an empty message.
                    None => Value::Null,
                    Some(s) => Value::String(rfc3339(s)),
                }
            }
            _ => return Err("a protobuf time field has the wrong wire type".into()),
        },
        T::Quantity => match wire {
            Wire::Len(b) => {
                let mut s = String::new();
                for field in Fields(b) {
                    if let (1, w) = field? {
                        s = text(&w)?;
                    }
                }
                Value::String(s)
            }
            _ => return Err("a protobuf quantity has the wrong wire type".into()),
        },
        T::IntOrString => match wire {
            Wire::Len(b) => {
                let (mut kind, mut int, mut string) = (0u64, 0i64, String::new());
                for field in Fields(b) {
                    match field? {
                        (1, Wire::Varint(v)) => kind = v,
                        (2, Wire::Varint(v)) => int = v as i64,
                        (3, w) => string = text(&w)?,
                        _ => {}
                    }
                }
                if kind == 1 {
                    Value::String(string)
                } else {
                    json!(int as i32)
                }
            }
            _ => return Err("a protobuf int-or-string has the wrong wire type".into()),
        },
        T::MapStr | T::MapBytes | T::MapQuantity => match wire {
            Wire::Len(b) => {
                let (mut k, mut v) = (String::new(), Value::String(String::new()));
                for field in Fields(b) {
                    match field? {
                        (1, w) => k = text(&w)?,
                        (2, w) => {
                            v = match t {
                                T::MapStr => Value::String(text(&w)?),
                                T::MapBytes => scalar(T::Bytes, w, depth)?.unwrap_or(Value::Null),
                                _ => scalar(T::Quantity, w, depth)?.unwrap_or(Value::Null),
                            }
                        }
                        _ => {}
                    }
                }
                json!([k, v])
            }
            _ => return Err("a protobuf map entry has the wrong wire type".into()),
        },
    }))
}

fn rfc3339(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: u32, wire: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![((n << 3) | u32::from(wire)) as u8];
        if wire == 2 {
            out.push(payload.len() as u8);
        }
        out.extend_from_slice(payload);
        out
    }

    #[test]
    fn a_config_map_in_the_envelope_reads_as_json() {
        let meta = [field(1, 2, b"cm1"), field(8, 2, b"")].concat();
        let entry = [field(1, 2, b"a"), field(2, 2, b"b")].concat();
        let cm = [field(1, 2, &meta), field(2, 2, &entry)].concat();
        let type_meta = [field(1, 2, b"v1"), field(2, 2, b"ConfigMap")].concat();
        let unknown = [field(1, 2, &type_meta), field(2, 2, &cm)].concat();
        let body = [MAGIC, &unknown].concat();
        assert_eq!(
            decode(&body).unwrap(),
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm1", "creationTimestamp": null}, "data": {"a": "b"}})
        );
        assert!(decode(b"k8s\0\x0a\x05").is_err(), "a truncated body is an error, not a panic");
        assert_eq!(rfc3339(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(crate::util::base64(b"hello"), "aGVsbG8=");
    }
}
