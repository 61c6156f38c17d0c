//! `kubectl logs` (`pkg/cmd/logs/logs.go`, the API server's `pod/log` subresource and the kubelet's
//! `validateContainerLogStatus`): one pod's container, a controller's chosen pod, or every pod a selector picks;
//! `-c`, `--all-containers`, `-p`, `--tail`, `--since`, `--timestamps`, `--prefix` and `-f`, which follows the log in
//! virtual time until the container stops.

use super::flags::{flag, val, Parsed, Spec};
use super::labels::Selector;
use super::{namespace, resources, usage_error, Output, WATCH_LIMIT_MS};
use crate::api::{self, selector, Pod};
use crate::cluster::clock::Millis;
use crate::cluster::store::Kind;
use crate::controllers::pods;
use crate::sim::Sim;

pub const FLAGS: &[Spec] = &[
    val("container", Some('c')),
    flag("all-containers", None),
    flag("previous", Some('p')),
    super::flags::int("tail", None, 64),
    val("since", None),
    flag("timestamps", None),
    flag("follow", Some('f')),
    flag("prefix", None),
    val("selector", Some('l')),
    val("max-log-requests", None),
    val("request-timeout", None),
    flag("ignore-errors", None),
];

const USAGE: &str = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

/// Go's `time.RFC3339Nano`: the fraction without trailing zeros, none when whole.
fn rfc3339_nano(at: Millis) -> String {
    let t = api::time::time_at(at).0.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let ms = at % 1000;
    if ms == 0 {
        return format!("{t}Z");
    }
    let frac = format!("{:03}", ms);
    format!("{t}.{}Z", frac.trim_end_matches('0'))
}

/// The greatest restart count of a pod's containers (`maxContainerRestarts`).
fn max_restarts(p: &Pod) -> i32 {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map_or(0, |cs| cs.iter().map(|c| c.restart_count).max().unwrap_or(0))
}

fn created(p: &Pod) -> Option<u64> {
    p.metadata.creation_timestamp.as_ref().map(api::time::millis_of)
}

/// How `GetFirstPod` orders a controller's pods before taking the first (`kubectl/pkg/util/podutils`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodOrder {
    /// `ByLogging` (`kubectl logs`): scheduled first, then Running < Unknown < Pending (other phases count as
    /// Running), ready first, ready for longer first, more restarts first, older first.
    Logging,
    /// `sort.Reverse(ActivePods)` (`kubectl exec`, `attach`): scheduled first, Running > Unknown > Pending (other
    /// phases count as Pending), ready first, ready for longer first, fewer restarts first, older first.
    Active,
}

/// Ties keep the list's order (by name): Go sorts a handful of pods by insertion, which is stable.
fn pod_order(order: PodOrder, a: &Pod, b: &Pod) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let phase_rank = |p: &Pod| match (order, pods::phase(p)) {
        (PodOrder::Logging, "Unknown") => 1,
        (PodOrder::Logging, "Pending") => 2,
        (PodOrder::Logging, _) => 0,
        (PodOrder::Active, "Running") => 0,
        (PodOrder::Active, "Unknown") => 1,
        (PodOrder::Active, _) => 2,
    };
    let ready_since = |p: &Pod| if pods::is_ready(p) { pods::ready_since(p) } else { None };
    // Older (an earlier time) first; a missing time last.
    let earlier = |x: Option<u64>, y: Option<u64>| match (x, y) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    let restarts = match order {
        PodOrder::Logging => max_restarts(b).cmp(&max_restarts(a)),
        PodOrder::Active => max_restarts(a).cmp(&max_restarts(b)),
    };
    // kubectl 1.35 attaches to a pod that is not shutting down when there is one (seen against real kubectl: after a
    // scale-down, `exec deploy/x` picks the pod that stays, whatever the list order).
    let terminating = |p: &Pod| order == PodOrder::Active && p.metadata.deletion_timestamp.is_some();
    terminating(a)
        .cmp(&terminating(b))
        .then(pods::node_name(a).is_empty().cmp(&pods::node_name(b).is_empty()))
        .then(phase_rank(a).cmp(&phase_rank(b)))
        .then(pods::is_ready(b).cmp(&pods::is_ready(a)))
        .then(if pods::is_ready(a) && pods::is_ready(b) {
            earlier(ready_since(a), ready_since(b))
        } else {
            Ordering::Equal
        })
        .then(restarts)
        .then(earlier(created(a), created(b)))
}

