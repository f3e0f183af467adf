#!/usr/bin/env bash
# Regenerates Screenshots/*.png from the real program running in tmux. Rerun after any screen change.
# Needs tmux, python3 with Pillow (pip install pillow) and fonts-dejavu-core.
# With names (scripts/screenshots.sh planner planner-lora), only those screenshots are made.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build >/dev/null
bin="$PWD/.build/debug/paramcount"
out="$PWD/Screenshots"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
only=("$@")

# shoot NAME WIDTH HEIGHT ARGS KEYS...: start the program, type the keys, capture, render. The
# program starts in SHOT_DIR when it is set, so paths in the title stay short.
shoot() {
  local name=$1 w=$2 h=$3 args=$4; shift 4
  if [ ${#only[@]} -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then return; fi
  local sock="paramcount-shots-$$-$name"
  tmux -L "$sock" new-session -d -s shot -x "$w" -y "$h" -c "${SHOT_DIR:-$PWD}" \
    "env LANG=C.UTF-8 TERM=xterm-256color $bin $args; sleep 30"
  sleep 1
  for k in "$@"; do
    case "$k" in
      text:*) tmux -L "$sock" send-keys -t shot -l "${k#text:}" ;;
      *) tmux -L "$sock" send-keys -t shot "$k" ;;
    esac
    sleep 0.15
  done
  sleep 0.5
  tmux -L "$sock" capture-pane -e -p -t shot > "$tmp/$name.ans"
  tmux -L "$sock" kill-server 2>/dev/null || true
  python3 scripts/ansi2png.py "$tmp/$name.ans" "$out/$name.png" "$w" "$h"
  echo "wrote Screenshots/$name.png"
}

shoot main 100 30 "" j
shoot editing 100 30 "" j Tab j j Enter C-u text:512
shoot invalid 100 30 "" j Tab j j Enter C-u text:12x
shoot help 100 30 "preset:bert-base" "?"
shoot bert 120 36 "preset:bert-base" j j j j
shoot compare 100 30 "preset:bert-base preset:gpt2-small" j
shoot compare-80x24 80 24 "preset:example preset:example" w j Tab j j Enter C-u text:512
shoot classroom 100 30 "--classroom" j n n n n
shoot classroom-light 80 24 "--classroom" j c L r
shoot classroom-pair 100 30 "--classroom preset:example preset:lenet5" j n n
shoot tree 120 36 "preset:llama-2-7b" j Enter j j
shoot moe 120 36 "preset:mixtral-8x7b" j Enter j j j j
shoot shapes 100 30 "preset:vgg16" G k k I C-u text:3,448,448

# Llama-3.1-8B: context 32,768 and batch 4 in bf16; then LoRA r=16 training with activation
# checkpointing.
llama="preset:llama-3.1-8b"
shoot planner 120 36 "$llama" P j Space Space j j Right Right Right j Right Right
shoot planner-lora 120 36 "$llama" P j Space Space j j Right Right Right j Right Right g Space G Up text:16 Enter k Right Right

# Checkpoints: a sparse Llama-2-7B safetensors folder (headers only, see Benchmarks/make_checkpoints.py)
# with its published config.json beside it, and a hand-written design beside the checkpoint.
python3 Benchmarks/make_checkpoints.py "$tmp/models" >/dev/null
cp Tests/ParamCountFilesTests/Fixtures/hf/llama-Llama-2-7b-hf.json "$tmp/models/Llama-2-7b-hf/config.json"
cat > "$tmp/models/my-design.yaml" <<'YAML'
name: my Llama design
convention: pytorch
layers:
  - kind: group
    name: model
    layers:
      - kind: embedding
        name: embed_tokens
        vocab: 32000
        dim: 4096
      - kind: group
        name: layers
        repeat: 32
        layers:
          - kind: rmsnorm
            name: input_layernorm
          - kind: attention
            name: self_attn
            heads: 32
            bias: false
          - kind: rmsnorm
            name: post_attention_layernorm
          - kind: mlp
            name: mlp
            ff: 11008
            gated: true
            bias: false
      - kind: rmsnorm
        name: norm
  - kind: dense
    name: lm_head
    out: 32000
    bias: false
YAML
# Unfold model, layers, layer 0 and its self_attn, and select q_proj.
SHOT_DIR="$tmp/models" shoot checkpoint 120 36 "Llama-2-7b-hf/" Enter j j Enter j Enter j Enter j
# Every group unfolded on both sides.
SHOT_DIR="$tmp/models" shoot design-vs-checkpoint 120 36 "my-design.yaml Llama-2-7b-hf/" z w z
