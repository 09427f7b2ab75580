#!/usr/bin/env bash
# The main job: the default preset in a window where there is a display,
# otherwise an 8-second clip of it in renders/default.mp4. Arguments go to
# neoterra-glow, so `scripts/run.sh render festival -o clip.mp4` works too.
# It runs in the folder it is called from, so relative paths are the caller's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
exec "$root/.venv/bin/neoterra-glow" "$@"
