import os

bind = "0.0.0.0:" + os.environ.get("PORT", "8080")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = 120
graceful_timeout = 20
accesslog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
