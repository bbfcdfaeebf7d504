# anjuan — make demo / make test on a fresh Debian/Ubuntu machine with Python 3.11.
# Each target creates .venv and installs what it needs; system packages (a CJK font, an OCR
# engine) are installed with apt-get when running as root, otherwise named with the command.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test venv ocr sysdeps bench lint clean

$(STAMP): setup.cfg pyproject.toml
	@sh .ci/sysdeps.sh python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

OCR_STAMP := $(VENV)/.ocr-installed

$(OCR_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,ocr]'
	@touch $(OCR_STAMP)

venv: $(STAMP)

ocr: $(OCR_STAMP)

sysdeps:
	@sh .ci/sysdeps.sh all

demo: $(STAMP)
	@sh .ci/sysdeps.sh fonts
	$(BIN)/anjuan demo --out anjuan-demo

test: $(OCR_STAMP)
	@sh .ci/sysdeps.sh fonts
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/corpus_bench.py

clean:
	rm -rf $(VENV) anjuan-demo build *.egg-info .pytest_cache .hypothesis

lint: $(OCR_STAMP)
	$(BIN)/python -m pip install -q 'ruff>=0.5' 'mypy>=1.10' types-PyYAML
	$(BIN)/ruff check .
	$(BIN)/mypy pipeline extractors checks corpus templates
