#!/usr/bin/env bash
# Chaos runs of the engine (crates/tuner/tests/chaos.rs): SEEDS random inputs and fault schedules
# on the simulation (default 10,000), each with one invariant: nothing left behind, nothing else
# touched, $LATEST restored, every error named. Exits non-zero on any violation; the last line is
# the summary (seeds, violations, how runs ended, time). A failing seed prints the command that
# replays it alone:  CHAOS_FIRST=<seed> CHAOS_SEEDS=1 scripts/chaos.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
export CHAOS_SEEDS="${1:-${CHAOS_SEEDS:-10000}}"
export CHAOS_FIRST="${CHAOS_FIRST:-0}"
cargo test --release --locked -q -p powertune-tuner --test integration chaos_seeds -- --ignored --nocapture 2>&1 |
  grep -v '^$' | grep -v '^running ' | grep -v '^test result' | grep -v '^\.$'
