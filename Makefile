# Two commands do all the set-up on a fresh machine: `make extract` and `make test`.
# The virtual environment is created and the pinned dependencies installed when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INPUT  ?= seeds
OUTPUT ?= outputs
GOLD   ?= tests/data/seeds_gold.jsonl
ARGS   ?=
# A SIPRI trade register file (SIPRI's export or the cleaned CSV): `make extract` then also writes
# register_check.csv. Set it here, in the environment or on the command line (REGISTER=path).
REGISTER ?=

.PHONY: extract test eval bench check-gazetteers reliability clean-venv

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(None if sys.version_info >= (3, 11) else "error: extract needs Python 3.11 or newer; $(PYTHON) is Python " + sys.version.split()[0] + ". Run make PYTHON=python3.11 (or newer).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/python -m extract run --input "$(INPUT)" --output "$(OUTPUT)" $(if $(REGISTER),--register "$(REGISTER)") $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

EVAL_OUT ?= eval-out
SHARED ?= ../shared

eval: $(STAMP)
	$(BIN)/python -m extract eval --gold $(GOLD) --side-by-side $(EVAL_OUT) --shared $(SHARED)

# Bad files, faults during a run (kill, SIGTERM, Ctrl-C, a full disk when root) and spreadsheet
# round-trips against the CLI; prints cases tried, crashes and decisions lost (both must be 0).
# Several minutes: kept out of `make test`, whose tests/test_reliability.py checks its parts.
reliability: $(STAMP)
	$(BIN)/python -m extract.reliability $(ARGS)

check-gazetteers: $(STAMP)
	$(BIN)/python -m extract gazetteer check

bench: $(STAMP)
	$(BIN)/python -m extract bench $(ARGS)

clean-venv:
	rm -rf $(VENV)
