# The two commands a newcomer needs: `make run` and `make test`.
# Each builds .venv from the locked, hash-checked requirements the first time (and again
# whenever a lock file changes); only Python 3.11+ is needed on the machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast bench venv clean lock

run: $(VENV)/.run-deps
	$(BIN)/python bot.py

# Lint, then types, then the tests: the cheap checks fail first. The tests run on every
# core (pytest-xdist), a test file to a worker so a file's fixtures are built once; most
# end-to-end time is waiting on a bot process, which overlaps well.
XDIST := -n auto --dist loadfile
test: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

# The quick loop while working (under a minute on 2 cores): tests/unit only. The quality
# gates (tests/gate), the end-to-end bot runs (tests/e2e) and the tests that start the bot
# or a command-line tool or chew on 50 MB inputs (tests/slow) run with `make test`.
test-fast: $(VENV)/.dev-deps
	$(BIN)/python -m pytest tests/unit -q $(XDIST) $(PYTEST_ARGS)

bench: $(VENV)/.dev-deps
	$(BIN)/python -m bench $(BENCH_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-deps: requirements/run.lock | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/run.lock
	touch $@

$(VENV)/.dev-deps: requirements/dev.lock | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/dev.lock
	touch $@ $(VENV)/.run-deps

# Regenerate the locks after editing pyproject.toml (needs uv: `pip install uv`).
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/run.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.lock

clean:
	rm -rf $(VENV)
