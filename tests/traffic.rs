//! The data path (kubernetes-semantics.md §5.6, §5.7, §9 items 15–22): how kube-proxy spreads connections, session
//! affinity, the rolling-update race a `preStop` delay closes, readiness and routing, where a request can start, and
//! the cluster DNS.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::api::{Pod, Service};
use kubeplay::cluster::store::{Kind, ObjRef};
use kubeplay::cluster::Settings;
use kubeplay::kubectl::{self, Context, NoFiles};
use kubeplay::net::client::{Options, Url};
use kubeplay::net::dns::Answer;
use kubeplay::net::{suggest, Cause, Failure, HopKind, Origin, Outcome};
use kubeplay::sim::Sim;
use std::collections::BTreeMap;

fn apply(sim: &mut Sim, yaml: &str) {
    let out = kubectl::run(sim, "kubectl apply -f -", &Context { files: &NoFiles, stdin: Some(yaml), live: false });
    assert_eq!(out.code, 0, "{out:?}");
}

fn run(sim: &mut Sim, line: &str) -> kubectl::Output {
    kubectl::run(sim, line, &Context { files: &NoFiles, stdin: None, live: false })
}

fn deployment(name: &str, replicas: i32, image: &str, extra: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: app
        image: {image}
        ports:
        - containerPort: 80
{extra}"
    )
}

fn service(name: &str, app: &str, spec_extra: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector: {{app: {app}}}
  ports:
  - port: 8080
    targetPort: 80
{spec_extra}"
    )
}

/// A running client pod (busybox sleeping) on a worker.
fn client(sim: &mut Sim, name: &str) -> Origin {
    let out = run(sim, &format!("kubectl run {name} --image=busybox:1.36 -- sleep 86400"));
    assert_eq!(out.code, 0, "{out:?}");
    Origin::Pod(ObjRef::new(Kind::Pod, "default", name))
}

fn get(sim: &mut Sim, origin: &Origin, url: &str) -> kubeplay::net::Record {
    sim.request(origin, Url::parse(url).unwrap(), &Options::default()).record
}

/// The node port of a Service's first port.
fn node_port(sim: &Sim, service: &str) -> i32 {
    let svc = sim.cluster().store().get::<Service>("default", service).unwrap();
    svc.spec.as_ref().unwrap().ports.as_ref().unwrap()[0].node_port.unwrap()
}

fn ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// The web Deployment (3 × echo-hostname), its ClusterIP Service and a client pod, all ready.
fn three_pods(settings: Settings, svc_extra: &str) -> (Sim, Origin) {
    let mut sim = Sim::new(settings);
    apply(&mut sim, &deployment("web", 3, "alicek106/rr-test:echo-hostname", ""));
    apply(&mut sim, &service("web", "web", svc_extra));
    let c = client(&mut sim, "client");
    sim.advance(30_000);
    (sim, c)
}

#[test]
fn ten_thousand_requests_over_three_ready_pods_are_spread_uniformly() {
    // Pearson's chi-square with 2 degrees of freedom: 13.82 is the 0.999 quantile, so a uniform choice fails
    // this for one seed in a thousand; the seeds are fixed, so the test is deterministic.
    for seed in [1, 2, 3, 4, 5] {
        let (mut sim, c) = three_pods(Settings { seed, ..Settings::default() }, "");
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for _ in 0..10_000 {
            let r = get(&mut sim, &c, "http://web:8080/");
            assert_eq!(r.outcome, Outcome::Status(200), "{r:?}");
            *counts.entry(r.pod.unwrap()).or_default() += 1;
        }
        assert_eq!(counts.len(), 3, "{counts:?}");
        let expected = 10_000.0 / 3.0;
        let chi2: f64 = counts.values().map(|&n| (n as f64 - expected).powi(2) / expected).sum();
        assert!(chi2 < 13.82, "seed {seed}: chi-square {chi2} for {counts:?}");
    }
}

