#!/usr/bin/env bash
# Attributes the release wasm's bytes to crates, as shipped (after wasm-bindgen and wasm-opt -Oz),
# with twiggy: the build is repeated keeping the function names that shipping strips.
#   scripts/size_by_crate.sh [TARGET_DIR]   # prints a Markdown table, for the page's bundle
#   BIN=powertune-worker scripts/size_by_crate.sh   # for the engine's worker
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
target=${1:-target}
bin=${BIN:-powertune-web}
command -v twiggy >/dev/null || cargo install twiggy --locked --version 0.8.0
CARGO_TARGET_DIR=$target cargo build --release --locked -q --target wasm32-unknown-unknown \
  -p powertune-web --bin "$bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --keep-debug --out-dir "$work" \
  "$target/wasm32-unknown-unknown/release/$bin.wasm"
tools/node_modules/.bin/wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals "$work/${bin}_bg.wasm" -o "$work/opt.wasm"
twiggy top -n 1000000 -f csv "$work/opt.wasm" >"$work/top.csv"
python3 scripts/size_by_crate.py "$work/top.csv"
