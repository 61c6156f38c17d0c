//! `kubectl create TYPE NAME …`: the generators (`pkg/cmd/create/create_*.go`) — deployment, service
//! clusterip|nodeport|loadbalancer|externalname, configmap, secret generic, namespace. Each builds the object as its
//! Go type (so `--dry-run=client -o yaml` prints exactly what kubectl would send) and sends it, or not.

use super::dryrun::{self, DryRun, Printer};
use super::flags::{flag, int, val, Parsed, Spec, Sub};
use super::{Context, Output};
use crate::cluster::store::Kind;
use crate::sim::Sim;
use serde_json::{json, Map, Value};

const GENERATOR_FLAGS: [Spec; 5] = [
    super::dryrun::FLAG,
    super::dryrun::OUTPUT_FLAGS[0],
    super::dryrun::OUTPUT_FLAGS[1],
    super::dryrun::OUTPUT_FLAGS[2],
    flag("save-config", None),
];

/// `create deployment`: `--image` is required (and may repeat), `-r` and `--port` are 32-bit integers.
const DEPLOYMENT_FLAGS: &[Spec] = &[
    val("image", None).required(),
    int("replicas", Some('r'), 32),
    int("port", None, 32),
    GENERATOR_FLAGS[0],
    GENERATOR_FLAGS[1],
    GENERATOR_FLAGS[2],
    GENERATOR_FLAGS[3],
    GENERATOR_FLAGS[4],
];

const SERVICE_FLAGS: &[Spec] = &[
    val("tcp", None),
    val("clusterip", None),
    int("node-port", None, 64),
    val("external-name", None),
    GENERATOR_FLAGS[0],
    GENERATOR_FLAGS[1],
    GENERATOR_FLAGS[2],
    GENERATOR_FLAGS[3],
    GENERATOR_FLAGS[4],
];

const DATA_FLAGS: &[Spec] = &[
    val("from-literal", None),
    val("from-file", None),
    val("from-env-file", None),
    val("type", None),
    GENERATOR_FLAGS[0],
    GENERATOR_FLAGS[1],
    GENERATOR_FLAGS[2],
    GENERATOR_FLAGS[3],
    GENERATOR_FLAGS[4],
];

/// The four Service generators: each accepts the flags of its type.
const SERVICE_TYPES: &[Sub] = &[
    Sub {
        names: &["clusterip"],
        shown: "create service clusterip",
        flags: &[
            SERVICE_FLAGS[0],
            SERVICE_FLAGS[1],
            SERVICE_FLAGS[4],
            SERVICE_FLAGS[5],
            SERVICE_FLAGS[6],
            SERVICE_FLAGS[7],
            SERVICE_FLAGS[8],
        ],
        subs: &[],
    },
    Sub {
        names: &["nodeport"],
        shown: "create service nodeport",
        flags: &[
            SERVICE_FLAGS[0],
            SERVICE_FLAGS[2],
            SERVICE_FLAGS[4],
            SERVICE_FLAGS[5],
            SERVICE_FLAGS[6],
            SERVICE_FLAGS[7],
            SERVICE_FLAGS[8],
        ],
        subs: &[],
    },
    Sub {
        names: &["loadbalancer"],
        shown: "create service loadbalancer",
        flags: &[
            SERVICE_FLAGS[0],
            SERVICE_FLAGS[4],
            SERVICE_FLAGS[5],
            SERVICE_FLAGS[6],
            SERVICE_FLAGS[7],
            SERVICE_FLAGS[8],
        ],
        subs: &[],
    },
    Sub {
        names: &["externalname"],
        shown: "create service externalname",
        flags: &[
            SERVICE_FLAGS[0],
            SERVICE_FLAGS[3],
            SERVICE_FLAGS[4],
            SERVICE_FLAGS[5],
            SERVICE_FLAGS[6],
            SERVICE_FLAGS[7],
            SERVICE_FLAGS[8],
        ],
        subs: &[],
    },
];

