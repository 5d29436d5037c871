# Perisai: `make run` starts the platform with demo data; `make test` runs every check and test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PEOPLE ?= 20000

.PHONY: run test install messages lint typecheck bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (apt-get install python3.11 python3.11-venv)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/pybabel compile --domain django --directory perisai/locale >/dev/null 2>&1

run: install
	DJANGO_SETTINGS_MODULE=perisai.settings.local $(BIN)/perisai bootstrap --demo-people $(DEMO_PEOPLE)
	DJANGO_SETTINGS_MODULE=perisai.settings.local scripts/run.sh $(HOST) $(PORT)

test: install
	scripts/test.sh

messages: install
	cd perisai && ../$(BIN)/perisai makemessages -l id -l en --no-obsolete --ignore "static/*" --ignore "*/tests/*"

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf var/ .mypy_cache .ruff_cache