/// The pods a `logs` target names, and what kubectl prints about its choice.
fn target_pods(sim: &Sim, f: &Parsed, ns: &str) -> Result<(Vec<Pod>, String), Output> {
    let store = sim.cluster().store();
    if let Some(sel) = f.get("selector") {
        if !f.args.is_empty() {
            return Err(Output::err("error: only one of a selector or a resource name may be given"));
        }
        let sel = Selector::parse(sel).map_err(|e| Output::err(format!("error: {e}")))?;
        let pods: Vec<Pod> =
            store.list::<Pod>(Some(ns)).filter(|p| sel.matches(p.metadata.labels.as_ref())).cloned().collect();
        let max: usize = f.get("max-log-requests").and_then(|m| m.parse().ok()).unwrap_or(5);
        if pods.len() > max {
            return Err(Output::err(format!(
                "error: you are attempting to follow {} log streams, but maximum allowed concurrency is {max}, use --max-log-requests to increase the limit",
                pods.len()
            )));
        }
        if pods.is_empty() {
            return Err(Output { stderr: format!("No resources found in {ns} namespace.\n"), ..Output::default() });
        }
        return Ok((pods, String::new()));
    }
    let Some(first) = f.args.first() else {
        return Err(Output::err(format!("error: {USAGE}\nSee 'kubectl logs -h' for help and examples")));
    };
    let (kind, name) = match first.split_once('/') {
        Some((t, n)) => (resources::resolve(t).map_err(|w| Output::err(resources::unknown_type(&w)))?, n.to_string()),
        None => (Kind::Pod, first.clone()),
    };
    // `logs.go` looks the object up itself; its NotFound names the namespace.
    let exists = crate::with_kind!(kind, T => store.get::<T>(if kind.namespaced() { ns } else { "" }, &name).is_some());
    if !exists {
        return Err(Output::err(format!(
            "error: error from server (NotFound): {} {name:?} not found in namespace {ns:?}",
            kind.resource()
        )));
    }
    let (pod, note) = first_pod(sim, kind, &name, ns, PodOrder::Logging)?;
    Ok((vec![pod], note))
}

/// The pod a `TYPE/NAME` stands for: the pod itself, or the first of a controller's or Service's pods in
/// `ByLogging` order (`GetFirstPod`), with kubectl's note when there were several.
pub fn first_pod(sim: &Sim, kind: Kind, name: &str, ns: &str, order: PodOrder) -> Result<(Pod, String), Output> {
    let store = sim.cluster().store();
    let not_found = |k: Kind| Output::err(super::errors::not_found(k, name));
    if kind == Kind::Pod {
        let p = store.get::<Pod>(ns, name).cloned().ok_or_else(|| not_found(Kind::Pod))?;
        return Ok((p, String::new()));
    }
    let sel = match kind {
        Kind::Deployment => store.get::<api::Deployment>(ns, name).map(|d| d.spec.clone().unwrap_or_default().selector),
        Kind::ReplicaSet => store.get::<api::ReplicaSet>(ns, name).map(|r| r.spec.clone().unwrap_or_default().selector),
        Kind::Service => store.get::<api::Service>(ns, name).map(|s| api::LabelSelector {
            match_labels: s.spec.as_ref().and_then(|sp| sp.selector.clone()),
            ..Default::default()
        }),
        other => return Err(Output::err(format!("error: cannot select pods of {}", other.resource()))),
    };
    let sel = sel.ok_or_else(|| not_found(kind))?;
    let mut matching: Vec<Pod> =
        store.list::<Pod>(Some(ns)).filter(|p| selector::matches(&sel, p.metadata.labels.as_ref())).cloned().collect();
    if matching.is_empty() {
        return Err(Output::err("error: timed out waiting for the condition"));
    }
    crate::util::sort_by(&mut matching, |a, b| pod_order(order, a, b));
    let note = if matching.len() > 1 {
        format!("Found {} pods, using pod/{}\n", matching.len(), api::name_of(&matching[0].metadata))
    } else {
        String::new()
    };
    Ok((matching.swap_remove(0), note))
}

