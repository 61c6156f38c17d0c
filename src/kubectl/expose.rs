//! `kubectl expose` (`pkg/cmd/expose`): a Service for a Deployment, ReplicaSet or pod, with its selector and ports.

use super::dryrun::{self, DryRun};
use super::flags::{val, Parsed, Spec};
use super::{namespace, one_target, Output};
use crate::api::{self, Deployment, ReplicaSet};
use crate::cluster::store::Kind;
use crate::sim::Sim;
use serde_json::Value;

pub const EXPOSE_FLAGS: &[Spec] = &[
    val("port", None),
    val("target-port", None),
    val("type", None),
    val("name", None),
    val("protocol", None),
    val("labels", Some('l')),
    super::dryrun::FLAG,
    super::dryrun::OUTPUT_FLAGS[0],
    super::dryrun::OUTPUT_FLAGS[1],
    super::dryrun::OUTPUT_FLAGS[2],
];

/// `kubectl expose deployment NAME --port=80 [--target-port=8080] [--type=NodePort] [--name=svc]`.
pub fn expose(sim: &mut Sim, f: &Parsed, ctx: &super::Context<'_>) -> Output {
    let (kind, name) = match one_target(&f.args, "expose") {
        Ok(t) => t,
        Err(o) => return o,
    };
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
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
                // `MapBasedSelectorForObject`, wrapped by `RunExpose`.
                return Output::err(format!(
                    "error: couldn't retrieve selectors via --selector flag or introspection: couldn't convert \
                     expressions - \"{}\" to map-based selector format",
                    go_requirements(sel.match_expressions.as_deref().unwrap_or_default())
                ));
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
        None if ports.is_empty() => return Output::err("error: couldn't find port via --port flag or introspection"),
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
        "status": {"loadBalancer": {}},
    });
    if svc["metadata"]["labels"].as_object().is_some_and(|l| l.is_empty()) {
        svc["metadata"].as_object_mut().map(|m| m.remove("labels"));
    }
    if let Some(t) = f.get("type") {
        svc["spec"]["type"] = Value::String(t.to_string());
    }
    let what = format!("service/{svc_name}");
    let mut out = match dry {
        DryRun::Client => printer.print(&svc, &what, "exposed", dry, true, 0),
        DryRun::None | DryRun::Server => {
            let mut copy = (dry == DryRun::Server).then(|| sim.clone());
            let target = copy.as_mut().unwrap_or(sim);
            let report = target.send_manifest_in(&svc.to_string(), "STDIN", true, &ns, false, None);
            // `RunExpose` returns the server's error as it is, with no source.
            if let Some(Err(crate::apply::DocFailure::Api { error, .. })) = report.results.first().map(|r| &r.result) {
                return Output::err(super::errors::check(error));
            }
            if !report.ok() {
                return super::report_output(&report);
            }
            let mut stored = report.results.first().and_then(|r| r.stored.clone()).unwrap_or(svc);
            if dry == DryRun::Server {
                super::create::dry_run_created(&mut stored);
            }
            printer.print(&stored, &what, "exposed", dry, true, 0)
        }
    };
    out.warnings.insert_str(0, &warnings);
    out
}

/// Go's `%+v` of a `[]metav1.LabelSelectorRequirement`: `[{Key:tier Operator:In Values:[api web]}]`.
fn go_requirements(reqs: &[k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement]) -> String {
    let one = |r: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement| {
        format!(
            "{{Key:{} Operator:{} Values:[{}]}}",
            r.key,
            r.operator,
            r.values.as_deref().unwrap_or_default().join(" ")
        )
    };
    format!("[{}]", reqs.iter().map(one).collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod go_format_tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    #[test]
    fn requirements_print_as_gos_plus_v() {
        let r = |key: &str, op: &str, values: Option<Vec<String>>| LabelSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values,
        };
        assert_eq!(
            go_requirements(&[
                r("tier", "In", Some(vec!["web".into(), "api".into()])),
                r("canary", "DoesNotExist", None)
            ]),
            "[{Key:tier Operator:In Values:[web api]} {Key:canary Operator:DoesNotExist Values:[]}]"
        );
    }
}
