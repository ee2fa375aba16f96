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

# Name every failed test, with the first lines of its message, so that a CI log shows what broke right above the
# count even when only the end of the log is kept (the console logger prints the full details further up).
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  awk '
    function unescape(s) {
      gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
      return s
    }
    /<UnitTestResult / {
      failed = ($0 ~ /outcome="(Failed|Error|Timeout|Aborted)"/)
      if (failed) { name = $0; sub(/.* testName="/, "", name); sub(/".*/, "", name); print "FAILED " unescape(name) }
      inMessage = 0; inStack = 0; lines = 0
    }
    failed && /<Message>/ { inMessage = 1; sub(/.*<Message>/, "") }
    failed && inMessage {
      done = sub(/<\/Message>.*/, "")
      if (lines < 6 && $0 ~ /[^ \t]/) { print "    " substr(unescape($0), 1, 300); lines++ }
      if (done) { inMessage = 0; inStack = 1 }
      next
    }
    # The first frame with a file and line says which assertion or wait it was.
    failed && inStack && /\.cs:line [0-9]+/ {
      frame = $0; sub(/^[ \t]*(<StackTrace>)?[ \t]*/, "", frame); sub(/<\/StackTrace>.*/, "", frame); print "    " substr(unescape(frame), 1, 300)
      failed = 0; inStack = 0
    }
    failed && inStack && /<\/StackTrace>/ { failed = 0; inStack = 0 }
  ' "$trx"
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
