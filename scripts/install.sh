#!/usr/bin/env bash
# make install: EdgeSeg as a systemd service on this machine.
#
#   scripts/install.sh [--prefix /opt/edgeseg] [--destdir DIR] [--ort-site DIR] [--no-systemctl]
#
# 1. publishes a self-contained build for this box's runtime only (linux-x64 or linux-arm64; no .NET needed on the
#    box, no Windows or macOS files) with its native libraries into PREFIX (default /opt/edgeseg), with the models that
#    exist in models/, and says how large it is. ONNX Runtime comes from NuGet: on linux-x64 the GPU build
#    (libonnxruntime.so and its CUDA and TensorRT providers: CUDA 13, cuDNN 9, TensorRT 10 on the box), on linux-arm64
#    the CPU build;
# 2. creates the system user "edgeseg" (groups video, render) that the unit runs as;
# 3. installs systemd/edgeseg.service, and a drop-in with LoadCredential= for the MQTT secrets that exist in
#    /etc/edgeseg/credentials/;
# 4. writes a default /etc/edgeseg/appsettings.json unless one exists (a site's configuration is never overwritten)
#    and checks the configuration as the service user would see it.
# It does not start the service; it prints how.
#
# --destdir DIR   stage everything under DIR instead of / (packaging, or a dry run without root): no user, no systemctl.
# --ort-site DIR  a folder holding a site's own build of ONNX Runtime 1.32 or newer (libonnxruntime.so* and its
#                 libonnxruntime_providers_*.so: a CUDA 12 build, JetPack's on a Jetson): copied to PREFIX/onnxruntime-site
#                 and named in the default configuration's Model:LibraryPath.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX=/opt/edgeseg
DESTDIR=""
ORT_SITE=""
SYSTEMCTL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --destdir) DESTDIR="$(realpath -m "$2")"; SYSTEMCTL=0; shift 2 ;;
    --ort-site) ORT_SITE="$(realpath "$2")"; shift 2 ;;
    --no-systemctl) SYSTEMCTL=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
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
ok "the OpenCV shim is in .native/; ONNX Runtime is in the build output (NuGet)"

say "publish: self-contained $RID build of edgeseg"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
dotnet publish "$ROOT/src/EdgeSeg.Service/EdgeSeg.Service.csproj" -c Release -r "$RID" --self-contained true \
  -p:DebugType=none --artifacts-path "$STAGE/artifacts" -o "$STAGE/out" -nologo -v:q -clp:ErrorsOnly \
  || fail "dotnet publish failed" "fix the build errors above (make build)"
[ -f "$STAGE/out/libonnxruntime.so" ] && [ -f "$STAGE/out/libedgeseg_cv.so" ] \
  || fail "the native libraries are not in the publish output" "run make setup, then make install again"
# A publish for one runtime carries only that runtime's native files; anything for Windows or macOS is a packaging fault.
foreign="$(find "$STAGE/out" \( -name '*.dylib' -o -name 'onnxruntime*.dll' -o -name 'DirectML.dll' -o -path '*/runtimes/win*' -o -path '*/runtimes/osx*' \) | head -3)"
[ -z "$foreign" ] || fail "the $RID publish holds files for another platform: $foreign" "check the ONNX Runtime package references in src/EdgeSeg.OnnxRuntime"
ort_size="$(du -ch "$STAGE"/out/libonnxruntime*.so | tail -1 | cut -f1)"
ok "$RID only: $(du -sh "$STAGE/out" | cut -f1) in $(find "$STAGE/out" -type f | wc -l) files, of which ONNX Runtime $ort_size ($(cd "$STAGE/out" && ls libonnxruntime*.so | tr '\n' ' '))"

TARGET="$DESTDIR$PREFIX"
say "install: $TARGET"
$SUDO rm -rf "$TARGET.new"
$SUDO mkdir -p "$TARGET.new"
$SUDO cp -a "$STAGE/out/." "$TARGET.new/"
$SUDO cp "$ROOT/README.md" "$TARGET.new/"
# The GPU check runs from here on a box without the .NET SDK (it finds edgeseg beside it).
$SUDO install -m 0755 "$ROOT/scripts/gpu-check.sh" "$TARGET.new/gpu-check.sh"
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
if [ -n "$ORT_SITE" ]; then
  src="$ORT_SITE"; [ -f "$ORT_SITE/lib/libonnxruntime.so" ] && src="$ORT_SITE/lib"
  [ -f "$src/libonnxruntime.so" ] \
    || fail "--ort-site $ORT_SITE holds no libonnxruntime.so (nor lib/libonnxruntime.so)" "pass the folder of a site's ONNX Runtime build (1.32 or newer)"
  $SUDO mkdir -p "$TARGET.new/onnxruntime-site"
  $SUDO cp -a "$src"/libonnxruntime*.so* "$TARGET.new/onnxruntime-site/"
  ok "the site's ONNX Runtime build: $(ls "$TARGET.new/onnxruntime-site" | tr '\n' ' ')"
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
  [ -n "$ORT_SITE" ] && library=", \"LibraryPath\": \"$PREFIX/onnxruntime-site/libonnxruntime.so\""
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
GPU (NVIDIA): on linux-x64 the bundled ONNX Runtime is the GPU build. It needs the NVIDIA driver (580+), CUDA 13,
  cuDNN 9 and, for TensorRT, TensorRT 10 (README: "GPU boxes: what to install"). A CUDA 12 box or a Jetson uses a
  site build instead: scripts/install.sh --ort-site <its folder>, which sets Model:LibraryPath in a fresh default
  configuration (for an existing one, set "Model": { "LibraryPath": "$PREFIX/onnxruntime-site/libonnxruntime.so" }).
  '$PREFIX/edgeseg doctor' says per provider whether it is usable and which library is missing; the log's first
  lines say which provider runs the model.
EOT
