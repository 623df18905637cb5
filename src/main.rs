//! Mounts the powertune app. Build and serve with `scripts/serve.sh`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(powertune_web::App);
    // Mounting renders synchronously: this mark is the time to first render that
    // scripts/measure.py reports.
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("powertune-rendered");
    }
}
