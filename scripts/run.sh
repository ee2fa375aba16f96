#!/usr/bin/env bash
# make run: the service on the bundled sample with the default model and a local broker.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/bin/edgeseg" run "$@"
