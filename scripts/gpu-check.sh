#!/usr/bin/env bash
# The GPU check (issue 18): run it on a machine with an NVIDIA GPU and put its figures in docs/PERFORMANCE.md.
#
#   scripts/gpu-check.sh [--libs DIR]... [--edgeseg PATH] [--model M.onnx] [--clip CLIP] [--frames N]
#                        [--mqtt HOST:PORT] [--out FILE]
#
# 1. edgeseg doctor: the ONNX Runtime loaded, per provider compiled in / usable / why not, and the CUDA, cuDNN and
#    TensorRT libraries the loader finds, with their versions;
# 2. edgeseg bench on the model and the clip with CUDA, with TensorRT when doctor says it is usable, and with the CPU:
#    Run-only and whole-service frames per second;
# 3. the GPU providers' masks against the CPU's on the clip's first N frames (edgeseg doctor --compare-on): the share
#    of pixels that are equal, goal >= 99.9%;
# and writes all of it to one results file (default gpu-check-HOST-DATE.txt in the current folder).
#
# It runs from a source checkout (bin/edgeseg, after make setup) or from a self-contained publish (make install puts
# this script in PREFIX beside the edgeseg binary): no .NET SDK, no TensorRT and no network are needed. The NVIDIA
# driver must be installed. CUDA 13 and cuDNN 9 (and TensorRT 10) libraries that are not on the loader's path, e.g.
# inside Python wheels (site-packages/nvidia/...), are found under each --libs DIR and each folder of EDGESEG_GPU_LIBS
# (colon-separated), and put on LD_LIBRARY_PATH for the runs.
#
# --libs DIR         a folder searched (recursively) for libcudart/libcublas/libcurand/libcudnn/libnvinfer libraries
# --edgeseg PATH     the edgeseg binary or launcher (default: beside this script, then bin/edgeseg of the checkout)
# --model M.onnx     the model (default: models/default.onnx of the publish or the checkout)
# --clip CLIP        the clip (default: samples/drive.mp4 of the checkout; a publish has none: pass one)
# --frames N         frames measured through the service and compared (default 300 and 100)
# --mqtt HOST:PORT   a broker for the bench (default: a local mosquitto the bench starts; needs mosquitto installed)
# --out FILE         the results file
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIBS=()
EDGESEG="${EDGESEG:-}"
MODEL=""
CLIP=""
FRAMES=300
COMPARE_FRAMES=100
MQTT=()
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --libs) LIBS+=("$2"); shift 2 ;;
    --edgeseg) EDGESEG="$2"; shift 2 ;;
    --model) MODEL="$2"; shift 2 ;;
    --clip) CLIP="$2"; shift 2 ;;
    --frames) FRAMES="$2"; COMPARE_FRAMES="$2"; shift 2 ;;
    --mqtt) MQTT=(--mqtt "$2"); shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ -n "${EDGESEG_GPU_LIBS:-}" ]; then
  IFS=: read -r -a from_env <<<"$EDGESEG_GPU_LIBS"
  LIBS+=("${from_env[@]}")
fi

fail() { printf 'gpu-check: %s\n    what to do: %s\n' "$1" "$2" >&2; exit 1; }

# The binary: a publish has edgeseg beside this script; a checkout has bin/edgeseg one folder up.
if [ -z "$EDGESEG" ]; then
  for candidate in "$HERE/edgeseg" "$HERE/../bin/edgeseg" "$HERE/../edgeseg"; do
    [ -x "$candidate" ] && { EDGESEG="$candidate"; break; }
  done
