#!/usr/bin/env bash
# Sets up what neoterra-glow needs on a fresh Debian or Ubuntu machine:
# OpenGL through Mesa (llvmpipe works with no GPU), PortAudio, any extra Debian packages
# named as arguments (the tests ask for xvfb), and a virtual environment in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libegl1 libgl1 libegl-mesa0 libgl1-mesa-dri libportaudio2 "$@")  # OpenGL, and PortAudio for live sound
python3 -m venv --help >/dev/null 2>&1 || packages+=(python3-venv)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    if ! command -v apt-get >/dev/null; then
        echo "setup: please install ${missing[*]} (OpenGL through Mesa) with your package manager" >&2
    else
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        echo "setup: installing ${missing[*]}" >&2
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
# Reinstall only when the project's dependencies changed.
stamp=.venv/.neoterra-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    touch "$stamp"
fi