/// `create`'s subcommands, in `kubectl create --help`'s order of those kubeplay builds.
pub const SUBS: &[Sub] = &[
    Sub { names: &["configmap", "cm"], shown: "create configmap", flags: DATA_FLAGS, subs: &[] },
    Sub { names: &["deployment", "deploy"], shown: "create deployment", flags: DEPLOYMENT_FLAGS, subs: &[] },
    Sub { names: &["namespace", "ns"], shown: "create namespace", flags: &GENERATOR_FLAGS, subs: &[] },
    Sub {
        names: &["secret"],
        shown: "create secret",
        flags: &[],
        subs: &[Sub { names: &["generic"], shown: "create secret generic", flags: DATA_FLAGS, subs: &[] }],
    },
    Sub { names: &["service", "svc"], shown: "create service", flags: &[], subs: SERVICE_TYPES },
];

/// `kubectl create --help`'s help of each group kubeplay builds, printed (to standard error, exit 1) when the
/// group is named without its subcommand, as cobra does.
const SERVICE_HELP: &str = "Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n\nUse \"kubectl create service <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";
const SECRET_HELP: &str = "Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container registry.\n\n A generic type secret indicate an Opaque secret type.\n\n A tls type secret holds TLS certificate and its associated key.\n\nAvailable Commands:\n  docker-registry   Create a secret for use with a Docker registry\n  generic           Create a secret from a local file, directory, or literal value\n  tls               Create a TLS secret\n\nUsage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n\nUse \"kubectl create secret <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

/// `kubectl create TYPE …` (no `-f`): `f.args` starts with the subcommand's name(s).
pub fn generator(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>) -> Output {
    let args: Vec<&str> = f.args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => Output::err("error: must specify one of -f and -k"),
        ["deployment" | "deploy", rest @ ..] => deployment(sim, f, ctx, rest),
        ["namespace" | "ns", rest @ ..] => namespace(sim, f, ctx, rest),
        ["configmap" | "cm", rest @ ..] => data(sim, f, ctx, rest, false),
        ["secret"] => Output { stderr: SECRET_HELP.into(), code: 1, ..Output::default() },
        ["secret", "generic", rest @ ..] => data(sim, f, ctx, rest, true),
        ["secret", "docker-registry" | "tls", ..] => Output::err(format!(
            "error: kubeplay creates generic secrets; `create secret {}` is not simulated",
            args[1]
        )),
        ["secret", rest @ ..] => Output::err(format!(
            "error: unknown command {:?}\nSee 'kubectl create secret -h' for help and examples",
            rest.join(" ")
        )),
        ["service" | "svc"] => Output { stderr: SERVICE_HELP.into(), code: 1, ..Output::default() },
        ["service" | "svc", ty @ ("clusterip" | "nodeport" | "loadbalancer" | "externalname"), rest @ ..] => {
            service(sim, f, ctx, ty, rest)
        }
        ["service" | "svc", rest @ ..] => Output::err(format!(
            "error: unknown command {:?}\nSee 'kubectl create service -h' for help and examples",
            rest.join(" ")
        )),
        [other, ..] => Output::err(format!("error: unknown command {other:?} for \"kubectl create\"")),
    }
}

/// `NameFromCommandArgs`: exactly one NAME.
fn one_name<'a>(rest: &[&'a str], shown: &str) -> Result<&'a str, Output> {
    match rest {
        [name] => Ok(name),
        _ => Err(Output::err(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl {shown} -h' for help and examples",
            rest.len()
        ))),
    }
}

/// `metadata` of a generated object: its name, the namespace when `-n` was given (`EnforceNamespace`), labels.
fn meta(name: &str, f: &Parsed, namespaced: bool, labels: Option<Value>) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    if namespaced && f.has("namespace") {
        m.insert("namespace".into(), json!(super::namespace(f)));
    }
    if let Some(l) = labels {
        m.insert("labels".into(), l);
    }
    Value::Object(m)
}

