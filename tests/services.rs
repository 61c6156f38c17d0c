//! Services as the cluster starts them and as the simulated cloud serves them (kubernetes-semantics.md §5.2, §5.4):
//! the API server's `default/kubernetes` Service, and LoadBalancer addresses after the cloud's delay, or never when
//! the cloud is off.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::api::{EndpointSlice, Endpoints, Service};
use kubeplay::cluster::Settings;
use kubeplay::kubectl::{self, Context, NoFiles};
use kubeplay::sim::Sim;

fn run(sim: &mut Sim, line: &str) -> String {
    let out = kubectl::run(sim, line, &Context { files: &NoFiles, stdin: None, live: false });
    assert_eq!(out.code, 0, "{line}: {out:?}");
    out.stdout
}

fn external_ip(sim: &Sim, name: &str) -> Option<String> {
    let s = sim.cluster().store().get::<Service>("default", name)?;
    s.status.as_ref()?.load_balancer.as_ref()?.ingress.as_ref()?.first()?.ip.clone()
}

#[test]
fn the_api_servers_kubernetes_service_is_there_from_the_start() {
    let sim = Sim::new(Settings::default());
    let s = sim.cluster().store().get::<Service>("default", "kubernetes").expect("default/kubernetes");
    let spec = s.spec.clone().unwrap();
    assert_eq!(spec.cluster_ip.as_deref(), Some("10.96.0.1"));
    let port = &spec.ports.unwrap()[0];
    assert_eq!((port.name.as_deref(), port.port), (Some("https"), 443));
    // Its endpoints are the API server's, on the control-plane node; the endpoints controllers leave them alone.
    let ep = sim.cluster().store().get::<Endpoints>("default", "kubernetes").unwrap();
    assert_eq!(ep.subsets.as_ref().unwrap()[0].addresses.as_ref().unwrap()[0].ip, "172.18.0.2");
    assert!(sim.cluster().store().get::<EndpointSlice>("default", "kubernetes").is_some());
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
    let out = kubectl::run(&mut sim, "kubectl apply -f -", &Context { files: &NoFiles, stdin: Some(np), live: false });
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

fn apply_out(sim: &mut Sim, yaml: &str) -> kubectl::Output {
    kubectl::run(sim, "kubectl apply -f -", &Context { files: &NoFiles, stdin: Some(yaml), live: false })
}

fn svc_yaml(name: &str, extra: &str, port_extra: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector: {{app: x}}\n{extra}  ports:\n  - port: 80\n{port_extra}")
}

#[test]
fn the_cluster_dns_service_is_at_the_tenth_address_from_the_start() {
    let sim = Sim::new(Settings::default());
    let s = sim.cluster().store().get::<Service>("kube-system", "kube-dns").expect("kube-system/kube-dns");
    let spec = s.spec.clone().unwrap();
    assert_eq!(spec.cluster_ip.as_deref(), Some("10.96.0.10"));
    let ports: Vec<(String, i32, String)> =
        spec.ports.unwrap().into_iter().map(|p| (p.name.unwrap(), p.port, p.protocol.unwrap())).collect();
    assert_eq!(
        ports,
        [
            ("dns".into(), 53, "UDP".into()),
            ("dns-tcp".into(), 53, "TCP".into()),
            ("metrics".into(), 9153, "TCP".into())
        ]
    );
    // Its two CoreDNS endpoints are ready on the control-plane node.
    let slices: Vec<&EndpointSlice> = sim.cluster().store().list::<EndpointSlice>(Some("kube-system")).collect();
    let ready: Vec<_> = slices
        .iter()
        .flat_map(|s| s.endpoints.iter())
        .filter(|e| e.conditions.as_ref().and_then(|c| c.ready) == Some(true))
        .map(|e| e.node_name.clone().unwrap())
        .collect();
    assert_eq!(ready, ["kubeplay-control-plane", "kubeplay-control-plane"]);
}

#[test]
fn dynamic_addresses_and_node_ports_come_from_above_their_bands_and_depend_only_on_the_seed() {
    let allocate = |seed: u64| -> Vec<(String, i32)> {
        let mut sim = Sim::new(Settings { seed, ..Settings::default() });
        (0..40)
            .map(|i| {
                let out = apply_out(&mut sim, &svc_yaml(&format!("s{i}"), "  type: NodePort\n", ""));
                assert_eq!(out.code, 0, "{out:?}");
                let spec =
                    sim.cluster().store().get::<Service>("default", &format!("s{i}")).unwrap().spec.clone().unwrap();
                (spec.cluster_ip.unwrap(), spec.ports.unwrap()[0].node_port.unwrap())
            })
            .collect()
    };
    let a = allocate(11);
    assert_eq!(a, allocate(11), "the same seed allocates the same addresses and ports");
    assert_ne!(a, allocate(12));
    for (ip, port) in &a {
        let n = u32::from(ip.parse::<std::net::Ipv4Addr>().unwrap());
        let (base, size) = (u32::from(std::net::Ipv4Addr::new(10, 96, 0, 0)), 1u32 << 20);
        assert!(n > base + 256 && n < base + size - 1, "{ip} is in 10.96.0.0/12 above the 256-address band");
        assert!((30086..=32767).contains(port), "{port} is above the node-port band of 86");
    }
    let ips: std::collections::BTreeSet<_> = a.iter().map(|x| &x.0).collect();
    let ports: std::collections::BTreeSet<_> = a.iter().map(|x| x.1).collect();
    assert_eq!((ips.len(), ports.len()), (40, 40), "no address or port is handed out twice");
}

#[test]
fn requested_addresses_and_ports_are_honoured_or_refused_with_the_api_servers_errors() {
    let mut sim = Sim::new(Settings::default());
    let ok =
        apply_out(&mut sim, &svc_yaml("fixed", "  type: NodePort\n  clusterIP: 10.96.0.50\n", "    nodePort: 30080\n"));
    assert_eq!(ok.code, 0, "{ok:?}");
    let spec = sim.cluster().store().get::<Service>("default", "fixed").unwrap().spec.clone().unwrap();
    assert_eq!((spec.cluster_ip.as_deref(), spec.ports.unwrap()[0].node_port), (Some("10.96.0.50"), Some(30080)));
    for (extra, port_extra, message) in [
        ("  clusterIP: 10.96.0.10\n", "", "spec.clusterIPs: Invalid value: [\"10.96.0.10\"]: failed to allocate IP 10.96.0.10: provided IP is already allocated"),
        ("  clusterIP: 10.0.0.5\n", "", "failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
        ("  type: NodePort\n", "    nodePort: 30080\n", "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"),
        ("  type: NodePort\n", "    nodePort: 29999\n", "spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767"),
    ] {
        let out = apply_out(&mut sim, &svc_yaml("clash", extra, port_extra));
        assert_eq!(out.code, 1, "{out:?}");
        assert!(out.stderr.contains("The Service \"clash\" is invalid"), "{}", out.stderr);
        assert!(out.stderr.contains(message), "{}\nwanted: {message}", out.stderr);
        assert!(sim.cluster().store().get::<Service>("default", "clash").is_none());
    }
}
