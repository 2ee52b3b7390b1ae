#!/usr/bin/env bash
# Everything the tests need on a fresh Debian machine, then the tests:
# llama.cpp's llama-server with a small model (built once, cached), Chromium and
# playwright-core for the browser test, then `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v cmake >/dev/null || packages+=(cmake)
command -v pkg-config >/dev/null || packages+=(pkg-config)
# OpenH264's assembly: without it MP4 encoding takes about twice as long.
command -v nasm >/dev/null || packages+=(nasm)
if [ ${#packages[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${packages[@]}"
fi

bash scripts/browser-setup.sh
eval "$(bash scripts/llama-server.sh)"
cargo test "$@"
