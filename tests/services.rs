//! Services as the cluster starts them and as the simulated cloud serves them (kubernetes-semantics.md §5.2, §5.4):
//! the API server's `default/kubernetes` Service, and LoadBalancer addresses after the cloud's delay, or never when
//! the cloud is off.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::api::{EndpointSlice, Endpoints, Service};
use kubeplay::cluster::Settings;
use kubeplay::kubectl::{self, Context, NoFiles};
use kubeplay::sim::Sim;

fn run(sim: &mut Sim, line: &str) -> String {
    let out = kubectl::run(sim, line, &Context { files: &NoFiles, stdin: None });
    assert_eq!(out.code, 0, "{line}: {out:?}");
    out.stdout
}

fn external_ip(sim: &Sim, name: &str) -> Option<String> {
    let s = sim.cluster.store.get::<Service>("default", name)?;
    s.status.as_ref()?.load_balancer.as_ref()?.ingress.as_ref()?.first()?.ip.clone()
}

#[test]
fn the_api_servers_kubernetes_service_is_there_from_the_start() {
    let sim = Sim::new(Settings::default());
    let s = sim.cluster.store.get::<Service>("default", "kubernetes").expect("default/kubernetes");
    let spec = s.spec.clone().unwrap();
    assert_eq!(spec.cluster_ip.as_deref(), Some("10.96.0.1"));
    let port = &spec.ports.unwrap()[0];
    assert_eq!((port.name.as_deref(), port.port), (Some("https"), 443));
    // Its endpoints are the API server's, on the control-plane node; the endpoints controllers leave them alone.
    let ep = sim.cluster.store.get::<Endpoints>("default", "kubernetes").unwrap();
    assert_eq!(ep.subsets.as_ref().unwrap()[0].addresses.as_ref().unwrap()[0].ip, "172.18.0.2");
    assert!(sim.cluster.store.get::<EndpointSlice>("default", "kubernetes").is_some());
}

#[test]
fn a_load_balancer_is_pending_until_the_cloud_assigns_an_address_on_the_nodes_network() {
    let mut sim = Sim::new(Settings::default());
    run(&mut sim, "kubectl create deployment web --image=nginx:1.25");
    run(&mut sim, "kubectl expose deployment web --port=80 --type=LoadBalancer");
    run(&mut sim, "kubectl expose deployment web --port=80 --type=LoadBalancer --name=web2");
    assert!(run(&mut sim, "kubectl get svc web").contains("<pending>"));
    sim.advance(9_999);
    assert_eq!(external_ip(&sim, "web"), None);
    sim.advance(1);
    // The first addresses after the four nodes (172.18.0.2 – .5), one per load balancer.
    assert_eq!(external_ip(&sim, "web").as_deref(), Some("172.18.0.6"));
    assert_eq!(external_ip(&sim, "web2").as_deref(), Some("172.18.0.7"));
    let described = run(&mut sim, "kubectl describe svc web");
    assert!(described.contains("LoadBalancer Ingress:     172.18.0.6"), "{described}");
    assert!(described.contains("EnsuringLoadBalancer") && described.contains("EnsuredLoadBalancer"));
    // Turning it into a NodePort Service gives the address back; another load balancer may then take it.
    let np = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80}]\n";
    let out = kubectl::run(&mut sim, "kubectl apply -f -", &Context { files: &NoFiles, stdin: Some(np) });
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(external_ip(&sim, "web"), None);
    run(&mut sim, "kubectl expose deployment web --port=80 --type=LoadBalancer --name=web3");
    sim.advance(10_000);
    assert_eq!(external_ip(&sim, "web3").as_deref(), Some("172.18.0.6"));
}

#[test]
fn without_a_cloud_external_ip_stays_pending() {
    let mut sim = Sim::new(Settings { load_balancer_ms: None, ..Settings::default() });
    run(&mut sim, "kubectl create deployment web --image=nginx:1.25");
    run(&mut sim, "kubectl expose deployment web --port=80 --type=LoadBalancer");
    sim.advance(3_600_000);
    assert_eq!(external_ip(&sim, "web"), None);
    assert!(run(&mut sim, "kubectl get svc web").contains("<pending>"));
}
