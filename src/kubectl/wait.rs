//! `kubectl wait --for=…` (`pkg/cmd/wait`): waits in virtual time, object by object, until a condition holds
//! (`condition=Available`, `condition=Ready=false`), a JSONPath has a value (`jsonpath={.status.phase}=Running`),
//! the object exists (`create`) or is gone (`delete`), or `--timeout` (30 s by default) passes.
//!
//! In the page the command waits while the clock plays, as `delete --wait` does: its lines are printed when the
//! wait ends, which a copy of the simulation finds out at once.

use super::flags::{flag, val, Parsed, Spec};
use super::jsonpath::Template;
use super::labels::Selector;
use super::{errors, get, namespace, Context, Output, Pending};
use crate::cluster::clock::Millis;
use crate::cluster::store::Kind;
use crate::sim::Sim;
use serde_json::Value;

pub const FLAGS: &[Spec] = &[
    val("for", None),
    super::flags::duration("timeout", None),
    val("selector", Some('l')),
    flag("all", None),
    flag("all-namespaces", Some('A')),
    val("filename", Some('f')),
];

/// What `--for` waits for (`conditionFuncFor`).
#[derive(Debug, Clone)]
enum For {
    Delete,
    Create,
    /// A condition's type (compared case-insensitively) and wanted status (`True` unless given).
    Condition(String, String),
    /// A JSONPath and, if given, the value it must print.
    JsonPath(Template, Option<String>),
}

fn parse_for(s: &str) -> Result<For, String> {
    let lower = s.to_ascii_lowercase();
    if lower == "delete" {
        return Ok(For::Delete);
    }
    if lower == "create" {
        return Ok(For::Create);
    }
    if let Some(rest) = s.strip_prefix("condition=").or_else(|| s.strip_prefix("Condition=")) {
        let (name, value) = rest.split_once('=').unwrap_or((rest, "true"));
        return Ok(For::Condition(name.to_string(), value.to_string()));
    }
    if let Some(rest) = s.strip_prefix("jsonpath=") {
        // `{.status.phase}=Running`: the expression ends at its closing brace.
        let (expr, value) = match rest.find('}') {
            Some(end) => {
                let (e, v) = rest.split_at(end + 1);
                (e, v.strip_prefix('=').map(str::to_string))
            }
            None => return Err(format!("unrecognized condition: {s:?}")),
        };
        if expr.is_empty() {
            return Err("jsonpath expression cannot be empty".into());
        }
        let template = super::output::relaxed(expr).map_err(|e| format!("unable to parse jsonpath: {e}"))?;
        return Ok(For::JsonPath(template, value));
    }
    Err(format!("unrecognized condition: {s:?}"))
}

