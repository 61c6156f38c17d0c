//! Commands that change an object kubectl has read: `patch` (`pkg/cmd/patch`), `replace` (`pkg/cmd/replace`), `set
//! env` (`pkg/cmd/set/set_env.go`) and `set resources` (`set_resources.go`), each with `--dry-run` and `-o`.
//!
//! Each reads the live object, computes the object it wants, and sends it as an update (`Sim::put_object`); a server
//! dry run sends it to a copy of the simulation, a client dry run sends nothing.

use super::dryrun::{self, DryRun};
use super::flags::{flag, val, Parsed, Spec, Sub};
use super::{errors, get, namespace, one_target, Context, Output};
use crate::cluster::store::{ApiError, Kind};
use crate::sim::Sim;
use serde_json::{json, Value};

const WRITE: [Spec; 4] = [dryrun::FLAG, dryrun::OUTPUT_FLAGS[0], dryrun::OUTPUT_FLAGS[1], dryrun::OUTPUT_FLAGS[2]];

pub const PATCH_FLAGS: &[Spec] = &[
    val("patch", Some('p')),
    val("patch-file", None),
    val("type", None),
    val("filename", Some('f')),
    flag("local", None),
    WRITE[0],
    WRITE[1],
    WRITE[2],
    WRITE[3],
];

pub const REPLACE_FLAGS: &[Spec] = &[
    val("filename", Some('f')),
    flag("force", None),
    super::flags::int("grace-period", None, 64),
    WRITE[0],
    WRITE[1],
    WRITE[2],
    WRITE[3],
];

const ENV_FLAGS: &[Spec] =
    &[val("containers", Some('c')), val("env", Some('e')), flag("list", None), WRITE[0], WRITE[1], WRITE[2], WRITE[3]];

const RESOURCES_FLAGS: &[Spec] =
    &[val("containers", Some('c')), val("limits", None), val("requests", None), WRITE[0], WRITE[1], WRITE[2], WRITE[3]];

const IMAGE_FLAGS: &[Spec] = &[
    flag("record", None).deprecated(super::RECORD_DEPRECATED),
    flag("all", None),
    WRITE[0],
    WRITE[1],
    WRITE[2],
    WRITE[3],
];

/// `set`'s subcommands kubeplay simulates.
pub const SET_SUBS: &[Sub] = &[
    Sub { names: &["env"], shown: "set env", flags: ENV_FLAGS, subs: &[] },
    Sub { names: &["image"], shown: "set image", flags: IMAGE_FLAGS, subs: &[] },
    Sub { names: &["resources"], shown: "set resources", flags: RESOURCES_FLAGS, subs: &[] },
];

/// `kubectl set` alone: cobra prints the group's help to standard error and fails.
const SET_HELP: &str = "Configure application resources.\n\n These commands help you make changes to existing application resources.\n\nAvailable Commands:\n  env              Update environment variables on a pod template\n  image            Update the image of a pod template\n  resources        Update resource requests/limits on objects with pod templates\n  selector         Set the selector on a resource\n  serviceaccount   Update the service account of a resource\n  subject          Update the user, group, or service account in a role binding or cluster role binding\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n\nUse \"kubectl set <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

/// Sends `wanted` (the live object, changed) as an update, or not, as `dry` says. Returns the object the server
/// answered with (for a client dry run, `wanted` itself) and whether it differs from the live one.
pub(super) fn update(
    sim: &mut Sim,
    kind: Kind,
    live: &Value,
    wanted: Value,
    dry: DryRun,
) -> Result<(Value, bool), ApiError> {
    match dry {
        DryRun::Client => {
            let changed = wanted != *live;
            Ok((wanted, changed))
        }
        DryRun::None => sim.put_object(kind, wanted),
        DryRun::Server => {
            let (mut stored, changed) = sim.clone().put_object(kind, wanted)?;
            // Nothing was stored: the answer carries the live resourceVersion.
            stored["metadata"]["resourceVersion"] = live["metadata"]["resourceVersion"].clone();
            Ok((stored, changed))
        }
    }
}

/// The live object an argument list names (`TYPE NAME`, `TYPE/NAME`), or kubectl's error.
fn live_object(sim: &Sim, f: &Parsed, args: &[String], verb: &str) -> Result<(Kind, String, Value), Output> {
    let (kind, name) = one_target(args, verb)?;
    let live = get::object_json(sim.cluster().store(), kind, &namespace(f), &name);
    if live.is_null() {
        return Err(Output::err(errors::not_found(kind, &name)));
    }
    Ok((kind, name, live))
}

