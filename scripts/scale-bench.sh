#!/usr/bin/env bash
# How `benchanim data` and `render` grow with the size of a chart: a bar chart whose `rows_from`
# yields N levels (one result file each) and a line over a series section of M points, at two
# sizes each. Beside each, the baseline measured in the same run: `benchanim report` over the
# same files (reading and collating them). A cost that grows linearly keeps the ratio flat.
#
# Usage: scripts/scale-bench.sh [LEVELS] [POINTS]     (default 10000 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
levels="${1:-10000}"
points="${2:-200000}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" "$levels" "$points" <<'PY'
import os, random, sys
root, levels, points = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(1)
os.makedirs(f"{root}/scenes")
for n in (levels // 10, levels):
    folder = f"{root}/bars{n}/G"
    os.makedirs(folder)
    for i in range(n):
        ts = f"20260101_{i // 3600 % 24:02d}{i // 60 % 60:02d}{i % 60:02d}"
        ts = f"2026{1 + i // 86400:02d}01" + ts[8:]
        with open(f"{folder}/vLLM_G_m_{ts}.csv", "w") as f:
            f.write(f"metric,value,unit\nbatch_size,{i},\noutput_token_throughput,{i % 97}.5,tok/s\n")
    with open(f"{root}/scenes/bars{n}.toml", "w") as f:
        f.write('title = "T"\nsubtitle = "S"\nmetric = "output_token_throughput"\n'
                'benchmark = "vLLM_m"\nrows_from = { field = "batch_size" }\n'
                '[[series]]\nlabel = "G"\ngpu = "G"\n')
for n in (points // 10, points):
    os.makedirs(f"{root}/line{n}/G")
    with open(f"{root}/line{n}/G/vLLM_G_pts_20260101_000000.csv", "w") as f:
        f.write("metric,value,unit\noutput_token_throughput,1,tok/s\n\n# series latency_ms by iteration\n")
        for i in range(n):
            f.write(f"{i},{random.random() * 100:.3f},ms\n")
    with open(f"{root}/scenes/line{n}.toml", "w") as f:
        f.write('kind = "line"\ntitle = "T"\nsubtitle = "S"\nbenchmark = "vLLM_pts"\n'
                'metric = "latency_ms"\nx = { section = "latency_ms" }\n'
                '[[series]]\nlabel = "G"\ngpu = "G"\n')
PY

cargo build --release --quiet
bin=target/release/benchanim
# A render refused (a chart of more rows than the frame holds) is timed as the refusal.
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>> "$dir/stderr.log" || true; t1=$(date +%s.%N); awk "BEGIN { print $t1 - $t0 }"; }

printf '%-16s %10s %12s %10s %10s %10s\n' chart "data (s)" "render (s)" "report (s)" "data/rep" "rend/rep"
for chart in "bars$((levels / 10))" "bars$levels" "line$((points / 10))" "line$points"; do
    results="$dir/$chart"
    d=$(seconds "$bin" data "$chart" --scenes "$dir/scenes" --results "$results")
    v=$(seconds "$bin" render "$chart" --scenes "$dir/scenes" --results "$results" \
        --out "$dir/renders" -q l --format png)
    r=$(seconds "$bin" report --results "$results")
    printf '%-16s %10.2f %12.2f %10.2f %10.2f %10.2f\n' "$chart" "$d" "$v" "$r" \
        "$(awk "BEGIN { print $d / $r }")" "$(awk "BEGIN { print $v / $r }")"
done
