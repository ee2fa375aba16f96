#!/usr/bin/env bash
# make install: EdgeSeg as a systemd service on this machine.
#
#   scripts/install.sh [--prefix /opt/edgeseg] [--destdir DIR] [--ort-gpu DIR] [--no-systemctl]
#
# 1. publishes a self-contained linux-x64 build (no .NET needed on the box) with its native libraries
#    (libonnxruntime.so.1, libedgeseg_cv.so) into PREFIX (default /opt/edgeseg), with the models that exist in models/;
# 2. creates the system user "edgeseg" (groups video, render) that the unit runs as;
# 3. installs systemd/edgeseg.service, and a drop-in with LoadCredential= for the MQTT secrets that exist in
#    /etc/edgeseg/credentials/;
# 4. writes a default /etc/edgeseg/appsettings.json unless one exists (a site's configuration is never overwritten)
#    and checks the configuration as the service user would see it.
# It does not start the service; it prints how.
#
# --destdir DIR   stage everything under DIR instead of / (packaging, or a dry run without root): no user, no systemctl.
# --ort-gpu DIR   a folder holding the GPU build of ONNX Runtime 1.30.0 (libonnxruntime.so.1 and
#                 libonnxruntime_providers_{shared,cuda,tensorrt}.so): copied to PREFIX/onnxruntime-gpu and named in the
#                 default configuration's Model:LibraryPath.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX=/opt/edgeseg
DESTDIR=""
ORT_GPU=""
SYSTEMCTL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --destdir) DESTDIR="$(realpath -m "$2")"; SYSTEMCTL=0; shift 2 ;;
    --ort-gpu) ORT_GPU="$(realpath "$2")"; shift 2 ;;
    --no-systemctl) SYSTEMCTL=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
ok()   { printf '    %s\n' "$*"; }
fail() { printf '\033[1;31minstall failed:\033[0m %s\n    what to do: %s\n' "$1" "$2" >&2; exit 1; }

SUDO=""
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || fail "installing to $PREFIX needs root" "run as root, or: scripts/install.sh --destdir /tmp/edgeseg-stage"
  SUDO="sudo"
fi

case "$(uname -m)" in
  x86_64|amd64) RID=linux-x64 ;;
  aarch64|arm64) RID=linux-arm64 ;;
  *) fail "no build for $(uname -m)" "use an x86-64 or arm64 machine" ;;
esac

say "native libraries"
"$ROOT/scripts/setup.sh" check >/dev/null || fail "the native libraries are not built" "run make setup (make install does it first)"
ok "ONNX Runtime and the OpenCV shim are in .native/"

say "publish: self-contained $RID build of edgeseg"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
dotnet publish "$ROOT/src/EdgeSeg.Service/EdgeSeg.Service.csproj" -c Release -r "$RID" --self-contained true \
  -p:DebugType=none --artifacts-path "$STAGE/artifacts" -o "$STAGE/out" -nologo -v:q -clp:ErrorsOnly \
  || fail "dotnet publish failed" "fix the build errors above (make build)"
[ -f "$STAGE/out/libonnxruntime.so.1" ] && [ -f "$STAGE/out/libedgeseg_cv.so" ] \
  || fail "the native libraries are not in the publish output" "run make setup, then make install again"
ok "$(du -sh "$STAGE/out" | cut -f1) in $(find "$STAGE/out" -type f | wc -l) files"

