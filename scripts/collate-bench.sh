#!/usr/bin/env bash
# Times `benchanim report` over 10,000 generated result files (500 benchmarks × 2 GPUs × 10 runs),
# beside a baseline in the same run: reading the same files with `cat`.
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-10000}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" "$files" <<'PY'
import os, sys
root, total = sys.argv[1], int(sys.argv[2])
gpus = ["NVIDIA_GB10", "NVIDIA_GeForce_RTX_4090"]
for n in range(total):
    gpu = gpus[n % 2]
    bench, run = (n // 2) % (total // 20 or 1), n // (total // 10 or 1)
    os.makedirs(f"{root}/{gpu}", exist_ok=True)
    ts = f"202601{1 + run % 28:02d}_{n % 24:02d}{n % 60:02d}00"
    with open(f"{root}/{gpu}/vLLM_{gpu}_model_{bench}_samples_100_{ts}.csv", "w") as f:
        f.write(f"metric,value,unit\ndevice_sanitized,{gpu},\nmodel,org/model-{bench},\ntimestamp,{ts},\n"
                "num_prompts,100,\nimage_bucket,\"512x512(20%) 720x1280(30%)\",\n"
                f"benchmark_duration,{100 + n % 97}.25,s\ntotal_input_tokens,\"1,000,{n % 1000:03d}\",tokens\n"
                f"output_token_throughput,{200 + n % 89}.50,tok/s\ntotal_token_throughput,{1700 + n % 71}.38,tok/s\n"
                "ttft_mean,714.11,ms\nttft_p99,3255.84,ms\ntpot_mean,64.00,ms\nitl_p99,438.93,ms\n"
                "\n# Per-bucket metrics\nbucket_a_count,31,requests\n")
PY

cargo build --release --quiet
bin=target/release/benchanim
echo "$(find "$dir" -name '*.csv' | wc -l) result files in $dir"
python3 - "$bin" "$dir" "$files" <<'PY'
import glob, subprocess, sys, time
bin, root, files = sys.argv[1:]
def timed(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start
paths = sorted(glob.glob(f"{root}/*/*.csv"))
baseline = min(timed(["cat", *chunk]) for chunk in [paths] for _ in range(3))
report = min(timed([bin, "report", "--results", root]) for _ in range(3))
print(f"report over {files} files: {report:.3f} s (best of 3)")
print(f"baseline, cat of the same files: {baseline:.3f} s; report / cat = {report / baseline:.1f}x")
PY