fn with_warnings(mut out: Output, warnings: &str) -> Output {
    out.warnings.insert_str(0, warnings);
    out
}

// ---- patch ----

/// A patch's text as kubectl sends it: YAML (or JSON) read and written back as JSON (`yaml.ToJSON`).
fn patch_json(text: &str) -> Value {
    let mut diags = Vec::new();
    let docs = crate::manifest::yaml::parse_stream(text, &mut diags);
    docs.first().and_then(|d| d.root.as_ref()).map_or(Value::Null, |n| n.to_json())
}

/// How the API server applies a patch of `ty` to `live` (`patchResource` in the apiserver's `patch.go`), with its
/// errors.
pub fn apply_patch(ty: &str, live: &Value, patch: &Value) -> Result<Value, ApiError> {
    let not_a_map = |p: &Value| {
        let what = match p {
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            _ => "null",
        };
        ApiError::bad_request(format!("json: cannot unmarshal {what} into Go value of type map[string]interface {{}}"))
    };
    // A 422 without details: kubectl prints `The request is invalid: MESSAGE`.
    let unprocessable =
        |m: String| ApiError { reason: crate::cluster::store::Reason::Invalid, message: m, details: None };
    match ty {
        "merge" => {
            if !patch.is_object() {
                return Err(ApiError::bad_request(format!("error decoding patch: {}", not_a_map(patch).message)));
            }
            Ok(crate::manifest::patch::merge_patch(live, patch))
        }
        "json" => crate::manifest::patch::json_patch(live, patch).map_err(unprocessable),
        _ => {
            if !patch.is_object() {
                return Err(not_a_map(patch));
            }
            crate::manifest::patch::strategic(live, patch).map_err(unprocessable)
        }
    }
}

/// `kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [--type strategic|merge|json]`.
pub fn patch(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>) -> Output {
    let ty = f.get("type").unwrap_or("strategic");
    if !matches!(ty, "json" | "merge" | "strategic") {
        return Output::err(format!("error: --type must be one of [json merge strategic], not {ty:?}"));
    }
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let text = match (f.get("patch").filter(|p| !p.is_empty()), f.get("patch-file").filter(|p| !p.is_empty())) {
        (Some(p), _) => p.to_string(),
        (None, Some(file)) => match ctx.files.read(file) {
            Ok(t) => t,
            Err(_) => {
                return Output::err(format!("error: unable to read patch file: open {file}: no such file or directory"))
            }
        },
        (None, None) => {
            return Output::err("error: must specify --patch or --patch-file containing the contents of the patch")
        }
    };
    if f.bool("local") && !f.args.is_empty() {
        return Output::err("error: cannot specify --local and server resources");
    }
    let patch = patch_json(&text);
    // The objects: named, or read from `-f` (with `--local`, patched in place and printed, never sent).
    let targets: Vec<(Kind, String, Value)> = match f.get("filename") {
        Some(file) => {
            let (text, source) = match super::read_file(file, ctx) {
                Ok(t) => t,
                Err(e) => return Output::err(e),
            };
            let mut v = Vec::new();
            for doc in crate::manifest::read(&text, &source).docs {
                match (doc.object, doc.error) {
                    (Some(o), None) => {
                        let live = if f.bool("local") {
                            o.to_json()
                        } else {
                            let ns = super::api_namespace(&o, &namespace(f));
                            get::object_json(sim.cluster().store(), o.kind(), &ns, o.name())
                        };
                        if live.is_null() {
                            return Output::err(errors::not_found(o.kind(), o.name()));
                        }
                        v.push((o.kind(), o.name().to_string(), live));
                    }
                    (_, Some(e)) => return Output::err(errors::manifest(&e, &source, "patching")),
                    _ => {}
                }
            }
            v
        }
        None => match live_object(sim, f, &f.args, "patch") {
            Ok(t) => vec![t],
            Err(e) => return e,
        },
    };
    let mut out = Output::default();
    for (count, (kind, name, live)) in targets.into_iter().enumerate() {
        let patched = match apply_patch(ty, &live, &patch) {
            Ok(p) => p,
            Err(e) => {
                out.fail(&errors::check(&e));
                continue;
            }
        };
        let dry = if f.bool("local") { DryRun::Client } else { dry };
        match update(sim, kind, &live, patched, dry) {
            Ok((stored, changed)) => {
                // `patch` says `patched` for every strategy, dry runs included (`patchOperation`).
                let word = if changed { "patched" } else { "patched (no change)" };
                let one =
                    printer.print(&stored, &format!("{}/{name}", kind.printed()), word, DryRun::None, false, count);
                out.stdout.push_str(&one.stdout);
                out.stderr.push_str(&one.stderr);
                out.code = out.code.max(one.code);
            }
            Err(e) => out.fail(&errors::check(&e)),
        }
    }
    with_warnings(out, &warnings)
}

