#!/bin/sh
# The load test on the province data (see bench/load.py and docs/performance.md).
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province bench/load.sh [--duration 15]
set -e
cd "$(dirname "$0")/.."
exec .venv/bin/python bench/load.py "$@"
