# Quick start:  make demo  (the whole story on the built-in sample)   make test  (the test suite)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.crmtrain-installed

HUB_PREFIX ?= /opt/crmtrain-hub

.PHONY: demo test test-fast system-packages hub-ready golden build i18n labextension editor-extension clean document-pictures hub-install

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

# Every test, on a fresh machine too: first the system packages the suite needs (the list is in
# scripts/system-packages; installed when run as root or with passwordless sudo, otherwise make
# stops and prints the command that installs them), then, as root, the hub's installation.
# The hub suite runs in a pytest process of its own: Playwright's sync API allows one instance
# per process and the browser suite holds one for the whole session (in one process the hub's
# start fails with 'using Playwright Sync API inside the asyncio loop'). Both suites run; make
# fails with the first one's pytest exit status when either fails. CRMTRAIN_NO_SKIPS=1 turns any
# skip but the documented ones (tests/conftest.py) into a failure.
test: system-packages
	@$(MAKE) --no-print-directory $(STAMP)
	@if [ "$$(id -u)" -eq 0 ]; then $(MAKE) --no-print-directory hub-ready; \
	 else echo "note: not root, so the hub suite (real system users) is skipped: run \`sudo make test\` for it"; fi
	@status=0; root=$$([ "$$(id -u)" -eq 0 ] && echo 1 || echo 0); \
	CRMTRAIN_NO_SKIPS=1 $(BIN)/python -m pytest --ignore=tests/hub || status=$$?; \
	CRMTRAIN_NO_SKIPS=$$root CRMTRAIN_HUB_PREFIX=$(HUB_PREFIX) $(BIN)/python -m pytest tests/hub \
	  || { rc=$$?; [ $$status -ne 0 ] || status=$$rc; }; \
	exit $$status

# The quick loop while editing: no kernels, no nbgrader course, no browser, no hub (by markers;
# tests/conftest.py marks every test that uses those fixtures). A minute or two; `make test` before landing.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not kernel and not nbgrader and not browser and not hub" --ignore=tests/hub

system-packages:
	@scripts/system-packages ensure

# The hub suite's installation in $(HUB_PREFIX), made or refreshed only when it is missing or
# was installed from other dependencies.
hub-ready: $(STAMP)
	@$(BIN)/python -c 'import sys; from crmtrain.hub import install; sys.exit(not install.up_to_date("$(HUB_PREFIX)", "."))' \
	  || $(MAKE) --no-print-directory hub-install

# The printed regulation of both samples, and pictures of their first pages for docs/document/.
document-pictures: $(STAMP)
	for lang in en ru; do \
	    $(BIN)/crmtrain document sample:$$lang --out build-output/document-$$lang && \
	    pdftoppm -r 60 -png -f 1 -l 3 build-output/document-$$lang/regulation.pdf docs/document/$$lang-page; \
	done

# JupyterHub, configurable-http-proxy (npm) and crmtrain for `crmtrain hub`, into $(HUB_PREFIX)
# (run as root; `make test` does it when the installation is missing or stale).
hub-install: $(STAMP)
	$(BIN)/crmtrain hub install --prefix $(HUB_PREFIX) --source .

# Recompile the gettext catalogs after editing src/crmtrain/locale/*/LC_MESSAGES/crmtrain.po
i18n: $(STAMP)
	$(BIN)/python -m crmtrain.i18n compile

# Rebuild crmtrain's JupyterLab extensions (TypeScript) into the Python package, against the
# JupyterLab installed in the venv; node and npm from the npm registry: the trainees' one
# (labextension/) and the specialist's regulation editor (editor/).
JUPYTERLAB_CORE = $$($(abspath $(BIN))/python -c 'import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging"))')
labextension: $(STAMP)
	rm -rf src/crmtrain/jupyter/labextensions/crmtrain-lab
	cd labextension && npm ci --no-audit --no-fund --loglevel=error && JUPYTERLAB_CORE="$(JUPYTERLAB_CORE)" npm run build
	$(MAKE) editor-extension

editor-extension: $(STAMP)
	rm -rf src/crmtrain/jupyter/labextensions/crmtrain-editor
	cd editor && npm ci --no-audit --no-fund --loglevel=error && JUPYTERLAB_CORE="$(JUPYTERLAB_CORE)" npm run build

clean:
	rm -rf $(VENV) .pytest_cache build-output
