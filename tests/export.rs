//! The way out to a real cluster: the files as one YAML stream and the run as a shell script, with a note wherever
//! the simulation differs from a real cluster.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::scenario::export;
use kubeplay::scenario::lesson;

fn solved(id: &str) -> kubeplay::scenario::Run {
    let l = lesson::find(id).unwrap();
    let mut run = l.start();
    for i in 0..l.steps.len() {
        if i > 0 {
            l.enter(&mut run, i);
        }
        l.play_step(&mut run).unwrap();
    }
    run
}

#[test]
fn the_clusterip_lesson_as_a_script() {
    let run = solved("05-clusterip-service");
    let script = export::script(&run);
    insta::assert_snapshot!("clusterip-lesson.sh", script);
    // The interactive session is a here-document without a terminal; it ends with the learner's exit.
    assert!(script.contains(
        "kubectl run -i --rm debug --image=alicek106/ubuntu:curl --restart=Never -- bash <<'KUBEPLAY_EOF'\n"
    ));
    assert!(script.contains("exit\nKUBEPLAY_EOF\n"));
    // Each file is written before the line that applies it, as it was then.
    let write = script.find("cat > deployment-hostname.yaml").unwrap();
    assert!(write < script.find("kubectl apply -f deployment-hostname.yaml").unwrap());
    // The workstation's resolver and the generated names are noted; the script is valid shell.
    let ok = std::process::Command::new("sh").arg("-n").arg("-c").arg(&script).status().unwrap();
    assert!(ok.success());
}

#[test]
fn notes_name_generated_pods_addresses_load_balancers_and_traffic() {
    let basics = export::script(&solved("01-deployment-basics"));
    assert!(basics.contains("# kubeplay: pod my-nginx-deployment-"), "{basics}");
    let lb = export::script(&solved("07-loadbalancer-service"));
    assert!(lb.contains("# kubeplay: svc/hostname-svc-lb is a LoadBalancer. kind and minikube have no cloud"), "{lb}");
    assert!(
        lb.contains("# kubeplay: 172.18.0.6 is the load balancer address the simulated cloud gave svc/hostname-svc-lb"),
        "{lb}"
    );
    let zero = export::script(&solved("08-zero-downtime"));
    assert!(zero.contains("kubectl exec client -- sh -c \"while :; do curl"), "{zero}");
    assert!(zero.contains("kill \"$TRAFFIC_1\""), "{zero}");
    assert!(zero.contains("\n# Lesson 08-zero-downtime, step 5: A rollout without a gap\n"), "{zero}");
    for s in [&basics, &lb, &zero] {
        assert!(std::process::Command::new("sh").arg("-n").arg("-c").arg(s).status().unwrap().success());
    }
}

#[test]
fn the_files_as_one_yaml_stream_apply_as_they_are() {
    let run = solved("08-zero-downtime");
    let stream = export::yaml_stream(&run);
    assert!(stream.starts_with("# web.yaml\napiVersion: apps/v1\n"), "{stream}");
    // The stream is itself a manifest kubectl accepts.
    let mut fresh = kubeplay::sim::Sim::new(Default::default());
    let out = kubeplay::kubectl::run(
        &mut fresh,
        "kubectl apply -f -",
        &kubeplay::kubectl::Context { files: &kubeplay::kubectl::NoFiles, stdin: Some(&stream), live: false },
    );
    assert_eq!(out.stdout, "deployment.apps/web created\nservice/web created\n", "{out:?}");
}
