"""Blog page-view counters. The handlers are plain `def`: FastAPI runs them in its threadpool."""
from collections import deque

from fastapi import FastAPI

from .content import render_post

app = FastAPI(title="blog")

page_views: dict[str, int] = {}
referrers: deque[str] = deque(maxlen=500)
error_reports = 0


@app.get("/posts/{slug}")
def read_post(slug: str, ref: str | None = None):
    page_views[slug] = page_views.get(slug, 0) + 1
    if ref:
        referrers.append(ref)
    return render_post(slug)


@app.post("/client-errors")
def client_error(report: dict):
    global error_reports
    error_reports += 1
    return {"received": True}


@app.get("/stats")
def stats():
    top = sorted(page_views.items(), key=lambda kv: kv[1], reverse=True)[:10]
    return {"top": top, "errors": error_reports, "recent_referrers": list(referrers)[-20:]}
