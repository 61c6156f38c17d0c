//! The embedding API (`embed::Embedded`, exported to JavaScript as `Cluster`): options, apply, kubectl, advance,
//! and the snapshot a page draws from.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::embed::{Embedded, Options};

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.24
";

fn options(json: &str) -> Result<Options, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

#[test]
fn a_page_applies_yaml_runs_kubectl_advances_time_and_reads_a_snapshot() {
    let mut c = Embedded::new(&options(r#"{"seed": 7, "workers": 2}"#).unwrap()).unwrap();
    let applied = c.apply(DEPLOYMENT);
    assert_eq!((applied.stdout.as_str(), applied.exit_code), ("deployment.apps/web created\n", 0));
    c.advance(30_000);
    assert_eq!(c.now(), 30_000);
    let out = c.kubectl("kubectl get deployment web");
    assert!(out.stdout.contains("web    3/3     3            3"), "{}", out.stdout);
    let snap = c.snapshot();
    assert_eq!(snap["time"], 30_000);
    let objects = snap["objects"].as_array().unwrap();
    let pods: Vec<_> =
        objects.iter().filter(|o| o["kind"] == "Pod" && o["metadata"]["namespace"] == "default").collect();
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(|p| p["status"]["phase"] == "Running"));
    assert_eq!(objects.iter().filter(|o| o["kind"] == "Node").count(), 3, "a control-plane node and 2 workers");
    let events = snap["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["reason"] == "ScalingReplicaSet" && e["object"] == "deployment/web"));
    // Requests made with curl appear in the snapshot.
    c.kubectl("kubectl expose deployment web --port=80");
    c.advance(2_000);
    let ip = c.kubectl("kubectl get service web -o jsonpath={.spec.clusterIP}").stdout;
    c.kubectl("kubectl run client --image=alicek106/ubuntu:curl --restart=Never -- sleep 3600");
    c.advance(20_000);
    let curl = c.kubectl(&format!("kubectl exec client -- curl -s http://{ip}/"));
    assert!(curl.stdout.contains("Welcome to nginx!"), "{curl:?}");
    let requests = c.snapshot()["requests"].as_array().unwrap().clone();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["status"], 200);
    assert_eq!(requests[0]["from"], "pod/client");
    assert_eq!(requests[0]["revision"], 1);
}

#[test]
fn the_same_seed_and_calls_give_the_same_cluster() {
    let run = |seed: &str| {
        let mut c = Embedded::new(&options(&format!(r#"{{"seed": {seed}}}"#)).unwrap()).unwrap();
        c.apply(DEPLOYMENT);
        c.advance(10_000);
        c.kubectl("kubectl set image deployment web nginx=nginx:1.25");
        c.advance(40_000);
        c.snapshot().to_string()
    };
    assert_eq!(run("3"), run("3"));
    assert_ne!(run("3"), run("4"));
}

#[test]
fn bad_options_and_oversized_input_are_refused_with_their_reason() {
    assert!(options(r#"{"sed": 1}"#).unwrap_err().contains("unknown field `sed`"));
    assert!(options(r#"{"workers": -1}"#).is_err());
    assert_eq!(Embedded::new(&options(r#"{"workers": 0}"#).unwrap()).unwrap_err(), "workers must be between 1 and 200");
    assert_eq!(
        Embedded::new(&options(r#"{"loadBalancerMs": "soon"}"#).unwrap()).unwrap_err(),
        "loadBalancerMs must be a number of milliseconds or false"
    );
    let mut off = Embedded::new(&options(r#"{"loadBalancerMs": false}"#).unwrap()).unwrap();
    assert_eq!(off.sim.cluster().settings().load_balancer_ms, None);
    let long = off.kubectl(&"x".repeat(100_000));
    assert_eq!(long.exit_code, 1);
    // One call moves at most an hour.
    off.advance(u64::MAX);
    assert_eq!(off.now(), 3_600_000);
    assert_eq!(off.apply("kind: [").exit_code, 1);
}