#[test]
fn a_request_goes_client_node_service_pod_and_names_the_revision_that_answered() {
    let (mut sim, c) = three_pods(Settings::default(), "");
    let r = get(&mut sim, &c, "http://web:8080/");
    let kinds: Vec<HopKind> = r.hops.iter().map(|h| h.kind).collect();
    assert_eq!(kinds, [HopKind::Client, HopKind::Node, HopKind::Service, HopKind::Pod]);
    assert_eq!(r.hops[2].name, "default/web");
    assert!(r.endpoint.as_deref().unwrap().ends_with(":80"), "{r:?}");
    assert_eq!(r.revision, Some(1));
    assert!(r.replica_set.as_deref().unwrap().starts_with("web-"));
    assert_eq!(sim.net.counters.by_revision.get(&Some(1)), Some(&1));
}

#[test]
fn session_affinity_pins_a_client_until_its_timeout() {
    let affinity = "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 10\n";
    let (mut sim, c) = three_pods(Settings::default(), affinity);
    let pods = |sim: &mut Sim, n: usize| -> std::collections::BTreeSet<String> {
        (0..n).map(|_| get(sim, &c, "http://web:8080/").pod.unwrap()).collect()
    };
    assert_eq!(pods(&mut sim, 200).len(), 1, "one client, one pod");
    // Another client is pinned too, independently.
    let other = client(&mut sim, "other");
    sim.advance(10_000);
    let theirs: std::collections::BTreeSet<String> =
        (0..50).map(|_| get(&mut sim, &other, "http://web:8080/").pod.unwrap()).collect();
    assert_eq!(theirs.len(), 1);
    // After the timeout with no request, the client may land elsewhere: over several expiries it does.
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..20 {
        sim.advance(11_000);
        seen.extend(pods(&mut sim, 5));
    }
    assert!(seen.len() > 1, "{seen:?}");
    // Without affinity the same client reaches every pod.
    let (mut sim, c) = three_pods(Settings::default(), "");
    let spread: std::collections::BTreeSet<String> =
        (0..200).map(|_| get(&mut sim, &c, "http://web:8080/").pod.unwrap()).collect();
    assert_eq!(spread.len(), 3);
}

/// Rolls `web` (nginx) to a new version with traffic running; returns the failed and answered request counts.
fn rollout_under_traffic(pre_stop: bool) -> (u64, u64) {
    let hook = if pre_stop {
        "        lifecycle:\n          preStop:\n            exec:\n              command: [\"sh\", \"-c\", \"sleep 5\"]\n"
    } else {
        ""
    };
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, &deployment("web", 3, "nginx:1.24", hook));
    apply(&mut sim, &service("web", "web", ""));
    let c = client(&mut sim, "client");
    sim.advance(30_000);
    sim.start_traffic(c, "http://web:8080/", 50, 1_000).unwrap();
    sim.advance(2_000);
    assert!(sim.net.counters.by_failure.is_empty(), "{:?}", sim.net.counters);
    assert_eq!(run(&mut sim, "kubectl set image deployment web app=nginx:1.25").code, 0);
    sim.advance(60_000);
    let d = sim.cluster().store().get::<kubeplay::api::Deployment>("default", "web").unwrap();
    assert_eq!(d.status.as_ref().unwrap().updated_replicas, Some(3), "the rollout finished");
    let k = &sim.net.counters;
    assert_eq!(k.by_revision.keys().copied().collect::<Vec<_>>(), [Some(1), Some(2)], "both versions answered");
    // Every failure is the race: a kube-proxy that has not caught up sends requests to a pod that is shutting down
    // (refused) or already gone (unanswered: the client's 1 s limit is shorter than the ARP failure).
    let causes: Vec<(Failure, Cause)> = k.by_cause.keys().copied().collect();
    let race = [(Failure::Refused, Cause::Terminating), (Failure::TimedOut, Cause::Gone)];
    assert!(causes.iter().all(|c| race.contains(c)), "{causes:?}");
    assert_eq!(k.by_cause.values().sum::<u64>(), k.by_failure.values().sum::<u64>());
    (k.by_failure.values().sum(), k.by_status.values().sum())
}

#[test]
fn the_rolling_update_race_fails_requests_without_pre_stop_and_not_with_it() {
    let (failed, answered) = rollout_under_traffic(false);
    assert!(failed > 0, "without preStop, nodes that have not seen the endpoint change send requests to a pod that stopped listening ({answered} answered)");
    let (failed, answered) = rollout_under_traffic(true);
    assert_eq!(failed, 0, "with a preStop delay longer than the propagation, nothing fails ({answered} answered)");
}