/// `podcmd.FindOrDefaultContainerByName` without a name: the container the `kubectl.kubernetes.io/default-container`
/// annotation names, else the first, with kubectl's note (unless `quiet`) when the pod has others to choose from.
pub fn default_container(p: &Pod, quiet: bool) -> (String, String) {
    let spec = p.spec.clone().unwrap_or_default();
    let names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    if let Some(d) = api::annotation(&p.metadata, "kubectl.kubernetes.io/default-container") {
        if names.contains(&d) {
            return (d.to_string(), String::new());
        }
    }
    let first = names.first().copied().unwrap_or_default().to_string();
    let init = spec.init_containers.unwrap_or_default();
    if quiet || (names.len() < 2 && init.is_empty()) {
        return (first, String::new());
    }
    let mut all: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    all.extend(init.iter().map(|c| format!("{} (init)", c.name)));
    (first.clone(), format!("Defaulted container {first:?} out of: {}\n", all.join(", ")))
}

/// `validateContainerLogStatus`: why a container has no log to read, in the kubelet's words.
fn unavailable(p: &Pod, container: &str, previous: bool) -> Option<String> {
    let pod = api::name_of(&p.metadata);
    let st = p.status.as_ref()?;
    let status = st
        .container_statuses
        .iter()
        .chain(st.init_container_statuses.iter())
        .flatten()
        .find(|s| s.name == container)?;
    let state = status.state.clone().unwrap_or_default();
    let last_terminated = status.last_state.as_ref().and_then(|l| l.terminated.as_ref());
    if previous {
        return match last_terminated {
            Some(t) if t.container_id.as_deref().is_some_and(|i| !i.is_empty()) => None,
            _ => Some(format!("previous terminated container {container:?} in pod {pod:?} not found")),
        };
    }
    if state.running.is_some() || state.terminated.is_some() || last_terminated.is_some() {
        return None;
    }
    let reason = state.waiting.as_ref().and_then(|w| w.reason.clone());
    Some(match reason.as_deref() {
        Some("ErrImagePull") => {
            format!("container {container:?} in pod {pod:?} is waiting to start: image can't be pulled")
        }
        Some("ImagePullBackOff") => {
            format!("container {container:?} in pod {pod:?} is waiting to start: trying and failing to pull image")
        }
        Some(r) => format!("container {container:?} in pod {pod:?} is waiting to start: {r}"),
        None => format!("container {container:?} in pod {pod:?} is waiting to start - no logs yet"),
    })
}

