# Quick start:  make demo  (the whole story on the built-in sample)   make test  (the test suite)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.crmtrain-installed

.PHONY: demo test check i18n clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/crmtrain check sample:en
	@echo
	$(BIN)/crmtrain check sample:ru

test: $(STAMP)
	$(BIN)/python -m pytest

# Recompile the gettext catalogs after editing src/crmtrain/locale/*/LC_MESSAGES/crmtrain.po
i18n: $(STAMP)
	$(BIN)/python -m crmtrain.i18n compile

clean:
	rm -rf $(VENV) .pytest_cache build-output
