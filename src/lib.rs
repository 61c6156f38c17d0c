//! kubeplay: a Kubernetes playground that runs entirely in the browser.
//!
//! The crate is layered (see `ARCHITECTURE.md`); each module uses only the ones listed above it here:
//!
//! - [`cluster`]: the foundations of the simulated cluster: the virtual clock with its timer queue and the seeded
//!   random generator. All time and all randomness in the simulator come from these two.
//! - [`i18n`]: every text of the user interface, in English and Korean, from one catalogue.
//! - [`scenario`]: recorded runs (user actions at virtual times) that replay to any instant.
//! - [`cli`]: the native `kubeplay` command-line program.
//! - [`embed`]: the JavaScript API for other pages (wasm-bindgen exports on wasm32).
//! - `ui` (wasm32 only): the Yew front end.
//!
//! Nothing outside `ui` depends on yew, gloo, web-sys or js-sys; those crates are wasm32-only dependencies.

pub mod api;
pub mod apply;
pub mod cli;
pub mod cluster;
pub mod controllers;
pub mod embed;
pub mod i18n;
pub mod kubectl;
pub mod manifest;
pub mod net;
pub mod scenario;
pub mod sim;

#[cfg(target_arch = "wasm32")]
pub mod ui;
