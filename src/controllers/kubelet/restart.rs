//! A container's runs (`kuberuntime_container.go`, `pod_workers.go`): start (`Created`, `Started`, a new container
//! id, the probes armed), exit (`Completed` / `Error`), the restart policy, and the crash back-off
//! (`CrashLoopBackOff`: 10 s doubling to 300 s, reset after 10 minutes of running).

use super::{
    container_log, go_duration, next_container_due, secs, ContainerRun, Effect, Env, State, Step, Terminated,
    BACKOFF_INITIAL, BACKOFF_MAX, BACKOFF_RESET,
};
use crate::cluster::events::{EventReason, EventType};
use crate::cluster::images;
use crate::cluster::why::Why;

/// `Start`: the container runs with the id `id`; its previous instance's log becomes `--previous`.
pub(super) fn start(ct: &mut ContainerRun, env: &Env, id: String) -> Vec<Effect> {
    let now = env.now;
    let image = ct.image.unwrap_or(images::GENERIC);
    ct.state = State::Running { started: now };
    if ct.container_id.is_some() {
        ct.previous_log = Some(std::mem::take(&mut ct.log));
    }
    container_log::append(&mut ct.log, now, container_log::on_start(&image, &ct.spec, now, env.pod_ip));
    ct.container_id = Some(id);
    let repository =
        if image.canonical.is_empty() { env.image_ref.split(':').next().unwrap_or("") } else { image.canonical };
    ct.image_id = Some(format!("{repository}@sha256:{}", images::digest(env.image_ref)));
    ct.ready = false;
    ct.ready_successes = 0;
    ct.ready_failures = 0;
    ct.live_failures = 0;
    ct.next_readiness = ct.spec.readiness_probe.as_ref().map(|p| now + secs(p.initial_delay_seconds, 0));
    ct.next_liveness = ct.spec.liveness_probe.as_ref().map(|p| now + secs(p.initial_delay_seconds, 0));
    if ct.spec.readiness_probe.is_none() {
        ct.ready = true;
    }
    ct.due = next_container_due(ct, &image);
    vec![
        Effect::Event(EventType::Normal, EventReason::Created, format!("Created container: {}", ct.spec.name)),
        Effect::Event(EventType::Normal, EventReason::Started, format!("Started container {}", ct.spec.name)),
    ]
}

/// `Exit(code)`: the process ended; the pod's restart policy decides whether (and after what back-off) it runs again.
pub(super) fn exit(ct: &mut ContainerRun, env: &Env, code: i32) -> Vec<Effect> {
    let now = env.now;
    let State::Running { started } = ct.state else { return Vec::new() };
    let term = Terminated {
        exit_code: code,
        reason: if code == 0 { "Completed" } else { "Error" },
        started,
        finished: now,
        container_id: ct.container_id.clone().unwrap_or_default(),
    };
    if now - started >= BACKOFF_RESET {
        ct.crash_backoff = 0;
    }
    ct.state = State::Terminated(term.clone());
    ct.last = Some(term);
    ct.ready = false;
    ct.next_readiness = None;
    ct.next_liveness = None;
    let restart = env.restart_policy == "Always" || (env.restart_policy == "OnFailure" && code != 0);
    if restart {
        if ct.restarts == 0 && ct.crash_backoff == 0 {
            ct.crash_backoff = BACKOFF_INITIAL;
            ct.due = Some((now, Step::Restart));
        } else {
            ct.due = Some((now + env.backoff_notice_ms.min(ct.crash_backoff), Step::CrashBackOffNotice));
        }
    }
    Vec::new()
}

/// `CrashBackOffNotice`: `CrashLoopBackOff` until the back-off has passed since the exit; the back-off doubles.
pub(super) fn back_off(ct: &mut ContainerRun, env: &Env) -> Vec<Effect> {
    let now = env.now;
    let pod_id = env.pod_id();
    let fx = vec![
        Effect::Event(
            EventType::Warning,
            EventReason::BackOff,
            format!("Back-off restarting failed container {} in pod {pod_id}", ct.spec.name),
        ),
        Effect::Decide(Why::CrashBackOff { container: ct.spec.name.clone(), backoff: ct.crash_backoff }),
    ];
    ct.state = State::Waiting {
        reason: "CrashLoopBackOff",
        message: Some(format!(
            "back-off {} restarting failed container={} pod={pod_id}",
            go_duration(ct.crash_backoff),
            ct.spec.name
        )),
    };
    let finished = ct.last.as_ref().map_or(now, |t| t.finished);
    ct.due = Some(((finished + ct.crash_backoff).max(now), Step::Restart));
    ct.crash_backoff = (ct.crash_backoff * 2).min(BACKOFF_MAX);
    fx
}

/// `Restart`: a new instance, from the image pull on.
pub(super) fn restart(ct: &mut ContainerRun, env: &Env) -> Vec<Effect> {
    ct.restarts += 1;
    ct.due = Some((env.now, Step::Pull));
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{container, env};
    use super::*;

    /// The first exit restarts at once; later ones wait 10 s, 20 s, 40 s … (at most 300 s) in CrashLoopBackOff.
    #[test]
    fn exits_restart_with_a_doubling_back_off() {
        let mut ct = container("busybox:1.36");
        start(&mut ct, &env(0, "busybox:1.36"), "containerd://a".into());
        exit(&mut ct, &env(50, "busybox:1.36"), 1);
        assert_eq!(ct.due, Some((50, Step::Restart)));
        restart(&mut ct, &env(50, "busybox:1.36"));
        let mut waits = Vec::new();
        for run in 0..7u64 {
            let t = 1_000_000 * (run + 1);
            start(&mut ct, &env(t, "busybox:1.36"), format!("containerd://{run}"));
            exit(&mut ct, &env(t + 50, "busybox:1.36"), 1);
            let notice = ct.due.unwrap().0;
            let fx = back_off(&mut ct, &env(notice, "busybox:1.36"));
            assert!(matches!(&fx[0], Effect::Event(EventType::Warning, EventReason::BackOff, _)));
            assert!(matches!(ct.state, State::Waiting { reason: "CrashLoopBackOff", .. }));
            waits.push(ct.due.unwrap().0 - (t + 50));
        }
        assert_eq!(waits, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    }

    #[test]
    fn never_restarting_pods_stay_terminated() {
        let mut ct = container("busybox:1.36");
        start(&mut ct, &env(0, "busybox:1.36"), "containerd://a".into());
        let e = Env { restart_policy: "Never", ..env(50, "busybox:1.36") };
        ct.due = None; // the kubelet takes the due step off before running it
        exit(&mut ct, &e, 0);
        assert!(matches!(ct.state, State::Terminated(Terminated { reason: "Completed", .. })) && ct.due.is_none());
    }
}
