//! The pure domain of AWS Lambda power tuning.
//!
//! This crate knows everything about a power-tuning run that can be computed without touching
//! the network, the DOM or a clock: it reads the original tool's execution input
//! ([`input`]), turns it into the versions and aliases to create ([`plan`]), expands payloads
//! ([`payload`]), reads `REPORT` lines out of log tails ([`logs`]), computes statistics
//! ([`stats`]) and prices ([`pricing`]), picks the optimal memory size ([`strategy`]), models a
//! run's result ([`result`]), builds the original tool's output object ([`output`]) and encodes
//! results as share links ([`share`]). The [`engine`] runs a session against any [`api::LambdaApi`],
//! measuring what a [`sampling`] policy asks for; [`sim`] is an in-memory Lambda for the demo
//! account and tests.
//!
//! It has no I/O dependency on purpose: the web app (wasm32), the CLI and the emulator all build
//! on it, and every rule here is tested natively with plain `cargo test`. Behaviour follows the
//! original tool (alexcasalboni/aws-lambda-power-tuning 4.4.0) unless a module documents a
//! deliberate improvement.
#![deny(missing_docs)]

pub mod alias;
pub mod api;
pub mod arn;
pub mod cancel;
pub mod clock;
pub mod engine;
pub mod export;
pub mod failure;
pub mod fixtures;
pub mod input;
pub mod journal;
pub mod logs;
pub mod memory;
pub mod money;
pub mod monthly;
pub mod noise;
pub mod order;
pub mod output;
pub mod payload;
pub mod plan;
pub mod platform;
pub mod prediction;
pub mod pricing;
pub mod result;
pub mod sampling;
pub mod share;
pub mod sim;
pub mod stats;
pub mod strategy;
pub mod traffic;

pub use arn::FunctionArn;
pub use input::{FieldError, InputErrors, ParsedInput, TuningInput, parse_input};
pub use memory::MemoryMb;
pub use strategy::Strategy;
