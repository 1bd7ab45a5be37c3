#!/usr/bin/env bash
# The one test command (`npm test`): installs what the tests need, then runs every suite:
# typecheck, Vitest unit tests, pytest (training + renderer), Playwright e2e in headless Chromium.
# It runs all suites even when one fails, prints one summary line, and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh || { echo "error: could not install system packages" >&2; exit 1; }
bash scripts/install-node-deps.sh || { echo "error: npm ci failed" >&2; exit 1; }

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}
failed_suites=()
passed=0
failed=0

run_suite() { # name, command...
  local name=$1; shift
  echo; echo "=== $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "=== $name: exit $rc in $((SECONDS - start)) s"
  [ "$rc" -eq 0 ] || failed_suites+=("$name")
  return 0
}

# Counts "N passed" / "N failed" from each runner's own closing line.
count() { # log file, word
  grep -aoE "[0-9]+ $2" "$1" | tail -n 1 | grep -oE '^[0-9]+' || echo 0
}

run_suite typecheck npx tsc -p tsconfig.json
run_suite unit npx vitest run
run_suite python /usr/bin/python3 -m pytest -q training/tests
run_suite e2e npx playwright test

for suite in unit python e2e; do
  p=$(count "$logs/$suite.log" passed); f=$(count "$logs/$suite.log" failed)
  passed=$((passed + p)); failed=$((failed + f))
done
echo
if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "FAILED suites: ${failed_suites[*]}"
  [ "$failed" -gt 0 ] || failed=${#failed_suites[@]}
  echo "$passed passed, $failed failed"
  exit 1
fi
echo "$passed passed, $failed failed"
