//! The tuner's integration tests, one binary with a module per area (as ripgrep's `tests/`):
//! the engine on the in-process simulation, its faults and chaos, the platform's refusals,
//! sampling policies, adaptive sampling on replayed measurements and its benchmark, and
//! property tests. `support` is the world they run in.

mod support;

mod adaptive;
mod adaptive_policy;
mod chaos;
mod concurrent_start;
mod copies;
mod engine;
mod engine_faults;
mod engine_optimize;
mod platform;
mod properties;
mod replay;
mod sampling;
