#!/usr/bin/env bash
# The accuracy code's GPU check, in two halves:
#   scripts/gpu-acc.sh prepare [ref]   (here) check out ref (default HEAD) into a scratch worktree,
#                                 build the addon there with CUDA for sm_90 and compile the
#                                 TypeScript, so what runs is exactly that commit; copy both, the
#                                 held-out token ids and the commit id into .gpu/acc/ (with a link
#                                 to data/); pack this machine's node into .gpu/node.xz
#   scripts/gpu-acc.sh run       (on the GPU machine; carry .gpu/node.xz .gpu/acc) CUDA == CPU for
#                                 the quantized softmax and forward, the stand-in sweep at seq_len
#                                 2048, a LLaMa-2-7B-shaped layer; JSON and log to $OUT
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  prepare)
    wt="$(mktemp -d)/acc-gpu"
    git worktree add -q --detach "$wt" "${2:-HEAD}"
    trap 'git worktree remove --force "$wt"' EXIT
    ln -s "$PWD/node_modules" "$wt/node_modules"
    (cd "$wt" && ZKLLM_CUDA=1 ZKLLM_CUDA_ARCHS=sm_90 node scripts/build-native.js && npx tsc -p .)
    rm -rf .gpu/acc && mkdir -p .gpu/acc
    cp "$wt/build/Release/zkllm.node" .gpu/acc/zkllm.node
    cp -r "$wt/dist" .gpu/acc/dist
    ln -s ../../data .gpu/acc/data  # dist/acc/../../data, as in the repository
    [ -f .gpu/node.xz ] || xz -T2 -6 -c "$(command -v node)" > .gpu/node.xz
    ZKLLM_ADDON="$PWD/.gpu/acc/zkllm.node" node .gpu/acc/dist/bench/gpu-acc.js --model data/models/standin \
      --export-tokens .gpu/acc/heldout-tokens.u32
    git rev-parse "${2:-HEAD}" > .gpu/acc/commit.txt
    ;;
  run)
    out="${OUT:-/tmp/zkllm-out}"; mkdir -p "$out"
    xz -d -c .gpu/node.xz > /tmp/node-bin && chmod +x /tmp/node-bin
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/nvidia-smi.txt"
    export ZKLLM_ADDON="$PWD/.gpu/acc/zkllm.node"
    /tmp/node-bin .gpu/acc/dist/src/cli.js info
    /tmp/node-bin .gpu/acc/dist/bench/gpu-acc.js --model data/models/standin --tokens .gpu/acc/heldout-tokens.u32 \
      --out "$out/acc-gpu-check.json" --commit "$(cat .gpu/acc/commit.txt)" --windows "${ACC_WINDOWS:-16}" 2>&1 | tee "$out/acc-gpu-check-output.txt"
    ;;
  *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
