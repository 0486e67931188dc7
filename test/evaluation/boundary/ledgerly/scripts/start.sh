#!/bin/sh
set -eu

alembic upgrade head
exec gunicorn -c deploy/gunicorn.conf.py app.main:app