#[test]
fn no_request_reaches_a_pod_that_is_not_ready_unless_it_is_terminating_and_its_node_has_not_seen_it() {
    // Pods take 3 s to warm up behind a readiness probe, so each new pod is Running but not Ready for a while.
    let probe = "        readinessProbe:\n          httpGet: {path: /, port: 80}\n          periodSeconds: 1\n        lifecycle:\n          preStop:\n            sleep: {seconds: 1}\n";
    let mut sim = Sim::new(Settings::default());
    apply(
        &mut sim,
        &deployment("web", 4, "nginx:1.24", probe).replace(
            "  template:\n    metadata:\n",
            "  template:\n    metadata:\n      annotations: {kubeplay.dev/warmup-time: 3s}\n",
        ),
    );
    apply(&mut sim, &service("web", "web", ""));
    let c = client(&mut sim, "client");
    sim.advance(30_000);
    assert_eq!(run(&mut sim, "kubectl set image deployment web app=nginx:1.25").code, 0);
    let max_delay = sim.cluster().settings().proxy_delay_ms * 3 / 2;
    let mut terminating_hits = 0;
    for _ in 0..1_200 {
        sim.advance(50);
        let r = get(&mut sim, &c, "http://web:8080/");
        let Some(name) = r.pod else { continue };
        let pod = sim.cluster().store().get::<Pod>("default", &name).unwrap();
        if ready(pod) && pod.metadata.deletion_timestamp.is_none() {
            continue;
        }
        // deletionTimestamp is when the grace period ends; the deletion began that long before.
        let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(0) as u64 * 1000;
        let deleted = pod.metadata.deletion_timestamp.as_ref().map(kubeplay::api::time::millis_of);
        let since = deleted.map(|t| sim.now() - (t - grace));
        assert!(
            since.is_some_and(|s| s <= max_delay + 1_000),
            "{name} answered while not ready and not just terminating: {:?}",
            pod.status
        );
        terminating_hits += 1;
    }
    let d = sim.cluster().store().get::<kubeplay::api::Deployment>("default", "web").unwrap();
    assert_eq!(d.status.as_ref().unwrap().updated_replicas, Some(4));
    assert!(terminating_hits > 0, "some requests reached terminating pods through nodes that had not caught up");
}

#[test]
fn the_workstation_reaches_node_ports_and_load_balancers_but_not_cluster_ips() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, &deployment("web", 3, "nginx:1.25", ""));
    apply(&mut sim, &service("web", "web", "  type: NodePort\n"));
    apply(&mut sim, &service("lb", "web", "  type: LoadBalancer\n").replace("port: 8080", "port: 80"));
    sim.advance(30_000);
    let svc = sim.cluster().store().get::<Service>("default", "web").unwrap().clone();
    let spec = svc.spec.unwrap();
    let node_port = spec.ports.unwrap()[0].node_port.unwrap();
    let vip = spec.cluster_ip.unwrap();
    let ws = Origin::Workstation;
    for node in 2..=5 {
        let r = get(&mut sim, &ws, &format!("http://172.18.0.{node}:{node_port}/"));
        assert_eq!(r.outcome, Outcome::Status(200), "node .{node}: {r:?}");
        assert_eq!(r.hops[1].kind, HopKind::Node);
    }
    let r = get(&mut sim, &ws, &format!("http://{vip}:8080/"));
    assert_eq!((r.outcome, r.cause), (Outcome::Failed(Failure::TimedOut), Some(Cause::OutsideAddress)));
    let r = get(&mut sim, &ws, "http://web:8080/");
    assert_eq!((r.outcome, r.cause), (Outcome::Failed(Failure::Unresolved), Some(Cause::OutsideName)));
    let r = get(&mut sim, &ws, "http://172.18.0.6:80/");
    assert_eq!(r.outcome, Outcome::Status(200), "{r:?}");
    assert_eq!(
        r.hops.iter().map(|h| h.kind).collect::<Vec<_>>()[..3],
        [HopKind::Client, HopKind::LoadBalancer, HopKind::Node]
    );
    // A node port nobody has is refused.
    let r = get(&mut sim, &ws, "http://172.18.0.3:30001/");
    assert_eq!((r.outcome, r.cause), (Outcome::Failed(Failure::Refused), Some(Cause::NotANodePort)));
}

