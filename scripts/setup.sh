#!/usr/bin/env bash
# EdgeSeg set-up: everything a fresh Debian 12 (or Ubuntu 20.04-24.04) machine with the .NET SDK needs.
# Idempotent: each step checks what is already there and skips itself when nothing is to do.
#
#   scripts/setup.sh [all|apt|shim|build|check]
#
# Steps:
#   apt          Debian packages: cmake, g++, pkg-config, OpenCV (core, imgproc, imgcodecs, videoio), ffmpeg, mosquitto,
#                paho-mqtt, numpy and Pillow for the Python consumer sample (samples/consumers/python),
#                chromium (the tests open edgeseg process's report.html and the live page in it, headless)
#   shim         the C++ OpenCV shim (native/opencv-shim) built with CMake
#   build        the solution in Release and the bin/ launchers; NuGet restores ONNX Runtime (the official
#                Microsoft.ML.OnnxRuntime packages: the GPU build on linux-x64, the CPU build on linux-arm64)
#   sample       the bundled synthetic drive samples/drive.mp4 (20 s, 15 fps, 640x360) with its masks and lane changes
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NATIVE="$ROOT/.native"
APT_PACKAGES=(cmake g++ make pkg-config
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-videoio-dev
  ffmpeg mosquitto mosquitto-clients openssl ca-certificates
  python3-paho-mqtt python3-numpy python3-pil chromium)

say()  { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
ok()   { printf '    %s\n' "$*"; }
fail() { # step, what failed, what to do
  printf '\033[1;31msetup failed in step "%s":\033[0m %s\n    what to do: %s\n' "$1" "$2" "$3" >&2
  exit 1
}

step_apt() {
  say "apt: checking Debian packages"
  local missing=() wanted=("${APT_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    ok "all ${#wanted[@]} packages present; skipping apt-get"
    return
  fi
  ok "installing: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail apt "not root and no sudo to install ${missing[*]}" "run as root, or: sudo apt-get install ${missing[*]}"
    sudo="sudo"
  fi
  $sudo apt-get update -qq >/dev/null || fail apt "apt-get update failed" "check the machine's apt sources and network, then re-run make setup"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail apt "apt-get install ${missing[*]} failed" "run it by hand to see apt's message, then re-run make setup"
  ok "installed ${#missing[@]} packages"
}

step_shim() {
  say "shim: building the OpenCV shim with CMake"
  local src="$ROOT/native/opencv-shim" build="$NATIVE/opencv-shim-build"
  [ -f "$src/CMakeLists.txt" ] || fail shim "native/opencv-shim/CMakeLists.txt is missing" "restore it from git"
  [ -f /usr/include/opencv4/opencv2/videoio.hpp ] || [ -n "${OPENCV_ROOT:-}" ] \
    || fail shim "OpenCV's headers are not installed (/usr/include/opencv4)" "run: scripts/setup.sh apt"
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release ${OPENCV_ROOT:+-DOPENCV_ROOT="$OPENCV_ROOT"} -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$NATIVE/opencv-shim" >/dev/null \
    || fail shim "cmake configure failed" "run: cmake -S native/opencv-shim -B .native/opencv-shim-build to see why"
  cmake --build "$build" -j"$(nproc)" >"$build.log" 2>&1 \
    || { tail -20 "$build.log" >&2; fail shim "the shim did not compile (log: .native/opencv-shim-build.log)" "fix the compile error above"; }
  ok "built .native/opencv-shim/libedgeseg_cv.so"
}

step_build() {
  say "build: dotnet build EdgeSeg.sln -c Release"
  command -v dotnet >/dev/null || fail build "the .NET SDK is not installed" "install the .NET 10 SDK"
  dotnet build "$ROOT/EdgeSeg.sln" -c Release -nologo -clp:ErrorsOnly -v:q \
    || fail build "the solution did not build" "fix the errors above"
  ok "built; launchers: bin/edgeseg, bin/edgeseg-train"
}

step_sample() {
  say "sample: the bundled synthetic drive (samples/drive.mp4)"
  local out="$ROOT/samples" want
  # The stamp names the generator's sources and the parameters, so a changed generator renders the sample again.
  want="seed=1 640x360 20s 15fps $(cat "$ROOT"/src/EdgeSeg.Trainer/Synthesis/*.cs | sha256sum | cut -c1-16)"
  if [ -f "$out/drive.mp4" ] && [ -f "$out/drive.json" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$want" ]; then
    ok "present and current; skipping"
    return
  fi
  [ -f "$ROOT/artifacts/bin/EdgeSeg.Trainer/release/edgeseg-train.dll" ] || fail sample "edgeseg-train is not built" "run: scripts/setup.sh build"
  command -v ffmpeg >/dev/null || fail sample "ffmpeg is not installed" "run: scripts/setup.sh apt"
  rm -rf "$out/drive" "$out/drive.mp4" "$out/drive.json" "$out/.stamp"
  mkdir -p "$out"
  "$ROOT/bin/edgeseg-train" synth --video "$out/drive.mp4" --seconds 20 --fps 15 --size 640x360 --seed 1 --out "$out/drive" \
    </dev/null >"$out/synth.log" 2>&1 \
    || { tail -5 "$out/synth.log" >&2; fail sample "rendering the sample drive failed (log: samples/synth.log)" "fix the error above, then re-run make setup"; }
  echo "$want" > "$out/.stamp"
  ok "rendered samples/drive.mp4, samples/drive.json (lane changes) and samples/drive/masks/ (300 exact masks)"
}

step_check() {
  # ONNX Runtime's native library comes with the NuGet package and is copied into the build output by the build.
  ls "$ROOT"/artifacts/bin/EdgeSeg.Service/release/runtimes/linux-*/native/libonnxruntime.so >/dev/null 2>&1 \
    || fail check "ONNX Runtime is not in the build output (it comes with the Microsoft.ML.OnnxRuntime NuGet package)" "run: make setup"
  [ -f "$NATIVE/opencv-shim/libedgeseg_cv.so" ] || fail check "the OpenCV shim is not built" "run: make setup"
  ok "native libraries present"
}

case "${1:-all}" in
  apt) step_apt ;;
  shim) step_shim ;;
  build) step_build ;;
  check) step_check ;;
  native) step_apt; step_shim ;;
  sample) step_sample ;;
  all) step_apt; step_shim; step_build; step_sample ;;
  *) echo "usage: scripts/setup.sh [all|native|apt|shim|build|sample|check]" >&2; exit 2 ;;
esac
