//! `kubectl describe` (`pkg/describe/describe.go`): fields through tabwriter (minwidth 0, padding 2), nesting by two
//! spaces, the Events table flushed on its own.

use super::tabwriter;
use crate::api::pod_columns::human_duration;
use crate::api::time::millis_of;
use crate::api::{self, selector, Deployment, Event, IntOrString, PodTemplateSpec, ReplicaSet};
use crate::cluster::clock::Millis;
use crate::controllers::deployment::util;
use crate::manifest::merge::LAST_APPLIED;
use crate::sim::Sim;
use std::collections::BTreeMap;

fn multiline(out: &mut String, indent: &str, field: &str, items: &[String]) {
    match items.split_first() {
        None => out.push_str(&format!("{indent}{field}:\t<none>\n")),
        Some((first, rest)) => {
            out.push_str(&format!("{indent}{field}:\t{first}\n"));
            for r in rest {
                out.push_str(&format!("{indent}\t{r}\n"));
            }
        }
    }
}

fn labels(m: Option<&BTreeMap<String, String>>) -> Vec<String> {
    m.into_iter().flatten().map(|(k, v)| format!("{k}={v}")).collect()
}

fn annotations(m: Option<&BTreeMap<String, String>>) -> Vec<String> {
    m.into_iter().flatten().filter(|(k, _)| k.as_str() != LAST_APPLIED).map(|(k, v)| format!("{k}: {v}")).collect()
}

fn int_or_string(v: Option<&IntOrString>) -> String {
    match v {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => String::new(),
    }
}