#[test]
fn external_traffic_policy_local_keeps_traffic_on_the_node_and_the_client_address() {
    let mut sim = Sim::new(Settings { workers: 3, ..Settings::default() });
    apply(&mut sim, &deployment("web", 1, "nginx:1.25", ""));
    apply(&mut sim, &service("local", "web", "  type: NodePort\n  externalTrafficPolicy: Local\n"));
    apply(&mut sim, &service("cluster", "web", "  type: NodePort\n"));
    sim.advance(30_000);
    let pod = sim.cluster().store().list::<Pod>(Some("default")).next().unwrap().clone();
    let node = pod.spec.as_ref().unwrap().node_name.clone().unwrap();
    let node_ip = |n: &str| match n {
        "kubeplay-worker" => "172.18.0.3",
        "kubeplay-worker2" => "172.18.0.4",
        _ => "172.18.0.5",
    };
    let (local, cluster) = (node_port(&sim, "local"), node_port(&sim, "cluster"));
    let ws = Origin::Workstation;
    let other = ["kubeplay-worker", "kubeplay-worker2", "kubeplay-worker3"].into_iter().find(|n| *n != node).unwrap();
    assert_eq!(get(&mut sim, &ws, &format!("http://{}:{local}/", node_ip(&node))).outcome, Outcome::Status(200));
    assert_eq!(
        get(&mut sim, &ws, &format!("http://{}:{local}/", node_ip(other))).outcome,
        Outcome::Failed(Failure::TimedOut),
        "a node without a local endpoint drops the traffic"
    );
    assert_eq!(get(&mut sim, &ws, &format!("http://{}:{cluster}/", node_ip(other))).outcome, Outcome::Status(200));
    // nginx logs the client's address with Local, the node's (SNAT) with Cluster.
    let logs = run(&mut sim, &format!("kubectl logs {}", pod.metadata.name.unwrap())).stdout;
    let access: Vec<&str> = logs.lines().filter(|l| l.contains("\"GET / HTTP/1.1\"")).collect();
    assert!(access[0].starts_with("172.18.0.1 - - ["), "{access:?}");
    assert!(access[1].starts_with(&format!("{} - - [", node_ip(other))), "{access:?}");
    let lb = "  type: LoadBalancer\n  externalTrafficPolicy: Local\n";
    apply(&mut sim, &service("lb", "web", lb));
    let hc =
        sim.cluster().store().get::<Service>("default", "lb").unwrap().spec.as_ref().unwrap().health_check_node_port;
    assert!(hc.is_some_and(|p| (30000..=32767).contains(&p)), "{hc:?}");
}

#[test]
fn refused_timed_out_and_unreachable_look_as_they_do_on_a_cluster() {
    let (mut sim, c) = three_pods(Settings::default(), "");
    let pod = sim
        .cluster()
        .store()
        .list::<Pod>(Some("default"))
        .find(|p| p.metadata.name.as_deref() != Some("client"))
        .unwrap()
        .clone();
    let ip = pod.status.unwrap().pod_ip.unwrap();
    assert_eq!(get(&mut sim, &c, &format!("http://{ip}:80/")).outcome, Outcome::Status(200));
    let failed = |sim: &mut Sim, url: &str| {
        let r = get(sim, &c, url);
        (r.outcome, r.cause)
    };
    let fails = |f, cause| (Outcome::Failed(f), Some(cause));
    assert_eq!(failed(&mut sim, &format!("http://{ip}:81/")), fails(Failure::Refused, Cause::NotListening));
    // A ClusterIP answers only on its Service's ports.
    let vip = sim.cluster().store().get::<Service>("default", "web").unwrap().spec.clone().unwrap().cluster_ip.unwrap();
    assert_eq!(failed(&mut sim, &format!("http://{vip}:80/")), fails(Failure::TimedOut, Cause::NotAServicePort));
    // A Service whose selector matches nothing rejects connections.
    apply(&mut sim, &service("typo", "webb", ""));
    sim.advance(5_000);
    assert_eq!(failed(&mut sim, "http://typo:8080/"), fails(Failure::Refused, Cause::NoEndpoints));
    // An address nobody holds.
    assert_eq!(failed(&mut sim, "http://10.244.3.250:80/"), fails(Failure::NoRoute, Cause::Gone));
    // A name the cluster DNS does not know, and the client itself.
    assert_eq!(failed(&mut sim, "http://wbe:8080/"), fails(Failure::Unresolved, Cause::UnknownName));
    assert_eq!(failed(&mut sim, "http://localhost/"), fails(Failure::Refused, Cause::Localhost));
    assert_eq!(failed(&mut sim, "https://web:8080/"), fails(Failure::Tls, Cause::PlainHttp));
}

