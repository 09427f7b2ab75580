#!/usr/bin/env bash
# Sets up what neoterra-glow needs on a fresh Debian or Ubuntu machine:
# OpenGL through Mesa (llvmpipe works with no GPU), any extra Debian packages
# named as arguments (the tests ask for xvfb), and a virtual environment in .venv
# holding the package and, with `--extras test` (or live, ...), those extras.
#
#   scripts/setup.sh                          # the main job's environment: no test kit
#   scripts/setup.sh --extras test xvfb ...   # the tests' environment, and Debian packages
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
if [ "${1:-}" = "--extras" ]; then
    extras=${2:?"setup: --extras needs a name, such as test or live"}
    shift 2
fi
packages=(libegl1 libgl1 libegl-mesa0 libgl1-mesa-dri "$@")  # OpenGL through Mesa
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
# Reinstall only when the project's dependencies or the extras asked for changed.
stamp=.venv/.neoterra-installed${extras:+-$extras}
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".${extras:+[$extras]}"
    touch "$stamp"
fi