// ---- replace ----

/// `kubectl replace -f FILENAME [--force]`: each object of the file replaces the stored one.
pub fn replace(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>) -> Output {
    let files = f.all("filename");
    if files.is_empty() {
        return Output::err("error: must specify one of -f and -k");
    }
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let ns = namespace(f);
    let mut out = Output::default();
    let mut count = 0;
    for file in files {
        let (text, source) = match super::read_file(file, ctx) {
            Ok(t) => t,
            Err(e) => return Output::err(e),
        };
        let m = crate::manifest::read(&text, &source);
        for d in &m.stream {
            out.fail(&format!("error: {}", d.message));
        }
        for doc in m.docs {
            let o = match (doc.object, doc.error) {
                (Some(o), None) => o,
                (_, Some(e)) => {
                    out.fail(&errors::manifest(&e, &source, "replacing"));
                    continue;
                }
                _ => continue,
            };
            let (kind, name) = (o.kind(), o.name().to_string());
            let obj_ns = super::api_namespace(&o, &ns);
            if let Some(own) = o.meta().namespace.as_ref().filter(|n| f.has("namespace") && !n.is_empty() && **n != ns)
            {
                out.fail(&format!(
                    "error: the namespace from the provided object {own:?} does not match the namespace {ns:?}. You must pass '--namespace={own}' to perform this operation."
                ));
                continue;
            }
            let mut wanted = o.to_json();
            if kind.namespaced() {
                wanted["metadata"]["namespace"] = Value::String(obj_ns.clone());
            }
            let what = format!("{}/{name}", kind.printed());
            if f.bool("force") {
                // `--force`: delete, wait until it is gone, create.
                if dry == DryRun::None {
                    let grace = f.int("grace-period").filter(|g| *g >= 0);
                    let policy = crate::cluster::Propagation::Background;
                    match sim.delete_object(kind, &obj_ns, &name, policy, grace) {
                        Ok(()) => {
                            out.stdout.push_str(&super::deleted(kind, &obj_ns, &name));
                            out.stdout.push('\n');
                            super::wait_until_gone_named(sim, kind, &obj_ns, &name);
                        }
                        Err(e) => {
                            out.fail(&errors::op(&e, &name));
                            continue;
                        }
                    }
                }
                if let Some(m) = wanted["metadata"].as_object_mut() {
                    m.remove("resourceVersion");
                    m.remove("uid");
                }
                let text = crate::manifest::print::to_yaml(&wanted);
                let mut copy = (dry == DryRun::Server).then(|| sim.clone());
                let report = match dry {
                    DryRun::Client => None,
                    _ => Some(copy.as_mut().unwrap_or(sim).send_manifest_in(&text, &source, true, &ns, false, None)),
                };
                match report.as_ref().and_then(|r| r.results.first()).map(|r| (&r.result, &r.stored)) {
                    Some((Err(why), _)) => out.fail(&errors::doc_failure(why, &source, true)),
                    Some((Ok(_), stored)) => {
                        let shown = stored.clone().unwrap_or_default();
                        let one = printer.print(&shown, &what, "replaced", dry, false, count);
                        out.stdout.push_str(&one.stdout);
                    }
                    None => out.stdout.push_str(&printer.print(&wanted, &what, "replaced", dry, false, count).stdout),
                }
                count += 1;
                continue;
            }
            let live = get::object_json(sim.cluster().store(), kind, &obj_ns, &name);
            if live.is_null() {
                out.fail(&errors::check(&errors::with_source(&ApiError::not_found(kind, &name), "replacing", &source)));
                continue;
            }
            match update(sim, kind, &live, wanted, dry) {
                Ok((stored, _)) => {
                    let one = printer.print(&stored, &what, "replaced", dry, false, count);
                    count += 1;
                    out.stdout.push_str(&one.stdout);
                    out.stderr.push_str(&one.stderr);
                    out.code = out.code.max(one.code);
                }
                Err(e) => out.fail(&errors::check(&errors::with_source(&e, "replacing", &source))),
            }
        }
    }
    with_warnings(out, &warnings)
}

// ---- set ----

