# Two commands do all set-up and run everything on a fresh machine:
#   make demo   start avochato-mock and run the quickstarts (Rust, Node, Python, CLI) against it
#   make test   every test of every host
# and `make bench` measures every host against its raw HTTP client (writes BENCHMARKS.md);
# `make fuzz` fuzzes the core (FUZZ_SECONDS per target), `make soak` runs 100,000 calls per host.
SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: setup demo test bench test-rust test-wasm32 test-js test-python test-kotlin build-js build-mock build-wheel wheels lint fuzz fuzz-smoke soak

setup:
	scripts/setup.sh all

demo: setup
	scripts/demo.sh

test: setup lint test-rust test-wasm32 test-js test-python test-kotlin fuzz-smoke

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy -p avochato-wasm --target wasm32-unknown-unknown -- -D warnings
	$(CARGO) clippy -p avochato-wasm --target wasm32-unknown-unknown --features proxy -- -D warnings
	$(CARGO) clippy -p avochato-python -- -D warnings
	$(CARGO) clippy -p avochato-uniffi -- -D warnings
	$(CARGO) clippy -p avochato-fuzz --all-targets -- -D warnings

build-mock:
	$(CARGO) build -p avochato-mock

# The npm package (release build with the size profile, wasm-opt -Oz) into js/dist.
build-js:
	node js/scripts/build.mjs

# Core, mock and CLI (the default workspace members), then the mock's load figures.
test-rust:
	$(CARGO) test --workspace --exclude avochato-wasm --exclude avochato-python --exclude avochato-uniffi --exclude avochato-fuzz -- --skip ten_thousand_requests
	$(CARGO) test -p avochato-mock --test load -- --nocapture

# The core builds for the browser/Node target, with and without its host annotations.
test-wasm32:
	$(CARGO) build -p avochato --target wasm32-unknown-unknown
	$(CARGO) build -p avochato --target wasm32-unknown-unknown --features wasm

# The npm package in Node (node --test) and in headless Chromium, against the mock binary.
test-js: build-mock build-js
	cd js && node --test --test-concurrency=2 test/*.test.mjs

# The Python wheel: manylinux2014 (glibc 2.17 or newer) for this machine's architecture, linked by
# zig from PyPI (maturin --zig), the python-release profile (size-minded, built once); installed into
# python/.venv. Tests and benchmarks use this wheel.
VENV ?= $(abspath $(or $(AVOCHATO_VENV),python/.venv))
WHEEL_DIR := target/wheels
MATURIN = PATH="$(VENV)/bin:$$PATH" $(VENV)/bin/maturin
HOST_ARCH := $(shell uname -m)
build-wheel:
	rm -f $(WHEEL_DIR)/avochato-*.whl
	cd python && $(MATURIN) build --profile python-release --zig --target $(HOST_ARCH)-unknown-linux-gnu --compatibility manylinux2014 --quiet --out ../$(WHEEL_DIR)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-index --no-deps --force-reinstall $(WHEEL_DIR)/avochato-*.whl

# Every platform's wheel (manylinux2014 and musllinux_1_2, x86_64 and aarch64) and the sdist into
# target/wheels/dist, then checked (auditwheel, the ELF of each, the x86_64 one installed and run).
# Not part of make test: four release builds.
DIST_DIR := target/wheels/dist
WHEEL_TARGETS := x86_64-unknown-linux-gnu:manylinux2014 aarch64-unknown-linux-gnu:manylinux2014 \
	x86_64-unknown-linux-musl:musllinux_1_2 aarch64-unknown-linux-musl:musllinux_1_2
wheels: build-mock
	scripts/setup.sh python
	rustup target add $(foreach t,$(WHEEL_TARGETS),$(firstword $(subst :, ,$(t))))
	rm -rf $(DIST_DIR)
	set -e; for t in $(WHEEL_TARGETS); do \
	  (cd python && $(MATURIN) build --profile python-release --zig --target $${t%%:*} --compatibility $${t##*:} --quiet --out ../$(DIST_DIR)); \
	done
	cd python && $(MATURIN) sdist --out ../$(DIST_DIR)
	AVOCHATO_DIST=$(CURDIR)/$(DIST_DIR) $(VENV)/bin/python -m pytest python/tests/test_wheel.py -k every_platform -v

# pytest against the installed wheel (not the source folder), including a fresh-venv install.
test-python: build-mock build-wheel
	AVOCHATO_WHEEL=$$(ls $(CURDIR)/$(WHEEL_DIR)/avochato-*.whl) $(VENV)/bin/python -m pytest python/tests

# The JVM package (kotlin/build.sh): the cdylib (debug, in the workspace target/) with its
# uniffi-bindgen, the generated Kotlin, one kotlinc run (skipped while nothing changed), then
# the Kotlin test program and the Java example against the mock binary.
test-kotlin: build-mock
	$(CARGO) test -p avochato-uniffi --features bindgen --lib
	kotlin/build.sh test

# Benchmarks (not part of make test): release builds of the mock, the CLI and the Rust bench;
# the npm package and the wheel as make test builds them. Writes BENCHMARKS.md.
bench: setup build-mock build-js build-wheel
	$(CARGO) build --release -p avochato-mock -p avochato-cli -p avochato-bench
	kotlin/build.sh jar
	# The widget pages' and the Worker's sizes (js/build/*-sizes.json), as the bundlers make them.
	cd js && node --test test/bundlers.test.mjs test/runtimes.test.mjs
	$(VENV)/bin/python scripts/bench.py

# Fuzzing (scripts/fuzz.py: libFuzzer on stable Rust, built into target/fuzz). The smoke run is
# part of make test: the seeds replayed (cargo test), then every target briefly from the seeds.
FUZZ_SECONDS ?= 120
fuzz:
	scripts/setup.sh fuzz
	python3 scripts/fuzz.py run --seconds $(FUZZ_SECONDS)

fuzz-smoke:
	scripts/setup.sh fuzz
	$(CARGO) test -p avochato-fuzz
	python3 scripts/fuzz.py smoke

# 100,000 calls through the Python AsyncClient and through Node at concurrency 32 against the
# release mock (not part of make test): RSS, heap and open descriptors every 10,000 calls.
soak: setup build-js build-wheel
	$(CARGO) build --release -p avochato-mock
	$(VENV)/bin/python scripts/soak.py
