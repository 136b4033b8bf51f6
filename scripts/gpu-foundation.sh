#!/usr/bin/env bash
# The foundation's H100 check, in two halves:
#   scripts/gpu-foundation.sh prepare   (here) build the addon with CUDA for sm_90, compile the
#                                        TypeScript, pack this machine's node into .gpu/node.xz
#   scripts/gpu-foundation.sh run       (on the GPU machine, carry .gpu build dist) check
#                                        CUDA == CPU, calibrate, time the 2^20 MSM; JSON to $OUT
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  prepare)
    ZKLLM_CUDA=1 ZKLLM_CUDA_ARCHS=sm_90 node scripts/build-native.js
    npx tsc -p .
    mkdir -p .gpu
    [ -f .gpu/node.xz ] || xz -T2 -6 -c "$(command -v node)" > .gpu/node.xz
    git rev-parse HEAD > .gpu/commit.txt
    git diff --quiet HEAD -- native src scripts || echo "(with uncommitted changes)" >> .gpu/commit.txt
    ;;
  run)
    out="${OUT:-/tmp/zkllm-out}"; mkdir -p "$out"
    xz -d -c .gpu/node.xz > /tmp/node-bin && chmod +x /tmp/node-bin
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/nvidia-smi.txt"
    /tmp/node-bin dist/src/cli.js info
    /tmp/node-bin dist/src/bench/gpu-foundation.js --out "$out/foundation-gpu-check.json" --commit "$(head -c 40 .gpu/commit.txt)"
    ;;
  *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
