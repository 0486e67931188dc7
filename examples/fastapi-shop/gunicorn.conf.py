# gunicorn reads ./gunicorn.conf.py by default; the Dockerfile also passes it explicitly.
bind = "0.0.0.0:8000"
# Four processes, each with its own event loop and its own copy of every module-level object.
workers = 4
# FastAPI is an ASGI app: it needs uvicorn's worker, not gunicorn's default sync worker.
worker_class = "uvicorn.workers.UvicornWorker"
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-"
