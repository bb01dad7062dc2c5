# The front door: `make run` to see the paper, `make test` to check it.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# python3.13 or 3.12: on PATH, or where pyenv keeps them.
PYTHON_CANDIDATES := python3.13 python3.12 \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) \
	/usr/local/bin/python3.13 /usr/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.12
PYTHON_OK := import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)

.PHONY: help venv run serve-dev migrate demo test lint check clean

help:
	@echo "make run    set up everything, load the demo paper and serve it on http://$(HOST):$(PORT)/ with a worker"
	@echo "make test   run the tests (DATABASE_URL picks the database; SQLite by default)"
	@echo "make lint   ruff and the migrations check"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if ! [ -x $(PY) ] || ! $(PY) -c '$(PYTHON_OK)' 2>/dev/null; then \
		py=""; for candidate in $(PYTHON_CANDIDATES); do \
			if $$candidate -c '$(PYTHON_OK)' >/dev/null 2>&1; then py=$$candidate; break; fi; \
		done; \
		if [ -z "$$py" ]; then \
			echo "This project needs Python 3.13 (or 3.12), and neither python3.13 nor python3.12 was found." >&2; \
			echo "Install one of them and run make again." >&2; exit 1; \
		fi; \
		echo "Creating $(VENV) with $$py"; rm -rf $(VENV); $$py -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

migrate: venv
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

# The development server and, beside it, a background worker (imports, undo, mail); Ctrl+C stops both.
run: demo
	@$(PY) manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# A background worker alone, for the configured queue (TASKS_BACKEND): run one or more beside `make serve`,
# on this machine or any other that reaches the database (and Redis). README, "Scaling out".
.PHONY: worker
worker: venv
	$(PY) manage.py worker

test: venv
	$(PY) -m pytest

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The public site on an archive of STORIES published stories, served by gunicorn and measured
# from a separate process: prints a table, writes bench/results.json. STORIES=2000 for a quick run.
.PHONY: bench
bench: STORIES ?= 100000
# (Not a target-specific DATABASE_URL: GNU make would then stop passing DATABASE_URL to every recipe.)
bench: venv bench-tools
	DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL='$(or $(DATABASE_URL),postgres://root@127.0.0.1:5432/newsroom_bench)' \
		$(PY) manage.py bench --stories $(STORIES)

# The editors' admin on the same archive, as each role, one request at a time through Django's test
# client: prints median and p99 per page and role, writes bench/results-admin.json. Its own database
# by default (the correspondent's account is made the author of their stories there).
.PHONY: bench-admin
bench-admin: STORIES ?= 100000
bench-admin: REQUESTS ?= 30
bench-admin: venv
	DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL='$(or $(DATABASE_URL),postgres://root@127.0.0.1:5432/newsroom_bench_admin)' \
		$(PY) manage.py bench_admin --stories $(STORIES) --requests $(REQUESTS)

# wrk drives the pages with little CPU of its own; the Python load generator, the fallback, takes a
# good share of the two cores from the server it measures. Installed where apt-get can, as root.
.PHONY: bench-tools
bench-tools:
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing wrk, the load generator (apt-get install wrk)"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
			echo "wrk could not be installed: the Python load generator drives the pages instead."; \
		else \
			echo "wrk is not installed (apt-get install wrk): the Python load generator drives the pages instead,"; \
			echo "and takes part of the CPU from the server it measures."; \
		fi; \
	fi

# Importing 10,000 story rows with credits: the bulletin importer against django-import-export's
# plain per-row import, on SQLite and PostgreSQL. ROWS=2000 for a quick run.
.PHONY: bench-import
bench-import: ROWS ?= 10000
bench-import: venv
	DJANGO_SETTINGS_MODULE=bench.import_settings $(PY) manage.py bench_import --rows $(ROWS)
	$(MAKE) --no-print-directory bench-import-pdf

# An 8-page broadsheet issue's PDF imported as a worker imports it: reading, writing, page images.
# A fresh SQLite database and media folder under /tmp, made anew each run.
.PHONY: bench-import-pdf
bench-import-pdf: BENCH_PDF_DIR ?= /tmp/newsroom-bench-import-pdf
bench-import-pdf: venv
	rm -rf $(BENCH_PDF_DIR) && mkdir -p $(BENCH_PDF_DIR)
	DJANGO_SETTINGS_MODULE=bench.import_settings DATABASE_URL=sqlite:///$(BENCH_PDF_DIR)/db.sqlite3 \
		MEDIA_ROOT=$(BENCH_PDF_DIR)/media PRIVATE_MEDIA_ROOT=$(BENCH_PDF_DIR)/private-media \
		$(PY) manage.py bench_import_pdf

# Pages laid out by a tool the PDF reader was never tuned on (Chromium printing our HTML and CSS
# in four layouts), read and scored: fields and zones per layout, against the targets. Needs Chromium.
.PHONY: bench-pdf-reading
bench-pdf-reading: venv
	$(PY) -m bench.pdf_reading

# The site as in production: gunicorn with WORKERS workers on $(HOST):$(PORT), behind the proxy that
# terminates TLS; static files collected (hashed, compressed) and served by WhiteNoise. Needs
# SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL) in the environment: README, "Security and operations".
# Background work needs workers of its own beside it: `make worker` (TASKS_BACKEND=redis with REDIS_URL
# for workers on many machines).
.PHONY: serve
serve: WORKERS ?= 4
serve: venv
	@if [ -z "$$SECRET_KEY" ] || [ -z "$$ALLOWED_HOSTS" ] || [ -z "$$DATABASE_URL" ]; then \
		echo "make serve runs the site as in production and needs SECRET_KEY (50 random characters)," >&2; \
		echo "ALLOWED_HOSTS and DATABASE_URL (postgres://...) in the environment. For development: make run." >&2; \
		exit 1; \
	fi
	DEBUG=false $(PY) manage.py check --deploy
	DEBUG=false $(PY) manage.py migrate --no-input
	DEBUG=false $(PY) manage.py collectstatic --no-input -v0
	DEBUG=false $(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# The soak: 50 connections on the public pages for 60 s while the desk publishes and an import runs,
# on PostgreSQL (its own database, newsroom_soak, made anew), served by gunicorn. Prints p50/p95/p99.
.PHONY: soak
soak: DURATION ?= 60
soak: CONNECTIONS ?= 50
soak: venv
	DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL='$(or $(SOAK_DATABASE_URL),postgres://root@127.0.0.1:5432/newsroom_soak)' \
		$(PY) manage.py soak --duration $(DURATION) --connections $(CONNECTIONS)
