//! The Deployment controller (`pkg/controller/deployment`).

pub mod plan;
pub mod util;

pub mod sync;
#[cfg(test)]
mod tests;
