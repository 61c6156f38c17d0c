//! The image manager's part (`pkg/kubelet/images/image_manager.go`): pulling a container's image — at most one pull
//! at a time per node (`serializeImagePulls`), once per node and then cached (`IfNotPresent`), with the pull
//! back-off (10 s doubling to 300 s) between `ErrImagePull` and `ImagePullBackOff`.

use super::{go_duration, ContainerRun, Effect, Env, State, Step, BACKOFF_INITIAL, BACKOFF_MAX};
use crate::cluster::clock::Millis;
use crate::cluster::events::{EventReason, EventType};
use crate::cluster::images::{self, Pull};
use crate::cluster::why::Why;
use std::collections::{BTreeMap, BTreeSet};

/// Every node's images: what each has cached, what is being pulled, and when each node's puller is free again.
#[derive(Debug, Clone, Default)]
pub(super) struct Images {
    /// (node, image reference) pairs pulled so far.
    pub cached: BTreeSet<(String, String)>,
    /// (node, image reference) pairs being pulled or pulled by the time the puller is free.
    pulling: BTreeSet<(String, String)>,
    puller_free_at: BTreeMap<String, Millis>,
}

/// `Pull`: the image is present (`Pulled … already present`) or a pull starts when the node's puller is free.
pub(super) fn pull(ct: &mut ContainerRun, env: &Env, images: &mut Images) -> Vec<Effect> {
    let image_ref = env.image_ref;
    match images::resolve(image_ref) {
        Pull::Invalid(msg) => {
            ct.state = State::Waiting { reason: "InvalidImageName", message: Some(msg.clone()) };
            vec![
                Effect::Event(EventType::Warning, EventReason::InspectFailed, msg),
                Effect::Event(EventType::Warning, EventReason::Failed, "Error: InvalidImageName".into()),
            ]
        }
        resolved => {
            let policy = ct.spec.image_pull_policy.as_deref().unwrap_or("IfNotPresent");
            let node_image = (env.node.to_string(), image_ref.to_string());
            let cached = images.cached.contains(&node_image);
            if cached && policy != "Always" {
                if let Pull::Ok(image) = resolved {
                    ct.image = Some(image);
                }
                ct.due = Some((env.now + env.timings.start, Step::Start));
                return vec![Effect::Event(
                    EventType::Normal,
                    EventReason::Pulled,
                    format!(
                        "Container image \"{image_ref}\" already present on machine and can be accessed by the pod"
                    ),
                )];
            }
            let image = match resolved {
                Pull::Ok(image) => image,
                _ => images::GENERIC,
            };
            let mut ms = env.timings.pull.unwrap_or(image.pull_ms);
            if cached || images.pulling.contains(&node_image) {
                ms /= 10; // the layers are (or will be) present: only the manifest is checked
            }
            let begin = images.puller_free_at.get(env.node).copied().unwrap_or(0).max(env.now);
            images.puller_free_at.insert(env.node.to_string(), begin + ms);
            images.pulling.insert(node_image);
            ct.pull_started = env.now;
            ct.pull_took = ms;
            ct.due = Some((begin + ms, Step::PullDone));
            vec![Effect::Event(EventType::Normal, EventReason::Pulling, format!("Pulling image \"{image_ref}\""))]
        }
    }
}

/// `PullDone`: the image is on the node (`Successfully pulled …`), or the pull failed (`ErrImagePull`) and backs off.
pub(super) fn done(ct: &mut ContainerRun, env: &Env, images: &mut Images) -> Vec<Effect> {
    let (image_ref, now) = (env.image_ref, env.now);
    match images::resolve(image_ref) {
        Pull::Ok(image) => {
            images.cached.insert((env.node.to_string(), image_ref.to_string()));
            let (took, total) = (go_duration(ct.pull_took), go_duration(now - ct.pull_started));
            ct.image = Some(image);
            ct.pull_backoff = 0;
            ct.due = Some((now + env.timings.start, Step::Start));
            vec![Effect::Event(
                EventType::Normal,
                EventReason::Pulled,
                format!("Successfully pulled image \"{image_ref}\" in {took} ({total} including waiting). Image size: {} bytes.", image.size_bytes),
            )]
        }
        Pull::Fails(msg) | Pull::Invalid(msg) => {
            let failed = format!("Failed to pull image \"{image_ref}\": {msg}");
            ct.state = State::Waiting { reason: "ErrImagePull", message: Some(msg) };
            ct.pull_backoff =
                if ct.pull_backoff == 0 { BACKOFF_INITIAL } else { (ct.pull_backoff * 2).min(BACKOFF_MAX) };
            ct.due = Some((now + env.backoff_notice_ms.min(ct.pull_backoff), Step::PullBackOffNotice));
            vec![
                Effect::Event(EventType::Warning, EventReason::Failed, failed),
                Effect::Event(EventType::Warning, EventReason::Failed, "Error: ErrImagePull".into()),
                Effect::Decide(Why::PullFailed { image: image_ref.to_string(), next: ct.pull_backoff }),
            ]
        }
    }
}

