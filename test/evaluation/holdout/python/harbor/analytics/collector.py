"""Product analytics ingestion (Starlette)."""
import asyncio
import contextlib
import json
import threading
import time
import zlib

import httpx
import psycopg2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from . import rollups

WAREHOUSE_URL = "https://warehouse.internal"
DSN = "dbname=analytics host=pg-analytics user=ingest"

SESSIONS: dict[str, dict] = {}
BYTES_RECEIVED = 0
_pending: list[dict] = []
_flush_lock = threading.Lock()


async def _enrich(events: list[dict], request: Request) -> None:
    ip = request.client.host if request.client else "0.0.0.0"
    resp = await request.app.state.geo.get(f"/lookup/{ip}")
    country = resp.json().get("country")
    for e in events:
        e.setdefault("country", country)


async def _ship(client: httpx.AsyncClient, batch: list[dict]) -> None:
    await client.post("/ingest", json=batch)


async def _finalize_session(client: httpx.AsyncClient, sid: str) -> None:
    await client.post("/sessions/close", json={"sid": sid, "at": time.time()})


async def _rows_for_day(client: httpx.AsyncClient, day: str) -> list[dict]:
    resp = await client.get(f"/days/{day}")
    return resp.json()


async def _backfill_day(client: httpx.AsyncClient, day: str) -> int:
    resp = await client.post(f"/days/{day}/backfill")
    return resp.json()["rows"]


async def collect(request: Request) -> JSONResponse:
    global BYTES_RECEIVED
    raw = await request.body()
    events = json.loads(raw)
    BYTES_RECEIVED += len(raw)
    sid = request.headers.get("x-session-id", "anon")
    session = SESSIONS.get(sid) or {"events": 0, "started": time.time()}
    await _enrich(events, request)
    SESSIONS[sid] = {**session, "events": session["events"] + len(events), "last": time.time()}
    _pending.extend(events)
    return JSONResponse({"accepted": len(events)}, status_code=202)


async def flush(request: Request) -> JSONResponse:
    with _flush_lock:
        batch = list(_pending)
        _pending.clear()
        await _ship(request.app.state.warehouse, batch)
    return JSONResponse({"shipped": len(batch)})


async def end_session(request: Request) -> JSONResponse:
    sid = request.path_params["sid"]
    loop = asyncio.get_running_loop()
    loop.create_task(_finalize_session(request.app.state.warehouse, sid))
    return JSONResponse({"closed": sid})


async def export_day(request: Request) -> Response:
    day = request.path_params["day"]
    rows = await _rows_for_day(request.app.state.warehouse, day)
    body = zlib.compress(json.dumps(rows).encode(), 9)
    return Response(body, headers={"Content-Encoding": "deflate", "Content-Type": "application/json"})


async def checksum(request: Request) -> JSONResponse:
    raw = await request.body()
    return JSONResponse({"crc32": zlib.crc32(raw), "adler32": zlib.adler32(raw)})


async def backfill(request: Request) -> JSONResponse:
    day = request.path_params["day"]
    loop = asyncio.get_event_loop()
    count = loop.run_until_complete(_backfill_day(request.app.state.warehouse, day))
    return JSONResponse({"backfilled": count})


async def raw_counts(request: Request) -> JSONResponse:
    conn = psycopg2.connect(DSN)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT event, count(*) FROM events WHERE ts > now() - interval '1 hour' GROUP BY 1")
            counts = dict(cur.fetchall())
    finally:
        conn.close()
    return JSONResponse(counts)


@contextlib.asynccontextmanager
async def lifespan(app: Starlette):
    async with contextlib.AsyncExitStack() as stack:
        app.state.warehouse = await stack.enter_async_context(httpx.AsyncClient(base_url=WAREHOUSE_URL, timeout=15.0))
        app.state.geo = await stack.enter_async_context(httpx.AsyncClient(base_url="http://geoip.internal"))
        yield


routes = [
    Route("/collect", collect, methods=["POST"]),
    Route("/flush", flush, methods=["POST"]),
    Route("/sessions/{sid}/end", end_session, methods=["POST"]),
    Route("/export/{day}", export_day),
    Route("/checksum", checksum, methods=["POST"]),
    Route("/backfill/{day}", backfill, methods=["POST"]),
    Route("/raw", raw_counts),
    Mount("/rollups", app=rollups.api),
]

app = Starlette(routes=routes, lifespan=lifespan)
