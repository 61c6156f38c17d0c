//! The worked examples of reference §8 as timeline tests: the exact sequence of (old, new) ReplicaSet sizes and
//! the `ScalingReplicaSet` events, with their times.

mod common;
use common::*;

#[test]
fn example_8_1_three_replicas_default_strategy_nginx_1_10_to_1_11() {
    let mut sim = running(delta_10s(3), deployment("nginx", 3, "nginx:1.10", Strategy::Default));
    let old = newest_rs(&sim, "nginx");
    let (from, t0) = (sim.cluster.events.log.len(), sim.now());
    sim.set_image("default", "nginx", "nginx", "nginx:1.11").unwrap();
    sim.run_until_idle(600_000);
    let new = newest_rs(&sim, "nginx");
    assert_ne!(old, new);
    let events = scaling_events(&sim, from, t0);
    let expected: Vec<(u64, String)> = vec![
        (0, format!("Scaled up replica set {new} to 1")),
        (10, format!("Scaled down replica set {old} to 2 from 3")),
        (10, format!("Scaled up replica set {new} to 2 from 1")),
        (20, format!("Scaled down replica set {old} to 1 from 2")),
        (20, format!("Scaled up replica set {new} to 3 from 2")),
        (30, format!("Scaled down replica set {old} to 0 from 1")),
    ];
    assert_eq!(events, expected);
    assert_eq!(sizes(&events, &new, 3), vec![(3, 0), (3, 1), (2, 1), (2, 2), (1, 2), (1, 3), (0, 3)]);
}