/// `PullBackOffNotice`: the container waits in `ImagePullBackOff` until the back-off has passed, then pulls again.
pub(super) fn back_off(ct: &mut ContainerRun, env: &Env) -> Vec<Effect> {
    let (image_ref, now) = (env.image_ref, env.now);
    let msg = match &ct.state {
        State::Waiting { message: Some(m), .. } => m.clone(),
        _ => String::new(),
    };
    ct.state = State::Waiting {
        reason: "ImagePullBackOff",
        message: Some(format!("Back-off pulling image \"{image_ref}\": ErrImagePull: {msg}")),
    };
    let retry = ct.pull_started + (now - ct.pull_started).max(ct.pull_backoff);
    ct.due = Some((retry.max(now), Step::Pull));
    vec![
        Effect::Event(EventType::Normal, EventReason::BackOff, format!("Back-off pulling image \"{image_ref}\"")),
        Effect::Event(EventType::Warning, EventReason::Failed, "Error: ImagePullBackOff".into()),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::tests::{container, env};
    use super::*;

    /// One pull per node: the second container of the same image on the node finds it cached.
    #[test]
    fn an_image_is_pulled_once_per_node_then_found_present() {
        let mut images = Images::default();
        let (mut a, mut b) = (container("nginx:1.25"), container("nginx:1.25"));
        let e = env(0, "nginx:1.25");
        let fx = pull(&mut a, &e, &mut images);
        assert!(
            matches!(&fx[..], [Effect::Event(EventType::Normal, EventReason::Pulling, m)] if m == "Pulling image \"nginx:1.25\"")
        );
        let (at, step) = a.due.unwrap();
        assert_eq!(step, Step::PullDone);
        done(&mut a, &env(at, "nginx:1.25"), &mut images);
        let fx = pull(&mut b, &env(at, "nginx:1.25"), &mut images);
        assert!(
            matches!(&fx[..], [Effect::Event(_, EventReason::Pulled, m)] if m.contains("already present")),
            "{fx:?}"
        );
        assert_eq!(b.due.map(|d| d.1), Some(Step::Start));
    }

    /// `ErrImagePull`, then `ImagePullBackOff`, the back-off doubling from 10 s.
    #[test]
    fn a_failed_pull_backs_off_doubling() {
        let mut images = Images::default();
        let mut ct = container("nginx:1.161");
        pull(&mut ct, &env(0, "nginx:1.161"), &mut images);
        let at = ct.due.unwrap().0;
        let fx = done(&mut ct, &env(at, "nginx:1.161"), &mut images);
        assert!(matches!(ct.state, State::Waiting { reason: "ErrImagePull", .. }));
        assert!(
            matches!(fx.last(), Some(Effect::Decide(m)) if m.to_string().ends_with("next attempt in 10s")),
            "{fx:?}"
        );
        let due = |ct: &ContainerRun| ct.due.map_or(0, |d| d.0);
        let at = due(&ct);
        back_off(&mut ct, &env(at, "nginx:1.161"));
        assert!(matches!(ct.state, State::Waiting { reason: "ImagePullBackOff", .. }));
        let at = due(&ct);
        pull(&mut ct, &env(at, "nginx:1.161"), &mut images);
        let at = due(&ct);
        done(&mut ct, &env(at, "nginx:1.161"), &mut images);
        assert_eq!(ct.pull_backoff, 2 * BACKOFF_INITIAL);
    }
}
