# The two commands: `make run` (app + worker + beat on embedded defaults, with demo data)
# and `make test` (lint, checks and the whole test suite).
PY := .venv/bin/python
export DJANGO_SETTINGS_MODULE := rtcc_requests.settings

.PHONY: run test test-fast lint checks pytest setup setup-test bench migrate demo clean

setup:
	./scripts/bootstrap

setup-test:
	./scripts/bootstrap --test

run: setup
	./scripts/run

test: setup-test lint checks pytest

# The edit-test loop: without the browser tests, the real-worker tests and the slow ones
# (scale, subprocess and benchmark tests; marker `slow`). No Chromium needed. `make test`
# runs everything; CI runs `make test`.
test-fast: override PYTEST_ARGS += -m "not e2e and not celery_worker and not slow"
test-fast: setup lint checks pytest

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

checks:
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(PY) manage.py check
	DJANGO_DEBUG=1 $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

# Tests run with the development settings (DEBUG-only defaults: no HTTPS redirect), one
# process per core (pytest-xdist); PYTEST_ARGS="-n 0" runs them in this process.
pytest:
	DJANGO_DEBUG=1 $(PY) -m pytest -n auto $(PYTEST_ARGS)

migrate: setup
	DJANGO_DEBUG=1 $(PY) manage.py migrate

demo: migrate
	DJANGO_DEBUG=1 $(PY) manage.py setup_demo

bench: setup
	DJANGO_DEBUG=1 $(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf var .venv .pytest_cache .hypothesis .ruff_cache
