# EdgeSeg: the two commands a person needs are `make run` and `make test`.
# Every target installs what it needs first (scripts/setup.sh is idempotent and quick when done).

SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup native build run test bench install clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: ## install Debian packages, build the OpenCV shim and the solution (NuGet brings ONNX Runtime)
	@scripts/setup.sh all

native: ## only the native parts: apt packages and the OpenCV shim
	@scripts/setup.sh native

build: setup ## same as setup (the solution is built in Release)

run: setup ## run the service on the bundled sample with the default model and a local broker
	@scripts/run.sh

test: setup ## run every test and print "N passed, N failed"
	@scripts/test.sh

install: setup ## install as a systemd service: a self-contained build for this box's runtime in /opt/edgeseg, the unit, /etc/edgeseg (see scripts/install.sh --help)
	@scripts/install.sh

bench: setup ## run the benchmarks (BenchmarkDotNet and the end-to-end bench)
	@scripts/bench.sh

clean: ## remove build output (NuGet's package cache, with ONNX Runtime, is kept)
	rm -rf artifacts TestResults .native/opencv-shim-build .native/opencv-shim
