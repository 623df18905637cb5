# Sourced by the scripts: puts the project's tools first on PATH.
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tools/node_modules/.bin:$PATH"
export PATH
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
