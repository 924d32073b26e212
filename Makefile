# Two commands do all set-up and run everything on a fresh machine:
#   make demo   start avochato-mock and run the quickstarts (Rust, Node, Python, CLI) against it
#   make test   every test of every host
# and `make bench` measures every host against its raw HTTP client (writes BENCHMARKS.md);
# `make fuzz` fuzzes the core (FUZZ_SECONDS per target), `make soak` runs 100,000 calls per host.
SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: setup demo test bench test-rust test-wasm32 test-js test-python build-js build-mock build-wheel lint fuzz fuzz-smoke soak

setup:
	scripts/setup.sh all

demo: setup
	scripts/demo.sh

test: setup lint test-rust test-wasm32 test-js test-python fuzz-smoke

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy -p avochato-wasm --target wasm32-unknown-unknown -- -D warnings
	$(CARGO) clippy -p avochato-python -- -D warnings
	$(CARGO) clippy -p avochato-fuzz --all-targets -- -D warnings

build-mock:
	$(CARGO) build -p avochato-mock

# The npm package (release build with the size profile, wasm-opt -Oz) into js/dist.
build-js:
	node js/scripts/build.mjs

# Core, mock and CLI (the default workspace members), then the mock's load figures.
test-rust:
	$(CARGO) test --workspace --exclude avochato-wasm --exclude avochato-python --exclude avochato-fuzz -- --skip ten_thousand_requests
	$(CARGO) test -p avochato-mock --test load -- --nocapture

# The core builds for the browser/Node target, with and without its host annotations.
test-wasm32:
	$(CARGO) build -p avochato --target wasm32-unknown-unknown
	$(CARGO) build -p avochato --target wasm32-unknown-unknown --features wasm

# The npm package in Node (node --test) and in headless Chromium, against the mock binary.
test-js: build-mock build-js
	cd js && node --test --test-concurrency=2 test/*.test.mjs

# The Python wheel (maturin, the python-release profile: size-minded, built once) installed into python/.venv.
VENV ?= $(abspath $(or $(AVOCHATO_VENV),python/.venv))
WHEEL_DIR := target/wheels
build-wheel:
	rm -f $(WHEEL_DIR)/avochato-*.whl
	cd python && $(VENV)/bin/maturin build --profile python-release --quiet --out ../$(WHEEL_DIR)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-index --no-deps --force-reinstall $(WHEEL_DIR)/avochato-*.whl

# pytest against the installed wheel (not the source folder), including a fresh-venv install.
test-python: build-mock build-wheel
	AVOCHATO_WHEEL=$$(ls $(CURDIR)/$(WHEEL_DIR)/avochato-*.whl) $(VENV)/bin/python -m pytest python/tests

# Benchmarks (not part of make test): release builds of the mock, the CLI and the Rust bench;
# the npm package and the wheel as make test builds them. Writes BENCHMARKS.md.
bench: setup build-js build-wheel
	$(CARGO) build --release -p avochato-mock -p avochato-cli -p avochato-bench
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