/// `create deployment NAME --image=IMAGE… [--replicas=N] [--port=N] [-- COMMAND [ARG…]]`
/// (`CreateDeploymentOptions.createDeployment` and `buildPodSpec`).
fn deployment(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>, rest: &[&str]) -> Output {
    // Everything after `--` is the container's command.
    let named: Vec<&str> = match f.dash_at {
        Some(at) => rest[..at.saturating_sub(1).min(rest.len())].to_vec(),
        None => rest.to_vec(),
    };
    let command: Vec<String> = f.dash_at.map(|at| f.args[at..].to_vec()).unwrap_or_default();
    let name = match one_name(&named, "create deployment") {
        Ok(n) => n,
        Err(e) => return e,
    };
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let labels = json!({ "app": name });
    let mut containers = Vec::new();
    for image in f.all("image") {
        // The image's last path element without tag or digest names the container.
        let base = image.rsplit('/').next().unwrap_or(image);
        let cname = base.split(':').next().unwrap_or(base);
        let cname = cname.split('@').next().unwrap_or(cname);
        let mut c = Map::new();
        c.insert("name".into(), json!(cname));
        c.insert("image".into(), json!(image));
        if !command.is_empty() {
            c.insert("command".into(), json!(command));
        }
        c.insert("resources".into(), json!({}));
        containers.push(Value::Object(c));
    }
    if let (Some(port), Some(Value::Object(first))) = (f.int("port"), containers.first_mut()) {
        if port >= 0 {
            first.insert("ports".into(), json!([{ "containerPort": port }]));
        }
    }
    let obj = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(name, f, true, Some(labels.clone())),
        "spec": {
            "replicas": f.int("replicas").unwrap_or(1),
            "selector": { "matchLabels": labels },
            "template": { "metadata": { "labels": labels }, "spec": { "containers": containers } },
            "strategy": {}
        },
        "status": {}
    });
    send(sim, f, Kind::Deployment, obj, (dry, &printer, warnings), "failed to create deployment: ")
}

/// `create namespace NAME`.
fn namespace(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>, rest: &[&str]) -> Output {
    let name = match one_name(rest, "create namespace") {
        Ok(n) => n,
        Err(e) => return e,
    };
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let obj = json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": meta(name, f, false, None), "spec": {}, "status": {} });
    send(sim, f, Kind::Namespace, obj, (dry, &printer, warnings), "")
}

/// `create service TYPE NAME [--tcp=port[:targetPort]]…` (`ServiceOptions.createService`).
fn service(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>, ty: &str, rest: &[&str]) -> Output {
    let shown = format!("create service {ty}");
    let name = match one_name(rest, &shown) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let kind = match ty {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        _ => "ExternalName",
    };
    // `--tcp` is a string slice: repeated, or comma-separated.
    let tcp: Vec<&str> = f.all("tcp").iter().flat_map(|t| t.split(',')).filter(|t| !t.is_empty()).collect();
    let cluster_ip = f.get("clusterip").unwrap_or("");
    // `Validate`.
    if tcp.is_empty() && !(kind == "ClusterIP" && cluster_ip == "None") && kind != "ExternalName" {
        return Output::err("error: at least one tcp port specifier must be provided");
    }
    if kind == "ExternalName" && f.get("external-name").unwrap_or("").is_empty() {
        return Output::err("error: external name must be specified");
    }
    let mut ports = Vec::new();
    for spec in &tcp {
        let (port, target) = spec.split_once(':').map_or((*spec, None), |(p, t)| (p, Some(t)));
        let port = match parse_port(port) {
            Ok(p) => p,
            Err(e) => return Output::err(format!("error: {e}")),
        };
        // intstr.Parse: a number, else a named port.
        let target = match target {
            None => json!(port),
            Some(t) => t.parse::<i32>().map_or_else(|_| json!(t), |n| json!(n)),
        };
        let mut p = Map::new();
        p.insert("name".into(), json!(spec.replace(':', "-")));
        p.insert("protocol".into(), json!("TCP"));
        p.insert("port".into(), json!(port));
        p.insert("targetPort".into(), target);
        if let Some(np) = f.int("node-port").filter(|n| *n != 0) {
            p.insert("nodePort".into(), json!(np));
        }
        ports.push(Value::Object(p));
    }
    let labels = json!({ "app": name });
    let mut spec = Map::new();
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), labels.clone());
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), json!(cluster_ip));
    }
    spec.insert("type".into(), json!(kind));
    if let Some(ext) = f.get("external-name").filter(|e| !e.is_empty()) {
        spec.insert("externalName".into(), json!(ext));
    }
    let obj = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(name, f, true, Some(labels)),
        "spec": spec,
        "status": { "loadBalancer": {} }
    });
    send(sim, f, Kind::Service, obj, (dry, &printer, warnings), &format!("failed to create {kind} service: "))
}

