#!/usr/bin/env bash
# make bench: the BenchmarkDotNet micro-benchmarks, then the end-to-end bench (bin/edgeseg bench) of the default model
# on the bundled sample drive. Results go to artifacts/benchmarks; record them in docs/PERFORMANCE.md.
#   scripts/bench.sh                              everything
#   scripts/bench.sh --filter '*ConfusionMatrix*'  only the BenchmarkDotNet benchmarks that match (no end-to-end bench)
#   scripts/bench.sh --e2e [edgeseg bench options] only the end-to-end bench (e.g. --e2e --threads 1 --soak-minutes 30)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/artifacts/benchmarks"
mkdir -p "$OUT"

e2e() {
  local model=models/default.onnx clip=samples/drive.mp4
  [ -f "$model" ] || { echo "bench: $model is missing (make setup)" >&2; exit 1; }
  [ -f "$clip" ] || { echo "bench: $clip is missing (make setup renders it)" >&2; exit 1; }
  echo "==> end-to-end bench: $model on $clip"
  bin/edgeseg bench --model "$model" --input "$clip" --json "$OUT/e2e-$(date -u +%Y%m%dT%H%M%SZ).json" "$@"
}

if [ "${1:-}" = "--e2e" ]; then
  shift
  e2e "$@"
  exit 0
fi

args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--filter '*')
dotnet run -c Release --project bench/EdgeSeg.Benchmarks --no-build -- "${args[@]}" --artifacts "$OUT"
[ $# -eq 0 ] && e2e
exit 0
