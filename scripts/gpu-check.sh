#!/usr/bin/env bash
# GPU checks, in two halves (the GPU machine has no Node.js, so everything is built here):
#   scripts/gpu-check.sh prepare     (here) build the addon with CUDA for sm_90, compile the
#                                    TypeScript, pack this machine's node into .gpu/node.xz
#   scripts/gpu-check.sh foundation  (GPU machine; carry build/Release .gpu/node.xz .gpu/commit.txt dist)
#                                    CUDA == CPU for the field, curve and MSM; calibrate; 2^20 MSM
#   scripts/gpu-check.sh protocols   (GPU machine, same carry) CUDA == CPU proofs for every op, also
#                                    streamed under a small budget; timings at 64 x 2^22
#   scripts/gpu-check.sh commitments (GPU machine, same carry) CUDA == CPU commitments and commit-mode
#                                    proofs; commit and batched-opening timings
# Results go to $OUT as JSON with the card, the commit and the command.
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
  foundation|protocols|commitments)
    out="${OUT:-/tmp/zkllm-out}"; mkdir -p "$out"
    xz -d -c .gpu/node.xz > /tmp/node-bin && chmod +x /tmp/node-bin
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/nvidia-smi.txt"
    /tmp/node-bin dist/src/cli.js info
    shift_args=("${@:2}")
    /tmp/node-bin "dist/bench/gpu-$1.js" --out "$out/$1-gpu-check.json" --commit "$(head -c 40 .gpu/commit.txt)" "${shift_args[@]}"
    ;;
  *) echo "usage: $0 prepare|foundation|protocols|commitments [options]" >&2; exit 2 ;;
esac