fi
[ -n "$EDGESEG" ] && [ -x "$EDGESEG" ] || fail "no edgeseg binary found beside $HERE or in the checkout" "pass --edgeseg PATH (a publish's edgeseg, or bin/edgeseg after make setup)"
BASE="$(cd "$(dirname "$EDGESEG")" && pwd)"
[ "$(basename "$BASE")" = bin ] && BASE="$(dirname "$BASE")"
[ -n "$MODEL" ] || MODEL="$BASE/models/default.onnx"
[ -n "$CLIP" ] || CLIP="$BASE/samples/drive.mp4"
[ -f "$MODEL" ] || fail "the model $MODEL does not exist" "pass --model M.onnx"
[ -f "$CLIP" ] || fail "the clip $CLIP does not exist" "pass --clip CLIP (a checkout renders samples/drive.mp4 with make setup; copy it to the GPU box)"
if [ ${#MQTT[@]} -eq 0 ] && ! command -v mosquitto >/dev/null; then
  fail "the bench needs an MQTT broker and mosquitto is not installed" "apt-get install mosquitto, or pass --mqtt HOST:PORT of a broker"
fi

# GPU libraries outside the loader's path: every folder under the given ones that holds a CUDA, cuDNN or TensorRT library.
added=()
for dir in "${LIBS[@]}"; do
  [ -d "$dir" ] || fail "--libs $dir is not a folder" "pass a folder that holds the CUDA 13 / cuDNN 9 libraries (e.g. a Python site-packages/nvidia)"
  while IFS= read -r found; do
    added+=("$found")
  done < <(find "$(cd "$dir" && pwd)" \( -name 'libcudart.so.*' -o -name 'libcublas*.so.*' -o -name 'libcurand.so.*' -o -name 'libcudnn*.so.*' -o -name 'libnvinfer*.so.*' -o -name 'libnvonnxparser*.so.*' -o -name 'libnvrtc*.so.*' -o -name 'libcufft*.so.*' \) -printf '%h\n' 2>/dev/null | sort -u)
done
if [ ${#added[@]} -gt 0 ]; then
  LD_LIBRARY_PATH="$(IFS=:; echo "${added[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
fi

host="$(hostname -s 2>/dev/null || echo host)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
[ -n "$OUT" ] || OUT="$PWD/gpu-check-$host-$stamp.txt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: >"$OUT" || fail "cannot write $OUT" "pass --out FILE in a writable folder"

log() { printf '%s\n' "$*" | tee -a "$OUT"; }
section() { log ""; log "## $*"; }
run() { # title, command...: runs it, its output into the results file, returns its exit code
  local title="$1"; shift
  section "$title"
  log "\$ $*"
  "$@" >"$work/out" 2>&1
  local code=$?
  tee -a "$OUT" <"$work/out" >/dev/null
  log "(exit code $code)"
  return $code
}

log "# EdgeSeg GPU check"
log "date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $host; $(uname -srm)"
log "edgeseg: $EDGESEG; model: $MODEL; clip: $CLIP"
if command -v nvidia-smi >/dev/null; then
  log "GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | paste -sd ';')"
else
  log "GPU: nvidia-smi not found (the NVIDIA driver's tools are not installed)"
fi
log "libraries added to LD_LIBRARY_PATH: ${added[*]:-none}"

run "doctor" "$EDGESEG" doctor --model "$MODEL"
doctor="$(cat "$work/out")"

providers=(cuda cpu)
grep -q '^  tensorrt: compiled in: yes; usable: yes' <<<"$doctor" && providers=(tensorrt cuda cpu)
grep -q '^  cuda: compiled in: yes; usable: yes' <<<"$doctor" \
  || log "NOTE: doctor says CUDA is not usable here (see its 'why not'); its bench and comparison will fail"

declare -A RUN_FPS SERVICE_FPS AGREE
for provider in "${providers[@]}"; do
  case "$provider" in
    tensorrt) list="tensorrt,cuda"; extra=(--trt-cache "$work/trt-cache") ;;
    cuda) list="cuda"; extra=() ;;
    cpu) list="cpu"; extra=(--threads 0) ;;
  esac
  json="$work/bench-$provider.json"
  if run "bench: $provider" "$EDGESEG" bench --model "$MODEL" --input "$CLIP" --providers "$list" --frames "$FRAMES" \
      --json "$json" "${MQTT[@]}" "${extra[@]}"; then
    RUN_FPS[$provider]="$(grep -o '"runOnlyFps": *[0-9.]*' "$json" | grep -o '[0-9.]*$' | xargs printf '%.1f')"
    SERVICE_FPS[$provider]="$(grep -o '"serviceFps": *[0-9.]*' "$json" | grep -o '[0-9.]*$' | xargs printf '%.1f')"
    tee -a "$OUT" <"$json" >/dev/null
  fi
  if [ "$provider" != cpu ]; then
    if run "masks: $provider against cpu" "$EDGESEG" doctor --model "$MODEL" --providers "$list" --compare-on "$CLIP" --frames "$COMPARE_FRAMES" "${extra[@]}"; then
      AGREE[$provider]="$(grep -o '[0-9.]*% of pixels equal' "$work/out" | head -1)"
    else
      AGREE[$provider]="$(grep -o '[0-9.]*% of pixels equal.*' "$work/out" | head -1)"
      AGREE[$provider]="${AGREE[$provider]:-failed (see above)}"
    fi
  fi
done

section "summary"
log "| provider | Run only (fps) | whole service (fps) | masks against the CPU (goal >= 99.9%) |"
log "| --- | --- | --- | --- |"
for provider in "${providers[@]}"; do
  log "| $provider | ${RUN_FPS[$provider]:-failed} | ${SERVICE_FPS[$provider]:-failed} | ${AGREE[$provider]:-(reference)} |"
done
echo
echo "results: $OUT"