/// `kubectl set SUBCOMMAND`.
pub fn set(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>, line: &str) -> Output {
    let Some((sub, rest)) = f.args.split_first() else {
        return Output { stderr: SET_HELP.into(), code: 1, ..Output::default() };
    };
    match sub.as_str() {
        "image" => super::set_image(sim, f, ctx, rest, line),
        "env" => set_env(sim, f, ctx, rest),
        "resources" => set_resources(sim, f, ctx, rest),
        "selector" | "serviceaccount" | "sa" | "subject" => {
            Output::err(format!("error: kubeplay does not simulate `kubectl set {sub}`"))
        }
        other => Output::err(format!("error: unknown command {other:?}\nSee 'kubectl set -h' for help and examples")),
    }
}

/// The end of `set env|image|resources`, once the wanted object is known: nothing when it equals the live one (kubectl
/// computes an empty patch and sends nothing), else the object sent (or not, for a dry run) and `kind/name DONE`
/// printed (`env updated`), or the server's refusal in kubectl's words
/// (`failed to patch env update to pod template: …`; `set_resources.go` writes no colon, so `sep` is `" "` there).
pub(super) fn send_template_change(
    sim: &mut Sim,
    (kind, name): (Kind, &str),
    live: &Value,
    wanted: Value,
    (dry, printer): (DryRun, &dryrun::Printer),
    (done, what, sep): (&str, &str, &str),
) -> Output {
    if wanted == *live {
        return Output::default();
    }
    match update(sim, kind, live, wanted, dry) {
        Ok((stored, _)) => printer.print(&stored, &format!("{}/{name}", kind.printed()), done, dry, true, 0),
        Err(e) => Output::err(format!("error: failed to patch {what} update to pod template{sep}{}", e.message)),
    }
}

/// The pod template's spec of an object that has one (or a pod's own spec): where `set` makes its changes.
fn pod_spec(kind: Kind, obj: &mut Value) -> Option<&mut Value> {
    match kind {
        Kind::Deployment | Kind::ReplicaSet => Some(&mut obj["spec"]["template"]["spec"]),
        Kind::Pod => Some(&mut obj["spec"]),
        _ => None,
    }
}

/// Whether a container name matches `-c` (a shell glob; `*` when not given).
fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some((b'*', rest)) => (0..=n.len()).any(|i| go(rest, &n[i..])),
            Some((b'?', rest)) => !n.is_empty() && go(rest, &n[1..]),
            Some((c, rest)) => n.first() == Some(c) && go(rest, &n[1..]),
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

/// The resources and the rest of `set env`'s / `set resources`' arguments: the arguments before the first
/// `KEY=VALUE` or `KEY-` name objects.
fn split_env_args(rest: &[String]) -> (Vec<String>, Vec<String>) {
    let at = rest.iter().position(|a| a.contains('=') || a.ends_with('-')).unwrap_or(rest.len());
    (rest[..at].to_vec(), rest[at..].to_vec())
}

