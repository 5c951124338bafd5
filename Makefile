# The two commands of the README: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo var/tools/bin/uv)
VENV := .venv
# `make run PORT=8100` serves on another port.
PORT ?= 8000

.PHONY: run test install assets lint bench

run: install
	$(VENV)/bin/lvzhi run --port $(PORT)

test: install
	scripts/test

install: $(VENV)/.synced assets/node_modules/.installed
	@$(VENV)/bin/lvzhi assets

# uv itself, when the machine has none: in a private venv (Debian splits venv into python3-venv).
var/tools/bin/uv:
	python3 -m venv var/tools || { scripts/ensure-system-packages --venv && python3 -m venv var/tools; }
	var/tools/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

assets/node_modules/.installed: assets/package.json assets/package-lock.json
	npm ci --prefix assets --no-audit --no-fund --loglevel=error
	@touch $@

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

bench: install
	bench/run
