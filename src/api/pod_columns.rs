//! The READY, STATUS and RESTARTS columns of a pod, as the API server's table printer computes them (`printPod` in
//! `pkg/printers/internalversion/printers.go`, Kubernetes 1.35), and kubectl's human-readable durations
//! (`duration.HumanDuration`).

use super::time::millis_of;
use super::Pod;
use crate::api::time::Millis;
use k8s_openapi::api::core::v1::{Container, ContainerState, ContainerStatus, PodCondition, PodSpec, PodStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodColumns {
    pub ready: String,
    pub status: String,
    pub restarts: String,
}

/// The RESTARTS column: the total, and the most recent `lastState.terminated.finishedAt` of a restarted container.
#[derive(Default)]
struct Restarts {
    total: i64,
    last: Option<Millis>,
}

impl Restarts {
    fn add(&mut self, count: i32, finished: Option<Millis>) {
        self.total += i64::from(count);
        if let (true, Some(f)) = (count > 0, finished) {
            self.last = Some(self.last.map_or(f, |l| l.max(f)));
        }
    }
}

/// When the container last exited (`lastState.terminated.finishedAt`), for "N (5m ago)".
fn last_exit(c: &k8s_openapi::api::core::v1::ContainerStatus) -> Option<Millis> {
    c.last_state.as_ref()?.terminated.as_ref()?.finished_at.as_ref().map(millis_of)
}

/// `printPod`'s READY, STATUS and RESTARTS at virtual time `now`.
pub fn pod_columns(pod: &Pod, now: Millis) -> PodColumns {
    // Borrowed, not cloned: the stage computes this for every pod each time the store changes.
    let (no_status, no_spec) = (PodStatus::default(), PodSpec::default());
    let status = pod.status.as_ref().unwrap_or(&no_status);
    let spec = pod.spec.as_ref().unwrap_or(&no_spec);
    let no_state = ContainerState::default();
    let mut restarts = Restarts::default();
    let total_containers = spec.containers.len()
        + spec.init_containers.iter().flatten().filter(|c| c.restart_policy.as_deref() == Some("Always")).count();
    let mut ready_count = 0;
    let mut reason = status.reason.clone().or_else(|| status.phase.clone()).unwrap_or_default();
    let conds: &[PodCondition] = status.conditions.as_deref().unwrap_or(&[]);
    if conds.iter().any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated")) {
        reason = "SchedulingGated".into();
    }
    let init_specs: &[Container] = spec.init_containers.as_deref().unwrap_or(&[]);
    let mut initializing = false;
    let inits: &[ContainerStatus] = status.init_container_statuses.as_deref().unwrap_or(&[]);
    for (i, c) in inits.iter().enumerate() {
        let finished = last_exit(c);
        restarts.add(c.restart_count, finished);
        let state = c.state.as_ref().unwrap_or(&no_state);
        if state.terminated.as_ref().is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        let sidecar =
            init_specs.iter().find(|s| s.name == c.name).is_some_and(|s| s.restart_policy.as_deref() == Some("Always"));
        if sidecar && c.started == Some(true) {
            if c.ready {
                ready_count += 1;
            }
            continue;
        }
        if let Some(t) = &state.terminated {
            reason = match (&t.reason, t.signal) {
                (Some(r), _) if !r.is_empty() => format!("Init:{r}"),
                (_, Some(sig)) if sig != 0 => format!("Init:Signal:{sig}"),
                _ => format!("Init:ExitCode:{}", t.exit_code),
            };
        } else if let Some(r) =
            state.waiting.as_ref().and_then(|w| w.reason.as_ref()).filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }
    let initialized = conds.iter().any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        // Only sidecar restarts count from the init containers once initialised.
        restarts = Restarts::default();
        for c in inits {
            let sidecar = init_specs
                .iter()
                .find(|s| s.name == c.name)
                .is_some_and(|s| s.restart_policy.as_deref() == Some("Always"));
            if sidecar {
                let finished = last_exit(c);
                restarts.add(c.restart_count, finished);
            }
        }
        let mut has_running = false;
        for c in status.container_statuses.iter().flatten().rev() {
            let finished = last_exit(c);
            restarts.add(c.restart_count, finished);
            let state = c.state.as_ref().unwrap_or(&no_state);
            if let Some(r) = state.waiting.as_ref().and_then(|w| w.reason.clone()).filter(|r| !r.is_empty()) {
                reason = r;
            } else if let Some(t) = state.terminated.as_ref() {
                reason = match (&t.reason, t.signal) {
                    (Some(r), _) if !r.is_empty() => r.clone(),
                    (_, Some(sig)) if sig != 0 => format!("Signal:{sig}"),
                    _ => format!("ExitCode:{}", t.exit_code),
                };
            } else if c.ready && state.running.is_some() {
                has_running = true;
                ready_count += 1;
            }
        }
        if reason == "Completed" && has_running {
            let ready = conds.iter().any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if ready { "Running".into() } else { "NotReady".into() };
        }
    }
    if pod.metadata.deletion_timestamp.is_some() {
        let phase = status.phase.as_deref().unwrap_or("");
        if status.reason.as_deref() == Some("NodeLost") {
            reason = "Unknown".into();
        } else if phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating".into();
        }
    }
    let restarts = match restarts.last {
        Some(at) if restarts.total != 0 => {
            format!("{} ({} ago)", restarts.total, human_duration(now.saturating_sub(at)))
        }
        _ => restarts.total.to_string(),
    };
    PodColumns { ready: format!("{ready_count}/{total_containers}"), status: reason, restarts }
}

