#!/usr/bin/env bash
# Runs every check: lint, types, layer contracts, then the whole test suite (desktop tests included:
# each starts its own virtual desktop, so nothing needs to be running first).
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
status=0
echo "== ruff";          ruff check src tests benchmarks || status=1
echo "== ruff format";   ruff format --check src tests benchmarks || status=1
echo "== mypy (strict)"; mypy || status=1
echo "== import-linter"; lint-imports || status=1
echo "== pytest"
python -m pytest "$@"
code=$?
# pytest exits 5 when it collected no tests: that is a failure of this script, not a pass.
if [ "$code" -eq 5 ]; then echo "pytest collected no tests"; code=1; fi
[ "$code" -ne 0 ] && status=$code
exit $status
