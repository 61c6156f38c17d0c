//! The Deployment controller (`pkg/controller/deployment`).

pub mod plan;
pub mod util;

#[cfg(test)]
mod tests;
