//! The smaller verbs: `label`, `annotate`, `expose`, `run`, `api-resources`, `version`, `cluster-info`, `edit`.

use super::flags::{flag, val, Parsed, Spec};
use super::{namespace, one_target, resources, tabwriter, usage_error, Output};
use crate::api::{self, Deployment, ReplicaSet};
use crate::cluster::store::{Kind, ObjRef, Resource};
use crate::sim::Sim;
use serde_json::Value;

pub const LABEL_FLAGS: &[Spec] = &[flag("overwrite", None), flag("all", None), val("selector", Some('l'))];

/// Reads an object as JSON, lets `f` change it, and writes it back through the API server (validation included).
fn patch(
    sim: &mut Sim,
    kind: Kind,
    ns: &str,
    name: &str,
    f: impl FnOnce(&mut Value) -> Result<bool, String>,
) -> Result<bool, String> {
    fn go<T: Resource>(
        sim: &mut Sim,
        r: &ObjRef,
        f: impl FnOnce(&mut Value) -> Result<bool, String>,
    ) -> Result<bool, String> {
        let obj = sim.cluster().get::<T>(r).cloned().ok_or_else(|| super::errors::not_found(T::kind(), &r.name))?;
        let mut v = serde_json::to_value(&obj).map_err(|e| e.to_string())?;
        if !f(&mut v)? {
            return Ok(false);
        }
        let new: T = crate::manifest::decode::from_json(&v)?;
        sim.update_object(new).map_err(|e| super::errors::check(&e))?;
        Ok(true)
    }
    if matches!(kind, Kind::Event | Kind::EndpointSlice | Kind::Endpoints) {
        return Err(format!("error: kubeplay does not change {}", kind.plural()));
    }
    let r = ObjRef::new(kind, if kind.namespaced() { ns } else { "" }, name);
    crate::with_kind!(kind, T => go::<T>(sim, &r, f))
}

/// `kubectl label` / `kubectl annotate`: `KEY=VALUE` sets, `KEY-` removes; an existing key needs `--overwrite`.
pub fn label_or_annotate(sim: &mut Sim, f: &Parsed, annotations: bool) -> Output {
    let verb = if annotations { "annotate" } else { "label" };
    let (changes, target): (Vec<String>, Vec<String>) =
        f.args.iter().cloned().partition(|a| a.contains('=') || (a.ends_with('-') && !a.contains('/')));
    if changes.is_empty() {
        return Output::err(format!(
            "error: at least one {} update is required",
            if annotations { "annotation" } else { "label" }
        ));
    }
    // `TYPE -l SELECTOR` or `TYPE --all`: every matching object, one line each.
    if let [kind_word] = target.as_slice() {
        if !kind_word.contains('/') && (f.has("selector") || f.bool("all")) {
            let kind = match resources::resolve(kind_word) {
                Ok(k) => k,
                Err(w) => return Output::err(resources::unknown_type(&w)),
            };
            let sel = match super::labels::Selector::parse(f.get("selector").unwrap_or("")) {
                Ok(s) => s,
                Err(e) => return Output::err(format!("error: {e}")),
            };
            let ns = namespace(f);
            let (found, _) = super::get::find_kind(
                kind,
                sim.cluster().store(),
                Some(&ns),
                &[],
                &sel,
                sim.now(),
                super::get::View::Names,
            );
            let mut out = Output::default();
            for x in found {
                let one = label_one(sim, f, annotations, kind, &x.name, &changes);
                out.stdout.push_str(&one.stdout);
                out.stderr.push_str(&one.stderr);
                out.code = out.code.max(one.code);
            }
            return out;
        }
    }
    let (kind, name) = match one_target(&target, verb) {
        Ok(t) => t,
        Err(o) => return o,
    };
    label_one(sim, f, annotations, kind, &name, &changes)
}

