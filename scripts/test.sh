#!/usr/bin/env bash
# Runs every check and test: formatting, lints (native and wasm32), the domain's boundaries,
# native tests, browser tests in headless Chromium, and a release build of the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
. scripts/env.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "formatting"
cargo fmt --all --check

step "lints (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "lints (wasm32)"
cargo clippy --target wasm32-unknown-unknown --locked -p powertune-web --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --locked -p powertune-tuner --lib -- -D warnings
cargo clippy --target wasm32-unknown-unknown --locked -p powertune-aws --all-targets -- -D warnings

step "the domain crate stays free of I/O and UI"
if cargo tree -p powertune-tuner -e normal --prefix none | grep -E '^(tokio|web-sys|leptos|js-sys|reqwest|hyper) '; then
  echo "powertune-tuner must not depend on I/O or UI crates" >&2
  exit 1
fi

step "release build of the app (dist/, which the end-to-end tests serve)"
trunk build --release

step "native tests (unit, engine on the simulation, CLI and AWS client against lambda-emulator and moto, the built app end to end in headless Chromium)"
# The integration tests start these binaries as separate processes.
cargo build --workspace --bins --locked
cargo test --workspace --locked
echo "end-to-end screenshots: test-output/e2e/"

step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --target wasm32-unknown-unknown --locked -p powertune-web --test web
# The AWS client's fetch transport, signing requests that a lambda-emulator verifies.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export POWERTUNE_TEST_ENDPOINT="http://127.0.0.1:$port"
export POWERTUNE_TEST_KEY_ID=ASIATESTBROWSER12345
export POWERTUNE_TEST_SECRET=browser-test-secret-0000000000000000000000
export POWERTUNE_TEST_TOKEN=browser-test-token
target/debug/lambda-emulator --port "$port" --time-scale 0.01 --access-key-id "$POWERTUNE_TEST_KEY_ID" \
  --secret-access-key "$POWERTUNE_TEST_SECRET" --session-token "$POWERTUNE_TEST_TOKEN" >/dev/null 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
cargo test --target wasm32-unknown-unknown --locked -p powertune-aws --test browser

echo
echo "all checks passed"
