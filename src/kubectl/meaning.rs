//! What a command line means, as kubectl reads it, so that two spellings of one command compare equal: short names
//! and plurals (`deploy`, `deployments`), `TYPE/NAME` or `TYPE NAME`, flags in any order, `--flag=value` or
//! `--flag value` or `-f value`, and `-n default` or no namespace. Lessons' `ran` checks use it: a learner who types
//! `kubectl get deploy,rs,po` ran what a step asking for `kubectl get deployments,replicasets,pods` wants.
//!
//! The reading follows kubectl's own: the verb table's flags ([`super::verbs`]), pflag's parsing
//! ([`super::flags::parse`]) and the resource builder's argument forms (`ResourceTypeOrNameArgs` in
//! `k8s.io/cli-runtime/pkg/resource/builder.go`: all `TYPE/NAME`, or one `TYPE[,TYPE…]` then names).

use super::flags;
use super::verbs::{self, Next};
use std::collections::{BTreeMap, BTreeSet};

/// One command line, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    Kubectl(Kubectl),
    /// Any other program (`curl`, `nslookup`): its words.
    Other(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Kubectl {
    /// The verb's own name (`get`), and a subcommand (`rollout history`, `set image`).
    pub verb: String,
    pub sub: Option<String>,
    /// The resource types named (each resolved to its kind's plural), and for each the names given (none: all).
    pub targets: BTreeMap<String, BTreeSet<String>>,
    /// The positional words after the resources (`nginx=nginx:1.11`, a pod's command after `--`), in order.
    pub rest: Vec<String>,
    /// Every flag by its long name, with its values; `namespace` only when it is not `default`.
    pub flags: BTreeMap<&'static str, Vec<String>>,
}

/// Reads a line; `None` when it is not a command kubectl (or the shell) would run: an unknown verb, a bad flag,
/// unbalanced quotes, an empty line.
pub fn read(line: &str) -> Option<Meaning> {
    let words = super::words::split(line).ok()?;
    let (program, args) = words.split_first()?;
    if program != "kubectl" {
        return Some(Meaning::Other(words));
    }
    let (i, pre) = super::find_verb(args);
    let verb = verbs::find(args.get(i)?)?;
    let mut rest = pre;
    rest.extend(args[i + 1..].iter().cloned());
    let parsed = flags::parse(&rest, verbs::flags_for(verb, &rest).1).ok()?;
    let mut out = Kubectl { verb: verb.name.to_string(), ..Kubectl::default() };
    out.flags = parsed.values.clone();
    if out.flags.get("namespace").is_some_and(|v| v.iter().all(|n| n == "default")) {
        out.flags.remove("namespace");
    }
    let mut positional: Vec<String> = parsed.args;
    if let Next::Sub(_) = verb.next {
        if positional.is_empty() {
            return Some(Meaning::Kubectl(out));
        }
        out.sub = Some(positional.remove(0));
    }
    if matches!(verb.next, Next::Type | Next::Sub(_)) && parsed.dash_at.is_none_or(|d| d > 0) {
        let (targets, used) = resources(&positional);
        out.targets = targets;
        positional.drain(..used);
    }
    out.rest = positional;
    Some(Meaning::Kubectl(out))
}

/// The resource arguments at the start of `args`: all `TYPE/NAME`, or one `TYPE[,TYPE…]` followed by names (words
/// without `=`, which start the verb's own arguments such as `nginx=nginx:1.11`). Returns them and how many words
/// they took.
fn resources(args: &[String]) -> (BTreeMap<String, BTreeSet<String>>, usize) {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let Some(first) = args.first() else { return (out, 0) };
    if first.contains('/') {
        let mut used = 0;
        for arg in args.iter().take_while(|a| a.contains('/') && !a.contains('=')) {
            let (kind, name) = arg.split_once('/').unwrap_or((arg, ""));
            out.entry(kind_name(kind)).or_default().insert(name.to_string());
            used += 1;
        }
        return (out, used);
    }
    let names: Vec<&String> = args[1..].iter().take_while(|a| !a.contains('=')).collect();
    for kind in first.split(',').filter(|k| !k.is_empty()) {
        out.entry(kind_name(kind)).or_default().extend(names.iter().map(|n| n.to_string()));
    }
    (out, 1 + names.len())
}

/// A resource type word as its kind's plural (`deploy` → `deployments`); a word kubeplay does not know stays as
/// typed, in lower case, so it still compares with itself.
fn kind_name(word: &str) -> String {
    match super::resources::resolve(word) {
        Ok(kind) => kind.plural().to_string(),
        Err(_) => word.to_ascii_lowercase(),
    }
}

/// Whether the typed line runs the command `pattern` describes: the same verb and subcommand, at least the
/// pattern's resources (with its names, if it names any), its flags with the same values, and its other arguments
/// first. More is allowed (`kubectl get pods -o wide` ran `kubectl get pods`). A line that is not a command, or a
/// program other than kubectl, compares word by word, the pattern's words first.
pub fn ran(pattern: &str, typed: &str) -> bool {
    match (read(pattern), read(typed)) {
        (Some(Meaning::Kubectl(want)), Some(Meaning::Kubectl(have))) => {
            want.verb == have.verb
                && (want.sub.is_none() || want.sub == have.sub)
                && want.targets.iter().all(|(kind, names)| have.targets.get(kind).is_some_and(|h| names.is_subset(h)))
                && want.flags.iter().all(|(flag, values)| have.flags.get(flag) == Some(values))
                // Another namespace is another command, even where the pattern does not name one.
                && want.flags.get("namespace") == have.flags.get("namespace")
                && have.rest.starts_with(&want.rest)
        }
        (Some(Meaning::Other(want)), Some(Meaning::Other(have))) => have.starts_with(&want),
        // A pattern kubectl cannot read (a lesson's own mistake) still matches itself, word by word.
        (None, _) => {
            let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            words(typed).starts_with(&words(pattern))
        }
        // A line kubectl refuses (an unknown flag, a misspelt verb) ran nothing.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::ran;

    /// Lines kubectl treats as the command of the pattern, and lines it does not.
    #[test]
    fn spellings_of_one_command_are_one_command() {
        let same: &[(&str, &str)] = &[
            ("kubectl get deployments,replicasets,pods", "kubectl get deploy,rs,po"),
            ("kubectl get deployments,replicasets,pods", "kubectl get deploy,rs,pods"),
            ("kubectl get deployments,replicasets,pods", "kubectl get pods,deployments,replicasets"),
            ("kubectl get deployments,replicasets,pods", "kubectl get deployment.apps,rs,pod -o wide"),
            ("kubectl get svc", "kubectl get services"),
            ("kubectl get svc", "kubectl -n default get svc"),
            ("kubectl get svc kubernetes", "kubectl get service/kubernetes"),
            (
                "kubectl rollout history deployment my-nginx-deployment",
                "kubectl rollout history deployments my-nginx-deployment",
            ),
            (
                "kubectl rollout history deployment my-nginx-deployment",
                "kubectl rollout history deploy/my-nginx-deployment",
            ),
            (
                "kubectl rollout history deployment my-nginx-deployment",
                "kubectl rollout history deployment/my-nginx-deployment --revision=2",
            ),
            ("kubectl rollout status", "kubectl rollout status deploy/my-nginx-deployment"),
            ("kubectl describe deployment", "kubectl describe deploy my-nginx-deployment"),
            (
                "kubectl scale deployment my-nginx-deployment --replicas=5",
                "kubectl scale --replicas 5 deploy/my-nginx-deployment",
            ),
            (
                "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11",
                "kubectl set image deploy/my-nginx-deployment nginx=nginx:1.11 --record",
            ),
            (
                "kubectl expose deployment web --port=80 --type=NodePort",
                "kubectl expose deploy web --type NodePort --port 80",
            ),
            ("kubectl get pods -l app=web", "kubectl get po --selector=app=web"),
            ("kubectl get pods -o wide", "kubectl get pods --output=wide"),
            ("nslookup hostname-svc-clusterip", "nslookup hostname-svc-clusterip"),
            ("curl http://web", "curl http://web -s"),
        ];
        for (pattern, typed) in same {
            assert!(ran(pattern, typed), "{typed:?} should count as {pattern:?}");
        }
        let different: &[(&str, &str)] = &[
            ("kubectl get deployments,replicasets,pods", "kubectl get deployments,replicasets"),
            ("kubectl get deployments,replicasets,pods", "kubectl describe deploy,rs,po"),
            ("kubectl get svc kubernetes", "kubectl get svc web"),
            ("kubectl get svc kubernetes", "kubectl get pods kubernetes"),
            ("kubectl get svc", "kubectl get svc -n kube-system"),
            (
                "kubectl rollout history deployment my-nginx-deployment",
                "kubectl rollout undo deployment my-nginx-deployment",
            ),
            ("kubectl rollout history deployment my-nginx-deployment", "kubectl rollout history deployment other"),
            (
                "kubectl scale deployment my-nginx-deployment --replicas=5",
                "kubectl scale deployment my-nginx-deployment --replicas=4",
            ),
            (
                "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11",
                "kubectl set image deployment my-nginx-deployment nginx=nginx:1.10",
            ),
            ("kubectl get pods -o wide", "kubectl get pods"),
            ("kubectl get pods", "kubectl get pods --bogus"),
            ("kubectl get pods", "kubectl gte pods"),
            ("nslookup hostname-svc-clusterip", "nslookup hostname-svc-clusterip.default.svc.cluster.local"),
            ("kubectl get pods", "curl kubectl get pods"),
        ];
        for (pattern, typed) in different {
            assert!(!ran(pattern, typed), "{typed:?} should not count as {pattern:?}");
        }
    }
}
