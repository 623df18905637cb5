#!/usr/bin/env bash
# Attributes the release wasm's bytes to crates, as shipped (after wasm-bindgen and wasm-opt -Oz),
# with twiggy: the build is repeated keeping the function names that shipping strips.
#   scripts/size_by_crate.sh [TARGET_DIR]   # prints a Markdown table
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
target=${1:-target}
command -v twiggy >/dev/null || cargo install twiggy --locked --version 0.8.0
CARGO_TARGET_DIR=$target cargo build --release --locked -q --target wasm32-unknown-unknown \
  -p powertune-web --bin powertune-web
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --keep-debug --out-dir "$work" \
  "$target/wasm32-unknown-unknown/release/powertune-web.wasm"
tools/node_modules/.bin/wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals "$work/powertune-web_bg.wasm" -o "$work/opt.wasm"
twiggy top -n 1000000 -f csv "$work/opt.wasm" >"$work/top.csv"
python3 scripts/size_by_crate.py "$work/top.csv"
