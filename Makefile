# healthgap: two commands. `make run` and `make test` each set themselves up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
VENDOR := src/healthgap/web/static/vendor/.built-$(shell cat package-lock.json | sha1sum | cut -c1-12)
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/healthgap_web

.PHONY: install run serve loadtest audit test test-postgres test-spark-cluster check lint format bench browser pdftools clean

install: $(STAMP) $(VENDOR) browser pdftools

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,spark]'
	rm -f $(VENV)/.installed-*
	touch $@

# Front-end packages come from npm at build time (package-lock.json), never from a CDN.
$(VENDOR): package.json package-lock.json scripts/build_frontend.sh
	bash scripts/build_frontend.sh
	touch $@

# Browser tests drive Debian's chromium (playwright cannot download browsers here).
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	      || echo "WARNING: could not install chromium: browser tests will be skipped"; \
	  else echo "WARNING: /usr/bin/chromium missing (apt-get install chromium): browser tests will be skipped"; fi; }

# PDF reports: WeasyPrint needs pango (and the DejaVu fonts the reports use); the report tests
# turn PDF pages into PNG and text with poppler-utils (pdftoppm, pdftotext). All from Debian.
pdftools:
	@test -x /usr/bin/pdftoppm || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core) \
	      || echo "WARNING: could not install poppler-utils: PDF report tests will be skipped"; \
	  else echo "WARNING: /usr/bin/pdftoppm missing (apt-get install poppler-utils): PDF report tests will be skipped"; fi; }

run: install
	bash scripts/run_demo.sh

# Production-style serving: gunicorn on PostgreSQL, WhiteNoise static files (docs/reliability.md).
serve: install
	bash scripts/services.sh
	bash scripts/serve.sh

# A bounded load test of the served app on 127.0.0.1 (1, 10, 50, 100 users; a few minutes).
loadtest: install
	bash scripts/services.sh
	bash benchmarks/load/run.sh

test: install
	bash scripts/services.sh
	$(BIN)/python -m pytest -n 2 --dist loadgroup
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-spark-cluster

# The web app's suite again, against a real PostgreSQL (skipped loudly when none is reachable).
test-postgres:
	@if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  HEALTHGAP_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -n 2 --dist loadgroup tests/web -m "not browser" -p no:cacheprovider; \
	else echo "WARNING: no PostgreSQL on 127.0.0.1:5432: web tests on PostgreSQL SKIPPED"; fi

# Every Spark test again, on a standalone cluster on loopback (a master and two workers from the
# Spark that PySpark ships; scripts/spark_cluster.sh), stopped afterwards whatever happens.
test-spark-cluster:
	@if ! command -v java >/dev/null; then \
	  echo "WARNING: no java on PATH: Spark cluster tests SKIPPED"; exit 0; fi; \
	bash scripts/spark_cluster.sh start || exit 1; \
	HEALTHGAP_SPARK_MASTER=spark://127.0.0.1:7077 PYSPARK_PYTHON=$(CURDIR)/$(BIN)/python \
	  $(BIN)/python -m pytest -n 0 -m spark tests/spec tests/indicators/test_spark_cluster.py \
	  -p no:cacheprovider; status=$$?; bash scripts/spark_cluster.sh stop; exit $$status

# Known vulnerabilities in the Python and npm dependencies; accept one with a reason in
# .ci/audit-allow.txt. Without npm's advisory endpoint, npm is NOT CHECKED ONLINE and the lock
# is checked offline (.ci/npm-advisories.txt, .ci/npm-reviewed-lock.txt); docs/reliability.md.
audit: $(STAMP)
	$(BIN)/python scripts/audit.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

check: lint test

bench: install
	$(BIN)/python benchmarks/stats_bench.py
	$(BIN)/python benchmarks/indicators_bench.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache node_modules src/healthgap/web/static/vendor
