# Two commands on a fresh machine: `make demo` and `make test`. Each sets itself up from nothing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench soak clean

$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,postgres]'
	@touch $(STAMP)

demo: $(STAMP)
	$(PY) run_monitor.py --config config/demo.toml demo

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/run.py

# The long reliability runs (about 20 minutes): 200 kill rounds, PostgreSQL restarts, a 100,000-item backlog.
soak: $(STAMP)
	HWD_SOAK=1 $(PY) -m pytest -q tests/soak

clean:
	rm -rf $(VENV) var .pytest_cache *.egg-info
