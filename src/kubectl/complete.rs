//! Tab completion for the terminal: verbs, resource types, object names and the verb's flags, from the same tables
//! the engine parses with (so completion never offers what the engine would refuse).

use super::flags::Spec;
use super::resources::TYPES;
use super::verbs::{self, Next};
use crate::cluster::store::Kind;
use crate::sim::Sim;

/// What the word being typed can become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The byte offset in the line where the word being completed starts.
    pub from: usize,
    /// The candidates, sorted, each a whole word.
    pub candidates: Vec<String>,
}

impl Completion {
    /// The longest prefix every candidate shares (what Tab inserts when there are several).
    pub fn common_prefix(&self) -> String {
        let Some(first) = self.candidates.first() else { return String::new() };
        let mut len = first.len();
        for c in &self.candidates[1..] {
            len = len.min(first.bytes().zip(c.bytes()).take_while(|(a, b)| a == b).count());
        }
        while !first.is_char_boundary(len) {
            len -= 1;
        }
        first[..len].to_string()
    }
}

fn flags_of(verb: &str) -> &'static [Spec] {
    verbs::find(verb).map_or(&[], |v| v.flags)
}

/// The subcommands of `verb`'s subcommand `sub`, when it has some.
fn subs_of(verb: &str, sub: &str) -> Option<&'static [super::flags::Sub]> {
    let v = verbs::find(verb)?;
    let s = super::flags::Sub::find(v.subs, sub)?;
    (!s.subs.is_empty()).then_some(s.subs)
}

fn next_of(verb: &str) -> Next {
    verbs::find(verb).map_or(Next::Nothing, |v| v.next)
}

/// Completes the last word of `line` (the cursor is at its end).
pub fn complete(sim: &Sim, line: &str) -> Completion {
    let from = line.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let word = &line[from..];
    let before: Vec<&str> = line[..from].split_whitespace().collect();
    let mut candidates: Vec<String> = match before.as_slice() {
        [] => vec!["kubectl".into(), "curl".into(), "cat".into(), "nslookup".into(), "clear".into()],
        ["kubectl"] => verbs::names().into_iter().map(str::to_string).collect(),
        ["kubectl", verb, rest @ ..] if word.starts_with('-') => {
            let words: Vec<String> = rest.iter().map(|w| w.to_string()).collect();
            let specs = verbs::find(verb).map_or(flags_of(verb), |v| verbs::flags_for(v, &words).1);
            specs
                .iter()
                .map(|s| if s.value && s.no_opt.is_none() { format!("--{}=", s.long) } else { format!("--{}", s.long) })
                .collect()
        }
        // A subcommand's own subcommands (`create service nodeport`, `create secret generic`).
        ["kubectl", verb, sub] if subs_of(verb, sub).is_some() => {
            subs_of(verb, sub).unwrap_or_default().iter().map(|s| s.names[0].to_string()).collect()
        }
        // A verb with subcommands of its own flags (`create deployment`, `set env`, `config view`).
        ["kubectl", verb] if verbs::find(verb).is_some_and(|v| !v.subs.is_empty()) => {
            verbs::find(verb).map(|v| v.subs.iter().map(|s| s.names[0].to_string()).collect()).unwrap_or_default()
        }
        ["kubectl", verb] => match next_of(verb) {
            Next::Type => types(),
            Next::Pod => names(sim, Kind::Pod),
            Next::Sub(subcommands) => subcommands.iter().map(|v| v.to_string()).collect(),
            Next::Nothing => Vec::new(),
        },
        // `rollout undo`, `set image`: a Deployment, then its names.
        ["kubectl", "set" | "rollout", _] => vec!["deployment".into()],
        ["kubectl", "set" | "rollout", _, kind, ..] => kind_names(sim, kind),
        ["kubectl", verb, kind, ..] if next_of(verb) == Next::Type => kind_names(sim, kind),
        _ => Vec::new(),
    };
    candidates.retain(|c| c.starts_with(word));
    crate::util::sort(&mut candidates);
    candidates.dedup();
    Completion { from, candidates }
}

/// The names of the objects of the type a word names (`deploy`, `pods/web`).
fn kind_names(sim: &Sim, kind_word: &str) -> Vec<String> {
    match super::resources::resolve(kind_word.split('/').next().unwrap_or("")) {
        Ok(k) => names(sim, k),
        Err(_) => Vec::new(),
    }
}

fn types() -> Vec<String> {
    let mut v: Vec<String> = TYPES
        .iter()
        .flat_map(|t| {
            [t.kind.plural().to_string(), t.kind.singular()].into_iter().chain(t.short.iter().map(|s| s.to_string()))
        })
        .collect();
    v.push("all".into());
    v
}

fn names(sim: &Sim, kind: Kind) -> Vec<String> {
    let ns = kind.namespaced().then_some(sim.context_namespace.as_str());
    crate::with_kind!(kind, T => sim.cluster().store().list::<T>(ns).map(|o| crate::api::name_of(&o.metadata).to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Settings;

    fn words(sim: &Sim, line: &str) -> Vec<String> {
        complete(sim, line).candidates
    }

    #[test]
    fn verbs_types_names_and_flags_complete() {
        let sim = Sim::new(Settings::default());
        assert_eq!(words(&sim, "kub"), ["kubectl"]);
        assert_eq!(words(&sim, "kubectl ro"), ["rollout"]);
        assert_eq!(words(&sim, "kubectl g"), ["get"]);
        assert_eq!(words(&sim, "kubectl get deploy"), ["deploy", "deployment", "deployments"]);
        assert_eq!(words(&sim, "kubectl get svc kub"), ["kubernetes"]);
        assert_eq!(words(&sim, "kubectl describe service kube"), ["kubernetes"]);
        assert_eq!(words(&sim, "kubectl rollout u"), ["undo"]);
        assert_eq!(words(&sim, "kubectl rollout undo deployment --to"), ["--to-revision="]);
        assert_eq!(words(&sim, "kubectl get pods --show"), ["--show-labels"]);
        assert_eq!(words(&sim, "kubectl get pods -o wide --no"), ["--no-headers"]);
        assert!(words(&sim, "kubectl get nosuchtype x").is_empty());
        let c = complete(&sim, "kubectl get deploy");
        assert_eq!((c.from, c.common_prefix()), (12, "deploy".to_string()));
        assert_eq!(complete(&sim, "").candidates.len(), 5);
        // Subcommands, theirs, and each one's own flags, from the verb table.
        assert_eq!(words(&sim, "kubectl create "), ["configmap", "deployment", "namespace", "secret", "service"]);
        assert_eq!(words(&sim, "kubectl create service "), ["clusterip", "externalname", "loadbalancer", "nodeport"]);
        assert_eq!(words(&sim, "kubectl create service nodeport web --t"), ["--tcp=", "--template="]);
        assert_eq!(words(&sim, "kubectl create deployment web --dry"), ["--dry-run"]);
        assert_eq!(words(&sim, "kubectl set "), ["env", "image", "resources"]);
        assert_eq!(words(&sim, "kubectl set env deployment/web --li"), ["--list"]);
        assert_eq!(words(&sim, "kubectl config s"), ["set-context"]);
        assert_eq!(words(&sim, "kubectl wait --f"), ["--filename=", "--for="]);
        assert_eq!(words(&sim, "kubectl get pods --so"), ["--sort-by="]);
        assert_eq!(words(&sim, "kubectl p"), ["patch", "port-forward"]);
    }
}
