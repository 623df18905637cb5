#!/usr/bin/env bash
# Builds the app (release) and serves it on http://127.0.0.1:8080 (PORT=… to change).
# The page starts in the in-browser demo account, so it works without an AWS account.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
. scripts/env.sh
exec trunk serve --release --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
