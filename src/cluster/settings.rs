//! Cluster settings: the number of worker nodes, the seed, and the timings the simulated kubelet uses.
//!
//! Timings have documented defaults and can be changed for the whole cluster (here) or for one pod with
//! annotations on its template (see [`POD_TIMING_ANNOTATIONS`]), so a lesson can slow a rollout down.

use super::clock::Millis;

/// The most worker nodes a cluster may have.
pub const MAX_WORKERS: u32 = 200;
/// The longest sleep (a script's `sleep`, `kubeplay advance`) kubeplay runs at once: a week of virtual time (a
/// settled cluster has no timers, so it passes at once).
pub const MAX_SLEEP_MS: Millis = 7 * 24 * 3_600_000;
/// Pods per node, the kubelet's default `maxPods`.
pub const MAX_PODS_PER_NODE: usize = 110;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    pub seed: u64,
    /// Worker nodes besides the control-plane node (clamped to [`MAX_WORKERS`]).
    pub workers: u32,
    pub timings: Timings,
    /// How long the simulated cloud takes to give a LoadBalancer Service its address; `None` switches the cloud
    /// off, so EXTERNAL-IP stays `<pending>` as on kind or minikube without a load-balancer implementation.
    pub load_balancer_ms: Option<Millis>,
    /// How long a node's kube-proxy takes to apply an endpoint change (each node adds up to half of it again; see
    /// `net::proxy`). 0 makes every node see changes at once.
    pub proxy_delay_ms: Millis,
}

/// kube-proxy's default propagation delay: its iptables `minSyncPeriod` of 1 s.
pub const DEFAULT_PROXY_DELAY_MS: Millis = 1_000;

/// The simulated cloud's default provisioning time for a load balancer.
pub const DEFAULT_LOAD_BALANCER_MS: Millis = 10_000;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            seed: 1,
            workers: 3,
            timings: Timings::default(),
            load_balancer_ms: Some(DEFAULT_LOAD_BALANCER_MS),
            proxy_delay_ms: DEFAULT_PROXY_DELAY_MS,
        }
    }
}

/// How long the simulated kubelet takes. `None` means "the image's own value" (see `images.rs`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Timings {
    /// Pulling an image onto a node (first time only; then it is cached). Default: the image's pull time.
    pub pull_ms: Option<Millis>,
    /// From the image being present to the container running (the `ContainerCreating` part after the pull).
    pub start_ms: Millis,
    /// From the container starting to the application accepting requests. Default: the image's warm-up.
    pub warmup_ms: Option<Millis>,
    /// From SIGTERM to the process exiting. Default: the image's own shutdown time.
    pub stop_ms: Option<Millis>,
    /// After a failed pull or a crash, how long `ErrImagePull` / `Error` show before the back-off reason.
    pub backoff_notice_ms: Millis,
}

impl Default for Timings {
    fn default() -> Self {
        Timings { pull_ms: None, start_ms: 1_000, warmup_ms: None, stop_ms: None, backoff_notice_ms: 1_000 }
    }
}

/// Per-pod timing overrides, set on the pod (template) as annotations with durations such as `10s` or `500ms`.
pub const POD_TIMING_ANNOTATIONS: [&str; 4] =
    ["kubeplay.dev/pull-time", "kubeplay.dev/start-time", "kubeplay.dev/warmup-time", "kubeplay.dev/stop-time"];

/// Parses a Go-style duration as kubectl accepts it (`1m30s`, `500ms`, `10s`, `2h`), up to 24 hours.
pub fn parse_duration(s: &str) -> Option<Millis> {
    let s = s.trim();
    if s == "0" {
        return Some(0);
    }
    let mut total: u128 = 0;
    let mut rest = s;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let number: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let factor: f64 = match &rest[..unit_len] {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += (number * factor).round() as u128;
        if total > 24 * 3_600_000 {
            return None;
        }
    }
    Some(total as Millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("10s"), Some(10_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("1.5s"), Some(1_500));
        assert_eq!(parse_duration("0"), Some(0));
        for bad in ["", "s", "10", "10x", "-1s", "25h"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
