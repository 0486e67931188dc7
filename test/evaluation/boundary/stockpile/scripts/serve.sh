#!/usr/bin/env bash
set -euo pipefail

: "${PORT:=8000}"
export DATABASE_URL="${DATABASE_URL:?DATABASE_URL must be set}"

exec fastapi dev stockpile/main.py --host 0.0.0.0 --port "$PORT"
