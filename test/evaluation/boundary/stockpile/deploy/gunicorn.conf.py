import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = 4
timeout = 90
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = "*"
