//! `kubeplay cluster` answers bad requests as the API server does and keeps serving (issue 20): malformed JSON,
//! unknown resources and groups, oversized bodies, a body of the wrong kind, immutable fields, unknown fields under
//! `fieldValidation=Strict`, unsupported patch types, and a client that hangs up in the middle of a watch. Also the
//! writes real kubectl does not exercise on its own: dry runs and each patch format.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::cluster::Settings;
use kubeplay::server::{Cluster, Options, Time};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn start() -> Cluster {
    Cluster::start(&Options {
        address: std::net::IpAddr::from([127, 0, 0, 1]),
        port: 0,
        settings: Settings::default(),
        time: Time::Manual,
    })
    .expect("the cluster starts")
}

/// One request on its own connection: the status code and the body.
fn http(c: &Cluster, method: &str, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(c.address).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: kubeplay\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading all of an oversized body.
    let _ = s.write_all(body);
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let code = answer.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (code, body)
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn still_serving(c: &Cluster) {
    let (code, body) = http(c, "GET", "/version", "application/json", b"");
    assert_eq!(code, 200);
    assert_eq!(json_of(&body)["gitVersion"], "v1.35.0");
}

const DEPLOYMENT: &str = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
  "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.10"}]}}}}"#;

#[test]
fn bad_requests_get_the_api_servers_answers_and_the_cluster_keeps_serving() {
    let c = start();
    let deployments = "/apis/apps/v1/namespaces/default/deployments";

    // Malformed JSON: 400, the decoder's words.
    let (code, body) = http(&c, "POST", deployments, "application/json", b"{\"apiVersion\": ");
    assert_eq!(code, 400, "{body}");
    let s = json_of(&body);
    assert_eq!(
        (s["kind"].as_str(), s["reason"].as_str(), s["code"].as_u64()),
        (Some("Status"), Some("BadRequest"), Some(400))
    );
    assert!(s["message"].as_str().unwrap().starts_with(
        "the object provided is unrecognized (must be of type Deployment): couldn't get version/kind; json parse error: unexpected end of JSON input"
    ), "{body}");
    let (code, body) = http(&c, "POST", deployments, "application/json", b"[}");
    assert_eq!(code, 400);
    assert!(body.contains("json parse error: invalid character '}' looking for beginning of value"), "{body}");
    let (code, body) = http(&c, "POST", deployments, "application/json", b"nope");
    assert_eq!(code, 400);
    assert!(body.contains("json parse error: invalid character 'o' in literal null (expecting 'u')"), "{body}");

    // Unknown resources: a Status 404 inside a served group, plain text outside.
    let (code, body) = http(&c, "GET", "/api/v1/namespaces/default/widgets", "application/json", b"");
    assert_eq!(code, 404);
    assert_eq!(json_of(&body)["message"], "the server could not find the requested resource");
    let (code, body) = http(&c, "GET", "/apis/batch/v1/jobs", "application/json", b"");
    assert_eq!((code, body.as_str()), (404, "404 page not found\n"));
    let (code, body) = http(&c, "GET", &format!("{deployments}/nope"), "application/json", b"");
    assert_eq!(code, 404);
    let s = json_of(&body);
    assert_eq!(s["message"], "deployments.apps \"nope\" not found");
    assert_eq!(s["details"], json!({"name": "nope", "group": "apps", "kind": "deployments"}));

    // An oversized body: 413 before it is read.
    let big = vec![b' '; kubeplay::server::MAX_BODY + 10];
    let (code, body) = http(&c, "POST", deployments, "application/json", &big);
    assert_eq!(code, 413);
    assert_eq!(json_of(&body)["message"], "Request entity too large: limit is 3145728");

    // A body of another kind, or of another group.
    let (code, body) = http(
        &c,
        "POST",
        "/api/v1/namespaces/default/pods",
        "application/json",
        br#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"}}"#,
    );
    assert_eq!(code, 400);
    assert_eq!(json_of(&body)["message"], "Service in version \"v1\" cannot be handled as a Pod: converting (v1.Service) to (core.Pod): unknown conversion");
    let (code, body) = http(&c, "POST", "/api/v1/namespaces/default/pods", "application/json", DEPLOYMENT.as_bytes());
    assert_eq!(code, 400);
    assert_eq!(
        json_of(&body)["message"],
        "the API version in the data (apps/v1) does not match the expected API version (v1)"
    );

    // Unknown fields: refused under Strict, a warning otherwise.
    let typo = DEPLOYMENT.replace("\"replicas\":2", "\"replica\":2");
    let (code, body) =
        http(&c, "POST", &format!("{deployments}?fieldValidation=Strict"), "application/json", typo.as_bytes());
    assert_eq!(code, 400);
    assert_eq!(json_of(&body)["message"], "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\"");

    // A dry run answers as a create would and stores nothing.
    let (code, body) =
        http(&c, "POST", &format!("{deployments}?dryRun=All"), "application/json", DEPLOYMENT.as_bytes());
    assert_eq!(code, 201, "{body}");
    assert!(json_of(&body)["metadata"]["uid"].is_string());
    assert_eq!(http(&c, "GET", &format!("{deployments}/web"), "application/json", b"").0, 404);

    // Created for real; then an immutable field: 422 with its cause.
    assert_eq!(http(&c, "POST", deployments, "application/json", DEPLOYMENT.as_bytes()).0, 201);
    assert_eq!(http(&c, "POST", deployments, "application/json", DEPLOYMENT.as_bytes()).0, 409);
    let (code, body) = http(
        &c,
        "PATCH",
        &format!("{deployments}/web"),
        "application/merge-patch+json",
        br#"{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}"#,
    );
    assert_eq!(code, 422, "{body}");
    let s = json_of(&body);
    assert_eq!(s["reason"], "Invalid");
    assert!(s["details"]["causes"].as_array().unwrap().iter().any(|c| c["field"] == "spec.selector"), "{body}");

    // Each patch format; a patch type the server does not know is 415.
    let (code, body) = http(
        &c,
        "PATCH",
        &format!("{deployments}/web"),
        "application/strategic-merge-patch+json",
        br#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.11"}]}}}}"#,
    );
    assert_eq!(code, 200, "{body}");
    assert_eq!(json_of(&body)["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.11");
    let (code, body) = http(
        &c,
        "PATCH",
        &format!("{deployments}/web"),
        "application/json-patch+json",
        br#"[{"op":"replace","path":"/spec/replicas","value":3}]"#,
    );
    assert_eq!(code, 200, "{body}");
    assert_eq!(json_of(&body)["spec"]["replicas"], 3);
    let (code, body) = http(
        &c,
        "PATCH",
        &format!("{deployments}/web"),
        "application/json-patch+json",
        br#"[{"op":"remove","path":"/spec/nope"}]"#,
    );
    assert_eq!(code, 422, "{body}");
    let (code, _) = http(&c, "PATCH", &format!("{deployments}/web"), "text/plain", b"{}");
    assert_eq!(code, 415);
    let (code, body) = http(
        &c,
        "PATCH",
        &format!("{deployments}/web/scale"),
        "application/merge-patch+json",
        br#"{"spec":{"replicas":-1}}"#,
    );
    assert_eq!(code, 422, "{body}");
    assert_eq!(
        json_of(&body)["message"],
        "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    );

    still_serving(&c);
    c.stop();
}

/// A cluster with a Deployment just created (its rollout has timers to run), and the virtual time then.
fn rolling_out() -> (Cluster, u64) {
    let c = start();
    let created =
        http(&c, "POST", "/apis/apps/v1/namespaces/default/deployments", "application/json", DEPLOYMENT.as_bytes());
    assert_eq!(created.0, 201);
    let now = c.with_sim(|sim| sim.now());
    (c, now)
}

/// A watch request left open.
fn watch(c: &Cluster, path: &str) -> TcpStream {
    let mut s = TcpStream::connect(c.address).unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: kubeplay\r\n\r\n").as_bytes()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

#[test]
fn a_client_that_hangs_up_mid_watch_neither_stops_the_server_nor_moves_its_clock() {
    let (c, before) = rolling_out();
    assert!(c.with_sim(|sim| sim.next_due()).is_some(), "the rollout has timers to run");
    {
        let mut s = watch(&c, "/api/v1/namespaces/default/pods?watch=true");
        let mut first = [0u8; 64];
        let n = s.read(&mut first).unwrap();
        assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
        // Hangs up in the middle of the stream.
    }
    // Once the server has noticed, no open request is a waiting watch: manual time stays where it was.
    std::thread::sleep(kubeplay::server::QUIET * 4);
    assert_eq!(c.with_sim(|sim| sim.now()), before, "the clock moved for a watch nobody reads");
    still_serving(&c);
    c.stop();
}

#[test]
fn a_waiting_watch_lets_manual_time_run_to_the_next_timer() {
    let (c, before) = rolling_out();
    let mut s = watch(&c, "/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=0");
    // The watch's events come as time runs: the Deployment becomes available.
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("\"availableReplicas\":2") {
        let n = s.read(&mut buf).expect("events keep coming");
        assert!(n > 0, "the stream ended early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    drop(s);
    assert!(c.with_sim(|sim| sim.now()) > before);
    c.stop();
}

#[test]
fn deletecollection_deletes_what_the_selector_picks_and_a_watch_list_ends_with_its_bookmark() {
    let (c, _) = rolling_out();
    let pods = "/api/v1/namespaces/default/pods";
    c.with_sim(|sim| sim.advance(30_000));
    let names = |c: &Cluster| -> Vec<String> {
        let (code, body) = http(c, "GET", &format!("{pods}?labelSelector=app%3Dweb"), "application/json", b"");
        assert_eq!(code, 200);
        json_of(&body)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    let before = names(&c);
    assert_eq!(before.len(), 2);
    // A watch list (client-go's default in 1.35) gets the current objects, then the bookmark that ends them.
    let mut s = watch(
        &c,
        &format!("{pods}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&labelSelector=app%3Dweb"),
    );
    let mut seen = String::new();
    let mut buf = [0u8; 8192];
    while !seen.contains("k8s.io/initial-events-end") {
        let n = s.read(&mut buf).expect("the initial events come at once");
        assert!(n > 0);
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert_eq!(seen.matches("\"type\":\"ADDED\"").count(), 2, "{seen}");
    drop(s);
    let (code, body) =
        http(&c, "DELETE", &format!("{pods}?labelSelector=app%3Dweb&gracePeriodSeconds=0"), "application/json", b"");
    assert_eq!(code, 200, "{body}");
    assert_eq!(json_of(&body)["kind"], "PodList");
    // The ReplicaSet makes new ones at once; the deleted ones are gone.
    let after = names(&c);
    assert!(before.iter().all(|n| !after.contains(n)), "{before:?} → {after:?}");
    still_serving(&c);
    c.stop();
}
