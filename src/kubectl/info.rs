//! The verbs that describe kubectl and the cluster rather than objects: `api-resources`, `version`,
//! `cluster-info`, and `edit` outside the browser.

use super::flags::Parsed;
use super::{resources, tabwriter, Output};
use crate::api;
use crate::sim::Sim;

/// `kubectl api-resources`.
pub const API_RESOURCES_FLAGS: &[super::flags::Spec] =
    &[super::flags::flag("namespaced", None), super::flags::flag("no-headers", None)];

/// `kubectl api-resources [--namespaced=true|false] [--no-headers]`.
pub fn api_resources(f: &super::flags::Parsed) -> Output {
    let scope = f.get("namespaced").map(|v| v == "true");
    let rows = resources::TYPES.iter().filter(|r| scope.is_none_or(|n| r.kind.namespaced() == n));
    let mut t = String::new();
    if !f.bool("no-headers") {
        t.push_str("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n");
    }
    for r in rows {
        let version = r.kind.api_version();
        t.push_str(&format!(
            "{}\t{}\t{version}\t{}\t{}\n",
            r.kind.plural(),
            r.short.join(","),
            r.kind.namespaced(),
            r.kind.name()
        ));
    }
    Output::ok(tabwriter::format(&t, 6, 3))
}

/// The kubectl release kubeplay's kubectl answers as (the one its output is checked against); the simulated
/// cluster runs [`crate::api::KUBERNETES_VERSION`].
pub const KUBECTL_VERSION: &str = "v1.35.2";

pub const VERSION_FLAGS: &[super::flags::Spec] =
    &[super::flags::flag("client", None), super::flags::val("output", Some('o'))];

/// `kubectl version [--client] [-o json|yaml]` (`pkg/cmd/version`). The client's build facts are those of the
/// kubectl v1.35.2 release.
pub fn version(f: &super::flags::Parsed) -> Output {
    let client = f.bool("client");
    // In the order of Go's `version.Info` struct, which `-o json` keeps.
    let fields = [
        ("major", "1"),
        ("minor", "35"),
        ("gitVersion", KUBECTL_VERSION),
        ("gitCommit", "fdc9d74cbf2da6754ebf81d56f80ae2948cd6425"),
        ("gitTreeState", "clean"),
        ("buildDate", "2026-02-26T20:05:34Z"),
        ("goVersion", "go1.25.7"),
        ("compiler", "gc"),
        ("platform", "linux/amd64"),
    ];
    match f.get("output") {
        None => {
            let mut s = format!("Client Version: {KUBECTL_VERSION}\nKustomize Version: v5.7.1\n");
            if !client {
                s.push_str(&format!("Server Version: {}\n", crate::api::KUBERNETES_VERSION));
            }
            Output::ok(s)
        }
        Some(o @ ("json" | "yaml")) if client => {
            if o == "json" {
                // `json.MarshalIndent` with two spaces, fields in struct order.
                let body: Vec<String> = fields.iter().map(|(k, v)| format!("    \"{k}\": {v:?}")).collect();
                Output::ok(format!(
                    "{{\n  \"clientVersion\": {{\n{}\n  }},\n  \"kustomizeVersion\": \"v5.7.1\"\n}}\n",
                    body.join(",\n")
                ))
            } else {
                // `sigs.k8s.io/yaml`, as `-o yaml` prints objects (keys sorted, quoting what would read as another
                // type), then a blank line.
                let client: serde_json::Map<String, serde_json::Value> =
                    fields.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(*v))).collect();
                let doc = serde_json::json!({ "clientVersion": client, "kustomizeVersion": "v5.7.1" });
                Output::ok(crate::manifest::print::to_yaml(&doc) + "\n")
            }
        }
        Some("json" | "yaml") => Output::err(
            "error: kubeplay: `kubectl version -o` prints the client only here; add --client (the simulated server's \
             build facts are not modelled)",
        ),
        Some(_) => Output::err("error: --output must be 'yaml' or 'json'"),
    }
}

/// `kubectl cluster-info`, as a kind cluster answers it.
pub fn cluster_info(sim: &Sim) -> Output {
    let mut s = String::from("Kubernetes control plane is running at https://127.0.0.1:6443\n");
    if sim.cluster().store().get::<api::Service>("kube-system", "kube-dns").is_some() {
        s.push_str(
            "CoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n",
        );
    }
    s.push_str("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
    Output::ok(s)
}

/// `kubectl edit` outside the browser.
pub fn edit(f: &Parsed) -> Output {
    if f.args.is_empty() {
        return Output::err(super::NO_RESOURCES);
    }
    Output::err("error: kubectl edit opens the object in the playground's editor; on the command line, edit the file and run kubectl apply -f")
}
