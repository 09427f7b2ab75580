#!/usr/bin/env bash
# The test suite on real OpenGL (Mesa llvmpipe with no GPU); window tests use Xvfb.
# The linter (ruff) and the type checker (mypy) run first, both set up in pyproject.toml: the tree is kept clean.
set -euo pipefail
cd "$(dirname "$0")/.."
# the test kit, and a window (Xvfb; Xorg's dummy driver for two monitors), a sound card, MIDI, LTC, a browser, PipeWire and strace, with no hardware
scripts/setup.sh --extras test libportaudio2 xvfb xauth xdotool xserver-xorg-core xserver-xorg-video-dummy x11-xserver-utils \
    pulseaudio pulseaudio-utils libasound2-plugins jackd2 libltc11 chromium pipewire gstreamer1.0-pipewire gstreamer1.0-tools strace
.venv/bin/ruff check .
.venv/bin/python -m mypy --cache-dir "${TMPDIR:-/tmp}/neoterra-glow-mypy-$(pwd | cksum | cut -d' ' -f1)"  # its cache out of the tree, one per checkout
exec .venv/bin/python -m pytest "$@"
