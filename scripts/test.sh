#!/usr/bin/env bash
# The README's test command: installs what the tests need, type-checks, runs every suite,
# and ends with one line "N passed, N failed" so a run that executed nothing is visible.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund >/dev/null; fi

# System packages the real-part tests use: a real redis-server, a real headless Chromium and a
# real Prometheus (the fleet telemetry source).
bash scripts/ensure-system-deps.sh redis-server chromium prometheus

passed=0; failed=0
if npx tsc -p tsconfig.json --noEmit; then passed=$((passed + 1)); echo "typecheck: ok"; else failed=$((failed + 1)); echo "typecheck: FAILED"; fi

report=.vitest-report.json
rm -f "$report"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
if [ -f "$report" ]; then
  read -r p f < <(node scripts/vitest-summary.cjs "$report")
  passed=$((passed + p)); failed=$((failed + f))
else
  failed=$((failed + 1)); echo "vitest produced no report"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
