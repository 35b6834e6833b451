# Quick start:  make demo  (the whole story on the built-in sample)   make test  (the test suite)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.crmtrain-installed

HUB_PREFIX ?= /opt/crmtrain-hub

.PHONY: demo test golden build i18n labextension clean document-pictures hub-install

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The whole story on the built-in sample, in demo/: check the regulation, build workbooks and
# course, release, simulated trainees answer by clicking, collect, grade, feedback, reports.
demo: $(STAMP)
	$(BIN)/crmtrain check sample:en
	@echo
	$(BIN)/crmtrain demo --out demo

# Refresh every committed generated file: each sample's build (workbooks/, assignments/ and
# examples/NAME/) and the compiled gettext catalogs. tests/test_golden.py fails when one is stale.
golden: $(STAMP)
	$(BIN)/python -m pytest -q -s -p no:cacheprovider tests/test_golden.py --update-golden

build: golden

# The hub suite runs in a pytest process of its own: Playwright's sync API allows one instance
# per process and the browser suite holds one for the whole session (in one process the hub's
# start fails with 'using Playwright Sync API inside the asyncio loop').
test: $(STAMP)
	$(BIN)/python -m pytest --ignore=tests/hub
	$(BIN)/python -m pytest tests/hub

# The printed regulation of both samples, and pictures of their first pages for docs/document/.
document-pictures: $(STAMP)
	for lang in en ru; do \
	    $(BIN)/crmtrain document sample:$$lang --out build-output/document-$$lang && \
	    pdftoppm -r 60 -png -f 1 -l 3 build-output/document-$$lang/regulation.pdf docs/document/$$lang-page; \
	done

# JupyterHub, configurable-http-proxy (npm) and crmtrain for `crmtrain hub`, into $(HUB_PREFIX)
# (run as root; the hub suite in `make test` also does it on first use).
hub-install: $(STAMP)
	$(BIN)/crmtrain hub install --prefix $(HUB_PREFIX) --source .

# Recompile the gettext catalogs after editing src/crmtrain/locale/*/LC_MESSAGES/crmtrain.po
i18n: $(STAMP)
	$(BIN)/python -m crmtrain.i18n compile

# Rebuild crmtrain's JupyterLab extension (labextension/, TypeScript) into the Python package,
# against the JupyterLab installed in the venv; node and npm from the npm registry.
labextension: $(STAMP)
	rm -rf src/crmtrain/jupyter/labextensions/crmtrain-lab
	cd labextension && npm ci --no-audit --no-fund --loglevel=error && \
	  JUPYTERLAB_CORE="$$($(abspath $(BIN))/python -c 'import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging"))')" \
	  npm run build

clean:
	rm -rf $(VENV) .pytest_cache build-output
