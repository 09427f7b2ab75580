#!/usr/bin/env bash
# The main job: the default preset in a window where there is a display,
# otherwise an 8-second clip of it in renders/default.mp4. Arguments go to
# neoterra-glow, so `scripts/run.sh render festival -o clip.mp4` works too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/neoterra-glow "$@"
