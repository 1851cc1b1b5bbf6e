# onestop — the two commands a new user needs are `make run` and `make test`.
# Each installs what it needs first (Debian/Ubuntu: libxml2-dev, zlib1g-dev, pkg-config).

SWIFT ?= swift
BIN_DIR = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)
ONESTOP = $(BIN_DIR)/onestop
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON ?= python3
CHROMIUM ?= chromium
LIBREOFFICE ?= libreoffice

.PHONY: all deps build run test test-deps test-postgres test-spark report-check validate acceptance release clean bench bench-smoke bench-micro bench-scale

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
## the PostgreSQL sink against a private server (test-postgres), then report-check (which installs
## Chromium and LibreOffice when missing).
test: build test-deps
	$(SWIFT) build --build-tests
	ONESTOP_REQUIRE_OPENPYXL=$$($(PYTHON) -c 'import openpyxl' 2>/dev/null && echo 1 || echo 0) $(SWIFT) test --skip-build
	@$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory report-check

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

## test-spark: deploy/spark/onestop_spark.py on Spark local[2] over a generated 8-source set, compared
## byte for byte (diff -r) with a single run; installs Java 17 (apt) and pyspark (PyPI) when missing.
## A few minutes, most of it Spark starting; .ci/run runs it after make test.
test-spark: build
	$(PYTHON) deploy/spark/run_spark_test.py --onestop $(ONESTOP) --python $(PYTHON)

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

## report-check: run the demo (with --xlsx --dossiers), render out/demo/report.html in headless Chromium
## (installed when missing) on a 1200-px screen, a 400-px phone and A4 print (Page.printToPDF), and fail
## on a console error, a page that does not render, overflow or cut text; then open out/demo/onestop.xlsx
## in LibreOffice headless (libreoffice-calc, installed when missing) and fail when it cannot convert it
## to PDF. Writes the screenshots and PDFs to out/report-check/ and regenerates the README's docs/report.png.
report-check: build
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
		echo "installing chromium"; \
		(apt-get update -qq || sudo apt-get update -qq) && \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium || sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium); \
	}
	@command -v $(LIBREOFFICE) >/dev/null 2>&1 || { \
		echo "installing libreoffice-calc"; \
		(apt-get update -qq || sudo apt-get update -qq) && \
		(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc || sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc); \
	}
	$(ONESTOP) run Pipelines/demo.yaml --monthly --xlsx --dossiers --jobs $(JOBS) --quiet
	CHROMIUM="$$(command -v $(CHROMIUM))" $(PYTHON) scripts/report-check.py out/demo/report.html out/report-check/report.png docs/report.png 1480
	@mkdir -p out/report-check; rm -f out/report-check/onestop.pdf; profile="$$(mktemp -d)"; \
	$(LIBREOFFICE) -env:UserInstallation="file://$$profile" --headless --convert-to pdf --outdir out/report-check out/demo/onestop.xlsx >out/report-check/libreoffice.log 2>&1; \
	status=$$?; rm -rf "$$profile"; \
	if [ $$status -ne 0 ] || [ ! -s out/report-check/onestop.pdf ]; then \
		echo "report-check: FAIL: LibreOffice could not open out/demo/onestop.xlsx (exit $$status; out/report-check/libreoffice.log)" >&2; exit 1; \
	fi; \
	echo "report-check: LibreOffice opened out/demo/onestop.xlsx and printed it to out/report-check/onestop.pdf"

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

## bench: generate (cached in .build-bench-data/) ≥ 1 GB of dvcqg exports, then measure a raw libxml2 SAX2 parse, xmllint and onestop --jobs 1/2; prints Markdown tables and the docs/contract.md §7 checks. Not part of make test.
bench: deps
	python3 Bench/bench.py

## bench-scale: sharding at scale (Bench/scale.py): a generated province-year (2.4 M dossiers, 9 GB) as one shard,
## 8 provinces as one run against 8 shards + merge, and the merge of 1,000 partials; README "Sharding". Not part of make test.
bench-scale: release
	python3 Bench/scale.py --onestop .build/release/onestop

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
