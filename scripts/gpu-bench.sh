#!/usr/bin/env bash
# The anchor's benchmarks as `zkllm bench` runs on the GPU machine (which has no Node.js and no
# git: this machine's node is carried packed, and the commit is passed in). Prepare here with
#   scripts/gpu-check.sh prepare && scripts/gpu-bench.sh pack
# then run there (carry .gpu/kit.tar.xz and .gpu/node.xz):  scripts/gpu-bench.sh run
# Every result is one JSON file in $OUT, with the card, the commit and the command in it.
#   scripts/gpu-bench.sh zkattn   CUDA == CPU for every op (plain and committed) and for zkattn, then
#                                 `zkllm zkattn --model llama2-13b --full` for $ZKATTN_CONFIGS, all in $OUT/all.tgz
# The kit travels as one xz tarball (the addon stripped, dist without tests, source maps or
# declarations): a carried tree (tracked files included) must stay under 64 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
unpack() {  # on the GPU machine: the kit, the node binary and the addon
  [ -f .gpu/kit.tar.xz ] && tar xJf .gpu/kit.tar.xz -C .gpu && ln -sfn ../../data .gpu/kit/data
  xz -d -c .gpu/node.xz > /tmp/node-bin && chmod +x /tmp/node-bin
  [ -f .gpu/kit/zkllm.node.xz ] && xz -d -k -f .gpu/kit/zkllm.node.xz
  return 0
}
case "${1:-}" in
  pack)
    rm -rf .gpu/kit && mkdir -p .gpu/kit
    cp build/Release/zkllm.node .gpu/kit/zkllm.node
    strip --strip-unneeded .gpu/kit/zkllm.node && xz -T2 -6 .gpu/kit/zkllm.node
    cp -r dist .gpu/kit/dist && rm -rf .gpu/kit/dist/test
    find .gpu/kit/dist \( -name '*.map' -o -name '*.d.ts' \) -delete
    cp package.json .gpu/kit/package.json
    git rev-parse HEAD > .gpu/kit/commit.txt
    tar cJf .gpu/kit.tar.xz -C .gpu kit
    ;;
  run)
    out="${OUT:-/tmp/zkllm-out}"; mkdir -p "$out"
    unpack
    export ZKLLM_ADDON="$PWD/.gpu/kit/zkllm.node" ZKLLM_GIT_COMMIT="$(cat .gpu/kit/commit.txt)"
    commit="$(cat .gpu/kit/commit.txt)"
    bench() {  # name, then zkllm bench arguments
      local name="$1"; shift
      timeout "${BENCH_TIMEOUT:-240}" /tmp/node-bin .gpu/kit/dist/src/cli.js bench "$@" --backend cuda --repeat "${REPEAT:-3}" \
        --git-commit "$commit" --json > "$out/bench-$name.json" 2> "$out/bench-$name.err" || echo "bench $name: exit $?" >&2
    }
    bench hadamard-64 hadamard --num 64 --dim 4194304
    bench tlookup-64 tlookup --num 64 --dim 4194304 --low 0 --len 65536
    bench matmul-40 matmul --num 40 --dim0 2048 --dim1 128 --dim2 2048
    bench com-64 com --num 64 --dim 4194304 --gen-dim 65536
    [ -n "${WITH_COMMIT:-}" ] && REPEAT=1 bench hadamard-64-commit hadamard --num 64 --dim 4194304 --commit --gen-dim 65536
    ;;
  zkattn)
    out="${OUT:-/tmp/zkllm-out}"; mkdir -p "$out"
    unpack
    export ZKLLM_ADDON="$PWD/.gpu/kit/zkllm.node" ZKLLM_GIT_COMMIT="$(cat .gpu/kit/commit.txt)"
    commit="$(cat .gpu/kit/commit.txt)"; short="${commit:0:7}"; node=/tmp/node-bin
    timeout 200 $node .gpu/kit/dist/bench/gpu-protocols.js --skip-big --commit "$commit" --out "$out/protocols-gpu-check-$short.json" > "$out/protocols-$short.log" 2>&1 || true
    timeout 200 $node .gpu/kit/dist/bench/gpu-zkattn.js --out "$out/zkattn-gpu-check-$short.json" --commit "$commit" \
      --configs readme-2,zk-12-clamp,anchor-attn --heads 16 > "$out/zkattn-$short.log" 2>&1 || true
    if grep -q MISMATCH "$out/protocols-$short.log" "$out/zkattn-$short.log"; then echo "CUDA != CPU: see the logs" >&2; exit 1; fi
    for cfg in ${ZKATTN_CONFIGS:-readme-2 zk-12-clamp}; do
      timeout "${ZKATTN_TIMEOUT:-150}" $node .gpu/kit/dist/src/cli.js zkattn --model llama2-13b --config "$cfg" --full --backend cuda --json \
        --git-commit "$commit" --out "$out/zkattn-13b-full-$cfg-$short.json" > /dev/null 2> "$out/zkattn-13b-full-$cfg-$short.err" || echo "zkattn $cfg: exit $?" >&2
    done
    # the device tool brings back at most 8 files
    (cd "$out" && tar czf all.tgz --remove-files $(ls | grep -v '^all.tgz$'))
    ;;
  *) echo "usage: $0 pack|run|zkattn" >&2; exit 2 ;;
esac
