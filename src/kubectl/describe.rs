//! `kubectl describe` (`pkg/describe/describe.go`): fields through tabwriter (minwidth 0, padding 2), nesting by two
//! spaces, the Events table flushed on its own.

use super::get::none_if_empty;
use super::tabwriter;
use crate::api::pod_columns::human_duration;
use crate::api::time::millis_of;
use crate::api::{self, selector, Deployment, Event, IntOrString, PodTemplateSpec, ReplicaSet};
use crate::cluster::clock::Millis;
use crate::controllers::deployment::util;
use crate::manifest::merge::LAST_APPLIED;
use crate::sim::Sim;
use std::collections::BTreeMap;

/// `printLabelsMultiline` and its kin: the indent is part of the title, so continuation lines start with a bare tab
/// (the same once a tabwriter aligns them; `rollout history --revision` prints them raw).
fn multiline(out: &mut String, indent: &str, field: &str, items: &[String]) {
    match items.split_first() {
        None => out.push_str(&format!("{indent}{field}:\t<none>\n")),
        Some((first, rest)) => {
            out.push_str(&format!("{indent}{field}:\t{first}\n"));
            for r in rest {
                out.push_str(&format!("\t{r}\n"));
            }
        }
    }
}

fn labels(m: Option<&BTreeMap<String, String>>) -> Vec<String> {
    m.into_iter().flatten().map(|(k, v)| format!("{k}={v}")).collect()
}

/// `printAnnotationsMultiline`: `key: value`, or, for a value longer than 140 bytes with its key or with a newline,
/// `key:` and then each line of the value on its own, indented, cut at 138 bytes with `...`.
fn annotations(m: Option<&BTreeMap<String, String>>) -> Vec<String> {
    const MAX: usize = 140;
    m.into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != LAST_APPLIED)
        .map(|(k, v)| {
            let v = v.strip_suffix('\n').unwrap_or(v);
            if v.len() + k.len() + 2 <= MAX && !v.contains('\n') {
                return format!("{k}: {v}");
            }
            let mut item = format!("{k}:");
            for line in v.split('\n') {
                item.push_str("\n\t  ");
                item.push_str(&shorten(line, MAX - 2));
            }
            item
        })
        .collect()
}

/// `shorten`: at most `max` bytes, then `...` (cut at a character boundary).
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

fn int_or_string(v: Option<&IntOrString>) -> String {
    match v {
        Some(IntOrString::Int(i)) => i.to_string(),
        Some(IntOrString::String(s)) => s.clone(),
        None => String::new(),
    }
}

/// `DescribeProbe`.
fn probe(p: &k8s_openapi::api::core::v1::Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    if let Some(e) = &p.exec {
        format!("exec [{}] {attrs}", e.command.as_deref().unwrap_or_default().join(" "))
    } else if let Some(h) = &p.http_get {
        // url.URL{Scheme, Host: JoinHostPort(host, port), Path}.String()
        let port = int_or_string(Some(&h.port));
        let host = h.host.as_deref().unwrap_or("");
        let host = if host.contains(':') { format!("[{host}]") } else { host.to_string() };
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_ascii_lowercase();
        let path = h.path.as_deref().unwrap_or("");
        let path = if path.is_empty() || path.starts_with('/') { path.to_string() } else { format!("/{path}") };
        format!("http-get {scheme}://{host}:{port}{path} {attrs}")
    } else if let Some(t) = &p.tcp_socket {
        format!("tcp-socket {}:{} {attrs}", t.host.as_deref().unwrap_or(""), int_or_string(Some(&t.port)))
    } else if let Some(g) = &p.grpc {
        format!("grpc <pod>:{} {} {attrs}", g.port, g.service.as_deref().unwrap_or(""))
    } else {
        format!("unknown {attrs}")
    }
}

/// `describeStatus`: a container state and what it carries.
fn container_state(o: &mut String, title: &str, state: Option<&k8s_openapi::api::core::v1::ContainerState>) {
    let state = state.cloned().unwrap_or_default();
    if let Some(r) = &state.running {
        o.push_str(&format!("    {title}:\tRunning\n"));
        o.push_str(&format!("      Started:\t{}\n", r.started_at.as_ref().map(timestamp).unwrap_or_default()));
    } else if let Some(w) = &state.waiting {
        o.push_str(&format!("    {title}:\tWaiting\n"));
        if let Some(r) = w.reason.as_deref().filter(|r| !r.is_empty()) {
            o.push_str(&format!("      Reason:\t{r}\n"));
        }
    } else if let Some(t) = &state.terminated {
        o.push_str(&format!("    {title}:\tTerminated\n"));
        if let Some(r) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            o.push_str(&format!("      Reason:\t{r}\n"));
        }
        if let Some(m) = t.message.as_deref().filter(|m| !m.is_empty()) {
            o.push_str(&format!("      Message:\t{m}\n"));
        }
        o.push_str(&format!("      Exit Code:\t{}\n", t.exit_code));
        if let Some(sig) = t.signal.filter(|s| *s > 0) {
            o.push_str(&format!("      Signal:\t{sig}\n"));
        }
        o.push_str(&format!("      Started:\t{}\n", t.started_at.as_ref().map(timestamp).unwrap_or_default()));
        o.push_str(&format!("      Finished:\t{}\n", t.finished_at.as_ref().map(timestamp).unwrap_or_default()));
    } else {
        o.push_str(&format!("    {title}:\tWaiting\n"));
    }
}

