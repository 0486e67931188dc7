#!/bin/bash
set -e

cd "$(dirname "$0")/.."
exec gunicorn -c gunicorn.conf.py marquee.app:app
