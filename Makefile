# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint migrate seed bench bench-load clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Browser-side packages (socket.io-client), served by the app from node_modules; reinstalled
# only when package-lock.json changes.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

migrate: $(VENV)/.installed
	$(BIN)/flask --app app db upgrade

seed: migrate
	$(BIN)/flask --app app seed-demo --if-empty

## Create the venv, install, migrate, seed a demo community on first run, serve on $(HOST):$(PORT).
run: seed node_modules/.installed
	@echo "Serving Common Ground at http://$(HOST):$(PORT)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python app.py

## Install the test dependencies and run the whole suite.
test: $(VENV)/.dev-installed node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/bandit -q -c pyproject.toml -r community matching app.py
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

## Benchmarks (a few minutes): matching against random grouping and size-constrained k-means.
bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench.matching --out bench/results/matching.md

## Load (about 2 minutes, more while the machine is busy): 200 members browsing one server process on
## PostgreSQL (127.0.0.1:5432, user postgres; a scratch database is made and dropped).
bench-load: $(VENV)/.dev-installed
	$(BIN)/python -m bench.load --out bench/results/load.md

clean:
	rm -rf $(VENV) .pytest_cache node_modules
