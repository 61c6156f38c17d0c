//! The one table of kubectl verbs: dispatch, `kubectl --help`, the unknown-command suggestion and tab completion
//! all read [`VERBS`], so a verb is added in one place. A verb that only reads is a [`Handler::Read`] and gets the
//! simulation borrowed, not mutably: looking can never change a run.

pub use super::flags::Sub;
use super::flags::{Parsed, Spec};
use super::{describe_cmd, expose, info, label, logs, rollout, run, Context, Output};
use crate::sim::Sim;

/// What a verb needs besides its flags.
pub struct Call<'a, 'c> {
    pub ctx: &'a Context<'c>,
    /// The whole command line (`--record` stores it).
    pub line: &'a str,
}

/// How a verb runs.
pub enum Handler {
    /// Reads only.
    Read(fn(&Sim, &Parsed, &Call) -> Output),
    /// Writes through the API server, or lets virtual time run (`get -w`, `logs -f`, `rollout status`).
    Write(fn(&mut Sim, &Parsed, &Call) -> Output),
}

/// What tab completion offers after the verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Nothing,
    /// A resource type, then names of that type.
    Type,
    /// A pod's name.
    Pod,
    /// One of these subcommands, then a Deployment (`rollout`, `set`).
    Sub(&'static [&'static str]),
}

pub struct Verb {
    pub name: &'static str,
    /// As `kubectl --help` lists it (`set image` for `set`), and as usage errors name it.
    pub shown: &'static str,
    pub help: &'static str,
    pub flags: &'static [Spec],
    /// Subcommands with flags of their own (`create deployment`, `rollout status`): when the first argument names
    /// one, the line is parsed with its flags, as cobra finds the subcommand before parsing.
    pub subs: &'static [Sub],
    pub next: Next,
    pub handler: Handler,
}

const ROLLOUT_SUBCOMMANDS: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

