//! The EndpointSlice and Endpoints controllers (kubernetes-semantics.md §5.5): which pods a Service's endpoints
//! hold, with which conditions, ports and grouping, and when they change.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::api::{EndpointSlice, Endpoints, Pod};
use kubeplay::cluster::Settings;
use kubeplay::kubectl::{self, Context, NoFiles};
use kubeplay::sim::Sim;

fn apply(sim: &mut Sim, yaml: &str) {
    let out = kubectl::run(sim, "kubectl apply -f -", &Context { files: &NoFiles, stdin: Some(yaml), live: false });
    assert_eq!(out.code, 0, "{out:?}");
}

fn run(sim: &mut Sim, line: &str) -> String {
    let out = kubectl::run(sim, line, &Context { files: &NoFiles, stdin: None, live: false });
    assert_eq!(out.code, 0, "{line}: {out:?}");
    out.stdout
}

fn slices<'a>(sim: &'a Sim, service: &str) -> Vec<&'a EndpointSlice> {
    sim.cluster()
        .store()
        .list::<EndpointSlice>(Some("default"))
        .filter(|s| kubeplay::api::label(&s.metadata, "kubernetes.io/service-name") == Some(service))
        .collect()
}

/// (address, ready, serving, terminating) of every endpoint of a Service's slices.
fn conditions(sim: &Sim, service: &str) -> Vec<(String, bool, bool, bool)> {
    let mut out: Vec<_> = slices(sim, service)
        .iter()
        .flat_map(|s| s.endpoints.iter())
        .map(|e| {
            let c = e.conditions.clone().unwrap_or_default();
            (e.addresses[0].clone(), c.ready.unwrap(), c.serving.unwrap(), c.terminating.unwrap())
        })
        .collect();
    out.sort();
    out
}

fn legacy(sim: &Sim, service: &str) -> (Vec<String>, Vec<String>) {
    let e = sim.cluster().store().get::<Endpoints>("default", service).expect("the Endpoints object");
    let ips = |f: fn(
        &k8s_openapi::api::core::v1::EndpointSubset,
    ) -> &Option<Vec<k8s_openapi::api::core::v1::EndpointAddress>>| {
        let mut v: Vec<String> =
            e.subsets.iter().flatten().flat_map(|s| f(s).iter().flatten().map(|a| a.ip.clone())).collect();
        v.sort();
        v
    };
    (ips(|s| &s.addresses), ips(|s| &s.not_ready_addresses))
}

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - {name: http, containerPort: 80}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 8080, targetPort: http}
";

fn pod_ip(p: &Pod) -> String {
    p.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default()
}

#[test]
fn endpoints_follow_readiness_then_termination() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, WEB);
    // Created, with IPs, not yet ready: in the slices as not ready; in Endpoints as notReadyAddresses.
    let c = conditions(&sim, "web");
    assert_eq!(c.len(), 2);
    assert!(c.iter().all(|(_, ready, serving, term)| !ready && !serving && !term), "{c:?}");
    let (ready, not_ready) = legacy(&sim, "web");
    assert!(ready.is_empty());
    assert_eq!(not_ready.len(), 2);
    // Ready.
    sim.advance(30_000);
    let c = conditions(&sim, "web");
    assert!(c.iter().all(|(_, ready, serving, term)| *ready && *serving && !term), "{c:?}");
    let (ready, not_ready) = legacy(&sim, "web");
    assert_eq!((ready.len(), not_ready.len()), (2, 0));
    // The named targetPort resolved to the container's port 80, under the Service port's name.
    let s = slices(&sim, "web");
    assert_eq!(s.len(), 1);
    let port = &s[0].ports.as_ref().unwrap()[0];
    assert_eq!((port.name.as_deref(), port.port, port.protocol.as_deref()), (Some("http"), Some(80), Some("TCP")));
    // Deleting one pod gracefully: its endpoint stays in the slice, serving and terminating but not ready, and leaves
    // the Endpoints object.
    let victim = sim.pods("default")[0].clone();
    let victim_ip = pod_ip(&victim);
    let name = victim.metadata.name.clone().unwrap();
    run(&mut sim, &format!("kubectl delete pod {name} --wait=false"));
    let c = conditions(&sim, "web");
    let v = c.iter().find(|(ip, ..)| *ip == victim_ip).expect("the terminating endpoint is kept");
    assert_eq!((v.1, v.2, v.3), (false, true, true));
    let (ready, not_ready) = legacy(&sim, "web");
    assert!(!ready.contains(&victim_ip) && !not_ready.contains(&victim_ip));
    // Once the pod is gone its endpoint is too.
    sim.advance(60_000);
    assert!(conditions(&sim, "web").iter().all(|(ip, ..)| *ip != victim_ip));
}

