#!/usr/bin/env bash
# How much faster than manim `benchanim render` is on the nine reference scenes at `-q h`,
# writing MP4, GIF and PNG.
#
# manim rendered these nine scenes in 118.5 s on a machine where the calibration below (x264
# encoding 300 frames of 1080p60 test pattern) took 3.2 s. The calibration runs here just
# before and after the renders; scaled by it, manim's time becomes what it would take on this
# machine, and the speed-up is that over our wall time:
#
#     speed-up = 118.5 × (calibration here / 3.2) ÷ wall time
#
# usage: scripts/speed-vs-manim.sh [default] [x264]
#   default  the default build (OpenH264)
#   x264     the build with `--features ffmpeg`, rendering with `--encoder x264`
# With no argument: default, then x264 when the FFmpeg development files are installed.
# RUNS=N repeats each render N times (default 3) and reports the fastest and the median.
# BIN=path times that binary instead of building (one build named, e.g. an older version).
set -euo pipefail
cd "$(dirname "$0")/.."

MANIM_SECONDS=118.5
MANIM_CALIBRATION=3.2
SCENES=(image_generation llamacpp_input llamacpp_output llamacpp_vs_vllm_input
        llamacpp_vs_vllm_output llm_finetune object_detection vllm_input vllm_output)
RUNS="${RUNS:-3}"
target="${CARGO_TARGET_DIR:-target}"

builds=("$@")
if [ ${#builds[@]} -eq 0 ]; then
    builds=(default)
    if pkg-config --exists libavcodec libavformat libavutil libswscale 2>/dev/null; then
        builds+=(x264)
    fi
fi
command -v ffmpeg >/dev/null || { echo "the calibration needs the ffmpeg command" >&2; exit 1; }
command -v bc >/dev/null || { echo "the arithmetic needs bc" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

now() { date +%s.%N; }

calibrate() {
    local start
    start=$(now)
    ffmpeg -loglevel error -f lavfi -i testsrc2=size=1920x1080:rate=60 -frames:v 300 \
        -c:v libx264 -preset veryfast -f null -
    echo "$(now) - $start" | bc -l
}

for build in "${builds[@]}"; do
    case "$build" in
        default) features=(); encoder=(); bin_dir="$target/release" ;;
        x264) features=(--features ffmpeg); encoder=(--encoder x264); bin_dir="$target/release-ffmpeg" ;;
        *) echo "unknown build \`$build\`; expected default or x264" >&2; exit 2 ;;
    esac
    if [ -n "${BIN:-}" ]; then
        bin="$BIN"
    else
        cargo build --release --quiet "${features[@]}"
        # Both builds share the release folder: keep a copy of each binary under its own name.
        mkdir -p "$bin_dir"
        [ "$bin_dir" = "$target/release" ] || cp "$target/release/benchanim" "$bin_dir/benchanim"
        bin="$bin_dir/benchanim"
    fi

    echo "== $build build${encoder:+, ${encoder[*]}}: ${#SCENES[@]} scenes at -q h, MP4+GIF+PNG"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
    before=$(calibrate)
    walls=()
    for run in $(seq "$RUNS"); do
        rm -rf "${out:?}"/*
        start=$(now)
        "$bin" render "${SCENES[@]}" -q h --format mp4,gif,png "${encoder[@]}" --quiet --out "$out"
        wall=$(echo "$(now) - $start" | bc -l)
        walls+=("$wall")
        printf 'run %d: %.2f s\n' "$run" "$wall"
    done
    after=$(calibrate)
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    sorted=($(printf '%s\n' "${walls[@]}" | sort -g))
    best=${sorted[0]}
    median=${sorted[$(( ${#sorted[@]} / 2 ))]}
    calibration=$(echo "($before + $after) / 2" | bc -l)
    manim_here=$(echo "$MANIM_SECONDS * $calibration / $MANIM_CALIBRATION" | bc -l)
    printf 'calibration: %.2f s before, %.2f s after (manim machine: %.1f s)\n' \
        "$before" "$after" "$MANIM_CALIBRATION"
    printf 'manim on this machine: %.1f s\n' "$manim_here"
    printf 'wall: best %.2f s, median %.2f s of %d\n' "$best" "$median" "${#walls[@]}"
    printf 'speed-up: %.2fx (best), %.2fx (median)\n' \
        "$(echo "$manim_here / $best" | bc -l)" "$(echo "$manim_here / $median" | bc -l)"
done
