//! The release build of the web app (`dist/`, from `trunk build --release`) driven as a person
//! would, in headless Chromium through Debian's chromedriver (WebDriver), served by a static
//! file server like any host would. Runs against the in-page demo account and against a real
//! `lambda-emulator` process over HTTP with SigV4. Every test ends with a screenshot in
//! `test-output/e2e/`.
//!
//! One binary, a module per concern: `share_links`, `cleanup`, `first_screen`, `adaptive`, `results_first`,
//! `screenshots`, `hidden_tab`, `main_thread`, `architectures`.

#[path = "../support/mod.rs"]
mod support;

mod adaptive;
mod architectures;
mod cleanup;
mod first_screen;
mod hidden_tab;
mod main_thread;
mod results_first;
mod screenshots;
mod share_links;
