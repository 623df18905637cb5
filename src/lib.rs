//! powertune's web app: AWS Lambda Power Tuning as a static page.
//!
//! The app only renders state and dispatches intents; every rule lives in `powertune-tuner`.
//! `main.rs` mounts [`App`]; tests mount it too.

mod app;
pub mod chart_drawing;
mod chart_labels;
mod components;
mod demo_data;
mod engine_worker;
pub mod form;
pub mod format;
mod history;
mod hooks;
mod journal;
mod json_text;
mod outcome;
mod pages;
mod post_message;
pub mod progress;
mod run;
mod session;
mod web_lock;
pub mod worker;
mod worker_protocol;

pub use app::App;

/// Runs the engine in the page instead of a Web Worker, for tests that mount [`App`] without
/// Trunk's files (the worker's script is one of them). Call it before mounting.
pub fn run_engine_in_page() {
    engine_worker::use_in_page(worker::connect_in_page);
}