/// Every verb, in the order `kubectl --help` lists them.
pub const VERBS: &[Verb] = &[
    Verb {
        name: "get",
        shown: "get",
        help: "Display one or many resources",
        flags: super::GET_FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Write(|sim, f, call| super::get_cmd(sim, f, call.ctx)),
    },
    Verb {
        name: "apply",
        shown: "apply",
        help: "Apply a configuration to a resource by file name or stdin",
        flags: super::APPLY_FLAGS,
        subs: &[],
        next: Next::Nothing,
        handler: Handler::Write(|sim, f, call| super::apply(sim, f, call.ctx, false, call.line)),
    },
    Verb {
        name: "create",
        shown: "create",
        help: "Create a resource from a file or from stdin",
        flags: super::CREATE_FLAGS,
        subs: super::create::SUBS,
        next: Next::Nothing,
        handler: Handler::Write(|sim, f, call| super::apply(sim, f, call.ctx, true, call.line)),
    },
    Verb {
        name: "delete",
        shown: "delete",
        help: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
        flags: super::DELETE_FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Write(|sim, f, call| super::delete(sim, f, call.ctx)),
    },
    Verb {
        name: "scale",
        shown: "scale",
        help: "Set a new size for a deployment or replica set",
        flags: super::SCALE_FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Write(|sim, f, call| super::scale(sim, f, call.ctx)),
    },
    Verb {
        name: "set",
        shown: "set",
        help: "Set specific features on objects (env, image, resources)",
        flags: &[],
        subs: super::modify::SET_SUBS,
        next: Next::Sub(&["env", "image", "resources"]),
        handler: Handler::Write(|sim, f, call| super::modify::set(sim, f, call.ctx, call.line)),
    },
    Verb {
        name: "patch",
        shown: "patch",
        help: "Update fields of a resource (strategic merge, JSON merge or JSON patch)",
        flags: super::modify::PATCH_FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Write(|sim, f, call| super::modify::patch(sim, f, call.ctx)),
    },
    Verb {
        name: "replace",
        shown: "replace",
        help: "Replace a resource by file name or stdin",
        flags: super::modify::REPLACE_FLAGS,
        subs: &[],
        next: Next::Nothing,
        handler: Handler::Write(|sim, f, call| super::modify::replace(sim, f, call.ctx)),
    },
    Verb {
        name: "diff",
        shown: "diff",
        help: "Diff the live version against a would-be applied version",
        flags: super::diff::FLAGS,
        subs: &[],
        next: Next::Nothing,
        handler: Handler::Read(|sim, f, call| super::diff::run(sim, f, call.ctx)),
    },
    Verb {
        name: "describe",
        shown: "describe",
        help: "Show details of a deployment, replica set, pod, service, endpoints or node",
        flags: super::DESCRIBE_FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Read(|sim, f, _| describe_cmd(sim, f)),
    },
    Verb {
        name: "rollout",
        shown: "rollout",
        help: "Manage the rollout of a resource (status, history, undo, pause, resume, restart)",
        flags: rollout::FLAGS,
        subs: rollout::SUBS,
        next: Next::Sub(ROLLOUT_SUBCOMMANDS),
        handler: Handler::Write(|sim, f, _| rollout::run(sim, f)),
    },
    Verb {
        name: "expose",
        shown: "expose",
        help: "Take a deployment, replica set or pod and expose it as a new Kubernetes service",
        flags: expose::EXPOSE_FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Write(|sim, f, call| expose::expose(sim, f, call.ctx)),
    },
    Verb {
        name: "run",
        shown: "run",
        help: "Run a particular image on the cluster",
        flags: run::RUN_FLAGS,
        subs: &[],
        next: Next::Nothing,
        handler: Handler::Write(|sim, f, call| run::run_pod(sim, f, call.ctx)),
    },
    Verb {
        name: "logs",
        shown: "logs",
        help: "Print the logs for a container in a pod",
        flags: logs::FLAGS,
        subs: &[],
        next: Next::Pod,
        handler: Handler::Write(|sim, f, _| logs::run(sim, f)),
    },
    Verb {
        name: "exec",
        shown: "exec",
        help: "Execute a command in a container",
        flags: super::exec::FLAGS,
        subs: &[],
        next: Next::Pod,
        handler: Handler::Write(|sim, f, _| super::exec::run(sim, f)),
    },
    Verb {
        name: "explain",
        shown: "explain",
        help: "Get documentation for a resource",
        flags: super::explain::FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Read(|_, f, _| super::explain::run(f)),
    },
    Verb {
        name: "label",
        shown: "label",
        help: "Update the labels on a resource",
        flags: label::LABEL_FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Write(|sim, f, _| label::label_or_annotate(sim, f, false)),
    },
    Verb {
        name: "annotate",
        shown: "annotate",
        help: "Update the annotations on a resource",
        flags: label::LABEL_FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Write(|sim, f, _| label::label_or_annotate(sim, f, true)),
    },
    Verb {
        name: "edit",
        shown: "edit",
        help: "Edit a resource (in the playground's editor)",
        flags: &[],
        subs: &[],
        next: Next::Type,
        handler: Handler::Read(|_, f, _| info::edit(f)),
    },
    Verb {
        name: "wait",
        shown: "wait",
        help: "Experimental: Wait for a specific condition on one or many resources",
        flags: super::wait::FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Write(|sim, f, call| super::wait::run(sim, f, call.ctx)),
    },
    Verb {
        name: "port-forward",
        shown: "port-forward",
        help: "Forward one or more local ports to a pod",
        flags: super::forward::FLAGS,
        subs: &[],
        next: Next::Pod,
        handler: Handler::Write(|sim, f, _| super::forward::port_forward(sim, f)),
    },
    Verb {
        name: "top",
        shown: "top",
        help: "Display resource (CPU/memory) usage (needs metrics-server, which kubeplay does not simulate)",
        flags: super::forward::TOP_FLAGS,
        subs: &[],
        next: Next::Sub(&["node", "pod"]),
        handler: Handler::Read(|_, f, _| super::forward::top(f)),
    },
    Verb {
        name: "autoscale",
        shown: "autoscale",
        help: "Auto-scale a deployment (needs a HorizontalPodAutoscaler, which kubeplay does not simulate)",
        flags: super::forward::AUTOSCALE_FLAGS,
        subs: &[],
        next: Next::Type,
        handler: Handler::Write(|sim, f, call| super::forward::autoscale(sim, f, call.ctx)),
    },
    Verb {
        name: "config",
        shown: "config",
        help: "Modify kubeconfig files (kubeplay keeps one context, whose namespace may change)",
        flags: super::config::FLAGS,
        subs: super::config::SUBS,
        next: Next::Sub(&["current-context", "get-contexts", "set-context", "use-context", "view"]),
        handler: Handler::Write(|sim, f, _| super::config::run(sim, f)),
    },
    Verb {
        name: "api-resources",
        shown: "api-resources",
        help: "Print the supported API resources on the server",
        flags: info::API_RESOURCES_FLAGS,
        subs: &[],
        next: Next::Nothing,
        handler: Handler::Read(|_, f, _| info::api_resources(f)),
    },
    Verb {
        name: "version",
        shown: "version",
        help: "Print the client and server version information",
        flags: info::VERSION_FLAGS,
        subs: &[],
        next: Next::Nothing,
        handler: Handler::Read(|_, f, _| info::version(f)),
    },
    Verb {
        name: "cluster-info",
        shown: "cluster-info",
        help: "Display cluster information",
        flags: &[],
        subs: &[],
        next: Next::Nothing,
        handler: Handler::Read(|sim, _, _| info::cluster_info(sim)),
    },
];