/// `kubectl set env (TYPE NAME | TYPE/NAME) KEY_1=VAL_1 … KEY_N- [-c CONTAINER] [--list]`.
fn set_env(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>, rest: &[String]) -> Output {
    let (resources, mut envs) = split_env_args(rest);
    envs.extend(f.all("env").iter().cloned());
    if resources.is_empty() {
        return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let (kind, name, live) = match live_object(sim, f, &resources, "set env") {
        Ok(t) => t,
        Err(e) => return e,
    };
    let mut wanted = live.clone();
    let Some(spec) = pod_spec(kind, &mut wanted) else {
        return Output::err(format!(
            "error: kubeplay sets the environment of deployments, replicasets and pods, not {}",
            kind.plural()
        ));
    };
    let pattern = f.get("containers").unwrap_or("*");
    let mut out = Output::default();
    let mut matched = false;
    for c in spec["containers"].as_array_mut().into_iter().flatten() {
        let cname = c["name"].as_str().unwrap_or_default().to_string();
        if !glob(pattern, &cname) {
            continue;
        }
        matched = true;
        if f.bool("list") {
            out.stdout.push_str(&format!("# {} {name}, container {cname}\n", kind.name()));
            for e in c["env"].as_array().into_iter().flatten() {
                let value = e["value"].as_str().map(str::to_string).unwrap_or_else(|| {
                    if e.get("valueFrom").is_some() {
                        "# from a reference".into()
                    } else {
                        String::new()
                    }
                });
                let key = e["name"].as_str().unwrap_or_default();
                if value.starts_with('#') {
                    out.stdout.push_str(&format!("# {key} {}\n", value.trim_start_matches("# ")));
                } else {
                    out.stdout.push_str(&format!("{key}={value}\n"));
                }
            }
            continue;
        }
        for pair in &envs {
            let list = c.as_object_mut().map(|o| o.entry("env").or_insert_with(|| json!([])));
            let Some(Value::Array(list)) = list else { continue };
            match pair.split_once('=') {
                Some((k, v)) => match list.iter_mut().find(|e| e["name"] == *k) {
                    Some(e) => {
                        *e = json!({ "name": k, "value": v });
                    }
                    None => list.push(json!({ "name": k, "value": v })),
                },
                None => {
                    let k = pair.trim_end_matches('-');
                    list.retain(|e| e["name"] != *k);
                }
            }
            if list.is_empty() {
                c.as_object_mut().map(|o| o.remove("env"));
            }
        }
    }
    if !matched {
        out.warnings
            .push_str(&format!("Warning: {}/{name} does not have any containers matching {pattern:?}\n", kind.name()));
    }
    if f.bool("list") {
        return with_warnings(out, &warnings);
    }
    let sent = send_template_change(sim, (kind, &name), &live, wanted, (dry, &printer), ("env updated", "env", ": "));
    out.stdout.push_str(&sent.stdout);
    out.stderr.push_str(&sent.stderr);
    out.code = sent.code;
    with_warnings(out, &warnings)
}

/// `resource.ParseQuantity`'s syntax: `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`.
fn quantity_ok(q: &str) -> bool {
    let s = q.strip_prefix(['+', '-']).unwrap_or(q);
    let digits = s.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
    if digits == 0 {
        return false;
    }
    let rest = &s[digits..];
    let suffix = rest.bytes().take_while(|b| b"eEinumkKMGTP".contains(b)).count();
    let rest = &rest[suffix..];
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    rest.bytes().all(|b| b.is_ascii_digit())
}

/// `--limits=cpu=200m,memory=128Mi` as a map, or kubectl's error.
fn resource_list(text: &str) -> Result<serde_json::Map<String, Value>, String> {
    let mut out = serde_json::Map::new();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let Some((k, v)) = part.split_once('=') else {
            return Err(format!("invalid argument syntax {part}, expected <resource>=<value>"));
        };
        if !quantity_ok(v) {
            return Err(
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".into()
            );
        }
        out.insert(k.to_string(), json!(v));
    }
    Ok(out)
}

/// `kubectl set resources (TYPE NAME | TYPE/NAME) [--limits=…] [--requests=…] [-c CONTAINER]`.
fn set_resources(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>, rest: &[String]) -> Output {
    if rest.is_empty() {
        return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let (limits, requests) = (f.get("limits").unwrap_or(""), f.get("requests").unwrap_or(""));
    if limits.is_empty() && requests.is_empty() {
        return Output::err(
            "error: you must specify an update to requests or limits (in the form of --requests/--limits)",
        );
    }
    let (limits, requests) = match (resource_list(limits), resource_list(requests)) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(e), _) | (_, Err(e)) => return Output::err(format!("error: {e}")),
    };
    let (kind, name, live) = match live_object(sim, f, rest, "set resources") {
        Ok(t) => t,
        Err(e) => return e,
    };
    let mut wanted = live.clone();
    let Some(spec) = pod_spec(kind, &mut wanted) else {
        return Output::err(format!(
            "error: kubeplay sets the resources of deployments, replicasets and pods, not {}",
            kind.plural()
        ));
    };
    let pattern = f.get("containers").unwrap_or("*");
    let mut matched = false;
    for c in spec["containers"].as_array_mut().into_iter().flatten() {
        if !glob(pattern, c["name"].as_str().unwrap_or_default()) {
            continue;
        }
        matched = true;
        for (field, list) in [("limits", &limits), ("requests", &requests)] {
            for (k, v) in list {
                c["resources"][field][k] = v.clone();
            }
        }
    }
    if !matched {
        return Output::err(format!("error: unable to find container named {pattern}"));
    }
    let out = send_template_change(
        sim,
        (kind, &name),
        &live,
        wanted,
        (dry, &printer),
        ("resource requirements updated", "resources", " "),
    );
    with_warnings(out, &warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_follow_parse_quantitys_syntax() {
        for ok in ["200m", "1", "1.5", "128Mi", "1e3", "+1", "0.5Gi"] {
            assert!(quantity_ok(ok), "{ok}");
        }
        for bad in ["abc", "", "m", "1 Mi", "1Mi!"] {
            assert!(!quantity_ok(bad), "{bad}");
        }
    }

    #[test]
    fn container_globs_match_as_a_shell_does() {
        assert!(glob("*", "nginx") && glob("ng*", "nginx") && glob("n?inx", "nginx"));
        assert!(!glob("web", "nginx") && !glob("ng", "nginx"));
    }
}
