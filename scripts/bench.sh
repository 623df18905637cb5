#!/usr/bin/env bash
# Benchmarks the engine's pipelining: 6 sizes × 50 parallel invocations against lambda-emulator
# with 1 s configuration updates and invocations that take their modelled time. Prints the wall
# time and its ratio to the critical path and to the original tool's phase-serial schedule.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
cargo build --release --locked -p lambda-emulator -p powertune-cli
exec python3 scripts/bench_pipeline.py "$@"