TARGET="$DESTDIR$PREFIX"
say "install: $TARGET"
$SUDO rm -rf "$TARGET.new"
$SUDO mkdir -p "$TARGET.new"
$SUDO cp -a "$STAGE/out/." "$TARGET.new/"
$SUDO cp "$ROOT/README.md" "$TARGET.new/"
$SUDO mkdir -p "$TARGET.new/models"
models=0
[ -d "$ROOT/models" ] && models=$(find "$ROOT/models" -maxdepth 1 -name '*.onnx' | wc -l)
if [ "$models" -gt 0 ]; then
  $SUDO cp "$ROOT"/models/*.onnx "$TARGET.new/models/"
  for card in "$ROOT"/models/*.json; do [ -f "$card" ] && $SUDO cp "$card" "$TARGET.new/models/"; done
  ok "models: $(ls "$TARGET.new/models" | tr '\n' ' ')"
else
  ok "models/ holds no model yet: put one in $PREFIX/models and set Model:Path in /etc/edgeseg/appsettings.json"
fi
if [ -n "$ORT_GPU" ]; then
  [ -f "$ORT_GPU/libonnxruntime.so.1" ] || [ -f "$ORT_GPU/lib/libonnxruntime.so.1" ] \
    || fail "--ort-gpu $ORT_GPU holds no libonnxruntime.so.1" "unpack onnxruntime-linux-x64-gpu-1.30.0.tgz and pass its folder"
  src="$ORT_GPU"; [ -f "$ORT_GPU/lib/libonnxruntime.so.1" ] && src="$ORT_GPU/lib"
  $SUDO mkdir -p "$TARGET.new/onnxruntime-gpu"
  $SUDO cp -a "$src"/libonnxruntime*.so* "$TARGET.new/onnxruntime-gpu/"
  ok "GPU build of ONNX Runtime: $(ls "$TARGET.new/onnxruntime-gpu" | tr '\n' ' ')"
fi
# Swap in the new tree in one step, keeping the previous one until the swap is done.
if [ -d "$TARGET" ]; then $SUDO rm -rf "$TARGET.old"; $SUDO mv "$TARGET" "$TARGET.old"; fi
$SUDO mv "$TARGET.new" "$TARGET"
$SUDO rm -rf "$TARGET.old"
$SUDO chmod -R go-w "$TARGET"

say "configuration: $DESTDIR/etc/edgeseg/appsettings.json"
$SUDO mkdir -p "$DESTDIR/etc/edgeseg/credentials"
$SUDO chmod 0700 "$DESTDIR/etc/edgeseg/credentials"
if [ -f "$DESTDIR/etc/edgeseg/appsettings.json" ]; then
  ok "kept the existing file"
else
  library=""
  [ -n "$ORT_GPU" ] && library=", \"LibraryPath\": \"$PREFIX/onnxruntime-gpu/libonnxruntime.so.1\""
  $SUDO tee "$DESTDIR/etc/edgeseg/appsettings.json" >/dev/null <<JSON
{
  "Device": { "Id": "$(hostname -s 2>/dev/null | tr -c 'A-Za-z0-9._\n-' '-' || echo edgebox-01)" },
  "Sources": [
    { "Id": "cam0", "Uri": "/dev/video0", "Camera": { "Width": 1280, "Height": 720, "Fps": 30 } }
  ],
  "Model": { "Path": "$PREFIX/models/default.onnx", "Providers": [ "tensorrt", "cuda", "cpu" ]$library },
  "Mqtt": { "Host": "127.0.0.1", "Port": 1883, "TopicPrefix": "edgeseg/v1" },
  "Http": { "Urls": "http://127.0.0.1:8080" }
}
JSON
  ok "wrote a default for a V4L2 camera at /dev/video0 and a broker on this machine: edit it for this site"
fi

say "systemd unit"
UNIT_DIR="$DESTDIR/etc/systemd/system"
$SUDO mkdir -p "$UNIT_DIR"
$SUDO install -m 0644 "$ROOT/systemd/edgeseg.service" "$UNIT_DIR/edgeseg.service"
dropin="$UNIT_DIR/edgeseg.service.d/credentials.conf"
creds=()
[ -f "$DESTDIR/etc/edgeseg/credentials/mqtt-password" ] && creds+=("LoadCredential=mqtt-password:/etc/edgeseg/credentials/mqtt-password")
[ -f "$DESTDIR/etc/edgeseg/credentials/mqtt-tls.key" ] && creds+=("LoadCredential=mqtt-tls-key:/etc/edgeseg/credentials/mqtt-tls.key")
if [ ${#creds[@]} -gt 0 ]; then
  $SUDO mkdir -p "$(dirname "$dropin")"
  printf '[Service]\n%s\n' "${creds[@]}" | $SUDO tee "$dropin" >/dev/null
  ok "credentials: ${creds[*]}"
else
  $SUDO rm -f "$dropin"
  ok "no credentials in /etc/edgeseg/credentials (mqtt-password, mqtt-tls.key): none loaded"
fi

if [ -z "$DESTDIR" ]; then
  say "service user"
  if ! id edgeseg >/dev/null 2>&1; then
    $SUDO useradd --system --home-dir /var/lib/edgeseg --no-create-home --shell /usr/sbin/nologin --user-group edgeseg
    ok "created system user edgeseg"
  else
    ok "user edgeseg exists"
  fi
  for g in video render; do
    getent group "$g" >/dev/null && $SUDO usermod -a -G "$g" edgeseg
  done
  ok "groups: $(id -nG edgeseg)"
fi

say "checking the configuration"
missing=$(ldd "$TARGET/libedgeseg_cv.so" 2>/dev/null | awk '/not found/ {print $1}' | tr '\n' ' ')
[ -z "$missing" ] || ok "WARNING: libedgeseg_cv.so needs $missing: apt-get install the OpenCV 4.6 runtime (libopencv-core406 libopencv-imgproc406 libopencv-imgcodecs406 libopencv-videoio406)"
if [ -z "$DESTDIR" ]; then
  (cd "$TARGET" && $SUDO -u edgeseg "$TARGET/edgeseg" check-config 2>&1 | sed 's/^/    /') \
    || ok "the configuration above needs editing before the service can start"
else
  (cd "$TARGET" && "$TARGET/edgeseg" check-config --config "$DESTDIR/etc/edgeseg/appsettings.json" 2>&1 | sed 's/^/    /') || true
fi

if [ "$SYSTEMCTL" -eq 1 ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  $SUDO systemctl daemon-reload
  ok "systemd reloaded"
fi

cat <<EOT

EdgeSeg is installed in $TARGET.
  configure:  \$EDITOR /etc/edgeseg/appsettings.json  then  $PREFIX/edgeseg check-config
  start:      sudo systemctl enable --now edgeseg
  watch:      journalctl -u edgeseg -f     systemctl status edgeseg     curl http://127.0.0.1:8080/readyz
  secrets:    put the MQTT password in /etc/edgeseg/credentials/mqtt-password (mode 0600), set
              "Mqtt": { "Username": "...", "PasswordFile": "credential:mqtt-password" }, and run make install again
GPU (NVIDIA): the bundled ONNX Runtime is the CPU build. For CUDA/TensorRT, install CUDA 12, cuDNN 9 and TensorRT 10
  runtimes, unpack onnxruntime-linux-x64-gpu-1.30.0.tgz (github.com/microsoft/onnxruntime/releases) and run
  scripts/install.sh --ort-gpu <unpacked folder>; this sets Model:LibraryPath in a fresh default configuration (for an
  existing one, set "Model": { "LibraryPath": "$PREFIX/onnxruntime-gpu/libonnxruntime.so.1" } yourself). The log's
  first lines, and '$PREFIX/edgeseg doctor', say which provider runs the model and why others were skipped.
EOT
