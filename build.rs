//! `POWERTUNE_BUILD`: one id for the page's bundle and the engine's worker of the same build (a
//! hash of the sources both are compiled from), so the page can tell a worker from another
//! release (the worker's files keep their names; see `src/worker_protocol.rs`).

use std::{
    hash::{DefaultHasher, Hash as _, Hasher as _},
    path::Path,
};

const SOURCES: [&str; 5] = [
    "src",
    "crates/tuner/src",
    "crates/aws/src",
    "Cargo.lock",
    "assets/powertune-worker-loader.js",
];

fn hash_tree(path: &Path, hasher: &mut DefaultHasher) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for entry in entries {
            hash_tree(&entry, hasher);
        }
    } else if let Ok(bytes) = std::fs::read(path) {
        path.hash(hasher);
        bytes.hash(hasher);
    }
}

fn main() {
    let mut hasher = DefaultHasher::new();
    for source in SOURCES {
        println!("cargo:rerun-if-changed={source}");
        hash_tree(Path::new(source), &mut hasher);
    }
    println!("cargo:rustc-env=POWERTUNE_BUILD={:016x}", hasher.finish());
}
