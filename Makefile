# The two commands a new user needs: `make run` and `make test`.
# Each builds its own virtual environment in .venv first.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv pep8 genconfig clean

$(STAMP): requirements.txt test-requirements.txt setup.cfg
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r test-requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/stx-aio $(ARGS)

test: $(STAMP)
	$(BIN)/python tools/run_tests.py $(ARGS)

pep8: $(STAMP)
	$(BIN)/ruff check stxcommon fm sysinv hostsim mtce tools benchmarks

genconfig: $(STAMP)
	$(BIN)/oslo-config-generator --namespace fm --namespace oslo.log --output-file etc/fm/fm.conf.sample
	$(BIN)/oslopolicy-sample-generator --namespace fm --output-file etc/fm/policy.yaml.sample
	mkdir -p etc/sysinv
	$(BIN)/oslo-config-generator --namespace sysinv --namespace oslo.log --output-file etc/sysinv/sysinv.conf.sample
	$(BIN)/oslopolicy-sample-generator --namespace sysinv --output-file etc/sysinv/policy.yaml.sample
	mkdir -p etc/mtce
	$(BIN)/oslo-config-generator --namespace mtce --namespace oslo.log --output-file etc/mtce/mtce.conf.sample

clean:
	rm -rf $(VENV) .stestr
