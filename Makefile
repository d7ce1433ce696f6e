# Làm Theo: two commands do all set-up on a fresh Debian machine with Python 3.11+.
#   make run   - virtual environment, pinned dependencies, migrate, demo data, serve on :8000
#   make test  - lint, checks, migrations check, translations check, the test suite
# In production (docs/operations.md), with SECRET_KEY, ALLOWED_HOSTS… in the environment:
#   make serve - check --deploy, migrate, collectstatic, then gunicorn (gunicorn.conf.py)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)

.PHONY: run test lint check pytest e2e bench messages lock vendor worker deploy serve clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: $(STAMP)
	$(BIN)/python manage.py db_worker

# Production, always with LAMTHEO_PRODUCTION=1. `deploy` is what every upgrade needs before the
# restart; `serve` runs it, then execs gunicorn on ${HOST:-127.0.0.1}:${PORT:-8000}
# (GUNICORN_WORKERS, GUNICORN_TIMEOUT… in gunicorn.conf.py). A proxy that redirects to HTTPS
# itself (SECURE_SSL_REDIRECT=0) draws warning security.W008: accept it with DEPLOY_FAIL_LEVEL=ERROR.
DEPLOY_FAIL_LEVEL ?= WARNING
deploy serve: export LAMTHEO_PRODUCTION = 1

deploy: $(STAMP)
	$(BIN)/python manage.py check --deploy --fail-level $(DEPLOY_FAIL_LEVEL)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0

serve: deploy
	exec $(BIN)/gunicorn --config gunicorn.conf.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP)
	$(BIN)/python manage.py check
	LAMTHEO_PRODUCTION=1 SECRET_KEY=check-deploy-$(shell date +%s)-aV3qZ8rT1yU6iO0pL4kJ7hG2fD5sX9cB \
		ALLOWED_HOSTS=lamtheo.example.vn $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check_translations
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file $(VENV)/openapi-check.yml

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint check pytest

# Only the browser journeys (tests/e2e: Debian's Chromium driven by Playwright). Asked for by
# name, they must run: a missing Chromium fails instead of skipping (LAMTHEO_E2E_REQUIRED).
e2e: export LAMTHEO_E2E_REQUIRED ?= 1
e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e -m e2e $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

# Re-extract translatable strings (needs GNU gettext), then fill the msgstr lines.
messages: $(STAMP)
	$(BIN)/python manage.py update_translations

# Re-fetch the front-end assets in lamtheo/static/vendor with npm pack, at the versions of the
# table in lamtheo/static/vendor/README.md (the one place they are written). Needs npm.
vendor:
	$(PYTHON) scripts/vendor.py

lock:
	$(PYTHON) -m venv /tmp/lamtheo-lock && /tmp/lamtheo-lock/bin/pip install --quiet '.[dev]' \
		&& (echo '# Pinned dependencies (runtime + development) for Python 3.11+. Regenerate with `make lock`.'; \
		/tmp/lamtheo-lock/bin/pip freeze | grep -v '^lamtheo') > requirements.lock; rm -rf /tmp/lamtheo-lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
