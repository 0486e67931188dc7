"""Request-id propagation and per-request timing for the dashboard API."""
import contextvars
import logging
import time
import uuid

from fastapi import FastAPI, Request

from .backend import backend

log = logging.getLogger("api")
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

app = FastAPI()


class RequestTimer:
    def __init__(self) -> None:
        self.spans: dict[str, float] = {}
        self.total = 0.0

    async def measure(self, name: str, awaitable):
        start = time.perf_counter()
        total = self.total
        try:
            return await awaitable
        finally:
            elapsed = time.perf_counter() - start
            self.spans[name] = elapsed
            self.total = total + elapsed


@app.middleware("http")
async def with_request_id(request: Request, call_next):
    rid = request.headers.get("x-request-id") or uuid.uuid4().hex
    token = request_id.set(rid)
    try:
        response = await call_next(request)
    finally:
        request_id.reset(token)
    response.headers["x-request-id"] = rid
    return response


@app.get("/dashboard")
async def dashboard(request: Request):
    timer = RequestTimer()
    profile = await timer.measure("profile", backend.profile(request.headers["x-user"]))
    feed = await timer.measure("feed", backend.feed(profile["id"]))
    log.info("dashboard rid=%s spans=%s", request_id.get(), timer.spans)
    return {"profile": profile, "feed": feed, "timing": timer.spans, "total": timer.total}