fn probe(p: &k8s_openapi::api::core::v1::Probe) -> String {
    let action = if let Some(h) = &p.http_get {
        format!(
            "http-get {}://{}:{}{}",
            h.scheme.as_deref().unwrap_or("HTTP").to_ascii_lowercase(),
            h.host.as_deref().unwrap_or(""),
            int_or_string(Some(&h.port)),
            h.path.as_deref().unwrap_or("")
        )
    } else if let Some(t) = &p.tcp_socket {
        format!("tcp-socket {}:{}", t.host.as_deref().unwrap_or(""), int_or_string(Some(&t.port)))
    } else if let Some(e) = &p.exec {
        format!("exec [{}]", e.command.as_deref().unwrap_or_default().join(" "))
    } else if p.grpc.is_some() {
        "grpc".to_string()
    } else {
        "unknown".to_string()
    };
    format!(
        "{action} delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    )
}

/// `DescribePodTemplate`: the `Pod Template:` block (used by `describe deployment|replicaset` and `rollout history
/// --revision`).
pub fn pod_template(t: &PodTemplateSpec, indent: &str) -> String {
    let mut o = format!("{indent}Pod Template:\n");
    let i1 = format!("{indent}  ");
    let meta = t.metadata.clone().unwrap_or_default();
    multiline(&mut o, &i1, "Labels", &labels(meta.labels.as_ref()));
    let ann = annotations(meta.annotations.as_ref());
    if !ann.is_empty() {
        multiline(&mut o, &i1, "Annotations", &ann);
    }
    let spec = t.spec.clone().unwrap_or_default();
    o.push_str(&format!("{i1}Containers:\n"));
    for c in &spec.containers {
        let i3 = format!("{indent}    ");
        o.push_str(&format!("{indent}   {}:\n", c.name));
        o.push_str(&format!("{i3}Image:\t{}\n", c.image.as_deref().unwrap_or("")));
        let ports: Vec<String> = c
            .ports
            .iter()
            .flatten()
            .map(|p| {
                let base = format!("{}/{}", p.container_port, p.protocol.as_deref().unwrap_or("TCP"));
                match &p.name {
                    Some(n) if !n.is_empty() => format!("{base} ({n})"),
                    _ => base,
                }
            })
            .collect();
        let host: Vec<String> = c
            .ports
            .iter()
            .flatten()
            .map(|p| format!("{}/{}", p.host_port.unwrap_or(0), p.protocol.as_deref().unwrap_or("TCP")))
            .collect();
        let (pl, hl) = if ports.len() > 1 { ("Ports", "Host Ports") } else { ("Port", "Host Port") };
        let none = |v: Vec<String>| if v.is_empty() { "<none>".to_string() } else { v.join(", ") };
        o.push_str(&format!("{i3}{pl}:\t{}\n", none(ports)));
        o.push_str(&format!("{i3}{hl}:\t{}\n", none(host)));
        if let Some(cmd) = &c.command {
            o.push_str(&format!("{i3}Command:\n"));
            for a in cmd {
                o.push_str(&format!("{i3}  {a}\n"));
            }
        }
        if let Some(args) = &c.args {
            o.push_str(&format!("{i3}Args:\n"));
            for a in args {
                o.push_str(&format!("{i3}  {a}\n"));
            }
        }
        for (title, list) in [
            ("Limits", c.resources.as_ref().and_then(|r| r.limits.as_ref())),
            ("Requests", c.resources.as_ref().and_then(|r| r.requests.as_ref())),
        ] {
            if let Some(l) = list.filter(|l| !l.is_empty()) {
                o.push_str(&format!("{i3}{title}:\n"));
                for (k, v) in l {
                    o.push_str(&format!("{i3}  {k}:\t{}\n", v.0));
                }
            }
        }
        for (title, p) in
            [("Liveness", &c.liveness_probe), ("Readiness", &c.readiness_probe), ("Startup", &c.startup_probe)]
        {
            if let Some(p) = p {
                o.push_str(&format!("{i3}{title}:\t{}\n", probe(p)));
            }
        }
        match c.env.as_deref().filter(|e| !e.is_empty()) {
            None => o.push_str(&format!("{i3}Environment:\t<none>\n")),
            Some(env) => {
                o.push_str(&format!("{i3}Environment:\n"));
                for e in env {
                    let v = match (&e.value, &e.value_from) {
                        (_, Some(_)) => "<set from a reference>".to_string(),
                        (Some(v), None) => v.clone(),
                        (None, None) => String::new(),
                    };
                    o.push_str(&format!("{i3}  {}:\t{v}\n", e.name));
                }
            }
        }
        match c.volume_mounts.as_deref().filter(|m| !m.is_empty()) {
            None => o.push_str(&format!("{i3}Mounts:\t<none>\n")),
            Some(mounts) => {
                o.push_str(&format!("{i3}Mounts:\n"));
                for m in mounts {
                    let rw = if m.read_only == Some(true) { "ro" } else { "rw" };
                    o.push_str(&format!("{i3}  {} from {} ({rw})\n", m.mount_path, m.name));
                }
            }
        }
    }
    match spec.volumes.as_deref().filter(|v| !v.is_empty()) {
        None => o.push_str(&format!("{i1}Volumes:\t<none>\n")),
        Some(vols) => {
            o.push_str(&format!("{i1}Volumes:\n"));
            for v in vols {
                o.push_str(&format!("{indent}   {}:\n", v.name));
                let i3 = format!("{indent}    ");
                if let Some(cm) = &v.config_map {
                    o.push_str(&format!(
                        "{i3}Type:\tConfigMap (a volume populated by a ConfigMap)\n{i3}Name:\t{}\n{i3}Optional:\t{}\n",
                        cm.name,
                        cm.optional.unwrap_or(false)
                    ));
                } else if let Some(s) = &v.secret {
                    o.push_str(&format!(
                        "{i3}Type:\tSecret (a volume populated by a Secret)\n{i3}SecretName:\t{}\n{i3}Optional:\t{}\n",
                        s.secret_name.as_deref().unwrap_or(""),
                        s.optional.unwrap_or(false)
                    ));
                } else if let Some(e) = &v.empty_dir {
                    o.push_str(&format!("{i3}Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n{i3}Medium:\t{}\n{i3}SizeLimit:\t{}\n", e.medium.as_deref().unwrap_or(""), e.size_limit.as_ref().map_or("<unset>".to_string(), |q| q.0.clone())));
                } else {
                    o.push_str(&format!("{i3}Type:\t<unknown>\n"));
                }
            }
        }
    }
    multiline(&mut o, &i1, "Node-Selectors", &labels(spec.node_selector.as_ref()));
    o.push_str(&format!("{i1}Tolerations:\t<none>\n"));
    o
}

/// RFC 1123 with a numeric zone, as describe prints timestamps.
pub fn timestamp(t: &api::Time) -> String {
    t.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// The Events section for an object, flushed on its own.
pub fn events(sim: &Sim, uid: &str, now: Millis) -> Option<String> {
    let mut evs: Vec<&Event> =
        sim.cluster.store.list::<Event>(None).filter(|e| e.involved_object.uid.as_deref() == Some(uid)).collect();
    if evs.is_empty() {
        return None;
    }
    evs.sort_by_key(|e| (e.first_timestamp.as_ref().map(millis_of), e.metadata.name.clone()));
    let ago =
        |t: Option<&api::Time>| t.map_or("<unknown>".to_string(), |t| human_duration(now.saturating_sub(millis_of(t))));
    let mut t = String::from("  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
    for e in evs {
        let count = e.count.unwrap_or(1);
        let age = if count > 1 {
            format!("{} (x{count} over {})", ago(e.last_timestamp.as_ref()), ago(e.first_timestamp.as_ref()))
        } else {
            ago(e.first_timestamp.as_ref())
        };
        let from = e.source.as_ref().and_then(|s| s.component.clone()).unwrap_or_default();
        t.push_str(&format!(
            "  {}\t{}\t{age}\t{from}\t{}\n",
            e.type_.as_deref().unwrap_or(""),
            e.reason.as_deref().unwrap_or(""),
            e.message.as_deref().unwrap_or("").trim()
        ));
    }
    Some(format!("Events:\n{}", tabwriter::format(&t, 0, 2)))
}

fn rs_line(rs: &ReplicaSet) -> String {
    let created = rs.status.as_ref().map_or(0, |s| s.replicas);
    format!("{} ({}/{} replicas created)", api::name_of(&rs.metadata), created, util::rs_spec(rs))
}

/// The fields through tabwriter, then the Events section (or `Events: <none>` as a field).
fn with_events(sim: &Sim, mut fields: String, uid: &str, now: Millis) -> String {
    let events = events(sim, uid, now);
    if events.is_none() {
        fields.push_str("Events:\t<none>\n");
    }
    let mut text = tabwriter::format(&fields, 0, 2);
    if let Some(e) = events {
        text.push_str(&e);
    }
    text
}

/// `kubectl describe deployment NAME`.
pub fn deployment(sim: &Sim, d: &Deployment) -> String {
    let now = sim.now();
    let spec = d.spec.clone().unwrap_or_default();
    let st = d.status.clone().unwrap_or_default();
    let mut o = String::new();
    o.push_str(&format!("Name:\t{}\n", api::name_of(&d.metadata)));
    o.push_str(&format!("Namespace:\t{}\n", api::namespace_of(&d.metadata)));
    o.push_str(&format!(
        "CreationTimestamp:\t{}\n",
        d.metadata.creation_timestamp.as_ref().map(timestamp).unwrap_or_default()
    ));
    multiline(&mut o, "", "Labels", &labels(d.metadata.labels.as_ref()));
    multiline(&mut o, "", "Annotations", &annotations(d.metadata.annotations.as_ref()));
    o.push_str(&format!("Selector:\t{}\n", selector::to_string(&spec.selector)));
    o.push_str(&format!(
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
        util::replicas(d),
        st.updated_replicas.unwrap_or(0),
        st.replicas.unwrap_or(0),
        st.available_replicas.unwrap_or(0),
        st.unavailable_replicas.unwrap_or(0)
    ));
    let strategy = spec.strategy.clone().unwrap_or_default();
    o.push_str(&format!("StrategyType:\t{}\n", strategy.type_.as_deref().unwrap_or("RollingUpdate")));
    o.push_str(&format!("MinReadySeconds:\t{}\n", spec.min_ready_seconds.unwrap_or(0)));
    if let Some(ru) = &strategy.rolling_update {
        o.push_str(&format!(
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            int_or_string(ru.max_unavailable.as_ref()),
            int_or_string(ru.max_surge.as_ref())
        ));
    }
    o.push_str(&pod_template(&spec.template, ""));
    if let Some(conds) = st.conditions.as_ref().filter(|c| !c.is_empty()) {
        o.push_str("Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n");
        for c in conds {
            o.push_str(&format!("  {} \t{}\t{}\n", c.type_, c.status, c.reason.as_deref().unwrap_or("")));
        }
    }
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let mut rss: Vec<&ReplicaSet> = sim.cluster.store.controlled_by::<ReplicaSet>(&uid).collect();
    util::by_creation(&mut rss);
    let new = util::find_new_rs(d, &rss);
    let old: Vec<String> =
        rss.iter().filter(|rs| new.is_none_or(|n| n.metadata.uid != rs.metadata.uid)).map(|rs| rs_line(rs)).collect();
    o.push_str(&format!("OldReplicaSets:\t{}\n", if old.is_empty() { "<none>".to_string() } else { old.join(", ") }));
    o.push_str(&format!("NewReplicaSet:\t{}\n", new.map_or("<none>".to_string(), rs_line)));
    with_events(sim, o, &uid, now)
}

/// `kubectl describe replicaset NAME`.
pub fn replica_set(sim: &Sim, rs: &ReplicaSet) -> String {
    let now = sim.now();
    let spec = rs.spec.clone().unwrap_or_default();
    let uid = rs.metadata.uid.clone().unwrap_or_default();
    let mut o = String::new();
    o.push_str(&format!("Name:\t{}\n", api::name_of(&rs.metadata)));
    o.push_str(&format!("Namespace:\t{}\n", api::namespace_of(&rs.metadata)));
    o.push_str(&format!("Selector:\t{}\n", selector::to_string(&spec.selector)));
    multiline(&mut o, "", "Labels", &labels(rs.metadata.labels.as_ref()));
    multiline(&mut o, "", "Annotations", &annotations(rs.metadata.annotations.as_ref()));
    if let Some(owner) = api::controller_of(&rs.metadata) {
        o.push_str(&format!("Controlled By:\t{}/{}\n", owner.kind, owner.name));
    }
    o.push_str(&format!(
        "Replicas:\t{} current / {} desired\n",
        rs.status.as_ref().map_or(0, |s| s.replicas),
        util::rs_spec(rs)
    ));
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in sim.cluster.store.controlled_by::<api::Pod>(&uid) {
        match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Running") => running += 1,
            Some("Succeeded") => succeeded += 1,
            Some("Failed") => failed += 1,
            _ => waiting += 1,
        }
    }
    o.push_str(&format!(
        "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
    ));
    o.push_str(&pod_template(&spec.template.clone().unwrap_or_default(), ""));
    with_events(sim, o, &uid, now)
}
