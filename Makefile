# gne-metrics: two commands matter. `make build` and `make test` (see README).
SHELL := /bin/bash
.DEFAULT_GOAL := build

PYTHON_BOOTSTRAP ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed

export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

# Default data and databases for `make build`: dbt builds into the working database, the
# publish step then replaces the BI file (GNE_DB_PATH) that BI tools and `mf` read.
DEFAULT_RAW_DIR := $(CURDIR)/data/raw/default
export GNE_RAW_DIR ?= $(DEFAULT_RAW_DIR)
export GNE_DB_PATH ?= $(CURDIR)/build/gne.duckdb
export GNE_WORK_DB_PATH ?= $(CURDIR)/build/work/gne.duckdb

# The small deterministic dataset and its own databases for `make test` (a fixed, public
# pseudonym key: the test data is synthetic, and the tests recompute the pseudonyms).
TEST_RAW_DIR := $(CURDIR)/data/raw/test
TEST_DB_PATH := $(CURDIR)/build/test.duckdb
TEST_WORK_DB_PATH := $(CURDIR)/build/test-work/gne.duckdb
TEST_ENV := GNE_RAW_DIR=$(TEST_RAW_DIR) GNE_DB_PATH=$(TEST_DB_PATH) \
	GNE_WORK_DB_PATH=$(TEST_WORK_DB_PATH) GNE_PSEUDONYM_KEY=gne-test-key-not-a-secret

# dbt writes only through the `work` target; `mf` uses the profile's default, `bi` (read-only).
DBT := $(BIN)/dbt
WORK := --target work

# Shapes of the generated datasets (see scripts/generate_raw_data.py --help).
DEFAULT_DATA_ARGS := --seed 42 --start-date 2026-05-01 --days 184 --orders-per-day 250 --faults
TEST_DATA_ARGS := --seed 7 --start-date 2026-08-01 --days 76 --orders-per-day 30 --faults

.PHONY: build test venv data test-data lint dbt-test pytest docs clean snapshots update-snapshots \
	venv-spark test-spark publish export review chromium

$(STAMP): requirements.txt
	@command -v $(PYTHON_BOOTSTRAP) >/dev/null || { echo "need $(PYTHON_BOOTSTRAP)"; exit 1; }
	test -d $(VENV) || $(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

# The Spark toolchain (dbt-spark, pyspark) on top of the same .venv: its pins
# add packages and change none of requirements.txt's (see requirements-spark.txt).
SPARK_STAMP := $(VENV)/.installed-spark
$(SPARK_STAMP): requirements-spark.txt requirements.txt | $(STAMP)
	@command -v java >/dev/null || { echo "Spark needs Java 17 (java not found)"; exit 1; }
	$(BIN)/pip install --quiet -r requirements-spark.txt
	touch $(SPARK_STAMP)

venv-spark: $(SPARK_STAMP)

$(DEFAULT_RAW_DIR)/_meta/generation.json: | $(STAMP)
	$(BIN)/python scripts/generate_raw_data.py --out $(DEFAULT_RAW_DIR) $(DEFAULT_DATA_ARGS)

$(TEST_RAW_DIR)/_meta/generation.json: | $(STAMP)
	$(BIN)/python scripts/generate_raw_data.py --out $(TEST_RAW_DIR) $(TEST_DATA_ARGS)

data: $(DEFAULT_RAW_DIR)/_meta/generation.json
test-data: $(TEST_RAW_DIR)/_meta/generation.json

build: venv
	@if [ "$(GNE_RAW_DIR)" = "$(DEFAULT_RAW_DIR)" ]; then $(MAKE) --no-print-directory data; fi
	mkdir -p $(dir $(GNE_DB_PATH)) $(dir $(GNE_WORK_DB_PATH))
	$(DBT) seed --full-refresh --quiet $(WORK)
	$(DBT) build $(WORK)
	$(MAKE) --no-print-directory publish
	$(DBT) docs generate --quiet $(WORK)
	@$(BIN)/python scripts/print_build_summary.py

# Publish the last `dbt build` (refused unless it passed) to GNE_DB_PATH, atomically.
# PUBLISH_ARGS=--full writes every table again (by default a publish starts from the last one).
publish: venv
	$(BIN)/python scripts/publish_bi.py $(PUBLISH_ARGS)

# The published marts (and saved-query exports) as Parquet and CSV files for spreadsheets.
export: venv
	$(BIN)/python scripts/export_marts.py

# The dbt templater compiles the project, so it gets a scratch database and a target folder of
# its own (a build may run beside it: `make test` lints while dbt builds). sqlfluff lints in
# LINT_PROCESSES processes (templating stays in the main one: it needs dbt's manifest). Two
# processes shorten `make lint` alone but cost more CPU in all (about 115 s against 90 s
# measured), so `make test`, which lints beside a build and pytest's two workers, uses one.
LINT_PROCESSES ?= 2
TEST_LINT_PROCESSES ?= 1
LINT_ENV := GNE_WORK_DB_PATH=$(CURDIR)/build/lint/lint.duckdb DBT_TARGET_PATH=$(CURDIR)/build/lint/target \
	DBT_LOG_PATH=$(CURDIR)/build/lint/logs
lint: venv
	mkdir -p build/lint
	$(LINT_ENV) $(BIN)/sqlfluff lint --processes $(LINT_PROCESSES) models tests/singular
	$(BIN)/sqlfluff lint --processes $(LINT_PROCESSES) --templater raw --dialect duckdb \
		tests/snapshots/queries

# `make test` in phases (scripts/run_phases.py prints a start and an end line with wall and CPU
# seconds for each): lint runs in the background from the start, beside the dbt build, the
# publish, `mf validate-configs` and pytest, which run in that order and stop at the first
# failure. pytest shares its tests out over PYTEST_WORKERS processes (pytest-xdist, one test
# module at a time per worker; the order is in tests/python/conftest.py) and reads the databases
# built here
# (GNE_TEST_SHARED_BUILD=1: dbt_harness.shared_test_build). PYTEST_WORKERS=0 runs it in one
# process.
# The publish here is a full one, as on a fresh clone (the publish state goes with the
# working database); tests/python/test_bi_publish_delta.py tests a publish from the last one.
PYTEST_WORKERS ?= 2
PYTEST_ARGS := tests/python -q $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) \
	--dist loadscope --no-loadscope-reorder)
