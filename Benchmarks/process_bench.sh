#!/usr/bin/env bash
# Whole-process time of `paramcount count` on checkpoints, measured with hyperfine (apt-get install
# hyperfine): process start, reading the headers, building the model, counting and printing.
#   Benchmarks/process_bench.sh            (release build; files written to a temporary folder)
# Budgets: the sparse Llama-2-7B folder (2 shards + index) in under 20 ms, and Llama-2-7B's config.json
# in under 10 ms, means of 200 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product paramcount >/dev/null
bin=.build/release/paramcount
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 Benchmarks/make_checkpoints.py "$dir"
hyperfine -N --warmup 20 --runs 200 --export-json "$dir/times.json" \
  "$bin --version" \
  "$bin count preset:example" \
  "$bin count $dir/Llama-2-7b-hf" \
  "$bin count $dir/Llama-2-7b-hf --format json"
hyperfine -N --warmup 3 --runs 20 "$bin count $dir/many.gguf"
hf=Tests/ParamCountFilesTests/Fixtures/hf
hyperfine -N --warmup 20 --runs 200 --export-json "$dir/hf.json" \
  "$bin count $hf/llama-Llama-2-7b-hf.json" \
  "$bin count $hf/deepseek_v3-DeepSeek-V3.json" \
  "$bin count $hf/llama-Llama-2-7b-hf.json --format json"
python3 - "$dir/times.json" "$dir/hf.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
mean = results[2]["mean"] * 1000
print(f"count sparse Llama-2-7B folder, whole process: {mean:.1f} ms (budget 20 ms): {'PASS' if mean < 20 else 'FAIL'}")
config = json.load(open(sys.argv[2]))["results"][0]["mean"] * 1000
print(f"count Llama-2-7B config.json, whole process: {config:.1f} ms (budget 10 ms): {'PASS' if config < 10 else 'FAIL'}")
sys.exit(0 if mean < 20 and config < 10 else 1)
PY
