#!/usr/bin/env bash
# Renders every example folder's scenes from the results they chart, each into
# renders/examples/<example>/ (MP4, GIF and PNG per chart, and a gallery). Extra arguments go to
# `benchanim render` (e.g. `-q l` for quick previews).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet
benchanim=target/release/benchanim

# example folder, and the results its scenes chart
while read -r example results; do
    echo "== examples/$example (results: $results)" >&2
    "$benchanim" render --all --scenes "examples/$example/scenes" --results "$results" \
        --out "renders/examples/$example" "$@"
done <<'LIST'
cpu-sweep examples/cpu-sweep/benchmark_results
aiperf-cpu examples/aiperf-cpu/benchmark_results
compare benchmark_results
model-comparison tests/fixtures/compare
exo tests/fixtures/exo-results
multitenant tests/fixtures/multitenant-results
multitenant-cpu examples/multitenant-cpu/benchmark_results
LIST