/// `duration.HumanDuration`: `0s`…`2m`, `2m3s`…`10m`, `10m`…`3h`, `3h`… — the AGE column's format.
pub fn human_duration(ms: Millis) -> String {
    let seconds = ms / 1000;
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 { format!("{}d", hours / 24) } else { format!("{}d{h}h", hours / 24) };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let d = (hours / 24) % 365;
        return if d == 0 { format!("{}y", hours / 24 / 365) } else { format!("{}y{d}d", hours / 24 / 365) };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    //! Reference §7.8 rows 99–111 (upstream `TestPrintPod`) and the HumanDuration rows of `TestHumanDuration`.
    use super::*;
    use crate::api::time::time_at;
    use crate::api::{Container, ContainerStatus, ObjectMeta, PodCondition, PodSpec};
    use k8s_openapi::api::core::v1::{
        ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting, PodStatus,
    };

    const NOW: Millis = 100 * 86_400_000;

    fn pod(containers: usize, phase: &str, statuses: Vec<ContainerStatus>) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some("test".into()),
                creation_timestamp: Some(time_at(0)),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers: (0..containers)
                    .map(|i| Container { name: format!("c{i}"), ..Default::default() })
                    .collect(),
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some(phase.into()),
                container_statuses: Some(statuses),
                ..Default::default()
            }),
        }
    }

    fn running_ready(restarts: i32) -> ContainerStatus {
        ContainerStatus {
            ready: true,
            restart_count: restarts,
            state: Some(ContainerState { running: Some(ContainerStateRunning::default()), ..Default::default() }),
            ..Default::default()
        }
    }

    fn with_last_exit(mut c: ContainerStatus, ago: Millis) -> ContainerStatus {
        c.last_state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated { finished_at: Some(time_at(NOW - ago)), ..Default::default() }),
            ..Default::default()
        });
        c
    }

    fn waiting(reason: &str) -> ContainerState {
        ContainerState {
            waiting: Some(ContainerStateWaiting { reason: Some(reason.into()), ..Default::default() }),
            ..Default::default()
        }
    }

    fn cols(p: &Pod) -> (String, String, String) {
        let c = pod_columns(p, NOW);
        (c.ready, c.status, c.restarts)
    }

    fn s(a: &str, b: &str, c: &str) -> (String, String, String) {
        (a.into(), b.into(), c.into())
    }

    #[test]
    fn test_print_pod() {
        let no_state = ContainerStatus { restart_count: 3, ..Default::default() };
        assert_eq!(cols(&pod(2, "podPhase", vec![running_ready(3), no_state.clone()])), s("1/2", "podPhase", "6")); // 99
        let mut w = no_state.clone();
        w.state = Some(waiting("ContainerWaitingReason"));
        assert_eq!(cols(&pod(2, "podPhase", vec![running_ready(3), w])).1, "ContainerWaitingReason"); // 100
        let first = ContainerStatus { state: Some(waiting("ContainerWaitingReason")), ..Default::default() };
        let second = ContainerStatus {
            state: Some(ContainerState {
                terminated: Some(ContainerStateTerminated {
                    reason: Some("ContainerTerminatedReason".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(cols(&pod(2, "podPhase", vec![first, second])), s("0/2", "ContainerWaitingReason", "0")); // 101
        let mut p = pod(2, "podPhase", vec![running_ready(3), no_state]);
        p.status.as_mut().unwrap().reason = Some("podReason".into());
        assert_eq!(cols(&p).1, "podReason"); // 102
        let completed = ContainerStatus {
            state: Some(ContainerState {
                terminated: Some(ContainerStateTerminated {
                    reason: Some("Completed".into()),
                    exit_code: 0,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let mut p = pod(2, "Running", vec![completed.clone(), running_ready(0)]);
        p.status.as_mut().unwrap().conditions =
            Some(vec![PodCondition { type_: "Initialized".into(), status: "True".into(), ..Default::default() }]);
        assert_eq!(cols(&p), s("1/2", "NotReady", "0")); // 103
        p.status.as_mut().unwrap().conditions.as_mut().unwrap().push(PodCondition {
            type_: "Ready".into(),
            status: "True".into(),
            ..Default::default()
        });
        assert_eq!(cols(&p), s("1/2", "Running", "0")); // 104
    }

    #[test]
    fn test_print_pod_init_container_and_restarts_ago() {
        // 105: one init container running with 3 restarts, last exit 10 s ago; main container waiting.
        let mut p =
            pod(1, "Pending", vec![ContainerStatus { state: Some(waiting("PodInitializing")), ..Default::default() }]);
        p.spec.as_mut().unwrap().init_containers = Some(vec![Container { name: "init".into(), ..Default::default() }]);
        let init = with_last_exit(
            ContainerStatus {
                name: "init".into(),
                restart_count: 3,
                state: Some(ContainerState { running: Some(ContainerStateRunning::default()), ..Default::default() }),
                ..Default::default()
            },
            10_000,
        );
        p.status.as_mut().unwrap().init_container_statuses = Some(vec![init]);
        assert_eq!(cols(&p), s("0/1", "Init:0/1", "3 (10s ago)"));
        // 106: one ready container, 3 restarts, last exit 5 days ago.
        assert_eq!(
            cols(&pod(1, "Running", vec![with_last_exit(running_ready(3), 5 * 86_400_000)])),
            s("1/1", "Running", "3 (5d ago)")
        );
        // 107 and 108: restarts add up, the most recent exit wins.
        let two = pod(2, "Running", vec![running_ready(0), with_last_exit(running_ready(3), 10 * 86_400_000)]);
        assert_eq!(cols(&two), s("2/2", "Running", "3 (10d ago)"));
        let two = pod(
            2,
            "Running",
            vec![with_last_exit(running_ready(6), 5 * 86_400_000), with_last_exit(running_ready(3), 20 * 86_400_000)],
        );
        assert_eq!(cols(&two).2, "9 (5d ago)");
    }

    #[test]
    fn test_print_pod_gated_completed_failed_and_terminating() {
        let mut p = pod(1, "Pending", vec![]);
        p.status.as_mut().unwrap().conditions = Some(vec![PodCondition {
            type_: "PodScheduled".into(),
            status: "False".into(),
            reason: Some("SchedulingGated".into()),
            ..Default::default()
        }]);
        assert_eq!(cols(&p).1, "SchedulingGated"); // 109
        let term = |reason: &str, code: i32| ContainerStatus {
            state: Some(ContainerState {
                terminated: Some(ContainerStateTerminated {
                    reason: Some(reason.into()),
                    exit_code: code,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(cols(&pod(1, "Succeeded", vec![term("Completed", 0)])), s("0/1", "Completed", "0")); // 110
        assert_eq!(cols(&pod(1, "Failed", vec![term("Error", 1)])), s("0/1", "Error", "0")); // 111
        let mut p = pod(1, "Running", vec![running_ready(0)]);
        p.metadata.deletion_timestamp = Some(time_at(NOW));
        assert_eq!(cols(&p), s("1/1", "Terminating", "0"));
    }

    #[test]
    fn test_human_duration() {
        let s = 1000;
        let (m, h, d) = (60 * s, 3600 * s, 86_400 * s);
        let y = 365 * d;
        let rows = [
            (s, "1s"),
            (70 * s, "70s"),
            (190 * s, "3m10s"),
            (70 * m, "70m"),
            (47 * h, "47h"),
            (49 * h, "2d1h"),
            (8 * d - 1, "7d23h"),
            (8 * d + 2 * h, "8d"),
            (367 * d, "367d"),
            (2 * y - 1, "729d"),
            (2 * y, "2y"),
            (2 * y + 25 * h, "2y1d"),
            (8 * y - 1, "7y364d"),
            (8 * y + 2 * h, "8y"),
            (0, "0s"),
            (2 * m, "2m"),
            (10 * m, "10m"),
            (3 * h, "3h"),
            (8 * h - 1, "7h59m"),
            (9 * h - 60_001, "8h"),
        ];
        for (ms, want) in rows {
            assert_eq!(human_duration(ms), want, "{ms} ms");
        }
    }
}
