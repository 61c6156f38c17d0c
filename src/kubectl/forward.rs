//! `kubectl port-forward` (`pkg/cmd/portforward`), and the commands for parts of Kubernetes kubeplay does not
//! simulate (`top`, which needs metrics-server; `autoscale`, which needs the HorizontalPodAutoscaler controller),
//! which say so in one line.
//!
//! A forward makes the workstation's `localhost:PORT` reach a pod through the API server (`curl localhost:8080`).
//! Real kubectl keeps running in the foreground while it forwards; kubeplay's terminal lets the next lines run, as
//! if from a second terminal, and the forward lasts until Ctrl+C (in the page) or until its pod is gone.

use super::dryrun::{self, DryRun};
use super::flags::{int, val, Parsed, Spec};
use super::{errors, get, namespace, Context, Output, HINT_PREFIX};
use crate::api::{self, Pod};
use crate::cluster::store::{Kind, ObjRef};
use crate::net::Forward;
use crate::sim::Sim;

pub const FLAGS: &[Spec] = &[val("address", None), val("pod-running-timeout", None)];

fn usage() -> Output {
    super::usage_errorf("port-forward", "TYPE/NAME and list of ports are required for port-forward")
}

/// The pod kubectl forwards to for an object (`AttachablePodForObject`): the pod itself, or the most active pod a
/// Deployment's, ReplicaSet's or Service's selector picks (running and ready first, then the oldest).
fn pod_for(sim: &Sim, kind: Kind, ns: &str, name: &str) -> Result<ObjRef, Output> {
    let store = sim.cluster().store();
    let obj = get::object_json(store, kind, ns, name);
    if obj.is_null() {
        return Err(Output::err(errors::not_found(kind, name)));
    }
    if kind == Kind::Pod {
        return Ok(ObjRef::new(Kind::Pod, ns, name));
    }
    let selector: std::collections::BTreeMap<String, String> = match kind {
        Kind::Deployment | Kind::ReplicaSet => serde_json::from_value(obj["spec"]["selector"]["matchLabels"].clone()),
        Kind::Service => serde_json::from_value(obj["spec"]["selector"].clone()),
        other => return Err(Output::err(format!("error: cannot attach to {}: not implemented", other.name()))),
    }
    .unwrap_or_default();
    if selector.is_empty() {
        return Err(Output::err(format!("error: cannot attach to {}: selector is empty", kind.name())));
    }
    let mut pods: Vec<&Pod> = store
        .list::<Pod>(Some(ns))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| selector.iter().all(|(k, v)| p.metadata.labels.as_ref().and_then(|l| l.get(k)) == Some(v)))
        .collect();
    let rank = |p: &Pod| {
        let running = crate::controllers::pods::phase(p) == "Running";
        let ready = crate::controllers::pods::is_ready(p);
        (!running, !ready, p.metadata.creation_timestamp.clone().map(|t| t.0), api::name_of(&p.metadata).to_string())
    };
    crate::util::sort_by_cached_key(&mut pods, |p| rank(p));
    match pods.first() {
        Some(p) => Ok(ObjRef::of(*p)),
        None => Err(Output::err(format!("error: no pods found for {} {name}", kind.singular()))),
    }
}

