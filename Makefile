# Set-up and checks. Needs only Python 3.11+, make and git.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest-xdist workers for `make test` (each test module stays on one worker; 0: no workers).
TEST_WORKERS ?= 2

.PHONY: bytecode docs demo test test-slow test-postgres conformance lint typecheck imports venv bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[simulator,dev]'
	@touch $(STAMP)

# docs/options.md from the option declaration (a test checks it is current).
docs: $(STAMP)
	$(BIN)/python -m engine.operator.options_doc

demo: $(STAMP)
	$(BIN)/bluegreen demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

# The project's modules compiled once: the suite starts ~1,000 `bluegreen` processes, and with
# PYTHONDONTWRITEBYTECODE set (as on some CI machines) each would compile them again.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q engine states storage cloud simulator benchmarks > /dev/null

# The suite without its slowest parts (kept within ~12 minutes on 2 cores); CI runs those
# as their own step: `make test-slow`.
test: lint typecheck imports bytecode
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not conformance and not slow" $(PYTEST_ARGS)

# AWS's own clients (EB CLI, AWS CLI, the JS SDK v3) against the simulator, and the suites
# marked slow (the README's commands run as written, the wheel installed with pipx).
# AWS's clients live in .venv-conformance and .node-conformance (built once, reused after).
test-slow: bytecode
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "conformance or slow" $(PYTEST_ARGS)

conformance: $(STAMP)
	$(BIN)/python -m pytest -m conformance tests/conformance $(PYTEST_ARGS)

bench: bytecode
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .venv-conformance .node-conformance build dist .mypy_cache .pytest_cache .ruff_cache

# The release suites again, with the run history on PostgreSQL (the shared-history set-up).
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
test-postgres: bytecode
	BLUEGREEN_DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest -q -m "not postgres" \
		tests/integration/release tests/e2e/test_release_cli.py tests/e2e/test_crash_resume.py \
		tests/e2e/test_runners.py $(PYTEST_ARGS)