pub fn find(name: &str) -> Option<&'static Verb> {
    VERBS.iter().find(|v| v.name == name)
}

/// The subcommand a line names — its first word that is neither a flag nor a flag's value
/// ([`super::flags::nth_arg`]), then that subcommand's own subcommand by the next such word (`create service
/// nodeport`) — as cobra finds the command before parsing its flags.
pub fn sub_of(verb: &Verb, words: &[String]) -> Option<&'static Sub> {
    let mut found: Option<&'static Sub> = None;
    let (mut subs, mut specs) = (verb.subs, verb.flags);
    for n in 0.. {
        let Some(sub) = super::flags::nth_arg(words, specs, n).and_then(|w| Sub::find(subs, w)) else { break };
        found = Some(sub);
        (subs, specs) = (sub.subs, sub.flags);
        if subs.is_empty() {
            break;
        }
    }
    found
}

/// `kubectl VERB --help` (or `-h`): the verb's line from [`help`], its subcommands and the flags kubeplay reads, all
/// from this table. (kubectl's own help pages are longer; these list what the simulation understands.)
pub fn verb_help(verb: &Verb, words: &[String]) -> String {
    let sub = sub_of(verb, words);
    let (shown, specs, subs) = match sub {
        Some(s) => (s.shown, s.flags, s.subs),
        None => (verb.shown, verb.flags, verb.subs),
    };
    let mut s = format!(
        "{}
",
        verb.help
    );
    if !subs.is_empty() {
        s.push_str(
            "
Available Commands (simulated by kubeplay):
",
        );
        for c in subs {
            s.push_str(&format!(
                "  {}
",
                c.names.join(", ")
            ));
        }
    }
    if !specs.is_empty() {
        s.push_str(
            "
Options (simulated by kubeplay):
",
        );
        for f in specs {
            let short = f.short.map(|c| format!("-{c}, ")).unwrap_or_default();
            let value = match (f.value, f.no_opt) {
                (true, Some(bare)) => format!("[={bare}]"),
                (true, None) => "=VALUE".to_string(),
                (false, _) => String::new(),
            };
            let required = if f.required { " (required)" } else { "" };
            s.push_str(&format!(
                "    {short}--{}{value}{required}
",
                f.long
            ));
        }
    }
    s.push_str(&format!(
        "
Usage:
  kubectl {shown} [options]
"
    ));
    s
}

/// How the line's flags are read: the subcommand's name and flags when it names one, else the verb's.
pub fn flags_for(verb: &Verb, words: &[String]) -> (&'static str, &'static [Spec]) {
    sub_of(verb, words).map_or((verb.shown, verb.flags), |sub| (sub.shown, sub.flags))
}

/// The verbs' names, sorted (the unknown-command suggestion and completion).
pub fn names() -> Vec<&'static str> {
    let mut v: Vec<&str> = VERBS.iter().map(|v| v.name).collect();
    crate::util::sort(&mut v);
    v
}

/// `kubectl --help`.
pub fn help() -> String {
    let mut s = String::from(
        "kubectl controls the Kubernetes cluster manager (simulated by kubeplay).\n\nCommands kubeplay knows:\n",
    );
    for v in VERBS {
        s.push_str(&format!("  {:<16}{}\n", v.shown, v.help));
    }
    s.push_str("\nUsage:\n  kubectl [flags] [options]\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verb_is_listed_once_and_read_only_verbs_are_reads() {
        let mut names = names();
        names.dedup();
        assert_eq!(names.len(), VERBS.len());
        for read in ["describe", "explain", "api-resources", "version", "cluster-info", "edit"] {
            assert!(matches!(find(read).map(|v| &v.handler), Some(Handler::Read(_))), "{read}");
        }
        assert!(help().contains("\n  set             Set specific features on objects (env, image, resources)\n"));
    }
}
