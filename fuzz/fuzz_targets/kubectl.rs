//! Any text as terminal lines against a small cluster with a Service: the engine must answer every line without
//! panicking, and a failing command must say why (except where a shell is silent too: `curl -s`, a `grep` that
//! matches nothing). Lines after `kubectl run -it` / `exec -it` go to the container's shell.
#![no_main]

use kubeplay::cluster::Settings;
use kubeplay::kubectl::{self, Context, Files};
use kubeplay::sim::Sim;
use libfuzzer_sys::fuzz_target;

struct OneFile;

impl Files for OneFile {
    fn read(&self, name: &str) -> Result<String, String> {
        match name {
            "d.yaml" => Ok("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n".into()),
            _ => Err(format!("the path {name:?} does not exist")),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut sim = Sim::new(Settings::default());
    let ctx = Context { files: &OneFile, stdin: Some(text), live: false };
    let _ = kubectl::run(&mut sim, "kubectl apply -f d.yaml", &ctx);
    let _ = kubectl::run(&mut sim, "kubectl expose deployment web --port=80 --type=NodePort", &ctx);
    let mut terminal = kubectl::Terminal::default();
    for line in text.lines().take(20) {
        let shell = terminal.session.is_some();
        let line = if shell || line.starts_with("kubectl") || line.starts_with("curl") {
            line.to_string()
        } else {
            format!("kubectl {line}")
        };
        let out = terminal.run(&mut sim, &line, &ctx);
        // (nslookup reports NXDOMAIN on standard output, as bind's does.)
        let quiet = line.contains('|') || line.contains("-s") || !out.stdout.is_empty();
        assert!(out.code == 0 || !out.stderr.is_empty() || quiet, "{line:?} failed without a message");
    }
});
