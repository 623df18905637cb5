//! powertune's web app: AWS Lambda Power Tuning as a static page.
//!
//! The app only renders state and dispatches intents; every rule lives in `powertune-tuner`.
//! `main.rs` mounts [`App`]; tests mount it too.

mod app;
mod backend;
pub mod chart_drawing;
mod chart_labels;
mod components;
mod demo_data;
pub mod form;
pub mod format;
mod history;
mod hooks;
mod journal;
mod pages;
pub mod progress;
mod run;
mod session;
mod web_lock;

pub use app::App;