#[test]
fn dns_answers_every_name_form_headless_external_and_nxdomain() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, &deployment("web", 2, "nginx:1.25", ""));
    apply(&mut sim, &service("web", "web", ""));
    apply(&mut sim, &service("db", "web", "  clusterIP: None\n"));
    apply(&mut sim, "apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec:\n  type: ExternalName\n  externalName: my.database.example.com\n");
    apply(&mut sim, "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n");
    apply(&mut sim, &service("other", "x", "").replace("name: other", "name: other\n  namespace: team"));
    let c = client(&mut sim, "client");
    sim.advance(30_000);
    let ObjRef { .. } = match &c {
        Origin::Pod(p) => p.clone(),
        Origin::Workstation => unreachable!(),
    };
    let key = ObjRef::new(Kind::Pod, "default", "client");
    let vip = sim.cluster().store().get::<Service>("default", "web").unwrap().spec.clone().unwrap().cluster_ip.unwrap();
    for name in
        ["web", "web.default", "web.default.svc", "web.default.svc.cluster.local", "web.default.svc.cluster.local."]
    {
        let r = sim.resolve(&key, name).unwrap();
        assert_eq!(r.answer, Answer::A(vec![vip.clone()]), "{name}");
        assert_eq!(r.name, "web.default.svc.cluster.local", "{name}");
    }
    assert_eq!(sim.resolve(&key, "kubernetes.default").unwrap().answer, Answer::A(vec!["10.96.0.1".into()]));
    assert_eq!(sim.resolve(&key, "kube-dns.kube-system").unwrap().answer, Answer::A(vec!["10.96.0.10".into()]));
    assert!(matches!(sim.resolve(&key, "other.team").unwrap().answer, Answer::A(_)));
    assert_eq!(sim.resolve(&key, "other").unwrap().answer, Answer::NxDomain, "other namespaces need their name");
    // Headless: the ready pods' addresses.
    let mut ips: Vec<String> = sim
        .cluster()
        .store()
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.name.as_deref().is_some_and(|n| n.starts_with("web-")))
        .map(|p| p.status.clone().unwrap().pod_ip.unwrap())
        .collect();
    ips.sort();
    assert_eq!(sim.resolve(&key, "db").unwrap().answer, Answer::A(ips.clone()));
    let dashed = format!("{}.default.pod.cluster.local", ips[0].replace('.', "-"));
    assert_eq!(sim.resolve(&key, &dashed).unwrap().answer, Answer::A(vec![ips[0].clone()]));
    assert_eq!(sim.resolve(&key, "ext").unwrap().answer, Answer::Cname("my.database.example.com".into()));
    assert_eq!(sim.resolve(&key, "nosuch").unwrap().answer, Answer::NxDomain);
    assert_eq!(sim.resolve(&key, "nosuch.default.svc.cluster.local").unwrap().answer, Answer::NxDomain);
    assert_eq!(sim.resolve(&key, "example.com").unwrap().answer, Answer::NxDomain, "no upstream: offline");
    // Without CoreDNS nothing answers.
    assert_eq!(run(&mut sim, "kubectl scale deployment coredns -n kube-system --replicas=0").code, 0);
    sim.advance(60_000);
    assert_eq!(sim.resolve(&key, "web"), None);
    let r = get(&mut sim, &c, "http://web:8080/");
    assert_eq!(r.outcome, Outcome::Failed(Failure::Unresolved));
}

