//! The engine's worker (see `powertune_web::worker`): the page starts it when it first needs
//! the engine or the AWS SDK.

fn main() {
    console_error_panic_hook::set_once();
    powertune_web::worker::serve();
}
