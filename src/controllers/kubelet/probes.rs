//! The prober's part (`pkg/kubelet/prober`): readiness and liveness probes on their periods, with the thresholds
//! and `prober.go`'s failure texts. A probe's result depends only on the container and the time since it started,
//! so a warmed-up, passing container is not probed again.

use super::{container_log, next_container_due, secs, serving_ports, ContainerRun, Effect, Env, State, Step};
use crate::cluster::clock::Millis;
use crate::cluster::events::{EventReason, EventType};
use crate::cluster::images::{self, Http};
use crate::cluster::why::Why;
use k8s_openapi::api::core::v1::{Container, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

fn resolve_port(port: &IntOrString, spec: &Container) -> Option<i32> {
    match port {
        IntOrString::Int(p) => Some(*p),
        IntOrString::String(name) => {
            spec.ports.iter().flatten().find(|p| p.name.as_deref() == Some(name.as_str())).map(|p| p.container_port)
        }
    }
}

/// A probe's result now: `Ok(())` or the failure text of `prober.go`.
fn probe_result(probe: &Probe, c: &ContainerRun, ip: &str, now: Millis, warmup: Millis) -> Result<(), String> {
    let State::Running { started } = c.state else { return Err("container is not running".into()) };
    let Some(image) = c.image.as_ref() else { return Err("container is not running".into()) };
    let up = now >= started.saturating_add(warmup);
    let ports = serving_ports(image, &c.spec);
    if let Some(h) = &probe.http_get {
        let port = resolve_port(&h.port, &c.spec).unwrap_or(0);
        let path = h.path.as_deref().unwrap_or("/");
        let url = format!("http://{ip}:{port}{path}");
        if !up || !ports.contains(&port) {
            return Err(format!("Get \"{url}\": dial tcp {ip}:{port}: connect: connection refused"));
        }
        let found = match image.http {
            Http::NginxWelcome | Http::HttpdItWorks => matches!(path, "/" | "/index.html"),
            _ => true,
        };
        return if found { Ok(()) } else { Err("HTTP probe failed with statuscode: 404".into()) };
    }
    if let Some(t) = &probe.tcp_socket {
        let port = resolve_port(&t.port, &c.spec).unwrap_or(0);
        if !up || !ports.contains(&port) {
            return Err(format!("dial tcp {ip}:{port}: connect: connection refused"));
        }
        return Ok(());
    }
    if let Some(e) = &probe.exec {
        let cmd = e.command.clone().unwrap_or_default().join(" ");
        if cmd.split_whitespace().next() == Some("false") || cmd.contains("exit 1") {
            return Err(String::new());
        }
    }
    Ok(())
}

/// Whether the container's application has finished warming up (probe results can no longer change).
fn warmed_up(ct: &ContainerRun, now: Millis, warmup: Millis) -> bool {
    matches!(ct.state, State::Running { started } if now >= started.saturating_add(warmup))
}

/// `Unhealthy`: `Readiness probe failed: …` (`prober.go`).
fn unhealthy(which: &str, msg: &str) -> Effect {
    Effect::Event(EventType::Warning, EventReason::Unhealthy, format!("{which} probe failed: {msg}"))
}

/// `Probe`: the readiness and liveness probes that are due. A liveness failure past its threshold kills the
/// container (`Killing`), which then exits after its stop time.
pub(super) fn probe(ct: &mut ContainerRun, env: &Env) -> Vec<Effect> {
    let now = env.now;
    let mut fx = Vec::new();
    let warmup = ct.image.map(|im| env.timings.warmup.unwrap_or(im.warmup_ms)).unwrap_or(0);
    if let (Some(at), Some(probe)) = (ct.next_readiness, ct.spec.readiness_probe.clone()) {
        if at <= now {
            match probe_result(&probe, ct, env.pod_ip, now, warmup) {
                Ok(()) => {
                    ct.ready_failures = 0;
                    ct.ready_successes += 1;
                    if ct.ready_successes >= probe.success_threshold.unwrap_or(1) {
                        ct.ready = true;
                    }
                }
                Err(msg) => {
                    ct.ready_successes = 0;
                    ct.ready_failures += 1;
                    fx.push(unhealthy("Readiness", &msg));
                    if ct.ready_failures >= probe.failure_threshold.unwrap_or(3) {
                        ct.ready = false;
                    }
                }
            }
            // kubeplay's probe results depend only on the container and the time since it started: once it has
            // warmed up and is ready, every later probe would succeed, so none is run.
            ct.next_readiness =
                if ct.ready && warmed_up(ct, now, warmup) { None } else { Some(now + secs(probe.period_seconds, 10)) };
        }
    }
    if let (Some(at), Some(probe)) = (ct.next_liveness, ct.spec.liveness_probe.clone()) {
        if at <= now {
            match probe_result(&probe, ct, env.pod_ip, now, warmup) {
                Ok(()) => ct.live_failures = 0,
                Err(msg) => {
                    ct.live_failures += 1;
                    fx.push(unhealthy("Liveness", &msg));
                    if ct.live_failures >= probe.failure_threshold.unwrap_or(3) {
                        fx.push(Effect::Event(
                            EventType::Normal,
                            EventReason::Killing,
                            format!("Container {} failed liveness probe, will be restarted", ct.spec.name),
                        ));
                        fx.push(Effect::Decide(Why::LivenessRestart {
                            container: ct.spec.name.clone(),
                            failures: ct.live_failures,
                        }));
                        let stop = ct.image.map(|im| env.timings.stop.unwrap_or(im.stop_ms)).unwrap_or(0);
                        if let Some(im) = ct.image {
                            container_log::append(&mut ct.log, now, container_log::on_stop(&im, &ct.spec, now));
                        }
                        ct.next_readiness = None;
                        ct.next_liveness = None;
                        ct.due = Some((now + stop, Step::Exit(0)));
                        return fx;
                    }
                }
            }
            ct.next_liveness = if ct.live_failures == 0 && warmed_up(ct, now, warmup) {
                None
            } else {
                Some(now + secs(probe.period_seconds, 10))
            };
        }
    }
    let image = ct.image.unwrap_or(images::GENERIC);
    ct.due = next_container_due(ct, &image);
    fx
}

#[cfg(test)]
mod tests {
    use super::super::tests::{container, env};
    use super::*;
    use k8s_openapi::api::core::v1::HTTPGetAction;

    fn http_probe(port: i32, failure_threshold: i32) -> Probe {
        Probe {
            http_get: Some(HTTPGetAction { port: IntOrString::Int(port), ..Default::default() }),
            failure_threshold: Some(failure_threshold),
            ..Default::default()
        }
    }

    fn running(probe: Probe, liveness: bool) -> ContainerRun {
        let mut ct = container("nginx:1.25");
        ct.image = match images::resolve("nginx:1.25") {
            images::Pull::Ok(im) => Some(im),
            _ => None,
        };
        ct.state = State::Running { started: 0 };
        if liveness {
            ct.spec.liveness_probe = Some(probe);
            ct.next_liveness = Some(0);
        } else {
            ct.spec.readiness_probe = Some(probe);
            ct.next_readiness = Some(0);
        }
        ct
    }

    /// Readiness: a wrong port fails with `prober.go`'s text; the right one succeeds once nginx has warmed up,
    /// and then no further probe is scheduled.
    #[test]
    fn readiness_follows_the_probe_and_stops_once_warm_and_ready() {
        let mut ct = running(http_probe(8080, 3), false);
        let fx = probe(&mut ct, &env(0, "nginx:1.25"));
        assert!(
            matches!(&fx[..], [Effect::Event(EventType::Warning, EventReason::Unhealthy, m)]
            if m == "Readiness probe failed: Get \"http://10.244.1.2:8080/\": dial tcp 10.244.1.2:8080: connect: connection refused"),
            "{fx:?}"
        );
        assert!(!ct.ready);
        let mut ct = running(http_probe(80, 3), false);
        let fx = probe(&mut ct, &env(60_000, "nginx:1.25"));
        assert!(fx.is_empty() && ct.ready && ct.next_readiness.is_none(), "{fx:?}");
    }

    /// Liveness: the third failure in a row kills the container.
    #[test]
    fn liveness_kills_after_the_failure_threshold() {
        let mut ct = running(http_probe(8080, 3), true);
        for t in 0..2 {
            let fx = probe(&mut ct, &env(t * 10_000, "nginx:1.25"));
            assert_eq!(fx.len(), 1, "{fx:?}");
            ct.next_liveness = Some((t + 1) * 10_000);
        }
        let fx = probe(&mut ct, &env(20_000, "nginx:1.25"));
        assert!(matches!(fx.get(1), Some(Effect::Event(_, EventReason::Killing, _))), "{fx:?}");
        assert!(matches!(ct.due, Some((_, Step::Exit(0)))));
    }
}
