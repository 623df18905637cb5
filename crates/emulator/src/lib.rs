//! A Lambda-REST-compatible HTTP server over powertune's simulated Lambda service, with SigV4
//! checks and CORS as AWS answers them. The binary (`lambda-emulator`) serves [`routes::app`];
//! tests drive the same router in-process.
#![deny(missing_docs)]

pub mod actor;
pub mod cloudwatch;
pub mod config;
pub mod control;
mod copies;
pub mod errors;
pub mod middleware;
pub mod routes;
pub mod sigv4;
pub mod state;
pub mod wire;
