#!/usr/bin/env bash
# How the peak memory of `benchanim import` grows with the number of files imported: each
# folder importer (and `import table` given the files) over 100, 1,000 and 3,000 sources made
# from the test fixtures, each source a distinct run. Prints each import's peak resident memory
# (the kernel's accounting of that one process) and its ratio to the 100-file import: an
# importer that holds one source at a time keeps the ratio near 1.
#
# Usage: scripts/import-memory.sh [COUNTS...]     (default 100 1000 3000)
#        BENCHANIM=target/debug/benchanim scripts/import-memory.sh   (a binary already built)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BENCHANIM:-}" ]; then
    cargo build --release --quiet
    BENCHANIM=target/release/benchanim
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$BENCHANIM" "$dir" "${@:-100 1000 3000}" <<'PY'
import json, os, shutil, subprocess, sys, time

bin, root = sys.argv[1], sys.argv[2]
counts = [int(c) for arg in sys.argv[3:] for c in arg.split()]
fixtures = "tests/fixtures"


def stamp(i):
    """A distinct second per source: HHMMSS, and a day for every 86,400."""
    return f"{i // 3600 % 24:02d}{i // 60 % 60:02d}{i % 60:02d}"


def json_copy(src, dst, edit):
    with open(f"{fixtures}/{src}") as f:
        value = json.load(f)
    edit(value)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "w") as f:
        json.dump(value, f)


def vllm(base, n):
    for i in range(n):
        def edit(v, i=i):
            v["date"] = f"202602{1 + i // 86400:02d}-{stamp(i)}"
        json_copy("vllm_bench_serve.json", f"{base}/r{i}/run=1.json", edit)
    return [base]


def llm_on_ray(base, n):
    src = "llm_on_ray/choice_1/bs_1/summary_20240101-000001.json"
    for i in range(n):
        def edit(v, i=i):
            v["copy"] = i
        json_copy(src, f"{base}/choice_1/bs_{i + 1}/summary_202401{1 + i // 86400:02d}-{stamp(i)}.json",
                  edit)
    return [base, "--model", "m"]


def sweep_configs(base, n):
    src = "sweep_configs/Qwen_Qwen3-4B/run_20250612_101500/benchmark_results.json"
    for i in range(n):
        def edit(v, i=i):
            v["copy"] = i
        json_copy(src, f"{base}/M/run_202506{1 + i // 86400:02d}_{stamp(i)}/benchmark_results.json", edit)
    return [base]


def genai_perf(base, n):
    src = "aiperf/artifacts/concurrency_1/profile_export_aiperf.json"
    for i in range(n):
        def edit(v, i=i):
            s = stamp(i)
            v["start_time"] = f"2026-01-{1 + i // 86400:02d}T{s[:2]}:{s[2:4]}:{s[4:]}"
        json_copy(src, f"{base}/c{i}/profile_export_aiperf.json", edit)
    return [base]


def multitenant(base, n):
    src = f"{fixtures}/multitenant/mps_3_distilgpt2"
    for i in range(n):
        shutil.copytree(src, f"{base}/e{i}")
        path = f"{base}/e{i}/config.yaml"
        with open(path) as f:
            text = f.read().replace("experiment_name: mps_3_distilgpt2", f"experiment_name: e{i}")
        with open(path, "w") as f:
            f.write(text)
    return [base]


def results(base, n):
    os.makedirs(f"{base}/G")
    for i in range(n):
        with open(f"{base}/G/vLLM_G_m_202601{1 + i // 86400:02d}_{stamp(i)}.csv", "w") as f:
            f.write(f"metric,value,unit\nbatch_size,{i},\noutput_token_throughput,{i % 97}.5,tok/s\n")
    return [base]


def table(base, n):
    with open(f"{fixtures}/exo/benchmark_results.csv") as f:
        text = f.read()
    os.makedirs(base)
    files = []
    for i in range(n):
        path = f"{base}/results_202504{1 + i // 86400:02d}_{stamp(i)}.csv"
        with open(path, "w") as f:
            f.write(text.replace("3.21356572641022", f"3.{i:06d}", 1))
        files.append(path)
    return files + ["--group-by", "model"]


importers = [
    ("vllm-json", vllm), ("llm-on-ray", llm_on_ray), ("sweep-configs", sweep_configs),
    ("genai-perf", genai_perf), ("multitenant", multitenant), ("results", results),
    ("table", table),
]


def measured(args):
    """Peak resident memory (MB) and seconds of one run of `args`, which must succeed."""
    with open(f"{root}/stderr.log", "w") as log:
        start = time.monotonic()
        child = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args[:4])}… failed:\n{open(f'{root}/stderr.log').read()[-2000:]}")
    return usage.ru_maxrss / 1024, seconds


print(f"{'importer':<14} {'files':>6} {'peak RSS (MB)':>14} {'vs first':>9} {'seconds':>8}")
for name, lay_out in importers:
    first = None
    for n in counts:
        base = f"{root}/{name}{n}"
        sources = lay_out(f"{base}/from", n)
        args = [bin, "import", name, *sources, "--results", f"{base}/results"]
        if name != "results":
            args += ["--gpu-name", "G"]
        peak, seconds = measured(args)
        first = first or peak
        print(f"{name:<14} {n:>6} {peak:>14.1f} {peak / first:>9.2f} {seconds:>8.2f}")
        shutil.rmtree(base)
PY
