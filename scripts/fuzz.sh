#!/usr/bin/env bash
# Fuzzing every parser of untrusted text (crates/emulator/tests/fuzz.rs): INPUTS_PER_PARSER
# structure-aware mutations of valid samples per target (default 100,000): the execution input,
# credential pastes, REPORT log tails, share links, ARNs and S3 locations, and lambda-emulator's
# request handling. Exits non-zero on any panic or broken round trip; the last line is the
# summary (targets, inputs, violations, slowest input, time).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
export FUZZ_INPUTS="${1:-${FUZZ_INPUTS:-100000}}"
cargo test --release --locked -q -p lambda-emulator --test fuzz fuzz_inputs -- --ignored --nocapture 2>&1 |
  grep -v '^$' | grep -v '^running ' | grep -v '^test result' | grep -v '^\.$'
