# anjuan — make demo / make test on a fresh Debian/Ubuntu machine with Python 3.11.
# Each target creates .venv and installs what it needs; system packages (a CJK font, an OCR
# engine) are installed with apt-get when running as root, otherwise named with the command.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test venv ocr sysdeps bench lint clean

# PYTHONWARNINGS=ignore: setuptools' notices about editable installs are not for our users.
PIP := PYTHONWARNINGS=ignore $(BIN)/python -m pip install -q --disable-pip-version-check

$(STAMP): setup.cfg pyproject.toml
	@sh .ci/sysdeps.sh python
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

LINT_STAMP := $(VENV)/.lint-installed

$(LINT_STAMP): $(STAMP)
	$(PIP) -e '.[test,lint]'
	@touch $(LINT_STAMP)

venv: $(STAMP)

# OCR is part of the base install; kept as a target for old instructions
ocr: $(STAMP)

sysdeps:
	@sh .ci/sysdeps.sh all

demo: $(STAMP)
	@sh .ci/sysdeps.sh fonts
	$(BIN)/anjuan demo --out anjuan-demo

test: $(STAMP)
	@sh .ci/sysdeps.sh fonts,office,browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/corpus_bench.py

clean:
	rm -rf $(VENV) anjuan-demo build *.egg-info .pytest_cache .hypothesis

lint: $(LINT_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy pipeline extractors checks corpus templates