/// `strconv.ParseUint(port, 10, 16)`, with its error words.
fn parse_port(s: &str) -> Result<u16, String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.ParseUint: parsing {s:?}: invalid syntax"));
    }
    s.parse::<u16>().map_err(|_| format!("strconv.ParseUint: parsing {s:?}: value out of range"))
}

/// `create configmap NAME` / `create secret generic NAME` with `--from-literal`, `--from-file`, `--from-env-file`
/// (`ConfigMapOptions.createConfigMap`, `CreateSecretOptions.createSecret`).
fn data(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>, rest: &[&str], secret: bool) -> Output {
    let (shown, what) = if secret { ("create secret generic", "Secret") } else { ("create configmap", "ConfigMap") };
    let name = match one_name(rest, shown) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let mut entries: Vec<(String, String)> = Vec::new();
    let add = |key: String, value: String, entries: &mut Vec<(String, String)>| -> Result<(), String> {
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || "-._".contains(c)) {
            return Err(format!(
                "{key:?} is not a valid key name for a {what}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
            ));
        }
        if entries.iter().any(|(k, _)| *k == key) {
            return Err(format!(
                "cannot add key {key:?}, another key by that name already exists in Data for {what} {name:?}"
            ));
        }
        entries.push((key, value));
        Ok(())
    };
    // The order kubectl reads the sources: files, then literals, then env files.
    for spec in f.all("from-file").iter().flat_map(|s| s.split(',')) {
        let (key, path) = match spec.split_once('=') {
            Some((k, p)) => (k.to_string(), p),
            None => (spec.rsplit('/').next().unwrap_or(spec).to_string(), spec),
        };
        let text = match ctx.files.read(path) {
            Ok(t) => t,
            Err(_) => return Output::err(format!("error: error reading {path}: no such file or directory")),
        };
        if let Err(e) = add(key, text, &mut entries) {
            return Output::err(format!("error: {e}"));
        }
    }
    for literal in f.all("from-literal") {
        let Some((k, v)) = literal.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Output::err(format!("error: invalid literal source {literal}, expected key=value"));
        };
        // A value in quotes loses them (`--from-literal=a="b"`).
        let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
        if let Err(e) = add(k.to_string(), v.to_string(), &mut entries) {
            return Output::err(format!("error: {e}"));
        }
    }
    for path in f.all("from-env-file") {
        let text = match ctx.files.read(path) {
            Ok(t) => t,
            Err(_) => return Output::err(format!("error: error reading {path}: no such file or directory")),
        };
        for line in text.lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (k, v) = line.split_once('=').unwrap_or((line, ""));
            if let Err(e) = add(k.to_string(), v.to_string(), &mut entries) {
                return Output::err(format!("error: {e}"));
            }
        }
    }
    let data: Map<String, Value> = entries
        .into_iter()
        .map(|(k, v)| (k, json!(if secret { crate::util::base64(v.as_bytes()) } else { v })))
        .collect();
    let mut obj = Map::new();
    obj.insert("apiVersion".into(), json!("v1"));
    obj.insert("kind".into(), json!(what));
    obj.insert("metadata".into(), meta(name, f, true, None));
    if !data.is_empty() {
        obj.insert("data".into(), Value::Object(data));
    }
    if let Some(t) = f.get("type").filter(|t| secret && !t.is_empty()) {
        obj.insert("type".into(), json!(t));
    }
    // `create_secret.go` puts no colon after its words; `create_configmap.go` does.
    let failed = if secret { "failed to create secret " } else { "failed to create configmap: " };
    let kind = if secret { Kind::Secret } else { Kind::ConfigMap };
    send(sim, f, kind, Value::Object(obj), (dry, &printer, warnings), failed)
}

