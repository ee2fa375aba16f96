#!/usr/bin/env bash
# Runs the BenchmarkDotNet benchmarks. Arguments go to BenchmarkDotNet (default: every benchmark).
#   scripts/bench.sh --filter '*ConfusionMatrix*'
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--filter '*')
dotnet run -c Release --project bench/EdgeSeg.Benchmarks --no-build -- "${args[@]}" --artifacts "$ROOT/artifacts/benchmarks"
