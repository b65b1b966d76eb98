# Verzuimkluis — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-random lint format code install semgrep-install security fuzz \
	bench-install load load-smoke pdf-libs test-debs

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is nodig ($(PYTHON) niet gevonden)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

# $(call debs,label,packages): the Debian packages of that list that are missing, installed with
# apt (idempotent: apt only when one is missing; .ci/run does the same before `make test`).
debs = missing=$$(for p in $(2); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  command -v apt-get >/dev/null || { echo "$(1): installeer $$missing (Debian-pakketten)"; exit 1; }; \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  echo "$(1): apt-get install $$missing"; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The PDF documents (core/pdf.py): WeasyPrint's system libraries and the DejaVu fonts, and
# poppler's pdftoppm for the page-1 PNG of the test run.
PDF_DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
pdf-libs:
	@$(call debs,PDF,$(PDF_DEB_PACKAGES))

# The test suite's own tools: nginx runs deploy/nginx.conf in front of the application
# (tests/test_proxy.py), and the backup test needs pg_dump/pg_restore of the server's version.
TEST_DEB_PACKAGES := nginx-light postgresql-client
test-debs:
	@$(call debs,Tests,$(TEST_DEB_PACKAGES))

install: pdf-libs $(STAMP)

# semgrep pins its own dependencies (they clash with ours): a venv of its own. 1.180.0 is the newest
# version whose dependencies resolve on this machine kind's package mirror.
# .ci/run keys its venv cache on this pin (and pyproject.toml).
SEMGREP_VERSION := 1.180.0
SEMGREP_VENV := .venv-semgrep
SEMGREP_STAMP := $(SEMGREP_VENV)/.installed
$(SEMGREP_STAMP):
	$(PYTHON) -m venv $(SEMGREP_VENV)
	$(SEMGREP_VENV)/bin/pip install --quiet semgrep==$(SEMGREP_VERSION)
	touch $(SEMGREP_STAMP)

semgrep-install: $(SEMGREP_STAMP)

## make run: embedded PostgreSQL, migrations, demo data, web + worker + beat on :8000
run: pdf-libs $(STAMP)
	$(PY) -m config.devserver

## make code ROLE=hr: current TOTP code of a demo user (embedded demo database only)
## (manage.py starts the embedded database for demo_code: config/embedded_db.py)
code: $(STAMP)
	@VK_ENVIRONMENT=development VK_EMBEDDED_DATABASE=1 $(PY) manage.py demo_code --role $(ROLE)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make security: deploy checks, bandit, semgrep (own rules + their tests), BSN scan (SE-5, SE-6)
security: $(STAMP) $(SEMGREP_STAMP)
	VK_SEMGREP=$(SEMGREP_VENV)/bin/semgrep $(PY) -m config.security

## make test: install, lint, migrations check, security scan, the whole suite (browser tests
## included) on both cores; at the end the wall time of each part (budget: README, "Tests").
TIMINGS := var/test-timings.txt
# $(call timed,part,command): run the command, note "part seconds" in $(TIMINGS), keep its status.
timed = start=$$(date +%s); $(2); status=$$?; \
	echo "$(1) $$(( $$(date +%s) - start ))" >> $(TIMINGS); exit $$status
PYTEST_WORKERS ?= 2

test:
	@mkdir -p var && : > $(TIMINGS)
	@$(call timed,install,$(MAKE) --no-print-directory install semgrep-install test-debs)
	@$(call timed,lint,$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . \
		&& $(VENV)/bin/lint-imports \
		&& VK_ENVIRONMENT=test DB_SET_ROLE=false $(PY) manage.py makemigrations --check --dry-run)
	@$(call timed,security,VK_SEMGREP=$(SEMGREP_VENV)/bin/semgrep $(PY) -m config.security)
	@$(call timed,pytest,VK_ENVIRONMENT=test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup \
		--durations=20 $(PYTEST_ARGS))
	@$(PY) -m config.test_timings $(TIMINGS)

## make test-random: the suite once in a shuffled order (pytest-randomly); the seed is printed
## first, and `make test-random RANDOM_SEED=<seed>` repeats that order.
RANDOM_SEED ?= $(shell date +%s)
test-random: $(STAMP)
	@echo "make test-random: RANDOM_SEED=$(RANDOM_SEED)"
	VK_ENVIRONMENT=test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup -p randomly \
		--randomly-seed=$(RANDOM_SEED) $(PYTEST_ARGS)

## make fuzz: schemathesis over the API per role, 100 examples per operation (CI: a small sample)
fuzz: $(STAMP)
	VK_ENVIRONMENT=test VK_FUZZ_EXAMPLES=100 $(VENV)/bin/pytest tests/security/test_api_fuzz.py

## make load: 50 users for 5 minutes against gunicorn on loopback (bench/load/, not in CI)
bench-install: $(STAMP)
	$(PY) -m pip install --quiet ".[dev,bench]"

load: bench-install
	$(PY) bench/load/run.py

load-smoke: bench-install
	$(PY) bench/load/run.py --users 5 --time 30s --results bench/load/out/results-smoke.json
