# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app tracker

.PHONY: run test install migrate demo translations clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) seed-demo --if-empty

run: demo
	@echo "Serving on http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Re-extract the UI strings and update the catalogues (then translate and run `make translations`).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o tracker/translations/messages.pot .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations

translations: install
	$(BIN)/pybabel compile -d tracker/translations

clean:
	rm -rf $(VENV) .pytest_cache
