# onestop — the two commands a new user needs are `make run` and `make test`.
# Each installs what it needs first (Debian/Ubuntu: libxml2-dev, zlib1g-dev, pkg-config).

SWIFT ?= swift
BIN_DIR = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)
ONESTOP = $(BIN_DIR)/onestop
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON ?= python3
CHROMIUM ?= chromium

.PHONY: all deps build run test test-deps test-postgres report-check validate acceptance release clean bench bench-smoke bench-micro

all: build

## deps: install the C libraries onestop links (libxml2, zlib, SQLite) when they are missing.
deps:
	@if ! pkg-config --exists libxml-2.0 zlib sqlite3 2>/dev/null; then \
		echo "installing libxml2-dev zlib1g-dev libsqlite3-dev pkg-config"; \
		(apt-get update -qq || sudo apt-get update -qq) && \
		(apt-get install -y -qq libxml2-dev zlib1g-dev libsqlite3-dev pkg-config || sudo apt-get install -y -qq libxml2-dev zlib1g-dev libsqlite3-dev pkg-config); \
	fi

## build: debug build of the onestop command.
build: deps
	$(SWIFT) build --product onestop

## run: build, then run the demo pipeline over Fixtures/ into out/demo/ and print the scorecard.
run: build
	$(ONESTOP) run Pipelines/demo.yaml --monthly --jobs $(JOBS)

## test: unit, end-to-end and acceptance tests (Swift Testing), the workbook read back with openpyxl,
## the PostgreSQL sink against a private server (test-postgres), then report-check when chromium is
## installed (make report-check installs it).
test: build test-deps
	$(SWIFT) build --build-tests
	ONESTOP_REQUIRE_OPENPYXL=$$($(PYTHON) -c 'import openpyxl' 2>/dev/null && echo 1 || echo 0) $(SWIFT) test --skip-build
	@$(MAKE) --no-print-directory test-postgres
	@if command -v $(CHROMIUM) >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory report-check; \
	else \
		echo "report-check skipped: $(CHROMIUM) is not installed (make report-check installs it)"; \
	fi

## test-deps: openpyxl, the independent reader the workbook test reads onestop.xlsx back with
## (when pip cannot install it, that test is skipped with a message, never passed silently), and
## the sqlite3 tool the run-history tests read history.sqlite back with.
test-deps:
	@command -v sqlite3 >/dev/null 2>&1 || { \
		echo "installing sqlite3"; \
		(apt-get update -qq || sudo apt-get update -qq) && \
		(apt-get install -y -qq sqlite3 || sudo apt-get install -y -qq sqlite3); \
	} || echo "sqlite3 could not be installed: the run-history tests that read history.sqlite with it will fail"
	@$(PYTHON) -c 'import openpyxl' 2>/dev/null || \
		$(PYTHON) -m pip install -q --disable-pip-version-check openpyxl 2>/dev/null || \
		$(PYTHON) -m pip install -q --disable-pip-version-check --break-system-packages openpyxl 2>/dev/null || \
		echo "openpyxl could not be installed: the workbook read-back test will be skipped"

## test-postgres: the PostgreSQL sink tests (suites PostgresSink*) against a private server:
## PostgreSQL from Debian's packages (installed when missing), initdb in a temporary folder, its
## socket there, TCP on 127.0.0.1 with TLS — no system service or port touched — stopped afterwards.
## Skipped, loudly, only when PostgreSQL cannot be installed or its server cannot start.
test-postgres: build
	$(SWIFT) build --build-tests
	@if ! sh scripts/postgres-test-server.sh install; then \
		echo "########################################################################"; \
		echo "## test-postgres SKIPPED: PostgreSQL could not be installed           ##"; \
		echo "## (apt-get install postgresql failed): the PostgreSQL sink is UNTESTED ##"; \
		echo "########################################################################"; \
		exit 0; \
	fi; \
	folder=$$(mktemp -d /tmp/onestop-pg.XXXXXX); \
	if ! sh scripts/postgres-test-server.sh start $$folder; then \
		echo "########################################################################"; \
		echo "## test-postgres SKIPPED: the private PostgreSQL server did not start  ##"; \
		echo "## the PostgreSQL sink is UNTESTED; its log follows                     ##"; \
		echo "########################################################################"; \
		cat $$folder/initdb.log $$folder/server.log 2>/dev/null; \
		sh scripts/postgres-test-server.sh stop $$folder; rm -rf $$folder; \
		exit 0; \
	fi; \
	trap 'sh scripts/postgres-test-server.sh stop '$$folder'; rm -rf '$$folder EXIT INT TERM; \
	ONESTOP_TEST_POSTGRES=$$folder $(SWIFT) test --skip-build --filter PostgresSink

## report-check: run the demo, render out/demo/report.html in headless Chromium (installed when
## missing) and fail on a console error, a page that does not render, or cut text; writes the
## full page to out/demo/report.png and regenerates the README's screenshot docs/report.png.
report-check: build
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
		echo "installing chromium"; \
		(apt-get update -qq || sudo apt-get update -qq) && \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium); \
	}
	$(ONESTOP) run Pipelines/demo.yaml --monthly --xlsx --jobs $(JOBS) --quiet
	CHROMIUM="$$(command -v $(CHROMIUM))" $(PYTHON) scripts/report-check.py out/demo/report.html out/demo/report.png docs/report.png 1480

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

## fuzz: libFuzzer (with AddressSanitizer) over ingest + normalise for FUZZ_SECONDS (default 120); Fuzz/README.md.
FUZZ_SECONDS ?= 120
.PHONY: fuzz
fuzz: deps
	sh Fuzz/build.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh Fuzz/run.sh
