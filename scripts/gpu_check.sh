#!/usr/bin/env bash
# One command that checks neoterra-glow on a machine's GPU: the GL tests and the
# benchmarks, written as JSON and logs into a folder (\$OUT, else gpu-check/).
#
#   scripts/gpu_check.sh --prepare   # beforehand, with network: gathers .gpu/ (wheels, GL libraries)
#   scripts/gpu_check.sh             # on the GPU machine: no network, no display needed
#
# Venues often have an NVIDIA machine with no network and no display: .gpu/
# travels with the checkout and holds what such a machine lacks, the Python
# wheels for its Python (PYVER, default 3.12) and the GLVND loader libraries
# (libEGL, libOpenGL) that the NVIDIA driver plugs into. numpy and Pillow are
# left out unless GPU_CHECK_SKIP says otherwise, since CUDA images carry them.
# With no .gpu/ the check runs in .venv (scripts/setup.sh), on llvmpipe if
# that is what there is, so the script stays exercised on machines with no GPU.
set -uo pipefail
cd "$(dirname "$0")/.."
kit=.gpu

if [ "${1:-}" = "--prepare" ]; then
    set -e
    pyver=${PYVER:-3.12}
    skip=${GPU_CHECK_SKIP-numpy pillow}
    rm -rf "$kit" && mkdir -p "$kit/wheels" "$kit/debs"
    # Ray (the farm's tests) is left out: its wheels alone are more than a device run may carry; those tests skip there
    requirements=$(python3 -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(r for r in p["dependencies"] + p["optional-dependencies"]["test"] if not r.startswith("ray")))')
    platforms=()
    for tag in manylinux1 manylinux2014 manylinux_2_17 manylinux_2_24 manylinux_2_27 manylinux_2_28 manylinux_2_31 manylinux_2_34; do
        platforms+=(--platform "${tag}_x86_64")
    done
    python3 -m pip download -q --only-binary=:all: --python-version "$pyver" --implementation cp "${platforms[@]}" \
        -d "$kit/wheels" $requirements
    for name in $skip; do rm -f "$kit/wheels/$name"-*.whl; done
    lists=$(mktemp -d)
    apt=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
    mkdir -p "$lists/partial"
    apt-get "${apt[@]}" update -qq
    (cd "$kit/debs" && apt-get "${apt[@]}" download -qq libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
    du -sh "$kit"
    echo "gpu_check: ready; carry $kit with the checkout and run scripts/gpu_check.sh there"
    exit 0
fi

out=${OUT:-gpu-check}
mkdir -p "$out"
if [ -d "$kit/wheels" ]; then
    python=${PYTHON:-python3}
    if [ -d "$kit/debs" ] && [ "$(id -u)" -eq 0 ] && ! ldconfig -p | grep -q 'libEGL.so.1 '; then
        for deb in "$kit"/debs/*.deb; do dpkg -x "$deb" /; done
        ldconfig
    fi
    site=$(mktemp -d)
    "$python" -m pip install -q --no-index --no-deps --no-compile --target "$site" "$kit"/wheels/*.whl || exit 1
    export PYTHONPATH="$site:$PWD"
    vendor=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
    [ -f "$vendor" ] && export __EGL_VENDOR_LIBRARY_FILENAMES="$vendor"
else
    scripts/setup.sh --extras test libportaudio2 >&2 || exit 1
    python=.venv/bin/python
fi
export PYTHONUNBUFFERED=1

status=0
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv >"$out/nvidia-smi.csv" 2>/dev/null
"$python" -c 'from neoterra_glow.gpu.context import Headless, describe; print(describe(Headless().ctx))' \
    | tee "$out/device.txt" || status=1
if [ "${GPU_CHECK_TESTS:-1}" != 0 ]; then  # GPU_CHECK_TESTS=0: the bench's figures alone
    timeout "${GPU_CHECK_TEST_SECONDS:-300}" "$python" -m pytest -q -p no:cacheprovider tests \
        --junitxml "$out/tests.xml" 2>&1 | tee "$out/tests.log" | tail -15
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
fi
bench_args=${GPU_CHECK_BENCH_ARGS-}
[ -s "$out/nvidia-smi.csv" ] && bench_args+=" --gpu"  # 20M bots, the festival preset at 1080p and 4K
timeout "${GPU_CHECK_BENCH_SECONDS:-300}" "$python" scripts/bench.py $bench_args \
    >"$out/bench.json" 2>"$out/bench.log" || status=1
cat "$out/bench.json"
echo "gpu_check: figures in $out/ (status $status)"
exit $status
