"""Per-API-key sliding-window rate limiting for the public search API."""
import time
from collections import defaultdict

from fastapi import FastAPI, Header, HTTPException

from .plans import plan_for_key
from .search import run_search

app = FastAPI(title="search-api")

WINDOW_SECONDS = 60.0

_request_log: defaultdict[str, list[float]] = defaultdict(list)
_denied: defaultdict[str, int] = defaultdict(int)


async def enforce_quota(api_key: str) -> None:
    now = time.monotonic()
    recent = [t for t in _request_log[api_key] if now - t < WINDOW_SECONDS]
    plan = await plan_for_key(api_key)
    if len(recent) >= plan.requests_per_minute:
        _denied[api_key] += 1
        raise HTTPException(429, "rate limit exceeded", headers={"Retry-After": str(int(WINDOW_SECONDS))})
    _request_log[api_key] = recent + [now]


@app.get("/v1/search")
async def search(q: str, limit: int = 20, x_api_key: str = Header(...)):
    await enforce_quota(x_api_key)
    return await run_search(q, limit=limit)


@app.get("/v1/quota")
async def quota(x_api_key: str = Header(...)):
    plan = await plan_for_key(x_api_key)
    now = time.monotonic()
    used = sum(1 for t in _request_log.get(x_api_key, ()) if now - t < WINDOW_SECONDS)
    return {"limit": plan.requests_per_minute, "used": used, "denied": _denied.get(x_api_key, 0)}
