//! The status manager's part (`pkg/kubelet/status`, `kubelet_pods.go` `generateAPIPodStatus`): a pod's status —
//! phase, conditions, container statuses — computed from the kubelet's run of it, a pure function of that run and
//! the time, so it is tested without a cluster.

use super::{PodRun, State, Terminated};
use crate::api::{time::time_at, PodCondition};
use crate::cluster::clock::Millis;
use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus, PodIP,
    PodStatus,
};

fn condition(
    type_: &str,
    ok: bool,
    reason: Option<&str>,
    message: Option<String>,
    old: Option<&PodStatus>,
    now: Millis,
) -> PodCondition {
    let status = if ok { "True" } else { "False" };
    let previous = old.and_then(|s| s.conditions.as_ref()).and_then(|cs| cs.iter().find(|c| c.type_ == type_));
    let since = match previous {
        Some(p) if p.status == status => p.last_transition_time.clone(),
        _ => Some(time_at(now)),
    };
    PodCondition {
        type_: type_.into(),
        status: status.into(),
        reason: if ok { None } else { reason.map(str::to_string) },
        message: if ok { None } else { message },
        last_transition_time: since,
        ..Default::default()
    }
}

fn state_of(s: &State) -> ContainerState {
    match s {
        State::Waiting { reason, message } => ContainerState {
            waiting: Some(ContainerStateWaiting { reason: Some(reason.to_string()), message: message.clone() }),
            ..Default::default()
        },
        State::Running { started } => ContainerState {
            running: Some(ContainerStateRunning { started_at: Some(time_at(*started)) }),
            ..Default::default()
        },
        State::Terminated(t) => ContainerState { terminated: Some(terminated(t)), ..Default::default() },
    }
}

fn terminated(t: &Terminated) -> ContainerStateTerminated {
    ContainerStateTerminated {
        exit_code: t.exit_code,
        reason: Some(t.reason.to_string()),
        started_at: Some(time_at(t.started)),
        finished_at: Some(time_at(t.finished)),
        container_id: Some(t.container_id.clone()),
        ..Default::default()
    }
}

pub(super) fn pod_status(run: &PodRun, old: Option<&PodStatus>, now: Millis) -> PodStatus {
    let statuses: Vec<ContainerStatus> = run
        .containers
        .iter()
        .map(|ct| ContainerStatus {
            name: ct.spec.name.clone(),
            image: ct.spec.image.clone().unwrap_or_default(),
            image_id: ct.image_id.clone().unwrap_or_default(),
            container_id: match ct.state {
                State::Waiting { .. } => None,
                _ => ct.container_id.clone(),
            },
            ready: ct.ready,
            restart_count: ct.restarts,
            started: Some(matches!(ct.state, State::Running { .. })),
            state: Some(state_of(&ct.state)),
            last_state: Some(ct.last.as_ref().map_or_else(ContainerState::default, |t| ContainerState {
                terminated: Some(terminated(t)),
                ..Default::default()
            })),
            ..Default::default()
        })
        .collect();
    let unready: Vec<&str> = run.containers.iter().filter(|c| !c.ready).map(|c| c.spec.name.as_str()).collect();
    let all_ready = unready.is_empty();
    let message = Some(format!("containers with unready status: [{}]", unready.join(" ")));
    let ever_started = run.containers.iter().all(|c| c.container_id.is_some());
    let phase = if ever_started { "Running" } else { "Pending" };
    PodStatus {
        phase: Some(phase.into()),
        conditions: Some(vec![
            condition("PodReadyToStartContainers", true, None, None, old, now),
            condition("Initialized", true, None, None, old, now),
            condition("Ready", all_ready, Some("ContainersNotReady"), message.clone(), old, now),
            condition("ContainersReady", all_ready, Some("ContainersNotReady"), message, old, now),
            condition("PodScheduled", true, None, None, old, now),
        ]),
        host_ip: Some(run.host_ip.clone()),
        host_ips: Some(vec![k8s_openapi::api::core::v1::HostIP { ip: run.host_ip.clone() }]),
        pod_ip: Some(run.ip.clone()),
        pod_ips: Some(vec![PodIP { ip: run.ip.clone() }]),
        start_time: Some(time_at(run.started)),
        qos_class: Some(crate::api::quantity::qos_class(run.containers.iter().map(|c| &c.spec)).into()),
        container_statuses: Some(statuses),
        ..Default::default()
    }
}
