# The two commands a new developer needs are `make run` and `make test`.
# Every other target is what CI runs (see .ci/run).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Use uv from the PATH when there is one, else install it into the virtualenv.
SYSTEM_UV := $(shell command -v uv 2>/dev/null)
UV := $(if $(SYSTEM_UV),$(SYSTEM_UV),$(BIN)/uv)
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist: one process per core, each with its own test database (0: one process).
TEST_WORKERS ?= auto

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install run migrate seed test lint fmt check migrations-check deploy-check bench bench-import bench-statistics bench-pages fonts clean

help:
	@echo "make run     - install, migrate the SQLite database, load demo data and start the server"
	@echo "make test    - run the whole test suite (browser tests need Debian's chromium)"
	@echo "make lint    - ruff check, format check and mypy"
	@echo "make fmt     - format and fix what ruff can fix"
	@echo "make check   - lint, migration check, Django system check and the tests"
	@echo "make bench   - time the generation of every document type (bench/)"
	@echo "make bench-import - time importing a court spreadsheet of 5,000 lawsuits (bench/)"
	@echo "make bench-statistics - time the statistics pages and the annual report over 100,000 cases and 20,000 lawsuits"
	@echo "make bench-pages - load every list, search, dashboard and case page at 1,000 and 100,000 cases (BENCH_ARGS, bench/pages.py)"
	@echo "make fonts   - rebuild the vendored document fonts from Debian's fonts-noto-cjk"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m ensurepip --upgrade >/dev/null 2>&1 || true
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.9,<1"

# uv.lock pins every package; --inexact keeps uv itself in the virtualenv.
$(VENV)/.synced: pyproject.toml uv.lock | $(BIN)/python $(UV)
	$(UV) sync --frozen --inexact --python $(BIN)/python
	@touch $@

install: $(VENV)/.synced

# A local settings file with a freshly generated secret key, made once.
.env:
	@$(PYTHON) -c "import secrets, pathlib; \
	text = pathlib.Path('.env.example').read_text(encoding='utf-8'); \
	text = text.replace('DJANGO_SECRET_KEY=change-me', 'DJANGO_SECRET_KEY=' + secrets.token_urlsafe(50)); \
	pathlib.Path('.env').write_text(text, encoding='utf-8')"
	@echo "Wrote .env with a new secret key (development settings)."

migrate: install .env
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

run: seed
	@echo ""
	@echo "Open http://$(HOST):$(PORT)/ and sign in with one of the accounts above."
	$(MANAGE) runserver $(HOST):$(PORT)

test: install .env
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# mypy's Django plugin imports the settings, which need a secret key: hence .env.
lint: install .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install .env
	$(MANAGE) makemigrations --check --dry-run

# Production-like settings must pass Django's deployment checklist without warnings.
deploy-check: install
	DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY=deploy-check-$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
	DJANGO_ALLOWED_HOSTS=mediation.example.cn \
	$(MANAGE) check --deploy --fail-level WARNING

check: lint migrations-check deploy-check test
	$(MANAGE) check

bench: install
	$(BIN)/python bench/documents.py

bench-import: install
	$(BIN)/python bench/imports.py $(BENCH_ARGS)

bench-statistics: install
	$(BIN)/python bench/indicators.py $(BENCH_ARGS)

bench-pages: install
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

# Rebuild the vendored document fonts from Debian's fonts-noto-cjk (documents/fonts/README.md).
fonts: install
	@tmp=$$(mktemp -d) && cd $$tmp && apt-get download fonts-noto-cjk=1:20220127+repack1-1 \
	  && dpkg -x fonts-noto-cjk_*.deb upstream && cd $(CURDIR) \
	  && $(BIN)/python -m documents.fonts.build --upstream $$tmp/upstream/usr/share/fonts/opentype/noto \
	  ; status=$$?; rm -rf $$tmp; exit $$status

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
