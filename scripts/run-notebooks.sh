#!/usr/bin/env bash
# npm run notebooks [-- notebooks/x.ipynb ...]: executes every notebook headless with Jupyter
# (Debian's jupyter-nbconvert) and the tslab TypeScript kernel, and writes each as HTML into
# reports/notebooks/. A cell that throws (or fails to type-check) fails the run.
# The kernel: tslab from notebooks/tslab-kernel (its own package, so that tslab's TypeScript does
# not replace the kit's 'tsc'), registered into a project-local Jupyter path (.jupyter/), which
# JUPYTER_PATH points Jupyter at. Sizes: ZKLLM_NB_SIZE=small|cpu|gpu (src/report/notebook-sizes.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if ! command -v jupyter >/dev/null || ! jupyter nbconvert --version >/dev/null 2>&1; then
  echo "run-notebooks: Jupyter not found; install Debian's packages:" >&2
  echo "  apt-get install jupyter-notebook jupyter-nbconvert jupyter-client python3-ipykernel" >&2
  exit 1
fi
[ -f dist/src/index.js ] || { echo "run-notebooks: dist/ is missing: run npm ci (or npx tsc -p .) first" >&2; exit 1; }
node scripts/link-self.js
TSLAB=$ROOT/notebooks/tslab-kernel/node_modules/.bin/tslab
[ -x "$TSLAB" ] || npm ci --prefix notebooks/tslab-kernel --no-audit --no-fund --loglevel=error
"$TSLAB" install --python=/usr/bin/python3 --binary="$TSLAB" --prefix="$ROOT/.jupyter" >/dev/null
export JUPYTER_PATH=$ROOT/.jupyter/share/jupyter
mkdir -p reports/notebooks
if [ $# -gt 0 ]; then NOTEBOOKS=("$@"); else NOTEBOOKS=(notebooks/*.ipynb); fi
for nb in "${NOTEBOOKS[@]}"; do
  start=$(date +%s)
  out="reports/notebooks/$(basename "${nb%.ipynb}").html"
  log="reports/notebooks/$(basename "${nb%.ipynb}").log"
  rm -f "$out"
  if ! jupyter nbconvert --to html --execute --ExecutePreprocessor.kernel_name=tslab \
      --ExecutePreprocessor.timeout=1800 --output-dir reports/notebooks "$nb" >"$log" 2>&1 || [ ! -s "$out" ]; then
    cat "$log" >&2
    echo "run-notebooks: $nb FAILED (a cell raised an error or did not compile; log above)" >&2
    exit 1
  fi
  echo "run-notebooks: $nb -> $out ($(( $(date +%s) - start )) s)"
done
