//! Mounts the powertune app. Build and serve with `scripts/serve.sh`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(powertune_web::App);
}
