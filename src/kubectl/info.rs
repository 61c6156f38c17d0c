//! The verbs that describe kubectl and the cluster rather than objects: `api-resources`, `version`,
//! `cluster-info`, and `edit` outside the browser.

use super::flags::Parsed;
use super::{resources, tabwriter, usage_error, Output};
use crate::api;
use crate::sim::Sim;

/// `kubectl api-resources`.
pub fn api_resources() -> Output {
    let rows = resources::TYPES;
    let mut t = String::from("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n");
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

/// `kubectl version`.
pub fn version() -> Output {
    let v = crate::api::KUBERNETES_VERSION;
    Output::ok(format!("Client Version: {v}\nKustomize Version: v5.7.1\nServer Version: {v}\n"))
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
        return usage_error("edit", "You must provide one or more resources by argument or filename.");
    }
    Output::err("error: kubectl edit opens the object in the playground's editor; on the command line, edit the file and run kubectl apply -f")
}
