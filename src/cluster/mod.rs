//! The foundations every controller builds on: one virtual clock and one seeded random generator.
//!
//! **Invariant:** nothing in the simulator reads the wall clock or an operating-system random source. Time is read
//! only from [`clock::Clock`]; randomness only from [`rng::Rng`]. The same inputs and seed therefore give the same
//! run, byte for byte, which the tests, share links and rewind depend on.

pub mod clock;
pub mod rng;
