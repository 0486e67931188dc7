#!/usr/bin/env bash
set -euo pipefail

alembic upgrade head
exec uvicorn stockpile.main:app --host 0.0.0.0 --port 8000 --workers "${WEB_CONCURRENCY:-4}" --proxy-headers
