# Two commands do all set-up and run everything on a fresh machine:
#   make demo   start avochato-mock and run the quickstarts (Rust, Node, Python, CLI) against it
#   make test   every test of every host
SHELL := /bin/bash
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: setup demo test test-rust test-wasm32 test-js build-js build-mock lint

setup:
	scripts/setup.sh all

demo: setup
	scripts/demo.sh

test: setup lint test-rust test-wasm32 test-js

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy -p avochato-wasm --target wasm32-unknown-unknown -- -D warnings

build-mock:
	$(CARGO) build -p avochato-mock

# The npm package (release build with the size profile, wasm-opt -Oz) into js/dist.
build-js:
	node js/scripts/build.mjs

# Core, mock and CLI (the default workspace members), then the mock's load figures.
test-rust:
	$(CARGO) test --workspace --exclude avochato-wasm --exclude avochato-python -- --skip ten_thousand_requests
	$(CARGO) test -p avochato-mock --test load -- --nocapture

# The core builds for the browser/Node target, with and without its host annotations.
test-wasm32:
	$(CARGO) build -p avochato --target wasm32-unknown-unknown
	$(CARGO) build -p avochato --target wasm32-unknown-unknown --features wasm

# The npm package in Node (node --test) and in headless Chromium, against the mock binary.
test-js: build-mock build-js
	cd js && node --test --test-concurrency=2 test/*.test.mjs