/// `describeContainers`: each container's image, ports, command, state (for a pod), resources, probes,
/// environment and mounts. `space` is `"  "` inside a pod template.
fn containers(
    o: &mut String,
    label: &str,
    list: &[k8s_openapi::api::core::v1::Container],
    statuses: &[k8s_openapi::api::core::v1::ContainerStatus],
    space: &str,
    pod: Option<&api::Pod>,
) {
    o.push_str(&format!("{space}{label}:{}\n", if list.is_empty() { " <none>" } else { "" }));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in list {
        let status = statuses.iter().find(|s| s.name == c.name);
        o.push_str(&format!("  {name_indent}{}:\n", c.name));
        if let Some(st) = status {
            o.push_str(&format!("    Container ID:\t{}\n", st.container_id.as_deref().unwrap_or("")));
        }
        o.push_str(&format!("    Image:\t{}\n", c.image.as_deref().unwrap_or("")));
        if let Some(st) = status {
            o.push_str(&format!("    Image ID:\t{}\n", st.image_id));
        }
        let ports = c.ports.iter().flatten();
        let proto = |p: &k8s_openapi::api::core::v1::ContainerPort| p.protocol.clone().unwrap_or_default();
        // `describeContainerPorts` / `describeContainerHostPorts`: a named port adds its name, `80/TCP (http)`.
        let named = |text: String, p: &k8s_openapi::api::core::v1::ContainerPort| match p.name.as_deref() {
            Some(n) if !n.is_empty() => format!("{text} ({n})"),
            _ => text,
        };
        let port_list: Vec<String> =
            ports.clone().map(|p| named(format!("{}/{}", p.container_port, proto(p)), p)).collect();
        let host_list: Vec<String> =
            ports.map(|p| named(format!("{}/{}", p.host_port.unwrap_or(0), proto(p)), p)).collect();
        let (port_text, host_text) = (port_list.join(", "), host_list.join(", "));
        if port_text.contains(',') {
            o.push_str(&format!("    Ports:\t{port_text}\n"));
        } else {
            o.push_str(&format!("    Port:\t{}\n", none_if_empty(port_text)));
        }
        if host_text.contains(',') {
            o.push_str(&format!("    Host Ports:\t{host_text}\n"));
        } else {
            o.push_str(&format!("    Host Port:\t{}\n", none_if_empty(host_text)));
        }
        for (title, words) in [("Command", &c.command), ("Args", &c.args)] {
            if let Some(words) = words.as_ref().filter(|w| !w.is_empty()) {
                o.push_str(&format!("    {title}:\n"));
                for line in words.iter().flat_map(|w| w.split('\n')) {
                    o.push_str(&format!("      {line}\n"));
                }
            }
        }
        if let Some(st) = status {
            container_state(o, "State", st.state.as_ref());
            if st.last_state.as_ref().is_some_and(|l| l.terminated.is_some()) {
                container_state(o, "Last State", st.last_state.as_ref());
            }
            o.push_str(&format!("    Ready:\t{}\n", if st.ready { "True" } else { "False" }));
            o.push_str(&format!("    Restart Count:\t{}\n", st.restart_count));
        }
        for (title, list) in [
            ("Limits", c.resources.as_ref().and_then(|r| r.limits.as_ref())),
            ("Requests", c.resources.as_ref().and_then(|r| r.requests.as_ref())),
        ] {
            if let Some(l) = list.filter(|l| !l.is_empty()) {
                o.push_str(&format!("    {title}:\n"));
                for (k, v) in l {
                    o.push_str(&format!("      {k}:\t{}\n", v.0));
                }
            }
        }
        for (title, p) in
            [("Liveness", &c.liveness_probe), ("Readiness", &c.readiness_probe), ("Startup", &c.startup_probe)]
        {
            if let Some(p) = p {
                o.push_str(&format!("    {title}:\t{}\n", probe(p)));
            }
        }
        if let Some(from) = c.env_from.as_ref().filter(|e| !e.is_empty()) {
            o.push_str("    Environment Variables from:\n");
            for e in from {
                let (kind, name, optional) = match (&e.config_map_ref, &e.secret_ref) {
                    (Some(r), _) => ("ConfigMap", r.name.clone(), r.optional.unwrap_or(false)),
                    (None, Some(r)) => ("Secret", r.name.clone(), r.optional.unwrap_or(false)),
                    (None, None) => ("", String::new(), false),
                };
                match e.prefix.as_deref().filter(|p| !p.is_empty()) {
                    None => o.push_str(&format!("      {name}\t{kind}\tOptional: {optional}\n")),
                    Some(p) => o.push_str(&format!("      {name}\t{kind} with prefix '{p}'\tOptional: {optional}\n")),
                }
            }
        }
        match c.env.as_deref().filter(|e| !e.is_empty()) {
            None => o.push_str("    Environment:\t<none>\n"),
            Some(env) => {
                o.push_str("    Environment:\n");
                for e in env {
                    let Some(from) = &e.value_from else {
                        for (i, line) in e.value.as_deref().unwrap_or("").split('\n').enumerate() {
                            if i == 0 {
                                o.push_str(&format!("      {}:\t{line}\n", e.name));
                            } else {
                                o.push_str(&format!("      \t{line}\n"));
                            }
                        }
                        continue;
                    };
                    if let Some(f) = &from.field_ref {
                        // `EnvValueRetriever`: a pod's own value; nothing for a template.
                        let value = pod.map(|p| field_value(p, &f.field_path)).unwrap_or_default();
                        o.push_str(&format!(
                            "      {}:\t{value} ({}:{})\n",
                            e.name,
                            f.api_version.as_deref().unwrap_or(""),
                            f.field_path
                        ));
                    } else if let Some(r) = &from.resource_field_ref {
                        o.push_str(&format!("      {}:\t ({})\n", e.name, r.resource));
                    } else if let Some(r) = &from.secret_key_ref {
                        o.push_str(&format!(
                            "      {}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                            e.name,
                            r.key,
                            r.name,
                            r.optional.unwrap_or(false)
                        ));
                    } else if let Some(r) = &from.config_map_key_ref {
                        o.push_str(&format!(
                            "      {}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                            e.name,
                            r.key,
                            r.name,
                            r.optional.unwrap_or(false)
                        ));
                    }
                }
            }
        }
        let mut mounts: Vec<_> = c.volume_mounts.iter().flatten().collect();
        if mounts.is_empty() {
            o.push_str("    Mounts:\t<none>\n");
        } else {
            o.push_str("    Mounts:\n");
            crate::util::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
            for m in mounts {
                let mut flags = vec![if m.read_only == Some(true) { "ro".to_string() } else { "rw".to_string() }];
                if let Some(sub) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                    flags.push(format!("path={sub:?}"));
                }
                o.push_str(&format!("      {} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
            }
        }
    }
}

/// `describeVolumes`.
fn volumes(o: &mut String, list: &[k8s_openapi::api::core::v1::Volume], space: &str) {
    if list.is_empty() {
        o.push_str(&format!("{space}Volumes:\t<none>\n"));
        return;
    }
    o.push_str(&format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in list {
        o.push_str(&format!("  {name_indent}{}:\n", v.name));
        if let Some(cm) = &v.config_map {
            o.push_str(&format!(
                "    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                cm.name,
                cm.optional.unwrap_or(false)
            ));
        } else if let Some(sec) = &v.secret {
            o.push_str(&format!(
                "    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                sec.secret_name.as_deref().unwrap_or(""),
                sec.optional.unwrap_or(false)
            ));
        } else if let Some(e) = &v.empty_dir {
            o.push_str(&format!(
                "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{}\n",
                e.medium.as_deref().unwrap_or(""),
                e.size_limit.as_ref().map_or("<unset>".to_string(), |q| q.0.clone())
            ));
        } else if let Some(h) = &v.host_path {
            o.push_str(&format!(
                "    Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                h.path,
                h.type_.as_deref().unwrap_or("<none>")
            ));
        } else if let Some(p) = &v.projected {
            o.push_str("    Type:\tProjected (a volume that contains injected data from multiple sources)\n");
            for src in p.sources.iter().flatten() {
                if let Some(sec) = &src.secret {
                    o.push_str(&format!(
                        "    SecretName:\t{}\n    Optional:\t{}\n",
                        sec.name,
                        sec.optional.unwrap_or(false)
                    ));
                } else if src.downward_api.is_some() {
                    o.push_str("    DownwardAPI:\ttrue\n");
                } else if let Some(cm) = &src.config_map {
                    o.push_str(&format!(
                        "    ConfigMapName:\t{}\n    Optional:\t{}\n",
                        cm.name,
                        cm.optional.unwrap_or(false)
                    ));
                } else if let Some(t) = &src.service_account_token {
                    o.push_str(&format!("    TokenExpirationSeconds:\t{}\n", t.expiration_seconds.unwrap_or(3600)));
                }
            }
        } else {
            o.push_str("  <unknown>\n");
        }
    }
}

/// `printTolerationsMultilineWithIndent`, sorted by key.
fn tolerations(o: &mut String, initial: &str, title: &str, list: &[k8s_openapi::api::core::v1::Toleration]) {
    o.push_str(&format!("{initial}{title}:\t"));
    if list.is_empty() {
        o.push_str("<none>\n");
        return;
    }
    let mut sorted: Vec<_> = list.iter().collect();
    crate::util::sort_by(&mut sorted, |a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.into_iter().enumerate() {
        // The indent is part of the title upstream: continuation lines start with a bare tab.
        if i != 0 {
            o.push('\t');
        }
        let key = t.key.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        o.push_str(key);
        if !value.is_empty() {
            o.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            o.push_str(&format!(":{effect}"));
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            o.push_str(if key.is_empty() && effect.is_empty() { "op=Exists" } else { " op=Exists" });
        }
        if let Some(secs) = t.toleration_seconds {
            o.push_str(&format!(" for {secs}s"));
        }
        o.push('\n');
    }
}

/// `DescribePodTemplate`: the `Pod Template:` block (used by `describe deployment|replicaset` and `rollout history
/// --revision`).
pub fn pod_template(t: &PodTemplateSpec) -> String {
    let mut o = String::from("Pod Template:\n");
    let meta = t.metadata.clone().unwrap_or_default();
    multiline(&mut o, "  ", "Labels", &labels(meta.labels.as_ref()));
    let ann = annotations(meta.annotations.as_ref());
    if !ann.is_empty() {
        multiline(&mut o, "  ", "Annotations", &ann);
    }
    let spec = t.spec.clone().unwrap_or_default();
    if let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        o.push_str(&format!("  Service Account:\t{sa}\n"));
    }
    if let Some(init) = spec.init_containers.as_deref().filter(|i| !i.is_empty()) {
        containers(&mut o, "Init Containers", init, &[], "  ", None);
    }
    containers(&mut o, "Containers", &spec.containers, &[], "  ", None);
    volumes(&mut o, spec.volumes.as_deref().unwrap_or_default(), "  ");
    if let Some(pc) = spec.priority_class_name.as_deref().filter(|p| !p.is_empty()) {
        o.push_str(&format!("  Priority Class Name:\t{pc}\n"));
    }
    multiline(&mut o, "  ", "Node-Selectors", &labels(spec.node_selector.as_ref()));
    tolerations(&mut o, "  ", "Tolerations", spec.tolerations.as_deref().unwrap_or_default());
    o
}

/// RFC 1123 with a numeric zone, as describe prints timestamps.
pub fn timestamp(t: &api::Time) -> String {
    t.0.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// The Events section for an object, flushed on its own.
pub fn events(sim: &Sim, uid: &str, now: Millis) -> Option<String> {
    let mut evs: Vec<&Event> =
        sim.cluster().store().list::<Event>(None).filter(|e| e.involved_object.uid.as_deref() == Some(uid)).collect();
    if evs.is_empty() {
        return None;
    }
    // `SortableEvents`: by lastTimestamp; the API's name order breaks ties (Go's sort is not stable, ours is).
    crate::util::sort_by_key(&mut evs, |e| {
        (e.last_timestamp.as_ref().or(e.first_timestamp.as_ref()).map(millis_of), e.metadata.name.clone())
    });
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
        let from = e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .filter(|c| !c.is_empty())
            .or_else(|| e.reporting_component.clone())
            .unwrap_or_default();
        // Since kubectl 1.35 (kubernetes PR 133627) the involved object's field path, the container of a kubelet
        // event, comes first: `spec.containers{nginx}: Pulling image "nginx:1.10"`.
        let message = e.message.as_deref().unwrap_or("").trim();
        let message = match e.involved_object.field_path.as_deref().filter(|p| !p.is_empty()) {
            Some(path) => format!("{path}: {message}"),
            None => message.to_string(),
        };
        t.push_str(&format!(
            "  {}\t{}\t{age}\t{from}\t{message}\n",
            e.type_.as_deref().unwrap_or(""),
            e.reason.as_deref().unwrap_or(""),
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
    o.push_str(&pod_template(&spec.template));
    if let Some(conds) = st.conditions.as_ref().filter(|c| !c.is_empty()) {
        o.push_str("Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n");
        for c in conds {
            o.push_str(&format!("  {} \t{}\t{}\n", c.type_, c.status, c.reason.as_deref().unwrap_or("")));
        }
    }
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let mut rss: Vec<&ReplicaSet> = sim.cluster().store().controlled_by::<ReplicaSet>(&uid).collect();
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
    for p in sim.cluster().store().controlled_by::<api::Pod>(&uid) {
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
    o.push_str(&pod_template(&spec.template.clone().unwrap_or_default()));
    with_events(sim, o, &uid, now)
}

/// A pod's `fieldRef` value, as `EnvValueRetriever` resolves it for `describe pod`.
pub(super) fn field_value(pod: &api::Pod, path: &str) -> String {
    let json = serde_json::to_value(pod).unwrap_or_default();
    let (path, key) = match path.split_once("['") {
        Some((p, k)) => (p, k.strip_suffix("']")),
        None => (path, None),
    };
    let mut v = &json;
    for part in path.split('.') {
        v = &v[part];
    }
    if let Some(k) = key {
        v = &v[k];
    }
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `describePod`.
pub fn pod(sim: &Sim, p: &api::Pod) -> String {
    let now = sim.now();
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    let mut o = String::new();
    o.push_str(&format!("Name:\t{}\n", api::name_of(&p.metadata)));
    o.push_str(&format!("Namespace:\t{}\n", api::namespace_of(&p.metadata)));
    if let Some(pr) = spec.priority {
        o.push_str(&format!("Priority:\t{pr}\n"));
    }
    if let Some(pc) = spec.priority_class_name.as_deref().filter(|c| !c.is_empty()) {
        o.push_str(&format!("Priority Class Name:\t{pc}\n"));
    }
    if let Some(rc) = spec.runtime_class_name.as_deref().filter(|c| !c.is_empty()) {
        o.push_str(&format!("Runtime Class Name:\t{rc}\n"));
    }
    if let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        o.push_str(&format!("Service Account:\t{sa}\n"));
    }
    match spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        None => o.push_str("Node:\t<none>\n"),
        Some(n) => o.push_str(&format!("Node:\t{n}/{}\n", st.host_ip.as_deref().unwrap_or(""))),
    }
    if let Some(t) = &st.start_time {
        o.push_str(&format!("Start Time:\t{}\n", timestamp(t)));
    }
    multiline(&mut o, "", "Labels", &labels(p.metadata.labels.as_ref()));
    multiline(&mut o, "", "Annotations", &annotations(p.metadata.annotations.as_ref()));
    let phase = st.phase.clone().unwrap_or_default();
    match &p.metadata.deletion_timestamp {
        Some(t) if phase != "Failed" && phase != "Succeeded" => {
            // `translateTimestampSince` then `HumanDuration`: during the grace period the deletion timestamp is in
            // the future, and a duration below -1 s prints `<invalid>`.
            let since = i128::from(now) - i128::from(millis_of(t));
            let lasts = if since / 1000 < -1 {
                "<invalid>".to_string()
            } else {
                human_duration(u64::try_from(since.max(0)).unwrap_or(0))
            };
            o.push_str(&format!("Status:\tTerminating (lasts {lasts})\n"));
            o.push_str(&format!(
                "Termination Grace Period:\t{}s\n",
                p.metadata.deletion_grace_period_seconds.unwrap_or(0)
            ));
        }
        _ => o.push_str(&format!("Status:\t{phase}\n")),
    }
    if let Some(r) = st.reason.as_deref().filter(|r| !r.is_empty()) {
        o.push_str(&format!("Reason:\t{r}\n"));
    }
    if let Some(m) = st.message.as_deref().filter(|m| !m.is_empty()) {
        o.push_str(&format!("Message:\t{m}\n"));
    }
    o.push_str(&format!("IP:\t{}\n", st.pod_ip.as_deref().unwrap_or("")));
    match st.pod_ips.as_deref().filter(|i| !i.is_empty()) {
        None => o.push_str("IPs:\t<none>\n"),
        Some(ips) => {
            o.push_str("IPs:\n");
            for ip in ips {
                o.push_str(&format!("  IP:\t{}\n", ip.ip));
            }
        }
    }
    if let Some(owner) = api::controller_of(&p.metadata) {
        o.push_str(&format!("Controlled By:\t{}/{}\n", owner.kind, owner.name));
    }
    if let Some(n) = st.nominated_node_name.as_deref().filter(|n| !n.is_empty()) {
        o.push_str(&format!("NominatedNodeName:\t{n}\n"));
    }
    if let Some(init) = spec.init_containers.as_deref().filter(|i| !i.is_empty()) {
        let statuses = st.init_container_statuses.as_deref().unwrap_or_default();
        containers(&mut o, "Init Containers", init, statuses, "", Some(p));
    }
    let statuses = st.container_statuses.as_deref().unwrap_or_default();
    containers(&mut o, "Containers", &spec.containers, statuses, "", Some(p));
    if let Some(gates) = spec.readiness_gates.as_deref().filter(|g| !g.is_empty()) {
        o.push_str("Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let status = st
                .conditions
                .iter()
                .flatten()
                .find(|c| c.type_ == g.condition_type)
                .map_or("<none>".to_string(), |c| c.status.clone());
            o.push_str(&format!("  {} \t{status} \n", g.condition_type));
        }
    }
    if let Some(conds) = st.conditions.as_deref().filter(|c| !c.is_empty()) {
        o.push_str("Conditions:\n  Type\tStatus\n");
        for c in conds {
            o.push_str(&format!("  {} \t{} \n", c.type_, c.status));
        }
    }
    volumes(&mut o, spec.volumes.as_deref().unwrap_or_default(), "");
    o.push_str(&format!("QoS Class:\t{}\n", st.qos_class.as_deref().unwrap_or("BestEffort")));
    multiline(&mut o, "", "Node-Selectors", &labels(spec.node_selector.as_ref()));
    tolerations(&mut o, "", "Tolerations", spec.tolerations.as_deref().unwrap_or_default());
    with_events(sim, o, p.metadata.uid.as_deref().unwrap_or(""), now)
}

/// `describeNode`, with `describeNodeResource` for the pods on it.
pub fn node(sim: &Sim, n: &api::Node) -> String {
    use crate::api::quantity::{self, Quantity};
    let now = sim.now();
    let name = api::name_of(&n.metadata);
    let spec = n.spec.clone().unwrap_or_default();
    let st = n.status.clone().unwrap_or_default();
    let mut o = String::new();
    o.push_str(&format!("Name:\t{name}\n"));
    // `findNodeRoles`: node-role.kubernetes.io/<role> labels and the kubernetes.io/role label.
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in n.metadata.labels.iter().flatten() {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/").filter(|r| !r.is_empty()) {
            roles.push(role.to_string());
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    crate::util::sort(&mut roles);
    roles.dedup();
    o.push_str(&format!("Roles:\t{}\n", if roles.is_empty() { "<none>".to_string() } else { roles.join(",") }));
    multiline(&mut o, "", "Labels", &labels(n.metadata.labels.as_ref()));
    multiline(&mut o, "", "Annotations", &annotations(n.metadata.annotations.as_ref()));
    o.push_str(&format!(
        "CreationTimestamp:\t{}\n",
        n.metadata.creation_timestamp.as_ref().map(timestamp).unwrap_or_default()
    ));
    let taints: Vec<String> = spec
        .taints
        .iter()
        .flatten()
        .map(|t| match t.value.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => format!("{}={v}:{}", t.key, t.effect),
            None => format!("{}:{}", t.key, t.effect),
        })
        .collect();
    multiline(&mut o, "", "Taints", &taints);
    o.push_str(&format!("Unschedulable:\t{}\n", spec.unschedulable.unwrap_or(false)));
    let renew = api::node_lease_renewed(n, now);
    o.push_str(&format!(
        "Lease:\n  HolderIdentity:\t{name}\n  AcquireTime:\t<unset>\n  RenewTime:\t{}\n",
        timestamp(&api::time::time_at(renew))
    ));
    if let Some(conds) = st.conditions.as_deref().filter(|c| !c.is_empty()) {
        o.push_str("Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
        o.push_str("  ----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in conds {
            o.push_str(&format!(
                "  {} \t{} \t{} \t{} \t{} \t{}\n",
                c.type_,
                c.status,
                c.last_heartbeat_time.as_ref().map(timestamp).unwrap_or_default(),
                c.last_transition_time.as_ref().map(timestamp).unwrap_or_default(),
                c.reason.as_deref().unwrap_or(""),
                c.message.as_deref().unwrap_or("")
            ));
        }
    }
    o.push_str("Addresses:\n");
    for a in st.addresses.iter().flatten() {
        o.push_str(&format!("  {}:\t{}\n", a.type_, a.address));
    }
    for (title, list) in [("Capacity", &st.capacity), ("Allocatable", &st.allocatable)] {
        if let Some(list) = list.as_ref().filter(|l| !l.is_empty()) {
            o.push_str(&format!("{title}:\n"));
            for (k, v) in list {
                o.push_str(&format!("  {k}:\t{}\n", v.0));
            }
        }
    }
    let info = st.node_info.clone().unwrap_or_default();
    o.push_str("System Info:\n");
    for (k, v) in [
        ("Machine ID", &info.machine_id),
        ("System UUID", &info.system_uuid),
        ("Boot ID", &info.boot_id),
        ("Kernel Version", &info.kernel_version),
        ("OS Image", &info.os_image),
        ("Operating System", &info.operating_system),
        ("Architecture", &info.architecture),
        ("Container Runtime Version", &info.container_runtime_version),
        ("Kubelet Version", &info.kubelet_version),
        ("Kube-Proxy Version", &info.kube_proxy_version),
    ] {
        o.push_str(&format!("  {k}:\t{v}\n"));
    }
    if let Some(cidr) = spec.pod_cidr.as_deref().filter(|c| !c.is_empty()) {
        o.push_str(&format!("PodCIDR:\t{cidr}\n"));
    }
    if let Some(cidrs) = spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
        o.push_str(&format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    if let Some(id) = spec.provider_id.as_deref().filter(|i| !i.is_empty()) {
        o.push_str(&format!("ProviderID:\t{id}\n"));
    }
    // Non-terminated pods on the node, in namespace/name order as the API lists them.
    let pods: Vec<&api::Pod> = sim
        .cluster()
        .store()
        .list::<api::Pod>(None)
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(name))
        .filter(|p| !matches!(p.status.as_ref().and_then(|s| s.phase.as_deref()), Some("Succeeded" | "Failed")))
        .collect();
    let allocatable = st.allocatable.clone().or(st.capacity.clone()).unwrap_or_default();
    let alloc = |r: &str| allocatable.get(r).and_then(|q| quantity::parse(&q.0)).map_or(0, |q| q.milli);
    let sum = |p: &api::Pod, limits: bool, r: &str| -> Quantity {
        let mut total = Quantity::default();
        for c in p.spec.iter().flat_map(|s| s.containers.iter()) {
            let res = c.resources.as_ref();
            let list = if limits { res.and_then(|r| r.limits.as_ref()) } else { res.and_then(|r| r.requests.as_ref()) };
            // Requests default to limits when only limits are set.
            let list = list.or(if limits { None } else { res.and_then(|r| r.limits.as_ref()) });
            if let Some(q) = list.and_then(|l| l.get(r)).and_then(|q| quantity::parse(&q.0)) {
                total.milli += q.milli;
                total.binary |= q.binary;
            }
        }
        total
    };
    let pct = |q: Quantity, r: &str| {
        let a = alloc(r);
        if a == 0 {
            0
        } else {
            (q.milli as f64 / a as f64 * 100.0) as i64
        }
    };
    let cell = |q: Quantity, r: &str| format!("{} ({}%)", q.canonical(), pct(q, r));
    o.push_str(&format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    o.push_str("  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    o.push_str("  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    let mut totals = [Quantity::default(); 6];
    let kinds = [
        ("cpu", false),
        ("cpu", true),
        ("memory", false),
        ("memory", true),
        ("ephemeral-storage", false),
        ("ephemeral-storage", true),
    ];
    for p in &pods {
        let q: Vec<Quantity> = kinds.iter().map(|(r, l)| sum(p, *l, r)).collect();
        for (t, v) in totals.iter_mut().zip(&q) {
            t.milli += v.milli;
            t.binary |= v.binary;
        }
        o.push_str(&format!(
            "  {}\t{}\t\t{}\t{}\t{}\t{}\t{}\n",
            api::namespace_of(&p.metadata),
            api::name_of(&p.metadata),
            cell(q[0], "cpu"),
            cell(q[1], "cpu"),
            cell(q[2], "memory"),
            cell(q[3], "memory"),
            super::get::age(&p.metadata, now)
        ));
    }
    o.push_str("Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    o.push_str("  Resource\tRequests\tLimits\n  --------\t--------\t------\n");
    for (i, r) in ["cpu", "memory", "ephemeral-storage"].into_iter().enumerate() {
        o.push_str(&format!("  {r}\t{}\t{}\n", cell(totals[2 * i], r), cell(totals[2 * i + 1], r)));
    }
    with_events(sim, o, n.metadata.uid.as_deref().unwrap_or(""), now)
}

/// `formatEndpointSlices`: up to three ready `ip:port` for one Service port (all ports when `port` is `None`).
fn endpoint_slices_cell(slices: &[&api::EndpointSlice], port: Option<&str>) -> String {
    if slices.is_empty() {
        return "<none>".into();
    }
    const MAX: usize = 3;
    let (mut list, mut count) = (Vec::new(), 0);
    let ready =
        |e: &k8s_openapi::api::discovery::v1::Endpoint| e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true);
    for s in slices {
        let ports = s.ports.as_deref().unwrap_or_default();
        if ports.is_empty() {
            for e in s.endpoints.iter().filter(|e| ready(e)) {
                count += 1;
                if list.len() < MAX {
                    list.push(e.addresses.first().cloned().unwrap_or_default());
                }
            }
            continue;
        }
        for p in ports {
            if port.is_some_and(|n| p.name.as_deref().unwrap_or("") != n) {
                continue;
            }
            for e in s.endpoints.iter().filter(|e| ready(e)) {
                count += 1;
                if list.len() < MAX {
                    list.push(format!("{}:{}", e.addresses.first().cloned().unwrap_or_default(), p.port.unwrap_or(0)));
                }
            }
        }
    }
    let mut ret = list.join(",");
    if count > MAX {
        ret.push_str(&format!(" + {} more...", count - MAX));
    }
    ret
}

/// `describeService`, with the Endpoints line of each port from the Service's EndpointSlices.
pub fn service(sim: &Sim, s: &api::Service) -> String {
    let now = sim.now();
    let spec = s.spec.clone().unwrap_or_default();
    let name = api::name_of(&s.metadata);
    let ns = api::namespace_of(&s.metadata);
    let mut o = String::new();
    o.push_str(&format!("Name:\t{name}\n"));
    o.push_str(&format!("Namespace:\t{ns}\n"));
    multiline(&mut o, "", "Labels", &labels(s.metadata.labels.as_ref()));
    multiline(&mut o, "", "Annotations", &annotations(s.metadata.annotations.as_ref()));
    let selector: Vec<String> = labels(spec.selector.as_ref());
    // `labels.FormatLabels`: `<none>` for no selector.
    o.push_str(&format!("Selector:\t{}\n", none_if_empty(selector.join(","))));
    o.push_str(&format!("Type:\t{}\n", spec.type_.as_deref().unwrap_or("")));
    if let Some(p) = &spec.ip_family_policy {
        o.push_str(&format!("IP Family Policy:\t{p}\n"));
    }
    let families = spec.ip_families.clone().unwrap_or_default();
    o.push_str(&format!("IP Families:\t{}\n", if families.is_empty() { "<none>".into() } else { families.join(",") }));
    o.push_str(&format!("IP:\t{}\n", spec.cluster_ip.as_deref().unwrap_or("")));
    let ips = spec.cluster_ips.clone().unwrap_or_default();
    o.push_str(&format!("IPs:\t{}\n", if ips.is_empty() { "<none>".into() } else { ips.join(",") }));
    if let Some(ext) = spec.external_ips.as_ref().filter(|e| !e.is_empty()) {
        o.push_str(&format!("External IPs:\t{}\n", ext.join(",")));
    }
    if let Some(ip) = spec.load_balancer_ip.as_deref().filter(|i| !i.is_empty()) {
        o.push_str(&format!("Desired LoadBalancer IP:\t{ip}\n"));
    }
    if let Some(n) = spec.external_name.as_deref().filter(|n| !n.is_empty()) {
        o.push_str(&format!("External Name:\t{n}\n"));
    }
    // `buildIngressString`: the IP with its mode in parentheses (`172.18.0.6 (Proxy)`), else the hostname.
    let ingress: Vec<String> = api::load_balancer_ingresses(s)
        .filter_map(|i| match (&i.ip, &i.ip_mode) {
            (Some(ip), Some(mode)) if !ip.is_empty() => Some(format!("{ip} ({mode})")),
            (Some(ip), _) if !ip.is_empty() => Some(ip.clone()),
            _ => i.hostname.clone(),
        })
        .collect();
    if !ingress.is_empty() {
        o.push_str(&format!("LoadBalancer Ingress:\t{}\n", ingress.join(", ")));
    }
    let slices: Vec<&api::EndpointSlice> = sim
        .cluster()
        .store()
        .list::<api::EndpointSlice>(Some(ns))
        .filter(|e| api::label(&e.metadata, crate::controllers::endpoints::SERVICE_NAME_LABEL) == Some(name))
        .collect();
    for p in spec.ports.iter().flatten() {
        let port_name = p.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        o.push_str(&format!("Port:\t{port_name}\t{}/{proto}\n", p.port));
        o.push_str(&format!("TargetPort:\t{}/{proto}\n", int_or_string(p.target_port.as_ref())));
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            o.push_str(&format!("NodePort:\t{port_name}\t{np}/{proto}\n"));
        }
        o.push_str(&format!("Endpoints:\t{}\n", endpoint_slices_cell(&slices, Some(p.name.as_deref().unwrap_or("")))));
    }
    o.push_str(&format!("Session Affinity:\t{}\n", spec.session_affinity.as_deref().unwrap_or("")));
    if let Some(p) = spec.external_traffic_policy.as_deref().filter(|p| !p.is_empty()) {
        o.push_str(&format!("External Traffic Policy:\t{p}\n"));
    }
    if let Some(n) = spec.health_check_node_port.filter(|n| *n != 0) {
        o.push_str(&format!("HealthCheck NodePort:\t{n}\n"));
    }
    if let Some(r) = spec.load_balancer_source_ranges.as_ref().filter(|r| !r.is_empty()) {
        o.push_str(&format!("LoadBalancer Source Ranges:\t{}\n", r.join(",")));
    }
    if let Some(p) = &spec.internal_traffic_policy {
        o.push_str(&format!("Internal Traffic Policy:\t{p}\n"));
    }
    with_events(sim, o, s.metadata.uid.as_deref().unwrap_or(""), now)
}

/// `describeEndpoints`.
pub fn endpoints(sim: &Sim, e: &api::Endpoints) -> String {
    let now = sim.now();
    let mut o = String::new();
    o.push_str(&format!("Name:\t{}\n", api::name_of(&e.metadata)));
    o.push_str(&format!("Namespace:\t{}\n", api::namespace_of(&e.metadata)));
    multiline(&mut o, "", "Labels", &labels(e.metadata.labels.as_ref()));
    multiline(&mut o, "", "Annotations", &annotations(e.metadata.annotations.as_ref()));
    o.push_str("Subsets:\n");
    for ss in e.subsets.iter().flatten() {
        let ips = |v: &Option<Vec<k8s_openapi::api::core::v1::EndpointAddress>>| {
            none_if_empty(v.iter().flatten().map(|a| a.ip.as_str()).collect::<Vec<_>>().join(","))
        };
        o.push_str(&format!("  Addresses:\t{}\n", ips(&ss.addresses)));
        o.push_str(&format!("  NotReadyAddresses:\t{}\n", ips(&ss.not_ready_addresses)));
        if let Some(ports) = ss.ports.as_ref().filter(|p| !p.is_empty()) {
            o.push_str("  Ports:\n    Name\tPort\tProtocol\n    ----\t----\t--------\n");
            for p in ports {
                let name = p.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
                o.push_str(&format!("    {name}\t{}\t{}\n", p.port, p.protocol.as_deref().unwrap_or("TCP")));
            }
        }
        o.push('\n');
    }
    with_events(sim, o, e.metadata.uid.as_deref().unwrap_or(""), now)
}

#[cfg(test)]
mod annotation_tests {
    use super::*;

    /// describe.go `printAnnotationsMultiline`: long or multi-line values go below their key, cut at 138 bytes.
    #[test]
    fn long_annotations_go_below_their_key() {
        let long = "x".repeat(150);
        let m: BTreeMap<String, String> = [
            ("a".to_string(), "short".to_string()),
            ("b".to_string(), long.clone()),
            ("c".to_string(), "one\ntwo\n".to_string()),
        ]
        .into();
        let mut out = String::new();
        multiline(&mut out, "", "Annotations", &annotations(Some(&m)));
        assert_eq!(out, format!("Annotations:\ta: short\n\tb:\n\t  {}...\n\tc:\n\t  one\n\t  two\n", &long[..138]));
    }
}
