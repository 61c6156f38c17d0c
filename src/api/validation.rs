//! The API server's validation of the objects the simulator acts on (`pkg/apis/apps/validation`,
//! `pkg/apis/core/validation`), with its messages: `The Deployment "x" is invalid: spec.replicas: Invalid value: -1:
//! must be greater than or equal to 0`. Runs on every create and update, so no object the controllers see can make
//! them misbehave — in particular, replicas are capped at [`MAX_REPLICAS`].

use super::intstr::percent;
use super::{selector, Deployment, IntOrString, LabelSelector, PodTemplateSpec, ReplicaSet};
use std::collections::BTreeMap;

/// The most replicas kubeplay simulates for one Deployment or ReplicaSet (a real cluster has no such cap; a
/// browser tab needs one).
pub const MAX_REPLICAS: i32 = 10_000;

const PERCENT_FORMAT: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/// `errors.NewInvalid`'s message: one error as it is, several in brackets.
pub fn invalid_message(kind: &str, name: &str, errors: &[String]) -> String {
    let list = if errors.len() == 1 { errors[0].clone() } else { format!("[{}]", errors.join(", ")) };
    format!("The {kind} \"{name}\" is invalid: {list}")
}

fn go_map(labels: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}

fn go_selector(s: &LabelSelector) -> String {
    let labels = s.match_labels.as_ref().map_or("map[string]string(nil)".to_string(), go_map);
    let exprs = if s.match_expressions.as_ref().is_none_or(Vec::is_empty) {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        "[]v1.LabelSelectorRequirement{...}".to_string()
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

fn non_negative(errs: &mut Vec<String>, path: &str, v: Option<i64>) {
    if let Some(v) = v.filter(|v| *v < 0) {
        errs.push(format!("{path}: Invalid value: {v}: must be greater than or equal to 0"));
    }
}

fn replicas(errs: &mut Vec<String>, path: &str, v: Option<i32>) {
    non_negative(errs, path, v.map(i64::from));
    if let Some(v) = v.filter(|v| *v > MAX_REPLICAS) {
        errs.push(format!("{path}: Invalid value: {v}: must be less than or equal to {MAX_REPLICAS} (the most replicas kubeplay simulates)"));
    }
}

fn int_or_percent(errs: &mut Vec<String>, path: &str, v: Option<&IntOrString>) -> Option<(bool, i64)> {
    match v? {
        IntOrString::Int(n) => {
            non_negative(errs, path, Some(i64::from(*n)));
            Some((false, i64::from(*n)))
        }
        IntOrString::String(s) => match percent(s) {
            Ok(p) if p >= 0 && !s.starts_with('+') => Some((true, p)),
            _ => {
                errs.push(format!("{path}: Invalid value: {s:?}: {PERCENT_FORMAT}"));
                None
            }
        },
    }
}

/// `ValidatePodTemplateSpec` for what kubeplay runs: containers, names, images, restart policy.
pub fn template(errs: &mut Vec<String>, path: &str, t: Option<&PodTemplateSpec>, deployment_like: bool) {
    let Some(spec) = t.and_then(|t| t.spec.as_ref()) else {
        errs.push(format!("{path}.spec.containers: Required value"));
        return;
    };
    if spec.containers.is_empty() {
        errs.push(format!("{path}.spec.containers: Required value"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let p = format!("{path}.spec.containers[{i}]");
        if c.name.is_empty() {
            errs.push(format!("{p}.name: Required value"));
        } else if !seen.insert(c.name.clone()) {
            errs.push(format!("{p}.name: Duplicate value: {:?}", c.name));
        }
        if c.image.as_deref().is_none_or(|s| s.trim().is_empty()) {
            errs.push(format!("{p}.image: Required value"));
        }
    }
    if deployment_like {
        if let Some(policy) = spec.restart_policy.as_deref().filter(|p| *p != "Always") {
            errs.push(format!(
                "{path}.spec.restartPolicy: Unsupported value: {policy:?}: supported values: \"Always\""
            ));
        }
    }
}

fn selector_and_labels(errs: &mut Vec<String>, sel: &LabelSelector, t: Option<&PodTemplateSpec>, kind: &str) {
    if selector::is_empty(sel) {
        errs.push(format!("spec.selector: Invalid value: {}: empty selector is invalid for {kind}", go_selector(sel)));
        return;
    }
    let labels = t.and_then(|t| t.metadata.as_ref()).and_then(|m| m.labels.clone()).unwrap_or_default();
    if !selector::matches(sel, Some(&labels)) {
        errs.push(format!(
            "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
            go_map(&labels)
        ));
    }
}

/// `ValidateDeployment` (and, with `old`, `ValidateDeploymentUpdate`'s immutable selector). Empty when valid.
pub fn deployment(d: &Deployment, old: Option<&Deployment>) -> Vec<String> {
    let mut errs = Vec::new();
    let Some(spec) = d.spec.as_ref() else { return vec!["spec: Required value".into()] };
    replicas(&mut errs, "spec.replicas", spec.replicas);
    selector_and_labels(&mut errs, &spec.selector, Some(&spec.template), "deployment");
    template(&mut errs, "spec.template", Some(&spec.template), true);
    non_negative(&mut errs, "spec.minReadySeconds", spec.min_ready_seconds.map(i64::from));
    non_negative(&mut errs, "spec.revisionHistoryLimit", spec.revision_history_limit.map(i64::from));
    if let Some(p) = spec.progress_deadline_seconds {
        non_negative(&mut errs, "spec.progressDeadlineSeconds", Some(i64::from(p)));
        if p <= spec.min_ready_seconds.unwrap_or(0) {
            errs.push(format!(
                "spec.progressDeadlineSeconds: Invalid value: {p}: must be greater than minReadySeconds"
            ));
        }
    }
    if let Some(strategy) = &spec.strategy {
        match strategy.type_.as_deref() {
            Some("Recreate") => {
                if strategy.rolling_update.is_some() {
                    errs.push("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'".into());
                }
            }
            Some("RollingUpdate") | None => {
                if let Some(ru) = &strategy.rolling_update {
                    let base = "spec.strategy.rollingUpdate";
                    let unav =
                        int_or_percent(&mut errs, &format!("{base}.maxUnavailable"), ru.max_unavailable.as_ref());
                    let surge = int_or_percent(&mut errs, &format!("{base}.maxSurge"), ru.max_surge.as_ref());
                    if let Some((true, p)) = unav {
                        if p > 100 {
                            errs.push(format!(
                                "{base}.maxUnavailable: Invalid value: \"{p}%\": must not be greater than 100%"
                            ));
                        }
                    }
                    if let (Some((_, 0)), Some((_, 0))) = (surge, unav) {
                        let shown = match ru.max_unavailable.as_ref() {
                            Some(IntOrString::String(s)) => format!("{s:?}"),
                            _ => "0".into(),
                        };
                        errs.push(format!(
                            "{base}.maxUnavailable: Invalid value: {shown}: may not be 0 when `maxSurge` is 0"
                        ));
                    }
                }
            }
            Some(other) => errs.push(format!(
                "spec.strategy.type: Unsupported value: {other:?}: supported values: \"Recreate\", \"RollingUpdate\""
            )),
        }
    }
    if let Some(old_sel) = old.and_then(|o| o.spec.as_ref()).map(|s| &s.selector) {
        if *old_sel != spec.selector {
            errs.push(format!("spec.selector: Invalid value: {}: field is immutable", go_selector(&spec.selector)));
        }
    }
    errs
}

/// `ValidateReplicaSet` (and the immutable selector on update).
pub fn replica_set(rs: &ReplicaSet, old: Option<&ReplicaSet>) -> Vec<String> {
    let mut errs = Vec::new();
    let Some(spec) = rs.spec.as_ref() else { return vec!["spec: Required value".into()] };
    replicas(&mut errs, "spec.replicas", spec.replicas);
    non_negative(&mut errs, "spec.minReadySeconds", spec.min_ready_seconds.map(i64::from));
    selector_and_labels(&mut errs, &spec.selector, spec.template.as_ref(), "replicaset");
    template(&mut errs, "spec.template", spec.template.as_ref(), true);
    if let Some(old_sel) = old.and_then(|o| o.spec.as_ref()).map(|s| &s.selector) {
        if *old_sel != spec.selector {
            errs.push(format!("spec.selector: Invalid value: {}: field is immutable", go_selector(&spec.selector)));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::{DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment};
    use k8s_openapi::api::core::v1::{Container, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn labels() -> BTreeMap<String, String> {
        [("app".to_string(), "web".to_string())].into()
    }

    fn valid() -> Deployment {
        Deployment {
            metadata: ObjectMeta { name: Some("web".into()), ..Default::default() },
            spec: Some(DeploymentSpec {
                replicas: Some(3),
                selector: LabelSelector { match_labels: Some(labels()), ..Default::default() },
                template: PodTemplateSpec {
                    metadata: Some(ObjectMeta { labels: Some(labels()), ..Default::default() }),
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            name: "nginx".into(),
                            image: Some("nginx:1.25".into()),
                            ..Default::default()
                        }],
                        ..Default::default()
                    }),
                },
                ..Default::default()
            }),
            status: None,
        }
    }

    fn with(f: impl FnOnce(&mut DeploymentSpec)) -> Vec<String> {
        let mut d = valid();
        f(d.spec.as_mut().unwrap());
        deployment(&d, None)
    }

    fn rolling(surge: IntOrString, unav: IntOrString) -> Option<DeploymentStrategy> {
        Some(DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDeployment { max_surge: Some(surge), max_unavailable: Some(unav) }),
        })
    }

    #[test]
    fn a_valid_deployment_has_no_errors() {
        assert!(deployment(&valid(), None).is_empty());
    }

    #[test]
    fn replicas_must_be_non_negative_and_within_the_cap() {
        assert_eq!(
            with(|s| s.replicas = Some(-1)),
            ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]
        );
        assert_eq!(with(|s| s.replicas = Some(MAX_REPLICAS)), Vec::<String>::new());
        assert_eq!(with(|s| s.replicas = Some(i32::MAX)).len(), 1);
    }

    #[test]
    fn selector_must_match_the_template_labels() {
        let errs = with(|s| s.selector.match_labels = Some([("app".to_string(), "api".to_string())].into()));
        assert_eq!(errs, ["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"]);
        let d = valid();
        let msg = invalid_message("Deployment", "web", &errs);
        assert!(msg.starts_with("The Deployment \"web\" is invalid: spec.template.metadata.labels"), "{msg}");
        let _ = d;
    }

    #[test]
    fn surge_and_unavailable_follow_the_api_rules() {
        let i = IntOrString::Int;
        let p = |s: &str| IntOrString::String(s.into());
        assert_eq!(
            with(|s| s.strategy = rolling(i(0), i(0))),
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"]
        );
        assert_eq!(with(|s| s.strategy = rolling(p("0%"), p("0%"))).len(), 1);
        assert_eq!(
            with(|s| s.strategy = rolling(p("25%"), p("110%"))),
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"110%\": must not be greater than 100%"]
        );
        assert_eq!(with(|s| s.strategy = rolling(p("-1%"), p("25%"))).len(), 1);
        assert_eq!(
            with(|s| s.strategy = rolling(p("25"), p("25%")))[0],
            format!("spec.strategy.rollingUpdate.maxSurge: Invalid value: \"25\": {PERCENT_FORMAT}")
        );
        assert_eq!(
            with(|s| s.strategy = rolling(i(-2), i(1))),
            ["spec.strategy.rollingUpdate.maxSurge: Invalid value: -2: must be greater than or equal to 0"]
        );
        assert!(with(|s| s.strategy = rolling(p("100%"), i(0))).is_empty());
    }

    #[test]
    fn the_selector_is_immutable() {
        let old = valid();
        let mut new = valid();
        let l: BTreeMap<String, String> =
            [("app".to_string(), "web".to_string()), ("v".to_string(), "2".to_string())].into();
        new.spec.as_mut().unwrap().selector.match_labels = Some(l.clone());
        new.spec.as_mut().unwrap().template.metadata.as_mut().unwrap().labels = Some(l);
        let errs = deployment(&new, Some(&old));
        assert_eq!(errs.len(), 1);
        assert!(errs[0].ends_with(": field is immutable"), "{errs:?}");
    }

    #[test]
    fn containers_and_images_are_required_and_names_unique() {
        let errs = with(|s| {
            let c = &mut s.template.spec.as_mut().unwrap().containers;
            c[0].image = None;
            c.push(Container { name: "nginx".into(), image: Some("x".into()), ..Default::default() });
        });
        assert_eq!(
            errs,
            [
                "spec.template.spec.containers[0].image: Required value",
                "spec.template.spec.containers[1].name: Duplicate value: \"nginx\""
            ]
        );
        assert_eq!(invalid_message("Deployment", "web", &errs), "The Deployment \"web\" is invalid: [spec.template.spec.containers[0].image: Required value, spec.template.spec.containers[1].name: Duplicate value: \"nginx\"]");
    }
}
