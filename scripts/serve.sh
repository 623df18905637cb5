#!/usr/bin/env bash
# Builds the app (release) and serves it on http://127.0.0.1:8080 (PORT=… to change), sending
# the precompressed .br/.gz files as a static host would. The page starts in the in-browser demo
# account, so it works without an AWS account.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
. scripts/env.sh
trunk build --release
cargo build --release --locked -q -p powertune-e2e --bin serve-dist
exec target/release/serve-dist dist "127.0.0.1:${PORT:-8080}"
