#!/usr/bin/env bash
# Benchmarks the engine's pipelining: 6 sizes × 50 parallel invocations against lambda-emulator
# with 1 s configuration updates and invocations that take their modelled time. Prints the wall
# time and its ratio to the critical path and to the original tool's phase-serial schedule.
# Then measures the web app's release build: size (raw, gzipped) and time to first render.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
cargo build --release --locked -p lambda-emulator -p powertune-cli
python3 scripts/bench_pipeline.py "$@"
scripts/setup.sh build
. scripts/env.sh
trunk build --release
python3 scripts/measure.py
