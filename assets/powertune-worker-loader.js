// Starts the engine's worker (see src/worker.rs): wasm-bindgen's no-modules script, then its
// module. Written here rather than Trunk's loader shim, whose call is wasm-bindgen's deprecated form.
// The page's query (its build) goes on to both files, so a browser never runs cached ones from
// another release.
importScripts("./powertune-worker.js" + self.location.search);
wasm_bindgen({ module_or_path: "./powertune-worker_bg.wasm" + self.location.search });
