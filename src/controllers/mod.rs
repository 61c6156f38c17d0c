//! The controllers. Each reads the store and writes through it, as real controllers do; none calls another.
//! Each names the upstream Kubernetes file it follows.

pub mod container_log;
pub mod deployment;
pub mod endpoints;
pub mod garbage_collector;
pub mod kubelet;
pub mod pods;
pub mod replicaset;
pub mod scheduler;
pub mod service_lb;
