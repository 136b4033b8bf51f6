#!/usr/bin/env bash
# The accuracy code's GPU check, in two halves:
#   scripts/gpu-acc.sh prepare   (here) build the addon with CUDA for sm_90 into build-acc-gpu/,
#                                 compile the TypeScript, export the held-out token ids, pack node
#   scripts/gpu-acc.sh run       (on the GPU machine; carry build-acc-gpu/Release dist .gpu/node.xz
#                                 .gpu/acc) CUDA == CPU for the quantized softmax and forward, the
#                                 stand-in sweep at seq_len 2048, a LLaMa-2-7B-shaped layer; JSON to $OUT
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  prepare)
    ZKLLM_CUDA=1 ZKLLM_CUDA_ARCHS=sm_90 ZKLLM_BUILD_DIR=build-acc-gpu node scripts/build-native.js
    npx tsc -p .
    mkdir -p .gpu/acc
    [ -f .gpu/node.xz ] || xz -T2 -6 -c "$(command -v node)" > .gpu/node.xz
    ZKLLM_ADDON="$PWD/build-acc-gpu/Release/zkllm.node" node dist/acc/gpu-check.js --export-tokens .gpu/acc/heldout-tokens.u32
    git rev-parse HEAD > .gpu/acc/commit.txt
    git diff --quiet HEAD -- native acc src scripts || echo "(with uncommitted changes)" >> .gpu/acc/commit.txt
    ;;
  run)
    out="${OUT:-/tmp/zkllm-out}"; mkdir -p "$out"
    xz -d -c .gpu/node.xz > /tmp/node-bin && chmod +x /tmp/node-bin
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/nvidia-smi.txt"
    export ZKLLM_ADDON="$PWD/build-acc-gpu/Release/zkllm.node"
    /tmp/node-bin dist/src/cli.js info
    /tmp/node-bin dist/acc/gpu-check.js --tokens .gpu/acc/heldout-tokens.u32 --out "$out/acc-gpu-check.json" \
      --commit "$(head -c 40 .gpu/acc/commit.txt)" --windows "${ACC_WINDOWS:-16}" 2>&1 | tee "$out/acc-gpu-check.log"
    ;;
  *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
