#!/usr/bin/env bash
# Coverage-guided fuzzing of the model-file loader, the Hugging Face config reader and the checkpoint
# readers with libFuzzer.
#   scripts/fuzz.sh [SECONDS]   (default 60)
# Seeds: the presets, the reference model files, the config.json fixtures and the tensor fixtures. Crashes land in .fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
mkdir -p .fuzz/corpus .fuzz/crashes
cp Tests/ParamCountFilesTests/Fixtures/reference/cases/*.yaml .fuzz/corpus/ 2>/dev/null || true
# Groups and parallels nested inside each other, and the language models built from them.
cp Tests/ParamCountFilesTests/Fixtures/reference/groups/cases/*.yaml Tests/ParamCountFilesTests/Fixtures/reference/wave2/cases/* \
  .fuzz/corpus/ 2>/dev/null || true
# Input shapes: conv strides and paddings, pools, flattens, shapes through groups and parallels.
cp Tests/ParamCountFilesTests/Fixtures/shapes/*.yaml .fuzz/corpus/ 2>/dev/null || true
find Tests/ParamCountFilesTests/Fixtures/hf -name '*.json' ! -name expected.json -exec cp {} .fuzz/corpus/ \;
find Tests/ParamCountFilesTests/Fixtures/tensors -type f \( -name '*.safetensors' -o -name '*.gguf' -o -name '*.index.json' \) \
  -exec cp {} .fuzz/corpus/ \; 2>/dev/null || true
swift build -c release --product paramcount >/dev/null
for p in $(.build/release/paramcount presets | awk '{print $1}'); do
  .build/release/paramcount count "preset:$p" --format json > /dev/null
done
swift build -c release --product paramcount-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING
bin=$(swift build -c release --product paramcount-fuzz --scratch-path .build-fuzz --show-bin-path)/paramcount-fuzz
"$bin" .fuzz/corpus -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
  -artifact_prefix=.fuzz/crashes/ -print_final_stats=1
