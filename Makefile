# Two commands on a fresh machine with Python 3.11+:  `make run`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
N ?= 2
PROXY_PORT ?= 8080

.PHONY: run test lint bench fixtures replicas

run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_nginx.sh
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check .

# N replicas on loopback ports behind nginx on http://127.0.0.1:$(PROXY_PORT) (docs/deployment.md)
replicas: $(VENV)/.runtime
	bash scripts/ensure_nginx.sh
	$(PY) deploy/replicas.py -n $(N) --port $(PROXY_PORT)

bench: $(VENV)/.dev
	bash scripts/ensure_chromium.sh
	LSTM_RERUNS_PER_S=0 $(PY) benchmarks/run.py  # time the work, not the rerun limit (ui/ratelimit.py)
	$(PY) benchmarks/train.py --sweep
	$(PY) benchmarks/train_load.py

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@