test: venv test-data chromium
	mkdir -p build
	rm -f $(TEST_WORK_DB_PATH) $(TEST_WORK_DB_PATH:.duckdb=.publish_state.duckdb)
	mkdir -p $(dir $(TEST_WORK_DB_PATH))
	$(TEST_ENV) GNE_TEST_SHARED_BUILD=1 $(BIN)/python scripts/run_phases.py --log-dir build/test-logs \
		--background "lint=$(MAKE) --no-print-directory lint LINT_PROCESSES=$(TEST_LINT_PROCESSES)" \
		--phase "dbt build=$(DBT) build --full-refresh $(WORK)" \
		--phase "publish=$(BIN)/python scripts/publish_bi.py" \
		--phase "mf validate-configs=$(BIN)/mf validate-configs" \
		--phase "pytest=$(BIN)/python -m pytest $(PYTEST_ARGS)"

# The same project on Apache Spark (profiles.yml target `spark`: a local
# session, tables as Parquet under build/spark/warehouse): the file manifests
# from the Python models' own code (Spark runs no dbt Python model here), then
# `dbt build` (every model, seed, data and unit test), every table of every
# schema compared with the DuckDB build of the same test data
# (scripts/compare_engines.py), and the fault scenario on both engines
# (tests/python/test_spark_faults.py).
SPARK_DIR := $(CURDIR)/build/spark
SPARK_REF_DB := $(CURDIR)/build/test-spark-reference.duckdb
SPARK_ENV := GNE_RAW_DIR=$(TEST_RAW_DIR) GNE_SPARK_DIR=$(SPARK_DIR)
SPARK_DBT := $(SPARK_ENV) $(BIN)/dbt --no-partial-parse
SPARK_ARGS := --target spark --target-path target-spark --log-path build/spark/logs
test-spark: venv-spark test-data
	mkdir -p build
	rm -rf $(SPARK_DIR) $(SPARK_REF_DB)
	GNE_RAW_DIR=$(TEST_RAW_DIR) GNE_WORK_DB_PATH=$(SPARK_REF_DB) $(BIN)/dbt seed $(WORK) --full-refresh --quiet
	GNE_RAW_DIR=$(TEST_RAW_DIR) GNE_WORK_DB_PATH=$(SPARK_REF_DB) $(BIN)/dbt run $(WORK) --full-refresh --quiet
	mkdir -p $(SPARK_DIR)
	$(SPARK_ENV) $(BIN)/python scripts/build_file_manifests.py
	$(SPARK_DBT) build $(SPARK_ARGS) --full-refresh
	$(BIN)/python scripts/compare_engines.py --duckdb $(SPARK_REF_DB) \
		--spark-warehouse $(SPARK_DIR)/warehouse --schemas reference staging intermediate core marts
	GNE_TEST_SPARK=1 $(BIN)/python -m pytest tests/python/test_spark_faults.py -q

# Snapshot checks against the database `make test` built (tests/snapshots/).
snapshots: venv
	$(BIN)/python scripts/check_snapshots.py --db $(TEST_DB_PATH)

update-snapshots: venv
	$(BIN)/python scripts/check_snapshots.py --db $(TEST_DB_PATH) --update

# The monthly business review from the BI database: build/review/<YYYY-MM>/index.html, review.pdf
# and markets/<CODE>.html. `make review MONTH=2026-09 MARKET=TH` writes one market's page.
REVIEW_ARGS := $(if $(MONTH),--month $(MONTH)) $(if $(MARKET),--market $(MARKET))

review: venv chromium
	$(BIN)/python scripts/build_review.py --db $(GNE_DB_PATH) $(REVIEW_ARGS)

# Headless Chromium prints the review and checks it in tests: Debian's package, installed when
# missing and the machine allows it (root with apt-get). In CI the review tests fail without it.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian chromium (apt-get)"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
			|| echo "could not install chromium: the review tests skip (and fail in CI)"; \
	else \
		echo "chromium is missing and cannot be installed here: install Debian's chromium package"; \
	fi

docs: venv
	$(DBT) docs generate $(WORK)
	$(DBT) docs serve $(WORK)

clean:
	rm -rf build target target-spark logs
