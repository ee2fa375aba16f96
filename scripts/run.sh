#!/usr/bin/env bash
# make run: the service on the bundled sample clip with the default model, and a local MQTT broker it starts itself.
#
#   scripts/run.sh [--Section:Key=value ...]     (any edgeseg configuration override, e.g. --Sources:0:Uri=clip.mp4)
#
# - Broker: unless one is configured (a --Mqtt:Host/--Mqtt:Port argument, EDGESEG_Mqtt__Host/Port in the environment,
#   or /etc/edgeseg/appsettings.json), starts mosquitto on a free loopback port for this run only.
# - Clip: samples/drive.mp4; while that is not there, ../shared/data/camvid/sample-sequence.mp4 (real CamVid frames),
#   else a synthetic ffmpeg test pattern made now (not a road: the masks will not mean anything).
# - Model: models/default.onnx; while that is not there, the random-weight test model tests/models/bench-640x360.onnx
#   (shows the whole pipeline running; its masks are noise).
# Ctrl-C stops the service (it drains what is in flight) and then the broker.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="$ROOT/runs/make-run"
mkdir -p "$RUNS"

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
note() { printf '\033[1;33m    %s\033[0m\n' "$*"; }
fail() { printf '\033[1;31mmake run failed:\033[0m %s\n    what to do: %s\n' "$1" "$2" >&2; exit 1; }

# A free TCP port on 127.0.0.1: try random ones until a connect is refused.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  fail "no free loopback port found" "free some ports or pass --Mqtt:Port and --Http:Urls"
}

args=("$@")
has_arg() { local a; for a in "${args[@]}"; do [[ "$a" == --$1* ]] && return 0; done; return 1; }

# --- the clip -----------------------------------------------------------------------------------------------------
if has_arg "Sources:0:Uri"; then
  clip=""
elif [ -f samples/drive.mp4 ]; then
  clip="samples/drive.mp4"
  say "clip: $clip (the bundled synthetic drive)"
elif [ -f ../shared/data/camvid/sample-sequence.mp4 ]; then
  clip="$(realpath ../shared/data/camvid/sample-sequence.mp4)"
  say "clip: $clip"
  note "samples/drive.mp4 is not there yet: using the shared CamVid sequence (real road frames) instead"
else
  clip="$RUNS/testsrc.mp4"
  command -v ffmpeg >/dev/null || fail "no sample clip and no ffmpeg to make one" "run make setup"
  [ -f "$clip" ] || ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=15 -t 20 -pix_fmt yuv420p -c:v libx264 "$clip"
  say "clip: $clip"
  note "samples/drive.mp4 is not there yet: using an ffmpeg TEST PATTERN made now (not a road; the masks mean nothing)"
fi

# --- the model ----------------------------------------------------------------------------------------------------
if has_arg "Model:Path"; then
  model=""
elif [ -f models/default.onnx ]; then
  model="models/default.onnx"
  say "model: $model"
else
  model="tests/models/bench-640x360.onnx"
  [ -f "$model" ] || fail "models/default.onnx does not exist yet, and neither does the test model $model" \
    "train the default model (models/README.md) or pass --Model:Path=your.onnx"
  say "model: $model"
  note "models/default.onnx does not exist yet: using the RANDOM-WEIGHT test model $model"
  note "(the pipeline runs end to end, but its masks are noise; pass --Model:Path=... for a real model)"
fi

# --- the broker ---------------------------------------------------------------------------------------------------
broker_pid=""
cleanup() {
  if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then
    kill -TERM "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
    echo "mosquitto stopped"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mqtt_args=()
if has_arg "Mqtt:Host" || has_arg "Mqtt:Port" || [ -n "${EDGESEG_Mqtt__Host:-}${EDGESEG_Mqtt__Port:-}" ] || [ -f /etc/edgeseg/appsettings.json ]; then
  say "broker: the configured one"
  rm -f "$RUNS/mqtt-port"
else
  command -v mosquitto >/dev/null || fail "mosquitto is not installed" "run make setup (or apt-get install mosquitto)"
  port=$(free_port)
  conf="$RUNS/mosquitto.conf"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n' "$port" > "$conf"
  # Its own session: Ctrl-C reaches only the service, which drains into the broker; the broker is stopped after it.
  setsid mosquitto -c "$conf" 2> "$RUNS/mosquitto.log" &
  broker_pid=$!
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$broker_pid" 2>/dev/null || fail "mosquitto did not start (log: $RUNS/mosquitto.log)" "see the log"
    sleep 0.1
  done
  say "broker: mosquitto on 127.0.0.1:$port for this run (log: ${RUNS#"$ROOT"/}/mosquitto.log)"
  # The consumer samples read it: --port "$(cat runs/make-run/mqtt-port)" (samples/consumers/*/README.md).
  echo "$port" > "$RUNS/mqtt-port"
  mqtt_args=(--Mqtt:Host=127.0.0.1 "--Mqtt:Port=$port")
fi

http_args=()
if ! has_arg "Http:Urls"; then
  http_port=8080
  (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null && http_port=$(free_port)
  http_args=("--Http:Urls=http://127.0.0.1:$http_port")
fi

source_args=()
[ -n "$clip" ] && source_args=("--Sources:0:Uri=$clip" --Sources:0:Kind=file --Sources:0:Loop=true --Sources:0:Pace=true)
model_args=()
[ -n "$model" ] && model_args=("--Model:Path=$model")

say "edgeseg run (Ctrl-C stops it and the broker)"
status=0
"$ROOT/bin/edgeseg" run --summary "${source_args[@]}" "${model_args[@]}" "${mqtt_args[@]}" "${http_args[@]}" "${args[@]}" || status=$?
exit "$status"