fn label_one(sim: &mut Sim, f: &Parsed, annotations: bool, kind: Kind, name: &str, changes: &[String]) -> Output {
    let field = if annotations { "annotations" } else { "labels" };
    let overwrite = f.bool("overwrite");
    let result = patch(sim, kind, &namespace(f), name, |v| {
        let map = v["metadata"].as_object_mut().ok_or("object without metadata")?;
        let entry = map.entry(field).or_insert_with(|| Value::Object(Default::default()));
        if entry.is_null() {
            *entry = Value::Object(Default::default());
        }
        let m = entry.as_object_mut().ok_or("metadata is not an object")?;
        let mut changed = false;
        for c in changes {
            if let Some(key) = c.strip_suffix('-').filter(|_| !c.contains('=')) {
                changed |= m.remove(key).is_some();
                continue;
            }
            let (k, val) = c.split_once('=').unwrap_or((c, ""));
            match m.get(k).and_then(Value::as_str) {
                Some(old) if old == val => {}
                Some(old) if !overwrite => {
                    return Err(format!("error: '{k}' already has a value ({old}), and --overwrite is false"));
                }
                _ => {
                    m.insert(k.to_string(), Value::String(val.to_string()));
                    changed = true;
                }
            }
        }
        Ok(changed)
    });
    let done = if annotations { "annotated" } else { "labeled" };
    match result {
        Ok(true) => Output::ok(format!("{}/{name} {done}\n", kind.printed())),
        Ok(false) => Output::ok(format!("{}/{name} not {done}\n", kind.printed())),
        Err(e) => Output::err(e),
    }
}

pub const EXPOSE_FLAGS: &[Spec] = &[
    val("port", None),
    val("target-port", None),
    val("type", None),
    val("name", None),
    val("protocol", None),
    val("labels", Some('l')),
];

/// `kubectl expose deployment NAME --port=80 [--target-port=8080] [--type=NodePort] [--name=svc]`.
pub fn expose(sim: &mut Sim, f: &Parsed) -> Output {
    let (kind, name) = match one_target(&f.args, "expose") {
        Ok(t) => t,
        Err(o) => return o,
    };
    let ns = namespace(f);
    type Labels = std::collections::BTreeMap<String, String>;
    // The Service carries the exposed object's labels unless --labels is given (expose.go).
    let (selector, ports, object_labels): (Labels, Vec<i32>, Labels) = match kind {
        Kind::Deployment | Kind::ReplicaSet => {
            let found = if kind == Kind::Deployment {
                sim.cluster().store().get::<Deployment>(&ns, &name).map(|d| {
                    let spec = d.spec.clone().unwrap_or_default();
                    (spec.selector, Some(spec.template), d.metadata.labels.clone().unwrap_or_default())
                })
            } else {
                sim.cluster().store().get::<ReplicaSet>(&ns, &name).map(|rs| {
                    let spec = rs.spec.clone().unwrap_or_default();
                    (spec.selector, spec.template, rs.metadata.labels.clone().unwrap_or_default())
                })
            };
            let Some((sel, template, object_labels)) = found else {
                return Output::err(super::errors::not_found(kind, &name));
            };
            if sel.match_expressions.as_ref().is_some_and(|e| !e.is_empty()) {
                return Output::err(format!("error: couldn't retrieve selectors via --selector flag or introspection: the {} has match expressions, which a Service selector cannot express", kind.singular()));
            }
            let ports = template
                .and_then(|t| t.spec)
                .map(|s| s.containers.iter().flat_map(|c| c.ports.iter().flatten().map(|p| p.container_port)).collect())
                .unwrap_or_default();
            (sel.match_labels.unwrap_or_default(), ports, object_labels)
        }
        Kind::Pod => match sim.cluster().store().get::<api::Pod>(&ns, &name) {
            Some(p) => (
                p.metadata.labels.clone().unwrap_or_default(),
                p.spec
                    .iter()
                    .flat_map(|s| s.containers.iter().flat_map(|c| c.ports.iter().flatten().map(|p| p.container_port)))
                    .collect(),
                p.metadata.labels.clone().unwrap_or_default(),
            ),
            None => return Output::err(super::errors::not_found(Kind::Pod, &name)),
        },
        other => return Output::err(format!("error: cannot expose a {}", other.singular())),
    };
    let ports: Vec<i32> = match f.get("port") {
        Some(p) => match p.parse::<i32>() {
            Ok(p) => vec![p],
            Err(_) => return Output::err(format!("error: invalid port {p:?}")),
        },
        None if ports.is_empty() => return Output::err(
            "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples",
        ),
        None => ports,
    };
    let svc_name = f.get("name").unwrap_or(&name).to_string();
    let protocol = f.get("protocol").unwrap_or("TCP");
    let port_list: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut port = serde_json::json!({"port": p, "protocol": protocol});
            if ports.len() > 1 {
                port["name"] = Value::String(format!("port-{}", i + 1));
            }
            let target = f.get("target-port").map_or(Value::from(*p), |t| {
                t.parse::<i64>().map_or_else(|_| Value::String(t.to_string()), Value::from)
            });
            port["targetPort"] = target;
            port
        })
        .collect();
    let labels = match f.get("labels") {
        Some(text) => {
            let mut l = Labels::new();
            for pair in text.split(',').filter(|p| !p.is_empty()) {
                let Some((k, v)) = pair.split_once('=') else {
                    return Output::err(format!("error: invalid label spec: {pair}"));
                };
                l.insert(k.to_string(), v.to_string());
            }
            l
        }
        None => object_labels,
    };
    let mut svc = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": svc_name, "labels": labels},
        "spec": {"ports": port_list, "selector": selector},
    });
    if svc["metadata"]["labels"].as_object().is_some_and(|l| l.is_empty()) {
        svc["metadata"].as_object_mut().map(|m| m.remove("labels"));
    }
    if let Some(t) = f.get("type") {
        svc["spec"]["type"] = Value::String(t.to_string());
    }
    let report = sim.send_manifest_in(&svc.to_string(), "STDIN", true, &ns, false, None);
    let out = super::report_output(&report);
    Output { stdout: out.stdout.replace(" created\n", " exposed\n"), ..out }
}

