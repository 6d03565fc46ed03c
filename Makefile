# GovSite — the two commands are `make run` and `make test` (see README.md).
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.12+ is required; the machine's default python3 may be older. Prefer 3.12/3.13
# from PATH, then from pyenv.
PYTHON_BOOT ?= $(shell for c in python3.13 python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3; do \
	p=$$(command -v $$c 2>/dev/null || ls -d $$c 2>/dev/null | tail -n1); \
	[ -n "$$p" ] && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# The PostgreSQL pass also runs on Redis (shared with other users of this Redis: every test
# process gets its own key prefix, nothing is flushed; govsite/settings/test.py).
REDIS_TEST_URL ?= redis://127.0.0.1:6379/3
# One test process per core (pytest-xdist); a module's tests stay together on one worker.
PYTEST_WORKERS ?= -n auto --dist loadfile

.PHONY: run test test-sqlite test-postgres install browser lint format check serve-dev bootstrap clean

$(VENV)/.installed: requirements.lock
	@test -n "$(PYTHON_BOOT)" || { echo "需要 Python 3.12 或 3.13（未找到）。"; exit 1; }
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	@touch $@

install: $(VENV)/.installed

# Debian's Chromium for the browser tests (never a browser download).
browser:
	@test -x /usr/bin/chromium || { \
		(apt-get update -qq || true) && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The public site's address (sitemap.xml, feeds, canonical links): this machine's, unless given.
GOVSITE_SITE_URL ?= http://127.0.0.1:$(PORT)
export GOVSITE_SITE_URL

bootstrap: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py bootstrap_site
	$(PY) manage.py load_demo_data --if-empty

# The background worker (后台任务: notices' e-mail, 已发布信息复查, exports ...) and the periodic
# scheduler (定时发布, 督办 ...) run beside the development server and are stopped with it
# (Ctrl-C, or runserver exiting for any other reason).
run: bootstrap
	@$(PY) manage.py run_worker & worker=$$!; \
	$(PY) manage.py crontask --no-heartbeat & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The worker and the scheduler alone, in the foreground (beside a server started some other way).
.PHONY: worker scheduler
worker: install
	$(PY) manage.py run_worker
scheduler: install
	$(PY) manage.py crontask --no-heartbeat

# The production configuration on this machine: gunicorn behind nginx, published pages served
# from files, the scheduler beside them (deploy/serve.py, docs/serving.md).
# http://127.0.0.1:$(PORT); Ctrl-C stops all of it.
.PHONY: serve nginx
serve: install nginx
	$(PY) deploy/serve.py --port $(PORT)

# Debian's nginx for `make serve` and the tests of its configuration (never started as a system
# service here).
nginx:
	@test -x /usr/sbin/nginx || { \
		(apt-get update -qq || true) && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

# axe-core for the accessibility tests (govsite/accessibility/tests), exactly as package-lock.json
# pins it, from npm (never a CDN; never served to visitors).
.PHONY: axe
axe: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { (apt-get update -qq || true) && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# The whole suite on SQLite, then on PostgreSQL when DATABASE_URL is given or a local
# server answers.
test: install browser nginx axe
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ] || $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL 不可用：跳过 PostgreSQL 测试轮次。"; fi

test-sqlite: install browser nginx axe
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_WORKERS)

# The browser scenarios run in the SQLite pass; the PostgreSQL pass runs everything else (the
# database-dependent behaviour), which keeps `make test` within its time budget. It is also the
# scale-out pass: Redis cache and sessions, and the worker-process tests on RQ. The tests that
# start Django with settings of their own (own_settings) do the same on either pass: SQLite only.
test-postgres: install nginx
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(REDIS_TEST_URL)} \
		GOVSITE_TASK_BACKEND=rq \
		$(PY) -m pytest $(PYTEST_WORKERS) -m "not browser and not own_settings"

check: install
	DJANGO_SETTINGS_MODULE=govsite.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=govsite.settings.test $(PY) manage.py makemigrations --check --dry-run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	find govsite -name '*.html' -print0 | xargs -0 $(VENV)/bin/djhtml --check

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	find govsite -name '*.html' -print0 | xargs -0 $(VENV)/bin/djhtml

clean:
	rm -rf $(VENV) var db.sqlite3*
