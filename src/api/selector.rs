//! Label selectors (`metav1.LabelSelector`): `matchLabels` and `matchExpressions`, as `LabelSelectorAsSelector`
//! evaluates them.

use super::LabelSelector;
use std::collections::BTreeMap;

/// True when `labels` satisfy `selector`. An empty selector matches everything (callers that must refuse it, such
/// as the Deployment controller, check [`is_empty`] first). Unknown operators match nothing.
pub fn matches(selector: &LabelSelector, labels: Option<&BTreeMap<String, String>>) -> bool {
    let empty = BTreeMap::new();
    let labels = labels.unwrap_or(&empty);
    if let Some(ml) = &selector.match_labels {
        if !ml.iter().all(|(k, v)| labels.get(k) == Some(v)) {
            return false;
        }
    }
    for expr in selector.match_expressions.iter().flatten() {
        let values = expr.values.as_deref().unwrap_or_default();
        let value = labels.get(&expr.key);
        let ok = match expr.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// A selector with neither matchLabels nor matchExpressions selects everything.
pub fn is_empty(selector: &LabelSelector) -> bool {
    selector.match_labels.as_ref().is_none_or(BTreeMap::is_empty)
        && selector.match_expressions.as_ref().is_none_or(Vec::is_empty)
}

/// `k=v,k2=v2` as kubectl prints selectors: `LabelSelectorAsSelector` then `String`, so requirements are sorted by key
/// (matchLabels and expressions together) and the values of `in` / `notin` are sorted (`tier in (api,web)`).
pub fn to_string(selector: &LabelSelector) -> String {
    let mut parts: Vec<(&str, String)> =
        selector.match_labels.iter().flatten().map(|(k, v)| (k.as_str(), format!("{k}={v}"))).collect();
    for expr in selector.match_expressions.iter().flatten() {
        let values = value_set(expr.values.iter().flatten().map(String::as_str));
        parts.push((
            expr.key.as_str(),
            match expr.operator.as_str() {
                "In" => format!("{} in ({values})", expr.key),
                "NotIn" => format!("{} notin ({values})", expr.key),
                "Exists" => expr.key.clone(),
                "DoesNotExist" => format!("!{}", expr.key),
                other => format!("{} {other} ({values})", expr.key),
            },
        ));
    }
    join_by_key(parts)
}

/// apimachinery's `internalSelector.String`: the requirements (each with its key) sorted by key, comma-joined.
pub fn join_by_key(mut parts: Vec<(&str, String)>) -> String {
    crate::util::sort_by_key(&mut parts, |(key, _)| *key);
    parts.into_iter().map(|(_, p)| p).collect::<Vec<_>>().join(",")
}

/// A requirement's values as `Requirement.String` prints them: a set, so sorted and without repeats, comma-joined.
pub fn value_set<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = values.into_iter().collect();
    crate::util::sort(&mut v);
    v.dedup();
    v.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn match_labels_must_all_be_present_with_equal_values() {
        let sel = LabelSelector { match_labels: Some(labels(&[("app", "web")])), ..Default::default() };
        assert!(matches(&sel, Some(&labels(&[("app", "web"), ("tier", "fe")]))));
        assert!(!matches(&sel, Some(&labels(&[("app", "api")]))));
        assert!(!matches(&sel, None));
        assert_eq!(to_string(&sel), "app=web");
    }

    #[test]
    fn match_expressions_follow_their_operators() {
        let req = |op: &str, values: &[&str]| LabelSelectorRequirement {
            key: "env".into(),
            operator: op.into(),
            values: Some(values.iter().map(|s| s.to_string()).collect()),
        };
        let with = labels(&[("env", "prod")]);
        let without = labels(&[]);
        let sel = |r| LabelSelector { match_expressions: Some(vec![r]), ..Default::default() };
        assert!(matches(&sel(req("In", &["prod", "stage"])), Some(&with)));
        assert!(!matches(&sel(req("In", &["dev"])), Some(&with)));
        assert!(matches(&sel(req("NotIn", &["dev"])), Some(&with)));
        assert!(matches(&sel(req("NotIn", &["dev"])), Some(&without)));
        assert!(matches(&sel(req("Exists", &[])), Some(&with)));
        assert!(matches(&sel(req("DoesNotExist", &[])), Some(&without)));
        assert!(!matches(&sel(req("Bogus", &[])), Some(&with)));
    }

    /// apimachinery's `Requirement.String` (values sorted) and `internalSelector` (requirements sorted by key).
    #[test]
    fn selectors_print_sorted_by_key_with_sorted_values() {
        let sel = LabelSelector {
            match_labels: Some(labels(&[("tier", "fe")])),
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "app".into(),
                operator: "In".into(),
                values: Some(vec!["web".into(), "api".into()]),
            }]),
        };
        assert_eq!(to_string(&sel), "app in (api,web),tier=fe");
    }

    #[test]
    fn the_empty_selector_is_empty() {
        assert!(is_empty(&LabelSelector::default()));
        assert!(is_empty(&LabelSelector { match_labels: Some(BTreeMap::new()), ..Default::default() }));
    }
}