pub const RUN_FLAGS: &[Spec] = &[
    val("image", None),
    val("port", None),
    val("labels", Some('l')),
    val("restart", None),
    flag("rm", None),
    flag("stdin", Some('i')),
    flag("tty", Some('t')),
    flag("command", None),
    val("pod-running-timeout", None),
    val("env", None),
];

/// `kubectl run NAME --image=IMAGE [--port=N] [--labels=k=v] [--restart=Never] [-- ARGS…]`: one pod, labelled
/// `run=NAME`.
pub fn run_pod(sim: &mut Sim, f: &Parsed) -> Output {
    let attach = f.bool("stdin") || f.bool("tty");
    if f.bool("rm") && !attach {
        return Output::err("error: --rm should only be used for attached containers");
    }
    let Some(name) = f.args.first() else {
        return Output::err("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
    };
    let Some(image) = f.get("image") else {
        return Output::err("error: required flag(s) \"image\" not set");
    };
    let mut labels = serde_json::Map::new();
    match f.get("labels") {
        Some(l) => {
            for kv in l.split(',') {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                labels.insert(k.to_string(), Value::String(v.to_string()));
            }
        }
        None => {
            labels.insert("run".into(), Value::String(name.clone()));
        }
    }
    let mut container = serde_json::json!({"name": name, "image": image});
    if let Some(p) = f.get("port") {
        match p.parse::<i64>() {
            Ok(p) => container["ports"] = serde_json::json!([{"containerPort": p}]),
            Err(_) => return Output::err(format!("error: invalid argument {p:?} for \"--port\" flag")),
        }
    }
    let args: Vec<String> = match f.dash_at {
        Some(at) => f.args[at..].to_vec(),
        None => f.args[1..].to_vec(),
    };
    if !args.is_empty() {
        container[if f.bool("command") { "command" } else { "args" }] = serde_json::json!(args);
    }
    if f.bool("stdin") {
        container["stdin"] = Value::Bool(true);
        container["stdinOnce"] = Value::Bool(true);
    }
    if f.bool("tty") {
        container["tty"] = Value::Bool(true);
    }
    let env: Vec<Value> = f
        .all("env")
        .iter()
        .map(|e| {
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            serde_json::json!({"name": k, "value": v})
        })
        .collect();
    if !env.is_empty() {
        container["env"] = Value::Array(env);
    }
    let restart = f.get("restart").unwrap_or("Always");
    let pod = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels},
        "spec": {"containers": [container], "restartPolicy": restart},
    });
    let ns = namespace(f);
    let report = sim.send_manifest_in(&pod.to_string(), "STDIN", true, &ns, false, None);
    if !attach || !report.ok() {
        return super::report_output(&report);
    }
    attach_to_new_pod(sim, &ns, name, &args, f.bool("rm"), f.bool("tty"))
}