/// Whether `obj` (as JSON; `Null` when it does not exist) is what `want` waits for.
fn met(want: &For, obj: &Value) -> bool {
    match want {
        For::Delete => obj.is_null(),
        For::Create => !obj.is_null(),
        For::Condition(kind, status) => {
            if obj.is_null() {
                return false;
            }
            // A status not yet updated for the latest spec says nothing (`IsConditionMet` checks observedGeneration).
            let generation = obj["metadata"]["generation"].as_i64();
            if let (Some(g), Some(seen)) = (generation, obj["status"]["observedGeneration"].as_i64()) {
                if seen < g {
                    return false;
                }
            }
            obj["status"]["conditions"].as_array().into_iter().flatten().any(|c| {
                c["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(kind))
                    && c["status"].as_str().is_some_and(|s| s.eq_ignore_ascii_case(status))
            })
        }
        For::JsonPath(template, value) => {
            if obj.is_null() {
                return false;
            }
            match template.values(obj) {
                Ok(found) if found.len() == 1 => match value {
                    None => true,
                    Some(v) => super::jsonpath::go_v(&found[0]) == *v,
                },
                _ => false,
            }
        }
    }
}

/// `kubectl wait ([-f FILENAME] | TYPE[/NAME] [-l SELECTOR | --all]) --for=…`.
pub fn run(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>) -> Output {
    let want = match parse_for(f.get("for").unwrap_or("")) {
        Ok(w) => w,
        Err(e) => return Output::err(format!("error: {e}")),
    };
    if f.args.is_empty() && f.get("filename").is_none() {
        return Output::err(super::NO_RESOURCES);
    }
    // `--timeout` (30 s by default; a negative one is a week; 0 checks once).
    let timeout: Millis = match f.get("timeout") {
        None => 30_000,
        Some(t) if t.starts_with('-') => crate::cluster::settings::MAX_SLEEP_MS,
        Some(t) => crate::cluster::settings::parse_duration(t).unwrap_or(30_000),
    };
    let ns = namespace(f);
    // The objects: named ones (each may not exist yet), or those the selector finds now.
    let mut objects: Vec<(Kind, String, String)> = Vec::new();
    if let Some(file) = f.get("filename") {
        let (text, source) = match super::read_file(file, ctx) {
            Ok(t) => t,
            Err(e) => return Output::err(e),
        };
        for doc in crate::manifest::read(&text, &source).docs {
            if let Some(o) = doc.object {
                objects.push((o.kind(), super::api_namespace(&o, &ns), o.name().to_string()));
            }
        }
    } else {
        let (targets, _) = match super::targets(&f.args) {
            Ok(t) => t,
            Err(e) => return Output::err(e),
        };
        let sel = match Selector::parse(f.get("selector").unwrap_or("")) {
            Ok(s) => s,
            Err(e) => return Output::err(format!("error: {e}")),
        };
        for (kind, names) in targets {
            let obj_ns = if kind.namespaced() { ns.clone() } else { String::new() };
            if !names.is_empty() {
                objects.extend(names.into_iter().map(|n| (kind, obj_ns.clone(), n)));
                continue;
            }
            if sel.is_empty() && !f.bool("all") {
                return Output::err("error: resource(s) were provided, but no name was specified");
            }
            let scope = if f.bool("all-namespaces") { None } else { Some(ns.as_str()) };
            let (found, _) = get::find_kind(kind, sim.cluster().store(), scope, &[], &sel, sim.now(), get::View::Names);
            objects.extend(found.into_iter().map(|x| (kind, x.namespace, x.name)));
        }
        if objects.is_empty() {
            return Output::err("error: no matching resources found");
        }
    }
    if ctx.live {
        // The page: the answer is worked out on a copy; the command returns when the clock gets there.
        let mut ahead = sim.clone();
        let out = wait_all(&mut ahead, &want, &objects, timeout);
        if ahead.now() > sim.now() {
            let until = ahead.now();
            let rest = Pending { until, stdout: out.stdout, stderr: out.stderr, code: out.code };
            return Output { pending: Some(Box::new(rest)), ..Output::default() };
        }
        return out;
    }
    wait_all(sim, &want, &objects, timeout)
}

fn wait_all(sim: &mut Sim, want: &For, objects: &[(Kind, String, String)], timeout: Millis) -> Output {
    let mut out = Output::default();
    for (kind, ns, name) in objects {
        let current = |sim: &Sim| get::object_json(sim.cluster().store(), *kind, ns, name);
        // Only `create` and `delete` wait for an object that is not there yet.
        if current(sim).is_null() && !matches!(want, For::Create | For::Delete) {
            out.fail(&errors::not_found(*kind, name));
            continue;
        }
        if matches!(want, For::Delete) && current(sim).is_null() {
            continue;
        }
        let deadline = sim.now().saturating_add(timeout);
        loop {
            if met(want, &current(sim)) {
                out.stdout.push_str(&format!("{}/{name} condition met\n", kind.printed()));
                break;
            }
            match sim.next_due() {
                Some(t) if t <= deadline => sim.run_until(t),
                _ => {
                    sim.run_until(deadline);
                    if met(want, &current(sim)) {
                        out.stdout.push_str(&format!("{}/{name} condition met\n", kind.printed()));
                    } else {
                        out.fail(&format!("error: timed out waiting for the condition on {}/{name}", kind.plural()));
                    }
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_reads_each_form() {
        assert!(matches!(parse_for("delete"), Ok(For::Delete)));
        assert!(
            matches!(parse_for("condition=Available"), Ok(For::Condition(c, s)) if c == "Available" && s == "true")
        );
        assert!(matches!(parse_for("condition=Ready=false"), Ok(For::Condition(c, s)) if c == "Ready" && s == "false"));
        assert!(
            matches!(parse_for("jsonpath={.status.phase}=Running"), Ok(For::JsonPath(_, Some(v))) if v == "Running")
        );
        assert_eq!(parse_for("").unwrap_err(), "unrecognized condition: \"\"");
        assert_eq!(parse_for("bogus").unwrap_err(), "unrecognized condition: \"bogus\"");
    }
}
