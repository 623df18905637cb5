// Starts the engine's worker (see src/worker.rs): wasm-bindgen's no-modules script, then its
// module. Written here rather than Trunk's loader shim, whose call is wasm-bindgen's deprecated form.
importScripts("./powertune-worker.js");
wasm_bindgen({ module_or_path: "./powertune-worker_bg.wasm" });
