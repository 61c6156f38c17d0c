//! Label selectors as `-l` takes them (apimachinery `labels.Parse`): `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
//! `k notin (a,b)`, `k`, `!k`, joined by commas.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Req {
    Eq(String, String),
    Ne(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector(Vec<Req>);

/// As apimachinery's `internalSelector.String` prints it: requirements joined by commas, `k=v`, `k!=v`,
/// `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `labels.Parse` sorts the requirements by key, and a requirement's values are a set, printed sorted.
        use crate::api::selector::{join_by_key, value_set};
        let sorted = |vs: &[String]| value_set(vs.iter().map(String::as_str));
        let parts: Vec<(&str, String)> = self
            .0
            .iter()
            .map(|r| match r {
                Req::Eq(k, v) => (k.as_str(), format!("{k}={v}")),
                Req::Ne(k, v) => (k.as_str(), format!("{k}!={v}")),
                Req::In(k, vs) => (k.as_str(), format!("{k} in ({})", sorted(vs))),
                Req::NotIn(k, vs) => (k.as_str(), format!("{k} notin ({})", sorted(vs))),
                Req::Exists(k) => (k.as_str(), k.clone()),
                Req::NotExists(k) => (k.as_str(), format!("!{k}")),
            })
            .collect();
        f.write_str(&join_by_key(parts))
    }
}

/// Splits at commas that are not inside parentheses.
fn parts(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

fn set(v: &str) -> Option<Vec<String>> {
    let inner = v.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(inner.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect())
}

impl Selector {
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        if s.trim().is_empty() {
            return Ok(Selector(reqs));
        }
        for part in parts(s) {
            let p = part.trim();
            let bad = || format!("unable to parse requirement: found '{p}', expected: key operator value");
            let req = if let Some((k, v)) = p.split_once("!=") {
                Req::Ne(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = p.split_once("==") {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = p.split_once('=') {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = p.split_once(" notin ") {
                Req::NotIn(k.trim().into(), set(v).ok_or_else(bad)?)
            } else if let Some((k, v)) = p.split_once(" in ") {
                Req::In(k.trim().into(), set(v).ok_or_else(bad)?)
            } else if let Some(k) = p.strip_prefix('!') {
                Req::NotExists(k.trim().into())
            } else if !p.is_empty() && !p.contains(' ') {
                Req::Exists(p.into())
            } else {
                return Err(bad());
            };
            let key = match &req {
                Req::Eq(k, _)
                | Req::Ne(k, _)
                | Req::In(k, _)
                | Req::NotIn(k, _)
                | Req::Exists(k)
                | Req::NotExists(k) => k,
            };
            if key.is_empty() {
                return Err(bad());
            }
            reqs.push(req);
        }
        Ok(Selector(reqs))
    }

    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let empty = BTreeMap::new();
        let l = labels.unwrap_or(&empty);
        self.0.iter().all(|r| match r {
            Req::Eq(k, v) => l.get(k) == Some(v),
            Req::Ne(k, v) => l.get(k) != Some(v),
            Req::In(k, vs) => l.get(k).is_some_and(|x| vs.contains(x)),
            Req::NotIn(k, vs) => l.get(k).is_none_or(|x| !vs.contains(x)),
            Req::Exists(k) => l.contains_key(k),
            Req::NotExists(k) => !l.contains_key(k),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `labels.Parse` sorts requirements by key; a requirement's values print sorted.
    #[test]
    fn parsed_selectors_print_sorted() {
        let s = Selector::parse("tier in (web,api),app=web,!canary").unwrap();
        assert_eq!(s.to_string(), "app=web,!canary,tier in (api,web)");
    }

    #[test]
    fn selectors_parse_and_match() {
        let l: BTreeMap<String, String> =
            [("app".to_string(), "web".to_string()), ("tier".to_string(), "fe".to_string())].into();
        for (s, want) in [
            ("app=web", true),
            ("app==web,tier=fe", true),
            ("app!=web", false),
            ("tier in (fe, be)", true),
            ("tier notin (fe)", false),
            ("app", true),
            ("!app", false),
            ("!missing", true),
            ("", true),
        ] {
            assert_eq!(Selector::parse(s).unwrap().matches(Some(&l)), want, "{s}");
        }
        assert!(Selector::parse("app in fe").is_err());
        assert!(Selector::parse("=x").is_err());
    }
}
