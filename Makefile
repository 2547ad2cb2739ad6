# 郑州终身学习网 — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format migrate demo bench clean lock audit

# The lock files pin the whole dependency tree with hashes (Python 3.11 on Linux); installs
# refuse anything else. requirements*.txt say what we ask for; `make lock` recompiles the locks.
UV_PIN := $(shell grep -E '^uv==' requirements-dev.txt)
LOCK_COMPILE := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 $(LOCK_ARGS)
PIP_INSTALL := $(BIN)/pip install --disable-pip-version-check -q --require-hashes
# Installs go through uv (a minute faster than pip on a fresh machine), itself installed by pip
# from its pinned, hash-checked entry in requirements-dev.lock; uv checks every other hash.
# --compile-bytecode: uv leaves packages uncompiled, and where PYTHONDONTWRITEBYTECODE is set
# every process (each test server, each manage.py) compiled Django and Wagtail again at start:
# 4.7 s to start the site instead of 1.6 s. Compiling once at install takes ~15 s.
UV_INSTALL := $(BIN)/uv pip install --quiet --require-hashes --compile-bytecode \
	--python $(BIN)/python

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "需要 Python 3.11 (Python 3.11 is required)"'
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: requirements-dev.lock | $(BIN)/python
	awk '/^uv==/ {keep = 1} keep {print} keep && !/\\$$/ {exit}' requirements-dev.lock > $(VENV)/uv.lock
	$(PIP_INSTALL) -r $(VENV)/uv.lock
	touch $@

$(VENV)/.runtime-installed: requirements.lock | $(BIN)/uv
	$(UV_INSTALL) -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock | $(BIN)/uv
	$(UV_INSTALL) -r requirements-dev.lock
	touch $@ $(VENV)/.runtime-installed

## make lock: recompile requirements.lock and requirements-dev.lock after editing requirements*.txt
## (keeps every other pin; `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed)
lock: | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q "$(UV_PIN)"
	$(LOCK_COMPILE) requirements.txt -o requirements.lock
	$(LOCK_COMPILE) requirements-dev.txt --constraint requirements.lock -o requirements-dev.lock

## make audit: known vulnerabilities in the locked packages (pip-audit)
audit: $(VENV)/.dev-installed
	$(BIN)/python scripts/audit_dependencies.py requirements-dev.lock

## make run: install, migrate, load the demo content, print the demo logins, serve :8000
run: $(VENV)/.runtime-installed
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

## make test: lint, format check, migrations check, the whole pytest suite
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=zzsite.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(VENV)/.runtime-installed
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

## make bench: the benchmark harness (needs wrk); see README "Performance"
bench: $(VENV)/.dev-installed
	$(BIN)/python scripts/bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
