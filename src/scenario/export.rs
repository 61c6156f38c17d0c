//! The way out to a real cluster: a run's files as one YAML stream, and its terminal lines as a shell script for kind
//! or minikube, with a `# kubeplay:` note at every place where the simulation differs from a real cluster
//! (generated names and addresses, interactive shells, watches, the cloud load balancer, traffic generators, stepped
//! time).
//!
//! The script is made by replaying the recording, so each note can look at the cluster as it was when the line was
//! typed.

use super::{Action, Run, Source};
use crate::cluster::clock::Millis;
use crate::kubectl::words;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The editor's files as one YAML stream, each under a comment with its name.
pub fn yaml_stream(run: &Run) -> String {
    let mut out = String::new();
    for (name, text) in &run.files.0 {
        if !out.is_empty() {
            out.push_str("---\n");
        }
        let _ = writeln!(out, "# {name}");
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

const EOF_MARK: &str = "KUBEPLAY_EOF";

/// Things the simulation made up that a real cluster will make up differently: (word, what it is).
fn generated(run: &Run) -> BTreeMap<String, String> {
    use crate::api::{Node, Pod, ReplicaSet, Service};
    let store = run.sim.cluster().store();
    let mut m = BTreeMap::new();
    for p in store.list::<Pod>(None) {
        let name = p.metadata.name.clone().unwrap_or_default();
        if p.metadata.generate_name.is_some() || crate::api::controller_of(&p.metadata).is_some() {
            m.insert(name.clone(), format!("pod {name} has a name the simulation generated"));
        }
        if let Some(ip) = p.status.as_ref().and_then(|s| s.pod_ip.clone()) {
            m.insert(ip.clone(), format!("{ip} is pod {name}'s address in the simulation"));
        }
    }
    for rs in store.list::<ReplicaSet>(None) {
        let name = rs.metadata.name.clone().unwrap_or_default();
        m.insert(name.clone(), format!("ReplicaSet {name} has a name the simulation generated"));
    }
    for s in store.list::<Service>(None) {
        let name = s.metadata.name.clone().unwrap_or_default();
        let spec = s.spec.clone().unwrap_or_default();
        for ip in spec.cluster_ips.iter().flatten() {
            m.insert(ip.clone(), format!("{ip} is the ClusterIP the simulation gave svc/{name}"));
        }
        for ing in s.status.iter().filter_map(|s| s.load_balancer.as_ref()).flat_map(|l| l.ingress.iter().flatten()) {
            if let Some(ip) = &ing.ip {
                m.insert(ip.clone(), format!("{ip} is the load balancer address the simulated cloud gave svc/{name}"));
            }
        }
        for port in spec.ports.iter().flatten().filter_map(|p| p.node_port) {
            m.entry(port.to_string()).or_insert(format!("{port} is a node port of svc/{name}"));
        }
    }
    for n in store.list::<Node>(None) {
        let name = n.metadata.name.clone().unwrap_or_default();
        for a in n.status.iter().flat_map(|s| s.addresses.iter().flatten()) {
            if a.type_ == "InternalIP" {
                m.insert(a.address.clone(), format!("{} is node {name}'s address in the simulation", a.address));
            }
        }
    }
    m
}

/// The notes for one typed line: the generated names and addresses it mentions.
fn mentions(line: &str, names: &BTreeMap<String, String>) -> Vec<String> {
    let mut notes = BTreeSet::new();
    for token in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')) {
        for part in [token, token.trim_end_matches('.')] {
            if let Some(what) = names.get(part) {
                notes.insert(what.clone());
            }
        }
    }
    notes.into_iter().collect()
}

/// A line as a script can run it without a terminal: `-t`/`--tty` dropped (`-it` becomes `-i`).
fn without_tty(line: &str) -> String {
    let Ok(ws) = words::split(line) else { return line.to_string() };
    let kept: Vec<String> = ws
        .into_iter()
        .filter(|w| w != "-t" && w != "--tty" && w != "--tty=true")
        .map(|w| if w == "-it" || w == "-ti" { "-i".to_string() } else { w })
        .collect();
    words::join(&kept)
}

fn sleep(out: &mut String, from: Millis, to: Millis) {
    let secs = to.saturating_sub(from).div_ceil(1000);
    if secs > 0 {
        let _ = writeln!(out, "sleep {secs}");
    }
}

/// The run as a shell script for a real cluster.
pub fn script(run: &Run) -> String {
    let settings = &run.settings;
    let mut out = String::new();
    let _ = write!(
        out,
        "#!/bin/sh\n\
         # This kubeplay run as a script for a real cluster. kubeplay simulates Kubernetes 1.35.\n\
         #\n\
         # Make a cluster shaped like the simulated one (a control-plane node and {w} worker{s}), then run this script\n\
         # in an empty directory: it writes the editor's files as the run wrote them and types the run's lines, with\n\
         # the virtual time between them as `sleep`.\n\
         #   kind:     printf 'kind: Cluster\\napiVersion: kind.x-k8s.io/v1alpha4\\nnodes:\\n- role: control-plane\\n{workers}' > kind.yaml\n\
         #             kind create cluster --config kind.yaml\n\
         #   minikube: minikube start --nodes {n}\n\
         #\n\
         # kubeplay: image pulls, container start-up and shutdown take simulated times (pull and start here: image\n\
         # defaults, {start} ms to start); a real cluster's timings vary, so a line may run before a rollout is as far\n\
         # as it was in kubeplay. `kubectl rollout status` waits where that matters.\n",
        w = settings.workers,
        s = if settings.workers == 1 { "" } else { "s" },
        workers = "- role: worker\\n".repeat(settings.workers.min(20) as usize),
        n = settings.workers + 1,
        start = settings.timings.start_ms,
    );
    let mut replay = Run::new(settings.clone());
    let mut pending: BTreeMap<String, String> = BTreeMap::new();
    let mut last_at: Millis = 0;
    // An interactive session being written as a here-document, and the line that opened it.
    let mut shell: Option<String> = None;
    let mut traffic: Vec<u32> = Vec::new();
    let mut seen_load_balancers = BTreeSet::new();
    let log = run.log()[..run.applied()].to_vec();
    for (i, rec) in log.iter().enumerate() {
        replay.run_until(rec.at);
        if shell.is_none() {
            sleep(&mut out, last_at, rec.at);
            last_at = rec.at;
        }
        match &rec.action {
            Action::WriteFile { name, text } => {
                pending.insert(name.clone(), text.clone());
            }
            Action::RemoveFile { name } => {
                if pending.remove(name).is_none() && shell.is_none() {
                    let _ = writeln!(out, "rm -f {}", words::join(std::slice::from_ref(name)));
                }
            }
            Action::Command { line } => {
                if line.trim().is_empty() || line.trim() == "clear" {
                    replay.dispatch(rec.action.clone());
                    continue;
                }
                let names = generated(&replay);
                if shell.is_none() {
                    flush(&mut out, &mut pending);
                }
                for note in mentions(line, &names) {
                    let _ = writeln!(out, "# kubeplay: {note}; on your cluster read it from kubectl get -o wide.");
                }
                let printed = match replay.dispatch(rec.action.clone()) {
                    super::Outcome::Printed(o) => o,
                    _ => Default::default(),
                };
                let in_shell = replay.terminal.prompt(&replay.sim) != "$ ";
                match &mut shell {
                    Some(body) => {
                        body.push_str(line);
                        body.push('\n');
                        if !in_shell {
                            out.push_str(body);
                            let _ = writeln!(out, "{EOF_MARK}");
                            shell = None;
                        }
                    }
                    None if in_shell => {
                        let _ = writeln!(
                            out,
                            "# kubeplay: the interactive shell typed in kubeplay's terminal is fed from a here-document."
                        );
                        shell = Some(format!("{} <<'{EOF_MARK}'\n", without_tty(line)));
                    }
                    None => {
                        let watching = replay.watching();
                        if watching {
                            let until = log.get(i + 1).map_or(run.now(), |r| r.at);
                            let secs = until.saturating_sub(rec.at).div_ceil(1000).max(1);
                            let _ = writeln!(
                                out,
                                "# kubeplay: the watch ran for {secs}s of virtual time; here it is stopped by timeout."
                            );
                            let _ = writeln!(out, "timeout {secs} {line}");
                        } else {
                            if printed.code != 0 {
                                let why = printed.stderr.lines().next().unwrap_or("").trim();
                                let _ = writeln!(out, "# kubeplay: this failed in the simulation too: {why}");
                            }
                            let _ = writeln!(out, "{line}");
                        }
                    }
                }
                for s in replay.sim.cluster().store().list::<crate::api::Service>(None) {
                    let lb = s.spec.as_ref().and_then(|s| s.type_.as_deref()) == Some("LoadBalancer");
                    let name = s.metadata.name.clone().unwrap_or_default();
                    if lb && seen_load_balancers.insert(name.clone()) && shell.is_none() {
                        let _ = writeln!(
                            out,
                            "# kubeplay: svc/{name} is a LoadBalancer. kind and minikube have no cloud: EXTERNAL-IP \
                             stays <pending> unless you run cloud-provider-kind (kind) or `minikube tunnel`."
                        );
                    }
                }
                continue;
            }
            Action::Step => {
                let _ =
                    writeln!(out, "# kubeplay: one controller round was stepped here; a real cluster never pauses.");
            }
            Action::Interrupt => {}
            Action::StartTraffic { source, url, rate } => {
                if let super::Outcome::Started(id) = replay.dispatch(rec.action.clone()) {
                    let pause = format!("{:.3}", 1.0 / f64::from((*rate).max(1)));
                    let curl = format!("curl -s -o /dev/null -w '%{{http_code}}\\n' --max-time 1 {url}");
                    let _ = writeln!(
                        out,
                        "# kubeplay: traffic generator {id} ({rate} requests a second); its answers go to traffic-{id}.log."
                    );
                    match source {
                        Source::Workstation => {
                            let _ =
                                writeln!(out, "( while :; do {curl}; sleep {pause}; done ) > traffic-{id}.log 2>&1 &");
                        }
                        Source::Pod { name, .. } => {
                            let _ = writeln!(
                                out,
                                "kubectl exec {name} -- sh -c \"while :; do {}; sleep {pause}; done\" > traffic-{id}.log 2>&1 &",
                                curl.replace('"', "\\\"")
                            );
                        }
                    }
                    let _ = writeln!(out, "TRAFFIC_{id}=$!");
                    traffic.push(id);
                }
                continue;
            }
            Action::StopTraffic { id } => {
                if traffic.contains(id) {
                    let _ = writeln!(out, "kill \"$TRAFFIC_{id}\"");
                    traffic.retain(|t| t != id);
                }
            }
            Action::EnterStep { lesson, step } => {
                let title = super::lesson::find(lesson)
                    .and_then(|l| l.steps.get(*step as usize).map(|s| s.title.en.clone()))
                    .unwrap_or_default();
                let heading = format!("# Lesson {lesson}, step {}: {title}\n", step + 1);
                match &mut shell {
                    // The shell reads it as a comment.
                    Some(body) => body.push_str(&heading),
                    None => {
                        out.push('\n');
                        out.push_str(&heading);
                    }
                }
            }
        }
        replay.dispatch(rec.action.clone());
    }
    if let Some(body) = shell {
        out.push_str(&body);
        let _ = writeln!(out, "exit\n{EOF_MARK}");
    }
    flush(&mut out, &mut pending);
    for id in traffic {
        let _ = writeln!(out, "kill \"$TRAFFIC_{id}\"");
    }
    out
}

/// Writes the files the run wrote since the last line, as it last wrote them.
fn flush(out: &mut String, pending: &mut BTreeMap<String, String>) {
    for (name, text) in std::mem::take(pending) {
        let _ = writeln!(out, "cat > {} <<'{EOF_MARK}'", words::join(&[name]));
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
        let _ = writeln!(out, "{EOF_MARK}");
    }
}