/// Sends a generated object as `kubectl create` does (or, for a client dry run, prints it), and prints the result.
/// `failed` is the generator's words before the server's error (`failed to create deployment: `); empty: none.
fn send(
    sim: &mut Sim,
    f: &Parsed,
    kind: Kind,
    mut obj: Value,
    (dry, printer, warnings): (DryRun, &Printer, String),
    failed: &str,
) -> Output {
    // `--save-config`: the object as kubectl built it, compact, becomes its last-applied annotation
    // (`CreateOrUpdateAnnotation`) — before the dry-run check, except in `create service`, which annotates only
    // what it sends.
    let service = kind == Kind::Service;
    if f.bool("save-config") && !(service && dry == DryRun::Client) {
        let text = format!("{}\n", crate::manifest::goorder::to_json_compact(&obj));
        obj["metadata"]["annotations"][crate::manifest::merge::LAST_APPLIED] = Value::String(text);
    }
    let name = obj["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let what = format!("{}/{name}", kind.printed());
    let mut out = match dry {
        DryRun::Client => printer.print(&obj, &what, "created", dry, true, 0),
        DryRun::None => create(sim, f, &obj, kind, dry, printer, &what, failed),
        DryRun::Server => {
            let mut copy = sim.clone();
            create(&mut copy, f, &obj, kind, dry, printer, &what, failed)
        }
    };
    out.warnings.insert_str(0, &warnings);
    out
}

#[allow(clippy::too_many_arguments)]
fn create(
    sim: &mut Sim,
    f: &Parsed,
    obj: &Value,
    _kind: Kind,
    dry: DryRun,
    printer: &Printer,
    what: &str,
    failed: &str,
) -> Output {
    let ns = super::namespace(f);
    let text = crate::manifest::print::to_yaml(obj);
    let report = sim.send_manifest_in(&text, "STDIN", true, &ns, false, None);
    match report.results.first().map(|r| &r.result) {
        Some(Ok(_)) => {
            let mut stored = report.results[0].stored.clone().unwrap_or_else(|| obj.clone());
            if dry == DryRun::Server {
                dry_run_created(&mut stored);
            }
            let mut out = printer.print(&stored, what, "created", dry, true, 0);
            let report_warnings = super::report_output(&report).warnings;
            out.warnings.insert_str(0, &report_warnings);
            out
        }
        Some(Err(crate::apply::DocFailure::Api { error, .. })) if !failed.is_empty() => {
            Output::err(format!("error: {failed}{}", error.message))
        }
        // `create namespace` returns the server's error as it is (no file to name).
        Some(Err(crate::apply::DocFailure::Api { error, .. })) => Output::err(super::errors::check(error)),
        _ => super::report_output(&report),
    }
}

/// A server dry run's answer to a create: the object as it would have been stored, without the resourceVersion
/// only a real write to storage assigns.
pub fn dry_run_created(obj: &mut Value) {
    if let Some(m) = obj["metadata"].as_object_mut() {
        m.remove("resourceVersion");
    }
}

#[cfg(test)]
mod tests {}