/// `kubectl port-forward (TYPE/NAME | POD) [LOCAL_PORT:]REMOTE_PORT…`.
pub fn port_forward(sim: &mut Sim, f: &Parsed) -> Output {
    let Some((target, ports)) = f.args.split_first() else { return usage() };
    if ports.is_empty() {
        return usage();
    }
    let ns = namespace(f);
    let (kind, name) = match target.split_once('/') {
        Some((t, n)) => match super::resources::resolve(t) {
            Ok(k) => (k, n.to_string()),
            Err(w) => return Output::err(super::resources::unknown_type(&w)),
        },
        None => (Kind::Pod, target.clone()),
    };
    let pod_ref = match pod_for(sim, kind, &ns, &name) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let Some(pod) = sim.cluster().get::<Pod>(&pod_ref).cloned() else {
        return Output::err(errors::not_found(Kind::Pod, &pod_ref.name));
    };
    let phase = crate::controllers::pods::phase(&pod);
    if phase != "Running" {
        return Output::err(format!(
            "error: unable to forward port because pod is not running. Current status={phase}"
        ));
    }
    let service = (kind == Kind::Service).then(|| get::object_json(sim.cluster().store(), kind, &ns, &name));
    let mut wanted: Vec<(i32, i32)> = Vec::new();
    for spec in ports {
        let (local, remote) = spec.split_once(':').unwrap_or((spec, spec));
        let remote_port = match remote.parse::<i32>() {
            Ok(p) if (1..=65535).contains(&p) => p,
            // A named port: the container's port of that name.
            _ => match pod
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .find(|p| p.name.as_deref() == Some(remote))
            {
                Some(p) => p.container_port,
                None => {
                    return Output::err(format!("error: Pod '{}' does not have a named port '{remote}'", pod_ref.name))
                }
            },
        };
        // For a Service, the remote port is the Service's: it forwards to the port's targetPort.
        let remote_port = match &service {
            Some(svc) => match svc["spec"]["ports"].as_array().into_iter().flatten().find(|p| p["port"] == remote_port)
            {
                Some(p) => p["targetPort"].as_i64().map_or(remote_port, |t| t as i32),
                None => {
                    return Output::err(format!("error: Service {name} does not have a service port {remote_port}"))
                }
            },
            None => remote_port,
        };
        let local_port = if local.is_empty() {
            // `:80`: a free local port, chosen as the kernel would (kubeplay takes the first free one above 40000).
            (40_000..).find(|p| !sim.net.forwards.iter().any(|f| f.local == *p)).unwrap_or(40_000)
        } else {
            match local.parse::<i32>() {
                Ok(p) if (1..=65535).contains(&p) => p,
                _ => {
                    return Output::err(format!(
                    "error: Error parsing local port '{local}': strconv.ParseUint: parsing {local:?}: invalid syntax"
                ))
                }
            }
        };
        wanted.push((local_port, remote_port));
    }
    let mut out = Output::default();
    for (local, remote) in &wanted {
        if sim.net.forwards.iter().any(|f| f.local == *local) {
            out.stderr.push_str(&format!(
                "Unable to listen on port {local}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:{local}: bind: address already in use unable to create listener: Error listen tcp6 [::1]:{local}: bind: address already in use]\n"
            ));
            continue;
        }
        sim.net.forwards.push(Forward { local: *local, pod: pod_ref.clone(), port: *remote });
        // `--address` (default `localhost`: both loopback addresses); the workstation's curl reaches any of them.
        for address in f.get("address").unwrap_or("localhost").split(',').filter(|a| !a.is_empty()) {
            match address {
                "localhost" => out.stdout.push_str(&format!(
                    "Forwarding from 127.0.0.1:{local} -> {remote}\nForwarding from [::1]:{local} -> {remote}\n"
                )),
                ip if ip.contains(':') => out.stdout.push_str(&format!("Forwarding from [{ip}]:{local} -> {remote}\n")),
                ip => out.stdout.push_str(&format!("Forwarding from {ip}:{local} -> {remote}\n")),
            }
        }
    }
    if out.stdout.is_empty() {
        let list: Vec<String> = wanted.iter().map(|(l, r)| format!("{{{l} {r}}}")).collect();
        out.fail(&format!("error: unable to listen on any of the requested ports: [{}]", list.join(" ")));
        return out;
    }
    out.stdout.push_str(&format!(
        "{HINT_PREFIX}the forward keeps running while you type on, as if in a second terminal: `curl localhost:{}` reaches pod {} through the API server; Ctrl+C stops it\n",
        wanted[0].0, pod_ref.name
    ));
    out
}

/// Forwards whose pod is gone end, as kubectl's does when the pod's stream closes.
pub fn prune(sim: &mut Sim) {
    let alive = |f: &Forward| sim.cluster().get::<Pod>(&f.pod).is_some_and(|p| p.metadata.deletion_timestamp.is_none());
    let keep: Vec<Forward> = sim.net.forwards.iter().filter(|f| alive(f)).cloned().collect();
    sim.net.forwards = keep;
}

// ---- not simulated ----

/// `kubectl top` alone: cobra prints the group's help on standard error and fails.
const TOP_HELP: &str = "Display resource (CPU/memory) usage.\n\n This command provides a view of recent resource consumption for nodes and pods. It fetches metrics from the Metrics Server, which aggregates this data from the kubelet on each node. The Metrics Server must be installed and running in the cluster for this command to work.\n\n The metrics shown are specifically optimized for Kubernetes autoscaling decisions, such as those made by the Horizontal Pod Autoscaler (HPA) and Vertical Pod Autoscaler (VPA). Because of this, the values may not match those from standard OS tools like 'top', as the metrics are designed to provide a stable signal for autoscalers rather than for pinpoint accuracy.\n\n When to use this command:\n\n  *  For on-the-fly spot-checks of resource usage (e.g. identify which pods are consuming the most resources at a glance, or get a quick sense of the load on your nodes)\n  *  Understand current resource consumption patterns\n  *  Validate the behavior of your HPA or VPA configurations by seeing the metrics they use for scaling decisions.\n\n It is not intended to be a replacement for full-featured monitoring solutions. Its primary design goal is to provide a low-overhead signal for autoscalers, not to be a perfectly accurate monitoring tool. For high-accuracy reporting, historical analysis, dashboarding, or alerting, you should use a dedicated monitoring solution.\n\nAvailable Commands:\n  node          Display resource (CPU/memory) usage of nodes\n  pod           Display resource (CPU/memory) usage of pods\n\nUsage:\n  kubectl top [flags] [options]\n\nUse \"kubectl top <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