/// The lines to print of one container, after `--since`, `--tail` (`None`: all) and `--timestamps`.
fn render(
    lines: &[(Millis, String)],
    tail: Option<usize>,
    timestamps: bool,
    since: Option<Millis>,
    prefix: &str,
) -> String {
    let kept: Vec<&(Millis, String)> = lines.iter().filter(|(at, _)| since.is_none_or(|s| *at >= s)).collect();
    let from = tail.map_or(0, |t| kept.len().saturating_sub(t));
    let mut out = String::new();
    for (at, line) in &kept[from..] {
        out.push_str(prefix);
        if timestamps {
            out.push_str(&rfc3339_nano(*at));
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

pub fn run(sim: &mut Sim, f: &Parsed) -> Output {
    let ns = namespace(f);
    if f.args.len() > 2 {
        return super::usage_errorf("logs", USAGE);
    }
    let since = match f.get("since") {
        None => None,
        Some(d) => match crate::cluster::settings::parse_duration(d) {
            Some(ms) => Some(sim.now().saturating_sub(ms)),
            None => {
                return usage_error(
                    "logs",
                    &format!("invalid argument {d:?} for \"--since\" flag: time: invalid duration {d:?}"),
                )
            }
        },
    };
    let (pods, note) = match target_pods(sim, f, &ns) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let mut out = Output { stderr: note, ..Output::default() };
    // `kubectl logs POD CONTAINER` (the old form) names the container as a second argument.
    let named = f.get("container").map(str::to_string).or_else(|| f.args.get(1).cloned());
    let mut streams: Vec<(String, String, String)> = Vec::new(); // (uid, container, prefix)
    'pods: for p in &pods {
        let pod_name = api::name_of(&p.metadata).to_string();
        let spec = p.spec.clone().unwrap_or_default();
        let names: Vec<String> = spec.containers.iter().map(|c| c.name.clone()).collect();
        let init: Vec<String> = spec.init_containers.iter().flatten().map(|c| c.name.clone()).collect();
        let chosen: Vec<String> = if f.bool("all-containers") {
            init.iter().chain(names.iter()).cloned().collect()
        } else if let Some(c) = &named {
            if !names.contains(c) && !init.contains(c) {
                out.stderr
                    .push_str(&super::errors::bad_request(format!("container {c} is not valid for pod {pod_name}")));
                out.stderr.push('\n');
                out.code = 1;
                continue;
            }
            vec![c.clone()]
        } else {
            let (default, note) = default_container(p, false);
            out.stderr.push_str(&note);
            vec![default]
        };
        for c in chosen {
            let prefix = if f.bool("prefix") { format!("[pod/{pod_name}/{c}] ") } else { String::new() };
            if pods::node_name(p).is_empty() {
                continue; // Not on a node yet: the API server returns an empty log.
            }
            // Requests are read one after another and the first that fails ends the command
            // (`sequentialConsumeRequest`).
            if let Some(why) = unavailable(p, &c, f.bool("previous")) {
                out.fail(&super::errors::bad_request(why));
                break 'pods;
            }
            streams.push((p.metadata.uid.clone().unwrap_or_default(), c, prefix));
        }
    }
    let previous = f.bool("previous");
    // A negative --tail (kubectl's -1) means every line.
    let tail = f.int("tail").and_then(|t| usize::try_from(t).ok());
    let mut printed: Vec<usize> = Vec::new();
    for (uid, c, prefix) in &streams {
        let lines = sim.container_log(uid, c, previous).unwrap_or_default();
        out.stdout.push_str(&render(lines, tail, f.bool("timestamps"), since, prefix));
        printed.push(lines.len());
    }
    if f.bool("follow") && !previous {
        let limit = match f.get("request-timeout").map(crate::cluster::settings::parse_duration) {
            Some(Some(ms)) if ms > 0 => ms,
            Some(None) => return usage_error("logs", "invalid argument for \"--request-timeout\" flag"),
            _ => WATCH_LIMIT_MS,
        };
        follow(sim, &streams, &mut printed, limit, f, &mut out);
    }
    out
}

/// `-f`: new lines as virtual time runs, until every followed container has stopped or `limit` has passed.
fn follow(
    sim: &mut Sim,
    streams: &[(String, String, String)],
    printed: &mut [usize],
    limit: Millis,
    f: &Parsed,
    out: &mut Output,
) {
    let deadline = sim.now().saturating_add(limit);
    loop {
        let mut open = false;
        for (i, (uid, c, prefix)) in streams.iter().enumerate() {
            let Some(lines) = sim.container_log(uid, c, false) else { continue };
            let from = printed[i].min(lines.len());
            out.stdout.push_str(&render(&lines[from..], None, f.bool("timestamps"), None, prefix));
            printed[i] = lines.len();
            let running = sim
                .cluster()
                .store()
                .by_uid(uid)
                .and_then(|r| sim.cluster().get::<Pod>(r))
                .and_then(|p| p.status.as_ref())
                .and_then(|s| s.container_statuses.as_ref())
                .and_then(|cs| cs.iter().find(|s| s.name == *c))
                .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()));
            open |= running;
        }
        if !open {
            return;
        }
        match sim.next_due() {
            Some(t) if t <= deadline => sim.run_until(t),
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_go_rfc3339_nano() {
        assert_eq!(rfc3339_nano(5_000), "2026-01-01T00:00:05Z");
        assert_eq!(rfc3339_nano(5_500), "2026-01-01T00:00:05.5Z");
        assert_eq!(rfc3339_nano(5_025), "2026-01-01T00:00:05.025Z");
    }
}
