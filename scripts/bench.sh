#!/usr/bin/env bash
# Benchmarks, each printing a Markdown table for the README:
#   scripts/bench.sh            # the engine's pipelining against lambda-emulator (6 sizes × 50
#                               # parallel invocations, 1 s configuration updates), then the web
#                               # app's release build: size and time to first render
#   scripts/bench.sh adaptive   # adaptive sampling against the grid on the same samples, judged
#                               # on held-out truth (and the model's, where known): real
#                               # measurements (data/lambda-benchmark, REPLAY_SEEDS splits),
#                               # synthetic (REPLAY_SYNTHETIC) and quiet (REPLAY_QUIET) profiles;
#                               # the targets met or not, with the paired misses and their sign
#                               # test; accuracy over num = 5, 10, 20, 50; each
#                               # real function's picks judged on the grid's own measurements;
#                               # then the ceiling: picks made from every seen call of every size;
#                               # ADAPTIVE_<SETTING> (see tests/replay/judge.rs) sweeps a setting;
#                               # REPLAY_INSTANT=1 ends every call at once (as lambda-emulator
#                               # --time-scale 0 replays), so calls finish in the order asked;
#                               # REPLAY_DRAW=1 draws the model families from other seeds
#   scripts/bench.sh hidden     # a demo run and a run against lambda-emulator, each in a visible
#                               # and in a hidden tab of headless Chromium with Chrome's throttling
#                               # of hidden pages forced on (needs the release build in dist/)
#   scripts/bench.sh main-thread  # the page's long tasks (> 50 ms) during a 46-size adaptive demo
#                               # run and while its results render (needs dist/ too)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
if [ "${1:-}" = hidden ]; then
  POWERTUNE_E2E_REQUIRED=1 cargo test --locked -q -p powertune-e2e --test app hidden_tab_timing -- \
    --ignored --nocapture | grep '^|'
  exit 0
fi
if [ "${1:-}" = main-thread ]; then
  POWERTUNE_E2E_REQUIRED=1 cargo test --locked -q -p powertune-e2e --test app long_tasks_during_a_run -- \
    --ignored --nocapture | grep '^|'
  exit 0
fi
if [ "${1:-}" = adaptive ]; then
  cargo test --release --locked -q -p powertune-tuner --test integration replay_benchmark -- --ignored --nocapture |
    grep '^|'
  echo
  cargo test --release --locked -q -p powertune-tuner --test integration replay_table -- --ignored --nocapture |
    grep '^|'
  echo
  cargo test --release --locked -q -p powertune-tuner --test integration regret_ceiling -- --ignored --nocapture |
    grep '^|'
  exit 0
fi
cargo build --release --locked -p lambda-emulator -p powertune-cli
python3 scripts/bench_pipeline.py "$@"
scripts/setup.sh build
. scripts/env.sh
trunk build --release
python3 scripts/measure.py
