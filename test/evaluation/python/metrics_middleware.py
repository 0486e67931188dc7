"""Request metrics collected in HTTP middleware and exposed at /metrics."""
import time

from fastapi import FastAPI, Request, Response

app = FastAPI()

STATS = {"requests": 0, "in_flight": 0, "bytes_out": 0, "latency_ms_total": 0.0}
SLOW_PATHS: dict[str, int] = {}
SLOW_THRESHOLD_MS = 500


@app.middleware("http")
async def collect_metrics(request: Request, call_next):
    STATS["in_flight"] += 1
    start = time.perf_counter()
    bytes_before = STATS["bytes_out"]
    try:
        response: Response = await call_next(request)
    finally:
        STATS["in_flight"] -= 1
    elapsed_ms = (time.perf_counter() - start) * 1000
    STATS["requests"] += 1
    STATS["latency_ms_total"] += elapsed_ms
    STATS["bytes_out"] = bytes_before + int(response.headers.get("content-length", 0))
    if elapsed_ms > SLOW_THRESHOLD_MS:
        SLOW_PATHS[request.url.path] = SLOW_PATHS.get(request.url.path, 0) + 1
    return response


@app.get("/metrics")
async def metrics():
    avg = STATS["latency_ms_total"] / STATS["requests"] if STATS["requests"] else 0.0
    return {**STATS, "avg_latency_ms": round(avg, 2), "slow_paths": SLOW_PATHS}


@app.post("/metrics/reset")
async def reset_metrics():
    STATS.update(requests=0, bytes_out=0, latency_ms_total=0.0)
    SLOW_PATHS.clear()
    return {"ok": True}