#[test]
fn a_traffic_generator_records_every_request_and_counts_the_mix_shifting_during_a_rollout() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, &deployment("web", 3, "nginx:1.24", ""));
    apply(&mut sim, &service("web", "web", "  type: NodePort\n"));
    sim.advance(30_000);
    let port = node_port(&sim, "web");
    let id = sim.start_traffic(Origin::Workstation, &format!("http://172.18.0.3:{port}/"), 20, 1_000).unwrap();
    sim.advance(999);
    assert_eq!(sim.net.counters.total, 20, "20 requests a second");
    let first = sim.net.records.front().unwrap().clone();
    assert_eq!(first.generator, Some(id));
    assert_eq!(first.at, 30_000);
    assert_eq!(sim.net.records[1].at, 30_050);
    assert_eq!(run(&mut sim, "kubectl set image deployment web app=nginx:1.25").code, 0);
    sim.advance(60_000);
    assert!(sim.stop_traffic(id));
    let total = sim.net.counters.total;
    sim.advance(5_000);
    assert_eq!(sim.net.counters.total, total, "a stopped generator sends nothing");
    let revisions: Vec<Option<i64>> = sim.net.records.iter().map(|r| r.revision).collect();
    let last_old = revisions.iter().rposition(|r| *r == Some(1)).unwrap();
    let first_new = revisions.iter().position(|r| *r == Some(2)).unwrap();
    assert!(first_new < last_old, "the answers mix while the rollout runs");
    assert!(revisions[revisions.len() - 20..].iter().all(|r| *r == Some(2)), "and end with the new version only");
    // The same run again gives the same record.
    let again = {
        let mut s2 = Sim::new(Settings::default());
        apply(&mut s2, &deployment("web", 3, "nginx:1.24", ""));
        apply(&mut s2, &service("web", "web", "  type: NodePort\n"));
        s2.advance(30_000);
        let id = s2.start_traffic(Origin::Workstation, &format!("http://172.18.0.3:{port}/"), 20, 1_000).unwrap();
        s2.advance(999);
        assert_eq!(run(&mut s2, "kubectl set image deployment web app=nginx:1.25").code, 0);
        s2.advance(60_000);
        s2.stop_traffic(id);
        s2.net.records.clone()
    };
    assert_eq!(again, sim.net.records);
    assert!(sim.start_traffic(Origin::Workstation, "ftp://x", 1, 1_000).is_err());
    assert!(sim.start_traffic(Origin::Workstation, "http://x", 0, 1_000).is_err());
    assert!(sim.start_traffic(Origin::Workstation, "http://x", 1_001, 1_000).is_err());
}

#[test]
fn session_affinity_remembers_the_external_client_not_the_masqueraded_address() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, &deployment("web", 3, "nginx:1.25", ""));
    apply(&mut sim, &service("web", "web", "  type: NodePort\n  sessionAffinity: ClientIP\n"));
    sim.advance(30_000);
    let port = node_port(&sim, "web");
    let pods: std::collections::BTreeSet<String> = (0..50)
        .map(|_| get(&mut sim, &Origin::Workstation, &format!("http://172.18.0.4:{port}/")).pod.unwrap())
        .collect();
    assert_eq!(pods.len(), 1, "{pods:?}");
    // Pods reaching the same node port are told apart by their own addresses, although the node masquerades them.
    let clients: Vec<Origin> = (0..5).map(|i| client(&mut sim, &format!("c{i}"))).collect();
    sim.advance(10_000);
    let mut chosen = std::collections::BTreeSet::new();
    for c in &clients {
        let theirs: std::collections::BTreeSet<String> =
            (0..10).map(|_| get(&mut sim, c, &format!("http://172.18.0.4:{port}/")).pod.unwrap()).collect();
        assert_eq!(theirs.len(), 1, "{theirs:?}");
        chosen.extend(theirs);
    }
    assert!(chosen.len() > 1, "five clients, one pod each, not all the same: {chosen:?}");
}

