#!/usr/bin/env bash
# The smile mirror's clip, docs/mirror.mp4, made from scratch: a rehearsal video of several people
# (scripts/mirror_rehearsal.py) stands in for the camera of a live headless community-wall, whose
# recorded set is rendered again. Only numbers are in the set: the clip shows the wall, never a face.
# Usage: scripts/mirror_clip.sh [CLIP [SET]]. LIVE_SIZE and LIVE_SECONDS set the live run (small by default: on a CPU-only machine the live show
# renders a few frames a second, and the replay renders exactly the frames it showed).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
live_size=${LIVE_SIZE:-160x90}
live_seconds=${LIVE_SECONDS:-20}
out=${1:-docs/mirror.mp4}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
set_file=${2:-$work/mirror.oscrec}  # a second argument keeps the recorded set there
"$python" scripts/mirror_rehearsal.py "$work/room.avi" --fps 5
# SIGTERM ends the show as Ctrl-C does, its set finished; timeout's 124 is that ending
timeout -s TERM "$live_seconds" "$python" -m neoterra_glow show community-wall --camera "$work/room.avi" --headless \
    --size "$live_size" --fps 24 --record-session "$set_file" --no-oscquery --osc-port 0 || [ $? -eq 124 ]
"$python" -m neoterra_glow render community-wall --replay "$set_file" -o "$out" --size 640x360
ls -l "$out"
