# onestop — the two commands a new user needs are `make run` and `make test`.
# Each installs what it needs first (Debian/Ubuntu: libxml2-dev, zlib1g-dev, pkg-config).

SWIFT ?= swift
BIN_DIR = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)
ONESTOP = $(BIN_DIR)/onestop
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build run test validate acceptance release clean bench bench-smoke bench-micro

all: build

## deps: install the C libraries onestop links (libxml2, zlib) when they are missing.
deps:
	@if ! pkg-config --exists libxml-2.0 zlib 2>/dev/null; then \
		echo "installing libxml2-dev zlib1g-dev pkg-config"; \
		(apt-get update -qq || sudo apt-get update -qq) && \
		(apt-get install -y -qq libxml2-dev zlib1g-dev pkg-config || sudo apt-get install -y -qq libxml2-dev zlib1g-dev pkg-config); \
	fi

## build: debug build of the onestop command.
build: deps
	$(SWIFT) build --product onestop

## run: build, then run the demo pipeline over Fixtures/ into out/demo/ and print the scorecard.
run: build
	$(ONESTOP) run Pipelines/demo.yaml --monthly --jobs $(JOBS)

## test: unit, end-to-end and acceptance tests (Swift Testing).
test: build
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## validate: check the shipped pipelines, dialects and catalogues.
validate: build
	$(ONESTOP) validate Pipelines/demo.yaml
	$(ONESTOP) validate Pipelines/acceptance-2022.yaml

## acceptance: run the acceptance year (../shared/acceptance) into out/acceptance-2022/ (exits 65: it holds broken files on purpose).
acceptance: build
	-$(ONESTOP) run Pipelines/acceptance-2022.yaml --monthly --jobs $(JOBS)

## release: optimised build for real data (.build/release/onestop).
release: deps
	$(SWIFT) build -c release --product onestop

## bench: generate (cached in .build-bench-data/) ≥ 1 GB of dvcqg exports, then measure a raw libxml2 SAX2 parse, xmllint and onestop --jobs 1/2; prints Markdown tables and the SPEC §7 checks. Not part of make test.
bench: deps
	python3 Bench/bench.py

## bench-smoke: the bench harness on tiny data with the debug build (seconds; also run by make test).
bench-smoke: build
	python3 Bench/bench.py --smoke --onestop $(ONESTOP)

## bench-micro: ordo-one/benchmark micro-benchmarks of the hot paths (separate package in Benchmarks/).
bench-micro: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

clean:
	rm -rf .build out