/// What the traffic form proposes: from the workstation each node's address with the node port and each load
/// balancer's address; from a pod each Service by name. Every proposal is answered, every time.
#[test]
fn the_proposed_urls_are_answered_from_their_origin() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, &deployment("web", 3, "nginx:1.25", ""));
    assert_eq!(run(&mut sim, "kubectl expose deployment web --port=80 --type=NodePort").code, 0);
    apply(&mut sim, &service("lb", "web", "  type: LoadBalancer\n"));
    let c = client(&mut sim, "client");
    sim.advance(30_000);
    let (web_port, lb_port) = (node_port(&sim, "web"), node_port(&sim, "lb"));
    let ws = suggest::urls(sim.cluster(), &Origin::Workstation);
    let mut expected = vec!["http://172.18.0.6:8080/".to_string()];
    expected.extend((2..=5).map(|n| format!("http://172.18.0.{n}:{lb_port}/")));
    expected.extend((2..=5).map(|n| format!("http://172.18.0.{n}:{web_port}/")));
    assert_eq!(ws, expected);
    let inside = suggest::urls(sim.cluster(), &c);
    assert_eq!(inside, ["http://lb:8080/", "http://web/"]);
    for (origin, urls) in [(Origin::Workstation, &ws), (c.clone(), &inside)] {
        for url in urls {
            for _ in 0..20 {
                let r = get(&mut sim, &origin, url);
                assert_eq!(r.outcome, Outcome::Status(200), "{url} from {origin:?}: {r:?}");
                assert_eq!(r.revision, Some(1));
            }
        }
    }
    // From another namespace, a Service's name carries its namespace.
    apply(&mut sim, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n");
    assert_eq!(run(&mut sim, "kubectl run -n other probe --image=busybox:1.36 -- sleep 86400").code, 0);
    sim.advance(10_000);
    let other = Origin::Pod(ObjRef::new(Kind::Pod, "other", "probe"));
    let urls = suggest::urls(sim.cluster(), &other);
    assert_eq!(urls, ["http://lb.default:8080/", "http://web.default/"]);
    assert_eq!(get(&mut sim, &other, &urls[1]).outcome, Outcome::Status(200));
}

/// A probe tells what a request would meet and changes nothing: the requests sent after a hundred probes choose the
/// same pods as without them.
#[test]
fn a_probe_predicts_the_outcome_and_changes_nothing() {
    let (sim, c) = three_pods(Settings::default(), "");
    let mut probed = sim.clone();
    let mut plain = sim;
    for url in ["http://web:8080/", "http://wbe:8080/", "http://web:9999/", "https://web:8080/"] {
        let p = probed.probe(&c, Url::parse(url).unwrap()).record;
        let r = get(&mut plain.clone(), &c, url);
        assert_eq!((p.outcome, p.cause), (r.outcome, r.cause), "{url}");
    }
    let ws = probed.probe(&Origin::Workstation, Url::parse("http://web:8080/").unwrap()).record;
    assert_eq!(ws.cause, Some(Cause::OutsideName));
    for _ in 0..100 {
        probed.probe(&c, Url::parse("http://web:8080/").unwrap());
    }
    assert_eq!(probed.net.next_id(), plain.net.next_id());
    let pods = |sim: &mut Sim| (0..50).map(|_| get(sim, &c, "http://web:8080/").pod.unwrap()).collect::<Vec<_>>();
    assert_eq!(pods(&mut probed), pods(&mut plain));
}

