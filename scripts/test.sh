#!/usr/bin/env bash
# The test suite on real OpenGL (Mesa llvmpipe with no GPU); window tests use Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh xvfb xauth xdotool
exec .venv/bin/python -m pytest "$@"
