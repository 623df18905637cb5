#!/usr/bin/env bash
# Writes the README's screenshots (docs/screenshots/{light,dark,narrow,all-adaptive}.png) from the release
# build in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
. scripts/env.sh
trunk build --release
cargo test --locked -p powertune-e2e --test app readme_screenshots -- --ignored