/// A workstation curl that cannot work from outside the cluster says why, and what would answer, as kubeplay's own
/// hint lines after curl's (none of its own with `-s`); without hints the output is curl's alone.
#[test]
fn a_workstation_curl_to_a_cluster_name_or_address_explains_itself() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, &deployment("web", 3, "nginx:1.25", ""));
    apply(&mut sim, &service("web", "web", "  type: NodePort\n"));
    sim.advance(30_000);
    let vip = sim.cluster().store().get::<Service>("default", "web").unwrap().spec.clone().unwrap().cluster_ip.unwrap();
    let node_port = node_port(&sim, "web");
    let try_here = format!(
        "kubeplay hint: from here, try http://172.18.0.2:{node_port}/ or http://172.18.0.3:{node_port}/ or \
         http://172.18.0.4:{node_port}/.\n"
    );
    let out = run(&mut sim, "curl -s http://web:8080/");
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        format!(
            "kubeplay hint: your workstation is outside the cluster, and its resolver knows no Service or Pod names.\n\
             {try_here}"
        )
    );
    assert_eq!(kubectl::without_hints(&out.stderr), "");
    let before = sim.now();
    let out = run(&mut sim, &format!("curl http://{vip}:8080/"));
    let waited = sim.now() - before;
    assert_eq!(waited, 130_000, "curl waits for its connect timeout");
    let curl_said = kubectl::without_hints(&out.stderr);
    assert!(curl_said.starts_with("curl: (28) ") && curl_said.lines().count() == 1, "{curl_said}");
    // What curl waits for comes first, then curl's own error, then what would work.
    assert_eq!(
        out.stderr,
        format!(
            "kubeplay hint: curl is waiting for http://{vip}:8080/: ClusterIPs and Pod IPs exist only inside the \
             cluster, so nothing on your workstation's network answers; curl gives up after 2m10s.\n{curl_said}{try_here}"
        )
    );
    // A URL that works gets no hint.
    let out = run(&mut sim, &format!("curl -s http://172.18.0.2:{node_port}/"));
    assert!(!out.stderr.contains("kubeplay hint"), "{out:?}");
}

/// In the page the wait runs on the clock (issue 19): the notice is printed at once and the clock does not jump;
/// curl's error and the hints follow when the clock reaches the timeout. Ctrl+C stops the wait, and a line typed
/// during it runs after it, as in a shell.
#[test]
fn in_the_page_a_workstation_curl_says_what_it_waits_for_before_the_clock_moves() {
    use kubeplay::scenario::{Action, Run};
    let start = |run: &mut Run| {
        run.dispatch(Action::WriteFile { name: "web.yaml".into(), text: deployment("web", 2, "nginx:1.25", "") });
        run.dispatch(Action::WriteFile { name: "svc.yaml".into(), text: service("web", "web", "") });
        run.dispatch(Action::Command { line: "kubectl apply -f web.yaml -f svc.yaml".into() });
        run.run_until(30_000);
        let vip = run.sim().cluster().store().get::<Service>("default", "web").unwrap().spec.clone().unwrap();
        run.dispatch(Action::Command { line: format!("curl http://{}:8080/", vip.cluster_ip.unwrap()) });
    };
    let mut run = Run::new(Settings::default());
    start(&mut run);
    let entry = run.transcript.last().unwrap().output.clone();
    assert!(entry.stderr.starts_with("kubeplay hint: curl is waiting for http://10."), "{entry:?}");
    assert!(entry.stderr.ends_with("curl gives up after 2m10s (Ctrl+C stops it).\n"), "{entry:?}");
    assert_eq!((run.now(), run.waiting(), entry.code), (30_000, true, 0), "the clock has not jumped");
    run.run_until(30_000 + 129_999);
    assert!(run.waiting() && !run.transcript.last().unwrap().output.stderr.contains("curl: (28)"));
    run.run_until(30_000 + 130_000);
    let done = run.transcript.last().unwrap().output.clone();
    assert!(!run.waiting());
    assert_eq!(done.code, 28);
    assert!(done.stderr.contains("\ncurl: (28) Failed to connect to 10."), "{done:?}");
    assert!(
        done.stderr.ends_with(
            "kubeplay hint: expose the Deployment with --type=NodePort (or LoadBalancer), or send from a pod.\n"
        ),
        "{done:?}"
    );

    // Ctrl+C: the wait ends where it is, as curl interrupted does.
    let mut run = Run::new(Settings::default());
    start(&mut run);
    run.run_until(40_000);
    run.dispatch(Action::Interrupt);
    let stopped = run.transcript.last().unwrap().output.clone();
    assert_eq!((stopped.code, run.waiting(), run.now()), (130, false, 40_000));
    assert!(stopped.stderr.ends_with("(Ctrl+C stops it).\n^C\n"), "{stopped:?}");

    // A line typed during the wait runs when curl has finished.
    let mut run = Run::new(Settings::default());
    start(&mut run);
    run.dispatch(Action::Command { line: "kubectl get svc web -o name".into() });
    let [.., curl, get] = run.transcript.as_slice() else { panic!() };
    assert_eq!((curl.output.code, get.at, get.output.stdout.as_str()), (28, 160_000, "service/web\n"));
}
