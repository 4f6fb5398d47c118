# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app tracker

.PHONY: run test lint install lock migrate demo translations clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Everything (runtime and dev tools) is installed from the lock, pinned and checked by hash;
# the project itself goes in on top without resolving anything. Re-runs when either file changes.
$(VENV)/.installed: $(BIN)/activate pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) seed-demo --if-empty

run: demo
	@echo "Serving on http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

# Parallel on every core (pytest-xdist); PYTEST_ARGS="-n 0" runs in one process.
# Bytecode caching stays on even where the shell turns it off: every worker and every server
# the tests start would otherwise compile Flask, SQLAlchemy and the rest again (~1.5 s CPU each).
test: install
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

# Static checks, as CI runs them: lint, formatting and types (configured in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Re-pin the full dependency set (runtime + dev extras) with hashes after editing pyproject.toml.
# Only this target needs pip-tools; the lock is resolved against PyPI.
lock: $(BIN)/activate
	$(BIN)/pip install --quiet 'pip-tools>=7.4,<8'
	PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--extra dev --index-url https://pypi.org/simple --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

# Re-extract the UI strings and update the catalogues (then translate and run `make translations`).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o tracker/translations/messages.pot .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations

translations: install
	$(BIN)/pybabel compile -d tracker/translations

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
