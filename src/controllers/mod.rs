//! The controllers. Each reads the store and writes through it, as real controllers do; none calls another.
//! Each names the upstream Kubernetes file it follows.

pub mod deployment;
