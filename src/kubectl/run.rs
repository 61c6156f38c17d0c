//! `kubectl run` (`pkg/cmd/run`): one pod, optionally attached to (`-i`/`-t`) and removed afterwards (`--rm`).

use super::dryrun::{self, DryRun};
use super::flags::{flag, val, Parsed, Spec};
use super::{namespace, Output};
use crate::cluster::store::Kind;
use crate::sim::Sim;
use serde_json::Value;

pub const RUN_FLAGS: &[Spec] = &[
    val("image", None).required(),
    val("port", None),
    val("labels", Some('l')),
    val("restart", None),
    flag("rm", None),
    flag("stdin", Some('i')),
    flag("tty", Some('t')),
    flag("command", None),
    val("pod-running-timeout", None),
    val("env", None),
    super::dryrun::FLAG,
    super::dryrun::OUTPUT_FLAGS[0],
    super::dryrun::OUTPUT_FLAGS[1],
    super::dryrun::OUTPUT_FLAGS[2],
];

/// `kubectl run NAME --image=IMAGE [--port=N] [--labels=k=v] [--restart=Never] [-- ARGS…]`: one pod, labelled
/// `run=NAME`.
pub fn run_pod(sim: &mut Sim, f: &Parsed, ctx: &super::Context<'_>) -> Output {
    let attach = f.bool("stdin") || f.bool("tty");
    if f.bool("rm") && !attach {
        return super::usage_errorf("run", "--rm should only be used for attached containers");
    }
    let Some(name) = f.args.first() else {
        return super::usage_errorf("run", "NAME is required for run");
    };
    // `getRestartPolicy`: only the three policies, spelled as the API spells them.
    if let Some(policy) = f.get("restart").filter(|p| !matches!(*p, "Always" | "OnFailure" | "Never")) {
        return super::usage_errorf("run", &format!("invalid restart policy: {policy}"));
    }
    // Required: the flag parser has refused a line without it.
    let image = f.get("image").unwrap_or_default();
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
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    // The pod as `generateversioned` builds it: an empty `resources`, `dnsPolicy: ClusterFirst`, an empty status.
    let mut container = serde_json::json!({"name": name, "image": image, "resources": {}});
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
    let ns = namespace(f);
    let mut meta = serde_json::json!({"name": name, "labels": labels});
    if f.has("namespace") {
        meta["namespace"] = Value::String(ns.clone());
    }
    let pod = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        "status": {},
    });
    let what = format!("pod/{name}");
    let mut out = match dry {
        DryRun::Client => printer.print(&pod, &what, "created", dry, true, 0),
        DryRun::None | DryRun::Server => {
            let mut copy = (dry == DryRun::Server).then(|| sim.clone());
            let target = copy.as_mut().unwrap_or(sim);
            let report = target.send_manifest_in(&pod.to_string(), "STDIN", true, &ns, false, None);
            // `run.go` creates the pod itself (no file to name): the server's refusal is printed as it is.
            if let Some(crate::apply::DocFailure::Api { error, .. }) =
                report.results.first().and_then(|r| r.result.as_ref().err())
            {
                return Output::err(super::errors::check(error));
            }
            if !report.ok() {
                return super::report_output(&report);
            }
            let mut stored = report.results.first().and_then(|r| r.stored.clone()).unwrap_or(pod);
            if dry == DryRun::Server {
                super::create::dry_run_created(&mut stored);
            }
            if attach && dry == DryRun::None {
                return attach_to_new_pod(sim, &ns, name, &args, f.bool("rm"), f.bool("tty"));
            }
            printer.print(&stored, &what, "created", dry, true, 0)
        }
    };
    out.warnings.insert_str(0, &warnings);
    out
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