#[test]
fn a_named_target_port_is_resolved_per_pod_and_pods_without_it_get_a_slice_without_the_port() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, WEB);
    apply(
        &mut sim,
        "apiVersion: v1
kind: Pod
metadata:
  name: other
  labels: {app: web}
spec:
  containers:
  - name: c
    image: nginx:1.25
    ports:
    - {name: http, containerPort: 8081}
---
apiVersion: v1
kind: Pod
metadata:
  name: portless
  labels: {app: web}
spec:
  containers:
  - name: c
    image: nginx:1.25
",
    );
    sim.advance(30_000);
    let mut shapes: Vec<(Vec<i32>, usize)> = slices(&sim, "web")
        .iter()
        .map(|s| (s.ports.iter().flatten().filter_map(|p| p.port).collect(), s.endpoints.len()))
        .collect();
    shapes.sort();
    assert_eq!(shapes, [(vec![], 1), (vec![80], 2), (vec![8081], 1)]);
    // The legacy object carries the same ports per address set; the portless pod offers none, so it is left out.
    let e = sim.cluster().store().get::<Endpoints>("default", "web").unwrap();
    let mut ports: Vec<i32> =
        e.subsets.iter().flatten().flat_map(|s| s.ports.iter().flatten().map(|p| p.port)).collect();
    ports.sort();
    assert_eq!(ports, [80, 8081]);
}

#[test]
fn services_without_a_selector_or_of_type_external_name_get_no_endpoints_and_a_deleted_service_loses_them() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, WEB);
    apply(
        &mut sim,
        "apiVersion: v1
kind: Service
metadata: {name: manual}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: v1
kind: Service
metadata: {name: nobody}
spec:
  selector: {app: nobody}
  ports: [{port: 80}]
",
    );
    sim.advance(30_000);
    for name in ["manual", "ext"] {
        assert!(slices(&sim, name).is_empty(), "{name}");
        assert!(sim.cluster().store().get::<Endpoints>("default", name).is_none(), "{name}");
    }
    // A selector with nothing behind it: one placeholder slice, and an Endpoints object without subsets.
    let s = slices(&sim, "nobody");
    assert_eq!(s.len(), 1);
    assert!(s[0].endpoints.is_empty() && s[0].ports.is_none());
    assert!(sim.cluster().store().get::<Endpoints>("default", "nobody").unwrap().subsets.is_none());
    assert!(run(&mut sim, "kubectl get endpointslices").contains("<unset>   <unset>"));
    run(&mut sim, "kubectl delete service web nobody");
    assert!(slices(&sim, "web").is_empty() && slices(&sim, "nobody").is_empty());
    assert!(sim.cluster().store().get::<Endpoints>("default", "web").is_none());
}

#[test]
fn a_hundred_and_fifty_pods_take_two_slices_and_endpoints_list_them_all() {
    let mut sim = Sim::new(Settings::default());
    apply(&mut sim, &WEB.replace("replicas: 2", "replicas: 150"));
    sim.advance(60_000);
    let mut sizes: Vec<usize> = slices(&sim, "web").iter().map(|s| s.endpoints.len()).collect();
    sizes.sort();
    assert_eq!(sizes, [50, 100]);
    let (ready, _) = legacy(&sim, "web");
    assert_eq!(ready.len(), 150);
    assert!(run(&mut sim, "kubectl get ep web").contains(" + 147 more..."));
}

#[test]
fn endpoints_follow_readiness_at_every_instant_of_a_rolling_update() {
    // New pods warm up for 3 s behind a readiness probe, old ones wait 2 s in preStop: each pod spends time not
    // ready, and terminating.
    let mut sim = Sim::new(Settings::default());
    let web = WEB
        .replace("replicas: 2", "replicas: 4")
        .replace("      labels: {app: web}\n", "      labels: {app: web}\n      annotations: {kubeplay.dev/warmup-time: 3s}\n")
        .replace(
            "        - {name: http, containerPort: 80}\n",
            "        - {name: http, containerPort: 80}\n        readinessProbe:\n          httpGet: {path: /, port: http}\n          periodSeconds: 1\n        lifecycle:\n          preStop:\n            sleep: {seconds: 2}\n",
        );
    apply(&mut sim, &web);
    sim.advance(30_000);
    run(&mut sim, "kubectl set image deployment web nginx=nginx:1.26");
    let (mut instants, mut saw_not_ready, mut saw_terminating) = (0, false, false);
    while let Some(t) = sim.next_due().filter(|t| *t < sim.now() + 120_000) {
        sim.run_until(t);
        instants += 1;
        let mut want: Vec<(String, bool, bool, bool)> = sim
            .pods("default")
            .iter()
            .filter(|p| !pod_ip(p).is_empty())
            .map(|p| {
                let ready = p
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"));
                let terminating = p.metadata.deletion_timestamp.is_some();
                (pod_ip(p), ready && !terminating, ready, terminating)
            })
            .collect();
        want.sort();
        saw_not_ready |= want.iter().any(|w| !w.2 && !w.3);
        saw_terminating |= want.iter().any(|w| w.3);
        assert_eq!(conditions(&sim, "web"), want, "slices at {t} ms");
        let (ready, not_ready) = legacy(&sim, "web");
        let ips = |f: fn(&(String, bool, bool, bool)) -> bool| -> Vec<String> {
            want.iter().filter(|w| f(w)).map(|w| w.0.clone()).collect()
        };
        assert_eq!(ready, ips(|w| w.1), "Endpoints addresses at {t} ms");
        assert_eq!(not_ready, ips(|w| !w.2 && !w.3), "Endpoints notReadyAddresses at {t} ms");
    }
    assert!(instants > 10 && saw_not_ready && saw_terminating, "{instants} instants");
    let d = sim.cluster().store().get::<kubeplay::api::Deployment>("default", "web").unwrap();
    assert_eq!(d.status.as_ref().unwrap().updated_replicas, Some(4));
}