pub const TOP_FLAGS: &[Spec] = &[
    val("selector", Some('l')),
    super::flags::flag("all-namespaces", Some('A')),
    super::flags::flag("containers", None),
    super::flags::flag("no-headers", None),
    val("sort-by", None),
];

/// `kubectl top pod|node`: what kubectl says on a cluster without metrics-server (kind's, kubeplay's), and why.
pub fn top(f: &Parsed) -> Output {
    match f.args.first().map(String::as_str) {
        None => Output { stderr: TOP_HELP.into(), code: 1, ..Output::default() },
        Some("pod" | "pods" | "po" | "node" | "nodes" | "no") => {
            let mut o = Output::err("error: Metrics API not available");
            o.stderr.push_str(&format!(
                "{HINT_PREFIX}kubeplay does not simulate metrics-server, which serves the Metrics API that kubectl top reads\n"
            ));
            o
        }
        Some(other) => Output::err(format!("error: unknown command {other:?} for \"kubectl top\"")),
    }
}

pub const AUTOSCALE_FLAGS: &[Spec] = &[
    int("min", None, 32),
    int("max", None, 32).required(),
    int("cpu-percent", None, 32).deprecated(
        "Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).",
    ),
    val("cpu", None),
    val("memory", None),
    val("name", None),
    dryrun::FLAG,
    dryrun::OUTPUT_FLAGS[0],
    dryrun::OUTPUT_FLAGS[1],
    dryrun::OUTPUT_FLAGS[2],
];

/// `kubectl autoscale (TYPE NAME | TYPE/NAME) --max=N [--min=N] [--cpu-percent=N]`: a client dry run prints the
/// HorizontalPodAutoscaler kubectl would create; creating one says that kubeplay has no HPA controller.
pub fn autoscale(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>) -> Output {
    let (kind, name) = match super::one_target(&f.args, "autoscale") {
        Ok(t) => t,
        Err(o) => return o,
    };
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let ns = namespace(f);
    if get::object_json(sim.cluster().store(), kind, &ns, &name).is_null() {
        return Output::err(errors::not_found(kind, &name));
    }
    if !matches!(kind, Kind::Deployment | Kind::ReplicaSet) {
        return Output::err(format!("error: cannot autoscale a {}: not scalable", kind.name()));
    }
    let hpa_name = f.get("name").unwrap_or(&name).to_string();
    let mut spec = serde_json::json!({
        "maxReplicas": f.int("max").unwrap_or(0),
        "scaleTargetRef": { "apiVersion": kind.api_version(), "kind": kind.name(), "name": name },
    });
    if let Some(min) = f.int("min").filter(|m| *m >= 0) {
        spec["minReplicas"] = serde_json::json!(min);
    }
    // `--cpu` / `--memory`: `70%` is a utilization target, a quantity (`500m`, `500Mi`) an average value;
    // the deprecated `--cpu-percent=N` is `--cpu=N%`.
    let cpu =
        f.get("cpu").map(str::to_string).or_else(|| f.int("cpu-percent").filter(|c| *c >= 0).map(|c| format!("{c}%")));
    let mut metrics = Vec::new();
    for (name, target) in [("cpu", cpu), ("memory", f.get("memory").map(str::to_string))] {
        let Some(t) = target.filter(|t| !t.is_empty()) else { continue };
        let target = match t.strip_suffix('%').map(str::parse::<i32>) {
            Some(Ok(n)) => serde_json::json!({ "type": "Utilization", "averageUtilization": n }),
            Some(Err(_)) => return Output::err(format!("error: invalid resource percentage for --{name}: {t:?}")),
            None if crate::api::quantity::parse(&t).is_some() => {
                serde_json::json!({ "type": "AverageValue", "averageValue": t })
            }
            None => return Output::err(format!("error: invalid resource quantity for --{name}: {t:?}")),
        };
        metrics.push(serde_json::json!({ "type": "Resource", "resource": { "name": name, "target": target } }));
    }
    if !metrics.is_empty() {
        spec["metrics"] = serde_json::Value::Array(metrics);
    }
    let hpa = serde_json::json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": { "name": hpa_name },
        "spec": spec,
        "status": { "currentMetrics": null, "desiredReplicas": 0 },
    });
    let mut out = match dry {
        DryRun::Client => printer.print(&hpa, &format!("horizontalpodautoscaler.autoscaling/{hpa_name}"), "autoscaled", dry, true, 0),
        _ => Output::err("error: kubeplay does not simulate HorizontalPodAutoscalers (autoscaling/v2) or metrics-server, so kubectl autoscale has nothing to create; kubectl scale sets the replicas by hand"),
    };
    out.warnings.insert_str(0, &warnings);
    out
}
