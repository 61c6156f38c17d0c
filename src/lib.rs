//! kubeplay: a Kubernetes playground that runs entirely in the browser.
//!
//! # Map
//!
//! The crate is layered. Each numbered layer uses only the layers above it; modules named on one line are peers and
//! do not use each other. `tests/layers.rs` reads this list and every file's paths into the crate, and fails when
//! the code and the list part (and when two files of one module use each other).
//!
//! 0. [`util`] — helpers every layer may use (sorting with one copy of the sort algorithm in the page).
//! 1. [`api`] — Kubernetes' own types (k8s-openapi, pinned to Kubernetes 1.35), the simulated kinds, defaulting,
//!    validation with the API server's wording, label selectors, quantities, virtual time as API timestamps.
//! 2. [`cluster`], [`manifest`] — `cluster` is the simulated cluster's state: the API store (the only place
//!    objects are written), the virtual clock and its timers, the one seeded random generator, settings, bootstrap,
//!    admission, events and the decision log. `manifest` turns a learner's text into objects (YAML with a position
//!    on every node, the strict decoder and its diagnostics, three-way merge) and objects into text.
//! 3. [`controllers`] — the Deployment, ReplicaSet, EndpointSlice, garbage-collector, scheduler, service-LB
//!    controllers and the kubelet; each reads the store and writes through it, as upstream's do.
//! 4. [`net`] — the data path: kube-proxy's rules, DNS, the clients that send requests, who answers them.
//! 5. [`sim`] — the simulation: owns the cluster, routes the store's watch log to the controllers' queues, runs
//!    time, and offers the user's operations (scale, set image, rollout undo, …).
//! 6. [`apply`] — `kubectl apply -f` and `create -f`: client-side apply with the last-applied annotation.
//! 7. [`kubectl`] — the kubectl engine: a command line in, stdout, stderr and an exit code out, as kubectl 1.35
//!    prints them. All of kubectl's wording lives here.
//! 8. [`scenario`], `server`, [`assist`] — `scenario`: recorded runs (actions at virtual times) that replay to any
//!    instant, share links, export, lessons and their checks, and the stage model the UI draws. `server` (native
//!    only): the simulated cluster behind the Kubernetes REST API over HTTP (`kubeplay cluster`), for real kubectl
//!    and other clients. `assist`: the editor's completion, field documentation, quick fixes and text edits.
//! 9. [`i18n`] — every text of the user interface, in English and Korean, from one catalogue.
//! 10. [`cli`], [`embed`], `ui` — the three faces: the native `kubeplay` program, the JavaScript API for other
//!     pages (wasm-bindgen exports on wasm32), and the Yew front end (wasm32 only).
//!
//! Nothing outside `ui` depends on yew, gloo, web-sys or js-sys; those crates are wasm32-only dependencies, except
//! that the native `prerender` feature (`cargo xtask dist` only) compiles `ui` to render the landing screen to HTML.

pub mod api;
pub mod apply;
pub mod assist;
pub mod cli;
pub mod cluster;
pub mod controllers;
pub mod embed;
pub mod i18n;
pub mod kubectl;
pub mod manifest;
pub mod net;
pub mod scenario;
#[cfg(not(target_arch = "wasm32"))]
pub mod server;
pub mod sim;
pub mod util;

#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod ui;
