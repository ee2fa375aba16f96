#!/usr/bin/env bash
# Runs every test project of the solution (already built in Release by scripts/setup.sh) and ends with the line
#   N passed, N failed[, N skipped]
# counted from the TRX results of every test project. Exits non-zero when a test failed, a test project did not
# report (crashed or hung), or no test ran.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/TestResults"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

mapfile -t projects < <(ls tests/*/*.Tests.csproj)
echo "==> test: ${#projects[@]} test projects"

# A hung test is reported and killed rather than eating the CI budget.
dotnet test EdgeSeg.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$RESULTS" \
  --blame-hang-timeout 15m -- RunConfiguration.TreatNoTestsAsError=false
status=$?

# The SIMD kernels must give identical results on the scalar paths: run the core tests again with hardware
# intrinsics switched off (its TRX is counted like any other project's).
DOTNET_EnableHWIntrinsic=0 dotnet test tests/EdgeSeg.Core.Tests/EdgeSeg.Core.Tests.csproj -c Release --no-build --nologo \
  --logger "trx;LogFileName=core-no-intrinsics.trx" --logger "console;verbosity=minimal" --results-directory "$RESULTS" \
  --blame-hang-timeout 5m || status=1
expected_reports=$(( ${#projects[@]} + 1 ))

passed=0 failed=0 total=0 reported=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  total=$((total + $(get total)))
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  reported=$((reported + 1))
done
skipped=$((total - passed - failed))
[ "$skipped" -lt 0 ] && skipped=0

# Name every failed test so that a CI log shows what broke right above the count, even when only the end of
# the log is kept (the console logger prints the details further up).
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  grep -o '<UnitTestResult [^>]*>' "$trx" | grep -E 'outcome="(Failed|Error|Timeout|Aborted)"' \
    | sed -n 's/.* testName="\([^"]*\)".*/FAILED \1/p'
done

missing=$(( expected_reports - reported ))
if [ "$missing" -gt 0 ]; then
  echo "!! $missing of $expected_reports test runs wrote no results (crashed or hung): counted as failed"
  failed=$((failed + missing))
fi

echo
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi

if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
if [ "$passed" -eq 0 ]; then echo "!! no test ran"; exit 1; fi
exit 0
