# make demo: a real canary release on this machine (nginx, Prometheus, a demo app): four experiments, live.
# make test: install everything the suite needs (Debian packages and a virtualenv), then run it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APT_PACKAGES := prometheus nginx chromium chromium-driver
REQUIRED_TOOLS ?= prometheus promtool nginx chromium chromedriver

.PHONY: demo demo-deps test check lint typecheck pytest system-deps venv clean

DEMO_ARGS ?=

demo: demo-deps venv
	PATH="$(abspath $(BIN)):$$PATH:/usr/sbin" $(BIN)/canarykit demo $(DEMO_ARGS)

# Like system-deps, but never fatal: without apt-get or sudo, `canarykit demo` says what to install.
demo-deps:
	-@$(MAKE) --no-print-directory system-deps REQUIRED_TOOLS="nginx prometheus" APT_PACKAGES="prometheus nginx"

test: system-deps venv lint typecheck pytest

system-deps:
	@missing=""; \
	for tool in $(REQUIRED_TOOLS); do \
	  command -v $$tool >/dev/null 2>&1 || [ -x /usr/sbin/$$tool ] || missing="$$missing $$tool"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  echo "missing:$$missing; installing Debian packages: $(APT_PACKAGES)"; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

lint: venv
	$(BIN)/ruff check canarykit tests benchmarks examples
	$(BIN)/ruff format --check canarykit tests benchmarks examples

typecheck: venv
	$(BIN)/mypy

pytest: venv
	PATH="$(abspath $(BIN)):$$PATH:/usr/sbin" $(BIN)/pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