/// `kubectl run -i/-t`: waits (up to `--pod-running-timeout`, 1 minute) for the pod to run, then attaches to its
/// shell — or, for another command, shows what it printed.
fn attach_to_new_pod(sim: &mut Sim, ns: &str, name: &str, args: &[String], remove: bool, tty: bool) -> Output {
    let key = crate::cluster::store::ObjRef::new(Kind::Pod, ns, name);
    let deadline = sim.now() + 60_000;
    let running = |sim: &Sim| {
        sim.cluster().get::<crate::api::Pod>(&key).is_some_and(|p| crate::controllers::pods::phase(p) == "Running")
    };
    while !running(sim) {
        match sim.next_due().filter(|t| *t <= deadline) {
            Some(t) => sim.run_until(t),
            None => {
                sim.run_until(deadline);
                break;
            }
        }
    }
    let mut out = Output::default();
    if !running(sim) {
        out.stderr.push_str("error: timed out waiting for the condition\n");
        out.code = 1;
        if remove && sim.delete_object(Kind::Pod, ns, name, crate::cluster::Propagation::Background, None).is_ok() {
            out.stdout.push_str(&super::deleted(Kind::Pod, ns, name));
            out.stdout.push('\n');
        }
        return out;
    }
    if tty {
        out.stderr.push_str("All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n");
    }
    out.stderr.push_str("If you don't see a command prompt, try pressing enter.\n");
    let pod = sim.cluster().get::<crate::api::Pod>(&key).cloned();
    let image = pod.as_ref().and_then(|p| p.spec.as_ref()?.containers.first()?.image.clone()).unwrap_or_default();
    let shell_image = matches!(
        crate::cluster::images::resolve(&image),
        crate::cluster::images::Pull::Ok(i) if i.process == crate::cluster::images::Process::Shell
    );
    let program = args.first().map(|a| a.rsplit('/').next().unwrap_or(a).to_string());
    let shell = match program.as_deref() {
        Some(p @ ("bash" | "sh")) if args.len() == 1 => Some(p.to_string()),
        None if shell_image => Some(if image.starts_with("busybox") { "sh".into() } else { "bash".into() }),
        _ => None,
    };
    let attach = super::Attach {
        pod: key.clone(),
        container: name.to_string(),
        shell: shell.clone().unwrap_or_else(|| "sh".into()),
        remove,
        by_run: true,
    };
    if shell.is_some() {
        out.attach = Some(Box::new(attach));
        return out;
    }
    // Another command: what it prints, then the session ends with it.
    let line = super::words::join(args);
    match super::exec::session_line(sim, &attach, &line) {
        Ok(o) | Err(o) => {
            out.stdout.push_str(&o.stdout);
            out.stderr.push_str(&o.stderr);
            out.code = o.code;
        }
    }
    let end = super::exec::session_line(sim, &attach, "exit").err().unwrap_or_default();
    out.stdout.push_str(end.stdout.trim_start_matches("exit\n"));
    out.stderr.push_str(&end.stderr);
    out
}

/// `kubectl api-resources`.
pub fn api_resources() -> Output {
    let rows = resources::TYPES;
    let mut t = String::from("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n");
    for r in rows {
        let version = r.kind.api_version();
        t.push_str(&format!(
            "{}\t{}\t{version}\t{}\t{}\n",
            r.kind.plural(),
            r.short.join(","),
            r.kind.namespaced(),
            r.kind.name()
        ));
    }
    Output::ok(tabwriter::format(&t, 6, 3))
}

/// `kubectl version`.
pub fn version() -> Output {
    let v = crate::api::KUBERNETES_VERSION;
    Output::ok(format!("Client Version: {v}\nKustomize Version: v5.7.1\nServer Version: {v}\n"))
}

/// `kubectl cluster-info`, as a kind cluster answers it.
pub fn cluster_info(sim: &Sim) -> Output {
    let mut s = String::from("Kubernetes control plane is running at https://127.0.0.1:6443\n");
    if sim.cluster().store().get::<api::Service>("kube-system", "kube-dns").is_some() {
        s.push_str(
            "CoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n",
        );
    }
    s.push_str("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    Output::ok(s)
}

/// `kubectl edit` outside the browser.
pub fn edit(f: &Parsed) -> Output {
    if f.args.is_empty() {
        return usage_error("edit", "You must provide one or more resources by argument or filename.");
    }
    Output::err("error: kubectl edit opens the object in the playground's editor; on the command line, edit the file and run kubectl apply -f")
}
