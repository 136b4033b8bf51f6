#!/usr/bin/env bash
# scripts/report-screenshot.sh [report.html] [out.png] [height]: renders a report with Debian's
# chromium, headless, to a PNG (reports/example.png is made this way from `npm start`'s report).
set -euo pipefail
in=${1:-reports/index.html}
out=${2:-reports/example.png}
height=${3:-9000}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$profile" --hide-scrollbars --window-size=1280,"$height" \
  --virtual-time-budget=15000 --screenshot="$(realpath -m "$out")" "file://$(realpath "$in")" 2>/dev/null
echo "screenshot: $out"
