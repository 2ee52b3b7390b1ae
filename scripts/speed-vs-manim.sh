#!/usr/bin/env bash
# How much faster than manim `benchanim render` is on the nine reference scenes at `-q h`,
# writing MP4, GIF and PNG.
#
# manim rendered these nine scenes (MP4 only) in 240.2 s on 2026-12-07, on a machine where the
# calibration below (x264 `-preset veryfast` encoding 300 frames of 1080p60 test pattern) took
# 7.05 s, measured the same day. The calibration runs here just before and after the renders;
# scaled by it, manim's time becomes what it would take on this machine, and the speed-up is
# that over our wall time:
#
#     speed-up = 240.2 × (calibration here / 7.05) ÷ wall time
#
# To compare against manim timed on another machine, time its nine renders and this script's
# calibration there, one right after the other, and pass the pair as MANIM_SECONDS and
# MANIM_CALIBRATION. With manim timed on this very machine, the calibration still corrects for
# a load that changed in between.
#
# usage: scripts/speed-vs-manim.sh [default] [x264]
#   default  the default build (OpenH264)
#   x264     the build with `--features ffmpeg`, rendering with `--encoder x264`
# With no argument: default, then x264 when the FFmpeg development files are installed.
# RUNS=N repeats each render N times (default 3) and reports the fastest and the median.
# BIN=path times that binary instead of building (one build named, e.g. an older version).
# Besides wall time, `render --timings` reports the CPU time of each run: steadier than wall
# time when other work shares the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

MANIM_SECONDS="${MANIM_SECONDS:-240.2}"
MANIM_CALIBRATION="${MANIM_CALIBRATION:-7.05}"
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
# Without nasm the openh264 crate builds OpenH264 without its assembly: MP4s take twice as long.
command -v nasm >/dev/null || echo "warning: no nasm; OpenH264 is built without its assembly" >&2

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
        timings=$("$bin" render "${SCENES[@]}" -q h --format mp4,gif,png "${encoder[@]}" \
            --timings --quiet --out "$out")
        wall=$(echo "$(now) - $start" | bc -l)
        walls+=("$wall")
        printf 'run %d: %.2f s wall, %s\n' "$run" "$wall" \
            "$(grep -o '[0-9.]* s CPU' <<<"$timings" || echo 'CPU time not reported')"
    done
    printf 'MP4 sizes: %s bytes in all\n' "$(cat "$out"/*.mp4 | wc -c)"
    after=$(calibrate)
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    sorted=($(printf '%s\n' "${walls[@]}" | sort -g))
    best=${sorted[0]}
    median=${sorted[$(( ${#sorted[@]} / 2 ))]}
    calibration=$(echo "($before + $after) / 2" | bc -l)
    manim_here=$(echo "$MANIM_SECONDS * $calibration / $MANIM_CALIBRATION" | bc -l)
    printf 'calibration: %.2f s before, %.2f s after (manim machine: %.2f s)\n' \
        "$before" "$after" "$MANIM_CALIBRATION"
    printf 'manim on this machine: %.1f s\n' "$manim_here"
    printf 'wall: best %.2f s, median %.2f s of %d\n' "$best" "$median" "${#walls[@]}"
    printf 'speed-up: %.2fx (best), %.2fx (median)\n' \
        "$(echo "$manim_here / $best" | bc -l)" "$(echo "$manim_here / $median" | bc -l)"
done
