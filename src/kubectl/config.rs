//! `kubectl config` (`pkg/cmd/config`) on the workstation's kubeconfig: one cluster, one user and one context, all
//! named `kubeplay` (as `kubeplay cluster` writes them), whose namespace the learner may change
//! ([`crate::sim::Sim::context_namespace`]).

use super::flags::{flag, val, Parsed, Spec, Sub};
use super::Output;
use crate::sim::Sim;

/// The one context's (and its cluster's and user's) name.
pub const CONTEXT: &str = "kubeplay";

pub const SUBS: &[Sub] = &[
    Sub { names: &["current-context"], shown: "config current-context", flags: &[], subs: &[] },
    Sub {
        names: &["get-contexts"],
        shown: "config get-contexts",
        flags: &[val("output", Some('o')), flag("no-headers", None)],
        subs: &[],
    },
    Sub {
        names: &["set-context"],
        shown: "config set-context",
        flags: &[flag("current", None), val("cluster", None), val("user", None)],
        subs: &[],
    },
    Sub { names: &["use-context", "use"], shown: "config use-context", flags: &[], subs: &[] },
    Sub {
        names: &["view"],
        shown: "config view",
        flags: &[flag("minify", None), flag("raw", None), flag("flatten", None), val("output", Some('o'))],
        subs: &[],
    },
];

pub const FLAGS: &[Spec] = &[];

/// `kubectl config` alone: its help on standard error, exit 1 (cobra's for a command group).
const HELP: &str = "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n\n The loading order follows these rules:\n\n  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes\nplace.\n  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for\nyour system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When\na value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the\nlast file in the list.\n  3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place.\n\nAvailable Commands (kubeplay keeps one context, \"kubeplay\"):\n  current-context   Display the current context\n  get-contexts      Describe one or many contexts\n  set-context       Set a context entry in kubeconfig\n  use-context       Set the current-context in a kubeconfig file\n  view              Display merged kubeconfig settings or a specified kubeconfig file\n\nUsage:\n  kubectl config SUBCOMMAND [options]\n";

pub fn run(sim: &mut Sim, f: &Parsed) -> Output {
    let args: Vec<&str> = f.args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => Output { stderr: HELP.into(), code: 1, ..Output::default() },
        ["current-context"] => Output::ok(format!("{CONTEXT}\n")),
        ["get-contexts", names @ ..] => get_contexts(sim, f, names),
        ["set-context", rest @ ..] => set_context(sim, f, rest),
        ["use-context" | "use", name] if *name == CONTEXT => Output::ok(format!("Switched to context \"{CONTEXT}\".\n")),
        ["use-context" | "use", name] => Output::err(format!("error: no context exists with the name: {name:?}")),
        ["use-context" | "use", ..] => super::usage_errorf("config use-context", "Unexpected args: expected one context name"),
        ["view", ..] => view(sim, f),
        [other, ..] => Output::err(format!(
            "error: unknown command {other:?} for \"kubectl config\"\nkubeplay keeps one kubeconfig context; it simulates current-context, get-contexts, set-context, use-context and view"
        )),
    }
}

fn get_contexts(sim: &Sim, f: &Parsed, names: &[&str]) -> Output {
    let ns = &sim.context_namespace;
    if f.get("output") == Some("name") {
        return Output::ok(format!("{CONTEXT}\n"));
    }
    if let Some(o) = f.get("output").filter(|o| !o.is_empty()) {
        return Output::err(format!("error: output must be one of '' or 'name': {o}"));
    }
    let mut rows = String::new();
    if !f.bool("no-headers") {
        rows.push_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
    }
    let mut out = Output::default();
    let missing: Vec<&&str> = names.iter().filter(|n| **n != CONTEXT).collect();
    if names.is_empty() || names.contains(&CONTEXT) {
        rows.push_str(&format!("*\t{CONTEXT}\t{CONTEXT}\t{CONTEXT}\t{ns}\n"));
    }
    out.stdout = super::tabwriter::format(&rows, 6, 3);
    for m in missing {
        out.fail(&format!("error: context {m} not found"));
    }
    out
}

fn set_context(sim: &mut Sim, f: &Parsed, rest: &[&str]) -> Output {
    let name = match (rest, f.bool("current")) {
        ([], true) => CONTEXT,
        ([n], false) => n,
        ([], false) => return Output::err("error: you must specify a non-empty context name or --current"),
        ([_], true) => return Output::err("error: you cannot specify both a context name and --current"),
        _ => return super::usage_errorf("config set-context", "Unexpected args: expected one context name"),
    };
    if name != CONTEXT {
        return Output::err(format!(
            "error: kubeplay keeps one kubeconfig context, {CONTEXT:?}; it cannot create {name:?} (use --current)"
        ));
    }
    for (flag, current) in [("cluster", CONTEXT), ("user", CONTEXT)] {
        if let Some(v) = f.get(flag).filter(|v| *v != current) {
            return Output::err(format!(
                "error: kubeplay has one cluster and one user, both {CONTEXT:?}; --{flag}={v} is not simulated"
            ));
        }
    }
    if let Some(ns) = f.get("namespace") {
        sim.context_namespace = if ns.is_empty() { "default".into() } else { ns.to_string() };
    }
    Output::ok(format!("Context \"{CONTEXT}\" modified.\n"))
}

fn view(sim: &Sim, f: &Parsed) -> Output {
    let yaml = format!(
        "apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n  name: {CONTEXT}\ncontexts:\n- context:\n    cluster: {CONTEXT}\n    namespace: {}\n    user: {CONTEXT}\n  name: {CONTEXT}\ncurrent-context: {CONTEXT}\nkind: Config\nusers:\n- name: {CONTEXT}\n  user: {{}}\n",
        crate::manifest::print::scalar(&sim.context_namespace)
    );
    match f.get("output").unwrap_or("yaml") {
        "yaml" | "" => Output::ok(yaml),
        other => Output::err(format!("error: kubeplay prints the kubeconfig as YAML; -o {other} is not simulated")),
    }
}
